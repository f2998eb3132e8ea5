/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Batch verdict cache: the bytes of the batch buffers a guest context
 * last had accepted by the scanner, so that an unchanged batch is
 * compared instead of scanned again (cmd_parser.c does the comparing).
 */
#ifndef _MVGPU_BATCH_CACHE_H
#define _MVGPU_BATCH_CACHE_H

#include <linux/types.h>

#include "batch_cache_types.h"

struct mvgpu_cmd_verdict;

/**
 * struct mvgpu_bc_key - which context, and what its scan depends on
 * @lrca: the guest context image's GGTT address
 * @engine: MVGPU_ENGINE_* the context runs on
 * @ppgtt: it has a PPGTT
 */
struct mvgpu_bc_key {
	u32 lrca;
	unsigned int engine;
	bool ppgtt;
};

void mvgpu_batch_cache_init(struct mvgpu_batch_cache *bc);
const void *mvgpu_batch_cache_find(struct mvgpu_batch_cache *bc,
				   const struct mvgpu_bc_key *key, u32 space,
				   u64 addr, struct mvgpu_cmd_verdict *v);
void mvgpu_batch_cache_store(struct mvgpu_batch_cache *bc,
			     const struct mvgpu_bc_key *key, u32 space,
			     u64 addr, const void *bytes,
			     const struct mvgpu_cmd_verdict *v);
void mvgpu_batch_cache_forget_ctx(struct mvgpu_batch_cache *bc, u32 lrca);
void mvgpu_batch_cache_forget_engine(struct mvgpu_batch_cache *bc,
				     unsigned int engine);
void mvgpu_batch_cache_clear(struct mvgpu_batch_cache *bc);

#endif /* _MVGPU_BATCH_CACHE_H */
