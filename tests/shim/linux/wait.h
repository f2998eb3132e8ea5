/* SPDX-License-Identifier: GPL-2.0-only */
/* Shadows the uapi <linux/wait.h>: kernel wait queues, never waited on. */
#ifndef _MVGPU_SHIM_WAIT_H
#define _MVGPU_SHIM_WAIT_H
#include <linux/types.h>

typedef struct wait_queue_head {
	int waiters;
} wait_queue_head_t;

static inline void init_waitqueue_head(wait_queue_head_t *wq)
{
	wq->waiters = 0;
}

static inline void wake_up(wait_queue_head_t *wq) { }
static inline void wake_up_all(wait_queue_head_t *wq) { }
#endif
