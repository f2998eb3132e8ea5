/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Context shadows: the shadow ring and context image a guest context
 * keeps from one submission to the next (workload.c builds them).
 */
#ifndef _MVGPU_CTX_SHADOW_H
#define _MVGPU_CTX_SHADOW_H

#include <linux/types.h>

#include "ctx_shadow_types.h"

struct mvgpu_shadow_mem;

struct mvgpu_ctx_shadow *mvgpu_ctx_shadow_take(struct mvgpu_ctx_shadows *cs,
					       struct mvgpu_shadow_mem *sm,
					       u32 lrca, u32 ring_size);
void mvgpu_ctx_shadow_put(struct mvgpu_ctx_shadow *s);
void mvgpu_ctx_shadows_clear(struct mvgpu_ctx_shadows *cs,
			     struct mvgpu_shadow_mem *sm);

#endif /* _MVGPU_CTX_SHADOW_H */
