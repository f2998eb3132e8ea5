/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vGPU workload: one guest context submission, shadowed and scanned,
 * as the scheduler runs it.
 */
#ifndef _MVGPU_WORKLOAD_H
#define _MVGPU_WORKLOAD_H

#include <linux/kref.h>
#include <linux/list.h>

#include <mvgpu/backend.h>
#include <mvgpu/mvgpu_regs.h>

#include "cmd_parser.h"
#include "stages_types.h"

#include "retire_types.h"

struct mvgpu_vgpu;
struct mvgpu_sched_queue;
struct mvgpu_shadow_obj;
struct mvgpu_ctx_shadow;

/*
 * Workloads a vGPU has preallocated: as many as it may have in flight
 * (retire.c) and two more per engine for those being delivered.  Beyond
 * them (references held a little longer), one is allocated.
 */
#define MVGPU_WORKLOAD_SLOTS	(MVGPU_NUM_ENGINES * \
				 (MVGPU_RETIRE_MAX_INFLIGHT + 2))

/**
 * struct mvgpu_workload - one guest context submission
 * @ref: references: the queue or engine holding it, unhandled events,
 *       the delivery lists, a later workload of its context (@prev) and
 *       its engine's &mvgpu_vexec.last
 * @link: in its queue, the scheduler's list of finished work, or its
 *        vGPU's &mvgpu_vdeliver.done
 * @irq_link: in its vGPU's &mvgpu_vdeliver.irqs while @user_irqs waits
 *            (the delivery lock)
 * @user_irqs: user interrupts raised and not yet delivered (the delivery
 *             lock)
 * @vgpu: the vGPU that submitted it
 * @queue: the vGPU's queue for @engine, set when queued
 * @engine: MVGPU_ENGINE_*
 * @seq: its number among the vGPU's workloads (retire.c)
 * @gen: the vGPU engine's reset generation at submission; a workload of
 *       an older generation is not delivered
 * @prev: the workload of the same context queued before it on the same
 *        engine and still in flight at submission, until this one starts:
 *        its context state (the GPRs) continues from there
 * @ctx_id: context ID of the guest's descriptor
 * @lrca: guest GGTT address of the guest's context image
 * @ppgtt: the context has a PPGTT (LEGACY_64B)
 * @root_gpa: then, guest physical address of its PML4
 * @ring_start: guest GGTT address of its ring
 * @ring_size: ring bytes
 * @head: guest ring offset the workload starts at
 * @tail: guest ring offset it ends at
 * @gpr: the GPRs in the guest's context image at submission
 * @desc: descriptor of the shadow context
 * @ctx: the shadow context image, NULL when @rejected
 * @cshadow: its guest context's shadow ring and image, which @ctx is then,
 *           taken until its release (ctx_shadow.c); NULL when it has its
 *           own, or once @rejected
 * @shadows: the shadows of its own: the batches', and the shadow context
 *           and ring without @cshadow (struct mvgpu_shadow_obj); empty
 *           once @rejected
 * @rejected: refused before reaching an engine; @err says why
 * @more: set by the scheduler: more work of the vGPU follows on @engine
 * @status: set by the scheduler: CSB status of the end of the workload
 * @ran_ns: engine time it has had, over all its slices (scheduler lock)
 * @err: error capture, in shadow addresses until delivered (or, when
 *       @rejected, already in guest addresses)
 * @stamp: when it reached each point of enum mvgpu_stage_pt, while its
 *         vGPU measures its stages (stages.h); each written once, by the
 *         thread at that point
 * @stalled: with the stamps of %MVGPU_PT_QUEUED and %MVGPU_PT_START, the
 *           engine's stall clock (&mvgpu_backend_ops.stall_clock)
 */
struct mvgpu_workload {
	struct kref ref;
	struct list_head link;
	struct list_head irq_link;
	u32 user_irqs;
	struct mvgpu_vgpu *vgpu;
	struct mvgpu_sched_queue *queue;
	unsigned int engine;
	u64 seq;
	u32 gen;
	struct mvgpu_workload *prev;
	u32 ctx_id;
	u32 lrca;
	bool ppgtt;
	u64 root_gpa;
	u32 ring_start;
	u32 ring_size;
	u32 head;
	u32 tail;
	u32 gpr[MVGPU_RING_GPR_DWORDS];
	u64 desc;
	struct mvgpu_shadow_obj *ctx;
	struct mvgpu_ctx_shadow *cshadow;
	struct list_head shadows;
	bool rejected;
	bool more;
	u32 status;
	u64 ran_ns;
	struct mvgpu_engine_error err;
	u64 stamp[MVGPU_PT_NR];
	u64 stalled[2];
};

void mvgpu_workload_submit(struct mvgpu_vgpu *vgpu, unsigned int engine,
			   const u64 desc[2]);
void mvgpu_workload_get(struct mvgpu_workload *w);
void mvgpu_workload_put(struct mvgpu_workload *w);
void mvgpu_workload_account_ran(struct mvgpu_workload *w, u64 ns);
void mvgpu_workload_start(struct mvgpu_workload *w);
void mvgpu_workload_running(struct mvgpu_workload *w);
void mvgpu_workload_complete(struct mvgpu_workload *w, bool direct);
void mvgpu_workload_user_interrupt(struct mvgpu_workload *w, u32 count,
				   bool direct);
int mvgpu_workload_slots_init(struct mvgpu_vgpu *vgpu);
void mvgpu_workload_slots_fini(struct mvgpu_vgpu *vgpu);
void mvgpu_workload_deliver_init(struct mvgpu_vgpu *vgpu);
void mvgpu_workload_deliver_flush(struct mvgpu_vgpu *vgpu);

#endif /* _MVGPU_WORKLOAD_H */
