/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vGPU's shadow window (gvt/shadow_mem.c) on the fake GPU of
 * tests/lib/fake_backend.c, for the tests of what lives in it: set up,
 * torn down with the checks that nothing is left (no GGTT entry, no
 * byte counted, no allocation, the backend's contract kept), and the
 * page the GGTT maps at an address.  Include after kselftest_harness.h.
 */
#ifndef _MVGPU_TEST_SHADOW_WINDOW_H
#define _MVGPU_TEST_SHADOW_WINDOW_H

#include <linux/mm.h>

#include <mvgpu/mvgpu_pci.h>

#include "fake_backend.h"
#include "shadow_mem.h"
#include "shadow_mem_types.h"

#define SW_BASE	(1536ULL << 20)	/* the window's first graphics address */

struct shadow_window {
	struct fbe *fbe;
	struct mvgpu_backend *be;
	struct mvgpu_shadow_mem sm;
	unsigned int npages;
	long allocs, pages;
};

static inline void sw_setup(struct __test_metadata *_metadata,
			    struct shadow_window *w, unsigned int npages)
{
	w->allocs = shim_read(allocs);
	w->pages = shim_read(pages);
	w->npages = npages;
	w->fbe = fbe_create();
	ASSERT_NE(NULL, w->fbe);
	w->be = fbe_backend(w->fbe);
	ASSERT_EQ(0, mvgpu_shadow_mem_init(&w->sm, w->be, SW_BASE,
					   npages * PAGE_SIZE));
}

/* Every shadow freed by the caller: the window is empty and gone. */
static inline void sw_teardown(struct __test_metadata *_metadata,
			       struct shadow_window *w)
{
	char why[256];
	unsigned int i;

	mvgpu_shadow_mem_fini(&w->sm);
	for (i = 0; i < w->npages; i++)
		EXPECT_EQ(0, w->be->ops->ggtt_read(w->be,
						   (SW_BASE >> PAGE_SHIFT) + i));
	EXPECT_EQ(0, atomic64_read(&w->sm.used));
	EXPECT_EQ(0, fbe_errors(w->fbe, why, sizeof(why)))
		TH_LOG("backend contract: %s", why);
	w->be->ops->destroy(w->be);
	EXPECT_EQ(w->allocs, shim_read(allocs));
	EXPECT_EQ(w->pages, shim_read(pages));
}

/* The page the backend's GGTT maps at @gma, or NULL. */
static inline void *sw_mapped(const struct shadow_window *w, u64 gma)
{
	u64 pte = w->be->ops->ggtt_read(w->be, gma >> PAGE_SHIFT);

	if (!(pte & MVGPU_PTE_VALID))
		return NULL;
	return (void *)(uintptr_t)(pte & MVGPU_PTE_ADDR_MASK);
}

#endif /* _MVGPU_TEST_SHADOW_WINDOW_H */
