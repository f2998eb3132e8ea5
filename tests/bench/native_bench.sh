#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Benchmark of the native path (no virtualization), in the test VM with
# mvgpu and mvgpu_native loaded: an N MiB XY_FAST_COPY_BLT on the software GPU's BCS
# against memcpy() of the same pages in the same run, a 4 MiB XY_COLOR_BLT
# (BCS) and MVGPU_BLEND SET_ALPHA (RCS), each checked, and the cost of one
# empty submission (submit to completion event).  Prints TAP with the
# figures as comments; a step fails only if it cannot run or the copy is
# wrong, never on speed.
#
#   tests/vm/vm.sh --insmod mvgpu.ko --insmod mvgpu_native.ko \
#       -- tests/bench/native_bench.sh
set -uo pipefail

NATIVE=/sys/kernel/debug/mvgpu/mvgpu0/native
n=0

step() { # description command...
	local desc=$1 out
	shift
	n=$((n + 1))
	if out=$(bench "$@") && ! grep -q 'verified=0' <<<"$out"; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc"
	fi
	sed 's/^/# /' <<<"$out"
}

bench() {
	exec 3<>"$NATIVE" || return 1
	echo "bench $*" >&3 || { cat <&3; exec 3>&-; return 1; }
	cat <&3
	exec 3>&-
}

echo "1..6"
step "copy 1 MiB" copy 1 20
step "copy 4 MiB" copy 4 10
step "copy 16 MiB" copy 16 5
step "fill 4 MiB" fill 4 10
step "blend 4 MiB" blend 4 5
step "empty submission" empty 1000
