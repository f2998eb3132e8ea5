// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every module parameter of mvgpu.ko in one place (declared in
 * <mvgpu/params.h>, documented in Documentation/usage.rst).  The names
 * are those under /sys/module/mvgpu/parameters/.
 */
#include <linux/moduleparam.h>

#include <mvgpu/params.h>

unsigned int mvgpu_num_pgpus = 1;
module_param_named(num_pgpus, mvgpu_num_pgpus, uint, 0444);
MODULE_PARM_DESC(num_pgpus,
		 "number of virtual physical GPUs to create (0-8, default 1); PCI functions bound to the mvgpu driver add more, up to 8 in all");

unsigned int mvgpu_hang_ms = 1000;
module_param_named(hang_ms, mvgpu_hang_ms, uint, 0644);
MODULE_PARM_DESC(hang_ms,
		 "a vGPU workload that has had this much engine time in all is a hang and ends with HANG (ms, 0 = off, default 1000)");

unsigned int mvgpu_sched_slice_us = 1000;
module_param_named(sched_slice_us, mvgpu_sched_slice_us, uint, 0444);
MODULE_PARM_DESC(sched_slice_us,
		 "initial time slice of every pGPU's scheduler (us, 1000-30000, default 1000; sched_slice_us of a pGPU in sysfs changes it)");

unsigned int mvgpu_max_batch_dwords = 16U << 20;
module_param_named(max_batch_dwords, mvgpu_max_batch_dwords, uint, 0644);
MODULE_PARM_DESC(max_batch_dwords,
		 "dwords a context may run in batches per ring-level batch start before BB_RUNAWAY (0 = no limit, default 16M)");

unsigned int mvgpu_watchdog_ms = 1000;
module_param_named(watchdog_ms, mvgpu_watchdog_ms, uint, 0444);
MODULE_PARM_DESC(watchdog_ms,
		 "initial engine watchdog: a context running or waiting longer in one submission is a hang (ms, 0 = off, default 1000)");

/*
 * QEMU takes the dma-buf plane when its probe succeeds and then fails
 * without OpenGL (hw/vfio/display.c): the region plane, which works with
 * every display, is the one advertised unless this is set.
 */
bool mvgpu_display_dmabuf;
module_param_named(display_dmabuf, mvgpu_display_dmabuf, bool, 0644);
MODULE_PARM_DESC(display_dmabuf,
		 "advertise dma-buf display planes to VMMs (QEMU then needs OpenGL); default: the region plane");

/*
 * Off, a KVM guest's page tables are read again at every submission, as
 * a guest without KVM's are: slower, and nothing of the guest's memory
 * is write-protected.
 */
bool mvgpu_kvm_write_track = true;
module_param_named(kvm_write_track, mvgpu_kvm_write_track, bool, 0444);
MODULE_PARM_DESC(kvm_write_track,
		 "shadow a KVM guest's PPGTT through KVM's write tracking (default on); off, its tables are read at every submission");

/*
 * 0 keeps an idle vGPU's shadow caches until memory pressure (each
 * pGPU's shrinker) or a reset releases them, and its display region's
 * buffer until memory pressure or the device's close (mdev/display.c).
 */
unsigned int mvgpu_trim_idle_ms = 2000;
module_param_named(trim_idle_ms, mvgpu_trim_idle_ms, uint, 0644);
MODULE_PARM_DESC(trim_idle_ms,
		 "an idle vGPU's shadow caches are released after this long without work in flight, its display region's buffer after this long unused (ms, 0 = only under memory pressure or at close, default 2000)");

/*
 * A debugging aid (sgpu/device.c): costs a look at the page's flags and
 * reference count at every page the engines map.
 */
bool mvgpu_debug_pin_check;
module_param_named(debug_pin_check, mvgpu_debug_pin_check, bool, 0444);
MODULE_PARM_DESC(debug_pin_check,
		 "the software GPU refuses and reports every page it is about to touch that is user memory nobody pins, or free (debugging, default off)");
