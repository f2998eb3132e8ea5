/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host-owned memory for the shadows of a vGPU's work: context images,
 * rings and batch buffers copied from the guest, mapped into a window of
 * the host's graphics memory that the guest cannot reach.
 */
#ifndef _MVGPU_SHADOW_MEM_H
#define _MVGPU_SHADOW_MEM_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/spinlock.h>

#include <mvgpu/backend.h>

#include "cmd_parser.h"

/**
 * struct mvgpu_shadow_mem - one vGPU's window of host graphics memory
 * @be: the backend whose GGTT maps the window
 * @base: first graphics address of the window
 * @pages: pages in the window
 * @lock: protects @map, @cache and @cached
 * @map: one bit per page of the window, set while a shadow is placed there
 * @cache: freed small shadows, still placed, for reuse
 * @cached: how many
 * @used: bytes of shadow memory allocated (cached ones included)
 */
struct mvgpu_shadow_mem {
	struct mvgpu_backend *be;
	u64 base;
	unsigned int pages;
	spinlock_t lock; /* see @lock above */
	unsigned long *map;
	struct list_head cache;
	unsigned int cached;
	atomic64_t used;
};

#define MVGPU_SHADOW_CACHE_MAX		32	/* shadows kept for reuse */
#define MVGPU_SHADOW_CACHE_BYTES	(64U << 10)	/* largest one kept */

/**
 * struct mvgpu_shadow_obj - one shadow buffer
 * @link: in its workload's list of shadows, or in the cache
 * @buf: CPU copy (@buf.va, @buf.size) and, once placed, its graphics
 *       address (@buf.gma); what the command scanner works on
 * @gma: where it is placed; @buf.gma is the scanner's to reset, so a
 *       reused shadow gets it back from here
 * @placed: pages mapped at @gma, 0 before placement
 */
struct mvgpu_shadow_obj {
	struct list_head link;
	struct mvgpu_shadow_buf buf;
	u64 gma;
	unsigned int placed;
};

int mvgpu_shadow_mem_init(struct mvgpu_shadow_mem *sm,
			  struct mvgpu_backend *be, u64 base, u64 size);
void mvgpu_shadow_mem_fini(struct mvgpu_shadow_mem *sm);
struct mvgpu_shadow_obj *mvgpu_shadow_obj_alloc(struct mvgpu_shadow_mem *sm,
						u32 bytes);
int mvgpu_shadow_obj_grow(struct mvgpu_shadow_mem *sm,
			  struct mvgpu_shadow_obj *obj, u32 bytes);
int mvgpu_shadow_obj_place(struct mvgpu_shadow_mem *sm,
			   struct mvgpu_shadow_obj *obj);
void mvgpu_shadow_obj_free(struct mvgpu_shadow_mem *sm,
			   struct mvgpu_shadow_obj *obj);

#endif /* _MVGPU_SHADOW_MEM_H */
