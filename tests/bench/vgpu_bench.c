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
static FILE *rate_csv, *stages_csv;	/* in $MVGPU_OUT when set */

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

/*
 * What a block cost each thread that worked on it: the benchmark's own
 * thread (the guest driver and its traps, or the native client in the
 * kernel) and the engine's (the software GPU, and the vGPU's callbacks
 * from it: books, delivery, interrupt).  CPU time from schedstat, context
 * switches from status.  A pair is a chain of these two threads, each
 * mostly waiting while the other works, so the sum of their CPU time is
 * about the least a submission takes, the wake-ups' latency on top; the
 * switches show whether the two shared a vCPU (when they do not, each
 * sleeps about once per pair).
 */
enum { USE_SELF, USE_ENGINE, USE_N };

struct thread_use {
	int64_t cpu_ns;
	long vol, invol;	/* voluntary and involuntary switches */
};

static void use_read(const char *task, struct thread_use *u)
{
	char path[96], line[128];
	long long ns = 0;
	FILE *f;

	memset(u, 0, sizeof(*u));
	snprintf(path, sizeof(path), "%s/schedstat", task);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%lld", &ns) == 1)
			u->cpu_ns = ns;
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/status", task);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "voluntary_ctxt_switches: %ld", &u->vol);
		sscanf(line, "nonvoluntary_ctxt_switches: %ld", &u->invol);
	}
	fclose(f);
}

/*
 * /proc/<pid> of the software GPU's thread of @engine on mvgpu0, where
 * the benchmark's vGPU is ("mvgpu0-rcs", not the scheduler's
 * "mvgpu0-sched-rcs"), into @task; false if there is none.
 */
static bool engine_task(unsigned int engine, char *task, size_t len)
{
	pid_t pid = kthread_pid(engine == MVGPU_ENGINE_RCS ? "mvgpu0-rcs" :
							 "mvgpu0-bcs");

	if (pid)
		snprintf(task, len, "/proc/%d", pid);
	return pid;
}

/* Snapshot of both threads' use; @engine_path may be empty. */
static void use_snap(const char *engine_path, struct thread_use u[USE_N])
{
	use_read("/proc/thread-self", &u[USE_SELF]);
	if (*engine_path)
		use_read(engine_path, &u[USE_ENGINE]);
	else
		memset(&u[USE_ENGINE], 0, sizeof(u[USE_ENGINE]));
}

/*
 * Per submission of block @blk of @subs between snapshots @a and @b: each
 * thread's CPU time (ns) into @cpu[thread][@blk], its context switches
 * (per thousand submissions) into @sw[thread][@blk].
 */
static void use_per_sub(const struct thread_use a[USE_N],
			const struct thread_use b[USE_N], unsigned int subs,
			unsigned int blk, int64_t cpu[USE_N][RATE_MAX_BLOCKS],
			int64_t sw[USE_N][RATE_MAX_BLOCKS])
{
	unsigned int i;

	for (i = 0; i < USE_N; i++) {
		cpu[i][blk] = (b[i].cpu_ns - a[i].cpu_ns) / subs;
		sw[i][blk] = (b[i].vol - a[i].vol + b[i].invol - a[i].invol) *
			     1000 / subs;
	}
}

/*
 * Print the medians of the blocks' CPU time and context switches per
 * submission, each side and thread (sorting @cpu and @sw); the medians of
 * the sides' totals, in ns, go to @tot: vGPU, then native.
 */
static void rate_print_use(const char *name, unsigned int blocks,
			   int64_t cpu[2][USE_N][RATE_MAX_BLOCKS],
			   int64_t sw[2][USE_N][RATE_MAX_BLOCKS], int64_t tot[2])
{
	int64_t sum[RATE_MAX_BLOCKS];
	double c[2][USE_N], n[2][USE_N];
	unsigned int side, t, b;

	for (side = 0; side < 2; side++) {
		for (b = 0; b < blocks; b++)
			sum[b] = cpu[side][USE_SELF][b] + cpu[side][USE_ENGINE][b];
		qsort(sum, blocks, sizeof(sum[0]), cmp64);
		tot[side] = sum[blocks / 2];
		for (t = 0; t < USE_N; t++) {
			qsort(cpu[side][t], blocks, sizeof(cpu[side][t][0]), cmp64);
			qsort(sw[side][t], blocks, sizeof(sw[side][t][0]), cmp64);
			c[side][t] = cpu[side][t][blocks / 2] / 1e3;
			n[side][t] = sw[side][t][blocks / 2] / 1e3;
		}
	}
	printf("# rate %s: CPU per submission, us (medians of blocks): vgpu %.1f (benchmark thread %.1f, engine thread %.1f), native %.1f (%.1f, %.1f); native/vgpu %.2f\n",
	       name, tot[0] / 1e3, c[0][USE_SELF], c[0][USE_ENGINE],
	       tot[1] / 1e3, c[1][USE_SELF], c[1][USE_ENGINE],
	       tot[0] ? (double)tot[1] / tot[0] : 0);
	printf("# rate %s: context switches per submission (medians of blocks): vgpu benchmark thread %.2f, engine thread %.2f; native %.2f, %.2f\n",
	       name, n[0][USE_SELF], n[0][USE_ENGINE], n[1][USE_SELF],
	       n[1][USE_ENGINE]);
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
 * One more block through the vGPU with its stages measured in the kernel
 * (debugfs mvgpu_stages/<vGPU>, gvt/stages.c); the rate blocks above ran
 * without, so that the clock reads do not weigh on them.  Prints each
 * stage's p50 and p99 per workload.
 */
static bool rate_stages(struct guest *g, struct rate_job *j, int efd,
			const char *engine)
{
	char path[128], line[160], name[32];
	unsigned long long n, p50, p99, max;
	long traps;
	int64_t t;
	FILE *f;

	snprintf(path, sizeof(path), STAGES_DIR "/%s", g->uuid);
	if (vgpu_stages_ctl(g->uuid, "on")) {
		printf("# cannot measure the stages: %s: %s\n", path, strerror(errno));
		return false;
	}
	t = rate_block(g, j, efd, RATE_BLOCK, &traps);
	f = fopen(path, "r");
	printf("# rate %s: vgpu stages per workload in the kernel (one block of %d, measured), p50/p99 us:",
	       engine, RATE_BLOCK);
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%31s %llu %llu %llu %llu", name, &n, &p50, &p99,
			   &max) != 5)
			continue;
		printf(" %s %.1f/%.1f", name, p50 / 1e3, p99 / 1e3);
		if (stages_csv)
			fprintf(stages_csv, "vgpu,%s,%s,%llu,%llu,%llu,%llu\n",
				engine, name, n, p50, p99, max);
	}
	printf("\n");
	if (f)
		fclose(f);
	vgpu_stages_ctl(g->uuid, "off");
	if (t < 0)
		printf("# vGPU block with stages: %s\n", strerror((int)-t));
	return t > 0 && f;
}

/*
 * Read @engine's CSB from a status page (gpu-interface.rst), as the guest
 * driver does, unless MVGPU_BENCH_CSB_REGS=1 asks for the registers.
 * Returns whether the page is in use.
 */
static bool bench_hws(struct guest *g, unsigned int engine)
{
	const char *regs = getenv("MVGPU_BENCH_CSB_REGS");
	int ret;

	if (regs && !strcmp(regs, "1"))
		return false;
	ret = guest_hws_enable(g, engine);
	if (ret)
		printf("# no status page (%s): CSB from registers\n",
		       strerror(-ret));
	return !ret;
}

/*
 * With MVGPU_BENCH_IDLE_IRQ=1, interrupt the guest of the rate benchmark
 * only when @engine goes idle (bit 9 of GT bank 0, gpu-interface.rst),
 * the one event it waits for, as the native client waits for the idle
 * event alone; by default it takes the context-switch interrupt, as a
 * Gen8 driver does, and element 0's end wakes it too.  Under TCG that
 * early wake-up makes the last one cheaper (performance.rst), so the
 * default is the faster here.  Returns whether the idle interrupt is in
 * use; bench_irqs_restore() puts back what guest_start() enabled.
 */
static bool bench_idle_irq(struct guest *g, unsigned int engine)
{
	const char *idle = getenv("MVGPU_BENCH_IDLE_IRQ");
	uint32_t ier = GUEST_IER_ALL, shift = guest_irq_shift(engine);

	if (!idle || strcmp(idle, "1"))
		return false;
	ier &= ~(MVGPU_GT_CONTEXT_SWITCH_INTERRUPT << shift);
	ier |= MVGPU_GT_IDLE_INTERRUPT << shift;
	return !guest_wr(g, MVGPU_GT_IER(0), ier);
}

static void bench_irqs_restore(struct guest *g)
{
	guest_wr(g, MVGPU_GT_IER(0), GUEST_IER_ALL);
}

/*
 * Traps per submission (parts per thousand) of one block with the CSB
 * read the other way than the benchmark did (@hws: it used the page).
 */
static long rate_traps_other(struct guest *g, struct rate_job *j, int efd,
			     unsigned int engine, bool hws)
{
	long traps = 0;
	int64_t t;

	/* the guest's own read pointer stays right either way */
	if (hws ? guest_hws_disable(g, engine) : guest_hws_enable(g, engine))
		return -1;
	t = rate_block(g, j, efd, RATE_BLOCK, &traps);
	if (!hws)
		guest_hws_disable(g, engine);
	return t > 0 ? traps * 1000 / RATE_BLOCK : -1;
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
	/* [side: vGPU, native][thread][block]: CPU ns and switches per sub */
	static int64_t cpu[2][USE_N][RATE_MAX_BLOCKS], sw[2][USE_N][RATE_MAX_BLOCKS];
	int64_t cpu_tot[2];
	struct thread_use u0[USE_N], u1[USE_N];
	char eng_task[64] = "";
	struct rate_job j;
	unsigned int b, k;
	long other = -1;
	bool ok, hws, idle_irq;

	static int64_t st[ST_N][RATE_MAX_PAIRS];

	g->mem_used = g->hi_used = g->ap_used = 0;
	ok = !rate_setup(g, &j, engine);
	if (!ok)
		printf("# cannot set up the vGPU's contexts and batches\n");
	hws = ok && bench_hws(g, engine);
	idle_irq = ok && bench_idle_irq(g, engine);
	j.st = st;
	if (!engine_task(engine, eng_task, sizeof(eng_task)))
		printf("# no thread of the software GPU's %s engine found: its CPU time is not counted\n",
		       names[engine]);
	for (b = 0; ok && b < blocks; b++) {
		long traps = 0;

		for (k = 0; ok && k < 2; k++) {
			unsigned int side = (b + k) % 2;	/* 0: vGPU */

			use_snap(eng_task, u0);
			if (side == 0) {
				vt[b] = rate_block(g, &j, efd, RATE_BLOCK, &traps);
				use_snap(eng_task, u1);
				use_per_sub(u0, u1, RATE_BLOCK, b, cpu[0], sw[0]);
				ok = vt[b] > 0;
				if (!ok)
					printf("# vGPU block %u: %s\n", b,
					       strerror((int)-vt[b]));
				continue;
			}
			nat_cmd(n, "bench rate %u %u", engine, RATE_BLOCK);
			use_snap(eng_task, u1);
			use_per_sub(u0, u1, RATE_BLOCK, b, cpu[1], sw[1]);
			nt[b] = field(n->out, " ns=");
			ok = nt[b] > 0 && field(n->out, "verified=") == 1;
			ok = ok && native_stages(n->out, nkeys, ns50, ns99, b);
			if (!ok)
				printf("# native block %u: %s", b, n->out);
		}
		tr[b] = traps * 1000 / RATE_BLOCK;
	}
	if (ok) {
		unsigned int pairs = j.pairs;	/* its stages are not kept */

		other = rate_traps_other(g, &j, efd, engine, hws);
		j.pairs = pairs;
	}
	if (!ok) {
		if (idle_irq)
			bench_irqs_restore(g);
		if (hws)
			guest_hws_disable(g, engine);	/* its page is reused */
		return false;
	}
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
	printf("# rate %s: traps per submission %.2f (median of blocks, CSB from %s, interrupted %s); %.2f with CSB from %s (one block)\n",
	       names[engine], tr[blocks / 2] / 1e3,
	       hws ? "the status page" : "registers",
	       idle_irq ? "when idle" : "at each context switch", other / 1e3,
	       hws ? "registers" : "the status page");
	for (k = 0; k < 3; k++) {
		qsort(ns50[k], blocks, sizeof(ns50[k][0]), cmp64);
		qsort(ns99[k], blocks, sizeof(ns99[k][0]), cmp64);
	}
	printf("# rate %s: native stages of a pair, p50/p99 us (medians of blocks): submission %.1f/%.1f, to the idle event (both batches) %.1f/%.1f, to the wake-up %.1f/%.1f\n",
	       names[engine], ns50[0][blocks / 2] / 1e3, ns99[0][blocks / 2] / 1e3,
	       ns50[1][blocks / 2] / 1e3, ns99[1][blocks / 2] / 1e3,
	       ns50[2][blocks / 2] / 1e3, ns99[2][blocks / 2] / 1e3);
	rate_print_use(names[engine], blocks, cpu, sw, cpu_tot);
	if (rate_csv)
		fprintf(rate_csv, "%s,%u,%d,%.0f,%.0f,%.0f,%.0f,%.3f,%.3f,%.3f,%.3f,%.2f,%.1f,%.1f\n",
			names[engine], blocks, RATE_BLOCK,
			RATE_BLOCK * 1e9 / vt[blocks / 2], RATE_BLOCK * 1e9 / vt[0],
			RATE_BLOCK * 1e9 / nt[blocks / 2], RATE_BLOCK * 1e9 / nt[0],
			pr[blocks / 2] / 1e3, pr[0] / 1e3, pr[blocks - 1] / 1e3,
			(double)nt[0] / vt[0], tr[blocks / 2] / 1e3,
			cpu_tot[0] / 1e3, cpu_tot[1] / 1e3);
	for (k = 0; stages_csv && k < 3; k++)
		fprintf(stages_csv, "native,%s,%s,%u,%lld,%lld,\n", names[engine],
			(const char *[]){ "submit", "to_idle_event", "to_wakeup" }[k],
			blocks, (long long)ns50[k][blocks / 2],
			(long long)ns99[k][blocks / 2]);
	for (k = 0; k < ST_N; k++)
		qsort(st[k], j.pairs, sizeof(st[k][0]), cmp64);
	printf("# rate %s: vgpu stages of a pair, p50/p99 us: ELSP writes (trap, scan, queue) %.1f/%.1f, to the idle wake-up (engine, delivery, MSI) %.1f/%.1f, IIR and CSB %.1f/%.1f\n",
	       names[engine], st[ST_ELSP][j.pairs / 2] / 1e3,
	       st[ST_ELSP][j.pairs * 99 / 100] / 1e3,
	       st[ST_IRQ][j.pairs / 2] / 1e3, st[ST_IRQ][j.pairs * 99 / 100] / 1e3,
	       st[ST_CSB][j.pairs / 2] / 1e3, st[ST_CSB][j.pairs * 99 / 100] / 1e3);
	for (k = 0; stages_csv && k < ST_N; k++)
		fprintf(stages_csv, "guest,%s,%s,%u,%lld,%lld,\n", names[engine],
			(const char *[]){ "elsp", "to_idle_wakeup", "iir_csb" }[k],
			j.pairs, (long long)st[k][j.pairs / 2],
			(long long)st[k][j.pairs * 99 / 100]);
	ok = rate_stages(g, &j, efd, names[engine]);
	if (idle_irq)
		bench_irqs_restore(g);
	if (hws)
		guest_hws_disable(g, engine);	/* its page is reused */
	return ok;
}

/*
 * The surface benchmark: copy, fill and blend of 1, 4 and 16 MiB through
 * the GGTT and through a PPGTT, vGPU against native (debugfs "bench surf",
 * native/bench_surf.c), in interleaved warm pairs on the same engine
 * (BCS for copy and fill, RCS for blend), each side timed from its
 * submission to the wake-up that finds the engine idle, on buffers kept
 * from run to run.  Both sides' sources hold the same bytes, so the CRC
 * of every destination must be the same on both sides: that of what the
 * CPU makes of the source.
 */
#define SURF_MAX_MIB	16
#define SURF_BYTES	((uint64_t)SURF_MAX_MIB << 20)
#define SURF_VA_SRC	0x40000000ULL	/* PPGTT addresses, as natively */
#define SURF_VA_DST	(SURF_VA_SRC + SURF_BYTES)
#define SURF_PAIRS	9	/* timed pairs per case; one warm pair first */
#define SURF_MAX_PAIRS	21
#define SURF_COLOR	0xff336699u
#define SURF_ALPHA	0x80u
#define SURF_BLEND_ROWS	64u

enum { SURF_COPY, SURF_FILL, SURF_BLEND, SURF_OPS };
static const char *const surf_ops[] = { "copy", "fill", "blend" };
/*
 * Where the surfaces are reached: the GGTT, a PPGTT of a VMM without KVM
 * (the vGPU reads its tables again at every submission), and a PPGTT of
 * a KVM guest (the vGPU write-protects its tables through KVM).
 */
enum { SURF_GGTT, SURF_PPGTT, SURF_PPGTT_KVM, SURF_SPACES };
static const char *const surf_spaces[] = { "ggtt", "ppgtt", "ppgtt-kvm" };
static const char *const surf_space_names[] = {
	"the GGTT", "a PPGTT", "a KVM guest's PPGTT",
};

struct surf_job {
	struct guest_ctx c[2];		/* GGTT, PPGTT */
	uint8_t *src, *dst;
	uint64_t src_ga, dst_ga;
	uint32_t want[SURF_OPS][SURF_MAX_MIB + 1];
	struct cs cs;
};

static uint32_t crc_tab[256];

/* zlib's CRC-32 by table, fast enough for 16 MiB under TCG. */
static uint32_t surf_crc(const uint8_t *p, size_t len)
{
	uint32_t crc = ~0U;

	if (!crc_tab[1]) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = c >> 1 ^ (0xedb88320U & -(c & 1));
			crc_tab[i] = c;
		}
	}
	while (len--)
		crc = crc >> 8 ^ crc_tab[(crc ^ *p++) & 0xff];
	return ~crc;
}

/* What @op makes of the first @mib MiB of the source, as natively. */
static uint32_t surf_want(struct surf_job *j, unsigned int op, unsigned int mib)
{
	uint64_t bytes = (uint64_t)mib << 20, i;
	uint32_t *tmp;

	if (j->want[op][mib])
		return j->want[op][mib];
	tmp = malloc(bytes);
	if (!tmp)
		return 0;
	memcpy(tmp, j->src, bytes);
	for (i = 0; i < bytes / 4; i++)
		tmp[i] = op == SURF_FILL ? SURF_COLOR : op == SURF_BLEND ?
			 (tmp[i] & 0xffffff) | SURF_ALPHA << 24 : tmp[i];
	j->want[op][mib] = surf_crc((uint8_t *)tmp, bytes);
	free(tmp);
	return j->want[op][mib];
}

static int surf_setup(struct guest *g, struct surf_job *j)
{
	struct guest_ppgtt pp;
	uint64_t i, src_gpa, dst_gpa;

	memset(j, 0, sizeof(*j));
	g->mem_used = g->hi_used = g->ap_used = 0;
	if (guest_ctx_create(g, &j->c[0], 4 * GUEST_PAGE, 0x90) ||
	    guest_ppgtt_init(g, &pp) ||
	    guest_ctx64_create(g, &j->c[1], 4 * GUEST_PAGE, 0x91, pp.pml4))
		return -ENOMEM;
	j->src = guest_map(g, SURF_BYTES, &j->src_ga);
	g->mem_used += 17 * GUEST_PAGE;	/* see copy_setup() */
	j->dst = guest_map(g, SURF_BYTES, &j->dst_ga);
	if (!j->src || !j->dst)
		return -ENOMEM;
	src_gpa = g->iova + (j->src - g->mem);
	dst_gpa = g->iova + (j->dst - g->mem);
	for (i = 0; i < SURF_BYTES; i += GUEST_PAGE)
		if (guest_ppgtt_map(g, &pp, SURF_VA_SRC + i, src_gpa + i) ||
		    guest_ppgtt_map(g, &pp, SURF_VA_DST + i, dst_gpa + i))
			return -ENOMEM;
	/* each page one byte, as natively (mvgpu_bench_fill()) */
	for (i = 0; i < SURF_BYTES / GUEST_PAGE; i++)
		memset(j->src + i * GUEST_PAGE, (int)(i * 7 + 1), GUEST_PAGE);
	return 0;
}

static void surf_emit(struct surf_job *j, unsigned int op, unsigned int mib,
		      bool ppgtt)
{
	uint64_t src = ppgtt ? SURF_VA_SRC : j->src_ga;
	uint64_t dst = ppgtt ? SURF_VA_DST : j->dst_ga;
	uint32_t rows = ((uint64_t)mib << 20) / ROW, y;

	j->cs.n = 0;
	if (op == SURF_COPY)
		cs_fast_copy(&j->cs, MVGPU_FAST_COPY_DEPTH_32, ROW, 0, 0,
			     ROW / 4, rows, dst, 0, 0, ROW, src);
	else if (op == SURF_FILL)
		cs_fill(&j->cs, MVGPU_BR13_DEPTH_32, ROW, 0, 0, ROW / 4, rows,
			dst, SURF_COLOR);
	else
		for (y = 0; y < rows; y += SURF_BLEND_ROWS)
			cs_blend(&j->cs, MVGPU_BLEND_OP_SET_ALPHA, SURF_ALPHA,
				 ROW / 4, SURF_BLEND_ROWS, ROW,
				 dst + (uint64_t)y * ROW, ROW,
				 src + (uint64_t)y * ROW);
	guest_emit(&j->c[ppgtt], j->cs.dw, j->cs.n);
}

/*
 * One run through the vGPU: its time, or -EBADMSG when the destination
 * is wrong, or another negative errno.
 */
static int64_t surf_vgpu(struct guest *g, struct surf_job *j, int efd,
			 unsigned int op, unsigned int mib, bool ppgtt)
{
	unsigned int engine = op == SURF_BLEND ? MVGPU_ENGINE_RCS :
			      MVGPU_ENGINE_BCS;
	uint64_t bytes = (uint64_t)mib << 20, t0;
	uint32_t want = surf_want(j, op, mib);
	int ret;

	for (uint64_t i = 0; i < bytes / 4; i++)
		((uint32_t *)j->dst)[i] = RATE_POISON;
	surf_emit(j, op, mib, ppgtt);
	t0 = nat_now_ns();
	ret = ppgtt ? guest_submit64(g, engine, &j->c[1], NULL) :
		      guest_submit(g, engine, &j->c[0], NULL);
	ret = ret ? -EIO : wait_idle(g, engine, efd, NULL);
	t0 = nat_now_ns() - t0;
	if (ret)
		return ret;
	return surf_crc(j->dst, bytes) == want ? (int64_t)t0 : -EBADMSG;
}

/* One run natively; -EBADMSG when its destination is wrong. */
static int64_t surf_native(struct nat *n, struct surf_job *j, unsigned int op,
			   unsigned int mib, bool ppgtt)
{
	long long ns;

	if (nat_cmd(n, "bench surf %s %u %s", surf_ops[op], mib,
		    ppgtt ? "ppgtt" : "ggtt"))
		return -EIO;
	ns = field(n->out, "engine_ns=");
	if (ns <= 0)
		return -EIO;
	return field(n->out, "verified=") == 1 ? ns : -EBADMSG;
}

static FILE *bench_csv(const char *name, const char *header)
{
	const char *dir = getenv("MVGPU_OUT");
	char path[512];
	FILE *f;

	if (!dir || !*dir)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f)
		fprintf(f, "%s\n", header);
	return f;
}

/* The p50 of each of the vGPU's stages of a case, in us. */
static void surf_stages(struct guest *g, unsigned int op, unsigned int mib,
			const char *sp)
{
	static const char *const names[] = {
		"trap", "scan", "queue", "start", "engine", "deliver",
		"interrupt",
	};
	unsigned long long st[4];
	unsigned int i;

	printf("# surf %-5s %2u MiB %-9s: vgpu stages p50 us:", surf_ops[op],
	       mib, sp);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!vgpu_stage(g->uuid, names[i], st))
			printf(" %s %.1f", names[i], st[1] / 1e3);
	printf("\n");
}

/* One case: a warm pair, then @pairs pairs alternating which side leads. */
static bool surf_case(struct guest *g, struct nat *n, struct surf_job *j,
		      int efd, unsigned int op, unsigned int mib,
		      unsigned int space, unsigned int pairs, FILE *csv)
{
	int64_t vt[SURF_MAX_PAIRS], nt[SURF_MAX_PAIRS], pr[SURF_MAX_PAIRS];
	const char *sp = surf_spaces[space];
	bool ppgtt = space != SURF_GGTT;
	unsigned int p, k;
	double mbps_v, mbps_n;
	const char *ran = op == SURF_BLEND ? "backend_ns_rcs" : "backend_ns_bcs";
	unsigned long long st[4];
	long long eng, tot, ran_before, ran_mean;

	/* where the vGPU's time goes: 8 clock reads per run, against ms */
	vgpu_stages_ctl(g->uuid, "on");
	ran_before = vgpu_attr(g->uuid, ran);
	for (p = 0; p <= pairs; p++) {
		unsigned int slot = p ? p - 1 : 0;

		for (k = 0; k < 2; k++) {
			int64_t t = (p + k) % 2 ?
				surf_native(n, j, op, mib, ppgtt) :
				surf_vgpu(g, j, efd, op, mib, ppgtt);

			if (t < 0) {
				printf("# %s %u MiB %s, %s side: %s\n",
				       surf_ops[op], mib, sp,
				       (p + k) % 2 ? "native" : "vGPU",
				       strerror((int)-t));
				vgpu_stages_ctl(g->uuid, "off");
				return false;
			}
			if ((p + k) % 2)
				nt[slot] = t;
			else
				vt[slot] = t;
		}
	}
	/* the backend's own measure of its runs, the warm pair's included */
	ran_mean = (vgpu_attr(g->uuid, ran) - ran_before) / (pairs + 1);
	eng = vgpu_stage(g->uuid, "engine", st) ? -1 : (long long)st[1];
	tot = vgpu_stage(g->uuid, "total", st) ? -1 : (long long)st[1];
	surf_stages(g, op, mib, sp);
	vgpu_stages_ctl(g->uuid, "off");
	for (p = 0; p < pairs; p++)
		pr[p] = nt[p] * 1000 / vt[p];
	qsort(vt, pairs, sizeof(vt[0]), cmp64);
	qsort(nt, pairs, sizeof(nt[0]), cmp64);
	qsort(pr, pairs, sizeof(pr[0]), cmp64);
	mbps_v = ((double)mib * 1048576 / 1e6) / (vt[pairs / 2] / 1e9);
	mbps_n = ((double)mib * 1048576 / 1e6) / (nt[pairs / 2] / 1e9);
	printf("# surf %-5s %2u MiB %-9s: vgpu %8.3f ms (best %8.3f)  native %8.3f ms (best %8.3f)  vgpu/native %.2f median of pairs (%.2f-%.2f), %.2f best\n",
	       surf_ops[op], mib, sp, vt[pairs / 2] / 1e6, vt[0] / 1e6,
	       nt[pairs / 2] / 1e6, nt[0] / 1e6, pr[pairs / 2] / 1e3,
	       pr[0] / 1e3, pr[pairs - 1] / 1e3, (double)nt[0] / vt[0]);
	printf("# surf %-5s %2u MiB %-9s: vgpu in the kernel (p50): on the engine %.3f ms, ELSP write to delivery %.3f ms; the backend ran it %.3f ms (mean)\n",
	       surf_ops[op], mib, sp, eng / 1e6, tot / 1e6, ran_mean / 1e6);
	if (csv)
		fprintf(csv, "%s,%s,%u,%u,%lld,%lld,%lld,%lld,%.1f,%.1f,%.3f,%.3f,%.3f,%.3f,%lld,%lld\n",
			surf_ops[op], sp, mib, pairs, (long long)vt[pairs / 2],
			(long long)vt[0], (long long)nt[pairs / 2],
			(long long)nt[0], mbps_v, mbps_n, pr[pairs / 2] / 1e3,
			pr[0] / 1e3, pr[pairs - 1] / 1e3, (double)nt[0] / vt[0],
			eng, tot);
	return true;
}

/* A VMM's handle on vGPU @uuid, started, its MSI on a new *@efd. */
static int bench_guest_open(struct guest *g, const char *uuid, int mode,
			    int *efd)
{
	*efd = -1;
	if (guest_open_mode(g, uuid, MEM_BYTES, mode) || guest_start(g) ||
	    guest_enable_msi(g))
		return -1;
	*efd = eventfd(0, EFD_NONBLOCK);
	return *efd < 0 ||
	       mvgpu_vfio_irq_set_eventfd(g->v, VFIO_PCI_MSI_IRQ_INDEX, *efd) ||
	       guest_ack_iir(g, 0xffffffff) ? -1 : 0;
}

static void bench_guest_close(struct guest *g, int *efd)
{
	if (g->v)
		mvgpu_vfio_irq_set_eventfd(g->v, VFIO_PCI_MSI_IRQ_INDEX, -1);
	if (*efd >= 0)
		close(*efd);
	*efd = -1;
	guest_close(g);
}

/*
 * The guest's CSB in status pages and its submissions through the submit
 * queue on both engines, as the guest driver has them (one trap to
 * submit, one to acknowledge the interrupt), unless
 * MVGPU_BENCH_CSB_REGS=1.  After surf_setup(), which reuses the memory.
 */
static int surf_hws(struct guest *g)
{
	bool hws = bench_hws(g, MVGPU_ENGINE_RCS);

	if (hws != bench_hws(g, MVGPU_ENGINE_BCS))
		return -1;
	printf("# surf: CSB from %s\n", hws ? "the status page" : "registers");
	return 0;
}

/* The cases of one space; false if one failed. */
static bool surf_space(struct guest *g, struct nat *n, struct surf_job *j,
		       int efd, unsigned int space, unsigned int pairs,
		       FILE *csv)
{
	static const unsigned int mibs[] = { 1, 4, 16 };
	unsigned int op, m;
	char what[96];
	bool ok, all = true;

	for (op = 0; op < SURF_OPS; op++)
		for (m = 0; m < sizeof(mibs) / sizeof(mibs[0]); m++) {
			ok = surf_case(g, n, j, efd, op, mibs[m], space, pairs,
				       csv);
			snprintf(what, sizeof(what),
				 "%s %u MiB through %s, vGPU and native, destinations checked",
				 surf_ops[op], mibs[m], surf_space_names[space]);
			tap(ok, what);
			all &= ok;
		}
	return all;
}

/*
 * Every case of the surface benchmark; false if one failed.  The GGTT
 * and the PPGTT without KVM first, then, where this VM has KVM, the vGPU
 * opened again as a KVM guest's for the PPGTT once more.
 */
static bool surf_run(struct guest *g, struct nat *n, int *efd,
		     unsigned int pairs)
{
	static struct surf_job j;
	FILE *csv = bench_csv("surf.csv", "op,space,mib,pairs,vgpu_med_ns,vgpu_best_ns,native_med_ns,native_best_ns,vgpu_mbps,native_mbps,ratio_med,ratio_min,ratio_max,ratio_best,vgpu_engine_p50_ns,vgpu_total_p50_ns");
	char uuid[sizeof(g->uuid)];
	bool all = false;

	if (surf_setup(g, &j) || surf_hws(g)) {
		printf("# cannot set up the vGPU's surfaces\n");
		goto out;
	}
	all = surf_space(g, n, &j, *efd, SURF_GGTT, pairs, csv);
	all &= surf_space(g, n, &j, *efd, SURF_PPGTT, pairs, csv);
	if (!guest_kvm_available())
		goto out;
	memcpy(uuid, g->uuid, sizeof(uuid));
	bench_guest_close(g, efd);
	if (bench_guest_open(g, uuid, MVGPU_VFIO_KVM, efd) ||
	    surf_setup(g, &j) || surf_hws(g)) {
		printf("# cannot open the vGPU as a KVM guest's\n");
		all = false;
		goto out;
	}
	all &= surf_space(g, n, &j, *efd, SURF_PPGTT_KVM, pairs, csv);
out:
	if (csv)
		fclose(csv);
	nat_cmd(n, "clear");
	return all;
}

int main(int argc, char **argv)
{
	bool rate_only = argc > 1 && !strcmp(argv[1], "rate");
	bool surf_only = argc > 1 && !strcmp(argv[1], "surf");
	unsigned int blocks = rate_only ? RATE_BLOCKS_ALONE :
			      surf_only ? SURF_PAIRS : RATE_BLOCKS;
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
	if (argc > 3 || (argc > 1 && !rate_only && !surf_only) || !blocks ||
	    blocks > (surf_only ? SURF_MAX_PAIRS : RATE_MAX_BLOCKS)) {
		fprintf(stderr, "usage: %s [rate [blocks, 1 to %d] | surf [pairs, 1 to %d]]\n",
			argv[0], RATE_MAX_BLOCKS, SURF_MAX_PAIRS);
		return 2;
	}
	printf("TAP version 13\n1..%zu\n", rate_only ? MVGPU_NUM_ENGINES :
	       surf_only ? (guest_kvm_available() ? 3 : 2) * SURF_OPS * 3 :
	       sizeof(mibs) / sizeof(mibs[0]) + 1 + MVGPU_NUM_ENGINES);
	make_uuid(uuid);
	if (vgpu_create("mvgpu-V1_4", uuid) || nat_open(&n) ||
	    bench_guest_open(&g, uuid, MVGPU_VFIO_GROUP, &efd)) {
		printf("Bail out! cannot set up a vGPU and the native path\n");
		return 1;
	}
	if (surf_only) {
		surf_run(&g, &n, &efd, blocks);
		goto out;
	}
	if (rate_only) {
		rate_csv = bench_csv("rate.csv", "engine,blocks,block,vgpu_med_per_s,vgpu_best_per_s,native_med_per_s,native_best_per_s,ratio_med,ratio_min,ratio_max,ratio_best,traps_per_sub,vgpu_cpu_us,native_cpu_us");
		stages_csv = bench_csv("stages.csv", "side,engine,stage,samples,p50_ns,p99_ns,max_ns");
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
	if (rate_csv)
		fclose(rate_csv);
	if (stages_csv)
		fclose(stages_csv);
out:
	bench_guest_close(&g, &efd);
	nat_cmd(&n, "clear");
	nat_close(&n);
	vgpu_remove(uuid);
	return failed ? 1 : 0;
}
