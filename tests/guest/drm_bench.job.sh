#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# An L2 guest's job: load mvgpu_drm and run drm_bench, its arguments from
# the kernel command line's mvgpu_bench=ARG,ARG,... (l2.sh --append), e.g.
# mvgpu_bench=-m,1,-r,1,-e,10 for one checked round.  Used by
# tests/bench/guest_bench.sh, tests/e2e/guest_pair.sh and scripts/demo.sh.
args=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^mvgpu_bench=//p' | tr , ' ')
if ! sh ./modules/load.sh; then
	echo "MVGPU_BENCH FAIL modules did not load"
	dmesg | grep -E 'mvgpu|drm' | tail -n 20 | sed 's/^/# guest: /'
	exit 1
fi
# shellcheck disable=SC2086 # one word per argument
./drm_bench $args
