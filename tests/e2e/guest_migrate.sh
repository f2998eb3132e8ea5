#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Plain QEMU 10 (MVGPU_QEMU) live-migrates an L2 guest (KVM, 128 MiB,
# MVGPU_MIG_MEM) running the guest driver's verifying loop
# (tests/guest/migrate.job.sh: drm_smoke's fill and stores, checked, one
# round a second) from a vGPU on mvgpu0 to one on mvgpu1, then back to
# mvgpu0 and so on (MVGPU_MIG_HOPS, 2 hops), each time to a new vGPU of
# the same type and placement, the way users run it
# (Documentation/migration.rst).  Checks that the loop goes on on each
# destination with no error and ends cleanly, that each source vGPU can
# be removed, and that the guest's screen (text on the fbcon console,
# vfio-pci display=on) shows the same picture on the destination as on
# the source, the guest's /dev/fb0 pixel for pixel.  Then the same guest
# with no device makes the same hops.  Prints each downtime from
# query-migrate and how long the guest did not run (QEMU's traces), the
# ratios of their medians (with a vGPU / without), the bytes of device
# state QEMU read before the stop (PRE_COPY) and after it (STOP_COPY),
# and the device's own time in the stop.  Loads mvgpu with two pGPUs if
# needed and restores it.  Needs "make -C tests/guest"; runs in the L1
# VM; TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/vm/modules.sh"
. "$TOP/tests/lib/tap.sh"
QEMU=${MVGPU_QEMU:-$TOP/build/cache/qemu10/bin/qemu-system-x86_64}
GUEST=$TOP/build/guest
HOPS=${MVGPU_MIG_HOPS:-2}
MEM=${MVGPU_MIG_MEM:-128}
TIMEOUT=$((${MVGPU_L2_TIMEOUT:-300} * ${MVGPU_TIMEOUT_SCALE:-1}))
QMP=(python3 "$TOP/tests/e2e/migrate_qmp.py")
TYPE=mvgpu-V1_8
D=$(mktemp -d)
declare -A PID

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	local p
	for p in "${PID[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	for p in /sys/bus/mdev/devices/*/mvgpu; do
		grep -qx "${p%/mvgpu}" "$D/vgpus" 2>/dev/null &&
			echo 1 >"${p%/mvgpu}/remove"
	done
	modules_one_pgpu
	rm -rf "$D"
}
trap cleanup EXIT

new_vgpu() { # pgpu -> uuid
	local u
	u=$(cat /proc/sys/kernel/random/uuid)
	echo "$u" >"/sys/class/mdev_bus/$1/mdev_supported_types/$TYPE/create" || return 1
	echo "/sys/bus/mdev/devices/$u" >>"$D/vgpus"
	echo "$u"
}

remove_vgpu() { # uuid
	echo 1 >"/sys/bus/mdev/devices/$1/remove"
}

# The two vGPUs share type and placement (migration.rst, Limits).
same_placement() { # uuid uuid
	local f
	for f in aperture_base aperture_size hidden_base hidden_size; do
		[ "$(cat "/sys/bus/mdev/devices/$1/mvgpu/$f")" = \
			"$(cat "/sys/bus/mdev/devices/$2/mvgpu/$f")" ] || return 1
	done
}

# Start the L2 guest's QEMU; $1: name, $2: vGPU uuid or "" for none,
# $3: the job's kernel arguments, then QEMU arguments (-incoming).
# Console on ttyS0 ($D/NAME.log), the job's control port on ttyS1.
l2() {
	local name=$1 uuid=$2 args=$3 dev=() accel=(-accel tcg -cpu max)
	shift 3
	[ -w /dev/kvm ] && accel=(-accel kvm -cpu host)
	[ -z "$uuid" ] || dev=(-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid,x-device-dirty-page-tracking=off,enable-migration=on,display=on")
	"$QEMU" "${accel[@]}" -m "$MEM" -smp 1 -display none -nodefaults -no-reboot \
		-kernel "$KERNEL" -initrd "$INITRD" \
		-append "console=ttyS0 quiet panic=-1 mvgpu_mig.ctl=1 $args" \
		-serial "file:$D/$name.log" \
		-chardev "socket,id=ctl,path=$D/$name.ctl,server=on,wait=off" \
		-device isa-serial,chardev=ctl \
		-qmp "unix:$D/$name.qmp,server=on,wait=off" "${dev[@]}" \
		-msg timestamp=on -trace vfio_save_block -trace vfio_save_complete_precopy_start \
		-trace vfio_migration_set_state -trace vfio_migration_set_device_state \
		-trace vm_state_notify -trace 'vfio_load_device_config_state_*' \
		"$@" >"$D/$name.err" 2>&1 </dev/null &
	PID[$name]=$!
}

# The last "MVGPU_MIG round N ok" of a console log (0 if none).
last_round() { # name
	tr -d '\r' 2>/dev/null <"$D/$1.log" |
		sed -n 's/^MVGPU_MIG round \([0-9]*\) ok.*/\1/p' | tail -n 1 | grep . || echo 0
}

wait_round() { # name round
	local end=$((SECONDS + TIMEOUT))
	while [ $SECONDS -lt $end ]; do
		[ "$(last_round "$1")" -ge "$2" ] && return 0
		grep -q 'MVGPU_L2_RC=\|FAIL' "$D/$1.log" 2>/dev/null && return 1
		kill -0 "${PID[$1]}" 2>/dev/null || return 1
		sleep 1
	done
	return 1
}

# Ask the guest to end its rounds; its rc, once it powered off (124 if
# it did not report one).  The line is sent again every few seconds (it
# was lost once, the guest's read timing out halfway through it or QEMU
# dropping it at the hangup).
stop_guest() { # name
	local end=$((SECONDS + TIMEOUT)) next=0 rc
	while [ $SECONDS -lt $end ] && kill -0 "${PID[$1]}" 2>/dev/null; do
		if [ $SECONDS -ge $next ]; then
			python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"stop\n")
time.sleep(1)	# QEMU may drop what it had not read at the hangup' "$D/$1.ctl" 2>/dev/null
			next=$((SECONDS + 5))
		fi
		sleep 1
	done
	rc=$(tr -d '\r' <"$D/$1.log" | sed -n 's/^MVGPU_L2_RC=\([0-9]*\)$/\1/p' | tail -n 1)
	echo "${rc:-124}"
}

# Stop guest $1's QEMU if it still runs (its vGPU cannot be removed
# before), and reap it.
end_qemu() { # name
	if kill -0 "${PID[$1]}" 2>/dev/null; then
		"${QMP[@]}" quit "$D/$1.qmp" || kill "${PID[$1]}"
	fi
	wait "${PID[$1]}" 2>/dev/null
	unset "PID[$1]"
}

# Bytes of device state QEMU read from the source before the stop (the
# PRE_COPY phase) and after it (STOP_COPY), from its trace.
state_bytes() { # name
	awk 'BEGIN { stop = 0 }
		/vfio_save_complete_precopy_start/ { stop = 1 }
		/vfio_save_block/ { b[stop] += $NF }
		END { printf "%d %d\n", b[0], b[1] }' "$D/$1.err"
}

# Milliseconds the device took in guest $1's QEMU after the guest
# stopped (source) or before it runs again (destination), from its
# trace: "<total> (<state changes> + <reads of the final state> +
# <config space and interrupts loaded>)".  State changes since the last
# one to PRE_COPY or RESUMING count (those two are made while the guest
# runs).
device_ms() { # name
	awk 'match($0, /^[0-9]+@[0-9]+\.[0-9]+:/) {
			t = substr($0, index($0, "@") + 1, RLENGTH - index($0, "@") - 1) * 1000
		}
		/:vfio_migration_set_state / {
			t0 = t
			arc = $5 != "PRE_COPY," && $5 != "RESUMING,"
			if (!arc)
				ms = r0 = r1 = cfg = 0
		}
		/:vfio_migration_set_device_state / && arc { ms += t - t0 }
		/:vfio_save_complete_precopy_start / { r0 = r1 = t }
		/:vfio_save_block / && r0 { r1 = t }
		/:vfio_load_device_config_state_start / { c0 = t }
		/:vfio_load_device_config_state_end / { cfg += t - c0 }
		END { printf "%.1f (%.1f + %.1f + %.1f)\n", ms + r1 - r0 + cfg, ms, r1 - r0, cfg }' "$D/$1.err"
}

# Milliseconds the guest did not run: from the source's stop for the
# migration to the destination's start (both QEMUs' traces, one clock):
# vm_state_notify, whose handlers, the vfio device's move to RUNNING
# among them, run before the vCPUs do.  QEMU's own downtime ends when
# the source has sent everything, before the destination has loaded it.
pause_ms() { # from to
	awk 'match($0, /^[0-9]+@[0-9]+\.[0-9]+:/) {
			t = substr($0, index($0, "@") + 1, RLENGTH - index($0, "@") - 1) * 1000
		}
		FILENAME == ARGV[1] && /:vm_state_notify running 0 .*finish-migrate/ { s = t }
		FILENAME == ARGV[2] && /:vm_state_notify running 1/ && !d { d = e = t }
		FILENAME == ARGV[2] && d && /:vfio_migration_set_device_state .* state RUNNING$/ { e = t }
		END { if (s && d) printf "%d\n", e - s }' "$D/$1.err" "$D/$2.err"
}

diag() { # name...
	local f
	for f in "$@"; do
		tr -d '\r' <"$D/$f.log" 2>/dev/null | tail -n 12 | sed "s/^/# $f console: /"
		grep -v '^[0-9]*@[0-9.]*:vfio_save' "$D/$f.err" 2>/dev/null | tail -n 5 |
			sed "s/^/# $f qemu: /"
	done
	dmesg | grep -i mvgpu | tail -n 10 | sed 's/^/# L1 dmesg: /'
}

# One hop of guest $1 (vGPU $3, "" for none) to guest $2 on pGPU $4.
# Sets DOWNTIME (ms, "" if it failed), BYTES (state_bytes) and NEWVGPU,
# the destination's vGPU.
hop() { # from to uuid pgpu args what
	local from=$1 to=$2 uuid=$3 pgpu=$4 args=$5 what=$6 r
	NEWVGPU=
	if [ -n "$uuid" ]; then
		NEWVGPU=$(new_vgpu "$pgpu") && same_placement "$uuid" "$NEWVGPU"
		tap $? "$what: a vGPU of the same type and placement on $pgpu"
	fi
	l2 "$to" "$NEWVGPU" "$args" -incoming "unix:$D/$to.sock"
	r=$("${QMP[@]}" migrate "$D/$from.qmp" "$D/$to.qmp" "unix:$D/$to.sock")
	echo "# $what: query-migrate $r after round $(last_round "$from") (at $SECONDS s)"
	DOWNTIME=$(sed -n 's/.*"downtime": \([0-9]*\).*"running": true.*/\1/p' <<<"$r")
	[ -n "$DOWNTIME" ] && grep -q '"status": "completed"' <<<"$r"
	tap $? "$what: migrates and runs on the destination (downtime ${DOWNTIME:-?} ms)"
	BYTES=$(state_bytes "$from")
	PAUSE=$(pause_ms "$from" "$to")
	echo "# $what: the guest did not run for ${PAUSE:-?} ms (source stop to destination start)"
	[ -z "$uuid" ] ||
		echo "# $what: the device's own time (state changes + reads + config space): $(device_ms "$from") ms on the source after the stop, $(device_ms "$to") ms on the destination"
}

# A QMP screendump of guest $1 into $2 and a check of it ($3...: the
# migrate_qmp.py check and its arguments after the file), its words on
# stdout as comments.
shot_check() { # name file check args...
	local name=$1 file=$2 out r
	shift 2
	out=$("${QMP[@]}" shot "$D/$name.qmp" "$file" 2>&1) &&
		out=$("${QMP[@]}" "$1" "$file" "${@:2}" 2>&1)
	r=$?
	# shellcheck disable=SC2001 # every line of it
	sed "s/^/# $name screendump: /" <<<"$out"
	return $r
}

# The guest with a vGPU: $HOPS hops between mvgpu0 and mvgpu1.
with_vgpu() {
	local args="mvgpu_mig.rounds=400 mvgpu_mig.fb=1" cur from=g0 to h fb before rc pre stop
	cur=$(new_vgpu mvgpu0)
	tap $? "a $TYPE vGPU on mvgpu0"
	l2 g0 "$cur" "$args"
	wait_round g0 2
	tap $? "the guest loads mvgpu_drm and runs verified rounds on the vGPU on mvgpu0"
	echo "# time: the guest booted and ran two rounds at $SECONDS s"
	tr -d '\r' <"$D/g0.log" | grep '^l2: booted\|^MVGPU_MIG loaded' | sed 's/^/# guest: /'
	fb=$(tr -d '\r' <"$D/g0.log" | sed -n 's/^MVGPU_MIG fb \([0-9].*\)/\1/p' | head -n 1)
	echo "# guest fb0 (width height stride md5): ${fb:-none}"
	# shellcheck disable=SC2086 # four words
	[ -n "$fb" ] && shot_check g0 "$D/before.ppm" fb $fb
	tap $? "the source's QMP screendump shows the guest's console, its /dev/fb0 pixel for pixel"
	for h in $(seq "$HOPS"); do
		to=g$h
		hop "$from" "$to" "$cur" "mvgpu$((h % 2))" "$args" \
			"hop $h, mvgpu$(((h + 1) % 2)) to mvgpu$((h % 2))"
		[ -z "$DOWNTIME" ] || echo "$DOWNTIME" >>"$D/with"
		[ -z "$PAUSE" ] || echo "$PAUSE" >>"$D/with.pause"
		read -r pre stop <<<"$BYTES"
		echo "$pre $stop" >>"$D/with.bytes"
		echo "# hop $h: device state read before the stop $pre bytes, after it $stop bytes"
		if [ "$h" = 1 ]; then
			grep 'vfio_' "$D/$from.err" | sed 's/^/# hop 1: source QEMU trace: /'
			grep 'vfio_' "$D/$to.err" | sed 's/^/# hop 1: destination QEMU trace: /'
		fi
		before=$(last_round "$from")
		end_qemu "$from"
		remove_vgpu "$cur"
		tap $? "hop $h: the source vGPU is removed after its QEMU quit"
		cur=$NEWVGPU
		if [ "$h" = 1 ]; then
			sleep 1	# a vblank or two on the destination
			shot_check "$to" "$D/after.ppm" same "$D/before.ppm"
			tap $? "hop 1: the destination's screendump is the source's, pixel for pixel"
		fi
		wait_round "$to" $((before + 1))
		tap $? "hop $h: the verifying loop goes on on the destination (round $(last_round "$to"))"
		from=$to
	done
	rc=$(stop_guest "$from")
	tr -d '\r' <"$D/$from.log" | grep '^MVGPU_MIG \(fb\|stopped\)' | sed 's/^/# guest: /'
	! grep -q 'MVGPU_MIG.*FAIL' "$D"/g*.log && [ "$rc" = 0 ] &&
		[ "$(tr -d '\r' <"$D/$from.log" | sed -n 's/^MVGPU_MIG fb //p' | tail -n 1)" = "$fb" ]
	tap $? "every round of the loop came out right, fb0 unchanged, mvgpu_drm unloaded (rc $rc)"
	[ "$failed" = 0 ] || diag g0 "$from"
	end_qemu "$from"
	remove_vgpu "$cur"
	tap $? "the last destination's vGPU is removed"
}

# The same guest with no device, the same hops.
without() {
	local args="mvgpu_mig.rounds=400 mvgpu_mig.nodev=1" from=n0 to h before
	l2 n0 "" "$args"
	wait_round n0 2
	tap $? "the same guest with no device runs its rounds"
	for h in $(seq "$HOPS"); do
		to=n$h
		hop "$from" "$to" "" "" "$args" "no device, hop $h"
		[ -z "$DOWNTIME" ] || echo "$DOWNTIME" >>"$D/without"
		[ -z "$PAUSE" ] || echo "$PAUSE" >>"$D/without.pause"
		before=$(last_round "$from")
		end_qemu "$from"
		wait_round "$to" $((before + 1)) || diag "$to"
		from=$to
	done
	rc=$(stop_guest "$from")
	[ "$rc" = 0 ]
	tap $? "no device: the guest ends its rounds on the last destination (rc $rc)"
	end_qemu "$from"
}

median() {
	sort -n | awk '{a[NR] = $1}
		END {if (NR) print (a[int((NR + 1) / 2)] + a[int(NR / 2) + 1]) / 2}'
}

# Print the figures of $2 (with a vGPU) and $3 (without), their medians
# and the ratio of the medians.
ratio() { # what with-file without-file
	local w o
	w=$(median <"$D/$2")
	o=$(median <"$D/$3")
	echo "# $1 with a vGPU: $(tr '\n' ' ' <"$D/$2")median ${w:-?}"
	echo "# $1 without a device: $(tr '\n' ' ' <"$D/$3")median ${o:-?}"
	if [ -n "$w" ] && [ -n "$o" ] && [ "${o%.*}" -gt 0 ]; then
		echo "# $1 ratio (with / without): $(awk -v w="$w" -v o="$o" 'BEGIN {printf "%.2f", w / o}') (target 1.5)"
	fi
}

main() {
	echo "TAP version 13"
	if [ ! -x "$QEMU" ] || [ ! -x "$GUEST/drm_smoke" ] || [ ! -f "$GUEST/modules/load.sh" ]; then
		echo "1..0 # SKIP needs QEMU 10 (scripts/qemu10.sh) and build/guest (make -C tests/guest)"
		return 0
	fi
	echo "# $("$QEMU" --version | head -n 1)"
	modules_two_pgpus
	tap $? "two pGPUs"
	boot=$("$TOP/tests/vm/l2.sh" --build-only --file "$TOP/tests/e2e/guest_lspci.sh" \
		--file "$GUEST/modules" --file "$GUEST/drm_smoke" \
		-- "$TOP/tests/guest/migrate.job.sh")
	tap $? "L2 guest image built"
	read -r KERNEL INITRD <<<"$boot"
	t0=$SECONDS
	: >"$D/with"
	: >"$D/without"
	: >"$D/with.pause"
	: >"$D/without.pause"
	with_vgpu
	echo "# time: with a vGPU, boot to the end $((SECONDS - t0)) s"
	t0=$SECONDS
	without
	echo "# time: without a device, boot to the end $((SECONDS - t0)) s"
	rm -rf "$(dirname "$INITRD")"
	ratio "downtime (ms, query-migrate)" with without
	ratio "guest paused (ms, source stop to destination start)" with.pause without.pause
	awk '{ p += $1; s += $2 } END { if (NR) printf "# device state per hop (PRE_COPY on): %d bytes before the stop, %d after it (STOP_COPY)\n", p / NR, s / NR }' "$D/with.bytes"
	echo "# time: total $SECONDS s"
	finish
}

main "$@"; exit # one line: safe if the file is edited while running
