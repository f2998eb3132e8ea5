/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MVGPU_SHIM_VMALLOC_H
#define _MVGPU_SHIM_VMALLOC_H
#include <linux/slab.h>

static inline void *vmalloc(size_t size)
{
	return kmalloc(size, GFP_KERNEL);
}

static inline void *vzalloc(size_t size)
{
	return kzalloc(size, GFP_KERNEL);
}

static inline void *vcalloc(size_t n, size_t size)
{
	return kcalloc(n, size, GFP_KERNEL);
}

static inline void vfree(const void *p)
{
	kfree(p);
}
#endif
