/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vGPU's batch verdict cache: its state (batch_cache.h: the functions).
 */
#ifndef _MVGPU_BATCH_CACHE_TYPES_H
#define _MVGPU_BATCH_CACHE_TYPES_H

#include <linux/atomic.h>
#include <linux/types.h>

#define MVGPU_BC_CTXS		8		/* guest contexts per vGPU */
#define MVGPU_BC_BATCHES	4		/* batches per context */
#define MVGPU_BC_MAX_BYTES	(16U << 10)	/* largest batch kept */

/**
 * struct mvgpu_bc_batch - the bytes of one batch as last scanned
 * @bytes: its commands, @len bytes (kvmalloc()), NULL for a free slot
 * @len: bytes, up to and including its MI_BATCH_BUFFER_END
 * @cmds: commands the scanner counted in it
 * @ppgtt_operands: PPGTT operands it counted in it
 * @space: %MVGPU_SPACE_GGTT or %MVGPU_SPACE_PPGTT
 * @addr: the guest address it was read from
 */
struct mvgpu_bc_batch {
	void *bytes;
	u32 len;
	u32 cmds;
	u32 ppgtt_operands;
	u32 space;
	u64 addr;
};

/**
 * struct mvgpu_bc_ctx - the batches one guest context last had accepted
 * @used: the slot holds a context
 * @lrca: its context image's GGTT address, which names it
 * @engine: the engine it was scanned for
 * @ppgtt: it had a PPGTT (the scanner's checks depend on it)
 * @stamp: when last used, for replacing the least recently used
 * @next: the batch slot to replace next, round robin
 * @b: its batches
 */
struct mvgpu_bc_ctx {
	bool used;
	u32 lrca;
	unsigned int engine;
	bool ppgtt;
	u64 stamp;
	unsigned int next;
	struct mvgpu_bc_batch b[MVGPU_BC_BATCHES];
};

/**
 * struct mvgpu_batch_cache - verdicts of batches a vGPU's contexts reuse
 * @ctx: the contexts
 * @clock: counts lookups, for &mvgpu_bc_ctx.stamp
 * @bytes: bytes of batches held, read without the lock by the shrinker's
 *         count
 * @hits: batches whose verdict was reused (counted by the caller)
 *
 * Protected by the owner's lock (the vGPU's), but for the atomics.
 */
struct mvgpu_batch_cache {
	struct mvgpu_bc_ctx ctx[MVGPU_BC_CTXS];
	u64 clock;
	atomic64_t bytes;
	atomic64_t hits;
};

#endif /* _MVGPU_BATCH_CACHE_TYPES_H */
