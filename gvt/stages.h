/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-stage latency of a vGPU's workloads, measured on request (debugfs
 * mvgpu_stages/<vGPU>): each hook is one test of a global count of the
 * vGPUs measuring.
 */
#ifndef _MVGPU_STAGES_H
#define _MVGPU_STAGES_H

#include <linux/atomic.h>
#include <linux/timekeeping.h>

#include "stages_types.h"
#include "vgpu_types.h"
#include "workload.h"

extern atomic_t mvgpu_stages_on;

/* Does any vGPU measure? */
static inline bool mvgpu_stages_measuring(void)
{
	return unlikely(atomic_read(&mvgpu_stages_on));
}

/* Stamp point @pt of @w, once. */
static inline void mvgpu_stage_stamp(struct mvgpu_workload *w,
				     enum mvgpu_stage_pt pt)
{
	if (mvgpu_stages_measuring() && !w->stamp[pt])
		w->stamp[pt] = ktime_get_ns();
}

void mvgpu_stages_stamp_engine(struct mvgpu_workload *w,
			       enum mvgpu_stage_pt pt);

/*
 * Stamp %MVGPU_PT_QUEUED or %MVGPU_PT_START of @w, once, with the
 * engine's stall clock.
 */
static inline void mvgpu_stage_stamp_engine(struct mvgpu_workload *w,
					    enum mvgpu_stage_pt pt)
{
	if (mvgpu_stages_measuring() && !w->stamp[pt])
		mvgpu_stages_stamp_engine(w, pt);
}

/* A register access of @vgpu begins. */
static inline void mvgpu_stage_trap(struct mvgpu_vgpu *vgpu)
{
	if (mvgpu_stages_measuring())
		WRITE_ONCE(vgpu->stages.trap_ns, ktime_get_ns());
}

/* @w begins to be built: it takes the time of the access that made it. */
static inline void mvgpu_stage_submit(struct mvgpu_workload *w)
{
	if (mvgpu_stages_measuring()) {
		w->stamp[MVGPU_PT_TRAP] = READ_ONCE(w->vgpu->stages.trap_ns);
		w->stamp[MVGPU_PT_SUBMIT] = ktime_get_ns();
	}
}

extern const char *const mvgpu_stage_names[MVGPU_ST_NR];

/*
 * The CSB event of a delivery was written: an interrupt raised later is
 * not its own (the guest acknowledged an earlier one meanwhile).
 */
static inline void mvgpu_stage_csb_done(struct mvgpu_vgpu *vgpu)
{
	if (mvgpu_stages_measuring())
		vgpu->stages.delivered_ns = 0;
}

void mvgpu_stages_delivered(struct mvgpu_workload *w);
void mvgpu_stages_irq(struct mvgpu_vgpu *vgpu);
struct mvgpu_stages_hist *mvgpu_stages_swap(struct mvgpu_vgpu *vgpu,
					    struct mvgpu_stages_hist *h);
struct mvgpu_stages_hist *mvgpu_stages_alloc(void);
void mvgpu_stages_free(struct mvgpu_stages_hist *h);
bool mvgpu_stages_read(struct mvgpu_vgpu *vgpu, struct mvgpu_stage_figs *figs);

#endif /* _MVGPU_STAGES_H */
