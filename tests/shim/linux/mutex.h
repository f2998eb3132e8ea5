/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Single-threaded userspace: a mutex is a flag, so taking a mutex twice
 * (a deadlock in the kernel) or releasing a free one aborts.
 */
#ifndef _MVGPU_SHIM_MUTEX_H
#define _MVGPU_SHIM_MUTEX_H
#include <stdio.h>
#include <stdlib.h>
#include <linux/types.h>

struct mutex {
	int held;
};

static inline void mutex_init(struct mutex *m)
{
	m->held = 0;
}

static inline void mutex_destroy(struct mutex *m)
{
	if (m->held) {
		fprintf(stderr, "mutex %p destroyed while held\n", (void *)m);
		abort();
	}
}

static inline void mutex_lock(struct mutex *m)
{
	if (m->held) {
		fprintf(stderr, "deadlock: mutex %p taken twice\n", (void *)m);
		abort();
	}
	m->held = 1;
}

static inline void mutex_unlock(struct mutex *m)
{
	if (!m->held) {
		fprintf(stderr, "mutex %p released but not held\n", (void *)m);
		abort();
	}
	m->held = 0;
}

static inline bool mutex_is_locked(const struct mutex *m)
{
	return m->held;
}

#define lockdep_assert_held(m) do { if (!(m)->held) { \
	fprintf(stderr, "%s:%d: lock not held\n", __FILE__, __LINE__); \
	abort(); } } while (0)
#endif
