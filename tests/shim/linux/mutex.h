/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Mutexes on pthread mutexes that know their owner and their class
 * (tests/shim/shim.h): taking a mutex its thread holds (a deadlock in
 * the kernel), releasing one it does not hold, or an order inversion
 * between classes aborts.
 */
#ifndef _MVGPU_SHIM_MUTEX_H
#define _MVGPU_SHIM_MUTEX_H
#include <linux/types.h>
#include "../shim.h"

struct mutex {
	struct shim_lock sl;
};

/* Each call site is a lock class, as lockdep's static keys are. */
#define mutex_init(m) do {						\
	static struct shim_lock_class __key = { .name = #m };		\
									\
	shim_lock_init(&(m)->sl, &__key);				\
} while (0)

#define mutex_destroy(m)	shim_lock_destroy(&(m)->sl, "mutex")
#define mutex_lock(m)		shim_lock_take(&(m)->sl, false, "mutex", \
					       __FILE__, __LINE__)
#define mutex_lock_nested(m, s)	mutex_lock(m)
#define mutex_trylock(m)	shim_lock_try(&(m)->sl, false, "mutex", \
					      __FILE__, __LINE__)
#define mutex_unlock(m)		shim_lock_give(&(m)->sl, false, "mutex", \
					       __FILE__, __LINE__)

static inline bool mutex_is_locked(struct mutex *m)
{
	return __atomic_load_n(&m->sl.owner, __ATOMIC_RELAXED) != 0;
}

/* The calling thread holds @l (a mutex or a spinlock), else abort. */
#define lockdep_assert_held(l)	shim_assert_held(&(l)->sl, __FILE__, __LINE__)
#define lockdep_assert_not_held(l) do {					\
	if (shim_lock_held(&(l)->sl))					\
		shim_die("%s:%d: lock held\n", __FILE__, __LINE__);	\
} while (0)
#define might_sleep()		shim_might_sleep(__FILE__, __LINE__)
#endif
