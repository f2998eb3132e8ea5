#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Module and vGPU lifecycle with a real user: QEMU holding a vGPU open
# while it is removed and while the module is unloaded; module parameters.
# Runs in the L1 VM with mvgpu and mvgpu_native loaded (modules.sh);
# leaves them loaded.  TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/vm/modules.sh"
TYPES=/sys/class/mdev_bus/mvgpu0/mdev_supported_types
. "$TOP/tests/lib/tap.sh"
QEMU_PID=

new_vgpu() { # type -> uuid
	local uuid
	uuid=$(cat /proc/sys/kernel/random/uuid)
	echo "$uuid" > "$TYPES/$1/create" && echo "$uuid"
}

# QEMU with the vGPU attached, paused before the guest runs: it holds the
# device open like a running VM does.
qemu_hold() { # uuid
	qemu-system-x86_64 -S -accel tcg -nodefaults -display none -m 64 \
		-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$1" &
	QEMU_PID=$!
	for _ in $(seq 100); do
		ls -l "/proc/$QEMU_PID/fd" 2>/dev/null | grep -q vfio-device &&
			return 0
		sleep 0.1
	done
	return 1
}

qemu_kill() {
	kill -9 "$QEMU_PID" 2>/dev/null
	wait "$QEMU_PID" 2>/dev/null
	QEMU_PID=
}

reload() { # params...
	native_unload
	rmmod mvgpu 2>/dev/null
	insmod "$KO" "$@" && native_load
}

test_unload_with_idle_vgpus() {
	new_vgpu mvgpu-V1_8 >/dev/null && new_vgpu mvgpu-V1_2 >/dev/null
	native_unload
	rmmod mvgpu
	tap $? "rmmod with idle vGPUs succeeds"
	[ -z "$(ls /sys/bus/mdev/devices)" ] && [ ! -e /sys/class/mvgpu ]
	tap $? "rmmod removed every vGPU and pGPU"
	insmod "$KO"
	tap $? "module loads again"
	[ "$(cat $TYPES/mvgpu-V1_8/available_instances)" = 8 ]
	tap $? "reloaded module has all capacity"
	native_load
}

test_unload_refused_while_open() {
	local uuid
	uuid=$(new_vgpu mvgpu-V1_8)
	qemu_hold "$uuid"
	tap $? "QEMU opens the vGPU"
	native_unload
	! rmmod mvgpu 2>/dev/null
	tap $? "rmmod refused while QEMU has a vGPU open"
	[ -e "/sys/bus/mdev/devices/$uuid" ]
	tap $? "vGPU intact after refused rmmod"
	qemu_kill
	rmmod mvgpu
	tap $? "rmmod succeeds once QEMU is gone"
	insmod "$KO" && native_load
}

test_remove_waits_for_qemu() {
	local uuid rpid
	uuid=$(new_vgpu mvgpu-V1_4)
	qemu_hold "$uuid" || { tap 1 "QEMU opens the vGPU"; return; }
	echo 1 > "/sys/bus/mdev/devices/$uuid/remove" &
	rpid=$!
	sleep 2
	kill -0 $rpid 2>/dev/null
	tap $? "remove waits while QEMU holds the vGPU"
	qemu_kill
	wait $rpid
	tap $? "remove completes when QEMU exits"
	[ ! -e "/sys/bus/mdev/devices/$uuid" ] &&
		[ "$(cat $TYPES/mvgpu-V1_4/available_instances)" = 4 ]
	tap $? "removed vGPU's resources are back"
}

test_module_params() {
	reload num_pgpus=2
	[ -d /sys/class/mdev_bus/mvgpu0 ] && [ -d /sys/class/mdev_bus/mvgpu1 ]
	tap $? "num_pgpus=2 creates two mdev parents"
	[ -e "$NATIVE_DIR/mvgpu0/native" ] && [ -e "$NATIVE_DIR/mvgpu1/native" ]
	tap $? "mvgpu_native serves both pGPUs"
	local a b
	a=$(new_vgpu mvgpu-V1_1)
	b=$(cat /proc/sys/kernel/random/uuid)
	echo "$b" > /sys/class/mdev_bus/mvgpu1/mdev_supported_types/mvgpu-V1_1/create
	tap $? "each pGPU has its own capacity"
	native_unload
	rmmod mvgpu
	! insmod "$KO" num_pgpus=9 2>/dev/null
	tap $? "num_pgpus=9 is refused"
	insmod "$KO" num_pgpus=0 && [ -z "$(ls /sys/class/mvgpu)" ] &&
		[ ! -e /sys/class/mdev_bus/mvgpu0 ]
	tap $? "num_pgpus=0 loads with no virtual pGPU (PCI parents only)"
	rmmod mvgpu
	insmod "$KO"
	native_load
	[ -n "$a" ]
}

# The command-line VFIO client against a vGPU: it opens it the way QEMU
# does, maps guest memory and reads it back through the GGTT and BAR2.
test_vfio_command() {
	local uuid tool=$TOP/build/tools/mvgpu-vfio out
	uuid=$(new_vgpu mvgpu-V1_8)
	out=$("$tool" "$uuid" info)
	grep -q "reset" <<<"$out" && grep -q "bar2" <<<"$out"
	tap $? "mvgpu-vfio info lists the regions and the reset flag"
	out=$("$tool" "$uuid" read bar0 $((0x78000)) 8)
	[ "$out" = 0x4776544776544776 ]
	tap $? "mvgpu-vfio read bar0 gives the PV info magic"
	out=$("$tool" "$uuid" dma 0x100000 $((1 << 20)))
	tap $? "mvgpu-vfio dma maps 1 MiB and reads it back through BAR2 ($out)"
	! "$tool" "$uuid" read bar0 $((1 << 30)) 2>/dev/null
	tap $? "mvgpu-vfio read past BAR0 fails"
	[ "$(cat "/sys/bus/mdev/devices/$uuid/mvgpu/pinned_pages")" = 0 ]
	tap $? "no page stays pinned after mvgpu-vfio exits"
	echo 1 > "/sys/bus/mdev/devices/$uuid/remove"
}

echo "TAP version 13"
test_vfio_command
test_unload_with_idle_vgpus
test_unload_refused_while_open
test_remove_waits_for_qemu
test_module_params
modules_restore
echo "1..$n"
exit $failed
