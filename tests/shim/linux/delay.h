/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sleeps: they may not be taken with a spinlock held.  On the shim's fake
 * clock a kernel thread sleeps in fake time, and a thread of the test's
 * own moves the clock instead (shim_clock_advance()).
 */
#ifndef _MVGPU_SHIM_DELAY_H
#define _MVGPU_SHIM_DELAY_H
#include <linux/types.h>
#include <linux/kernel.h>
#include "../shim.h"

#define msleep(ms) do {							\
	shim_might_sleep(__FILE__, __LINE__);				\
	shim_sleep_ns((u64)(ms) * NSEC_PER_MSEC);			\
} while (0)
#define usleep_range(min, max) do {					\
	shim_might_sleep(__FILE__, __LINE__);				\
	shim_sleep_ns((u64)(min) * NSEC_PER_USEC);			\
} while (0)
#define udelay(us)	shim_sleep_ns((u64)(us) * NSEC_PER_USEC)
#define ndelay(ns)	shim_sleep_ns(ns)
#endif
