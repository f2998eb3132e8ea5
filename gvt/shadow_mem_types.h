/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vGPU's window of host graphics memory for the shadows of its work
 * (shadow_mem.h: the shadows and the functions).
 */
#ifndef _MVGPU_SHADOW_MEM_TYPES_H
#define _MVGPU_SHADOW_MEM_TYPES_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/spinlock.h>

struct mvgpu_backend;

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

#endif /* _MVGPU_SHADOW_MEM_TYPES_H */
