// SPDX-License-Identifier: GPL-2.0-only
/*
 * Weighted time-slice policy: shares follow weights within 5% over a
 * simulated second, idle entities earn no credit, nobody starves.
 */
#include <errno.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "sched_policy.h"

#define MS	1000000ULL

/*
 * Simulate one engine for @total_ns: the picked entity runs in steps of
 * @step_ns (arbitration points) until its slice is over and someone else
 * should run, or it idles.  @busy_until[i] ends entity i's work (0: never).
 */
static void simulate(struct mvgpu_sched_policy *p,
		     struct mvgpu_sched_entity *e, int n, u64 total_ns,
		     u64 step_ns, const u64 *busy_until)
{
	u64 now = 0;
	int i;

	while (now < total_ns) {
		struct mvgpu_sched_entity *run;
		u64 used = 0;

		for (i = 0; i < n; i++)
			if (busy_until && busy_until[i] && now >= busy_until[i])
				mvgpu_sched_set_busy(p, &e[i], false);
		run = mvgpu_sched_pick(p);
		if (!run) {
			now += step_ns;
			continue;
		}
		do {
			u64 step = step_ns;

			if (step_ns > 1000)
				step = step_ns / 2 + rand() % step_ns;
			mvgpu_sched_charge(p, run, step);
			used += step;
			now += step;
		} while (now < total_ns && !mvgpu_sched_should_preempt(p, run, used));
	}
}

static void expect_shares(struct __test_metadata *_metadata,
			  struct mvgpu_sched_entity *e, int n)
{
	u64 total_rt = 0, total_w = 0;
	int i;

	for (i = 0; i < n; i++) {
		total_rt += e[i].runtime_ns;
		total_w += e[i].weight;
	}
	for (i = 0; i < n; i++) {
		double share = (double)e[i].runtime_ns / total_rt;
		double want = (double)e[i].weight / total_w;

		TH_LOG("entity %d weight %u share %.4f want %.4f", i,
		       e[i].weight, share, want);
		EXPECT_LT(share, want * 1.05);
		EXPECT_GT(share, want * 0.95);
	}
}

FIXTURE(policy) {
	struct mvgpu_sched_policy p;
	struct mvgpu_sched_entity e[8];
};

FIXTURE_SETUP(policy)
{
	srand(1);
	mvgpu_sched_policy_init(&self->p, 0);
}

FIXTURE_TEARDOWN(policy)
{
}

TEST_F(policy, weights_1_2_4_share_a_second_within_5_percent)
{
	static const u32 w[] = { 1, 2, 4 };
	int i;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, mvgpu_sched_add(&self->p, &self->e[i], w[i]));
		mvgpu_sched_set_busy(&self->p, &self->e[i], true);
	}
	simulate(&self->p, self->e, 3, 1000 * MS, 100000, NULL);
	expect_shares(_metadata, self->e, 3);
}

TEST_F(policy, gvt_type_weights_share_with_coarse_arbitration)
{
	static const u32 w[] = { 2, 4, 8, 16, 2 };
	int i;

	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, mvgpu_sched_add(&self->p, &self->e[i], w[i]));
		mvgpu_sched_set_busy(&self->p, &self->e[i], true);
	}
	/* Arbitration points only every 0.4 ms on average. */
	simulate(&self->p, self->e, 5, 1000 * MS, 400000, NULL);
	expect_shares(_metadata, self->e, 5);
}

TEST_F(policy, idle_entity_earns_no_credit)
{
	u64 until[2] = { 0, 0 };

	ASSERT_EQ(0, mvgpu_sched_add(&self->p, &self->e[0], 1));
	ASSERT_EQ(0, mvgpu_sched_add(&self->p, &self->e[1], 1));
	mvgpu_sched_set_busy(&self->p, &self->e[0], true);
	simulate(&self->p, self->e, 2, 500 * MS, 100000, until);
	EXPECT_EQ(0, self->e[1].runtime_ns);
	/* Entity 1 wakes up: it must share equally, not catch up. */
	self->e[0].runtime_ns = 0;
	mvgpu_sched_set_busy(&self->p, &self->e[1], true);
	simulate(&self->p, self->e, 2, 100 * MS, 100000, until);
	expect_shares(_metadata, self->e, 2);
}

TEST_F(policy, lone_busy_entity_gets_the_whole_engine)
{
	u64 until[3] = { 0, 1, 1 };
	int i;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, mvgpu_sched_add(&self->p, &self->e[i], 1 << i));
		mvgpu_sched_set_busy(&self->p, &self->e[i], true);
	}
	simulate(&self->p, self->e, 3, 100 * MS, 100000, until);
	EXPECT_GE(self->e[0].runtime_ns, 100 * MS);
	EXPECT_EQ(0, self->e[1].runtime_ns + self->e[2].runtime_ns);
}

TEST_F(policy, low_weight_never_starves)
{
	struct mvgpu_sched_entity *run;
	u64 waited = 0;

	ASSERT_EQ(0, mvgpu_sched_add(&self->p, &self->e[0], 65536));
	ASSERT_EQ(0, mvgpu_sched_add(&self->p, &self->e[1], 1));
	mvgpu_sched_set_busy(&self->p, &self->e[0], true);
	mvgpu_sched_set_busy(&self->p, &self->e[1], true);
	mvgpu_sched_charge(&self->p, &self->e[1], MS);
	for (;;) {
		run = mvgpu_sched_pick(&self->p);
		if (run == &self->e[1])
			break;
		mvgpu_sched_charge(&self->p, run, MS);
		waited += MS;
		ASSERT_LT(waited, 70000 * MS);
	}
	/* Weight 65536 against 1: one slice of it buys 65536 of the other. */
	EXPECT_GE(waited, 65536 * MS);
	EXPECT_LE(waited, 65537 * MS);
}

TEST_F(policy, no_preemption_within_slice_or_without_competition)
{
	ASSERT_EQ(0, mvgpu_sched_add(&self->p, &self->e[0], 1));
	ASSERT_EQ(0, mvgpu_sched_add(&self->p, &self->e[1], 1));
	mvgpu_sched_set_busy(&self->p, &self->e[0], true);
	ASSERT_EQ(&self->e[0], mvgpu_sched_pick(&self->p));
	mvgpu_sched_charge(&self->p, &self->e[0], 5 * MS);
	EXPECT_FALSE(mvgpu_sched_should_preempt(&self->p, &self->e[0], 5 * MS));
	mvgpu_sched_set_busy(&self->p, &self->e[1], true);
	EXPECT_FALSE(mvgpu_sched_should_preempt(&self->p, &self->e[0], MS / 2));
	EXPECT_TRUE(mvgpu_sched_should_preempt(&self->p, &self->e[0], MS));
}

TEST_F(policy, add_remove_and_bad_weights)
{
	struct mvgpu_sched_entity many[MVGPU_SCHED_MAX_ENTITIES + 1];
	int i;

	EXPECT_EQ(-EINVAL, mvgpu_sched_add(&self->p, &self->e[0], 0));
	EXPECT_EQ(-EINVAL, mvgpu_sched_add(&self->p, &self->e[0], 65537));
	for (i = 0; i < MVGPU_SCHED_MAX_ENTITIES; i++)
		ASSERT_EQ(0, mvgpu_sched_add(&self->p, &many[i], 1));
	many[i].slot = -1;
	EXPECT_EQ(-ENOSPC, mvgpu_sched_add(&self->p, &many[i], 1));
	mvgpu_sched_remove(&self->p, &many[i]);
	mvgpu_sched_set_busy(&self->p, &many[3], true);
	mvgpu_sched_remove(&self->p, &many[3]);
	EXPECT_EQ(NULL, mvgpu_sched_pick(&self->p));
	mvgpu_sched_remove(&self->p, &many[3]);
	EXPECT_EQ(0, mvgpu_sched_add(&self->p, &many[i], 1));
	EXPECT_EQ(3, many[i].slot);
}

TEST_HARNESS_MAIN
