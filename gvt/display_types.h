/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vGPU's virtual display pipe: its state (display.h: the functions).
 */
#ifndef _MVGPU_DISPLAY_TYPES_H
#define _MVGPU_DISPLAY_TYPES_H

#include <linux/hrtimer.h>
#include <linux/workqueue.h>

/**
 * struct mvgpu_vdisplay - the virtual pipe A of one vGPU
 * @timer: ticks at 60 Hz while @running; runs in hard interrupt context
 *         and only queues @vblank
 * @vblank: the vblank itself, under the vGPU's lock, on
 *          &mvgpu_pgpu.deliver_wq (ticks faster than it are merged)
 * @running: the plane is enabled, the pipe produces vblanks; written
 *           under the vGPU's lock, read by @timer without it
 *
 * The plane's registers are the vGPU's register file (vreg_table.c);
 * DSPSURF is latched into DSPSURFLIVE at each vblank.
 */
struct mvgpu_vdisplay {
	struct hrtimer timer;
	struct work_struct vblank;
	bool running;
};

#endif /* _MVGPU_DISPLAY_TYPES_H */
