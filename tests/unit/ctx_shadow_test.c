// SPDX-License-Identifier: GPL-2.0-only
/*
 * gvt/ctx_shadow.c on gvt/shadow_mem.c and the fake GPU of
 * tests/lib/fake_backend.c: a guest context gets its own shadow ring and
 * image back, placed where they were; never while a workload holds
 * them; the least recently used idle entry makes room; rings larger
 * than the shadow cache keeps, and a full window, get none; and nothing
 * is left once all is cleared.
 */
#include <string.h>

#include "kselftest_harness.h"

#include "ctx_shadow.h"
#include "shadow_window.h"

#define WINDOW_PAGES	64
#define LRCA(i)		(0x10000U + (i) * 0x1000U)

FIXTURE(cs) {
	struct shadow_window w;
	struct mvgpu_ctx_shadows cs;
};

FIXTURE_SETUP(cs)
{
	sw_setup(_metadata, &self->w, WINDOW_PAGES);
	memset(&self->cs, 0, sizeof(self->cs));
}

FIXTURE_TEARDOWN(cs)
{
	mvgpu_ctx_shadows_clear(&self->cs, &self->w.sm);
	sw_teardown(_metadata, &self->w);
}

TEST_F(cs, a_context_gets_its_shadows_back_where_they_were)
{
	struct mvgpu_ctx_shadow *s, *again;
	struct mvgpu_shadow_obj *ring, *ctx;

	s = mvgpu_ctx_shadow_take(&self->cs, &self->w.sm, LRCA(0), PAGE_SIZE);
	ASSERT_NE(NULL, s);
	ring = s->ring;
	ctx = s->ctx;
	ASSERT_NE(NULL, ring);
	ASSERT_NE(NULL, ctx);
	EXPECT_LE(PAGE_SIZE, ring->buf.size);
	EXPECT_EQ(ring->buf.va, sw_mapped(&self->w, ring->gma));
	EXPECT_EQ(ctx->buf.va, sw_mapped(&self->w, ctx->gma));
	mvgpu_ctx_shadow_put(s);

	again = mvgpu_ctx_shadow_take(&self->cs, &self->w.sm, LRCA(0), PAGE_SIZE);
	EXPECT_EQ(s, again);
	EXPECT_EQ(ring, again->ring);
	EXPECT_EQ(ctx, again->ctx);
	EXPECT_EQ(ring->buf.va, sw_mapped(&self->w, ring->gma));
	mvgpu_ctx_shadow_put(again);
}

TEST_F(cs, never_while_a_workload_holds_them)
{
	struct mvgpu_ctx_shadow *s, *other;

	s = mvgpu_ctx_shadow_take(&self->cs, &self->w.sm, LRCA(0), PAGE_SIZE);
	ASSERT_NE(NULL, s);
	/* the same context again, its first workload still in flight */
	EXPECT_EQ(NULL, mvgpu_ctx_shadow_take(&self->cs, &self->w.sm, LRCA(0),
					      PAGE_SIZE));
	/* another context has its own */
	other = mvgpu_ctx_shadow_take(&self->cs, &self->w.sm, LRCA(1), PAGE_SIZE);
	ASSERT_NE(NULL, other);
	EXPECT_NE(s, other);
	EXPECT_NE(s->ring, other->ring);
	EXPECT_NE(s->ring->gma, other->ring->gma);
	EXPECT_NE(s->ctx->gma, other->ctx->gma);
	/* clearing leaves what is held alone */
	mvgpu_ctx_shadows_clear(&self->cs, &self->w.sm);
	EXPECT_NE(NULL, s->ring);
	EXPECT_EQ(s->ring->buf.va, sw_mapped(&self->w, s->ring->gma));
	mvgpu_ctx_shadow_put(s);
	mvgpu_ctx_shadow_put(other);
	EXPECT_EQ(s, mvgpu_ctx_shadow_take(&self->cs, &self->w.sm, LRCA(0),
					   PAGE_SIZE));
	mvgpu_ctx_shadow_put(s);
}

TEST_F(cs, the_least_recently_used_idle_entry_makes_room)
{
	struct mvgpu_ctx_shadow *s[MVGPU_CTX_SHADOWS], *n;
	unsigned int i;

	for (i = 0; i < MVGPU_CTX_SHADOWS; i++) {
		s[i] = mvgpu_ctx_shadow_take(&self->cs, &self->w.sm, LRCA(i),
					     PAGE_SIZE);
		ASSERT_NE(NULL, s[i]);
	}
	/* every entry held: a new context gets none */
	EXPECT_EQ(NULL, mvgpu_ctx_shadow_take(&self->cs, &self->w.sm,
					      LRCA(100), PAGE_SIZE));
	for (i = 0; i < MVGPU_CTX_SHADOWS; i++)
		mvgpu_ctx_shadow_put(s[i]);
	/* 0 and 1 used again since: 2 is the least recently used */
	for (i = 0; i < 2; i++) {
		n = mvgpu_ctx_shadow_take(&self->cs, &self->w.sm, LRCA(i),
					  PAGE_SIZE);
		ASSERT_EQ(s[i], n);
		mvgpu_ctx_shadow_put(n);
	}
	n = mvgpu_ctx_shadow_take(&self->cs, &self->w.sm, LRCA(100), PAGE_SIZE);
	EXPECT_EQ(s[2], n);
	EXPECT_EQ(LRCA(100), n->lrca);
	mvgpu_ctx_shadow_put(n);
	/* 2's own shadows went with its entry: it takes 3's now */
	n = mvgpu_ctx_shadow_take(&self->cs, &self->w.sm, LRCA(2), PAGE_SIZE);
	EXPECT_EQ(s[3], n);
	mvgpu_ctx_shadow_put(n);
}

TEST_F(cs, a_larger_ring_grows_the_entry_and_a_huge_one_gets_none)
{
	struct mvgpu_ctx_shadow *s;

	s = mvgpu_ctx_shadow_take(&self->cs, &self->w.sm, LRCA(0), PAGE_SIZE);
	ASSERT_NE(NULL, s);
	mvgpu_ctx_shadow_put(s);
	s = mvgpu_ctx_shadow_take(&self->cs, &self->w.sm, LRCA(0), 4 * PAGE_SIZE);
	ASSERT_NE(NULL, s);
	EXPECT_LE(4 * PAGE_SIZE, s->ring->buf.size);
	EXPECT_EQ(s->ring->buf.va, sw_mapped(&self->w, s->ring->gma));
	EXPECT_EQ((u8 *)s->ring->buf.va + 3 * PAGE_SIZE,
		  sw_mapped(&self->w, s->ring->gma + 3 * PAGE_SIZE));
	mvgpu_ctx_shadow_put(s);
	/* a smaller ring keeps the larger shadow */
	EXPECT_EQ(s, mvgpu_ctx_shadow_take(&self->cs, &self->w.sm, LRCA(0),
					   PAGE_SIZE));
	EXPECT_LE(4 * PAGE_SIZE, s->ring->buf.size);
	mvgpu_ctx_shadow_put(s);
	EXPECT_EQ(NULL, mvgpu_ctx_shadow_take(&self->cs, &self->w.sm, LRCA(1),
					      MVGPU_SHADOW_CACHE_BYTES + PAGE_SIZE));
	EXPECT_EQ(NULL, mvgpu_ctx_shadow_take(&self->cs, &self->w.sm, LRCA(1), 0));
}

TEST_F(cs, a_full_window_gets_none_and_keeps_nothing)
{
	struct mvgpu_shadow_obj *fill;
	struct mvgpu_ctx_shadow *s;
	s64 used;

	/* all of the window but two pages taken */
	fill = mvgpu_shadow_obj_alloc(&self->w.sm, (WINDOW_PAGES - 2) * PAGE_SIZE);
	ASSERT_NE(NULL, fill);
	ASSERT_EQ(0, mvgpu_shadow_obj_place(&self->w.sm, fill));
	used = atomic64_read(&self->w.sm.used);
	/* ring and image need three */
	EXPECT_EQ(NULL, mvgpu_ctx_shadow_take(&self->cs, &self->w.sm, LRCA(0),
					      2 * PAGE_SIZE));
	mvgpu_shadow_mem_trim(&self->w.sm);
	EXPECT_EQ(used, atomic64_read(&self->w.sm.used));
	/* two fit */
	s = mvgpu_ctx_shadow_take(&self->cs, &self->w.sm, LRCA(0), PAGE_SIZE);
	ASSERT_NE(NULL, s);
	mvgpu_ctx_shadow_put(s);
	mvgpu_shadow_obj_free(&self->w.sm, fill);
}

TEST_HARNESS_MAIN
