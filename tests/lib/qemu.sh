# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Shell helpers for tests that run QEMU on a vGPU (source this file).

# The QEMU process (not the timeout(1) wrapping it) using vGPU @uuid:
# prints its pid, or fails when there is none.
qemu_pid() { # uuid
	local p c
	for p in /proc/[0-9]*; do
		read -r c <"$p/comm" 2>/dev/null || continue
		[ "$c" = qemu-system-x86 ] || continue
		grep -qa "sysfsdev=/sys/bus/mdev/devices/$1" "$p/cmdline" 2>/dev/null &&
			echo "${p#/proc/}" && return 0
	done
	return 1
}
