#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The L2 guest's job in the libvirt domain (tests/vm/libvirt.sh): list
# the vGPU as a PCI function (guest_lspci.sh: MVGPU_FOUND), load the guest
# driver, mvgpu_drm, and run checked work through it: drm_smoke's
# parameter test and its fill on the blitter then stores on the render
# engine, whose pixels it verifies.  Prints "MVGPU_LIBVIRT <step> ok|FAIL"
# lines; exits non-zero if anything failed (the host's libvirt.sh then
# checks the vGPU's counters for the work).
rc=0
say() { echo "MVGPU_LIBVIRT $*"; }
step() { # name command...
	n=$1
	shift
	if "$@"; then say "$n ok"; else say "$n FAIL"; rc=1; fi
}

sh ./guest_lspci.sh
step "driver loaded" sh ./modules/load.sh
for f in /dev/dri/*; do [ -e "$f" ] && say "dri: ${f##*/}"; done
step "checked fill and stores" ./drm_smoke -t params_describe_the_vgpu \
	-t fill_on_bcs_then_store_on_rcs_in_a_ppgtt_context
step "driver unloaded" rmmod mvgpu_drm
[ $rc = 0 ] || dmesg | grep -E 'mvgpu|drm' | tail -n 30 | sed 's/^/# guest: /'
exit $rc
