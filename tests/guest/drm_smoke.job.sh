#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The L2 guest's job (tests/e2e/guest_drm.sh): load mvgpu_drm on the vGPU,
# run drm_smoke; then reload the driver with INTx instead of MSI and run
# the submission test again.  Prints MVGPU_DRM lines; exits non-zero if
# anything failed.
rc=0
fail() { echo "MVGPU_DRM FAIL $*"; rc=1; }
log() { dmesg | grep -E 'mvgpu|drm' | tail -n 40 | sed 's/^/# guest: /'; }

if sh ./modules/load.sh; then
	echo "MVGPU_DRM loaded:" /dev/dri/*
else
	fail "modules did not load"
	log
	exit 1
fi
# on a vGPU the driver reads the CSB from status pages (gpu-interface.rst)
if dmesg | grep -q '\[drm\] vGPU .*CSB in status pages'; then
	echo "MVGPU_DRM CSB in status pages"
else
	fail "the driver does not report CSB in status pages"
fi
./drm_smoke || fail "drm_smoke (MSI)"
if rmmod mvgpu_drm && sh ./modules/load.sh msi=0; then
	echo "MVGPU_DRM reloaded with msi=0"
	./drm_smoke -t params_describe_the_vgpu \
		-t fill_on_bcs_then_store_on_rcs_in_a_ppgtt_context ||
		fail "drm_smoke (INTx)"
	rmmod mvgpu_drm || fail "rmmod after INTx run"
else
	fail "reload with msi=0"
fi
log
echo "MVGPU_DRM done rc=$rc"
exit $rc
