#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# A guest of tests/e2e/l2_control.sh, its arm and time from the kernel
# command line's mvgpu_control=ARM,SECONDS:
#   edu   no vGPU: mmio_hammer (MMIO exits to QEMU's edu device, timer
#         interrupts, forks), every access checked;
#   vgpu  mvgpu_drm loaded, drm_bench -l (checked copies, fills and
#         blends of 4 MiB) until the time is up.
# Prints "MVGPU_CONTROL working" once the work has begun, then
# "MVGPU_CONTROL done" or "MVGPU_CONTROL FAIL ...".
say() { echo "MVGPU_CONTROL $*"; }
arg=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^mvgpu_control=//p')
arm=${arg%,*} secs=${arg#*,}
case $arm in
edu)
	say working
	./mmio_hammer "$secs" || { say "FAIL mmio_hammer"; exit 1; }
	;;
vgpu)
	sh ./modules/load.sh || { say "FAIL modules did not load"; exit 1; }
	say working
	timeout "$secs" ./drm_bench -m 4 -r 1 -e 0 -l > bench.log 2>&1
	rc=$?
	grep -v "^MVGPU_BENCH round" bench.log
	r=$(grep -c "^MVGPU_BENCH round [0-9]* verified" bench.log)
	echo "MVGPU_CONTROL rounds=$r"
	# timeout's SIGTERM ends the loop: anything else is a failure
	[ "$rc" = 143 ] || [ "$rc" = 124 ] || { say "FAIL drm_bench rc=$rc"; exit 1; }
	[ "$r" -gt 0 ] || { say "FAIL no round verified"; exit 1; }
	;;
*)
	say "FAIL mvgpu_control=$arg"; exit 1
	;;
esac
say "done"
