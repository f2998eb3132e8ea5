#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The include rule of the modules' layers ("Layers" in
# Documentation/architecture.rst), checked on the #include lines of
# gvt/, mdev/, sgpu/, native/ and include/mvgpu/ and on the include paths
# in Kbuild:
#
#   - "x.h" names a header beside the including file: no path, no "../";
#     another layer is reached only through a public header <mvgpu/x.h>
#     (include/mvgpu/, or the device's interface in include/uapi/mvgpu/);
#   - gvt/ includes no <mvgpu/sgpu.h> (nothing of sgpu/ but the backend
#     contract), and nothing of mdev/;
#   - sgpu/ includes of include/mvgpu/ only backend.h, its own sgpu.h
#     and params.h (the module parameters);
#   - mdev/ and native/ (mvgpu_native.ko) include of gvt/ and sgpu/ only
#     their public headers;
#   - include/mvgpu/ includes only public headers;
#   - no <x.h> without a directory and no <gvt/...>, <mdev/...>,
#     <sgpu/...>, <native/...> or <../...>, and Kbuild adds no include
#     path into those directories.
#
# Usage: tests/check-includes.sh [TOP]   (default: this tree)
# Prints each violation with the rule it breaks; exits 1 if there is any.
set -uo pipefail

TOP=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$TOP" || exit 2

LAYERS="gvt mdev sgpu native"

bad=0
files=0
includes=0

violation() { # file:line text why
	echo "check-includes: $1: $2: $3"
	bad=$((bad + 1))
}

# A quoted include: a header beside the including file.
check_quoted() { # file:line dir header text
	local where=$1 dir=$2 h=$3 text=$4

	if [ "$dir" = include/mvgpu ]; then
		violation "$where" "$text" "a public header includes only public headers, as <mvgpu/...>"
	elif [[ $h == */* ]]; then
		violation "$where" "$text" "\"x.h\" names a header beside the file, without a path; reach another layer through <mvgpu/...>"
	elif [ -f "$dir/$h" ]; then
		return
	else
		violation "$where" "$text" "no $dir/$h: \"x.h\" names a header beside the file"
	fi
}

# An angle include: the kernel's, or a public header of ours.
check_angle() { # file:line dir header text
	local where=$1 dir=$2 h=$3 text=$4 pub

	case $h in
	mvgpu/*) ;;
	*/*)
		case ${h%%/*} in
		gvt | mdev | sgpu | native | . | ..)
			violation "$where" "$text" "another layer is reached only through <mvgpu/...>"
			;;
		esac
		return
		;;
	*)
		violation "$where" "$text" "<x.h> without a directory reaches a project header through an include path"
		return
		;;
	esac
	pub=${h#mvgpu/}
	if [ -f "include/uapi/mvgpu/$pub" ]; then
		return
	fi
	if [ ! -f "include/mvgpu/$pub" ]; then
		violation "$where" "$text" "no include/mvgpu/$pub"
		return
	fi
	case $dir:$pub in
	gvt:sgpu.h)
		violation "$where" "$text" "gvt/ reaches sgpu/ only through the backend contract, <mvgpu/backend.h>"
		;;
	sgpu:backend.h | sgpu:sgpu.h | sgpu:params.h) ;;
	sgpu:*)
		violation "$where" "$text" "sgpu/ includes of include/mvgpu/ only the backend contract, its own sgpu.h and the module parameters, params.h"
		;;
	esac
}

check_file() { # file
	local file=$1 dir=${1%/*} n text h

	files=$((files + 1))
	while IFS=: read -r n text; do
		includes=$((includes + 1))
		if [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]]; then
			h=${BASH_REMATCH[1]}
			check_quoted "$file:$n" "$dir" "$h" "$text"
		elif [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\<([^\>]+)\> ]]; then
			h=${BASH_REMATCH[1]}
			check_angle "$file:$n" "$dir" "$h" "$text"
		else
			violation "$file:$n" "$text" "an include the check cannot read"
		fi
	done < <(grep -nE '^[[:space:]]*#[[:space:]]*include' "$file")
}

check_kbuild() {
	local n text

	while IFS=: read -r n text; do
		violation "Kbuild:$n" "$text" "an include path into a layer's directory lets \"x.h\" reach another layer"
	done < <(grep -nE "(-I|-iquote|-idirafter|-isystem)[[:space:]]*[^[:space:]]*(${LAYERS// /|})" Kbuild)
}

for d in $LAYERS include/mvgpu; do
	for f in "$d"/*.[ch]; do
		[ -f "$f" ] && check_file "$f"
	done
done
check_kbuild

if [ "$bad" -ne 0 ]; then
	echo "check-includes: $bad violations of the include rule (Documentation/architecture.rst)"
	exit 1
fi
echo "check-includes: $files files, $includes includes: the include rule holds"
