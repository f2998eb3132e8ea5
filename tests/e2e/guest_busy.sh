#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs in an L2 guest booted with memmap=16M$0x8000000, so that busybox
# devmem may reach that RAM: the guest keeps its vGPU's render engine
# busy until it is killed.  Each round is one workload of a context with
# a 4-level PPGTT: a store through the PPGTT of the round's number, then
# a semaphore wait that nothing satisfies, which the vGPU ends with HANG
# after the hang limit (1 s by default); the guest checks the store and
# the error, skips the failed commands and goes on.  So at almost any
# moment a workload is in flight, the vGPU holds pinned pages and shadow
# page tables, and KVM (if any) write-protects the tables.  Prints
# MVGPU_BUSY lines; tests/e2e/qemu_kill.sh kills its QEMU mid-way.
R=$((0x8000000))
CTX=$R RING=$((R + 0x1000)) PML4=$((R + 0x2000)) PDP=$((R + 0x3000))
PD=$((R + 0x4000)) PT=$((R + 0x5000)) A=$((R + 0x6000)) SEM=$((R + 0x7000))
RCS=$((0x2000))

for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = "0x1e4d" ] && break
done
[ "$(cat "$d/vendor")" = "0x1e4d" ] || { echo "MVGPU_BUSY no vGPU"; exit 1; }
echo 1 > "$d/enable" 2>/dev/null
BAR0=$(($(head -n1 "$d/resource" | cut -d' ' -f1)))

w32() { devmem "$1" 32 "$2"; }
r32() { devmem "$1" 32; }
mmio_w() { w32 $((BAR0 + $1)) "$2"; }
mmio_r() { r32 $((BAR0 + $1)); }
pte() { w32 "$1" $(($2 | 1)); w32 $(($1 + 4)) 0; } # entry, page

HIDDEN=$(mmio_r $((0x78000 + 0x48)))
# GGTT: context image, ring and semaphore in the first pages of hidden
ggtt=$((BAR0 + 0x800000 + (HIDDEN >> 12) * 8))
pte $ggtt $CTX
pte $((ggtt + 8)) $RING
pte $((ggtt + 16)) $SEM

# The pages we use start zeroed (reserved RAM nobody touched); make sure.
dd if=/dev/zero of=/dev/mem bs=4096 seek=$((R / 4096)) count=8 2>/dev/null
i=0
while [ $i -lt 64 ]; do
	w32 $((CTX + i)) 0; w32 $((PML4 + i)) 0; w32 $((PDP + i)) 0
	w32 $((PD + i)) 0; w32 $((PT + i)) 0; w32 $((SEM + i)) 0
	i=$((i + 4))
done
pte $PML4 $PDP; pte $PDP $PD; pte $PD $PT; pte $PT $A	# VA 0 -> A

# context image: head 0, ring at hidden + 4 KiB, 4 KiB ring, PML4
w32 $((CTX + 8)) $((HIDDEN + 0x1000)); w32 $((CTX + 12)) 1
w32 $((CTX + 16)) $PML4; w32 $((CTX + 20)) 0
mmio_w $((RCS + 0x29c)) 0x80008000	# run list enable

wp=5 tail=0 round=0
# ring at $1: MI_STORE_DATA_IMM (PPGTT) of $2 to VA 0, then
# MI_SEMAPHORE_WAIT (GGTT, poll) for *SEM == 1, which never holds
emit() {
	w32 $((RING + $1)) 0x10000002; w32 $((RING + $1 + 4)) 0
	w32 $((RING + $1 + 8)) 0; w32 $((RING + $1 + 12)) "$2"
	w32 $((RING + $1 + 16)) 0x0e40c002; w32 $((RING + $1 + 20)) 1
	w32 $((RING + $1 + 24)) $((HIDDEN + 0x2000)); w32 $((RING + $1 + 28)) 0
}
while :; do
	round=$((round + 1))
	emit $tail $round
	tail=$(((tail + 32) % 4096))
	w32 $((CTX + 4)) $tail
	mmio_w $((RCS + 0x230)) 0; mmio_w $((RCS + 0x230)) 0
	mmio_w $((RCS + 0x230)) 1; mmio_w $((RCS + 0x230)) $((HIDDEN | 0x19))
	wp=$(((wp + 2) % 6))	# IDLE_TO_ACTIVE, then the end
	n=0
	while [ $(($(mmio_r $((RCS + 0x3a0))) & 7)) -ne $wp ]; do
		n=$((n + 1)); [ $n -lt 3000 ] || { echo "MVGPU_BUSY round $round: no end"; exit 1; }
		sleep 0.01
	done
	st=$(mmio_r $((RCS + 0x370 + 8 * wp)))
	err=$(($(mmio_r $((RCS + 0x1c0))) & 0xff))
	mmio_w $((RCS + 0x3a0)) $((0x07000000 | wp << 8))	# consumed
	mmio_w $((RCS + 0x1c0)) 0				# error read
	if [ "$(r32 $A)" = "$(printf 0x%08X $round)" ] && [ $((st & 0x80000000)) -ne 0 ] &&
		[ $err -eq 16 ]; then
		echo "MVGPU_BUSY round $round store ok hang 16"
	else
		echo "MVGPU_BUSY round $round failed: A=$(r32 $A) status=$st error=$err"
	fi
	w32 $CTX $tail	# skip the failed commands: head = tail
done
