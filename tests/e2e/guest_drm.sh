#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Inside the L1 VM, with mvgpu loaded: an L2 guest (KVM) loads the guest
# driver, mvgpu_drm, on its vGPU and runs tests/guest/drm_smoke against
# it, with MSI and then INTx (tests/guest/drm_smoke.job.sh).  Needs
# "make -C tests/guest" (build/guest/).  TAP output.
#   MVGPU_DRM_ACCEL=tcg            boot the guest on TCG (default kvm)
#   MVGPU_DRM_PARAMS="a=1 b=2"     mvgpu_drm parameters in the guest
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
TYPE_DIR=/sys/class/mdev_bus/mvgpu0/mdev_supported_types
GUEST=$TOP/build/guest

echo "TAP version 13"
if [ ! -x "$GUEST/drm_smoke" ] || [ ! -f "$GUEST/modules/load.sh" ]; then
	tap 1 "build/guest is built (make -C tests/guest)"
	finish
fi
uuid=$(cat /proc/sys/kernel/random/uuid)
echo "$uuid" > "$TYPE_DIR/mvgpu-V1_8/create" || { tap 1 "create vGPU"; finish; }
append=
for p in ${MVGPU_DRM_PARAMS:-}; do
	append+=" mvgpu_drm.$p"
done
out=$("$TOP/tests/vm/l2.sh" "--${MVGPU_DRM_ACCEL:-kvm}" --timeout 900 --mem 512 \
	${append:+--append "$append"} \
	--file "$GUEST/modules" --file "$GUEST/drm_smoke" \
	--qemu-arg -device \
	--qemu-arg "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid" \
	-- "$TOP/tests/guest/drm_smoke.job.sh" 2>&1)
rc=$?
# shellcheck disable=SC2001 # every line of it
sed 's/^/# /' <<<"$out"
echo "# l2.sh exited with $rc"
check "guest loads mvgpu_drm and drm_smoke passes (MSI and INTx)" test "$rc" -eq 0
for t in params_describe_the_vgpu fill_on_bcs_then_store_on_rcs_in_a_ppgtt_context \
	legacy_32b_context_stores_through_the_ggtt bad_arguments_fail_with_clear_errnos \
	bad_command_bans_only_its_context hang_bans_its_context_and_the_innocent_runs_again \
	rejected_batches_put_the_vgpu_in_failsafe_and_it_recovers \
	syncobjs_and_sync_files_order_requests_across_contexts \
	bindings_move_only_when_idle_and_closed_ones_are_waited_for \
	an_object_shared_through_prime_is_written_by_the_other_file \
	device_removed_under_an_open_file_comes_back_on_rescan; do
	check "guest: $t" grep -q "^ok [0-9]* drm\.$t\$" <<<"$out"
done
check "guest: the driver reads the CSB from status pages" \
	grep -q "MVGPU_DRM CSB in status pages" <<<"$out"
for attr in failsafe rejected hangs bad_ggtt; do
	echo "# vGPU $attr: $(cat "/sys/bus/mdev/devices/$uuid/mvgpu/$attr" 2>/dev/null)"
done
# shellcheck disable=SC2317 # called through check
remove() { echo 1 > "/sys/bus/mdev/devices/$uuid/remove"; }
check "remove vGPU after the guest" remove
finish
