// SPDX-License-Identifier: GPL-2.0-only
/*
 * The software GPU in the kernel, through the native path's debugfs
 * files: blits and blends checked byte for byte against CPU models, both
 * engines at once, every context event, errors, the watchdog, preemption,
 * engine reset, the register file, interrupts, display, EDID, hostile
 * input, and unloading the modules with busy engines.
 */
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "native_util.h"

#define PARAM_BATCH	"/sys/module/mvgpu/parameters/max_batch_dwords"

static const __u32 ENDED = MVGPU_CSB_ACTIVE_TO_IDLE | MVGPU_CSB_ELEMENT_SWITCH;

static void set_param(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd >= 0) {
		if (write(fd, val, strlen(val)) < 0)
			perror(path);
		close(fd);
	}
}

static __u32 pattern(__u32 i)
{
	i ^= i >> 7;
	i *= 0x9e3779b1U;
	return i ^ i >> 13;
}

FIXTURE(gpu) {
	struct nat n;
	struct nat_ev ev[NAT_MAX_EV];
	int count;
};

FIXTURE_SETUP(gpu)
{
	ASSERT_EQ(0, nat_open(&self->n)) TH_LOG("no debugfs native files");
	ASSERT_EQ(0, nat_cmd(&self->n, "clear"));
}

FIXTURE_TEARDOWN(gpu)
{
	nat_cmd(&self->n, "clear; watchdog rcs 1000; watchdog bcs 1000");
	set_param(PARAM_BATCH, "16777216");
	nat_close(&self->n);
}

/* Run a ring of @c on @engine in a fresh context; wait until idle. */
static int run_ring(struct nat *n, const char *engine, struct cs *c,
		    struct nat_ev *ev, int *count)
{
	struct nat_ctx ctx;
	int err;

	err = nat_ctx_new(n, 16384, &ctx);
	if (!err)
		err = nat_emit(n, ctx.id, c->dw, c->n);
	if (!err)
		err = nat_cmd(n, "submit %s %u", engine, ctx.id);
	if (!err)
		err = nat_wait(n, engine, MVGPU_CSB_ACTIVE_TO_IDLE, 10000, ev,
			       count);
	return err;
}

static void fill_random(struct nat *n, __u64 ga, size_t len, __u32 seed)
{
	__u32 *buf = malloc(len);
	size_t i;

	for (i = 0; i < len / 4; i++)
		buf[i] = pattern(seed + i);
	nat_write(n, ga, buf, len);
	free(buf);
}

TEST_F(gpu, edid_is_valid_with_1080p_preferred)
{
	unsigned char e[256];
	unsigned int sum, i, b;
	int fd = open(NAT_DIR "/edid", O_RDONLY);

	ASSERT_LE(0, fd);
	ASSERT_EQ(256, read(fd, e, sizeof(e)));
	close(fd);
	EXPECT_EQ(0, memcmp(e, "\0\xff\xff\xff\xff\xff\xff\0", 8));
	for (b = 0; b < 2; b++) {
		for (sum = 0, i = 0; i < 128; i++)
			sum += e[128 * b + i];
		EXPECT_EQ(0, sum & 0xff) TH_LOG("block %u checksum", b);
	}
	EXPECT_EQ(1, e[126]);
	EXPECT_EQ(0x02, e[128]);
	/* first detailed timing: 148.5 MHz, 1920 x 1080 */
	EXPECT_EQ(14850, e[54] | e[55] << 8);
	EXPECT_EQ(1920, e[56] | (e[58] & 0xf0) << 4);
	EXPECT_EQ(1080, e[59] | (e[61] & 0xf0) << 4);
}

/* CPU model of a fill of a cpp-byte color into a linear surface. */
static void model_fill(unsigned char *s, __u32 pitch, __u32 cpp, __u32 x1,
		       __u32 y1, __u32 x2, __u32 y2, __u32 color)
{
	__u32 x, y, b;

	for (y = y1; y < y2; y++)
		for (x = x1; x < x2; x++)
			for (b = 0; b < cpp; b++)
				s[y * pitch + x * cpp + b] = color >> (8 * b);
}

TEST_F(gpu, fill_matches_cpu_model_byte_for_byte)
{
	const __u32 pitch = 1030, h = 40, size = pitch * h;
	unsigned char *want = malloc(size), *got = malloc(size);
	__u64 surf = nat_alloc(&self->n, size);
	struct cs c = { .n = 0 };

	ASSERT_NE(0, surf);
	fill_random(&self->n, surf, (size + 3) & ~3U, 1);
	ASSERT_EQ(0, nat_read(&self->n, surf, want, size));
	cs_fill(&c, MVGPU_BR13_DEPTH_32, pitch, 3, 2, 200, 30, surf, 0x11223344);
	cs_fill(&c, MVGPU_BR13_DEPTH_8, pitch, 5, 31, 1001, 39, surf, 0xa5);
	cs_fill(&c, MVGPU_BR13_DEPTH_565, pitch, 300, 0, 511, 9, surf, 0xbeef);
	cs_fill(&c, MVGPU_BR13_DEPTH_32, pitch, 9, 9, 9, 20, surf, 0); /* empty */
	model_fill(want, pitch, 4, 3, 2, 200, 30, 0x11223344);
	model_fill(want, pitch, 1, 5, 31, 1001, 39, 0xa5);
	model_fill(want, pitch, 2, 300, 0, 511, 9, 0xbeef);
	ASSERT_EQ(0, run_ring(&self->n, "bcs", &c, self->ev, &self->count));
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE,
		  self->ev[self->count - 1].status);
	ASSERT_EQ(0, nat_read(&self->n, surf, got, size));
	EXPECT_EQ(0, memcmp(want, got, size));
	ASSERT_EQ(0, nat_cmd(&self->n, "crc 0x%llx %u",
			     (unsigned long long)surf, size));
	EXPECT_EQ(nat_crc32(want, size), strtoul(self->n.out, NULL, 0));
	free(want);
	free(got);
}

static void model_copy(unsigned char *d, __u32 dp, __u32 dx, __u32 dy,
		       const unsigned char *s, __u32 sp, __u32 sx, __u32 sy,
		       __u32 w, __u32 h, __u32 cpp)
{
	__u32 y;

	for (y = 0; y < h; y++)
		memcpy(d + (dy + y) * dp + dx * cpp, s + (sy + y) * sp + sx * cpp,
		       w * cpp);
}

TEST_F(gpu, copies_match_cpu_model_byte_for_byte)
{
	const __u32 sp = 2052, dp = 1500, h = 64;
	unsigned char *src = malloc(sp * h), *want = malloc(dp * h);
	unsigned char *got = malloc(dp * h);
	__u64 s = nat_alloc(&self->n, sp * h), d = nat_alloc(&self->n, dp * h);
	struct cs c = { .n = 0 };

	ASSERT_NE(0, s);
	ASSERT_NE(0, d);
	fill_random(&self->n, s, sp * h, 7);
	fill_random(&self->n, d, dp * h, 99);
	ASSERT_EQ(0, nat_read(&self->n, s, src, sp * h));
	ASSERT_EQ(0, nat_read(&self->n, d, want, dp * h));
	cs_copy(&c, MVGPU_BR13_DEPTH_32, dp, 10, 3, 300, 40, d, 17, 5, sp, s);
	model_copy(want, dp, 10, 3, src, sp, 17, 5, 290, 37, 4);
	cs_fast_copy(&c, MVGPU_FAST_COPY_DEPTH_16, dp, 1, 41, 700, 63, d, 0, 0,
		     sp, s);
	model_copy(want, dp, 1, 41, src, sp, 0, 0, 699, 22, 2);
	cs_fast_copy(&c, MVGPU_FAST_COPY_DEPTH_8, dp, 1400, 0, 1499, 64, d, 3,
		     0, sp, s);
	model_copy(want, dp, 1400, 0, src, sp, 3, 0, 99, 64, 1);
	ASSERT_EQ(0, run_ring(&self->n, "bcs", &c, self->ev, &self->count));
	EXPECT_EQ(0, self->ev[self->count - 1].code);
	ASSERT_EQ(0, nat_read(&self->n, d, got, dp * h));
	EXPECT_EQ(0, memcmp(want, got, dp * h));
	free(src);
	free(want);
	free(got);
}

static __u32 div255(__u32 x)
{
	return (2 * x + 255) / 510;
}

/* CPU model of MVGPU_BLEND, written from the interface document. */
static __u32 model_blend(__u32 d, __u32 s, __u32 op, __u32 a)
{
	__u32 out = 0, c, sc, dc, v;

	if (op == MVGPU_BLEND_OP_SET_ALPHA)
		return (s & 0xffffff) | a << 24;
	for (c = 0; c < 32; c += 8) {
		sc = s >> c & 0xff;
		dc = d >> c & 0xff;
		if (op == MVGPU_BLEND_OP_OVER)
			v = sc + div255(dc * (255 - (s >> 24)));
		else
			v = div255(sc * a + dc * (255 - a));
		out |= (v > 255 ? 255 : v) << c;
	}
	return out;
}

TEST_F(gpu, blend_matches_cpu_model_pixel_for_pixel)
{
	const __u32 w = 100, h = 30, sp = 512, dp = 448;
	__u32 *src = malloc(sp * h), *want = malloc(dp * h), *got = malloc(dp * h);
	__u64 s = nat_alloc(&self->n, sp * h), d = nat_alloc(&self->n, dp * h);
	static const __u32 ops[][2] = {
		{ MVGPU_BLEND_OP_OVER, 0 }, { MVGPU_BLEND_OP_CONST_ALPHA, 77 },
		{ MVGPU_BLEND_OP_SET_ALPHA, 0x80 },
	};
	__u32 x, y, i;

	ASSERT_NE(0, s);
	ASSERT_NE(0, d);
	for (i = 0; i < 3; i++) {
		struct cs c = { .n = 0 };

		fill_random(&self->n, s, sp * h, 3 + i);
		fill_random(&self->n, d, dp * h, 50 + i);
		ASSERT_EQ(0, nat_read(&self->n, s, src, sp * h));
		ASSERT_EQ(0, nat_read(&self->n, d, want, dp * h));
		for (y = 0; y < h; y++)
			for (x = 0; x < w; x++)
				want[y * dp / 4 + x] =
					model_blend(want[y * dp / 4 + x],
						    src[y * sp / 4 + x],
						    ops[i][0], ops[i][1]);
		cs_blend(&c, ops[i][0], ops[i][1], w, h, dp, d, sp, s);
		ASSERT_EQ(0, run_ring(&self->n, "rcs", &c, self->ev,
				      &self->count));
		ASSERT_EQ(0, nat_read(&self->n, d, got, dp * h));
		EXPECT_EQ(0, memcmp(want, got, dp * h)) TH_LOG("op %u", i);
	}
	free(src);
	free(want);
	free(got);
}

/* A batch of @blits fills of @bytes each, an MI_ARB_CHECK after each. */
static __u64 long_batch(struct nat *n, __u64 surf, __u32 bytes, int blits,
			__u64 marks)
{
	struct cs *c = calloc(1, sizeof(*c));
	__u64 bb = nat_alloc(n, 64 * 1024);
	int i;

	for (i = 0; i < blits; i++) {
		cs_fill(c, MVGPU_BR13_DEPTH_32, 4096, 0, 0, 1024, bytes / 4096,
			surf, 0x01000000 + i);
		cs_sdi(c, marks + 4 * (i % 256), i);
		CS(c, MVGPU_MI_ARB_CHECK);
	}
	CS(c, MVGPU_MI_BATCH_BUFFER_END);
	nat_write(n, bb, c->dw, c->n * 4);
	free(c);
	return bb;
}

TEST_F(gpu, both_engines_run_at_once)
{
	__u64 surf = nat_alloc(&self->n, 4 << 20), marks = nat_alloc(&self->n, 4096);
	__u64 s = nat_alloc(&self->n, 1 << 20), d = nat_alloc(&self->n, 1 << 20);
	struct nat_ctx a, b;
	struct nat_ev ra[NAT_MAX_EV], rb[NAT_MAX_EV];
	struct cs c = { .n = 0 };
	int na, nb, i;

	ASSERT_NE(0, d);
	cs_bbs(&c, long_batch(&self->n, surf, 4 << 20, 64, marks));
	ASSERT_EQ(0, nat_ctx_new(&self->n, 4096, &a));
	ASSERT_EQ(0, nat_emit(&self->n, a.id, c.dw, c.n));
	c.n = 0;
	for (i = 0; i < 16; i++)
		cs_blend(&c, MVGPU_BLEND_OP_OVER, 0, 512, 512, 2048, d, 2048, s);
	ASSERT_EQ(0, nat_ctx_new(&self->n, 4096, &b));
	ASSERT_EQ(0, nat_emit(&self->n, b.id, c.dw, c.n));
	ASSERT_EQ(0, nat_cmd(&self->n, "submit bcs %u; submit rcs %u", a.id, b.id));
	ASSERT_EQ(0, nat_wait(&self->n, "bcs", MVGPU_CSB_ACTIVE_TO_IDLE, 20000,
			      ra, &na));
	ASSERT_EQ(0, nat_wait(&self->n, "rcs", MVGPU_CSB_ACTIVE_TO_IDLE, 20000,
			      rb, &nb));
	ASSERT_EQ(2, na);
	ASSERT_EQ(2, nb);
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE, ra[1].status);
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE, rb[1].status);
	/* each started before the other finished: they overlapped */
	EXPECT_LT(ra[0].ns, rb[1].ns);
	EXPECT_LT(rb[0].ns, ra[1].ns);
	EXPECT_EQ(63, nat_r32(&self->n, marks + 4 * 63));
	EXPECT_EQ(0x0100003f, nat_r32(&self->n, surf + (4 << 20) - 4));
}

TEST_F(gpu, pair_reports_idle_to_active_element_switch_complete)
{
	__u64 m = nat_alloc(&self->n, 4096);
	struct nat_ctx a, b;
	struct cs c = { .n = 0 };
	struct nat_ev *ev = self->ev;

	ASSERT_EQ(0, nat_ctx_new(&self->n, 4096, &a));
	ASSERT_EQ(0, nat_ctx_new(&self->n, 4096, &b));
	cs_sdi(&c, m, 1);
	ASSERT_EQ(0, nat_emit(&self->n, a.id, c.dw, c.n));
	c.n = 0;
	cs_sdi(&c, m + 4, 2);
	ASSERT_EQ(0, nat_emit(&self->n, b.id, c.dw, c.n));
	ASSERT_EQ(0, nat_cmd(&self->n, "submit bcs %u %u", a.id, b.id));
	ASSERT_EQ(0, nat_wait(&self->n, "bcs", MVGPU_CSB_ACTIVE_TO_IDLE, 5000,
			      ev, &self->count));
	ASSERT_EQ(3, self->count);
	EXPECT_EQ(MVGPU_CSB_IDLE_TO_ACTIVE, ev[0].status);
	EXPECT_EQ(a.id, ev[0].ctx);
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ELEMENT_SWITCH, ev[1].status);
	EXPECT_EQ(a.id, ev[1].ctx);
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE, ev[2].status);
	EXPECT_EQ(b.id, ev[2].ctx);
	EXPECT_EQ(1, nat_r32(&self->n, m));
	EXPECT_EQ(2, nat_r32(&self->n, m + 4));
	/* the image holds the new head */
	EXPECT_EQ(16, nat_r32(&self->n, a.lrca + 4 * MVGPU_CTX_RING_HEAD));
}

TEST_F(gpu, preemption_at_arb_check_then_resume_gives_same_result)
{
	__u64 surf = nat_alloc(&self->n, 1 << 20), marks = nat_alloc(&self->n, 4096);
	__u64 m = nat_alloc(&self->n, 4096);
	struct nat_ctx a, b;
	struct cs c = { .n = 0 };
	struct nat_ev *ev = self->ev;
	int i;

	ASSERT_EQ(0, nat_ctx_new(&self->n, 4096, &a));
	ASSERT_EQ(0, nat_ctx_new(&self->n, 4096, &b));
	cs_bbs(&c, long_batch(&self->n, surf, 1 << 20, 256, marks));
	cs_sdi(&c, m, 0xaaaa);
	ASSERT_EQ(0, nat_emit(&self->n, a.id, c.dw, c.n));
	c.n = 0;
	cs_sdi(&c, m + 4, 0xbbbb);
	ASSERT_EQ(0, nat_emit(&self->n, b.id, c.dw, c.n));

	ASSERT_EQ(0, nat_cmd(&self->n, "submit bcs %u", a.id));
	ASSERT_EQ(0, nat_wait(&self->n, "bcs", MVGPU_CSB_IDLE_TO_ACTIVE, 5000,
			      ev, &self->count));
	ASSERT_EQ(0, nat_cmd(&self->n, "submit bcs %u", b.id));
	ASSERT_EQ(0, nat_wait(&self->n, "bcs", MVGPU_CSB_ACTIVE_TO_IDLE, 10000,
			      ev, &self->count));
	ASSERT_EQ(2, self->count);
	EXPECT_EQ(MVGPU_CSB_PREEMPTED, ev[0].status);
	EXPECT_EQ(a.id, ev[0].ctx);
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE, ev[1].status);
	EXPECT_EQ(b.id, ev[1].ctx);
	EXPECT_EQ(0xbbbb, nat_r32(&self->n, m + 4));
	EXPECT_EQ(0, nat_r32(&self->n, m)) TH_LOG("A ran to the end");
	/* the image says A stopped inside its batch */
	EXPECT_EQ(MVGPU_BB_STATE_ACTIVE,
		  nat_r32(&self->n, a.lrca + 4 * MVGPU_CTX_BB_STATE));

	ASSERT_EQ(0, nat_cmd(&self->n, "submit bcs %u", a.id));
	ASSERT_EQ(0, nat_wait(&self->n, "bcs", MVGPU_CSB_ACTIVE_TO_IDLE, 20000,
			      ev, &self->count));
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE,
		  ev[self->count - 1].status);
	EXPECT_EQ(0xaaaa, nat_r32(&self->n, m));
	for (i = 0; i < 256; i++)
		ASSERT_EQ(i, nat_r32(&self->n, marks + 4 * i));
	EXPECT_EQ(0x010000ff, nat_r32(&self->n, surf));
	EXPECT_EQ(0x010000ff, nat_r32(&self->n, surf + (1 << 20) - 4));
}

/* A context that waits until *flag == 1, then stores 0x5e at @m. */
static void sem_ctx(struct nat *n, struct nat_ctx *a, __u64 flag, __u64 m)
{
	struct cs c = { .n = 0 };

	nat_ctx_new(n, 4096, a);
	cs_sem(&c, flag, MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 1);
	cs_sdi(&c, m, 0x5e);
	nat_emit(n, a->id, c.dw, c.n);
}

TEST_F(gpu, preempt_op_stops_semaphore_wait_and_resume_completes)
{
	__u64 flag = nat_alloc(&self->n, 4096), m = flag + 64;
	struct nat_ev *ev = self->ev;
	struct nat_ctx a;

	sem_ctx(&self->n, &a, flag, m);
	ASSERT_EQ(0, nat_cmd(&self->n, "submit rcs %u", a.id));
	ASSERT_EQ(0, nat_wait(&self->n, "rcs", MVGPU_CSB_IDLE_TO_ACTIVE, 5000,
			      ev, &self->count));
	usleep(20000);
	ASSERT_EQ(0, nat_cmd(&self->n, "preempt rcs"));
	ASSERT_EQ(0, nat_wait(&self->n, "rcs", MVGPU_CSB_PREEMPTED, 5000,
			      ev, &self->count));
	EXPECT_EQ(MVGPU_CSB_PREEMPTED | MVGPU_CSB_ACTIVE_TO_IDLE |
		  MVGPU_CSB_WAIT_ON_SEMAPHORE, ev[self->count - 1].status);
	EXPECT_EQ(0, nat_r32(&self->n, m));
	/* the saved head points at the semaphore wait */
	EXPECT_EQ(0, nat_r32(&self->n, a.lrca + 4 * MVGPU_CTX_RING_HEAD));
	nat_w32(&self->n, flag, 1);
	ASSERT_EQ(0, nat_cmd(&self->n, "submit rcs %u", a.id));
	ASSERT_EQ(0, nat_wait(&self->n, "rcs", MVGPU_CSB_ACTIVE_TO_IDLE, 5000,
			      ev, &self->count));
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE,
		  ev[self->count - 1].status);
	EXPECT_EQ(0x5e, nat_r32(&self->n, m));
}

TEST_F(gpu, submission_preempts_a_semaphore_wait)
{
	__u64 flag = nat_alloc(&self->n, 4096), m = flag + 64;
	struct nat_ev *ev = self->ev;
	struct nat_ctx a, b;
	struct cs c = { .n = 0 };

	sem_ctx(&self->n, &a, flag, m);
	ASSERT_EQ(0, nat_ctx_new(&self->n, 4096, &b));
	cs_sdi(&c, m + 4, 0xb);
	ASSERT_EQ(0, nat_emit(&self->n, b.id, c.dw, c.n));
	ASSERT_EQ(0, nat_cmd(&self->n, "submit bcs %u", a.id));
	ASSERT_EQ(0, nat_wait(&self->n, "bcs", MVGPU_CSB_IDLE_TO_ACTIVE, 5000,
			      ev, &self->count));
	ASSERT_EQ(0, nat_cmd(&self->n, "submit bcs %u", b.id));
	ASSERT_EQ(0, nat_wait(&self->n, "bcs", MVGPU_CSB_ACTIVE_TO_IDLE, 5000,
			      ev, &self->count));
	ASSERT_EQ(2, self->count);
	EXPECT_EQ(MVGPU_CSB_PREEMPTED | MVGPU_CSB_WAIT_ON_SEMAPHORE,
		  ev[0].status);
	EXPECT_EQ(a.id, ev[0].ctx);
	EXPECT_EQ(b.id, ev[1].ctx);
	EXPECT_EQ(0xb, nat_r32(&self->n, m + 4));
	nat_w32(&self->n, flag, 1);
	ASSERT_EQ(0, nat_cmd(&self->n, "submit bcs %u", a.id));
	ASSERT_EQ(0, nat_wait(&self->n, "bcs", MVGPU_CSB_ACTIVE_TO_IDLE, 5000,
			      ev, &self->count));
	EXPECT_EQ(0x5e, nat_r32(&self->n, m));
}

TEST_F(gpu, resubmitting_the_running_context_is_a_lite_restore)
{
	__u64 flag = nat_alloc(&self->n, 4096), m = flag + 64;
	struct nat_ev *ev = self->ev;
	struct cs c = { .n = 0 };
	struct nat_ctx a;

	sem_ctx(&self->n, &a, flag, m);
	ASSERT_EQ(0, nat_cmd(&self->n, "submit bcs %u", a.id));
	ASSERT_EQ(0, nat_wait(&self->n, "bcs", MVGPU_CSB_IDLE_TO_ACTIVE, 5000,
			      ev, &self->count));
	cs_sdi(&c, m + 4, 0x77);
	ASSERT_EQ(0, nat_emit(&self->n, a.id, c.dw, c.n));
	ASSERT_EQ(0, nat_cmd(&self->n, "submit bcs %u", a.id));
	ASSERT_EQ(0, nat_wait(&self->n, "bcs", MVGPU_CSB_LITE_RESTORE, 5000,
			      ev, &self->count));
	EXPECT_EQ(MVGPU_CSB_PREEMPTED | MVGPU_CSB_LITE_RESTORE |
		  MVGPU_CSB_WAIT_ON_SEMAPHORE, ev[self->count - 1].status);
	nat_w32(&self->n, flag, 1);
	ASSERT_EQ(0, nat_wait(&self->n, "bcs", MVGPU_CSB_ACTIVE_TO_IDLE, 5000,
			      ev, &self->count));
	ASSERT_EQ(1, self->count);
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE, ev[0].status);
	EXPECT_EQ(0x5e, nat_r32(&self->n, m));
	EXPECT_EQ(0x77, nat_r32(&self->n, m + 4)) TH_LOG("new tail not used");
}

/* Pair (A, B): A runs @bad after a store, B a store: B must still run. */
static void error_case(struct __test_metadata *_metadata, struct nat *n,
		       const char *engine, const __u32 *bad, int nbad,
		       __u32 code, __u64 fault)
{
	__u64 m = nat_alloc(n, 4096);
	struct nat_ev ev[NAT_MAX_EV];
	struct cs c = { .n = 0 };
	struct nat_ctx a, b;
	int count;

	ASSERT_EQ(0, nat_ctx_new(n, 4096, &a));
	ASSERT_EQ(0, nat_ctx_new(n, 4096, &b));
	cs_sdi(&c, m, 1);
	memcpy(&c.dw[c.n], bad, nbad * 4);
	c.n += nbad;
	cs_sdi(&c, m + 4, 2);
	ASSERT_EQ(0, nat_emit(n, a.id, c.dw, c.n));
	c.n = 0;
	cs_sdi(&c, m + 8, 3);
	ASSERT_EQ(0, nat_emit(n, b.id, c.dw, c.n));
	ASSERT_EQ(0, nat_cmd(n, "submit %s %u %u", engine, a.id, b.id));
	ASSERT_EQ(0, nat_wait(n, engine, MVGPU_CSB_ACTIVE_TO_IDLE, 5000, ev,
			      &count));
	ASSERT_EQ(3, count);
	EXPECT_EQ(MVGPU_CSB_ERROR | MVGPU_CSB_ELEMENT_SWITCH, ev[1].status);
	EXPECT_EQ(a.id, ev[1].ctx);
	EXPECT_EQ(code, ev[1].code);
	EXPECT_EQ(MVGPU_ERR_STATUS_VALID | code,
		  ev[1].errst & (MVGPU_ERR_STATUS_VALID | 0xff));
	EXPECT_EQ(16, ev[1].cmd);		/* ring offset of @bad */
	EXPECT_EQ(bad[0], ev[1].hdr);
	if (fault)
		EXPECT_EQ(fault, ev[1].fault);
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE, ev[2].status);
	EXPECT_EQ(1, nat_r32(n, m));
	EXPECT_EQ(0, nat_r32(n, m + 4)) TH_LOG("ran past the error");
	EXPECT_EQ(3, nat_r32(n, m + 8)) TH_LOG("next context did not run");
	EXPECT_EQ(code, nat_r32(n, a.lrca + 4 * MVGPU_CTX_ERROR));
}

TEST_F(gpu, invalid_command_stops_only_its_context)
{
	const __u32 bad[] = { 0xe0000000 };

	error_case(_metadata, &self->n, "bcs", bad, 1, MVGPU_ERR_INVALID_CMD, 0);
}

TEST_F(gpu, command_on_wrong_engine_stops_only_its_context)
{
	__u32 bad[7];
	struct cs c = { .n = 0 };

	cs_fill(&c, MVGPU_BR13_DEPTH_32, 64, 0, 0, 1, 1, 0, 0);
	memcpy(bad, c.dw, sizeof(bad));
	error_case(_metadata, &self->n, "rcs", bad, 7, MVGPU_ERR_CMD_ENGINE, 0);
}

TEST_F(gpu, unmapped_address_is_a_ggtt_fault)
{
	const __u64 hole = 0x1f000000;
	const __u32 bad[] = {
		MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, LO(hole), 0, 5,
	};

	error_case(_metadata, &self->n, "bcs", bad, 4, MVGPU_ERR_GGTT_FAULT,
		   hole);
}

TEST_F(gpu, address_of_non_ram_page_is_a_page_fault)
{
	__u32 bad[4] = { MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, 0, 0, 5 };
	__u64 ga;

	ASSERT_EQ(0, nat_cmd(&self->n, "badmap 4096"));
	ga = strtoull(self->n.out, NULL, 0) + 0x40;
	bad[1] = LO(ga);
	error_case(_metadata, &self->n, "rcs", bad, 4, MVGPU_ERR_PAGE_FAULT, ga);
}

TEST_F(gpu, register_file_gprs_and_timestamp)
{
	__u64 m = nat_alloc(&self->n, 4096);
	struct cs c = { .n = 0 };
	const __u32 base = MVGPU_BCS_BASE;

	CS(&c, MVGPU_MI_LOAD_REGISTER_IMM(2), base + MVGPU_RING_GPR(0), 0x1234,
	   MVGPU_RING_GPR(31), 0x5678);
	CS(&c, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT,
	   MVGPU_RING_GPR(0), LO(m), 0);
	CS(&c, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT,
	   base + MVGPU_RING_GPR(31), LO(m + 4), 0);
	CS(&c, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT,
	   base + MVGPU_RING_TIMESTAMP, LO(m + 8), 0);
	CS(&c, MVGPU_MI_LOAD_REGISTER_MEM | MVGPU_MI_USE_GGTT,
	   MVGPU_RING_GPR(5), LO(m + 4), 0);
	CS(&c, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT,
	   MVGPU_RING_GPR(5), LO(m + 12), 0);
	ASSERT_EQ(0, run_ring(&self->n, "bcs", &c, self->ev, &self->count));
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE,
		  self->ev[self->count - 1].status);
	EXPECT_EQ(0x1234, nat_r32(&self->n, m));
	EXPECT_EQ(0x5678, nat_r32(&self->n, m + 4));
	EXPECT_NE(0, nat_r32(&self->n, m + 8));
	EXPECT_EQ(0x5678, nat_r32(&self->n, m + 12));
}

/* Run what @c holds on context @ctx of @engine; wait until idle. */
static int run_on(struct nat *n, const char *engine,
		  const struct nat_ctx *ctx, struct cs *c, struct nat_ev *ev,
		  int *count)
{
	int err = nat_emit(n, ctx->id, c->dw, c->n);

	if (!err)
		err = nat_cmd(n, "submit %s %u", engine, ctx->id);
	if (!err)
		err = nat_wait(n, engine, MVGPU_CSB_ACTIVE_TO_IDLE, 10000, ev,
			       count);
	return err;
}

/*
 * The GPRs are context state: saved into the image when a context
 * completes, loaded from it when it runs again; a context that runs
 * next on the same engine does not see them.
 */
TEST_F(gpu, gprs_are_saved_in_the_context_image_and_not_seen_by_the_next_context)
{
	__u64 m = nat_alloc(&self->n, 4096);
	const __u32 base = MVGPU_BCS_BASE;
	struct nat_ctx a, b;
	struct cs c = { .n = 0 };

	ASSERT_EQ(0, nat_ctx_new(&self->n, 16384, &a));
	ASSERT_EQ(0, nat_ctx_new(&self->n, 16384, &b));
	CS(&c, MVGPU_MI_LOAD_REGISTER_IMM(2), base + MVGPU_RING_GPR(0),
	   0xa0a0a000, base + MVGPU_RING_GPR(31), 0xa0a0a031);
	ASSERT_EQ(0, run_on(&self->n, "bcs", &a, &c, self->ev, &self->count));
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE,
		  self->ev[self->count - 1].status);
	EXPECT_EQ(0xa0a0a000, nat_r32(&self->n, a.lrca + 4 * MVGPU_CTX_GPR(0)));
	EXPECT_EQ(0xa0a0a031, nat_r32(&self->n, a.lrca + 4 * MVGPU_CTX_GPR(31)));

	/*
	 * The next context on the engine sees what its own image holds:
	 * zero, and a value the host put there.
	 */
	nat_w32(&self->n, m, 0xffffffff);
	nat_w32(&self->n, m + 4, 0xffffffff);
	nat_w32(&self->n, b.lrca + 4 * MVGPU_CTX_GPR(31), 0xb0b0b031);
	c.n = 0;
	CS(&c, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT,
	   base + MVGPU_RING_GPR(0), LO(m), 0);
	CS(&c, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT,
	   base + MVGPU_RING_GPR(31), LO(m + 4), 0);
	ASSERT_EQ(0, run_on(&self->n, "bcs", &b, &c, self->ev, &self->count));
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE,
		  self->ev[self->count - 1].status);
	EXPECT_EQ(0, nat_r32(&self->n, m));
	EXPECT_EQ(0xb0b0b031, nat_r32(&self->n, m + 4));

	/* The first context gets its values back from its image. */
	c.n = 0;
	CS(&c, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT,
	   base + MVGPU_RING_GPR(0), LO(m + 8), 0);
	CS(&c, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT,
	   base + MVGPU_RING_GPR(31), LO(m + 12), 0);
	ASSERT_EQ(0, run_on(&self->n, "bcs", &a, &c, self->ev, &self->count));
	EXPECT_EQ(0xa0a0a000, nat_r32(&self->n, m + 8));
	EXPECT_EQ(0xa0a0a031, nat_r32(&self->n, m + 12));
}

TEST_F(gpu, refused_registers_are_reg_access_errors)
{
	const __u32 ts[] = { MVGPU_MI_LOAD_REGISTER_IMM(1),
			     MVGPU_RCS_BASE + MVGPU_RING_TIMESTAMP, 1 };
	const __u32 other[] = { MVGPU_MI_LOAD_REGISTER_IMM(1),
				MVGPU_RCS_BASE + MVGPU_RING_GPR(0), 1 };

	error_case(_metadata, &self->n, "rcs", ts, 3, MVGPU_ERR_REG_ACCESS, 0);
	error_case(_metadata, &self->n, "bcs", other, 3, MVGPU_ERR_REG_ACCESS,
		   0);
}

TEST_F(gpu, user_interrupts_reach_the_client)
{
	__u64 m = nat_alloc(&self->n, 4096);
	struct cs c = { .n = 0 };

	CS(&c, MVGPU_MI_USER_INTERRUPT, MVGPU_MI_USER_INTERRUPT,
	   MVGPU_MI_USER_INTERRUPT);
	CS(&c, MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_NOTIFY |
	   MVGPU_MI_FLUSH_DW_OP_STOREDW, LO(m) | MVGPU_MI_FLUSH_DW_USE_GTT, 0, 9);
	ASSERT_EQ(0, run_ring(&self->n, "bcs", &c, self->ev, &self->count));
	EXPECT_EQ(4, nat_num(&self->n, "irqs %s", "bcs"));
	EXPECT_EQ(9, nat_r32(&self->n, m));
	c.n = 0;
	CS(&c, MVGPU_PIPE_CONTROL_DW, MVGPU_PIPE_CONTROL_NOTIFY |
	   MVGPU_PIPE_CONTROL_WRITE_IMM | MVGPU_PIPE_CONTROL_GLOBAL_GTT,
	   LO(m + 4), 0, 8);
	CS(&c, MVGPU_MI_USER_INTERRUPT);
	ASSERT_EQ(0, run_ring(&self->n, "rcs", &c, self->ev, &self->count));
	EXPECT_EQ(2, nat_num(&self->n, "irqs %s", "rcs"));
	EXPECT_EQ(8, nat_r32(&self->n, m + 4));
}

/* A context on @engine whose batch jumps to itself forever. */
static void loop_ctx(struct nat *n, struct nat_ctx *a, const char *engine)
{
	__u64 bb = nat_alloc(n, 4096);
	struct cs c = { .n = 0 };

	cs_bbs(&c, bb);
	nat_write(n, bb, c.dw, 12);
	nat_ctx_new(n, 4096, a);
	nat_emit(n, a->id, c.dw, c.n);
	nat_cmd(n, "submit %s %u", engine, a->id);
}

/* Work on @engine that must finish while the other one is stuck. */
static void other_engine_works(struct __test_metadata *_metadata,
			       struct nat *n, const char *engine,
			       __u64 *done_ns)
{
	__u64 m = nat_alloc(n, 4096);
	struct nat_ev ev[NAT_MAX_EV];
	struct cs c = { .n = 0 };
	int count;

	cs_sdi(&c, m, 0x600d);
	ASSERT_EQ(0, run_ring(n, engine, &c, ev, &count));
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE,
		  ev[count - 1].status);
	EXPECT_EQ(0x600d, nat_r32(n, m));
	*done_ns = ev[count - 1].ns;
}

static void expect_hang(struct __test_metadata *_metadata, struct nat *n,
			const char *engine, __u64 t0, __u64 other_done)
{
	struct nat_ev ev[NAT_MAX_EV];
	struct nat_ev *last;
	int count;

	ASSERT_EQ(0, nat_wait(n, engine, MVGPU_CSB_ERROR, 5000, ev, &count));
	last = &ev[count - 1];
	EXPECT_EQ(MVGPU_CSB_ERROR | MVGPU_CSB_ACTIVE_TO_IDLE, last->status);
	EXPECT_EQ(MVGPU_ERR_HANG, last->code);
	EXPECT_GT(1000000000ULL, last->ns - t0) TH_LOG("hang after %llu ns",
		  (unsigned long long)(last->ns - t0));
	EXPECT_LT(other_done, last->ns) TH_LOG("other engine waited");
}

TEST_F(gpu, watchdog_stops_endless_batch_loop_other_engine_runs)
{
	struct nat_ctx a;
	__u64 t0, done;

	set_param(PARAM_BATCH, "0");
	ASSERT_EQ(0, nat_cmd(&self->n, "watchdog bcs 100"));
	t0 = nat_now_ns();
	loop_ctx(&self->n, &a, "bcs");
	other_engine_works(_metadata, &self->n, "rcs", &done);
	expect_hang(_metadata, &self->n, "bcs", t0, done);
	other_engine_works(_metadata, &self->n, "bcs", &done);
}

TEST_F(gpu, watchdog_stops_unsatisfied_semaphore_other_engine_runs)
{
	__u64 flag = nat_alloc(&self->n, 4096), t0, done;
	struct nat_ctx a;

	ASSERT_EQ(0, nat_cmd(&self->n, "watchdog rcs 100"));
	t0 = nat_now_ns();
	sem_ctx(&self->n, &a, flag, flag + 64);
	ASSERT_EQ(0, nat_cmd(&self->n, "submit rcs %u", a.id));
	other_engine_works(_metadata, &self->n, "bcs", &done);
	expect_hang(_metadata, &self->n, "rcs", t0, done);
	EXPECT_EQ(0, nat_r32(&self->n, flag + 64));
	EXPECT_EQ(MVGPU_ERR_HANG, nat_r32(&self->n, a.lrca + 4 * MVGPU_CTX_ERROR));
}

TEST_F(gpu, runaway_batch_limit)
{
	struct nat_ctx a;

	set_param(PARAM_BATCH, "3000");
	loop_ctx(&self->n, &a, "bcs");
	ASSERT_EQ(0, nat_wait(&self->n, "bcs", MVGPU_CSB_ERROR, 5000, self->ev,
			      &self->count));
	EXPECT_EQ(MVGPU_ERR_BB_RUNAWAY, self->ev[self->count - 1].code);
}

TEST_F(gpu, engine_reset_mid_work_drops_context_engine_still_works)
{
	struct nat_ctx a;
	__u64 t0, done;
	int i;

	ASSERT_EQ(0, nat_cmd(&self->n, "watchdog bcs 0"));
	set_param(PARAM_BATCH, "0");
	loop_ctx(&self->n, &a, "bcs");
	ASSERT_EQ(0, nat_wait(&self->n, "bcs", MVGPU_CSB_IDLE_TO_ACTIVE, 5000,
			      self->ev, &self->count));
	usleep(50000);
	t0 = nat_now_ns();
	ASSERT_EQ(0, nat_cmd(&self->n, "reset bcs"));
	EXPECT_GT(1000000000ULL, nat_now_ns() - t0);
	usleep(20000);
	self->count = nat_events(&self->n, "bcs", self->ev);
	for (i = 0; i < self->count; i++)
		EXPECT_EQ(0, self->ev[i].status & ENDED);
	other_engine_works(_metadata, &self->n, "bcs", &done);
}

TEST_F(gpu, vblank_at_60hz_while_plane_enabled)
{
	__u64 t0, t1;
	long long frames, later;

	ASSERT_EQ(0, nat_cmd(&self->n, "plane 1"));
	t0 = nat_now_ns();
	usleep(500000);
	frames = nat_num(&self->n, "%s", "vblanks");
	t1 = nat_now_ns();
	ASSERT_EQ(0, nat_cmd(&self->n, "plane 0"));
	EXPECT_LE(60 * (t1 - t0) / 1000000000 / 3, frames);
	EXPECT_GE(60 * (t1 - t0) / 1000000000 * 2 + 2, frames);
	usleep(100000);
	later = nat_num(&self->n, "%s", "vblanks");
	EXPECT_GE(frames + 5, later);
	usleep(100000);
	EXPECT_EQ(later, nat_num(&self->n, "%s", "vblanks"));
}

TEST_F(gpu, hostile_input_is_refused)
{
	static const char *const bad[] = {
		"bogus", "alloc", "alloc 0", "alloc 0x1zz", "alloc 99999999999",
		"ctx 100", "ctx 0", "ctx 4194304", "emit 99 0", "emit 1",
		"submit 5 1", "submit bcs 0", "submit bcs 1 77", "wait bcs 8 0",
		"wait xcs 8 10", "crc 0 99999999999", "plane 2", "bench copy 0",
		"bench copy 99", "bench empty 0", "watchdog bcs", "stats 7",
		"bench", "reset 3", "bench rate", "bench rate rcs",
		"bench rate xcs 10", "bench rate 2 10", "bench rate bcs 0",
		"bench rate bcs 3", "bench rate rcs 1002", "bench rate rcs 10 1",
	};
	char *big = malloc(70000), buf[64];
	unsigned int i;
	__u64 ga;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_GT(0, nat_cmd(&self->n, "%s", bad[i])) TH_LOG("%s", bad[i]);
	memset(big, ' ', 70000);
	EXPECT_GT(0, write(self->n.fd, big, 70000));
	EXPECT_EQ(E2BIG, errno);
	free(big);
	/* graphics memory outside the session's buffers */
	EXPECT_GT(0, pread(self->n.mem, buf, sizeof(buf), 0x10000000));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_GT(0, pread(self->n.mem, buf, sizeof(buf), 1ULL << 40));
	ASSERT_EQ(0, nat_cmd(&self->n, "badmap 8192"));
	ga = strtoull(self->n.out, NULL, 0);
	EXPECT_GT(0, pread(self->n.mem, buf, sizeof(buf), ga));
	/* the 64 MiB cap */
	for (i = 0; i < 64; i++)
		ASSERT_EQ(0, nat_cmd(&self->n, "alloc 0x100000 hidden"));
	EXPECT_EQ(-ENOSPC, nat_cmd(&self->n, "alloc 4096"));
	for (i = 0; i < 16 && !nat_cmd(&self->n, "ctx 4096"); i++)
		;
	EXPECT_EQ(0, i) TH_LOG("contexts beyond the memory cap");
	ASSERT_EQ(0, nat_cmd(&self->n, "clear; alloc 4096; # comment"));
	for (i = 0; i < 16; i++)
		ASSERT_EQ(0, nat_cmd(&self->n, "ctx 4096"));
	EXPECT_EQ(-ENOSPC, nat_cmd(&self->n, "ctx 4096"));
}

TEST_F(gpu, stats_count_submissions_completions_and_errors)
{
	const __u32 bad[] = { 0xe0000000 };
	unsigned long long s0, c0, e0, s1, c1, e1;

	ASSERT_EQ(0, nat_cmd(&self->n, "stats rcs"));
	ASSERT_EQ(3, sscanf(self->n.out, "submissions %llu completed %llu busy_ns %*u errors %llu",
			    &s0, &c0, &e0));
	error_case(_metadata, &self->n, "rcs", bad, 1, MVGPU_ERR_INVALID_CMD, 0);
	ASSERT_EQ(0, nat_cmd(&self->n, "stats rcs"));
	ASSERT_EQ(3, sscanf(self->n.out, "submissions %llu completed %llu busy_ns %*u errors %llu",
			    &s1, &c1, &e1));
	EXPECT_EQ(s0 + 1, s1);
	EXPECT_EQ(c0 + 1, c1);
	EXPECT_EQ(e0 + 1, e1);
}

TEST_F(gpu, benchmarks_run)
{
	ASSERT_EQ(0, nat_cmd(&self->n, "bench copy 1 2"));
	EXPECT_NE(NULL, strstr(self->n.out, "verified=1"));
	ASSERT_EQ(0, nat_cmd(&self->n, "bench empty 10"));
	EXPECT_NE(NULL, strstr(self->n.out, "runs=10"));
	ASSERT_EQ(0, nat_cmd(&self->n, "bench rate rcs 1000"));
	EXPECT_NE(NULL, strstr(self->n.out, "subs=1000 ")) TH_LOG("%s", self->n.out);
	EXPECT_NE(NULL, strstr(self->n.out, "verified=1")) TH_LOG("%s", self->n.out);
	ASSERT_EQ(0, nat_cmd(&self->n, "bench rate bcs 2"));
	EXPECT_NE(NULL, strstr(self->n.out, "verified=1")) TH_LOG("%s", self->n.out);
}

/*
 * Unload the modules with both engines spinning, then load them again:
 * mvgpu_native first (it holds mvgpu), whose session resets the engines
 * it keeps busy, then mvgpu.
 */
TEST(unload_with_busy_engines)
{
	char ko[4096], native[4096], cmd[4200], *p;
	struct nat n;
	struct nat_ctx a, b;
	struct stat st;
	__u64 t0;
	ssize_t len;

	len = readlink("/proc/self/exe", ko, sizeof(ko) - 32);
	ASSERT_LT(0, len);
	ko[len] = 0;
	p = strstr(ko, "/build/vm-tests/");
	ASSERT_NE(NULL, p);
	strcpy(p, "/mvgpu.ko");
	if (getenv("MVGPU_KO"))
		snprintf(ko, sizeof(ko), "%s", getenv("MVGPU_KO"));
	/* mvgpu_native.ko is the one beside mvgpu.ko */
	p = strrchr(ko, '/');
	ASSERT_NE(NULL, p);
	snprintf(native, sizeof(native), "%.*s/mvgpu_native.ko",
		 (int)(p - ko), ko);
	ASSERT_EQ(0, nat_open(&n));
	ASSERT_EQ(0, nat_cmd(&n, "clear; watchdog rcs 0; watchdog bcs 0"));
	set_param(PARAM_BATCH, "0");
	loop_ctx(&n, &a, "bcs");
	loop_ctx(&n, &b, "rcs");
	ASSERT_EQ(0, nat_wait(&n, "rcs", MVGPU_CSB_IDLE_TO_ACTIVE, 5000,
			      (struct nat_ev[NAT_MAX_EV]){}, &(int){0}));
	nat_close(&n);
	t0 = nat_now_ns();
	ASSERT_EQ(0, system("rmmod mvgpu_native"));
	ASSERT_EQ(0, system("rmmod mvgpu"));
	EXPECT_GT(10000000000ULL, nat_now_ns() - t0);
	snprintf(cmd, sizeof(cmd), "insmod %s", ko);
	ASSERT_EQ(0, system(cmd));
	snprintf(cmd, sizeof(cmd), "insmod %s", native);
	ASSERT_EQ(0, system(cmd));
	EXPECT_EQ(0, stat(NAT_DIR "/native", &st));
}

TEST_HARNESS_MAIN
