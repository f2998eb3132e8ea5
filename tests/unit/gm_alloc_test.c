// SPDX-License-Identifier: GPL-2.0-only
/*
 * Graphics memory pools: first-fit runs, exact capacity accounting,
 * refusal of bad frees.
 */
#include <errno.h>

#include "kselftest_harness.h"
#include "gm_alloc.h"

#define MB (1ULL << 20)

FIXTURE(pool) {
	struct mvgpu_gm_pool p;
};

FIXTURE_SETUP(pool)
{
	ASSERT_EQ(0, mvgpu_gm_pool_init(&self->p, 512 * MB, 512 * MB, 64 * MB));
}

FIXTURE_TEARDOWN(pool)
{
}

TEST(init_rejects_bad_geometry)
{
	struct mvgpu_gm_pool p;

	EXPECT_EQ(-EINVAL, mvgpu_gm_pool_init(&p, 0, 100, 0));
	EXPECT_EQ(-EINVAL, mvgpu_gm_pool_init(&p, 0, 100, 64));
	EXPECT_EQ(-EINVAL, mvgpu_gm_pool_init(&p, 0, 65 * 64, 64));
	EXPECT_EQ(-EINVAL, mvgpu_gm_pool_init(&p, 0, 0, 64));
	EXPECT_EQ(0, mvgpu_gm_pool_init(&p, 0, 64 * 64, 64));
}

TEST_F(pool, fits_counts_whole_pool)
{
	EXPECT_EQ(8, mvgpu_gm_pool_fits(&self->p, 64 * MB));
	EXPECT_EQ(4, mvgpu_gm_pool_fits(&self->p, 128 * MB));
	EXPECT_EQ(1, mvgpu_gm_pool_fits(&self->p, 512 * MB));
	EXPECT_EQ(0, mvgpu_gm_pool_fits(&self->p, 1024 * MB));
	EXPECT_EQ(0, mvgpu_gm_pool_fits(&self->p, 0));
	EXPECT_EQ(0, mvgpu_gm_pool_fits(&self->p, 3 * MB));
}

TEST_F(pool, alloc_is_first_fit_and_falls_capacity)
{
	u64 a, b;

	ASSERT_EQ(0, mvgpu_gm_pool_alloc(&self->p, 64 * MB, &a));
	EXPECT_EQ(512 * MB, a);
	ASSERT_EQ(0, mvgpu_gm_pool_alloc(&self->p, 128 * MB, &b));
	EXPECT_EQ(576 * MB, b);
	EXPECT_EQ(5, mvgpu_gm_pool_fits(&self->p, 64 * MB));
	EXPECT_EQ(2, mvgpu_gm_pool_fits(&self->p, 128 * MB));
	EXPECT_EQ(0, mvgpu_gm_pool_fits(&self->p, 512 * MB));
	EXPECT_EQ(320 * MB, mvgpu_gm_pool_free_bytes(&self->p));
}

TEST_F(pool, fragmentation_is_counted_exactly)
{
	u64 s[8];
	int i;

	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, mvgpu_gm_pool_alloc(&self->p, 64 * MB, &s[i]));
	/* Free slots 1, 2, 4, 6, 7: runs of 2, 1 and 2. */
	ASSERT_EQ(0, mvgpu_gm_pool_free(&self->p, s[1], 64 * MB));
	ASSERT_EQ(0, mvgpu_gm_pool_free(&self->p, s[2], 64 * MB));
	ASSERT_EQ(0, mvgpu_gm_pool_free(&self->p, s[4], 64 * MB));
	ASSERT_EQ(0, mvgpu_gm_pool_free(&self->p, s[6], 64 * MB));
	ASSERT_EQ(0, mvgpu_gm_pool_free(&self->p, s[7], 64 * MB));
	EXPECT_EQ(2, mvgpu_gm_pool_fits(&self->p, 128 * MB));
	EXPECT_EQ(5, mvgpu_gm_pool_fits(&self->p, 64 * MB));
	for (i = 0; i < 2; i++) {
		u64 a;

		ASSERT_EQ(0, mvgpu_gm_pool_alloc(&self->p, 128 * MB, &a));
	}
	EXPECT_EQ(0, mvgpu_gm_pool_fits(&self->p, 128 * MB));
	EXPECT_EQ(1, mvgpu_gm_pool_fits(&self->p, 64 * MB));
}

TEST_F(pool, exhausted_pool_returns_enospc)
{
	u64 a;

	ASSERT_EQ(0, mvgpu_gm_pool_alloc(&self->p, 512 * MB, &a));
	EXPECT_EQ(-ENOSPC, mvgpu_gm_pool_alloc(&self->p, 64 * MB, &a));
	EXPECT_EQ(-ENOSPC, mvgpu_gm_pool_alloc(&self->p, 1024 * MB, &a));
	EXPECT_EQ(-EINVAL, mvgpu_gm_pool_alloc(&self->p, 0, &a));
	EXPECT_EQ(-EINVAL, mvgpu_gm_pool_alloc(&self->p, 65 * MB, &a));
}

TEST_F(pool, bad_free_is_refused_and_changes_nothing)
{
	u64 a;

	ASSERT_EQ(0, mvgpu_gm_pool_alloc(&self->p, 128 * MB, &a));
	EXPECT_EQ(-EINVAL, mvgpu_gm_pool_free(&self->p, a, 192 * MB));
	EXPECT_EQ(-EINVAL, mvgpu_gm_pool_free(&self->p, a + MB, 64 * MB));
	EXPECT_EQ(-EINVAL, mvgpu_gm_pool_free(&self->p, 0, 64 * MB));
	EXPECT_EQ(-EINVAL, mvgpu_gm_pool_free(&self->p, a + 128 * MB, 64 * MB));
	EXPECT_EQ(-EINVAL, mvgpu_gm_pool_free(&self->p, 1024 * MB, 64 * MB));
	EXPECT_EQ(-EINVAL, mvgpu_gm_pool_free(&self->p, ~0ULL - 63, 64 * MB));
	EXPECT_EQ(384 * MB, mvgpu_gm_pool_free_bytes(&self->p));
	EXPECT_EQ(0, mvgpu_gm_pool_free(&self->p, a, 128 * MB));
	EXPECT_EQ(-EINVAL, mvgpu_gm_pool_free(&self->p, a, 128 * MB));
	EXPECT_EQ(512 * MB, mvgpu_gm_pool_free_bytes(&self->p));
}

TEST_HARNESS_MAIN
