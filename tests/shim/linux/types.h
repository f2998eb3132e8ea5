/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: lets mvgpu's pure-logic kernel files (tables, parsers,
 * GTT walks, allocators) build and run in userspace for unit tests and
 * fuzzers, in the manner of tools/testing/vma.  Only what those files use.
 */
#ifndef _MVGPU_SHIM_TYPES_H
#define _MVGPU_SHIM_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;

#ifndef __user
#define __user
#endif
#ifndef __iomem
#define __iomem
#endif
#ifndef __force
#define __force
#endif
#ifndef __must_check
#define __must_check __attribute__((warn_unused_result))
#endif

#endif
