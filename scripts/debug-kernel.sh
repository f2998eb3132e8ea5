#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The debug kernel: the source of the Debian 6.12 kernel (linux-source-6.12)
# built with a small config plus KASAN, lockdep, kmemleak and debug objects,
# to run the VM suite on (tests/debug-check.sh, "make debug-check").
#
#   scripts/debug-kernel.sh           build it once and print its cache dir:
#                                     bzImage, config, System.map and headers/
#                                     (the tree external modules build against)
#   scripts/debug-kernel.sh --module  also build mvgpu.ko and mvgpu_native.ko
#                                     against it, from a copy of the sources in
#                                     build/debug-module/ (the normal build is
#                                     left alone); print mvgpu.ko's path
#   scripts/debug-kernel.sh --key     print the cache key only
#
# The cache is build/cache/debug-kernel/<key>/, the key a hash of the source
# package version, the compiler and the config below; the build log is
# build/cache/debug-kernel/<key>.log, the build tree build/cache/debug-kernel/
# work/.  A build takes about 40 CPU-minutes (20 min on 2 cores, over an
# hour when other jobs load them); a failed one resumes, and a config
# change rebuilds only what it touches.
# Everything the test VM needs is built in: the kernel has no module tree.
# Only the paths go to stdout; messages go to stderr.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=$TOP/build/cache/debug-kernel
SRC_PKG=linux-source-6.12

log() { echo "debug-kernel.sh: $*" >&2; }
die() { echo "debug-kernel.sh: error: $*" >&2; exit 1; }

# The config, applied on top of "make defconfig" and checked afterwards:
# every line must hold in the final .config ("=n": not set).
config_fragment() {
	cat <<'EOF'
# What the test VM needs, built in: tests/vm/vm.sh, init.sh, l2.sh.
LOCALVERSION="-mvgpu-debug"
LOCALVERSION_AUTO=n
WERROR=n
IKCONFIG=y
IKCONFIG_PROC=y
MODULES=y
MODULE_UNLOAD=y
DEBUG_FS=y
BLK_DEV_INITRD=y
DEVTMPFS=y
TMPFS=y
UNIX=y
SERIAL_8250_CONSOLE=y
VIRTIO_PCI=y
NET_9P=y
NET_9P_VIRTIO=y
9P_FS=y
9P_FS_POSIX_ACL=y
# L2 guests run on KVM on the SVM of QEMU's "-cpu max" (TCG has no VMX).
VIRTUALIZATION=y
KVM=y
KVM_AMD=y
KVM_AMD_SEV=n
KVM_INTEL=n
KVM_EXTERNAL_WRITE_TRACKING=y
VFIO=y
VFIO_GROUP=y
# /dev/vfio/vfio served by iommufd, not type1: type1 calls dma_unmap()
# with its device_list_lock held, and the vfio_unpin_pages() it requires
# there takes iommu->lock, which its device registration holds while it
# takes device_list_lock.  Lockdep reports that pair, VFIO's own, the first
# time any mdev driver unpins, and stops checking (Documentation/testing.rst).
VFIO_CONTAINER=n
VFIO_IOMMU_TYPE1=n
IOMMUFD=y
IOMMUFD_VFIO_CONTAINER=y
# And the device cdev (/dev/vfio/devices/vfioN), which Debian leaves out.
VFIO_DEVICE_CDEV=y
VFIO_MDEV=y
# mvgpu calls vfio_virqfd_*(); VFIO_PCI selects VFIO_VIRQFD, as in Debian.
VFIO_PCI=y
VFIO_VIRQFD=y
# As in Debian's kernel.
USERFAULTFD=y
SOFTLOCKUP_DETECTOR=y
DETECT_HUNG_TASK=y
DEFAULT_HUNG_TASK_TIMEOUT=120
HZ_1000=n
HZ_250=y
# The checks.
DEBUG_KERNEL=y
KASAN=y
KASAN_GENERIC=y
KASAN_INLINE=y
KASAN_VMALLOC=y
PROVE_LOCKING=y
PROVE_RCU=y
LOCKDEP_BITS=16
LOCKDEP_CHAINS_BITS=17
LOCKDEP_STACK_TRACE_BITS=20
DEBUG_ATOMIC_SLEEP=y
DEBUG_KMEMLEAK=y
DEBUG_KMEMLEAK_DEFAULT_OFF=n
DEBUG_KMEMLEAK_AUTO_SCAN=n
DEBUG_OBJECTS=y
DEBUG_OBJECTS_SELFTEST=n
DEBUG_OBJECTS_FREE=y
DEBUG_OBJECTS_TIMERS=y
DEBUG_OBJECTS_WORK=y
DEBUG_OBJECTS_RCU_HEAD=y
DEBUG_OBJECTS_PERCPU_COUNTER=y
DEBUG_OBJECTS_ENABLE_DEFAULT=1
DEBUG_LIST=y
DEBUG_VM=y
# A smaller build: hardware the test VM does not have.
SOUND=n
USB_SUPPORT=n
HID_SUPPORT=n
WIRELESS=n
WLAN=n
CFG80211=n
RFKILL=n
ETHERNET=n
NETCONSOLE=n
NETFILTER=n
DRM=n
AGP=n
PCCARD=n
ATA=n
SCSI=n
MD=n
EXT4_FS=n
NFS_FS=n
QUOTA=n
ISO9660_FS=n
MSDOS_FS=n
VFAT_FS=n
AUTOFS_FS=n
SECURITY_SELINUX=n
HIBERNATION=n
INPUT_JOYSTICK=n
INPUT_TABLET=n
INPUT_TOUCHSCREEN=n
INPUT_MISC=n
MACINTOSH_DRIVERS=n
X86_PLATFORM_DEVICES=n
EOF
}

config_lines() {
	config_fragment | grep -vE '^(#|$)'
}

# mvgpu needs two symbols that have no prompt: in-tree only i915's KVMGT
# (and s390) select them.  Give them one instead of building i915; no code
# changes.  Each line: Kconfig file, symbol, new type line.
kconfig_prompts() {
	cat <<'EOF'
arch/x86/kvm/Kconfig KVM_EXTERNAL_WRITE_TRACKING bool "KVM external write tracking (mvgpu debug kernel)"
drivers/vfio/mdev/Kconfig VFIO_MDEV tristate "Mediated device framework (mvgpu debug kernel)"
EOF
}

source_tarball() {
	local t
	for t in /usr/src/"$SRC_PKG".tar.*; do
		[ -f "$t" ] && { echo "$t"; return 0; }
	done
	die "$SRC_PKG is installed but /usr/src/$SRC_PKG.tar.* is missing"
}

# Everything the kernel depends on; the script's other text is not part
# of it, so editing comments or the module build does not rebuild.
cache_key() {
	{
		dpkg-query -W -f='${Package} ${Version}\n' "$SRC_PKG"
		gcc --version | head -n1
		echo "base: defconfig, mod2yesconfig"
		config_lines
		kconfig_prompts
	} | sha256sum | cut -c1-16
}

# The identity of the unpacked source: package version and Kconfig edits.
source_id() {
	dpkg-query -W -f='${Package} ${Version}\n' "$SRC_PKG"
	kconfig_prompts
}

# Unpack the source into the work dir once (again when it changes, then
# with a fresh object tree too).
unpack_source() {
	local work=$1 tarball
	[ "$(cat "$work/src/.unpacked" 2>/dev/null)" = "$(source_id)" ] && return 0
	tarball=$(source_tarball)
	log "unpacking $tarball"
	rm -rf "$work/src" "$work/obj" "$work/.configured"
	mkdir -p "$work/src"
	tar -C "$work/src" --strip-components=1 -xf "$tarball"
	add_kconfig_prompts "$work/src"
	source_id >"$work/src/.unpacked"
}

add_kconfig_prompts() {
	local src=$1 file sym type
	while read -r file sym type; do
		grep -qx "config $sym" "$src/$file" || die "no 'config $sym' in $file"
		sed -i "/^config $sym\$/{n;s/^\\t\\(bool\\|tristate\\)\$/\\t$type/}" "$src/$file"
		grep -qF "$type" "$src/$file" || die "cannot give $sym a prompt in $file"
	done < <(kconfig_prompts)
}

# scripts/config arguments for one "NAME=value" line.
config_args() {
	local name=${1%%=*} value=${1#*=}
	case $value in
	y) echo "--enable $name" ;;
	n) echo "--disable $name" ;;
	m) echo "--module $name" ;;
	\"*\") echo "--set-str $name ${value//\"/}" ;;
	*) echo "--set-val $name $value" ;;
	esac
}

configure() {
	local src=$1 obj=$2 line bad=()
	log "configuring (defconfig + fragment)"
	make -s -C "$src" O="$obj" defconfig >&2
	while read -r line; do
		# shellcheck disable=SC2046 # word splitting intended
		"$src/scripts/config" --file "$obj/.config" $(config_args "$line")
	done < <(config_lines)
	make -s -C "$src" O="$obj" olddefconfig >&2
	make -s -C "$src" O="$obj" mod2yesconfig >&2
	while read -r line; do
		if [ "${line#*=}" = n ]; then
			! grep -qE "^CONFIG_${line%%=*}=[ym]\$" "$obj/.config" || bad+=("$line")
		else
			grep -qxF "CONFIG_$line" "$obj/.config" || bad+=("$line")
		fi
	done < <(config_lines)
	[ ${#bad[@]} -eq 0 ] || die "config does not hold: ${bad[*]} (see $obj/.config)"
}

# The tree external modules build against, as "make bindeb-pkg" makes it.
install_headers() {
	local src=$1 obj=$2 dest=$3
	rm -rf "$dest"
	(cd "$obj" && srctree=$src SRCARCH=x86 MAKE=make CC=gcc HOSTCC=gcc \
		sh "$src/scripts/package/install-extmod-build" "$dest")
	cp "$obj/.config" "$dest/.config"
}

# Build in the work dir, which is kept (about 2.5 GB): after a change of
# the config, kbuild rebuilds only what the change touches.  Then the
# results go to <key>/ and the results of older keys are dropped.
build_kernel() {
	local dir=$1 key=$2 work=$CACHE/work start=$SECONDS stage
	mkdir -p "$work"
	unpack_source "$work"
	if [ "$(cat "$work/.configured" 2>/dev/null)" != "$key" ]; then
		configure "$work/src" "$work/obj"
		echo "$key" >"$work/.configured"
	fi
	log "building with -j$(nproc) (log: $CACHE/$key.log)"
	# Nice: the build shares the machine with test VMs.
	nice -n 10 make -C "$work/src" O="$work/obj" -j"$(nproc)" all >"$CACHE/$key.log" 2>&1 ||
		{ tail -n 30 "$CACHE/$key.log" >&2; die "kernel build failed (see $CACHE/$key.log)"; }
	stage=$CACHE/.stage-$key
	rm -rf "$stage"
	mkdir -p "$stage"
	install_headers "$work/src" "$work/obj" "$stage/headers" >>"$CACHE/$key.log" 2>&1 ||
		die "installing the headers failed (see $CACHE/$key.log)"
	cp "$work/obj/arch/x86/boot/bzImage" "$stage/bzImage"
	cp "$work/obj/System.map" "$stage/System.map"
	cp "$work/obj/.config" "$stage/config"
	cat "$work/obj/include/config/kernel.release" >"$stage/release"
	echo "built in $((SECONDS - start)) s on $(nproc) CPUs, $(date -u +%FT%TZ)" >"$stage/.stamp"
	rm -rf "$dir"
	mv "$stage" "$dir"
	find "$CACHE" -mindepth 1 -maxdepth 1 -regextype posix-extended \
		-regex '.*/[0-9a-f]{16}(\.log)?' ! -name "$key*" -exec rm -rf {} +
	log "built $(cat "$dir/release") in $((SECONDS - start)) s"
}

ensure_kernel() {
	local key dir
	key=$(cache_key)
	dir=$CACHE/$key
	[ -f "$dir/.stamp" ] && { echo "$dir"; return 0; }
	exec 9>"$CACHE/.lock"
	flock 9
	[ -f "$dir/.stamp" ] || build_kernel "$dir" "$key"
	echo "$dir"
}

# mvgpu.ko and mvgpu_native.ko (beside it) for the debug kernel, from a
# copy of the sources: kbuild puts objects next to the sources, which
# would mix with the normal build.
build_module() {
	local kdir=$1 dst=$TOP/build/debug-module
	if [ "$(cat "$dst/.kernel" 2>/dev/null)" != "$kdir" ]; then
		rm -rf "$dst"
		mkdir -p "$dst"
		echo "$kdir" >"$dst/.kernel"
	fi
	(cd "$TOP" && find Kbuild gvt mdev native sgpu include -name Kbuild -o -name '*.[ch]' |
		cpio -pdmu --quiet "$dst" 2>/dev/null) || die "cannot copy the sources to $dst"
	# -g: line numbers for the stacks of KASAN, lockdep and kmemleak reports
	# (scripts/faddr2line build/debug-module/mvgpu.ko func+0x12/0x34).
	make -C "$kdir/headers" M="$dst" KCFLAGS=-g modules >"$dst/build.log" 2>&1 ||
		{ tail -n 30 "$dst/build.log" >&2; die "module build failed (see $dst/build.log)"; }
	echo "$dst/mvgpu.ko"
}

main() {
	local kdir
	mkdir -p "$CACHE"
	"$TOP/scripts/deps.sh" --kernel-build >&2 || die "installing the packages failed"
	case ${1:-} in
	--key) cache_key ;;
	--module) kdir=$(ensure_kernel); build_module "$kdir" ;;
	"") ensure_kernel ;;
	*) die "usage: $0 [--module | --key]" ;;
	esac
}

main "$@"; exit # one line: safe if the file is edited while running
