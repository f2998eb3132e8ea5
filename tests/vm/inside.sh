#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The in-VM test suite: runs in the L1 VM with mvgpu and mvgpu_native
# loaded (see tests/run.sh) and runs each test program, keeping its TAP
# output.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rc=0

OUT=${MVGPU_OUT:-/tmp}

# Run one TAP-speaking program; its output also goes to $OUT/<name>.tap,
# which tests/run.sh counts, and its exit code to $OUT/<name>.rc.  With
# MVGPU_DONE_DIR (tests/run.sh, after a VM that crashed outside mvgpu),
# a suite that finished in that earlier VM keeps its result from there.
suite() { # name command...
	local name=$1 r t0=$SECONDS done=${MVGPU_DONE_DIR:-}/$1
	shift
	if [ -n "${MVGPU_DONE_DIR:-}" ] && [ -f "$done.rc" ]; then
		cp "$done.tap" "$OUT/$name.tap"
		r=$(cat "$done.rc")
		echo "=== MVGPU_SUITE_DONE $name rc=$r (in the VM before)"
		[ "$r" -eq 0 ] || rc=1
		return
	fi
	echo "=== MVGPU_SUITE_BEGIN $name"
	"$@" 2>&1 | tee "$OUT/$name.tap"
	r=${PIPESTATUS[0]}
	echo "$r" >"$OUT/$name.rc"
	echo "=== MVGPU_SUITE_END $name rc=$r ($((SECONDS - t0)) s)"
	[ "$r" -eq 0 ] || rc=1
}

# How l2.sh reports an L2 guest lost to nested SVM under L1's TCG
# (testing.rst, "The test VM": reproduced with no mvgpu loaded): its QEMU
# exited with rc 0 and no word from the job (a triple fault), or the
# guest stood still until the job's time ran out.
L2_LOST="L2 ended without reporting the job's rc (qemu rc=0)\|L2 timed out after"

# An e2e suite whose only L2 guest was lost that way, with no panic, oops
# or BUG on the guest's console (which the suite prints), runs once more;
# the first run is kept as *.first.
# shellcheck disable=SC2317 # called through suite()
l2_once_more() { # name script
	local name=$1 r first
	first=$OUT/$name.first
	"$2" >"$first" 2>&1
	r=$?
	if [ "$r" -eq 0 ] || ! grep -q "$L2_LOST" "$first" ||
		grep -q 'Kernel panic\|Oops\|BUG:' "$first"; then
		cat "$first"
		return "$r"
	fi
	echo "# an L2 guest ended or stood still without a panic or oops; run again, the first run is in $name.first"
	grep '^not ok' "$first" | sed 's/^/# first run: /'
	"$2"
}

# guest_pair, run once more when an L2 guest was lost (L2_LOST, no panic
# or oops on its console), which two KVM guests at once under L1's TCG
# suffer now and then (testing.rst).  The
# first run's output and guest logs are kept as *.first; any other
# failure, or the same again, fails.
# shellcheck disable=SC2317 # called through suite()
guest_pair() {
	local r f silent=0
	"$TOP/tests/e2e/guest_pair.sh" >"$OUT/e2e-guest_pair.first" 2>&1
	r=$?
	[ "$r" -ne 0 ] || { cat "$OUT/e2e-guest_pair.first"; return 0; }
	for f in "$OUT"/e2e-guest_pair-[abc].log; do
		[ -e "$f" ] || continue
		grep -q 'Kernel panic\|Oops\|BUG:' "$f" && { silent=0; break; }
		grep -q "$L2_LOST" "$f" && silent=1
	done
	if [ "$silent" = 0 ]; then
		cat "$OUT/e2e-guest_pair.first"
		return "$r"
	fi
	for f in "$OUT"/e2e-guest_pair-[abc].log; do
		[ -e "$f" ] && mv "$f" "$f.first"
	done
	echo "# an L2 guest ended or stood still without a panic or oops; run again, the first run is in e2e-guest_pair.first"
	grep '^not ok' "$OUT/e2e-guest_pair.first" | sed 's/^/# first run: /'
	"$TOP/tests/e2e/guest_pair.sh"
}

suite vm-sysfs "$TOP/build/vm-tests/sysfs_test"
suite vm-vfio "$TOP/build/vm-tests/vfio_test"
suite vm-workload "$TOP/build/vm-tests/workload_test"
suite vm-ppgtt "$TOP/build/vm-tests/ppgtt_test"
suite vm-isolation "$TOP/build/vm-tests/isolation_test"
suite vm-hostile "$TOP/build/vm-tests/hostile_test"
suite vm-display "$TOP/build/vm-tests/display_test"
suite vm-mem "$TOP/build/vm-tests/mem_test"
suite vm-migration "$TOP/tests/vm/migration.sh"
suite vm-sched "$TOP/build/vm-tests/sched_test"
suite vm-fault "$TOP/build/vm-tests/fault_test"
suite vm-load "$TOP/build/vm-tests/load_test"
suite vm-sgpu "$TOP/build/vm-tests/sgpu_test"
suite vm-native-bench "$TOP/tests/bench/native_bench.sh"
suite vm-vgpu-bench "$TOP/build/vm-tests/vgpu_bench"
suite vm-trace "$TOP/build/vm-tests/trace_test"
suite vm-lifecycle "$TOP/tests/vm/lifecycle.sh"
suite vm-mdevctl "$TOP/tests/vm/mdevctl.sh"
suite vm-unload "$TOP/tests/vm/unload.sh"
[ "${MVGPU_SKIP_E2E:-0}" = 1 ] || suite e2e-qemu_attach "$TOP/tests/e2e/qemu_attach.sh"
[ "${MVGPU_SKIP_E2E:-0}" = 1 ] || suite e2e-ppgtt_edit "$TOP/tests/e2e/ppgtt_edit.sh"
[ "${MVGPU_SKIP_E2E:-0}" = 1 ] || suite e2e-qemu_kill "$TOP/tests/e2e/qemu_kill.sh"
[ "${MVGPU_SKIP_E2E:-0}" = 1 ] || suite e2e-guest_drm l2_once_more e2e-guest_drm "$TOP/tests/e2e/guest_drm.sh"
[ "${MVGPU_SKIP_E2E:-0}" = 1 ] || suite e2e-guest_host_reset l2_once_more e2e-guest_host_reset "$TOP/tests/e2e/guest_host_reset.sh"
[ "${MVGPU_SKIP_E2E:-0}" = 1 ] || suite e2e-guest_pair guest_pair
[ "${MVGPU_SKIP_E2E:-0}" = 1 ] || suite e2e-display_kms l2_once_more e2e-display_kms "$TOP/tests/e2e/display_kms.sh"
# The same with QEMU 10 (scripts/qemu10.sh, which tests/run.sh runs first).
[ "${MVGPU_SKIP_E2E:-0}" = 1 ] ||
	suite e2e-qemu_migrate "$TOP/tests/e2e/qemu_migrate.sh"
[ "${MVGPU_SKIP_E2E:-0}" = 1 ] ||
	suite e2e-guest_migrate "$TOP/tests/e2e/guest_migrate.sh"
[ "${MVGPU_SKIP_E2E:-0}" = 1 ] ||
	MVGPU_QEMU=$TOP/build/cache/qemu10/bin/qemu-system-x86_64 \
		suite e2e-display_kms_qemu10 "$TOP/tests/e2e/display_kms.sh"
exit $rc
