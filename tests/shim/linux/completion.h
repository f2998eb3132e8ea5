/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MVGPU_SHIM_COMPLETION_H
#define _MVGPU_SHIM_COMPLETION_H
#include <linux/wait.h>

struct completion {
	unsigned int done;
	wait_queue_head_t wait;
};

static inline void init_completion(struct completion *x)
{
	x->done = 0;
	init_waitqueue_head(&x->wait);
}

static inline void reinit_completion(struct completion *x)
{
	__atomic_store_n(&x->done, 0, __ATOMIC_SEQ_CST);
}

static inline void complete(struct completion *x)
{
	if (__atomic_load_n(&x->done, __ATOMIC_SEQ_CST) != UINT_MAX)
		__atomic_add_fetch(&x->done, 1, __ATOMIC_SEQ_CST);
	wake_up(&x->wait);
}

static inline void complete_all(struct completion *x)
{
	__atomic_store_n(&x->done, UINT_MAX, __ATOMIC_SEQ_CST);
	wake_up(&x->wait);
}

static inline bool completion_done(struct completion *x)
{
	return __atomic_load_n(&x->done, __ATOMIC_SEQ_CST);
}

/* Take one completion, if there is one. */
static inline bool shim_completion_take(struct completion *x)
{
	unsigned int v = __atomic_load_n(&x->done, __ATOMIC_SEQ_CST);

	while (v) {
		if (v == UINT_MAX)
			return true;
		if (__atomic_compare_exchange_n(&x->done, &v, v - 1, false,
						__ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return true;
	}
	return false;
}

#define wait_for_completion(x)	wait_event((x)->wait, shim_completion_take(x))
#define wait_for_completion_timeout(x, t) \
	wait_event_timeout((x)->wait, shim_completion_take(x), t)
#endif
