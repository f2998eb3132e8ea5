#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot the L1 test VM (QEMU TCG, Debian 6.12 kernel) and run a command in it.
#
#   tests/vm/vm.sh [--mem MB] [--timeout SEC] [--out DIR] [--no-rmmod]
#                  [--kernel BZIMAGE] [--device QEMU-DEVICE]...
#                  [--insmod path/to/mod.ko [--modparams "a=1 b=2"]]...
#                  -- <command...>
#
# The command runs as root in `chroot /host`, where /host is the build
# machine's root (read-only 9p) with fresh proc, sysfs, devtmpfs, debugfs and
# tmpfs on /run, /tmp, /var/tmp; its cwd is the repo root and MVGPU_IN_VM=1,
# MVGPU_OUT=<out> plus every MVGPU_* variable of the caller are set. <out>
# (default build/vm-out/<time>-<pid>) is writable and has the same path inside
# and outside. Modules given with --insmod (and their in-kernel dependencies)
# are loaded in that order before the command and unloaded in the reverse
# order after it (unless --no-rmmod), e.g. --insmod mvgpu.ko --insmod
# mvgpu_native.ko.
#
# --device gives L1 one more QEMU device, e.g. --device pci-testdev,addr=10
# for a spare PCI function (0000:00:10.0) to bind as a pGPU's parent.
#
# --kernel boots that kernel instead of the Debian one (scripts/kernel.sh),
# e.g. the debug kernel of scripts/debug-kernel.sh: it must have built in
# what L1 needs (9p, virtio, VFIO, mdev, KVM) and what the modules need.
#
# Afterwards <out> holds console.log, dmesg.txt, tainted and rc (and, when
# the kernel has kmemleak, kmemleak.txt: what leaked while the command ran),
# and they are checked by tests/vm/scan-dmesg.sh.
#
# MVGPU_TCG_THREAD=single runs L1's vCPUs on one host thread (default multi).
# MVGPU_L1_QEMU=path runs L1 on another QEMU; MVGPU_L1_APPEND adds kernel
# arguments (e.g. page_poison=1, which catches writes to freed pages).
# L1 resetting (a triple fault) leaves the CPU state in triple-fault.txt.
# L1 holds KVM's APIC static keys still while it runs (kvm_pin_keys.c, built
# into the initramfs); MVGPU_KVM_PIN_KEYS=0 leaves them free.
# An L1 whose heartbeat (init.sh) stands still for MVGPU_VM_STALL_SECONDS
# (default 600) is stopped as one that timed out.
#
# Exit code: the command's own when it fails, else
#   120 usage or setup error      121 VM crashed, hung or timed out
#   122 insmod/rmmod/L1 error     123 dmesg or taint check failed
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$TOP/tests/vm
E_SETUP=120 E_VM=121 E_HARNESS=122 E_DMESG=123

MEM=4096
TIMEOUT=900
OUT=
NO_RMMOD=0
KERNEL=      # --kernel image; empty: the Debian kernel
INSMOD=()    # module paths
MODPARAMS=() # parameters, same index
DEVICES=()   # extra -device arguments of L1's QEMU
CMD=()

say() { echo "vm.sh: $*" >&2; }
die() { # code message
	say "FAIL: $2"
	exit "$1"
}

usage() {
	sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit "$E_SETUP"
}

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--mem) MEM=${2:?}; shift 2 ;;
		--timeout) TIMEOUT=${2:?}; shift 2 ;;
		--out) OUT=${2:?}; shift 2 ;;
		--no-rmmod) NO_RMMOD=1; shift ;;
		--device) DEVICES+=(-device "${2:?}"); shift 2 ;;
		--kernel) KERNEL=$(realpath -e "${2:?}") || die $E_SETUP "no kernel $2"
			shift 2 ;;
		--insmod) INSMOD+=("$(realpath -e "${2:?}")") || die $E_SETUP "no module $2"
			MODPARAMS+=(""); shift 2 ;;
		--modparams)
			[ ${#INSMOD[@]} -gt 0 ] || die $E_SETUP "--modparams before --insmod"
			MODPARAMS[${#INSMOD[@]} - 1]=${2?}; shift 2 ;;
		--) shift; CMD=("$@"); break ;;
		-h | --help) usage ;;
		*) say "unknown argument: $1"; usage ;;
		esac
	done
	[ ${#CMD[@]} -gt 0 ] || usage
}

# POSIX-sh single quoting of each argument.
shquote() {
	local a sep=
	for a in "$@"; do
		printf "%s'%s'" "$sep" "${a//\'/\'\\\'\'}"
		sep=' '
	done
}

# Build (or reuse) the initramfs: busybox + L1 modules + init.sh.
build_initramfs() {
	local busybox=/bin/busybox key stage ko
	if [ ! -x "$busybox" ] || ! file_is_static "$busybox"; then
		die $E_SETUP "$busybox is missing or not static (run scripts/deps.sh)"
	fi
	key=$({ sha256sum "$busybox" "$HERE/init.sh" "$HERE/kvm_pin_keys.c"; cat "$L1_LIST"
		xargs -r sha256sum <"$L1_LIST"; } | sha256sum | cut -c1-16)
	INITRD=$INITRD_DIR/initrd-$key.cpio.gz
	[ -f "$INITRD" ] && return 0
	say "building initramfs $INITRD"
	mkdir -p "${INITRD%/*}"
	stage=$(mktemp -d "${INITRD%/*}/.stage.XXXXXX")
	mkdir -p "$stage/bin" "$stage/lib/modules"
	cp "$busybox" "$stage/bin/busybox"
	ln -s busybox "$stage/bin/sh"
	install -m 0755 "$HERE/init.sh" "$stage/init"
	${CC:-gcc} -static -O2 -Wall -Wextra -Werror -o "$stage/bin/kvm_pin_keys" \
		"$HERE/kvm_pin_keys.c" || die $E_SETUP "cannot build kvm_pin_keys"
	: >"$stage/lib/modules/load.list"
	while read -r ko; do
		cp "$ko" "$stage/lib/modules/"
		echo "${ko##*/}" >>"$stage/lib/modules/load.list"
	done <"$L1_LIST"
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1) \
		>"$INITRD.tmp"
	mv -f "$INITRD.tmp" "$INITRD"
	rm -rf "$stage"
	# Keep the cache small: drop initramfs images of older inputs.
	find "${INITRD%/*}" -maxdepth 1 -name 'initrd-*.cpio.gz' ! -path "$INITRD" -delete
}

file_is_static() {
	! ldd "$1" >/dev/null 2>&1
}

prepare_out() {
	[ -n "$OUT" ] || OUT=$TOP/build/vm-out/$(date +%Y%m%d-%H%M%S)-$$
	mkdir -p "$OUT"
	OUT=$(realpath "$OUT")
	rm -rf "$OUT/.vm" "$OUT"/{rc,dmesg.txt,tainted,console.log,harness-error,kmemleak.txt,qemu-reset.log,triple-fault.txt}
	mkdir -p "$OUT/.vm"
	[ "$OUT" = "$TOP/build/vm-out/${OUT##*/}" ] && ln -sfn "${OUT##*/}" "$TOP/build/vm-out/latest"
	return 0
}

# Job description read by init.sh (ash) and the command script for the chroot.
write_job() {
	local i deps dep
	{
		echo "OUT=$(shquote "$OUT")"
		echo "REPO=$(shquote "$TOP")"
		echo "NO_RMMOD=$NO_RMMOD"
		echo "KVM_PIN_KEYS=${MVGPU_KVM_PIN_KEYS:-1}"
	} >"$OUT/.vm/job.env"
	{
		printf 'export MVGPU_IN_VM=1 MVGPU_OUT=%s\n' "$(shquote "$OUT")"
		while IFS='=' read -r -d '' name value; do
			case $name in MVGPU_IN_VM | MVGPU_OUT) continue ;; esac
			printf 'export %s=%s\n' "$name" "$(shquote "$value")"
		done < <(env -0 | grep -z '^MVGPU_[A-Za-z0-9_]*=')
		printf 'cd %s || exit 120\n' "$(shquote "$TOP")"
		shquote "${CMD[@]}"
		echo
	} >"$OUT/.vm/cmd.sh"
	: >"$OUT/.vm/insmod.sh"
	for i in "${!INSMOD[@]}"; do
		deps=$(insmod_deps "${INSMOD[$i]}") ||
			die $E_SETUP "cannot resolve the dependencies of ${INSMOD[$i]}"
		for dep in $deps; do
			echo "load_dep $(shquote "$dep")"
		done
		# Parameters are split on whitespace by the shell in L1.
		echo "load_mod $(shquote "${INSMOD[$i]}") ${MODPARAMS[$i]}"
	done >>"$OUT/.vm/insmod.sh"
}

# In-kernel modules (load order) that module $1 needs; modules that are
# themselves given with --insmod are left to it.
insmod_deps() {
	local names=() d own depends
	depends=$(modinfo -F depends "$1") || return 1
	for d in ${depends//,/ }; do
		for own in "${INSMOD[@]}"; do
			[ "$(basename "$own" .ko | tr - _)" = "${d//-/_}" ] && continue 2
		done
		names+=("$d")
	done
	if [ -n "$KERNEL" ] && [ ${#names[@]} -gt 0 ]; then
		say "$1 needs ${names[*]}: with --kernel they must be built in"
		return 1
	fi
	[ ${#names[@]} -eq 0 ] || "$TOP/scripts/kernel.sh" --modules "${names[@]}"
}

# Serial console → stdout, without firmware noise and terminal escapes.
console_filter() {
	sed -u -e 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[c78]//g; s/\r//g' \
		-e '/^SeaBIOS (version/d; /^Booting from ROM/d; /^iPXE/d; /^$/d; /\] reboot: Power down$/d'
}

run_qemu() {
	local vmlinuz=${KERNEL:-$KDIR/boot/vmlinuz-$VER}
	local append="console=ttyS0 quiet panic=-1 log_buf_len=4M ${MVGPU_L1_APPEND:-}"
	# init.sh passes this to the kvm module; a built-in kvm takes it here.
	[ -z "$KERNEL" ] || append+=" kvm.report_ignored_msrs=0"
	# shellcheck disable=SC2054 # commas belong to QEMU options
	local qemu=("${MVGPU_L1_QEMU:-qemu-system-x86_64}" -accel "tcg,thread=${MVGPU_TCG_THREAD:-multi}" -cpu max -m "$MEM" -smp 2
		-nographic -nodefaults -serial stdio
		-d cpu_reset -D "$OUT/qemu-reset.log"
		-kernel "$vmlinuz" -initrd "$INITRD" -append "$append"
		-fsdev "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap"
		-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot
		-fsdev "local,id=outdir,path=$OUT,security_model=none"
		-device virtio-9p-pci,fsdev=outdir,mount_tag=outdir
		"${DEVICES[@]}")
	# A reset or power-off pauses QEMU; qemu_watch.py records the CPU
	# state if that was a triple fault, then quits QEMU.
	local watch=() mon=$OUT/.vm/monitor.sock
	if [ -x /usr/bin/python3 ]; then
		qemu+=(-action "reboot=shutdown,shutdown=pause" -monitor "unix:$mon,server=on,wait=off")
		/usr/bin/python3 "$HERE/qemu_watch.py" "$mon" "$OUT/qemu-reset.log" \
			"$OUT/triple-fault.txt" "$OUT/.vm/kallsyms" &
		watch=($!)
	else
		qemu+=(-no-reboot)
	fi
	local start=$SECONDS hb
	qemu+=(-pidfile "$OUT/.vm/qemu.pid")
	rm -f "$OUT/.vm/qemu.pid" "$OUT/.vm/heartbeat" "$OUT/.vm/stalled"
	heartbeat_watch &
	hb=$!
	set +e
	timeout --foreground -k 10 "$TIMEOUT" "${qemu[@]}" </dev/null 2>&1 |
		console_filter | tee "$OUT/console.log"
	QEMU_RC=${PIPESTATUS[0]}
	kill "$hb" 2>/dev/null
	wait "$hb" 2>/dev/null
	[ ${#watch[@]} = 0 ] || wait "${watch[@]}"
	set -e
	ELAPSED=$((SECONDS - start))
}

# L1 writes a count to .vm/heartbeat every 10 s of its own time while
# its job runs (init.sh).  A count that stands still for STALL seconds of
# ours is an L1 that stopped making progress as a whole: QEMU is
# stopped, and the verdict is that of a timeout.  A suite stuck in a
# wait of its own, with L1 otherwise alive, is not caught this way (the
# quiet test VMs after a lost nested guest were such a wait, in
# guest_pair, see testing.rst).
heartbeat_watch() {
	local f=$OUT/.vm/heartbeat last='' now seen=$SECONDS
	local stall=${MVGPU_VM_STALL_SECONDS:-600}
	while sleep 15; do
		now=$(cat "$f" 2>/dev/null) || continue	# no job yet
		if [ "$now" != "$last" ]; then
			last=$now
			seen=$SECONDS
			continue
		fi
		[ $((SECONDS - seen)) -ge "$stall" ] || continue
		say "L1 made no progress for ${stall}s (heartbeat stuck at $last); stopping it"
		: >"$OUT/.vm/stalled"
		kill "$(cat "$OUT/.vm/qemu.pid" 2>/dev/null)" 2>/dev/null
		return 0
	done
}

# QEMU's -d cpu_reset log says "Triple fault" when that was why L1 reset:
# how it dies without a panic.
reset_state() {
	local log=$OUT/qemu-reset.log
	grep -q '^Triple fault' "$log" 2>/dev/null || return 0
	say "L1 triple-faulted; the CPU state then ($OUT/triple-fault.txt):"
	grep -E '^(=== CPU|RIP|RAX|RSI|CR0|IDT|GDT|TR )' "$OUT/triple-fault.txt" >&2
}

# Turn the results into one verdict line and an exit code.
verdict() {
	local rc scan_rc=0 leaks=()
	[ -f "$OUT/kmemleak.txt" ] && leaks=("$OUT/kmemleak.txt")
	if [ -s "$OUT/harness-error" ]; then
		say "L1 harness error: $(tr '\n' ';' <"$OUT/harness-error")"
		[ -f "$OUT/dmesg.txt" ] && { "$HERE/scan-dmesg.sh" "$OUT/dmesg.txt" \
			"$(cat "$OUT/tainted" 2>/dev/null || echo 0)" "${leaks[@]}" >&2 || true; }
		[ -f "$OUT/rc" ] || die $E_HARNESS "harness error in L1 (see $OUT)"
	fi
	if [ ! -f "$OUT/rc" ]; then
		[ "$QEMU_RC" = 124 ] && die $E_VM "VM timed out after ${TIMEOUT}s (see $OUT/console.log)"
		[ -f "$OUT/.vm/stalled" ] &&
			die $E_VM "L1 stalled: no heartbeat for ${MVGPU_VM_STALL_SECONDS:-600}s (see $OUT/console.log)"
		grep -q 'Oops: int3' "$OUT/console.log" &&
			say "note: an int3 oops in L1 is a rare QEMU 7.2 TCG race with kernel" \
				"text patching (seen ~1 in 40 KVM L2 boots), not a kernel bug: rerun"
		grep -q 'Kernel panic' "$OUT/console.log" &&
			die $E_VM "L1 kernel panicked (see $OUT/console.log)"
		reset_state
		die $E_VM "VM died without a result (qemu rc=$QEMU_RC; see $OUT/console.log)"
	fi
	rc=$(cat "$OUT/rc")
	"$HERE/scan-dmesg.sh" "$OUT/dmesg.txt" "$(cat "$OUT/tainted")" "${leaks[@]}" >&2 ||
		scan_rc=$?
	if [ "$rc" != 0 ]; then
		[ $scan_rc = 0 ] || say "also: dmesg/taint check failed"
		die "$rc" "command exited with rc=$rc (${ELAPSED}s, out: $OUT)"
	fi
	[ $scan_rc = 0 ] || die $E_DMESG "dmesg/taint check failed (out: $OUT)"
	[ -s "$OUT/harness-error" ] && die $E_HARNESS "command passed but L1 reported errors (out: $OUT)"
	say "PASS (${ELAPSED}s, out: $OUT)"
}

main() {
	parse_args "$@"
	command -v qemu-system-x86_64 >/dev/null || die $E_SETUP "qemu-system-x86_64 missing (run scripts/deps.sh)"
	if [ -z "$KERNEL" ]; then
		KDIR=$("$TOP/scripts/kernel.sh") || die $E_SETUP "scripts/kernel.sh failed"
		VER=$("$TOP/scripts/kernel.sh" --version)
		L1_LIST=$KDIR/.l1-modules
		INITRD_DIR=$TOP/build/cache/vm
	else
		# Everything L1 needs is built in; own dir, so that neither
		# kind of initramfs deletes the other as outdated.
		L1_LIST=/dev/null
		INITRD_DIR=$TOP/build/cache/vm/own-kernel
	fi
	build_initramfs
	prepare_out
	write_job
	run_qemu
	verdict
}

main "$@"; exit # one line: safe if the file is edited while running
