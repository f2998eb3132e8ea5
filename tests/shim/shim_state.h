/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * State shared by the shim's allocation, logging and WARN helpers: live
 * object counts (leak checks), allocation fault injection and log
 * counters.  One weak definition is merged across translation units.
 * Threads update the counters with atomic operations; read them with
 * shim_read() where another thread may be counting.
 */
#ifndef _MVGPU_SHIM_STATE_H
#define _MVGPU_SHIM_STATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

/**
 * struct shim_state - what the shim counts and can be told to do
 * @fail_countdown: > 0: the allocation that brings it to 0 fails
 * @fail_thread_only: only @fail_thread's allocations count down (the
 *                    other threads of a test allocate at any time)
 * @fail_thread: that thread
 * @failed: allocations failed on purpose
 * @allocs: live kmalloc()/vmalloc() objects
 * @pages: live pages (alloc_page(), get_zeroed_page())
 * @pages_peak: the most live pages so far (reset it to start a count)
 * @warns: WARN_ON()s that fired
 * @log_lines: dev_*() lines
 * @resched: cond_resched() calls, the kernel's preemption points
 * @quiet: do not print dev_*() lines
 * @warn_nonfatal: a WARN_ON() only counts; else it aborts
 * @hrtimer_late_ns: each hrtimer armed from now on fires this much after
 *                   it is due, as on a host that runs what a timer wakes
 *                   late (the test VM short of CPUs)
 * @give_hook: if set, called after each mutex or spinlock is released,
 *             with the lock and the release's place: a test widens a
 *             window there (it must take no shim lock itself)
 */
struct shim_state {
	long fail_countdown;
	bool fail_thread_only;
	pthread_t fail_thread;
	long failed;
	long allocs;
	long pages;
	long pages_peak;
	long warns;
	long log_lines;
	long resched;
	bool quiet;
	bool warn_nonfatal;
	uint64_t hrtimer_late_ns;
	void (*give_hook)(const void *lock, const char *file, int line);
};

__attribute__((weak)) struct shim_state shim_state;

/* A counter of shim_state, read while other threads may change it. */
#define shim_read(field)	__atomic_load_n(&shim_state.field, __ATOMIC_SEQ_CST)
#define shim_add(field, n)	__atomic_add_fetch(&shim_state.field, (n), \
						   __ATOMIC_SEQ_CST)

static inline bool shim_alloc_fails(void)
{
	long v = __atomic_load_n(&shim_state.fail_countdown, __ATOMIC_RELAXED);

	if (v > 0 && shim_state.fail_thread_only &&
	    !pthread_equal(pthread_self(), shim_state.fail_thread))
		return false;

	while (v > 0) {
		if (__atomic_compare_exchange_n(&shim_state.fail_countdown, &v,
						v - 1, false, __ATOMIC_SEQ_CST,
						__ATOMIC_RELAXED)) {
			if (v > 1)
				return false;
			shim_add(failed, 1);
			return true;
		}
	}
	return false;
}

/* One more live page: counted, and the peak follows. */
static inline void shim_page_count(long n)
{
	long now = shim_add(pages, n);
	long peak = __atomic_load_n(&shim_state.pages_peak, __ATOMIC_RELAXED);

	while (now > peak &&
	       !__atomic_compare_exchange_n(&shim_state.pages_peak, &peak, now,
					    false, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED))
		;
}

#endif
