#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The mvgpu demo, from a fresh Debian 12 machine: install what is needed,
# build, boot the vGPU host VM, create a vGPU, attach a QEMU guest to it
# and show the guest driving it.  A second run reuses every cache.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP"
scripts/deps.sh
scripts/linux-source.sh
scripts/kernel.sh >/dev/null
make -s module tools
make -s -C tests/guest
tests/vm/vm.sh --insmod mvgpu.ko -- scripts/demo-inside.sh
