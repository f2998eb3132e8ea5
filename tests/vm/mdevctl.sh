#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mvgpu's vGPUs managed with mdevctl, the standard tool, on the virtual
# pGPU mvgpu0 and on a pGPU behind a PCI function bound to the mvgpu
# driver: types with their attributes and availability, start/stop,
# persistent vGPUs (define --auto) that come back when the module is
# loaded again, list --defined.  Runs in the L1 VM booted with a spare PCI
# function (vm.sh --device pci-testdev), inside tests/vm/sandbox.sh (mdevctl
# writes /etc/mdevctl.d; udev starts persistent vGPUs), with mvgpu (and
# maybe mvgpu_native) loaded; leaves them loaded.  TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/vm/modules.sh"
. "$TOP/tests/vm/pci_parent.sh"
. "$TOP/tests/lib/tap.sh"

uuid() { cat /proc/sys/kernel/random/uuid; }

avail() { # parent type
	cat "/sys/class/mdev_bus/$1/mdev_supported_types/$2/available_instances"
}

# Debian 12's mdevctl 1.2.0 installs /usr/bin/mdevctl but its udev rule
# runs /usr/sbin/mdevctl: the same rule in /etc, with the right path,
# overrides it (Documentation/admin-guide.rst).
fix_udev_rule() {
	sed 's|/usr/sbin/mdevctl|/usr/bin/mdevctl|g' /lib/udev/rules.d/60-mdevctl.rules \
		>/etc/udev/rules.d/60-mdevctl.rules && udevadm control --reload
}

# Every type of every mvgpu parent in "mdevctl types --dumpjson" with the
# sysfs name, description, device API and availability.
check_types() { # parent...
	mdevctl types --dumpjson | python3 -c '
import json, os, sys
seen = {}
for entry in json.load(sys.stdin):
    for parent, types in entry.items():
        for t in types:
            seen.update({(parent, k): v for k, v in t.items()})
bad = 0
for parent in sys.argv[1:]:
    d = "/sys/class/mdev_bus/%s/mdev_supported_types" % parent
    for name in sorted(os.listdir(d)):
        got = seen.get((parent, name))
        rd = lambda f: open(os.path.join(d, name, f)).read().strip()
        want = {"available_instances": int(rd("available_instances")),
                "device_api": rd("device_api"), "name": rd("name"),
                # mdevctl joins the lines of the description with ", "
                "description": ", ".join(rd("description").split("\n"))}
        if not got or any(str(got.get(k, "")).strip() != str(v) for k, v in want.items()):
            print("# %s %s: mdevctl %r, sysfs %r" % (parent, name, got, want))
            bad = 1
        else:
            print("# %s %s: %d available, %s" % (parent, name,
                  want["available_instances"], want["description"]))
sys.exit(bad)
' "$@"
}

test_pci_parent() { # address
	pci_bind_mvgpu "$1"
	tap $? "driver_override binds $1 to mvgpu"
	[ "$(basename "$(readlink "/sys/bus/pci/devices/$1/driver")")" = mvgpu ] &&
		[ -d "/sys/bus/pci/devices/$1/mdev_supported_types" ] &&
		[ -e "/sys/class/mdev_bus/$1" ] && ls -d "/sys/bus/pci/devices/$1/mvgpu/mvgpu"* >/dev/null
	tap $? "$1 is an mdev parent with its pGPU device below it"
	local pg uuid
	pg=$(basename "$(ls -d "/sys/bus/pci/devices/$1/mvgpu/mvgpu"* | head -n 1)")
	uuid=$("$TOP/build/tools/mvgpuctl" create mvgpu-V1_4 --pgpu "$pg") &&
		[ -e "/sys/bus/pci/devices/$1/$uuid" ] &&
		"$TOP/build/tools/mvgpuctl" remove "$uuid"
	tap $? "mvgpuctl creates and removes a vGPU on $pg, the pGPU behind $1"
}

test_types() { # parent...
	check_types "$@"
	tap $? "mdevctl types lists every type of $* as sysfs has it"
}

test_start_stop() { # parent
	local u before
	u=$(uuid)
	before=$(avail "$1" mvgpu-V1_4)
	mdevctl start -u "$u" -p "$1" -t mvgpu-V1_4
	tap $? "mdevctl start a V1_4 vGPU on $1"
	[ "$(basename "$(readlink -f "/sys/bus/mdev/devices/$u/..")")" = "$1" ] &&
		[ "$(avail "$1" mvgpu-V1_4)" = $((before - 1)) ] &&
		mdevctl list | grep -q "^$u $1 mvgpu-V1_4"
	tap $? "it runs on $1, takes one instance and mdevctl list shows it"
	mdevctl stop -u "$u" && [ ! -e "/sys/bus/mdev/devices/$u" ] &&
		[ "$(avail "$1" mvgpu-V1_4)" = "$before" ]
	tap $? "mdevctl stop removes it and gives the instance back"
}

# Persistent vGPUs, one per parent, with an attribute: a reload of the
# module brings them back (udev hears the parents' MDEV_STATE=registered
# and mdevctl start-parent-mdevs starts them), the attribute set.
test_define_auto() { # pci-address
	local a b out
	a=$(uuid)
	b=$(uuid)
	mdevctl define -u "$a" -p mvgpu0 -t mvgpu-V1_2 --auto &&
		mdevctl define -u "$b" -p "$1" -t mvgpu-V1_8 --auto &&
		mdevctl modify -u "$b" --addattr=mvgpu/sched_cap --value=40
	tap $? "mdevctl define --auto on mvgpu0 and $1, one with sched_cap 40"
	out=$(mdevctl list --defined --verbose)
	echo "# ${out//$'\n'/$'\n'# }"
	grep -q "^$a mvgpu0 mvgpu-V1_2 auto" <<<"$out" &&
		grep -q "^$b $1 mvgpu-V1_8 auto" <<<"$out" &&
		grep -q "mvgpu/sched_cap.*40" <<<"$out" && [ ! -e "/sys/bus/mdev/devices/$a" ]
	tap $? "mdevctl list --defined shows both, with the attribute, not started"
	native_unload
	rmmod mvgpu && insmod "$KO"
	tap $? "module unloaded and loaded again"
	native_load
	wait_path "/sys/bus/mdev/devices/$a" 60 && wait_path "/sys/bus/mdev/devices/$b" 60
	tap $? "both persistent vGPUs came back by themselves"
	[ "$(basename "$(readlink "/sys/bus/pci/devices/$1/driver")")" = mvgpu ]
	tap $? "$1 is bound to mvgpu again (driver_override outlives the module)"
	sleep 1
	[ "$(cat "/sys/bus/mdev/devices/$b/mvgpu/sched_cap" 2>/dev/null)" = 40 ]
	tap $? "mdevctl set sched_cap 40 on the vGPU it started"
	mdevctl list | grep -q "^$b $1 mvgpu-V1_8 .*defined"
	tap $? "mdevctl list shows it running and defined"
	mdevctl stop -u "$a" && mdevctl stop -u "$b" && mdevctl undefine -u "$a" &&
		mdevctl undefine -u "$b" && [ -z "$(mdevctl list --defined)" ]
	tap $? "mdevctl stop and undefine leave nothing defined"
}

# The other way to bind: new_id (every function with that ID).
test_new_id() { # address
	echo "1b36 0005" >/sys/bus/pci/drivers/mvgpu/new_id &&
		wait_path "/sys/class/mdev_bus/$1" 10
	tap $? "new_id 1b36 0005 binds $1 as well"
	echo "1b36 0005" >/sys/bus/pci/drivers/mvgpu/remove_id
	echo "$1" >"/sys/bus/pci/devices/$1/driver/unbind" && [ ! -e "/sys/class/mdev_bus/$1" ]
	tap $? "unbinding it again removes its pGPU"
}

PCI=$(pci_spare) || {
	printf 'TAP version 13\nok 1 # SKIP no spare PCI function (vm.sh --device pci-testdev)\n1..1\n'
	exit 0
}
[ "${MVGPU_SANDBOX:-0}" = 1 ] || exec "$TOP/tests/vm/sandbox.sh" -- "$0" "$@"
echo "TAP version 13"
command -v mdevctl >/dev/null || { echo "not ok 1 mdevctl installed (scripts/deps.sh)"; exit 1; }
fix_udev_rule
test_pci_parent "$PCI"
test_types mvgpu0 "$PCI"
test_start_stop mvgpu0
test_start_stop "$PCI"
test_define_auto "$PCI"
pci_unbind "$PCI"
[ ! -e "/sys/class/mdev_bus/$PCI" ]
tap $? "unbinding $PCI removes its pGPU"
test_new_id "$PCI"
modules_restore
echo "1..$n"
exit $failed
