#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# QEMU (10, MVGPU_QEMU) live-migrates a running VM with a vGPU from
# mvgpu0 to a vGPU of the same type on mvgpu1 through the VFIO migration
# uAPI v2, the way users run it (Documentation/migration.rst), and the
# same VM without a device, interleaved: prints each downtime from
# query-migrate and the ratio of the medians.  The VM runs its firmware
# only (no guest OS): this checks QEMU's side of the protocol and the
# device's share of the downtime, not a guest driver's work (that is
# tests/vm/migration_test.c).  Loads mvgpu with two pGPUs if needed and
# restores it.  Runs in the L1 VM; TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/vm/modules.sh"
. "$TOP/tests/lib/tap.sh"
QEMU=${MVGPU_QEMU:-$TOP/build/cache/qemu10/bin/qemu-system-x86_64}
ROUNDS=${MVGPU_MIGRATE_ROUNDS:-3}
D=$(mktemp -d)
PIDS=()

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	modules_one_pgpu
	rm -rf "$D"
}
trap cleanup EXIT

new_vgpu() { # pgpu -> uuid
	local uuid
	uuid=$(cat /proc/sys/kernel/random/uuid)
	echo "$uuid" > "/sys/class/mdev_bus/$1/mdev_supported_types/mvgpu-V1_8/create" &&
		echo "$uuid"
}

# Start a VM; $1: name, $2: uuid or "" for none, then QEMU arguments.
vm() {
	local name=$1 uuid=$2 dev=()
	shift 2
	[ -z "$uuid" ] || dev=(-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid,x-device-dirty-page-tracking=off,enable-migration=on")
	"$QEMU" -accel tcg -nodefaults -display none -m 128 "${dev[@]}" \
		-qmp "unix:$D/$name.qmp,server=on,wait=off" "$@" \
		>"$D/$name.log" 2>&1 &
	PIDS+=($!)
}

# Migrate VM $1 into VM $2 (started with -incoming); prints the downtime
# in ms, or nothing when the migration did not complete.
migrate() {
	python3 - "$D/$1.qmp" "$D/$2.qmp" "$D/$2.sock" <<'PY'
import json, socket, sys, time

def qmp(path):
    for _ in range(100):
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(path)
            break
        except OSError:
            time.sleep(0.1)
    f = s.makefile("rw")
    f.readline()
    def cmd(c, **a):
        f.write(json.dumps({"execute": c, "arguments": a}) + "\n")
        f.flush()
        while True:
            r = json.loads(f.readline())
            if "return" in r or "error" in r:
                return r
    cmd("qmp_capabilities")
    return cmd

src, dst = qmp(sys.argv[1]), qmp(sys.argv[2])
time.sleep(2)
src("migrate", uri="unix:" + sys.argv[3])
for _ in range(240):
    r = src("query-migrate")["return"]
    if r.get("status") in ("completed", "failed", "cancelled"):
        break
    time.sleep(0.25)
print("# query-migrate:", json.dumps({k: r.get(k) for k in
      ("status", "downtime", "total-time", "vfio", "error-desc")}), file=sys.stderr)
running = dst("query-status")["return"].get("running")
if r.get("status") == "completed" and running:
    print(r["downtime"])
PY
}

median() {
	sort -n | awk '{a[NR] = $1} END {if (NR) print a[int((NR + 1) / 2)]}'
}

echo "TAP version 13"
if [ ! -x "$QEMU" ]; then
	echo "1..0 # SKIP no QEMU 10 ($QEMU): scripts/qemu10.sh"
	exit 0
fi
modules_two_pgpus
tap $? "two pGPUs"

: >"$D/with"
: >"$D/without"
for r in $(seq "$ROUNDS"); do
	a=$(new_vgpu mvgpu0) && b=$(new_vgpu mvgpu1)
	tap $? "round $r: vGPUs on mvgpu0 and mvgpu1"
	vm a "$a"
	vm b "$b" -incoming "unix:$D/b.sock"
	t=$(migrate a b 2>"$D/q.txt")
	sed 's/^/# with vGPU: /' "$D/q.txt"
	[ -n "$t" ]
	tap $? "round $r: the VM with a vGPU migrates and runs on the destination"
	[ -z "$t" ] || echo "$t" >>"$D/with"
	grep -h "vfio\|mvgpu" "$D"/a.log "$D"/b.log | grep -v "^vfio_" | sed 's/^/# QEMU: /'
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	PIDS=()
	echo 1 >"/sys/bus/mdev/devices/$a/remove"
	# shellcheck disable=SC2320 # the status of the write to "remove"
	tap $? "round $r: the source vGPU can be removed"
	echo 1 >"/sys/bus/mdev/devices/$b/remove"

	vm c ""
	vm d "" -incoming "unix:$D/d.sock"
	t=$(migrate c d 2>"$D/q.txt")
	sed 's/^/# without: /' "$D/q.txt"
	[ -n "$t" ]
	tap $? "round $r: the same VM without a device migrates"
	[ -z "$t" ] || echo "$t" >>"$D/without"
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	PIDS=()
done
w=$(median <"$D/with")
o=$(median <"$D/without")
echo "# downtime (ms) with a vGPU: $(tr '\n' ' ' <"$D/with")median $w"
echo "# downtime (ms) without a device: $(tr '\n' ' ' <"$D/without")median $o"
if [ -n "$w" ] && [ -n "$o" ] && [ "$o" -gt 0 ]; then
	echo "# downtime ratio (with / without): $(awk -v w="$w" -v o="$o" 'BEGIN {printf "%.2f", w / o}')"
fi
finish
