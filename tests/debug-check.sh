#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The VM suite (tests/vm/inside.sh, what tests/run.sh runs in the VM) on the
# debug kernel of scripts/debug-kernel.sh: KASAN, lockdep, kmemleak, debug
# objects.  Any report of theirs fails the run, as does any other kernel
# splat or a leak (tests/vm/scan-dmesg.sh).  Ends with "N passed, N failed,
# N skipped" and exits non-zero on any failure.  Logs go to
# build/test-logs/debug/ (results.txt: this script's output, which
# tests/robustness.py reads), the VM's output to build/vm-out/debug-suite/.
#
# MVGPU_DEBUG_TIMEOUT: seconds the VM may run (default 7200);
# MVGPU_SKIP_E2E=1 leaves out the guest tests, as for tests/vm/inside.sh;
# MVGPU_TIMEOUT_SCALE (default 3) stretches the guest tests' time limits,
# since L2 guests boot and run several times slower on this kernel.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOGS=$TOP/build/test-logs/debug
OUT=$TOP/build/vm-out/debug-suite
cd "$TOP" || exit 1
. tests/lib/results.sh

# A step that must succeed for anything else to run.  Its stdout goes to
# <name>.out (the last line, a path for some, is kept in $STEP_OUT), its
# stderr to <name>.log.
setup() { # name command...
	local name=$1 t0=$SECONDS
	shift
	echo "# $name"
	if ! "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.log"; then
		tail -n 30 "$LOGS/$name.log"
		result 1 "$name"
		finish
	fi
	STEP_OUT=$(tail -n 1 "$LOGS/$name.out")
	[ $((SECONDS - t0)) -lt 60 ] || echo "# $name took $((SECONDS - t0)) s"
}

# One boot of the VM on the debug kernel.
vm_boot() {
	rm -rf "$OUT"
	mkdir -p "$OUT"
	MVGPU_KO=$KO MVGPU_TIMEOUT_SCALE=${MVGPU_TIMEOUT_SCALE:-3} \
		tests/vm/vm.sh --kernel "$KDIR/bzImage" \
		--timeout "${MVGPU_DEBUG_TIMEOUT:-7200}" --out "$OUT" --insmod "$KO" \
		--insmod "${KO%/*}/mvgpu_native.ko" \
		-- tests/vm/inside.sh >"$LOGS/vm.log" 2>&1
}

# A report in the log before mvgpu was loaded is not ours (seen once: a
# KASAN wild-memory-access in an early-boot interrupt under TCG), but
# it taints the kernel and turns lockdep off, so that boot proves nothing.
# Reports only: every boot of this kernel says "RCU lockdep checking is
# enabled", which once made each failing boot look like one of these.
boot_splat() {
	grep -q 'mvgpu-test: insmod' "$OUT/dmesg.txt" 2>/dev/null &&
		sed -n '1,/mvgpu-test: insmod/p' "$OUT/dmesg.txt" |
		grep -qE 'BUG:|WARNING:|INFO: |ODEBUG:|Oops'
}

# As in tests/run.sh, a VM that died (121) outside mvgpu code is run
# again (QEMU 7.2's TCG rarely crashes L1 under nested KVM), as is one
# whose kernel reported something before mvgpu was loaded; twice at most.
run_vm() {
	local r s why tries=0 t0=$SECONDS
	while :; do
		vm_boot
		r=$?
		if [ $r -eq 0 ] || [ $tries -ge 2 ]; then
			break
		fi
		if [ $r -eq 121 ] && ! "$TOP/tests/vm/crash-in-mvgpu.sh" "$OUT/console.log"; then
			why="test VM crashed outside mvgpu"
		elif boot_splat; then
			why="kernel report before mvgpu was loaded"
		else
			break
		fi
		tries=$((tries + 1))
		cp "$LOGS/vm.log" "$LOGS/vm-retry$tries.log"
		rm -rf "$OUT-retry$tries"
		mv "$OUT" "$OUT-retry$tries"
		echo "# $why (see $LOGS/vm-retry$tries.log, $OUT-retry$tries/); running it again"
	done
	echo "# VM ran $((SECONDS - t0)) s"
	for s in "$OUT"/*.tap; do
		[ -e "$s" ] || continue
		s=${s##*/}
		count_tap "$OUT/$s" "debug/${s%.tap}"
	done
	[ $r -eq 0 ] || tail -n 60 "$LOGS/vm.log"
	result $r "debug kernel: suite ran, module unloaded, kernel log (KASAN, lockdep, ODEBUG), kmemleak and taint clean"
}

main() {
	setup deps scripts/deps.sh
	setup linux-source scripts/linux-source.sh
	setup kernel scripts/kernel.sh # L2 guests boot the Debian kernel
	setup debug-kernel scripts/debug-kernel.sh
	KDIR=$STEP_OUT
	echo "# debug kernel $(cat "$KDIR/release"): $(cat "$KDIR/.stamp")"
	setup debug-module scripts/debug-kernel.sh --module
	KO=$STEP_OUT
	setup tools make -C tools
	setup vm-tests make -C tests/vm
	run_vm
	finish
}

mkdir -p "$LOGS"
main 2>&1 | tee "$LOGS/results.txt"
exit "${PIPESTATUS[0]}"
