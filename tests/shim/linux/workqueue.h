/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Workqueues with worker threads (tests/shim/shim.c): as many workers as
 * items ready to run, up to max_active; an item queued while pending is
 * not queued again, and never runs on two workers at once.  A work item
 * counts as a lock held while it runs and taken by flush_work(), so a
 * flush under a lock the work takes is an order inversion.
 */
#ifndef _MVGPU_SHIM_WORKQUEUE_H
#define _MVGPU_SHIM_WORKQUEUE_H
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include "../shim.h"

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

/**
 * struct work_struct - a work item
 * @func: what it runs
 * @entry: in its workqueue's list while pending
 * @wq: the workqueue it was last queued on
 * @pending: queued and not yet started (its workqueue's lock)
 * @cls: its class for order checks: where it was initialised
 */
struct work_struct {
	work_func_t func;
	struct list_head entry;
	struct workqueue_struct *wq;
	bool pending;
	struct shim_lock_class *cls;
};

struct workqueue_struct;

#define WQ_UNBOUND		(1U << 1)
#define WQ_FREEZABLE		(1U << 2)
#define WQ_MEM_RECLAIM		(1U << 3)
#define WQ_HIGHPRI		(1U << 4)

void shim_init_work(struct work_struct *work, work_func_t func,
		    struct shim_lock_class *cls);
#define INIT_WORK(w, f) do {						\
	static struct shim_lock_class __key = { .name = #f };		\
									\
	shim_init_work((w), (f), &__key);				\
} while (0)

__attribute__((format(printf, 1, 4)))
struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags,
					 int max_active, ...);
void destroy_workqueue(struct workqueue_struct *wq);
void flush_workqueue(struct workqueue_struct *wq);
bool queue_work(struct workqueue_struct *wq, struct work_struct *work);
bool flush_work(struct work_struct *work);
bool cancel_work_sync(struct work_struct *work);
bool work_pending(struct work_struct *work);

/*
 * Delayed work without the delay: queued at once, so that what waits for
 * a quiet moment in the kernel races with everything else here.
 */
struct delayed_work {
	struct work_struct work;
};

#define INIT_DELAYED_WORK(dw, f)	INIT_WORK(&(dw)->work, (f))

static inline struct delayed_work *to_delayed_work(struct work_struct *work)
{
	return container_of(work, struct delayed_work, work);
}

static inline bool mod_delayed_work(struct workqueue_struct *wq,
				    struct delayed_work *dw,
				    unsigned long delay)
{
	return queue_work(wq, &dw->work);
}

static inline bool delayed_work_pending(struct delayed_work *dw)
{
	return work_pending(&dw->work);
}

static inline bool cancel_delayed_work_sync(struct delayed_work *dw)
{
	return cancel_work_sync(&dw->work);
}
#endif
