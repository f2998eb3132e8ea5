/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Engines: the software queue of each engine, its two execlist ports and
 * its context status buffer.
 */
#ifndef _MVGPU_DRM_EXECLIST_H
#define _MVGPU_DRM_EXECLIST_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct mvgpu_drm;
struct mvgpu_hwctx;
struct mvgpu_request;

/**
 * struct mvgpu_engine - one engine (RCS or BCS) and its execlist
 * @mdev: the device
 * @id: MVGPU_ENGINE_*
 * @base: its registers' base in BAR0
 * @irq_shift: its bits in the GT interrupt registers
 * @name: "rcs" or "bcs", also the timeline name of its fences
 * @lock: protects everything below, the request lists and ring state of
 *        its hardware contexts (struct mvgpu_hwctx), and the state of
 *        their requests (struct mvgpu_request); never held across a wait.
 *        The fences of its requests are signalled under it.
 * @queue: requests ready to run, in the order they became ready
 * @port: the hardware contexts in the execlist's two elements; element 0
 *        runs first.  Each holds a reference on its context.
 * @csb_head: last context status buffer entry consumed
 * @hws_bo: the engine's status page (GPU-only, hidden range), or NULL
 * @hws: its CPU mapping
 * @use_hws: the GPU kept RING_HWS_PGA: CSB entries are read from @hws
 *           (set by mvgpu_engine_hw_init(), interrupt quiet)
 * @use_sq: and PV info has MVGPU_PVINFO_CAP_SUBMIT_QUEUE: pairs are
 *          submitted through the queue in @hws (set with @use_hws)
 * @submitted: ELSP submissions made (READ_ONCE outside @lock)
 * @idle_seq: @submitted when the engine was last seen idle: everything
 *            submitted up to it has left the engine (READ_ONCE outside
 *            @lock)
 * @stopped: a reset is in progress, or the device is gone: nothing is
 *           submitted
 * @last_progress: jiffies of the last event, submission or completion
 */
struct mvgpu_engine {
	struct mvgpu_drm *mdev;
	unsigned int id;
	u32 base;
	u32 irq_shift;
	const char *name;
	spinlock_t lock; /* see @lock above */
	struct list_head queue;
	struct mvgpu_hwctx *port[2];
	unsigned int csb_head;
	struct mvgpu_bo *hws_bo;
	u32 *hws;
	bool use_hws;
	bool use_sq;
	u64 submitted;
	u64 idle_seq;
	bool stopped;
	unsigned long last_progress;
};

void mvgpu_engine_init(struct mvgpu_drm *m, unsigned int id);
int mvgpu_engines_hws_init(struct mvgpu_drm *m);
void mvgpu_engine_hw_init(struct mvgpu_engine *e);
void mvgpu_engine_ready(struct mvgpu_request *rq);
void mvgpu_engine_irq(struct mvgpu_engine *e, u32 iir);
void mvgpu_engine_stop(struct mvgpu_engine *e);
void mvgpu_engine_restart(struct mvgpu_engine *e, bool blame_running);
void mvgpu_engine_cancel(struct mvgpu_engine *e);
bool mvgpu_engine_stalled(struct mvgpu_engine *e, unsigned long timeout);
bool mvgpu_engine_busy(struct mvgpu_engine *e);

#endif /* _MVGPU_DRM_EXECLIST_H */
