#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot an L2 guest (busybox initramfs, same 6.12 kernel) and run a shell
# script in it. Meant to run inside the L1 VM (tests/vm/vm.sh -- tests/vm/l2.sh
# ...), where /dev/kvm comes from kvm_amd on QEMU's emulated SVM.
#
#   tests/vm/l2.sh [--tcg | --kvm] [--mem MB] [--timeout SEC] [--file PATH]...
#                  [--append KERNEL-ARGS] [--qemu-arg ARG]... [--display OPTS]
#                  -- <guest script>
#
# The script runs as the guest's job (sh, with proc, sysfs, devtmpfs mounted,
# cwd /job where the --file files are); its output is printed on stdout and
# l2.sh exits with its exit code (124 if the guest never reported one: hang,
# crash or timeout, default 600 s, times MVGPU_TIMEOUT_SCALE). KVM (-cpu host) is used when /dev/kvm is
# usable and we are in the L1 VM (MVGPU_IN_VM=1), TCG otherwise (--kvm,
# --tcg force). --display gives QEMU "-display OPTS" instead of -nographic
# (e.g. egl-headless for a vGPU's dma-buf display). Example:
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
DISPLAY_ARGS=(-nographic)
SCRIPT=
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
	else
		ACCEL_ARGS=(-accel tcg -cpu max)
	fi
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
echo "l2: booted in $(cut -d' ' -f1 /proc/uptime)s"
cd /job && sh ./job.sh </dev/null
echo "MVGPU_L2_RC=$?"
sync
poweroff -f
INIT
}

# busybox + /init, cached; the job goes in a second cpio put before it (the
# kernel takes uncompressed archives before compressed ones, not after).
build_base() {
	local busybox=/bin/busybox key stage
	key=$({ sha256sum "$busybox"; guest_init; } | sha256sum | cut -c1-16)
	BASE=$CACHE/base-$key.cpio.gz
	[ -f "$BASE" ] && return 0
	mkdir -p "$CACHE"
	stage=$(mktemp -d "$CACHE/.stage.XXXXXX")
	mkdir -p "$stage/bin"
	cp "$busybox" "$stage/bin/busybox"
	ln -s busybox "$stage/bin/sh"
	guest_init >"$stage/init"
	chmod 0755 "$stage/init"
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1) \
		>"$BASE.tmp"
	mv -f "$BASE.tmp" "$BASE"
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

run_guest() {
	local qemu=(qemu-system-x86_64 "${ACCEL_ARGS[@]}" -m "$MEM" -smp 1
		"${DISPLAY_ARGS[@]}" -nodefaults -serial stdio -no-reboot
		-kernel "$VMLINUZ" -initrd "$WORK/initrd"
		-append "console=ttyS0 quiet panic=-1$APPEND"
		"${QEMU_ARGS[@]}")
	local start=$SECONDS
	say "booting L2 (${ACCEL}, ${MEM} MB)"
	set +e
	timeout --foreground -k 10 "$TIMEOUT" "${qemu[@]}" </dev/null 2>&1 |
		sed -u -e 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[c78]//g; s/\r//g' \
			-e '/^SeaBIOS (version/d; /^Booting from ROM/d; /^$/d; /\] reboot: Power down$/d' |
		tee "$WORK/console.log" | grep -v '^MVGPU_L2_RC='
	QEMU_RC=${PIPESTATUS[0]}
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
	run_guest
	# QEMU 7.2's TCG nested in L1's TCG now and then crashes the guest
	# kernel while it boots (seen: a page fault in start_kernel's slab
	# setup), before /init or any driver ran: boot it once more.
	if [ "$QEMU_RC" != 124 ] && ! grep -q '^l2: booted in' "$WORK/console.log"; then
		say "L2 kernel died before /init ran; booting it again"
		run_guest
	fi
	verdict
}

main "$@"; exit # one line: safe if the file is edited while running
