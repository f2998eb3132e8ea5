#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# QEMU 10 from Debian's bookworm-backports beside the system's QEMU 7.2,
# without installing it: download its packages (and the newer libraries
# they need) with a private apt configuration into build/cache/qemu10,
# extract them there and write a wrapper that runs it from there.  Prints
# the wrapper's path (a qemu-system-x86_64 to put first in PATH, or to give
# tests as MVGPU_QEMU).  Run on the build machine; L1 sees the result
# through its 9p view of the build machine's root.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$TOP/build/cache/qemu10"
C=$(realpath "$TOP/build/cache/qemu10")
W=$C/bin/qemu-system-x86_64
[ -x "$W" ] && [ -x "$C/root/usr/bin/qemu-system-x86_64" ] && { echo "$W"; exit 0; }
mkdir -p "$C/lists/partial" "$C/archives/partial" "$C/bin"
cat >"$C/sources.list" <<SRC
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-backports main
SRC
cat >"$C/apt.conf" <<CONF
Dir::Etc::SourceList "$C/sources.list";
Dir::Etc::SourceParts "/nonexistent";
Dir::State::Lists "$C/lists";
Dir::Cache::Archives "$C/archives";
Dir::State::status "/var/lib/dpkg/status";
Debug::NoLocking "true";
CONF
export APT_CONFIG=$C/apt.conf
apt-get -qq update >&2
apt-get -qq install -y -t bookworm-backports --download-only qemu-system-x86 >&2
rm -rf "$C/root"
mkdir -p "$C/root"
for deb in "$C"/archives/*.deb; do
	dpkg-deb -x "$deb" "$C/root"
done
cat >"$W" <<WRAP
#!/bin/sh
# QEMU 10 (bookworm-backports) extracted by scripts/qemu10.sh
R=$C/root
export LD_LIBRARY_PATH=\$R/usr/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}
export QEMU_MODULE_DIR=\$R/usr/lib/x86_64-linux-gnu/qemu
exec \$R/usr/bin/qemu-system-x86_64 -L \$R/usr/share/qemu -L \$R/usr/share/seabios "\$@"
WRAP
chmod 0755 "$W"
echo "$W"
