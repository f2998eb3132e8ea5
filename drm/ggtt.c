// SPDX-License-Identifier: GPL-2.0-only
/*
 * The GGTT.  The driver owns two ranges of it (pvinfo.c): the mappable
 * one, which the aperture shows the CPU, and the hidden one.  Each has a
 * drm_mm allocator; a binding writes one Gen8 PTE per page through BAR0's
 * GGTT window, and an unbinding clears them (entry 0: not valid, so a
 * stale use faults) before the range can be handed out again.  On a vGPU
 * each entry write traps to the host, which checks it.
 */
#include <linux/io-64-nonatomic-lo-hi.h>

#include <drm/drm_drv.h>

#include "ggtt.h"
#include "regs.h"

static void __iomem *ggtt_pte_addr(struct mvgpu_ggtt *g, u64 gma)
{
	return g->window + (gma >> MVGPU_GTT_PAGE_SHIFT) * sizeof(u64);
}

/**
 * mvgpu_ggtt_init() - set up the allocators over the driver's ranges
 * @m: the device, @m->info read
 *
 * Entries are not cleared here: a vGPU starts with none, and a range is
 * cleared when what was bound in it is unbound.
 */
void mvgpu_ggtt_init(struct mvgpu_drm *m)
{
	struct mvgpu_ggtt *g = &m->ggtt;

	mutex_init(&g->lock);
	g->window = m->regs + MVGPU_GGTT_OFFSET;
	drm_mm_init(&g->mm[MVGPU_GGTT_MAPPABLE], m->info.mappable_base,
		    m->info.mappable_size);
	drm_mm_init(&g->mm[MVGPU_GGTT_HIDDEN], m->info.hidden_base,
		    m->info.hidden_size);
}

/**
 * mvgpu_ggtt_fini() - tear the allocators down
 * @m: the device; nothing may be bound any more
 */
void mvgpu_ggtt_fini(struct mvgpu_drm *m)
{
	struct mvgpu_ggtt *g = &m->ggtt;
	unsigned int r;

	for (r = 0; r < MVGPU_GGTT_RANGES; r++)
		drm_mm_takedown(&g->mm[r]);
	mutex_destroy(&g->lock);
}

static void ggtt_write_ptes(struct mvgpu_drm *m, struct drm_mm_node *node,
			    struct sg_table *sgt)
{
	struct mvgpu_ggtt *g = &m->ggtt;
	struct sg_dma_page_iter it;
	u64 gma = node->start, end = node->start + node->size;
	int idx;

	lockdep_assert_held(&g->lock);
	if (!drm_dev_enter(&m->drm, &idx))
		return;
	for_each_sgtable_dma_page(sgt, &it, 0) {
		if (gma >= end)
			break;
		writeq((sg_page_iter_dma_address(&it) & MVGPU_PTE_ADDR_MASK) |
		       MVGPU_PTE_VALID, ggtt_pte_addr(g, gma));
		gma += MVGPU_GTT_PAGE_SIZE;
	}
	/* posting read: the entries are in place before the GPU is told */
	readq(ggtt_pte_addr(g, node->start));
	drm_dev_exit(idx);
}

/* Entry 0 (not valid) for each page of @node; the caller may reach BAR0. */
static void ggtt_write_zeroes(struct mvgpu_ggtt *g, struct drm_mm_node *node)
{
	u64 gma;

	lockdep_assert_held(&g->lock);
	for (gma = node->start; gma < node->start + node->size;
	     gma += MVGPU_GTT_PAGE_SIZE)
		writeq(0, ggtt_pte_addr(g, gma));
	readq(ggtt_pte_addr(g, node->start));
}

static void ggtt_clear_ptes(struct mvgpu_drm *m, struct drm_mm_node *node)
{
	int idx;

	if (!drm_dev_enter(&m->drm, &idx))
		return;
	ggtt_write_zeroes(&m->ggtt, node);
	drm_dev_exit(idx);
}

/**
 * mvgpu_ggtt_bind() - place pages in the GGTT
 * @m: the device
 * @node: zeroed node, which gets the range
 * @sgt: the pages, DMA-mapped
 * @size: bytes to bind, page aligned, at most what @sgt holds
 * @range: which of the driver's ranges
 *
 * Return: 0, or -ENOSPC if the range has no room.
 */
int mvgpu_ggtt_bind(struct mvgpu_drm *m, struct drm_mm_node *node,
		    struct sg_table *sgt, size_t size,
		    enum mvgpu_ggtt_range range)
{
	struct mvgpu_ggtt *g = &m->ggtt;
	int ret;

	mutex_lock(&g->lock);
	ret = drm_mm_insert_node_generic(&g->mm[range], node, size,
					 MVGPU_GTT_PAGE_SIZE, 0,
					 DRM_MM_INSERT_BEST);
	if (!ret)
		ggtt_write_ptes(m, node, sgt);
	mutex_unlock(&g->lock);
	return ret;
}

/**
 * mvgpu_ggtt_unbind() - clear a binding's entries and free its range
 * @m: the device
 * @node: a node mvgpu_ggtt_bind() filled, or an unallocated one (no-op)
 *
 * The GPU may still hold a translation for up to one command: the caller
 * keeps the pages until the engines are past that (request.c, deferred
 * frees).
 */
void mvgpu_ggtt_unbind(struct mvgpu_drm *m, struct drm_mm_node *node)
{
	struct mvgpu_ggtt *g = &m->ggtt;

	if (!drm_mm_node_allocated(node))
		return;
	mutex_lock(&g->lock);
	ggtt_clear_ptes(m, node);
	drm_mm_remove_node(node);
	mutex_unlock(&g->lock);
}

/**
 * mvgpu_ggtt_clear_all() - clear the entries of everything still bound
 * @m: the device, being removed: unplugged (no binding writes entries any
 *     more), its engines stopped, BAR0 still mapped
 *
 * What is still bound (objects of files still open) is unbound later,
 * when the device can no longer be reached; its entries must not outlive
 * the driver pointing at pages the kernel will reuse.
 */
void mvgpu_ggtt_clear_all(struct mvgpu_drm *m)
{
	struct mvgpu_ggtt *g = &m->ggtt;
	struct drm_mm_node *node;
	unsigned int r;

	mutex_lock(&g->lock);
	for (r = 0; r < MVGPU_GGTT_RANGES; r++)
		drm_mm_for_each_node(node, &g->mm[r])
			ggtt_write_zeroes(g, node);
	mutex_unlock(&g->lock);
}
