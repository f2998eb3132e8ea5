#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Inside the L1 VM with mvgpu and mvgpu_native loaded: the same copy,
# fill and blend of 4 MiB and the same empty-batch loop, run by the guest
# driver in an L2 guest (tests/guest/drm_bench on mvgpu_drm, on a
# mvgpu-V1_8 vGPU) and by the host's native path (debugfs "bench", as
# tests/bench/native_bench.sh), in one run; prints both and their
# ratios.  While the guest's empty loop runs, its VM exits (KVM's
# per-VM statistics in /sys/kernel/debug/kvm), the vGPU's submissions
# and its trapped BAR0 accesses (each an MMIO exit: no more of them than
# MMIO exits) are counted: exits per submission.  A step fails only if it cannot run
# or a result is wrong, never on speed.  Needs "make -C tests/guest".
#   MVGPU_BENCH_MIB=4  MVGPU_BENCH_RUNS=10  MVGPU_BENCH_EMPTY=1000
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/qemu.sh"
TYPE_DIR=/sys/class/mdev_bus/mvgpu0/mdev_supported_types
NATIVE=/sys/kernel/debug/mvgpu/mvgpu0/native
GUEST=$TOP/build/guest
LOG=${MVGPU_OUT:-/tmp}/guest_bench-l2.log
MIB=${MVGPU_BENCH_MIB:-4}
RUNS=${MVGPU_BENCH_RUNS:-10}
EMPTY=${MVGPU_BENCH_EMPTY:-1000}
. "$TOP/tests/lib/tap.sh"

native() { # bench arguments: one line of figures
	local out
	exec 3<>"$NATIVE" || return 1
	echo "bench $*" >&3 || { exec 3>&-; return 1; }
	out=$(cat <&3)
	exec 3>&-
	echo "$out"
}

field() { # line key
	sed -n "s/.*[ ]$2=\([0-9]*\).*/\1/p" <<<" $1"
}

ratio() { # a b: a / b with two decimals
	[ "${2:-0}" -gt 0 ] || { echo "?"; return; }
	echo "$(($1 / $2)).$(printf '%02d' $(($1 * 100 / $2 % 100)))"
}

# KVM's statistics of the VM of QEMU @pid: "exits mmio_exits io_exits".
kvm_stats() { # pid
	local d e m i
	for d in /sys/kernel/debug/kvm/"$1"-*; do
		e=$(cat "$d/exits" 2>/dev/null) && m=$(cat "$d/mmio_exits" 2>/dev/null) &&
			i=$(cat "$d/io_exits" 2>/dev/null) || continue
		echo "$e $m $i"
		return 0
	done
	return 1
}

wait_line() { # regex seconds
	local end=$((SECONDS + $2 * ${MVGPU_TIMEOUT_SCALE:-1}))
	while [ $SECONDS -lt $end ]; do
		grep -q "$1" "$LOG" 2>/dev/null && return 0
		kill -0 "$L2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

echo "TAP version 13"
[ -x "$GUEST/drm_bench" ] && [ -f "$GUEST/modules/load.sh" ] && [ -e "$NATIVE" ]
tap $? "build/guest is built, mvgpu_native is loaded"
[ "$failed" = 0 ] || { echo "1..$n"; exit 1; }
UUID=$(cat /proc/sys/kernel/random/uuid)
echo "$UUID" >"$TYPE_DIR/mvgpu-V1_8/create"
tap $? "create a mvgpu-V1_8 vGPU"
ATTR=/sys/bus/mdev/devices/$UUID/mvgpu

"$TOP/tests/vm/l2.sh" --timeout 1200 --mem 384 \
	--file "$GUEST/modules" --file "$GUEST/drm_bench" \
	--append "mvgpu_bench=-m,$MIB,-r,$RUNS,-e,$EMPTY" \
	--qemu-arg -device --qemu-arg "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$UUID" \
	-- "$TOP/tests/guest/drm_bench.job.sh" >"$LOG" 2>&1 &
L2=$!
k0='' k1='' s0='' s1='' t0='' t1=''
if wait_line "^MVGPU_BENCH empty begin" 1200; then
	QEMU=$(qemu_pid "$UUID")
	# KVM counts an exit before the vGPU counts the access it emulates:
	# its counters are read first at the start and last at the end, so
	# that every access in the window has its exit in it too
	k0=$(kvm_stats "$QEMU") s0=$(cat "$ATTR/submissions") t0=$(cat "$ATTR/trapped")
	if wait_line "^MVGPU_BENCH empty end" 1200; then
		t1=$(cat "$ATTR/trapped") s1=$(cat "$ATTR/submissions") k1=$(kvm_stats "$QEMU")
	fi
fi
wait "$L2"
rc=$?
grep -E "MVGPU_BENCH|l2:" "$LOG" | sed 's/^/# guest: /'
tap "$rc" "the guest's drm_bench ran, results checked (l2.sh rc=$rc)"

declare -A G N
for op in copy fill blend; do
	G[$op]=$(grep "^MVGPU_BENCH $op .*verified=1" "$LOG")
	N[$op]=$(native "$op" "$MIB" "$RUNS")
	echo "# native: ${N[$op]}"
done
N[empty]=$(native empty "$EMPTY")
echo "# native: ${N[empty]}"
G[empty]=$(grep "^MVGPU_BENCH empty runs=" "$LOG")

# Guest against native, best run and mean, in us.
compare() { # name guest-line native-line native-best-key
	local gb ga nb na
	gb=$(field "$2" best_ns) ga=$(field "$2" avg_ns)
	nb=$(field "$3" "$4") na=$(field "$3" avg_ns)
	[ -n "$gb" ] && [ -n "$ga" ] && [ -n "$nb" ] && [ -n "$na" ] &&
		grep -q "verified=1\|^empty" <<<"$3"
	tap $? "$1: best guest $((${gb:-0} / 1000)) us native $((${nb:-0} / 1000)) us, guest/native $(ratio "${gb:-0}" "${nb:-0}"); mean guest $((${ga:-0} / 1000)) us native $((${na:-0} / 1000)) us, guest/native $(ratio "${ga:-0}" "${na:-0}")"
}
for op in copy fill blend; do
	compare "$op $MIB MiB" "${G[$op]}" "${N[$op]}" engine_ns
done
compare "empty batch" "${G[empty]}" "${N[empty]}" best_ns

if [ -n "$k0" ] && [ -n "$k1" ]; then
	read -r e0 m0 i0 <<<"$k0"
	read -r e1 m1 i1 <<<"$k1"
	# The markers reach us late under load: the window is the part of
	# the loop between our two readings, both counters read together.
	subs=$((s1 - s0))
	echo "# in the empty loop ($EMPTY batches): $subs ELSP submissions, $((e1 - e0)) VM exits, $((m1 - m0)) MMIO exits, $((i1 - i0)) port I/O exits, $((t1 - t0)) BAR0 accesses the vGPU emulated"
	[ "$subs" -ge $((EMPTY / 2)) ] && [ $((t1 - t0)) -gt 0 ] && [ $((t1 - t0)) -le $((m1 - m0)) ]
	tap $? "exits per submission: $(ratio $((e1 - e0)) "$subs") VM exits, $(ratio $((m1 - m0)) "$subs") MMIO exits, $(ratio $((i1 - i0)) "$subs") port I/O; the vGPU's trapped accesses $(ratio $((t1 - t0)) "$subs")"
else
	tap 1 "exits per submission: no KVM statistics for the guest (/sys/kernel/debug/kvm)"
fi
echo 1 >"/sys/bus/mdev/devices/$UUID/remove"
tap $? "remove the vGPU"
echo "1..$n"
exit $failed
