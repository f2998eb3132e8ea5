/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The module parameters of mvgpu.ko, all defined in mdev/params.c and
 * listed in Documentation/usage.rst.  Each keeps its name under
 * /sys/module/mvgpu/parameters/; those writable at run time are read
 * with READ_ONCE() where they are used.
 */
#ifndef _MVGPU_PARAMS_H
#define _MVGPU_PARAMS_H

#include <linux/types.h>

/* num_pgpus: physical GPUs created at load (1-8), read-only */
extern unsigned int mvgpu_num_pgpus;
/* hang_ms: engine time after which a vGPU workload is a hang (gvt/sched.c) */
extern unsigned int mvgpu_hang_ms;
/* sched_slice_us: each pGPU's initial time slice (gvt/sched.c), read-only */
extern unsigned int mvgpu_sched_slice_us;
/* max_batch_dwords: the software GPU's runaway batch limit (sgpu/engine.c) */
extern unsigned int mvgpu_max_batch_dwords;
/* watchdog_ms: the software GPU's initial engine watchdog, read-only */
extern unsigned int mvgpu_watchdog_ms;
/* display_dmabuf: advertise the dma-buf display plane (mdev/display.c) */
extern bool mvgpu_display_dmabuf;
extern bool mvgpu_kvm_write_track;
/* trim_idle_ms: idle time before a vGPU's shadow caches go (gvt/trim.c) */
extern unsigned int mvgpu_trim_idle_ms;
/* debug_pin_check: check each page the engines map (sgpu/device.c) */
extern bool mvgpu_debug_pin_check;

#endif
