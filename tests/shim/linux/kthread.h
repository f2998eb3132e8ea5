/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel threads on pthreads.  kthread_stop() sets the flag
 * kthread_should_stop() reads, wakes the thread's wait and joins it.
 */
#ifndef _MVGPU_SHIM_KTHREAD_H
#define _MVGPU_SHIM_KTHREAD_H
#include <linux/err.h>
#include <linux/sched.h>

__attribute__((format(printf, 3, 4)))
struct task_struct *kthread_run(int (*fn)(void *data), void *data,
				const char *namefmt, ...);
int kthread_stop(struct task_struct *t);
bool kthread_should_stop(void);
#endif
