/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MVGPU_SHIM_BUG_H
#define _MVGPU_SHIM_BUG_H
#include <stdio.h>
#include <stdlib.h>
#include "../shim_state.h"

/* A WARN is a bug in userspace tests too: abort unless told otherwise. */
static inline void shim_warn(const char *file, int line, const char *cond)
{
	shim_add(warns, 1);
	fprintf(stderr, "WARNING: %s:%d: %s\n", file, line, cond);
	if (!shim_state.warn_nonfatal)
		abort();
}

#define WARN_ON(c) ({						\
	int __c = !!(c);						\
									\
	if (__c)							\
		shim_warn(__FILE__, __LINE__, #c);			\
	__c;								\
})
#define WARN_ON_ONCE(c)	WARN_ON(c)
#define BUG_ON(c) do { if (c) { \
	fprintf(stderr, "BUG: %s:%d: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)
#define BUILD_BUG_ON(c)	_Static_assert(!(c), #c)
#endif
