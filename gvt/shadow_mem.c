// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shadow buffers of a vGPU's work.
 *
 * A shadow is vmalloc memory, so the command scanner sees it as one
 * linear buffer; once scanned it is placed: its pages are mapped at a
 * free range of the vGPU's window of host graphics memory, which the
 * engines read it through.  The guest's own GGTT entries never reach the
 * window (it is outside every vGPU's graphics memory), so nothing the
 * guest does can change a shadow after the scan.
 *
 * Every workload needs a shadow context and ring, usually of the same
 * sizes: small shadows are kept, still placed, and handed out again, so
 * that a submission does not pay for vmalloc, GGTT updates and vfree
 * (whose TLB flush is an IPI to every CPU).
 *
 * A guest decides how much is allocated here: it is charged to the
 * memory cgroup of the process that submits (the VMM), and bounded by
 * the window (placed shadows) and the scanner's limits (one workload's
 * shadows being built).
 */
#include <linux/bitmap.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <mvgpu/backend.h>
#include <mvgpu/mvgpu_pci.h>

#include "shadow_mem.h"
#include "shadow_mem_types.h"

/**
 * mvgpu_shadow_mem_init() - an empty window
 * @sm: the window
 * @be: backend whose GGTT maps it
 * @base: first graphics address, page aligned
 * @size: bytes
 *
 * Return: 0 or -ENOMEM.
 */
int mvgpu_shadow_mem_init(struct mvgpu_shadow_mem *sm,
			  struct mvgpu_backend *be, u64 base, u64 size)
{
	sm->be = be;
	sm->base = base;
	sm->pages = size >> MVGPU_GTT_PAGE_SHIFT;
	spin_lock_init(&sm->lock);
	INIT_LIST_HEAD(&sm->cache);
	sm->cached = 0;
	atomic64_set(&sm->used, 0);
	sm->map = bitmap_zalloc(sm->pages, GFP_KERNEL_ACCOUNT);
	return sm->map ? 0 : -ENOMEM;
}

static void shadow_obj_release(struct mvgpu_shadow_mem *sm,
			       struct mvgpu_shadow_obj *obj);

/**
 * mvgpu_shadow_mem_trim() - free the shadows kept for reuse
 * @sm: the window
 *
 * For a vGPU gone idle (trim.c): the next shadows are allocated anew.
 */
void mvgpu_shadow_mem_trim(struct mvgpu_shadow_mem *sm)
{
	struct mvgpu_shadow_obj *obj, *tmp;
	LIST_HEAD(cache);

	spin_lock(&sm->lock);
	list_splice_init(&sm->cache, &cache);
	sm->cached = 0;
	spin_unlock(&sm->lock);
	list_for_each_entry_safe(obj, tmp, &cache, link)
		shadow_obj_release(sm, obj);
}

/**
 * mvgpu_shadow_mem_fini() - free the cache and the window's bookkeeping
 * @sm: the window, with every shadow in use freed
 */
void mvgpu_shadow_mem_fini(struct mvgpu_shadow_mem *sm)
{
	mvgpu_shadow_mem_trim(sm);
	WARN_ON(!bitmap_empty(sm->map, sm->pages));
	bitmap_free(sm->map);
}

/* A cached shadow of @size bytes, zeroed if @zero, or NULL. */
static struct mvgpu_shadow_obj *shadow_cache_take(struct mvgpu_shadow_mem *sm,
						  u32 size, bool zero)
{
	struct mvgpu_shadow_obj *obj;

	spin_lock(&sm->lock);
	list_for_each_entry(obj, &sm->cache, link) {
		if (obj->buf.size != size)
			continue;
		list_del_init(&obj->link);
		sm->cached--;
		spin_unlock(&sm->lock);
		if (zero)
			memset(obj->buf.va, 0, size);
		obj->buf = (struct mvgpu_shadow_buf){
			.va = obj->buf.va, .size = size, .gma = obj->gma,
		};
		return obj;
	}
	spin_unlock(&sm->lock);
	return NULL;
}

static struct mvgpu_shadow_obj *shadow_obj_alloc(struct mvgpu_shadow_mem *sm,
						 u32 bytes, bool zero)
{
	struct mvgpu_shadow_obj *obj;
	u32 size = PAGE_ALIGN(max(bytes, 1U));

	if (size < bytes)
		return NULL;
	obj = shadow_cache_take(sm, size, zero);
	if (obj)
		return obj;
	obj = kzalloc(sizeof(*obj), GFP_KERNEL_ACCOUNT);
	if (!obj)
		return NULL;
	obj->buf.va = __vmalloc(size, GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!obj->buf.va) {
		kfree(obj);
		return NULL;
	}
	obj->buf.size = size;
	INIT_LIST_HEAD(&obj->link);
	atomic64_add(size, &sm->used);
	return obj;
}

/**
 * mvgpu_shadow_obj_alloc() - a zeroed shadow of at least @bytes
 * @sm: the window it will be placed in
 * @bytes: size wanted, rounded up to whole pages
 *
 * Return: the shadow, not yet placed, or NULL.
 */
struct mvgpu_shadow_obj *mvgpu_shadow_obj_alloc(struct mvgpu_shadow_mem *sm,
						u32 bytes)
{
	return shadow_obj_alloc(sm, bytes, true);
}

/**
 * mvgpu_shadow_obj_alloc_raw() - a shadow of at least @bytes, not cleared
 * @sm: the window it will be placed in
 * @bytes: size wanted, rounded up to whole pages
 *
 * For a caller that writes every byte an engine will read (a ring up to
 * its tail): a reused shadow keeps what an earlier shadow of the same
 * window, so of the same vGPU, left in it; a new one is zeroed.
 *
 * Return: the shadow, not yet placed, or NULL.
 */
struct mvgpu_shadow_obj *mvgpu_shadow_obj_alloc_raw(struct mvgpu_shadow_mem *sm,
						    u32 bytes)
{
	return shadow_obj_alloc(sm, bytes, false);
}

static void shadow_unplace(struct mvgpu_shadow_mem *sm, struct mvgpu_shadow_obj *obj);

/**
 * mvgpu_shadow_obj_grow() - make a shadow at least @bytes long
 * @sm: its window
 * @obj: the shadow, which no engine runs; its contents are kept, its CPU
 *       address may change and it is no longer placed
 * @bytes: size wanted
 *
 * Return: 0 or -ENOMEM.
 */
int mvgpu_shadow_obj_grow(struct mvgpu_shadow_mem *sm,
			  struct mvgpu_shadow_obj *obj, u32 bytes)
{
	u32 size = PAGE_ALIGN(bytes);
	void *va;

	if (bytes <= obj->buf.size)
		return 0;
	if (obj->placed)
		shadow_unplace(sm, obj);
	if (size < bytes)
		return -ENOMEM;
	va = __vmalloc(size, GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!va)
		return -ENOMEM;
	memcpy(va, obj->buf.va, obj->buf.size);
	vfree(obj->buf.va);
	atomic64_add(size - obj->buf.size, &sm->used);
	obj->buf.va = va;
	obj->buf.size = size;
	return 0;
}

static void shadow_map_pages(struct mvgpu_shadow_mem *sm, u64 gma, void *va,
			     unsigned int n)
{
	struct mvgpu_backend *be = sm->be;
	unsigned int i;

	for (i = 0; i < n; i++) {
		u64 pte = va ? page_to_phys(vmalloc_to_page(va + i * PAGE_SIZE)) |
			       MVGPU_PTE_VALID : 0;

		be->ops->ggtt_write(be, (gma >> MVGPU_GTT_PAGE_SHIFT) + i, pte);
	}
}

/* Claim @n free pages of the window: the first, or @sm->pages if none. */
static unsigned long shadow_claim(struct mvgpu_shadow_mem *sm, unsigned int n)
{
	unsigned long first;

	spin_lock(&sm->lock);
	first = bitmap_find_next_zero_area(sm->map, sm->pages, 0, n, 0);
	if (first < sm->pages)
		bitmap_set(sm->map, first, n);
	spin_unlock(&sm->lock);
	return first;
}

/**
 * mvgpu_shadow_obj_place() - map a finished shadow for the engines
 * @sm: its window
 * @obj: the shadow; afterwards @obj->buf.gma is its graphics address
 *
 * A reused shadow is already placed: it stays where it is.  When the
 * window has no room, the shadows kept for reuse (placed, idle) are
 * released first and the search made again.
 *
 * Return: 0, or -ENOSPC when the window has no room.
 */
int mvgpu_shadow_obj_place(struct mvgpu_shadow_mem *sm,
			   struct mvgpu_shadow_obj *obj)
{
	unsigned int n = obj->buf.size >> PAGE_SHIFT;
	unsigned long first;

	if (obj->placed) {
		obj->buf.gma = obj->gma;
		return 0;
	}
	first = shadow_claim(sm, n);
	if (first >= sm->pages) {
		mvgpu_shadow_mem_trim(sm);
		first = shadow_claim(sm, n);
		if (first >= sm->pages)
			return -ENOSPC;
	}
	obj->gma = sm->base + ((u64)first << MVGPU_GTT_PAGE_SHIFT);
	obj->buf.gma = obj->gma;
	shadow_map_pages(sm, obj->gma, obj->buf.va, n);
	obj->placed = n;
	return 0;
}

static void shadow_unplace(struct mvgpu_shadow_mem *sm, struct mvgpu_shadow_obj *obj)
{
	unsigned long first = (obj->gma - sm->base) >> MVGPU_GTT_PAGE_SHIFT;

	shadow_map_pages(sm, obj->gma, NULL, obj->placed);
	spin_lock(&sm->lock);
	bitmap_clear(sm->map, first, obj->placed);
	spin_unlock(&sm->lock);
	obj->placed = 0;
}

static void shadow_obj_release(struct mvgpu_shadow_mem *sm,
			       struct mvgpu_shadow_obj *obj)
{
	if (obj->placed)
		shadow_unplace(sm, obj);
	atomic64_sub(obj->buf.size, &sm->used);
	vfree(obj->buf.va);
	kfree(obj);
}

/**
 * mvgpu_shadow_obj_free() - free a shadow, or keep it for reuse
 * @sm: its window
 * @obj: the shadow, which no engine runs any more; NULL is ignored
 */
void mvgpu_shadow_obj_free(struct mvgpu_shadow_mem *sm,
			   struct mvgpu_shadow_obj *obj)
{
	if (!obj)
		return;
	if (obj->placed && obj->buf.size <= MVGPU_SHADOW_CACHE_BYTES) {
		spin_lock(&sm->lock);
		if (sm->cached < MVGPU_SHADOW_CACHE_MAX) {
			list_add(&obj->link, &sm->cache);
			sm->cached++;
			spin_unlock(&sm->lock);
			return;
		}
		spin_unlock(&sm->lock);
	}
	shadow_obj_release(sm, obj);
}
