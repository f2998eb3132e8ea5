# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# TAP for the test scripts that source this: tap 0|1 "name" prints
# one test's line, check "name" command... one test that passes when the
# command succeeds, finish prints the plan and exits non-zero if any
# test failed.

n=0
failed=0

tap() { # 0|1 name
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; failed=1; fi
}

check() { # name command...
	local name=$1
	shift
	"$@"
	tap $? "$name"
}

finish() {
	echo "1..$n"
	exit $failed
}
