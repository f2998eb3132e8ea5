#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install (idempotently) the Debian 12 packages mvgpu needs to build and test;
# with --kernel-build also what building a kernel needs (scripts/debug-kernel.sh).
# Fast path: when every package is already installed, apt is not touched.
# Must run as root (or with sudo available) when something is missing.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { echo "deps: $*" >&2; }
die() { echo "deps: error: $*" >&2; exit 1; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo -E "$@"
	else
		die "need root to run: $*"
	fi
}

# A concurrent apt/dpkg holds the lock: apt waits for it (DPkg::Lock::Timeout).
apt_get() {
	as_root apt-get -o DPkg::Lock::Timeout=900 "$@"
}

# "apt-get update" may also meet a busy lists lock: retry a few times.
apt_update() {
	local i
	for i in 1 2 3 4 5 6; do
		log "apt-get update"
		apt_get update -qq && return 0
		log "apt-get update failed (attempt $i), retrying in 10 s"
		sleep 10
	done
	die "apt-get update kept failing"
}

# Print the packages among "$@" that are not installed (one dpkg-query call).
not_installed() {
	local installed
	installed=$(dpkg-query -W -f='${db:Status-Status} ${Package}\n' "$@" 2>/dev/null |
		sed -n 's/^installed //p' || true)
	local p
	for p in "$@"; do
		grep -qxF "$p" <<<"$installed" || echo "$p"
	done
}

main() {
	local ver missing
	# Exact version of the 6.12 kernel (runs apt-get update if lists are empty).
	ver=$("$TOP/scripts/kernel.sh" --version) || die "cannot resolve the kernel version"
	local pkgs=(
		build-essential make gcc "linux-headers-$ver" linux-source-6.12
		sparse qemu-system-x86 busybox-static xz-utils cpio kmod pciutils
		python3 python3-docutils clang libclang-rt-14-dev
		mdevctl libvirt-daemon-system libvirt-clients
		dkms dh-dkms debhelper dpkg-dev fakeroot trace-cmd linux-perf
	)
	case ${1:-} in
	"") ;;
	--kernel-build) pkgs+=(bc bison flex libelf-dev libssl-dev) ;;
	*) die "usage: $0 [--kernel-build]" ;;
	esac
	mapfile -t missing < <(not_installed "${pkgs[@]}")
	[ "${#missing[@]}" -eq 0 ] && return 0
	log "installing: ${missing[*]}"
	apt_update
	apt_get install -y -qq "${missing[@]}"
	log "done (kernel $ver)"
}

main "$@"; exit # one line: safe if the file is edited while running
