/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * State shared by the shim's allocation, logging and WARN helpers: live
 * object counts (leak checks), allocation fault injection and log
 * counters.  One weak definition is merged across translation units.
 */
#ifndef _MVGPU_SHIM_STATE_H
#define _MVGPU_SHIM_STATE_H

#include <stdbool.h>

/**
 * struct shim_state - what the shim counts and can be told to do
 * @fail_countdown: > 0: the allocation that brings it to 0 fails
 * @failed: allocations failed on purpose
 * @allocs: live kmalloc()/vmalloc() objects
 * @pages: live pages (alloc_page(), get_zeroed_page())
 * @pages_peak: the most live pages so far (reset it to start a count)
 * @warns: WARN_ON()s that fired
 * @log_lines: dev_*() lines
 * @quiet: do not print dev_*() lines
 * @warn_nonfatal: a WARN_ON() only counts; else it aborts
 */
struct shim_state {
	long fail_countdown;
	long failed;
	long allocs;
	long pages;
	long pages_peak;
	long warns;
	long log_lines;
	bool quiet;
	bool warn_nonfatal;
};

__attribute__((weak)) struct shim_state shim_state;

static inline bool shim_alloc_fails(void)
{
	if (shim_state.fail_countdown > 0 && !--shim_state.fail_countdown) {
		shim_state.failed++;
		return true;
	}
	return false;
}

#endif
