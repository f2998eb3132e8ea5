#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Inside the L1 VM: a QEMU guest on a vGPU edits a page-table entry after
# a submission (tests/e2e/guest_ppgtt.sh), once on KVM, where the vGPU
# write-protects the guest's page tables and KVM reports the edit, and
# once on TCG, where the vGPU reads the tables at every submission.
# TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
. "$TOP/tests/lib/e2e.sh"

run() { # accel
	local uuid out attr writes
	uuid=$(create mvgpu-V1_8) || { tap 1 "create"; return; }
	attr=/sys/bus/mdev/devices/$uuid/mvgpu
	# shellcheck disable=SC2016 # memmap's '$' goes to the guest's kernel
	out=$("$TOP/tests/vm/l2.sh" "--$1" --timeout 400 --mem 256 \
		--append 'memmap=16M$0x8000000' \
		--qemu-arg -device \
		--qemu-arg "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid" \
		-- "$TOP/tests/e2e/guest_ppgtt.sh" 2>&1)
	grep MVGPU_PPGTT <<<"$out" | sed 's/^/# /'
	grep -q "MVGPU_PPGTT second store followed" <<<"$out" ||
		tail -n 40 <<<"$out" | sed 's/^/# L2: /'
	grep -q "MVGPU_PPGTT first store through the PPGTT landed" <<<"$out"
	tap $? "$1 guest: a store through its PPGTT lands in its page"
	grep -q "MVGPU_PPGTT second store followed the edited entry" <<<"$out"
	tap $? "$1 guest: after it edits a PTE the next store follows it"
	writes=$(cat "$attr/ppgtt_writes")
	if [ "$1" = kvm ]; then
		[ "$writes" -gt 0 ]
		tap $? "kvm guest: the edit was reported by KVM page tracking ($writes writes)"
	else
		[ "$writes" -eq 0 ]
		tap $? "tcg guest: no page tracking, tables read at submission"
	fi
	[ "$(cat "$attr/pinned_pages")" = 0 ] && [ "$(cat "$attr/shadow_pages")" = 0 ]
	tap $? "$1 guest gone: no page pinned, no shadow table left"
	echo 1 > "/sys/bus/mdev/devices/$uuid/remove"
}

echo "TAP version 13"
if [ -c /dev/kvm ]; then
	run kvm
else
	tap 1 "KVM guest: no /dev/kvm in L1"
fi
run tcg
finish
