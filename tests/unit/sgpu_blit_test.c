// SPDX-License-Identifier: GPL-2.0-only
/*
 * sgpu/blit.c through the executor: XY_COLOR_BLT, XY_SRC_COPY_BLT,
 * XY_FAST_COPY_BLT and MVGPU_BLEND against a per-pixel reference model:
 * every depth, zero-sized blits, page-crossing surfaces over scattered
 * pages, unaligned pitches and bases, overlapping copies, faults, bad
 * parameters, PPGTT surfaces, and randomized rectangles.
 */
#include "kselftest_harness.h"
#include "sgpu_fake.h"

#define LRCA	0x1000
#define LRCA2	0x2000
#define RING	0x10000
#define RING2	0x18000
#define RING_SZ	0x8000
#define REGION	0x100000		/* surfaces live here */
#define RSIZE	0x100000
#define PPVA	0x0000400000000000ULL	/* aliases REGION */

FIXTURE(blit) {
	struct fake fx;
	struct sgpu_engine rcs, bcs;
	struct tctx t, p;
	u64 pml4;
	struct sgpu_exec_limits lim;
	struct sgpu_exec_result res;
	u8 *before, *expect, *after;
	u32 seed;
};

static u32 rnd(FIXTURE_DATA(blit) *self)
{
	self->seed = self->seed * 1103515245 + 12345;
	return self->seed >> 8;
}

FIXTURE_SETUP(blit)
{
	u32 i;

	fake_init(&self->fx, 1024, 64, false);
	fake_engine(&self->fx, &self->rcs, MVGPU_ENGINE_RCS);
	fake_engine(&self->fx, &self->bcs, MVGPU_ENGINE_BCS);
	self->pml4 = fake_pt_alloc(&self->fx) << 12;
	fake_ppgtt_alias(&self->fx, self->pml4, PPVA, REGION, RSIZE);
	tctx_init(&self->t, &self->fx, LRCA, RING, RING_SZ,
		  MVGPU_CTX_MODE_LEGACY_32B, 1, 0);
	tctx_init(&self->p, &self->fx, LRCA2, RING2, RING_SZ,
		  MVGPU_CTX_MODE_LEGACY_64B, 2, self->pml4);
	self->lim.max_cmds = 100000;
	self->before = malloc(RSIZE);
	self->expect = malloc(RSIZE);
	self->after = malloc(RSIZE);
	self->seed = 1;
	for (i = 0; i < RSIZE; i++)
		self->before[i] = rnd(self);
	fake_gwrite(&self->fx, REGION, self->before, RSIZE);
	memcpy(self->expect, self->before, RSIZE);
}

FIXTURE_TEARDOWN(blit)
{
	EXPECT_EQ(0, self->fx.depth);
	EXPECT_EQ(0, self->fx.lifo_errors);
	EXPECT_GE(3, self->fx.max_depth);
	free(self->before);
	free(self->expect);
	free(self->after);
	fake_fini(&self->fx);
}

static enum sgpu_exec_status go(FIXTURE_DATA(blit) *self,
				struct sgpu_engine *e, struct tctx *t)
{
	if (tctx_submit(t))
		return (enum sgpu_exec_status)-1;
	fake_run(t->fx, e, &t->ctx, &self->lim, &self->res);
	sgpu_ctx_save(&t->ctx, &self->fx.mem, NULL);
	return self->res.status;
}

/* Offset of the first byte where memory differs from the model, or -1. */
static long diff(FIXTURE_DATA(blit) *self)
{
	u32 i;

	fake_gread(&self->fx, REGION, self->after, RSIZE);
	for (i = 0; i < RSIZE; i++)
		if (self->after[i] != self->expect[i])
			return i;
	return -1;
}

/* Start a new case: the model follows what memory holds now. */
static void sync_model(FIXTURE_DATA(blit) *self)
{
	fake_gread(&self->fx, REGION, self->expect, RSIZE);
}

/* ---- reference model on self->expect, offsets relative to REGION ---- */

static void ref_fill(u8 *m, u64 base, u32 pitch, u32 cpp, u32 x1, u32 y1,
		     u32 x2, u32 y2, u32 color)
{
	u32 x, y, b;

	for (y = y1; y < y2; y++)
		for (x = x1; x < x2; x++)
			for (b = 0; b < cpp; b++)
				m[base + (u64)y * pitch + x * cpp + b] =
					b < 4 ? color >> (8 * b) : 0;
}

/* memmove semantics: read the whole source first */
static void ref_copy(u8 *m, u64 dbase, u32 dpitch, u32 dx, u32 dy, u64 sbase,
		     u32 spitch, u32 sx, u32 sy, u32 w, u32 h, u32 cpp)
{
	u8 *tmp = malloc((size_t)w * h * cpp + 1);
	u32 y;

	for (y = 0; y < h; y++)
		memcpy(tmp + (u64)y * w * cpp,
		       m + sbase + (u64)(sy + y) * spitch + sx * cpp, w * cpp);
	for (y = 0; y < h; y++)
		memcpy(m + dbase + (u64)(dy + y) * dpitch + dx * cpp,
		       tmp + (u64)y * w * cpp, w * cpp);
	free(tmp);
}

static u32 ref_pixel(u32 d, u32 s, u32 op, u32 a)
{
	u32 out = 0, c;

	for (c = 0; c < 32; c += 8) {
		double sc = (s >> c) & 0xff, dc = (d >> c) & 0xff, v;

		if (op == MVGPU_BLEND_OP_SET_ALPHA)
			v = c == 24 ? a : sc;
		else if (op == MVGPU_BLEND_OP_OVER)
			v = sc + (u32)(dc * (255 - (s >> 24)) / 255.0 + 0.5);
		else
			v = (u32)((sc * a + dc * (255 - a)) / 255.0 + 0.5);
		out |= (u32)(v > 255 ? 255 : v) << c;
	}
	return out;
}

static void ref_blend(u8 *m, u64 dbase, u32 dpitch, u64 sbase, u32 spitch,
		      u32 w, u32 h, u32 op, u32 a)
{
	u32 x, y;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			u32 *d = (u32 *)(m + dbase + (u64)y * dpitch + x * 4);
			u32 s;

			memcpy(&s, m + sbase + (u64)y * spitch + x * 4, 4);
			*d = ref_pixel(*d, s, op, a);
		}
}

#define RB	(&self->t.ring)
#define PRB	(&self->p.ring)
#define BCS	(&self->bcs)
#define RCS	(&self->rcs)

#define EXPECT_SAME() do {						\
	long __d = diff(self);						\
	EXPECT_EQ(-1, __d) {						\
		TH_LOG("first difference at REGION + %#lx", __d);	\
	}								\
} while (0)

static const u32 br13_depth[] = {
	MVGPU_BR13_DEPTH_8, MVGPU_BR13_DEPTH_565, MVGPU_BR13_DEPTH_1555,
	MVGPU_BR13_DEPTH_32,
};

static const u32 br13_cpp[] = { 1, 2, 2, 4 };

TEST_F(blit, color_fill_every_depth)
{
	static const u32 pitch[] = { 1001, 1234, 2050, 4100 };
	unsigned int i;

	for (i = 0; i < 4; i++) {
		u64 base = 0x10000 * i + 3;	/* unaligned base */
		u32 color = 0x89abcdef + i;

		tb_color_blt(RB, br13_depth[i], pitch[i], 7, 3, 700, 40,
			     REGION + base, color);
		ref_fill(self->expect, base, pitch[i], br13_cpp[i], 7, 3, 700,
			 40, color);
	}
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, &self->t));
	EXPECT_SAME();
	EXPECT_EQ(4, self->res.cmds);
}

TEST_F(blit, color_fill_uniform_and_contiguous)
{
	/* memset path (all bytes equal), and pitch == row: one run */
	tb_color_blt(RB, MVGPU_BR13_DEPTH_32, 4096, 0, 0, 1024, 3,
		     REGION + 0x100, 0xffffffff);
	ref_fill(self->expect, 0x100, 4096, 4, 0, 0, 1024, 3, 0xffffffff);
	tb_color_blt(RB, MVGPU_BR13_DEPTH_32, 400, 0, 0, 100, 50,
		     REGION + 0x20002, 0x01020304);
	ref_fill(self->expect, 0x20002, 400, 4, 0, 0, 100, 50, 0x01020304);
	tb_color_blt(RB, MVGPU_BR13_DEPTH_565, 0, 5, 0, 10, 1,
		     REGION + 0x30000, 0xf00d);		/* pitch 0 */
	ref_fill(self->expect, 0x30000, 0, 2, 5, 0, 10, 1, 0xf00d);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, &self->t));
	EXPECT_SAME();
	EXPECT_EQ(1024 * 3 * 4 + 100 * 50 * 4 + 10, self->res.bytes);
}

TEST_F(blit, zero_sized_blits_are_noops)
{
	tb_color_blt(RB, MVGPU_BR13_DEPTH_32, 64, 5, 5, 5, 10, REGION, 1);
	tb_color_blt(RB, MVGPU_BR13_DEPTH_32, 64, 5, 10, 9, 9, REGION, 1);
	tb_color_blt(RB, MVGPU_BR13_DEPTH_32, 64, 9, 0, 5, 10, REGION, 1);
	/* even at an address that would fault */
	tb_src_copy(RB, MVGPU_BR13_DEPTH_32, 64, 0, 0, 0, 100, 0xfff00000, 0,
		    0, 64, 0xfff00000);
	tb_fast_copy(RB, MVGPU_FAST_COPY_DEPTH_32, 64, 3, 3, 100, 3,
		     0xfff00000, 0, 0, 64, 0xfff00000);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, &self->t));
	EXPECT_SAME();
	EXPECT_EQ(5, self->res.cmds);
	EXPECT_EQ(0, self->res.bytes);
}

TEST_F(blit, src_copy_every_depth_unaligned)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		u64 s = 0x1000 * i + 1, d = 0x80000 + 0x11000 * i + 5;
		u32 sp = 3001 + i, dp = 4097 + 2 * i, cpp = br13_cpp[i];

		tb_src_copy(RB, br13_depth[i], dp, 3, 4, 503, 17, REGION + d,
			    11, 2, sp, REGION + s);
		ref_copy(self->expect, d, dp, 3, 4, s, sp, 11, 2, 500, 13, cpp);
	}
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, &self->t));
	EXPECT_SAME();
}

TEST_F(blit, fast_copy_every_depth)
{
	static const u32 depth[] = {
		MVGPU_FAST_COPY_DEPTH_8, MVGPU_FAST_COPY_DEPTH_16,
		MVGPU_FAST_COPY_DEPTH_32, MVGPU_FAST_COPY_DEPTH_64,
	};
	static const u32 cpp[] = { 1, 2, 4, 8 };
	unsigned int i;

	for (i = 0; i < 4; i++) {
		u64 s = 0x8000 * i, d = 0x80000 + 0x10000 * i + 64;

		tb_fast_copy(RB, depth[i], 4096, 1, 2, 400, 15, REGION + d, 7,
			     9, 2048 + 64 * i, REGION + s);
		ref_copy(self->expect, d, 4096, 1, 2, s, 2048 + 64 * i, 7, 9,
			 399, 13, cpp[i]);
	}
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, &self->t));
	EXPECT_SAME();
}

TEST_F(blit, overlapping_copies_behave_like_memmove)
{
	static const struct { u32 dx, dy, sx, sy, w, h; } c[] = {
		{ 0, 0, 0, 1, 300, 60 },	/* scroll up */
		{ 0, 1, 0, 0, 300, 60 },	/* scroll down */
		{ 1, 0, 0, 0, 900, 20 },	/* shift right, same rows */
		{ 0, 0, 1, 0, 900, 20 },	/* shift left */
		{ 5, 3, 0, 0, 1000, 30 },	/* down and right */
		{ 0, 0, 7, 9, 1000, 30 },	/* up and left */
		{ 0, 0, 0, 0, 100, 10 },	/* onto itself */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		u64 base = 0x40000 + 0x100 * i + 2;	/* crosses pages */

		self->t.ring.off = 0;
		fake_gw32(&self->fx, LRCA + 4 * MVGPU_CTX_RING_HEAD, 0);
		sync_model(self);
		tb_src_copy(RB, MVGPU_BR13_DEPTH_32, 4100, c[i].dx, c[i].dy,
			    c[i].dx + c[i].w, c[i].dy + c[i].h, REGION + base,
			    c[i].sx, c[i].sy, 4100, REGION + base);
		ref_copy(self->expect, base, 4100, c[i].dx, c[i].dy, base,
			 4100, c[i].sx, c[i].sy, c[i].w, c[i].h, 4);
		ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, &self->t));
		EXPECT_SAME();
	}
}

TEST_F(blit, overlapping_contiguous_copies)
{
	/* pitch == row: the whole rectangle is one run, both directions */
	u64 base = 0x50003;

	tb_fast_copy(RB, MVGPU_FAST_COPY_DEPTH_8, 1000, 0, 10, 1000, 110,
		     REGION + base, 0, 0, 1000, REGION + base);
	ref_copy(self->expect, base, 1000, 0, 10, base, 1000, 0, 0, 1000, 100,
		 1);
	tb_fast_copy(RB, MVGPU_FAST_COPY_DEPTH_8, 1000, 0, 0, 1000, 100,
		     REGION + base, 0, 37, 1000, REGION + base);
	ref_copy(self->expect, base, 1000, 0, 0, base, 1000, 0, 37, 1000, 100,
		 1);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, &self->t));
	EXPECT_SAME();
}

TEST_F(blit, ppgtt_surfaces)
{
	tb_color_blt(PRB, MVGPU_BR13_DEPTH_32, 4000, 2, 2, 500, 20,
		     PPVA + 0x1000, 0x5a5a0000);
	ref_fill(self->expect, 0x1000, 4000, 4, 2, 2, 500, 20, 0x5a5a0000);
	tb_src_copy(PRB, MVGPU_BR13_DEPTH_32, 3000, 0, 0, 700, 10,
		    PPVA + 0x90000, 1, 1, 4000, PPVA + 0x1000);
	ref_copy(self->expect, 0x90000, 3000, 0, 0, 0x1000, 4000, 1, 1, 700,
		 10, 4);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, &self->p));
	EXPECT_SAME();
}

TEST_F(blit, random_rectangles)
{
	int i;

	for (i = 0; i < 300; i++) {
		u32 cpp_idx = rnd(self) % 4, cpp = br13_cpp[cpp_idx];
		u32 w = rnd(self) % 600, h = rnd(self) % 40;
		u32 dp = w * cpp + rnd(self) % 300, sp = w * cpp + rnd(self) % 300;
		u32 dx = rnd(self) % 8, dy = rnd(self) % 8;
		u32 sx = rnd(self) % 8, sy = rnd(self) % 8;
		u64 d = rnd(self) % (RSIZE / 2 - 0x20000);
		u64 s = RSIZE / 2 + rnd(self) % (RSIZE / 2 - 0x20000);
		u32 color = rnd(self);

		if (rnd(self) & 1)	/* overlap: same surface */
			s = d + (rnd(self) % 3) * dp, sp = dp;
		self->t.ring.off = 0;
		fake_gw32(&self->fx, LRCA + 4 * MVGPU_CTX_RING_HEAD, 0);
		if (rnd(self) % 3 == 0) {
			tb_color_blt(RB, br13_depth[cpp_idx], dp, dx, dy,
				     dx + w, dy + h, REGION + d, color);
			ref_fill(self->expect, d, dp, cpp, dx, dy, dx + w,
				 dy + h, color);
		} else {
			tb_src_copy(RB, br13_depth[cpp_idx], dp, dx, dy,
				    dx + w, dy + h, REGION + d, sx, sy, sp,
				    REGION + s);
			ref_copy(self->expect, d, dp, dx, dy, s, sp, sx, sy, w,
				 h, cpp);
		}
		ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, &self->t));
		ASSERT_EQ(-1, diff(self)) {
			TH_LOG("iteration %d", i);
		}
	}
}

TEST_F(blit, bad_parameters)
{
	const u32 rgba = MVGPU_XY_BLT_WRITE_ALPHA | MVGPU_XY_BLT_WRITE_RGB;
	const u32 cases[][10] = {
		/* wrong ROP */
		{ MVGPU_XY_COLOR_BLT | rgba, MVGPU_BR13_DEPTH_32 |
		  MVGPU_BR13_ROP_SRCCOPY | 64, 0, 0x10001, REGION, 0, 0 },
		{ MVGPU_XY_SRC_COPY_BLT | rgba, MVGPU_BR13_DEPTH_32 |
		  MVGPU_BR13_ROP_PATCOPY | 64, 0, 0x10001, REGION, 0, 0, 64,
		  REGION, 0 },
		/* tiled */
		{ MVGPU_XY_COLOR_BLT | rgba | MVGPU_XY_BLT_DST_TILED,
		  MVGPU_BR13_DEPTH_32 | MVGPU_BR13_ROP_PATCOPY | 64, 0,
		  0x10001, REGION, 0, 0 },
		{ MVGPU_XY_SRC_COPY_BLT | rgba | MVGPU_XY_BLT_SRC_TILED,
		  MVGPU_BR13_DEPTH_32 | MVGPU_BR13_ROP_SRCCOPY | 64, 0,
		  0x10001, REGION, 0, 0, 64, REGION, 0 },
		{ MVGPU_XY_FAST_COPY_BLT | (1U << 20), MVGPU_FAST_COPY_DEPTH_32
		  | 64, 0, 0x10001, REGION, 0, 0, 64, REGION, 0 },
		{ MVGPU_XY_FAST_COPY_BLT | (2U << 13), MVGPU_FAST_COPY_DEPTH_32
		  | 64, 0, 0x10001, REGION, 0, 0, 64, REGION, 0 },
		/* 32 bpp without both write enables */
		{ MVGPU_XY_COLOR_BLT | MVGPU_XY_BLT_WRITE_RGB,
		  MVGPU_BR13_DEPTH_32 | MVGPU_BR13_ROP_PATCOPY | 64, 0,
		  0x10001, REGION, 0, 0 },
		/* reserved fast copy depths */
		{ MVGPU_XY_FAST_COPY_BLT, (2U << 24) | 64, 0, 0x10001, REGION,
		  0, 0, 64, REGION, 0 },
		{ MVGPU_XY_FAST_COPY_BLT, (5U << 24) | 64, 0, 0x10001, REGION,
		  0, 0, 64, REGION, 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		self->t.ring.off = 0;
		tb_emitv(RB, cases[i], (cases[i][0] & 0xff) + 2);
		ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, &self->t));
		EXPECT_EQ(MVGPU_ERR_CMD_PARAM, self->res.err.code) {
			TH_LOG("case %u", i);
		}
		EXPECT_EQ(cases[i][0], self->res.err.cmd_header);
	}
	EXPECT_SAME();
}

/* ---- what a blit did: rows walked and pages mapped, for the slice ---- */

/* Run one command alone on @e in context @t; returns its status. */
static enum sgpu_exec_status go_one(FIXTURE_DATA(blit) *self,
				    struct sgpu_engine *e, struct tctx *t)
{
	enum sgpu_exec_status st = go(self, e, t);

	t->ring.off = 0;
	fake_gw32(&self->fx, t->lrca + 4 * MVGPU_CTX_RING_HEAD, 0);
	return st;
}

#define EXPECT_WORK(rows_, maps_, bytes_) do {				\
	EXPECT_EQ(1, self->res.cmds);					\
	EXPECT_EQ((u64)(rows_), self->res.rows);			\
	EXPECT_EQ((u64)(maps_), self->res.maps);			\
	EXPECT_EQ((u64)(bytes_), self->res.bytes);			\
} while (0)

TEST_F(blit, work_counts_rows_and_page_maps)
{
	/* contiguous rows (pitch == row): one run over three pages */
	tb_color_blt(RB, MVGPU_BR13_DEPTH_32, 4096, 0, 0, 1024, 3,
		     REGION + 0x10000, 1);
	ASSERT_EQ(SGPU_EXEC_IDLE, go_one(self, BCS, &self->t));
	EXPECT_WORK(1, 3, 3 * 4096);

	/* 1 x 2048 at 8 bpp, pitch 0: 2 KiB, but 2048 rows */
	tb_color_blt(RB, MVGPU_BR13_DEPTH_8, 0, 0, 0, 1, 2048,
		     REGION + 0x10000, 1);
	ASSERT_EQ(SGPU_EXEC_IDLE, go_one(self, BCS, &self->t));
	EXPECT_WORK(2048, 2048, 2048);
	tb_src_copy(RB, MVGPU_BR13_DEPTH_8, 0, 0, 0, 1, 2048,
		    REGION + 0x10000, 0, 0, 0, REGION + 0x20000);
	ASSERT_EQ(SGPU_EXEC_IDLE, go_one(self, BCS, &self->t));
	EXPECT_WORK(2048, 2 * 2048, 2048);

	/* rows that straddle a page: two pieces, two maps each */
	tb_fast_copy(RB, MVGPU_FAST_COPY_DEPTH_32, 0, 0, 0, 2, 10,
		     REGION + 0x10ffc, 0, 0, 0, REGION + 0x20ffc);
	ASSERT_EQ(SGPU_EXEC_IDLE, go_one(self, BCS, &self->t));
	EXPECT_WORK(10, 4 * 10, 8 * 10);

	/* blends: a byte counts SGPU_BLEND_WEIGHT times */
	tb_blend(RB, MVGPU_BLEND_OP_OVER, 0, 1, 10, 0, REGION + 0x10000, 0,
		 REGION + 0x20000);
	ASSERT_EQ(SGPU_EXEC_IDLE, go_one(self, RCS, &self->t));
	EXPECT_WORK(10, 2 * 10, 4 * 10 * SGPU_BLEND_WEIGHT);

	/* PPGTT surfaces: a map is a translation, as in the GGTT */
	tb_color_blt(PRB, MVGPU_BR13_DEPTH_32, 256, 0, 0, 64, 64, PPVA, 1);
	ASSERT_EQ(SGPU_EXEC_IDLE, go_one(self, BCS, &self->p));
	EXPECT_WORK(1, 4, 64 * 64 * 4);

	/* a fault half-way: what was done before it counts */
	self->fx.ggtt[(REGION + 0x35000) >> 12] = 0;
	tb_color_blt(RB, MVGPU_BR13_DEPTH_32, 4096, 0, 0, 16, 8,
		     REGION + 0x30000, 7);
	ASSERT_EQ(SGPU_EXEC_ERROR, go_one(self, BCS, &self->t));
	EXPECT_EQ(MVGPU_ERR_GGTT_FAULT, self->res.err.code);
	EXPECT_EQ(0, self->res.cmds);
	EXPECT_EQ(6, self->res.rows);
	EXPECT_EQ(6, self->res.maps);
	EXPECT_EQ(0, self->res.bytes);
}

TEST_F(blit, faults_mid_blit)
{
	u64 bad = REGION + 0x23000;

	/* destination page invalid in the GGTT: rows above it are written */
	self->fx.ggtt[bad >> 12] = 0;
	tb_color_blt(RB, MVGPU_BR13_DEPTH_32, 4096, 0, 0, 16, 8,
		     REGION + 0x20000, 7);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, &self->t));
	EXPECT_EQ(MVGPU_ERR_GGTT_FAULT, self->res.err.code);
	EXPECT_EQ(bad, self->res.err.fault_addr);
	EXPECT_EQ(MVGPU_SPACE_RING, self->res.err.space);
	EXPECT_EQ(7, fake_gr32(&self->fx, REGION + 0x22000));

	/* source page not accessible */
	self->fx.ggtt[bad >> 12] = fake_ggtt_pfn(&self->fx, REGION) << 12 |
				   MVGPU_PTE_VALID;
	self->fx.hole[fake_ggtt_pfn(&self->fx, REGION + 0x41000)] = 1;
	self->t.ring.off = 0;
	tb_src_copy(RB, MVGPU_BR13_DEPTH_32, 4096, 0, 0, 1024, 4,
		    REGION + 0x60000, 0, 0, 4096, REGION + 0x40000);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, &self->t));
	EXPECT_EQ(MVGPU_ERR_PAGE_FAULT, self->res.err.code);
	EXPECT_EQ(REGION + 0x41000, self->res.err.fault_addr);

	/* PPGTT surface whose PTE is gone */
	*fake_ppgtt_entry(&self->fx, self->pml4, PPVA + 0x5000, 1) = 0;
	tb_fast_copy(PRB, MVGPU_FAST_COPY_DEPTH_32, 64, 0, 0, 16, 1, PPVA,
		     0, 0, 64, PPVA + 0x5000);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, &self->p));
	EXPECT_EQ(MVGPU_ERR_PPGTT_FAULT, self->res.err.code);
	EXPECT_EQ(1, self->res.err.level);
	EXPECT_EQ(PPVA + 0x5000, self->res.err.fault_addr);
}

TEST_F(blit, src_copy_destination_fault_stops_at_the_faulting_page)
{
	u64 bad = REGION + 0x63000, pte = self->fx.ggtt[bad >> 12];

	/* pitch == row: one run; rows 0-2 are below the invalid page */
	self->fx.ggtt[bad >> 12] = 0;
	tb_src_copy(RB, MVGPU_BR13_DEPTH_32, 4096, 0, 0, 1024, 8,
		    REGION + 0x60000, 0, 0, 4096, REGION + 0x10000);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, &self->t));
	EXPECT_EQ(MVGPU_ERR_GGTT_FAULT, self->res.err.code);
	EXPECT_EQ(1, self->res.err.level);
	EXPECT_EQ(bad, self->res.err.fault_addr);
	EXPECT_EQ(MVGPU_SPACE_RING, self->res.err.space);
	EXPECT_EQ(MVGPU_XY_SRC_COPY_BLT | MVGPU_XY_BLT_WRITE_ALPHA |
		  MVGPU_XY_BLT_WRITE_RGB, self->res.err.cmd_header);
	EXPECT_EQ(0, self->res.bytes);
	self->fx.ggtt[bad >> 12] = pte;	/* so diff() can read REGION */
	ref_copy(self->expect, 0x60000, 4096, 0, 0, 0x10000, 4096, 0, 0, 1024,
		 3, 4);
	EXPECT_SAME();
}

TEST_F(blit, fast_copy_destination_fault_stops_at_the_faulting_page)
{
	/* 64 bpp, pitch == row, PPGTT: the destination's PTE is gone */
	*fake_ppgtt_entry(&self->fx, self->pml4, PPVA + 0x62000, 1) = 0;
	tb_fast_copy(PRB, MVGPU_FAST_COPY_DEPTH_64, 4096, 0, 0, 512, 8,
		     PPVA + 0x60000, 0, 0, 4096, PPVA + 0x10000);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, &self->p));
	EXPECT_EQ(MVGPU_ERR_PPGTT_FAULT, self->res.err.code);
	EXPECT_EQ(1, self->res.err.level);
	EXPECT_EQ(PPVA + 0x62000, self->res.err.fault_addr);
	EXPECT_EQ(MVGPU_SPACE_RING, self->res.err.space);
	EXPECT_EQ(MVGPU_XY_FAST_COPY_BLT, self->res.err.cmd_header);
	ref_copy(self->expect, 0x60000, 4096, 0, 0, 0x10000, 4096, 0, 0, 512,
		 2, 8);
	EXPECT_SAME();
}

TEST_F(blit, strided_copy_fault_leaves_later_rows_untouched)
{
	/* 565, row 1400 bytes, pitches 3000/2000: copied row by row */
	u64 d = 0x20001, s = 0x80000, bad = REGION + 0x84000;
	u32 y = 8;	/* source row 8 crosses into the missing page */

	self->fx.hole[fake_ggtt_pfn(&self->fx, bad)] = 1;
	tb_src_copy(RB, MVGPU_BR13_DEPTH_565, 3000, 0, 0, 700, 20,
		    REGION + d, 0, 0, 2000, REGION + s);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, &self->t));
	EXPECT_EQ(MVGPU_ERR_PAGE_FAULT, self->res.err.code);
	EXPECT_EQ(0, self->res.err.level);
	EXPECT_EQ(bad, self->res.err.fault_addr);
	self->fx.hole[fake_ggtt_pfn(&self->fx, bad)] = 0;
	ASSERT_GT(s + (y + 1) * 2000, bad - REGION);
	ASSERT_LT(s + y * 2000, bad - REGION);
	ref_copy(self->expect, d, 3000, 0, 0, s, 2000, 0, 0, 700, y, 2);
	/* the faulting row itself may be partly written */
	fake_gread(&self->fx, REGION + d + y * 3000, self->expect + d + y * 3000,
		   1400);
	EXPECT_SAME();
}

TEST_F(blit, strided_blend_fault_leaves_later_rows_untouched)
{
	/* row 400 bytes, destination pitch 4096: blended row by row */
	u64 bad = REGION + 0x3a000, pte = self->fx.ggtt[bad >> 12];

	self->fx.ggtt[bad >> 12] = 0;
	tb_blend(RB, MVGPU_BLEND_OP_OVER, 0, 100, 30, 4096, REGION + 0x30000,
		 400, REGION + 0x90000);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, &self->t));
	EXPECT_EQ(MVGPU_ERR_GGTT_FAULT, self->res.err.code);
	EXPECT_EQ(1, self->res.err.level);
	EXPECT_EQ(bad, self->res.err.fault_addr);
	EXPECT_EQ(MVGPU_BLEND, self->res.err.cmd_header);
	EXPECT_EQ(0, self->res.bytes);
	self->fx.ggtt[bad >> 12] = pte;	/* so diff() can read REGION */
	ref_blend(self->expect, 0x30000, 4096, 0x90000, 400, 100, 10,
		  MVGPU_BLEND_OP_OVER, 0);
	EXPECT_SAME();
}

TEST_F(blit, ppgtt_pte_to_missing_physical_page_is_a_page_fault)
{
	/* present PTE, but the physical page is beyond the fake memory */
	u64 missing = self->fx.npages + 5;

	fake_ppgtt_map(&self->fx, self->pml4, PPVA + 0x45000, missing);
	tb_color_blt(PRB, MVGPU_BR13_DEPTH_32, 4096, 0, 0, 64, 8,
		     PPVA + 0x40000, 0x12345678);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, &self->p));
	EXPECT_EQ(MVGPU_ERR_PAGE_FAULT, self->res.err.code);
	EXPECT_EQ(0, self->res.err.level);
	EXPECT_EQ(PPVA + 0x45000, self->res.err.fault_addr);
	EXPECT_EQ(MVGPU_SPACE_RING, self->res.err.space);
	ref_fill(self->expect, 0x40000, 4096, 4, 0, 0, 64, 5, 0x12345678);
	EXPECT_SAME();

	/* the same page as a copy source */
	sync_model(self);
	self->p.ring.off = 0;
	tb_src_copy(PRB, MVGPU_BR13_DEPTH_32, 4096, 0, 0, 64, 8,
		    PPVA + 0x50000, 0, 0, 4096, PPVA + 0x40000);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, &self->p));
	EXPECT_EQ(MVGPU_ERR_PAGE_FAULT, self->res.err.code);
	EXPECT_EQ(0, self->res.err.level);
	EXPECT_EQ(PPVA + 0x45000, self->res.err.fault_addr);
	ref_copy(self->expect, 0x50000, 4096, 0, 0, 0x40000, 4096, 0, 0, 64,
		 5, 4);
	EXPECT_SAME();
}

/* ---- MVGPU_BLT_MAX_PIXELS: pitch 0 keeps the footprint to one row ---- */

#define CAP_W	4096U
#define CAP_H	4096U
#define BLEND_CAP_H	64U

TEST_F(blit, blits_of_exactly_max_pixels_run)
{
	u32 i, v;

	ASSERT_EQ(MVGPU_BLT_MAX_PIXELS, CAP_W * CAP_H);
	tb_color_blt(RB, MVGPU_BR13_DEPTH_32, 0, 0, 0, CAP_W, CAP_H,
		     REGION + 0x10000, 0x01020304);
	ref_fill(self->expect, 0x10000, 0, 4, 0, 0, CAP_W, 1, 0x01020304);
	tb_src_copy(RB, MVGPU_BR13_DEPTH_32, 0, 0, 0, CAP_W, CAP_H,
		    REGION + 0x20000, 0, 0, 0, REGION + 0x30000);
	ref_copy(self->expect, 0x20000, 0, 0, 0, 0x30000, 0, 0, 0, CAP_W, 1,
		 4);
	/* another shape: 16384 x 1024 at 8 bpp */
	tb_fast_copy(RB, MVGPU_FAST_COPY_DEPTH_8, 0, 0, 0, 4 * CAP_W,
		     CAP_H / 4, REGION + 0x40000, 0, 0, 0, REGION + 0x50000);
	ref_copy(self->expect, 0x40000, 0, 0, 0, 0x50000, 0, 0, 0, 4 * CAP_W,
		 1, 1);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, &self->t));
	EXPECT_EQ(3, self->res.cmds);
	EXPECT_EQ(9ULL * MVGPU_BLT_MAX_PIXELS, self->res.bytes);
	EXPECT_SAME();

	/* SET_ALPHA is idempotent, so blending one row 64 times is exact */
	ASSERT_EQ(MVGPU_BLEND_MAX_PIXELS, CAP_W * BLEND_CAP_H);
	self->t.ring.off = 0;
	fake_gw32(&self->fx, LRCA + 4 * MVGPU_CTX_RING_HEAD, 0);
	tb_blend(RB, MVGPU_BLEND_OP_SET_ALPHA, 0x80, CAP_W, BLEND_CAP_H, 0,
		 REGION + 0x60000, 0, REGION + 0x70000);
	for (i = 0; i < CAP_W; i++) {
		memcpy(&v, self->expect + 0x70000 + 4 * i, 4);
		v = (v & 0xffffff) | 0x80U << 24;
		memcpy(self->expect + 0x60000 + 4 * i, &v, 4);
	}
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, RCS, &self->t));
	EXPECT_EQ(4ULL * MVGPU_BLEND_MAX_PIXELS * SGPU_BLEND_WEIGHT,
		  self->res.bytes);
	EXPECT_SAME();
}

TEST_F(blit, blends_over_their_max_pixels_fail_before_touching_memory)
{
	static const struct { u32 w, h; } sz[] = {
		{ 512, 513 }, { CAP_W, BLEND_CAP_H + 1 }, { 0xffff, 5 },
		{ 5, 0xffff },
	};
	static const u64 base[] = { REGION + 0x10000, 0xfff00000 };
	unsigned int i, b;

	for (i = 0; i < ARRAY_SIZE(sz); i++)
		for (b = 0; b < ARRAY_SIZE(base); b++) {
			self->t.ring.off = 0;
			fake_gw32(&self->fx, LRCA + 4 * MVGPU_CTX_RING_HEAD, 0);
			tb_blend(RB, MVGPU_BLEND_OP_OVER, 0, sz[i].w, sz[i].h,
				 0, base[b], 0, base[b] + 0x10000);
			ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, &self->t));
			EXPECT_EQ(MVGPU_ERR_CMD_PARAM, self->res.err.code) {
				TH_LOG("size %u base %u", i, b);
			}
			EXPECT_EQ(MVGPU_BLEND, self->res.err.cmd_header);
			EXPECT_EQ(0, self->res.bytes);
		}
	EXPECT_SAME();
}

TEST_F(blit, blits_over_max_pixels_fail_before_touching_memory)
{
	static const struct { u32 w, h; } sz[] = {
		{ CAP_W + 1, CAP_H }, { CAP_W, CAP_H + 1 },
		{ 4 * CAP_W + 1, CAP_H / 4 }, { 0xffff, 0xffff },
	};
	/* valid surfaces, and ones that would fault if touched */
	static const u64 base[] = { REGION + 0x10000, 0xfff00000 };
	const u32 rgba = MVGPU_XY_BLT_WRITE_ALPHA | MVGPU_XY_BLT_WRITE_RGB;
	unsigned int i, b, c;

	for (i = 0; i < ARRAY_SIZE(sz); i++)
		for (b = 0; b < ARRAY_SIZE(base); b++)
			for (c = 0; c < 4; c++) {
				u32 w = sz[i].w, h = sz[i].h;
				u64 d = base[b], s = base[b] + 0x10000;
				u32 hdr;

				self->t.ring.off = 0;
				if (c == 0) {
					tb_color_blt(RB, MVGPU_BR13_DEPTH_32, 0,
						     0, 0, w, h, d, 0);
					hdr = MVGPU_XY_COLOR_BLT | rgba;
				} else if (c == 1) {
					tb_src_copy(RB, MVGPU_BR13_DEPTH_32, 0,
						    0, 0, w, h, d, 0, 0, 0, s);
					hdr = MVGPU_XY_SRC_COPY_BLT | rgba;
				} else if (c == 2) {
					tb_fast_copy(RB, MVGPU_FAST_COPY_DEPTH_8,
						     0, 0, 0, w, h, d, 0, 0, 0,
						     s);
					hdr = MVGPU_XY_FAST_COPY_BLT;
				} else {
					tb_blend(RB, MVGPU_BLEND_OP_OVER, 0, w,
						 h, 0, d, 0, s);
					hdr = MVGPU_BLEND;
				}
				ASSERT_EQ(SGPU_EXEC_ERROR,
					  go(self, c == 3 ? RCS : BCS,
					     &self->t));
				EXPECT_EQ(MVGPU_ERR_CMD_PARAM,
					  self->res.err.code) {
					TH_LOG("size %u base %u cmd %u", i, b,
					       c);
				}
				EXPECT_EQ(hdr, self->res.err.cmd_header);
				EXPECT_EQ(0, self->res.err.fault_addr);
				EXPECT_EQ(0, self->res.bytes);
			}
	EXPECT_SAME();
}

TEST_F(blit, blend_ops)
{
	static const u32 ops[] = {
		MVGPU_BLEND_OP_SET_ALPHA, MVGPU_BLEND_OP_OVER,
		MVGPU_BLEND_OP_CONST_ALPHA,
	};
	unsigned int i;

	for (i = 0; i < 3; i++) {
		u64 d = 0x10000 + 0x20000 * i, s = 0x90000 + 0x8000 * i;
		u32 a = 0x40 + 0x50 * i;

		tb_blend(RB, ops[i], a, 700, 19, 4100, REGION + d, 2900 + 4 * i,
			 REGION + s);
		ref_blend(self->expect, d, 4100, s, 2900 + 4 * i, 700, 19,
			  ops[i], a);
	}
	/* contiguous, in place */
	tb_blend(RB, MVGPU_BLEND_OP_CONST_ALPHA, 200, 64, 64, 256,
		 REGION + 0xf0000, 256, REGION + 0xf0000);
	ref_blend(self->expect, 0xf0000, 256, 0xf0000, 256, 64, 64,
		  MVGPU_BLEND_OP_CONST_ALPHA, 200);
	/* zero-sized */
	tb_blend(RB, MVGPU_BLEND_OP_OVER, 0, 0, 64, 256, 0xfff00000, 256,
		 0xfff00000);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, RCS, &self->t));
	EXPECT_SAME();
}

TEST_F(blit, blend_ppgtt)
{
	tb_blend(PRB, MVGPU_BLEND_OP_OVER, 0, 300, 10, 4096, PPVA + 0x3000,
		 1200, PPVA + 0x80000);
	ref_blend(self->expect, 0x3000, 4096, 0x80000, 1200, 300, 10,
		  MVGPU_BLEND_OP_OVER, 0);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, RCS, &self->p));
	EXPECT_SAME();
}

TEST_F(blit, blend_errors)
{
	tb_blend(RB, 3, 0, 1, 1, 4, REGION, 4, REGION);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, &self->t));
	EXPECT_EQ(MVGPU_ERR_CMD_PARAM, self->res.err.code);
	self->t.ring.off = 0;
	tb_blend(RB, 0, 0, 1, 1, 4, REGION + 2, 4, REGION);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, &self->t));
	EXPECT_EQ(MVGPU_ERR_ADDR_ALIGN, self->res.err.code);
	self->t.ring.off = 0;
	tb_blend(RB, 0, 0, 1, 1, 4, REGION, 6, REGION);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, &self->t));
	EXPECT_EQ(MVGPU_ERR_ADDR_ALIGN, self->res.err.code);
	self->t.ring.off = 0;
	tb_blend(RB, 0, 0, 1, 1, 4, 0xfff00000, 4, REGION);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, &self->t));
	EXPECT_EQ(MVGPU_ERR_GGTT_FAULT, self->res.err.code);
	EXPECT_SAME();
}

TEST_F(blit, blend_pixel_matches_reference)
{
	int i;

	for (i = 0; i < 200000; i++) {
		u32 d = rnd(self) ^ rnd(self) << 8, s = rnd(self) ^ rnd(self) << 8;
		u32 a = rnd(self) & 0xff, op = rnd(self) % 3;

		if (op == MVGPU_BLEND_OP_OVER && (i & 1)) {
			/* valid premultiplied source */
			u32 sa = s >> 24, c;

			for (c = 0; c < 24; c += 8)
				if (((s >> c) & 0xff) > sa)
					s = (s & ~(0xffU << c)) | sa << c;
		}
		ASSERT_EQ(ref_pixel(d, s, op, a), sgpu_blend_pixel(d, s, op, a)) {
			TH_LOG("d %08x s %08x op %u a %u", d, s, op, a);
		}
	}
}

TEST_HARNESS_MAIN

/* ---- split blits: a slice's worth of rows per part, progress saved ---- */

enum split_kind { SPLIT_FILL, SPLIT_COPY, SPLIT_FAST, SPLIT_BLEND };

/*
 * One command on one surface of REGION (offsets relative to it): for a
 * copy, the source is @soff with @spitch at (@sx, @sy); for a blend, @sx
 * is the operation and @sy the alpha, at (0, 0) of both surfaces.
 */
struct split_case {
	const char *name;
	enum split_kind kind;
	u32 depth, cpp, dpitch, dx, dy, w, h;
	u64 doff;
	u32 spitch, sx, sy;
	u64 soff;
};

static const struct split_case split_cases[] = {
	{ "fill 32 bpp, rows apart", SPLIT_FILL, MVGPU_BR13_DEPTH_32, 4,
	  1000, 3, 2, 100, 9, 0x1003 },
	{ "fill 8 bpp, contiguous rows", SPLIT_FILL, MVGPU_BR13_DEPTH_8, 1,
	  300, 0, 0, 300, 11, 0x20001 },
	{ "copy 16 bpp, overlapping, forward", SPLIT_COPY, MVGPU_BR13_DEPTH_565,
	  2, 2000, 10, 2, 300, 13, 0x30000, 2000, 0, 5, 0x30000 },
	{ "copy 32 bpp, overlapping, backward", SPLIT_COPY, MVGPU_BR13_DEPTH_32,
	  4, 2000, 0, 4, 400, 10, 0x40002, 2000, 7, 0, 0x40002 },
	{ "fast copy, contiguous, overlapping, backward", SPLIT_FAST,
	  MVGPU_FAST_COPY_DEPTH_8, 1, 3000, 0, 0, 3000, 8, 0x50000 + 4500,
	  3000, 0, 0, 0x50000 },
	{ "fast copy, contiguous, overlapping, forward", SPLIT_FAST,
	  MVGPU_FAST_COPY_DEPTH_8, 1, 3000, 0, 0, 3000, 8, 0x60000,
	  3000, 0, 0, 0x60000 + 4500 },
	{ "fast copy 64 bpp, two surfaces", SPLIT_FAST,
	  MVGPU_FAST_COPY_DEPTH_64, 8, 1024, 1, 1, 100, 7, 0x70000,
	  1032, 2, 3, 0x78000 },
	{ "blend OVER, rows apart", SPLIT_BLEND, 0, 4, 256, 0, 0, 50, 9,
	  0x80000, 512, MVGPU_BLEND_OP_OVER, 0, 0x88000 },
	{ "blend CONST_ALPHA, contiguous rows", SPLIT_BLEND, 0, 4, 256, 0, 0,
	  64, 12, 0x90000, 256, MVGPU_BLEND_OP_CONST_ALPHA, 0x5a, 0x98000 },
};

/* What one row of @c costs against the byte limit. */
static u64 split_row_bytes(const struct split_case *c)
{
	return (u64)c->w * c->cpp *
	       (c->kind == SPLIT_BLEND ? SGPU_BLEND_WEIGHT : 1);
}

static void split_emit(FIXTURE_DATA(blit) *self, const struct split_case *c)
{
	self->t.ring.off = 0;
	fake_gw32(&self->fx, LRCA + 4 * MVGPU_CTX_RING_HEAD, 0);
	switch (c->kind) {
	case SPLIT_FILL:
		tb_color_blt(RB, c->depth, c->dpitch, c->dx, c->dy,
			     c->dx + c->w, c->dy + c->h, REGION + c->doff,
			     0x89abcdef);
		break;
	case SPLIT_COPY:
		tb_src_copy(RB, c->depth, c->dpitch, c->dx, c->dy,
			    c->dx + c->w, c->dy + c->h, REGION + c->doff,
			    c->sx, c->sy, c->spitch, REGION + c->soff);
		break;
	case SPLIT_FAST:
		tb_fast_copy(RB, c->depth, c->dpitch, c->dx, c->dy,
			     c->dx + c->w, c->dy + c->h, REGION + c->doff,
			     c->sx, c->sy, c->spitch, REGION + c->soff);
		break;
	case SPLIT_BLEND:
		tb_blend(RB, c->sx, c->sy, c->w, c->h, c->dpitch,
			 REGION + c->doff, c->spitch, REGION + c->soff);
		break;
	}
}

static void split_model(FIXTURE_DATA(blit) *self, const struct split_case *c)
{
	switch (c->kind) {
	case SPLIT_FILL:
		ref_fill(self->expect, c->doff, c->dpitch, c->cpp, c->dx,
			 c->dy, c->dx + c->w, c->dy + c->h, 0x89abcdef);
		break;
	case SPLIT_COPY:
	case SPLIT_FAST:
		ref_copy(self->expect, c->doff, c->dpitch, c->dx, c->dy,
			 c->soff, c->spitch, c->sx, c->sy, c->w, c->h, c->cpp);
		break;
	case SPLIT_BLEND:
		ref_blend(self->expect, c->doff, c->dpitch, c->soff,
			  c->spitch, c->w, c->h, c->sx, c->sy);
		break;
	}
}

/*
 * Run @c from the initial memory with the byte limit at @rows rows' worth
 * (0: no limit), saving the context and loading it from its image at
 * every stop.  Returns the parts it took, -1 on an unexpected stop.
 */
static int split_run(FIXTURE_DATA(blit) *self, const struct split_case *c,
		     u32 rows)
{
	struct sgpu_engine *e = c->kind == SPLIT_BLEND ? RCS : BCS;
	u64 bytes = 0;
	int parts = 0;
	u32 done = 0;

	fake_gwrite(&self->fx, REGION, self->before, RSIZE);
	split_emit(self, c);
	self->lim.max_bytes = rows * split_row_bytes(c);
	for (;;) {
		enum sgpu_exec_status st = go(self, e, &self->t);
		u32 img_rows = fake_gr32(&self->fx, LRCA +
					 4 * MVGPU_CTX_BLT_ROWS);

		parts++;
		bytes += self->res.bytes;
		if (st == SGPU_EXEC_IDLE)
			break;
		if (st != SGPU_EXEC_BUDGET || !rows)
			return -1;
		/* a whole slice's worth of rows, saved with the position */
		done += rows;
		if (img_rows != done || self->res.cmds || self->t.ctx.head ||
		    fake_gr32(&self->fx, LRCA + 4 * MVGPU_CTX_BLT_ADDR))
			return -1;
		if (self->res.bytes != rows * split_row_bytes(c))
			return -1;
	}
	if (self->res.cmds != 1 || self->t.ctx.blt_rows ||
	    fake_gr32(&self->fx, LRCA + 4 * MVGPU_CTX_BLT_ROWS) ||
	    bytes != c->h * split_row_bytes(c))
		return -1;
	return parts;
}

TEST_F(blit, split_at_every_row_count_is_byte_identical)
{
	u8 *whole = malloc(RSIZE);
	unsigned int i;
	u32 rows;

	ASSERT_NE(NULL, whole);
	for (i = 0; i < ARRAY_SIZE(split_cases); i++) {
		const struct split_case *c = &split_cases[i];

		/* unsplit: as the model says */
		memcpy(self->expect, self->before, RSIZE);
		split_model(self, c);
		ASSERT_EQ(1, split_run(self, c, 0)) TH_LOG("%s", c->name);
		EXPECT_SAME();
		fake_gread(&self->fx, REGION, whole, RSIZE);
		/* parts of 1 row (a stop after every row) to h - 1 rows */
		for (rows = 1; rows < c->h; rows++) {
			ASSERT_EQ((c->h + rows - 1) / rows,
				  split_run(self, c, rows)) {
				TH_LOG("%s: parts of %u rows", c->name, rows);
			}
			fake_gread(&self->fx, REGION, self->after, RSIZE);
			ASSERT_EQ(0, memcmp(whole, self->after, RSIZE)) {
				TH_LOG("%s: parts of %u rows differ",
				       c->name, rows);
			}
		}
	}
	free(whole);
}
