// SPDX-License-Identifier: GPL-2.0-only
/*
 * Command scanner benchmark (gvt/cmd_parser.c and gvt/cmd_table.c, built
 * against tests/shim as in the kernel).
 *
 * Mixes: a ring holding one MI_BATCH_BUFFER_START to a GGTT batch of
 * 4 KiB, 64 KiB or 1 MiB of NOOP-, store-, register-, blit-heavy or mixed
 * commands, or a chain of batches each ending in a batch start to the
 * next.  Each scan is timed with its shadows' copy-in and placement,
 * paired with a page-wise memcpy() of the same guest pages into the same
 * shadow memory.  Warm: the same batch scanned again; cold: before each
 * scan, and before each memcpy(), the guest pages, the ring and every
 * shadow buffer are flushed from the caches (cache_drop(), clflush).
 * Printed: the median ns per command with the best and the spread of
 * the runs, the scan's GB/s and that of the memcpy() of the same pages.
 *
 * Known batches: a batch of 4 or 16 KiB that the scanner accepted
 * before for the same context, submitted again unchanged: the scanner
 * copies it, compares it with the bytes the verdict cache kept
 * (gvt/batch_cache.c) and reuses the verdict.  Interleaved with a full
 * scan of the same batch (no cache), warm and cold; printed: both
 * medians and the speedup of the medians.
 *
 * Tiny batches: the cost of scanning one submission (ring with a batch
 * start to a one-page batch of a few commands), per engine.
 *
 * Every scan must accept the workload with the expected command count,
 * and the shadow of a non-chained batch must hold the guest's bytes (a
 * known batch: and be reported known, a full scan not); every memcpy()
 * must leave the guest's bytes; otherwise the benchmark prints FAIL and
 * exits 1.
 *
 * The caller's ops are lean (no checks, shadow memory kept from run to
 * run) so that what is timed is the scanner.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mvgpu/mvgpu_cmd.h>
#include <mvgpu/mvgpu_regs.h>

#include "batch_cache.h"
#include "bench_util.h"
#include "cmd_parser.h"

#define GM_SIZE		(4ULL << 20)	/* the vGPU's GGTT memory */
#define BATCH		0x100000ULL	/* where the batches start */
#define DATA		0x010000ULL	/* what the commands point at */
#define POOL		260		/* shadow buffers */
#define RUNS		15
#define MIN_NS		5e6		/* least time of one timed sample */

struct sbuf {
	struct mvgpu_shadow_buf b;
	u32 cap;
};

struct bench {
	u8 *gmem;
	u8 *copy_dst;	/* the memcpy() baseline's destination */
	struct mvgpu_cmd_scan s;
	struct sbuf pool[POOL];
	int nbufs;
	u64 next_gma;
	u32 ring[16];
	u32 ring_len;	/* bytes */
	u32 bytes;	/* of the batch, for cache_drop() */
	bool cold;	/* drop the caches before each scan and memcpy() */
	struct mvgpu_batch_cache bc;
	struct mvgpu_bc_key key;
};

static int copy_in(void *priv, enum mvgpu_cmd_space space, u64 addr,
		   void *dst, u32 len)
{
	struct bench *bn = priv;

	if (space != MVGPU_SPACE_GGTT || addr + len > GM_SIZE)
		return -EFAULT;
	memcpy(dst, bn->gmem + addr, len);
	return 0;
}

/* Shadow memory grows to what a run needs once, then is reused. */
static int sbuf_reserve(struct sbuf *sb, u32 bytes)
{
	if (bytes > sb->cap) {
		void *va = realloc(sb->b.va, bytes);

		if (!va)
			return -ENOMEM;
		sb->b.va = va;
		sb->cap = bytes;
	}
	sb->b.size = bytes;
	return 0;
}

static int shadow_alloc(void *priv, u32 bytes, struct mvgpu_shadow_buf **buf)
{
	struct bench *bn = priv;
	struct sbuf *sb;
	void *va;
	u32 cap;

	if (bn->nbufs == POOL)
		return -ENOSPC;
	sb = &bn->pool[bn->nbufs++];
	va = sb->b.va;
	cap = sb->cap;
	memset(&sb->b, 0, sizeof(sb->b));
	sb->b.va = va;
	sb->cap = cap;
	if (sbuf_reserve(sb, bytes))
		return -ENOMEM;
	*buf = &sb->b;
	return 0;
}

static int shadow_grow(void *priv, struct mvgpu_shadow_buf *buf, u32 bytes)
{
	return sbuf_reserve((struct sbuf *)buf, bytes);
}

static int shadow_place(void *priv, struct mvgpu_shadow_buf *buf, u64 *gma)
{
	struct bench *bn = priv;

	*gma = bn->next_gma;
	bn->next_gma += (buf->len + 4095) & ~4095ULL;
	return 0;
}

static const void *batch_known(void *priv, const struct mvgpu_shadow_buf *buf,
			       struct mvgpu_cmd_verdict *v)
{
	struct bench *bn = priv;

	return mvgpu_batch_cache_find(&bn->bc, &bn->key, buf->guest_space,
				      buf->guest_addr, v);
}

static void batch_scanned(void *priv, const struct mvgpu_shadow_buf *buf,
			  const struct mvgpu_cmd_verdict *v)
{
	struct bench *bn = priv;

	mvgpu_batch_cache_store(&bn->bc, &bn->key, buf->guest_space,
				buf->guest_addr, buf->va, v);
}

static const struct mvgpu_cmd_ops ops = {
	.copy_in = copy_in,
	.shadow_alloc = shadow_alloc,
	.shadow_grow = shadow_grow,
	.shadow_place = shadow_place,
};

/* As the kernel's workloads: with the verdict cache. */
static const struct mvgpu_cmd_ops ops_known = {
	.copy_in = copy_in,
	.shadow_alloc = shadow_alloc,
	.shadow_grow = shadow_grow,
	.shadow_place = shadow_place,
	.batch_known = batch_known,
	.batch_scanned = batch_scanned,
};

static int failed;

static void fail(const char *what, const char *why)
{
	printf("FAIL %s: %s\n", what, why);
	failed = 1;
}

/* ---- building batches -------------------------------------------------- */

struct emit {
	u32 *p;
	u32 n, max;	/* dwords */
	u32 cmds;
	bool full;	/* a command did not fit */
};

static void put(struct emit *e, const u32 *dw, u32 n)
{
	if (e->n + n > e->max) {
		e->full = true;
		return;
	}
	memcpy(e->p + e->n, dw, 4 * n);
	e->n += n;
	e->cmds++;
}

static void emit_noop(struct emit *e, u32 i)
{
	const u32 c = MVGPU_MI_NOOP;

	put(e, &c, 1);
}

static void emit_store(struct emit *e, u32 i)
{
	const u32 c[] = { MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT,
			  (u32)DATA + 4 * (i & 255), 0, i };

	put(e, c, 4);
}

static void emit_lri(struct emit *e, u32 i)
{
	const u32 c[] = { MVGPU_MI_LOAD_REGISTER_IMM(4),
			  MVGPU_RCS_BASE + MVGPU_RING_GPR(0), i,
			  MVGPU_RCS_BASE + MVGPU_RING_GPR(1), i,
			  MVGPU_RCS_BASE + MVGPU_RING_GPR(2), i,
			  MVGPU_RCS_BASE + MVGPU_RING_GPR(3), i };

	put(e, c, 9);
}

static void emit_blit(struct emit *e, u32 i)
{
	const u32 fill[] = {
		MVGPU_XY_COLOR_BLT, MVGPU_BR13_DEPTH_32 | 256,
		MVGPU_BLT_XY(0, 0), MVGPU_BLT_XY(64, 16), (u32)DATA, 0, i,
	};
	const u32 copy[] = {
		MVGPU_XY_SRC_COPY_BLT,
		MVGPU_BR13_DEPTH_32 | MVGPU_BR13_ROP_SRCCOPY | 256,
		MVGPU_BLT_XY(0, 0), MVGPU_BLT_XY(64, 16), (u32)DATA, 0,
		MVGPU_BLT_XY(0, 0), 256, (u32)DATA + 0x8000, 0,
	};
	const u32 fast[] = {
		MVGPU_XY_FAST_COPY_BLT, MVGPU_FAST_COPY_DEPTH_32 | 256,
		MVGPU_BLT_XY(0, 0), MVGPU_BLT_XY(64, 16), (u32)DATA, 0,
		MVGPU_BLT_XY(0, 0), 256, (u32)DATA + 0x8000, 0,
	};
	const u32 flush[] = { MVGPU_MI_FLUSH_DW, 0, 0, 0 };

	switch (i & 3) {
	case 0:
		put(e, fill, 7);
		break;
	case 1:
		put(e, copy, 10);
		break;
	case 2:
		put(e, fast, 10);
		break;
	default:
		put(e, flush, 4);
	}
}

/*
 * What a 3D-ish client sends ("mixed 3D"): per 8 commands an LRI of 4
 * registers, a blend, a pipe control, 2 stores and 3 NOOPs.
 */
static void emit_mixed(struct emit *e, u32 i)
{
	const u32 pc[] = { MVGPU_PIPE_CONTROL_DW,
			   MVGPU_PIPE_CONTROL_WRITE_IMM |
			   MVGPU_PIPE_CONTROL_GLOBAL_GTT, (u32)DATA, 0, i };
	const u32 blend[] = {
		MVGPU_BLEND, MVGPU_BLEND_OP_OVER, 16 | 16 << 16, 256,
		(u32)DATA, 0, 256, (u32)DATA + 0x8000, 0,
	};

	switch (i % 8) {
	case 0:
		emit_lri(e, i);
		break;
	case 1:
		put(e, blend, 9);
		break;
	case 2:
		put(e, pc, 5);
		break;
	case 3:
	case 4:
		emit_store(e, i);
		break;
	default:
		emit_noop(e, i);
	}
}

/* The same commands in an order a branch predictor cannot learn. */
static void emit_random(struct emit *e, u32 i)
{
	u32 h = i * 2654435761U;

	emit_mixed(e, (h >> 13) ^ (h >> 24));
}

struct mix {
	const char *name;
	unsigned int engine;
	void (*cmd)(struct emit *e, u32 i);
	bool chain;	/* 64 batches, each jumping to the next */
};

static const struct mix mixes[] = {
	{ "NOOP", MVGPU_ENGINE_RCS, emit_noop, false },
	{ "STORE_DATA_IMM", MVGPU_ENGINE_RCS, emit_store, false },
	{ "LRI(4)", MVGPU_ENGINE_RCS, emit_lri, false },
	{ "blits + FLUSH_DW", MVGPU_ENGINE_BCS, emit_blit, false },
	{ "mixed 3D", MVGPU_ENGINE_RCS, emit_mixed, false },
	{ "mixed 3D, random order", MVGPU_ENGINE_RCS, emit_random, false },
	{ "chain of 64 batches, mixed", MVGPU_ENGINE_RCS, emit_mixed, true },
};

#define CHAIN	64

/*
 * Write @bytes of the mix's commands at BATCH in guest memory, as one
 * batch ending in MI_BATCH_BUFFER_END or as CHAIN batches of equal size
 * each ending in a batch start to the next.  Returns the commands.
 */
static u32 build(struct bench *bn, const struct mix *m, u32 bytes)
{
	u32 parts = m->chain ? CHAIN : 1, part = bytes / parts, k, cmds = 0;

	for (k = 0; k < parts; k++) {
		u64 at = BATCH + (u64)k * part, next = at + part;
		u32 tail = k + 1 < parts ? 3 : 1, i = 0;
		struct emit e = { .p = (u32 *)(bn->gmem + at),
				  .max = part / 4 - tail };

		while (!e.full)
			m->cmd(&e, i++);
		e.full = false;
		while (e.n < e.max)
			emit_noop(&e, 0);
		e.max += tail;
		if (tail == 3) {
			const u32 bbs[] = { MVGPU_MI_BATCH_BUFFER_START,
					    (u32)next, 0 };

			put(&e, bbs, 3);
		} else {
			const u32 end = MVGPU_MI_BATCH_BUFFER_END;

			put(&e, &end, 1);
		}
		cmds += e.cmds;
	}
	bn->ring[0] = MVGPU_MI_BATCH_BUFFER_START;
	bn->ring[1] = (u32)BATCH;
	bn->ring[2] = 0;
	bn->ring[3] = MVGPU_MI_NOOP;
	bn->ring_len = 16;
	return cmds + 2;
}

/* Cold: nothing the scan or the memcpy() touches is in a cache. */
static void drop_all(struct bench *bn, const void *ring)
{
	int i;

	cache_drop(bn->gmem + BATCH, bn->bytes);
	cache_drop(bn->copy_dst, bn->bytes);
	cache_drop(ring, sizeof(bn->ring));
	for (i = 0; i < POOL; i++)
		if (bn->pool[i].cap)
			cache_drop(bn->pool[i].b.va, bn->pool[i].cap);
}

/* One scan of the workload built; returns its time. */
static double scan_once(struct bench *bn, struct mvgpu_cmd_result *res)
{
	u32 ring[16];
	double t0, t1;

	memcpy(ring, bn->ring, bn->ring_len);
	bn->nbufs = 0;
	bn->next_gma = 1ULL << 32;
	if (bn->cold)
		drop_all(bn, ring);
	t0 = now_ns();
	mvgpu_cmd_scan_ring(&bn->s, ring, bn->ring_len, res);
	t1 = now_ns();
	return t1 - t0;
}

/* Page-wise memcpy() of the batch's guest pages into shadow memory. */
static double memcpy_once(struct bench *bn, u32 bytes)
{
	u8 *dst = bn->copy_dst;
	double t0, t;
	u32 off;

	if (bn->cold)
		drop_all(bn, bn->ring);
	t0 = now_ns();
	for (off = 0; off < bytes; off += 4096)
		memcpy(dst + off, bn->gmem + BATCH + off, 4096);
	t = now_ns() - t0;
	if (memcmp(dst, bn->gmem + BATCH, bytes))
		fail("memcpy", "the copy is not the guest's pages");
	memset(dst, 0x5a, bytes);	/* poisoned for the next one */
	return t;
}

static void bench_init(struct bench *bn, unsigned int engine)
{
	bn->gmem = calloc(1, GM_SIZE);
	bn->copy_dst = calloc(1, GM_SIZE);
	if (!bn->gmem || !bn->copy_dst)
		abort();
	mvgpu_cmd_scan_init(&bn->s, engine, false, &ops, bn);
	bn->s.gm[0].base = 0;
	bn->s.gm[0].size = GM_SIZE;
	mvgpu_batch_cache_init(&bn->bc);
	bn->key.lrca = 0x1000;
	bn->key.engine = engine;
}

static void bench_fini(struct bench *bn)
{
	int i;

	mvgpu_batch_cache_clear(&bn->bc);
	for (i = 0; i < POOL; i++)
		free(bn->pool[i].b.va);
	free(bn->gmem);
	free(bn->copy_dst);
}

/* Check the outcome of a scan; the first batch's shadow is the guest's. */
static bool scan_ok(struct bench *bn, const char *name, bool chain,
		    const struct mvgpu_cmd_result *res, u32 cmds, u32 bytes)
{
	char why[128];

	if (res->err || res->cmds != cmds) {
		snprintf(why, sizeof(why), "%s, %u commands of %u",
			 mvgpu_cmd_reason_str(res->reason), res->cmds, cmds);
		fail(name, why);
		return false;
	}
	if (!chain && (bn->pool[0].b.len != bytes ||
		       memcmp(bn->pool[0].b.va, bn->gmem + BATCH, bytes))) {
		fail(name, "the shadow is not the guest's batch");
		return false;
	}
	return true;
}

/* A bench holding @bytes of @m's commands (their count in *@cmds). */
static struct bench *bench_new(const struct mix *m, u32 bytes, u32 *cmds)
{
	struct bench *bn = calloc(1, sizeof(*bn));

	if (!bn)
		abort();
	bench_init(bn, m->engine);
	*cmds = build(bn, m, bytes);
	bn->bytes = bytes;
	return bn;
}

static void bench_free(struct bench *bn)
{
	bench_fini(bn);
	free(bn);
}

/* How many repeats of a @t ns operation take at least @min_ns. */
static u32 reps_for(double t, double min_ns)
{
	u32 reps = 1;

	while (reps * t < min_ns && reps < 100000)
		reps *= 2;
	return reps;
}

/*
 * RUNS samples of as many scans as take MIN_NS, each paired with as many
 * memcpy()s of the same pages.
 */
static void bench_mix(const struct mix *m, u32 bytes, bool cold)
{
	double ts[RUNS], tm[RUNS], per_scan, t;
	struct mvgpu_cmd_result res;
	u32 cmds, r, k, reps;
	struct bench *bn = bench_new(m, bytes, &cmds);
	char name[96];

	snprintf(name, sizeof(name), "%s %u KiB%s", m->name, bytes >> 10,
		 cold ? " cold" : "");
	scan_once(bn, &res);
	if (!scan_ok(bn, name, m->chain, &res, cmds, bytes))
		goto out;
	bn->cold = cold;
	t = scan_once(bn, &res);
	reps = reps_for(t, MIN_NS);
	for (r = 0; r < RUNS; r++) {
		ts[r] = 0;
		for (k = 0; k < reps; k++)
			ts[r] += scan_once(bn, &res);
		if (!scan_ok(bn, name, m->chain, &res, cmds, bytes))
			goto out;
		tm[r] = 0;
		for (k = 0; k < reps; k++)
			tm[r] += memcpy_once(bn, bytes);
		ts[r] /= reps;
		tm[r] /= reps;
	}
	qsort(ts, RUNS, sizeof(double), cmp_double);
	qsort(tm, RUNS, sizeof(double), cmp_double);
	per_scan = ts[RUNS / 2];
	printf("%-45s %8u cmds %7.2f ns/cmd (best %6.2f, p90 %6.2f) %6.2f GB/s | memcpy %6.2f GB/s\n",
	       name, cmds, per_scan / cmds, ts[0] / cmds,
	       ts[RUNS * 9 / 10] / cmds, bytes / per_scan,
	       bytes / tm[RUNS / 2]);
out:
	bench_free(bn);
}

/*
 * A known batch: @bytes of @m's commands, accepted once; then pairs of a
 * scan through the verdict cache (compared) and a full scan.
 */
static void bench_known(const struct mix *m, u32 bytes, bool cold)
{
	double tk[RUNS], tf[RUNS], t;
	struct mvgpu_cmd_result res;
	u32 cmds, r, k, reps;
	struct bench *bn = bench_new(m, bytes, &cmds);
	char name[96];

	snprintf(name, sizeof(name), "known %s %u KiB%s", m->name,
		 bytes >> 10, cold ? " cold" : "");
	bn->s.ops = &ops_known;
	scan_once(bn, &res);	/* accepted: kept */
	if (!scan_ok(bn, name, false, &res, cmds, bytes))
		goto out;
	bn->cold = cold;
	t = scan_once(bn, &res);
	if (res.known != 1) {
		fail(name, "the batch was not found known");
		goto out;
	}
	reps = reps_for(t, MIN_NS / 4);
	for (r = 0; r < RUNS; r++) {
		bn->s.ops = &ops_known;
		tk[r] = 0;
		for (k = 0; k < reps; k++)
			tk[r] += scan_once(bn, &res);
		if (!scan_ok(bn, name, false, &res, cmds, bytes))
			goto out;
		if (res.known != 1) {
			fail(name, "the batch was not found known");
			goto out;
		}
		bn->s.ops = &ops;
		tf[r] = 0;
		for (k = 0; k < reps; k++)
			tf[r] += scan_once(bn, &res);
		if (!scan_ok(bn, name, false, &res, cmds, bytes))
			goto out;
		if (res.known) {
			fail(name, "a full scan was found known");
			goto out;
		}
		tk[r] /= reps;
		tf[r] /= reps;
	}
	qsort(tk, RUNS, sizeof(double), cmp_double);
	qsort(tf, RUNS, sizeof(double), cmp_double);
	printf("%-45s %8u cmds compared %8.0f ns (best %8.0f) | scanned %8.0f ns (best %8.0f) | %5.1fx\n",
	       name, cmds, tk[RUNS / 2], tk[0], tf[RUNS / 2], tf[0],
	       tf[RUNS / 2] / tk[RUNS / 2]);
out:
	bench_free(bn);
}

/* A submission: ring -> one batch of @n commands of @m's kind. */
static void bench_tiny(const struct mix *m, u32 n)
{
	const u32 batches = 20000;
	double t[RUNS];
	struct mvgpu_cmd_result res;
	struct bench *bn = calloc(1, sizeof(*bn));
	struct emit e;
	u32 r, k, i;
	char name[96];

	if (!bn)
		abort();
	bench_init(bn, m->engine);
	e = (struct emit){ .p = (u32 *)(bn->gmem + BATCH), .max = 1024 };
	for (i = 0; i < n; i++)
		m->cmd(&e, i);
	e.p[e.n++] = MVGPU_MI_BATCH_BUFFER_END;
	bn->ring[0] = MVGPU_MI_BATCH_BUFFER_START;
	bn->ring[1] = (u32)BATCH;
	bn->ring[2] = 0;
	bn->ring[3] = MVGPU_MI_NOOP;
	bn->ring_len = 16;
	snprintf(name, sizeof(name), "tiny batch: %u x %s", n, m->name);
	for (r = 0; r < RUNS; r++) {
		t[r] = 0;
		for (k = 0; k < batches / RUNS; k++)
			t[r] += scan_once(bn, &res);
		t[r] /= batches / RUNS;
		if (!scan_ok(bn, name, false, &res, n + 3, 4 * e.n))
			goto out;
	}
	qsort(t, RUNS, sizeof(double), cmp_double);
	printf("%-40s %8u cmds %7.1f ns per batch (best %6.1f, p90 %6.1f) %6.2f ns/cmd\n",
	       name, n + 3, t[RUNS / 2], t[0], t[RUNS * 9 / 10],
	       t[RUNS / 2] / (n + 3));
out:
	bench_free(bn);
}

int main(void)
{
	static const u32 sizes[] = { 4 << 10, 64 << 10, 1 << 20 };
	static const u32 known_sizes[] = { 4 << 10, MVGPU_BC_MAX_BYTES };
	unsigned int m, z, c;

	printf("scanner benchmark: median of %d samples (best, p90), each sample >= %.0f ms of scans; a scan includes its shadows' copy-in; cold: caches flushed before each scan and memcpy()%s\n",
	       RUNS, MIN_NS / 1e6, CACHE_DROP_WORKS ? "" :
	       " (no clflush here: no cold figures)");
	for (m = 0; m < sizeof(mixes) / sizeof(mixes[0]); m++)
		for (z = 0; z < 3; z++)
			for (c = 0; c <= CACHE_DROP_WORKS; c++)
				bench_mix(&mixes[m], sizes[z], c);
	/* chains start other batches: never kept */
	for (m = 0; m < sizeof(mixes) / sizeof(mixes[0]); m++)
		for (z = 0; z < 2 && !mixes[m].chain; z++)
			for (c = 0; c <= CACHE_DROP_WORKS; c++)
				bench_known(&mixes[m], known_sizes[z], c);
	bench_tiny(&mixes[1], 2);
	bench_tiny(&mixes[4], 8);
	bench_tiny(&mixes[3], 4);
	return failed;
}
