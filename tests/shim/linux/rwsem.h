/* SPDX-License-Identifier: GPL-2.0-only */
/* Read-write semaphores on pthread rwlocks, order-checked as locks. */
#ifndef _MVGPU_SHIM_RWSEM_H
#define _MVGPU_SHIM_RWSEM_H
#include <pthread.h>
#include <linux/types.h>
#include "../shim.h"

struct rw_semaphore {
	pthread_rwlock_t rw;
	struct shim_lock_class *cls;
};

#define init_rwsem(s) do {						\
	static struct shim_lock_class __key = { .name = #s };		\
									\
	pthread_rwlock_init(&(s)->rw, NULL);				\
	(s)->cls = &__key;						\
} while (0)

#define __shim_rwsem_take(s, how) do {					\
	shim_might_sleep(__FILE__, __LINE__);				\
	shim_dep_acquire((s)->cls, (s), false, __FILE__, __LINE__);	\
	pthread_rwlock_##how(&(s)->rw);					\
} while (0)
#define down_read(s)	__shim_rwsem_take(s, rdlock)
#define down_write(s)	__shim_rwsem_take(s, wrlock)
#define __shim_rwsem_give(s) do {					\
	shim_dep_release(s);						\
	pthread_rwlock_unlock(&(s)->rw);				\
} while (0)
#define up_read(s)	__shim_rwsem_give(s)
#define up_write(s)	__shim_rwsem_give(s)
#endif
