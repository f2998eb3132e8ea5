#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# /init of the L1 test VM: busybox ash as PID 1, packed into the initramfs by
# tests/vm/vm.sh. It loads the L1 modules, mounts the build machine's root
# (9p "hostroot", read-only) at /host and the results dir (9p "outdir",
# writable) at /out and over /host/<out>, runs the job that vm.sh left in
# <out>/.vm/ inside `chroot /host`, saves rc/dmesg/taint and powers off.
#
# Not `set -e`: PID 1 must never exit (that panics); errors are handled and
# every path ends in poweroff.

export PATH=/bin:/sbin:/usr/bin:/usr/sbin
OUT_MNT=/out
JOB=$OUT_MNT/.vm

msg() { echo "vm: $*"; }

# Record a harness error (read by vm.sh) and stop.
fatal() {
	msg "error: $*"
	if [ -d "$JOB" ]; then
		echo "$*" >>"$OUT_MNT/harness-error"
		dmesg >"$OUT_MNT/dmesg.txt"
		cat /proc/sys/kernel/tainted >"$OUT_MNT/tainted"
	fi
	finish
}

finish() {
	sync
	poweroff -f
	sleep 5
	echo o >/proc/sysrq-trigger
}

setup_rootfs() {
	/bin/busybox mkdir -p /sbin /usr/bin /usr/sbin /proc /sys /dev /tmp /host "$OUT_MNT"
	/bin/busybox --install -s
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	echo on >/proc/sys/kernel/printk_devkmsg 2>/dev/null # tests may log to /dev/kmsg
}

# Modules of the initramfs, in the order vm.sh listed them.
load_l1_modules() {
	local ko name params
	while read -r ko; do
		name=${ko##*/}
		name=${name%.ko}
		params=
		# L2 kernels probe MSRs that KVM on TCG's SVM lacks: keep that quiet.
		[ "$name" = kvm ] && params=report_ignored_msrs=0
		# shellcheck disable=SC2086
		if ! insmod "/lib/modules/$ko" $params 2>/tmp/insmod.err; then
			case $name in
			kvm-amd | kvm_amd | ccp)
				msg "warning: $name did not load ($(cat /tmp/insmod.err)); L2 will use TCG" ;;
			9p | 9pnet | 9pnet_virtio | netfs)
				msg "error: $name did not load: $(cat /tmp/insmod.err)"
				finish ;;
			*)
				msg "warning: $name did not load: $(cat /tmp/insmod.err)" ;;
			esac
		fi
	done </lib/modules/load.list
}

# Keep KVM's APIC static keys from flipping, and so its text from being
# patched, while L2 guests start and stop (tests/vm/kvm_pin_keys.c: QEMU's
# TCG runs stale code across such a patch now and then).  The holder lives
# until poweroff; MVGPU_KVM_PIN_KEYS=0 leaves the keys free.
pin_kvm_keys() {
	[ "${KVM_PIN_KEYS:-1}" = 1 ] && [ -c /dev/kvm ] || return 0
	/bin/kvm_pin_keys &
}

mount_9p() { # tag dir options
	mount -t 9p -o "trans=virtio,version=9p2000.L,msize=512000,$3" "$1" "$2"
}

mount_host() {
	mount_9p hostroot /host "ro,$HOST_9P_OPTS" || { msg "error: cannot mount hostroot"; finish; }
	mount_9p outdir "$OUT_MNT" rw || { msg "error: cannot mount outdir"; finish; }
	[ -f "$JOB/job.env" ] || fatal "no $JOB/job.env"
	# shellcheck disable=SC1090,SC1091
	. "$JOB/job.env"
	[ -n "${OUT:-}" ] || fatal "job.env sets no OUT"

	if [ -n "${REPO:-}" ]; then
		mkdir -p /repo
		mount -o bind "/host$REPO" /repo || fatal "cannot bind $REPO"
	fi
	mount -t proc proc /host/proc
	mount -t sysfs sysfs /host/sys
	mount -t devtmpfs devtmpfs /host/dev
	mkdir -p /dev/pts /dev/shm 2>/dev/null
	mount -t devpts devpts /host/dev/pts 2>/dev/null
	mount -t tmpfs tmpfs /host/dev/shm
	mount -t tmpfs -o mode=0755 tmpfs /host/run
	mount -t tmpfs -o mode=1777 tmpfs /host/tmp
	mount -t tmpfs -o mode=1777 tmpfs /host/var/tmp
	[ -d /host/sys/kernel/debug ] && mount -t debugfs debugfs /host/sys/kernel/debug
	[ -d /host/sys/kernel/tracing ] && mount -t tracefs tracefs /host/sys/kernel/tracing
	# A repository under /tmp (or another path now under a tmpfs) must
	# stay visible at its own path: bound aside before the tmpfs mounts.
	if [ -n "${REPO:-}" ] && [ ! -d "/host$REPO" ]; then
		mkdir -p "/host$REPO"
		mount -o bind /repo "/host$REPO" || fatal "cannot make $REPO visible"
	fi
	# Same absolute path for the results inside and outside (it may lie
	# under /tmp, now a tmpfs).
	mkdir -p "/host$OUT" 2>/dev/null
	mount -o bind "$OUT_MNT" "/host$OUT" || fatal "cannot bind $OUT_MNT on /host$OUT"
	ip link set lo up 2>/dev/null
}

# Called from $JOB/insmod.sh: a dependency from the kernel cache, or a module
# under test (with its parameters), both by absolute build-machine path.
load_dep() {
	grep -q "^$(modname "$1") " /proc/modules && return 0
	insmod "/host$1" || fatal "insmod $1 failed"
}

load_mod() {
	local ko="$1"
	shift
	msg "insmod $ko $*"
	# tests/debug-check.sh: what the log shows before this is not ours.
	echo "mvgpu-test: insmod ${ko##*/}" >/dev/kmsg 2>/dev/null
	insmod "/host$ko" "$@" || fatal "insmod $ko $* failed"
	LOADED="$(modname "$ko") $LOADED"
}

modname() {
	local n="${1##*/}"
	n=${n%.ko}
	echo "$n" | tr - _
}

unload_modules() {
	local m
	[ "${NO_RMMOD:-0}" = 1 ] && return 0
	for m in $LOADED; do
		grep -q "^$m " /proc/modules || continue
		msg "rmmod $m"
		rmmod "$m" || echo "rmmod $m failed" >>"$OUT_MNT/harness-error"
	done
}

run_job() {
	local t0 t1 rc
	t0=$(cut -d' ' -f1 /proc/uptime)
	msg "booted in ${t0}s; running job"
	# for vm.sh's heartbeat_watch(): a count that moves while L1 does
	(
		n=0
		while :; do
			n=$((n + 1))
			echo "$n" >"$OUT_MNT/.vm/heartbeat"
			sleep 10
		done
	) &
	HEARTBEAT=$!
	chroot /host /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/tmp TERM=dumb LANG=C.UTF-8 /bin/sh "$OUT/.vm/cmd.sh" </dev/null
	rc=$?
	kill "$HEARTBEAT" 2>/dev/null
	t1=$(cut -d' ' -f1 /proc/uptime)
	msg "job exited with rc=$rc at ${t1}s"
	JOB_RC=$rc
}

# kmemleak (debug kernel only).  Before insmod: scan and "clear", which
# stops what boot leaked from being reported.  After it (and rmmod): two
# scans, since objects younger than 5 s are never reported and a pointer
# in flight can hide a leak from one scan; kmemleak.txt lists the leaks.
KMEMLEAK=/host/sys/kernel/debug/kmemleak

kmemleak_baseline() {
	[ -w "$KMEMLEAK" ] || return 0
	sleep 5
	echo scan >"$KMEMLEAK" && echo clear >"$KMEMLEAK" ||
		echo "kmemleak: baseline scan failed" >>"$OUT_MNT/harness-error"
}

kmemleak_report() {
	[ -w "$KMEMLEAK" ] || return 0
	msg "kmemleak: scanning"
	sleep 5
	echo scan >"$KMEMLEAK" && sleep 5 && echo scan >"$KMEMLEAK" &&
		cat "$KMEMLEAK" >"$OUT_MNT/kmemleak.txt" ||
		echo "kmemleak: scan failed" >>"$OUT_MNT/harness-error"
}

save_results() {
	dmesg >"$OUT_MNT/dmesg.txt"
	cat /proc/sys/kernel/tainted >"$OUT_MNT/tainted"
	echo "$JOB_RC" >"$OUT_MNT/rc"
}

main() {
	LOADED=
	JOB_RC=
	HOST_9P_OPTS=cache=loose
	setup_rootfs
	load_l1_modules
	mount_host
	pin_kvm_keys
	kmemleak_baseline
	# shellcheck disable=SC1091
	[ -f "$JOB/insmod.sh" ] && . "$JOB/insmod.sh"
	# For vm.sh's qemu_watch.py, which names the code of a triple fault.
	grep ' [tT] ' /proc/kallsyms >"$OUT_MNT/.vm/kallsyms" 2>/dev/null &
	run_job
	unload_modules
	kmemleak_report
	save_results
	finish
}

main
