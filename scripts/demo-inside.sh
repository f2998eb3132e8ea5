#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The demo's part inside the L1 VM (the vGPU host), with mvgpu loaded.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
P=/sys/class/mdev_bus/mvgpu0/mdev_supported_types

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "vGPU types offered by the software GPU mvgpu0"
for t in "$P"/*; do
	printf '%-12s %s available, %s\n' "${t##*/}" "$(cat "$t/available_instances")" \
		"$(tr '\n' ' ' < "$t/description")"
done

UUID=$(cat /proc/sys/kernel/random/uuid)
step "echo $UUID > $P/mvgpu-V1_4/create"
echo "$UUID" > "$P/mvgpu-V1_4/create"
echo "mvgpu-V1_4 now has $(cat "$P/mvgpu-V1_4/available_instances") available"

step "The vGPU through VFIO, as QEMU sees it (tools/mvgpu-vfio)"
"$TOP/build/tools/mvgpu-vfio" "$UUID" info

step "Boot a guest: qemu-system-x86_64 -accel kvm ... -device vfio-pci,sysfsdev=/sys/bus/mdev/devices/$UUID"
accel=--tcg
[ -c /dev/kvm ] && accel=--kvm
"$TOP/tests/vm/l2.sh" $accel --timeout 400 --qemu-arg -device \
	--qemu-arg "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$UUID" \
	-- "$TOP/tests/e2e/guest_pvinfo.sh"

step "The guest's own driver: mvgpu_drm loaded in the guest, copies, fills, blends and empty batches through it, every result checked"
"$TOP/tests/vm/l2.sh" $accel --timeout 600 --mem 384 \
	--file "$TOP/build/guest/modules" --file "$TOP/build/guest/drm_bench" \
	--append "mvgpu_bench=-m,1,-r,3,-e,100" --qemu-arg -device \
	--qemu-arg "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$UUID" \
	-- "$TOP/tests/guest/drm_bench.job.sh"
echo "What the host saw of it:"
for c in submissions completed errors hangs cmds_scanned pinned_pages; do
	printf '  %-14s %s\n' "$c" "$(cat "/sys/bus/mdev/devices/$UUID/mvgpu/$c")"
done

step "echo 1 > /sys/bus/mdev/devices/$UUID/remove"
echo 1 > "/sys/bus/mdev/devices/$UUID/remove"
echo "mvgpu-V1_4 back to $(cat "$P/mvgpu-V1_4/available_instances") available"

step "The guest's screen: mvgpu_drm's console on the vGPU display (vfio-pci display=on, QMP screendump)"
D=$(mktemp -d)
UUID=$(cat /proc/sys/kernel/random/uuid)
echo "$UUID" > "$P/mvgpu-V1_4/create"
python3 "$TOP/tests/e2e/display_check.py" "$D/qmp.sock" "$D/sync.sock" "$D" >"$D/checks" 2>&1 &
checker=$!
"$TOP/tests/vm/l2.sh" $accel --timeout 600 --mem 512 \
	--file "$TOP/build/guest/modules" \
	--qemu-arg -device \
	--qemu-arg "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$UUID,display=on" \
	--qemu-arg -qmp --qemu-arg "unix:$D/qmp.sock,server=on,wait=off" \
	--qemu-arg -chardev --qemu-arg "socket,id=sync,path=$D/sync.sock,server=on,wait=off" \
	--qemu-arg -device --qemu-arg "isa-serial,chardev=sync" \
	-- "$TOP/scripts/demo-guest.job.sh" || true
kill "$checker" 2>/dev/null || true
wait "$checker" 2>/dev/null || true
cat "$D/checks"
echo 1 > "/sys/bus/mdev/devices/$UUID/remove"
PNG=${MVGPU_OUT:-$D}/guest-screen.png
if [ -f "$D/screen.ppm" ] && "$TOP/scripts/ppm2png.py" "$D/screen.ppm" "$PNG"; then
	step "The guest's screen is saved as $PNG"
	echo "$PNG"
else
	echo "no screendump of the guest's screen"
	exit 1
fi
