/* SPDX-License-Identifier: GPL-2.0-only */
/* Tasks are pthreads; current is the calling thread's (tests/shim/shim.c). */
#ifndef _MVGPU_SHIM_SCHED_H
#define _MVGPU_SHIM_SCHED_H
#include <linux/types.h>
#include <linux/jiffies.h>
#include "../shim.h"

#define TASK_COMM_LEN	48

struct task_struct;
struct task_struct *shim_current(void);
const char *shim_task_comm(const struct task_struct *t);
void shim_yield(void);

#define current			shim_current()
#define cond_resched() do {						\
	shim_might_sleep(__FILE__, __LINE__);				\
	shim_add(resched, 1);						\
	shim_yield();							\
} while (0)

long schedule_timeout_uninterruptible(long timeout);
#define schedule_timeout_idle(t)	schedule_timeout_uninterruptible(t)
#endif
