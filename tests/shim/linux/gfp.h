/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Page allocation on aligned_alloc(): counted in shim_state.pages, failing
 * on request (shim_state.fail_countdown), poisoned without __GFP_ZERO.  A
 * struct page knows its memory (see linux/mm.h); live pages are known by
 * their frame number (shim_pfn_to_page()), so a fake GPU can tell a page
 * the host owns from anything else.
 */
#ifndef _MVGPU_SHIM_GFP_H
#define _MVGPU_SHIM_GFP_H
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include "../shim.h"
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

/* tests/shim/shim.c: the frame numbers of live pages. */
void shim_page_add(struct page *page);
void shim_page_del(struct page *page);
struct page *shim_pfn_to_page(unsigned long pfn);

/* An allocation that may sleep, unless @gfp says it must not. */
static inline void shim_gfp_check(gfp_t gfp)
{
	if (!(gfp & (GFP_ATOMIC | GFP_NOWAIT)))
		shim_might_sleep("allocation", 0);
}

static inline struct page *alloc_page(gfp_t gfp)
{
	struct page *page;

	shim_gfp_check(gfp);
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
	shim_page_count(1);
	shim_page_add(page);
	return page;
}

static inline void __free_page(struct page *page)
{
	shim_page_del(page);
	shim_page_count(-1);
	free(page->virt);
	free(page);
}

static inline unsigned long __get_free_page(gfp_t gfp)
{
	struct page *page = alloc_page(gfp);

	return page ? (unsigned long)page->virt : 0;
}

static inline unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_page(gfp | __GFP_ZERO);
}

static inline void free_page(unsigned long addr)
{
	struct page *page;

	if (!addr)
		return;
	page = shim_pfn_to_page(addr >> PAGE_SHIFT);
	if (!page || page->virt != (void *)addr)
		shim_die("free_page(0x%lx): not a page\n", addr);
	__free_page(page);
}
#endif
