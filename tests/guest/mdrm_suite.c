// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest suite: in an L2 guest with mvgpu_drm loaded on its vGPU, the
 * driver's uAPI through libmdrm (drm/lib/), kselftest/IGT style.
 *
 *   gem     objects created, mapped, closed: sizes, zeroing, coherence,
 *           GGTT ranges, limits
 *   blit    fills, copies and blends on the GPU, every pixel checked
 *           against the CPU's own computation; every store command
 *   multi   many contexts in one file, many processes at once, each
 *           checking its own results in the same PPGTT addresses
 *   sync    syncobjs (binary, timeline, wait ioctl), sync_file in- and
 *           out-fences, gem wait timeouts and busy
 *   ppgtt   objects across the whole 48-bit space, a large object over
 *           table boundaries, bindings rewritten between submissions, a
 *           second-level batch
 *   hang    a hung context banned while a context in another process
 *           keeps running; a faulting one; failsafe mode and back, all
 *           visible in the params
 *   fuzz    every ioctl with random arguments, sizes, flags and pointers
 *           from concurrent processes; the device works afterwards (the
 *           job script checks the guest's kernel log)
 *
 * One binary, build/guest/mdrm_suite, run by tests/guest/suite.job.sh.
 * MDRM_FUZZ_SEED and MDRM_FUZZ_ITERS set the fuzz run.  TAP output.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mdrm.h"
#include "mdrm_fuzz.h"

#define RCS		DRM_MVGPU_ENGINE_RCS
#define BCS		DRM_MVGPU_ENGINE_BCS
#define WAIT_MS		20000

#define VA_DST		0x10000000ULL
#define VA_SRC		0x18000000ULL
#define VA_BATCH	0x20000000ULL
#define VA_BATCH2	0x20100000ULL
#define VA_SEM		0x30000000ULL

static __u64 rng_state = 0x9e3779b97f4a7c15ULL;

/* xorshift64*: reproducible from a printed seed */
static __u64 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void bo_new(struct __test_metadata *_metadata, int fd,
		   struct mdrm_bo *bo, __u64 size, __u32 flags)
{
	ASSERT_EQ(0, mdrm_bo_new(fd, bo, size, flags));
}

static struct mdrm_batch batch_of(struct mdrm_bo *bo)
{
	struct mdrm_batch b;

	mdrm_batch_init(&b, bo);
	return b;
}

/* Run @bb (ended by the caller) with @objs + the batch, wait for it. */
static int run_wait(int fd, __u32 ctx, __u32 engine, struct mdrm_bo *bb,
		    __u64 bb_addr, struct drm_mvgpu_exec_object *objs,
		    unsigned int n)
{
	struct drm_mvgpu_exec_object o[16];
	int ret, err = 0;

	if (n >= 16)
		return -E2BIG;
	memcpy(o, objs, n * sizeof(*o));
	o[n] = (struct drm_mvgpu_exec_object){ bb->handle, 0, bb_addr };
	ret = mdrm_exec(fd, ctx, engine, o, n + 1, n, 0, NULL);
	if (ret)
		return ret;
	ret = mdrm_bo_wait(fd, bb->handle, WAIT_MS, &err);
	return ret ? ret : err;
}

FIXTURE(gpu) {
	int fd;
};

FIXTURE_SETUP(gpu)
{
	self->fd = mdrm_open();
	ASSERT_LE(0, self->fd) TH_LOG("no mvgpu render node: %d", self->fd);
}

FIXTURE_TEARDOWN(gpu)
{
	if (self->fd >= 0)
		close(self->fd);
}

/* ---- gem ---------------------------------------------------------------- */

TEST_F(gpu, gem_create_mmap_close)
{
	static const __u64 sizes[] = {
		1, 4095, 4096, 4097, 3 * 4096 + 1, 1 << 20, 16 << 20,
	};
	struct drm_mvgpu_gem_mmap_offset mo = { 0 };
	struct mdrm_bo bo;
	__u64 max, i, j;
	__u32 h, *second;

	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_GEM_MAX_SIZE, &max));
	EXPECT_LE(16 << 20, max);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct drm_mvgpu_gem_create c = { .size = sizes[i] };
		__u64 rounded = (sizes[i] + 4095) & ~4095ULL;

		ASSERT_EQ(0, mdrm_ioctl(self->fd, DRM_IOCTL_MVGPU_GEM_CREATE, &c));
		EXPECT_EQ(rounded, c.size);
		EXPECT_EQ(0, c.ggtt_addr);
		EXPECT_NE(0, c.handle);
		bo.map = mdrm_bo_map(self->fd, c.handle, rounded);
		ASSERT_NE(NULL, bo.map);
		/* zeroed: every page's first and last dword, and a random one */
		for (j = 0; j < rounded / 4; j += 1024) {
			EXPECT_EQ(0, bo.map[j]);
			EXPECT_EQ(0, bo.map[j + 1023]);
			EXPECT_EQ(0, bo.map[j + rnd() % 1024]);
		}
		/* a second mapping sees the first's writes */
		second = mdrm_bo_map(self->fd, c.handle, rounded);
		ASSERT_NE(NULL, second);
		bo.map[rounded / 4 - 1] = 0xfeed0000 + i;
		EXPECT_EQ(0xfeed0000 + i, second[rounded / 4 - 1]);
		/* the mappings outlive the handle */
		EXPECT_EQ(0, mdrm_bo_close(self->fd, c.handle));
		bo.map[0] = 0x600d;
		EXPECT_EQ(0x600d, second[0]);
		munmap(second, rounded);
		munmap(bo.map, rounded);
		mo.handle = c.handle;
		EXPECT_EQ(-ENOENT, mdrm_ioctl(self->fd, DRM_IOCTL_MVGPU_GEM_MMAP_OFFSET,
					      &mo));
		EXPECT_EQ(-EINVAL, mdrm_bo_close(self->fd, c.handle));
	}
	EXPECT_EQ(-EINVAL, mdrm_bo_create(self->fd, max + 1, 0, &h, NULL));
	EXPECT_EQ(-EINVAL, mdrm_bo_create(self->fd, 0, 0, &h, NULL));
	mo.handle = 0;
	mo.pad = 1;
	EXPECT_NE(0, mdrm_ioctl(self->fd, DRM_IOCTL_MVGPU_GEM_MMAP_OFFSET, &mo));

	/* a thousand objects come and go; handles stay usable */
	for (i = 0; i < 1000; i++) {
		ASSERT_EQ(0, mdrm_bo_create(self->fd, 4096 * (1 + i % 4), 0, &h,
					    NULL));
		ASSERT_EQ(0, mdrm_bo_close(self->fd, h));
	}
}

TEST_F(gpu, gem_ggtt_objects_lie_in_their_ranges)
{
	__u64 mb, ms, hb, hs;
	struct mdrm_bo m[4], g[4];
	int i;

	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_GM_MAPPABLE_BASE, &mb));
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_GM_MAPPABLE_SIZE, &ms));
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_GM_HIDDEN_BASE, &hb));
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_GM_HIDDEN_SIZE, &hs));
	for (i = 0; i < 4; i++) {
		bo_new(_metadata, self->fd, &m[i], 4096 << i,
		       DRM_MVGPU_GEM_CREATE_MAPPABLE);
		bo_new(_metadata, self->fd, &g[i], 4096 << i,
		       DRM_MVGPU_GEM_CREATE_GGTT);
		EXPECT_LE(mb, m[i].ggtt);
		EXPECT_LE(m[i].ggtt + m[i].size, mb + ms);
		EXPECT_LE(hb, g[i].ggtt);
		EXPECT_LE(g[i].ggtt + g[i].size, hb + hs);
		EXPECT_EQ(0, m[i].ggtt & 4095);
		EXPECT_EQ(0, g[i].ggtt & 4095);
		EXPECT_EQ(0, m[i].map[m[i].size / 4 - 1]);
	}
	/* no two overlap */
	for (i = 1; i < 4; i++) {
		EXPECT_TRUE(m[i].ggtt >= m[i - 1].ggtt + m[i - 1].size ||
			    m[i].ggtt + m[i].size <= m[i - 1].ggtt);
		EXPECT_TRUE(g[i].ggtt >= g[i - 1].ggtt + g[i - 1].size ||
			    g[i].ggtt + g[i].size <= g[i - 1].ggtt);
	}
	/* a range too small for the object: ENOSPC or EINVAL, nothing bound */
	{
		__u32 h;
		int ret = mdrm_bo_create(self->fd, ms + 4096,
					 DRM_MVGPU_GEM_CREATE_MAPPABLE, &h, NULL);

		EXPECT_TRUE(ret == -ENOSPC || ret == -EINVAL) TH_LOG("ret %d", ret);
	}
	for (i = 0; i < 4; i++) {
		mdrm_bo_free(self->fd, &m[i]);
		mdrm_bo_free(self->fd, &g[i]);
	}
}

/* ---- blit --------------------------------------------------------------- */

#define W	96
#define H	70
#define PITCH_S	(W * 4 + 64)
#define PITCH_D	(W * 4 + 128)

static void random_fill(__u32 *p, size_t dwords)
{
	size_t i;

	for (i = 0; i < dwords; i++)
		p[i] = (__u32)rnd();
}

/*
 * BCS, one PPGTT context: a fill, an XY_SRC_COPY and an XY_FAST_COPY of
 * sub-rectangles between surfaces of different pitches; the CPU computes
 * the expected destination and compares every pixel.
 */
static void blits_checked(struct __test_metadata *_metadata, int fd,
			  __u32 ctx_flags)
{
	struct mdrm_bo src, dst, bb;
	__u32 *ref, ctx, x, y;
	__u64 va_src = VA_SRC, va_dst = VA_DST, va_bb = VA_BATCH;
	struct mdrm_batch b;
	__u32 gem = ctx_flags ? DRM_MVGPU_GEM_CREATE_GGTT : 0;
	int ret;

	ASSERT_EQ(0, mdrm_ctx_create(fd, ctx_flags, &ctx));
	bo_new(_metadata, fd, &src, PITCH_S * H, gem);
	bo_new(_metadata, fd, &dst, PITCH_D * H, gem);
	bo_new(_metadata, fd, &bb, 4096, gem);
	if (ctx_flags) {
		va_src = src.ggtt;
		va_dst = dst.ggtt;
		va_bb = bb.ggtt;
	}
	random_fill(src.map, src.size / 4);
	random_fill(dst.map, dst.size / 4);
	ref = malloc(dst.size);
	ASSERT_NE(NULL, ref);
	memcpy(ref, dst.map, dst.size);

	b = batch_of(&bb);
	/* fill [4, 60) x [2, 30) */
	mdrm_fill(&b, va_dst, PITCH_D, 4, 2, 60, 30, 0xa1b2c3d4);
	for (y = 2; y < 30; y++)
		for (x = 4; x < 60; x++)
			ref[y * PITCH_D / 4 + x] = 0xa1b2c3d4;
	/* src (10, 5) -> dst [30, 90) x [20, 50): over part of the fill */
	mdrm_copy(&b, va_dst, PITCH_D, 30, 20, 90, 50, va_src, PITCH_S, 10, 5);
	for (y = 20; y < 50; y++)
		for (x = 30; x < 90; x++)
			ref[y * PITCH_D / 4 + x] =
				src.map[(y - 20 + 5) * PITCH_S / 4 + x - 30 + 10];
	/* fast copy src (0, 40) -> dst [0, 40) x [55, 70) */
	mdrm_fast_copy(&b, va_dst, PITCH_D, 0, 55, 40, 70, va_src, PITCH_S, 0, 40);
	for (y = 55; y < 70; y++)
		for (x = 0; x < 40; x++)
			ref[y * PITCH_D / 4 + x] = src.map[(y - 55 + 40) * PITCH_S / 4 + x];
	/* an empty rectangle touches nothing */
	mdrm_fill(&b, va_dst, PITCH_D, 50, 60, 50, 69, 0);
	mdrm_end(&b);
	ASSERT_TRUE(mdrm_batch_ok(&b));

	struct drm_mvgpu_exec_object o[] = {
		{ src.handle, 0, va_src },
		{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, va_dst },
	};
	ret = run_wait(fd, ctx, BCS, &bb, va_bb, o, 2);
	ASSERT_EQ(0, ret);
	for (y = 0; y < H; y++)
		for (x = 0; x < PITCH_D / 4; x++)
			if (dst.map[y * PITCH_D / 4 + x] != ref[y * PITCH_D / 4 + x]) {
				EXPECT_EQ(ref[y * PITCH_D / 4 + x],
					  dst.map[y * PITCH_D / 4 + x])
					TH_LOG("pixel (%u, %u)", x, y);
				y = H;
				break;
			}
	free(ref);
	mdrm_bo_free(fd, &bb);
	mdrm_bo_free(fd, &dst);
	mdrm_bo_free(fd, &src);
	EXPECT_EQ(0, mdrm_ctx_destroy(fd, ctx));
}

TEST_F(gpu, blit_fill_and_copies_checked_by_the_cpu_ppgtt)
{
	blits_checked(_metadata, self->fd, 0);
}

TEST_F(gpu, blit_fill_and_copies_checked_by_the_cpu_legacy_32b)
{
	blits_checked(_metadata, self->fd, DRM_MVGPU_CTX_CREATE_LEGACY_32B);
}

/* RCS: every MVGPU_BLEND op, and one in place, against mdrm_blend_ref(). */
TEST_F(gpu, blend_ops_checked_by_the_cpu)
{
	static const __u32 ops[][2] = {
		{ MVGPU_BLEND_OP_SET_ALPHA, 0x80 },
		{ MVGPU_BLEND_OP_OVER, 0 },
		{ MVGPU_BLEND_OP_CONST_ALPHA, 0x40 },
		{ MVGPU_BLEND_OP_CONST_ALPHA, 0xff },
	};
	struct mdrm_bo src, dst, bb;
	__u32 ctx, i, x, y, *ref0;
	struct mdrm_batch b;

	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &ctx));
	bo_new(_metadata, self->fd, &src, PITCH_S * H, 0);
	bo_new(_metadata, self->fd, &dst, PITCH_D * H, 0);
	bo_new(_metadata, self->fd, &bb, 4096, 0);
	ref0 = malloc(dst.size);
	ASSERT_NE(NULL, ref0);
	struct drm_mvgpu_exec_object o[] = {
		{ src.handle, 0, VA_SRC },
		{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
	};
	for (i = 0; i < 5; i++) {
		__u32 op = i < 4 ? ops[i][0] : MVGPU_BLEND_OP_OVER;
		__u32 alpha = i < 4 ? ops[i][1] : 0;
		/* the fifth blends the destination over itself, in place */
		__u64 s = i < 4 ? VA_SRC : VA_DST + PITCH_D + 8;
		__u32 sp = i < 4 ? PITCH_S : PITCH_D;

		random_fill(src.map, src.size / 4);
		random_fill(dst.map, dst.size / 4);
		memcpy(ref0, dst.map, dst.size);
		b = batch_of(&bb);
		mdrm_blend(&b, op, alpha, W - 5, H - 3, VA_DST + PITCH_D + 8,
			   PITCH_D, s, sp);
		mdrm_end(&b);
		ASSERT_EQ(0, run_wait(self->fd, ctx, RCS, &bb, VA_BATCH, o, 2));
		for (y = 0; y < H; y++) {
			for (x = 0; x < PITCH_D / 4; x++) {
				__u32 d = ref0[y * PITCH_D / 4 + x], want = d;

				if (y >= 1 && y < H - 2 && x >= 2 && x < W - 3) {
					__u32 sv = i < 4 ?
						src.map[(y - 1) * sp / 4 + x - 2] : d;

					want = mdrm_blend_ref(d, sv, op, alpha);
				}
				if (dst.map[y * PITCH_D / 4 + x] != want) {
					EXPECT_EQ(want, dst.map[y * PITCH_D / 4 + x])
						TH_LOG("op %u pixel (%u, %u)", op, x, y);
					y = H;
					break;
				}
			}
		}
	}
	free(ref0);
	mdrm_bo_free(self->fd, &bb);
	mdrm_bo_free(self->fd, &dst);
	mdrm_bo_free(self->fd, &src);
}

/* Every store form lands where it says, in PPGTT and GGTT contexts. */
TEST_F(gpu, every_store_command_lands)
{
	struct mdrm_bo dst, bb, gdst, gbb;
	__u32 ctx, ctx32;
	struct mdrm_batch b;

	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &ctx));
	ASSERT_EQ(0, mdrm_ctx_create(self->fd, DRM_MVGPU_CTX_CREATE_LEGACY_32B,
				     &ctx32));
	bo_new(_metadata, self->fd, &dst, 4096, 0);
	bo_new(_metadata, self->fd, &bb, 4096, 0);
	bo_new(_metadata, self->fd, &gdst, 4096, DRM_MVGPU_GEM_CREATE_GGTT);
	bo_new(_metadata, self->fd, &gbb, 4096, DRM_MVGPU_GEM_CREATE_GGTT);
	struct drm_mvgpu_exec_object o[] = {
		{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
	};
	struct drm_mvgpu_exec_object og[] = {
		{ gdst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, gdst.ggtt },
	};

	b = batch_of(&bb);
	mdrm_store(&b, VA_DST + 0, 0x11111111);
	mdrm_store_qw(&b, VA_DST + 8, 0x3333333322222222ULL);
	mdrm_pipe_control_store(&b, VA_DST + 16, 0x44444444);
	mdrm_noop(&b, 100);
	mdrm_end(&b);
	ASSERT_EQ(0, run_wait(self->fd, ctx, RCS, &bb, VA_BATCH, o, 1));
	b = batch_of(&bb);
	mdrm_store(&b, VA_DST + 20, 0x55555555);
	mdrm_flush_store(&b, VA_DST + 24, 0x66666666);
	mdrm_end(&b);
	ASSERT_EQ(0, run_wait(self->fd, ctx, BCS, &bb, VA_BATCH, o, 1));
	EXPECT_EQ(0x11111111, dst.map[0]);
	EXPECT_EQ(0, dst.map[1]);
	EXPECT_EQ(0x22222222, dst.map[2]);
	EXPECT_EQ(0x33333333, dst.map[3]);
	EXPECT_EQ(0x44444444, dst.map[4]);
	EXPECT_EQ(0x55555555, dst.map[5]);
	EXPECT_EQ(0x66666666, dst.map[6]);

	b = batch_of(&gbb);
	mdrm_store(&b, gdst.ggtt + 4, 0x77777777);
	mdrm_pipe_control_store(&b, gdst.ggtt + 8, 0x88888888);
	mdrm_end(&b);
	ASSERT_EQ(0, run_wait(self->fd, ctx32, RCS, &gbb, gbb.ggtt, og, 1));
	EXPECT_EQ(0x77777777, gdst.map[1]);
	EXPECT_EQ(0x88888888, gdst.map[2]);
	mdrm_bo_free(self->fd, &gbb);
	mdrm_bo_free(self->fd, &gdst);
	mdrm_bo_free(self->fd, &bb);
	mdrm_bo_free(self->fd, &dst);
}

/* ---- multi -------------------------------------------------------------- */

/*
 * Every context a file may have, each storing its own value on both
 * engines into one shared object; one more is ENOSPC.
 */
TEST_F_TIMEOUT(gpu, many_contexts_in_one_file, 120)
{
	struct mdrm_bo dst, gdst, bb[64];
	__u32 ctx[64], h, i, n;
	struct mdrm_batch b;
	__u64 max;
	int err = -1;

	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_MAX_CONTEXTS, &max));
	ASSERT_LE(2, max);
	n = max < 64 ? max : 64;
	bo_new(_metadata, self->fd, &dst, 4096, 0);
	bo_new(_metadata, self->fd, &gdst, 4096, DRM_MVGPU_GEM_CREATE_GGTT);
	/* every third a LEGACY_32B context, storing through the GGTT */
	for (i = 0; i < n; i++)
		ASSERT_EQ(0, mdrm_ctx_create(self->fd, i % 3 == 2 ?
					     DRM_MVGPU_CTX_CREATE_LEGACY_32B : 0,
					     &ctx[i]));
	if (max <= 64)
		EXPECT_EQ(-ENOSPC, mdrm_ctx_create(self->fd, 0, &h));
	for (i = 0; i < n; i++) {
		int is32 = i % 3 == 2;
		struct drm_mvgpu_exec_object o[2];

		bo_new(_metadata, self->fd, &bb[i], 4096,
		       is32 ? DRM_MVGPU_GEM_CREATE_GGTT : 0);
		b = batch_of(&bb[i]);
		if (is32) {
			mdrm_store(&b, gdst.ggtt + 4 * i, 0xc0de0000 + i);
			o[0] = (struct drm_mvgpu_exec_object){
				gdst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, gdst.ggtt };
			o[1] = (struct drm_mvgpu_exec_object){
				bb[i].handle, 0, bb[i].ggtt };
		} else {
			mdrm_store(&b, VA_DST + 4 * i, 0xc0de0000 + i);
			o[0] = (struct drm_mvgpu_exec_object){
				dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST };
			o[1] = (struct drm_mvgpu_exec_object){
				bb[i].handle, 0, VA_BATCH + 0x10000ULL * i };
		}
		mdrm_end(&b);
		ASSERT_EQ(0, mdrm_exec(self->fd, ctx[i], i & 1 ? BCS : RCS, o, 2,
				       1, 0, NULL));
	}
	ASSERT_EQ(0, mdrm_bo_wait(self->fd, dst.handle, WAIT_MS, &err));
	EXPECT_EQ(0, err);
	ASSERT_EQ(0, mdrm_bo_wait(self->fd, gdst.handle, WAIT_MS, &err));
	EXPECT_EQ(0, err);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(0xc0de0000 + i, (i % 3 == 2 ? gdst.map : dst.map)[i]);
		mdrm_bo_free(self->fd, &bb[i]);
	}
	for (i = 0; i < n; i++)
		EXPECT_EQ(0, mdrm_ctx_destroy(self->fd, ctx[i]));
	/* destroyed: room again */
	EXPECT_EQ(0, mdrm_ctx_create(self->fd, 0, &h));
	mdrm_bo_free(self->fd, &gdst);
	mdrm_bo_free(self->fd, &dst);
}

#define PROCS		8
#define PROC_ROUNDS	12

/*
 * One process's work: its own file, PPGTT and contexts on both engines,
 * the same addresses as every other process; returns the number of
 * wrong results or failed calls.
 */
static int proc_work(int id)
{
	int fd = mdrm_open(), bad = 0, r, err;
	struct mdrm_bo dst, bb;
	struct mdrm_batch b;
	__u32 ctx[3], c, i;

	if (fd < 0)
		return 100;
	if (mdrm_bo_new(fd, &dst, 64 * 1024, 0) || mdrm_bo_new(fd, &bb, 4096, 0))
		return 101;
	for (c = 0; c < 3; c++)
		if (mdrm_ctx_create(fd, 0, &ctx[c]))
			return 102;
	for (r = 0; r < PROC_ROUNDS; r++) {
		__u32 color = 0x01000000u * (id + 1) + r;
		__u32 engine = r & 1 ? RCS : BCS;

		b = batch_of(&bb);
		if (engine == BCS)
			mdrm_fill(&b, VA_DST, 1024, 0, 0, 256, 64, color);
		else
			for (i = 0; i < 64; i++)
				mdrm_store(&b, VA_DST + i * 1024, color);
		mdrm_store(&b, VA_DST + 65532, color);
		mdrm_end(&b);
		struct drm_mvgpu_exec_object o[] = {
			{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
			{ bb.handle, 0, VA_BATCH },
		};
		if (mdrm_exec(fd, ctx[r % 3], engine, o, 2, 1, 0, NULL) ||
		    mdrm_bo_wait(fd, dst.handle, WAIT_MS, &err) || err) {
			bad++;
			continue;
		}
		for (i = 0; i < 64; i++)
			bad += dst.map[i * 256] != color;
		bad += dst.map[16383] != color;
	}
	mdrm_bo_free(fd, &bb);
	mdrm_bo_free(fd, &dst);
	close(fd);
	return bad;
}

TEST_F_TIMEOUT(gpu, many_processes_at_once_each_see_only_their_own_work, 180)
{
	pid_t pid[PROCS];
	int i, st;

	for (i = 0; i < PROCS; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (!pid[i])
			_exit(proc_work(i) ? 1 : 0);
	}
	for (i = 0; i < PROCS; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &st, 0));
		EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st))
			TH_LOG("process %d: status 0x%x", i, st);
	}
}

/* ---- sync --------------------------------------------------------------- */

/* A gate batch in @bb: wait until the dword at @va is 1. */
static void gate_batch(struct mdrm_bo *bb, __u64 va)
{
	struct mdrm_batch b = batch_of(bb);

	mdrm_semaphore_wait(&b, va, MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 1);
	mdrm_end(&b);
}

/* The fence at @point of timeline @tl, through a sync_file, into @dst. */
static int timeline_point_to_syncobj(int fd, __u32 tl, __u64 point, __u32 dst)
{
	struct drm_syncobj_transfer tr = {
		.src_handle = tl, .src_point = point,
	};
	int tfd = -1, ret;

	ret = mdrm_syncobj_create(fd, 0, &tr.dst_handle);
	if (ret)
		return ret;
	ret = mdrm_ioctl(fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &tr);
	if (!ret)
		ret = mdrm_syncobj_to_sync_file(fd, tr.dst_handle, &tfd);
	if (!ret) {
		ret = mdrm_syncobj_from_sync_file(fd, dst, tfd);
		close(tfd);
	}
	mdrm_syncobj_destroy(fd, tr.dst_handle);
	return ret;
}

/*
 * A chain across engines and contexts, ordered only by fences: a gated
 * BCS request signals syncobj A and timeline T point 3; an RCS request
 * waits for A and signals B; a third waits for B through a sync_file
 * exported from it; a fourth for T:3 through a syncobj imported from a
 * sync_file.  The wait ioctls time out while the gate is shut, then
 * everything completes in order.
 */
TEST_F(gpu, fences_chain_requests_across_engines_and_contexts)
{
	struct mdrm_bo sem, dst, gate, s1, s2, s3;
	__u32 c[4], a, bsync, tl, imp, busy, first, all[3];
	int fd_b = -1, fd_out = -1, err = -1, i;
	struct mdrm_batch b;
	__s64 t0;

	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &c[i]));
	ASSERT_EQ(0, mdrm_syncobj_create(self->fd, 0, &a));
	ASSERT_EQ(0, mdrm_syncobj_create(self->fd, 0, &bsync));
	ASSERT_EQ(0, mdrm_syncobj_create(self->fd, 0, &tl));
	ASSERT_EQ(0, mdrm_syncobj_create(self->fd, 0, &imp));
	bo_new(_metadata, self->fd, &sem, 4096, 0);
	bo_new(_metadata, self->fd, &dst, 4096, 0);
	bo_new(_metadata, self->fd, &gate, 4096, 0);
	bo_new(_metadata, self->fd, &s1, 4096, 0);
	bo_new(_metadata, self->fd, &s2, 4096, 0);
	bo_new(_metadata, self->fd, &s3, 4096, 0);
	gate_batch(&gate, VA_SEM);

	struct drm_mvgpu_exec_object og[] = {
		{ sem.handle, 0, VA_SEM }, { gate.handle, 0, VA_BATCH },
	};
	struct drm_mvgpu_exec_sync sg[] = {
		{ a, DRM_MVGPU_EXEC_SYNC_SIGNAL, 0 },
		{ tl, DRM_MVGPU_EXEC_SYNC_SIGNAL, 3 },
	};
	struct drm_mvgpu_execbuf x = {
		.objects = (__u64)(uintptr_t)og, .object_count = 2,
		.batch_index = 1, .ctx_id = c[0], .engine = BCS,
		.syncs = (__u64)(uintptr_t)sg, .sync_count = 2,
	};
	ASSERT_EQ(0, mdrm_execbuf(self->fd, &x));
	EXPECT_EQ(-1, x.out_fence_fd);

	/* second: waits for A, signals B; stores 1 */
	b = batch_of(&s1);
	mdrm_store(&b, VA_DST, 1);
	mdrm_end(&b);
	struct drm_mvgpu_exec_object o1[] = {
		{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
		{ s1.handle, 0, VA_BATCH2 },
	};
	struct drm_mvgpu_exec_sync s1s[] = {
		{ a, DRM_MVGPU_EXEC_SYNC_WAIT, 0 },
		{ bsync, DRM_MVGPU_EXEC_SYNC_SIGNAL, 0 },
	};
	x = (struct drm_mvgpu_execbuf){
		.objects = (__u64)(uintptr_t)o1, .object_count = 2,
		.batch_index = 1, .ctx_id = c[1], .engine = RCS,
		.syncs = (__u64)(uintptr_t)s1s, .sync_count = 2,
		.flags = DRM_MVGPU_EXEC_NO_IMPLICIT_SYNC,
	};
	ASSERT_EQ(0, mdrm_execbuf(self->fd, &x));

	/* third: waits for B as a sync_file; reads what the second wrote */
	ASSERT_EQ(0, mdrm_syncobj_to_sync_file(self->fd, bsync, &fd_b));
	b = batch_of(&s2);
	mdrm_semaphore_wait(&b, VA_DST, MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 1);
	mdrm_store(&b, VA_DST + 4, 2);
	mdrm_end(&b);
	struct drm_mvgpu_exec_object o2[] = {
		{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
		{ s2.handle, 0, VA_BATCH2 + 0x100000 },
	};
	x = (struct drm_mvgpu_execbuf){
		.objects = (__u64)(uintptr_t)o2, .object_count = 2,
		.batch_index = 1, .ctx_id = c[2], .engine = BCS,
		.flags = DRM_MVGPU_EXEC_NO_IMPLICIT_SYNC |
			 DRM_MVGPU_EXEC_FENCE_IN | DRM_MVGPU_EXEC_FENCE_OUT,
		.in_fence_fd = fd_b,
	};
	ASSERT_EQ(0, mdrm_execbuf(self->fd, &x));
	fd_out = x.out_fence_fd;
	ASSERT_LE(0, fd_out);

	/* fourth: T:3 through a sync_file imported into a binary syncobj */
	ASSERT_EQ(0, timeline_point_to_syncobj(self->fd, tl, 3, imp));
	b = batch_of(&s3);
	mdrm_store(&b, VA_DST + 8, 3);
	mdrm_end(&b);
	struct drm_mvgpu_exec_object o3[] = {
		{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
		{ s3.handle, 0, VA_BATCH2 + 0x200000 },
	};
	struct drm_mvgpu_exec_sync s3s[] = { { imp, DRM_MVGPU_EXEC_SYNC_WAIT, 0 } };
	x = (struct drm_mvgpu_execbuf){
		.objects = (__u64)(uintptr_t)o3, .object_count = 2,
		.batch_index = 1, .ctx_id = c[3], .engine = RCS,
		.syncs = (__u64)(uintptr_t)s3s, .sync_count = 1,
		.flags = DRM_MVGPU_EXEC_NO_IMPLICIT_SYNC,
	};
	ASSERT_EQ(0, mdrm_execbuf(self->fd, &x));

	/*
	 * The gate is shut: waits time out, nothing ran.  The gate (a
	 * semaphore wait on BCS) is held briefly: the host calls a workload
	 * with hang_ms (1 s) of engine time a hang, and a loaded host
	 * stretches the guest's sleeps.
	 */
	usleep(50 * 1000);
	t0 = mdrm_now_ns();
	EXPECT_EQ(-ETIME, mdrm_syncobj_wait(self->fd, &bsync, 1, 60, 0, NULL));
	EXPECT_LE(55000000LL, mdrm_now_ns() - t0);
	EXPECT_EQ(-ETIME, mdrm_syncobj_timeline_wait(self->fd, tl, 3, 0, 0));
	EXPECT_EQ(-ETIME, mdrm_bo_wait(self->fd, dst.handle, 0, NULL));
	t0 = mdrm_now_ns();
	EXPECT_EQ(-ETIME, mdrm_bo_wait(self->fd, dst.handle, 60, NULL));
	EXPECT_LE(55000000LL, mdrm_now_ns() - t0);
	EXPECT_EQ(0, mdrm_sync_file_wait(fd_out, 0));
	ASSERT_EQ(0, mdrm_bo_busy(self->fd, sem.handle, &busy));
	EXPECT_EQ(1U << BCS, busy);
	ASSERT_EQ(0, mdrm_bo_busy(self->fd, dst.handle, &busy));
	EXPECT_EQ((1U << BCS) | (1U << RCS), busy);
	EXPECT_EQ(0, dst.map[0]);
	EXPECT_EQ(0, dst.map[1]);
	EXPECT_EQ(0, dst.map[2]);

	sem.map[0] = 1;
	EXPECT_EQ(1, mdrm_sync_file_wait(fd_out, WAIT_MS));
	all[0] = a;
	all[1] = bsync;
	all[2] = imp;
	EXPECT_EQ(0, mdrm_syncobj_wait(self->fd, all, 3, WAIT_MS,
				       DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, &first));
	EXPECT_EQ(0, mdrm_syncobj_timeline_wait(self->fd, tl, 3, WAIT_MS, 0));
	ASSERT_EQ(0, mdrm_bo_wait(self->fd, dst.handle, WAIT_MS, &err));
	EXPECT_EQ(0, err);
	EXPECT_EQ(1, dst.map[0]);
	EXPECT_EQ(2, dst.map[1]);
	EXPECT_EQ(3, dst.map[2]);
	ASSERT_EQ(0, mdrm_bo_busy(self->fd, dst.handle, &busy));
	EXPECT_EQ(0, busy);
	close(fd_b);
	close(fd_out);
	mdrm_bo_free(self->fd, &s3);
	mdrm_bo_free(self->fd, &s2);
	mdrm_bo_free(self->fd, &s1);
	mdrm_bo_free(self->fd, &gate);
	mdrm_bo_free(self->fd, &dst);
	mdrm_bo_free(self->fd, &sem);
}

/*
 * Implicit sync: a reader submitted after a writer on another engine and
 * context sees its result; NO_IMPLICIT_SYNC lets a request overtake.
 */
TEST_F(gpu, implicit_sync_orders_writers_and_readers)
{
	struct mdrm_bo sem, dst, gate, s1, s2;
	struct mdrm_batch b;
	__u32 c0, c1, c2;
	int f2 = -1;

	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &c0));
	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &c1));
	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &c2));
	bo_new(_metadata, self->fd, &sem, 4096, 0);
	bo_new(_metadata, self->fd, &dst, 4096, 0);
	bo_new(_metadata, self->fd, &gate, 4096, 0);
	bo_new(_metadata, self->fd, &s1, 4096, 0);
	bo_new(_metadata, self->fd, &s2, 4096, 0);
	gate_batch(&gate, VA_SEM);
	/* gated writer of dst */
	struct drm_mvgpu_exec_object og[] = {
		{ sem.handle, 0, VA_SEM },
		{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
		{ gate.handle, 0, VA_BATCH },
	};
	ASSERT_EQ(0, mdrm_exec(self->fd, c0, BCS, og, 3, 2, 0, NULL));
	/* an implicitly synced writer waits behind it */
	b = batch_of(&s1);
	mdrm_store(&b, VA_DST, 0x1111);
	mdrm_end(&b);
	struct drm_mvgpu_exec_object o1[] = {
		{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
		{ s1.handle, 0, VA_BATCH2 },
	};
	ASSERT_EQ(0, mdrm_exec(self->fd, c1, RCS, o1, 2, 1, 0, NULL));
	/* one without implicit sync overtakes both */
	b = batch_of(&s2);
	mdrm_store(&b, VA_DST + 4, 0x2222);
	mdrm_end(&b);
	struct drm_mvgpu_exec_object o2[] = {
		{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
		{ s2.handle, 0, VA_BATCH2 + 0x100000 },
	};
	struct drm_mvgpu_execbuf x = {
		.objects = (__u64)(uintptr_t)o2, .object_count = 2,
		.batch_index = 1, .ctx_id = c2, .engine = RCS,
		.flags = DRM_MVGPU_EXEC_NO_IMPLICIT_SYNC | DRM_MVGPU_EXEC_FENCE_OUT,
	};
	ASSERT_EQ(0, mdrm_execbuf(self->fd, &x));
	f2 = x.out_fence_fd;
	EXPECT_EQ(1, mdrm_sync_file_wait(f2, WAIT_MS));
	EXPECT_EQ(0x2222, dst.map[1]);
	EXPECT_EQ(0, dst.map[0]);
	sem.map[0] = 1;
	ASSERT_EQ(0, mdrm_bo_wait(self->fd, dst.handle, WAIT_MS, NULL));
	EXPECT_EQ(0x1111, dst.map[0]);
	close(f2);
	mdrm_bo_free(self->fd, &s2);
	mdrm_bo_free(self->fd, &s1);
	mdrm_bo_free(self->fd, &gate);
	mdrm_bo_free(self->fd, &dst);
	mdrm_bo_free(self->fd, &sem);
}

/* ---- ppgtt -------------------------------------------------------------- */

/*
 * Objects spread over the 48-bit space (every level of the page tables,
 * the first and the last page), written by one batch that itself lives
 * high up.
 */
TEST_F(gpu, ppgtt_objects_across_the_whole_48bit_space)
{
	static const __u64 va[] = {
		0x1000, 0x200000 - 0x1000, 0x40000000 - 0x1000,
		0x8000000000ULL, 0x8000000000ULL - 0x1000,
		0x123456789000ULL, 0x7fffffe00000ULL, 0x800000000000ULL,
		0xfffffffff000ULL - 0x1000,
	};
	enum { N = sizeof(va) / sizeof(va[0]) };
	struct drm_mvgpu_exec_object o[N + 1];
	struct mdrm_bo bo[N], bb;
	struct mdrm_batch b;
	__u64 bits, bb_va = 0xfffffffff000ULL;
	int i, err = -1;
	__u32 ctx;

	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_PPGTT_VA_BITS, &bits));
	ASSERT_EQ(48, bits);
	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &ctx));
	bo_new(_metadata, self->fd, &bb, 4096, 0);
	b = batch_of(&bb);
	for (i = 0; i < N; i++) {
		bo_new(_metadata, self->fd, &bo[i], 4096, 0);
		o[i] = (struct drm_mvgpu_exec_object){
			bo[i].handle, DRM_MVGPU_EXEC_OBJECT_WRITE, va[i] };
		mdrm_store(&b, va[i] + 4 * i, 0xadd00000 + i);
		mdrm_store_qw(&b, va[i] + 4088, va[i]);
	}
	mdrm_end(&b);
	o[N] = (struct drm_mvgpu_exec_object){ bb.handle, 0, bb_va };
	ASSERT_EQ(0, mdrm_exec(self->fd, ctx, RCS, o, N + 1, N, 0, NULL));
	ASSERT_EQ(0, mdrm_bo_wait(self->fd, bb.handle, WAIT_MS, &err));
	EXPECT_EQ(0, err);
	for (i = 0; i < N; i++) {
		EXPECT_EQ(0xadd00000 + i, bo[i].map[i])
			TH_LOG("va 0x%llx", (unsigned long long)va[i]);
		EXPECT_EQ(MDRM_LO(va[i]), bo[i].map[1022]);
		EXPECT_EQ(MDRM_HI(va[i]), bo[i].map[1023]);
	}
	/* past the top: EINVAL */
	o[0].offset = 0x1000000000000ULL;
	EXPECT_EQ(-EINVAL, mdrm_exec(self->fd, ctx, RCS, o, N + 1, N, 0, NULL));
	for (i = 0; i < N; i++)
		mdrm_bo_free(self->fd, &bo[i]);
	mdrm_bo_free(self->fd, &bb);
}

/*
 * A 4 MiB object across a 1 GiB (page directory pointer) boundary, filled
 * by the blitter in one command and copied whole into a second one bound
 * across a 512 GiB (PML4) boundary; every page is checked.
 */
TEST_F_TIMEOUT(gpu, ppgtt_large_objects_across_table_boundaries, 120)
{
	const __u64 size = 4 << 20;
	const __u64 va_a = 0x40000000ULL - 0x180000, va_b = 0x8000000000ULL - 0x200000;
	struct mdrm_bo a, c, bb;
	struct mdrm_batch b;
	__u32 ctx, i;
	int err = -1;

	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &ctx));
	bo_new(_metadata, self->fd, &a, size, 0);
	bo_new(_metadata, self->fd, &c, size, 0);
	bo_new(_metadata, self->fd, &bb, 4096, 0);
	b = batch_of(&bb);
	mdrm_fill(&b, va_a, 4096, 0, 0, 1024, 1024, 0x5a5a0f0f);
	mdrm_copy(&b, va_b, 4096, 0, 0, 1024, 1024, va_a, 4096, 0, 0);
	/* a distinct mark in each page of c, after the copy */
	mdrm_end(&b);
	struct drm_mvgpu_exec_object o[] = {
		{ a.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, va_a },
		{ c.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, va_b },
		{ bb.handle, 0, VA_BATCH },
	};
	ASSERT_EQ(0, mdrm_exec(self->fd, ctx, BCS, o, 3, 2, 0, NULL));
	ASSERT_EQ(0, mdrm_bo_wait(self->fd, c.handle, WAIT_MS, &err));
	EXPECT_EQ(0, err);
	for (i = 0; i < size / 4; i += 1024) {
		if (a.map[i] != 0x5a5a0f0f || a.map[i + 1023] != 0x5a5a0f0f ||
		    c.map[i] != 0x5a5a0f0f || c.map[i + 1023] != 0x5a5a0f0f) {
			EXPECT_EQ(0x5a5a0f0f, c.map[i]) TH_LOG("page %u", i / 1024);
			EXPECT_EQ(0x5a5a0f0f, a.map[i]) TH_LOG("page %u", i / 1024);
			break;
		}
	}
	/* per-page stores into c at both sides of the boundary */
	b = batch_of(&bb);
	for (i = 0; i < 1024; i += 37)
		mdrm_store(&b, va_b + i * 4096ULL + 8, i);
	mdrm_end(&b);
	ASSERT_EQ(0, mdrm_exec(self->fd, ctx, RCS, o, 3, 2, 0, NULL));
	ASSERT_EQ(0, mdrm_bo_wait(self->fd, c.handle, WAIT_MS, &err));
	EXPECT_EQ(0, err);
	for (i = 0; i < 1024; i += 37)
		EXPECT_EQ(i, c.map[i * 1024 + 2]);
	mdrm_bo_free(self->fd, &bb);
	mdrm_bo_free(self->fd, &c);
	mdrm_bo_free(self->fd, &a);
}

/*
 * The page tables rewritten between submissions: one object moved to a
 * new address for each of 48 requests (each writing there), then closed
 * and its address taken by a new object, which gets the next write.
 */
TEST_F_TIMEOUT(gpu, ppgtt_bindings_rewritten_between_submissions, 120)
{
	struct mdrm_bo dst, bb, other;
	struct mdrm_batch b;
	__u32 ctx, i;
	__u64 va = 0;

	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &ctx));
	bo_new(_metadata, self->fd, &dst, 8192, 0);
	bo_new(_metadata, self->fd, &bb, 4096, 0);
	for (i = 0; i < 48; i++) {
		va = ((rnd() % (1ULL << 35)) << 12) & ((1ULL << 48) - 0x10000);
		if (va >= VA_BATCH - 0x10000 && va < VA_BATCH + 0x10000)
			va += 0x100000;
		b = batch_of(&bb);
		mdrm_store(&b, va + 4 * (i % 2048), i + 1);
		mdrm_end(&b);
		struct drm_mvgpu_exec_object o[] = {
			{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, va },
		};
		ASSERT_EQ(0, run_wait(self->fd, ctx, i & 1 ? BCS : RCS, &bb,
				      VA_BATCH, o, 1));
		EXPECT_EQ(i + 1, dst.map[i % 2048])
			TH_LOG("at 0x%llx", (unsigned long long)va);
	}
	/* the last address reused by another object after a close */
	mdrm_bo_free(self->fd, &dst);
	bo_new(_metadata, self->fd, &other, 4096, 0);
	b = batch_of(&bb);
	mdrm_store(&b, va + 16, 0x0e7e5);
	mdrm_end(&b);
	struct drm_mvgpu_exec_object o2[] = {
		{ other.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, va },
	};
	ASSERT_EQ(0, run_wait(self->fd, ctx, RCS, &bb, VA_BATCH, o2, 1));
	EXPECT_EQ(0x0e7e5, other.map[4]);
	mdrm_bo_free(self->fd, &other);
	mdrm_bo_free(self->fd, &bb);
}

/* A first-level batch calls a second-level one, which returns. */
TEST_F(gpu, second_level_batch_returns_to_its_caller)
{
	struct mdrm_bo dst, bb, sub;
	struct mdrm_batch b;
	__u32 ctx;

	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &ctx));
	bo_new(_metadata, self->fd, &dst, 4096, 0);
	bo_new(_metadata, self->fd, &bb, 4096, 0);
	bo_new(_metadata, self->fd, &sub, 4096, 0);
	b = batch_of(&sub);
	mdrm_store(&b, VA_DST + 4, 2);
	mdrm_end(&b);
	b = batch_of(&bb);
	mdrm_store(&b, VA_DST, 1);
	MDRM_EMIT(&b, MVGPU_MI_BATCH_BUFFER_START | MVGPU_MI_BB_SECOND_LEVEL |
		  MVGPU_MI_BB_PPGTT, MDRM_LO(VA_BATCH2), MDRM_HI(VA_BATCH2));
	mdrm_store(&b, VA_DST + 8, 3);
	mdrm_end(&b);
	struct drm_mvgpu_exec_object o[] = {
		{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
		{ sub.handle, 0, VA_BATCH2 },
	};
	ASSERT_EQ(0, run_wait(self->fd, ctx, RCS, &bb, VA_BATCH, o, 2));
	EXPECT_EQ(1, dst.map[0]);
	EXPECT_EQ(2, dst.map[1]);
	EXPECT_EQ(3, dst.map[2]);
	mdrm_bo_free(self->fd, &sub);
	mdrm_bo_free(self->fd, &bb);
	mdrm_bo_free(self->fd, &dst);
}

/* ---- hang --------------------------------------------------------------- */

/*
 * Stores in a context of a file of its own until shared[0] is set;
 * shared[1] counts the requests, shared[2] the failed or wrong ones.
 */
static void runner_loop(volatile int *shared)
{
	int fd = mdrm_open(), err;
	struct mdrm_bo dst, bb;
	struct mdrm_batch b;
	__u32 ctx, n = 0;

	if (fd < 0 || mdrm_ctx_create(fd, 0, &ctx) ||
	    mdrm_bo_new(fd, &dst, 4096, 0) || mdrm_bo_new(fd, &bb, 4096, 0)) {
		shared[2] = 1000;
		return;
	}
	while (!shared[0]) {
		n++;
		b = batch_of(&bb);
		mdrm_store(&b, VA_DST, n);
		mdrm_end(&b);
		struct drm_mvgpu_exec_object o[] = {
			{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
			{ bb.handle, 0, VA_BATCH },
		};
		if (mdrm_exec(fd, ctx, n & 1 ? RCS : BCS, o, 2, 1, 0, NULL) ||
		    mdrm_bo_wait(fd, dst.handle, WAIT_MS, &err) || err ||
		    dst.map[0] != n)
			shared[2]++;
		shared[1] = n;
	}
}

/*
 * A context hangs on a semaphore nothing satisfies while a context of
 * another process keeps submitting: the hung one is banned with HANG and
 * its later execbufs fail with EIO; the other ran all along and runs on.
 */
TEST_F_TIMEOUT(gpu, hang_bans_the_guilty_context_and_another_keeps_running, 120)
{
	volatile int *shared;
	struct mdrm_bo sem, bb;
	__u64 hangs0, hangs, v;
	int fence = -1, st, done_at_hang;
	__u32 hung;
	pid_t pid;

	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, shared);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_HANGS, &hangs0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		runner_loop(shared);
		_exit(0);
	}
	while (shared[1] < 3 && !shared[2])
		usleep(10 * 1000);

	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &hung));
	bo_new(_metadata, self->fd, &sem, 4096, 0);
	bo_new(_metadata, self->fd, &bb, 4096, 0);
	gate_batch(&bb, VA_SEM + 8);	/* never opened */
	struct drm_mvgpu_exec_object o[] = {
		{ sem.handle, 0, VA_SEM }, { bb.handle, 0, VA_BATCH },
	};
	ASSERT_EQ(0, mdrm_exec(self->fd, hung, RCS, o, 2, 1, 0, &fence));
	EXPECT_EQ(-EIO, mdrm_sync_file_wait(fence, WAIT_MS));
	done_at_hang = shared[1];
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, hung, DRM_MVGPU_CTX_PARAM_BANNED, &v));
	EXPECT_EQ(1, v);
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, hung, DRM_MVGPU_CTX_PARAM_ERROR, &v));
	EXPECT_EQ(MVGPU_ERR_HANG, v);
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, hung, DRM_MVGPU_CTX_PARAM_ERROR_ENGINE, &v));
	EXPECT_EQ(RCS, v);
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, hung, DRM_MVGPU_CTX_PARAM_GUILTY, &v));
	EXPECT_EQ(1, v);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_HANGS, &hangs));
	EXPECT_EQ(hangs0 + 1, hangs);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_WEDGED, &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(-EIO, mdrm_exec(self->fd, hung, RCS, o, 2, 1, 0, NULL));
	/* the other process goes on after the hang */
	while (shared[1] < done_at_hang + 5 && !shared[2])
		usleep(10 * 1000);
	shared[0] = 1;
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_EQ(0, shared[2]) TH_LOG("the runner saw %d failures", shared[2]);
	TH_LOG("runner: %d requests, %d of them by the time of the hang",
	       shared[1], done_at_hang);
	EXPECT_LE(done_at_hang + 5, shared[1]);
	close(fence);
	mdrm_bo_free(self->fd, &bb);
	mdrm_bo_free(self->fd, &sem);
	munmap((void *)shared, 4096);
}

/* A store to an address nothing is bound at: a fault, recorded. */
TEST_F(gpu, fault_bans_its_context_with_the_address)
{
	struct mdrm_bo bb;
	struct mdrm_batch b;
	const __u64 hole = 0x5a5a5a5a000ULL;
	__u64 v;
	__u32 ctx, good;
	int fence = -1;

	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &ctx));
	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &good));
	bo_new(_metadata, self->fd, &bb, 4096, 0);
	b = batch_of(&bb);
	mdrm_store(&b, hole + 0x10, 1);
	mdrm_end(&b);
	struct drm_mvgpu_exec_object o[] = { { bb.handle, 0, VA_BATCH } };
	ASSERT_EQ(0, mdrm_exec(self->fd, ctx, BCS, o, 1, 0, 0, &fence));
	EXPECT_EQ(-EIO, mdrm_sync_file_wait(fence, WAIT_MS));
	close(fence);
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, ctx, DRM_MVGPU_CTX_PARAM_BANNED, &v));
	EXPECT_EQ(1, v);
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, ctx, DRM_MVGPU_CTX_PARAM_ERROR, &v));
	EXPECT_EQ(MVGPU_ERR_PPGTT_FAULT, v);
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, ctx, DRM_MVGPU_CTX_PARAM_ERROR_FAULT_ADDR, &v));
	EXPECT_EQ(hole + 0x10, v);
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, ctx, DRM_MVGPU_CTX_PARAM_ERROR_CMD_HEADER, &v));
	EXPECT_EQ(MVGPU_MI_STORE_DATA_IMM, v);
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, good, DRM_MVGPU_CTX_PARAM_BANNED, &v));
	EXPECT_EQ(0, v);
	/* the good context of the same file, same PPGTT, runs */
	b = batch_of(&bb);
	mdrm_end(&b);
	ASSERT_EQ(0, mdrm_exec(self->fd, good, BCS, o, 1, 0, 0, &fence));
	EXPECT_EQ(1, mdrm_sync_file_wait(fence, WAIT_MS));
	close(fence);
	mdrm_bo_free(self->fd, &bb);
}

/*
 * Batches the vGPU refuses put it in failsafe mode; HAS_FAILSAFE,
 * FAILSAFE_COUNT and FULL_RESETS show it, and work runs again after.
 */
TEST_F_TIMEOUT(gpu, failsafe_state_is_visible_and_the_vgpu_recovers, 120)
{
	__u64 has, fs0, fs, full0, full, v;
	struct mdrm_bo bb, dst;
	struct mdrm_batch b;
	__u32 ctx;
	int i, fence;

	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_HAS_FAILSAFE, &has));
	if (!has)
		SKIP(return, "the vGPU reports no failsafe mode");
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_FAILSAFE_COUNT, &fs0));
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_FULL_RESETS, &full0));
	bo_new(_metadata, self->fd, &bb, 4096, 0);
	b = batch_of(&bb);
	MDRM_EMIT(&b, 0x1f800000);	/* no such opcode */
	mdrm_end(&b);
	struct drm_mvgpu_exec_object o[] = { { bb.handle, 0, VA_BATCH } };
	for (i = 0; i < 16; i++) {
		ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &ctx));
		fence = -1;
		ASSERT_EQ(0, mdrm_exec(self->fd, ctx, i & 1 ? RCS : BCS, o, 1, 0,
				       0, &fence));
		EXPECT_EQ(-EIO, mdrm_sync_file_wait(fence, WAIT_MS));
		close(fence);
		ASSERT_EQ(0, mdrm_ctx_param(self->fd, ctx, DRM_MVGPU_CTX_PARAM_BANNED, &v));
		EXPECT_EQ(1, v);
		mdrm_ctx_destroy(self->fd, ctx);
	}
	/* the recovery: a store in a new context works */
	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &ctx));
	bo_new(_metadata, self->fd, &dst, 4096, 0);
	b = batch_of(&bb);
	mdrm_store(&b, VA_DST, 0x5afe);
	mdrm_end(&b);
	struct drm_mvgpu_exec_object od[] = {
		{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
	};
	EXPECT_EQ(0, run_wait(self->fd, ctx, RCS, &bb, VA_BATCH, od, 1));
	EXPECT_EQ(0x5afe, dst.map[0]);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_FAILSAFE_COUNT, &fs));
	EXPECT_EQ(fs0 + 1, fs);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_FULL_RESETS, &full));
	EXPECT_LE(full0 + 1, full);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_FAILSAFE, &v));
	EXPECT_EQ(0, v);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_WEDGED, &v));
	EXPECT_EQ(0, v);
	mdrm_bo_free(self->fd, &dst);
	mdrm_bo_free(self->fd, &bb);
}

/* ---- privilege ---------------------------------------------------------- */

/* Become an unprivileged user (nobody).  Returns 0 or -1 (errno). */
static int drop_to_nobody(void)
{
	if (getuid() != 0)
		return 0;
	return setgroups(0, NULL) || setgid(65534) || setuid(65534) ? -1 : 0;
}

/*
 * A LEGACY_32B context's batches reach the whole GGTT, the driver's own
 * context images and rings included: only CAP_SYS_ADMIN may have one,
 * or any user could point another context's PPGTT root at kernel pages
 * with one store.
 */
TEST_F(gpu, legacy_32b_contexts_need_cap_sys_admin)
{
	pid_t pid = fork();
	int st;

	ASSERT_LE(0, pid);
	if (!pid) {
		__u32 ctx;

		if (drop_to_nobody())
			_exit(10);
		if (mdrm_ctx_create(self->fd, DRM_MVGPU_CTX_CREATE_LEGACY_32B,
				    &ctx) != -EPERM)
			_exit(11);
		if (mdrm_ctx_create(self->fd, 0, &ctx))
			_exit(12);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st))
		TH_LOG("as nobody: status 0x%x (10 drop, 11 LEGACY_32B not EPERM, 12 LEGACY_64B)",
		       st);
}

/* ---- fuzz --------------------------------------------------------------- */

TEST_F_TIMEOUT(gpu, ioctl_fuzz_leaves_the_device_working, 300)
{
	const char *s = getenv("MDRM_FUZZ_SEED");
	const char *it = getenv("MDRM_FUZZ_ITERS");
	__u64 seed = s ? strtoull(s, NULL, 0) : (__u64)mdrm_now_ns();
	long iters = it ? atol(it) : 1500;
	struct mdrm_bo dst, bb;
	struct mdrm_batch b;
	pid_t pid[2];
	int i, st;
	__u32 ctx;
	__s64 t0 = mdrm_now_ns();

	TH_LOG("seed 0x%llx, %ld iterations in each of 2 processes, the second as nobody",
	       (unsigned long long)seed, iters);
	/*
	 * The first as the caller (root: LEGACY_32B contexts too), the
	 * second as any user may: it must be able to open the render node
	 * (suite.job.sh opens them to everyone, as udev does).
	 */
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (!pid[i])
			_exit(i && drop_to_nobody() ? 100 : fuzz_run(seed + i, iters));
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &st, 0));
		EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st))
			TH_LOG("fuzzer %d: status 0x%x (exit 1: could not run, 100: no nobody)",
			       i, st);
	}
	TH_LOG("fuzzed for %lld ms", (long long)(mdrm_now_ns() - t0) / 1000000);

	/* the device still works, on both engines */
	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &ctx));
	bo_new(_metadata, self->fd, &dst, 4096, 0);
	bo_new(_metadata, self->fd, &bb, 4096, 0);
	for (i = 0; i < 2; i++) {
		b = batch_of(&bb);
		mdrm_store(&b, VA_DST + 4 * i, 0xf022ed + i);
		mdrm_end(&b);
		struct drm_mvgpu_exec_object o[] = {
			{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
		};
		EXPECT_EQ(0, run_wait(self->fd, ctx, i ? BCS : RCS, &bb, VA_BATCH,
				      o, 1));
		EXPECT_EQ(0xf022ed + i, dst.map[i]);
	}
	mdrm_bo_free(self->fd, &bb);
	mdrm_bo_free(self->fd, &dst);
}

TEST_HARNESS_MAIN
