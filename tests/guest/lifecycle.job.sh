#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Guest A of tests/e2e/guest_pair.sh (l2.sh --reboot).  Boot 1: the
# workload job named by mvgpu_e2e.job= on the kernel command line (with
# the other guest running its own at the same time), then mvgpu_drm
# loaded and a checked round of drm_bench; waits for the line "hang" from
# the host on /dev/ttyS1, hangs its GPU (drm_smoke's hang test: a
# semaphore nothing satisfies, ended by the vGPU's watchdog) and runs
# checked work again; unloads and reloads the driver, checked work;
# reboots (reboot -f).  Boot 2: loads the driver, checked work.  Prints
# "MVGPU_E2E <step> ok|FAIL" lines; exits non-zero if a step failed.
rc=0
say() { echo "MVGPU_E2E $*"; }
step() { # name command...
	name=$1
	shift
	if "$@"; then say "$name ok"; else say "$name FAIL"; rc=1; fi
}
work() {
	./drm_bench -m 1 -r 1 -e 10 >/tmp/work 2>&1
	r=$?
	sed 's/^/# /' /tmp/work
	return $r
}
gate() { # word: wait for it from the host
	stty -F /dev/ttyS1 -echo 2>/dev/null
	say "waiting for $1"
	read -r line </dev/ttyS1
	[ "$line" = "$1" ]
}
job=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^mvgpu_e2e\.job=//p')

if [ "${MVGPU_L2_BOOT:-1}" = 1 ]; then
	step workload sh "./$job"
	step load sh ./modules/load.sh
	step work_before_hang work
	step gate gate hang
	step hang ./drm_smoke -t hang_bans_its_context_and_the_innocent_runs_again
	step work_after_hang work
	step unload rmmod mvgpu_drm
	[ ! -e /sys/module/mvgpu_drm ] || { say "unload FAIL: still loaded"; rc=1; }
	step reload sh ./modules/load.sh
	step work_after_reload work
	[ "$rc" = 0 ] || exit "$rc"
	say rebooting
	sync
	reboot -f
	sleep 60
	exit 1
fi
step load_after_reboot sh ./modules/load.sh
step work_after_reboot work
exit $rc
