#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Inside the L1 VM, with mvgpu loaded: two L2 guests (KVM) on two vGPUs of
# different types, mvgpu_drm in each, one boot each (three L2 boots in
# all), the scenarios of "end to end" in sequence:
#   pair    A (mvgpu-V1_8) and B (mvgpu-V1_4) run the workload job at the
#           same time; the host's counters show both did work, and when;
#   hang    A hangs its GPU (drm_smoke's hang test, the watchdog's HANG
#           path) while B runs checked work: B's rounds go on, its
#           counters see no error; A runs work again, no reboot;
#   reload  A unloads and reloads mvgpu_drm, work before and after;
#   reboot  A reboots (reboot -f, QEMU kept), loads the driver, works;
#   kill    B's QEMU SIGKILLed with work in flight: no page stays pinned,
#           no shadow table, nothing more submitted; a new guest uses
#           that vGPU, then both are removed.
# Guests: tests/guest/lifecycle.job.sh (A), busy.job.sh (B),
# drm_bench.job.sh (the new guest).  Needs "make -C tests/guest".  TAP.
#   MVGPU_GUEST_JOB=tests/guest/X.job.sh   the workload job (default
#                                          suite.job.sh, the guest suite)
#   MVGPU_GUEST_FILES="build/guest/Y ..."  the files it needs (default
#                                          build/guest/mdrm_suite)
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/qemu.sh"
. "$TOP/tests/lib/tap.sh"
. "$TOP/tests/lib/e2e.sh"
GUEST=$TOP/build/guest
OUT=${MVGPU_OUT:-/tmp}
JOB=${MVGPU_GUEST_JOB:-$TOP/tests/guest/suite.job.sh}
JOB_FILES=${MVGPU_GUEST_FILES:-$GUEST/mdrm_suite}

st() { # uuid counter
	cat "/sys/bus/mdev/devices/$1/mvgpu/$2"
}

counters() { # uuid
	local c out=
	for c in submissions completed errors hangs rejected pinned_pages shadow_pages; do
		out+="$c=$(st "$1" $c) "
	done
	echo "$out"
}

# Submissions that did not end (completed, failed or rejected), the
# counters read at once.  Also those the workload job left behind for
# good (work a hang dropped, a device removed under it): taken as B's
# offset while it idles before its loop.
unended() { # uuid
	local c
	# shellcheck disable=SC2207 # four numbers
	c=($(cd "/sys/bus/mdev/devices/$1/mvgpu" && cat submissions completed errors rejected))
	echo $((c[0] - c[1] - c[2] - c[3]))
}

step_ok() { # log step
	grep -q "^MVGPU_E2E $2 ok" "$1"
}

rounds() { # log
	grep -c "^MVGPU_BENCH round [0-9]* verified" "$1" 2>/dev/null
}

l2() { # uuid log [l2.sh argument]... -- job
	local uuid=$1 log=$2 f files=()
	shift 2
	for f in "$GUEST/modules" "$GUEST/drm_smoke" "$GUEST/drm_bench" \
		"$JOB" $JOB_FILES; do
		files+=(--file "$f")
	done
	"$TOP/tests/vm/l2.sh" --timeout $((1500)) --mem 384 "${files[@]}" \
		--append "mvgpu_e2e.job=$(basename "$JOB")" \
		--qemu-arg -device \
		--qemu-arg "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid" \
		"$@" >"$log" 2>&1
}

phase() { # name: ends the previous phase, prints its time
	[ -n "${PHASE:-}" ] && echo "# time: $PHASE $((SECONDS - PHASE_T0)) s"
	PHASE=$1 PHASE_T0=$SECONDS
}

echo "TAP version 13"
for f in "$GUEST/drm_smoke" "$GUEST/drm_bench" "$GUEST/modules/load.sh" "$JOB" $JOB_FILES; do
	[ -e "$f" ] || { tap 1 "$f is there (make -C tests/guest)"; finish; }
done
A=$(create mvgpu-V1_8)
tap $? "create vGPU A (mvgpu-V1_8) $A"
B=$(create mvgpu-V1_4)
tap $? "create vGPU B (mvgpu-V1_4) $B"
{ [ -n "$A" ] && [ -n "$B" ]; } || finish
PINS0=$(st "$B" pinned_pages) SPTS0=$(st "$B" shadow_pages)
LA=$OUT/e2e-guest_pair-a.log LB=$OUT/e2e-guest_pair-b.log LC=$OUT/e2e-guest_pair-c.log
# A's second serial port (QEMU -serial pipe:): QEMU opens a.in to read
# and a.out to write, each blocking until the other end is open: hold
# both ends here (read-write, which does not block).
GATE=$(mktemp -d)
mkfifo "$GATE/a.in" "$GATE/a.out"
exec 7<>"$GATE/a.in" 8<>"$GATE/a.out"
T0=$SECONDS

phase pair
# B first, A once B's kernel is up: QEMU's TCG (L1) has crashed L1's KVM
# (int3 in kvm_arch_vcpu_ioctl_run) when two L2 guests started at once.
l2 "$B" "$LB" -- "$TOP/tests/guest/busy.job.sh" &
PB=$!
wait_for "$PB" 600 seen "$LB" "^l2: booted in"
l2 "$A" "$LA" --reboot --qemu-arg -serial --qemu-arg "pipe:$GATE/a" \
	-- "$TOP/tests/guest/lifecycle.job.sh" &
PA=$!

# Sample both vGPUs' submissions each second until both ran their job:
# "both" counts the seconds in which both submitted work.
both=0 sa=$(st "$A" submissions) sb=$(st "$B" submissions)
pair_done() {
	seen "$LA" "^MVGPU_E2E waiting for hang" && seen "$LB" "^MVGPU_BENCH round 1 verified"
}
end=$((SECONDS + 1200 * ${MVGPU_TIMEOUT_SCALE:-1}))
OFFSET=
while [ $SECONDS -lt $end ] && ! pair_done; do
	{ running "$PA" && running "$PB"; } || break
	sleep 1
	[ -z "$OFFSET" ] && seen "$LB" "^MVGPU_E2E idle" && OFFSET=$(unended "$B")
	na=$(st "$A" submissions) nb=$(st "$B" submissions)
	[ "$na" -gt "$sa" ] && [ "$nb" -gt "$sb" ] && both=$((both + 1))
	sa=$na sb=$nb
done
echo "# A: $(counters "$A")"
echo "# B: $(counters "$B")"
step_ok "$LA" workload
tap $? "guest A (mvgpu-V1_8) ran $(basename "$JOB")"
step_ok "$LB" workload
tap $? "guest B (mvgpu-V1_4) ran $(basename "$JOB")"
[ "$(st "$A" completed)" -gt 0 ] && [ "$(st "$B" completed)" -gt 0 ] && [ "$both" -gt 0 ]
tap $? "the host's counters show both did work, at the same time in $both one-second samples"
# The guest suite's tests one by one, as both guests ran them (the
# robustness cases name these lines).
if [ "$(basename "$JOB")" = suite.job.sh ]; then
	for t in $("$GUEST/mdrm_suite" -l 2>&1 | awk 'f && NF { print $NF } /^-----/ { f = 1 }'); do
		seen "$LA" "^ok [0-9]* gpu\.$t\$" && seen "$LB" "^ok [0-9]* gpu\.$t\$"
		tap $? "guest: $t"
	done
	seen "$LA" '^MVGPU_SUITE dmesg clean' && seen "$LB" '^MVGPU_SUITE dmesg clean'
	tap $? "guest kernel log has no oops, BUG or WARN"
fi
pair_done && [ -n "$OFFSET" ]
tap $? "A is ready to hang its GPU, B runs checked rounds (${OFFSET:-?} submissions of its job never ended)"

phase hang
eb=$(st "$B" errors) hb=$(st "$B" hangs) cb=$(st "$B" completed) ha=$(st "$A" hangs)
echo hang >&7
wait_for "$PA" 300 seen "$LA" "^MVGPU_E2E work_after_hang"
r1=$(rounds "$LB")
echo "# A: $(counters "$A")"
step_ok "$LA" hang && [ "$(st "$A" hangs)" -gt "$ha" ]
tap $? "A hung its GPU: HANG reported, its hangs counter $ha -> $(st "$A" hangs)"
step_ok "$LA" work_after_hang
tap $? "A runs work again after the hang, no reboot"
# (B's log read at each try, not once when the wait starts)
# shellcheck disable=SC2317 # called through wait_for
b_rounds_more() {
	[ "$(rounds "$LB")" -gt "$r1" ]
}
wait_for "$PB" 300 b_rounds_more
echo "# B: $(counters "$B")"
[ "$(rounds "$LB")" -gt "$r1" ] && [ "$(st "$B" errors)" = "$eb" ] &&
	[ "$(st "$B" hangs)" = "$hb" ] && [ "$(st "$B" completed)" -gt "$cb" ] &&
	! seen "$LB" "FAIL"
tap $? "B unaffected: $(rounds "$LB") checked rounds, completed $cb -> $(st "$B" completed), errors $eb -> $(st "$B" errors)"

phase reload+reboot
# A goes on to these steps after its hang, in well under a minute.  A
# guest that never got there (lost to nested SVM along with B, see
# testing.rst) would hold this wait for l2.sh's whole 1500 s, twice seen
# as a test VM gone quiet: its QEMU is stopped after 300 s instead.
wait_for "$PA" 300 false
if running "$PA"; then
	echo "# A's guest still runs after 300 s: stopping its QEMU"
	QA=$(qemu_pid "$A") && kill "$QA"
fi
wait "$PA"
ra=$?
sed 's/^/# A: /' "$LA" | grep -E "MVGPU_E2E|l2:|MVGPU_BENCH (copy|fill|blend|FAIL)|not ok"
step_ok "$LA" unload && step_ok "$LA" reload && step_ok "$LA" work_after_reload
tap $? "A unloads and reloads mvgpu_drm, work after"
# The job takes its after-reboot steps only in boot 2 ($MVGPU_L2_BOOT);
# l2.sh's "booted in ... (boot 2)" line was once lost from the console.
seen "$LA" "reboot: Restarting system" && step_ok "$LA" load_after_reboot &&
	step_ok "$LA" work_after_reboot && [ "$ra" = 0 ]
tap $? "A reboots, loads the driver and works again (l2.sh rc=$ra)"
echo "# A: $(counters "$A")"

phase kill
QEMU=$(qemu_pid "$B")
PINS=$(st "$B" pinned_pages)
[ -n "$QEMU" ] && [ "$PINS" -gt "$PINS0" ]
tap $? "B's QEMU ${QEMU:-?} runs, $PINS pages pinned"
INFL=0
# OFFSET counts the submissions of B's job that had not ended when it
# went idle; one of them may still end later (seen once: INFL stayed at
# -1 for the whole minute), so the floor is the lowest count seen.
# shellcheck disable=SC2317 # called through wait_for
in_flight_now() {
	local u
	u=$(unended "$B")
	[ "$u" -ge "${OFFSET:-0}" ] || OFFSET=$u
	INFL=$((u - ${OFFSET:-0}))
	[ "$INFL" -gt 0 ]
}
[ -n "$QEMU" ] && wait_for "$PB" 60 in_flight_now && kill -KILL "$QEMU"
tap $? "B's QEMU SIGKILLed with $INFL workload(s) in flight"
wait "$PB"
released() {
	[ "$(st "$B" pinned_pages)" = "$PINS0" ] && [ "$(st "$B" shadow_pages)" = "$SPTS0" ]
}
wait_for "" 10 released
tap $? "nothing pinned: pinned pages $(st "$B" pinned_pages) (before boot $PINS0), shadow tables $(st "$B" shadow_pages) (before $SPTS0)"
SUB=$(st "$B" submissions)
sleep 1
! qemu_pid "$B" >/dev/null && [ "$(st "$B" submissions)" = "$SUB" ]
tap $? "QEMU is gone, nothing more is submitted"
echo "# B: $(counters "$B")"

phase new-guest
l2 "$B" "$LC" --append "mvgpu_bench=-m,1,-r,1,-e,10" -- "$TOP/tests/guest/drm_bench.job.sh"
rc=$?
grep -E "MVGPU_BENCH|l2:" "$LC" | sed 's/^/# C: /'
[ "$rc" = 0 ] && released
tap $? "a new guest on B's vGPU runs checked work, and leaves nothing pinned (rc=$rc)"
phase end

echo 1 >"/sys/bus/mdev/devices/$A/remove"
# shellcheck disable=SC2320 # the status of the write to "remove"
tap $? "remove vGPU A"
echo 1 >"/sys/bus/mdev/devices/$B/remove"
# shellcheck disable=SC2320
tap $? "remove vGPU B"
exec 7>&- 8>&-
rm -rf "$GATE"
echo "# time: total $((SECONDS - T0)) s"
finish
