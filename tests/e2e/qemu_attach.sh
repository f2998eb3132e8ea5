#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Inside the L1 VM, with mvgpu loaded: create a vGPU, start a QEMU guest
# with -device vfio-pci,sysfsdev=... the way users attach it, and check
# the guest lists the device with our IDs and BAR sizes.  TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
TYPE_DIR=/sys/class/mdev_bus/mvgpu0/mdev_supported_types

attach() { # type accel
	local uuid out rc
	uuid=$(cat /proc/sys/kernel/random/uuid)
	echo "$uuid" > "$TYPE_DIR/$1/create" || { tap 1 "create $1"; return; }
	out=$("$TOP/tests/vm/l2.sh" "--$2" --timeout 400 \
		--qemu-arg -device \
		--qemu-arg "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid" \
		-- "$TOP/tests/e2e/guest_lspci.sh" 2>&1)
	rc=$?
	echo "$out" | grep -E "MVGPU_|vfio|qemu" | sed 's/^/# /'
	if [ $rc -eq 0 ]; then
		tap 0 "$2 guest with $1 boots and exits"
	else
		echo "$out" | tail -n 40 | sed 's/^/# L2: /'
		tap 1 "$2 guest with $1 boots and exits (rc $rc)"
	fi
	check "$2 guest sees exactly one vGPU" grep -Eq "^MVGPU_FOUND 1" <<<"$out"
	check "$2 guest sees vendor/device/class" \
		grep -Eq "vendor=0x1e4d device=0x0800 class=0x038000" <<<"$out"
	check "$2 guest sees subsystem of $1" grep -Eq "subsys=0x1e4d:0x010${1##*_}" <<<"$out"
	check "$2 guest sees BAR0 16 MiB and BAR2 1 GiB" \
		grep -Eq "bar0=16777216 bar2=1073741824" <<<"$out"
	check "$2 guest sees INTA" grep -Eq "irq_pin=01" <<<"$out"
	echo 1 > "/sys/bus/mdev/devices/$uuid/remove"
	# shellcheck disable=SC2320 # the status of the write to "remove"
	tap $? "remove after guest exit"
}

echo "TAP version 13"
if [ -c /dev/kvm ]; then
	attach mvgpu-V1_4 kvm
else
	tap 1 "KVM guest: no /dev/kvm in L1 (kvm_amd did not load)"
fi
attach mvgpu-V1_8 tcg
finish
