/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shadows the uapi <linux/wait.h>: kernel wait queues on a condition
 * variable.  A waiter samples the queue's wake-up count, checks its
 * condition and sleeps only if no wake-up came since the sample, so a
 * wake_up() between the check and the sleep is not lost (the kernel's
 * prepare_to_wait()).  Timeouts are in jiffies (HZ, linux/jiffies.h);
 * kthread_stop() wakes the thread's wait.  Blocking in the condition
 * (a mutex, say) is reported, as the debug kernel warns "do not call
 * blocking ops when !TASK_RUNNING".
 */
#ifndef _MVGPU_SHIM_WAIT_H
#define _MVGPU_SHIM_WAIT_H
#include <pthread.h>
#include <linux/types.h>
#include <linux/jiffies.h>
#include "../shim.h"

typedef struct wait_queue_head {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned long wakeups;
	bool ready;
} wait_queue_head_t;

void init_waitqueue_head(wait_queue_head_t *wq);
void wake_up(wait_queue_head_t *wq);
#define wake_up_all(wq)			wake_up(wq)
#define wake_up_interruptible(wq)	wake_up(wq)
#define wake_up_interruptible_all(wq)	wake_up(wq)

/* The waiter's side: see __shim_wait_event(). */
unsigned long shim_wait_prepare(wait_queue_head_t *wq);
void shim_wait_checked(void);
bool shim_wait_sleep(wait_queue_head_t *wq, unsigned long seen,
		     uint64_t deadline_ns);
void shim_wait_finish(void);
long shim_wait_left(uint64_t deadline_ns);
uint64_t shim_wait_deadline(long timeout);

/*
 * Wait until @condition, at most until @deadline_ns of the (fake) clock
 * (0: for ever).  Returns 0 if it timed out with @condition false,
 * else the jiffies left, at least 1.
 */
#define shim_wait_event_until(wq, condition, deadline_ns) ({		\
	uint64_t __dl = (deadline_ns);					\
	long __ret;							\
									\
	shim_might_sleep(__FILE__, __LINE__);				\
	if (condition) {						\
		__ret = shim_wait_left(__dl);				\
	} else {							\
		for (;;) {						\
			unsigned long __seen = shim_wait_prepare(&(wq));\
			bool __c = (condition);				\
									\
			shim_wait_checked();				\
			if (__c) {					\
				__ret = shim_wait_left(__dl);		\
				break;					\
			}						\
			if (!shim_wait_sleep(&(wq), __seen, __dl)) {	\
				__ret = (condition) ? 1 : 0;		\
				break;					\
			}						\
		}							\
		shim_wait_finish();					\
	}								\
	__ret;								\
})

/* The same for at most @timeout jiffies (MAX_SCHEDULE_TIMEOUT: for ever). */
#define __shim_wait_event(wq, condition, timeout) ({			\
	uint64_t __dlj = shim_wait_deadline(timeout);			\
									\
	shim_wait_event_until(wq, condition, __dlj);			\
})

#define wait_event(wq, condition) \
	((void)__shim_wait_event(wq, condition, MAX_SCHEDULE_TIMEOUT))
#define wait_event_idle(wq, condition)	wait_event(wq, condition)
#define wait_event_timeout(wq, condition, timeout) \
	__shim_wait_event(wq, condition, timeout)
#define wait_event_idle_timeout(wq, condition, timeout) \
	__shim_wait_event(wq, condition, timeout)
#define wait_event_interruptible(wq, condition) \
	((int)(__shim_wait_event(wq, condition, MAX_SCHEDULE_TIMEOUT), 0))
#define wait_event_interruptible_timeout(wq, condition, timeout) \
	__shim_wait_event(wq, condition, timeout)
#endif
