#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Guest B of tests/e2e/guest_pair.sh: the workload job named by
# mvgpu_e2e.job= on the kernel command line (while guest A runs its own),
# then mvgpu_drm loaded, three seconds idle ("MVGPU_E2E idle") and
# drm_bench -l: checked copies, fills and blends of 4 MiB until the host
# kills QEMU.  Prints "MVGPU_E2E <step>
# ok|FAIL" and drm_bench's "MVGPU_BENCH round N verified" lines.
say() { echo "MVGPU_E2E $*"; }
job=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^mvgpu_e2e\.job=//p')
if sh "./$job"; then say "workload ok"; else say "workload FAIL"; fi
sh ./modules/load.sh || { say "load FAIL"; exit 1; }
# idle for a while: the host takes the vGPU's counters at rest
say idle
sleep 3
say looping
./drm_bench -m 4 -r 1 -e 0 -l
say "loop FAIL rc=$?"
exit 1
