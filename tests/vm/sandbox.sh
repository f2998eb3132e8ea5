#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run a command as root of a writable root with udev running, the way an
# administrator's host is: in the L1 VM, where / is the build machine's
# root shared read-only, an overlay of it with a tmpfs upper layer (gone
# at the end) is mounted and the command runs chrooted in it, so that
# mdevctl, libvirt and dpkg can write /etc, /var and /usr.
#
#   tests/vm/sandbox.sh -- <command...>
#
# Inside: fresh /run, /tmp and /var/tmp; /proc, /sys, /dev and the
# results dir ($MVGPU_OUT) bound from outside; systemd-udevd running
# (SYSTEMD_IGNORE_CHROOT=1, or udev ignores the chroot's requests), the
# PCI, mdev and VFIO devices triggered once, so that udev rules (mdevctl's)
# run on uevents and libvirt finds the devices in udev's database.
# The command's exit code is the script's; it sees MVGPU_SANDBOX=1.
set -uo pipefail

[ "${MVGPU_IN_VM:-0}" = 1 ] || { echo "sandbox.sh: only in the L1 VM (tests/vm/vm.sh)" >&2; exit 125; }
[ "${1:-}" = -- ] || { echo "usage: $0 -- <command...>" >&2; exit 125; }
shift

SB=$(mktemp -d /tmp/sandbox.XXXXXX)
ROOT=$SB/root

mount_root() {
	modprobe overlay || return 1
	mkdir -p "$SB/upper" "$SB/work" "$ROOT" || return 1
	mount -t overlay overlay \
		-o "lowerdir=/,upperdir=$SB/upper,workdir=$SB/work" "$ROOT" || return 1
	mount --rbind /proc "$ROOT/proc" && mount --rbind /sys "$ROOT/sys" &&
		mount --rbind /dev "$ROOT/dev" || return 1
	# What systemd makes in /dev at boot and the VM's devtmpfs lacks
	# (libvirt hands mdevctl --jsonfile /dev/stdin).
	[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
	[ -e /dev/stdin ] || ln -s /proc/self/fd/0 /dev/stdin
	[ -e /dev/stdout ] || ln -s /proc/self/fd/1 /dev/stdout
	[ -e /dev/stderr ] || ln -s /proc/self/fd/2 /dev/stderr
	mount -t tmpfs -o mode=0755 tmpfs "$ROOT/run" &&
		mount -t tmpfs -o mode=1777 tmpfs "$ROOT/tmp" &&
		mount -t tmpfs -o mode=1777 tmpfs "$ROOT/var/tmp" || return 1
	if [ -n "${MVGPU_OUT:-}" ]; then
		mkdir -p "$ROOT$MVGPU_OUT" && mount --bind "$MVGPU_OUT" "$ROOT$MVGPU_OUT" ||
			return 1
	fi
}

# Stop what the command left running in the sandbox, then unmount it.
# The directory is removed only once nothing is mounted below it.
cleanup() {
	local pid root sig
	for sig in TERM KILL; do
		for pid in /proc/[0-9]*; do
			root=$(readlink "$pid/root" 2>/dev/null) || continue
			[ "$root" = "$ROOT" ] && kill "-$sig" "${pid#/proc/}" 2>/dev/null
		done
		sleep 1
	done
	umount -R "$ROOT" 2>/dev/null || umount -lR "$ROOT"
	if mountpoint -q "$ROOT"; then
		echo "sandbox.sh: $ROOT still mounted, left in place" >&2
		return
	fi
	rm -rf --one-file-system "$SB"
}

if ! mount_root; then
	echo "sandbox.sh: cannot mount the writable root" >&2
	cleanup
	exit 125
fi
trap cleanup EXIT

# The command, quoted for the shell in the chroot.
cmd=$(printf '%q ' "$@")
chroot "$ROOT" /usr/bin/env SYSTEMD_IGNORE_CHROOT=1 MVGPU_SANDBOX=1 /bin/bash -c "
	/lib/systemd/systemd-udevd --daemon || exit 125
	udevadm trigger --action=add --subsystem-match=pci --subsystem-match=mdev_bus \
		--subsystem-match=mdev --subsystem-match=vfio --subsystem-match=mvgpu &&
		udevadm settle --timeout=120
	cd $(printf '%q' "$PWD") && $cmd"
