#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Unloading mvgpu while vGPUs exist and have run work.  While a client
# (fault_test --hold: GGTT fills and PPGTT stores on both engines) holds
# a vGPU open, rmmod is refused (the vfio device pins the module) and the
# client's work goes on; once every client is gone, SIGKILLed or closed,
# rmmod removes every vGPU and leaves no vmalloc area of the module
# behind, and the module loads again with all its capacity.  While
# mvgpu_native is loaded, rmmod mvgpu is refused; mvgpu_native itself
# unloads with the engines borrowed, and vGPU work then resumes.  The
# kernel log is checked by vm.sh afterwards.  Runs in the L1 VM with
# mvgpu and mvgpu_native loaded (modules.sh); leaves them loaded.  TAP
# output.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/vm/modules.sh"
HOLD=$TOP/build/vm-tests/fault_test
TYPES=/sys/class/mdev_bus/mvgpu0/mdev_supported_types
LOGS=${MVGPU_OUT:-/tmp}
. "$TOP/tests/lib/tap.sh"
HOLD_PID=

new_vgpu() { # type -> uuid
	local uuid
	uuid=$(cat /proc/sys/kernel/random/uuid)
	echo "$uuid" > "$TYPES/$1/create" && echo "$uuid"
}

attr() { # uuid name
	cat "/sys/bus/mdev/devices/$1/mvgpu/$2"
}

# Workloads the client has reported done (its last MVGPU_HOLD line).
hold_done() { # log
	sed -n 's/^MVGPU_HOLD done \([0-9]*\)$/\1/p' "$1" | tail -n1
}

# Start a client on vGPU $1, logging to $2; wait until it ran 16 workloads.
hold_start() { # uuid log
	"$HOLD" --hold "$1" >"$2" 2>&1 &
	HOLD_PID=$!
	for _ in $(seq 200); do
		[ "$(hold_done "$2")" -ge 16 ] 2>/dev/null && return 0
		kill -0 "$HOLD_PID" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

hold_stop() { # signal -> the client's exit status
	local rc
	kill "-$1" "$HOLD_PID" 2>/dev/null
	wait "$HOLD_PID" 2>/dev/null
	rc=$?
	HOLD_PID=
	return $rc
}

# vmalloc areas whose caller is no longer a symbol: left by an unloaded
# module (a leak), each line "0x<start>-0x<end> <size> 0x<caller> ...".
orphans() {
	grep -cE '^0x[0-9a-f]+-0x[0-9a-f]+ +[0-9]+ 0x[0-9a-f]+' /proc/vmallocinfo
}

# rmmod worked: nothing of mvgpu left, no vmalloc area orphaned.
expect_gone() { # orphans-before what
	[ -z "$(ls /sys/bus/mdev/devices)" ] && [ ! -e /sys/class/mvgpu ] &&
		! grep -q '^mvgpu ' /proc/modules
	tap $? "$2: every vGPU and pGPU gone"
	[ "$(orphans)" -le "$1" ]
	tap $? "$2: no vmalloc area of the module left ($(orphans) orphaned, $1 before)"
}

reload() { # what
	insmod "$KO"
	tap $? "$1: module loads again"
	[ "$(cat $TYPES/mvgpu-V1_8/available_instances)" = 8 ]
	tap $? "$1: reloaded module has all its capacity"
	native_load
}

# The native module holds mvgpu, and gives back the engines it borrowed
# when it goes: vGPU work held back meanwhile resumes.
test_native_module_on_top() {
	local a log=$LOGS/unload-native.log out before now
	loaded mvgpu_native
	tap $? "mvgpu_native is loaded (vm.sh --insmod mvgpu.ko --insmod mvgpu_native.ko)"
	loaded mvgpu_native || return
	out=$(rmmod mvgpu 2>&1)
	[ $? -ne 0 ] && grep -q "mvgpu_native" <<<"$out" && loaded mvgpu
	tap $? "rmmod mvgpu refused while mvgpu_native is loaded: $out"

	a=$(new_vgpu mvgpu-V1_8)
	hold_start "$a" "$log"
	tap $? "a client runs work on a vGPU ($(hold_done "$log") done)"
	echo "clear; ctx 4096; submit rcs 1" >"$NATIVE_DIR/mvgpu0/native"
	tap $? "the native path borrows the engines"
	sleep 1
	before=$(hold_done "$log")
	sleep 1
	now=$(hold_done "$log")
	[ "${now:-0}" = "${before:-0}" ]
	tap $? "vGPU work waits while the native path holds them ($before, then $now done)"
	rmmod mvgpu_native
	tap $? "rmmod mvgpu_native succeeds while it holds the engines"
	[ ! -e "$NATIVE_DIR" ] && loaded mvgpu
	tap $? "its debugfs files are gone, mvgpu stays"
	sleep 1
	now=$(hold_done "$log")
	kill -0 "$HOLD_PID" 2>/dev/null && [ "${now:-0}" -gt "${before:-0}" ] &&
		! grep -q "MVGPU_HOLD error" "$log"
	tap $? "vGPU work resumes ($before, then $now done)"
	hold_stop TERM
	tap $? "the client ends cleanly"
	echo 1 >"/sys/bus/mdev/devices/$a/remove"
	insmod "$NATIVE_KO" && [ -e "$NATIVE_DIR/mvgpu0/native" ]
	tap $? "mvgpu_native loads again"
}

test_rmmod_refused_while_a_client_runs_work() {
	local a b log=$LOGS/unload-hold.log out before now o
	a=$(new_vgpu mvgpu-V1_8) && b=$(new_vgpu mvgpu-V1_4)
	tap $? "two vGPUs created"
	hold_start "$a" "$log"
	tap $? "a client runs work on one of them ($(hold_done "$log") done)"
	[ "$(attr "$a" pinned_pages)" -gt 0 ] && [ "$(attr "$a" shadow_pages)" -gt 0 ]
	tap $? "it holds pinned pages and shadow page tables"

	before=$(hold_done "$log")
	native_unload
	out=$(rmmod mvgpu 2>&1)
	[ $? -ne 0 ] && grep -qi "in use" <<<"$out"
	tap $? "rmmod refused while the client has the vGPU open: $out"
	grep -q '^mvgpu ' /proc/modules && [ -e "/sys/bus/mdev/devices/$a" ] &&
		[ -e "/sys/bus/mdev/devices/$b" ]
	tap $? "module and both vGPUs still there"
	sleep 1
	now=$(hold_done "$log")
	kill -0 "$HOLD_PID" 2>/dev/null && [ "${now:-0}" -gt "$before" ] &&
		! grep -q "MVGPU_HOLD error" "$log"
	tap $? "the client's work goes on ($before, then $now done)"

	o=$(orphans)
	hold_stop KILL
	[ "$(attr "$a" pinned_pages)" = 0 ] && [ "$(attr "$a" shadow_pages)" = 0 ]
	tap $? "client SIGKILLed: no pinned page, no shadow table left"
	rmmod mvgpu
	tap $? "rmmod succeeds once the client is gone"
	expect_gone "$o" "rmmod after a SIGKILLed client"
	reload "rmmod after a SIGKILLed client"
}

test_rmmod_with_closed_vgpus_that_ran_work() {
	local a b o log=$LOGS/unload-closed.log
	a=$(new_vgpu mvgpu-V1_8) && b=$(new_vgpu mvgpu-V1_2)
	tap $? "two vGPUs created"
	hold_start "$a" "$log" && hold_stop TERM && hold_start "$b" "$log" &&
		hold_stop TERM
	tap $? "a client ran work on each and closed it"
	[ "$(attr "$a" pinned_pages)" = 0 ] && [ "$(attr "$b" pinned_pages)" = 0 ] &&
		[ "$(attr "$a" completed)" -gt 0 ] && [ "$(attr "$b" completed)" -gt 0 ]
	tap $? "closed vGPUs hold no pin ($(attr "$a" completed) and $(attr "$b" completed) workloads done)"
	o=$(orphans)
	native_unload
	rmmod mvgpu
	tap $? "rmmod with closed vGPUs that ran work succeeds"
	expect_gone "$o" "rmmod with closed vGPUs"
	reload "rmmod with closed vGPUs"
}

echo "TAP version 13"
if [ ! -x "$HOLD" ]; then
	tap 1 "no $HOLD (make -C tests/vm)"
else
	test_native_module_on_top
	test_rmmod_refused_while_a_client_runs_work
	test_rmmod_with_closed_vgpus_that_ran_work
fi
[ -z "$HOLD_PID" ] || hold_stop KILL
modules_restore
echo "1..$n"
exit $failed
