/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the userspace benchmarks (sgpu_bench, scan_bench) share: one
 * clock and the comparison qsort() sorts their samples with.
 */
#ifndef MVGPU_BENCH_UTIL_H
#define MVGPU_BENCH_UTIL_H

#include <time.h>

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

#endif
