// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tenancy at scale: 64 vGPUs of the smallest type (mvgpu-V1_64) on ONE
 * pGPU, with mixed weights (1, 2, 3, 4 in turn, written to each vGPU's
 * weight file), all keeping both engines busy.  Not part of the default
 * run: `make scale` (tests/scale.sh).
 *
 *   MVGPU_SCALE_VGPUS        vGPUs (default 64)
 *   MVGPU_SCALE_SECONDS      the fairness phase (default 60)
 *   MVGPU_SCALE_LAT_SECONDS  each latency phase (default 10)
 *   MVGPU_SCALE_SLICE_US     the pGPU's time slice (default 1000)
 *
 * Each vGPU keeps IN_FLIGHT workloads queued on each engine: on the BCS,
 * FILLS fills of 64x64 regions of a buffer (one of NBUF, in turn), each
 * with a value of its own, an arbitration point between; on the RCS,
 * STORES stores of fresh values.  The work goes over its targets in
 * PASSES passes (BCS_SPOTS regions, RCS_SPOTS dwords), each pass with
 * values of its own, so that the engines have PASSES times more to do
 * than the pollers to check: checking every pixel costs about as much
 * as writing it under TCG, and with as much to check as to write the
 * queues ran dry, which pulls shares toward equal.  Every completed
 * workload is checked, all of its result (each pixel of each region,
 * each dword: the last pass's values).  Two poller threads (one an
 * engine) refill.  Each workload ends with a store of its sequence
 * number, as a guest driver's breadcrumb: completions are read from it,
 * since with 64 vGPUs to poll, a vGPU's six CSB entries may be
 * overwritten before they are read (CSB entries are still read, for
 * errors).
 *
 * Fairness: over the run, each vGPU's share of the delivered work (bytes
 * its fills wrote on the BCS, stores on the RCS, as counted here: those
 * of checked workloads, and those of workloads in flight whose values
 * are already in memory) and of the engine time the backend measured
 * (backend_ns_*) is compared with its weight's share; the largest
 * deviation (share / weight's share - 1) is printed, and for comparison
 * that of the scheduler's own charge (busy_ns_*).  Target: 5%.  The
 * charge is the backend's engine time (mediation.rst, "Scheduling"), so
 * those two agree: the delivered work, counted here, is the measure
 * that the scheduler does not see.  Each
 * second's shares go to $MVGPU_OUT/scale_shares.csv (columns in
 * Documentation/performance.rst, "Tenancy at scale").
 *
 * Latency: vGPU 0 is replaced by a fresh one, the probe (a vGPU that was
 * busy before would first pay back what it got beyond its share): at
 * random times it
 * submits one store on the BCS and waits until the store has landed;
 * the time from its ELSP write to then, in slices, gives p50, p99 and
 * the maximum, among the other vGPUs saturating (target p99 <= 2
 * slices).  Then again with BIG_VGPUS of the others submitting only
 * maximal blits (MVGPU_BLT_MAX_PIXELS at 8 bpp: 16 MiB, one
 * non-preemptible command each, 8 times the software GPU's slice budget;
 * at 32 bpp one takes longer than the 1 s watchdog under TCG);
 * the share of engine time of one of them over each second is compared
 * with its weight's share (target 5%).
 */
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define SCALE_MAX	64
#define SCALE_MEM	(10ULL << 20)
/*
 * Per engine, deep enough that a vGPU of weight 4 does not run dry while
 * the pollers check everybody's results (under TCG the BCS poller's
 * checking is about as slow as the engine's writing), or the shares
 * would tend to equal; and below MVGPU_SCHED_MAX_QUEUED (16) with room
 * to spare: a breadcrumb lands before the vGPU retires its workload, and
 * a submission beyond the queue's room is dropped.
 */
#define IN_FLIGHT	12
#define NBUF		(IN_FLIGHT + 1)
#define SURF_W		64
#define SURF_H		64
#define FILLS		32
#define FILL_BYTES	(SURF_W * SURF_H * 4)
#define NMEAS		6
#define STORES		512
#define PASSES		16
#define BCS_SPOTS	(FILLS / PASSES)
#define RCS_SPOTS	(STORES / PASSES)
#define RING_BYTES	(64 * 1024)
#define WARMUP_MS	3000
#define BIG_VGPUS	8
#define BIG_W		4096	/* 4096 x 4096 at 8 bpp, pitch 0: 16 MiB */
#define BIG_H		(MVGPU_BLT_MAX_PIXELS / BIG_W)
#define CLASS_DIR	"/sys/class/mvgpu/mvgpu0"
#define TARGET		0.05
/*
 * The probe's weight, the mix's largest: it starts promptly only while it
 * asks for less than its share, and each of its runs is charged at least
 * an engine step (about 1 ms under TCG): at weight 1 among 157 its share
 * would be 1/160 of the engine, less than one step per 100 ms.
 */
#define PROBE_WEIGHT	4
#define PROBE_WEIGHT_S	"4"

enum load { LOAD_NORMAL, LOAD_BIG, LOAD_NONE };

/**
 * struct tenant - one vGPU acting as its own guest driver
 * @g: the guest
 * @c: a context per engine
 * @buf: BCS buffers of FILLS regions, written in turn; @buf_ga their
 *       graphics addresses
 * @store: RCS store targets, @STORES dwords per in-flight slot
 * @big: per in-flight slot, a maximal blit's one row; @big_ga the first's
 *       address
 * @seqno: per engine (16 dwords apart), the breadcrumb: workloads done
 * @weight: its scheduling weight
 * @load: what it submits on the BCS (the RCS always runs stores)
 * @sub, @done: workloads submitted and checked, per engine
 * @kind: per in-flight BCS slot, whether it was a maximal blit
 * @bytes: bytes its checked BCS work wrote
 * @cmds: stores its checked RCS work made
 * @seq: per engine, odd while @bytes or @cmds and @done are being updated
 * @probe: driven by the latency probe, not by the pollers
 * @bad: set with @why on a wrong result or an error
 */
struct tenant {
	struct guest g;
	struct guest_ctx c[MVGPU_NUM_ENGINES];
	uint32_t *buf[NBUF];
	uint64_t buf_ga[NBUF];
	uint32_t *store;
	uint64_t store_ga;
	uint32_t *big;
	uint64_t big_ga;
	volatile uint32_t *seqno;
	uint64_t seqno_ga;
	unsigned int weight;
	_Atomic int load;
	atomic_ulong sub[MVGPU_NUM_ENGINES], done[MVGPU_NUM_ENGINES];
	_Atomic bool kind[NBUF];
	atomic_ulong bytes, cmds;
	atomic_uint seq[MVGPU_NUM_ENGINES];
	bool probe;
	atomic_int bad;
	char why[200];
};

/* The per-second samples of one vGPU, for the fairness sums and the CSV. */
struct sample {
	unsigned long bytes, cmds, be_ns[MVGPU_NUM_ENGINES];
	unsigned long sched_ns[MVGPU_NUM_ENGINES];
};

static struct tenant tn[SCALE_MAX];
static unsigned int ntn;
static atomic_int stop_pollers;

static unsigned int env_uint(const char *name, unsigned int def)
{
	const char *v = getenv(name);

	return v ? strtoul(v, NULL, 0) : def;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* What piece @k of @t's work on @e writes: a fill, or a run of stores. */
static uint32_t value_of(const struct tenant *t, unsigned int e,
			 unsigned long k)
{
	return guest_pattern((uint32_t)(t - tn) << 24 ^ e << 23 ^ (uint32_t)k) | 1;
}

static uint32_t *region(struct tenant *t, unsigned int slot, unsigned int j)
{
	return t->buf[slot] + j * (FILL_BYTES / 4);
}

static void __attribute__((format(printf, 2, 3)))
fail(struct tenant *t, const char *fmt, ...)
{
	va_list ap;

	if (atomic_exchange(&t->bad, 1))
		return;
	va_start(ap, fmt);
	vsnprintf(t->why, sizeof(t->why), fmt, ap);
	va_end(ap);
}

/* Queue the next BCS workload of @t: fills of a surface, or a big blit. */
static int submit_bcs(struct tenant *t)
{
	unsigned long k = t->sub[MVGPU_ENGINE_BCS];
	unsigned int slot = k % NBUF, j;
	struct cs cs;

	cs.n = 0;
	t->kind[slot] = atomic_load(&t->load) == LOAD_BIG;
	if (t->kind[slot]) {
		cs_fill(&cs, MVGPU_BR13_DEPTH_8, 0, 0, 0, BIG_W, BIG_H,
			t->big_ga + slot * BIG_W,
			value_of(t, MVGPU_ENGINE_BCS, k * FILLS));
	} else {
		for (j = 0; j < FILLS; j++) {
			cs_fill(&cs, MVGPU_BR13_DEPTH_32, SURF_W * 4, 0, 0, SURF_W,
				SURF_H,
				t->buf_ga[slot] + j % BCS_SPOTS * FILL_BYTES,
				value_of(t, MVGPU_ENGINE_BCS, k * FILLS + j));
			CS(&cs, MVGPU_MI_ARB_CHECK);
		}
	}
	cs_sdi(&cs, t->seqno_ga + 64 * MVGPU_ENGINE_BCS, k + 1);
	guest_emit_cs(&t->c[MVGPU_ENGINE_BCS], &cs);
	t->sub[MVGPU_ENGINE_BCS]++;
	return guest_submit(&t->g, MVGPU_ENGINE_BCS, &t->c[MVGPU_ENGINE_BCS], NULL);
}

/* Queue the next RCS workload of @t: STORES fresh values. */
static int submit_rcs(struct tenant *t)
{
	unsigned long k = t->sub[MVGPU_ENGINE_RCS];
	unsigned int slot = k % NBUF, i;
	uint32_t v = value_of(t, MVGPU_ENGINE_RCS, k);
	uint64_t ga = t->store_ga + slot * STORES * 4;
	struct cs cs;

	cs.n = 0;
	for (i = 0; i < STORES; i++) {
		cs_sdi(&cs, ga + 4 * (i % RCS_SPOTS), v + i);
		if (i % 16 == 15)
			CS(&cs, MVGPU_MI_ARB_CHECK);
	}
	cs_sdi(&cs, t->seqno_ga + 64 * MVGPU_ENGINE_RCS, k + 1);
	guest_emit_cs(&t->c[MVGPU_ENGINE_RCS], &cs);
	t->sub[MVGPU_ENGINE_RCS]++;
	return guest_submit(&t->g, MVGPU_ENGINE_RCS, &t->c[MVGPU_ENGINE_RCS], NULL);
}

/* Check the oldest workload of @t on @e, which has just completed. */
static void check_done(struct tenant *t, unsigned int e)
{
	unsigned long k = t->done[e];
	unsigned int slot = k % NBUF, i, j, n = BCS_SPOTS;
	uint32_t v = value_of(t, e, k);
	const uint32_t *p;

	__sync_synchronize();
	if (e == MVGPU_ENGINE_RCS) {
		p = t->store + slot * STORES;
		for (i = 0; i < RCS_SPOTS; i++)
			if (p[i] != v + STORES - RCS_SPOTS + i)
				return fail(t, "RCS workload %lu: dword %u is 0x%x",
					    k, i, p[i]);
		atomic_fetch_add(&t->seq[e], 1);
		atomic_fetch_add(&t->cmds, STORES);
		t->done[e]++;
		atomic_fetch_add(&t->seq[e], 1);
		return;
	}
	if (t->kind[slot]) {
		const uint8_t *b = (const uint8_t *)t->big + slot * BIG_W;

		v = value_of(t, e, k * FILLS) & 0xff;
		for (i = 0; i < BIG_W; i++)
			if (b[i] != v)
				return fail(t, "BCS big blit %lu: pixel %u is 0x%x, want 0x%x",
					    k, i, b[i], v);
		n = 0;
	}
	for (j = 0; j < n; j++) {
		v = value_of(t, e, k * FILLS + FILLS - BCS_SPOTS + j);
		p = region(t, slot, j);
		for (i = 0; i < FILL_BYTES / 4; i++)
			if (p[i] != v)
				return fail(t, "BCS workload %lu: fill %u pixel %u is 0x%x, want 0x%x",
					    k, j, i, p[i], v);
	}
	atomic_fetch_add(&t->seq[e], 1);
	atomic_fetch_add(&t->bytes, t->kind[slot] ?
			 (unsigned long)BIG_W * BIG_H :
			 (unsigned long)FILLS * FILL_BYTES);
	t->done[e]++;
	atomic_fetch_add(&t->seq[e], 1);
}

/* Take @t's CSB entries on @e, check what completed, refill. */
static void poll_tenant(struct tenant *t, unsigned int e)
{
	struct guest_ev ev;
	uint32_t seq;
	int got;

	if (t->probe || atomic_load(&t->bad))
		return;
	while ((got = guest_csb_next(&t->g, e, &ev)) > 0)
		if (ev.status & MVGPU_CSB_ERROR)
			return fail(t, "engine %u: error, status 0x%x, ERR_STATUS 0x%x",
				    e, ev.status,
				    guest_eng_rd(&t->g, e, MVGPU_RING_ERR_STATUS));
	if (got < 0)
		return fail(t, "engine %u: CSB read %d", e, got);
	seq = t->seqno[16 * e];
	if (seq > t->sub[e])
		return fail(t, "engine %u: breadcrumb %u beyond %lu submitted",
			    e, seq, (unsigned long)t->sub[e]);
	while (t->done[e] < seq && !atomic_load(&t->bad))
		check_done(t, e);
	while (atomic_load(&t->load) != LOAD_NONE && !atomic_load(&t->bad) &&
	       t->sub[e] - t->done[e] < IN_FLIGHT)
		if (e == MVGPU_ENGINE_RCS ? submit_rcs(t) : submit_bcs(t))
			return fail(t, "engine %u: submission failed", e);
}

static void *poller(void *arg)
{
	unsigned int e = (uintptr_t)arg, i;

	while (!atomic_load(&stop_pollers)) {
		for (i = 0; i < ntn; i++)
			poll_tenant(&tn[i], e);
		usleep(500);
	}
	return NULL;
}

static int tenant_setup(struct tenant *t, unsigned int i)
{
	char uuid[40], w[16];
	unsigned int b;
	int ret;

	make_uuid(uuid);
	ret = vgpu_create("mvgpu-V1_64", uuid);
	if (ret)
		return ret;
	t->weight = 1 + i % 4;
	snprintf(w, sizeof(w), "%u", t->weight);
	ret = vgpu_attr_write(uuid, "weight", w);
	ret = ret ?: guest_open_mem(&t->g, uuid, SCALE_MEM);
	ret = ret ?: guest_start(&t->g);
	ret = ret ?: guest_ctx_create(&t->g, &t->c[MVGPU_ENGINE_RCS], RING_BYTES,
				      0x100 + i);
	ret = ret ?: guest_ctx_create(&t->g, &t->c[MVGPU_ENGINE_BCS], RING_BYTES,
				      0x200 + i);
	if (ret)
		return ret;
	for (b = 0; b < NBUF; b++) {
		t->buf[b] = guest_map(&t->g, BCS_SPOTS * FILL_BYTES,
				      &t->buf_ga[b]);
		if (!t->buf[b])
			return -ENOMEM;
	}
	t->store = guest_map(&t->g, NBUF * STORES * 4, &t->store_ga);
	t->big = guest_map(&t->g, NBUF * BIG_W, &t->big_ga);
	t->seqno = guest_map(&t->g, GUEST_PAGE, &t->seqno_ga);
	if (!t->store || !t->big || !t->seqno)
		return -ENOMEM;
	memset((void *)t->seqno, 0, GUEST_PAGE);
	return 0;
}

/*
 * Passes done on a dword of the RCS that holds @got, whose pass r writes
 * @first + r * @step: a pass leaves the values of its own.
 */
static unsigned int passes_done(uint32_t got, uint32_t first, uint32_t step)
{
	unsigned int r;

	for (r = PASSES; r > 0; r--)
		if (got == first + (r - 1) * step)
			return r;
	return 0;
}

/* The same for a BCS region whose last pixel holds @got; @piece: pass 0's. */
static unsigned int bcs_passes_done(const struct tenant *t, uint32_t got,
				    unsigned long piece)
{
	unsigned int r;

	for (r = PASSES; r > 0; r--)
		if (got == value_of(t, MVGPU_ENGINE_BCS,
				    piece + (r - 1) * BCS_SPOTS))
			return r;
	return 0;
}

/*
 * Work of @t's workloads in flight on @e that is already in memory: fills
 * whose last pixel and stores that hold their values.  Read while the
 * engines write; a workload completed meanwhile counts here or in the
 * totals, a slot reused meanwhile not at all.
 */
static unsigned long landed(struct tenant *t, unsigned int e,
			    unsigned long from, unsigned long to)
{
	const volatile uint32_t *p;
	unsigned long k, n = 0;
	unsigned int slot, j;
	uint32_t v;

	for (k = from; k < to; k++) {
		slot = k % NBUF;
		if (e == MVGPU_ENGINE_RCS) {
			p = t->store + slot * STORES;
			v = value_of(t, e, k);
			for (j = 0; j < RCS_SPOTS; j++)
				n += passes_done(p[j], v + j, RCS_SPOTS);
		} else if (!t->kind[slot]) {
			for (j = 0; j < BCS_SPOTS; j++) {
				p = region(t, slot, j);
				n += FILL_BYTES *
				     bcs_passes_done(t, p[FILL_BYTES / 4 - 1],
						     k * FILLS + j);
			}
		}
	}
	return n;
}

/*
 * @t's delivered work on @e: checked workloads and what has landed of
 * those in flight, at one instant (retried if a workload was checked
 * meanwhile, so that none is counted twice or dropped).
 */
static unsigned long delivered(struct tenant *t, unsigned int e)
{
	unsigned long d, q, n;
	unsigned int seq;

	do {
		seq = atomic_load(&t->seq[e]);
		n = atomic_load(e == MVGPU_ENGINE_BCS ? &t->bytes : &t->cmds);
		d = atomic_load(&t->done[e]);
		q = atomic_load(&t->sub[e]);
		n += landed(t, e, d, q);
	} while ((seq & 1) || atomic_load(&t->seq[e]) != seq);
	return n;
}

static void sample_all(struct sample *s)
{
	struct tenant *t;
	unsigned int i;

	for (i = 0; i < ntn; i++) {
		t = &tn[i];
		s[i].bytes = delivered(t, MVGPU_ENGINE_BCS);
		s[i].cmds = delivered(t, MVGPU_ENGINE_RCS);
		s[i].be_ns[MVGPU_ENGINE_RCS] = vgpu_attr(t->g.uuid, "backend_ns_rcs");
		s[i].be_ns[MVGPU_ENGINE_BCS] = vgpu_attr(t->g.uuid, "backend_ns_bcs");
		s[i].sched_ns[MVGPU_ENGINE_RCS] = vgpu_attr(t->g.uuid, "busy_ns_rcs");
		s[i].sched_ns[MVGPU_ENGINE_BCS] = vgpu_attr(t->g.uuid, "busy_ns_bcs");
	}
}

/* The measures of @i between samples @a and @b. */
static void deltas(const struct sample *a, const struct sample *b,
		   unsigned int i, double d[NMEAS])
{
	d[0] = b[i].bytes - a[i].bytes;
	d[1] = b[i].cmds - a[i].cmds;
	d[2] = b[i].be_ns[MVGPU_ENGINE_BCS] - a[i].be_ns[MVGPU_ENGINE_BCS];
	d[3] = b[i].be_ns[MVGPU_ENGINE_RCS] - a[i].be_ns[MVGPU_ENGINE_RCS];
	d[4] = b[i].sched_ns[MVGPU_ENGINE_BCS] - a[i].sched_ns[MVGPU_ENGINE_BCS];
	d[5] = b[i].sched_ns[MVGPU_ENGINE_RCS] - a[i].sched_ns[MVGPU_ENGINE_RCS];
}

/* The first four are the targets; the scheduler's charge is for comparison. */
static const char *const measure[NMEAS] = {
	"BCS bytes written", "RCS stores", "BCS engine time", "RCS engine time",
	"BCS sched charge", "RCS sched charge",
};

/* Shares between samples @a and @b of the vGPUs in @set (weights > 0). */
static void shares(const struct sample *a, const struct sample *b,
		   const bool *set, double share[][NMEAS], double *want)
{
	double sum[NMEAS] = { 0 }, d[NMEAS], wsum = 0;
	unsigned int i, m;

	for (i = 0; i < ntn; i++) {
		if (!set[i])
			continue;
		deltas(a, b, i, d);
		for (m = 0; m < NMEAS; m++)
			sum[m] += d[m];
		wsum += tn[i].weight;
	}
	for (i = 0; i < ntn; i++) {
		deltas(a, b, i, d);
		want[i] = set[i] ? tn[i].weight / wsum : 0;
		for (m = 0; m < NMEAS; m++)
			share[i][m] = sum[m] > 0 ? d[m] / sum[m] : 0;
	}
}

static bool any_bad(void)
{
	unsigned int i;

	for (i = 0; i < ntn; i++)
		if (atomic_load(&tn[i].bad)) {
			printf("# vGPU %u: %s\n", i, tn[i].why);
			return true;
		}
	return false;
}

/* Run for @secs seconds, sampling each; CSV rows if @csv. */
static int run_sampled(unsigned int secs, const bool *set, FILE *csv,
		       const char *phase, struct sample *first,
		       struct sample *last, double *worst_sec, unsigned int who)
{
	static struct sample prev[SCALE_MAX], cur[SCALE_MAX];
	static double share[SCALE_MAX][NMEAS], want[SCALE_MAX];
	unsigned int s, i;

	sample_all(prev);
	memcpy(first, prev, sizeof(prev));
	for (s = 1; s <= secs; s++) {
		sleep(1);
		if (any_bad())
			return -EIO;
		sample_all(cur);
		shares(prev, cur, set, share, want);
		for (i = 0; csv && i < ntn; i++) {
			double d[NMEAS];

			deltas(prev, cur, i, d);
			fprintf(csv, "%s,%u,%u,%u,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.0f,%.0f,%.0f,%.0f\n",
				phase, s, i, tn[i].weight, want[i], share[i][0],
				share[i][1], share[i][2], share[i][3], share[i][4],
				share[i][5], d[0], d[1], d[2], d[3]);
		}
		if (worst_sec && want[who] > 0)
			*worst_sec = fmax(*worst_sec,
					  fabs(share[who][2] / want[who] - 1));
		memcpy(prev, cur, sizeof(cur));
	}
	memcpy(last, cur, sizeof(cur));
	return 0;
}

/* Print the largest deviation of each measure from the weights. */
static double report(const struct sample *a, const struct sample *b,
		     const bool *set)
{
	static double share[SCALE_MAX][NMEAS], want[SCALE_MAX];
	double worst_all = 0;
	unsigned int i, m;

	shares(a, b, set, share, want);
	for (m = 0; m < NMEAS; m++) {
		double worst = 0, dev;
		unsigned int who = 0;

		for (i = 0; i < ntn; i++) {
			if (!set[i])
				continue;
			dev = share[i][m] / want[i] - 1;
			if (fabs(dev) > fabs(worst)) {
				worst = dev;
				who = i;
			}
		}
		printf("# %-18s largest deviation from the weight's share %+6.2f%% (vGPU %u, weight %u: %.3f%% for %.3f%%)\n",
		       measure[m], 100 * worst, who, tn[who].weight,
		       100 * share[who][m], 100 * want[who]);
		if (m < 4)
			worst_all = fmax(worst_all, fabs(worst));
	}
	return worst_all;
}

/* How busy the engines were and what they delivered, per second. */
static void throughput(const struct sample *a, const struct sample *b,
		       unsigned int secs)
{
	double sum[NMEAS] = { 0 }, d[NMEAS];
	unsigned int i, m;

	for (i = 0; i < ntn; i++) {
		deltas(a, b, i, d);
		for (m = 0; m < 4; m++)
			sum[m] += d[m];
	}
	printf("# delivered: BCS %.1f MB/s (%.0f workloads/s) busy %.0f%%, RCS %.0f stores/s (%.0f workloads/s) busy %.0f%%\n",
	       sum[0] / secs / 1e6, sum[0] / secs / (FILLS * FILL_BYTES),
	       100 * sum[2] / secs / 1e9, sum[1] / secs, sum[1] / secs / STORES,
	       100 * sum[3] / secs / 1e9);
}

/* The pGPU's engine counters: busy and stalled ns, per engine. */
static void engine_counters(long ns[2][MVGPU_NUM_ENGINES])
{
	ns[0][MVGPU_ENGINE_RCS] = sysfs_read_long(CLASS_DIR "/engine_busy_ns_rcs");
	ns[0][MVGPU_ENGINE_BCS] = sysfs_read_long(CLASS_DIR "/engine_busy_ns_bcs");
	ns[1][MVGPU_ENGINE_RCS] = sysfs_read_long(CLASS_DIR "/engine_stalled_ns_rcs");
	ns[1][MVGPU_ENGINE_BCS] = sysfs_read_long(CLASS_DIR "/engine_stalled_ns_bcs");
}

/*
 * How much of their time the engines' threads waited for a CPU while
 * they had work, between the readings @a and @b.
 */
static void stalls(long a[2][MVGPU_NUM_ENGINES], long b[2][MVGPU_NUM_ENGINES],
		   unsigned int secs)
{
	unsigned int e;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		printf("# %s engine: busy %.0f%%, stalled %.0f%% of the %u s (the engine's thread waiting for a CPU)\n",
		       e == MVGPU_ENGINE_RCS ? "RCS" : "BCS",
		       100.0 * (b[0][e] - a[0][e]) / secs / 1e9,
		       100.0 * (b[1][e] - a[1][e]) / secs / 1e9, secs);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The probe: for @secs seconds, after a random pause, one store on the
 * BCS; the time until it lands.  Returns the count, latencies in @lat.
 */
static int probe(struct tenant *t, unsigned int secs, uint64_t *lat, int max,
		 unsigned int *seed)
{
	uint64_t end = now_ns() + secs * 1000000000ULL, t0;
	volatile uint32_t *p = t->store;
	struct guest_ev ev[GUEST_MAX_EV];
	uint32_t seq = 0x5eed0000;
	struct cs cs;
	int n = 0, r;

	while (now_ns() < end && n < max && !any_bad()) {
		usleep(5000 + rand_r(seed) % 40000);
		cs.n = 0;
		cs_sdi(&cs, t->store_ga, ++seq);
		guest_emit_cs(&t->c[MVGPU_ENGINE_BCS], &cs);
		t0 = now_ns();
		if (guest_submit(&t->g, MVGPU_ENGINE_BCS, &t->c[MVGPU_ENGINE_BCS], NULL))
			return -EIO;
		/* a wait of a minute is measured; longer, the probe is lost */
		while (*p != seq && now_ns() - t0 < 60000000000ULL)
			usleep(20);
		if (*p != seq)
			return -ETIMEDOUT;
		lat[n++] = now_ns() - t0;
		r = guest_wait_csb(&t->g, MVGPU_ENGINE_BCS, ev, GUEST_MAX_EV,
				   60000);
		if (r <= 0 || (ev[r - 1].status & MVGPU_CSB_ERROR))
			return -EIO;
	}
	return n;
}

/*
 * The probe's wait as the kernel stamped it (gvt/stages.c): from its
 * workload queued to the scheduler until the scheduler put it on the
 * engine.  This leaves out what the VM's CPUs add before the ELSP write
 * reaches the vGPU and after the store lands until the probe sees it.
 * Then the same wait less the engine thread's own waits for a CPU
 * meanwhile ("start_unstalled"): the wait a GPU whose engines never
 * wait for a CPU would have given it, as a hardware GPU.  @p99 gets the
 * first's p99 in slices, @up99 the second's (-1 without stamps).
 */
static void print_sched_wait(const char *what, const char *uuid,
			     uint64_t slice_ns, double *p99, double *up99)
{
	unsigned long long st[4], un[4];

	*p99 = *up99 = -1;
	if (vgpu_stage(uuid, "start", st) ||
	    vgpu_stage(uuid, "start_unstalled", un)) {
		printf("# latency %s, in the kernel: no stamps\n", what);
		return;
	}
	*p99 = (double)st[2] / slice_ns;
	*up99 = (double)un[2] / slice_ns;
	printf("# latency %s, in the kernel: %llu workloads queued to on the engine within p50 %.2f, p99 %.2f, max %.2f slices (%.2f / %.2f / %.2f ms)\n",
	       what, st[0], st[1] / (double)slice_ns, *p99,
	       st[3] / (double)slice_ns, st[1] / 1e6, st[2] / 1e6,
	       st[3] / 1e6);
	printf("# latency %s, in the kernel less the engine's waits for a CPU: p50 %.2f, p99 %.2f, max %.2f slices\n",
	       what, un[1] / (double)slice_ns, *up99,
	       un[3] / (double)slice_ns);
}

/*
 * The p99s in slices without and with maximal blits against the target
 * of 2 (a negative one: not measured).
 */
static void print_p99(const char *what, const double p99[2])
{
	const char *v[2];
	int i;

	for (i = 0; i < 2; i++)
		v[i] = p99[i] >= 0 && p99[i] <= 2 ? "met" : "NOT met";
	printf("# latency p99%s %.2f / %.2f slices without / with maximal blits",
	       what, p99[0], p99[1]);
	printf(" (target 2): %s / %s\n", v[0], v[1]);
}

static void print_latency(const char *what, uint64_t *lat, int n,
			  uint64_t slice_ns, double *p99)
{
	qsort(lat, n, sizeof(*lat), cmp_u64);
	*p99 = (double)lat[n * 99 / 100] / slice_ns;
	printf("# latency %s: %d probes, start within p50 %.2f, p99 %.2f, max %.2f slices (%.2f / %.2f / %.2f ms)\n",
	       what, n, (double)lat[n / 2] / slice_ns, *p99,
	       (double)lat[n - 1] / slice_ns, lat[n / 2] / 1e6,
	       lat[n * 99 / 100] / 1e6, lat[n - 1] / 1e6);
}

/* Wait until the tenants without load have no work in flight. */
static int drain(void)
{
	uint64_t end = guest_now_ms() + 300000;
	unsigned int i, e, who = 0, eng = 0;
	bool busy;

	do {
		busy = false;
		for (i = 0; i < ntn; i++)
			for (e = 0; e < MVGPU_NUM_ENGINES; e++)
				if (tn[i].sub[e] != tn[i].done[e] &&
				    atomic_load(&tn[i].load) == LOAD_NONE &&
				    !atomic_load(&tn[i].bad)) {
					busy = true;
					who = i;
					eng = e;
				}
		usleep(10000);
	} while (busy && guest_now_ms() < end);
	if (busy)
		printf("# vGPU %u engine %u not drained: %lu submitted, %lu checked, breadcrumb %u, queued %ld\n",
		       who, eng, (unsigned long)tn[who].sub[eng],
		       (unsigned long)tn[who].done[eng], tn[who].seqno[16 * eng],
		       vgpu_attr(tn[who].g.uuid, "submissions") -
		       vgpu_attr(tn[who].g.uuid, "completed"));
	return busy ? -ETIMEDOUT : 0;
}

FIXTURE(scale) {
	pthread_t poll[MVGPU_NUM_ENGINES];
	bool polling;
	unsigned int made;
	FILE *csv;
};

FIXTURE_SETUP(scale)
{
	unsigned int n = env_uint("MVGPU_SCALE_VGPUS", SCALE_MAX), i;
	char slice[16], path[512];
	const char *out = getenv("MVGPU_OUT");

	ASSERT_LE(4, n);
	ASSERT_GE(SCALE_MAX, n);
	snprintf(slice, sizeof(slice), "%u", env_uint("MVGPU_SCALE_SLICE_US", 1000));
	ASSERT_EQ(0, sysfs_write(CLASS_DIR "/sched_slice_us", slice));
	ASSERT_EQ(0, sysfs_write(CLASS_DIR "/sched_policy", "best_effort"));
	memset(tn, 0, sizeof(tn));
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, tenant_setup(&tn[i], i)) TH_LOG("vGPU %u", i);
		self->made = ntn = i + 1;
	}
	snprintf(path, sizeof(path), "%s/scale_shares.csv", out ? out : "/tmp");
	self->csv = fopen(path, "w");
	ASSERT_NE(NULL, self->csv) TH_LOG("%s", path);
	fprintf(self->csv, "phase,second,vgpu,weight,weight_share,bcs_bytes_share,rcs_cmds_share,bcs_engine_share,rcs_engine_share,bcs_sched_share,rcs_sched_share,bcs_bytes,rcs_cmds,bcs_engine_ns,rcs_engine_ns\n");
	TH_LOG("%u vGPUs of mvgpu-V1_64 on one pGPU, slice %s us; CSV %s", n,
	       slice, path);
	atomic_store(&stop_pollers, 0);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		ASSERT_EQ(0, pthread_create(&self->poll[i], NULL, poller,
					    (void *)(uintptr_t)i));
	self->polling = true;
}

FIXTURE_TEARDOWN(scale)
{
	unsigned int i;

	if (self->polling) {
		atomic_store(&stop_pollers, 1);
		for (i = 0; i < MVGPU_NUM_ENGINES; i++)
			pthread_join(self->poll[i], NULL);
	}
	if (self->csv)
		fclose(self->csv);
	sysfs_write(CLASS_DIR "/sched_slice_us", "1000");
	for (i = 0; i < self->made; i++) {
		guest_close(&tn[i].g);
		EXPECT_EQ(0, vgpu_attr(tn[i].g.uuid, "pinned_pages"));
		EXPECT_EQ(0, vgpu_remove(tn[i].g.uuid));
	}
}

TEST_F_TIMEOUT(scale, sixty_four_vgpus_share_one_pgpu_by_weight,
	       env_uint("MVGPU_SCALE_SECONDS", 60) +
	       3 * env_uint("MVGPU_SCALE_LAT_SECONDS", 10) + 900)
{
	unsigned int secs = env_uint("MVGPU_SCALE_SECONDS", 60);
	unsigned int lsecs = env_uint("MVGPU_SCALE_LAT_SECONDS", 10);
	uint64_t slice_ns = env_uint("MVGPU_SCALE_SLICE_US", 1000) * 1000ULL;
	static struct sample a[SCALE_MAX], b[SCALE_MAX];
	static uint64_t lat[100000];
	bool set[SCALE_MAX];
	double dev, p99[2], kp99[2], up99[2], big_sec = 0, big_dev;
	long charged, eng0[2][MVGPU_NUM_ENGINES], eng1[2][MVGPU_NUM_ENGINES];
	unsigned int wsum;
	unsigned int i, e, seed = 0x1a7e, big = 1;
	int n;

	for (i = 0; i < ntn; i++)
		set[i] = true;
	usleep(WARMUP_MS * 1000);
	engine_counters(eng0);
	ASSERT_EQ(0, run_sampled(secs, set, self->csv, "fair", a, b, NULL, 0));
	engine_counters(eng1);
	printf("# fairness, %u vGPUs busy on both engines for %u s, weights 1-4:\n",
	       ntn, secs);
	throughput(a, b, secs);
	stalls(eng0, eng1, secs);
	dev = report(a, b, set);
	printf("# fairness: largest deviation %.2f%% (target %.0f%%): %s\n",
	       100 * dev, 100 * TARGET, dev <= TARGET ? "met" : "NOT met");

	/* a fresh vGPU 0 becomes the probe; the others keep saturating */
	atomic_store(&tn[0].load, LOAD_NONE);
	ASSERT_EQ(0, drain());
	atomic_store(&stop_pollers, 1);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		pthread_join(self->poll[e], NULL);
	self->polling = false;
	ASSERT_EQ(0, atomic_load(&tn[0].bad)) TH_LOG("vGPU 0: %s", tn[0].why);
	guest_close(&tn[0].g);
	ASSERT_EQ(0, vgpu_remove(tn[0].g.uuid));
	memset(&tn[0], 0, sizeof(tn[0]));
	ASSERT_EQ(0, tenant_setup(&tn[0], 0));
	atomic_store(&tn[0].load, LOAD_NONE);
	tn[0].weight = PROBE_WEIGHT;
	ASSERT_EQ(0, vgpu_attr_write(tn[0].g.uuid, "weight", PROBE_WEIGHT_S));
	/* the pollers skip the probe from now on: it is its own driver */
	tn[0].probe = true;
	set[0] = false;
	atomic_store(&stop_pollers, 0);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		ASSERT_EQ(0, pthread_create(&self->poll[e], NULL, poller,
					    (void *)(uintptr_t)e));
	self->polling = true;
	usleep(WARMUP_MS * 1000);
	for (i = 0, wsum = 0; i < ntn; i++)
		wsum += tn[i].weight;
	charged = vgpu_attr(tn[0].g.uuid, "busy_ns_bcs");
	ASSERT_EQ(0, vgpu_stages_ctl(tn[0].g.uuid, "on"));
	n = probe(&tn[0], lsecs, lat, ARRAY_SIZE(lat), &seed);
	ASSERT_LT(0, n) TH_LOG("probe: %d", n);
	charged = vgpu_attr(tn[0].g.uuid, "busy_ns_bcs") - charged;
	print_latency("among saturating vGPUs", lat, n, slice_ns, &p99[0]);
	print_sched_wait("among saturating vGPUs", tn[0].g.uuid, slice_ns,
			 &kp99[0], &up99[0]);
	printf("# the probe (weight %u) was charged %.1f%% of the BCS over its %u s (its weight's share %.1f%%), %.2f ms a probe\n",
	       PROBE_WEIGHT, 100.0 * charged / (lsecs * 1e9), lsecs,
	       100.0 * PROBE_WEIGHT / wsum, charged / 1e6 / n);

	/* now BIG_VGPUS of the others submit only maximal blits */
	for (i = 0; i < BIG_VGPUS && 1 + i * (ntn / BIG_VGPUS) < ntn; i++)
		atomic_store(&tn[1 + i * (ntn / BIG_VGPUS)].load, LOAD_BIG);
	usleep(WARMUP_MS * 1000);
	ASSERT_EQ(0, run_sampled(lsecs, set, self->csv, "big", a, b, &big_sec, big));
	ASSERT_EQ(0, vgpu_stages_ctl(tn[0].g.uuid, "on"));
	n = probe(&tn[0], lsecs, lat, ARRAY_SIZE(lat), &seed);
	ASSERT_LT(0, n) TH_LOG("probe: %d", n);
	print_latency("with maximal blits in the mix", lat, n, slice_ns, &p99[1]);
	print_sched_wait("with maximal blits in the mix", tn[0].g.uuid,
			 slice_ns, &kp99[1], &up99[1]);
	vgpu_stages_ctl(tn[0].g.uuid, "off");
	{
		static double share[SCALE_MAX][NMEAS], want[SCALE_MAX];

		shares(a, b, set, share, want);
		big_dev = share[big][2] / want[big] - 1;
	}
	printf("# a vGPU of only maximal blits (%u MiB each, weight %u): BCS engine time %+.2f%% of its share over %u s, worst single second %.2f%% (target %.0f%%): %s\n",
	       BIG_W * BIG_H >> 20, tn[big].weight, 100 * big_dev, lsecs,
	       100 * big_sec, 100 * TARGET, big_sec <= TARGET ? "met" : "NOT met");
	print_p99("", p99);
	print_p99(" in the kernel (queued to on the engine)", kp99);
	print_p99(" in the kernel less the engine's waits for a CPU", up99);

	for (i = 0; i < ntn; i++)
		atomic_store(&tn[i].load, LOAD_NONE);
	ASSERT_EQ(0, drain());
	for (i = 0; i < ntn; i++) {
		EXPECT_EQ(0, atomic_load(&tn[i].bad)) TH_LOG("vGPU %u: %s", i, tn[i].why);
		EXPECT_EQ(0, vgpu_attr(tn[i].g.uuid, "errors") +
			     vgpu_attr(tn[i].g.uuid, "rejected"));
		if (tn[i].probe)
			continue;
		EXPECT_LT(0, tn[i].done[MVGPU_ENGINE_BCS]) TH_LOG("vGPU %u", i);
		EXPECT_LT(0, tn[i].done[MVGPU_ENGINE_RCS]) TH_LOG("vGPU %u", i);
	}
}

TEST_HARNESS_MAIN
