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

modules_two_pgpus || { echo "not ok 1 mvgpu reloaded with num_pgpus=2"; exit 1; }
"$TOP/build/vm-tests/migration_test" "$@"
rc=$?
modules_one_pgpu
exit $rc
