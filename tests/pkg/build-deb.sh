#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the Debian source package and its binary packages (mvgpu-dkms,
# mvgpu-tools) from the files git tracks, the way a packager does:
#
#   tests/pkg/build-deb.sh [OUTDIR]     (default build/deb)
#
# OUTDIR gets mvgpu_<v>.dsc, .tar.xz and the .debs.  Needs dpkg-dev,
# debhelper and dh-dkms (scripts/deps.sh).
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$(realpath -m "${1:-$TOP/build/deb}")
VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
CHVER=$(dpkg-parsechangelog -l "$TOP/debian/changelog" -SVersion)

[ "$VER" = "$CHVER" ] || { echo "build-deb: dkms.conf has $VER, debian/changelog $CHVER" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT/mvgpu-$VER"
(cd "$TOP" && git ls-files -co --exclude-standard -z |
	xargs -0 cp -P --parents -t "$OUT/mvgpu-$VER")
(cd "$OUT/mvgpu-$VER" && dpkg-buildpackage -us -uc) >"$OUT/build.log" 2>&1 ||
	{ tail -n 30 "$OUT/build.log" >&2; exit 1; }
rm -rf "${OUT:?}/mvgpu-$VER"
ls "$OUT"
