/* SPDX-License-Identifier: GPL-2.0-only */
/* Single-threaded userspace: plain integers. */
#ifndef _MVGPU_SHIM_ATOMIC_H
#define _MVGPU_SHIM_ATOMIC_H
#include <linux/types.h>

typedef struct { int counter; } atomic_t;
typedef struct { s64 counter; } atomic64_t;

#define ATOMIC_INIT(i)		{ (i) }
#define ATOMIC64_INIT(i)	{ (i) }

static inline int atomic_read(const atomic_t *v) { return v->counter; }
static inline void atomic_set(atomic_t *v, int i) { v->counter = i; }
static inline void atomic_inc(atomic_t *v) { v->counter++; }
static inline void atomic_dec(atomic_t *v) { v->counter--; }
static inline int atomic_inc_return(atomic_t *v) { return ++v->counter; }
static inline bool atomic_dec_and_test(atomic_t *v) { return !--v->counter; }

static inline s64 atomic64_read(const atomic64_t *v) { return v->counter; }
static inline void atomic64_set(atomic64_t *v, s64 i) { v->counter = i; }
static inline void atomic64_inc(atomic64_t *v) { v->counter++; }
static inline void atomic64_dec(atomic64_t *v) { v->counter--; }
static inline void atomic64_add(s64 i, atomic64_t *v) { v->counter += i; }
static inline void atomic64_sub(s64 i, atomic64_t *v) { v->counter -= i; }
#endif
