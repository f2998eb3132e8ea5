/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: hrtimers.  They fire: one thread of the shim's
 * (shim.c) calls each expired timer's function, outside any lock, as
 * the kernel calls it in interrupt context (on the fake clock, the
 * thread that moves it: shim_clock_advance()); hrtimer_cancel() waits
 * for a running callback as the kernel's does.
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
 * @armed: started and not cancelled nor expired (shim timer lock)
 * @expires: when it expires, shim_now_ns(), fake or not (shim timer lock)
 * @next: next armed timer (shim timer lock)
 */
struct hrtimer {
	enum hrtimer_restart (*function)(struct hrtimer *timer);
	bool armed;
	u64 expires;
	struct hrtimer *next;
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
	t->next = NULL;
}

void hrtimer_start(struct hrtimer *t, ktime_t period, enum hrtimer_mode mode);
int hrtimer_cancel(struct hrtimer *t);
int hrtimer_try_to_cancel(struct hrtimer *t);
unsigned long long hrtimer_forward_now(struct hrtimer *t, ktime_t period);

#endif /* _SHIM_LINUX_HRTIMER_H */
