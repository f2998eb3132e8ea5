#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Inside the L1 VM: are L2 guests lost without mvgpu too?  Rounds of two
# L2 guests (KVM) working at once, started as guest_pair starts them (B
# first, A once B's kernel is up), in one of two arms:
#   edu   no vGPU: each guest has QEMU's edu device and runs mmio_hammer
#         (MMIO exits to QEMU, timer interrupts, forks), every access
#         checked;
#   vgpu  each guest on a vGPU (mvgpu-V1_8, mvgpu-V1_4) runs drm_bench's
#         checked loop, as guest_pair's guest B does.
# Each guest works for SECONDS (tests/guest/control.job.sh).  A guest is
# "ok" when its job ends well, "lost" when its QEMU ends with no word
# from the job, or it stands still until its time runs out, with no
# panic on its console (testing.rst, "The test VM"), "failed" otherwise.  Each round prints the L1 KVM's exits
# per second over the round (debugfs kvm/exits, both guests together).
# TAP, one test per guest and round; the last line sums the arm up.
#
#   tests/e2e/l2_control.sh edu|vgpu [ROUNDS [SECONDS [FIRST]]]
#       (default 5 rounds of 300 s, numbered from FIRST, default 1; a
#       guest not done MVGPU_CONTROL_SLACK (900) s after that is stopped)
#   make l2-control (both arms, MVGPU_CONTROL_ROUNDS, MVGPU_CONTROL_SECONDS)
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
. "$TOP/tests/lib/e2e.sh"
GUEST=$TOP/build/guest
OUT=${MVGPU_OUT:-/tmp}
ARM=${1:-}
ROUNDS=${2:-5}
SECS=${3:-300}
FIRST=${4:-1}
declare -A outcomes=([ok]=0 [lost]=0 [failed]=0)

# KVM's exits of all its VMs, summed while they run (debugfs counts only
# the VMs alive): every second into $1, until killed.
count_exits() { # file
	local last=0 now total=0
	while :; do
		now=$(cat /sys/kernel/debug/kvm/exits 2>/dev/null || echo 0)
		# fewer: a VM ended and took its exits with it
		[ "$now" -lt "$last" ] && last=0
		total=$((total + now - last)) last=$now
		echo "$total" > "$1"
		sleep 1
	done
}

l2() { # log device-args... : boots a guest of the arm
	local log=$1
	shift
	"$TOP/tests/vm/l2.sh" --timeout $((SECS + ${MVGPU_CONTROL_SLACK:-900})) --mem 384 \
		--file "$GUEST/mmio_hammer" --file "$GUEST/drm_bench" \
		--file "$GUEST/modules" --append "mvgpu_control=$ARM,$SECS" \
		"$@" -- "$TOP/tests/guest/control.job.sh" >"$log" 2>&1
}

device() { # uuid: the QEMU arguments of a guest's device
	if [ "$ARM" = edu ]; then
		echo "--qemu-arg -device --qemu-arg edu"
	else
		echo "--qemu-arg -device --qemu-arg vfio-pci,sysfsdev=/sys/bus/mdev/devices/$1"
	fi
}

outcome() { # rc log
	if [ "$1" -eq 0 ]; then
		echo ok
	elif seen "$2" "ended without reporting\|L2 timed out after" &&
	     ! seen "$2" "Kernel panic\|BUG:\|Oops\|general protection"; then
		echo lost
	else
		echo failed
	fi
}

round() { # r
	local la=$OUT/l2_control-$ARM-$1-a.log lb=$OUT/l2_control-$ARM-$1-b.log
	local ua='' ub='' pa pb ra rb oa ob ce t0
	if [ "$ARM" = vgpu ]; then
		if ! ua=$(create mvgpu-V1_8) || ! ub=$(create mvgpu-V1_4); then
			tap 1 "round $1: create two vGPUs"
			return
		fi
	fi
	count_exits "$OUT/.exits" &
	ce=$! t0=$SECONDS
	# shellcheck disable=SC2046 # device() prints separate arguments
	l2 "$lb" $(device "$ub") &
	pb=$!
	wait_for "$pb" 600 seen "$lb" "^l2: booted in"
	# shellcheck disable=SC2046
	l2 "$la" $(device "$ua") &
	pa=$!
	wait "$pa"; ra=$?
	wait "$pb"; rb=$?
	kill "$ce"
	echo "# round $1: $(($(cat "$OUT/.exits") / (SECONDS - t0 + 1))) KVM exits/s over $((SECONDS - t0)) s"
	oa=$(outcome "$ra" "$la") ob=$(outcome "$rb" "$lb")
	outcomes[$oa]=$((outcomes[$oa] + 1))
	outcomes[$ob]=$((outcomes[$ob] + 1))
	grep -h "^MVGPU_CONTROL rounds=\|^MVGPU_HAMMER done" "$la" "$lb" | sed 's/^/# /'
	tap $((ra != 0)) "round $1 ($ARM): guest A $oa"
	tap $((rb != 0)) "round $1 ($ARM): guest B $ob"
	[ -z "$ua" ] || echo 1 > "/sys/bus/mdev/devices/$ua/remove"
	[ -z "$ub" ] || echo 1 > "/sys/bus/mdev/devices/$ub/remove"
}

echo "TAP version 13"
case $ARM in
edu | vgpu) ;;
*) echo "usage: $0 edu|vgpu [ROUNDS [SECONDS [FIRST]]]" >&2; exit 2 ;;
esac
for f in "$GUEST/mmio_hammer" "$GUEST/drm_bench" "$GUEST/modules/load.sh"; do
	[ -e "$f" ] || { tap 1 "$f is there (make -C tests/guest)"; finish; }
done
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
for r in $(seq "$FIRST" $((FIRST + ROUNDS - 1))); do
	round "$r"
done
echo "# $ARM: $ROUNDS rounds of $SECS s, $((2 * ROUNDS)) guests: ${outcomes[ok]} ok, ${outcomes[lost]} lost, ${outcomes[failed]} failed"
finish
