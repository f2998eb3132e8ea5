#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs in an L2 guest: describe every mvgpu PCI function the guest sees,
# one line each: "MVGPU_DEV <slot> vendor= device= class= subsys= bar0= bar2= irq_pin=".
found=0
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = "0x1e4d" ] || continue
	found=$((found + 1))
	i=0
	bars=""
	while read -r start end flags; do
		size=0
		[ "$((end))" -ne 0 ] && size=$((end - start + 1))
		[ $i -eq 0 ] && bars="$bars bar0=$size"
		[ $i -eq 2 ] && bars="$bars bar2=$size"
		i=$((i + 1))
	done < "$d/resource"
	pin=$(od -An -tx1 -j61 -N1 "$d/config" 2>/dev/null | tr -d ' ')
	echo "MVGPU_DEV ${d##*/} vendor=$(cat "$d/vendor") device=$(cat "$d/device")" \
		"class=$(cat "$d/class") subsys=$(cat "$d/subsystem_vendor"):$(cat "$d/subsystem_device")" \
		"$bars irq_pin=$pin"
done
echo "MVGPU_FOUND $found"
