// SPDX-License-Identifier: GPL-2.0-only
/*
 * gvt/shadow_mem.c on the fake GPU of tests/lib/fake_backend.c: shadows
 * are mapped where the engines read them, a shadow handed out again
 * from the cache is zeroed and still placed, the window's bound refuses
 * placement with -ENOSPC, and nothing is left once all is freed.
 */
#include <string.h>

#include "kselftest_harness.h"

#include "shadow_window.h"

FIXTURE(sm) {
	struct shadow_window w;
};

/* a window of 8 pages */
FIXTURE_SETUP(sm)
{
	sw_setup(_metadata, &self->w, 8);
}

FIXTURE_TEARDOWN(sm)
{
	sw_teardown(_metadata, &self->w);
}

TEST_F(sm, placed_shadow_is_what_the_engine_reads)
{
	struct mvgpu_shadow_obj *obj;
	u8 *va;

	obj = mvgpu_shadow_obj_alloc(&self->w.sm, 2 * PAGE_SIZE);
	ASSERT_NE(NULL, obj);
	va = obj->buf.va;
	memset(va, 0x5a, 2 * PAGE_SIZE);
	ASSERT_EQ(0, mvgpu_shadow_obj_place(&self->w.sm, obj));
	EXPECT_EQ(SW_BASE, obj->buf.gma);
	EXPECT_EQ(va, sw_mapped(&self->w, obj->buf.gma));
	EXPECT_EQ(va + PAGE_SIZE, sw_mapped(&self->w, obj->buf.gma + PAGE_SIZE));
	/* bigger than the cache keeps: unmapped when freed */
	ASSERT_EQ(0, mvgpu_shadow_obj_grow(&self->w.sm, obj, 80 << 10));
	EXPECT_EQ(NULL, sw_mapped(&self->w, SW_BASE));
	EXPECT_EQ(0x5a, ((u8 *)obj->buf.va)[PAGE_SIZE + 7]);
	EXPECT_EQ(0, ((u8 *)obj->buf.va)[2 * PAGE_SIZE]);
	mvgpu_shadow_obj_free(&self->w.sm, obj);
}

TEST_F(sm, cached_shadow_comes_back_zeroed_and_placed)
{
	struct mvgpu_shadow_obj *obj, *again;
	u64 gma;

	obj = mvgpu_shadow_obj_alloc(&self->w.sm, PAGE_SIZE);
	ASSERT_NE(NULL, obj);
	ASSERT_EQ(0, mvgpu_shadow_obj_place(&self->w.sm, obj));
	gma = obj->buf.gma;
	memset(obj->buf.va, 0xee, PAGE_SIZE);
	obj->buf.gma = 0;	/* the scanner's to change */
	mvgpu_shadow_obj_free(&self->w.sm, obj);
	EXPECT_NE(NULL, sw_mapped(&self->w, gma));

	again = mvgpu_shadow_obj_alloc(&self->w.sm, 100);
	ASSERT_EQ(obj, again);
	EXPECT_EQ(0, ((u8 *)again->buf.va)[0]);
	EXPECT_EQ(0, ((u8 *)again->buf.va)[PAGE_SIZE - 1]);
	EXPECT_EQ(PAGE_SIZE, again->buf.size);
	ASSERT_EQ(0, mvgpu_shadow_obj_place(&self->w.sm, again));
	EXPECT_EQ(gma, again->buf.gma);
	EXPECT_EQ(again->buf.va, sw_mapped(&self->w, gma));
	mvgpu_shadow_obj_free(&self->w.sm, again);
}

TEST_F(sm, full_window_refuses_placement)
{
	struct mvgpu_shadow_obj *obj[5], *big;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		obj[i] = mvgpu_shadow_obj_alloc(&self->w.sm, 2 * PAGE_SIZE);
		ASSERT_NE(NULL, obj[i]);
		ASSERT_EQ(0, mvgpu_shadow_obj_place(&self->w.sm, obj[i]));
	}
	obj[4] = mvgpu_shadow_obj_alloc(&self->w.sm, PAGE_SIZE);
	ASSERT_NE(NULL, obj[4]);
	EXPECT_EQ(-ENOSPC, mvgpu_shadow_obj_place(&self->w.sm, obj[4]));
	mvgpu_shadow_obj_free(&self->w.sm, obj[4]);
	/* a hole of two pages: three do not fit */
	mvgpu_shadow_obj_free(&self->w.sm, obj[1]);
	big = mvgpu_shadow_obj_alloc(&self->w.sm, 3 * PAGE_SIZE);
	ASSERT_NE(NULL, big);
	EXPECT_EQ(-ENOSPC, mvgpu_shadow_obj_place(&self->w.sm, big));
	mvgpu_shadow_obj_free(&self->w.sm, big);
	obj[1] = mvgpu_shadow_obj_alloc(&self->w.sm, 2 * PAGE_SIZE);
	ASSERT_EQ(0, mvgpu_shadow_obj_place(&self->w.sm, obj[1]));
	for (i = 0; i < 4; i++)
		mvgpu_shadow_obj_free(&self->w.sm, obj[i]);
}

/*
 * The shadows kept for reuse stay placed; a shadow that finds no room
 * has them released first, rather than be refused (its workload would
 * be rejected) while idle ones hold the window.
 */
TEST_F(sm, the_cache_makes_way_for_a_shadow_that_finds_no_room)
{
	struct mvgpu_shadow_obj *obj[4], *one;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		obj[i] = mvgpu_shadow_obj_alloc(&self->w.sm, 2 * PAGE_SIZE);
		ASSERT_NE(NULL, obj[i]);
		ASSERT_EQ(0, mvgpu_shadow_obj_place(&self->w.sm, obj[i]));
	}
	mvgpu_shadow_obj_free(&self->w.sm, obj[1]);	/* cached, placed */
	EXPECT_NE(NULL, sw_mapped(&self->w, SW_BASE + 2 * PAGE_SIZE));
	one = mvgpu_shadow_obj_alloc(&self->w.sm, PAGE_SIZE);
	ASSERT_NE(NULL, one);
	EXPECT_NE(obj[1], one);
	ASSERT_EQ(0, mvgpu_shadow_obj_place(&self->w.sm, one));
	EXPECT_EQ(SW_BASE + 2 * PAGE_SIZE, one->buf.gma);
	EXPECT_EQ(one->buf.va, sw_mapped(&self->w, one->buf.gma));
	EXPECT_EQ(NULL, sw_mapped(&self->w, SW_BASE + 3 * PAGE_SIZE));
	mvgpu_shadow_obj_free(&self->w.sm, one);
	for (i = 0; i < 4; i++)
		if (i != 1)
			mvgpu_shadow_obj_free(&self->w.sm, obj[i]);
}

TEST_HARNESS_MAIN
