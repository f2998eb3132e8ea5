/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * There is no clock here: a ratelimit_state lets @burst messages through
 * and then drops every later one, counting them in @missed.
 */
#ifndef _MVGPU_SHIM_RATELIMIT_H
#define _MVGPU_SHIM_RATELIMIT_H
#include <linux/types.h>

#ifndef HZ
#define HZ	250
#endif
#define RATELIMIT_MSG_ON_RELEASE	1UL

struct ratelimit_state {
	int interval;
	int burst;
	int printed;
	int missed;
	unsigned long flags;
};

static inline void ratelimit_state_init(struct ratelimit_state *rs,
					int interval, int burst)
{
	rs->interval = interval;
	rs->burst = burst;
	rs->printed = 0;
	rs->missed = 0;
	rs->flags = 0;
}

static inline void ratelimit_set_flags(struct ratelimit_state *rs,
				       unsigned long flags)
{
	rs->flags = flags;
}

static inline void ratelimit_state_exit(struct ratelimit_state *rs) { }

static inline int __ratelimit(struct ratelimit_state *rs)
{
	if (rs->printed < rs->burst) {
		rs->printed++;
		return 1;
	}
	rs->missed++;
	return 0;
}
#endif
