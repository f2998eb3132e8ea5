#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# What modinfo says of the built modules (mvgpu.ko, mvgpu_native.ko and,
# when built, drm/mvgpu_drm.ko): a description and a license, and every
# module parameter the sources declare (module_param, module_param_named)
# listed with a description that names its default.
#
# Usage: tests/check-modinfo.sh [TOP]   (default: this tree, after make module drm)
# Prints each problem; exits 1 if there is any, 2 if no module is built.
set -uo pipefail

TOP=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$TOP" || exit 2
MODINFO=$(command -v modinfo || echo /sbin/modinfo)

bad=0 checked=0 params=0
problem() {
	echo "check-modinfo: $1"
	bad=$((bad + 1))
}

# The parameter names declared in the sources of directories @dirs.
declared() { # dirs...
	grep -hoE 'module_param(_named)?\([a-z_0-9]+' $(find "$@" -name '*.c') 2>/dev/null |
		sed -E 's/.*\(//' | sort -u
}

check() { # module.ko dirs...
	local ko=$1 p desc
	shift
	if [ ! -f "$ko" ]; then
		echo "check-modinfo: $ko not built, skipped"
		return
	fi
	checked=$((checked + 1))
	[ -n "$("$MODINFO" -F description "$ko")" ] || problem "$ko: no MODULE_DESCRIPTION"
	[ -n "$("$MODINFO" -F license "$ko")" ] || problem "$ko: no MODULE_LICENSE"
	for p in $(declared "$@"); do
		params=$((params + 1))
		desc=$("$MODINFO" -F parm "$ko" | sed -n "s/^$p://p")
		if [ -z "$desc" ]; then
			problem "$ko: parameter $p has no MODULE_PARM_DESC"
		elif ! grep -q default <<<"$desc"; then
			problem "$ko: parameter $p: its description does not name its default: $desc"
		fi
	done
}

check mvgpu.ko gvt mdev sgpu
check mvgpu_native.ko native
check drm/mvgpu_drm.ko drm
[ "$checked" -gt 0 ] || { echo "check-modinfo: no module built (make module drm)"; exit 2; }
if [ "$bad" -ne 0 ]; then
	echo "check-modinfo: $bad problems"
	exit 1
fi
echo "check-modinfo: $checked modules, $params parameters, each with its description"
