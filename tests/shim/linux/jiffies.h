/* SPDX-License-Identifier: GPL-2.0-only */
/* Jiffies at HZ = 250, as Debian's kernels, from CLOCK_MONOTONIC. */
#ifndef _MVGPU_SHIM_JIFFIES_H
#define _MVGPU_SHIM_JIFFIES_H
#include <limits.h>
#include <linux/types.h>
#include <linux/kernel.h>
#include "../shim.h"

#ifndef HZ
#define HZ	250
#endif
#define MAX_SCHEDULE_TIMEOUT	LONG_MAX
#define jiffies			shim_jiffies()

static inline unsigned long nsecs_to_jiffies(u64 ns)
{
	return DIV_ROUND_UP(ns, NSEC_PER_SEC / HZ);
}

static inline unsigned long msecs_to_jiffies(unsigned int ms)
{
	return nsecs_to_jiffies((u64)ms * NSEC_PER_MSEC);
}

static inline unsigned long usecs_to_jiffies(unsigned int us)
{
	return nsecs_to_jiffies((u64)us * NSEC_PER_USEC);
}

static inline unsigned int jiffies_to_msecs(unsigned long j)
{
	return j * (MSEC_PER_SEC / HZ);
}

#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#endif
