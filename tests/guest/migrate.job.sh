#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The L2 guest's job in the domain tests/vm/libvirt_migrate.sh migrates
# with virsh: load mvgpu_drm, then rounds of drm_smoke's verified fill
# and stores, one every two seconds, while the host migrates the domain
# (mvgpu_mig.rounds= on the kernel command line, default 40).  Prints
# "MVGPU_MIG round N ok|FAIL"; exits non-zero if any round failed.
rounds=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^mvgpu_mig\.rounds=//p')
rounds=${rounds:-40}
sh ./guest_lspci.sh
if ! sh ./modules/load.sh; then
	echo "MVGPU_MIG load FAIL"
	exit 1
fi
echo "MVGPU_MIG loaded"
rc=0
i=0
while [ $i -lt "$rounds" ]; do
	i=$((i + 1))
	if ./drm_smoke -t fill_on_bcs_then_store_on_rcs_in_a_ppgtt_context >/tmp/out 2>&1; then
		echo "MVGPU_MIG round $i ok (at $(cut -d' ' -f1 /proc/uptime) s)"
	else
		echo "MVGPU_MIG round $i FAIL at $(cut -d' ' -f1 /proc/uptime) s"
		sed 's/^/# /' /tmp/out
		rc=1
	fi
	sleep 2
done
rmmod mvgpu_drm || rc=1
[ $rc = 0 ] || dmesg | grep -E 'mvgpu|drm' | tail -n 20 | sed 's/^/# guest: /'
exit $rc
