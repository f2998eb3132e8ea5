/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The shadows a vGPU's guest contexts keep between submissions: their
 * state (ctx_shadow.h: the functions).
 */
#ifndef _MVGPU_CTX_SHADOW_TYPES_H
#define _MVGPU_CTX_SHADOW_TYPES_H

#include <linux/types.h>

struct mvgpu_shadow_obj;

#define MVGPU_CTX_SHADOWS	8	/* guest contexts per vGPU */

/**
 * struct mvgpu_ctx_shadow - the shadow ring and image of one guest context
 * @lrca: the guest context's image's GGTT address, which names it
 * @busy: a workload uses @ring and @ctx: set under the vGPU's lock,
 *        cleared by the workload's release, which may run without it
 *        (smp_store_release(), read with smp_load_acquire())
 * @stamp: when last taken, for replacing the least recently used
 * @ring: its shadow ring, placed; NULL in a free slot
 * @ctx: its shadow context image, placed
 */
struct mvgpu_ctx_shadow {
	u32 lrca;
	bool busy;
	u64 stamp;
	struct mvgpu_shadow_obj *ring;
	struct mvgpu_shadow_obj *ctx;
};

/**
 * struct mvgpu_ctx_shadows - a vGPU's context shadows
 * @s: the contexts' entries
 * @clock: counts takes, for &mvgpu_ctx_shadow.stamp
 *
 * Protected by the owner's lock (the vGPU's), but for @s[].busy.
 */
struct mvgpu_ctx_shadows {
	struct mvgpu_ctx_shadow s[MVGPU_CTX_SHADOWS];
	u64 clock;
};

#endif /* _MVGPU_CTX_SHADOW_TYPES_H */
