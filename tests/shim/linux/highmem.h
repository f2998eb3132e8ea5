/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kmap_local_pfn() of shim pages: a pfn the shim knows (page_to_pfn())
 * is valid and maps to its memory; any other is not valid.
 */
#ifndef _MVGPU_SHIM_HIGHMEM_H
#define _MVGPU_SHIM_HIGHMEM_H
#include <linux/mm.h>

static inline bool pfn_valid(unsigned long pfn)
{
	return shim_pfn_to_page(pfn);
}

static inline void *kmap_local_pfn(unsigned long pfn)
{
	return page_address(shim_pfn_to_page(pfn));
}

static inline void kunmap_local(const void *addr)
{
}

static inline unsigned long offset_in_page(u64 addr)
{
	return addr & (PAGE_SIZE - 1);
}
#endif
