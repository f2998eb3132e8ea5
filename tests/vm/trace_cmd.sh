#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The mvgpu tracepoints as an administrator records them:
# `trace-cmd record -e 'mvgpu:*'` around a workload (workload_test's
# refused-opcode case: a store, a fill and one workload the scanner
# refuses), then `trace-cmd report`, which parses the events' formats
# in userspace.  Checks that every submit has its complete, that the one
# reject is there with its error code by name, and that scheduling and
# interrupt events came with it.  Then `perf stat` counts the submits
# and completes of the same workload.  Skipped without trace-cmd; the
# perf check without perf.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${MVGPU_OUT:-/tmp}
DAT=$OUT/trace-cmd.dat
TXT=$OUT/trace-cmd.txt
TEST=unknown_opcode_is_rejected_before_any_engine
pass=0 fail=0 n=0

ok() { # condition-result description
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
		pass=$((pass + 1))
	else
		echo "not ok $n $2"
		fail=$((fail + 1))
	fi
}

events() { # name [grep pattern]
	grep -E " $1: .*${2:-}" "$TXT" | wc -l
}

echo "TAP version 13"
if ! command -v trace-cmd >/dev/null; then
	echo "1..0 # SKIP trace-cmd not installed (apt-get install trace-cmd)"
	exit 0
fi
[ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing
echo "1..8"

trace-cmd record -q -e 'mvgpu:*' -o "$DAT" \
	"$TOP/build/vm-tests/workload_test" -t "$TEST" >"$OUT/trace-cmd.log" 2>&1
ok $? "trace-cmd record -e 'mvgpu:*' around workload_test -t $TEST"
trace-cmd report -i "$DAT" >"$TXT" 2>>"$OUT/trace-cmd.log"
ok $? "trace-cmd report parses the recording"

sub=$(events mvgpu_submit) done=$(events mvgpu_complete)
echo "# submit $sub complete $done reject $(events mvgpu_reject)" \
     "sched_in $(events mvgpu_sched_in) sched_out $(events mvgpu_sched_out)" \
     "irq $(events mvgpu_irq) trap $(events mvgpu_trap)" \
     "ggtt_update $(events mvgpu_ggtt_update) reset $(events mvgpu_reset)"
[ "$sub" -ge 3 ] && [ "$sub" = "$done" ]
ok $? "as many completes as submits, at least 3 ($sub, $done)"
[ "$(events mvgpu_reject 'INVALID_CMD at ring')" = 1 ]
ok $? "one reject, its error code by name"
[ "$(events mvgpu_complete 'error err=INVALID_CMD')" = 1 ]
ok $? "one complete with the error"
[ "$(events mvgpu_sched_in)" -ge $((sub - 1)) ] &&
	[ "$(events mvgpu_sched_in)" = "$(events mvgpu_sched_out)" ]
ok $? "schedule in and out in pairs, one at least per workload run"
[ "$(events mvgpu_irq ' assert')" -ge 1 ] && [ "$(events mvgpu_trap)" -ge 1 ] &&
	[ "$(events mvgpu_ggtt_update)" -ge 1 ] && [ "$(events mvgpu_reset 'by device')" -ge 1 ]
ok $? "interrupt, trap, GGTT update and device reset events recorded"

if ! perf --version >/dev/null 2>&1; then
	echo "ok 8 # SKIP perf not installed (apt-get install linux-perf)"
else
	perf stat -a -x, -e mvgpu:mvgpu_submit -e mvgpu:mvgpu_complete -e mvgpu:mvgpu_reject \
		-o "$OUT/perf-stat.csv" -- "$TOP/build/vm-tests/workload_test" -t "$TEST" \
		>>"$OUT/trace-cmd.log" 2>&1
	r=$?
	count() { awk -F, -v e="mvgpu:$1" '$3 == e { print $1 }' "$OUT/perf-stat.csv"; }
	psub=$(count mvgpu_submit) pdone=$(count mvgpu_complete) prej=$(count mvgpu_reject)
	echo "# perf stat: submit $psub complete $pdone reject $prej"
	[ "$r" = 0 ] && [ "${psub:-0}" -ge 3 ] && [ "$psub" = "$pdone" ] && [ "$prej" = 1 ]
	ok $? "perf stat -e mvgpu:...: as many completes as submits, one reject"
fi

echo "# $pass passed, $fail failed"
[ "$fail" = 0 ]
