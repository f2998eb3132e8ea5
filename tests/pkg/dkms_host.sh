#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# dkms add, build and install of mvgpu against Debian's 6.12 headers on
# the build machine, in a DKMS tree, source tree and install tree of its
# own under /tmp (the system's /var/lib/dkms is not used): checks dkms.conf.  Prints
# "PASS ..."/"FAIL ..." lines; exit code 0 when all passed.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KVER=$("$TOP/scripts/kernel.sh" --version) || exit 1
VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
T=$(mktemp -d /tmp/mvgpu-dkms.XXXXXX)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/tree" "$T/src/mvgpu-$VER" "$T/install/$KVER"
(cd "$TOP" && git ls-files -co --exclude-standard -z |
	xargs -0 cp -P --parents -t "$T/src/mvgpu-$VER")
DKMS=(dkms --dkmstree "$T/tree" --sourcetree "$T/src" --installtree "$T/install")
failed=0

step() { # name command...
	local name=$1 t0=$SECONDS
	shift
	if "$@" >"$T/log" 2>&1; then
		echo "PASS $name ($((SECONDS - t0)) s)"
	else
		echo "FAIL $name"
		tail -n 20 "$T/log"
		failed=1
	fi
}

step "dkms add mvgpu/$VER" "${DKMS[@]}" add "mvgpu/$VER"
step "dkms build mvgpu/$VER -k $KVER" "${DKMS[@]}" build "mvgpu/$VER" -k "$KVER"
step "dkms install mvgpu/$VER -k $KVER" "${DKMS[@]}" install "mvgpu/$VER" -k "$KVER"
for m in mvgpu mvgpu_drm; do
	f=$(ls "$T/install/$KVER/updates/dkms/$m.ko"* 2>/dev/null)
	step "$m installed for $KVER with its vermagic" \
		sh -c "modinfo -F vermagic '$f' | grep -q '^$KVER '"
done
step "dkms status says installed" \
	sh -c "${DKMS[*]} status mvgpu | grep -q ', $KVER, x86_64: installed'"
step "dkms remove" "${DKMS[@]}" remove "mvgpu/$VER" --all
exit $failed
