#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The soak: MVGPU_SOAK_VGPUS vGPUs (default 64, on 8 pGPUs) busy for
# MVGPU_SOAK_SECONDS (default 600) in the test VM, every result checked
# (tests/vm/soak_test.c).  Not part of tests/run.sh; run with `make soak`.
# Installs what it needs, builds, and ends with "N passed, N failed".
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP" || exit 1
VGPUS=${MVGPU_SOAK_VGPUS:-64}
SECS=${MVGPU_SOAK_SECONDS:-600}
PGPUS=$(((VGPUS + 7) / 8))
OUT=$TOP/build/vm-out/soak
export MVGPU_SOAK_VGPUS=$VGPUS MVGPU_SOAK_SECONDS=$SECS

scripts/deps.sh || exit 1
KVER=$(scripts/kernel.sh --version) || exit 1
scripts/kernel.sh >/dev/null || exit 1
{ make module KVER="$KVER" && make tools && make -C tests/vm; } \
	> "$TOP/build/soak-build.log" 2>&1 || {
	tail -n 20 "$TOP/build/soak-build.log"
	echo "0 passed, 1 failed"
	exit 1
}
rm -rf "$OUT"
mkdir -p "$OUT"
echo "# soak: $VGPUS vGPUs on $PGPUS pGPUs for $SECS s (log: $OUT)"
tests/vm/vm.sh --timeout $((SECS + 900)) --out "$OUT" --insmod mvgpu.ko \
	--modparams "num_pgpus=$PGPUS" -- build/vm-tests/soak_test \
	> "$OUT/soak.tap" 2>&1
r=$?
grep -E '^# .*(workloads|vGPU [0-9]+:|Expected)' "$OUT/soak.tap"
if [ $r -eq 0 ] && grep -q '^ok 1 ' "$OUT/soak.tap"; then
	echo "1 passed, 0 failed"
	exit 0
fi
echo "# vm.sh exit $r; see $OUT/soak.tap and $OUT/dmesg.txt"
echo "0 passed, 1 failed"
exit 1
