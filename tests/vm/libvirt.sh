#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mvgpu under libvirt, the daemon from Debian with QEMU under it: the pGPU
# behind a PCI function bound to mvgpu is a node device with mdev types,
# a vGPU is defined and started as a node device (mdev XML), and a domain
# with the vGPU as <hostdev type='mdev' display='on'> boots an L2 guest
# that sees it, loads mvgpu_drm and runs checked work through it
# (tests/guest/libvirt.job.sh; needs make drm and make -C tests/guest),
# which the vGPU's counters show, then stops.  Runs in the L1 VM booted with a spare PCI
# function (vm.sh --device pci-testdev; without one it skips), inside
# tests/vm/sandbox.sh (libvirt writes /etc, /var and /run), which it
# enters by itself, with mvgpu loaded.  TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/vm/pci_parent.sh"
. "$TOP/tests/vm/libvirt_lib.sh"
n=0
failed=0
VIRSH=(virsh -c qemu:///system)
WORK=$(mktemp -d /tmp/libvirt-test.XXXXXX)

test_nodedev_parent() { # address node-device-name
	local xml
	"${VIRSH[@]}" nodedev-list --cap mdev_types | tee "$WORK/list" | sed 's/^/# /'
	grep -qx "$2" "$WORK/list"
	tap $? "virsh nodedev-list --cap mdev_types lists $2"
	xml=$("${VIRSH[@]}" nodedev-dumpxml "$2")
	echo "$xml" >"$WORK/parent.xml"
	python3 - "$WORK/parent.xml" "/sys/bus/pci/devices/$1/mdev_supported_types" <<-'PY'
	import os, sys, xml.etree.ElementTree as ET
	root = ET.parse(sys.argv[1]).getroot()
	cap = root.find("capability[@type='pci']/capability[@type='mdev_types']")
	got = {t.get("id"): (t.findtext("name"), t.findtext("deviceAPI"),
			     t.findtext("availableInstances")) for t in cap.findall("type")}
	bad = 0
	for name in sorted(os.listdir(sys.argv[2])):
	    rd = lambda f: open(os.path.join(sys.argv[2], name, f)).read().strip()
	    want = (rd("name"), rd("device_api"), rd("available_instances"))
	    print("# %s: libvirt %s, sysfs %s" % (name, got.get(name), want))
	    bad |= got.get(name) != want
	sys.exit(bad or len(got) != len(os.listdir(sys.argv[2])))
	PY
	tap $? "virsh nodedev-dumpxml $2 has every type with name, API and availability"
	grep -q "<driver>" "$WORK/parent.xml" && grep -q "<name>mvgpu</name>" "$WORK/parent.xml"
	tap $? "its driver is mvgpu"
}

# The vGPU as a node device: defined (persistent, through mdevctl),
# started, listed; the name libvirt gives it is printed.
test_nodedev_mdev() { # parent-node-name uuid
	local name
	cat >"$WORK/mdev.xml" <<-XML
	<device>
	  <parent>$1</parent>
	  <capability type='mdev'>
	    <type id='mvgpu-V1_4'/>
	    <uuid>$2</uuid>
	  </capability>
	</device>
	XML
	"${VIRSH[@]}" nodedev-define "$WORK/mdev.xml" | tee "$WORK/define" | sed 's/^/# /'
	name=$(sed -n "s/^Node device '\(.*\)' defined.*/\1/p" "$WORK/define")
	[ -n "$name" ] && mdevctl list --defined | grep -q "^$2 "
	tap $? "virsh nodedev-define makes a persistent vGPU ($name)"
	"${VIRSH[@]}" nodedev-start "$name" >/dev/null && [ -e "/sys/bus/mdev/devices/$2" ]
	tap $? "virsh nodedev-start creates it"
	"${VIRSH[@]}" nodedev-list --cap mdev | tee "$WORK/mdevs" | sed 's/^/# mdev: /'
	"${VIRSH[@]}" nodedev-dumpxml "$name" | tee "$WORK/mdev-dump.xml" | sed 's/^/# /'
	grep -qx "$name" "$WORK/mdevs" && grep -q "<type id='mvgpu-V1_4'/>" "$WORK/mdev-dump.xml"
	tap $? "virsh nodedev-list --cap mdev and nodedev-dumpxml show it"
	MDEV_NODE=$name
}

# A transient vGPU: nodedev-create, nodedev-destroy.
test_nodedev_create() { # parent-node-name
	local u name
	u=$(cat /proc/sys/kernel/random/uuid)
	sed -e "s/mvgpu-V1_4/mvgpu-V1_8/" -e "s|<uuid>.*</uuid>|<uuid>$u</uuid>|" \
		"$WORK/mdev.xml" >"$WORK/mdev2.xml"
	name=$("${VIRSH[@]}" nodedev-create "$WORK/mdev2.xml" |
		sed -n "s/^Node device \(.*\) created.*/\1/p")
	[ -e "/sys/bus/mdev/devices/$u" ]
	tap $? "virsh nodedev-create starts a transient vGPU ($name)"
	"${VIRSH[@]}" nodedev-destroy "$name" >/dev/null && [ ! -e "/sys/bus/mdev/devices/$u" ]
	tap $? "virsh nodedev-destroy removes it"
}


# What QEMU and the guest said, for a domain that did not do its job.
domain_diag() { # serial-log
	"${VIRSH[@]}" domstate --reason mvgpu-l2 2>&1 | sed 's/^/# state: /'
	tail -n 30 "$1" 2>/dev/null | sed 's/^/# L2: /'
	tail -n 20 /var/log/libvirt/qemu/mvgpu-l2.log 2>/dev/null | sed 's/^/# qemu log: /'
}

# The guest's work as the host counted it: at least the three batches of
# drm_smoke's fill test submitted, each of them completed, no error.
check_counters() { # "before" "after"
	local s0 c0 e0 s1 c1 e1
	read -r s0 c0 e0 <<<"$1"
	read -r s1 c1 e1 <<<"$2"
	echo "# vGPU counters before: $1, after: $2 (submissions completed errors)"
	[ $((s1 - s0)) -ge 3 ] && [ $((c1 - c0)) = $((s1 - s0)) ] && [ "$e1" = "$e0" ]
}

test_domain() { # uuid
	local boot log=$WORK/serial.log started t0 r before after
	local guest=$TOP/build/guest
	if [ ! -x "$guest/drm_smoke" ] || [ ! -f "$guest/modules/load.sh" ]; then
		tap 1 "build/guest is built (make -C tests/guest)"
		return
	fi
	boot=$("$TOP/tests/vm/l2.sh" --build-only --file "$TOP/tests/e2e/guest_lspci.sh" \
		--file "$guest/modules" --file "$guest/drm_smoke" \
		-- "$TOP/tests/guest/libvirt.job.sh") ||
		{ tap 1 "L2 guest image built"; return; }
	# shellcheck disable=SC2086 # two words: kernel and initrd
	domain_xml mvgpu-l2 512 "$1" $boot "$log" >"$WORK/domain.xml"
	sed 's/^/# /' "$WORK/domain.xml"
	"${VIRSH[@]}" define "$WORK/domain.xml" >/dev/null
	tap $? "virsh define of a domain with the vGPU as <hostdev type='mdev' display='on'>"
	local state=
	before=$(vgpu_counters "$1")
	"${VIRSH[@]}" start mvgpu-l2 >/dev/null &&
		state=$("${VIRSH[@]}" domstate mvgpu-l2 2>&1)
	echo "# domstate after start: ${state%%$'\n'*}"
	[ "${state%%$'\n'*}" = running ]
	started=$?
	tap $started "virsh start boots it"
	t0=$SECONDS
	[ $started = 0 ] && wait_shutoff mvgpu-l2 "${MVGPU_L2_TIMEOUT:-420}"
	r=$?
	tap $r "the guest ran its job and powered off ($((SECONDS - t0)) s)"
	if [ $r = 0 ]; then
		sed 's/^/# L2: /' "$log"
	else
		domain_diag "$log"
		"${VIRSH[@]}" destroy mvgpu-l2 >/dev/null 2>&1
	fi
	after=$(vgpu_counters "$1")
	grep -q '^MVGPU_FOUND 1' "$log"
	tap $? "the guest saw the vGPU as a PCI function"
	grep -q '^MVGPU_LIBVIRT driver loaded ok' "$log" && grep -q '^MVGPU_LIBVIRT dri: card' "$log"
	tap $? "the guest loaded mvgpu_drm on it (a DRM card)"
	grep -q '^ok [0-9]* drm\.fill_on_bcs_then_store_on_rcs_in_a_ppgtt_context[[:cntrl:]]*$' "$log" &&
		grep -q '^MVGPU_L2_RC=0' "$log"
	tap $? "the guest's fill and stores through mvgpu_drm came out right (MVGPU_L2_RC=0)"
	check_counters "$before" "$after"
	tap $? "the vGPU's counters show the guest's work, completed without error"
	"${VIRSH[@]}" start mvgpu-l2 >/dev/null && sleep 5 &&
		"${VIRSH[@]}" destroy mvgpu-l2 >/dev/null && wait_shutoff mvgpu-l2 60 &&
		[ -e "/sys/bus/mdev/devices/$1" ]
	tap $? "virsh start again, then virsh destroy stops it; the vGPU stays"
	grep -q "mdev" "/var/log/libvirt/qemu/mvgpu-l2.log" 2>/dev/null &&
		sed -n 's/^\(.*-device.*vfio-pci[^ ]*\).*/# qemu: \1/p' /var/log/libvirt/qemu/mvgpu-l2.log | head -n 1
	"${VIRSH[@]}" undefine mvgpu-l2 >/dev/null
	tap $? "virsh undefine"
	rm -rf "$(dirname "${boot#* }")"
}

test_cleanup_mdev() { # node-name uuid
	"${VIRSH[@]}" nodedev-destroy "$1" >/dev/null && "${VIRSH[@]}" nodedev-undefine "$1" >/dev/null &&
		[ ! -e "/sys/bus/mdev/devices/$2" ] && ! mdevctl list --defined | grep -q "^$2 "
	tap $? "virsh nodedev-destroy and nodedev-undefine remove the vGPU"
}

PCI=$(pci_spare) || {
	printf 'TAP version 13\nok 1 # SKIP no spare PCI function (vm.sh --device pci-testdev)\n1..1\n'
	exit 0
}
[ "${MVGPU_SANDBOX:-0}" = 1 ] || exec "$TOP/tests/vm/sandbox.sh" -- "$0" "$@"
echo "TAP version 13"
NODE=pci_$(tr ':.' '__' <<<"$PCI")
pci_bind_mvgpu "$PCI"
tap $? "$PCI bound to mvgpu"
start_libvirtd
tap $? "libvirtd and virtlogd started"
UUID=$(cat /proc/sys/kernel/random/uuid)
MDEV_NODE=
test_nodedev_parent "$PCI" "$NODE"
test_nodedev_mdev "$NODE" "$UUID"
test_nodedev_create "$NODE"
[ "${MVGPU_SKIP_E2E:-0}" = 1 ] || test_domain "$UUID"
test_cleanup_mdev "$MDEV_NODE" "$UUID"
sed 's/^/# libvirtd: /' /var/log/libvirt/libvirtd.log 2>/dev/null | grep -i error | head -n 20
pci_unbind "$PCI"
rm -rf "$WORK"
echo "1..$n"
exit $failed
