/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the userspace benchmarks (sgpu_bench, scan_bench) share: one
 * clock, the comparison qsort() sorts their samples with, and
 * cache_drop() for cold runs.
 */
#ifndef MVGPU_BENCH_UTIL_H
#define MVGPU_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <emmintrin.h>
#define CACHE_DROP_WORKS	1
#else
#define CACHE_DROP_WORKS	0
#endif

static inline double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Write back and evict every cache line of [@p, @p + @n) from every level
 * of the cache hierarchy (clflush), so that the next access reads
 * memory.  Where there is no clflush (CACHE_DROP_WORKS is 0) it does
 * nothing, and callers print no cold figures.
 */
static inline void cache_drop(const void *p, size_t n)
{
#if CACHE_DROP_WORKS
	const char *c = (const char *)((uintptr_t)p & ~(uintptr_t)63);
	const char *end = (const char *)p + n;

	for (; c < end; c += 64)
		_mm_clflush(c);
	_mm_mfence();
#else
	(void)p;
	(void)n;
#endif
}

#endif
