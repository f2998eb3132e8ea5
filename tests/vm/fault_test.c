// SPDX-License-Identifier: GPL-2.0-only
/*
 * Faults a guest or its user causes, and what they must not cause.
 *
 * Hangs: a batch that chains to itself is refused at scan time
 * (BB_RUNAWAY, Documentation/cmd-scanning.rst); a semaphore nobody
 * signals and a batch of blits without an arbitration point end with
 * HANG (the backend's watchdog, or the scheduler's hang_ms over all of
 * a workload's slices) in a bounded time, and the work the vGPU queued
 * behind them on that engine is dropped (Documentation/mediation.rst),
 * while two other vGPUs keep their weighted share of the same engine
 * and lose no work; the hung vGPU runs work again at once, and after an
 * engine or device reset.  A batch of blits that write little but walk
 * many rows, without an arbitration point, is preempted where an engine
 * slice ends: a small workload of another vGPU on that engine waits a
 * few milliseconds, not for the whole batch.
 * Resets by the host (sysfs reset): the work in flight on each engine
 * ends at once with ERROR, code MVGPU_ERR_RESET, and the error interrupt,
 * the work queued behind it is dropped, and the guest's next work runs
 * without a reset of its own; an idle or closed vGPU sees nothing; a
 * vGPU in failsafe mode leaves it; resets racing submissions lose none.
 * Teardown: a vGPU removed while its work runs waits for its user and
 * then frees everything; a client that closes, or is SIGKILLed, with
 * work in flight leaves no pinned page and no shadow table behind.
 * Pinning: a client without CAP_IPC_LOCK whose RLIMIT_MEMLOCK is used up
 * gets GPU faults, the host nothing, and works again once allowed.
 * Unmapping: two vGPUs in one container (or IOAS), one rewriting GGTT
 * entries into memory the VMM unmaps and maps again and again, cannot
 * stop the host (type1's BUG_ON() when pins keep coming back); pins of
 * memory being unmapped are refused until the unmap ioctl returns, and
 * work again after it.
 *
 * "fault_test --hold UUID" is the client of the SIGKILL test on its
 * own: it keeps vGPU UUID busy until SIGTERM (or death); unload.sh uses
 * it.
 */
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "native_util.h"
#include "uffd_util.h"

#define RCS		MVGPU_ENGINE_RCS
#define BCS		MVGPU_ENGINE_BCS
#define RING_BYTES	(16 * GUEST_PAGE)
#define SURF_W		512
#define SURF_H		256
#define SURF_PITCH	(4 * SURF_W)
#define SURF_BYTES	(SURF_PITCH * SURF_H)
#define BLITS		16	/* per feeder workload, MI_ARB_CHECK between */
#define IN_FLIGHT	3	/* workloads a feeder keeps queued */

#define WATCHDOG_MS	300	/* watchdog of both engines, and hang_ms */
#define SLACK_MS	500	/* detection later than the watchdog says */
#define WARMUP_MS	200
#define MEASURE_MS	1000
#define MIN_SHARE	0.8	/* of the weighted share, and of engine time */
/*
 * While three vGPUs are busy, at least this part of the wall time is
 * charged to one of them; the rest goes to switching between them
 * (about 1 ms each in the TCG test VM), which nobody is charged for.
 */
#define MIN_DUTY	0.4
#define HANG_SLACK_MS	150	/* engine time past the limit before it stops */

/* A runaway batch: many big fills, no arbitration point among them. */
#define RUNAWAY_BLITS	4096
#define RUNAWAY_WH	2048	/* square, pitch 0: 16 MiB per blit */
#define RUNAWAY_ROUNDS	3

#define ERR_CODE(s)	((s) & MVGPU_ERR_STATUS_CODE_MASK)
#define ERR_SPACE(s)	(((s) & MVGPU_ERR_STATUS_SPACE_MASK) >> \
			 MVGPU_ERR_STATUS_SPACE_SHIFT)
#define ERR_LEVEL(s)	(((s) & MVGPU_ERR_STATUS_LEVEL_MASK) >> \
			 MVGPU_ERR_STATUS_LEVEL_SHIFT)
#define END_BITS	(MVGPU_CSB_COMPLETE | MVGPU_CSB_ERROR)
#define CS_ERROR_BIT(e)	(MVGPU_GT_CS_ERROR_INTERRUPT << guest_irq_shift(e))

static uint32_t pattern(uint32_t i)
{
	i ^= i >> 7;
	i *= 0x9e3779b1U;
	return i ^ i >> 13;
}

/* ---- feeders: vGPUs that keep the copy engine busy ---- */

/*
 * A guest that keeps IN_FLIGHT workloads of BLITS fills (or copies from
 * a pattern) on the copy engine, each blit followed by MI_ARB_CHECK.
 * Each workload ends by storing its sequence number, which counts what
 * completed whatever the guest reads of its CSB (which a slow reader
 * overruns); errors are counted by the vGPU.
 */
struct feeder {
	struct guest g;
	struct guest_ctx c;
	bool copy;
	uint32_t *dst, *src;
	uint64_t dst_ga, src_ga;
	volatile uint32_t *seq;	/* last workload completed */
	uint64_t seq_ga;
	uint32_t colour;
	uint32_t queued;	/* workloads submitted */
	unsigned int inflight;
	unsigned long done;
	long errors_was;	/* the vGPU's "errors" when set up */
};

/* Contexts and surfaces of a feeder on an opened, started guest. */
static int feeder_setup(struct feeder *f, uint32_t id, bool copy)
{
	uint32_t i;
	int ret;

	f->copy = copy;
	f->colour = 0xff000000U | pattern(id);
	f->queued = f->inflight = 0;
	f->done = 0;
	f->errors_was = vgpu_attr(f->g.uuid, "errors");
	ret = guest_ctx_create(&f->g, &f->c, RING_BYTES, id);
	if (ret)
		return ret;
	f->seq = guest_map(&f->g, GUEST_PAGE, &f->seq_ga);
	f->dst = guest_map(&f->g, SURF_BYTES, &f->dst_ga);
	if (!f->dst || !f->seq)
		return -ENOMEM;
	memset(f->dst, 0, SURF_BYTES);
	f->seq[0] = 0;
	if (!copy)
		return 0;
	f->src = guest_map(&f->g, SURF_BYTES, &f->src_ga);
	if (!f->src)
		return -ENOMEM;
	for (i = 0; i < SURF_W * SURF_H; i++)
		f->src[i] = pattern(id * 0x10000 + i);
	return 0;
}

/* Create vGPU @type, open and start it and set the feeder up. */
static int feeder_create(struct feeder *f, const char *type, uint32_t id,
			 bool copy)
{
	int ret = guest_create(&f->g, type);

	if (ret)
		return ret;
	ret = guest_start(&f->g);
	ret = ret ?: feeder_setup(f, id, copy);
	if (ret) {
		guest_destroy(&f->g);
		f->g.uuid[0] = 0;
	}
	return ret;
}

static int feeder_queue(struct feeder *f)
{
	struct cs cs = { .n = 0 };
	int i;

	for (i = 0; i < BLITS; i++) {
		if (f->copy)
			cs_copy(&cs, MVGPU_BR13_DEPTH_32, SURF_PITCH, 0, 0,
				SURF_W, SURF_H, f->dst_ga, 0, 0, SURF_PITCH,
				f->src_ga);
		else
			cs_fill(&cs, MVGPU_BR13_DEPTH_32, SURF_PITCH, 0, 0,
				SURF_W, SURF_H, f->dst_ga, f->colour);
		CS(&cs, MVGPU_MI_ARB_CHECK);
	}
	cs_sdi(&cs, f->seq_ga, f->queued + 1);
	guest_emit(&f->c, cs.dw, cs.n);
	if (guest_submit(&f->g, BCS, &f->c, NULL))
		return -EIO;
	f->queued++;
	f->inflight++;
	return 0;
}

/* Count what completed; refill to IN_FLIGHT if @refill. */
static int feeder_poll(struct feeder *f, bool refill)
{
	uint32_t seq = f->seq[0];

	__sync_synchronize();
	if (seq > f->queued)
		return -EPROTO;
	f->done = seq;
	f->inflight = f->queued - seq;
	while (refill && f->inflight < IN_FLIGHT)
		if (feeder_queue(f))
			return -EIO;
	return 0;
}

/* Errors the vGPU reported since the feeder was set up. */
static long feeder_errors(const struct feeder *f)
{
	return vgpu_attr(f->g.uuid, "errors") - f->errors_was;
}

/* Consume every CSB entry there is: only new ones are read after. */
static int csb_skip(struct guest *g, unsigned int engine)
{
	uint32_t ptr = guest_eng_rd(g, engine, MVGPU_RING_CSB_PTR);
	uint32_t wp = ptr & MVGPU_CSB_WRITE_PTR_MASK;

	if (ptr == 0xffffffffU || wp >= MVGPU_CSB_ENTRIES)
		return -EIO;
	g->csb_rp[engine] = wp;
	return guest_eng_wr(g, engine, MVGPU_RING_CSB_PTR,
			    MVGPU_MASKED_FIELD(MVGPU_CSB_READ_PTR_MASK,
					       wp << MVGPU_CSB_READ_PTR_SHIFT));
}

/* Index of the first wrong pixel of the feeder's destination, or -1. */
static long feeder_diff(const struct feeder *f)
{
	uint32_t i;

	__sync_synchronize();
	for (i = 0; i < SURF_W * SURF_H; i++)
		if (f->dst[i] != (f->copy ? f->src[i] : f->colour))
			return i;
	return -1;
}

/* ---- pumps: polling several feeders from one thread ---- */

#define PUMP_MAX	4

struct pump {
	struct feeder *f[PUMP_MAX];
	int n;
	unsigned int refill;	/* bit i: keep f[i] fed */
	int err;
};

static void pump_once(struct pump *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		if (feeder_poll(p->f[i], p->refill & (1U << i)) && !p->err)
			p->err = -EIO;
}

static void pump_for(struct pump *p, uint64_t ms)
{
	uint64_t end = guest_now_ms() + ms;

	while (guest_now_ms() < end) {
		pump_once(p);
		usleep(200);
	}
}

static bool pump_idle(const struct pump *p, unsigned int mask)
{
	int i;

	for (i = 0; i < p->n; i++)
		if ((mask & (1U << i)) && p->f[i]->inflight)
			return false;
	return true;
}

/* Pump, feeding none of @mask, until the feeders of @mask are idle. */
static int pump_drain(struct pump *p, unsigned int mask, int timeout_ms)
{
	uint64_t end = guest_now_ms() + timeout_ms;
	unsigned int refill = p->refill;

	p->refill &= ~mask;
	while (!pump_idle(p, mask) && guest_now_ms() < end) {
		pump_once(p);
		usleep(200);
	}
	p->refill = refill & ~mask;
	return pump_idle(p, mask) ? 0 : -ETIMEDOUT;
}

/*
 * Pump until @g's @engine reports the end (COMPLETE or ERROR) of context
 * @ctx_id, at most until @t0 + @timeout_ms.  Returns the milliseconds
 * from @t0 and the entry in @end, -ETIMEDOUT or another negative errno.
 */
static long pump_until_end(struct pump *p, struct guest *g,
			   unsigned int engine, uint32_t ctx_id,
			   struct guest_ev *end, uint64_t t0, int timeout_ms)
{
	struct guest_ev e;
	int got;

	while (guest_now_ms() - t0 <= (uint64_t)timeout_ms) {
		pump_once(p);
		while ((got = guest_csb_next(g, engine, &e)) > 0) {
			if (e.ctx_id == ctx_id && (e.status & END_BITS)) {
				*end = e;
				return guest_now_ms() - t0;
			}
		}
		if (got < 0)
			return got;
		usleep(200);
	}
	return -ETIMEDOUT;
}

/* ---- engine time and throughput ---- */

#define NR_HANG	3	/* the vGPU that hangs, and two feeders */

struct snap {
	long busy[NR_HANG];		/* busy_ns_bcs */
	long backend[NR_HANG];		/* backend_ns_bcs */
	unsigned long done[NR_HANG];
	long eng_busy;			/* the pGPU's engine_busy_ns_bcs */
	long eng_stalled;		/* and engine_stalled_ns_bcs */
	uint64_t ms;
};

static void snap_take(struct feeder *f, struct snap *s)
{
	int i;

	for (i = 0; i < NR_HANG; i++) {
		s->busy[i] = vgpu_attr(f[i].g.uuid, "busy_ns_bcs");
		s->backend[i] = vgpu_attr(f[i].g.uuid, "backend_ns_bcs");
		s->done[i] = f[i].done;
	}
	s->eng_busy = sysfs_read_long("/sys/class/mvgpu/mvgpu0/engine_busy_ns_bcs");
	s->eng_stalled =
		sysfs_read_long("/sys/class/mvgpu/mvgpu0/engine_stalled_ns_bcs");
	s->ms = guest_now_ms();
}

/*
 * Print what the BCS did between @a and @b: busy and stalled per second
 * of wall time, and each vGPU's charge beside its backend engine time.
 */
static void snap_print(const char *what, const struct snap *a,
		       const struct snap *b)
{
	double ms = b->ms > a->ms ? b->ms - a->ms : 1;
	int i;

	printf("# %s: %.0f ms, BCS busy %.0f stalled %.0f ms/s; charged / backend ms:",
	       what, ms, (b->eng_busy - a->eng_busy) / 1e3 / ms,
	       (b->eng_stalled - a->eng_stalled) / 1e3 / ms);
	for (i = 0; i < NR_HANG; i++)
		printf(" %.0f/%.0f", (b->busy[i] - a->busy[i]) / 1e6,
		       (b->backend[i] - a->backend[i]) / 1e6);
	printf("\n");
}

/* Share of the engine time charged between @a and @b that @i received. */
static double snap_share(const struct snap *a, const struct snap *b, int i)
{
	long total = 0;
	int k;

	for (k = 0; k < NR_HANG; k++)
		total += b->busy[k] - a->busy[k];
	return total > 0 ? (double)(b->busy[i] - a->busy[i]) / total : 0;
}

/* Engine time @i received between @a and @b, in ms per second. */
static double snap_util(const struct snap *a, const struct snap *b, int i)
{
	uint64_t ms = b->ms - a->ms;

	return ms ? (b->busy[i] - a->busy[i]) / 1e3 / ms : 0;
}

/* Workloads per second @i completed between @a and @b. */
static double snap_rate(const struct snap *a, const struct snap *b, int i)
{
	uint64_t ms = b->ms - a->ms;

	return ms ? 1000.0 * (b->done[i] - a->done[i]) / ms : 0;
}

/* ---- hang limits: the engine watchdog and the scheduler's hang_ms ---- */

#define HANG_MS_PARAM	"/sys/module/mvgpu/parameters/hang_ms"

/* The backend's watchdog of both engines, through the native session. */
static int set_watchdog(unsigned int ms)
{
	struct nat *n = calloc(1, sizeof(*n));
	int ret;

	if (!n)
		return -ENOMEM;
	ret = nat_open(n);
	ret = ret ?: nat_cmd(n, "watchdog rcs %u; watchdog bcs %u", ms, ms);
	nat_close(n);
	free(n);
	return ret;
}

static long module_watchdog_ms(void)
{
	return sysfs_read_long("/sys/module/mvgpu/parameters/watchdog_ms");
}

/* The scheduler's limit of a workload's engine time, if it has one. */
static int set_hang_ms(long ms)
{
	if (access(HANG_MS_PARAM, F_OK))
		return 0;
	return sysfs_write_long(HANG_MS_PARAM, ms);
}

/* ---- engine resets from the guest ---- */

/* Write GDRST @bits, wait until the vGPU clears them, restart engines. */
static int guest_reset(struct guest *g, uint32_t bits)
{
	uint64_t end = guest_now_ms() + GUEST_TIMEOUT_MS;
	unsigned int e;
	int ret;

	ret = guest_wr(g, MVGPU_GDRST, bits);
	while (!ret && (guest_rd(g, MVGPU_GDRST) & bits) &&
	       guest_now_ms() < end)
		usleep(1000);
	if (ret || (guest_rd(g, MVGPU_GDRST) & bits))
		return ret ?: -ETIMEDOUT;
	if (bits & MVGPU_GDRST_FULL)
		return guest_start(g);
	for (e = 0; e < MVGPU_NUM_ENGINES && !ret; e++) {
		if (!(bits & (e == RCS ? MVGPU_GDRST_RENDER : MVGPU_GDRST_BLT)))
			continue;
		ret = guest_enable_run_list(g, e);
		ret = ret ?: guest_sync_csb(g, e);
		ret = ret ?: guest_ack_iir(g, GUEST_ENGINE_IRQS <<
					      guest_irq_shift(e));
	}
	return ret;
}

/* ---- the hold client ---- */

/*
 * A client as a busy VM is one: fills on the copy engine through the
 * GGTT (a feeder) and stores through a 4-level PPGTT on the render
 * engine, one at a time, each checked when it completes.
 */
struct holder {
	struct feeder f;
	struct guest_ppgtt pp;
	struct guest_ctx pc;
	uint32_t *page;		/* the stores' target, PPGTT address 0 */
	uint32_t seq;		/* value of the store in flight, or last */
	bool pending;
	unsigned long stores;
};

static int holder_open(struct holder *h, const char *uuid)
{
	struct guest *g = &h->f.g;
	int ret;

	memset(h, 0, sizeof(*h));
	ret = guest_open(g, uuid);
	ret = ret ?: guest_start(g);
	ret = ret ?: feeder_setup(&h->f, 0x600, false);
	ret = ret ?: guest_ppgtt_init(g, &h->pp);
	if (ret)
		return ret;
	h->page = guest_ppgtt_map_new(g, &h->pp, 0, 1, NULL);
	if (!h->page)
		return -ENOMEM;
	return guest_ctx64_create(g, &h->pc, GUEST_PAGE, 0x601, h->pp.pml4);
}

static int holder_store(struct holder *h)
{
	struct cs cs = { .n = 0 };

	h->seq++;
	CS(&cs, MVGPU_MI_STORE_DATA_IMM, (h->seq % 1024) * 4, 0, h->seq);
	guest_emit(&h->pc, cs.dw, cs.n);
	h->pending = true;
	return guest_submit64(&h->f.g, RCS, &h->pc, NULL);
}

/* Check what ended, keep both engines busy; -EIO on any error. */
static int holder_poll(struct holder *h)
{
	struct guest_ev e;
	int got;

	if (feeder_poll(&h->f, true))
		return -EIO;
	while ((got = guest_csb_next(&h->f.g, RCS, &e)) > 0) {
		if (!(e.status & END_BITS))
			continue;
		__sync_synchronize();
		if ((e.status & MVGPU_CSB_ERROR) ||
		    h->page[h->seq % 1024] != h->seq)
			return -EIO;
		h->pending = false;
		h->stores++;
	}
	if (got < 0)
		return got;
	return h->pending ? 0 : holder_store(h);
}

static volatile sig_atomic_t hold_stop;

static void hold_signal(int sig)
{
	hold_stop = 1;
}

/* fault_test --hold UUID: MVGPU_HOLD lines on stdout; 0 after SIGTERM. */
static int hold_main(const char *uuid)
{
	struct holder *h = calloc(1, sizeof(*h));
	unsigned long said = 0;
	int ret;

	if (!h)
		return 1;
	signal(SIGTERM, hold_signal);
	signal(SIGINT, hold_signal);
	ret = holder_open(h, uuid);
	if (ret) {
		printf("MVGPU_HOLD error open %d\n", ret);
		return 1;
	}
	printf("MVGPU_HOLD open %s\n", uuid);
	fflush(stdout);
	while (!hold_stop && !(ret = holder_poll(h))) {
		if (h->f.done + h->stores >= said + 8) {
			said = h->f.done + h->stores;
			printf("MVGPU_HOLD done %lu\n", said);
			fflush(stdout);
		}
		usleep(200);
	}
	if (ret)
		printf("MVGPU_HOLD error %d after %lu\n", ret,
		       h->f.done + h->stores);
	else
		printf("MVGPU_HOLD stopped after %lu\n", h->f.done + h->stores);
	guest_close(&h->f.g);
	free(h);
	return ret ? 1 : 0;
}

/* ---- hangs ---- */

FIXTURE(hang) {
	struct feeder f[NR_HANG];	/* f[0] hangs; f[1] fills, f[2] copies */
	int made;
	long watchdog_was, hang_ms_was;
	bool watchdog_set;
	unsigned int weight[NR_HANG], wsum;
};

FIXTURE_SETUP(hang)
{
	int i;

	for (i = 0; i < NR_HANG; i++) {
		ASSERT_EQ(0, feeder_create(&self->f[i], "mvgpu-V1_8", 0x100 + i,
					   i == 2));
		self->made++;
		self->weight[i] = vgpu_attr(self->f[i].g.uuid, "weight");
		self->wsum += self->weight[i];
	}
	self->watchdog_was = module_watchdog_ms();
	self->hang_ms_was = sysfs_read_long(HANG_MS_PARAM);
	ASSERT_LE(0, self->watchdog_was);
	ASSERT_EQ(0, set_watchdog(WATCHDOG_MS));
	self->watchdog_set = true;
	ASSERT_EQ(0, set_hang_ms(WATCHDOG_MS));
}

FIXTURE_TEARDOWN(hang)
{
	int i;

	for (i = 0; i < self->made; i++)
		EXPECT_EQ(0, guest_destroy(&self->f[i].g));
	if (self->watchdog_set) {
		EXPECT_EQ(0, set_watchdog(self->watchdog_was));
		if (self->hang_ms_was >= 0)
			EXPECT_EQ(0, set_hang_ms(self->hang_ms_was));
	}
}

/* A context of the hanging vGPU whose ring holds @cs. */
static int hang_ctx(struct guest *g, struct guest_ctx *c, uint32_t id,
		    const struct cs *cs)
{
	int ret = guest_ctx_create(g, c, RING_BYTES, id);

	if (!ret)
		guest_emit(c, cs->dw, cs->n);
	return ret;
}

/* The feeders are idle, made no error and left byte-correct results. */
static void expect_feeders_intact(struct __test_metadata *_metadata,
				  struct pump *p)
{
	int i;

	ASSERT_EQ(0, pump_drain(p, (1U << p->n) - 1, GUEST_TIMEOUT_MS));
	EXPECT_EQ(0, p->err);
	for (i = 0; i < p->n; i++) {
		EXPECT_EQ(0, feeder_errors(p->f[i])) TH_LOG("%s", p->f[i]->g.uuid);
		EXPECT_LT(0, p->f[i]->done) TH_LOG("%s", p->f[i]->g.uuid);
		EXPECT_EQ(-1, feeder_diff(p->f[i])) TH_LOG("%s", p->f[i]->g.uuid);
	}
}

/* The vGPU that hung runs a workload of its feeder context correctly. */
static void expect_usable(struct __test_metadata *_metadata,
			  struct feeder *h)
{
	struct pump p = { .f = { h }, .n = 1 };
	unsigned long done = h->done;

	h->errors_was = vgpu_attr(h->g.uuid, "errors");
	memset(h->dst, 0, SURF_BYTES);
	ASSERT_EQ(0, feeder_queue(h));
	ASSERT_EQ(0, pump_drain(&p, 1, GUEST_TIMEOUT_MS));
	EXPECT_EQ(done + 1, h->done);
	EXPECT_EQ(0, feeder_errors(h));
	EXPECT_EQ(-1, feeder_diff(h));
}

/* @ev ended context @id with ERROR and nothing left; capture says HANG. */
static void expect_hang(struct __test_metadata *_metadata, struct guest *g,
			const struct guest_ev *ev, uint32_t id,
			struct guest_err *err)
{
	EXPECT_EQ(MVGPU_CSB_ERROR | MVGPU_CSB_ACTIVE_TO_IDLE,
		  ev->status & (END_BITS | MVGPU_CSB_ACTIVE_TO_IDLE |
				MVGPU_CSB_ELEMENT_SWITCH))
		TH_LOG("status 0x%x", ev->status);
	EXPECT_EQ(id, ev->ctx_id);
	guest_read_err(g, BCS, err);
	EXPECT_TRUE(err->status & MVGPU_ERR_STATUS_VALID);
	EXPECT_EQ(MVGPU_ERR_HANG, ERR_CODE(err->status))
		TH_LOG("ERR_STATUS 0x%x", err->status);
	EXPECT_EQ(id, err->ctx_id);
	EXPECT_EQ(CS_ERROR_BIT(BCS), guest_iir(g) & CS_ERROR_BIT(BCS));
}

TEST_F(hang, batch_chaining_to_itself_is_refused_at_scan_time)
{
	struct guest *g = &self->f[0].g;
	struct pump none = { .n = 0 };
	struct cs ring = { .n = 0 };
	struct guest_ev end;
	struct guest_err err;
	struct guest_ctx c;
	uint64_t batch_ga = 0, t0;
	uint32_t *batch;
	long ms;

	batch = guest_map(g, GUEST_PAGE, &batch_ga);
	ASSERT_TRUE(batch != NULL);
	batch[0] = MVGPU_MI_BATCH_BUFFER_START;	/* to itself, forever */
	batch[1] = LO(batch_ga);
	batch[2] = HI(batch_ga);
	cs_bbs(&ring, batch_ga);
	ASSERT_EQ(0, hang_ctx(g, &c, 0x200, &ring));
	ASSERT_EQ(0, guest_ack_iir(g, 0xffffffff));
	t0 = guest_now_ms();
	ASSERT_EQ(0, guest_submit(g, BCS, &c, NULL));
	/*
	 * Scanning the chain up to its size limit takes about 150 ms on the
	 * debug kernel under TCG, twice that when the host is busy; the
	 * error code and the unused engine below show it was the scanner.
	 */
	ms = pump_until_end(&none, g, BCS, c.id, &end, t0, 10 * WATCHDOG_MS);
	ASSERT_LE(0, ms) TH_LOG("no end within 10 watchdog periods (%ld)", ms);
	printf("# self-chaining batch refused after %ld ms\n", ms);
	EXPECT_TRUE(end.status & MVGPU_CSB_ERROR);
	guest_read_err(g, BCS, &err);
	EXPECT_EQ(MVGPU_ERR_BB_RUNAWAY, ERR_CODE(err.status))
		TH_LOG("ERR_STATUS 0x%x", err.status);
	EXPECT_EQ(c.id, err.ctx_id);
	EXPECT_EQ(1, vgpu_attr(g->uuid, "rejected"));
	EXPECT_EQ(0, vgpu_attr(g->uuid, "busy_ns_bcs"));
	/* It never reached an engine: nothing to reset. */
	ASSERT_EQ(0, guest_clear_err(g, BCS));
	expect_usable(_metadata, &self->f[0]);
}

/*
 * Element 0 of a pair hangs; element 1, of the same submission, must not
 * run.  With @hang_ms above the engine's watchdog, the watchdog stops
 * element 0 and the engine switches to element 1, which went to it in
 * the same execlist pair: the scheduler's preemption, asked for in the
 * hang's event, must stop it at its start (gpu-interface.rst,
 * Preemption), before its store.
 */
static void behind_a_hang(struct __test_metadata *_metadata,
			  FIXTURE_DATA(hang) *self, long hang_ms)
{
	struct guest *g = &self->f[0].g;
	struct pump none = { .n = 0 };
	struct cs cs = { .n = 0 };
	struct guest_ctx hc, sc;
	struct guest_ev end, e = { 0 };
	struct guest_err err;
	uint64_t sem_ga = 0, mark_ga = 0, t0;
	uint32_t *sem, *mark;
	long ms;
	int got;

	sem = guest_map(g, GUEST_PAGE, &sem_ga);
	mark = guest_map(g, GUEST_PAGE, &mark_ga);
	ASSERT_TRUE(sem && mark);
	sem[0] = 0;
	mark[0] = 0;
	cs_sem(&cs, sem_ga, MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 1);
	ASSERT_EQ(0, hang_ctx(g, &hc, 0x210, &cs));
	cs.n = 0;
	cs_sdi(&cs, mark_ga, 0x5a5a0001);
	ASSERT_EQ(0, hang_ctx(g, &sc, 0x211, &cs));
	ASSERT_EQ(0, guest_ack_iir(g, 0xffffffff));
	ASSERT_EQ(0, set_hang_ms(hang_ms));

	/* Element 0 hangs; element 1 of the same submission is dropped. */
	t0 = guest_now_ms();
	ASSERT_EQ(0, guest_submit(g, BCS, &hc, &sc));
	ms = pump_until_end(&none, g, BCS, hc.id, &end, t0,
			    WATCHDOG_MS + SLACK_MS);
	ASSERT_LE(0, ms) TH_LOG("no end of the hung element (%ld)", ms);
	EXPECT_GE(ms, WATCHDOG_MS);
	expect_hang(_metadata, g, &end, hc.id, &err);
	EXPECT_EQ(MVGPU_ERR_HANG, hc.img[MVGPU_CTX_ERROR]);
	usleep(2 * WATCHDOG_MS * 1000);
	while ((got = guest_csb_next(g, BCS, &e)) > 0)
		EXPECT_NE(sc.id, e.ctx_id) TH_LOG("status 0x%x", e.status);
	EXPECT_EQ(0, got);
	EXPECT_EQ(0, ((volatile uint32_t *)mark)[0]);
	if (!access(HANG_MS_PARAM, F_OK))
		EXPECT_EQ(1, vgpu_attr(g->uuid, "hangs"));

	/* No reset needed: the dropped context and new work run at once. */
	ASSERT_EQ(0, guest_clear_err(g, BCS));
	t0 = guest_now_ms();
	ASSERT_EQ(0, guest_submit(g, BCS, &sc, NULL));
	ms = pump_until_end(&none, g, BCS, sc.id, &end, t0, GUEST_TIMEOUT_MS);
	ASSERT_LE(0, ms);
	EXPECT_EQ(MVGPU_CSB_COMPLETE, end.status & END_BITS);
	EXPECT_EQ(0x5a5a0001, ((volatile uint32_t *)mark)[0]);
	expect_usable(_metadata, &self->f[0]);
}

/* Whichever limit ends the hang: both are WATCHDOG_MS. */
TEST_F(hang, work_queued_behind_a_hang_is_dropped_and_the_guest_submits_again)
{
	behind_a_hang(_metadata, self, WATCHDOG_MS);
}

/* The engine's watchdog ends it, long before hang_ms would. */
TEST_F(hang, element_1_behind_a_watchdog_hang_in_its_pair_never_runs)
{
	behind_a_hang(_metadata, self, 10 * WATCHDOG_MS);
}

TEST_F_TIMEOUT(hang, semaphore_nobody_signals_hangs_in_bounded_time_and_others_keep_their_share, 120)
{
	struct feeder *h = &self->f[0];
	struct pump all = {
		.f = { &self->f[0], &self->f[1], &self->f[2] }, .n = 3,
		.refill = 7,
	};
	struct pump others = {
		.f = { &self->f[1], &self->f[2] }, .n = 2, .refill = 3,
	};
	uint64_t sem_ga = 0, mark_ga = 0, store_ga = 0, t0;
	uint32_t *sem, *mark, *store, sem_off;
	struct cs cs = { .n = 0 };
	struct snap s0, s1, s2, s3;
	struct guest_ctx hc, rc;
	struct guest_ev end;
	struct guest_err err;
	long ms, rcs_ms, bound;
	int i;

	sem = guest_map(&h->g, GUEST_PAGE, &sem_ga);
	mark = guest_map(&h->g, GUEST_PAGE, &mark_ga);
	store = guest_map(&h->g, GUEST_PAGE, &store_ga);
	ASSERT_TRUE(sem && mark && store);
	sem[0] = mark[0] = store[0] = 0;
	cs_sdi(&cs, mark_ga, 0x600d0001);
	sem_off = 4 * cs.n;
	cs_sem(&cs, sem_ga, MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 1);
	cs_sdi(&cs, mark_ga + 4, 0xbad00002);	/* after the wait: never */
	ASSERT_EQ(0, hang_ctx(&h->g, &hc, 0x220, &cs));
	cs.n = 0;
	cs_sdi(&cs, store_ga, 0x600d0003);
	ASSERT_EQ(0, hang_ctx(&h->g, &rc, 0x221, &cs));

	/* Baseline: the vGPU that will hang is merely busy. */
	pump_for(&all, WARMUP_MS);
	snap_take(self->f, &s0);
	pump_for(&all, MEASURE_MS);
	snap_take(self->f, &s1);
	ASSERT_EQ(0, pump_drain(&all, 1, GUEST_TIMEOUT_MS));
	ASSERT_EQ(0, all.err);
	ASSERT_EQ(0, guest_ack_iir(&h->g, 0xffffffff));
	ASSERT_EQ(0, csb_skip(&h->g, BCS));

	/* It waits on a semaphore nobody signals; its RCS stays usable. */
	snap_take(self->f, &s2);
	t0 = guest_now_ms();
	ASSERT_EQ(0, guest_submit(&h->g, BCS, &hc, NULL));
	ASSERT_EQ(0, guest_submit(&h->g, RCS, &rc, NULL));
	rcs_ms = pump_until_end(&others, &h->g, RCS, rc.id, &end, t0,
				GUEST_TIMEOUT_MS);
	EXPECT_LE(0, rcs_ms);
	if (rcs_ms >= 0)
		EXPECT_EQ(MVGPU_CSB_COMPLETE, end.status & END_BITS);
	EXPECT_EQ(0x600d0003, ((volatile uint32_t *)store)[0]);

	/*
	 * The limit is engine time; the hung vGPU gets weight(h) / all
	 * busy of what the engine is charged for, which is at least
	 * MIN_DUTY of the wall time.
	 */
	bound = WATCHDOG_MS * self->wsum / self->weight[0] / MIN_DUTY +
		SLACK_MS;
	ms = pump_until_end(&others, &h->g, BCS, hc.id, &end, t0,
			    bound + 1000);
	snap_take(self->f, &s3);
	printf("# engine ms/s: baseline %.0f %.0f %.0f, hang %.0f %.0f %.0f\n",
	       snap_util(&s0, &s1, 0), snap_util(&s0, &s1, 1), snap_util(&s0, &s1, 2),
	       snap_util(&s2, &s3, 0), snap_util(&s2, &s3, 1), snap_util(&s2, &s3, 2));
	snap_print("baseline", &s0, &s1);
	snap_print("hang", &s2, &s3);
	printf("# baseline (3 busy): shares %.1f%% %.1f%% %.1f%%, %.1f %.1f workloads/s of the others\n",
	       100 * snap_share(&s0, &s1, 0), 100 * snap_share(&s0, &s1, 1),
	       100 * snap_share(&s0, &s1, 2), snap_rate(&s0, &s1, 1),
	       snap_rate(&s0, &s1, 2));
	printf("# hung vGPU: HANG after %ld ms (watchdog %d, bound %ld), RCS done after %ld ms; shares %.1f%% %.1f%% %.1f%%, %.1f %.1f workloads/s\n",
	       ms, WATCHDOG_MS, bound, rcs_ms, 100 * snap_share(&s2, &s3, 0),
	       100 * snap_share(&s2, &s3, 1), 100 * snap_share(&s2, &s3, 2),
	       snap_rate(&s2, &s3, 1), snap_rate(&s2, &s3, 2));
	EXPECT_LE(0, ms) TH_LOG("no HANG within %ld ms of the submission", bound + 1000);
	if (ms >= 0) {
		EXPECT_LE(ms, bound);
		EXPECT_GE(ms, WATCHDOG_MS);
		EXPECT_LE(WATCHDOG_MS, (s3.busy[0] - s2.busy[0]) / 1000000);
		EXPECT_GE(WATCHDOG_MS + HANG_SLACK_MS,
			  (s3.busy[0] - s2.busy[0]) / 1000000);
		expect_hang(_metadata, &h->g, &end, hc.id, &err);
		/* the waiting command, or the start of its workload */
		EXPECT_EQ(MVGPU_SPACE_RING, ERR_SPACE(err.status));
		EXPECT_GE(sem_off, err.cmd_addr);
		EXPECT_EQ(MVGPU_ERR_HANG, hc.img[MVGPU_CTX_ERROR]);
	}
	EXPECT_EQ(0x600d0001, ((volatile uint32_t *)mark)[0]);
	EXPECT_EQ(0, ((volatile uint32_t *)mark)[1]);
	for (i = 1; i < NR_HANG; i++) {
		double want = (double)self->weight[i] / self->wsum;

		EXPECT_GE(snap_share(&s2, &s3, i), MIN_SHARE * want)
			TH_LOG("vGPU %d while the other hangs", i);
		EXPECT_GE(snap_util(&s2, &s3, i),
			  MIN_SHARE * snap_util(&s0, &s1, i))
			TH_LOG("vGPU %d while the other hangs", i);
	}

	/*
	 * It submits again at once; if the hang was not detected, its
	 * engine reset stops it.
	 */
	ASSERT_EQ(0, guest_clear_err(&h->g, BCS));
	if (ms < 0)
		ASSERT_EQ(0, guest_reset(&h->g, MVGPU_GDRST_BLT));
	expect_usable(_metadata, h);
	ASSERT_EQ(0, guest_reset(&h->g, MVGPU_GDRST_BLT));
	expect_usable(_metadata, h);
	EXPECT_EQ(0, ((volatile uint32_t *)mark)[1]);
	expect_feeders_intact(_metadata, &others);
}

/*
 * A batch of RUNAWAY_BLITS fills of 2048x2048 pixels at pitch 0 (16 MiB
 * of writes to one 8 KiB row each) and no arbitration point of its own:
 * it would run for minutes.  The engine preempts it where a slice ends.
 * Returns its CPU address, its graphics address in @ga and its length in
 * @len.
 */
static uint32_t *runaway_batch(struct guest *g, uint64_t *ga, uint64_t *len)
{
	struct cs blit = { .n = 0 };
	uint64_t tgt_ga;
	uint32_t *b, *p;
	int i;

	if (!guest_map(g, 2 * GUEST_PAGE, &tgt_ga))
		return NULL;
	cs_fill(&blit, MVGPU_BR13_DEPTH_32, 0, 0, 0, RUNAWAY_WH, RUNAWAY_WH,
		tgt_ga, 0);
	*len = 4ULL * (RUNAWAY_BLITS * blit.n + 1);
	b = guest_map(g, *len, ga);
	if (!b)
		return NULL;
	for (i = 0, p = b; i < RUNAWAY_BLITS; i++, p += blit.n) {
		blit.dw[blit.n - 1] = 0xff000000U | i;	/* the colour */
		memcpy(p, blit.dw, 4 * blit.n);
	}
	*p = MVGPU_MI_BATCH_BUFFER_END;
	return b;
}

TEST_F_TIMEOUT(hang, runaway_batch_hangs_at_the_watchdog_and_others_keep_their_share, 120)
{
	struct feeder *h = &self->f[0];
	struct pump others = {
		.f = { &self->f[1], &self->f[2] }, .n = 2, .refill = 3,
	};
	uint64_t batch_ga, batch_len, t0;
	struct cs ring = { .n = 0 };
	struct guest_err err;
	struct guest_ev end;
	struct guest_ctx rc;
	struct snap s0, s1;
	long ms[RUNAWAY_ROUNDS], bound;
	int r, i;

	ASSERT_TRUE(runaway_batch(&h->g, &batch_ga, &batch_len) != NULL);
	cs_bbs(&ring, batch_ga);
	ASSERT_EQ(0, hang_ctx(&h->g, &rc, 0x230, &ring));
	pump_for(&others, WARMUP_MS);
	snap_take(self->f, &s0);
	for (r = 0; r < RUNAWAY_ROUNDS; r++) {
		/* After an error the image's head is the start: it runs again. */
		ASSERT_EQ(0, guest_clear_err(&h->g, BCS));
		ASSERT_EQ(0, guest_ack_iir(&h->g, 0xffffffff));
		ASSERT_EQ(0, csb_skip(&h->g, BCS));
		t0 = guest_now_ms();
		ASSERT_EQ(0, guest_submit(&h->g, BCS, &rc, NULL));
		/*
		 * Preempted at the end of every engine slice, it shares the
		 * engine with the others: as for a semaphore nobody
		 * signals, hang_ms of its engine time in all ends it, at
		 * the start of its workload in the ring.  Alone on the
		 * engine (or if the scheduler has no hang_ms) the backend's
		 * watchdog ends it in the batch instead.
		 */
		bound = WATCHDOG_MS * self->wsum / self->weight[0] /
			MIN_DUTY + SLACK_MS;
		ms[r] = pump_until_end(&others, &h->g, BCS, rc.id, &end, t0,
				       bound + 1000);
		ASSERT_LE(0, ms[r]) TH_LOG("round %d: no end (%ld)", r, ms[r]);
		expect_hang(_metadata, &h->g, &end, rc.id, &err);
		if (ERR_SPACE(err.status) == MVGPU_SPACE_RING) {
			EXPECT_GT(4ULL * ring.n, err.cmd_addr);
		} else {
			EXPECT_TRUE(ERR_SPACE(err.status) == MVGPU_SPACE_GGTT &&
				    err.cmd_addr >= batch_ga &&
				    err.cmd_addr < batch_ga + batch_len)
				TH_LOG("command at 0x%llx",
				       (unsigned long long)err.cmd_addr);
		}
		EXPECT_GE(ms[r], WATCHDOG_MS);
		EXPECT_LE(ms[r], bound) TH_LOG("round %d", r);
	}
	/* The others catch up on the engine time the last hang took. */
	pump_for(&others, WATCHDOG_MS * (self->wsum - self->weight[0]) /
		 self->weight[0] + WARMUP_MS);
	snap_take(self->f, &s1);
	printf("# runaway batch: HANG after %ld, %ld, %ld ms (watchdog %d); shares %.1f%% %.1f%% %.1f%%, %.1f %.1f workloads/s\n",
	       ms[0], ms[1], ms[2], WATCHDOG_MS, 100 * snap_share(&s0, &s1, 0),
	       100 * snap_share(&s0, &s1, 1), 100 * snap_share(&s0, &s1, 2),
	       snap_rate(&s0, &s1, 1), snap_rate(&s0, &s1, 2));
	for (i = 1; i < NR_HANG; i++)
		EXPECT_GE(snap_share(&s0, &s1, i),
			  MIN_SHARE * self->weight[i] / self->wsum)
			TH_LOG("vGPU %d", i);

	/* A device reset through GDRST, which keeps the GGTT. */
	ASSERT_EQ(0, guest_reset(&h->g, MVGPU_GDRST_FULL));
	expect_usable(_metadata, h);
	expect_feeders_intact(_metadata, &others);
}

/* ---- latency next to a batch of cheap-looking blits ---- */

#define CHEAP_BLITS	4096
#define CHEAP_ROWS	2048
#define LAT_ROUNDS	40
#define LAT_TIME_MS	30000	/* or fewer rounds, when they are this slow */
#define LAT_GAP_US	3000	/* at most, between two rounds */
/*
 * The small workload waits for at most the end of an engine slice (about
 * 1 ms natively, Documentation/gpu-interface.rst) and of the scheduler's
 * slice (1 ms), plus two context switches: p50 1.6 to 6.7 ms and max 9
 * to 29 ms in three runs under TCG on a shared host.  The bound leaves
 * room for a debug kernel and a busier host;
 * without an arbitration point at the end of a slice the batch kept the
 * engine for a whole slice of 4096 blits, 200 ms and more (2 s p50, 5 s
 * at most on a busy host).
 */
#define LAT_MAX_MS	100

/*
 * A batch of CHEAP_BLITS copies of 1 x CHEAP_ROWS pixels at 8 bpp with
 * pitch 0 and no arbitration point: 2 KiB of writes per blit, 8 MiB in
 * all, but 2048 rows (two page maps each) per blit, 8M rows in all.
 * Returns its graphics address in @ga.
 */
static uint32_t *cheap_blit_batch(struct guest *g, uint64_t *ga)
{
	struct cs blit = { .n = 0 };
	uint64_t src_ga, dst_ga;
	uint32_t *b, *p;
	int i;

	if (!guest_map(g, GUEST_PAGE, &src_ga) ||
	    !guest_map(g, GUEST_PAGE, &dst_ga))
		return NULL;
	cs_copy(&blit, MVGPU_BR13_DEPTH_8, 0, 0, 0, 1, CHEAP_ROWS, dst_ga, 0,
		0, 0, src_ga);
	b = guest_map(g, 4ULL * (CHEAP_BLITS * blit.n + 1), ga);
	if (!b)
		return NULL;
	for (i = 0, p = b; i < CHEAP_BLITS; i++, p += blit.n)
		memcpy(p, blit.dw, 4 * blit.n);
	*p = MVGPU_MI_BATCH_BUFFER_END;
	return b;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The blit batch's vGPU: one workload in flight, resubmitted as it ends. */
struct cheap {
	struct guest *g;
	struct guest_ctx c;
	uint64_t batch_ga;
	unsigned long ended, hangs;
};

static int cheap_submit(struct cheap *a)
{
	struct cs cs = { .n = 0 };

	cs_bbs(&cs, a->batch_ga);
	guest_emit(&a->c, cs.dw, cs.n);
	return guest_submit(a->g, BCS, &a->c, NULL);
}

/* Resubmit when its workload ended; -EIO on anything unexpected. */
static int cheap_poll(struct cheap *a)
{
	struct guest_ev e;
	int got;

	while ((got = guest_csb_next(a->g, BCS, &e)) > 0) {
		if (!(e.status & END_BITS))
			continue;
		a->ended++;
		if (e.status & MVGPU_CSB_ERROR) {
			struct guest_err err;

			/* the watchdog or hang_ms may stop the old engine */
			guest_read_err(a->g, BCS, &err);
			if (ERR_CODE(err.status) != MVGPU_ERR_HANG)
				return -EIO;
			a->hangs++;
			if (guest_clear_err(a->g, BCS))
				return -EIO;
			/* its head is back at the batch start: it runs again */
			if (guest_submit(a->g, BCS, &a->c, NULL))
				return -EIO;
			continue;
		}
		if (cheap_submit(a))
			return -EIO;
	}
	return got;
}

TEST_F_TIMEOUT(hang, cheap_blits_without_arb_check_leave_others_a_short_latency, 120)
{
	struct cheap a = { .g = &self->f[0].g };
	struct guest *gb = &self->f[1].g;
	uint64_t lat[LAT_ROUNDS], mark_ga, t0, wall0;
	volatile uint32_t *mark;
	long busy0, busy1;
	struct guest_ctx bc;
	struct guest_ev e;
	int r, n, got;

	ASSERT_TRUE(cheap_blit_batch(a.g, &a.batch_ga) != NULL);
	ASSERT_EQ(0, guest_ctx_create(a.g, &a.c, RING_BYTES, 0x240));
	mark = guest_map(gb, GUEST_PAGE, &mark_ga);
	ASSERT_TRUE(mark != NULL);
	mark[0] = 0;
	ASSERT_EQ(0, guest_ctx_create(gb, &bc, RING_BYTES, 0x241));
	ASSERT_EQ(0, csb_skip(a.g, BCS));
	ASSERT_EQ(0, csb_skip(gb, BCS));

	busy0 = vgpu_attr(self->f[0].g.uuid, "busy_ns_bcs");
	wall0 = now_us();
	ASSERT_EQ(0, cheap_submit(&a));
	srand(1);
	for (r = 0; r < LAT_ROUNDS &&
		    now_us() - wall0 < 1000ULL * LAT_TIME_MS; r++) {
		struct cs cs = { .n = 0 };
		bool done = false;

		usleep(1000 + rand() % LAT_GAP_US);
		ASSERT_EQ(0, cheap_poll(&a));
		cs_sdi(&cs, mark_ga, r + 1);
		guest_emit(&bc, cs.dw, cs.n);
		t0 = now_us();
		ASSERT_EQ(0, guest_submit(gb, BCS, &bc, NULL));
		while (!done && now_us() - t0 < 1000ULL * GUEST_TIMEOUT_MS) {
			while ((got = guest_csb_next(gb, BCS, &e)) > 0) {
				if (!(e.status & END_BITS))
					continue;
				ASSERT_EQ(MVGPU_CSB_COMPLETE, e.status & END_BITS);
				done = true;
			}
			ASSERT_LE(0, got);
			if (!done) {
				ASSERT_EQ(0, cheap_poll(&a));
				usleep(100);
			}
		}
		lat[r] = now_us() - t0;
		ASSERT_TRUE(done) TH_LOG("round %d: no end", r);
		__sync_synchronize();
		ASSERT_EQ(r + 1, mark[0]);
	}
	busy1 = vgpu_attr(self->f[0].g.uuid, "busy_ns_bcs");
	n = r;
	qsort(lat, n, sizeof(lat[0]), cmp_u64);
	printf("# small workload next to %d blits of 1x%d, no arbitration point: latency p50 %.1f ms, max %.1f ms over %d rounds; the blits' vGPU: %lu workloads ended (%lu HANG), %.0f of %.0f ms on the engine\n",
	       CHEAP_BLITS, CHEAP_ROWS, lat[n / 2] / 1e3, lat[n - 1] / 1e3, n,
	       a.ended, a.hangs, (busy1 - busy0) / 1e6,
	       (now_us() - wall0) / 1e3);
	/* the batch really competed for the engine */
	EXPECT_LE(0.25 * (now_us() - wall0), (busy1 - busy0) / 1e3);
	EXPECT_GT(1000ULL * LAT_MAX_MS, lat[n - 1]);

	/* Let its last workload end before the fixture goes. */
	ASSERT_EQ(0, guest_reset(a.g, MVGPU_GDRST_BLT));
	expect_usable(_metadata, &self->f[0]);
}

/* ---- removal, close and SIGKILL with work in flight ---- */

/* A "Vm<name>:" line of /proc/self/status, in kB, or -1. */
static long status_kb(const char *name)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256], fmt[32];
	long kb = -1;

	if (!f)
		return -1;
	snprintf(fmt, sizeof(fmt), "Vm%s: %%ld", name);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, fmt, &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Memory counted against RLIMIT_MEMLOCK. */
static long vmlck_kb(void)
{
	return status_kb("Lck");
}

/*
 * Pinned memory, however the IOMMU backend counts it: type1 counts pins
 * in VmLck, iommufd (the debug kernel's /dev/vfio/vfio) in VmPin, and in
 * VmLck too only without CAP_IPC_LOCK.
 */
static long pinned_kb(void)
{
	long lck = vmlck_kb(), pin = status_kb("Pin");

	return lck < 0 || pin < 0 ? -1 : lck + pin;
}

static long inflight_of(const char *uuid)
{
	return vgpu_attr(uuid, "submissions") - vgpu_attr(uuid, "completed") -
	       vgpu_attr(uuid, "errors");
}

static bool vgpu_exists(const char *uuid)
{
	char path[256];

	snprintf(path, sizeof(path), MDEV_DIR "/%s", uuid);
	return !access(path, F_OK);
}

FIXTURE(client) {
	struct feeder a;	/* a bystander on the same engines */
	struct holder h;	/* the client under test, on vGPU uuid */
	char uuid[40];
	bool a_made, h_open, v_made;
	long avail;		/* mvgpu-V1_8 instances free with both made */
	long pinned;		/* pinned_kb() with the bystander alone */
};

FIXTURE_SETUP(client)
{
	ASSERT_EQ(0, feeder_create(&self->a, "mvgpu-V1_8", 0x300, false));
	self->a_made = true;
	make_uuid(self->uuid);
	ASSERT_EQ(0, vgpu_create("mvgpu-V1_8", self->uuid));
	self->v_made = true;
	self->avail = type_available("mvgpu-V1_8");
	self->pinned = pinned_kb();
	ASSERT_LE(0, self->pinned);
}

FIXTURE_TEARDOWN(client)
{
	if (self->h_open)
		guest_close(&self->h.f.g);
	if (self->v_made)
		EXPECT_EQ(0, vgpu_remove(self->uuid));
	if (self->a_made)
		EXPECT_EQ(0, guest_destroy(&self->a.g));
}

/* Run the bystander and the holder for @ms; -EIO if the holder failed. */
static int pump_with_holder(struct pump *p, struct holder *h, uint64_t ms)
{
	uint64_t end = guest_now_ms() + ms;
	int ret = 0;

	while (!ret && guest_now_ms() < end) {
		pump_once(p);
		ret = holder_poll(h);
		usleep(200);
	}
	return ret ?: p->err;
}

struct remover {
	const char *uuid;
	int ret;
	int done;
};

static void *remove_thread(void *arg)
{
	struct remover *r = arg;

	r->ret = vgpu_remove(r->uuid);
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static bool remover_done(struct remover *r)
{
	return __atomic_load_n(&r->done, __ATOMIC_ACQUIRE);
}

static bool eventfd_fired(int efd)
{
	uint64_t n;

	return read(efd, &n, sizeof(n)) == sizeof(n) && n;
}

TEST_F_TIMEOUT(client, removal_while_work_runs_waits_for_the_user_then_frees_everything, 120)
{
	struct pump p = { .f = { &self->a }, .n = 1, .refill = 1 };
	struct remover r = { .uuid = self->uuid };
	unsigned long before;
	uint64_t end;
	pthread_t t;
	bool asked = false;
	int efd;

	ASSERT_EQ(0, holder_open(&self->h, self->uuid));
	self->h_open = true;
	ASSERT_EQ(0, pump_with_holder(&p, &self->h, 300));
	EXPECT_LT(0, vgpu_attr(self->uuid, "pinned_pages"));
	EXPECT_LT(0, vgpu_attr(self->uuid, "shadow_pages"));
	EXPECT_LT(self->pinned, pinned_kb());
	efd = eventfd(0, EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, mvgpu_vfio_irq_set_eventfd(self->h.f.g.v,
						VFIO_PCI_REQ_IRQ_INDEX, efd));

	ASSERT_EQ(0, pthread_create(&t, NULL, remove_thread, &r));
	end = guest_now_ms() + 2000;
	while (!asked && guest_now_ms() < end) {
		EXPECT_EQ(0, pump_with_holder(&p, &self->h, 10));
		asked = eventfd_fired(efd);
	}
	EXPECT_TRUE(asked) TH_LOG("no request interrupt within 2 s");
	/* The user still has it: its work goes on, removal waits. */
	before = self->h.f.done + self->h.stores;
	EXPECT_EQ(0, pump_with_holder(&p, &self->h, 500));
	EXPECT_LT(before, self->h.f.done + self->h.stores);
	EXPECT_FALSE(remover_done(&r));

	/* It closes with work in flight; then the removal completes. */
	EXPECT_LT(0, self->h.f.inflight);
	guest_close(&self->h.f.g);
	self->h_open = false;
	end = guest_now_ms() + 3000;
	while (!remover_done(&r) && guest_now_ms() < end)
		pump_for(&p, 10);
	ASSERT_TRUE(remover_done(&r)) TH_LOG("removal still waits after close");
	pthread_join(t, NULL);
	close(efd);
	EXPECT_EQ(0, r.ret);
	self->v_made = r.ret != 0;
	EXPECT_FALSE(vgpu_exists(self->uuid));
	EXPECT_EQ(self->avail + 1, type_available("mvgpu-V1_8"));
	EXPECT_EQ(self->pinned, pinned_kb());

	pump_for(&p, 200);
	expect_feeders_intact(_metadata, &p);
}

TEST_F_TIMEOUT(client, close_with_work_in_flight_releases_pins_and_shadows, 120)
{
	struct pump p = { .f = { &self->a }, .n = 1, .refill = 1 };
	uint64_t t0;

	ASSERT_EQ(0, holder_open(&self->h, self->uuid));
	self->h_open = true;
	ASSERT_EQ(0, pump_with_holder(&p, &self->h, 300));
	EXPECT_LT(0, vgpu_attr(self->uuid, "pinned_pages"));
	EXPECT_LT(0, vgpu_attr(self->uuid, "shadow_pages"));
	EXPECT_LT(0, self->h.f.inflight);
	guest_close(&self->h.f.g);
	self->h_open = false;
	EXPECT_EQ(0, vgpu_attr(self->uuid, "pinned_pages"));
	EXPECT_EQ(0, vgpu_attr(self->uuid, "shadow_pages"));
	EXPECT_EQ(self->pinned, pinned_kb());

	/* Nobody holds it: removal is immediate. */
	t0 = guest_now_ms();
	EXPECT_EQ(0, vgpu_remove(self->uuid));
	self->v_made = vgpu_exists(self->uuid);
	EXPECT_GT(1000, guest_now_ms() - t0);
	EXPECT_EQ(self->avail + 1, type_available("mvgpu-V1_8"));
	pump_for(&p, 200);
	expect_feeders_intact(_metadata, &p);
}

/* Start "fault_test --hold @uuid" with its output thrown away. */
static pid_t spawn_holder(const char *uuid)
{
	pid_t pid = fork();
	int fd;

	if (pid)
		return pid;
	fd = open("/dev/null", O_WRONLY);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	execl("/proc/self/exe", "fault_test", "--hold", uuid, (char *)NULL);
	_exit(127);
}

/*
 * Pump the bystander until the holder's vGPU has completed @n more
 * workloads and has work in flight, pins and shadow tables; 0, or
 * -ECHILD if the holder died, -ETIMEDOUT.
 */
static int wait_busy(struct pump *p, pid_t pid, const char *uuid, long n)
{
	long c0 = vgpu_attr(uuid, "completed");
	uint64_t end = guest_now_ms() + 20000;
	int status;

	while (guest_now_ms() < end) {
		pump_for(p, 5);
		if (waitpid(pid, &status, WNOHANG) == pid)
			return -ECHILD;
		if (vgpu_attr(uuid, "completed") >= c0 + n &&
		    inflight_of(uuid) > 0 &&
		    vgpu_attr(uuid, "pinned_pages") > 0 &&
		    vgpu_attr(uuid, "shadow_pages") > 0)
			return 0;
	}
	return -ETIMEDOUT;
}

/* Pump until the vGPU holds no pin and no shadow table; ms, or -1. */
static long wait_released(struct pump *p, const char *uuid, int timeout_ms)
{
	uint64_t t0 = guest_now_ms();

	while (vgpu_attr(uuid, "pinned_pages") ||
	       vgpu_attr(uuid, "shadow_pages")) {
		if (guest_now_ms() - t0 > (uint64_t)timeout_ms)
			return -1;
		pump_for(p, 5);
	}
	return guest_now_ms() - t0;
}

#define KILL_ROUNDS	2

TEST_F_TIMEOUT(client, sigkill_of_a_client_mid_workload_releases_every_pin_and_shadow, 120)
{
	struct pump p = { .f = { &self->a }, .n = 1, .refill = 1 };
	long pins, spts, inflight, ms, sbytes;
	int round, status;
	pid_t pid;

	EXPECT_EQ(0, vgpu_attr(self->uuid, "pinned_pages"));
	EXPECT_EQ(0, vgpu_attr(self->uuid, "shadow_pages"));
	for (round = 0; round < KILL_ROUNDS; round++) {
		pid = spawn_holder(self->uuid);
		ASSERT_LT(0, pid);
		EXPECT_EQ(0, wait_busy(&p, pid, self->uuid, 4));
		pins = vgpu_attr(self->uuid, "pinned_pages");
		spts = vgpu_attr(self->uuid, "shadow_pages");
		inflight = inflight_of(self->uuid);
		ASSERT_EQ(0, kill(pid, SIGKILL));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			TH_LOG("holder status 0x%x", status);
		ms = wait_released(&p, self->uuid, 1000);
		sbytes = vgpu_attr(self->uuid, "shadow_bytes");
		printf("# round %d: killed with %ld pinned pages, %ld shadow tables, %ld workloads in flight; released after %ld ms, %ld shadow bytes cached\n",
		       round, pins, spts, inflight, ms, sbytes);
		EXPECT_LE(0, ms) TH_LOG("pins %ld shadow tables %ld left",
				       vgpu_attr(self->uuid, "pinned_pages"),
				       vgpu_attr(self->uuid, "shadow_pages"));
		/* At most the reuse cache, 32 shadows of up to 64 KiB. */
		EXPECT_GE(32L << 16, sbytes);
	}
	/* The vGPU opens again and runs work. */
	ASSERT_EQ(0, holder_open(&self->h, self->uuid));
	self->h_open = true;
	EXPECT_EQ(0, pump_with_holder(&p, &self->h, 300));
	EXPECT_LT(0, self->h.stores);
	EXPECT_LT(0, self->h.f.done);
	guest_close(&self->h.f.g);
	self->h_open = false;
	EXPECT_EQ(0, vgpu_attr(self->uuid, "pinned_pages"));
	expect_feeders_intact(_metadata, &p);
}

/* ---- pinning over RLIMIT_MEMLOCK ---- */

#define PIN_BUDGET	16	/* pages the client may pin */
#define BIG_PAGES	16	/* a surface that does not fit */

/* CAP_IPC_LOCK in or out of the effective set; it stays permitted. */
static int set_ipc_lock(bool on)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];
	uint32_t bit = 1U << (CAP_IPC_LOCK % 32);

	if (syscall(SYS_capget, &h, d))
		return -errno;
	if (on)
		d[CAP_IPC_LOCK / 32].effective |= bit;
	else
		d[CAP_IPC_LOCK / 32].effective &= ~bit;
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

static int drop_ipc_lock(void)
{
	return set_ipc_lock(false);
}

static int set_memlock(uint64_t bytes)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_MEMLOCK, &r))
		return -errno;
	r.rlim_cur = bytes < r.rlim_max ? bytes : r.rlim_max;
	return setrlimit(RLIMIT_MEMLOCK, &r) ? -errno : 0;
}

/* After an error the image's head is the failed work's start: skip it. */
static void skip_failed(struct guest_ctx *c)
{
	c->img[MVGPU_CTX_RING_HEAD] = c->tail;
}

static uint64_t gpa_of(const struct guest *g, const void *p)
{
	return g->iova + ((const uint8_t *)p - g->mem);
}

FIXTURE(pin) {
	struct feeder b;	/* a bystander, opened with CAP_IPC_LOCK */
	struct guest v;		/* the limited client */
	bool b_made, v_made;
};

FIXTURE_SETUP(pin)
{
	ASSERT_EQ(0, feeder_create(&self->b, "mvgpu-V1_8", 0x400, false));
	self->b_made = true;
}

FIXTURE_TEARDOWN(pin)
{
	if (self->v_made)
		EXPECT_EQ(0, guest_destroy(&self->v));
	if (self->b_made)
		EXPECT_EQ(0, guest_destroy(&self->b.g));
}

/* Run @c on @engine alone; the end entry in @end; 0 or -errno. */
static int run_one(struct guest *g, unsigned int engine, struct guest_ctx *c,
		   bool ppgtt, struct guest_ev *end)
{
	struct pump none = { .n = 0 };
	uint64_t t0 = guest_now_ms();
	int ret;

	ret = ppgtt ? guest_submit64(g, engine, c, NULL) :
		      guest_submit(g, engine, c, NULL);
	if (ret)
		return ret;
	ret = pump_until_end(&none, g, engine, c->id, end, t0, GUEST_TIMEOUT_MS);
	return ret < 0 ? ret : 0;
}

/* The bystander, unlimited, completes one workload byte for byte. */
static void expect_bystander_ok(struct __test_metadata *_metadata,
				struct feeder *b)
{
	expect_usable(_metadata, b);
}

TEST_F_TIMEOUT(pin, pins_beyond_rlimit_memlock_fail_gpu_accesses_until_allowed, 120)
{
	struct guest *g = &self->v;
	uint64_t small_ga, big_ga, page1_gpa = 0, page2_gpa = 0;
	uint32_t *small, *big, *page0, *page1, *page2, i;
	long base_kb, bad_ggtt, bad_ppgtt;
	struct guest_ctx c, c64;
	struct guest_ppgtt pp;
	struct cs cs = { .n = 0 };
	struct guest_err err;
	struct guest_ev end;
	int fits;

	expect_bystander_ok(_metadata, &self->b);
	base_kb = vmlck_kb();
	ASSERT_LE(0, base_kb);
	ASSERT_EQ(0, drop_ipc_lock());
	ASSERT_EQ(0, set_memlock((base_kb << 10) + PIN_BUDGET * GUEST_PAGE));
	ASSERT_EQ(0, guest_create(g, "mvgpu-V1_8"));
	self->v_made = true;
	ASSERT_EQ(0, guest_start(g));

	/* 5 + 2 + 4 pinned pages, and the PPGTT's data page: 12 of 16. */
	ASSERT_EQ(0, guest_ctx_create(g, &c, 4 * GUEST_PAGE, 0x410));
	ASSERT_EQ(0, guest_ppgtt_init(g, &pp));
	page0 = guest_ppgtt_map_new(g, &pp, 0, 1, NULL);
	ASSERT_TRUE(page0 != NULL);
	ASSERT_EQ(0, guest_ctx64_create(g, &c64, GUEST_PAGE, 0x411, pp.pml4));
	small = guest_map(g, 4 * GUEST_PAGE, &small_ga);
	ASSERT_TRUE(small != NULL);
	cs_fill(&cs, MVGPU_BR13_DEPTH_32, 4096, 0, 0, 1024, 4, small_ga,
		0xff00aa01);
	guest_emit(&c, cs.dw, cs.n);
	ASSERT_EQ(0, run_one(g, BCS, &c, false, &end));
	EXPECT_EQ(MVGPU_CSB_COMPLETE, end.status & END_BITS);
	EXPECT_EQ(0xff00aa01, small[4 * 1024 - 1]);
	cs.n = 0;
	CS(&cs, MVGPU_MI_STORE_DATA_IMM, 0, 0, 0x5100e001);
	guest_emit(&c64, cs.dw, cs.n);
	ASSERT_EQ(0, run_one(g, RCS, &c64, true, &end));
	EXPECT_EQ(MVGPU_CSB_COMPLETE, end.status & END_BITS);
	EXPECT_EQ(0x5100e001, ((volatile uint32_t *)page0)[0]);
	fits = PIN_BUDGET - vgpu_attr(g->uuid, "pinned_pages");
	ASSERT_LT(0, fits);
	ASSERT_GT(BIG_PAGES, fits);

	/* GGTT entries past the budget are refused: not in effect. */
	bad_ggtt = vgpu_attr(g->uuid, "bad_ggtt");
	big = guest_map(g, BIG_PAGES * GUEST_PAGE, &big_ga);
	ASSERT_TRUE(big != NULL);
	memset(big, 0, BIG_PAGES * GUEST_PAGE);
	EXPECT_EQ(PIN_BUDGET, vgpu_attr(g->uuid, "pinned_pages"));
	EXPECT_EQ(bad_ggtt + BIG_PAGES - fits, vgpu_attr(g->uuid, "bad_ggtt"));
	EXPECT_EQ(base_kb + PIN_BUDGET * 4, vmlck_kb());
	EXPECT_EQ(gpa_of(g, big + (BIG_PAGES - 1) * 1024) | MVGPU_PTE_VALID,
		  guest_get_pte(g, big_ga + (BIG_PAGES - 1) * GUEST_PAGE));

	/* A fill across them faults at the first page not pinned. */
	ASSERT_EQ(0, guest_clear_err(g, BCS));
	cs.n = 0;
	cs_fill(&cs, MVGPU_BR13_DEPTH_32, 4096, 0, 0, 1024, BIG_PAGES, big_ga,
		0xff00bb02);
	guest_emit(&c, cs.dw, cs.n);
	ASSERT_EQ(0, run_one(g, BCS, &c, false, &end));
	EXPECT_EQ(MVGPU_CSB_ERROR, end.status & END_BITS);
	guest_read_err(g, BCS, &err);
	EXPECT_EQ(MVGPU_ERR_GGTT_FAULT, ERR_CODE(err.status))
		TH_LOG("ERR_STATUS 0x%x", err.status);
	EXPECT_EQ(big_ga + fits * GUEST_PAGE, err.fault_addr);
	for (i = fits * 1024; i < BIG_PAGES * 1024; i++)
		if (big[i])
			break;
	EXPECT_EQ(BIG_PAGES * 1024, i) TH_LOG("unpinned page written");
	skip_failed(&c);

	/* So does a PPGTT store to a page that cannot be pinned. */
	bad_ppgtt = vgpu_attr(g->uuid, "bad_ppgtt");
	page1 = guest_ppgtt_map_new(g, &pp, GUEST_PAGE, 1, &page1_gpa);
	ASSERT_TRUE(page1 != NULL);
	ASSERT_EQ(0, guest_clear_err(g, RCS));
	cs.n = 0;
	CS(&cs, MVGPU_MI_STORE_DATA_IMM, GUEST_PAGE, 0, 0x5100e002);
	guest_emit(&c64, cs.dw, cs.n);
	ASSERT_EQ(0, run_one(g, RCS, &c64, true, &end));
	EXPECT_EQ(MVGPU_CSB_ERROR, end.status & END_BITS);
	guest_read_err(g, RCS, &err);
	EXPECT_EQ(MVGPU_ERR_PPGTT_FAULT, ERR_CODE(err.status))
		TH_LOG("ERR_STATUS 0x%x", err.status);
	EXPECT_EQ(1, ERR_LEVEL(err.status));
	EXPECT_EQ(GUEST_PAGE, err.fault_addr);
	EXPECT_EQ(bad_ppgtt + 1, vgpu_attr(g->uuid, "bad_ppgtt"));
	EXPECT_EQ(0, page1[0]);
	EXPECT_EQ(0, vgpu_attr(g->uuid, "failsafe"));
	skip_failed(&c64);
	expect_bystander_ok(_metadata, &self->b);

	/* Allowed more, the guest writes its entries again: they work. */
	ASSERT_EQ(0, set_memlock(RLIM_INFINITY));
	for (i = fits; i < BIG_PAGES; i++)
		ASSERT_EQ(0, guest_set_pte(g, big_ga + i * GUEST_PAGE,
					   gpa_of(g, big + i * 1024)));
	EXPECT_EQ(PIN_BUDGET + BIG_PAGES - fits,
		  vgpu_attr(g->uuid, "pinned_pages"));
	ASSERT_EQ(0, guest_clear_err(g, BCS));
	cs.n = 0;
	cs_fill(&cs, MVGPU_BR13_DEPTH_32, 4096, 0, 0, 1024, BIG_PAGES, big_ga,
		0xff00bb03);
	guest_emit(&c, cs.dw, cs.n);
	ASSERT_EQ(0, run_one(g, BCS, &c, false, &end));
	EXPECT_EQ(MVGPU_CSB_COMPLETE, end.status & END_BITS);
	for (i = 0; i < BIG_PAGES * 1024; i++)
		if (big[i] != 0xff00bb03)
			break;
	EXPECT_EQ(BIG_PAGES * 1024, i);

	/*
	 * A PPGTT entry whose pin failed for want of room (the memlock
	 * limit) is tried again at the next submission: unchanged, it works
	 * once the limit is raised.  Changed, it works too.
	 */
	ASSERT_EQ(0, guest_clear_err(g, RCS));
	cs.n = 0;
	CS(&cs, MVGPU_MI_STORE_DATA_IMM, GUEST_PAGE, 0, 0x5100e003);
	guest_emit(&c64, cs.dw, cs.n);
	ASSERT_EQ(0, run_one(g, RCS, &c64, true, &end));
	EXPECT_EQ(MVGPU_CSB_COMPLETE, end.status & END_BITS);
	EXPECT_EQ(0x5100e003, ((volatile uint32_t *)page1)[0]);
	if (end.status & MVGPU_CSB_ERROR)
		skip_failed(&c64);
	page2 = guest_alloc_pages(g, 1, &page2_gpa);
	ASSERT_TRUE(page2 != NULL);
	ASSERT_EQ(0, guest_ppgtt_map(g, &pp, GUEST_PAGE, page2_gpa));
	ASSERT_EQ(0, guest_clear_err(g, RCS));
	cs.n = 0;
	CS(&cs, MVGPU_MI_STORE_DATA_IMM, GUEST_PAGE, 0, 0x5100e004);
	guest_emit(&c64, cs.dw, cs.n);
	ASSERT_EQ(0, run_one(g, RCS, &c64, true, &end));
	EXPECT_EQ(MVGPU_CSB_COMPLETE, end.status & END_BITS);
	EXPECT_EQ(0x5100e004, ((volatile uint32_t *)page2)[0]);

	/* Closing gives every pin back. */
	guest_close(g);
	EXPECT_EQ(0, vgpu_attr(g->uuid, "pinned_pages"));
	EXPECT_EQ(base_kb, vmlck_kb());
	expect_bystander_ok(_metadata, &self->b);
}

static int set_pin_limit(const char *uuid, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), MDEV_DIR "/%s/mvgpu/pin_limit", uuid);
	return sysfs_write(path, val);
}

/* A fill of @pages pages at @ga on the BCS; its end entry's status. */
static uint32_t fill_pages(struct __test_metadata *_metadata, struct guest *g,
			   struct guest_ctx *c, uint64_t ga, unsigned int pages,
			   uint32_t color)
{
	struct cs cs = { .n = 0 };
	struct guest_ev end;

	EXPECT_EQ(0, guest_clear_err(g, BCS));
	cs_fill(&cs, MVGPU_BR13_DEPTH_32, 4096, 0, 0, 1024, pages, ga, color);
	guest_emit(c, cs.dw, cs.n);
	EXPECT_EQ(0, run_one(g, BCS, c, false, &end));
	return end.status & END_BITS;
}

/*
 * The VMM's side, in a process of its own so that nothing else of it is
 * locked: without CAP_IPC_LOCK and with RLIMIT_MEMLOCK at PIN_BUDGET
 * pages, it opens vGPU @uuid, whose pin limit that is, as sysfs
 * pin_limit shows while it has the vGPU open; one the administrator
 * writes takes precedence until "auto" is written.  Pins past the limit
 * are refused and counted, and work through them faults.  Opened again
 * with CAP_IPC_LOCK and the same rlimit, it has no limit.
 */
static void rlimit_vmm(struct __test_metadata *_metadata, struct guest *g,
		       const char *uuid)
{
	const long limit = PIN_BUDGET;
	uint64_t ga, ga2, ga3;
	long pins, bad_ggtt;
	struct guest_ctx c;
	struct guest_err err;
	uint32_t *p, *p2, *p3, i;
	char val[32];
	int fits;

	ASSERT_EQ(0, vmlck_kb());
	ASSERT_EQ(0, drop_ipc_lock());
	ASSERT_EQ(0, set_memlock(limit * GUEST_PAGE));
	ASSERT_EQ(0, guest_open(g, uuid));
	EXPECT_EQ(limit, vgpu_attr(uuid, "pin_limit"));
	ASSERT_EQ(0, guest_start(g));
	ASSERT_EQ(0, guest_ctx_create(g, &c, 4 * GUEST_PAGE, 0x420));

	/* the administrator's limit first: 2 of 4 pages are pinned */
	pins = vgpu_attr(uuid, "pinned_pages");
	ASSERT_LT(pins + 4, limit);
	snprintf(val, sizeof(val), "%ld", pins + 2);
	ASSERT_EQ(0, set_pin_limit(uuid, val));
	EXPECT_EQ(pins + 2, vgpu_attr(uuid, "pin_limit"));
	bad_ggtt = vgpu_attr(uuid, "bad_ggtt");
	p = guest_map(g, 4 * GUEST_PAGE, &ga);
	ASSERT_TRUE(p != NULL);
	EXPECT_EQ(pins + 2, vgpu_attr(uuid, "pinned_pages"));
	EXPECT_EQ(bad_ggtt + 2, vgpu_attr(uuid, "bad_ggtt"));
	EXPECT_EQ(-EINVAL, set_pin_limit(uuid, "automatic"));

	/* "auto": the rlimit again, and the same entries written again work */
	ASSERT_EQ(0, set_pin_limit(uuid, "auto"));
	EXPECT_EQ(limit, vgpu_attr(uuid, "pin_limit"));
	for (i = 2; i < 4; i++)
		ASSERT_EQ(0, guest_set_pte(g, ga + i * GUEST_PAGE,
					   gpa_of(g, p + i * 1024)));
	EXPECT_EQ(pins + 4, vgpu_attr(uuid, "pinned_pages"));
	EXPECT_EQ(MVGPU_CSB_COMPLETE, fill_pages(_metadata, g, &c, ga, 4,
						 0xff00cc01));
	EXPECT_EQ(0xff00cc01, p[4 * 1024 - 1]);

	/* past the rlimit: refused, counted, and a fill faults there */
	fits = limit - vgpu_attr(uuid, "pinned_pages");
	ASSERT_LT(0, fits);
	bad_ggtt = vgpu_attr(uuid, "bad_ggtt");
	p2 = guest_map(g, (fits + 4) * GUEST_PAGE, &ga2);
	ASSERT_TRUE(p2 != NULL);
	EXPECT_EQ(limit, vgpu_attr(uuid, "pinned_pages"));
	EXPECT_EQ(bad_ggtt + 4, vgpu_attr(uuid, "bad_ggtt"));
	EXPECT_EQ(limit * 4, vmlck_kb());
	EXPECT_EQ(MVGPU_CSB_ERROR, fill_pages(_metadata, g, &c, ga2, fits + 4,
					      0xff00cc02));
	guest_read_err(g, BCS, &err);
	EXPECT_EQ(MVGPU_ERR_GGTT_FAULT, ERR_CODE(err.status))
		TH_LOG("ERR_STATUS 0x%x", err.status);
	EXPECT_EQ(ga2 + fits * GUEST_PAGE, err.fault_addr);
	for (i = fits * 1024; i < (uint32_t)(fits + 4) * 1024; i++)
		if (p2[i])
			break;
	EXPECT_EQ((uint32_t)(fits + 4) * 1024, i) TH_LOG("unpinned page written");
	skip_failed(&c);

	/* an explicit 0 is no limit, whatever the rlimit */
	ASSERT_EQ(0, set_pin_limit(uuid, "0"));
	EXPECT_EQ(0, vgpu_attr(uuid, "pin_limit"));
	ASSERT_EQ(0, set_pin_limit(uuid, "auto"));
	EXPECT_EQ(limit, vgpu_attr(uuid, "pin_limit"));

	/* closed, no VMM limits it; opened with CAP_IPC_LOCK, none either */
	guest_close(g);
	EXPECT_EQ(0, vgpu_attr(uuid, "pin_limit"));
	EXPECT_EQ(0, vgpu_attr(uuid, "pinned_pages"));
	ASSERT_EQ(0, set_ipc_lock(true));
	ASSERT_EQ(0, guest_open(g, uuid));
	EXPECT_EQ(0, vgpu_attr(uuid, "pin_limit"));
	ASSERT_EQ(0, guest_start(g));
	ASSERT_EQ(0, guest_ctx_create(g, &c, 4 * GUEST_PAGE, 0x421));
	p3 = guest_map(g, (limit + 4) * GUEST_PAGE, &ga3);
	ASSERT_TRUE(p3 != NULL);
	EXPECT_LT(limit + 4, vgpu_attr(uuid, "pinned_pages"));
	EXPECT_EQ(MVGPU_CSB_COMPLETE, fill_pages(_metadata, g, &c, ga3,
						 limit + 4, 0xff00cc03));
	EXPECT_EQ(0xff00cc03, p3[(limit + 4) * 1024 - 1]);
	guest_close(g);
}

TEST_F_TIMEOUT(pin, the_vmms_rlimit_memlock_is_the_pin_limit_unless_sysfs_sets_one, 120)
{
	char uuid[40];
	int status;
	pid_t pid;

	make_uuid(uuid);
	ASSERT_EQ(0, vgpu_create("mvgpu-V1_8", uuid));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (!setjmp(_metadata->env))
			rlimit_vmm(_metadata, &self->v, uuid);
		_exit(_metadata->exit_code == KSFT_FAIL ? 1 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("the VMM's side failed: status 0x%x", status);
	EXPECT_EQ(0, vgpu_attr(uuid, "pin_limit"));
	EXPECT_EQ(0, vgpu_attr(uuid, "pinned_pages"));
	EXPECT_EQ(0, vgpu_remove(uuid));
	expect_bystander_ok(_metadata, &self->b);
}

/* ---- unmapping guest memory the guest keeps pinning ---- */

#define R_IOVA		0x40000000ULL	/* a mapping apart from guest memory */
#define R_PAGES		4
#define R_BYTES		(R_PAGES * GUEST_PAGE)
#define UNMAP_ROUNDS	100
#define PIN_WAIT_MS	2000	/* a pin that takes longer waited for a lock */
#define TRAP_WAIT_MS	10000

/*
 * Two vGPUs in one IOMMU context (a type1 container, or an IOAS): @b
 * was opened into @a's, shares its guest memory (the upper half) and is
 * notified first of an unmap.  @r is mapped at R_IOVA, apart from guest
 * memory.
 */
FIXTURE(unmap) {
	struct guest a, b;
	uint32_t *r;
};

FIXTURE_VARIANT(unmap) {
	int mode;
};

/* /dev/vfio/vfio: type1 on Debian's kernel, iommufd's on the debug kernel */
FIXTURE_VARIANT_ADD(unmap, group) {
	.mode = MVGPU_VFIO_GROUP,
};

FIXTURE_VARIANT_ADD(unmap, cdev) {
	.mode = MVGPU_VFIO_CDEV,
};

/*
 * Open vGPU @uuid as guest_open() does, in @mode; with @first, into its
 * IOMMU context, taking the upper half of its guest memory.
 */
static int unmap_open(struct guest *g, const char *uuid, int mode,
		      struct guest *first)
{
	struct mvgpu_vfio *v;
	int ret;

	memset(g, 0, sizeof(*g));
	ret = first ? mvgpu_vfio_open_in(uuid, first->v, &v) :
		      mvgpu_vfio_open(uuid, mode, &v);
	if (ret)
		return ret;
	ret = guest_init_opened(g, uuid, v);
	if (ret)
		return ret;
	if (first) {
		first->size /= 2;
		g->mem = first->mem + first->size;
		g->iova = first->iova + first->size;
		g->size = first->size;
		return 0;
	}
	return guest_give_mem(g, GUEST_MEM_SIZE);
}

FIXTURE_SETUP(unmap)
{
	char ua[40], ub[40];
	struct stat st;

	make_uuid(ua);
	make_uuid(ub);
	ASSERT_EQ(0, vgpu_create("mvgpu-V1_8", ua));
	/* As in vfio_test: /dev/vfio/devices appears with the first cdev. */
	if (variant->mode == MVGPU_VFIO_CDEV && stat("/dev/vfio/devices", &st)) {
		EXPECT_EQ(0, vgpu_remove(ua));
		SKIP(return, "kernel without VFIO device cdev (iommufd)");
	}
	ASSERT_EQ(0, vgpu_create("mvgpu-V1_8", ub));
	ASSERT_EQ(0, unmap_open(&self->a, ua, variant->mode, NULL));
	ASSERT_EQ(0, unmap_open(&self->b, ub, variant->mode, &self->a));
	ASSERT_EQ(0, guest_start(&self->a));
	ASSERT_EQ(0, guest_start(&self->b));
	self->r = mmap(NULL, R_BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->r);
	memset(self->r, 0, R_BYTES);
	ASSERT_EQ(0, mvgpu_vfio_map_dma(self->a.v, self->r, R_IOVA, R_BYTES));
}

FIXTURE_TEARDOWN(unmap)
{
	EXPECT_EQ(0, guest_destroy(&self->b));
	EXPECT_EQ(0, guest_destroy(&self->a));
	munmap(self->r, R_BYTES);
}

/* @n fresh pages of @g's hidden range, mapped by no entry yet. */
static uint64_t take_ga(struct guest *g, unsigned int n)
{
	uint64_t ga = g->hi_base + g->hi_used;

	g->hi_used += n * GUEST_PAGE;
	return ga;
}

/*
 * @g points GGTT entry @ga at page @page of R, which pins it, and a
 * store through it lands there.
 */
static void expect_store_to_r(struct __test_metadata *_metadata,
			      struct guest *g, uint32_t *r, uint64_t ga,
			      unsigned int page, uint32_t id, uint32_t val)
{
	long pins = vgpu_attr(g->uuid, "pinned_pages");
	long bad = vgpu_attr(g->uuid, "bad_ggtt");
	struct cs cs = { .n = 0 };
	struct guest_ctx c;

	ASSERT_EQ(0, guest_set_pte(g, ga, R_IOVA + page * GUEST_PAGE));
	EXPECT_EQ(pins + 1, vgpu_attr(g->uuid, "pinned_pages"));
	EXPECT_EQ(bad, vgpu_attr(g->uuid, "bad_ggtt"));
	ASSERT_EQ(0, guest_ctx_create(g, &c, 4 * GUEST_PAGE, id));
	cs_sdi(&cs, ga + 8, val);
	guest_emit_cs(&c, &cs);
	guest_run_ok(_metadata, g, BCS, &c);
	EXPECT_EQ(val, ((volatile uint32_t *)r)[page * 1024 + 2]);
}

/* Rewrites R_PAGES GGTT entries from @ga on into R until told to stop. */
struct pinner {
	struct guest *g;
	uint64_t ga;
	int stop;
	unsigned long writes;
	int err;
};

static void *pinner_thread(void *arg)
{
	struct pinner *p = arg;
	unsigned long i;

	for (i = 0; !__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE); i++) {
		/* Each write moves an entry to another page: unpin, pin. */
		unsigned int e = i % R_PAGES, page = (i / R_PAGES + e) % R_PAGES;

		p->err = guest_set_pte(p->g, p->ga + e * GUEST_PAGE,
				       R_IOVA + page * GUEST_PAGE);
		if (p->err)
			break;
		__atomic_store_n(&p->writes, i + 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* Wait until the pinner wrote every entry again: 0, or -ETIMEDOUT. */
static int pinner_wait(struct pinner *p)
{
	unsigned long want = __atomic_load_n(&p->writes, __ATOMIC_ACQUIRE) +
			     R_PAGES;
	uint64_t end = guest_now_ms() + GUEST_TIMEOUT_MS;

	while (__atomic_load_n(&p->writes, __ATOMIC_ACQUIRE) < want) {
		if (guest_now_ms() > end || p->err)
			return -ETIMEDOUT;
		usleep(100);
	}
	return 0;
}

/*
 * Before the fix: VFIO type1 called dma_unmap() again for every round
 * in which the pinner had pinned a page of R again, and after ten
 * rounds stopped the host with BUG_ON() (vfio_dma_do_unmap()).
 */
TEST_F_TIMEOUT(unmap, guest_pinning_memory_while_it_is_unmapped_cannot_crash_the_host, 300)
{
	struct pinner p = { .g = &self->b };
	long bad = vgpu_attr(self->b.uuid, "bad_ggtt");
	char why[128];
	int round, ret = 0;
	pthread_t t;

	p.ga = take_ga(&self->b, R_PAGES);
	ASSERT_EQ(0, pthread_create(&t, NULL, pinner_thread, &p));
	for (round = 0; round < UNMAP_ROUNDS && !ret; round++) {
		/* Each unmap finds pins to release and the pinner busy. */
		ret = pinner_wait(&p);
		ret = ret ?: mvgpu_vfio_unmap_dma(self->a.v, R_IOVA, R_BYTES);
		ret = ret ?: mvgpu_vfio_map_dma(self->a.v, self->r, R_IOVA,
						R_BYTES);
	}
	__atomic_store_n(&p.stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	EXPECT_EQ(0, ret) TH_LOG("round %d", round);
	EXPECT_EQ(0, p.err);
	printf("# %d unmaps and maps of R while %lu GGTT writes into it; %ld pins refused\n",
	       round, p.writes, vgpu_attr(self->b.uuid, "bad_ggtt") - bad);
	EXPECT_LT(UNMAP_ROUNDS * R_PAGES, p.writes);

	/* Both vGPUs work, and R is pinned and written again. */
	EXPECT_EQ(0, guest_fill_check(&self->a, 0x700, 0xff102030, why,
				      sizeof(why))) TH_LOG("A: %s", why);
	EXPECT_EQ(0, guest_fill_check(&self->b, 0x701, 0xff405060, why,
				      sizeof(why))) TH_LOG("B: %s", why);
	expect_store_to_r(_metadata, &self->b, self->r, take_ga(&self->b, 1),
			  1, 0x702, 0x5eed0702);
}

/*
 * VFIO_IOMMU_UNMAP_DMA of R asking for its dirty bitmap, into @bitmap:
 * type1 writes it after the devices released their pins and before it
 * removes the mapping, with its lock held.
 */
struct unmapper {
	int container_fd;
	void *bitmap;
	int ret;
	uint64_t unmapped;
};

static void *unmapper_thread(void *arg)
{
	struct unmapper *u = arg;
	struct vfio_iommu_type1_dma_unmap un = {
		.argsz = offsetof(struct vfio_iommu_type1_dma_unmap, data) +
			 sizeof(struct vfio_bitmap),
		.flags = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP,
		.iova = R_IOVA,
		.size = R_BYTES,
	};
	struct vfio_bitmap bm = {
		.pgsize = GUEST_PAGE,
		.size = sizeof(uint64_t),	/* R_PAGES bits */
		.data = u->bitmap,
	};
	uint64_t buf[(sizeof(un) + sizeof(bm)) / sizeof(uint64_t) + 1];

	memcpy(buf, &un, offsetof(struct vfio_iommu_type1_dma_unmap, data));
	memcpy((uint8_t *)buf + offsetof(struct vfio_iommu_type1_dma_unmap, data),
	       &bm, sizeof(bm));
	u->ret = ioctl(u->container_fd, VFIO_IOMMU_UNMAP_DMA, buf) ? -errno : 0;
	memcpy(&un, buf, offsetof(struct vfio_iommu_type1_dma_unmap, data));
	u->unmapped = un.size;
	return NULL;
}

struct ggtt_writer {
	struct guest *g;
	uint64_t ga, gpa;
	int ret;
	int done;
};

static void *ggtt_writer_thread(void *arg)
{
	struct ggtt_writer *w = arg;

	w->ret = guest_set_pte(w->g, w->ga, w->gpa);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * An unmap held in the middle (its dirty bitmap is a userfaultfd page):
 * vGPU B has released its pin of R; a GGTT write of B into R is refused
 * at once and pins nothing.  Before the fix it pinned, waiting for the
 * unmap's lock, and made the unmap call dma_unmap() again.  Once the
 * unmap ioctl has returned, R mapped again at the same address pins.
 */
TEST_F_TIMEOUT(unmap, pins_of_memory_being_unmapped_are_refused_until_the_unmap_returns, 120)
{
	struct vfio_iommu_type1_dirty_bitmap dirty = {
		.argsz = sizeof(dirty),
		.flags = VFIO_IOMMU_DIRTY_PAGES_FLAG_START,
	};
	struct ggtt_writer w = { .g = &self->b, .gpa = R_IOVA + GUEST_PAGE };
	struct unmapper u = { .container_fd = mvgpu_vfio_container_fd(self->a.v) };
	uint64_t ga0 = take_ga(&self->b, 1);
	struct uffd_trap trap;
	long pins, bad;
	pthread_t tu, tw;
	bool wrote;

	if (variant->mode != MVGPU_VFIO_GROUP)
		SKIP(return, "iommufd refuses such pins itself (prevent_access); its unmap cannot be held");
	if (ioctl(u.container_fd, VFIO_IOMMU_DIRTY_PAGES, &dirty)) {
		ASSERT_EQ(ENOTTY, errno);
		SKIP(return, "/dev/vfio/vfio is iommufd's, whose unmap cannot be held");
	}
	ASSERT_EQ(0, uffd_trap_open(&trap));
	u.bitmap = trap.page;
	w.ga = take_ga(&self->b, 1);

	pins = vgpu_attr(self->b.uuid, "pinned_pages");
	ASSERT_EQ(0, guest_set_pte(&self->b, ga0, R_IOVA));
	ASSERT_EQ(pins + 1, vgpu_attr(self->b.uuid, "pinned_pages"));

	ASSERT_EQ(0, pthread_create(&tu, NULL, unmapper_thread, &u));
	EXPECT_EQ(0, uffd_trap_wait(&trap, TRAP_WAIT_MS, NULL));
	/* The unmap is in progress: B has released its pin. */
	EXPECT_EQ(pins, vgpu_attr(self->b.uuid, "pinned_pages"));
	bad = vgpu_attr(self->b.uuid, "bad_ggtt");
	ASSERT_EQ(0, pthread_create(&tw, NULL, ggtt_writer_thread, &w));
	wrote = guest_wait_flag(&w.done, PIN_WAIT_MS);
	EXPECT_TRUE(wrote) TH_LOG("the GGTT write waited for the unmap");
	if (wrote) {
		EXPECT_EQ(0, w.ret);
		EXPECT_EQ(pins, vgpu_attr(self->b.uuid, "pinned_pages"));
		EXPECT_EQ(bad + 1, vgpu_attr(self->b.uuid, "bad_ggtt"));
	}

	EXPECT_EQ(0, uffd_trap_release(&trap));
	pthread_join(tu, NULL);
	pthread_join(tw, NULL);
	uffd_trap_close(&trap);
	EXPECT_EQ(0, u.ret);
	EXPECT_EQ(R_BYTES, u.unmapped);
	EXPECT_EQ(pins, vgpu_attr(self->b.uuid, "pinned_pages"));

	/* The unmap is over: mapped again, R pins and a store lands. */
	ASSERT_EQ(0, mvgpu_vfio_map_dma(self->a.v, self->r, R_IOVA, R_BYTES));
	expect_store_to_r(_metadata, &self->b, self->r, w.ga, 1, 0x710,
			  0x5eed0710);
}

/* ---- resets by the host (sysfs reset) ---- */

#define FAILSAFE_AT	16	/* rejected workloads that make a vGPU failsafe */
#define HR_HANG_MS	20000	/* nothing ends the waits but the reset */

FIXTURE(host_reset) {
	struct guest g;
	long watchdog_was, hang_ms_was;
	bool limits_set;
};

FIXTURE_SETUP(host_reset)
{
	ASSERT_EQ(0, guest_create(&self->g, "mvgpu-V1_8"));
	ASSERT_EQ(0, guest_start(&self->g));
	self->watchdog_was = module_watchdog_ms();
	self->hang_ms_was = sysfs_read_long(HANG_MS_PARAM);
	ASSERT_LE(0, self->watchdog_was);
	ASSERT_EQ(0, set_watchdog(HR_HANG_MS));
	self->limits_set = true;
	ASSERT_EQ(0, set_hang_ms(HR_HANG_MS));
}

FIXTURE_TEARDOWN(host_reset)
{
	EXPECT_EQ(0, guest_destroy(&self->g));
	if (self->limits_set) {
		EXPECT_EQ(0, set_watchdog(self->watchdog_was));
		if (self->hang_ms_was >= 0)
			EXPECT_EQ(0, set_hang_ms(self->hang_ms_was));
	}
}

static int host_reset(const char *uuid, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), MDEV_DIR "/%s/mvgpu/reset", uuid);
	return sysfs_write(path, val);
}

/* Wait until @engine of @g has had engine time: its work is running. */
static void expect_running(struct __test_metadata *_metadata,
			   struct guest *g, unsigned int engine)
{
	const char *busy = engine == RCS ? "busy_ns_rcs" : "busy_ns_bcs";
	uint64_t end = guest_now_ms() + GUEST_TIMEOUT_MS;

	while (vgpu_attr(g->uuid, busy) <= 0 && guest_now_ms() < end)
		usleep(1000);
	ASSERT_LT(0, vgpu_attr(g->uuid, busy)) TH_LOG("%s", busy);
}

TEST_F_TIMEOUT(host_reset, work_in_flight_ends_with_reset_error_and_the_next_work_runs, 120)
{
	struct guest *g = &self->g;
	struct guest_ctx hc[MVGPU_NUM_ENGINES], sc;
	struct guest_ev ev[GUEST_MAX_EV];
	const struct guest_ev *end;
	struct guest_err err;
	uint64_t sem_ga = 0;
	uint32_t *sem, iir;
	unsigned int e;
	int n;

	sem = guest_map(g, GUEST_PAGE, &sem_ga);
	ASSERT_TRUE(sem != NULL);
	sem[0] = 0;
	/* On each engine a wait nobody ends; on BCS a store behind it. */
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		struct cs cs = { .n = 0 };

		cs_sem(&cs, sem_ga, MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 1);
		ASSERT_EQ(0, hang_ctx(g, &hc[e], 0x300 + e, &cs));
	}
	{
		struct cs cs = { .n = 0 };

		cs_sdi(&cs, sem_ga + 8, 0x5a5a0300);
		ASSERT_EQ(0, hang_ctx(g, &sc, 0x310, &cs));
	}
	ASSERT_EQ(0, guest_ack_iir(g, 0xffffffff));
	ASSERT_EQ(0, guest_submit(g, RCS, &hc[RCS], NULL));
	ASSERT_EQ(0, guest_submit(g, BCS, &hc[BCS], &sc));
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		expect_running(_metadata, g, e);

	EXPECT_EQ(-EINVAL, host_reset(g->uuid, "0"));
	EXPECT_EQ(-EINVAL, host_reset(g->uuid, "reset"));
	EXPECT_EQ(0, vgpu_attr(g->uuid, "host_resets"));
	ASSERT_EQ(0, host_reset(g->uuid, "1"));
	EXPECT_EQ(1, vgpu_attr(g->uuid, "host_resets"));

	/* Each engine's element 0 ended with ERROR, code RESET, at once. */
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		n = guest_wait_csb(g, e, ev, GUEST_MAX_EV, 1000);
		ASSERT_LT(0, n) TH_LOG("engine %u: no end (%d)", e, n);
		end = guest_end_ev(ev, n);
		ASSERT_TRUE(end != NULL);
		EXPECT_EQ(hc[e].id, end->ctx_id);
		EXPECT_EQ(MVGPU_CSB_ERROR | MVGPU_CSB_ACTIVE_TO_IDLE,
			  end->status & (END_BITS | MVGPU_CSB_ACTIVE_TO_IDLE |
					 MVGPU_CSB_ELEMENT_SWITCH))
			TH_LOG("engine %u: status 0x%x", e, end->status);
		guest_read_err(g, e, &err);
		EXPECT_TRUE(err.status & MVGPU_ERR_STATUS_VALID);
		EXPECT_EQ(MVGPU_ERR_RESET, ERR_CODE(err.status))
			TH_LOG("ERR_STATUS 0x%x", err.status);
		EXPECT_EQ(hc[e].id, err.ctx_id);
	}
	iir = guest_iir(g);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		EXPECT_TRUE(iir & CS_ERROR_BIT(e)) TH_LOG("IIR 0x%x", iir);
		EXPECT_TRUE(iir & (MVGPU_GT_CONTEXT_SWITCH_INTERRUPT <<
				   guest_irq_shift(e))) TH_LOG("IIR 0x%x", iir);
	}
	/* The element behind it was dropped, and what was stopped stays so. */
	sem[0] = 1;
	usleep(100 * 1000);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		EXPECT_EQ(0, guest_csb_next(g, e, &ev[0]));
	EXPECT_EQ(0, ((volatile uint32_t *)sem)[2]);
	EXPECT_EQ(0, vgpu_attr(g->uuid, "hangs"));

	/* No guest reset: the dropped context and new work run at once. */
	ASSERT_EQ(0, guest_ack_iir(g, 0xffffffff));
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		ASSERT_EQ(0, guest_clear_err(g, e));
	n = guest_run(g, BCS, &sc, NULL, ev, GUEST_MAX_EV);
	ASSERT_LT(0, n);
	EXPECT_EQ(MVGPU_CSB_COMPLETE, guest_end_ev(ev, n)->status & END_BITS);
	EXPECT_EQ(0x5a5a0300, ((volatile uint32_t *)sem)[2]);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		guest_store_ok(_metadata, g, e, 0x320 + e, 0x5a5a0320 + e);
}

TEST_F_TIMEOUT(host_reset, reset_of_an_idle_or_closed_vgpu_changes_nothing_the_guest_sees, 60)
{
	struct guest *g = &self->g;
	uint32_t before[MVGPU_NUM_ENGINES], after;
	struct guest_ev ev;
	char uuid[40];
	unsigned int e;

	guest_store_ok(_metadata, g, BCS, 0x330, 0x5a5a0330);
	ASSERT_EQ(0, guest_ack_iir(g, 0xffffffff));
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		before[e] = guest_eng_rd(g, e, MVGPU_RING_CSB_PTR);
	ASSERT_EQ(0, host_reset(g->uuid, "1"));
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		after = guest_eng_rd(g, e, MVGPU_RING_CSB_PTR);
		EXPECT_EQ(before[e], after);
		EXPECT_EQ(0, guest_csb_next(g, e, &ev));
	}
	EXPECT_EQ(0, guest_iir(g));
	guest_store_ok(_metadata, g, RCS, 0x331, 0x5a5a0331);

	/* Nobody has the device open: a reset is harmless too. */
	snprintf(uuid, sizeof(uuid), "%s", g->uuid);
	guest_close(g);
	ASSERT_EQ(0, host_reset(uuid, "1"));
	ASSERT_EQ(0, guest_open(g, uuid));
	EXPECT_EQ(2, vgpu_attr(uuid, "host_resets"));
	ASSERT_EQ(0, guest_start(g));
	guest_store_ok(_metadata, g, BCS, 0x332, 0x5a5a0332);
}

TEST_F_TIMEOUT(host_reset, failsafe_mode_is_cleared_by_a_host_reset, 120)
{
	struct guest *g = &self->g;
	struct guest_ev ev[GUEST_MAX_EV];
	struct cs rej = { .n = 0 };
	struct guest_ctx c;
	unsigned int i;
	int n;

	CS(&rej, 0xffffffff);
	for (i = 0; i < FAILSAFE_AT; i++) {
		ASSERT_EQ(0, guest_ctx_create(g, &c, RING_BYTES, 0x340 + i));
		guest_emit_cs(&c, &rej);
		n = guest_run(g, RCS, &c, NULL, ev, GUEST_MAX_EV);
		ASSERT_LT(0, n);
		EXPECT_EQ(MVGPU_CSB_ERROR, guest_end_ev(ev, n)->status & END_BITS);
	}
	ASSERT_EQ(1, vgpu_attr(g->uuid, "failsafe"));
	EXPECT_EQ(1, guest_rd(g, MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_FAILSAFE_REG));
	ASSERT_EQ(0, guest_ack_iir(g, 0xffffffff));
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		ASSERT_EQ(0, guest_clear_err(g, i));

	ASSERT_EQ(0, host_reset(g->uuid, "1"));
	EXPECT_EQ(0, vgpu_attr(g->uuid, "failsafe"));
	EXPECT_EQ(0, guest_rd(g, MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_FAILSAFE_REG));
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		guest_store_ok(_metadata, g, i, 0x360 + i, 0x5a5a0360 + i);
	/* The count of rejections starts again: one more is not failsafe. */
	ASSERT_EQ(0, guest_ctx_create(g, &c, RING_BYTES, 0x370));
	guest_emit_cs(&c, &rej);
	n = guest_run(g, RCS, &c, NULL, ev, GUEST_MAX_EV);
	ASSERT_LT(0, n);
	EXPECT_EQ(0, vgpu_attr(g->uuid, "failsafe"));
}

struct resetter {
	const char *uuid;
	int n, failed;
};

static void *resetter_thread(void *arg)
{
	struct resetter *r = arg;
	int i;

	for (i = 0; i < r->n; i++) {
		if (host_reset(r->uuid, "1"))
			r->failed++;
		usleep(2000);
	}
	return NULL;
}

TEST_F_TIMEOUT(host_reset, resets_racing_submissions_end_every_one_and_leak_nothing, 120)
{
	struct resetter r = { .uuid = self->g.uuid, .n = 150 };
	struct guest *g = &self->g;
	struct guest_ev ev[GUEST_MAX_EV];
	int done = 0, reset = 0, i, n;
	const struct guest_ev *end;
	struct guest_err err;
	uint64_t ga = 0;
	char uuid[40];
	pthread_t t;
	uint32_t *p;

	p = guest_map(g, GUEST_PAGE, &ga);
	ASSERT_TRUE(p != NULL);
	ASSERT_EQ(0, pthread_create(&t, NULL, resetter_thread, &r));
	for (i = 0; i < 300; i++) {
		unsigned int e = i % MVGPU_NUM_ENGINES;
		struct cs cs = { .n = 0 };
		struct guest_ctx c;

		ASSERT_EQ(0, guest_ctx_create(g, &c, GUEST_PAGE, 0x400 + i));
		cs_sdi(&cs, ga + 4 * (i % 1024), 0x5a000000 | i);
		guest_emit_cs(&c, &cs);
		n = guest_run(g, e, &c, NULL, ev, GUEST_MAX_EV);
		ASSERT_LT(0, n) TH_LOG("submission %d never ended (%d)", i, n);
		end = guest_end_ev(ev, n);
		ASSERT_TRUE(end != NULL);
		EXPECT_EQ(c.id, end->ctx_id);
		if (end->status & MVGPU_CSB_COMPLETE) {
			EXPECT_EQ(0x5a000000 | i, ((volatile uint32_t *)p)[i % 1024]);
			done++;
			continue;
		}
		guest_read_err(g, e, &err);
		EXPECT_EQ(MVGPU_ERR_RESET, ERR_CODE(err.status))
			TH_LOG("ERR_STATUS 0x%x", err.status);
		ASSERT_EQ(0, guest_clear_err(g, e));
		reset++;
	}
	pthread_join(t, NULL);
	TH_LOG("%d completed, %d ended by a reset, %d resets", done, reset, r.n);
	EXPECT_EQ(0, r.failed);
	EXPECT_EQ(r.n, vgpu_attr(g->uuid, "host_resets"));
	EXPECT_LT(0, done);
	EXPECT_EQ(0, vgpu_attr(g->uuid, "hangs"));
	EXPECT_EQ(0, vgpu_attr(g->uuid, "failsafe"));
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		guest_store_ok(_metadata, g, i, 0x7f0 + i, 0x5a5a07f0 + i);
	/* Closed, the vGPU holds no pin and no shadow table. */
	snprintf(uuid, sizeof(uuid), "%s", g->uuid);
	guest_close(g);
	EXPECT_EQ(0, vgpu_attr(uuid, "pinned_pages"));
	EXPECT_EQ(0, vgpu_attr(uuid, "shadow_pages"));
	ASSERT_EQ(0, guest_open(g, uuid));
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--hold"))
		return hold_main(argv[2]);
	return test_harness_run(argc, argv);
}
