#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Inside the L1 VM, with mvgpu loaded: a reset by the host that the
# guest survives.  An L2 guest (KVM) loads mvgpu_drm and submits a
# semaphore wait nothing satisfies (tests/guest/host_reset.job.sh); once
# it says so, the host writes 1 to the vGPU's sysfs "reset".  The guest's
# wait fails with -EIO (its context banned with MVGPU_ERR_RESET), its
# next work on both engines runs, without a reboot (one boot).  The hang
# limits are raised meanwhile so that nothing but the reset ends the
# wait (hang_ms, and the engines' watchdog through mvgpu_native's
# debugfs).  Needs "make -C tests/guest" and mvgpu_native.  TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
TYPE_DIR=/sys/class/mdev_bus/mvgpu0/mdev_supported_types
HANG_MS=/sys/module/mvgpu/parameters/hang_ms
WATCHDOG_MS=/sys/module/mvgpu/parameters/watchdog_ms
NATIVE=/sys/kernel/debug/mvgpu/mvgpu0/native	# mvgpu_native.ko
GUEST=$TOP/build/guest

echo "TAP version 13"
if [ ! -x "$GUEST/drm_smoke" ] || [ ! -f "$GUEST/modules/load.sh" ]; then
	tap 1 "build/guest is built (make -C tests/guest)"
	finish
fi
uuid=$(cat /proc/sys/kernel/random/uuid)
echo "$uuid" > "$TYPE_DIR/mvgpu-V1_8/create" || { tap 1 "create vGPU"; finish; }
dev=/sys/bus/mdev/devices/$uuid
hang_was=$(cat "$HANG_MS")
# shellcheck disable=SC2317 # called through check
limits() { # hang_ms watchdog_ms
	echo "$1" > "$HANG_MS" &&
		echo "watchdog rcs $2; watchdog bcs $2" > "$NATIVE"
}
check "hang limits raised to 60 s" limits 60000 60000
out=$(mktemp)
t0=$(date +%s)
"$TOP/tests/vm/l2.sh" --kvm --timeout 300 --mem 512 \
	--file "$GUEST/modules" --file "$GUEST/drm_smoke" \
	--qemu-arg -device --qemu-arg "vfio-pci,sysfsdev=$dev" \
	-- "$TOP/tests/guest/host_reset.job.sh" >"$out" 2>&1 &
l2=$!

ready=0
for _ in $(seq 1200); do
	grep -q "^MVGPU_HOST_RESET ready" "$out" && { ready=1; break; }
	kill -0 "$l2" 2>/dev/null || break
	sleep 0.1
done
check "the guest has work in flight" test "$ready" -eq 1
busy=$(cat "$dev/mvgpu/busy_ns_rcs")
sleep 0.5
check "the guest's work is on the engine (busy_ns_rcs grows)" \
	test "$(cat "$dev/mvgpu/busy_ns_rcs")" -gt "$busy"
check "the host resets the vGPU" sh -c "echo 1 > $dev/mvgpu/reset"
wait "$l2"
rc=$?
echo "# time: $(($(date +%s) - t0)) s"
check "hang limits restored" limits "$hang_was" "$(cat "$WATCHDOG_MS")"
sed 's/^/# /' "$out"
echo "# l2.sh exited with $rc"
check "guest: host_reset_fails_work_in_flight_and_the_next_runs" \
	grep -q "^ok [0-9]* drm\.host_reset_fails_work_in_flight_and_the_next_runs$" "$out"
check "guest: its next work runs (fill and store)" \
	grep -q "^ok [0-9]* drm\.fill_on_bcs_then_store_on_rcs_in_a_ppgtt_context$" "$out"
check "the guest's job passed" test "$rc" -eq 0
check "in one boot" test "$(grep -c '^l2: booted in' "$out")" -eq 1
check "the vGPU counts one host reset" test "$(cat "$dev/mvgpu/host_resets")" -eq 1
check "no hang was needed" test "$(cat "$dev/mvgpu/hangs")" -eq 0
check "not in failsafe mode" test "$(cat "$dev/mvgpu/failsafe")" -eq 0
rm -f "$out"
# shellcheck disable=SC2317 # called through check
remove() { echo 1 > "$dev/remove"; }
check "remove vGPU after the guest" remove
finish
