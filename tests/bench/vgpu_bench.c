// SPDX-License-Identifier: GPL-2.0-only
/*
 * The same work through a vGPU and through the host's native path, in
 * one run in the test VM: an N MiB XY_FAST_COPY_BLT (submission to
 * completion as the submitter sees it: the CSB entry for the vGPU, the
 * completion event for the native path), an empty submission, and the
 * rate of tiny batches: blocks of RATE_BLOCK one-page batches, each
 * storing its sequence number, two contexts in flight, on each engine
 * (the native side is debugfs "bench rate", native/bench.c).
 * Prints TAP with the figures as comments; a step fails only when it
 * cannot run, a copy is wrong or a batch did not store its sequence
 * number, never on speed.
 *
 *   tests/vm/vm.sh --insmod mvgpu.ko --insmod mvgpu_native.ko \
 *       -- build/vm-tests/vgpu_bench [rate [blocks]]
 *
 * "rate" runs the rate benchmark alone, with @blocks blocks per engine
 * and side (default RATE_BLOCKS_ALONE, for make bench).
 */
#include <poll.h>
#include <stdbool.h>
#include <sys/eventfd.h>

#include "guest_util.h"
#include "native_util.h"

#define ROW		16384U		/* bytes: 4096 pixels of 32 bpp, as natively */
#define EMPTY_RUNS	500
#define COPY_RUNS	21
#define MEM_BYTES	(40ULL << 20)
#define RATE_BLOCK	1000	/* submissions per block, as natively */
#define RATE_BLOCKS	5	/* blocks per engine and side, default run */
#define RATE_BLOCKS_ALONE 10	/* with "rate": 10^4 submissions */
#define RATE_MAX_BLOCKS	50
#define RATE_SEQ	0x5e900000u	/* first sequence number, as natively */
#define RATE_POISON	0xdeadbeefu

static unsigned int step, failed;

static void tap(bool ok, const char *what)
{
	printf("%sok %u %s\n", ok ? "" : "not ", ++step, what);
	failed += !ok;
}

/*
 * Submit @c on BCS and wait for its completion as a guest driver does:
 * sleep until the MSI (an eventfd), acknowledge IIR, read the CSB.  The
 * native path sleeps on its completion event in the kernel alike; polling
 * instead would keep a second vCPU of the test VM busy during the copy.
 */
/*
 * Sleep on the MSI until @engine's CSB says ACTIVE_TO_IDLE; -EIO on an
 * error.  When @woke is not NULL, the time of the wake-up that found the
 * engine idle goes there.
 */
static int wait_idle(struct guest *g, unsigned int engine, int efd,
		     uint64_t *woke)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	struct guest_ev e[MVGPU_CSB_ENTRIES];
	uint64_t n;
	int got, i;

	for (;;) {
		if (poll(&p, 1, GUEST_TIMEOUT_MS) != 1)
			return -ETIMEDOUT;
		if (woke)
			*woke = nat_now_ns();
		if (read(efd, &n, sizeof(n)) != sizeof(n) ||
		    guest_ack_iir(g, 0xffffffff))
			return -EIO;
		got = guest_csb_drain(g, engine, e);
		if (got < 0)
			return got;
		for (i = 0; i < got; i++) {
			if (e[i].status & MVGPU_CSB_ERROR)
				return -EIO;
			if (e[i].status & MVGPU_CSB_ACTIVE_TO_IDLE)
				return 0;
		}
	}
}

static int64_t run_once(struct guest *g, struct guest_ctx *c, int efd)
{
	uint64_t t0 = nat_now_ns();
	int ret;

	if (guest_submit(g, MVGPU_ENGINE_BCS, c, NULL))
		return -EIO;
	ret = wait_idle(g, MVGPU_ENGINE_BCS, efd, NULL);
	return ret ? ret : (int64_t)(nat_now_ns() - t0);
}

/* One copy job of @mib MiB in the vGPU's memory. */
struct copy_job {
	struct guest_ctx c;
	struct cs cs;
	uint32_t *src, *dst;
	uint64_t bytes;
};

static int copy_setup(struct guest *g, struct copy_job *j, unsigned int mib)
{
	uint64_t src_ga = 0, dst_ga = 0, i;

	memset(j, 0, sizeof(*j));
	g->mem_used = g->hi_used = g->ap_used = 0;
	j->bytes = (uint64_t)mib << 20;
	if (guest_ctx_create(g, &j->c, 4 * GUEST_PAGE, 0x77))
		return -ENOMEM;
	j->src = guest_map(g, j->bytes, &src_ga);
	/*
	 * A gap, so that source and destination are not a power of two
	 * apart: they would alias in the caches of the machine running the
	 * VM and the copy would measure that (the native path's pages are
	 * scattered).
	 */
	g->mem_used += 17 * GUEST_PAGE;
	j->dst = guest_map(g, j->bytes, &dst_ga);
	if (!j->src || !j->dst)
		return -ENOMEM;
	for (i = 0; i < j->bytes / 4; i++)
		j->src[i] = i * 2654435761u;
	cs_fast_copy(&j->cs, MVGPU_FAST_COPY_DEPTH_32, ROW, 0, 0, ROW / 4,
		     j->bytes / ROW, dst_ga, 0, 0, ROW, src_ga);
	return 0;
}

/* Time of one copy through the vGPU; the result is checked. */
static int64_t copy_run(struct guest *g, struct copy_job *j, int efd)
{
	int64_t t;

	memset(j->dst, 0, j->bytes);
	guest_emit(&j->c, j->cs.dw, j->cs.n);
	t = run_once(g, &j->c, efd);
	if (t >= 0 && memcmp(j->src, j->dst, j->bytes))
		return -EBADMSG;
	return t;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Mean time of an empty submission through the vGPU. */
static int64_t vgpu_empty(struct guest *g, int efd, unsigned int runs,
			  int64_t *best)
{
	struct guest_ctx c;
	int64_t sum = 0, t;
	unsigned int i;

	if (guest_ctx_create(g, &c, GUEST_PAGE, 0x78))
		return -ENOMEM;
	*best = INT64_MAX;
	for (i = 0; i < runs; i++) {
		GUEST_EMIT(&c, MVGPU_MI_NOOP, MVGPU_MI_NOOP);
		t = run_once(g, &c, efd);
		if (t < 0)
			return t;
		sum += t;
		if (t < *best)
			*best = t;
	}
	return sum / runs;
}

/*
 * The rate of tiny batches on one engine: two contexts, each with a
 * one-page batch that stores a sequence number in a slot of one page of
 * results, submitted together (ELSP elements 0 and 1); the next pair
 * when the CSB shows the engine idle.  The same as debugfs "bench rate".
 */
enum { ST_ELSP, ST_IRQ, ST_CSB, ST_N };
#define RATE_MAX_PAIRS	(RATE_MAX_BLOCKS * RATE_BLOCK / 2)

struct rate_job {
	unsigned int engine;
	int64_t (*st)[RATE_MAX_PAIRS];	/* [ST_N]: each timed pair's stages */
	unsigned int pairs;		/* timed pairs in @st */
	struct guest_ctx c[2];
	uint32_t *batch[2];
	uint64_t batch_ga[2];
	uint32_t *res;
	uint64_t res_ga;
};

static int rate_setup(struct guest *g, struct rate_job *j, unsigned int engine)
{
	unsigned int i;

	memset(j, 0, sizeof(*j));
	j->engine = engine;
	for (i = 0; i < 2; i++) {
		if (guest_ctx_create(g, &j->c[i], GUEST_PAGE, 0x80 + 2 * engine + i))
			return -ENOMEM;
		j->batch[i] = guest_map(g, GUEST_PAGE, &j->batch_ga[i]);
		if (!j->batch[i])
			return -ENOMEM;
	}
	j->res = guest_map(g, GUEST_PAGE, &j->res_ga);
	return j->res ? 0 : -ENOMEM;
}

/*
 * Store @seq and @seq + 1 in slots @slot and @slot + 1: write both
 * batches, emit their starts (and a NOOP, so that no command wraps the
 * ring), submit the pair and wait for the engine to be idle.  With
 * @timed, the pair's stages as the guest sees them go to @j->st: the
 * ELSP writes (traps; the last one shadows, scans and queues the pair),
 * from there to the wake-up that finds the engine idle (both batches
 * run, completions delivered, MSI), and the handling of that interrupt
 * (IIR, CSB reads).
 */
static int rate_pair(struct guest *g, struct rate_job *j, unsigned int slot,
		     uint32_t seq, int efd, bool timed)
{
	uint64_t t[4];
	unsigned int i;
	int ret;

	for (i = 0; i < 2; i++) {
		uint64_t dst = j->res_ga + 4 * (slot + i);
		uint32_t *b = j->batch[i];

		b[0] = MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT;
		b[1] = LO(dst);
		b[2] = HI(dst);
		b[3] = seq + i;
		b[4] = MVGPU_MI_BATCH_BUFFER_END;
		GUEST_EMIT(&j->c[i], MVGPU_MI_BATCH_BUFFER_START,
			   LO(j->batch_ga[i]), HI(j->batch_ga[i]), MVGPU_MI_NOOP);
	}
	t[0] = nat_now_ns();
	if (guest_submit(g, j->engine, &j->c[0], &j->c[1]))
		return -EIO;
	t[1] = nat_now_ns();
	ret = wait_idle(g, j->engine, efd, &t[2]);
	t[3] = nat_now_ns();
	if (ret || !timed || j->pairs == RATE_MAX_PAIRS)
		return ret;
	for (i = 0; i < ST_N; i++)
		j->st[i][j->pairs] = t[i + 1] - t[i];
	j->pairs++;
	return 0;
}

/*
 * One block of @subs submissions through the vGPU after a warm pair:
 * its time, the traps it took in @traps, or a negative errno; -EBADMSG
 * when a batch did not store its sequence number.
 */
static int64_t rate_block(struct guest *g, struct rate_job *j, int efd,
			  unsigned int subs, long *traps)
{
	long t0_traps;
	uint64_t t0;
	unsigned int i;
	int ret = rate_pair(g, j, 0, 0, efd, false);

	for (i = 0; i < RATE_BLOCK; i++)
		j->res[i] = RATE_POISON;
	t0_traps = vgpu_attr(g->uuid, "trapped");
	t0 = nat_now_ns();
	for (i = 0; i < subs && !ret; i += 2)
		ret = rate_pair(g, j, i, RATE_SEQ + i, efd, true);
	t0 = nat_now_ns() - t0;
	*traps = vgpu_attr(g->uuid, "trapped") - t0_traps;
	if (ret)
		return ret;
	__sync_synchronize();
	for (i = 0; i < subs; i++)
		if (j->res[i] != RATE_SEQ + i)
			return -EBADMSG;
	return t0;
}

/* A field "key=value" of the native benchmark's output. */
static long long field(const char *out, const char *key)
{
	const char *p = strstr(out, key);

	return p ? strtoll(p + strlen(key), NULL, 0) : -1;
}

/*
 * Block @b's p50/p99 of each native stage ("key=p50/p99" in ns) from
 * debugfs output @out; false when one is missing.
 */
static bool native_stages(const char *out, const char *const keys[3],
			  int64_t p50[][RATE_MAX_BLOCKS],
			  int64_t p99[][RATE_MAX_BLOCKS], unsigned int b)
{
	unsigned int k;

	for (k = 0; k < 3; k++) {
		const char *p = strstr(out, keys[k]);
		long long a, c;

		if (!p || sscanf(p + strlen(keys[k]), "%lld/%lld", &a, &c) != 2)
			return false;
		p50[k][b] = a;
		p99[k][b] = c;
	}
	return true;
}

/*
 * The rate of @blocks interleaved blocks through the vGPU and natively
 * on @engine, alternating which side goes first; prints the figures.
 */
static bool rate_run(struct guest *g, struct nat *n, int efd,
		     unsigned int engine, unsigned int blocks)
{
	static const char *const names[] = { "RCS", "BCS" };
	int64_t vt[RATE_MAX_BLOCKS], nt[RATE_MAX_BLOCKS], pr[RATE_MAX_BLOCKS];
	int64_t tr[RATE_MAX_BLOCKS];
	/* the native side's stages: each block's p50 and p99 */
	static const char *const nkeys[] = { "submit_ns=", "run_ns=", "wake_ns=" };
	int64_t ns50[3][RATE_MAX_BLOCKS], ns99[3][RATE_MAX_BLOCKS];
	struct rate_job j;
	unsigned int b, k;
	bool ok;

	static int64_t st[ST_N][RATE_MAX_PAIRS];

	g->mem_used = g->hi_used = g->ap_used = 0;
	ok = !rate_setup(g, &j, engine);
	if (!ok)
		printf("# cannot set up the vGPU's contexts and batches\n");
	j.st = st;
	for (b = 0; ok && b < blocks; b++) {
		long traps = 0;

		for (k = 0; ok && k < 2; k++) {
			if ((b + k) % 2 == 0) {
				vt[b] = rate_block(g, &j, efd, RATE_BLOCK, &traps);
				ok = vt[b] > 0;
				if (!ok)
					printf("# vGPU block %u: %s\n", b,
					       strerror((int)-vt[b]));
				continue;
			}
			nat_cmd(n, "bench rate %u %u", engine, RATE_BLOCK);
			nt[b] = field(n->out, " ns=");
			ok = nt[b] > 0 && field(n->out, "verified=") == 1;
			ok = ok && native_stages(n->out, nkeys, ns50, ns99, b);
			if (!ok)
				printf("# native block %u: %s", b, n->out);
		}
		tr[b] = traps * 1000 / RATE_BLOCK;
	}
	if (!ok)
		return false;
	/* each block's vGPU / native rate, in parts per thousand */
	for (b = 0; b < blocks; b++)
		pr[b] = nt[b] * 1000 / vt[b];
	qsort(vt, blocks, sizeof(vt[0]), cmp64);
	qsort(nt, blocks, sizeof(nt[0]), cmp64);
	qsort(pr, blocks, sizeof(pr[0]), cmp64);
	qsort(tr, blocks, sizeof(tr[0]), cmp64);
	printf("# rate %s: vgpu %.0f/s (best %.0f)  native %.0f/s (best %.0f)  submissions per s, medians of %u blocks of %d\n",
	       names[engine], RATE_BLOCK * 1e9 / vt[blocks / 2],
	       RATE_BLOCK * 1e9 / vt[0], RATE_BLOCK * 1e9 / nt[blocks / 2],
	       RATE_BLOCK * 1e9 / nt[0], blocks, RATE_BLOCK);
	printf("# rate %s: vgpu/native submission rate ratio %.2f median of pairs (%.2f-%.2f), %.2f of medians, %.2f best\n",
	       names[engine], pr[blocks / 2] / 1e3, pr[0] / 1e3,
	       pr[blocks - 1] / 1e3, (double)nt[blocks / 2] / vt[blocks / 2],
	       (double)nt[0] / vt[0]);
	printf("# rate %s: traps per submission %.2f (median of blocks)\n",
	       names[engine], tr[blocks / 2] / 1e3);
	for (k = 0; k < 3; k++) {
		qsort(ns50[k], blocks, sizeof(ns50[k][0]), cmp64);
		qsort(ns99[k], blocks, sizeof(ns99[k][0]), cmp64);
	}
	printf("# rate %s: native stages of a pair, p50/p99 us (medians of blocks): submission %.1f/%.1f, to the idle event (both batches) %.1f/%.1f, to the wake-up %.1f/%.1f\n",
	       names[engine], ns50[0][blocks / 2] / 1e3, ns99[0][blocks / 2] / 1e3,
	       ns50[1][blocks / 2] / 1e3, ns99[1][blocks / 2] / 1e3,
	       ns50[2][blocks / 2] / 1e3, ns99[2][blocks / 2] / 1e3);
	for (k = 0; k < ST_N; k++)
		qsort(st[k], j.pairs, sizeof(st[k][0]), cmp64);
	printf("# rate %s: vgpu stages of a pair, p50/p99 us: ELSP writes (trap, scan, queue) %.1f/%.1f, to the idle wake-up (engine, delivery, MSI) %.1f/%.1f, IIR and CSB %.1f/%.1f\n",
	       names[engine], st[ST_ELSP][j.pairs / 2] / 1e3,
	       st[ST_ELSP][j.pairs * 99 / 100] / 1e3,
	       st[ST_IRQ][j.pairs / 2] / 1e3, st[ST_IRQ][j.pairs * 99 / 100] / 1e3,
	       st[ST_CSB][j.pairs / 2] / 1e3, st[ST_CSB][j.pairs * 99 / 100] / 1e3);
	return true;
}

int main(int argc, char **argv)
{
	bool rate_only = argc > 1 && !strcmp(argv[1], "rate");
	unsigned int blocks = rate_only ? RATE_BLOCKS_ALONE : RATE_BLOCKS;
	unsigned int e;
	static const unsigned int mibs[] = { 1, 4, 16 };
	struct nat n = { .fd = -1, .mem = -1 };
	struct guest g;
	char uuid[40], what[128];
	int64_t best, avg, nbest, navg;
	unsigned int i;
	int efd = -1;

	if (argc > 2)
		blocks = strtoul(argv[2], NULL, 0);
	if (argc > 3 || (argc > 1 && !rate_only) || !blocks ||
	    blocks > RATE_MAX_BLOCKS) {
		fprintf(stderr, "usage: %s [rate [blocks, 1 to %d]]\n", argv[0],
			RATE_MAX_BLOCKS);
		return 2;
	}
	printf("TAP version 13\n1..%zu\n", rate_only ? MVGPU_NUM_ENGINES :
	       sizeof(mibs) / sizeof(mibs[0]) + 1 + MVGPU_NUM_ENGINES);
	make_uuid(uuid);
	if (vgpu_create("mvgpu-V1_4", uuid) || guest_open_mem(&g, uuid, MEM_BYTES) ||
	    guest_start(&g) || nat_open(&n) || guest_enable_msi(&g) ||
	    (efd = eventfd(0, EFD_NONBLOCK)) < 0 ||
	    mvgpu_vfio_irq_set_eventfd(g.v, VFIO_PCI_MSI_IRQ_INDEX, efd) ||
	    guest_ack_iir(&g, 0xffffffff)) {
		printf("Bail out! cannot set up a vGPU and the native path\n");
		return 1;
	}
	for (i = 0; !rate_only && i < sizeof(mibs) / sizeof(mibs[0]); i++) {
		int64_t vt[COPY_RUNS], nt[COPY_RUNS], pr[COPY_RUNS];
		struct copy_job j;
		bool ok = !copy_setup(&g, &j, mibs[i]);
		unsigned int r;

		/* Interleaved, so that drift in the VM hits both alike. */
		for (r = 0; ok && r < COPY_RUNS; r++) {
			vt[r] = copy_run(&g, &j, efd);
			nat_cmd(&n, "bench copy %u 1", mibs[i]);
			nt[r] = field(n.out, "engine_ns=");
			ok = vt[r] > 0 && nt[r] > 0 &&
			     field(n.out, "verified=") == 1;
		}
		snprintf(what, sizeof(what), "copy %u MiB through a vGPU and natively", mibs[i]);
		tap(ok, what);
		if (!ok)
			continue;
		/* each run's ratio to its neighbour, in parts per thousand */
		for (r = 0; r < COPY_RUNS; r++)
			pr[r] = nt[r] * 1000 / vt[r];
		qsort(vt, COPY_RUNS, sizeof(vt[0]), cmp64);
		qsort(nt, COPY_RUNS, sizeof(nt[0]), cmp64);
		qsort(pr, COPY_RUNS, sizeof(pr[0]), cmp64);
		printf("# copy %2u MiB: vgpu %7.3f ms  native %7.3f ms (medians of %d)  vgpu/native throughput ratio %.2f median of pairs, %.2f of medians, %.2f best\n",
		       mibs[i], vt[COPY_RUNS / 2] / 1e6, nt[COPY_RUNS / 2] / 1e6,
		       COPY_RUNS, pr[COPY_RUNS / 2] / 1e3,
		       (double)nt[COPY_RUNS / 2] / vt[COPY_RUNS / 2],
		       (double)nt[0] / vt[0]);
	}
	if (!rate_only) {
		avg = vgpu_empty(&g, efd, EMPTY_RUNS, &best);
		nat_cmd(&n, "bench empty %u", EMPTY_RUNS);
		navg = field(n.out, "avg_ns=");
		nbest = field(n.out, "best_ns=");
		tap(avg > 0 && navg > 0, "empty submission through a vGPU and natively");
		if (avg > 0 && navg > 0)
			printf("# empty submission: vgpu %.1f us (best %.1f)  native %.1f us (best %.1f)  vgpu/native submission rate ratio %.2f\n",
			       avg / 1e3, best / 1e3, navg / 1e3, nbest / 1e3,
			       (double)navg / avg);
	}
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		snprintf(what, sizeof(what),
			 "tiny batches on %s through a vGPU and natively, every sequence number stored",
			 e ? "BCS" : "RCS");
		tap(rate_run(&g, &n, efd, e, blocks), what);
	}
	mvgpu_vfio_irq_set_eventfd(g.v, VFIO_PCI_MSI_IRQ_INDEX, -1);
	close(efd);
	nat_cmd(&n, "clear");
	nat_close(&n);
	guest_close(&g);
	vgpu_remove(uuid);
	return failed ? 1 : 0;
}
