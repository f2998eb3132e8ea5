// SPDX-License-Identifier: GPL-2.0-only
/*
 * gvt/shadow_mem.c on the fake GPU of tests/lib/fake_backend.c: shadows
 * are mapped where the engines read them, a shadow handed out again
 * from the cache is zeroed and still placed, the window's bound refuses
 * placement with -ENOSPC, and nothing is left once all is freed.
 */
#include <string.h>

#include <linux/mm.h>
#include <linux/vmalloc.h>

#include <mvgpu/mvgpu_pci.h>

#include "fake_backend.h"
#include "shadow_mem.h"
#include "shadow_mem_types.h"

#include "kselftest_harness.h"

#define BASE	(1536ULL << 20)

FIXTURE(sm) {
	struct fbe *fbe;
	struct mvgpu_backend *be;
	struct mvgpu_shadow_mem sm;
	long allocs, pages;
};

FIXTURE_SETUP(sm)
{
	self->allocs = shim_read(allocs);
	self->pages = shim_read(pages);
	self->fbe = fbe_create();
	ASSERT_NE(NULL, self->fbe);
	self->be = fbe_backend(self->fbe);
	/* a window of 8 pages */
	ASSERT_EQ(0, mvgpu_shadow_mem_init(&self->sm, self->be, BASE,
					   8 * PAGE_SIZE));
}

FIXTURE_TEARDOWN(sm)
{
	char why[256];
	unsigned int i;

	mvgpu_shadow_mem_fini(&self->sm);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(0, self->be->ops->ggtt_read(self->be,
						      (BASE >> PAGE_SHIFT) + i));
	EXPECT_EQ(0, atomic64_read(&self->sm.used));
	EXPECT_EQ(0, fbe_errors(self->fbe, why, sizeof(why)))
		TH_LOG("backend contract: %s", why);
	self->be->ops->destroy(self->be);
	EXPECT_EQ(self->allocs, shim_read(allocs));
	EXPECT_EQ(self->pages, shim_read(pages));
}

/* The page the backend's GGTT maps at @gma. */
static void *mapped(FIXTURE_DATA(sm) *self, u64 gma)
{
	u64 pte = self->be->ops->ggtt_read(self->be, gma >> PAGE_SHIFT);

	if (!(pte & MVGPU_PTE_VALID))
		return NULL;
	return (void *)(uintptr_t)(pte & MVGPU_PTE_ADDR_MASK);
}

TEST_F(sm, placed_shadow_is_what_the_engine_reads)
{
	struct mvgpu_shadow_obj *obj;
	u8 *va;

	obj = mvgpu_shadow_obj_alloc(&self->sm, 2 * PAGE_SIZE);
	ASSERT_NE(NULL, obj);
	va = obj->buf.va;
	memset(va, 0x5a, 2 * PAGE_SIZE);
	ASSERT_EQ(0, mvgpu_shadow_obj_place(&self->sm, obj));
	EXPECT_EQ(BASE, obj->buf.gma);
	EXPECT_EQ(va, mapped(self, obj->buf.gma));
	EXPECT_EQ(va + PAGE_SIZE, mapped(self, obj->buf.gma + PAGE_SIZE));
	/* bigger than the cache keeps: unmapped when freed */
	ASSERT_EQ(0, mvgpu_shadow_obj_grow(&self->sm, obj, 80 << 10));
	EXPECT_EQ(NULL, mapped(self, BASE));
	EXPECT_EQ(0x5a, ((u8 *)obj->buf.va)[PAGE_SIZE + 7]);
	EXPECT_EQ(0, ((u8 *)obj->buf.va)[2 * PAGE_SIZE]);
	mvgpu_shadow_obj_free(&self->sm, obj);
}

TEST_F(sm, cached_shadow_comes_back_zeroed_and_placed)
{
	struct mvgpu_shadow_obj *obj, *again;
	u64 gma;

	obj = mvgpu_shadow_obj_alloc(&self->sm, PAGE_SIZE);
	ASSERT_NE(NULL, obj);
	ASSERT_EQ(0, mvgpu_shadow_obj_place(&self->sm, obj));
	gma = obj->buf.gma;
	memset(obj->buf.va, 0xee, PAGE_SIZE);
	obj->buf.gma = 0;	/* the scanner's to change */
	mvgpu_shadow_obj_free(&self->sm, obj);
	EXPECT_NE(NULL, mapped(self, gma));

	again = mvgpu_shadow_obj_alloc(&self->sm, 100);
	ASSERT_EQ(obj, again);
	EXPECT_EQ(0, ((u8 *)again->buf.va)[0]);
	EXPECT_EQ(0, ((u8 *)again->buf.va)[PAGE_SIZE - 1]);
	EXPECT_EQ(PAGE_SIZE, again->buf.size);
	ASSERT_EQ(0, mvgpu_shadow_obj_place(&self->sm, again));
	EXPECT_EQ(gma, again->buf.gma);
	EXPECT_EQ(again->buf.va, mapped(self, gma));
	mvgpu_shadow_obj_free(&self->sm, again);
}

TEST_F(sm, full_window_refuses_placement)
{
	struct mvgpu_shadow_obj *obj[5], *big;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		obj[i] = mvgpu_shadow_obj_alloc(&self->sm, 2 * PAGE_SIZE);
		ASSERT_NE(NULL, obj[i]);
		ASSERT_EQ(0, mvgpu_shadow_obj_place(&self->sm, obj[i]));
	}
	obj[4] = mvgpu_shadow_obj_alloc(&self->sm, PAGE_SIZE);
	ASSERT_NE(NULL, obj[4]);
	EXPECT_EQ(-ENOSPC, mvgpu_shadow_obj_place(&self->sm, obj[4]));
	/* a hole of two pages: one page fits, three do not */
	mvgpu_shadow_obj_free(&self->sm, obj[1]);
	big = mvgpu_shadow_obj_alloc(&self->sm, 3 * PAGE_SIZE);
	ASSERT_NE(NULL, big);
	EXPECT_EQ(-ENOSPC, mvgpu_shadow_obj_place(&self->sm, big));
	mvgpu_shadow_obj_free(&self->sm, big);
	/* the freed one is cached, still placed: only its reuse fits */
	EXPECT_EQ(-ENOSPC, mvgpu_shadow_obj_place(&self->sm, obj[4]));
	mvgpu_shadow_obj_free(&self->sm, obj[4]);
	obj[1] = mvgpu_shadow_obj_alloc(&self->sm, 2 * PAGE_SIZE);
	ASSERT_EQ(0, mvgpu_shadow_obj_place(&self->sm, obj[1]));
	for (i = 0; i < 4; i++)
		mvgpu_shadow_obj_free(&self->sm, obj[i]);
}

TEST_HARNESS_MAIN
