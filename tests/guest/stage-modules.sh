#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Stage what an L2 guest needs to load mvgpu_drm: the Debian kernel's DRM
# modules it depends on (decompressed, in load order, by scripts/kernel.sh)
# and drm/mvgpu_drm.ko, with load.list (their order) and load.sh, which
# loads them in the guest:
#
#   tests/guest/stage-modules.sh DIR      (build machine or L1)
#   tests/vm/l2.sh --file DIR ... -- job.sh
#   in job.sh: sh ./$(basename DIR)/load.sh [mvgpu_drm parameters]
# (parameters may also come as mvgpu_drm.NAME=VALUE on the guest's kernel
# command line: l2.sh --append)
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DIR=${1:?usage: $0 DIR}
KO=$TOP/drm/mvgpu_drm.ko

[ -f "$KO" ] || { echo "stage-modules.sh: no $KO (make drm)" >&2; exit 1; }
IFS=, read -ra deps < <(modinfo -F depends "$KO")
mapfile -t mods < <("$TOP/scripts/kernel.sh" --modules "${deps[@]}")
rm -rf "$DIR"
mkdir -p "$DIR"
for m in "${mods[@]}" "$KO"; do
	cp "$m" "$DIR/"
	basename "$m" >>"$DIR/load.list"
done
cat >"$DIR/load.sh" <<'LOAD'
#!/bin/sh
# Load the modules of load.list not loaded yet, in order.  mvgpu_drm gets
# the arguments and the kernel command line's mvgpu_drm.* parameters
# (l2.sh --append).
here=$(dirname "$0")
params=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^mvgpu_drm\.//p')
while read -r m; do
	name=$(basename "$m" .ko | tr - _)
	[ -d "/sys/module/$name" ] && continue	# already there
	if [ "$m" = mvgpu_drm.ko ]; then
		# shellcheck disable=SC2086 # one word per parameter
		insmod "$here/$m" $params "$@" || exit 1
	else
		insmod "$here/$m" || exit 1
	fi
done <"$here/load.list"
LOAD
chmod 0755 "$DIR/load.sh"
