/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Software GPU: the execution state of one logical ring context and its
 * image in graphics memory (Documentation/gpu-interface.rst, "Context
 * image").
 */
#ifndef _SGPU_CONTEXT_H
#define _SGPU_CONTEXT_H

#include <linux/types.h>

#include <mvgpu/mvgpu_regs.h>

#include "gtt_walk.h"

/**
 * struct sgpu_bb - one level of the batch buffer stack
 * @addr: graphics address of the next command
 * @state: MVGPU_BB_STATE_ACTIVE | MVGPU_BB_STATE_PPGTT
 */
struct sgpu_bb {
	u64 addr;
	u32 state;
};

/**
 * struct sgpu_ctx - a context as the executor runs it
 * @desc: the descriptor it was submitted with
 * @ctx_id: context ID (descriptor bits 63:32)
 * @lrca: GGTT address of the image
 * @ppgtt: LEGACY_64B: has a 4-level PPGTT rooted at @pml4
 * @pml4: physical address of the PML4
 * @ring_start: GGTT address of the ring
 * @ring_ctl: RING_CTL value
 * @ring_size: ring size in bytes
 * @head: ring head, byte offset
 * @tail: ring tail, byte offset
 * @bb: batch stack: @bb[0] first level, @bb[1] second level
 * @bb_dwords: dwords run in batches since the last ring-level batch start
 * @error: last error code (enum mvgpu_err)
 * @gpr: the general purpose registers RING_GPR(0..31), context state as
 *	on Gen8: loaded with the image and saved with it
 * @blt_rows: rows done of the split blit, fill or blend at the current
 *	position (sgpu_ctx_cmd_addr()); 0 when no command is in progress
 */
struct sgpu_ctx {
	u64 desc;
	u32 ctx_id;
	u32 lrca;
	bool ppgtt;
	u64 pml4;
	u32 ring_start;
	u32 ring_ctl;
	u32 ring_size;
	u32 head;
	u32 tail;
	struct sgpu_bb bb[2];
	u32 bb_dwords;
	u32 error;
	u32 gpr[MVGPU_RING_GPR_DWORDS];
	u32 blt_rows;
};

/**
 * struct sgpu_error - what the engine's RING_ERR_* registers capture
 * @code: enum mvgpu_err
 * @space: enum mvgpu_cmd_space of the failing command
 * @level: walk level for faults (see struct sgpu_fault)
 * @ctx_id: context ID
 * @cmd_addr: ring offset or graphics address of the failing command
 * @cmd_header: its header dword, 0 if it could not be read
 * @fault_addr: the graphics address that faulted, for faults
 */
struct sgpu_error {
	u32 code;
	u32 space;
	u32 level;
	u32 ctx_id;
	u64 cmd_addr;
	u32 cmd_header;
	u64 fault_addr;
};

/* Batch level the context is executing at: 0 ring, 1 or 2. */
static inline u32 sgpu_ctx_level(const struct sgpu_ctx *ctx)
{
	if (ctx->bb[1].state & MVGPU_BB_STATE_ACTIVE)
		return 2;
	if (ctx->bb[0].state & MVGPU_BB_STATE_ACTIVE)
		return 1;
	return 0;
}

/*
 * Where the context's next command is: a ring offset at level 0, a
 * graphics address in the deepest active batch otherwise.
 */
static inline u64 sgpu_ctx_cmd_addr(const struct sgpu_ctx *ctx)
{
	u32 level = sgpu_ctx_level(ctx);

	return level ? ctx->bb[level - 1].addr : ctx->head;
}

int sgpu_ctx_decode(struct sgpu_ctx *ctx, u64 desc, const void *img,
		    struct sgpu_error *err);
void sgpu_ctx_encode(const struct sgpu_ctx *ctx, void *img);
int sgpu_ctx_load(struct sgpu_ctx *ctx, const struct sgpu_mem *mem, u64 desc,
		  struct sgpu_error *err);
int sgpu_ctx_save(const struct sgpu_ctx *ctx, const struct sgpu_mem *mem,
		  struct sgpu_error *err);
int sgpu_ctx_drop_progress(const struct sgpu_ctx *ctx,
			   const struct sgpu_mem *mem);
u32 sgpu_error_status(const struct sgpu_error *err);

#endif /* _SGPU_CONTEXT_H */
