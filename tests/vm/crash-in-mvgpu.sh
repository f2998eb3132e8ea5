#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Is mvgpu code in the crash on L1's console?
#
#   tests/vm/crash-in-mvgpu.sh <console.log>
#
# Exit 0 when the RIP of an oops, or a reliable frame of a call trace, is
# in mvgpu or mvgpu_native; 1 otherwise.  Frames a trace marks unreliable
# ("? name+0x…/0x… [mod]") are stale words on the stack and left out:
# seen, the int3 oops of QEMU 7.2's TCG in kvm_arch_vcpu_ioctl_run (a
# known race with kernel text patching, testing.rst) listing "?
# mmio_access [mvgpu]", left there by the same QEMU thread's earlier
# VFIO write.  tests/run.sh and tests/debug-check.sh boot the VM again
# only after a crash outside mvgpu.
set -u
[ $# -eq 1 ] || { echo "usage: $0 <console.log>" >&2; exit 2; }
[ -r "$1" ] || exit 1
fn='[A-Za-z_][A-Za-z0-9_.]*\+0x[0-9a-f]+/0x[0-9a-f]+ \[mvgpu(_native)?\]'
grep -qE "(RIP: [0-9a-f]{4}:|\] +)$fn" "$1"
