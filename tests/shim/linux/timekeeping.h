/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MVGPU_SHIM_TIMEKEEPING_H
#define _MVGPU_SHIM_TIMEKEEPING_H
#include <linux/types.h>
#include "../shim.h"

typedef s64 ktime_t;

static inline u64 ktime_get_ns(void)
{
	return shim_now_ns();
}

static inline ktime_t ktime_get(void)
{
	return shim_now_ns();
}

static inline s64 ktime_to_ns(ktime_t t)
{
	return t;
}

static inline s64 ktime_ms_delta(ktime_t later, ktime_t earlier)
{
	return (later - earlier) / 1000000;
}
#endif
