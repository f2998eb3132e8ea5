/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shrinkers: allocated and freed as the kernel does; a registered one is
 * called only by a test, through its count_objects and scan_objects.
 */
#ifndef _MVGPU_SHIM_SHRINKER_H
#define _MVGPU_SHIM_SHRINKER_H
#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/slab.h>

#define SHRINK_STOP	(~0UL)
#define SHRINK_EMPTY	(~0UL - 1)

struct shrink_control {
	gfp_t gfp_mask;
	int nid;
	unsigned long nr_to_scan;
	unsigned long nr_scanned;
};

struct shrinker {
	unsigned long (*count_objects)(struct shrinker *s,
				       struct shrink_control *sc);
	unsigned long (*scan_objects)(struct shrinker *s,
				      struct shrink_control *sc);
	long batch;
	int seeks;
	unsigned int flags;
	void *private_data;
	bool registered;
};

static inline struct shrinker *shrinker_alloc(unsigned int flags,
					      const char *fmt, ...)
{
	struct shrinker *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (s)
		s->flags = flags;
	return s;
}

static inline void shrinker_register(struct shrinker *s)
{
	s->registered = true;
}

static inline void shrinker_free(struct shrinker *s)
{
	kfree(s);
}
#endif
