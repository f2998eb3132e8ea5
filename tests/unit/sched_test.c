// SPDX-License-Identifier: GPL-2.0-only
/*
 * The workload path without a guest VM: gvt/sched.c, sched_policy.c,
 * workload.c, retire.c, shadow_mem.c and the vGPU around them, with
 * their threads (an engine scheduler per engine, the deliver workqueue)
 * on the threaded shim, a fake GPU whose engines run the shadow
 * contexts with the software GPU's executor (tests/lib/fake_backend.c)
 * and guests that write ELSPs and read CSBs (tests/lib/fake_guest.c).
 *
 * Each test checks, when it ends, that nothing leaked (shim allocations
 * and pages, pins of guest pages) and that the backend saw its contract
 * kept.  Timing: slices are 1 ms, waits are jiffies at HZ = 250.  The
 * tests of what the scheduler does with time (slices, shares, caps,
 * hang_ms) run on the shim's fake clock (FIXTURE(clocked), the hang
 * fixture): their figures are exact, whatever the machine's load.
 */
#include <pthread.h>
#include <string.h>

#include <linux/delay.h>
#include <linux/shrinker.h>
#include <linux/timekeeping.h>

#include <mvgpu/mvgpu_pci.h>
#include <mvgpu/params.h>
#include <mvgpu/vgpu_type.h>

#include "ctx_shadow_types.h"
#include "fake_backend.h"
#include "fake_guest.h"
#include "pgpu.h"
#include "pgpu_types.h"
#include "retire.h"
#include "sched.h"
#include "shadow_mem.h"
#include "trim.h"
#include "vgpu.h"

#include "kselftest_harness.h"

#define NGUESTS		3
#define GUEST_PAGES	512
#define WAIT_MS		5000

#define V1_8	(&mvgpu_type_descs[3])	/* weight 8 */
#define V1_4	(&mvgpu_type_descs[4])	/* weight 16 */

/**
 * struct world - a pGPU on a fake GPU, and guests
 * @fbe: the fake GPU
 * @pgpu: the pGPU, with its scheduler and deliver workqueue
 * @g: the guests
 * @live: which exist
 * @allocs: shim allocations before the world was made
 * @pages: shim pages then
 */
struct world {
	struct fbe *fbe;
	struct mvgpu_pgpu pgpu;
	struct fg g[NGUESTS];
	bool live[NGUESTS];
	long allocs, pages;
};

static void make_world(struct __test_metadata *_metadata, struct world *w)
{
	shim_state.quiet = true;
	w->allocs = shim_read(allocs);
	w->pages = shim_read(pages);
	w->fbe = fbe_create();
	ASSERT_NE(NULL, w->fbe);
	fbe_set_guest_pages(w->fbe, fg_page_lookup);
	ASSERT_EQ(0, mvgpu_pgpu_init(&w->pgpu, 0, fbe_backend(w->fbe)));
}

/* Remove everything: nothing may be left, no contract broken. */
static void end_world(struct __test_metadata *_metadata, struct world *w)
{
	struct mvgpu_backend *be = fbe_backend(w->fbe);
	char why[256];
	int i;

	for (i = 0; i < NGUESTS; i++) {
		if (!w->live[i])
			continue;
		fg_block_rw(&w->g[i], false);
		fg_close(&w->g[i]);
		EXPECT_EQ(0, fg_pins(&w->g[i]));
		EXPECT_EQ(0, w->g[i].bad_unpins);
		fg_fini(&w->g[i]);
	}
	mvgpu_pgpu_fini(&w->pgpu);
	EXPECT_EQ(0, fbe_errors(w->fbe, why, sizeof(why)))
		TH_LOG("backend contract: %s", why);
	be->ops->destroy(be);
	EXPECT_EQ(w->allocs, shim_read(allocs));
	EXPECT_EQ(w->pages, shim_read(pages));
}

FIXTURE(world) {
	struct world w;
};

FIXTURE_SETUP(world)
{
	make_world(_metadata, &self->w);
}

FIXTURE_TEARDOWN(world)
{
	end_world(_metadata, &self->w);
}

/*
 * The world on the shim's fake clock (shim_clock_fake()): time passes
 * only in the test's msleep(), usleep_range() and waits, and only once
 * the scheduler's threads, the backend's engines and the workers have
 * done all they had to at that instant; the engines burn fake time.
 * Slices, shares, caps and hang_ms are checked exactly: a loaded
 * machine makes the test slower, never different.
 */
FIXTURE(clocked) {
	struct world w;
};

FIXTURE_SETUP(clocked)
{
	shim_clock_fake();
	make_world(_metadata, &self->w);
}

FIXTURE_TEARDOWN(clocked)
{
	end_world(_metadata, &self->w);
	shim_clock_real();
	shim_state.hrtimer_late_ns = 0;
}

static struct fg *guest(struct world *w, int i,
			const struct mvgpu_type_desc *type)
{
	char name[16];

	snprintf(name, sizeof(name), "vgpu%d", i);
	memset(&w->g[i], 0, sizeof(w->g[i]));
	if (fg_init(&w->g[i], &w->pgpu, type, GUEST_PAGES, name))
		return NULL;
	w->live[i] = true;
	return &w->g[i];
}

/*
 * Close guest @i and remove its vGPU, as mdev removal does; the pins
 * its pages held once closed.
 */
static long remove_guest(struct world *w, int i)
{
	long pins;

	fg_close(&w->g[i]);
	pins = fg_pins(&w->g[i]);
	fg_fini(&w->g[i]);
	w->live[i] = false;
	return pins;
}

static struct fg_csb *ev(struct fg *g, unsigned int engine, unsigned int i)
{
	return &g->log[engine][i];
}

static u32 ctx_id(int guest, unsigned int engine, int n)
{
	return 0x1000 * (guest + 1) + 0x100 * engine + n;
}

/* A workload that makes no noise: a few NOOPs and an arbitration point. */
static void emit_nop(struct fg_ctx *c)
{
	FG_EMIT(c, MVGPU_MI_ARB_CHECK, MVGPU_MI_NOOP);
}

/* Run @fn(@arg) on a thread of its own. */
struct job {
	pthread_t thread;
	void (*fn)(void *arg);
	void *arg;
	bool done;
};

static void *job_main(void *p)
{
	struct job *j = p;

	j->fn(j->arg);
	__atomic_store_n(&j->done, true, __ATOMIC_SEQ_CST);
	return NULL;
}

static void job_start(struct job *j, void (*fn)(void *), void *arg)
{
	j->fn = fn;
	j->arg = arg;
	j->done = false;
	if (pthread_create(&j->thread, NULL, job_main, j))
		abort();
}

/* Has the job finished within @ms? */
static bool job_wait(struct job *j, unsigned int ms)
{
	u64 end = ktime_get_ns() + (u64)ms * NSEC_PER_MSEC;

	while (!__atomic_load_n(&j->done, __ATOMIC_SEQ_CST)) {
		if (ktime_get_ns() > end)
			return false;
		usleep_range(200, 300);
	}
	return true;
}

static void job_join(struct job *j)
{
	pthread_join(j->thread, NULL);
}

/* Wait until @cond, at most WAIT_MS; its value then. */
#define WAIT_FOR(cond) ({						\
	u64 __end = ktime_get_ns() + WAIT_MS * NSEC_PER_MSEC;		\
	bool __ok;							\
									\
	while (!(__ok = (cond)) && ktime_get_ns() < __end)		\
		usleep_range(200, 300);					\
	__ok;								\
})

/*
 * Workloads of three vGPUs on both engines: each vGPU engine's
 * workloads are delivered in the order they were submitted, with the
 * CSB entries a GPU would write (the first behind IDLE_TO_ACTIVE, the
 * last ACTIVE_TO_IDLE, ELEMENT_SWITCH between), their stores done, the
 * guest's image left with the ring head at the tail and the GPRs of the
 * last workload; each workload continues from the GPRs its predecessor
 * left, even while that one was still in flight at submission.  The
 * workloads wait at a gate until all are queued, so the engines are
 * contended and preempted meanwhile.
 */
TEST_F(world, workloads_complete_in_order)
{
	struct fg_ctx ctx[NGUESTS][MVGPU_NUM_ENGINES];
	const struct fbe_knob gate = { .gate = true };
	u32 data[NGUESTS];
	unsigned int e, k;
	int i;

	for (i = 0; i < NGUESTS; i++) {
		struct fg *g = guest(&self->w, i, i ? V1_4 : V1_8);

		ASSERT_NE(NULL, g);
		data[i] = fg_alloc(g, 1);
		for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
			fg_ctx_init(g, &ctx[i][e], e, ctx_id(i, e, 0));
			fbe_set_knob(self->w.fbe, ctx_id(i, e, 0), &gate);
		}
	}
	/* workload k: GPR1 as it found it to data[k], then GPR1 = k */
	for (k = 1; k <= 4; k++) {
		for (i = 0; i < NGUESTS; i++) {
			for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
				struct fg_ctx *c = &ctx[i][e];
				u32 slot = data[i] + 256 * e + 4 * k;

				FG_SRM(c, MVGPU_RING_GPR(1), slot);
				FG_LRI(c, MVGPU_RING_GPR(1), 0x100 * e + k);
				FG_SDI(c, slot + 64, 0xc0de0000 | k);
				emit_nop(c);
				ASSERT_EQ(0, fg_submit(&self->w.g[i], c, NULL));
			}
		}
	}
	for (i = 0; i < NGUESTS; i++)
		for (e = 0; e < MVGPU_NUM_ENGINES; e++)
			fbe_open_gate(self->w.fbe, ctx_id(i, e, 0));
	for (i = 0; i < NGUESTS; i++) {
		struct fg *g = &self->w.g[i];

		for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
			struct fg_ctx *c = &ctx[i][e];

			ASSERT_TRUE(fg_wait_events(g, e, 5, WAIT_MS));
			EXPECT_EQ(5, fg_poll(g, e));
			EXPECT_EQ(MVGPU_CSB_IDLE_TO_ACTIVE, ev(g, e, 0)->status);
			for (k = 1; k <= 4; k++) {
				u32 want = MVGPU_CSB_COMPLETE |
					   (k < 4 ? MVGPU_CSB_ELEMENT_SWITCH :
						    MVGPU_CSB_ACTIVE_TO_IDLE);

				EXPECT_EQ(want, ev(g, e, k)->status);
				EXPECT_EQ(c->id, ev(g, e, k)->ctx_id);
				EXPECT_EQ(k == 1 ? 0 : 0x100 * e + k - 1,
					  fg_read(g, data[i] + 256 * e + 4 * k));
				EXPECT_EQ(0xc0de0000 | k,
					  fg_read(g, data[i] + 256 * e + 4 * k + 64));
			}
			EXPECT_EQ(c->tail, fg_img(c, MVGPU_CTX_RING_HEAD));
			EXPECT_EQ(0x100 * e + 4, fg_img(c, MVGPU_CTX_GPR(1)));
			EXPECT_EQ(c->tail, fg_reg(g, (e ? MVGPU_BCS_BASE :
						      MVGPU_RCS_BASE) +
						  MVGPU_RING_HEAD));
		}
		EXPECT_EQ(8, atomic64_read(&g->vgpu.stats.completed));
	}
}

/* Another thread holds a vGPU's lock until told to let go. */
struct holder {
	struct job job;
	struct mutex *lock;
	bool held;
	bool release;
};

static void hold_lock(void *arg)
{
	struct holder *h = arg;

	mutex_lock(h->lock);
	__atomic_store_n(&h->held, true, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&h->release, __ATOMIC_SEQ_CST))
		usleep_range(200, 300);
	mutex_unlock(h->lock);
}

static bool hold(struct holder *h, struct mutex *lock)
{
	memset(h, 0, sizeof(*h));
	h->lock = lock;
	job_start(&h->job, hold_lock, h);
	return WAIT_FOR(__atomic_load_n(&h->held, __ATOMIC_SEQ_CST));
}

static void let_go(struct holder *h)
{
	__atomic_store_n(&h->release, true, __ATOMIC_SEQ_CST);
	job_join(&h->job);
}

/*
 * Issue 15 item 3: the scheduler threads never take a vGPU's lock.  One
 * vGPU's lock is held by another thread (a VMM stuck in a page fault
 * under it, say) while its workload completes; another vGPU's work on
 * both engines is still delivered, and the first hears of its own once
 * its lock is free.
 */
TEST_F(world, held_vgpu_lock_delays_only_its_vgpu)
{
	struct fg *a = guest(&self->w, 0, V1_8), *b = guest(&self->w, 1, V1_8);
	const struct fbe_knob gate = { .gate = true };
	struct fbe_ctx_stats st;
	struct fg_ctx ca, cb[MVGPU_NUM_ENGINES];
	struct holder h;
	unsigned int e;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	fg_ctx_init(a, &ca, MVGPU_ENGINE_RCS, ctx_id(0, 0, 0));
	fbe_set_knob(self->w.fbe, ca.id, &gate);
	emit_nop(&ca);
	ASSERT_EQ(0, fg_submit(a, &ca, NULL));
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		fg_ctx_init(b, &cb[e], e, ctx_id(1, e, 0));

	ASSERT_TRUE(hold(&h, &a->vgpu.lock));
	fbe_open_gate(self->w.fbe, ca.id);
	ASSERT_TRUE(WAIT_FOR(fbe_ctx_stats(self->w.fbe, ca.id, &st) &&
			     st.completed == 1));
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		emit_nop(&cb[e]);
		ASSERT_EQ(0, fg_submit(b, &cb[e], NULL));
	}
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		EXPECT_TRUE(fg_wait_events(b, e, 2, WAIT_MS));
	/* and more of it, behind the first */
	emit_nop(&cb[0]);
	ASSERT_EQ(0, fg_submit(b, &cb[0], NULL));
	EXPECT_TRUE(fg_wait_events(b, 0, 4, WAIT_MS));
	let_go(&h);

	ASSERT_TRUE(fg_wait_events(a, 0, 2, WAIT_MS));
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE,
		  ev(a, 0, 1)->status);
}

/*
 * The same with a VMM that does not answer guest memory accesses: the
 * vGPU's delivery blocks in them, holding its lock; the other vGPU's
 * work goes on.
 */
TEST_F(world, blocked_guest_memory_delays_only_its_vgpu)
{
	struct fg *a = guest(&self->w, 0, V1_8), *b = guest(&self->w, 1, V1_8);
	const struct fbe_knob gate = { .gate = true };
	struct fg_ctx ca, cb;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	fg_ctx_init(a, &ca, MVGPU_ENGINE_BCS, ctx_id(0, 1, 0));
	fg_ctx_init(b, &cb, MVGPU_ENGINE_BCS, ctx_id(1, 1, 0));
	fbe_set_knob(self->w.fbe, ca.id, &gate);
	emit_nop(&ca);
	ASSERT_EQ(0, fg_submit(a, &ca, NULL));
	fg_block_rw(a, true);
	fbe_open_gate(self->w.fbe, ca.id);
	ASSERT_TRUE(WAIT_FOR(fg_rw_blocked(a) == 1));

	emit_nop(&cb);
	ASSERT_EQ(0, fg_submit(b, &cb, NULL));
	EXPECT_TRUE(fg_wait_events(b, 1, 2, WAIT_MS));
	EXPECT_EQ(1, fg_rw_blocked(a));
	fg_block_rw(a, false);
	EXPECT_TRUE(fg_wait_events(a, 1, 2, WAIT_MS));
}

struct gdrst {
	struct fg *g;
	u32 bits;
};

static void write_gdrst(void *arg)
{
	struct gdrst *r = arg;

	fg_reg_write(r->g, MVGPU_GDRST, r->bits);
}

static void read_runtime(void *arg)
{
	struct fg *g = arg;

	mvgpu_sched_runtime(&g->vgpu.pgpu->sched,
			    &g->vgpu.queue[MVGPU_ENGINE_RCS]);
}

/*
 * Issue 15 item 6: a vGPU's engine reset (mvgpu_sched_stop_queue())
 * while the physical engine is slow to reset holds up neither another
 * vGPU's submissions and completions on the other engine nor the
 * scheduler's lock; the other vGPU's work for the engine being reset
 * waits for it and then runs.
 */
TEST_F(world, slow_engine_reset_blocks_no_one_else)
{
	struct fg *a = guest(&self->w, 0, V1_8), *b = guest(&self->w, 1, V1_8);
	const struct fbe_knob hang = { .run_us = ~0U };
	struct gdrst reset = { .g = a, .bits = MVGPU_GDRST_RENDER };
	struct fg_ctx ca, cb_rcs, cb_bcs;
	struct job resetter, reader;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	fg_ctx_init(a, &ca, MVGPU_ENGINE_RCS, ctx_id(0, 0, 0));
	fg_ctx_init(b, &cb_rcs, MVGPU_ENGINE_RCS, ctx_id(1, 0, 0));
	fg_ctx_init(b, &cb_bcs, MVGPU_ENGINE_BCS, ctx_id(1, 1, 0));
	fbe_set_knob(self->w.fbe, ca.id, &hang);
	emit_nop(&ca);
	ASSERT_EQ(0, fg_submit(a, &ca, NULL));
	ASSERT_TRUE(WAIT_FOR(fbe_running(self->w.fbe, 0) == ca.id));

	fbe_hold_reset(self->w.fbe, MVGPU_ENGINE_RCS, true);
	job_start(&resetter, write_gdrst, &reset);
	ASSERT_TRUE(WAIT_FOR(fbe_resets(self->w.fbe, MVGPU_ENGINE_RCS) == 1));

	/* the scheduler's lock is free */
	job_start(&reader, read_runtime, b);
	EXPECT_TRUE(job_wait(&reader, 1000));
	/* b submits on both engines; the other engine runs its work */
	emit_nop(&cb_rcs);
	emit_nop(&cb_bcs);
	EXPECT_EQ(0, fg_submit(b, &cb_rcs, NULL));
	EXPECT_EQ(0, fg_submit(b, &cb_bcs, NULL));
	EXPECT_TRUE(fg_wait_events(b, MVGPU_ENGINE_BCS, 2, WAIT_MS));
	EXPECT_FALSE(job_wait(&resetter, 1));
	EXPECT_EQ(0, fg_poll(b, MVGPU_ENGINE_RCS));

	fbe_hold_reset(self->w.fbe, MVGPU_ENGINE_RCS, false);
	EXPECT_TRUE(job_wait(&resetter, WAIT_MS));
	job_join(&resetter);
	job_join(&reader);
	EXPECT_TRUE(fg_wait_events(b, MVGPU_ENGINE_RCS, 2, WAIT_MS));
	/* a's workload was dropped by the reset: never delivered */
	EXPECT_EQ(0, fg_poll(a, MVGPU_ENGINE_RCS));
}

/* How far @got is from @want, either way. */
static u64 dist(u64 got, u64 want)
{
	return got > want ? got - want : want - got;
}

/**
 * struct duel - two vGPUs with endless work on the RCS for 400 ms
 * @g: the guests
 * @runtime: what the scheduler charged each
 * @st: what the backend counted for each one's context
 */
struct duel {
	struct fg *g[2];
	u64 runtime[2];
	struct fbe_ctx_stats st[2];
};

/* Run a duel of guests 0 and 1 of @types, their contexts with @knobs. */
static void duel(struct __test_metadata *_metadata, struct world *w,
		 const struct mvgpu_type_desc *const types[2],
		 const struct fbe_knob knobs[2], struct duel *d)
{
	struct fg_ctx c[2];
	int i;

	for (i = 0; i < 2; i++) {
		d->g[i] = guest(w, i, types[i]);
		ASSERT_NE(NULL, d->g[i]);
		fg_ctx_init(d->g[i], &c[i], MVGPU_ENGINE_RCS, ctx_id(i, 0, 0));
		fbe_set_knob(w->fbe, c[i].id, &knobs[i]);
		emit_nop(&c[i]);
	}
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, fg_submit(d->g[i], &c[i], NULL));
	msleep(400);
	for (i = 0; i < 2; i++)
		d->runtime[i] = mvgpu_sched_runtime(&w->pgpu.sched,
						    &d->g[i]->vgpu.queue[0]);
	for (i = 0; i < 2; i++)
		ASSERT_TRUE(fbe_ctx_stats(w->fbe, c[i].id, &d->st[i]));
}

/*
 * Two vGPUs of weights 8 and 16 with endless work on one engine share
 * it 1:2: over 400 ms the engine never idles and each gets its share to
 * within a slice (1 ms), being preempted after its slice again and
 * again; the backend counts the same engine time as the scheduler.
 */
TEST_F(clocked, weighted_fair_share)
{
	const struct mvgpu_type_desc *const types[2] = { V1_8, V1_4 };
	const struct fbe_knob busy[2] = { { .run_us = ~0U }, { .run_us = ~0U } };
	const u64 period = 400 * NSEC_PER_MSEC, slice = NSEC_PER_MSEC;
	struct fbe_ctx_stats *sa, *sb;
	struct duel d;
	u64 ra, rb;

	duel(_metadata, &self->w, types, busy, &d);
	ra = d.runtime[0];
	rb = d.runtime[1];
	sa = &d.st[0];
	sb = &d.st[1];
	TH_LOG("runtime: weight 8 %llu us, weight 16 %llu us; backend %llu and %llu us, preempted %llu and %llu times",
	       ra / 1000, rb / 1000, sa->ran_ns / 1000, sb->ran_ns / 1000,
	       sa->preempted, sb->preempted);
	EXPECT_EQ(period, ra + rb);
	EXPECT_LE(dist(3 * ra, period), 3 * slice);
	EXPECT_LE(dist(3 * rb, 2 * period), 3 * slice);
	EXPECT_EQ(ra, sa->ran_ns);
	EXPECT_EQ(rb, sb->ran_ns);
	/* a's every slice ends in a preemption, b keeps it for two at most */
	EXPECT_EQ(ra / slice, sa->preempted);
	EXPECT_GE(sb->preempted, rb / slice / 2);
	/* no event about them reached the guests */
	EXPECT_EQ(0, fg_poll(d.g[0], 0));
	EXPECT_EQ(0, fg_poll(d.g[1], 0));
}

/*
 * A vGPU is charged the engine time the backend counts, not the time its
 * workload held the engine: the engine thread's work for the host while
 * a context is on it (here 500 us at each arbitration point of a's; in
 * the software GPU, its callbacks into the core, which may wait for the
 * scheduler's lock) is nobody's.  Charged by time held, a got about half
 * the engine time of b, equal in weight.
 */
TEST_F(clocked, charges_are_the_backends_engine_time)
{
	const struct mvgpu_type_desc *const types[2] = { V1_8, V1_8 };
	const struct fbe_knob knobs[2] = {
		{ .run_us = ~0U, .host_us = 500 }, { .run_us = ~0U },
	};
	const u64 slice = NSEC_PER_MSEC;
	struct duel d;

	duel(_metadata, &self->w, types, knobs, &d);
	TH_LOG("charged: a %llu us, b %llu us; backend's engine time %llu and %llu us",
	       d.runtime[0] / 1000, d.runtime[1] / 1000,
	       d.st[0].ran_ns / 1000, d.st[1].ran_ns / 1000);
	/* up to the slice each is in, not yet in the backend's count */
	EXPECT_LE(dist(d.runtime[0], d.st[0].ran_ns), slice);
	EXPECT_LE(dist(d.runtime[1], d.st[1].ran_ns), slice);
	EXPECT_LE(dist(d.st[0].ran_ns, d.st[1].ran_ns), 3 * slice);
	EXPECT_GE(d.st[0].ran_ns + d.st[1].ran_ns, 250 * slice);
}

/* Give guest @i a workload on @engine that never ends on its own. */
static void endless(struct __test_metadata *_metadata, struct world *w,
		    int i, unsigned int engine, struct fg_ctx *c)
{
	const struct fbe_knob busy = { .run_us = ~0U };

	fg_ctx_init(&w->g[i], c, engine, ctx_id(i, engine, 0));
	fbe_set_knob(w->fbe, c->id, &busy);
	emit_nop(c);
	ASSERT_EQ(0, fg_submit(&w->g[i], c, NULL));
}

/* Engine time the backend gave context @c, in ns. */
static u64 engine_ns(struct world *w, const struct fg_ctx *c)
{
	struct fbe_ctx_stats st = { };

	fbe_ctx_stats(w->fbe, c->id, &st);
	return st.ran_ns;
}

/*
 * Engine time context @c had on the backend over 300 ms, after 20 ms
 * for the scheduler to settle.
 */
static u64 engine_ns_over_300ms(struct world *w, const struct fg_ctx *c)
{
	u64 a0;

	msleep(20);
	a0 = engine_ns(w, c);
	msleep(300);
	return engine_ns(w, c) - a0;
}

/* Times the backend preempted context @c. */
static u64 preemptions(struct world *w, const struct fg_ctx *c)
{
	struct fbe_ctx_stats st = { };

	fbe_ctx_stats(w->fbe, c->id, &st);
	return st.preempted;
}

/*
 * Slices are timed with an hrtimer: two equal vGPUs with endless work
 * take turns every 1 ms, more often than a jiffy (4 ms at HZ=250) would
 * allow, and every 30 ms once the slice is 30 ms, as the backend counts
 * preemptions and engine time: every slice lasts exactly its length.
 */
TEST_F(clocked, slices_last_the_configured_time)
{
	struct fg *a = guest(&self->w, 0, V1_8), *b = guest(&self->w, 1, V1_8);
	struct mvgpu_pgpu *pgpu = &self->w.pgpu;
	struct fbe_ctx_stats sa, sb;
	struct fg_ctx ca, cb;
	u64 n0, n1, a0, b0;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	EXPECT_EQ(1000, mvgpu_pgpu_slice_us(pgpu));
	endless(_metadata, &self->w, 0, MVGPU_ENGINE_RCS, &ca);
	endless(_metadata, &self->w, 1, MVGPU_ENGINE_RCS, &cb);
	msleep(20);
	n0 = preemptions(&self->w, &ca) + preemptions(&self->w, &cb);
	msleep(200);
	n1 = preemptions(&self->w, &ca) + preemptions(&self->w, &cb);
	ASSERT_TRUE(fbe_ctx_stats(self->w.fbe, ca.id, &sa));
	ASSERT_TRUE(fbe_ctx_stats(self->w.fbe, cb.id, &sb));
	TH_LOG("1 ms slices: %llu preemptions in 200 ms; %llu and %llu us in %llu and %llu slices",
	       n1 - n0, sa.ran_ns / 1000, sb.ran_ns / 1000, sa.preempted,
	       sb.preempted);
	EXPECT_EQ(200, n1 - n0);
	/* each one's slices so far, all ended: 1 ms each, 220 ms in all */
	EXPECT_EQ(sa.preempted * NSEC_PER_MSEC, sa.ran_ns);
	EXPECT_EQ(sb.preempted * NSEC_PER_MSEC, sb.ran_ns);
	EXPECT_EQ(220 * NSEC_PER_MSEC, sa.ran_ns + sb.ran_ns);

	ASSERT_EQ(0, mvgpu_pgpu_set_slice_us(pgpu, 30000));
	EXPECT_EQ(30000, mvgpu_pgpu_slice_us(pgpu));
	n0 = n1;
	a0 = sa.ran_ns;
	b0 = sb.ran_ns;
	msleep(300);
	n1 = preemptions(&self->w, &ca) + preemptions(&self->w, &cb);
	ASSERT_TRUE(fbe_ctx_stats(self->w.fbe, ca.id, &sa));
	ASSERT_TRUE(fbe_ctx_stats(self->w.fbe, cb.id, &sb));
	TH_LOG("30 ms slices: %llu preemptions in 300 ms; %llu, %llu us more",
	       n1 - n0, (sa.ran_ns - a0) / 1000, (sb.ran_ns - b0) / 1000);
	EXPECT_EQ(10, n1 - n0);
	EXPECT_EQ(150 * NSEC_PER_MSEC, sa.ran_ns - a0);
	EXPECT_EQ(150 * NSEC_PER_MSEC, sb.ran_ns - b0);
	EXPECT_EQ(-EINVAL, mvgpu_pgpu_set_slice_us(pgpu, 999));
	EXPECT_EQ(-EINVAL, mvgpu_pgpu_set_slice_us(pgpu, 30001));
	EXPECT_EQ(30000, mvgpu_pgpu_slice_us(pgpu));
}

/*
 * Slices end on time even when the host runs the scheduler's thread late
 * (here every hrtimer fires 5 ms after it is due, as in a test VM short
 * of CPUs): the engine checks the slice itself, at an arbitration point,
 * when the alarm the scheduler gave it rings (mvgpu_backend_ops.set_alarm).
 */
TEST_F(clocked, slices_end_on_time_when_the_timer_is_late)
{
	struct fg *a = guest(&self->w, 0, V1_8), *b = guest(&self->w, 1, V1_8);
	struct fbe_ctx_stats sa, sb, sa0, sb0;
	struct fg_ctx ca, cb;
	u64 n0, n1;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	shim_state.hrtimer_late_ns = 5 * NSEC_PER_MSEC;
	endless(_metadata, &self->w, 0, MVGPU_ENGINE_BCS, &ca);
	endless(_metadata, &self->w, 1, MVGPU_ENGINE_BCS, &cb);
	msleep(20);
	n0 = preemptions(&self->w, &ca) + preemptions(&self->w, &cb);
	ASSERT_TRUE(fbe_ctx_stats(self->w.fbe, ca.id, &sa0));
	ASSERT_TRUE(fbe_ctx_stats(self->w.fbe, cb.id, &sb0));
	msleep(200);
	n1 = preemptions(&self->w, &ca) + preemptions(&self->w, &cb);
	ASSERT_TRUE(fbe_ctx_stats(self->w.fbe, ca.id, &sa));
	ASSERT_TRUE(fbe_ctx_stats(self->w.fbe, cb.id, &sb));
	TH_LOG("1 ms slices, timers 5 ms late: %llu preemptions in 200 ms; %llu and %llu us in %llu and %llu slices (before: %llu and %llu us in %llu and %llu)",
	       n1 - n0, (sa.ran_ns - sa0.ran_ns) / 1000,
	       (sb.ran_ns - sb0.ran_ns) / 1000, sa.preempted - sa0.preempted,
	       sb.preempted - sb0.preempted, sa0.ran_ns / 1000,
	       sb0.ran_ns / 1000, sa0.preempted, sb0.preempted);
	EXPECT_EQ(200, n1 - n0);
	EXPECT_EQ((sa.preempted - sa0.preempted) * NSEC_PER_MSEC,
		  sa.ran_ns - sa0.ran_ns);
	EXPECT_EQ((sb.preempted - sb0.preempted) * NSEC_PER_MSEC,
		  sb.ran_ns - sb0.ran_ns);
}

/*
 * A vGPU alone on the engine with no limit has no slice to end, and is
 * not sliced: nothing is preempted for nobody.  One that submits
 * meanwhile gets the engine at once, and from then on the two take
 * turns every slice, as the backend counts them.
 */
TEST_F(clocked, a_lone_vgpu_runs_unsliced_until_another_submits)
{
	struct fg *a = guest(&self->w, 0, V1_8), *b = guest(&self->w, 1, V1_8);
	struct fg_ctx ca, cb;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	endless(_metadata, &self->w, 0, MVGPU_ENGINE_RCS, &ca);
	msleep(100);
	EXPECT_EQ(0, preemptions(&self->w, &ca));
	endless(_metadata, &self->w, 1, MVGPU_ENGINE_RCS, &cb);
	msleep(1);
	/* the backend counts a context's time when it leaves the engine */
	TH_LOG("1 ms after the other's submission: %llu preemptions, %llu and %llu us on the engine",
	       preemptions(&self->w, &ca), engine_ns(&self->w, &ca) / 1000,
	       engine_ns(&self->w, &cb) / 1000);
	EXPECT_EQ(1, preemptions(&self->w, &ca));
	EXPECT_EQ(100 * NSEC_PER_MSEC, engine_ns(&self->w, &ca));
	EXPECT_EQ(NSEC_PER_MSEC, engine_ns(&self->w, &cb));
	/* placed against the lone one's time: no credit for its 100 ms */
	msleep(20);
	EXPECT_EQ(22, preemptions(&self->w, &ca) + preemptions(&self->w, &cb));
	EXPECT_EQ(110 * NSEC_PER_MSEC, engine_ns(&self->w, &ca));
	EXPECT_EQ(11 * NSEC_PER_MSEC, engine_ns(&self->w, &cb));
}

/*
 * A slice is the vGPU's turn on the engine, not a workload's: when
 * element 0 of a pair ends and the engine goes on with element 1, the
 * slice goes on.  Here an 8 ms element 0, then an endless element 1,
 * while another vGPU has waited since 2 ms: element 1 is preempted at
 * 12 ms, the end of the pair's 12 ms slice, not 12 ms after it began
 * (the other vGPU would then have waited 18 ms, one slice and a half).
 */
TEST_F(clocked, a_pair_shares_one_slice)
{
	struct fg *a = guest(&self->w, 0, V1_8), *b = guest(&self->w, 1, V1_8);
	const struct fbe_knob eight = { .run_us = 8000 }, busy = { .run_us = ~0U };
	struct fg_ctx c0, c1, cb;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	ASSERT_EQ(0, mvgpu_pgpu_set_slice_us(&self->w.pgpu, 12000));
	fg_ctx_init(a, &c0, MVGPU_ENGINE_RCS, ctx_id(0, 0, 0));
	fg_ctx_init(a, &c1, MVGPU_ENGINE_RCS, ctx_id(0, 0, 1));
	fbe_set_knob(self->w.fbe, c0.id, &eight);
	fbe_set_knob(self->w.fbe, c1.id, &busy);
	emit_nop(&c0);
	emit_nop(&c1);
	ASSERT_EQ(0, fg_submit(a, &c0, &c1));
	msleep(2);
	endless(_metadata, &self->w, 1, MVGPU_ENGINE_RCS, &cb);
	msleep(24);
	/* the backend counts a context's time when it leaves the engine */
	TH_LOG("after 26 ms: element 0 %llu us, element 1 %llu us (%llu preemptions), the other %llu us",
	       engine_ns(&self->w, &c0) / 1000, engine_ns(&self->w, &c1) / 1000,
	       preemptions(&self->w, &c1), engine_ns(&self->w, &cb) / 1000);
	EXPECT_EQ(8 * NSEC_PER_MSEC, engine_ns(&self->w, &c0));
	EXPECT_EQ(1, preemptions(&self->w, &c1));
	EXPECT_EQ(4 * NSEC_PER_MSEC, engine_ns(&self->w, &c1));
	EXPECT_EQ(12 * NSEC_PER_MSEC, engine_ns(&self->w, &cb));
}

/* The module parameter sets each new pGPU's slice; out of range, 1 ms. */
TEST(slice_module_parameter_sets_the_initial_slice)
{
	static const struct { unsigned int param, want; } cases[] = {
		{ 5000, 5000 }, { 30000, 30000 }, { 999, 1000 }, { 30001, 1000 },
	};
	struct world *w = calloc(1, sizeof(*w));
	unsigned int i;

	ASSERT_NE(NULL, w);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		shim_param_set("sched_slice_us", cases[i].param);
		make_world(_metadata, w);
		EXPECT_EQ(cases[i].want, mvgpu_pgpu_slice_us(&w->pgpu));
		end_world(_metadata, w);
	}
	free(w);
}

/*
 * Fixed share: a vGPU of weight 8 among weights 8 + 16 + 8, alone busy,
 * gets exactly its quarter of the engine by the backend's count, the
 * engine idling the rest; a cap of 30% holds the same way in best
 * effort, and a cap of 20% against a busy neighbour gives that one the
 * rest, the engine never idle.
 */
TEST_F(clocked, fixed_share_and_cap_hold_on_the_backend)
{
	struct fg *a = guest(&self->w, 0, V1_8), *b = guest(&self->w, 1, V1_4);
	struct fg *c = guest(&self->w, 2, V1_8);
	struct mvgpu_pgpu *pgpu = &self->w.pgpu;
	struct fg_ctx ca, cb;
	u64 ra, rb, a0, b0;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, mvgpu_pgpu_set_sched_mode(pgpu, MVGPU_SCHED_FIXED_SHARE));
	EXPECT_EQ(MVGPU_SCHED_FIXED_SHARE, mvgpu_pgpu_sched_mode(pgpu));
	endless(_metadata, &self->w, 0, MVGPU_ENGINE_RCS, &ca);
	ra = engine_ns_over_300ms(&self->w, &ca);
	TH_LOG("fixed share 0.25, alone: %llu us of 300 ms", ra / 1000);
	EXPECT_EQ(300 * NSEC_PER_MSEC / 4, ra);

	ASSERT_EQ(0, mvgpu_pgpu_set_sched_mode(pgpu, MVGPU_SCHED_BEST_EFFORT));
	ASSERT_EQ(0, mvgpu_vgpu_set_sched_cap(&a->vgpu, 30));
	EXPECT_EQ(30, mvgpu_vgpu_sched_cap(&a->vgpu));
	ra = engine_ns_over_300ms(&self->w, &ca);
	TH_LOG("cap 30%%, alone: %llu us of 300 ms", ra / 1000);
	EXPECT_EQ(300 * NSEC_PER_MSEC * 30 / 100, ra);

	ASSERT_EQ(0, mvgpu_vgpu_set_sched_cap(&a->vgpu, 20));
	endless(_metadata, &self->w, 1, MVGPU_ENGINE_RCS, &cb);
	msleep(20);
	a0 = engine_ns(&self->w, &ca);
	b0 = engine_ns(&self->w, &cb);
	msleep(300);
	ra = engine_ns(&self->w, &ca) - a0;
	rb = engine_ns(&self->w, &cb) - b0;
	TH_LOG("cap 20%% against a busy neighbour: %llu and %llu us of 300 ms",
	       ra / 1000, rb / 1000);
	EXPECT_EQ(300 * NSEC_PER_MSEC * 20 / 100, ra);
	EXPECT_EQ(300 * NSEC_PER_MSEC * 80 / 100, rb);
	EXPECT_EQ(-EINVAL, mvgpu_vgpu_set_sched_cap(&a->vgpu, 101));
	EXPECT_EQ(20, mvgpu_vgpu_sched_cap(&a->vgpu));
	EXPECT_EQ(0, fg_poll(a, 0));
	EXPECT_EQ(0, fg_poll(b, 0));
}

struct flipper {
	struct world *w;
	int rounds;
};

/*
 * Change mode, slice and caps every few ms, as an operator might: each
 * usleep_range() moves the fake clock, and the threads each change
 * kicks race with the next change.
 */
static void flip_policy(void *arg)
{
	static const u32 slices[] = { 1000, 7000, 30000, 2000 };
	static const u32 caps[] = { 0, 50, 10 };
	struct flipper *f = arg;
	struct mvgpu_pgpu *pgpu = &f->w->pgpu;
	int i;

	for (i = 0; i < f->rounds; i++) {
		mvgpu_pgpu_set_sched_mode(pgpu, i % MVGPU_SCHED_NR_MODES);
		mvgpu_pgpu_set_slice_us(pgpu, slices[i % 4]);
		mvgpu_vgpu_set_sched_cap(&f->w->g[i % NGUESTS].vgpu, caps[i % 3]);
		usleep_range(2000, 4000);
	}
}

/*
 * Switching policy, slice and caps while three vGPUs keep both engines
 * busy: nothing breaks (the backend's contract holds, nothing leaks, no
 * event reaches a guest), and once back in best effort without caps
 * every vGPU makes progress on both engines.
 */
TEST_F(clocked, policy_switch_under_load)
{
	struct fg_ctx ctx[NGUESTS][MVGPU_NUM_ENGINES];
	struct flipper f = { .w = &self->w, .rounds = 60 };
	u64 before[NGUESTS][MVGPU_NUM_ENGINES];
	struct job j;
	int i, e;

	for (i = 0; i < NGUESTS; i++)
		ASSERT_NE(NULL, guest(&self->w, i, i == 1 ? V1_4 : V1_8));
	for (i = 0; i < NGUESTS; i++)
		for (e = 0; e < MVGPU_NUM_ENGINES; e++)
			endless(_metadata, &self->w, i, e, &ctx[i][e]);
	/* the flipper alone moves the clock meanwhile */
	job_start(&j, flip_policy, &f);
	job_join(&j);
	ASSERT_EQ(0, mvgpu_pgpu_set_sched_mode(&self->w.pgpu, MVGPU_SCHED_BEST_EFFORT));
	ASSERT_EQ(0, mvgpu_pgpu_set_slice_us(&self->w.pgpu, 1000));
	for (i = 0; i < NGUESTS; i++) {
		ASSERT_EQ(0, mvgpu_vgpu_set_sched_cap(&self->w.g[i].vgpu, 0));
		for (e = 0; e < MVGPU_NUM_ENGINES; e++)
			before[i][e] = engine_ns(&self->w, &ctx[i][e]);
	}
	msleep(150);
	for (i = 0; i < NGUESTS; i++) {
		for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
			u64 ran = engine_ns(&self->w, &ctx[i][e]) - before[i][e];

			TH_LOG("vgpu%d engine %d: %llu ms after the switches", i, e,
			       (unsigned long long)ran / 1000000);
			EXPECT_GT(ran, 5 * NSEC_PER_MSEC);
		}
		EXPECT_EQ(0, fg_poll(&self->w.g[i], 0));
		EXPECT_EQ(0, fg_poll(&self->w.g[i], 1));
	}
}

/*
 * hang_ms counts a workload's engine time over all its slices: two
 * workloads of two vGPUs that never finish, each preempted every slice
 * for the other, both end with HANG once each has had hang_ms in all
 * (no slice is that long); the work the first vGPU queued behind its
 * workload on that engine is dropped, never delivered, and the vGPU can
 * submit again at once.  (That the dropped work does not run at all is
 * hang.queued_work_never_runs.)
 */
TEST_F(clocked, hang_over_slices_drops_queued_work)
{
	struct fg *a, *b;
	const struct fbe_knob hang = { .run_us = ~0U }, none = { };
	struct fbe_ctx_stats st;
	struct fg_ctx ca, cq, cb;
	u32 data;

	shim_param_set("hang_ms", 60);
	a = guest(&self->w, 0, V1_8);
	b = guest(&self->w, 1, V1_8);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	data = fg_alloc(a, 1);
	fg_ctx_init(a, &ca, MVGPU_ENGINE_RCS, ctx_id(0, 0, 0));
	fg_ctx_init(a, &cq, MVGPU_ENGINE_RCS, ctx_id(0, 0, 1));
	fg_ctx_init(b, &cb, MVGPU_ENGINE_RCS, ctx_id(1, 0, 0));
	fbe_set_knob(self->w.fbe, ca.id, &hang);
	fbe_set_knob(self->w.fbe, cq.id, &none);
	fbe_set_knob(self->w.fbe, cb.id, &hang);
	emit_nop(&ca);
	FG_SDI(&cq, data, 0x5ad);
	ASSERT_EQ(0, fg_submit(b, &cb, NULL));
	ASSERT_EQ(0, fg_submit(a, &ca, &cq));

	ASSERT_TRUE(fg_wait_events(a, 0, 2, WAIT_MS));
	msleep(20);
	EXPECT_EQ(2, fg_poll(a, 0));
	EXPECT_EQ(MVGPU_CSB_IDLE_TO_ACTIVE, ev(a, 0, 0)->status);
	EXPECT_EQ(MVGPU_CSB_ERROR | MVGPU_CSB_ACTIVE_TO_IDLE,
		  ev(a, 0, 1)->status);
	EXPECT_EQ(ca.id, ev(a, 0, 1)->ctx_id);
	EXPECT_EQ(MVGPU_ERR_HANG,
		  fg_reg(a, MVGPU_RCS_BASE + MVGPU_RING_ERR_STATUS) &
		  MVGPU_ERR_STATUS_CODE_MASK);
	EXPECT_EQ(MVGPU_ERR_HANG, fg_img(&ca, MVGPU_CTX_ERROR));
	EXPECT_EQ(1, atomic64_read(&a->vgpu.stats.hangs));
	/* 60 slices of 1 ms, the last one ended by the hang */
	ASSERT_TRUE(fbe_ctx_stats(self->w.fbe, ca.id, &st));
	TH_LOG("a hung after %llu us on the engine, preempted %llu times",
	       st.ran_ns / 1000, st.preempted);
	EXPECT_EQ(60, st.preempted);
	EXPECT_EQ(60 * NSEC_PER_MSEC, st.ran_ns);
	/* b's hung too, after as much engine time of its own */
	ASSERT_TRUE(fg_wait_events(b, 0, 2, WAIT_MS));
	EXPECT_EQ(MVGPU_CSB_ERROR | MVGPU_CSB_ACTIVE_TO_IDLE,
		  ev(b, 0, 1)->status);
	ASSERT_TRUE(fbe_ctx_stats(self->w.fbe, cb.id, &st));
	TH_LOG("b hung after %llu us on the engine, preempted %llu times",
	       st.ran_ns / 1000, st.preempted);
	EXPECT_EQ(60, st.preempted);
	EXPECT_EQ(60 * NSEC_PER_MSEC, st.ran_ns);

	/* a submits again: it runs */
	FG_SDI(&cq, data, 0x600d);
	ASSERT_EQ(0, fg_submit(a, &cq, NULL));
	ASSERT_TRUE(fg_wait_events(a, 0, 4, WAIT_MS));
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE,
		  ev(a, 0, 3)->status);
	EXPECT_EQ(0x600d, fg_read(a, data));
}

/*
 * The backend's watchdog stops a workload with HANG: delivered as an
 * error, and the vGPU engine's queued work is dropped as after any hang
 * (never delivered).
 */
TEST_F(clocked, watchdog_hang_drops_queued_work)
{
	struct fg *a = guest(&self->w, 0, V1_8);
	const struct fbe_knob gate = { .gate = true }, none = { };
	struct fg_ctx ca, cq;

	ASSERT_NE(NULL, a);
	fg_ctx_init(a, &ca, MVGPU_ENGINE_BCS, ctx_id(0, 1, 0));
	fg_ctx_init(a, &cq, MVGPU_ENGINE_BCS, ctx_id(0, 1, 1));
	fbe_set_knob(self->w.fbe, ca.id, &gate);
	fbe_set_knob(self->w.fbe, cq.id, &none);
	emit_nop(&ca);
	emit_nop(&cq);
	ASSERT_EQ(0, fg_submit(a, &ca, NULL));
	ASSERT_EQ(0, fg_submit(a, &cq, NULL));
	ASSERT_TRUE(WAIT_FOR(fbe_running(self->w.fbe, 1) == ca.id));
	fbe_inject_hang(self->w.fbe, MVGPU_ENGINE_BCS);
	ASSERT_TRUE(fg_wait_events(a, 1, 2, WAIT_MS));
	msleep(20);
	EXPECT_EQ(2, fg_poll(a, 1));
	EXPECT_EQ(MVGPU_CSB_ERROR | MVGPU_CSB_ACTIVE_TO_IDLE,
		  ev(a, 1, 1)->status);
	EXPECT_EQ(MVGPU_ERR_HANG,
		  fg_reg(a, MVGPU_BCS_BASE + MVGPU_RING_ERR_STATUS) &
		  MVGPU_ERR_STATUS_CODE_MASK);
	EXPECT_EQ(1, atomic64_read(&a->vgpu.stats.hangs));
}

/*
 * A preemption the scheduler did not ask for (the engine's own, at an
 * arbitration point): the workload goes back to the front of its queue,
 * resumes from its saved image and is delivered once.
 */
TEST_F(world, unasked_preemption_resumes)
{
	struct fg *a = guest(&self->w, 0, V1_8);
	const struct fbe_knob gate = { .gate = true };
	struct fbe_ctx_stats st;
	struct fg_ctx ca;
	u32 data;

	ASSERT_NE(NULL, a);
	data = fg_alloc(a, 1);
	fg_ctx_init(a, &ca, MVGPU_ENGINE_RCS, ctx_id(0, 0, 0));
	fbe_set_knob(self->w.fbe, ca.id, &gate);
	FG_SDI(&ca, data, 1);
	emit_nop(&ca);
	FG_SDI(&ca, data + 4, 2);
	ASSERT_EQ(0, fg_submit(a, &ca, NULL));
	ASSERT_TRUE(WAIT_FOR(fbe_running(self->w.fbe, 0) == ca.id));
	fbe_inject_preempt(self->w.fbe, MVGPU_ENGINE_RCS);
	ASSERT_TRUE(WAIT_FOR(fbe_ctx_stats(self->w.fbe, ca.id, &st) &&
			     st.preempted == 1));
	fbe_open_gate(self->w.fbe, ca.id);
	ASSERT_TRUE(fg_wait_events(a, 0, 2, WAIT_MS));
	msleep(20);
	EXPECT_EQ(2, fg_poll(a, 0));
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE,
		  ev(a, 0, 1)->status);
	EXPECT_EQ(1, fg_read(a, data));
	EXPECT_EQ(2, fg_read(a, data + 4));
	ASSERT_TRUE(fbe_ctx_stats(self->w.fbe, ca.id, &st));
	EXPECT_EQ(2, st.started);
	EXPECT_EQ(1, st.completed);
}

/* Execlist pairs the backend accepted on @engine so far. */
static u64 be_submissions(struct world *w, unsigned int engine)
{
	struct mvgpu_backend *be = fbe_backend(w->fbe);
	struct mvgpu_backend_stats st;

	be->ops->get_stats(be, engine, &st);
	return st.submissions;
}

/*
 * The guest's two elements go to the engine as one pair, so the engine
 * goes on to element 1 by itself; when element 0 is preempted before
 * element 1 began, the engine drops element 1 without an event and both
 * go back to the queue, to run again in order, element 1 once.
 */
TEST_F(world, a_pair_goes_to_the_engine_as_one_and_resumes_in_order)
{
	struct fg *a = guest(&self->w, 0, V1_8);
	const struct fbe_knob gate = { .gate = true }, none = { };
	struct fbe_ctx_stats sa, sb;
	struct fg_ctx ca, cb;
	u64 subs;
	u32 data;

	ASSERT_NE(NULL, a);
	data = fg_alloc(a, 1);
	fg_ctx_init(a, &ca, MVGPU_ENGINE_RCS, ctx_id(0, 0, 0));
	fg_ctx_init(a, &cb, MVGPU_ENGINE_RCS, ctx_id(0, 0, 1));
	fbe_set_knob(self->w.fbe, ca.id, &gate);
	fbe_set_knob(self->w.fbe, cb.id, &none);	/* counted */
	FG_SDI(&ca, data, 1);
	emit_nop(&ca);
	FG_SDI(&cb, data + 4, 2);
	subs = be_submissions(&self->w, MVGPU_ENGINE_RCS);
	ASSERT_EQ(0, fg_submit(a, &ca, &cb));
	ASSERT_TRUE(WAIT_FOR(fbe_running(self->w.fbe, 0) == ca.id));
	EXPECT_EQ(subs + 1, be_submissions(&self->w, MVGPU_ENGINE_RCS));
	fbe_inject_preempt(self->w.fbe, MVGPU_ENGINE_RCS);
	ASSERT_TRUE(WAIT_FOR(fbe_ctx_stats(self->w.fbe, ca.id, &sa) &&
			     sa.preempted == 1));
	ASSERT_TRUE(WAIT_FOR(fbe_running(self->w.fbe, 0) == ca.id));
	EXPECT_EQ(0, fg_read(a, data + 4));
	fbe_open_gate(self->w.fbe, ca.id);
	ASSERT_TRUE(fg_wait_events(a, 0, 3, WAIT_MS));
	msleep(20);
	EXPECT_EQ(3, fg_poll(a, 0));
	EXPECT_EQ(MVGPU_CSB_IDLE_TO_ACTIVE, ev(a, 0, 0)->status);
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ELEMENT_SWITCH,
		  ev(a, 0, 1)->status);
	EXPECT_EQ(ca.id, ev(a, 0, 1)->ctx_id);
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE,
		  ev(a, 0, 2)->status);
	EXPECT_EQ(cb.id, ev(a, 0, 2)->ctx_id);
	EXPECT_EQ(1, fg_read(a, data));
	EXPECT_EQ(2, fg_read(a, data + 4));
	/* the pair, then the pair again after the preemption */
	EXPECT_EQ(subs + 2, be_submissions(&self->w, MVGPU_ENGINE_RCS));
	ASSERT_TRUE(fbe_ctx_stats(self->w.fbe, cb.id, &sb));
	EXPECT_EQ(1, sb.started);
	EXPECT_EQ(1, sb.completed);
	EXPECT_EQ(0, sb.preempted);
}

struct removal {
	struct world *w;
	int i;
	long pins;
};

static void remove_job(void *arg)
{
	struct removal *r = arg;

	r->pins = remove_guest(r->w, r->i);
}

static bool deliveries_pending(struct fg *g)
{
	bool pending;

	spin_lock(&g->vgpu.deliver.lock);
	pending = !list_empty(&g->vgpu.deliver.done);
	spin_unlock(&g->vgpu.deliver.lock);
	return pending;
}

/*
 * Removing a vGPU with work queued and running on both engines, and with
 * finished work waiting to be delivered (its lock was held meanwhile),
 * releases everything: no pin, allocation or page is left (the fixture
 * checks) and another vGPU carries on.
 */
TEST_F(world, removal_with_work_in_flight_and_deliveries_pending)
{
	struct fg *a = guest(&self->w, 0, V1_8), *b = guest(&self->w, 1, V1_8);
	const struct fbe_knob hang = { .run_us = ~0U }, none = { };
	const struct fbe_knob gate = { .gate = true };
	struct fg_ctx ca[MVGPU_NUM_ENGINES], cd, cb;
	struct removal r = { .w = &self->w, .i = 0, .pins = -1 };
	struct fbe_ctx_stats st;
	struct job remover;
	struct holder h;
	unsigned int e, k;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	/* work in flight: a running workload and queued ones, both engines */
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		fg_ctx_init(a, &ca[e], e, ctx_id(0, e, 0));
		fbe_set_knob(self->w.fbe, ca[e].id, &hang);
		for (k = 0; k < 3; k++) {
			emit_nop(&ca[e]);
			ASSERT_EQ(0, fg_submit(a, &ca[e], NULL));
		}
	}
	fg_ctx_init(a, &cd, MVGPU_ENGINE_RCS, ctx_id(0, 0, 1));
	fbe_set_knob(self->w.fbe, cd.id, &none);
	fg_ctx_init(b, &cb, MVGPU_ENGINE_BCS, ctx_id(1, 1, 0));
	ASSERT_TRUE(WAIT_FOR(fbe_running(self->w.fbe, 0) == ca[0].id &&
			     fbe_running(self->w.fbe, 1) == ca[1].id));
	EXPECT_EQ(0, remove_guest(&self->w, 0));
	EXPECT_EQ(0, fbe_running(self->w.fbe, 0));
	EXPECT_EQ(0, fbe_running(self->w.fbe, 1));
	emit_nop(&cb);
	ASSERT_EQ(0, fg_submit(b, &cb, NULL));
	EXPECT_TRUE(fg_wait_events(b, 1, 2, WAIT_MS));

	/* deliveries pending: finished while the vGPU's lock was held */
	a = guest(&self->w, 0, V1_8);
	ASSERT_NE(NULL, a);
	fg_ctx_init(a, &cd, MVGPU_ENGINE_RCS, ctx_id(0, 0, 1));
	fbe_set_knob(self->w.fbe, cd.id, &gate);
	for (k = 0; k < 4; k++) {
		emit_nop(&cd);
		ASSERT_EQ(0, fg_submit(a, &cd, NULL));
	}
	ASSERT_TRUE(hold(&h, &a->vgpu.lock));
	fbe_open_gate(self->w.fbe, cd.id);
	ASSERT_TRUE(WAIT_FOR(fbe_ctx_stats(self->w.fbe, cd.id, &st) &&
			     st.completed == 4));
	EXPECT_TRUE(WAIT_FOR(deliveries_pending(a)));
	job_start(&remover, remove_job, &r);
	msleep(5);
	let_go(&h);
	EXPECT_TRUE(job_wait(&remover, WAIT_MS));
	job_join(&remover);
	EXPECT_EQ(0, r.pins);
	EXPECT_EQ(0, a->bad_unpins);
}

/*
 * retire.c: the pin of a guest page whose GGTT entry changed is kept
 * until the work in flight that may use it has been delivered; the
 * engine's next translation already sees the new page.
 */
TEST_F(world, changed_ggtt_entry_unpinned_after_work)
{
	struct fg *a = guest(&self->w, 0, V1_8);
	const struct fbe_knob gate = { .gate = true };
	unsigned int old_gfn, new_gfn;
	struct fg_ctx ca;
	u32 data, spare;

	ASSERT_NE(NULL, a);
	data = fg_alloc(a, 1);
	spare = fg_alloc(a, 1);
	old_gfn = (data - a->vgpu.res.aperture.base) >> PAGE_SHIFT;
	new_gfn = (spare - a->vgpu.res.aperture.base) >> PAGE_SHIFT;
	fg_ctx_init(a, &ca, MVGPU_ENGINE_RCS, ctx_id(0, 0, 0));
	fbe_set_knob(self->w.fbe, ca.id, &gate);
	FG_SDI(&ca, data, 0xabc);
	ASSERT_EQ(0, fg_submit(a, &ca, NULL));
	ASSERT_TRUE(WAIT_FOR(fbe_running(self->w.fbe, 0) == ca.id));
	EXPECT_EQ(1, a->pins[old_gfn]);
	EXPECT_EQ(1, a->pins[new_gfn]);

	/* the guest points data's entry at the spare page */
	ASSERT_EQ(0, fg_ggtt_set(a, data, (u64)new_gfn << PAGE_SHIFT |
				 MVGPU_PTE_VALID));
	EXPECT_EQ(1, __atomic_load_n(&a->pins[old_gfn], __ATOMIC_SEQ_CST));
	EXPECT_EQ(2, __atomic_load_n(&a->pins[new_gfn], __ATOMIC_SEQ_CST));
	fbe_open_gate(self->w.fbe, ca.id);
	ASSERT_TRUE(fg_wait_events(a, 0, 2, WAIT_MS));
	EXPECT_EQ(0, __atomic_load_n(&a->pins[old_gfn], __ATOMIC_SEQ_CST));
	EXPECT_EQ(2, __atomic_load_n(&a->pins[new_gfn], __ATOMIC_SEQ_CST));
	EXPECT_EQ(0xabc, fg_read(a, spare));
	EXPECT_EQ(0, fg_read(a, data));	/* the old page, untouched */
}

/* One round of reclaim on @w's pGPU: the shrinker's pages freed. */
static unsigned long shrink(struct world *w, unsigned long *count)
{
	struct shrinker *s = w->pgpu.shrinker;
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL, .nr_to_scan = 1024 };

	*count = s->count_objects(s, &sc);
	return s->scan_objects(s, &sc);
}

static long shadow_used(struct fg *g)
{
	return atomic64_read(&g->vgpu.shadow.used);
}

/* No work of @g's in flight (and so its shadows back in the cache). */
static bool idle(struct fg *g)
{
	bool busy;

	mutex_lock(&g->vgpu.lock);
	busy = mvgpu_retire_busy(&g->vgpu.retire);
	mutex_unlock(&g->vgpu.lock);
	return !busy;
}

/*
 * The pGPU's shrinker (gvt/trim.c), idle trimming off: it frees the
 * cached shadows of a vGPU without work in flight and reports them, and
 * leaves alone one whose work waits at a gate and one whose lock is
 * held (reclaim only trylocks); once those are idle and free, it frees
 * theirs, and work runs as before.
 */
TEST_F(world, shrinker_frees_only_idle_unlocked_vgpus_caches)
{
	struct fg *a = guest(&self->w, 0, V1_8), *b = guest(&self->w, 1, V1_8);
	struct fg *c = guest(&self->w, 2, V1_8);
	const struct fbe_knob gate = { .gate = true };
	unsigned int trim_was = mvgpu_trim_idle_ms;
	struct fg *all[] = { a, b, c };
	unsigned long count, freed;
	long used_a, used_b, used_c;
	struct fg_ctx ctx[3], more, gated;
	struct holder h;
	int i;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	ASSERT_NE(NULL, c);
	mvgpu_trim_idle_ms = 0;
	for (i = 0; i < 3; i++) {
		fg_ctx_init(all[i], &ctx[i], MVGPU_ENGINE_RCS, ctx_id(i, 0, 0));
		emit_nop(&ctx[i]);
		ASSERT_EQ(0, fg_submit(all[i], &ctx[i], NULL));
		ASSERT_TRUE(fg_wait_events(all[i], 0, 2, WAIT_MS));
		ASSERT_TRUE(WAIT_FOR(idle(all[i]) && shadow_used(all[i]) > 0));
	}
	/*
	 * b gets two sets of shadows cached: two workloads at once, on both
	 * engines; the gated one below takes one set, the other stays.
	 */
	fg_ctx_init(b, &more, MVGPU_ENGINE_BCS, ctx_id(1, 1, 1));
	fbe_set_knob(self->w.fbe, more.id, &gate);
	emit_nop(&more);
	ASSERT_EQ(0, fg_submit(b, &more, NULL));
	ASSERT_TRUE(WAIT_FOR(fbe_running(self->w.fbe, 1) == more.id));
	emit_nop(&ctx[1]);
	ASSERT_EQ(0, fg_submit(b, &ctx[1], NULL));
	ASSERT_TRUE(fg_wait_events(b, 0, 4, WAIT_MS));
	fbe_open_gate(self->w.fbe, more.id);
	ASSERT_TRUE(fg_wait_events(b, 1, 2, WAIT_MS));
	ASSERT_TRUE(WAIT_FOR(idle(b)));
	fg_ctx_init(b, &gated, MVGPU_ENGINE_BCS, ctx_id(1, 1, 0));
	fbe_set_knob(self->w.fbe, gated.id, &gate);
	emit_nop(&gated);
	ASSERT_EQ(0, fg_submit(b, &gated, NULL));
	ASSERT_TRUE(WAIT_FOR(fbe_running(self->w.fbe, 1) == gated.id));
	ASSERT_TRUE(hold(&h, &c->vgpu.lock));
	used_a = shadow_used(a);
	used_b = shadow_used(b);
	used_c = shadow_used(c);

	freed = shrink(&self->w, &count);
	EXPECT_LE((used_a + used_b + used_c) >> PAGE_SHIFT, count);
	EXPECT_EQ(used_a >> PAGE_SHIFT, freed);
	EXPECT_EQ(0, shadow_used(a));
	EXPECT_EQ(used_b, shadow_used(b));
	EXPECT_EQ(used_c, shadow_used(c));

	let_go(&h);
	fbe_open_gate(self->w.fbe, gated.id);
	ASSERT_TRUE(fg_wait_events(b, 1, 4, WAIT_MS));
	ASSERT_TRUE(WAIT_FOR(idle(b)));
	used_b = shadow_used(b);
	freed = shrink(&self->w, &count);
	EXPECT_EQ((used_b + used_c) >> PAGE_SHIFT, freed);
	EXPECT_EQ(0, shadow_used(b));
	EXPECT_EQ(0, shadow_used(c));
	freed = shrink(&self->w, &count);
	EXPECT_EQ(SHRINK_EMPTY, count);
	EXPECT_EQ(SHRINK_STOP, freed);

	for (i = 0; i < 3; i++) {
		unsigned int n = i == 1 ? 6 : 4;	/* b ran twice on RCS */

		emit_nop(&ctx[i]);
		ASSERT_EQ(0, fg_submit(all[i], &ctx[i], NULL));
		ASSERT_TRUE(fg_wait_events(all[i], 0, n, WAIT_MS));
		EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE,
			  ev(all[i], 0, n - 1)->status);
	}
	mvgpu_trim_idle_ms = trim_was;
}

/* @g's context shadows for @c, or NULL. */
static struct mvgpu_ctx_shadow *cshadow_of(struct fg *g, const struct fg_ctx *c)
{
	struct mvgpu_ctx_shadow *s = g->vgpu.cshadows.s;
	unsigned int i;

	for (i = 0; i < MVGPU_CTX_SHADOWS; i++)
		if (s[i].ring && s[i].lrca == c->lrca)
			return &s[i];
	return NULL;
}

/* No workload of @g's holds its contexts' shadows any more. */
static bool cshadows_idle(struct fg *g)
{
	unsigned int i;

	for (i = 0; i < MVGPU_CTX_SHADOWS; i++)
		if (__atomic_load_n(&g->vgpu.cshadows.s[i].busy,
				    __ATOMIC_ACQUIRE))
			return false;
	return true;
}

/*
 * Issue 20, "shadows persist per guest context": each of two contexts
 * submitted together has a shadow ring and image of its own, and runs
 * its next submissions from the same ones, at the same graphics
 * addresses, with their new commands; the vGPU's shadow memory does not
 * grow after the first pair.  Idle trimming (off here) frees them.
 */
TEST_F(world, a_context_keeps_its_shadows_between_submissions)
{
	struct fg *g = guest(&self->w, 0, V1_8);
	struct mvgpu_shadow_obj *ring = NULL, *img = NULL;
	unsigned int trim_was = mvgpu_trim_idle_ms;
	struct mvgpu_ctx_shadow *sa, *sb;
	u64 ring_gma = 0;
	struct fg_ctx a, b;
	long used = 0;
	u32 data;
	int k;

	ASSERT_NE(NULL, g);
	mvgpu_trim_idle_ms = 0;
	data = fg_alloc(g, 1);
	fg_ctx_init(g, &a, MVGPU_ENGINE_RCS, ctx_id(0, 0, 0));
	fg_ctx_init(g, &b, MVGPU_ENGINE_RCS, ctx_id(0, 0, 1));
	for (k = 0; k < 3; k++) {
		FG_SDI(&a, data + 8 * k, 0xa0 + k);
		emit_nop(&a);
		FG_SDI(&b, data + 8 * k + 4, 0xb0 + k);
		emit_nop(&b);
		ASSERT_EQ(0, fg_submit(g, &a, &b));
		/* IDLE_TO_ACTIVE, ELEMENT_SWITCH, ACTIVE_TO_IDLE */
		ASSERT_TRUE(fg_wait_events(g, 0, 3 * (k + 1), WAIT_MS));
		ASSERT_TRUE(WAIT_FOR(idle(g) && cshadows_idle(g)));
		EXPECT_EQ(0xa0 + k, fg_read(g, data + 8 * k));
		EXPECT_EQ(0xb0 + k, fg_read(g, data + 8 * k + 4));
		mutex_lock(&g->vgpu.lock);
		sa = cshadow_of(g, &a);
		sb = cshadow_of(g, &b);
		mutex_unlock(&g->vgpu.lock);
		ASSERT_NE(NULL, sa);
		ASSERT_NE(NULL, sb);
		EXPECT_NE(sa->ring, sb->ring);
		EXPECT_NE(sa->ctx, sb->ctx);
		if (!k) {
			ring = sa->ring;
			img = sa->ctx;
			ring_gma = ring->gma;
			used = shadow_used(g);
			continue;
		}
		EXPECT_EQ(ring, sa->ring);
		EXPECT_EQ(img, sa->ctx);
		EXPECT_EQ(ring_gma, sa->ring->gma);
		EXPECT_EQ(used, shadow_used(g));
	}
	mutex_lock(&g->vgpu.lock);
	mvgpu_trim_now(&g->vgpu);
	EXPECT_EQ(NULL, cshadow_of(g, &a));
	EXPECT_EQ(NULL, cshadow_of(g, &b));
	mutex_unlock(&g->vgpu.lock);
	EXPECT_EQ(0, shadow_used(g));
	mvgpu_trim_idle_ms = trim_was;
}

/*
 * The engine's callback has retired a vGPU's last workload W1 and
 * dropped the scheduler's lock, but not yet handed W1 over, when another
 * vCPU of the vGPU submits a context the vGPU rejects, which the idle
 * engine retires at once.  The rejection must still reach the guest
 * after W1: deliveries follow the retire FIFO (retire.c warns otherwise,
 * and the FIFO would stay stuck).  The shim's release hook holds the
 * callback in that window until the submission returns or 300 ms pass.
 * Before the fix the submission returned at once and its rejection was
 * delivered first; now it waits for the hand-over.
 */
struct race {
	struct world *w;
	struct fg *g;
	struct fg_ctx bad;
	struct job job;
	int armed;
	int fired;
	bool returned_in_window;
};

static struct race *the_race;

static void submit_bad(void *arg)
{
	struct race *r = arg;

	fg_submit(r->g, &r->bad, NULL);
}

static void race_hook(const void *lock, const char *file, int line)
{
	struct race *r = the_race;
	struct mvgpu_sched *sched = &r->w->pgpu.sched;
	int armed = 1;

	if (lock != &sched->lock.sl || !fbe_in_callback_now() ||
	    READ_ONCE(sched->eng[MVGPU_ENGINE_BCS].running) ||
	    !__atomic_compare_exchange_n(&r->armed, &armed, 0, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return;
	job_start(&r->job, submit_bad, r);
	r->returned_in_window = job_wait(&r->job, 300);
	__atomic_store_n(&r->fired, 1, __ATOMIC_SEQ_CST);
}

/* Index in @g's BCS log of the first entry of @id with @status bits. */
static int log_index(struct fg *g, u32 id, u32 status)
{
	unsigned int i;

	for (i = 0; i < g->nlog[MVGPU_ENGINE_BCS]; i++)
		if (ev(g, MVGPU_ENGINE_BCS, i)->ctx_id == id &&
		    (ev(g, MVGPU_ENGINE_BCS, i)->status & status))
			return i;
	return -1;
}

TEST_F(world, a_rejection_never_overtakes_a_completion_being_handed_over)
{
	struct fg *g = guest(&self->w, 0, V1_8);
	struct race r = { .w = &self->w, .g = g, .armed = 1 };
	struct fg_ctx c;
	int done, error;
	bool fired;

	ASSERT_NE(NULL, g);
	fg_ctx_init(g, &c, MVGPU_ENGINE_BCS, ctx_id(0, MVGPU_ENGINE_BCS, 0));
	r.bad = c;
	r.bad.id = ctx_id(0, MVGPU_ENGINE_BCS, 1);
	r.bad.lrca = 0;		/* not the vGPU's graphics memory */
	emit_nop(&c);
	the_race = &r;
	__atomic_store_n(&shim_state.give_hook, race_hook, __ATOMIC_RELEASE);
	ASSERT_EQ(0, fg_submit(g, &c, NULL));
	fired = WAIT_FOR(__atomic_load_n(&r.fired, __ATOMIC_SEQ_CST));
	__atomic_store_n(&shim_state.give_hook, NULL, __ATOMIC_RELEASE);
	if (fired)
		job_join(&r.job);
	ASSERT_TRUE(fired);
	EXPECT_FALSE(r.returned_in_window);
	ASSERT_TRUE(fg_wait_events(g, MVGPU_ENGINE_BCS, 4, WAIT_MS));
	done = log_index(g, c.id, MVGPU_CSB_COMPLETE);
	error = log_index(g, r.bad.id, MVGPU_CSB_ERROR);
	EXPECT_LE(0, done);
	EXPECT_LT(done, error);
	EXPECT_EQ(1, atomic64_read(&g->vgpu.stats.completed));
}

/* Entry @i of the guest's table page @table (fg_alloc()) maps page @to. */
static void table_set(struct fg *g, u32 table, unsigned int i, u32 to)
{
	u64 e = (u64)(to - g->vgpu.res.aperture.base) | MVGPU_PPGTT_PRESENT;

	fg_write(g, table + 8 * i, (u32)e);
	fg_write(g, table + 8 * i + 4, e >> 32);
}

/* Submit @c alone as a PPGTT context. */
static int submit_ppgtt(struct fg *g, const struct fg_ctx *c)
{
	u32 elsp = (c->engine ? MVGPU_BCS_BASE : MVGPU_RCS_BASE) +
		   MVGPU_RING_ELSP;
	u64 d = MVGPU_CTX_DESC(c->lrca, MVGPU_CTX_MODE_LEGACY_64B, c->id);

	return fg_reg_write(g, elsp, 0) ?: fg_reg_write(g, elsp, 0) ?:
	       fg_reg_write(g, elsp, d >> 32) ?: fg_reg_write(g, elsp, (u32)d);
}

/*
 * Building a workload may stop the vGPU's engines: a PPGTT entry the
 * guest changed drops its pin, which waits for the work in flight, and
 * without memory to note that the vGPU's work is stopped at once
 * (retire.c).  Here P's table entry moved while A, earlier on the same
 * engine, is in flight.  The submission must then go cleanly; before,
 * it put A a second time (A, the engine's last workload, was released
 * by the stop too) and was itself queued with a stale generation,
 * neither delivered nor ever leaving the retire FIFO.
 */
TEST_F(world, engines_stopped_while_a_submission_is_built_drop_it_cleanly)
{
	const struct fbe_knob slow = { .run_us = 200000 };
	unsigned int trim_was = mvgpu_trim_idle_ms, n;
	struct fg *g = guest(&self->w, 0, V1_8);
	u32 root, pdp, pd, pt, d1, d2;
	struct fg_ctx a, p;
	long failed;
	s64 rejected;

	ASSERT_NE(NULL, g);
	mvgpu_trim_idle_ms = 0;		/* the shim runs delayed work at once */
	root = fg_alloc(g, 1);
	pdp = fg_alloc(g, 1);
	pd = fg_alloc(g, 1);
	pt = fg_alloc(g, 1);
	d1 = fg_alloc(g, 1);
	d2 = fg_alloc(g, 1);
	table_set(g, root, 0, pdp);
	table_set(g, pdp, 0, pd);
	table_set(g, pd, 0, pt);
	table_set(g, pt, 0, d1);
	fg_ctx_init(g, &p, MVGPU_ENGINE_RCS, ctx_id(0, MVGPU_ENGINE_RCS, 1));
	fg_write(g, p.lrca + 4 * MVGPU_CTX_PML4_LO,
		 root - g->vgpu.res.aperture.base);
	fg_ctx_init(g, &a, MVGPU_ENGINE_RCS, ctx_id(0, MVGPU_ENGINE_RCS, 0));
	fbe_set_knob(self->w.fbe, a.id, &slow);

	/* P once: its PPGTT shadowed, d1 pinned */
	emit_nop(&p);
	ASSERT_EQ(0, submit_ppgtt(g, &p));
	ASSERT_TRUE(fg_wait_events(g, MVGPU_ENGINE_RCS, 2, WAIT_MS));
	/* A on the engine for 200 ms */
	emit_nop(&a);
	ASSERT_EQ(0, fg_submit(g, &a, NULL));
	/* P again, its entry now at d2, and no memory to defer d1's unpin */
	table_set(g, pt, 0, d2);
	emit_nop(&p);
	failed = shim_read(failed);
	rejected = atomic64_read(&g->vgpu.stats.rejected);
	shim_state.fail_thread = pthread_self();
	shim_state.fail_thread_only = true;
	shim_state.fail_countdown = 1;
	ASSERT_EQ(0, submit_ppgtt(g, &p));
	shim_state.fail_thread_only = false;
	shim_state.fail_countdown = 0;
	ASSERT_EQ(failed + 1, shim_read(failed));
	EXPECT_EQ(rejected + 1, atomic64_read(&g->vgpu.stats.rejected));
	EXPECT_EQ(NULL, g->vgpu.exec[MVGPU_ENGINE_RCS].last);

	/* the vGPU goes on: P runs through its new entry */
	emit_nop(&p);
	ASSERT_EQ(0, submit_ppgtt(g, &p));
	/* A's start may have been told before the stop, nothing after it */
	ASSERT_TRUE(WAIT_FOR((n = fg_poll(g, MVGPU_ENGINE_RCS)) >= 4 &&
			     ev(g, MVGPU_ENGINE_RCS, n - 1)->ctx_id == p.id &&
			     ev(g, MVGPU_ENGINE_RCS, n - 1)->status ==
			     (MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE)));
	EXPECT_GE(5, n);
	EXPECT_TRUE(WAIT_FOR(!mvgpu_retire_busy(&g->vgpu.retire)));
	/* d1's PPGTT pin went with the stop; its GGTT pin stays */
	EXPECT_EQ(1, __atomic_load_n(&g->pins[(d1 - g->vgpu.res.aperture.base) /
					      PAGE_SIZE], __ATOMIC_SEQ_CST));
	mvgpu_trim_idle_ms = trim_was;
}

/*
 * After a hang "the work the vGPU queued behind it on that engine is
 * dropped" (mediation.rst, Scheduling): it must not run at all, since
 * the guest is told it was dropped.  The vGPU's delivery is held up
 * (its VMM does not answer guest memory accesses) from the moment the
 * workload hangs, as any delay of its work item may; the queued
 * workload's store must not reach guest memory meanwhile: the scheduler
 * drops the queue when it takes the hung workload off the engine, not
 * the vGPU's delivery, later.  The two went to the engine as one pair:
 * when the backend's watchdog stops element 0 and the engine switches
 * to element 1, the scheduler's preemption, asked for in the event of
 * the hang, stops element 1 at its start, before its first command.
 */
FIXTURE(hang) {
	struct world w;
};

FIXTURE_VARIANT(hang) {
	bool watchdog;	/* the backend's watchdog, else hang_ms */
};

FIXTURE_VARIANT_ADD(hang, hang_ms) {
	.watchdog = false,
};

FIXTURE_VARIANT_ADD(hang, watchdog) {
	.watchdog = true,
};

FIXTURE_SETUP(hang)
{
	shim_clock_fake();
	if (!variant->watchdog)
		shim_param_set("hang_ms", 30);
	make_world(_metadata, &self->w);
}

FIXTURE_TEARDOWN(hang)
{
	end_world(_metadata, &self->w);
	shim_clock_real();
}

TEST_F(hang, queued_work_never_runs)
{
	struct fg *a = guest(&self->w, 0, V1_8);
	const struct fbe_knob gate = { .gate = true }, none = { };
	const struct fbe_knob hang = { .run_us = ~0U };
	struct fbe_ctx_stats sq;
	struct fg_ctx ca, cq;
	u32 data;

	ASSERT_NE(NULL, a);
	data = fg_alloc(a, 1);
	fg_ctx_init(a, &ca, MVGPU_ENGINE_RCS, ctx_id(0, 0, 0));
	fg_ctx_init(a, &cq, MVGPU_ENGINE_RCS, ctx_id(0, 0, 1));
	fbe_set_knob(self->w.fbe, ca.id, variant->watchdog ? &gate : &hang);
	fbe_set_knob(self->w.fbe, cq.id, &none);
	emit_nop(&ca);
	FG_SDI(&cq, data, 0x5ad);
	ASSERT_EQ(0, fg_submit(a, &ca, &cq));
	ASSERT_TRUE(WAIT_FOR(fbe_running(self->w.fbe, 0) == ca.id));
	fg_block_rw(a, true);
	if (variant->watchdog)
		fbe_inject_hang(self->w.fbe, MVGPU_ENGINE_RCS);
	ASSERT_TRUE(WAIT_FOR(fg_rw_blocked(a) == 1));
	msleep(50);
	ASSERT_TRUE(fbe_ctx_stats(self->w.fbe, cq.id, &sq));
	fg_block_rw(a, false);
	ASSERT_TRUE(fg_wait_events(a, 0, 2, WAIT_MS));
	EXPECT_EQ(MVGPU_CSB_ERROR | MVGPU_CSB_ACTIVE_TO_IDLE,
		  ev(a, 0, 1)->status);
	/* never started, or stopped at its start (the watchdog's case) */
	EXPECT_EQ(variant->watchdog, sq.started);
	EXPECT_EQ(sq.started, sq.preempted);
	EXPECT_EQ(0, sq.completed);
	EXPECT_EQ(0, fg_read(a, data));
}

TEST_HARNESS_MAIN
