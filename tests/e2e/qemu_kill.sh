#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Inside the L1 VM: a QEMU guest keeps its vGPU busy (tests/e2e/
# guest_busy.sh: stores through a PPGTT, semaphores that hang), and the
# host SIGKILLs QEMU while a workload is in flight.  The vGPU must give
# back every pinned page and shadow page table (the counts go back to
# what they were before the guest booted), its engines must stop, and it
# must open again and work.  One L2 boot, on KVM when L1 has it.  TAP
# output.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/qemu.sh"
. "$TOP/tests/lib/tap.sh"
. "$TOP/tests/lib/e2e.sh"
LOG=${MVGPU_OUT:-/tmp}/e2e-qemu_kill-l2.log

attr() { # name
	cat "$ATTR/$1"
}

# Workloads submitted and not ended, the three counters read at once.
# shellcheck disable=SC2317 # called through wait_for
inflight() {
	local c
	# shellcheck disable=SC2207 # three numbers
	c=($(cat "$ATTR/submissions" "$ATTR/completed" "$ATTR/errors"))
	echo $((c[0] - c[1] - c[2]))
}

# The guest's rounds so far: each ends with a hang, an error.  (Its own
# lines reach $LOG late: l2.sh's output is block-buffered.)
rounds() {
	attr errors
}

rounds_ok() {
	grep -c "MVGPU_BUSY round .* store ok hang 16" "$LOG"
}

# shellcheck disable=SC2317 # called through wait_for
guest_runs() {
	[ "$(rounds)" -ge 2 ]
}

# shellcheck disable=SC2317 # called through wait_for
in_flight_now() {
	INFL=$(inflight)
	[ "$INFL" -gt 0 ]
}

released() {
	[ "$(attr pinned_pages)" = "$PINS0" ] && [ "$(attr shadow_pages)" = "$SPTS0" ]
}

echo "TAP version 13"
UUID=$(create mvgpu-V1_8)
tap $? "create a vGPU"
DEV=/sys/bus/mdev/devices/$UUID
ATTR=$DEV/mvgpu
PINS0=$(attr pinned_pages)
SPTS0=$(attr shadow_pages)

# shellcheck disable=SC2016 # memmap's '$' goes to the guest's kernel
"$TOP/tests/vm/l2.sh" --timeout 400 --mem 256 \
	--append 'memmap=16M$0x8000000' \
	--qemu-arg -device --qemu-arg "vfio-pci,sysfsdev=$DEV" \
	-- "$TOP/tests/e2e/guest_busy.sh" >"$LOG" 2>&1 &
L2=$!
wait_for "$L2" 300 guest_runs
tap $? "the guest runs work: $(rounds) rounds ended with a hang"
QEMU=$(qemu_pid "$UUID")
PINS=$(attr pinned_pages) SPTS=$(attr shadow_pages)
[ -n "$QEMU" ] && [ "$PINS" -gt "$PINS0" ] && [ "$SPTS" -gt "$SPTS0" ]
tap $? "QEMU ${QEMU:-?} holds $PINS pinned pages and $SPTS shadow tables"

# Kill it at once when a workload is seen in flight.
INFL=0
[ -n "$QEMU" ] && wait_for "$L2" 30 in_flight_now && kill -KILL "$QEMU"
tap $? "QEMU SIGKILLed with $INFL workload(s) in flight"
wait "$L2" 2>/dev/null
grep "MVGPU_BUSY" "$LOG" | tail -n 2 | sed 's/^/# /'
[ "$(rounds_ok)" -ge 1 ] && ! grep -q "MVGPU_BUSY .*failed\|no vGPU\|no end" "$LOG"
tap $? "the guest saw each round's store land and its hang reported as HANG ($(rounds_ok) rounds)"
wait_for "" 5 released
tap $? "QEMU SIGKILLed: pinned pages $(attr pinned_pages) (before boot $PINS0), shadow tables $(attr shadow_pages) (before $SPTS0)"
! running "$QEMU" && ! qemu_pid "$UUID" >/dev/null
tap $? "QEMU is gone"
SUB=$(attr submissions)
sleep 0.5
[ "$(attr submissions)" = "$SUB" ]
tap $? "nothing more is submitted"

out=$("$TOP/build/tools/mvgpu-vfio" "$UUID" dma 0x100000 $((1 << 20)) 2>&1)
tap $? "the vGPU opens again and maps guest memory through its GGTT ($out)"
released
tap $? "closed again: no page pinned, no shadow table left"
echo 1 > "$DEV/remove"
# shellcheck disable=SC2320 # the status of the write to "remove"
tap $? "remove the vGPU"
finish
