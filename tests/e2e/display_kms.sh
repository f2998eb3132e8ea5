#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Inside the L1 VM, with mvgpu loaded: an L2 guest (KVM) with its vGPU's
# display (vfio-pci display=on, no GUI) loads mvgpu_drm, shows known text
# on the fbcon console, then runs tests/guest/kms_test (patterns, flips,
# vblank rate, mode change, disable/enable, flips under render load).
# At each step the guest asks, on a second serial port, for a QMP
# screendump, which tests/e2e/display_check.py compares pixel for pixel
# with what the guest drew.  Needs "make -C tests/guest".  TAP output.
#   MVGPU_QEMU=/path/to/qemu-system-x86_64   (default: the one on PATH)
#   MVGPU_DISPLAY_ACCEL=tcg                  boot the guest on TCG
#   MVGPU_DISPLAY_OUT=DIR                    keep the screendumps there
#   MVGPU_DISPLAY_EGL=1                      QEMU -display egl-headless (the
#       vGPU's dma-buf planes, rendered by Mesa on vgem's render node)
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
TYPE_DIR=/sys/class/mdev_bus/mvgpu0/mdev_supported_types
GUEST=$TOP/build/guest

echo "TAP version 13"
if [ ! -x "$GUEST/kms_test" ] || [ ! -f "$GUEST/modules/load.sh" ]; then
	tap 1 "build/guest is built (make -C tests/guest)"
	finish
fi
qemu=${MVGPU_QEMU:-qemu-system-x86_64}
echo "# $("$qemu" --version | head -n1)"
tmp=$(mktemp -d)
out=${MVGPU_DISPLAY_OUT:-$tmp/shots}
uuid=$(cat /proc/sys/kernel/random/uuid)
echo "$uuid" > "$TYPE_DIR/mvgpu-V1_8/create" || { tap 1 "create vGPU"; finish; }
display=()
if [ "${MVGPU_DISPLAY_EGL:-0}" = 1 ]; then
	# a render node for Mesa (software rendering over vgem's GEM objects)
	# (decompressed by "scripts/kernel.sh --modules vgem" on the build machine)
	# shellcheck disable=SC2012 # a path of known names
	kdir=$(ls -d "$TOP"/build/cache/kernel/*/lib/modules/*/kernel/drivers/gpu/drm | head -n1)
	for m in drm.ko drm_kms_helper.ko drm_shmem_helper.ko vgem/vgem.ko; do
		[ -d "/sys/module/$(basename "$m" .ko)" ] || insmod "$kdir/$m"
	done
	export MESA_LOADER_DRIVER_OVERRIDE=${MESA_LOADER_DRIVER_OVERRIDE:-kms_swrast} XDG_CACHE_HOME=/tmp
	# shellcheck disable=SC2012 # device nodes
	node=$(ls /dev/dri/renderD* 2>/dev/null | head -n1)
	echo "# egl-headless on ${node:-no render node}"
	display=(--display "egl-headless${node:+,rendernode=$node}")
fi
python3 "$TOP/tests/e2e/display_check.py" "$tmp/qmp.sock" "$tmp/sync.sock" "$out" \
	>"$tmp/checks" 2>"$tmp/checks.err" &
checker=$!
guest=$(PATH="$(dirname "$(command -v "$qemu")"):$PATH" \
	"$TOP/tests/vm/l2.sh" "--${MVGPU_DISPLAY_ACCEL:-kvm}" --timeout 900 --mem 512 "${display[@]}" \
	--file "$GUEST/modules" --file "$GUEST/kms_test" \
	--qemu-arg -device \
	--qemu-arg "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid,display=${MVGPU_DISPLAY_ON:-on}" \
	--qemu-arg -qmp --qemu-arg "unix:$tmp/qmp.sock,server=on,wait=off" \
	--qemu-arg -chardev --qemu-arg "socket,id=sync,path=$tmp/sync.sock,server=on,wait=off" \
	--qemu-arg -device --qemu-arg "isa-serial,chardev=sync" \
	-- "$TOP/tests/guest/display.job.sh" 2>&1)
rc=$?
# the guest is gone: the checker sees its sockets close
for _ in $(seq 50); do kill -0 "$checker" 2>/dev/null || break; sleep 0.2; done
kill "$checker" 2>/dev/null
wait "$checker" 2>/dev/null
# shellcheck disable=SC2001 # every line of it
sed 's/^/# /' <<<"$guest"
sed 's/^/# /' "$tmp/checks" "$tmp/checks.err"
echo "# l2.sh exited with $rc"
check "guest loads mvgpu_drm, shows its console and kms_test passes" test "$rc" -eq 0
for t in modes_come_from_the_edid a_pattern_then_a_flip_to_another_are_shown \
	flips_complete_at_the_vblank_rate mode_change_and_back disable_then_enable \
	bad_framebuffers_are_refused flips_go_on_while_render_work_runs \
	atomic_commits_flip_and_test_only_changes_nothing \
	the_display_comes_back_after_a_full_gpu_reset; do
	check "guest: $t" grep -q "^ok [0-9]* kms\.$t" <<<"$guest"
done
for shot in console first second small after_reset; do
	check "screendump '$shot' is what the guest drew" grep -q "^CHECK ok $shot " "$tmp/checks"
done
check "no screendump check failed" bash -c "! grep -q '^CHECK fail' '$tmp/checks'"
grep -h "vblank:\|under load:" <<<"$guest" | sed 's/^/# figure: /'
echo 1 > "/sys/bus/mdev/devices/$uuid/remove" || tap 1 "remove vGPU"
rm -rf "$tmp"
finish
