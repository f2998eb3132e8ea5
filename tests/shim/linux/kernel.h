/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MVGPU_SHIM_KERNEL_H
#define _MVGPU_SHIM_KERNEL_H
#include <linux/types.h>
#include <linux/bits.h>
#include <linux/minmax.h>
#include <stdio.h>

#ifndef ARRAY_SIZE	/* kselftest.h has its own */
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif
#define ALIGN(x, a)		({ __typeof__(x) _m = (__typeof__(x))(a) - 1; \
				   ((x) + _m) & ~_m; })
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	({ __typeof__(d) _d = (d); ((n) + _d - 1) / _d; })
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))
#define upper_32_bits(n)	((u32)(((n) >> 16) >> 16))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define fallthrough		__attribute__((__fallthrough__))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define U8_MAX			((u8)~0U)
#define U16_MAX			((u16)~0U)
#define U32_MAX			((u32)~0U)
#define U64_MAX			((u64)~0ULL)
#define S64_MAX			((s64)(U64_MAX >> 1))
#define NSEC_PER_USEC		1000L
#define NSEC_PER_MSEC		1000000L
#define NSEC_PER_SEC		1000000000L
#define USEC_PER_MSEC		1000L
#define MSEC_PER_SEC		1000L
#define div_u64(n, d)		((u64)(n) / (u32)(d))
#define div64_u64(n, d)		((u64)(n) / (u64)(d))
#ifndef __printf
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#endif
#endif
