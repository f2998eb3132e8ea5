#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Inside the L1 VM, with mvgpu loaded: QEMU's own vfio display code reads
# a vGPU's screen.  An L2 guest programs a plane (guest_plane.sh); QEMU
# runs with -device vfio-pci,sysfsdev=...,display=on and no GUI; QMP
# screendump must write the guest's pixels (region plane).  TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TYPE_DIR=/sys/class/mdev_bus/mvgpu0/mdev_supported_types
TMP=$(mktemp -d)
QMP=$TMP/qmp.sock
SHOT=$TMP/shot.ppm

echo "1..2"
uuid=$(cat /proc/sys/kernel/random/uuid)
echo "$uuid" > "$TYPE_DIR/mvgpu-V1_8/create" || { echo "not ok 1 create"; exit 1; }
"$TOP/tests/vm/l2.sh" --timeout 500 \
	--qemu-arg -device \
	--qemu-arg "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid,display=on" \
	--qemu-arg -qmp --qemu-arg "unix:$QMP,server=on,wait=off" \
	-- "$TOP/tests/e2e/guest_plane.sh" >"$TMP/l2.log" 2>&1 &
l2=$!
for _ in $(seq 400); do
	grep -q MVGPU_PLANE_READY "$TMP/l2.log" && break
	kill -0 $l2 2>/dev/null || break
	sleep 1
done
grep "MVGPU_PLANE \|vfio\|qemu" "$TMP/l2.log" | sed 's/^/# /'
python3 - "$QMP" "$SHOT" <<'PY'
import json, socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
f = s.makefile("rw")
def cmd(c, **a):
    f.write(json.dumps({"execute": c, "arguments": a}) + "\n"); f.flush()
    while True:
        r = json.loads(f.readline())
        if "return" in r or "error" in r:
            return r
json.loads(f.readline())
cmd("qmp_capabilities")
time.sleep(2)	# a display refresh or two
print("# screendump:", cmd("screendump", filename=sys.argv[2]))
PY
if python3 - "$SHOT" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
parts = d.split(b"\n", 3)
w, h = map(int, parts[1].split())
px = parts[3]
def at(x, y):
    o = (y * w + x) * 3
    return tuple(px[o:o + 3])
print("# screendump %dx%d, (0,0)=%s (15,15)=%s" % (w, h, at(0, 0), at(w - 1, h - 1)))
ok = (w, h) == (16, 16) and at(0, 0) == (255, 0, 0) and at(15, 15) == (0, 0, 255)
sys.exit(0 if ok else 1)
PY
then
	echo "ok 1 QMP screendump shows the guest's plane"
else
	echo "not ok 1 QMP screendump shows the guest's plane"
	tail -n 30 "$TMP/l2.log" | sed 's/^/# L2: /'
	rc=1
fi
wait $l2	# the guest powers off after 20 s
if echo 1 > "/sys/bus/mdev/devices/$uuid/remove"; then
	echo "ok 2 vGPU removed after QEMU"
else
	echo "not ok 2 vGPU removed after QEMU"
	rc=1
fi
rm -rf "$TMP"
exit "${rc:-0}"
