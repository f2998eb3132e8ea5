#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The L2 guest's job in the guests the host migrates while they run
# (tests/vm/libvirt_migrate.sh with virsh, tests/e2e/guest_migrate.sh
# with QEMU): load mvgpu_drm, then rounds of drm_smoke's verified fill
# and stores, two seconds apart (one with mvgpu_mig.ctl=1), while the host
# migrates the guest.
# Kernel command line:
#   mvgpu_mig.rounds=N   rounds (default 40)
#   mvgpu_mig.fb=1       first show known text on the fbcon console and
#                        print "MVGPU_MIG fb <w> <h> <stride> <md5 of
#                        /dev/fb0>", again after the last round
#   mvgpu_mig.nodev=1    the same guest with no vGPU: rounds of sleep only
#   mvgpu_mig.ctl=1      a line with "stop" on /dev/ttyS1 ends the rounds
#                        (rounds one second apart)
# Prints "MVGPU_MIG round N ok|FAIL"; exits non-zero if any round failed.
arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^mvgpu_mig\.$1=//p"; }
rounds=$(arg rounds)
rounds=${rounds:-40}
nodev=$(arg nodev)
show_fb=$(arg fb)
ctl=/dev/null
if [ "$(arg ctl)" = 1 ]; then
	ctl=/dev/ttyS1
	stty -F $ctl raw -echo 2>/dev/null
fi
exec 3<$ctl
fb=/sys/class/graphics/fb0

# the fb's size and the md5 of what it shows
fb_line() {
	w=$(cut -d, -f1 $fb/virtual_size)
	h=$(cut -d, -f2 $fb/virtual_size)
	stride=$(cat $fb/stride)
	echo "MVGPU_MIG fb $w $h $stride $(head -c $((h * stride)) /dev/fb0 | md5sum | cut -d' ' -f1)"
}

show_text() {
	i=0
	if [ ! -r $fb/virtual_size ]; then
		echo "MVGPU_MIG fb FAIL: no fbdev emulation (fb0)"
		return 1
	fi
	echo 0 > /sys/class/graphics/fbcon/cursor_blink 2>/dev/null
	printf '\033[?25l\033[H\033[2J' > /dev/tty1
	while [ $i -lt 4 ]; do
		printf 'mvgpu migration line %d: The quick brown fox jumps over the lazy dog 0123456789\n' $i > /dev/tty1
		i=$((i + 1))
	done
	sleep 1
	fb_line
}

rc=0
if [ "$nodev" != 1 ]; then
	sh ./guest_lspci.sh
	if ! sh ./modules/load.sh; then
		echo "MVGPU_MIG load FAIL"
		exit 1
	fi
	echo "MVGPU_MIG loaded (at $(cut -d" " -f1 /proc/uptime) s)"
	[ "$show_fb" != 1 ] || show_text || rc=1
fi
i=0
while [ $i -lt "$rounds" ]; do
	i=$((i + 1))
	if [ "$nodev" = 1 ] ||
		./drm_smoke -t fill_on_bcs_then_store_on_rcs_in_a_ppgtt_context >/tmp/out 2>&1; then
		echo "MVGPU_MIG round $i ok (at $(cut -d' ' -f1 /proc/uptime) s)"
	else
		echo "MVGPU_MIG round $i FAIL at $(cut -d' ' -f1 /proc/uptime) s"
		sed 's/^/# /' /tmp/out
		rc=1
	fi
	# shellcheck disable=SC3045 # busybox ash has read -t
	if [ $ctl = /dev/null ]; then
		sleep 2
	elif read -r -t 1 line <&3; then
		case $line in
		*stop*)
			echo "MVGPU_MIG stopped after round $i"
			break
			;;
		esac
	fi
done
[ "$nodev" = 1 ] && exit $rc
[ "$show_fb" != 1 ] || fb_line
rmmod mvgpu_drm || rc=1
[ $rc = 0 ] || dmesg | grep -E 'mvgpu|drm' | tail -n 20 | sed 's/^/# guest: /'
exit $rc
