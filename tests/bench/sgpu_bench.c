// SPDX-License-Identifier: GPL-2.0-only
/*
 * Software GPU benchmark.
 *
 * Copy throughput: a 32 MiB XY_SRC_COPY_BLT / XY_FAST_COPY_BLT through
 * sgpu_exec_run(), against memcpy() of the same bytes a page at a time
 * between the same physical pages, in interleaved pairs; the ratio of
 * the best times, and the median and range of the pairs' ratios.  The
 * two surfaces are four times the host's L3; each side writes a freshly
 * poisoned destination and its CRC-32C is checked after
 * every run: a wrong byte on either side prints FAIL and the benchmark
 * exits 1.  Variants: contiguous GGTT pages, scattered GGTT pages, PPGTT,
 * and a padded pitch (one run per row).
 *
 * Empty submission: a ring holding one MI_BATCH_BUFFER_START to a batch
 * holding only MI_BATCH_BUFFER_END, through sgpu_exec_run() alone and
 * with sgpu_ctx_load() + sgpu_ctx_save() around it.
 *
 * Engine slices: for each command mix (blits that are cheap in bytes but
 * walk many rows and pages, big fills, copies and blends, command
 * storms), the time of each sgpu_exec_run() call under the engine's
 * slice limits (SGPU_SLICE_*, sgpu/cmd_exec.h) and under the old ones
 * (4096 commands or 8 MiB, nothing else counted): p50 and worst, with
 * what the worst slice did.  They take over a minute, so only
 * "sgpu_bench slices" prints them (make -C tests/bench slices).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_util.h"
#include "sgpu_fake.h"

#define RUNS		21
#define SURF		(8ULL << 20)	/* the slices' surfaces */
#define SRC		0x0000000ULL
#define DST		0x0800000ULL
#define LRCA		0x1000000ULL
#define RING		0x1010000ULL
#define RING_SZ		0x4000
#define PPVA		0x0000100000000000ULL
#define DATA_PAGES	8192		/* 32 MiB */

/*
 * The copy benchmark's surfaces: 2 x 32 MiB, four times the host's 16 MiB
 * L3, so that neither side runs from the cache; its context after them.
 */
#define COPY_RUNS	11
#define COPY_SURF	(32ULL << 20)
#define COPY_DST	COPY_SURF
#define COPY_LRCA	(2 * COPY_SURF)
#define COPY_RING	(COPY_LRCA + 0x10000)
#define COPY_BATCH	(COPY_LRCA + 0x20000)
#define COPY_PAGES	32768		/* 128 MiB, a power of 2 */
#define POISON		0xdeadbeefU	/* no source page holds it */

/* CRC-32C, with the SSE4.2 instruction where there is one. */
__attribute__((target("sse4.2")))
static u32 crc32c_hw(u32 crc, const u8 *p, size_t n)
{
	u64 c = crc;

	for (; n >= 8; n -= 8, p += 8) {
		u64 v;

		memcpy(&v, p, 8);
		c = __builtin_ia32_crc32di(c, v);
	}
	crc = c;
	while (n--)
		crc = __builtin_ia32_crc32qi(crc, *p++);
	return crc;
}

static u32 crc32c(u32 crc, const void *buf, size_t n)
{
	const u8 *p = buf;
	int k;

	if (__builtin_cpu_supports("sse4.2"))
		return crc32c_hw(crc, p, n);
	while (n--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0x82f63b78U & -(crc & 1));
	}
	return crc;
}

struct setup {
	struct fake fx;
	struct sgpu_engine bcs;
	struct tctx t;
	u64 pml4;
	u64 src, dst;		/* in the context's default space */
};

static void setup_init(struct setup *s, bool identity, bool ppgtt)
{
	u64 i;

	fake_init(&s->fx, COPY_PAGES, 128, identity);
	fake_engine(&s->fx, &s->bcs, MVGPU_ENGINE_BCS);
	s->pml4 = fake_pt_alloc(&s->fx) << 12;
	s->src = SRC;
	s->dst = COPY_DST;
	if (ppgtt) {
		fake_ppgtt_alias(&s->fx, s->pml4, PPVA, 0, 2 * COPY_SURF);
		s->src += PPVA;
		s->dst += PPVA;
	}
	tctx_init(&s->t, &s->fx, COPY_LRCA, COPY_RING, RING_SZ,
		  ppgtt ? MVGPU_CTX_MODE_LEGACY_64B : MVGPU_CTX_MODE_LEGACY_32B,
		  1, s->pml4);
	for (i = 0; i < COPY_SURF; i += 4096)
		memset(fake_gptr(&s->fx, SRC + i), (int)(i >> 12) | 1, 4096);
}

/* The destination's pages hold POISON; not timed. */
static void poison_dst(struct setup *s)
{
	u64 i;
	int k;

	for (i = 0; i < COPY_SURF; i += 4096) {
		u32 *p = (u32 *)fake_gptr(&s->fx, COPY_DST + i);

		for (k = 0; k < 1024; k++)
			p[k] = POISON;
	}
}

/* CRC-32C of the destination's pages, in graphics address order. */
static u32 crc_dst(struct setup *s)
{
	u32 crc = ~0U;
	u64 i;

	for (i = 0; i < COPY_SURF; i += 4096)
		crc = crc32c(crc, fake_gptr(&s->fx, COPY_DST + i), 4096);
	return ~crc;
}

/*
 * CRC-32C of what a copy of @width bytes in each row of @pitch leaves on
 * a poisoned destination, computed from the source without the engine.
 */
static u32 crc_want(struct setup *s, u32 width, u32 pitch)
{
	u8 *row = malloc(pitch);
	u32 crc = ~0U, k;
	u64 y;

	if (!row)
		abort();
	for (k = 0; k < pitch / 4; k++)
		((u32 *)row)[k] = POISON;
	for (y = 0; y < COPY_SURF / pitch; y++) {
		fake_gread(&s->fx, SRC + y * pitch, row, width);
		crc = crc32c(crc, row, pitch);
	}
	free(row);
	return ~crc;
}

/*
 * The baseline: memcpy() of the same bytes a page at a time, between the
 * same physical pages as the blit, as the engine maps them.
 */
static void baseline_copy(struct setup *s)
{
	u64 i;

	for (i = 0; i < COPY_SURF; i += 4096)
		memcpy(fake_gptr(&s->fx, COPY_DST + i),
		       fake_gptr(&s->fx, SRC + i), 4096);
}

/* One blit of the surface: the time of sgpu_exec_run(). */
static double blit_once(struct setup *s, bool fast, u32 width_px, u32 pitch)
{
	struct sgpu_exec_limits lim = { 0 };
	u32 height = COPY_SURF / pitch;
	struct sgpu_exec_result res;
	double t0, t1;

	s->t.ring.off = 0;
	fake_gw32(&s->fx, COPY_LRCA + 4 * MVGPU_CTX_RING_HEAD, 0);
	if (fast)
		tb_fast_copy(&s->t.ring, MVGPU_FAST_COPY_DEPTH_32, pitch, 0, 0,
			     width_px, height, s->dst, 0, 0, pitch, s->src);
	else
		tb_src_copy(&s->t.ring, MVGPU_BR13_DEPTH_32, pitch, 0, 0,
			    width_px, height, s->dst, 0, 0, pitch, s->src);
	if (tctx_submit(&s->t))
		abort();
	t0 = now_ns();
	sgpu_exec_run(&s->bcs, &s->t.ctx, &lim, &res);
	t1 = now_ns();
	if (res.status != SGPU_EXEC_IDLE ||
	    res.bytes != (u64)width_px * 4 * height)
		abort();
	return t1 - t0;
}

static int checked_fail;

/* Report a side whose destination is not what it should be. */
static void check(const char *name, const char *side, u32 got, u32 want)
{
	if (got == want)
		return;
	printf("FAIL %s: %s left the destination wrong (crc %08x, want %08x)\n",
	       name, side, got, want);
	checked_fail = 1;
}

/*
 * Interleaved warm pairs: the blit, then memcpy() of the same pages,
 * each into a freshly poisoned destination (so each starts with the
 * destination's tail in the cache and the source cold, the surfaces
 * being larger than the cache) and each checked by its CRC.
 */
static void bench_copy(const char *name, bool fast, bool identity, bool ppgtt,
		       u32 width_px, u32 pitch)
{
	double tb[COPY_RUNS], tm[COPY_RUNS], ratio[COPY_RUNS], rb;
	u64 bytes = (u64)width_px * 4 * (COPY_SURF / pitch);
	u32 want_blit, want_copy;
	struct setup *s = malloc(sizeof(*s));
	int r;

	if (!s)
		abort();
	setup_init(s, identity, ppgtt);
	want_blit = crc_want(s, width_px * 4, pitch);
	want_copy = crc_want(s, pitch, pitch);
	for (r = 0; r < COPY_RUNS; r++) {
		double t0;

		poison_dst(s);
		tb[r] = blit_once(s, fast, width_px, pitch);
		check(name, "the blit", crc_dst(s), want_blit);

		poison_dst(s);
		t0 = now_ns();
		baseline_copy(s);
		tm[r] = now_ns() - t0;
		check(name, "memcpy()", crc_dst(s), want_copy);
		ratio[r] = (tm[r] / COPY_SURF) / (tb[r] / bytes);
	}
	qsort(tb, COPY_RUNS, sizeof(double), cmp_double);
	qsort(tm, COPY_RUNS, sizeof(double), cmp_double);
	qsort(ratio, COPY_RUNS, sizeof(double), cmp_double);
	rb = (tm[0] / COPY_SURF) / (tb[0] / bytes);
	printf("%-34s %6.2f GB/s best %6.2f median | memcpy %6.2f best %6.2f median | ratio best %.2f median %.2f (pairs %.2f..%.2f)\n",
	       name, bytes / tb[0], bytes / tb[COPY_RUNS / 2],
	       COPY_SURF / tm[0], COPY_SURF / tm[COPY_RUNS / 2], rb,
	       ratio[COPY_RUNS / 2], ratio[0], ratio[COPY_RUNS - 1]);
	fake_fini(&s->fx);
	free(s);
}

static void bench_empty_submission(void)
{
	const int iters = 200000, batches = 7;
	struct sgpu_exec_limits lim = { .max_cmds = 1000 };
	double run_ns = 1e30, full_ns = 1e30;
	struct sgpu_exec_result res;
	struct tbuf b;
	struct setup s;
	int i, k;

	setup_init(&s, true, false);
	tb_init(&b, &s.fx, MVGPU_SPACE_GGTT, COPY_BATCH, 0, 0);
	tb_end(&b);
	tb_bbs(&s.t.ring, COPY_BATCH, 0);
	TB(&s.t.ring, MVGPU_MI_NOOP);
	if (tctx_submit(&s.t))
		abort();

	for (k = 0; k < batches; k++) {
		double t0, t1;

		t0 = now_ns();
		for (i = 0; i < iters; i++) {
			s.t.ctx.head = 0;
			sgpu_exec_run(&s.bcs, &s.t.ctx, &lim, &res);
		}
		t1 = now_ns();
		if (res.status != SGPU_EXEC_IDLE || res.cmds != 3)
			abort();
		if ((t1 - t0) / iters < run_ns)
			run_ns = (t1 - t0) / iters;

		t0 = now_ns();
		for (i = 0; i < iters; i++) {
			fake_gw32(&s.fx, COPY_LRCA + 4 * MVGPU_CTX_RING_HEAD,
				  0);
			if (sgpu_ctx_load(&s.t.ctx, &s.fx.mem, s.t.desc, NULL))
				abort();
			sgpu_exec_run(&s.bcs, &s.t.ctx, &lim, &res);
			sgpu_ctx_save(&s.t.ctx, &s.fx.mem, NULL);
		}
		t1 = now_ns();
		if (res.status != SGPU_EXEC_IDLE)
			abort();
		if ((t1 - t0) / iters < full_ns)
			full_ns = (t1 - t0) / iters;
	}

	printf("%-34s %7.1f ns per submission, best of %d x %d (sgpu_exec_run only)\n",
	       "empty batch (BB_START -> BB_END)", run_ns, batches, iters);
	printf("%-34s %7.1f ns per submission (+ context load/save)\n", "",
	       full_ns);
	fake_fini(&s.fx);
}

/* ---- engine slices ---------------------------------------------------- */

#define BIG_BATCH	0x1400000ULL	/* 20 MiB: 12 MiB of commands */
#define BIG_BATCH_MAX	(12ULL << 20)
#define SLICE_PT_PAGES	1400
#define SLICE_REPS	5

/* The engine's limits (sgpu/engine.c) */
static const struct sgpu_exec_limits engine_slice = {
	.max_cmds = SGPU_SLICE_CMDS, .max_dwords = SGPU_SLICE_DWORDS,
	.max_bytes = SGPU_SLICE_BYTES, .max_rows = SGPU_SLICE_ROWS,
	.max_maps = SGPU_SLICE_MAPS,
};
#define PP_A		0x0000200000000000ULL	/* sparse PPGTT surfaces */
#define PP_B		0x0000300000000000ULL
#define PPGGTT_SURF	(PPVA + SRC)

struct slice_setup {
	struct fake fx;
	struct sgpu_engine rcs, bcs;
	struct tctx t;
	u64 pml4;
	u64 next_pfn;		/* data pages handed out to sparse mappings */
};

struct mix {
	const char *name;
	bool ppgtt, rcs;
	void (*build)(struct slice_setup *s, struct tbuf *b);
};

struct slice_stats {
	int n;
	double p50, worst;
	struct sgpu_exec_result at_worst;
};

static void slice_setup_init(struct slice_setup *s, bool ppgtt)
{
	fake_init(&s->fx, DATA_PAGES, SLICE_PT_PAGES, true);
	fake_engine(&s->fx, &s->rcs, MVGPU_ENGINE_RCS);
	fake_engine(&s->fx, &s->bcs, MVGPU_ENGINE_BCS);
	s->pml4 = fake_pt_alloc(&s->fx) << 12;
	if (ppgtt)
		fake_ppgtt_alias(&s->fx, s->pml4, PPVA, 0, 2 * SURF);
	tctx_init(&s->t, &s->fx, LRCA, RING, RING_SZ,
		  ppgtt ? MVGPU_CTX_MODE_LEGACY_64B : MVGPU_CTX_MODE_LEGACY_32B,
		  1, s->pml4);
	s->next_pfn = 0;
}

/* Map the PPGTT page of row r at @va + r * @pitch, r < @rows. */
static void map_rows(struct slice_setup *s, u64 va, u64 pitch, u32 rows)
{
	u32 r;

	for (r = 0; r < rows; r++)
		fake_ppgtt_map(&s->fx, s->pml4, va + r * pitch,
			       s->next_pfn++ % 256);
}

static u64 src_of(struct slice_setup *s, bool ppgtt)
{
	return ppgtt ? PPVA + SRC : SRC;
}

static u64 dst_of(struct slice_setup *s, bool ppgtt)
{
	return ppgtt ? PPVA + DST : DST;
}

/* Emit @n copies of the @len dwords at @cmd. */
static void emit_n(struct tbuf *b, const u32 *cmd, int len, int n)
{
	while (n--)
		tb_emitv(b, cmd, len);
}

/* The attack: XY_SRC_COPY_BLT of 1x2048 at 8 bpp, pitch 0. */
static void mix_attack_copy(struct slice_setup *s, struct tbuf *b)
{
	int i;

	for (i = 0; i < 16384; i++)
		tb_src_copy(b, MVGPU_BR13_DEPTH_8, 0, 0, 0, 1, 2048, DST, 0, 0,
			    0, SRC);
}

static void mix_attack_fill(struct slice_setup *s, struct tbuf *b)
{
	int i;

	for (i = 0; i < 16384; i++)
		tb_color_blt(b, MVGPU_BR13_DEPTH_8, 0, 0, 0, 1, 2048, DST, 1);
}

/* Rows 64 KiB apart in the PPGTT: a page walk every 32 rows. */
static void mix_attack_copy_ppgtt(struct slice_setup *s, struct tbuf *b)
{
	int i;

	map_rows(s, PP_A, 65532, 2048);
	map_rows(s, PP_B, 65532, 2048);
	for (i = 0; i < 8192; i++)
		tb_src_copy(b, MVGPU_BR13_DEPTH_8, 65532, 0, 0, 1, 2048, PP_B,
			    0, 0, 65532, PP_A);
}

/* Rows 2 MiB apart: every map is a full 4-level walk. */
static void mix_attack_blend_ppgtt(struct slice_setup *s, struct tbuf *b)
{
	int i;

	map_rows(s, PP_A, 2 << 20, 256);
	map_rows(s, PP_B, 2 << 20, 256);
	for (i = 0; i < 32768; i++)
		tb_blend(b, MVGPU_BLEND_OP_SET_ALPHA, 0, 1, 256, 2 << 20, PP_B,
			 2 << 20, PP_A);
}

/* Rows of one pixel that straddle a page: two maps per row and surface. */
static void mix_attack_straddle(struct slice_setup *s, struct tbuf *b)
{
	int i;

	for (i = 0; i < 16384; i++)
		tb_src_copy(b, MVGPU_BR13_DEPTH_32, 0, 0, 0, 2, 2048,
			    DST + 4092, 0, 0, 0, SRC + 4092);
}

static void mix_fill_big(struct slice_setup *s, struct tbuf *b)
{
	int i;

	for (i = 0; i < 16; i++)
		tb_color_blt(b, MVGPU_BR13_DEPTH_32, 8192, 0, 0, 2048, 1024,
			     dst_of(s, false), 0xff000000U | i);
}

static void mix_fill_565(struct slice_setup *s, struct tbuf *b)
{
	int i;

	for (i = 0; i < 16; i++)
		tb_color_blt(b, MVGPU_BR13_DEPTH_565, 8190, 0, 0, 4095, 1024,
			     DST, 0x1234 + i);
}

static void mix_copy_big(struct slice_setup *s, struct tbuf *b)
{
	int i;

	for (i = 0; i < 16; i++)
		tb_src_copy(b, MVGPU_BR13_DEPTH_32, 8192, 0, 0, 2048, 1024,
			    DST, 0, 0, 8192, SRC);
}

static void mix_copy_big_ppgtt(struct slice_setup *s, struct tbuf *b)
{
	int i;

	for (i = 0; i < 16; i++)
		tb_fast_copy(b, MVGPU_FAST_COPY_DEPTH_32, 8000, 0, 0, 2000,
			     1024, dst_of(s, true), 0, 0, 8000,
			     src_of(s, true));
}

static void mix_copy_small(struct slice_setup *s, struct tbuf *b)
{
	int i;

	for (i = 0; i < 65536; i++)
		tb_src_copy(b, MVGPU_BR13_DEPTH_32, 256, 0, 0, 64, 16,
			    DST + 64 * (i % 1024), 0, 0, 256, SRC);
}

static void mix_blend(struct slice_setup *s, struct tbuf *b, u32 op)
{
	int i;

	for (i = 0; i < 512; i++)
		tb_blend(b, op, 77, 256, 256, 4096, DST + 1024 * (i % 4), 4096,
			 SRC);
}

static void mix_blend_over(struct slice_setup *s, struct tbuf *b)
{
	mix_blend(s, b, MVGPU_BLEND_OP_OVER);
}

static void mix_blend_const(struct slice_setup *s, struct tbuf *b)
{
	mix_blend(s, b, MVGPU_BLEND_OP_CONST_ALPHA);
}

static void mix_blend_set(struct slice_setup *s, struct tbuf *b)
{
	mix_blend(s, b, MVGPU_BLEND_OP_SET_ALPHA);
}

static void mix_noop(struct slice_setup *s, struct tbuf *b)
{
	const u32 noop = MVGPU_MI_NOOP;

	emit_n(b, &noop, 1, 1 << 20);
}

static void mix_lri(struct slice_setup *s, struct tbuf *b)
{
	u32 cmd[257];
	int i;

	cmd[0] = MVGPU_MI_LOAD_REGISTER_IMM(128);
	for (i = 0; i < 128; i++) {
		cmd[1 + 2 * i] = MVGPU_RING_GPR(i % 32);
		cmd[2 + 2 * i] = i;
	}
	emit_n(b, cmd, 257, 8192);
}

static void mix_sdi(struct slice_setup *s, struct tbuf *b)
{
	const u32 cmd[] = { MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT,
			    LO(DST), 0, 1 };

	emit_n(b, cmd, 4, 262144);
}

static void mix_semaphore(struct slice_setup *s, struct tbuf *b)
{
	const u32 cmd[] = { MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_USE_GGTT |
			    MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 0, LO(DST + 4096),
			    0 };

	emit_n(b, cmd, 4, 262144);
}

static void mix_srm_lrm(struct slice_setup *s, struct tbuf *b)
{
	const u32 cmd[] = {
		MVGPU_MI_LOAD_REGISTER_MEM | MVGPU_MI_USE_GGTT,
		MVGPU_RING_GPR(1), LO(DST + 8192), 0,
		MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT,
		MVGPU_RING_GPR(1), LO(DST + 12288), 0,
	};

	emit_n(b, cmd, 8, 131072);
}

static void mix_fill_tiny(struct slice_setup *s, struct tbuf *b)
{
	int i;

	for (i = 0; i < 262144; i++)
		tb_color_blt(b, MVGPU_BR13_DEPTH_32, 4096, 0, 0, 1, 1,
			     DST + 4096 * (i % 2048), i);
}

/* Batches that chain to the next: an arbitration point each. */
static void mix_chain(struct slice_setup *s, struct tbuf *b)
{
	int i;

	for (i = 0; i < 262144; i++)
		tb_bbs(b, tb_addr(b) + 12, 0);
}

/* Every counter at once: register storms, page walks and blending. */
static void mix_combo(struct slice_setup *s, struct tbuf *b)
{
	u32 lri[257];
	int i;

	map_rows(s, PP_A, 2 << 20, 256);
	map_rows(s, PP_B, 2 << 20, 256);
	lri[0] = MVGPU_MI_LOAD_REGISTER_IMM(128);
	for (i = 0; i < 128; i++) {
		lri[1 + 2 * i] = MVGPU_RING_GPR(i % 32);
		lri[2 + 2 * i] = i;
	}
	for (i = 0; i < 4096; i++) {
		tb_emitv(b, lri, 257);
		tb_blend(b, MVGPU_BLEND_OP_OVER, 0, 1, 256, 2 << 20, PP_B,
			 2 << 20, PP_A);
		tb_blend(b, MVGPU_BLEND_OP_OVER, 0, 64, 16, 256,
			 PPGGTT_SURF, 256, PPGGTT_SURF + 0x10000);
	}
}

static const struct mix mixes[] = {
	{ "attack: copy 1x2048 8bpp pitch 0", false, false, mix_attack_copy },
	{ "attack: fill 1x2048 8bpp pitch 0", false, false, mix_attack_fill },
	{ "attack: copy 2x2048 32bpp straddling", false, false,
	  mix_attack_straddle },
	{ "attack: copy 1x2048 PPGTT pitch 64K", true, false,
	  mix_attack_copy_ppgtt },
	{ "attack: blend 1x256 PPGTT pitch 2M", true, true,
	  mix_attack_blend_ppgtt },
	{ "fill 2048x1024 32bpp (memset)", false, false, mix_fill_big },
	{ "fill 4095x1024 565 (pattern)", false, false, mix_fill_565 },
	{ "copy 2048x1024 32bpp", false, false, mix_copy_big },
	{ "fast copy 2000x1024 PPGTT", true, false, mix_copy_big_ppgtt },
	{ "copy 64x16 32bpp", false, false, mix_copy_small },
	{ "blend OVER 256x256", false, true, mix_blend_over },
	{ "blend CONST_ALPHA 256x256", false, true, mix_blend_const },
	{ "blend SET_ALPHA 256x256", false, true, mix_blend_set },
	{ "fill 1x1 (one map each)", false, false, mix_fill_tiny },
	{ "MI_NOOP storm", false, false, mix_noop },
	{ "MI_LOAD_REGISTER_IMM(128) storm", false, false, mix_lri },
	{ "MI_STORE_DATA_IMM storm", false, false, mix_sdi },
	{ "MI_SEMAPHORE_WAIT (satisfied) storm", false, false,
	  mix_semaphore },
	{ "MI_LOAD/STORE_REGISTER_MEM storm", false, false, mix_srm_lrm },
	{ "MI_BATCH_BUFFER_START chain", false, false, mix_chain },
	{ "LRI(128) + PPGTT walks + OVER, mixed", true, true, mix_combo },
};

/*
 * Run the batch SLICE_REPS times; slice i of every run does the same
 * work, so its time is taken as the least of the runs (what other
 * processes on the machine add is noise, not work).
 */
static void run_slices(struct slice_setup *s, const struct sgpu_engine *e,
		       const struct sgpu_exec_limits *lim,
		       struct slice_stats *st)
{
	int cap = 1 << 18, rep, n;
	double *t = malloc(cap * sizeof(*t));
	struct sgpu_exec_result *r = malloc(cap * sizeof(*r));

	if (!t || !r)
		abort();
	st->n = 0;
	for (rep = 0; rep < SLICE_REPS; rep++) {
		fake_gw32(&s->fx, LRCA + 4 * MVGPU_CTX_RING_HEAD, 0);
		if (tctx_submit(&s->t))
			abort();
		for (n = 0;; n++) {
			struct sgpu_exec_result res;
			double t0 = now_ns(), dt;

			fake_run(&s->fx, e, &s->t.ctx, lim, &res);
			dt = now_ns() - t0;
			if ((res.status != SGPU_EXEC_IDLE &&
			     res.status != SGPU_EXEC_BUDGET) || n == cap) {
				fprintf(stderr, "status %d err %u at 0x%llx\n",
					res.status, res.err.code,
					(unsigned long long)res.err.cmd_addr);
				abort();
			}
			if (!rep || dt < t[n])
				t[n] = dt;
			r[n] = res;
			if (res.status == SGPU_EXEC_IDLE)
				break;
		}
		if (rep && n + 1 != st->n)
			abort();
		st->n = n + 1;
	}
	st->worst = 0;
	for (n = 0; n < st->n; n++) {
		if (t[n] > st->worst) {
			st->worst = t[n];
			st->at_worst = r[n];
		}
	}
	qsort(t, st->n, sizeof(*t), cmp_double);
	st->p50 = t[st->n / 2];
	free(t);
	free(r);
}

static void bench_slices(void)
{
	const struct sgpu_exec_limits old = {
		.max_cmds = 4096, .max_bytes = 8ULL << 20,
	};
	const struct sgpu_exec_limits now = engine_slice;
	double worst_old = 0, worst_now = 0;
	unsigned int m;

	printf("\nengine slices, the least of %d runs of each: slice time p50 / worst in ms; the worst slice's commands, MiB (counted), rows, maps\n",
	       SLICE_REPS);
	printf("  limits now: %u commands, %u dwords, %llu KiB (a blended byte counts %d), %llu rows, %llu maps; before: 4096 commands, 8 MiB\n",
	       SGPU_SLICE_CMDS, SGPU_SLICE_DWORDS, SGPU_SLICE_BYTES >> 10,
	       SGPU_BLEND_WEIGHT, (unsigned long long)SGPU_SLICE_ROWS,
	       (unsigned long long)SGPU_SLICE_MAPS);
	for (m = 0; m < sizeof(mixes) / sizeof(mixes[0]); m++) {
		const struct mix *mx = &mixes[m];
		struct slice_stats a, b;
		struct slice_setup *s = malloc(sizeof(*s));
		struct tbuf batch;

		if (!s)
			abort();
		slice_setup_init(s, mx->ppgtt);
		tb_init(&batch, &s->fx, MVGPU_SPACE_GGTT, BIG_BATCH, 0, 0);
		mx->build(s, &batch);
		tb_end(&batch);
		if (batch.off > BIG_BATCH_MAX)
			abort();
		tb_bbs(&s->t.ring, BIG_BATCH, 0);
		run_slices(s, mx->rcs ? &s->rcs : &s->bcs, &old, &a);
		run_slices(s, mx->rcs ? &s->rcs : &s->bcs, &now, &b);
		printf("%-38s before %8.3f / %8.3f (%5u %6.2f %7llu %7llu) | now %6.3f / %6.3f (%5u %6.2f %7llu %7llu)\n",
		       mx->name, a.p50 / 1e6, a.worst / 1e6, a.at_worst.cmds,
		       a.at_worst.bytes / 1048576.0,
		       (unsigned long long)a.at_worst.rows,
		       (unsigned long long)a.at_worst.maps, b.p50 / 1e6,
		       b.worst / 1e6, b.at_worst.cmds,
		       b.at_worst.bytes / 1048576.0,
		       (unsigned long long)b.at_worst.rows,
		       (unsigned long long)b.at_worst.maps);
		if (a.worst > worst_old)
			worst_old = a.worst;
		if (b.worst > worst_now)
			worst_now = b.worst;
		fake_fini(&s->fx);
		free(s);
	}
	printf("worst slice of all mixes: before %.3f ms, now %.3f ms\n",
	       worst_old / 1e6, worst_now / 1e6);
}

/*
 * ---- one command: whole (no limits), and the worst slice of it under the
 * engine's limits, which split it at row boundaries ----
 */

struct one_cmd {
	const char *name;
	bool ppgtt, rcs;
	void (*build)(struct slice_setup *s, struct tbuf *b);
};

static void one_fill_max(struct slice_setup *s, struct tbuf *b)
{
	tb_color_blt(b, MVGPU_BR13_DEPTH_32, 0, 0, 0, 4096, 4096, DST, 7);
}

static void one_copy_rows(struct slice_setup *s, struct tbuf *b)
{
	tb_src_copy(b, MVGPU_BR13_DEPTH_8, 0, 0, 0, 256, 65535, DST, 0, 0, 0,
		    SRC);
}

static void one_copy_straddle(struct slice_setup *s, struct tbuf *b)
{
	tb_src_copy(b, MVGPU_BR13_DEPTH_32, 0, 0, 0, 256, 65535, DST + 3584,
		    0, 0, 0, SRC + 3584);
}

static void one_copy_ppgtt_rows(struct slice_setup *s, struct tbuf *b)
{
	map_rows(s, PP_A, 4096, 65535);
	map_rows(s, PP_B, 4096, 65535);
	tb_src_copy(b, MVGPU_BR13_DEPTH_8, 4096, 0, 0, 256, 65535, PP_B, 0, 0,
		    4096, PP_A);
}

static void one_blend_max(struct slice_setup *s, struct tbuf *b)
{
	tb_blend(b, MVGPU_BLEND_OP_OVER, 0, 512, 512, 0, DST, 0, SRC);
}

static void one_blend_ppgtt_rows(struct slice_setup *s, struct tbuf *b)
{
	map_rows(s, PP_A, 4096, 65535);
	map_rows(s, PP_B, 4096, 65535);
	tb_blend(b, MVGPU_BLEND_OP_OVER, 0, 4, 65535, 4096, PP_B, 4096,
		 PP_A);
}

static const struct one_cmd one_cmds[] = {
	{ "XY_COLOR_BLT 4096x4096 32bpp pitch 0", false, false, one_fill_max },
	{ "XY_SRC_COPY_BLT 256x65535 8bpp pitch 0", false, false,
	  one_copy_rows },
	{ "XY_SRC_COPY_BLT 256x65535 32bpp straddling", false, false,
	  one_copy_straddle },
	{ "XY_SRC_COPY_BLT 256x65535 8bpp PPGTT rows", true, false,
	  one_copy_ppgtt_rows },
	{ "MVGPU_BLEND OVER 512x512 pitch 0", false, true, one_blend_max },
	{ "MVGPU_BLEND OVER 4x65535 PPGTT rows", true, true,
	  one_blend_ppgtt_rows },
};

static void bench_one(const struct one_cmd *c,
		      const struct sgpu_exec_limits *lim, const char *how)
{
	struct slice_setup *s = malloc(sizeof(*s));
	struct slice_stats st;
	struct tbuf batch;

	if (!s)
		abort();
	slice_setup_init(s, c->ppgtt);
	tb_init(&batch, &s->fx, MVGPU_SPACE_GGTT, BIG_BATCH, 0, 0);
	c->build(s, &batch);
	tb_end(&batch);
	tb_bbs(&s->t.ring, BIG_BATCH, 0);
	run_slices(s, c->rcs ? &s->rcs : &s->bcs, lim, &st);
	printf("%-5s %-44s %8.3f ms (%llu MiB counted, %llu rows, %llu maps)\n",
	       how, c->name, st.worst / 1e6,
	       (unsigned long long)(st.at_worst.bytes >> 20),
	       (unsigned long long)st.at_worst.rows,
	       (unsigned long long)st.at_worst.maps);
	fake_fini(&s->fx);
	free(s);
}

static void bench_one_command(void)
{
	const struct sgpu_exec_limits whole = { 0 };
	unsigned int m;

	printf("\none command (2^24 pixels, 2^18 for a blend, or 65535 rows at most), the least of %d runs: whole, then its worst slice under the engine's limits (split at row boundaries):\n",
	       SLICE_REPS);
	for (m = 0; m < sizeof(one_cmds) / sizeof(one_cmds[0]); m++)
		bench_one(&one_cmds[m], &whole, "whole");
	for (m = 0; m < sizeof(one_cmds) / sizeof(one_cmds[0]); m++)
		bench_one(&one_cmds[m], &engine_slice, "slice");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "slices")) {
		bench_slices();
		bench_one_command();
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "one")) {
		bench_one_command();
		return 0;
	}

	printf("sgpu benchmark: 32 MiB 32 bpp copies, %d interleaved pairs each, every result checked by CRC; ratio = blit throughput / page-wise memcpy throughput\n",
	       COPY_RUNS);
	bench_copy("XY_SRC_COPY_BLT  GGTT contiguous", false, true, false,
		   2048, 8192);
	bench_copy("XY_FAST_COPY_BLT GGTT contiguous", true, true, false,
		   2048, 8192);
	bench_copy("XY_SRC_COPY_BLT  GGTT scattered", false, false, false,
		   2048, 8192);
	bench_copy("XY_FAST_COPY_BLT GGTT scattered", true, false, false,
		   2048, 8192);
	bench_copy("XY_FAST_COPY_BLT PPGTT contiguous", true, true, true,
		   2048, 8192);
	bench_copy("XY_SRC_COPY_BLT  padded pitch", false, true, false,
		   2000, 8192);
	bench_empty_submission();
	return checked_fail;
}
