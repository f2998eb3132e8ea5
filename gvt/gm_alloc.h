/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Graphics memory partitioning: a pool of equal slots handed out to vGPUs
 * as contiguous runs.
 */
#ifndef _MVGPU_GM_ALLOC_H
#define _MVGPU_GM_ALLOC_H

#include <linux/types.h>

#define MVGPU_GM_POOL_MAX_SLOTS	64

/**
 * struct mvgpu_gm_pool - one range of graphics memory cut into slots
 * @base: first graphics memory address of the pool
 * @slot_size: bytes per slot
 * @nr_slots: number of slots, at most %MVGPU_GM_POOL_MAX_SLOTS
 * @used: bitmap of allocated slots
 *
 * Callers serialise all calls on one pool.
 */
struct mvgpu_gm_pool {
	u64 base;
	u64 slot_size;
	unsigned int nr_slots;
	u64 used;
};

int mvgpu_gm_pool_init(struct mvgpu_gm_pool *pool, u64 base, u64 size,
		       u64 slot_size);
int mvgpu_gm_pool_alloc(struct mvgpu_gm_pool *pool, u64 size, u64 *start);
int mvgpu_gm_pool_free(struct mvgpu_gm_pool *pool, u64 start, u64 size);
unsigned int mvgpu_gm_pool_fits(const struct mvgpu_gm_pool *pool, u64 size);
u64 mvgpu_gm_pool_free_bytes(const struct mvgpu_gm_pool *pool);

#endif /* _MVGPU_GM_ALLOC_H */
