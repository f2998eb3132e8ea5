#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs in an L2 guest without a driver: program a 16x16 XRGB8888 plane on
# the vGPU with devmem, as a guest driver would (a GGTT entry, pixels
# through the aperture, PIPESRC, DSPSTRIDE, DSPSURF, DSPCNTR), left half
# red, right half blue; print MVGPU_PLANE_READY and stay up for the
# host's screendump.
PAGE_GPA=0x6000000	# a guest page of its own for the surface
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = "0x1e4d" ] && break
done
[ "$(cat "$d/vendor")" = "0x1e4d" ] || { echo "no vGPU"; exit 1; }
echo 1 > "$d/enable"
bar0=$(awk 'NR == 1 { print $1 }' "$d/resource")
bar2=$(awk 'NR == 3 { print $1 }' "$d/resource")
r() { devmem $(printf 0x%x $((bar0 + $1))) 32; }
w() { devmem $(printf 0x%x $((bar0 + $1))) 32 "$2"; }
ap=$(r 0x78040)
devmem $(printf 0x%x $((bar0 + 0x800000 + (ap >> 12) * 8))) 64 $((PAGE_GPA | 1))
y=0
while [ $y -lt 16 ]; do
	x=0
	while [ $x -lt 16 ]; do
		c=0x00ff0000
		[ $x -ge 8 ] && c=0x000000ff
		devmem $(printf 0x%x $((bar2 + ap + y * 64 + x * 4))) 32 $c
		x=$((x + 1))
	done
	y=$((y + 1))
done
w 0x6001c $(((15 << 16) | 15))
w 0x70188 64
w 0x7019c "$ap"
w 0x70180 $((0x80000000 | (6 << 26)))
sleep 1
echo "MVGPU_PLANE live=$(r 0x701ac) surf=$ap frames=$(r 0x70040)"
echo MVGPU_PLANE_READY
sleep 20
