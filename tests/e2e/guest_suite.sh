#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Inside the L1 VM, with mvgpu loaded: one L2 guest (KVM) on a vGPU loads
# mvgpu_drm and runs the whole guest suite, build/guest/mdrm_suite
# (tests/guest/suite.job.sh): objects, blits and blends checked by the
# CPU, many contexts and processes, fences, PPGTT-heavy work, a hang, a
# fault, failsafe and an ioctl fuzz run; then the guest's kernel log is
# checked for oopses, BUGs and WARNs.  Needs "make -C tests/guest".  Each
# guest test becomes a line of this TAP output.
#   MVGPU_DRM_ACCEL=tcg            boot the guest on TCG (default kvm)
#   MVGPU_SUITE_APPEND="..."       more guest kernel arguments, e.g.
#                                  mdrm.fuzz_seed=N mdrm.fuzz_iters=N
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
TYPE_DIR=/sys/class/mdev_bus/mvgpu0/mdev_supported_types
GUEST=$TOP/build/guest

echo "TAP version 13"
if [ ! -x "$GUEST/mdrm_suite" ] || [ ! -f "$GUEST/modules/load.sh" ]; then
	tap 1 "build/guest is built (make -C tests/guest)"
	finish
fi
uuid=$(cat /proc/sys/kernel/random/uuid)
echo "$uuid" > "$TYPE_DIR/mvgpu-V1_8/create" || { tap 1 "create vGPU"; finish; }
start=$(date +%s)
out=$("$TOP/tests/vm/l2.sh" "--${MVGPU_DRM_ACCEL:-kvm}" --timeout 1200 --mem 512 \
	${MVGPU_SUITE_APPEND:+--append "$MVGPU_SUITE_APPEND"} \
	--file "$GUEST/modules" --file "$GUEST/mdrm_suite" \
	--qemu-arg -device \
	--qemu-arg "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid" \
	-- "$TOP/tests/guest/suite.job.sh" 2>&1)
rc=$?
# shellcheck disable=SC2001 # every line of it
sed 's/^/# /' <<<"$out"
echo "# l2.sh exited with $rc after $(($(date +%s) - start)) s"
check "guest loads mvgpu_drm and the suite passes" test "$rc" -eq 0
check "guest kernel log has no oops, BUG or WARN" grep -q '^MVGPU_SUITE dmesg clean' <<<"$out"
# every test the suite has (its list, read here), as the guest reported it
tests=$("$GUEST/mdrm_suite" -l 2>&1 | awk 'f && NF { print $NF } /^-----/ { f = 1 }')
check "the suite lists its tests" test -n "$tests"
for t in $tests; do
	check "guest: $t" grep -q "^ok [0-9]* gpu\.$t\$" <<<"$out"
done
for attr in failsafe rejected hangs; do
	echo "# vGPU $attr: $(cat "/sys/bus/mdev/devices/$uuid/mvgpu/$attr" 2>/dev/null)"
done
# shellcheck disable=SC2317 # called through check
remove() { echo 1 > "/sys/bus/mdev/devices/$uuid/remove"; }
check "remove vGPU after the guest" remove
finish
