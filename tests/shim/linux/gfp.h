/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Page allocation on aligned_alloc(): counted in shim_state.pages, failing
 * on request (shim_state.fail_countdown), poisoned without __GFP_ZERO.  A
 * struct page knows its memory (see linux/mm.h).
 */
#ifndef _MVGPU_SHIM_GFP_H
#define _MVGPU_SHIM_GFP_H
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include "../shim_state.h"

typedef unsigned int gfp_t;
#define GFP_KERNEL	0x1u
#define GFP_ATOMIC	0x2u
#define GFP_NOWAIT	0x4u
#define __GFP_ZERO	0x100u
#define __GFP_NOWARN	0x200u
#define __GFP_ACCOUNT	0x400u
#define GFP_KERNEL_ACCOUNT	(GFP_KERNEL | __GFP_ACCOUNT)

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

struct page {
	void *virt;
};

static inline unsigned long __get_free_page(gfp_t gfp)
{
	void *p;

	if (shim_alloc_fails())
		return 0;
	p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!p)
		return 0;
	memset(p, (gfp & __GFP_ZERO) ? 0 : 0x6b, PAGE_SIZE);
	if (++shim_state.pages > shim_state.pages_peak)
		shim_state.pages_peak = shim_state.pages;
	return (unsigned long)p;
}

static inline unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_page(gfp | __GFP_ZERO);
}

static inline void free_page(unsigned long addr)
{
	if (!addr)
		return;
	shim_state.pages--;
	free((void *)addr);
}

static inline struct page *alloc_page(gfp_t gfp)
{
	struct page *page;

	if (shim_alloc_fails())
		return NULL;
	page = malloc(sizeof(*page));
	if (!page)
		return NULL;
	page->virt = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!page->virt) {
		free(page);
		return NULL;
	}
	memset(page->virt, (gfp & __GFP_ZERO) ? 0 : 0x6b, PAGE_SIZE);
	if (++shim_state.pages > shim_state.pages_peak)
		shim_state.pages_peak = shim_state.pages;
	return page;
}

static inline void __free_page(struct page *page)
{
	shim_state.pages--;
	free(page->virt);
	free(page);
}
#endif
