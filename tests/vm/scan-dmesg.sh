#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/vm/scan-dmesg.sh <dmesg.txt> <tainted-value>
#
# Fail (exit 1), printing the offending lines with context, when the kernel
# log shows a splat, or when the taint mask has any bit other than
# O (out-of-tree module, 4096) and E (unsigned module, 8192).
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
	'lockdep'
	'refcount_t:'
	'list_add corruption'
	'list_del corruption'
	'double free'
)

# Taint bits that are expected when loading our module.
ALLOWED_TAINT=$(((1 << 12) | (1 << 13))) # O, E
TAINT_LETTERS=PFSRMBUDAWCIOELKXTN         # bit 0 .. 18 (kernel/panic.c)

context=${MVGPU_DMESG_CONTEXT:-5}

die_usage() {
	echo "usage: $0 <dmesg.txt> <tainted-value>" >&2
	exit 2
}

# Line numbers of the lines that match a pattern and not the allow-list.
bad_lines() {
	local re
	re=$(IFS='|'; echo "${PATTERNS[*]}")
	grep -nE -- "$re" "$1" | { if [ -n "${MVGPU_DMESG_ALLOW:-}" ]; then
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

main() {
	[ $# -eq 2 ] || die_usage
	[ -r "$1" ] || { echo "scan-dmesg: cannot read $1"; exit 1; }
	local rc=0
	scan_log "$1" || rc=1
	scan_taint "$2" || rc=1
	return $rc
}

main "$@"; exit # one line: safe if the file is edited while running
