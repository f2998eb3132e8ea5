#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# "make bench" inside the test VM (mvgpu and mvgpu_native loaded): copy,
# fill and blend through a vGPU against native (build/vm-tests/vgpu_bench
# surf), the rate of tiny batches through a vGPU against native (10^4
# submissions on each engine and side, vgpu_bench rate, with the stages
# of a workload from debugfs mvgpu_stages), the stages inside the kernel
# traced (rate_stages.sh), then the native path's benchmark and the guest
# driver's against it.  vgpu_bench writes surf.csv, rate.csv and
# stages.csv into $MVGPU_OUT for make bench-report.
#
# The vGPU-against-native comparisons come first, in a VM nothing else
# has run in yet.  The native side's copies and blends in surf used to run
# 1.4 to 15 times slower in some boots, whenever its destination pages
# lay a multiple of 4 MiB from their source pages; native/bench_surf.c
# now exchanges such pages (performance.rst, "What is left").
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rc=0
echo "=== vgpu_bench surf"
"$TOP/build/vm-tests/vgpu_bench" surf || rc=1
echo "=== vgpu_bench rate"
"$TOP/build/vm-tests/vgpu_bench" rate || rc=1
echo "=== rate_stages.sh"
"$TOP/tests/bench/rate_stages.sh" || rc=1
for b in native_bench.sh guest_bench.sh; do
	echo "=== $b"
	"$TOP/tests/bench/$b" || rc=1
done
exit $rc
