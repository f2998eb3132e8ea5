# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Shell helpers of the end-to-end scripts that source this (tests/e2e/):
# vGPUs on the first pGPU, L2 guests' logs, and waits that end when the
# guest waited for is gone.

TYPE_DIR=/sys/class/mdev_bus/mvgpu0/mdev_supported_types

create() { # type: prints the new vGPU's uuid
	local u
	u=$(cat /proc/sys/kernel/random/uuid)
	echo "$u" > "$TYPE_DIR/$1/create" && echo "$u"
}

seen() { # log regex: a line of the log (an L2 guest's) matches
	grep -q "$2" "$1" 2>/dev/null
}

running() { # pid
	kill -0 "$1" 2>/dev/null
}

# Runs the command until it succeeds, for at most the seconds given
# (times MVGPU_TIMEOUT_SCALE), and no longer than the guest's
# tests/vm/l2.sh (its pid, or "" for none) runs: l2.sh ends at once when
# its QEMU has exited after the guest's /init ran (with "L2 ended without
# reporting the job's rc" in its output when the job said nothing, as
# tests/vm/inside.sh's L2_LOST expects), so a lost guest is not waited
# for until the time runs out.  Before /init ran, l2.sh boots the guest
# once more and the wait goes on.  Returns the command's last status.
wait_for() { # guest-pid seconds command...
	local end=$((SECONDS + $2 * ${MVGPU_TIMEOUT_SCALE:-1}))
	while [ $SECONDS -lt $end ]; do
		"${@:3}" && return 0
		[ -z "$1" ] || running "$1" || break
		sleep 0.2
	done
	"${@:3}"
}
