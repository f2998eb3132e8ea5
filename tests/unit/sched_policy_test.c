// SPDX-License-Identifier: GPL-2.0-only
/*
 * Scheduling policies on a simulated engine: the work it delivers to
 * each entity (not the policy's own charge) follows the weights within
 * 5% in weighted best effort, is equal in equal share, is each one's
 * fixed share even when that leaves the engine idle, and respects caps;
 * slices hold their bounds, idle entities earn no credit, nobody starves.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/minmax.h>

#include "kselftest_harness.h"
#include "sched_policy.h"

#define MS	1000000ULL

/**
 * struct sim - what a simulated engine delivered, counted by the engine
 * @now: simulated time
 * @done: work delivered to each entity: ns the engine spent on it, which
 *        the policy only hears of through mvgpu_sched_charge()
 * @idle: ns the engine had nothing it was allowed to run
 * @longest: longest run of one entity without a switch, in ns
 * @yielded: the entity last preempted for another, until the next pick
 * @wait_grants: picks that gave the engine back to the entity just
 *               preempted for another while another busy one waited
 */
struct sim {
	u64 now;
	u64 done[MVGPU_SCHED_MAX_ENTITIES];
	u64 idle;
	u64 longest;
	struct mvgpu_sched_entity *yielded;
	u64 wait_grants;
};

/* Run entity @run until its slice is over and it must yield, or @end. */
static void sim_run(struct mvgpu_sched_policy *p, struct mvgpu_sched_entity *e,
		    struct mvgpu_sched_entity *run, struct sim *s, u64 end,
		    u64 step_ns)
{
	u64 used = 0;

	do {
		u64 step = step_ns;

		if (step_ns > 1000)
			step = step_ns / 2 + rand() % step_ns;
		s->now += step;
		s->done[run - e] += step;
		used += step;
		mvgpu_sched_charge(p, run, step, s->now);
	} while (s->now < end && !mvgpu_sched_should_preempt(p, run, used, s->now));
	if (used > s->longest)
		s->longest = used;
	if (s->now < end) {
		/* preempted, as the scheduler does it */
		mvgpu_sched_yield(p, run);
		s->yielded = run;
	}
}

/* Did @run get the engine back though preempted for another who waits? */
static void sim_count_wait_grant(struct mvgpu_sched_entity *e, int n,
				 struct mvgpu_sched_entity *run, struct sim *s)
{
	int i;

	if (run && run == s->yielded)
		for (i = 0; i < n; i++)
			if (&e[i] != run && e[i].busy) {
				s->wait_grants++;
				break;
			}
	s->yielded = NULL;
}

/*
 * Simulate one engine for @total_ns more: the picked entity runs in
 * steps of about @step_ns (arbitration points) until its slice is over
 * and someone else should run, or it must yield for its limit; with
 * nobody to run, the engine idles until someone may.  @busy_until[i]
 * ends entity i's work (0: never).
 */
static void simulate(struct mvgpu_sched_policy *p,
		     struct mvgpu_sched_entity *e, int n, u64 total_ns,
		     u64 step_ns, const u64 *busy_until, struct sim *s)
{
	u64 end = s->now + total_ns;
	int i;

	while (s->now < end) {
		struct mvgpu_sched_entity *run;
		u64 next;

		for (i = 0; i < n; i++)
			if (busy_until && busy_until[i] && s->now >= busy_until[i])
				mvgpu_sched_set_busy(p, &e[i], false);
		run = mvgpu_sched_pick(p, s->now);
		if (p->mode == MVGPU_SCHED_BEST_EFFORT)
			sim_count_wait_grant(e, n, run, s);
		if (run) {
			sim_run(p, e, run, s, end, step_ns);
			continue;
		}
		next = mvgpu_sched_next_eligible(p, s->now);
		next = min(next, s->now + step_ns);
		next = min(next, end);
		s->idle += next - s->now;
		s->now = next;
	}
}

static void sim_reset(struct sim *s)
{
	u64 now = s->now;

	memset(s, 0, sizeof(*s));
	s->now = now;
}

/* Delivered work of entities 0..@n-1 within 5% of @want (fractions). */
static void expect_fractions(struct __test_metadata *_metadata,
			     const struct sim *s, u64 total_ns,
			     const double *want, int n)
{
	double worst = 0;
	int i;

	for (i = 0; i < n; i++) {
		double got = (double)s->done[i] / total_ns;
		double dev = got / want[i] - 1;

		TH_LOG("entity %d delivered %.4f of the engine, want %.4f (%+.2f%%)",
		       i, got, want[i], dev * 100);
		EXPECT_LT(got, want[i] * 1.05);
		EXPECT_GT(got, want[i] * 0.95);
		if (dev < 0)
			dev = -dev;
		if (dev > worst)
			worst = dev;
	}
	TH_LOG("largest deviation %.2f%%, engine idle %.4f", worst * 100,
	       (double)s->idle / total_ns);
}

/* Delivered work of the @n entities shared in proportion to @w. */
static void expect_shares(struct __test_metadata *_metadata,
			  const struct sim *s, const u32 *w, int n)
{
	double want[MVGPU_SCHED_MAX_ENTITIES];
	u64 total = 0, tw = 0;
	int i;

	for (i = 0; i < n; i++) {
		total += s->done[i];
		tw += w[i];
	}
	for (i = 0; i < n; i++)
		want[i] = (double)w[i] / tw;
	expect_fractions(_metadata, s, total, want, n);
}

FIXTURE(policy) {
	struct mvgpu_sched_policy p;
	struct mvgpu_sched_entity e[MVGPU_SCHED_MAX_ENTITIES];
	struct sim s;
};

FIXTURE_SETUP(policy)
{
	srand(1);
	mvgpu_sched_policy_init(&self->p, 0);
	memset(&self->s, 0, sizeof(self->s));
}

FIXTURE_TEARDOWN(policy)
{
}

/* Make entities 0..@n-1 of weights @w busy. */
static void add_busy(struct __test_metadata *_metadata,
		     FIXTURE_DATA(policy) *self, const u32 *w, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, mvgpu_sched_add(&self->p, &self->e[i], w[i]));
		mvgpu_sched_set_busy(&self->p, &self->e[i], true);
	}
}

TEST_F(policy, weights_1_2_4_share_a_second_within_5_percent)
{
	static const u32 w[] = { 1, 2, 4 };

	add_busy(_metadata, self, w, 3);
	simulate(&self->p, self->e, 3, 1000 * MS, 100000, NULL, &self->s);
	expect_shares(_metadata, &self->s, w, 3);
	EXPECT_EQ(0, self->s.idle);
}

TEST_F(policy, gvt_type_weights_share_with_coarse_arbitration)
{
	static const u32 w[] = { 2, 4, 8, 16, 2 };

	add_busy(_metadata, self, w, 5);
	/* Arbitration points only every 0.4 ms on average. */
	simulate(&self->p, self->e, 5, 1000 * MS, 400000, NULL, &self->s);
	expect_shares(_metadata, &self->s, w, 5);
}

TEST_F(policy, mixed_weights_with_long_slices)
{
	static const u32 w[] = { 1, 3, 7, 13, 2, 5, 1, 16 };

	add_busy(_metadata, self, w, 8);
	ASSERT_EQ(0, mvgpu_sched_policy_set_slice(&self->p, 5 * MS));
	simulate(&self->p, self->e, 8, 10000 * MS, 200000, NULL, &self->s);
	expect_shares(_metadata, &self->s, w, 8);
}

/*
 * A full pGPU: 64 entities of weights 1 to 4 in turn (as `make scale`
 * gives its V1_64 vGPUs), busy for a simulated minute.
 */
TEST_F(policy, sixty_four_entities_of_weights_1_to_4_share_within_5_percent)
{
	u32 w[MVGPU_SCHED_MAX_ENTITIES];
	int i;

	for (i = 0; i < MVGPU_SCHED_MAX_ENTITIES; i++)
		w[i] = 1 + i % 4;
	add_busy(_metadata, self, w, MVGPU_SCHED_MAX_ENTITIES);
	simulate(&self->p, self->e, MVGPU_SCHED_MAX_ENTITIES, 60000 * MS,
		 200000, NULL, &self->s);
	expect_shares(_metadata, &self->s, w, MVGPU_SCHED_MAX_ENTITIES);
	EXPECT_EQ(0, self->s.idle);
	EXPECT_EQ(0, self->s.wait_grants);
}

/*
 * An entity preempted for another gets the engine back only after it,
 * even when its last charge leaves the two level (the engine reports
 * the preemption with nothing more to charge) and it has the lower slot;
 * alone, it gets it back at once.
 */
TEST_F(policy, preempted_entity_yields_its_next_turn)
{
	struct mvgpu_sched_entity *a = &self->e[0], *b = &self->e[1];

	ASSERT_EQ(0, mvgpu_sched_add(&self->p, a, 1));
	ASSERT_EQ(0, mvgpu_sched_add(&self->p, b, 1));
	mvgpu_sched_set_busy(&self->p, a, true);
	ASSERT_EQ(a, mvgpu_sched_pick(&self->p, 0));
	mvgpu_sched_charge(&self->p, a, MS, MS);
	/* b comes in level with a */
	mvgpu_sched_set_busy(&self->p, b, true);
	EXPECT_EQ(a->vruntime, b->vruntime);
	ASSERT_TRUE(mvgpu_sched_should_preempt(&self->p, a, MS, MS));
	mvgpu_sched_yield(&self->p, a);
	mvgpu_sched_charge(&self->p, a, 0, MS);
	EXPECT_EQ(b, mvgpu_sched_pick(&self->p, MS));
	/* the yield is over: level again after b's slice, a (lower slot) */
	mvgpu_sched_charge(&self->p, b, MS, 2 * MS);
	EXPECT_EQ(a, mvgpu_sched_pick(&self->p, 2 * MS));
	/* alone, a yielding gets the engine back */
	mvgpu_sched_set_busy(&self->p, b, false);
	mvgpu_sched_yield(&self->p, a);
	EXPECT_EQ(a, mvgpu_sched_pick(&self->p, 2 * MS));
	/* a removed entity's yield goes with it */
	mvgpu_sched_yield(&self->p, b);
	mvgpu_sched_remove(&self->p, b);
	EXPECT_EQ(NULL, self->p.yielded);
}

/*
 * A weight changed while busy takes effect for what follows; bad weights
 * are refused and change nothing.
 */
TEST_F(policy, changed_weight_takes_effect_and_bad_ones_are_refused)
{
	static const u32 w[] = { 1, 1 }, w2[] = { 3, 1 };

	add_busy(_metadata, self, w, 2);
	simulate(&self->p, self->e, 2, 500 * MS, 100000, NULL, &self->s);
	expect_shares(_metadata, &self->s, w, 2);
	EXPECT_EQ(-EINVAL, mvgpu_sched_policy_set_weight(&self->p, &self->e[0], 0));
	EXPECT_EQ(-EINVAL, mvgpu_sched_policy_set_weight(&self->p, &self->e[0],
							 MVGPU_SCHED_MAX_WEIGHT + 1));
	EXPECT_EQ(1, self->e[0].weight);
	EXPECT_EQ(2, self->p.total_weight);
	ASSERT_EQ(0, mvgpu_sched_policy_set_weight(&self->p, &self->e[0], 3));
	EXPECT_EQ(4, self->p.total_weight);
	sim_reset(&self->s);
	simulate(&self->p, self->e, 2, 1000 * MS, 100000, NULL, &self->s);
	expect_shares(_metadata, &self->s, w2, 2);
}

TEST_F(policy, equal_share_ignores_weights)
{
	static const u32 w[] = { 1, 4, 16 };
	static const u32 eq[] = { 1, 1, 1 };

	ASSERT_EQ(0, mvgpu_sched_policy_set_mode(&self->p, MVGPU_SCHED_EQUAL_SHARE));
	add_busy(_metadata, self, w, 3);
	simulate(&self->p, self->e, 3, 1000 * MS, 100000, NULL, &self->s);
	expect_shares(_metadata, &self->s, eq, 3);
	EXPECT_EQ(0, self->s.idle);
}

/* Alone, a vGPU of weight 1 among weights 1 + 1 + 2 gets a quarter. */
TEST_F(policy, fixed_share_leaves_engine_idle)
{
	static const u32 w[] = { 1, 1, 2 };
	const double want[] = { 0.25 };
	int i;

	ASSERT_EQ(0, mvgpu_sched_policy_set_mode(&self->p, MVGPU_SCHED_FIXED_SHARE));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, mvgpu_sched_add(&self->p, &self->e[i], w[i]));
	mvgpu_sched_set_busy(&self->p, &self->e[0], true);
	simulate(&self->p, self->e, 3, 1000 * MS, 100000, NULL, &self->s);
	expect_fractions(_metadata, &self->s, 1000 * MS, want, 1);
	EXPECT_EQ(0, self->s.done[1] + self->s.done[2]);
	EXPECT_GT(self->s.idle, 700 * MS);
	EXPECT_LT(self->s.idle, 780 * MS);
}

TEST_F(policy, fixed_share_of_the_busy_with_one_idle)
{
	static const u32 w[] = { 1, 2, 5 };
	const double want[] = { 1.0 / 8, 2.0 / 8 };
	u64 until[3] = { 0, 0, 1 };

	ASSERT_EQ(0, mvgpu_sched_policy_set_mode(&self->p, MVGPU_SCHED_FIXED_SHARE));
	add_busy(_metadata, self, w, 3);
	simulate(&self->p, self->e, 3, 1000 * MS, 100000, until, &self->s);
	expect_fractions(_metadata, &self->s, 1000 * MS, want, 2);
	EXPECT_EQ(0, self->s.done[2]);
	EXPECT_GT(self->s.idle, 580 * MS);
}

TEST_F(policy, fixed_share_all_busy_uses_the_whole_engine)
{
	static const u32 w[] = { 1, 2, 5, 8 };

	ASSERT_EQ(0, mvgpu_sched_policy_set_mode(&self->p, MVGPU_SCHED_FIXED_SHARE));
	add_busy(_metadata, self, w, 4);
	simulate(&self->p, self->e, 4, 1000 * MS, 100000, NULL, &self->s);
	expect_shares(_metadata, &self->s, w, 4);
	EXPECT_LT(self->s.idle, 50 * MS);
}

TEST_F(policy, cap_limits_a_vgpu_among_others_and_alone)
{
	static const u32 w[] = { 4, 1 };
	const double want[] = { 0.2, 0.8 };
	const double alone[] = { 0.3 };
	u64 until[2] = { 0, 1 };

	add_busy(_metadata, self, w, 2);
	ASSERT_EQ(0, mvgpu_sched_policy_set_cap(&self->p, &self->e[0], 20));
	simulate(&self->p, self->e, 2, 1000 * MS, 100000, NULL, &self->s);
	expect_fractions(_metadata, &self->s, 1000 * MS, want, 2);

	ASSERT_EQ(0, mvgpu_sched_policy_set_cap(&self->p, &self->e[0], 30));
	sim_reset(&self->s);
	simulate(&self->p, self->e, 2, 1000 * MS, 100000, until, &self->s);
	expect_fractions(_metadata, &self->s, 1000 * MS, alone, 1);
	EXPECT_GT(self->s.idle, 650 * MS);
}

/* The cap is the tighter of the two limits in fixed share mode. */
TEST_F(policy, cap_below_fixed_share_wins)
{
	static const u32 w[] = { 1, 1 };
	const double want[] = { 0.1, 0.5 };

	ASSERT_EQ(0, mvgpu_sched_policy_set_mode(&self->p, MVGPU_SCHED_FIXED_SHARE));
	add_busy(_metadata, self, w, 2);
	ASSERT_EQ(0, mvgpu_sched_policy_set_cap(&self->p, &self->e[0], 10));
	simulate(&self->p, self->e, 2, 1000 * MS, 100000, NULL, &self->s);
	expect_fractions(_metadata, &self->s, 1000 * MS, want, 2);
}

TEST_F(policy, slice_bounds_and_length)
{
	static const u32 w[] = { 1, 1 };
	u64 bad[] = { 0, MS - 1, 30 * MS + 1, 1000 * MS };
	int i;

	for (i = 0; i < 4; i++)
		EXPECT_EQ(-EINVAL, mvgpu_sched_policy_set_slice(&self->p, bad[i]));
	EXPECT_EQ(MVGPU_SCHED_DEFAULT_SLICE_NS, self->p.slice_ns);
	add_busy(_metadata, self, w, 2);
	ASSERT_EQ(0, mvgpu_sched_policy_set_slice(&self->p, 30 * MS));
	simulate(&self->p, self->e, 2, 1000 * MS, 10000, NULL, &self->s);
	TH_LOG("30 ms slice: longest run %llu us", self->s.longest / 1000);
	EXPECT_GE(self->s.longest, 30 * MS);
	EXPECT_LE(self->s.longest, 30 * MS + 20000);
	ASSERT_EQ(0, mvgpu_sched_policy_set_slice(&self->p, MS));
	/* the one behind catches up first: measure from even */
	simulate(&self->p, self->e, 2, 100 * MS, 10000, NULL, &self->s);
	sim_reset(&self->s);
	simulate(&self->p, self->e, 2, 1000 * MS, 10000, NULL, &self->s);
	TH_LOG("1 ms slice: longest run %llu us", self->s.longest / 1000);
	EXPECT_GE(self->s.longest, MS);
	EXPECT_LE(self->s.longest, MS + 20000);
	expect_shares(_metadata, &self->s, w, 2);
}

TEST_F(policy, mode_switch_mid_run_and_bad_values)
{
	static const u32 w[] = { 1, 3 };
	static const u32 eq[] = { 1, 1 };

	EXPECT_EQ(-EINVAL, mvgpu_sched_policy_set_mode(&self->p, MVGPU_SCHED_NR_MODES));
	EXPECT_EQ(-EINVAL, mvgpu_sched_policy_set_mode(&self->p, -1));
	add_busy(_metadata, self, w, 2);
	EXPECT_EQ(-EINVAL, mvgpu_sched_policy_set_cap(&self->p, &self->e[0], 101));
	simulate(&self->p, self->e, 2, 500 * MS, 100000, NULL, &self->s);
	expect_shares(_metadata, &self->s, w, 2);
	ASSERT_EQ(0, mvgpu_sched_policy_set_mode(&self->p, MVGPU_SCHED_EQUAL_SHARE));
	sim_reset(&self->s);
	simulate(&self->p, self->e, 2, 500 * MS, 100000, NULL, &self->s);
	expect_shares(_metadata, &self->s, eq, 2);
	ASSERT_EQ(0, mvgpu_sched_policy_set_mode(&self->p, MVGPU_SCHED_BEST_EFFORT));
	sim_reset(&self->s);
	simulate(&self->p, self->e, 2, 500 * MS, 100000, NULL, &self->s);
	expect_shares(_metadata, &self->s, w, 2);
}

TEST_F(policy, idle_entity_earns_no_credit)
{
	static const u32 eq[] = { 1, 1 };
	u64 until[2] = { 0, 0 };

	ASSERT_EQ(0, mvgpu_sched_add(&self->p, &self->e[0], 1));
	ASSERT_EQ(0, mvgpu_sched_add(&self->p, &self->e[1], 1));
	mvgpu_sched_set_busy(&self->p, &self->e[0], true);
	simulate(&self->p, self->e, 2, 500 * MS, 100000, until, &self->s);
	EXPECT_EQ(0, self->s.done[1]);
	/* Entity 1 wakes up: it must share equally, not catch up. */
	sim_reset(&self->s);
	mvgpu_sched_set_busy(&self->p, &self->e[1], true);
	simulate(&self->p, self->e, 2, 100 * MS, 100000, until, &self->s);
	expect_shares(_metadata, &self->s, eq, 2);
}

TEST_F(policy, lone_busy_entity_gets_the_whole_engine)
{
	static const u32 w[] = { 1, 2, 4 };
	u64 until[3] = { 0, 1, 1 };

	add_busy(_metadata, self, w, 3);
	simulate(&self->p, self->e, 3, 100 * MS, 100000, until, &self->s);
	EXPECT_GE(self->s.done[0], 100 * MS);
	EXPECT_EQ(0, self->s.done[1] + self->s.done[2]);
	EXPECT_EQ(0, self->s.idle);
}

TEST_F(policy, low_weight_never_starves)
{
	struct mvgpu_sched_entity *run;
	u64 waited = 0;

	ASSERT_EQ(0, mvgpu_sched_add(&self->p, &self->e[0], 65536));
	ASSERT_EQ(0, mvgpu_sched_add(&self->p, &self->e[1], 1));
	mvgpu_sched_set_busy(&self->p, &self->e[0], true);
	mvgpu_sched_set_busy(&self->p, &self->e[1], true);
	mvgpu_sched_charge(&self->p, &self->e[1], MS, MS);
	for (;;) {
		run = mvgpu_sched_pick(&self->p, MS + waited);
		if (run == &self->e[1])
			break;
		mvgpu_sched_charge(&self->p, run, MS, 2 * MS + waited);
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
	ASSERT_EQ(&self->e[0], mvgpu_sched_pick(&self->p, 0));
	mvgpu_sched_charge(&self->p, &self->e[0], 5 * MS, 5 * MS);
	EXPECT_FALSE(mvgpu_sched_should_preempt(&self->p, &self->e[0], 5 * MS, 5 * MS));
	mvgpu_sched_set_busy(&self->p, &self->e[1], true);
	EXPECT_FALSE(mvgpu_sched_should_preempt(&self->p, &self->e[0], MS / 2, 5 * MS));
	EXPECT_TRUE(mvgpu_sched_should_preempt(&self->p, &self->e[0], MS, 5 * MS));
}

/*
 * A lone entity with no limit has no slice to time until another busy
 * one may run: a competitor waiting for its cap ends that at its
 * eligible time, one that may run ends it now, and so does a limit of
 * its own.
 */
TEST_F(policy, alone_until_another_may_run)
{
	ASSERT_EQ(0, mvgpu_sched_add(&self->p, &self->e[0], 1));
	ASSERT_EQ(0, mvgpu_sched_add(&self->p, &self->e[1], 1));
	mvgpu_sched_set_busy(&self->p, &self->e[0], true);
	ASSERT_EQ(&self->e[0], mvgpu_sched_pick(&self->p, 0));
	EXPECT_EQ(U64_MAX, mvgpu_sched_alone_until(&self->p, &self->e[0], MS));

	/* 2 ms at a 50% cap: eligible again at 4 ms */
	ASSERT_EQ(0, mvgpu_sched_policy_set_cap(&self->p, &self->e[1], 50));
	mvgpu_sched_charge(&self->p, &self->e[1], 2 * MS, 2 * MS);
	mvgpu_sched_set_busy(&self->p, &self->e[1], true);
	EXPECT_EQ(4 * MS, mvgpu_sched_alone_until(&self->p, &self->e[0], 2 * MS));
	EXPECT_EQ(4 * MS, mvgpu_sched_alone_until(&self->p, &self->e[0], 4 * MS));

	ASSERT_EQ(0, mvgpu_sched_policy_set_cap(&self->p, &self->e[1], 0));
	EXPECT_EQ(2 * MS, mvgpu_sched_alone_until(&self->p, &self->e[0], 2 * MS));

	mvgpu_sched_set_busy(&self->p, &self->e[1], false);
	ASSERT_EQ(0, mvgpu_sched_policy_set_cap(&self->p, &self->e[0], 90));
	EXPECT_EQ(2 * MS, mvgpu_sched_alone_until(&self->p, &self->e[0], 2 * MS));
	ASSERT_EQ(0, mvgpu_sched_policy_set_cap(&self->p, &self->e[0], 0));
	ASSERT_EQ(0, mvgpu_sched_policy_set_mode(&self->p, MVGPU_SCHED_FIXED_SHARE));
	EXPECT_EQ(2 * MS, mvgpu_sched_alone_until(&self->p, &self->e[0], 2 * MS));
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
	EXPECT_EQ(NULL, mvgpu_sched_pick(&self->p, 0));
	mvgpu_sched_remove(&self->p, &many[3]);
	EXPECT_EQ(0, mvgpu_sched_add(&self->p, &many[i], 1));
	EXPECT_EQ(3, many[i].slot);
}

TEST_HARNESS_MAIN
