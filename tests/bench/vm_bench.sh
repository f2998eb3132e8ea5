#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# "make bench" inside the test VM (mvgpu and mvgpu_native loaded): the
# native path's benchmark, then the guest driver's against it, then the
# rate of tiny batches through a vGPU against native (10^4 submissions
# on each engine and side, build/vm-tests/vgpu_bench rate) and its
# stages inside the kernel, traced (rate_stages.sh).
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rc=0
for b in native_bench.sh guest_bench.sh; do
	echo "=== $b"
	"$TOP/tests/bench/$b" || rc=1
done
echo "=== vgpu_bench rate"
"$TOP/build/vm-tests/vgpu_bench" rate || rc=1
echo "=== rate_stages.sh"
"$TOP/tests/bench/rate_stages.sh" || rc=1
exit $rc
