#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The Debian packages installed and used as an administrator does: in the
# L1 VM, inside tests/vm/sandbox.sh (a writable root), "dpkg -i" of
# mvgpu-dkms (whose postinst has DKMS build and install the modules for
# the running kernel) and mvgpu-tools; then modprobe mvgpu, a vGPU, the
# packaged mvgpu-vfio on it; then "dpkg -r" takes the modules away.  No
# mvgpu module may be loaded when it starts.  TAP output.
#
#   tests/pkg/deb_install.sh DEBDIR     (from tests/pkg/build-deb.sh)
set -uo pipefail

DEBS=${1:?usage: $0 DEBDIR}
KVER=$(uname -r)
n=0
failed=0

tap() { # condition-exit-status name
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; failed=1; fi
}

echo "TAP version 13"
grep -q '^mvgpu ' /proc/modules && { echo "Bail out! mvgpu is loaded already"; exit 1; }
t0=$SECONDS
dpkg -i "$DEBS"/mvgpu-dkms_*_all.deb "$DEBS"/mvgpu-tools_*_amd64.deb >/tmp/dpkg.log 2>&1
r=$?
sed 's/^/# /' /tmp/dpkg.log | tail -n 25
tap $r "dpkg -i mvgpu-dkms mvgpu-tools ($((SECONDS - t0)) s, DKMS build included)"
dkms status mvgpu | sed 's/^/# /'
dkms status mvgpu | grep -q "^mvgpu/[^,]*, $KVER, x86_64: installed"
tap $? "dkms status: mvgpu installed for $KVER"
modinfo -n mvgpu | grep -q "^/lib/modules/$KVER/updates/dkms/mvgpu.ko" &&
	modinfo -n mvgpu_drm | grep -q "^/lib/modules/$KVER/updates/dkms/mvgpu_drm.ko"
tap $? "modinfo finds mvgpu and mvgpu_drm in updates/dkms"
modprobe mvgpu && [ -d /sys/class/mdev_bus/mvgpu0/mdev_supported_types/mvgpu-V1_4 ]
tap $? "modprobe mvgpu (its dependencies with it) offers the vGPU types"
u=$(cat /proc/sys/kernel/random/uuid)
echo "$u" >/sys/class/mdev_bus/mvgpu0/mdev_supported_types/mvgpu-V1_4/create &&
	out=$(/usr/bin/mvgpu-vfio "$u" read bar0 $((0x78000)) 8) && [ "$out" = 0x4776544776544776 ]
tap $? "the packaged mvgpu-vfio reads the PV info magic of a new vGPU"
echo 1 >"/sys/bus/mdev/devices/$u/remove"
modprobe -r mvgpu && ! grep -q '^mvgpu ' /proc/modules
tap $? "modprobe -r mvgpu"
dpkg -r mvgpu-tools mvgpu-dkms >/tmp/dpkg.log 2>&1 && ! modinfo mvgpu >/dev/null 2>&1 &&
	[ ! -e /usr/bin/mvgpu-vfio ] && [ -z "$(ls -d /usr/src/mvgpu-* 2>/dev/null)" ]
r=$?
sed 's/^/# /' /tmp/dpkg.log | tail -n 8
tap $r "dpkg -r removes the modules, the sources and the tools"
echo "1..$n"
exit $failed
