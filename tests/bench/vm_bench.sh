#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# "make bench" inside the test VM (mvgpu and mvgpu_native loaded): the
# native path's benchmark, then the guest driver's against it, then copy,
# fill and blend through a vGPU against native (build/vm-tests/vgpu_bench
# surf), the rate of tiny batches through a vGPU against native (10^4
# submissions on each engine and side, vgpu_bench rate, with the stages
# of a workload from debugfs mvgpu_stages), and the stages inside the
# kernel traced (rate_stages.sh).  vgpu_bench writes surf.csv, rate.csv
# and stages.csv into $MVGPU_OUT for make bench-report.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rc=0
for b in native_bench.sh guest_bench.sh; do
	echo "=== $b"
	"$TOP/tests/bench/$b" || rc=1
done
echo "=== vgpu_bench surf"
"$TOP/build/vm-tests/vgpu_bench" surf || rc=1
echo "=== vgpu_bench rate"
"$TOP/build/vm-tests/vgpu_bench" rate || rc=1
echo "=== rate_stages.sh"
"$TOP/tests/bench/rate_stages.sh" || rc=1
exit $rc
