#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Extract the few files mvgpu takes from the linux-source-6.12 package,
# once: the kselftest harness (build/kselftest), checkpatch with its
# data files (build/checkpatch) and kernel-doc (build/kernel-doc).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$top/build/kselftest/kselftest_harness.h" ] &&
	[ -f "$top/build/checkpatch/checkpatch.pl" ] &&
	[ -f "$top/build/kernel-doc/kernel-doc" ] && exit 0
tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n1)
[ -n "$tarball" ] || { echo "linux-source-6.12 is not installed (scripts/deps.sh)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -C "$tmp" -xf "$tarball" --wildcards \
	'*/tools/testing/selftests/kselftest.h' \
	'*/tools/testing/selftests/kselftest_harness.h' \
	'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
	'*/scripts/const_structs.checkpatch' '*/scripts/kernel-doc'
mkdir -p "$top/build/kselftest" "$top/build/checkpatch" "$top/build/kernel-doc"
cp "$tmp"/*/tools/testing/selftests/kselftest*.h "$top/build/kselftest/"
cp "$tmp"/*/scripts/checkpatch.pl "$tmp"/*/scripts/spelling.txt \
	"$tmp"/*/scripts/const_structs.checkpatch "$top/build/checkpatch/"
cp "$tmp"/*/scripts/kernel-doc "$top/build/kernel-doc/"
