#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The L2 guest's job that runs the guest suite (tests/e2e/guest_suite.sh,
# and any scenario that runs "the suite" in a guest): load mvgpu_drm on
# the vGPU unless it is loaded, run ./mdrm_suite (TAP), then check the
# guest's kernel log for oopses, BUGs and WARNs.  Needs, in the job's
# directory: mdrm_suite and modules/ (tests/vm/l2.sh --file
# build/guest/mdrm_suite --file build/guest/modules).  Arguments go to
# mdrm_suite (e.g. -t NAME); the fuzz test takes MDRM_FUZZ_SEED and
# MDRM_FUZZ_ITERS from the environment or mdrm.fuzz_seed=N and
# mdrm.fuzz_iters=N on the guest's kernel command line (l2.sh --append),
# where mdrm.test=NAME (repeatable) runs only those tests and
# mdrm.skip=NAME (repeatable) all but those.
# Run it as the job (l2.sh -- tests/guest/suite.job.sh) or from another
# job (--file tests/guest/suite.job.sh; sh ./suite.job.sh).  Prints "MVGPU_SUITE ..."
# lines; exits non-zero if the driver did not load, a test failed or the
# log shows a kernel problem.
for arg in $(cat /proc/cmdline); do
	case $arg in
	mdrm.fuzz_seed=*) export MDRM_FUZZ_SEED=${arg#*=} ;;
	mdrm.fuzz_iters=*) export MDRM_FUZZ_ITERS=${arg#*=} ;;
	mdrm.test=*) set -- "$@" -t "${arg#*=}" ;;
	mdrm.skip=*) set -- "$@" -T "${arg#*=}" ;;
	esac
done
rc=0
fail() { echo "MVGPU_SUITE FAIL $*"; rc=1; }

if [ ! -d /sys/module/mvgpu_drm ]; then
	if ! sh ./modules/load.sh; then
		fail "modules did not load"
		dmesg | tail -n 40 | sed 's/^/# guest: /'
		exit 1
	fi
fi
echo "MVGPU_SUITE loaded:" /dev/dri/*
# devtmpfs makes render nodes root's alone (0600); udev's default rules
# open them to every user, whose use the suite tests (the fuzz as nobody)
chmod 0666 /dev/dri/renderD*
# only what the kernel logs from here on counts (booting a nested guest
# may WARN about its CPU's features)
mark="MVGPU_SUITE start $$-$(date +%s)"
echo "$mark" >/dev/kmsg
start=$(date +%s)
./mdrm_suite "$@" || fail "mdrm_suite exited with $?"
echo "MVGPU_SUITE took $(($(date +%s) - start)) s"
log=$(dmesg | sed -n "/$mark/,\$p")
bad=$(echo "$log" | grep -E 'Oops|BUG[: ]|WARNING:|Call Trace|general protection|Kernel panic|list_(add|del) corruption|refcount_t:|UBSAN|KASAN|stack-protector|soft lockup|hung task|rcu.*stall' )
if [ -n "$bad" ]; then
	echo "$log" | grep -v 'context banned' | tail -n 150 | sed 's/^/# guest dmesg: /'
	fail "kernel log shows a problem"
else
	echo "MVGPU_SUITE dmesg clean"
fi
echo "$log" | grep -E 'mvgpu|segfault|traps:' | tail -n 30 | sed 's/^/# guest: /'
echo "MVGPU_SUITE done rc=$rc"
exit $rc
