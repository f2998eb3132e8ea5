# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# What tests/vm/libvirt.sh and tests/vm/libvirt_migrate.sh share: TAP
# lines (the caller keeps n and failed), libvirtd started in the sandbox
# (tests/vm/sandbox.sh), domains waited for, a vGPU's work counters.
# The caller sets VIRSH (the virsh command and its connection).

# shellcheck disable=SC2034 # failed is the caller's
tap() { # condition-exit-status name
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; failed=1; fi
}

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
