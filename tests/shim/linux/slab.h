/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kmalloc() and friends on malloc(); counted in shim_state.allocs and
 * failing on request (shim_state.fail_countdown).  Memory from kmalloc()
 * without __GFP_ZERO is poisoned, so reading it before writing shows.
 */
#ifndef _MVGPU_SHIM_SLAB_H
#define _MVGPU_SHIM_SLAB_H
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/bug.h>
#include "../shim_state.h"

static inline void *kmalloc(size_t size, gfp_t gfp)
{
	void *p;

	shim_gfp_check(gfp);
	if (shim_alloc_fails())
		return NULL;
	p = malloc(size ? size : 1);
	if (!p)
		return NULL;
	memset(p, (gfp & __GFP_ZERO) ? 0 : 0x6b, size);
	shim_add(allocs, 1);
	return p;
}

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

static inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	return kmalloc(n * size, gfp);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(n, size, gfp | __GFP_ZERO);
}

static inline void kfree(const void *p)
{
	if (!p)
		return;
	shim_add(allocs, -1);
	free((void *)p);
}

static inline void *kvmalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp);
}

static inline void *kvcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kcalloc(n, size, gfp);
}

static inline void kvfree(const void *p)
{
	kfree(p);
}
#endif
