/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A shim page's "physical address" is its memory's address, so a page
 * table built of shim pages can be walked by following page_to_phys().
 */
#ifndef _MVGPU_SHIM_MM_H
#define _MVGPU_SHIM_MM_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/bug.h>
#include "../shim_state.h"

#define PAGE_ALIGN(x)	ALIGN((x), PAGE_SIZE)

static inline void *page_address(const struct page *page)
{
	return page->virt;
}

static inline u64 page_to_phys(const struct page *page)
{
	return (u64)(uintptr_t)page->virt;
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return page_to_phys(page) >> PAGE_SHIFT;
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return shim_pfn_to_page(pfn);
}
#endif
