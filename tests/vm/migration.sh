#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Live migration between two pGPUs (build/vm-tests/migration_test): when
# mvgpu has one pGPU only, it is reloaded with num_pgpus=2 for the test
# and as it was afterwards.  Runs in the L1 VM (modules.sh); TAP output,
# the test's exit code.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/vm/modules.sh"

reloaded=0
if [ ! -d /sys/class/mdev_bus/mvgpu1 ]; then
	native_unload
	rmmod mvgpu || { echo "not ok 1 mvgpu could not be unloaded for num_pgpus=2"; exit 1; }
	insmod "$KO" num_pgpus=2 || { modules_restore; echo "not ok 1 insmod num_pgpus=2"; exit 1; }
	reloaded=1
fi
"$TOP/build/vm-tests/migration_test" "$@"
rc=$?
if [ "$reloaded" = 1 ]; then
	rmmod mvgpu && insmod "$KO"
	native_load
fi
exit $rc
