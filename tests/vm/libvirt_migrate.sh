#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# virsh migrate of a running domain with a vGPU as <hostdev type='mdev'
# display='on'>, between two libvirt daemons in the L1 VM: Debian's
# libvirtd (qemu:///system) and a second one in a mount namespace of its
# own (its /etc/libvirt, /run/libvirt and /var/*/libvirt, another host
# UUID, TCP on 127.0.0.1:16510), the way two hosts run it.  The domain
# runs QEMU 10 (<emulator>, scripts/qemu10.sh; QEMU 7.2 predates the VFIO
# migration uAPI v2) and gets QEMU's VFIO migration options through
# <qemu:override> (Documentation/migration.rst).  The source vGPU is on
# the PCI parent, the destination's, with the same graphics memory
# placement, on the virtual parent mvgpu0.  The guest runs verified work
# through mvgpu_drm before, during and after the move
# (tests/guest/migrate.job.sh); the destination's counters carry on the
# source's.  Runs in the L1 VM booted with a spare PCI function (vm.sh
# --device pci-testdev), in tests/vm/sandbox.sh, which it enters by
# itself, with mvgpu loaded.  TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/vm/pci_parent.sh"
. "$TOP/tests/vm/libvirt_lib.sh"
QEMU=${MVGPU_QEMU:-$TOP/build/cache/qemu10/bin/qemu-system-x86_64}
GUEST=$TOP/build/guest
DOM=mvgpu-mig
MIG_CMDLINE=mvgpu_mig.rounds=${MVGPU_MIG_ROUNDS:-40}
DST_PORT=16510
DST_URI=qemu+tcp://127.0.0.1:$DST_PORT/system
VIRSH=(virsh -c qemu:///system)
DVIRSH=(virsh -c "$DST_URI")
TYPE=mvgpu-V1_4
n=0
failed=0

new_vgpu() { # mdev_supported_types-dir -> uuid
	local u
	u=$(cat /proc/sys/kernel/random/uuid)
	echo "$u" >"$1/$TYPE/create" && echo "$u"
}

# The two vGPUs share type and placement (migration.rst, Limits).
same_placement() { # uuid uuid
	local a b f r=0
	for f in aperture_base aperture_size hidden_base hidden_size; do
		a=$(cat "/sys/bus/mdev/devices/$1/mvgpu/$f")
		b=$(cat "/sys/bus/mdev/devices/$2/mvgpu/$f")
		echo "# $f: source $a, destination $b"
		[ "$a" = "$b" ] || r=1
	done
	return $r
}

# The destination daemon: libvirtd and virtlogd in a mount namespace
# whose libvirt directories are under $WORK/dst (readable from here).
start_dst_libvirtd() {
	local d=$WORK/dst
	mkdir -p "$d/run" "$d/lib" "$d/cache" "$d/log" || return 1
	cp -a /etc/libvirt "$d/etc" || return 1
	cat >>"$d/etc/libvirtd.conf" <<-CONF
	listen_tls = 0
	listen_tcp = 1
	listen_addr = "127.0.0.1"
	tcp_port = "$DST_PORT"
	auth_tcp = "none"
	host_uuid = "$(cat /proc/sys/kernel/random/uuid)"
	log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
	CONF
	# shellcheck disable=SC2016 # expanded by the namespace's shell
	unshare -m --propagation private /bin/bash -c '
		d=$1
		mkdir -p /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt &&
			mount --bind "$d/etc" /etc/libvirt && mount --bind "$d/run" /run/libvirt &&
			mount --bind "$d/lib" /var/lib/libvirt &&
			mount --bind "$d/cache" /var/cache/libvirt &&
			mount --bind "$d/log" /var/log/libvirt || exit 1
		virtlogd -d -p /run/libvirt/virtlogd.pid &&
			libvirtd -d -l -p /run/libvirt/libvirtd.pid' _ "$d" || return 1
	for _ in $(seq 120); do
		"${DVIRSH[@]}" version >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	return 1
}

# Without QEMU's VFIO migration options (or with QEMU 7.2, which has no
# VFIO migration v2) QEMU blocks migration and libvirt 9.0 refuses with
# QEMU's reason ("cannot migrate domain: ..."); the domain runs on.
test_refused() { # uuid emulator what
	local boot
	boot=$("$TOP/tests/vm/l2.sh" --build-only -- "$TOP/tests/e2e/guest_lspci.sh") ||
		{ tap 1 "L2 guest image built"; return; }
	# shellcheck disable=SC2086 # two words: kernel and initrd
	# $2: the emulator ("" for the system's QEMU 7.2), not offering migration.
	domain_xml "$DOM" 256 "$1" $boot "$WORK/refused.log" "$MIG_CMDLINE" "$2" 0 >"$WORK/refused.xml"
	"${VIRSH[@]}" create "$WORK/refused.xml" >/dev/null || { tap 1 "$3: domain started"; return; }
	timeout 300 "${VIRSH[@]}" migrate --live "$DOM" "$DST_URI" \
		--migrateuri "tcp://127.0.0.1:49152" >"$WORK/refused.out" 2>&1
	sed 's/^/# virsh migrate: /' "$WORK/refused.out"
	grep -q "cannot migrate domain: " "$WORK/refused.out" &&
		[ "$("${VIRSH[@]}" domstate "$DOM" 2>/dev/null)" = running ] &&
		! "${DVIRSH[@]}" domstate "$DOM" >/dev/null 2>&1
	tap $? "$3: virsh migrate refused with QEMU's blocker, the domain runs on"
	"${VIRSH[@]}" destroy "$DOM" >/dev/null 2>&1
	rm -rf "$(dirname "${boot#* }")"
}

# The last "MVGPU_MIG round N ok" of a serial log (0 if none).
last_round() { # log
	tr -d '\r' <"$1" 2>/dev/null | sed -n 's/^MVGPU_MIG round \([0-9]*\) ok.*/\1/p' |
		tail -n 1 | grep . || echo 0
}

wait_round() { # log round seconds
	local end=$((SECONDS + $3))
	while [ $SECONDS -lt $end ]; do
		[ "$(last_round "$1")" -ge "$2" ] && return 0
		grep -q '^MVGPU_L2_RC=' "$1" 2>/dev/null && return 1
		sleep 2
	done
	return 1
}

# Wait up to $2 s for the destination's transient domain to be gone or
# shut off.
wait_dst_end() { # seconds
	local end=$((SECONDS + $1)) s
	while [ $SECONDS -lt $end ]; do
		s=$("${DVIRSH[@]}" domstate "$DOM" 2>/dev/null) || return 0
		[ "$s" = "shut off" ] && return 0
		sleep 2
	done
	return 1
}

diag() {
	local f
	tr -d '\r' <"$WORK/src.log" 2>/dev/null | grep -A3 'FAIL' | sed 's/^/# src.log FAIL: /'
	tr -d '\r' <"$WORK/dst.log" 2>/dev/null | grep -A3 'FAIL' | sed 's/^/# dst.log FAIL: /'
	for f in "$WORK/src.log" "$WORK/dst.log"; do
		tr -d '\r' <"$f" 2>/dev/null | tail -n 15 | sed "s|^|# ${f##*/}: |"
	done
	tail -n 15 "/var/log/libvirt/qemu/$DOM.log" 2>/dev/null | sed 's/^/# src qemu: /'
	tail -n 15 "$WORK/dst/log/qemu/$DOM.log" 2>/dev/null | sed 's/^/# dst qemu: /'
	grep -i error "$WORK/dst/log/libvirtd.log" 2>/dev/null | tail -n 10 | sed 's/^/# dst libvirtd: /'
	dmesg | grep -i mvgpu | tail -n 20 | sed 's/^/# L1 dmesg: /'
}

test_migrate() { # src-uuid dst-uuid
	local boot before after r rounds_src rounds_dst s0 c0 s1 c1 e1
	boot=$("$TOP/tests/vm/l2.sh" --build-only --file "$TOP/tests/e2e/guest_lspci.sh" \
		--file "$GUEST/modules" --file "$GUEST/drm_smoke" \
		-- "$TOP/tests/guest/migrate.job.sh") ||
		{ tap 1 "L2 guest image built"; return; }
	# shellcheck disable=SC2086 # two words: kernel and initrd
	domain_xml "$DOM" 256 "$1" $boot "$WORK/src.log" "$MIG_CMDLINE" "$QEMU" 1 >"$WORK/src.xml"
	sed 's/^/# /' "$WORK/src.xml"
	before=$(vgpu_counters "$1")
	"${VIRSH[@]}" create "$WORK/src.xml" >/dev/null &&
		wait_round "$WORK/src.log" 2 "${MVGPU_L2_TIMEOUT:-420}"
	tap $? "a domain with the vGPU (QEMU 10) runs verified work through mvgpu_drm"
	grep -o '"driver":"vfio-pci"[^}]*' "/var/log/libvirt/qemu/$DOM.log" 2>/dev/null |
		tail -n 1 | sed 's/^/# qemu: /'
	# The destination's XML: the running domain's, with its own vGPU and log.
	"${VIRSH[@]}" dumpxml --migratable "$DOM" |
		sed -e "s/$1/$2/" -e "s|$WORK/src.log|$WORK/dst.log|" >"$WORK/dst.xml"
	grep -q "$2" "$WORK/dst.xml"
	tap $? "its migratable XML, with the destination's vGPU (virsh dumpxml --migratable)"
	grep -E 'emulator|hostdev|uuid|qemu:' "$WORK/dst.xml" | sed 's/^/# dst.xml: /'
	echo "# source vGPU before the move: $(vgpu_counters "$1") (submissions completed errors)"
	timeout 900 "${VIRSH[@]}" migrate --live --verbose "$DOM" "$DST_URI" \
		--migrateuri "tcp://127.0.0.1:49152" --xml "$WORK/dst.xml" 2>&1 |
		tee "$WORK/migrate.out" | sed 's/^/# virsh migrate: /'
	r=${PIPESTATUS[0]}
	rounds_src=$(last_round "$WORK/src.log")
	[ "$r" = 0 ] && [ "$("${DVIRSH[@]}" domstate "$DOM" 2>/dev/null)" = running ]
	tap $? "virsh migrate --live moves it to the second daemon (after round $rounds_src)"
	"${DVIRSH[@]}" domjobinfo --completed "$DOM" 2>/dev/null |
		grep -E 'Time elapsed|[Dd]owntime|processed|transferred' | sed 's/^/# dst domjobinfo: /'
	after=$(vgpu_counters "$1")
	! "${VIRSH[@]}" domstate "$DOM" >/dev/null 2>&1
	tap $? "the source domain is gone"
	wait_dst_end "${MVGPU_L2_TIMEOUT:-420}"
	tap $? "the guest finished its rounds on the destination and powered off"
	rounds_dst=$(last_round "$WORK/dst.log")
	tr -d '\r' <"$WORK/dst.log" 2>/dev/null | grep '^MVGPU_MIG\|^MVGPU_L2_RC' | sed 's/^/# dst.log: /'
	! grep -q 'MVGPU_MIG.*FAIL' "$WORK/src.log" "$WORK/dst.log" &&
		[ "$rounds_dst" -gt "$rounds_src" ] && grep -q '^MVGPU_L2_RC=0' "$WORK/dst.log"
	tap $? "every round came out right, rounds $((rounds_src + 1))..$rounds_dst on the destination (MVGPU_L2_RC=0)"
	read -r s0 c0 _ <<<"$after"
	read -r s1 c1 e1 <<<"$(vgpu_counters "$2")"
	echo "# source vGPU: $before before, $after after the move; destination: $s1 $c1 $e1"
	echo "# hangs: source $(cat "/sys/bus/mdev/devices/$1/mvgpu/hangs"), destination $(cat "/sys/bus/mdev/devices/$2/mvgpu/hangs")"
	# Three workloads a round; the round under way at the move may have
	# run on the source and reported on the destination.  The
	# destination alone ran fewer than all rounds: its count holds the
	# source's only if the counters were carried.
	[ "$c0" -ge $((3 * rounds_src)) ] && [ "$c1" -ge $((3 * rounds_dst)) ] &&
		[ "$s1" = "$c1" ] && [ "$e1" = 0 ] && [ "$s0" -gt 0 ]
	tap $? "the destination vGPU's counters carry on the source's with the guest's work, no error"
	[ "$failed" = 0 ] || diag
	rm -rf "$(dirname "${boot#* }")"
}

stop_dst() {
	local p
	for p in libvirtd virtlogd; do
		p=$(cat "$WORK/dst/run/$p.pid" 2>/dev/null) && kill "$p"
	done
}

PCI=$(pci_spare) || {
	printf 'TAP version 13\nok 1 # SKIP no spare PCI function (vm.sh --device pci-testdev)\n1..1\n'
	exit 0
}
if [ ! -x "$QEMU" ] || [ ! -x "$GUEST/drm_smoke" ] || [ ! -f "$GUEST/modules/load.sh" ]; then
	printf 'TAP version 13\nok 1 # SKIP needs QEMU 10 (scripts/qemu10.sh) and build/guest (make -C tests/guest)\n1..1\n'
	exit 0
fi
[ "${MVGPU_SANDBOX:-0}" = 1 ] || exec "$TOP/tests/vm/sandbox.sh" -- "$0" "$@"
echo "TAP version 13"
WORK=$(mktemp -d /tmp/libvirt-mig.XXXXXX)
pci_bind_mvgpu "$PCI"
tap $? "$PCI bound to mvgpu"
start_libvirtd
tap $? "libvirtd and virtlogd started (source)"
start_dst_libvirtd
tap $? "a second libvirtd in its own mount namespace, on $DST_URI"
SRC=$(new_vgpu "/sys/bus/pci/devices/$PCI/mdev_supported_types")
DST=$(new_vgpu /sys/class/mdev_bus/mvgpu0/mdev_supported_types)
[ -n "$SRC" ] && [ -n "$DST" ] && same_placement "$SRC" "$DST"
tap $? "a $TYPE vGPU on each parent, same placement"
test_refused "$SRC" "" "QEMU 7.2"
test_refused "$SRC" "$QEMU" "QEMU 10 without enable-migration=on"
test_migrate "$SRC" "$DST"
"${VIRSH[@]}" destroy "$DOM" >/dev/null 2>&1
"${DVIRSH[@]}" destroy "$DOM" >/dev/null 2>&1
stop_dst
sleep 2
r=0
for u in "$SRC" "$DST"; do
	[ -n "$u" ] && echo 1 >"/sys/bus/mdev/devices/$u/remove" || r=1
done
tap $r "both vGPUs removed"
pci_unbind "$PCI"
rm -rf "$WORK"
echo "1..$n"
exit $failed
