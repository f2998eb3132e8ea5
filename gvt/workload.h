/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vGPU workload: one guest context submission, shadowed and scanned,
 * as the scheduler runs it.
 */
#ifndef _MVGPU_WORKLOAD_H
#define _MVGPU_WORKLOAD_H

#include <linux/kref.h>
#include <linux/list.h>

#include "backend.h"
#include "cmd_parser.h"

struct mvgpu_vgpu;
struct mvgpu_sched_queue;
struct mvgpu_shadow_obj;

/**
 * struct mvgpu_workload - one guest context submission
 * @ref: references: the queue or engine holding it, and unhandled events
 * @link: in its queue, or the scheduler's list of finished work
 * @vgpu: the vGPU that submitted it
 * @queue: the vGPU's queue for @engine, set when queued
 * @engine: MVGPU_ENGINE_*
 * @gen: the vGPU engine's reset generation at submission; a workload of
 *       an older generation is not delivered
 * @ctx_id: context ID of the guest's descriptor
 * @lrca: guest GGTT address of the guest's context image
 * @ppgtt: the context has a PPGTT (LEGACY_64B)
 * @root_gpa: then, guest physical address of its PML4
 * @ring_start: guest GGTT address of its ring
 * @ring_size: ring bytes
 * @head: guest ring offset the workload starts at
 * @tail: guest ring offset it ends at
 * @desc: descriptor of the shadow context
 * @shadows: the shadow context, ring and batches (struct mvgpu_shadow_obj)
 * @rejected: refused before reaching an engine; @err says why
 * @more: set by the scheduler: more work of the vGPU follows on @engine
 * @status: set by the scheduler: CSB status of the end of the workload
 * @ran_ns: engine time it has had, over all its slices (scheduler lock)
 * @err: error capture, in shadow addresses until delivered (or, when
 *       @rejected, already in guest addresses)
 */
struct mvgpu_workload {
	struct kref ref;
	struct list_head link;
	struct mvgpu_vgpu *vgpu;
	struct mvgpu_sched_queue *queue;
	unsigned int engine;
	u32 gen;
	u32 ctx_id;
	u32 lrca;
	bool ppgtt;
	u64 root_gpa;
	u32 ring_start;
	u32 ring_size;
	u32 head;
	u32 tail;
	u64 desc;
	struct list_head shadows;
	bool rejected;
	bool more;
	u32 status;
	u64 ran_ns;
	struct mvgpu_engine_error err;
};

void mvgpu_workload_submit(struct mvgpu_vgpu *vgpu, unsigned int engine,
			   const u64 desc[2]);
void mvgpu_workload_get(struct mvgpu_workload *w);
void mvgpu_workload_put(struct mvgpu_workload *w);
void mvgpu_workload_deliver(struct mvgpu_workload *w);
void mvgpu_workload_user_interrupt(struct mvgpu_workload *w, u32 count);

#endif /* _MVGPU_WORKLOAD_H */
