#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot an L2 guest (busybox initramfs, same 6.12 kernel) and run a shell
# script in it. Meant to run inside the L1 VM (tests/vm/vm.sh -- tests/vm/l2.sh
# ...), where /dev/kvm comes from kvm_amd on QEMU's emulated SVM.
#
#   tests/vm/l2.sh [--tcg | --kvm] [--mem MB] [--timeout SEC] [--file PATH]...
#                  [--append KERNEL-ARGS] [--qemu-arg ARG]... [--reboot]
#                  [--display OPTS] [--build-only]
#                  -- <guest script>
#
# The script runs as the guest's job (sh, with proc, sysfs, devtmpfs mounted,
# cwd /job where the --file files are); its output is printed on stdout and
# (line by line, for callers that watch it) and
# l2.sh exits with its exit code (124 if the guest never reported one: hang,
# crash or timeout, default 600 s, times MVGPU_TIMEOUT_SCALE; a guest
# whose /init has not run after MVGPU_L2_INIT_TIMEOUT s, default 300 on
# KVM and 900 on TCG, is stopped and booted once more, as one whose
# kernel died before /init). KVM (-cpu host) is used when /dev/kvm is
# usable and we are in the L1 VM (MVGPU_IN_VM=1), TCG otherwise (--kvm,
# --tcg force). --reboot: the guest may reboot (reboot -f; QEMU resets the
# machine and the vGPU and boots it again), and the job sees which boot it
# is in $MVGPU_L2_BOOT (1, 2, ...; counted in a page of guest RAM kept
# out of the kernel's hands, which a reset does not clear). --display
# gives QEMU "-display OPTS" instead of -nographic (e.g. egl-headless for
# a vGPU's dma-buf display). --build-only prints "<kernel> <initrd>" and
# boots nothing: another VMM (libvirt) boots them with "console=ttyS0" and
# reads MVGPU_L2_RC=<rc> on the guest's serial port; the caller removes
# the initrd's directory. Example:
#   tests/vm/l2.sh --qemu-arg -device \
#       --qemu-arg vfio-pci,sysfsdev=/sys/bus/mdev/devices/$UUID -- job.sh
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E_NORC=124 E_SETUP=125

ACCEL=auto
MEM=256
TIMEOUT=600
FILES=()
QEMU_ARGS=()
APPEND=
REBOOT=0
DISPLAY_ARGS=(-nographic)
SCRIPT=
BUILD_ONLY=0
CACHE=${MVGPU_L2_CACHE:-${TMPDIR:-/tmp}/mvgpu-l2}

say() { echo "l2.sh: $*" >&2; }
die() { say "FAIL: $1"; exit "${2:-$E_SETUP}"; }

usage() {
	sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit $E_SETUP
}

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--tcg) ACCEL=tcg; shift ;;
		--kvm) ACCEL=kvm; shift ;;
		--mem) MEM=${2:?}; shift 2 ;;
		--timeout) TIMEOUT=${2:?}; shift 2 ;;
		--file) FILES+=("${2:?}"); shift 2 ;;
		--append) APPEND="$APPEND ${2:?}"; shift 2 ;;
		--qemu-arg) QEMU_ARGS+=("${2?}"); shift 2 ;;
		--reboot) REBOOT=1; shift ;;
		--build-only) BUILD_ONLY=1; shift ;;
		--display) DISPLAY_ARGS=(-display "${2:?}"); shift 2 ;;
		--) SCRIPT=${2:-}; [ $# -le 2 ] || usage; break ;;
		-h | --help) usage ;;
		*) say "unknown argument: $1"; usage ;;
		esac
	done
	[ -n "$SCRIPT" ] || usage
	# Slower kernels (tests/debug-check.sh) stretch every time limit.
	TIMEOUT=$((TIMEOUT * ${MVGPU_TIMEOUT_SCALE:-1}))
	[ -r "$SCRIPT" ] || die "cannot read guest script $SCRIPT"
}

pick_accel() {
	if [ "$ACCEL" = auto ]; then
		ACCEL=tcg
		[ "${MVGPU_IN_VM:-0}" = 1 ] && [ -w /dev/kvm ] && ACCEL=kvm
	fi
	if [ "$ACCEL" = kvm ]; then
		ACCEL_ARGS=(-accel kvm -cpu host)
		BOOT_TIMEOUT=${MVGPU_L2_INIT_TIMEOUT:-300}
	else
		ACCEL_ARGS=(-accel tcg -cpu max)
		BOOT_TIMEOUT=${MVGPU_L2_INIT_TIMEOUT:-900}
	fi
	BOOT_TIMEOUT=$((BOOT_TIMEOUT * ${MVGPU_TIMEOUT_SCALE:-1}))
}

find_kernel() {
	local ver
	ver=$("$TOP/scripts/kernel.sh" --version 2>/dev/null) || ver=$(uname -r)
	VMLINUZ=$TOP/build/cache/kernel/$ver/boot/vmlinuz-$ver
	[ -r "$VMLINUZ" ] || die "no $VMLINUZ (run scripts/kernel.sh on the build machine)"
}

# The guest's /init: run /job/job.sh, report its rc on the console, power off.
guest_init() {
	cat <<'INIT'
#!/bin/sh
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
/bin/busybox mkdir -p /sbin /usr/bin /usr/sbin /proc /sys /dev /tmp
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
# l2.sh --reboot: count the boots in the reserved page mvgpu_l2.mark names
MVGPU_L2_BOOT=1
mark=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^mvgpu_l2\.mark=//p')
if [ -n "$mark" ]; then
	v=$(($(devmem "$mark" 32)))
	[ $((v >> 8)) = $((0x4c32b0)) ] && MVGPU_L2_BOOT=$(((v & 0xff) + 1))
	devmem "$mark" 32 $((0x4c32b000 + MVGPU_L2_BOOT))
fi
export MVGPU_L2_BOOT
echo "l2: booted in $(cut -d' ' -f1 /proc/uptime)s (boot $MVGPU_L2_BOOT)"
cd /job && sh ./job.sh </dev/null
echo "MVGPU_L2_RC=$?"
sync
poweroff -f
INIT
}

# busybox + /init, cached; the job goes in a second cpio put before it (the
# kernel takes uncompressed archives before compressed ones, not after).
# Guests booted at once may build it at once: each in its own file.
build_base() {
	local busybox=/bin/busybox key stage
	# "root 0755": archives of before, whose / was mktemp's 0700 (no
	# path resolved for any user but root), are not used again
	key=$({ sha256sum "$busybox"; guest_init; echo root 0755; } |
		sha256sum | cut -c1-16)
	BASE=$CACHE/base-$key.cpio.gz
	[ -f "$BASE" ] && return 0
	mkdir -p "$CACHE"
	stage=$(mktemp -d "$CACHE/.stage.XXXXXX")
	chmod 0755 "$stage"	# the guest's /: every user resolves paths
	mkdir -p "$stage/bin"
	cp "$busybox" "$stage/bin/busybox"
	ln -s busybox "$stage/bin/sh"
	guest_init >"$stage/init"
	chmod 0755 "$stage/init"
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1) \
		>"$BASE.tmp.$$"
	mv -f "$BASE.tmp.$$" "$BASE"
	rm -rf "$stage"
}

build_initrd() {
	local stage f
	WORK=$(mktemp -d "$CACHE/run.XXXXXX")
	stage=$WORK/stage
	mkdir -p "$stage/job"
	install -m 0755 "$SCRIPT" "$stage/job/job.sh"
	for f in "${FILES[@]}"; do
		cp -a "$f" "$stage/job/" || die "cannot copy --file $f"
	done
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$WORK/initrd"
	cat "$BASE" >>"$WORK/initrd"
}

# A page for the boot count, in the smallest guest (--mem 256), away from
# where its kernel and initrd go.
MARK=0x7ff0000

# A guest whose /init has not run after BOOT_TIMEOUT seconds is stuck:
# seen under nested SVM on TCG (testing.rst, "The test VM"), a KVM guest
# standing still at SeaBIOS's "Booting from ROM" until the job's whole
# time ran out, with no mvgpu module loaded as well.  Its QEMU is sent
# SIGTERM and main() boots it once more.  With --reboot each boot after
# a restart gets the same time (seen: a guest standing still for minutes
# after "reboot: Restarting system"); that one is only stopped, since its
# job cannot start over.
boot_watch() {
	local end=$((SECONDS + BOOT_TIMEOUT)) booting=1 boots restarts pid
	while [ $booting = 0 ] || [ $SECONDS -lt $end ]; do
		sleep 2
		boots=$(grep -c '^l2: booted in' "$WORK/console.log" 2>/dev/null)
		restarts=$(grep -c '\] reboot: Restarting system' "$WORK/console.log" 2>/dev/null)
		if [ "${boots:-0}" -gt "${restarts:-0}" ]; then
			[ "$REBOOT" = 1 ] || return 0
			booting=0
		elif [ $booting = 0 ]; then
			booting=1
			end=$((SECONDS + BOOT_TIMEOUT))
		fi
	done
	pid=$(cat "$WORK/qemu.pid" 2>/dev/null) || return 0
	say "L2 did not reach /init in ${BOOT_TIMEOUT}s (boot $((${boots:-0} + 1))); stopping it"
	kill "$pid" 2>/dev/null
}

run_guest() {
	local noreboot=-no-reboot append=$APPEND watch
	if [ "$REBOOT" = 1 ]; then
		noreboot=
		append+=" memmap=4K\$$MARK mvgpu_l2.mark=$MARK"
	fi
	# shellcheck disable=SC2206 # $noreboot: one argument or none
	local qemu=(qemu-system-x86_64 "${ACCEL_ARGS[@]}" -m "$MEM" -smp 1
		"${DISPLAY_ARGS[@]}" -nodefaults -serial stdio $noreboot
		-kernel "$VMLINUZ" -initrd "$WORK/initrd"
		-append "console=ttyS0 quiet panic=-1$append"
		-pidfile "$WORK/qemu.pid" "${QEMU_ARGS[@]}")
	local start=$SECONDS
	say "booting L2 (${ACCEL}, ${MEM} MB)"
	# (console.log: tee truncates it; a first boot's, when main() boots
	# again, has no "l2: booted in" for boot_watch() to find)
	rm -f "$WORK/qemu.pid"
	boot_watch &
	watch=$!
	set +e
	timeout --foreground -k 10 "$TIMEOUT" "${qemu[@]}" </dev/null 2>&1 |
		sed -u -e 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[c78]//g; s/\r//g' \
			-e '/^SeaBIOS (version/d; /^Booting from ROM/d; /^$/d; /\] reboot: Power down$/d' |
		tee "$WORK/console.log" | grep --line-buffered -v '^MVGPU_L2_RC='
	QEMU_RC=${PIPESTATUS[0]}
	kill "$watch" 2>/dev/null
	wait "$watch" 2>/dev/null
	set -e
	ELAPSED=$((SECONDS - start))
}

verdict() {
	local rc
	rc=$(sed -n 's/^MVGPU_L2_RC=\([0-9]*\)$/\1/p' "$WORK/console.log" | tail -n1)
	if [ -z "$rc" ]; then
		[ "$QEMU_RC" = 124 ] && die "L2 timed out after ${TIMEOUT}s" $E_NORC
		die "L2 ended without reporting the job's rc (qemu rc=$QEMU_RC)" $E_NORC
	fi
	rm -rf "$WORK"
	[ "$rc" = 0 ] || die "L2 job exited with rc=$rc (${ELAPSED}s, $ACCEL)" "$rc"
	say "L2 job passed (${ELAPSED}s, $ACCEL)"
}

main() {
	parse_args "$@"
	command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not found"
	pick_accel
	find_kernel
	build_base
	build_initrd
	if [ "$BUILD_ONLY" = 1 ]; then
		echo "$VMLINUZ $WORK/initrd"
		return 0
	fi
	run_guest
	# QEMU 7.2's TCG nested in L1's TCG now and then crashes the guest
	# kernel while it boots (seen: a page fault in start_kernel's slab
	# setup), or a KVM guest stands still before its kernel runs
	# (boot_watch()), before /init or any driver ran: boot it once more.
	if [ "$QEMU_RC" != 124 ] && ! grep -q '^l2: booted in' "$WORK/console.log"; then
		say "L2 died or stood still before /init ran; booting it again"
		run_guest
	fi
	verdict
}

main "$@"; exit # one line: safe if the file is edited while running
