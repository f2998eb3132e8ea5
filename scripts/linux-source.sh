#!/bin/bash
# Extract kselftest_harness.h and kselftest.h from the linux-source-6.12
# tarball into build/kselftest/, once.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/kselftest
[ -f "$out/kselftest_harness.h" ] && exit 0
tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n1)
[ -n "$tarball" ] || { echo "linux-source-6.12 is not installed" >&2; exit 1; }
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -C "$tmp" -xf "$tarball" --wildcards '*/tools/testing/selftests/kselftest.h' \
	'*/tools/testing/selftests/kselftest_harness.h'
cp "$tmp"/*/tools/testing/selftests/kselftest.h "$tmp"/*/tools/testing/selftests/kselftest_harness.h "$out/"
