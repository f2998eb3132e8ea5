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
# The L2 console reaches the log only at the end (a pipe buffers it):
# take screendumps until one shows the guest's plane or the guest ends.
if python3 - "$QMP" "$SHOT" "$l2" <<'PY'
import json, os, socket, sys, time

def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False

def dump(path, shot):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    f = s.makefile("rw")
    json.loads(f.readline())
    def cmd(c, **a):
        f.write(json.dumps({"execute": c, "arguments": a}) + "\n")
        f.flush()
        while True:
            r = json.loads(f.readline())
            if "return" in r or "error" in r:
                return r
    cmd("qmp_capabilities")
    r = cmd("screendump", filename=shot)
    s.close()
    return r

def pixels(shot):
    d = open(shot, "rb").read()
    parts = d.split(b"\n", 3)
    w, h = map(int, parts[1].split())
    px = parts[3]
    at = lambda x, y: tuple(px[(y * w + x) * 3:(y * w + x) * 3 + 3])
    return w, h, at(0, 0), at(w - 1, h - 1)

qmp, shot, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
end, last = time.time() + 480, None
while time.time() < end and alive(pid):
    time.sleep(2)
    try:
        r = dump(qmp, shot)
        last = pixels(shot) if "return" in r else r
    except (OSError, ValueError) as e:
        last = e
        continue
    if last == (16, 16, (255, 0, 0), (0, 0, 255)):
        print("# screendump 16x16: (0,0) red, (15,15) blue")
        sys.exit(0)
print("# last screendump:", last)
sys.exit(1)
PY
then
	echo "ok 1 QMP screendump shows the guest's plane"
else
	echo "not ok 1 QMP screendump shows the guest's plane"
	rc=1
fi
wait $l2	# the guest powers off after 20 s
grep "MVGPU_PLANE \|vfio\|qemu\|FAIL" "$TMP/l2.log" | sed 's/^/# L2: /'
if echo 1 > "/sys/bus/mdev/devices/$uuid/remove"; then
	echo "ok 2 vGPU removed after QEMU"
else
	echo "not ok 2 vGPU removed after QEMU"
	rc=1
fi
rm -rf "$TMP"
exit "${rc:-0}"
