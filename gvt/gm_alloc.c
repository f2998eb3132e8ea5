// SPDX-License-Identifier: GPL-2.0-only
/*
 * Graphics memory partitioning.
 *
 * Each pGPU splits the part of its graphics memory it lends to vGPUs into
 * a pool for the aperture (CPU-mappable) and one for hidden memory.  A vGPU
 * takes a contiguous run of slots from each, so that its graphics memory
 * is two plain ranges the PV info page can describe.  First fit keeps the
 * arithmetic of mvgpu_gm_pool_fits() exact: the number of further vGPUs of
 * a size that fit is the sum over free runs, which is what
 * available_instances must report.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>

#include "gm_alloc.h"

static u64 gm_slot_mask(unsigned int first, unsigned int count)
{
	if (count >= 64)
		return ~0ULL;
	return ((1ULL << count) - 1) << first;
}

static int gm_size_to_slots(const struct mvgpu_gm_pool *pool, u64 size,
			    unsigned int *slots)
{
	if (!size || size % pool->slot_size)
		return -EINVAL;
	if (size / pool->slot_size > pool->nr_slots)
		return -ENOSPC;
	*slots = size / pool->slot_size;
	return 0;
}

/**
 * mvgpu_gm_pool_init() - set up an empty pool
 * @pool: the pool
 * @base: graphics memory address of the pool's first byte
 * @size: bytes in the pool, a multiple of @slot_size
 * @slot_size: allocation granule, non-zero
 *
 * Return: 0, or -EINVAL when the geometry is not representable.
 */
int mvgpu_gm_pool_init(struct mvgpu_gm_pool *pool, u64 base, u64 size,
		       u64 slot_size)
{
	if (!slot_size || !size || size % slot_size ||
	    size / slot_size > MVGPU_GM_POOL_MAX_SLOTS)
		return -EINVAL;
	pool->base = base;
	pool->slot_size = slot_size;
	pool->nr_slots = size / slot_size;
	pool->used = 0;
	return 0;
}

static bool gm_run_is_free(const struct mvgpu_gm_pool *pool, unsigned int first,
			   unsigned int count)
{
	return !(pool->used & gm_slot_mask(first, count));
}

/**
 * mvgpu_gm_pool_alloc() - take the first free run of @size bytes
 * @pool: the pool
 * @size: bytes wanted, a multiple of the slot size
 * @start: returns the graphics memory address of the run
 *
 * Return: 0, -EINVAL for a size that is zero or not a slot multiple,
 * -ENOSPC when no free run is long enough.
 */
int mvgpu_gm_pool_alloc(struct mvgpu_gm_pool *pool, u64 size, u64 *start)
{
	unsigned int slots, first;
	int ret;

	ret = gm_size_to_slots(pool, size, &slots);
	if (ret)
		return ret;
	for (first = 0; first + slots <= pool->nr_slots; first++) {
		if (gm_run_is_free(pool, first, slots)) {
			pool->used |= gm_slot_mask(first, slots);
			*start = pool->base + (u64)first * pool->slot_size;
			return 0;
		}
	}
	return -ENOSPC;
}

/**
 * mvgpu_gm_pool_free() - give back a run taken by mvgpu_gm_pool_alloc()
 * @pool: the pool
 * @start: address returned by the allocation
 * @size: size passed to the allocation
 *
 * Return: 0, or -EINVAL when the run is not exactly an allocated one
 * inside the pool (the pool is left unchanged).
 */
int mvgpu_gm_pool_free(struct mvgpu_gm_pool *pool, u64 start, u64 size)
{
	unsigned int slots, first;
	u64 mask;

	if (gm_size_to_slots(pool, size, &slots) || start < pool->base ||
	    (start - pool->base) % pool->slot_size)
		return -EINVAL;
	first = (start - pool->base) / pool->slot_size;
	if (first >= pool->nr_slots || slots > pool->nr_slots - first)
		return -EINVAL;
	mask = gm_slot_mask(first, slots);
	if ((pool->used & mask) != mask)
		return -EINVAL;
	pool->used &= ~mask;
	return 0;
}

/**
 * mvgpu_gm_pool_fits() - how many more runs of @size the pool can give
 * @pool: the pool
 * @size: run size in bytes
 *
 * Return: the number of successful mvgpu_gm_pool_alloc() calls of @size
 * that would follow now; 0 for an invalid size.
 */
unsigned int mvgpu_gm_pool_fits(const struct mvgpu_gm_pool *pool, u64 size)
{
	unsigned int slots, i, run = 0, fits = 0;

	if (gm_size_to_slots(pool, size, &slots))
		return 0;
	for (i = 0; i < pool->nr_slots; i++) {
		if (pool->used & BIT_ULL(i)) {
			fits += run / slots;
			run = 0;
		} else {
			run++;
		}
	}
	return fits + run / slots;
}

/**
 * mvgpu_gm_pool_free_bytes() - bytes of the pool not allocated
 * @pool: the pool
 *
 * Return: free bytes, contiguous or not.
 */
u64 mvgpu_gm_pool_free_bytes(const struct mvgpu_gm_pool *pool)
{
	unsigned int i, n = 0;

	for (i = 0; i < pool->nr_slots; i++)
		if (!(pool->used & BIT_ULL(i)))
			n++;
	return (u64)n * pool->slot_size;
}
