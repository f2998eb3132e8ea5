/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vGPU's work in flight and what waits for it: the state (retire.h:
 * the functions).
 */
#ifndef _MVGPU_RETIRE_TYPES_H
#define _MVGPU_RETIRE_TYPES_H

#include <linux/list.h>
#include <linux/types.h>

#include <mvgpu/mvgpu_regs.h>

/* Workloads per vGPU engine submitted and not yet delivered. */
#define MVGPU_RETIRE_MAX_INFLIGHT	32
/* Deferred unpins of GGTT entries a vGPU may have at once. */
#define MVGPU_RETIRE_MAX_GGTT_UNPINS	65536

/**
 * enum mvgpu_pin_kind - which shadow held a pin
 * @MVGPU_PIN_GGTT: a GGTT entry (ggtt.c)
 * @MVGPU_PIN_PPGTT: a last-level PPGTT entry (ppgtt.c)
 * @MVGPU_PIN_KINDS: how many kinds
 */
enum mvgpu_pin_kind {
	MVGPU_PIN_GGTT,
	MVGPU_PIN_PPGTT,
	MVGPU_PIN_KINDS,
};

/* The root of a workload without a PPGTT (no page-aligned address). */
#define MVGPU_RETIRE_NO_ROOT	U64_MAX

/**
 * struct mvgpu_retire_fifo - one engine's workloads in flight
 * @seq: their sequence numbers, oldest first, from @first (a ring)
 * @root: their PPGTT roots' guest addresses (%MVGPU_RETIRE_NO_ROOT for
 *        none), at the same indices
 * @ctx_id: their context IDs, at the same indices
 * @first: index of the oldest
 * @count: how many
 */
struct mvgpu_retire_fifo {
	u64 seq[MVGPU_RETIRE_MAX_INFLIGHT];
	u64 root[MVGPU_RETIRE_MAX_INFLIGHT];
	u32 ctx_id[MVGPU_RETIRE_MAX_INFLIGHT];
	unsigned int first;
	unsigned int count;
};

/**
 * struct mvgpu_retire - a vGPU's work in flight and what waits for it
 * @next_seq: sequence number of the vGPU's next workload, from 1
 * @fly: per engine, the workloads submitted and not yet delivered or
 *       dropped; an engine may be using what they reference
 * @unpins: deferred unpins (struct mvgpu_unpin_chunk), oldest first
 * @nr_unpins: deferred unpins of each &enum mvgpu_pin_kind
 *
 * Everything is protected by the vGPU's lock.  Something released at a
 * moment when the vGPU's next workload would be numbered S may be in use
 * by any workload numbered below S: it is kept until none of them is in
 * flight (mvgpu_retire_passed()).  A vGPU engine delivers its workloads
 * in the order it took them, so the oldest of each engine is enough.
 */
struct mvgpu_retire {
	u64 next_seq;
	struct mvgpu_retire_fifo fly[MVGPU_NUM_ENGINES];
	struct list_head unpins;
	unsigned int nr_unpins[MVGPU_PIN_KINDS];
};

#endif /* _MVGPU_RETIRE_TYPES_H */
