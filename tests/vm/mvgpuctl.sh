#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mvgpuctl against the loaded module: list and types (their --json
# parsed by python3's json), create, show, reset, watch and remove of a
# real vGPU, its owner while a process holds it open (mvgpu-vfio hold),
# and the exit code and message of each kind of mistake.  TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CTL=$TOP/build/tools/mvgpuctl
VFIO=$TOP/build/tools/mvgpu-vfio
OUT=${MVGPU_OUT:-/tmp}
TYPE=mvgpu-V1_8
n=0 pass=0 fail=0
hold_pid=

ok() { # result description
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
		pass=$((pass + 1))
	else
		echo "not ok $n $2"
		fail=$((fail + 1))
	fi
}

# json FILE EXPR: print python3 expression EXPR of the JSON document j.
json() {
	python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# jcheck FILE EXPR...: every python3 expression EXPR of the JSON document
# j (and u, the vGPU's UUID) is true; one python3 for all (it is slow
# under TCG).  Prints the first that is not.
jcheck() {
	python3 - "$@" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
u = sys.argv[2]
for e in sys.argv[3:]:
    if not eval(e):
        print("# false: " + e)
        sys.exit(1)
PY
}

# expect_rc CODE PATTERN description cmd...: exit code and stderr message
expect_rc() {
	local want=$1 pat=$2 what=$3 rc
	shift 3
	"$@" >"$OUT/ctl.out" 2>"$OUT/ctl.err"
	rc=$?
	[ "$rc" = "$want" ] && grep -q -- "$pat" "$OUT/ctl.err"
	ok $? "$what: exit $rc (want $want), '$(head -1 "$OUT/ctl.err")'"
}

cleanup() {
	[ -n "$hold_pid" ] && kill "$hold_pid" 2>/dev/null && wait "$hold_pid" 2>/dev/null
	[ -n "${uuid:-}" ] && [ -e "/sys/bus/mdev/devices/$uuid" ] && echo 1 >"/sys/bus/mdev/devices/$uuid/remove"
	for u in "${extra[@]}"; do
		echo 1 >"/sys/bus/mdev/devices/$u/remove" 2>/dev/null
	done
}
extra=()
trap cleanup EXIT

echo "TAP version 13"

"$CTL" --json list -i 0 >"$OUT/list0.json"
ok $? "list --json runs"
jcheck "$OUT/list0.json" "" 'j["pgpus"][0]["name"] == "mvgpu0"' \
	'len(j["pgpus"][0]["types"]) > 0' 'type(j["vgpus"]) is list'
ok $? "list --json is JSON with pgpus (mvgpu0, its types) and vgpus"
avail0=$(json "$OUT/list0.json" "[t['available'] for t in j['pgpus'][0]['types'] if t['type'] == '$TYPE'][0]")
[ "$avail0" = "$(cat /sys/class/mdev_bus/mvgpu0/mdev_supported_types/$TYPE/available_instances)" ]
ok $? "$TYPE availability as sysfs says ($avail0)"

uuid=$("$CTL" create "$TYPE" 2>"$OUT/ctl.err")
ok $? "create $TYPE: $uuid"
[ -e "/sys/bus/mdev/devices/$uuid/mvgpu/vgpu_id" ]
ok $? "the vGPU exists in sysfs"
"$CTL" --json types >"$OUT/types.json"
jcheck "$OUT/types.json" "" "[t['available'] for t in j['pgpus'][0]['types'] if t['type'] == '$TYPE'][0] == $((avail0 - 1))"
ok $? "types --json: one fewer $TYPE available"

"$CTL" --json -i 200 list >"$OUT/list1.json"
q="[v for v in j['vgpus'] if v['uuid'] == u][0]"
jcheck "$OUT/list1.json" "$uuid" "$q['type'] == '$TYPE'" \
	"$q['vgpu_id'] == $(cat "/sys/bus/mdev/devices/$uuid/mvgpu/vgpu_id")" \
	"$q['owner_pid'] == 0" "$q['pgpu'] == 'mvgpu0'" \
	"$q['utilisation']['rcs'] == 0 and $q['utilisation']['bcs'] == 0" \
	"$q['utilisation']['interval_ms'] == 200" \
	"$q['memory']['aperture_size'] == $(cat "/sys/bus/mdev/devices/$uuid/mvgpu/aperture_size")" \
	"$q['memory']['pinned_pages'] == 0 and $q['failsafe'] is False" \
	"$q['counters']['submissions'] == 0"
ok $? "list --json: the vGPU's type, id, pGPU, no owner, no utilisation, memory, counters"

"$CTL" list -i 0 >"$OUT/list.txt"
grep -q "^$uuid mvgpu0" "$OUT/list.txt"
ok $? "list: a table row for the vGPU"

"$VFIO" "$uuid" hold 60 >"$OUT/hold.out" 2>&1 &
hold_pid=$!
for _ in $(seq 100); do
	grep -q holding "$OUT/hold.out" && break
	sleep 0.1
done
"$CTL" --json -i 0 show "$uuid" >"$OUT/show.json"
jcheck "$OUT/show.json" "$uuid" "j['owner_pid'] == $hold_pid" "j['uuid'] == u"
ok $? "show --json: owner_pid is the process holding it open ($hold_pid)"
expect_rc 5 "open by process $hold_pid" "remove while open" "$CTL" remove "$uuid"
kill "$hold_pid"
wait "$hold_pid" 2>/dev/null
hold_pid=
[ "$(cat "/sys/bus/mdev/devices/$uuid/mvgpu/owner_pid")" = 0 ]
ok $? "owner_pid back to 0 once closed"

"$CTL" reset "$uuid"
ok $? "reset"
"$CTL" --json -i 0 show "$uuid" >"$OUT/show2.json"
jcheck "$OUT/show2.json" "$uuid" "j['counters']['host_resets'] == 1" "j['owner_pid'] == 0"
ok $? "reset counted in host_resets"

# a vGPU kept busy by a client (the soak test, one vGPU for 8 s)
MVGPU_SOAK_VGPUS=1 MVGPU_SOAK_SECONDS=8 "$TOP/build/vm-tests/soak_test" >"$OUT/soak.log" 2>&1 &
soak=$!
sleep 3
"$CTL" --json -i 1500 list >"$OUT/busy.json"
b="[v for v in j['vgpus'] if v['uuid'] != u and v['owner_pid'] > 0][0]"
jcheck "$OUT/busy.json" "$uuid" "$b['utilisation']['rcs'] + $b['utilisation']['bcs'] > 0" \
	"$b['counters']['completed'] > 0"
ok $? "a busy vGPU: its owner, engine utilisation over the interval and counters"
python3 -c 'import json, sys; [print("# busy vGPU: owner %d, rcs %s%%, bcs %s%%, completed %d" % (v["owner_pid"], v["utilisation"].get("rcs"), v["utilisation"].get("bcs"), v["counters"]["completed"])) for v in json.load(open(sys.argv[1]))["vgpus"] if v["owner_pid"]]' "$OUT/busy.json"
wait "$soak"
ok $? "the soak client passed"

"$CTL" watch -i 100 -c 3 >"$OUT/watch.txt"
[ "$(grep -c '^mvgpuctl watch' "$OUT/watch.txt")" = 3 ] &&
	[ "$(grep -c "^$uuid" "$OUT/watch.txt")" = 3 ]
ok $? "watch -c 3: three refreshes, each with the vGPU"

expect_rc 3 "no vGPU" "show of an unknown UUID" "$CTL" show 00000000-0000-0000-0000-000000000000
expect_rc 3 "no vGPU" "remove of an unknown UUID" "$CTL" remove 00000000-0000-0000-0000-000000000000
expect_rc 3 "no vGPU" "reset of an unknown UUID" "$CTL" reset 00000000-0000-0000-0000-000000000000
expect_rc 3 "no type" "create of an unknown type" "$CTL" create mvgpu-nosuch
expect_rc 3 "no pGPU mvgpu9" "create on an unknown pGPU" "$CTL" create "$TYPE" --pgpu mvgpu9
expect_rc 1 "exists" "create with a UUID in use" "$CTL" create "$TYPE" --uuid "$uuid"
expect_rc 2 "is not a UUID" "create with a bad UUID" "$CTL" create "$TYPE" --uuid not-a-uuid
expect_rc 2 "unknown command" "unknown command" "$CTL" frobnicate
expect_rc 2 "needs a vGPU" "remove without a UUID" "$CTL" remove
expect_rc 2 "interval" "bad --interval" "$CTL" -i soon list

# fill the pGPU with the largest type, then one more
big=$(json "$OUT/list0.json" "max(j['pgpus'][0]['types'], key=lambda t: t['aperture_mb'])['type']")
for _ in $(seq 16); do
	[ "$(cat /sys/class/mdev_bus/mvgpu0/mdev_supported_types/$big/available_instances)" = 0 ] && break
	u=$("$CTL" create "$big") && extra+=("$u")
done
expect_rc 6 "no room" "create of $big with none available" "$CTL" create "$big"

"$CTL" remove "$uuid"
ok $? "remove"
[ ! -e "/sys/bus/mdev/devices/$uuid" ]
ok $? "the vGPU is gone"
uuid=

echo "1..$n"
echo "# $pass passed, $fail failed"
[ "$fail" = 0 ]
