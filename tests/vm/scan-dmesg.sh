#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/vm/scan-dmesg.sh <dmesg.txt> <tainted-value> [kmemleak.txt]
#
# Fail (exit 1), printing the offending lines with context, when the kernel
# log shows a splat (oops, WARN, BUG, lockup, and on the debug kernel KASAN,
# lockdep, debug-objects reports), when the taint mask has any bit other
# than O (out-of-tree module, 4096) and E (unsigned module, 8192), or when
# kmemleak.txt (the debug kernel's leaks since before insmod, see init.sh)
# lists any leak.
#
# MVGPU_DMESG_ALLOW: an extended regex; matching lines are never reported
# (for a test that provokes an expected message).
set -euo pipefail

# One extended regex per line; extend here.
PATTERNS=(
	'Oops'
	'BUG:'
	'WARNING:'
	'kernel BUG'
	'general protection fault'
	'soft lockup'
	'hard LOCKUP'
	'hung_task'
	'rcu.*stall'
	'blocked for more than'
	'Call Trace:'
	'KASAN'
	'UBSAN'
	'kmemleak'
	'possible circular locking'
	'possible recursive locking'
	'inconsistent lock state'
	'suspicious RCU usage'
	'sleeping function called from invalid context'
	'INFO: trying to register non-static key'
	'Disabling lock debugging'
	'lockdep'
	'ODEBUG:'
	'refcount_t:'
	'list_add corruption'
	'list_del corruption'
	'double free'
)

# Lines the debug kernel prints when all is well (kmemleak's findings are
# judged from kmemleak.txt).
BENIGN='kmemleak: (Kernel memory leak detector initialized|[0-9]+ new suspected memory leaks)|RCU lockdep checking is enabled'

# Taint bits that are expected when loading our module.
ALLOWED_TAINT=$(((1 << 12) | (1 << 13))) # O, E
TAINT_LETTERS=PFSRMBUDAWCIOELKXTN         # bit 0 .. 18 (kernel/panic.c)

context=${MVGPU_DMESG_CONTEXT:-5}

die_usage() {
	echo "usage: $0 <dmesg.txt> <tainted-value> [kmemleak.txt]" >&2
	exit 2
}

# Line numbers of the lines that match a pattern and not the allow-list.
bad_lines() {
	local re
	re=$(IFS='|'; echo "${PATTERNS[*]}")
	grep -nE -- "$re" "$1" | { grep -vE -- "^[0-9]+:.*($BENIGN)" || true; } |
		{ if [ -n "${MVGPU_DMESG_ALLOW:-}" ]; then
		grep -vE -- "^[0-9]+:.*(${MVGPU_DMESG_ALLOW})" || true
	else cat; fi; } | cut -d: -f1
}

scan_log() {
	local file=$1 lines
	lines=$(bad_lines "$file")
	[ -z "$lines" ] && return 0
	echo "scan-dmesg: $(wc -l <<<"$lines") suspicious kernel log line(s) in $file:"
	show_context "$file" "$context" "$lines"
	return 1
}

# Print the hit lines (marked '>') with context, overlapping ranges merged.
show_context() { # file context "line numbers"
	awk -v ctx="$2" -v hits="$3" '
		BEGIN { last = -1; n = split(hits, h, /[ \n]+/); for (i = 1; i <= n; i++) hit[h[i]] = 1
			for (i = 1; i <= n; i++) for (j = h[i] - ctx; j <= h[i] + ctx; j++) show[j] = 1 }
		show[NR] { if (NR != last + 1) print "----"; print (hit[NR] ? "> " : "| ") $0; last = NR }
		END { print "----" }' "$1"
}

taint_letters() {
	local mask=$1 i out=
	for ((i = 0; i < ${#TAINT_LETTERS}; i++)); do
		((mask & (1 << i))) && out+=${TAINT_LETTERS:i:1}
	done
	((mask >> ${#TAINT_LETTERS})) && out+="+bits>=${#TAINT_LETTERS}"
	echo "$out"
}

scan_taint() {
	local mask=$1 bad
	[[ $mask =~ ^[0-9]+$ ]] || { echo "scan-dmesg: bad taint value '$mask'"; return 1; }
	bad=$((mask & ~ALLOWED_TAINT))
	[ "$bad" -eq 0 ] && return 0
	echo "scan-dmesg: kernel tainted $mask ($(taint_letters "$mask")):" \
		"unexpected flags $(taint_letters "$bad")"
	return 1
}

# Every object kmemleak reports.  Those with a backtrace frame in mvgpu or
# mvgpu_native, or in a module since unloaded (an address in the module
# area that no longer resolves to a symbol), are marked as such.
scan_kmemleak() {
	local file=$1 n
	n=$(grep -c '^unreferenced object' "$file") || true
	[ "$n" -eq 0 ] && return 0
	echo "scan-dmesg: kmemleak: $n unreferenced object(s) in $file:"
	awk -v mod='^ +0xffffffff[c-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]$' '
		function show() {
			print "---- " (ours ? "allocated in mvgpu (or an unloaded module)" : "no mvgpu frame")
			printf "%s", rec
		}
		/^unreferenced object/ { if (rec != "") show(); rec = ""; ours = 0 }
		/\[mvgpu(_native)?\]$/ || $0 ~ mod { ours = 1 }
		{ rec = rec "| " $0 "\n" }
		END { if (rec != "") show(); print "----" }' "$file"
	return 1
}

main() {
	[ $# -eq 2 ] || [ $# -eq 3 ] || die_usage
	[ -r "$1" ] || { echo "scan-dmesg: cannot read $1"; exit 1; }
	local rc=0
	scan_log "$1" || rc=1
	scan_taint "$2" || rc=1
	if [ $# -eq 3 ]; then
		[ -r "$3" ] || { echo "scan-dmesg: cannot read $3"; exit 1; }
		scan_kmemleak "$3" || rc=1
	fi
	return $rc
}

main "$@"; exit # one line: safe if the file is edited while running
