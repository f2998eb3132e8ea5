// SPDX-License-Identifier: GPL-2.0-only
/*
 * Software GPU benchmark.
 *
 * Copy throughput: an 8 MiB XY_SRC_COPY_BLT / XY_FAST_COPY_BLT through
 * sgpu_exec_run(), against memcpy() of the same 8 MiB between the same
 * physical buffers, interleaved in the same loop; best and median of
 * RUNS.  Variants: contiguous GGTT pages, scattered GGTT pages, PPGTT,
 * and a padded pitch (one run per row).
 *
 * Empty submission: a ring holding one MI_BATCH_BUFFER_START to a batch
 * holding only MI_BATCH_BUFFER_END, through sgpu_exec_run() alone and
 * with sgpu_ctx_load() + sgpu_ctx_save() around it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sgpu_fake.h"

#define RUNS		21
#define SURF		(8ULL << 20)
#define SRC		0x0000000ULL
#define DST		0x0800000ULL
#define LRCA		0x1000000ULL
#define RING		0x1010000ULL
#define RING_SZ		0x4000
#define BATCH		0x1020000ULL
#define PPVA		0x0000100000000000ULL
#define DATA_PAGES	8192		/* 32 MiB */

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
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

	fake_init(&s->fx, DATA_PAGES, 64, identity);
	fake_engine(&s->fx, &s->bcs, MVGPU_ENGINE_BCS);
	s->pml4 = fake_pt_alloc(&s->fx) << 12;
	s->src = SRC;
	s->dst = DST;
	if (ppgtt) {
		fake_ppgtt_alias(&s->fx, s->pml4, PPVA, 0, 2 * SURF);
		s->src += PPVA;
		s->dst += PPVA;
	}
	tctx_init(&s->t, &s->fx, LRCA, RING, RING_SZ,
		  ppgtt ? MVGPU_CTX_MODE_LEGACY_64B : MVGPU_CTX_MODE_LEGACY_32B,
		  1, s->pml4);
	for (i = 0; i < SURF; i += 4096)
		memset(fake_gptr(&s->fx, SRC + i), (int)(i >> 12), 4096);
}

/* Physical addresses of the surfaces' pages, for the memcpy baseline. */
static void baseline_copy(struct setup *s, bool identity)
{
	u64 i;

	if (identity) {
		memcpy(fake_gptr(&s->fx, DST), fake_gptr(&s->fx, SRC), SURF);
		return;
	}
	for (i = 0; i < SURF; i += 4096)
		memcpy(fake_gptr(&s->fx, DST + i), fake_gptr(&s->fx, SRC + i),
		       4096);
}

static void bench_copy(const char *name, bool fast, bool identity, bool ppgtt,
		       u32 width_px, u32 pitch)
{
	double tb[RUNS], tm[RUNS];
	u32 height = SURF / pitch;
	u64 bytes = (u64)width_px * 4 * height;
	struct sgpu_exec_limits lim = { 0 };
	struct sgpu_exec_result res;
	struct setup s;
	int r;

	setup_init(&s, identity, ppgtt);
	for (r = 0; r < RUNS; r++) {
		double t0, t1;

		s.t.ring.off = 0;
		fake_gw32(&s.fx, LRCA + 4 * MVGPU_CTX_RING_HEAD, 0);
		if (fast)
			tb_fast_copy(&s.t.ring, MVGPU_FAST_COPY_DEPTH_32,
				     pitch, 0, 0, width_px, height, s.dst, 0, 0,
				     pitch, s.src);
		else
			tb_src_copy(&s.t.ring, MVGPU_BR13_DEPTH_32, pitch, 0, 0,
				    width_px, height, s.dst, 0, 0, pitch,
				    s.src);
		if (tctx_submit(&s.t))
			abort();
		t0 = now_ns();
		sgpu_exec_run(&s.bcs, &s.t.ctx, &lim, &res);
		t1 = now_ns();
		if (res.status != SGPU_EXEC_IDLE || res.bytes != bytes)
			abort();
		tb[r] = t1 - t0;

		t0 = now_ns();
		baseline_copy(&s, identity);
		t1 = now_ns();
		tm[r] = t1 - t0;
	}
	qsort(tb, RUNS, sizeof(double), cmp_double);
	qsort(tm, RUNS, sizeof(double), cmp_double);
	printf("%-34s %7.2f GB/s best %7.2f median | memcpy %7.2f best %7.2f median | ratio best %.2f median %.2f\n",
	       name, bytes / tb[0], bytes / tb[RUNS / 2],
	       SURF / tm[0], SURF / tm[RUNS / 2],
	       (tm[0] / SURF) / (tb[0] / bytes),
	       (tm[RUNS / 2] / SURF) / (tb[RUNS / 2] / bytes));
	fake_fini(&s.fx);
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
	tb_init(&b, &s.fx, MVGPU_SPACE_GGTT, BATCH, 0, 0);
	tb_end(&b);
	tb_bbs(&s.t.ring, BATCH, 0);
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
			fake_gw32(&s.fx, LRCA + 4 * MVGPU_CTX_RING_HEAD, 0);
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

int main(void)
{
	printf("sgpu benchmark: 8 MiB 32 bpp copies, %d runs each; ratio = blit throughput / memcpy throughput\n",
	       RUNS);
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
	return 0;
}
