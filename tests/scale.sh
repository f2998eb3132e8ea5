#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Tenancy at scale: MVGPU_SCALE_VGPUS vGPUs (default 64) of mvgpu-V1_64 on
# one pGPU, mixed weights, both engines busy for MVGPU_SCALE_SECONDS
# (default 60), then the latency probe and maximal blits for
# MVGPU_SCALE_LAT_SECONDS (default 10) each (tests/vm/scale_test.c).
# Shares per second go to build/vm-out/scale/scale_shares.csv.  Not part
# of tests/run.sh; run with `make scale` (MVGPU_SCALE_SECONDS=10 for a
# quick check).  Ends with "N passed, N failed".
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP" || exit 1
SECS=${MVGPU_SCALE_SECONDS:-60}
LSECS=${MVGPU_SCALE_LAT_SECONDS:-10}
OUT=$TOP/build/vm-out/scale
export MVGPU_SCALE_SECONDS=$SECS MVGPU_SCALE_LAT_SECONDS=$LSECS

scripts/deps.sh || exit 1
KVER=$(scripts/kernel.sh --version) || exit 1
scripts/kernel.sh >/dev/null || exit 1
{ make module KVER="$KVER" && make tools && make -C tests/vm; } \
	> "$TOP/build/scale-build.log" 2>&1 || {
	tail -n 20 "$TOP/build/scale-build.log"
	echo "0 passed, 1 failed"
	exit 1
}
rm -rf "$OUT"
mkdir -p "$OUT"
echo "# scale: ${MVGPU_SCALE_VGPUS:-64} vGPUs on one pGPU, $SECS s + 3 x $LSECS s (log: $OUT)"
# The hang limits leave out the engine thread's waits for a CPU but not
# the VM's own stalls: in a test VM short of CPU its vCPUs may go unrun
# for over a second, and honest work is stopped as hung
# (Documentation/performance.rst).
tests/vm/vm.sh --timeout $((SECS + 3 * LSECS + 1200)) --out "$OUT" \
	--insmod mvgpu.ko --modparams "hang_ms=10000 watchdog_ms=10000" \
	-- build/vm-tests/scale_test > "$OUT/scale.tap" 2>&1
r=$?
grep -E '^# ' "$OUT/scale.tap" | grep -vE '^# (RUN|OK|PASSED|FAILED|Totals)'
if [ $r -eq 0 ] && grep -q '^ok 1 ' "$OUT/scale.tap"; then
	echo "1 passed, 0 failed"
	exit 0
fi
echo "# vm.sh exit $r; see $OUT/scale.tap and $OUT/dmesg.txt"
echo "0 passed, 1 failed"
exit 1
