/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Spinlocks: as shim mutexes (linux/mutex.h), and while one is held its
 * thread must not sleep (take a mutex, wait, flush work, allocate with
 * GFP_KERNEL).
 */
#ifndef _MVGPU_SHIM_SPINLOCK_H
#define _MVGPU_SHIM_SPINLOCK_H
#include <linux/types.h>
#include <linux/mutex.h>
#include "../shim.h"

typedef struct spinlock {
	struct shim_lock sl;
} spinlock_t;

#define spin_lock_init(l) do {						\
	static struct shim_lock_class __key = { .name = #l };		\
									\
	shim_lock_init(&(l)->sl, &__key);				\
} while (0)

#define spin_lock(l)		shim_lock_take(&(l)->sl, true, "spinlock", \
					       __FILE__, __LINE__)
#define spin_trylock(l)		shim_lock_try(&(l)->sl, true, "spinlock", \
					      __FILE__, __LINE__)
#define spin_unlock(l)		shim_lock_give(&(l)->sl, true, "spinlock", \
					       __FILE__, __LINE__)
#define spin_lock_irq(l)	spin_lock(l)
#define spin_unlock_irq(l)	spin_unlock(l)
#define spin_lock_bh(l)		spin_lock(l)
#define spin_unlock_bh(l)	spin_unlock(l)
#define spin_lock_irqsave(l, flags) do { (flags) = 0; spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) do {				\
	(void)(flags);							\
	spin_unlock(l);							\
} while (0)
#endif
