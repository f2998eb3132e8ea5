# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# The modules under test, for the scripts that unload and load them again
# (lifecycle.sh, unload.sh, the migration tests), sourced with TOP set:
# mvgpu.ko and on top of it mvgpu_native.ko, the host's native client,
# which holds mvgpu loaded (rmmod mvgpu is refused while it is there).  MVGPU_KO: the mvgpu.ko to
# load (default ./mvgpu.ko; the debug kernel has its own build);
# mvgpu_native.ko is the one beside it.

KO=${MVGPU_KO:-$TOP/mvgpu.ko}
NATIVE_KO=$(dirname "$KO")/mvgpu_native.ko
# shellcheck disable=SC2034 # for the scripts that source this
NATIVE_DIR=/sys/kernel/debug/mvgpu

loaded() { # module
	grep -q "^$1 " /proc/modules
}

# mvgpu_native is loaded again after mvgpu if it was there at the start.
NATIVE_WANTED=0
loaded mvgpu_native && NATIVE_WANTED=1

native_unload() {
	! loaded mvgpu_native || rmmod mvgpu_native
}

native_load() {
	[ "$NATIVE_WANTED" = 0 ] || loaded mvgpu_native || insmod "$NATIVE_KO"
}

# Both modules as they were at the start, mvgpu loaded in any case.
modules_restore() {
	loaded mvgpu || insmod "$KO"
	native_load
}

# For the tests that need two pGPUs (migration.sh, the e2e migration
# tests): when mvgpu has one pGPU only, reload it with num_pgpus=2.
# Returns non-zero when there are still not two pGPUs; the modules are
# then as they were (or at least loaded).  modules_one_pgpu undoes it.
TWO_PGPUS_RELOADED=0
modules_two_pgpus() {
	[ ! -d /sys/class/mdev_bus/mvgpu1 ] || return 0
	native_unload
	if ! rmmod mvgpu; then
		native_load
		return 1
	fi
	if ! insmod "$KO" num_pgpus=2; then
		modules_restore
		return 1
	fi
	TWO_PGPUS_RELOADED=1
}

# mvgpu and mvgpu_native as before modules_two_pgpus, if it reloaded them.
modules_one_pgpu() {
	[ "$TWO_PGPUS_RELOADED" = 1 ] || return 0
	native_unload
	rmmod mvgpu && insmod "$KO"
	modules_restore
	TWO_PGPUS_RELOADED=0
}
