#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The Debian 6.12 kernel that mvgpu is built against and tested on.
#
#   scripts/kernel.sh                 ensure build/cache/kernel/<ver>/ holds the
#                                     extracted linux-image-<ver>-unsigned and the
#                                     L1 modules as plain .ko; print that dir
#   scripts/kernel.sh --version       print the kernel version only
#   scripts/kernel.sh --modules M...  print, in load order, the .ko paths of the
#                                     modules M and of their dependencies
#                                     (decompressing them as needed); names
#                                     that are built in are skipped
#
# The version is the one linux-headers-6.12-amd64 depends on (override with
# MVGPU_KVER). Only the version dir / paths go to stdout; messages go to stderr.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=$TOP/build/cache/kernel
META=linux-headers-6.12-amd64

# Modules L1 needs: VFIO + mdev, KVM on AMD (SVM of QEMU's -cpu max), 9p.
L1_MODULES=(vfio vfio_iommu_type1 mdev irqbypass kvm ccp kvm_amd
	netfs 9pnet 9pnet_virtio 9p)

log() { echo "kernel.sh: $*" >&2; }
die() { echo "kernel.sh: error: $*" >&2; exit 1; }

resolve_from_apt() {
	apt-cache depends "$META" 2>/dev/null |
		sed -n 's/^ *Depends: linux-headers-\(6\.12\.[^ ]*\)$/\1/p' | head -n1
}

# Remember the answer until the apt lists change (apt-cache takes ~1 s).
kernel_version() {
	local memo=$CACHE/version ver
	if [ -n "${MVGPU_KVER:-}" ]; then
		echo "$MVGPU_KVER"
		return
	fi
	if [ -s "$memo" ] && [ "$memo" -nt /var/lib/apt/lists ]; then
		cat "$memo"
		return
	fi
	ver=$(resolve_from_apt)
	if [ -z "$ver" ]; then
		log "apt lists lack $META: running apt-get update"
		apt-get update -qq >&2 || die "apt-get update failed (root needed?)"
		ver=$(resolve_from_apt)
	fi
	[ -n "$ver" ] || die "cannot resolve the kernel version from $META"
	mkdir -p "$CACHE"
	echo "$ver" >"$memo.$$" && mv -f "$memo.$$" "$memo"
	echo "$ver"
}

# The .deb is kept: kbuild's "make M=<repo> clean" deletes every *.ko and
# *.ko.* below the repo, build/cache included, and then the tree is
# re-extracted from it (a few seconds, no network).
download_image() {
	local deb=$1 tmp
	log "downloading linux-image-$VER-unsigned"
	tmp=$(mktemp -d "$CACHE/.dl.XXXXXX")
	if ! (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root \
		"linux-image-$VER-unsigned" >&2); then
		rm -rf "$tmp"
		die "apt-get download linux-image-$VER-unsigned failed"
	fi
	mv -f "$tmp"/linux-image-*.deb "$deb"
	rm -rf "$tmp"
}

# Every module of the index still there?
image_intact() {
	local dir=$1 n
	[ -f "$dir/.stamp" ] && [ -f "$dir/modules.index" ] && [ -f "$dir/boot/vmlinuz-$VER" ] ||
		return 1
	n=$(find "$dir/lib/modules/$VER/kernel" -name '*.ko.xz' | wc -l)
	[ "$n" -eq "$(wc -l <"$dir/modules.index")" ]
}

# Extract the image package into $CACHE/$VER (once, or again if damaged).
extract_image() {
	local dir=$CACHE/$VER deb=$CACHE/linux-image-$VER-unsigned.deb tmp
	image_intact "$dir" && return 0
	[ -f "$deb" ] || download_image "$deb"
	log "extracting $deb into $dir"
	tmp=$(mktemp -d "$CACHE/.x.XXXXXX")
	dpkg-deb -x "$deb" "$tmp" || { rm -rf "$tmp"; die "dpkg-deb -x $deb failed"; }
	[ -f "$tmp/boot/vmlinuz-$VER" ] || { rm -rf "$tmp"; die "package has no boot/vmlinuz-$VER"; }
	rm -rf "$dir"
	mv "$tmp" "$dir"
	make_index "$dir"
	date -u +%FT%TZ >"$dir/.stamp"
}

# "<name> <path relative to dir>" for every module, name with '-' as '_'.
make_index() {
	local dir=$1
	(cd "$dir" && find "lib/modules/$VER/kernel" -name '*.ko.xz' -printf '%f %p\n' |
		sed 's/\.ko\.xz / /' | awk '{ gsub("-", "_", $1); print }' |
		sort >modules.index)
}

# Path (absolute, plain .ko) of module $1, decompressing it if needed;
# empty if the module is built in; dies if unknown.
module_path() {
	local name=${1//-/_} rel ko
	rel=$(awk -v n="$name" '$1 == n { print $2; exit }' "$KDIR/modules.index")
	if [ -z "$rel" ]; then
		grep -q "/${name}.ko\$\|/${name//_/-}.ko\$" \
			"$KDIR/lib/modules/$VER/modules.builtin" && return 0
		die "no module '$1' in kernel $VER"
	fi
	ko=$KDIR/${rel%.xz}
	if [ ! -f "$ko" ]; then
		xz -dc "$KDIR/$rel" >"$ko.tmp.$$" && mv -f "$ko.tmp.$$" "$ko"
	fi
	echo "$ko"
}

# Depth-first: dependencies before the module itself, each once.
declare -A SEEN=()
ORDER=()
visit() {
	local name=${1//-/_} ko dep deps
	[ -n "${SEEN[$name]:-}" ] && return 0
	SEEN[$name]=1
	ko=$(module_path "$name")
	[ -n "$ko" ] || return 0
	deps=$(modinfo -F depends "$ko")
	for dep in ${deps//,/ }; do
		visit "$dep"
	done
	ORDER+=("$ko")
}

resolve_modules() {
	local m
	for m in "$@"; do
		visit "$m"
	done
	[ "${#ORDER[@]}" -eq 0 ] || printf '%s\n' "${ORDER[@]}"
}

l1_modules_present() {
	local ko
	[ -f "$KDIR/.l1-modules" ] || return 1
	while read -r ko; do
		[ -f "$ko" ] || return 1
	done <"$KDIR/.l1-modules"
}

main() {
	mkdir -p "$CACHE"
	VER=$(kernel_version)
	if [ "${1:-}" = --version ]; then
		echo "$VER"
		return
	fi
	KDIR=$CACHE/$VER
	exec 9>"$CACHE/.lock"
	flock 9
	extract_image
	if [ "${1:-}" = --modules ]; then
		shift
		resolve_modules "$@"
		return
	fi
	[ $# -eq 0 ] || die "usage: $0 [--version | --modules NAME...]"
	# Re-create the .ko files if something removed them (kbuild's
	# "make M=<repo> clean" deletes every *.ko below the repo).
	if ! l1_modules_present; then
		resolve_modules "${L1_MODULES[@]}" >"$KDIR/.l1-modules.tmp"
		mv -f "$KDIR/.l1-modules.tmp" "$KDIR/.l1-modules"
	fi
	echo "$KDIR"
}

main "$@"; exit # one line: safe if the file is edited while running
