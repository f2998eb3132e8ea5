#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The demo guest's job (scripts/demo-inside.sh): load mvgpu_drm, whose
# fbdev emulation puts the console on the vGPU's screen, write a banner
# there and ask the host (sync port /dev/ttyS1) for a screendump.
SYNC=/dev/ttyS1
sh ./modules/load.sh || exit 1
fb=/sys/class/graphics/fb0
[ -r $fb/virtual_size ] || { echo "no fb0"; exit 1; }
stty -F $SYNC raw -echo 2>/dev/null
echo 0 > /sys/class/graphics/fbcon/cursor_blink 2>/dev/null
printf '\033[?25l\033[H\033[2J' > /dev/tty1
{
	echo "mvgpu: this console is drawn by the guest's mvgpu_drm (fbdev emulation)"
	echo "on its vGPU's display, and read by the host through VFIO."
	echo
	echo "guest kernel $(uname -r), $(cat $fb/name) $(cat $fb/virtual_size)"
	dmesg | grep -E 'mvgpu|fbcon' | tail -n 8
} > /dev/tty1
sleep 1
w=$(cut -d, -f1 $fb/virtual_size)
h=$(cut -d, -f2 $fb/virtual_size)
stride=$(cat $fb/stride)
md5=$(head -c $((h * stride)) /dev/fb0 | md5sum | cut -d' ' -f1)
exec 3<>$SYNC
echo "FB screen $w $h $stride $md5" >&3
read -r ans <&3
echo "demo: host took the screendump ($ans)"
