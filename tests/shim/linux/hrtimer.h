/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: hrtimers.  A timer is only recorded as armed; no unit
 * test waits for one to fire (the vblank rate is measured in the VM).
 */
#ifndef _SHIM_LINUX_HRTIMER_H
#define _SHIM_LINUX_HRTIMER_H

#include <linux/ktime.h>

#define CLOCK_MONOTONIC		1

enum hrtimer_mode {
	HRTIMER_MODE_REL,
};

enum hrtimer_restart {
	HRTIMER_NORESTART,
	HRTIMER_RESTART,
};

/**
 * struct hrtimer - a high-resolution timer
 * @function: called when it expires
 * @armed: started and not cancelled
 */
struct hrtimer {
	enum hrtimer_restart (*function)(struct hrtimer *timer);
	bool armed;
};

static inline ktime_t ns_to_ktime(long long ns)
{
	return ns;
}

static inline void hrtimer_init(struct hrtimer *t, int clock,
				enum hrtimer_mode mode)
{
	t->function = NULL;
	t->armed = false;
}

static inline void hrtimer_start(struct hrtimer *t, ktime_t period,
				 enum hrtimer_mode mode)
{
	t->armed = true;
}

static inline int hrtimer_cancel(struct hrtimer *t)
{
	bool was = t->armed;

	t->armed = false;
	return was;
}

static inline unsigned long long hrtimer_forward_now(struct hrtimer *t,
						     ktime_t period)
{
	return 1;
}

#endif /* _SHIM_LINUX_HRTIMER_H */
