#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The L2 guest's job of tests/e2e/guest_host_reset.sh: load mvgpu_drm
# with its own hang detection off (only the host's reset may end the
# wait), run drm_smoke's host reset test, which prints "MVGPU_HOST_RESET
# ready" when its work is in flight and waits for the host; then a
# second submission test, still in this boot.  Exits non-zero if
# anything failed.
rc=0
fail() { echo "MVGPU_HOST_RESET FAIL $*"; rc=1; }
sh ./modules/load.sh hang_timeout_ms=0 || { fail "modules did not load"; exit 1; }
MVGPU_HOST_RESET=1 ./drm_smoke -t host_reset_fails_work_in_flight_and_the_next_runs ||
	fail "host reset test"
./drm_smoke -t fill_on_bcs_then_store_on_rcs_in_a_ppgtt_context || fail "work after the reset"
dmesg | grep -E 'mvgpu' | tail -n 10 | sed 's/^/# guest: /'
echo "MVGPU_HOST_RESET done rc=$rc"
exit $rc
