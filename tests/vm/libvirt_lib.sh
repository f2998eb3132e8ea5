# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# What tests/vm/libvirt.sh and tests/vm/libvirt_migrate.sh share: TAP
# lines (tests/lib/tap.sh; the caller keeps n and failed), libvirtd
# started in the sandbox (tests/vm/sandbox.sh), the domain XML, domains
# waited for, a vGPU's work counters.
# The caller sets VIRSH (the virsh command and its connection).

. "$TOP/tests/lib/tap.sh"

# libvirtd as root, QEMU as root, no namespaces or labels: the sandbox's
# root is an overlay of a read-only share (Documentation/admin-guide.rst
# has a host's usual setup).
start_libvirtd() {
	cat >>/etc/libvirt/qemu.conf <<-CONF
	user = "root"
	group = "root"
	namespaces = [ ]
	security_driver = "none"
	remember_owner = 0
	CONF
	echo 'log_outputs = "3:file:/var/log/libvirt/libvirtd.log"' >>/etc/libvirt/libvirtd.conf
	rm -f /etc/libvirt/qemu/networks/autostart/*.xml
	virtlogd -d && libvirtd -d || return 1
	for _ in $(seq 120); do
		"${VIRSH[@]}" version >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	return 1
}

# Wait up to $2 s for the domain to be shut off.
wait_shutoff() { # domain seconds
	local end=$((SECONDS + $2))
	while [ $SECONDS -lt $end ]; do
		[ "$("${VIRSH[@]}" domstate "$1" 2>/dev/null)" = "shut off" ] && return 0
		sleep 2
	done
	return 1
}

# The vGPU's work counters, "submissions completed errors".
vgpu_counters() { # uuid
	local d=/sys/bus/mdev/devices/$1/mvgpu
	echo "$(cat "$d/submissions") $(cat "$d/completed") $(cat "$d/errors")"
}

# A domain that boots an l2.sh --build-only kernel and initrd with the
# vGPU as <hostdev type='mdev' display='on'>, its console in a file.
# Optional: more kernel arguments, an <emulator>, and 1 to have QEMU's
# vfio-pci offer VFIO migration (enable-migration=on, without device
# dirty tracking) through <qemu:override>.
domain_xml() { # name MiB uuid kernel initrd serial-log [cmdline emulator migratable]
	local type=qemu
	[ -w /dev/kvm ] && type=kvm
	cat <<-XML
	<domain type='$type' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
	  <name>$1</name>
	  <memory unit='MiB'>$2</memory>
	  <vcpu>1</vcpu>
	  <os>
	    <type arch='x86_64' machine='pc'>hvm</type>
	    <kernel>$4</kernel>
	    <initrd>$5</initrd>
	    <cmdline>console=ttyS0 quiet panic=-1${7:+ $7}</cmdline>
	  </os>
	  <features><acpi/></features>
	  $([ $type = kvm ] && echo "<cpu mode='host-passthrough'/>")
	  <on_poweroff>destroy</on_poweroff>
	  <on_reboot>destroy</on_reboot>
	  <on_crash>destroy</on_crash>
	  <devices>
	    $([ -n "${8:-}" ] && echo "<emulator>$8</emulator>")
	    <serial type='file'>
	      <source path='$6'/>
	    </serial>
	    <graphics type='vnc' listen='127.0.0.1' autoport='yes'/>
	    <video><model type='none'/></video>
	    <hostdev mode='subsystem' type='mdev' model='vfio-pci' display='on'>
	      <source>
	        <address uuid='$3'/>
	      </source>
	      <alias name='ua-vgpu'/>
	    </hostdev>
	    <memballoon model='none'/>
	  </devices>
	XML
	[ "${9:-0}" = 1 ] && cat <<-XML
	  <qemu:override>
	    <qemu:device alias='ua-vgpu'>
	      <qemu:frontend>
	        <qemu:property name='enable-migration' type='string' value='on'/>
	        <qemu:property name='x-device-dirty-page-tracking' type='string' value='off'/>
	      </qemu:frontend>
	    </qemu:device>
	  </qemu:override>
	XML
	echo "</domain>"
}
