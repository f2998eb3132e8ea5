/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vmalloc() memory is whole pages, each a struct page of its own that
 * vmalloc_to_page() finds (tests/shim/shim.c); counted as one allocation
 * in shim_state.allocs, failing on request like kmalloc().
 */
#ifndef _MVGPU_SHIM_VMALLOC_H
#define _MVGPU_SHIM_VMALLOC_H
#include <linux/slab.h>

void *shim_vmalloc(size_t size, gfp_t gfp);
void shim_vfree(const void *p);
struct page *vmalloc_to_page(const void *va);

static inline void *__vmalloc(unsigned long size, gfp_t gfp)
{
	return shim_vmalloc(size, gfp);
}

static inline void *vmalloc(size_t size)
{
	return shim_vmalloc(size, GFP_KERNEL);
}

static inline void *vzalloc(size_t size)
{
	return shim_vmalloc(size, GFP_KERNEL | __GFP_ZERO);
}

static inline void *vcalloc(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	return vzalloc(n * size);
}

static inline void vfree(const void *p)
{
	shim_vfree(p);
}
#endif
