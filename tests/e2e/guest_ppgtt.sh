#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs in an L2 guest booted with memmap=16M$0x8000000, so that busybox
# devmem may reach that RAM: the guest builds a context with a 4-level
# PPGTT there, runs MI_STORE_DATA_IMM through it on the vGPU's render
# engine, then edits the last-level entry to point at another page and
# runs again.  The second store must land in the new page: the vGPU has
# seen the edit (through KVM page tracking under KVM, by reading the
# tables at submission under TCG).  Prints MVGPU_PPGTT lines.
R=$((0x8000000))
CTX=$R RING=$((R + 0x1000)) PML4=$((R + 0x2000)) PDP=$((R + 0x3000))
PD=$((R + 0x4000)) PT=$((R + 0x5000)) A=$((R + 0x6000)) B=$((R + 0x7000))
RCS=$((0x2000))

for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = "0x1e4d" ] && break
done
[ "$(cat "$d/vendor")" = "0x1e4d" ] || { echo "MVGPU_PPGTT no vGPU"; exit 1; }
echo 1 > "$d/enable" 2>/dev/null
BAR0=$(($(head -n1 "$d/resource" | cut -d' ' -f1)))

w32() { devmem "$1" 32 "$2"; }
r32() { devmem "$1" 32; }
mmio_w() { w32 $((BAR0 + $1)) "$2"; }
mmio_r() { r32 $((BAR0 + $1)); }
pte() { w32 "$1" $(($2 | 1)); w32 $(($1 + 4)) 0; } # entry, page

HIDDEN=$(mmio_r $((0x78000 + 0x48)))
# GGTT: context image and ring in the first two pages of the hidden range
ggtt=$((BAR0 + 0x800000 + (HIDDEN >> 12) * 8))
pte $ggtt $CTX
pte $((ggtt + 8)) $RING

i=0
while [ $i -lt 4096 ]; do	# clear the pages we use
	w32 $((CTX + i)) 0; w32 $((PML4 + i)) 0; w32 $((PDP + i)) 0
	w32 $((PD + i)) 0; w32 $((PT + i)) 0; w32 $((A + i)) 0; w32 $((B + i)) 0
	i=$((i + 1024))
done
w32 $A 0; w32 $B 0
pte $PML4 $PDP; pte $PDP $PD; pte $PD $PT; pte $PT $A	# VA 0 -> A

# ring: MI_STORE_DATA_IMM (PPGTT) of $2 to VA 0 at ring offset $1
sdi() {
	w32 $((RING + $1)) 0x10000002; w32 $((RING + $1 + 4)) 0
	w32 $((RING + $1 + 8)) 0; w32 $((RING + $1 + 12)) "$2"
}
# context image: head 0, ring in the GGTT, 4 KiB ring, PML4
w32 $((CTX + 8)) $((HIDDEN + 0x1000)); w32 $((CTX + 12)) 1
w32 $((CTX + 16)) $PML4; w32 $((CTX + 20)) 0

mmio_w $((RCS + 0x29c)) 0x80008000	# run list enable
submit() { # tail, expected CSB write pointer
	w32 $((CTX + 4)) "$1"
	mmio_w $((RCS + 0x230)) 0; mmio_w $((RCS + 0x230)) 0
	mmio_w $((RCS + 0x230)) 1; mmio_w $((RCS + 0x230)) $((HIDDEN | 0x19))
	n=0
	while [ $(($(mmio_r $((RCS + 0x3a0))) & 7)) -ne "$2" ]; do
		n=$((n + 1)); [ $n -lt 500 ] || return 1; sleep 0.01
	done
	st=$(mmio_r $((RCS + 0x370 + 8 * $2)))
	[ $((st & 0x18)) -eq $((0x18)) ]
}

sdi 0 0x11111111
submit 16 1 && [ "$(r32 $A)" = 0x11111111 ] &&
	echo "MVGPU_PPGTT first store through the PPGTT landed" ||
	echo "MVGPU_PPGTT first store failed: A=$(r32 $A) csb=$(mmio_r $((RCS + 0x3a0)))"
pte $PT $B	# the guest edits its last-level entry: VA 0 -> B
sdi 16 0x22222222
submit 32 3 && [ "$(r32 $B)" = 0x22222222 ] && [ "$(r32 $A)" = 0x11111111 ] &&
	echo "MVGPU_PPGTT second store followed the edited entry" ||
	echo "MVGPU_PPGTT second store failed: A=$(r32 $A) B=$(r32 $B) csb=$(mmio_r $((RCS + 0x3a0)))"
