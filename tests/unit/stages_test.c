// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stage latencies (gvt/stages.c): what a workload's stamps put in the
 * histograms, percentiles within a bucket of the truth, workloads with
 * gaps or out of order left out, and nothing while not measuring.
 */
#include "stages.h"
#include "vgpu_types.h"
#include "workload.h"

#include "kselftest_harness.h"

FIXTURE(st) {
	struct mvgpu_vgpu vgpu;
	struct mvgpu_workload w;
};

FIXTURE_SETUP(st)
{
	memset(&self->vgpu, 0, sizeof(self->vgpu));
	mutex_init(&self->vgpu.lock);
	self->w.vgpu = &self->vgpu;
	ASSERT_EQ(NULL, mvgpu_stages_swap(&self->vgpu, mvgpu_stages_alloc()));
	atomic_inc(&mvgpu_stages_on);
}

FIXTURE_TEARDOWN(st)
{
	mvgpu_stages_free(mvgpu_stages_swap(&self->vgpu, NULL));
	atomic_dec(&mvgpu_stages_on);
}

/* Stamp @w's points up to END, stage i taking (i + 1) * @step ns. */
static void stamp(struct mvgpu_workload *w, u64 step)
{
	u64 t = 1000;
	int i;

	for (i = 0; i < MVGPU_PT_DELIVERED; i++) {
		w->stamp[i] = t;
		t += (i + 1) * step;
	}
}

/* Stamp @w and deliver it, its vGPU's lock held (@locked) or taken. */
static void deliver(struct mvgpu_workload *w, u64 step, bool locked)
{
	stamp(w, step);
	if (!locked)
		mutex_lock(&w->vgpu->lock);
	mvgpu_stages_delivered(w);
	if (!locked)
		mutex_unlock(&w->vgpu->lock);
}

/* |got - want| within 1/32 of want: a bucket's half width. */
static int close_to(u64 got, u64 want)
{
	u64 d = got > want ? got - want : want - got;

	return d * 32 <= want;
}

TEST_F(st, percentiles_of_known_stages)
{
	struct mvgpu_stage_figs f[MVGPU_ST_NR];
	int i;

	/* 99 workloads with step 1000 ns, one with step 100000 ns */
	for (i = 0; i < 100; i++)
		deliver(&self->w, i == 99 ? 100000 : 1000, false);
	ASSERT_TRUE(mvgpu_stages_read(&self->vgpu, f));
	for (i = MVGPU_ST_TRAP; i <= MVGPU_ST_QUEUE; i++) {
		EXPECT_EQ(100, f[i].n);
		EXPECT_TRUE(close_to(f[i].p50, (i + 1) * 1000ULL));
		EXPECT_TRUE(close_to(f[i].p99, (i + 1) * 1000ULL));
		EXPECT_EQ((i + 1) * 100000ULL, f[i].max);
	}
	/* the delivery stamp is the clock's: only its order is known */
	EXPECT_EQ(100, f[MVGPU_ST_TOTAL].n);
	EXPECT_EQ(0, f[MVGPU_ST_IRQ].n);
}

TEST_F(st, interrupt_counts_only_its_own_delivery)
{
	struct mvgpu_stage_figs f[MVGPU_ST_NR];

	mutex_lock(&self->vgpu.lock);
	deliver(&self->w, 10, true);
	mvgpu_stages_irq(&self->vgpu);		/* raised by its CSB event */
	mvgpu_stages_irq(&self->vgpu);		/* a later one: not its own */
	mvgpu_stage_csb_done(&self->vgpu);
	deliver(&self->w, 10, true);
	mvgpu_stage_csb_done(&self->vgpu);
	mvgpu_stages_irq(&self->vgpu);		/* after the event: not counted */
	mutex_unlock(&self->vgpu.lock);
	ASSERT_TRUE(mvgpu_stages_read(&self->vgpu, f));
	EXPECT_EQ(1, f[MVGPU_ST_IRQ].n);
	EXPECT_EQ(2, f[MVGPU_ST_ENGINE].n);
}

TEST_F(st, gaps_and_disorder_are_left_out)
{
	struct mvgpu_stage_figs f[MVGPU_ST_NR];

	mutex_lock(&self->vgpu.lock);
	stamp(&self->w, 10);
	self->w.stamp[MVGPU_PT_START] = 0;	/* started before measuring */
	mvgpu_stages_delivered(&self->w);
	stamp(&self->w, 10);
	self->w.stamp[MVGPU_PT_END] = self->w.stamp[MVGPU_PT_START] - 1;
	mvgpu_stages_delivered(&self->w);
	deliver(&self->w, 10, true);		/* the only whole one */
	mutex_unlock(&self->vgpu.lock);
	ASSERT_TRUE(mvgpu_stages_read(&self->vgpu, f));
	EXPECT_EQ(1, f[MVGPU_ST_SCAN].n);
	EXPECT_EQ(1, f[MVGPU_ST_TOTAL].n);
}

/* Deliver @w with stage step 1000 ns and the engine's clock at @q, @s. */
static void deliver_stalled(struct mvgpu_workload *w, u64 q, u64 s)
{
	stamp(w, 1000);
	w->stalled[0] = q;
	w->stalled[1] = s;
	mvgpu_stages_delivered(w);
}

TEST_F(st, unstalled_start_is_the_wait_less_the_engines_stalls)
{
	struct mvgpu_stage_figs f[MVGPU_ST_NR];

	/* QUEUED to START is 4000 ns (stamp()) */
	mutex_lock(&self->vgpu.lock);
	deliver_stalled(&self->w, 500, 2000);	/* 1500 of it stalled */
	mutex_unlock(&self->vgpu.lock);
	ASSERT_TRUE(mvgpu_stages_read(&self->vgpu, f));
	EXPECT_TRUE(close_to(f[MVGPU_ST_START].p50, 4000));
	EXPECT_EQ(1, f[MVGPU_ST_START_UNSTALLED].n);
	EXPECT_TRUE(close_to(f[MVGPU_ST_START_UNSTALLED].p50, 2500));
	EXPECT_EQ(2500, f[MVGPU_ST_START_UNSTALLED].max);
}

TEST_F(st, unstalled_start_is_never_negative_nor_longer_than_the_wait)
{
	struct mvgpu_stage_figs f[MVGPU_ST_NR];

	mutex_lock(&self->vgpu.lock);
	deliver_stalled(&self->w, 0, 9000);	/* more than the wait */
	deliver_stalled(&self->w, 700, 600);	/* a clock read too early */
	mutex_unlock(&self->vgpu.lock);
	ASSERT_TRUE(mvgpu_stages_read(&self->vgpu, f));
	EXPECT_EQ(2, f[MVGPU_ST_START_UNSTALLED].n);
	EXPECT_EQ(4000, f[MVGPU_ST_START_UNSTALLED].max);
	EXPECT_EQ(0, f[MVGPU_ST_START_UNSTALLED].p50);
}

TEST_F(st, nothing_while_off)
{
	struct mvgpu_stage_figs f[MVGPU_ST_NR];

	mvgpu_stages_free(mvgpu_stages_swap(&self->vgpu, NULL));
	deliver(&self->w, 10, false);
	EXPECT_FALSE(mvgpu_stages_read(&self->vgpu, f));
	/* measuring again starts from empty histograms */
	mvgpu_stages_swap(&self->vgpu, mvgpu_stages_alloc());
	ASSERT_TRUE(mvgpu_stages_read(&self->vgpu, f));
	EXPECT_EQ(0, f[MVGPU_ST_TOTAL].n);
}

TEST_HARNESS_MAIN
