#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The L2 guest's job for tests/e2e/display_kms.sh: load mvgpu_drm, show
# known text on the fbcon console and ask the host (on /dev/ttyS1, the
# sync port) to check its screendump against /dev/fb0, then run kms_test
# with the same port for its patterns.  Prints MVGPU_DISPLAY lines; exits
# non-zero if anything failed.
rc=0
fail() { echo "MVGPU_DISPLAY FAIL $*"; rc=1; }
log() { dmesg | grep -E 'mvgpu|drm|fb' | tail -n 40 | sed 's/^/# guest: /'; }
SYNC=/dev/ttyS1

if ! sh ./modules/load.sh; then
	fail "modules did not load"
	log
	exit 1
fi
echo "MVGPU_DISPLAY loaded:" /dev/dri/* /dev/fb*
stty -F $SYNC raw -echo 2>/dev/null

# fbcon: clear tty1, no blinking cursor, known text
fb=/sys/class/graphics/fb0
if [ -r $fb/virtual_size ]; then
	echo "MVGPU_DISPLAY fb0: $(cat $fb/name) $(cat $fb/virtual_size) stride $(cat $fb/stride)"
	echo 0 > /sys/class/graphics/fbcon/cursor_blink 2>/dev/null
	printf '\033[?25l\033[H\033[2J' > /dev/tty1
	i=0
	while [ $i -lt 4 ]; do
		printf 'mvgpu console line %d: The quick brown fox jumps over the lazy dog 0123456789\n' $i > /dev/tty1
		i=$((i + 1))
	done
	sleep 1
	w=$(cut -d, -f1 $fb/virtual_size)
	h=$(cut -d, -f2 $fb/virtual_size)
	stride=$(cat $fb/stride)
	md5=$(head -c $((h * stride)) /dev/fb0 | md5sum | cut -d' ' -f1)
	exec 3<>$SYNC
	echo "FB console $w $h $stride $md5" >&3
	read -r ans <&3
	exec 3>&-
	echo "MVGPU_DISPLAY console checked: $ans"
else
	fail "no fbdev emulation (fb0)"
fi

MVGPU_KMS_SYNC=$SYNC ./kms_test || fail "kms_test"
# the console is back once the KMS client is gone
if [ -r $fb/virtual_size ]; then
	printf 'mvgpu console after kms_test\n' > /dev/tty1
fi
rmmod mvgpu_drm || fail "rmmod mvgpu_drm"
log
echo "MVGPU_DISPLAY done rc=$rc"
exit $rc
