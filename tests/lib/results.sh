# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Counting results, for the test runners that source this (tests/run.sh,
# tests/debug-check.sh): "PASS name" and "FAIL name" lines, TAP streams
# counted, and the closing "N passed, N failed, N skipped" line.
# RESULTS_FILE, when set, also gets every PASS and FAIL line.

PASSED=0
FAILED=0
SKIPPED=0
START=$SECONDS

result() { # 0|1 name
	local line
	if [ "$1" -eq 0 ]; then
		PASSED=$((PASSED + 1))
		line="PASS $2"
	else
		FAILED=$((FAILED + 1))
		line="FAIL $2"
	fi
	echo "$line"
	[ -z "${RESULTS_FILE:-}" ] || echo "$line" >>"$RESULTS_FILE"
}

# Exits: zero when nothing failed.
finish() {
	echo "# total time $((SECONDS - START)) s"
	echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
	[ "$FAILED" -eq 0 ]
	exit
}

# Count a TAP stream: "ok", "not ok", "# SKIP".
count_tap() { # file suite
	local p f s
	p=$(grep -cE '^ok [0-9]+' "$1")
	s=$(grep -cE '^ok [0-9]+ .*# SKIP' "$1")
	f=$(grep -cE '^not ok [0-9]+' "$1")
	grep -E '^not ok [0-9]+' "$1" | sed "s|^|FAIL $2: |"
	PASSED=$((PASSED + p - s))
	SKIPPED=$((SKIPPED + s))
	FAILED=$((FAILED + f))
	echo "# $2: $((p - s)) passed, $f failed, $s skipped"
}
