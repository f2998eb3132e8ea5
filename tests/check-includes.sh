#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The include rule of the module's layers ("Layers" in
# Documentation/architecture.rst), checked on the #include lines of
# gvt/, mdev/, sgpu/ and include/mvgpu/ and on the include paths in
# Kbuild:
#
#   - "x.h" names a header beside the including file: no path, no "../";
#     another layer is reached only through a public header <mvgpu/x.h>
#     (include/mvgpu/, or the device's interface in include/uapi/mvgpu/);
#   - gvt/ includes no <mvgpu/sgpu.h> (nothing of sgpu/ but the backend
#     contract), and nothing of mdev/;
#   - sgpu/ includes of include/mvgpu/ only backend.h and its own sgpu.h;
#   - mdev/ includes of gvt/ and sgpu/ only their public headers;
#   - include/mvgpu/ includes only public headers;
#   - no <x.h> without a directory and no <gvt/...>, <mdev/...>,
#     <sgpu/...> or <../...>, and Kbuild adds no include path into gvt/,
#     mdev/ or sgpu/ but the native path's below.
#
# Usage: tests/check-includes.sh [TOP]   (default: this tree)
# Prints each violation with the rule it breaks; exits 1 if there is any.
set -uo pipefail

TOP=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$TOP" || exit 2

# The native path (gvt/native*.c, mdev/debugfs*.c) is leaving gvt/ and
# mdev/ (issue 16).  Until it has, these mdev files include its header in
# gvt/, and Kbuild gives the objects including mdev/debugfs.h that path.
NATIVE_INCLUDES="mdev/debugfs.h:native.h mdev/parent.c:native.h"
NATIVE_OBJS="mdev/debugfs.o mdev/debugfs_cmd.o mdev/main.o mdev/parent.o"

bad=0
files=0
includes=0

violation() { # file:line text why
	echo "check-includes: $1: $2: $3"
	bad=$((bad + 1))
}

native_include() { # file header
	local e
	for e in $NATIVE_INCLUDES; do
		[ "$e" = "$1:$2" ] && return 0
	done
	return 1
}

# A quoted include: a header beside the including file.
check_quoted() { # file:line file dir header text
	local where=$1 file=$2 dir=$3 h=$4 text=$5

	if [ "$dir" = include/mvgpu ]; then
		violation "$where" "$text" "a public header includes only public headers, as <mvgpu/...>"
	elif [[ $h == */* ]]; then
		violation "$where" "$text" "\"x.h\" names a header beside the file, without a path; reach another layer through <mvgpu/...>"
	elif [ -f "$dir/$h" ]; then
		return
	elif native_include "$file" "$h" && [ -f "gvt/$h" ]; then
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
		gvt | mdev | sgpu | . | ..)
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
	sgpu:backend.h | sgpu:sgpu.h) ;;
	sgpu:*)
		violation "$where" "$text" "sgpu/ includes of include/mvgpu/ only the backend contract and its own sgpu.h"
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
			check_quoted "$file:$n" "$file" "$dir" "$h" "$text"
		elif [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\<([^\>]+)\> ]]; then
			h=${BASH_REMATCH[1]}
			check_angle "$file:$n" "$dir" "$h" "$text"
		else
			violation "$file:$n" "$text" "an include the check cannot read"
		fi
	done < <(grep -nE '^[[:space:]]*#[[:space:]]*include' "$file")
}

check_kbuild() {
	local n text o ok

	while IFS=: read -r n text; do
		ok=
		for o in $NATIVE_OBJS; do
			[ "${text//[[:space:]]/}" = "CFLAGS_${o}+=-I\$(src)/gvt" ] && ok=1
		done
		[ -n "$ok" ] ||
			violation "Kbuild:$n" "$text" "an include path into gvt/, mdev/ or sgpu/ lets \"x.h\" reach another layer"
	done < <(grep -nE '(-I|-iquote|-idirafter|-isystem)[[:space:]]*[^[:space:]]*(gvt|mdev|sgpu)' Kbuild)
}

for f in gvt/*.[ch] mdev/*.[ch] sgpu/*.[ch] include/mvgpu/*.h; do
	[ -f "$f" ] && check_file "$f"
done
check_kbuild

if [ "$bad" -ne 0 ]; then
	echo "check-includes: $bad violations of the include rule (Documentation/architecture.rst)"
	exit 1
fi
echo "check-includes: $files files, $includes includes: the include rule holds"
