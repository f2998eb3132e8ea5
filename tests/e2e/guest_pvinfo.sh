#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs in an L2 guest: find the vGPU, read its PV info page through BAR0
# (each access trapped by QEMU's vfio-pci and emulated by mvgpu), program
# a GGTT entry and read it back.
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = "0x1e4d" ] && break
done
[ "$(cat "$d/vendor")" = "0x1e4d" ] || { echo "no vGPU found"; exit 1; }
echo 1 > "$d/enable" 2>/dev/null
bar0=$(head -n1 "$d/resource" | cut -d' ' -f1)
pv=$((bar0 + 0x78000))
echo "vGPU ${d##*/}: vendor $(cat "$d/vendor") device $(cat "$d/device") BAR0 at $bar0"
magic_lo=$(devmem $pv 32)
magic_hi=$(devmem $((pv + 4)) 32)
ap_base=$(devmem $((pv + 0x40)) 32)
ap_size=$(devmem $((pv + 0x44)) 32)
vgpu_id=$(devmem $((pv + 0xc)) 32)
echo "PV info: magic 0x${magic_hi#0x}${magic_lo#0x} vgpu_id $vgpu_id aperture $ap_base +$ap_size"
ggtt=$((bar0 + 0x800000 + (ap_base >> 12) * 8))
devmem $ggtt 32 0x12345001
echo "GGTT entry for aperture page 0 reads back $(devmem $ggtt 32)"
[ "$magic_lo" = "0x76544776" ] && [ "$(devmem $ggtt 32)" = "0x12345001" ]
