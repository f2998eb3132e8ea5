# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# The spare PCI function of the test VM (tests/vm/vm.sh --device
# pci-testdev: 1b36:0005, which no driver claims) as a pGPU's parent,
# for the scripts that source this.

# Print the spare function's address (0000:00:10.0); fails if there is none.
pci_spare() {
	local d
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1b36:0x0005 ] || continue
		echo "${d##*/}"
		return 0
	done
	return 1
}

# Bind a function to mvgpu, as the administrator does (admin-guide.rst).
pci_bind_mvgpu() { # address
	echo mvgpu >"/sys/bus/pci/devices/$1/driver_override" &&
		echo "$1" >/sys/bus/pci/drivers_probe
}

# Give it back: unbound, no override.
pci_unbind() { # address
	[ ! -e "/sys/bus/pci/devices/$1/driver" ] ||
		echo "$1" >"/sys/bus/pci/devices/$1/driver/unbind"
	echo >"/sys/bus/pci/devices/$1/driver_override"
}

# Wait up to $2 s (default 60) for a path to exist.
wait_path() { # path [seconds]
	for _ in $(seq $((${2:-60} * 10))); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
