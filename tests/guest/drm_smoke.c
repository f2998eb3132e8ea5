// SPDX-License-Identifier: GPL-2.0-only
/*
 * In an L2 guest with mvgpu_drm loaded on its vGPU: the driver end to
 * end.  Parameters; objects mmapped; a fill on BCS and a store on RCS in
 * a LEGACY_64B context (through the file's PPGTT, which the vGPU
 * shadows), ordered by implicit sync and waited for; a LEGACY_32B
 * context storing through the GGTT; arguments the uAPI refuses; a bad
 * command banning only its context; a hang (the vGPU's watchdog) banning
 * its context while the innocent one the vGPU dropped runs again;
 * sixteen rejected batches putting the vGPU into failsafe mode, from
 * which the driver recovers with a full reset; syncobjs (binary and
 * timeline) and sync_files ordering requests; soft-pinned bindings that
 * move, refuse to, or wait for a closed one; an object shared with a
 * second file through a dma-buf; the device removed under an open file
 * and probed again; with the host's help, a reset by the host failing
 * the work in flight and the next work running.  TAP output (kselftest harness); run by
 * tests/e2e/guest_drm.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mdrm.h"

#define RCS		DRM_MVGPU_ENGINE_RCS
#define BCS		DRM_MVGPU_ENGINE_BCS
#define WAIT_MS		20000

/* PPGTT addresses the tests soft-pin their objects at */
#define VA_DST		0x10000000ULL
#define VA_BATCH	0x20000000ULL
#define VA_BATCH2	0x20100000ULL
#define VA_SEM		0x30000000ULL

static void bo_new(struct __test_metadata *_metadata, int fd, struct mdrm_bo *bo,
		   __u64 size, __u32 flags)
{
	ASSERT_EQ(0, mdrm_bo_new(fd, bo, size, flags));
}

static void bo_del(int fd, struct mdrm_bo *bo)
{
	mdrm_bo_free(fd, bo);
}

static struct mdrm_batch batch_of(struct mdrm_bo *bo)
{
	struct mdrm_batch b;

	mdrm_batch_init(&b, bo);
	return b;
}

FIXTURE(drm) {
	int fd;
};

FIXTURE_SETUP(drm)
{
	self->fd = mdrm_open();
	ASSERT_LE(0, self->fd) TH_LOG("no mvgpu render node: %d", self->fd);
}

FIXTURE_TEARDOWN(drm)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(drm, params_describe_the_vgpu)
{
	__u64 v, base, size;
	struct drm_mvgpu_getparam p = { .param = DRM_MVGPU_PARAM_UAPI_VERSION,
					.pad = 1 };

	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_UAPI_VERSION, &v));
	EXPECT_EQ(DRM_MVGPU_UAPI_VERSION, v);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_IS_VGPU, &v));
	EXPECT_EQ(1, v);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_PVINFO_VERSION, &v));
	EXPECT_EQ(1 << 16 | 1, v);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_HAS_FAILSAFE, &v));
	EXPECT_EQ(1, v);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_FAILSAFE, &v));
	EXPECT_EQ(0, v);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_ENGINES, &v));
	EXPECT_EQ(3, v);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_PPGTT_VA_BITS, &v));
	EXPECT_EQ(48, v);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_GM_MAPPABLE_BASE, &base));
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_GM_MAPPABLE_SIZE, &size));
	EXPECT_NE(0, size);
	EXPECT_LE(base + size, 1ULL << 30);
	TH_LOG("mappable 0x%llx + 0x%llx", (unsigned long long)base,
	       (unsigned long long)size);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_GM_HIDDEN_BASE, &base));
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_GM_HIDDEN_SIZE, &size));
	EXPECT_NE(0, size);
	EXPECT_LE(1ULL << 30, base);
	TH_LOG("hidden 0x%llx + 0x%llx", (unsigned long long)base,
	       (unsigned long long)size);
	EXPECT_EQ(-EINVAL, mdrm_getparam(self->fd, 0, &v));
	EXPECT_EQ(-EINVAL, mdrm_getparam(self->fd, 1000, &v));
	EXPECT_EQ(-EINVAL, mdrm_ioctl(self->fd, DRM_IOCTL_MVGPU_GETPARAM, &p));
}

/* The brief's smoke test: BCS fills, RCS stores, in one PPGTT context. */
TEST_F(drm, fill_on_bcs_then_store_on_rcs_in_a_ppgtt_context)
{
	struct mdrm_bo dst, b1, b2;
	struct mdrm_batch b;
	__u32 ctx, color = 0xff336699, busy;
	__u64 v;
	int fence = -1, err = -1, i;

	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &ctx));
	bo_new(_metadata, self->fd, &dst, 64 * 1024, 0);
	bo_new(_metadata, self->fd, &b1, 4096, 0);
	bo_new(_metadata, self->fd, &b2, 4096, 0);
	memset(dst.map, 0xcc, dst.size);

	/* BCS: 64 x 64 pixels at pitch 256: the first 16 KiB */
	b = batch_of(&b1);
	mdrm_fill(&b, VA_DST, 256, 0, 0, 64, 64, color);
	mdrm_end(&b);
	/* RCS: one store into the fill (after it), one beyond it */
	b = batch_of(&b2);
	mdrm_store(&b, VA_DST + 4, 0x12345678);
	mdrm_store(&b, VA_DST + 20000, 0xabcdef01);
	mdrm_end(&b);

	struct drm_mvgpu_exec_object o1[] = {
		{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
		{ b1.handle, 0, VA_BATCH },
	};
	struct drm_mvgpu_exec_object o2[] = {
		{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
		{ b2.handle, 0, VA_BATCH2 },
	};
	ASSERT_EQ(0, mdrm_exec(self->fd, ctx, BCS, o1, 2, 1, 0, NULL));
	ASSERT_EQ(0, mdrm_exec(self->fd, ctx, RCS, o2, 2, 1, 0, &fence));
	ASSERT_LE(0, fence);
	EXPECT_EQ(1, mdrm_sync_file_wait(fence, WAIT_MS));
	close(fence);
	ASSERT_EQ(0, mdrm_bo_wait(self->fd, dst.handle, WAIT_MS, &err));
	EXPECT_EQ(0, err);
	ASSERT_EQ(0, mdrm_bo_busy(self->fd, dst.handle, &busy));
	EXPECT_EQ(0, busy);

	EXPECT_EQ(color, dst.map[0]);
	EXPECT_EQ(0x12345678, dst.map[1]);	/* implicit sync: after the fill */
	for (i = 2; i < 64 * 64; i++)
		if (dst.map[i] != color)
			break;
	EXPECT_EQ(64 * 64, i) TH_LOG("pixel %d is 0x%08x", i, dst.map[i]);
	EXPECT_EQ(0xcccccccc, dst.map[64 * 64]);
	EXPECT_EQ(0xabcdef01, dst.map[20000 / 4]);
	EXPECT_EQ(0xcccccccc, dst.map[20000 / 4 + 1]);

	ASSERT_EQ(0, mdrm_ctx_param(self->fd, ctx, DRM_MVGPU_CTX_PARAM_BANNED, &v));
	EXPECT_EQ(0, v);
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, ctx, DRM_MVGPU_CTX_PARAM_GUILTY, &v));
	EXPECT_EQ(0, v);

	/* the same objects again, where they are bound: runs again */
	ASSERT_EQ(0, mdrm_exec(self->fd, ctx, RCS, o2, 2, 1, 0, NULL));
	ASSERT_EQ(0, mdrm_bo_wait(self->fd, dst.handle, WAIT_MS, &err));
	EXPECT_EQ(0, err);

	bo_del(self->fd, &b2);
	bo_del(self->fd, &b1);
	bo_del(self->fd, &dst);
	EXPECT_EQ(0, mdrm_ctx_destroy(self->fd, ctx));
}

TEST_F(drm, legacy_32b_context_stores_through_the_ggtt)
{
	struct mdrm_bo dst, bb;
	struct mdrm_batch b;
	__u32 ctx;
	__u64 v;
	int err = -1;

	ASSERT_EQ(0, mdrm_ctx_create(self->fd, DRM_MVGPU_CTX_CREATE_LEGACY_32B,
				     &ctx));
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, ctx, DRM_MVGPU_CTX_PARAM_LEGACY_32B, &v));
	EXPECT_EQ(1, v);
	bo_new(_metadata, self->fd, &dst, 4096, DRM_MVGPU_GEM_CREATE_MAPPABLE);
	bo_new(_metadata, self->fd, &bb, 4096, DRM_MVGPU_GEM_CREATE_GGTT);
	EXPECT_NE(0, dst.ggtt);
	EXPECT_NE(0, bb.ggtt);
	b = batch_of(&bb);
	mdrm_store(&b, dst.ggtt + 8, 0x32323232);
	mdrm_end(&b);

	struct drm_mvgpu_exec_object o[] = {
		{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, dst.ggtt },
		{ bb.handle, 0, bb.ggtt },
	};
	ASSERT_EQ(0, mdrm_exec(self->fd, ctx, RCS, o, 2, 1, 0, NULL));
	ASSERT_EQ(0, mdrm_bo_wait(self->fd, dst.handle, WAIT_MS, &err));
	EXPECT_EQ(0, err);
	EXPECT_EQ(0x32323232, dst.map[2]);

	/* a 32B context names objects by their GGTT address only */
	o[0].offset = VA_DST;
	EXPECT_EQ(-EINVAL, mdrm_exec(self->fd, ctx, RCS, o, 2, 1, 0, NULL));
	bo_del(self->fd, &bb);
	bo_del(self->fd, &dst);
}

TEST_F(drm, bad_arguments_fail_with_clear_errnos)
{
	struct drm_mvgpu_gem_create gc = { .size = 4096 };
	struct drm_mvgpu_ctx_destroy cd = { .ctx_id = 1 };
	struct drm_mvgpu_execbuf x;
	struct mdrm_bo a, bb;
	__u32 ctx, h;

	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &ctx));
	bo_new(_metadata, self->fd, &a, 8192, 0);
	bo_new(_metadata, self->fd, &bb, 4096, 0);
	mdrm_end(&(struct mdrm_batch){ .cs = bb.map, .max = 1024 });

	EXPECT_EQ(-EINVAL, mdrm_bo_create(self->fd, 0, 0, &h, NULL));
	EXPECT_EQ(-EINVAL, mdrm_bo_create(self->fd, 4096, 4, &h, NULL));
	EXPECT_EQ(-EINVAL, mdrm_bo_create(self->fd, 4096,
					  DRM_MVGPU_GEM_CREATE_GGTT |
					  DRM_MVGPU_GEM_CREATE_MAPPABLE, &h, NULL));
	EXPECT_EQ(-EINVAL, mdrm_bo_create(self->fd, 1ULL << 40, 0, &h, NULL));
	gc.flags = 1U << 31;
	EXPECT_EQ(-EINVAL, mdrm_ioctl(self->fd, DRM_IOCTL_MVGPU_GEM_CREATE, &gc));
	EXPECT_EQ(-EINVAL, mdrm_ctx_create(self->fd, 2, &h));
	EXPECT_EQ(-ENOENT, mdrm_ctx_destroy(self->fd, 999));
	cd.pad = 1;
	EXPECT_EQ(-EINVAL, mdrm_ioctl(self->fd, DRM_IOCTL_MVGPU_CTX_DESTROY, &cd));
	EXPECT_EQ(-ENOENT, mdrm_bo_wait(self->fd, 12345, 0, NULL));

	struct drm_mvgpu_exec_object o[] = {
		{ a.handle, 0, VA_DST },
		{ bb.handle, 0, VA_BATCH },
	};
	EXPECT_EQ(-ENOENT, mdrm_exec(self->fd, 999, RCS, o, 2, 1, 0, NULL));
	EXPECT_EQ(-EINVAL, mdrm_exec(self->fd, ctx, 2, o, 2, 1, 0, NULL));
	EXPECT_EQ(-EINVAL, mdrm_exec(self->fd, ctx, RCS, o, 2, 2, 0, NULL));
	EXPECT_EQ(-EINVAL, mdrm_exec(self->fd, ctx, RCS, o, 2, 1, 2, NULL));
	EXPECT_EQ(-EINVAL, mdrm_exec(self->fd, ctx, RCS, o, 2, 1, 4096, NULL));
	EXPECT_EQ(-EINVAL, mdrm_exec(self->fd, ctx, RCS, o, 0, 0, 0, NULL));
	o[0].handle = 4242;
	EXPECT_EQ(-ENOENT, mdrm_exec(self->fd, ctx, RCS, o, 2, 1, 0, NULL));
	o[0].handle = bb.handle;
	EXPECT_EQ(-EINVAL, mdrm_exec(self->fd, ctx, RCS, o, 2, 1, 0, NULL));
	o[0].handle = a.handle;
	o[0].flags = 2;
	EXPECT_EQ(-EINVAL, mdrm_exec(self->fd, ctx, RCS, o, 2, 1, 0, NULL));
	o[0].flags = 0;
	o[0].offset = VA_DST + 100;
	EXPECT_EQ(-EINVAL, mdrm_exec(self->fd, ctx, RCS, o, 2, 1, 0, NULL));
	o[0].offset = (1ULL << 48) - 4096;
	EXPECT_EQ(-EINVAL, mdrm_exec(self->fd, ctx, RCS, o, 2, 1, 0, NULL));
	o[0].offset = VA_BATCH - 4096;	/* overlaps the batch */
	EXPECT_EQ(-EADDRINUSE, mdrm_exec(self->fd, ctx, RCS, o, 2, 1, 0, NULL));
	o[0].offset = VA_DST;
	EXPECT_EQ(-EFAULT, mdrm_exec(self->fd, ctx, RCS, (void *)8, 2, 1, 0, NULL));

	memset(&x, 0, sizeof(x));
	x.objects = (__u64)(uintptr_t)o;
	x.object_count = 2;
	x.batch_index = 1;
	x.ctx_id = ctx;
	x.in_fence_fd = 3;
	EXPECT_EQ(-EINVAL, mdrm_ioctl(self->fd, DRM_IOCTL_MVGPU_EXECBUF, &x));
	x.in_fence_fd = 0;
	x.flags = 1U << 7;
	EXPECT_EQ(-EINVAL, mdrm_ioctl(self->fd, DRM_IOCTL_MVGPU_EXECBUF, &x));
	x.flags = DRM_MVGPU_EXEC_FENCE_IN;
	x.in_fence_fd = self->fd;	/* not a sync_file */
	EXPECT_EQ(-EINVAL, mdrm_ioctl(self->fd, DRM_IOCTL_MVGPU_EXECBUF, &x));
	x.flags = 0;
	x.in_fence_fd = 0;
	x.sync_count = 1;
	x.syncs = (__u64)(uintptr_t)&(struct drm_mvgpu_exec_sync){
		.handle = 77, .flags = DRM_MVGPU_EXEC_SYNC_SIGNAL };
	EXPECT_EQ(-ENOENT, mdrm_ioctl(self->fd, DRM_IOCTL_MVGPU_EXECBUF, &x));
	x.syncs = (__u64)(uintptr_t)&(struct drm_mvgpu_exec_sync){
		.handle = 77, .flags = 3 };
	EXPECT_EQ(-EINVAL, mdrm_ioctl(self->fd, DRM_IOCTL_MVGPU_EXECBUF, &x));
	x.sync_count = 0;
	x.syncs = 0;

	/* after all that, a good one runs */
	EXPECT_EQ(0, mdrm_ioctl(self->fd, DRM_IOCTL_MVGPU_EXECBUF, &x));
	EXPECT_EQ(-1, x.out_fence_fd);
	EXPECT_EQ(0, mdrm_bo_wait(self->fd, bb.handle, WAIT_MS, NULL));
	bo_del(self->fd, &bb);
	bo_del(self->fd, &a);
}

/* A batch of @dw (then MI_BATCH_BUFFER_END) run in @ctx on @engine. */
static int run_dword(struct __test_metadata *_metadata, int fd, __u32 ctx,
		     __u32 engine, __u32 dw, int *fence)
{
	struct mdrm_bo bb;
	struct mdrm_batch b;
	int ret;

	bo_new(_metadata, fd, &bb, 4096, 0);
	b = batch_of(&bb);
	MDRM_EMIT(&b, dw);
	mdrm_end(&b);
	struct drm_mvgpu_exec_object o[] = { { bb.handle, 0, VA_BATCH } };
	ret = mdrm_exec(fd, ctx, engine, o, 1, 0, 0, fence);
	bo_del(fd, &bb);
	return ret;
}

/* One store in a new context: waits for it, returns what landed. */
static __u32 store_in_new_ctx(struct __test_metadata *_metadata, int fd,
			      __u32 engine, __u32 val)
{
	struct mdrm_bo dst, bb;
	struct mdrm_batch b;
	__u32 ctx, got = 0;
	int err = -1;

	if (mdrm_ctx_create(fd, 0, &ctx))
		return 0;
	bo_new(_metadata, fd, &dst, 4096, 0);
	bo_new(_metadata, fd, &bb, 4096, 0);
	b = batch_of(&bb);
	mdrm_store(&b, VA_DST, val);
	mdrm_end(&b);
	struct drm_mvgpu_exec_object o[] = {
		{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
		{ bb.handle, 0, VA_BATCH },
	};
	if (!mdrm_exec(fd, ctx, engine, o, 2, 1, 0, NULL) &&
	    !mdrm_bo_wait(fd, dst.handle, WAIT_MS, &err) && !err)
		got = dst.map[0];
	bo_del(fd, &bb);
	bo_del(fd, &dst);
	mdrm_ctx_destroy(fd, ctx);
	return got;
}

TEST_F(drm, bad_command_bans_only_its_context)
{
	__u32 bad, v32;
	__u64 v, errs0, errs;
	int fence = -1;

	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_CONTEXT_ERRORS, &errs0));
	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &bad));
	/* an opcode that does not exist: the vGPU refuses the batch */
	ASSERT_EQ(0, run_dword(_metadata, self->fd, bad, BCS, 0x1f800000, &fence));
	EXPECT_EQ(-EIO, mdrm_sync_file_wait(fence, WAIT_MS));
	close(fence);
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, bad, DRM_MVGPU_CTX_PARAM_BANNED, &v));
	EXPECT_EQ(1, v);
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, bad, DRM_MVGPU_CTX_PARAM_GUILTY, &v));
	EXPECT_EQ(1, v);
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, bad, DRM_MVGPU_CTX_PARAM_ERROR, &v));
	EXPECT_EQ(MVGPU_ERR_INVALID_CMD, v);
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, bad, DRM_MVGPU_CTX_PARAM_ERROR_ENGINE, &v));
	EXPECT_EQ(BCS, v);
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, bad, DRM_MVGPU_CTX_PARAM_ERROR_CMD_HEADER, &v));
	EXPECT_EQ(0x1f800000, v);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_CONTEXT_ERRORS, &errs));
	EXPECT_EQ(errs0 + 1, errs);
	/* a banned context takes nothing more */
	EXPECT_EQ(-EIO, run_dword(_metadata, self->fd, bad, BCS, MVGPU_MI_NOOP, NULL));
	/* others run */
	v32 = store_in_new_ctx(_metadata, self->fd, BCS, 0x600d0001);
	EXPECT_EQ(0x600d0001, v32);
	v32 = store_in_new_ctx(_metadata, self->fd, RCS, 0x600d0002);
	EXPECT_EQ(0x600d0002, v32);
}

/*
 * A context whose batch waits on a semaphore nothing satisfies hangs; the
 * vGPU's watchdog stops it (HANG) and drops what was queued behind it,
 * here the other element of the same submission, an innocent store that
 * the driver runs again.  A first context, held on a semaphore the CPU
 * releases, lets both be queued before they are submitted together.
 */
TEST_F_TIMEOUT(drm, hang_bans_its_context_and_the_innocent_runs_again, 120)
{
	struct mdrm_bo sem, dst, b0, b1, b2;
	struct mdrm_batch b;
	__u32 gate, hung, good;
	int f_hung = -1, f_good = -1, err = -1;
	__u64 v;

	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &gate));
	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &hung));
	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &good));
	bo_new(_metadata, self->fd, &sem, 4096, 0);
	bo_new(_metadata, self->fd, &dst, 4096, 0);
	bo_new(_metadata, self->fd, &b0, 4096, 0);
	bo_new(_metadata, self->fd, &b1, 4096, 0);
	bo_new(_metadata, self->fd, &b2, 4096, 0);
	/* gate: wait until sem[0] == 1 */
	b = batch_of(&b0);
	MDRM_EMIT(&b, MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_SEMAPHORE_POLL |
		  MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 1, MDRM_LO(VA_SEM),
		  MDRM_HI(VA_SEM));
	mdrm_end(&b);
	/* hung: wait until sem[1] == 1, never */
	b = batch_of(&b1);
	MDRM_EMIT(&b, MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_SEMAPHORE_POLL |
		  MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 1, MDRM_LO(VA_SEM + 4),
		  MDRM_HI(VA_SEM + 4));
	mdrm_end(&b);
	b = batch_of(&b2);
	mdrm_store(&b, VA_DST, 0x1770cede);
	mdrm_end(&b);

	struct drm_mvgpu_exec_object o0[] = {
		{ sem.handle, 0, VA_SEM }, { b0.handle, 0, VA_BATCH },
	};
	struct drm_mvgpu_exec_object o1[] = {
		{ sem.handle, 0, VA_SEM }, { b1.handle, 0, VA_BATCH2 },
	};
	struct drm_mvgpu_exec_object o2[] = {
		{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
		{ b2.handle, 0, VA_BATCH + 0x200000 },
	};
	ASSERT_EQ(0, mdrm_exec(self->fd, gate, RCS, o0, 2, 1, 0, NULL));
	usleep(100 * 1000);	/* the gate is on the engine */
	ASSERT_EQ(0, mdrm_exec(self->fd, hung, RCS, o1, 2, 1, 0, &f_hung));
	ASSERT_EQ(0, mdrm_exec(self->fd, good, RCS, o2, 2, 1, 0, &f_good));
	EXPECT_EQ(0, mdrm_sync_file_wait(f_good, 0));
	sem.map[0] = 1;		/* the gate opens: hung and good go as a pair */

	EXPECT_EQ(-EIO, mdrm_sync_file_wait(f_hung, WAIT_MS));
	EXPECT_EQ(1, mdrm_sync_file_wait(f_good, WAIT_MS));
	ASSERT_EQ(0, mdrm_bo_wait(self->fd, dst.handle, WAIT_MS, &err));
	EXPECT_EQ(0, err);
	EXPECT_EQ(0x1770cede, dst.map[0]);
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, hung, DRM_MVGPU_CTX_PARAM_ERROR, &v));
	EXPECT_EQ(MVGPU_ERR_HANG, v);
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, hung, DRM_MVGPU_CTX_PARAM_BANNED, &v));
	EXPECT_EQ(1, v);
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, good, DRM_MVGPU_CTX_PARAM_BANNED, &v));
	EXPECT_EQ(0, v);
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, good, DRM_MVGPU_CTX_PARAM_INNOCENT, &v));
	TH_LOG("the innocent context ran %llu request(s) again",
	       (unsigned long long)v);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_HANGS, &v));
	EXPECT_LE(1, v);
	close(f_hung);
	close(f_good);
	bo_del(self->fd, &b2);
	bo_del(self->fd, &b1);
	bo_del(self->fd, &b0);
	bo_del(self->fd, &dst);
	bo_del(self->fd, &sem);
}

/*
 * Sixteen batches the vGPU refuses put it in failsafe mode; the driver
 * sees it in the PV info page and resets the vGPU, and work runs again.
 */
TEST_F_TIMEOUT(drm, rejected_batches_put_the_vgpu_in_failsafe_and_it_recovers, 120)
{
	__u64 fs0, fs, full0, full;
	__u32 ctx, v32;
	int i, fence;

	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_FAILSAFE_COUNT, &fs0));
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_FULL_RESETS, &full0));
	for (i = 0; i < 16; i++) {
		ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &ctx));
		fence = -1;
		ASSERT_EQ(0, run_dword(_metadata, self->fd, ctx, BCS, 0x1f800000,
				       &fence));
		EXPECT_EQ(-EIO, mdrm_sync_file_wait(fence, WAIT_MS));
		close(fence);
		mdrm_ctx_destroy(self->fd, ctx);
	}
	/* the driver resets the vGPU; a store shows it works again */
	v32 = store_in_new_ctx(_metadata, self->fd, RCS, 0x5afe0001);
	EXPECT_EQ(0x5afe0001, v32);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_FAILSAFE_COUNT, &fs));
	EXPECT_EQ(fs0 + 1, fs);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_FULL_RESETS, &full));
	EXPECT_EQ(full0 + 1, full);
	ASSERT_EQ(0, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_FAILSAFE, &fs));
	EXPECT_EQ(0, fs);
	v32 = store_in_new_ctx(_metadata, self->fd, BCS, 0x5afe0002);
	EXPECT_EQ(0x5afe0002, v32);
}

/* A batch in @bb that waits until the dword at @va equals 1. */
static void gate_batch(struct mdrm_bo *bb, __u64 va)
{
	struct mdrm_batch b = batch_of(bb);

	mdrm_semaphore_wait(&b, va, MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 1);
	mdrm_end(&b);
}

/*
 * Only fences order these: a request held on a semaphore the CPU opens
 * signals a binary syncobj, a timeline point and a sync_file; requests of
 * other contexts on the other engine wait for each, without implicit
 * sync, and run once it is done.
 */
TEST_F(drm, syncobjs_and_sync_files_order_requests_across_contexts)
{
	struct mdrm_bo sem, dst, gate, st[3];
	__u32 c0, c[3], bin, tl, busy;
	int fence = -1, i, err = -1;
	struct mdrm_batch b;

	ASSERT_EQ(0, mdrm_syncobj_create(self->fd, 0, &bin));
	ASSERT_EQ(0, mdrm_syncobj_create(self->fd, 0, &tl));
	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &c0));
	bo_new(_metadata, self->fd, &sem, 4096, 0);
	bo_new(_metadata, self->fd, &dst, 4096, 0);
	bo_new(_metadata, self->fd, &gate, 4096, 0);
	gate_batch(&gate, VA_SEM);

	struct drm_mvgpu_exec_object og[] = {
		{ sem.handle, 0, VA_SEM }, { gate.handle, 0, VA_BATCH },
	};
	struct drm_mvgpu_exec_sync sig[] = {
		{ bin, DRM_MVGPU_EXEC_SYNC_SIGNAL, 0 },
		{ tl, DRM_MVGPU_EXEC_SYNC_SIGNAL, 5 },
	};
	struct drm_mvgpu_execbuf x = {
		.objects = (__u64)(uintptr_t)og, .object_count = 2,
		.batch_index = 1, .ctx_id = c0, .engine = BCS,
		.flags = DRM_MVGPU_EXEC_FENCE_OUT,
		.syncs = (__u64)(uintptr_t)sig, .sync_count = 2,
	};
	ASSERT_EQ(0, mdrm_ioctl(self->fd, DRM_IOCTL_MVGPU_EXECBUF, &x));
	fence = x.out_fence_fd;
	ASSERT_LE(0, fence);

	for (i = 0; i < 3; i++) {
		struct drm_mvgpu_exec_sync w[] = {
			{ bin, DRM_MVGPU_EXEC_SYNC_WAIT, 0 },
			{ tl, DRM_MVGPU_EXEC_SYNC_WAIT, 5 },
		};
		struct drm_mvgpu_exec_object o[] = {
			{ dst.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
			{ 0, 0, VA_BATCH2 + i * 0x100000ULL },
		};

		ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &c[i]));
		bo_new(_metadata, self->fd, &st[i], 4096, 0);
		b = batch_of(&st[i]);
		mdrm_store(&b, VA_DST + 4 * i, 0x5e0 + i);
		mdrm_end(&b);
		o[1].handle = st[i].handle;
		memset(&x, 0, sizeof(x));
		x.objects = (__u64)(uintptr_t)o;
		x.object_count = 2;
		x.batch_index = 1;
		x.ctx_id = c[i];
		x.engine = RCS;
		x.flags = DRM_MVGPU_EXEC_NO_IMPLICIT_SYNC;
		if (i < 2) {		/* the binary syncobj, the timeline point */
			x.syncs = (__u64)(uintptr_t)&w[i];
			x.sync_count = 1;
		} else {		/* the sync_file */
			x.flags |= DRM_MVGPU_EXEC_FENCE_IN;
			x.in_fence_fd = fence;
		}
		ASSERT_EQ(0, mdrm_ioctl(self->fd, DRM_IOCTL_MVGPU_EXECBUF, &x));
	}
	usleep(300 * 1000);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, dst.map[i]) TH_LOG("store %d ran before its fence", i);
	ASSERT_EQ(0, mdrm_bo_busy(self->fd, dst.handle, &busy));
	EXPECT_EQ(1U << RCS, busy);
	EXPECT_EQ(-ETIME, mdrm_bo_wait(self->fd, dst.handle, 0, NULL));

	sem.map[0] = 1;
	EXPECT_EQ(1, mdrm_sync_file_wait(fence, WAIT_MS));
	ASSERT_EQ(0, mdrm_bo_wait(self->fd, dst.handle, WAIT_MS, &err));
	EXPECT_EQ(0, err);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0x5e0 + i, dst.map[i]);
	close(fence);
	for (i = 0; i < 3; i++)
		bo_del(self->fd, &st[i]);
	bo_del(self->fd, &gate);
	bo_del(self->fd, &dst);
	bo_del(self->fd, &sem);
}

static void *open_gate_later(void *arg)
{
	usleep(500 * 1000);
	((volatile __u32 *)arg)[0] = 1;
	return NULL;
}

/*
 * Soft-pinned bindings: one in use does not move (EBUSY); one whose
 * handle was closed while in use is waited for by a binding it
 * overlaps; an idle one moves.
 */
TEST_F(drm, bindings_move_only_when_idle_and_closed_ones_are_waited_for)
{
	struct mdrm_bo sem, x, y, gate, st;
	struct mdrm_batch b;
	pthread_t thread;
	__u32 ctx;
	int err = -1;

	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &ctx));
	bo_new(_metadata, self->fd, &sem, 4096, 0);
	bo_new(_metadata, self->fd, &x, 8192, 0);
	bo_new(_metadata, self->fd, &y, 4096, 0);
	bo_new(_metadata, self->fd, &gate, 4096, 0);
	bo_new(_metadata, self->fd, &st, 4096, 0);
	gate_batch(&gate, VA_SEM);

	/* x in use at VA_DST, held by the gate */
	struct drm_mvgpu_exec_object og[] = {
		{ sem.handle, 0, VA_SEM }, { x.handle, 0, VA_DST },
		{ gate.handle, 0, VA_BATCH },
	};
	ASSERT_EQ(0, mdrm_exec(self->fd, ctx, BCS, og, 3, 2, 0, NULL));
	og[1].offset = VA_DST + 0x100000;
	EXPECT_EQ(-EBUSY, mdrm_exec(self->fd, ctx, BCS, og, 3, 2, 0, NULL));

	/* x closed while in use; y at an overlapping address waits for it */
	munmap(x.map, x.size);
	x.map = NULL;
	ASSERT_EQ(0, mdrm_bo_close(self->fd, x.handle));
	b = batch_of(&st);
	mdrm_store(&b, VA_DST + 4096, 0xc105ed);
	mdrm_end(&b);
	struct drm_mvgpu_exec_object oy[] = {
		{ y.handle, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST + 4096 },
		{ st.handle, 0, VA_BATCH2 },
	};
	ASSERT_EQ(0, pthread_create(&thread, NULL, open_gate_later, sem.map));
	EXPECT_EQ(0, mdrm_exec(self->fd, ctx, RCS, oy, 2, 1, 0, NULL));
	pthread_join(thread, NULL);
	ASSERT_EQ(0, mdrm_bo_wait(self->fd, y.handle, WAIT_MS, &err));
	EXPECT_EQ(0, err);
	EXPECT_EQ(0xc105ed, y.map[0]);

	/* y, idle, moves; the store follows it */
	b = batch_of(&st);
	mdrm_store(&b, VA_DST + 0x200000, 0x30fed);
	mdrm_end(&b);
	oy[0].offset = VA_DST + 0x200000;
	EXPECT_EQ(0, mdrm_exec(self->fd, ctx, RCS, oy, 2, 1, 0, NULL));
	ASSERT_EQ(0, mdrm_bo_wait(self->fd, y.handle, WAIT_MS, &err));
	EXPECT_EQ(0, err);
	EXPECT_EQ(0x30fed, y.map[0]);
	bo_del(self->fd, &st);
	bo_del(self->fd, &gate);
	bo_del(self->fd, &y);
	bo_del(self->fd, &sem);
}

/* An object shared through a dma-buf with a second open file. */
TEST_F(drm, an_object_shared_through_prime_is_written_by_the_other_file)
{
	struct drm_prime_handle ph = { .flags = DRM_CLOEXEC };
	struct mdrm_bo dst, bb;
	struct mdrm_batch b;
	__u32 ctx, h2;
	int fd2, err = -1;

	bo_new(_metadata, self->fd, &dst, 4096, 0);
	ph.handle = dst.handle;
	ASSERT_EQ(0, mdrm_ioctl(self->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph));
	fd2 = mdrm_open();
	ASSERT_LE(0, fd2);
	ph.handle = 0;
	ASSERT_EQ(0, mdrm_ioctl(fd2, DRM_IOCTL_PRIME_FD_TO_HANDLE, &ph));
	h2 = ph.handle;
	close(ph.fd);
	ASSERT_EQ(0, mdrm_ctx_create(fd2, 0, &ctx));
	bo_new(_metadata, fd2, &bb, 4096, 0);
	b = batch_of(&bb);
	mdrm_store(&b, VA_DST + 12, 0x5ba4ed);
	mdrm_end(&b);
	struct drm_mvgpu_exec_object o[] = {
		{ h2, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
		{ bb.handle, 0, VA_BATCH },
	};
	ASSERT_EQ(0, mdrm_exec(fd2, ctx, RCS, o, 2, 1, 0, NULL));
	/* the first file waits on the object the second wrote */
	ASSERT_EQ(0, mdrm_bo_wait(self->fd, dst.handle, WAIT_MS, &err));
	EXPECT_EQ(0, err);
	EXPECT_EQ(0x5ba4ed, dst.map[3]);
	bo_del(fd2, &bb);
	close(fd2);
	bo_del(self->fd, &dst);
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret;

	if (fd < 0)
		return -errno;
	ret = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -errno;
	close(fd);
	return ret;
}

/*
 * The PCI device goes away under an open file with work in flight: the
 * work fails, the file's ioctls say ENODEV, closing it is clean; after a
 * rescan the driver probes the device again and it works.
 */
TEST_F_TIMEOUT(drm, device_removed_under_an_open_file_comes_back_on_rescan, 120)
{
	char link[64], dev[PATH_MAX], path[PATH_MAX + 16];
	struct mdrm_bo sem, gate;
	struct stat st;
	__u32 ctx, v32;
	__u64 v;
	int fence = -1, i;

	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &ctx));
	bo_new(_metadata, self->fd, &sem, 4096, 0);
	bo_new(_metadata, self->fd, &gate, 4096, DRM_MVGPU_GEM_CREATE_GGTT);
	gate_batch(&gate, VA_SEM);
	struct drm_mvgpu_exec_object o[] = {
		{ sem.handle, 0, VA_SEM }, { gate.handle, 0, VA_BATCH },
	};
	ASSERT_EQ(0, mdrm_exec(self->fd, ctx, RCS, o, 2, 1, 0, &fence));

	ASSERT_EQ(0, fstat(self->fd, &st));
	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	ASSERT_NE(NULL, realpath(link, dev));
	snprintf(path, sizeof(path), "%s/remove", dev);
	TH_LOG("removing %s", dev);
	ASSERT_EQ(0, write_file(path, "1"));

	EXPECT_EQ(-EIO, mdrm_sync_file_wait(fence, WAIT_MS));
	EXPECT_EQ(-ENODEV, mdrm_getparam(self->fd, DRM_MVGPU_PARAM_UAPI_VERSION, &v));
	close(fence);
	bo_del(self->fd, &gate);
	bo_del(self->fd, &sem);
	close(self->fd);
	self->fd = -1;

	ASSERT_EQ(0, write_file("/sys/bus/pci/rescan", "1"));
	for (i = 0; i < 100 && self->fd < 0; i++) {
		self->fd = mdrm_open();
		if (self->fd < 0)
			usleep(100 * 1000);
	}
	ASSERT_LE(0, self->fd);
	v32 = store_in_new_ctx(_metadata, self->fd, RCS, 0x4e5ca2);
	EXPECT_EQ(0x4e5ca2, v32);
}

/*
 * Only with MVGPU_HOST_RESET=1 (tests/e2e/guest_host_reset.sh): the host
 * resets the vGPU (sysfs reset) once this prints "MVGPU_HOST_RESET
 * ready".  The work in flight fails with -EIO, its context banned with
 * MVGPU_ERR_RESET; the next work, on both engines, runs; no reboot.
 */
TEST_F_TIMEOUT(drm, host_reset_fails_work_in_flight_and_the_next_runs, 120)
{
	struct mdrm_bo sem, bb;
	struct mdrm_batch b;
	__u32 ctx;
	int f = -1;
	__u64 v;

	if (!getenv("MVGPU_HOST_RESET"))
		SKIP(return, "needs the host to reset the vGPU (MVGPU_HOST_RESET=1)");
	ASSERT_EQ(0, mdrm_ctx_create(self->fd, 0, &ctx));
	bo_new(_metadata, self->fd, &sem, 4096, 0);
	bo_new(_metadata, self->fd, &bb, 4096, 0);
	b = batch_of(&bb);
	MDRM_EMIT(&b, MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_SEMAPHORE_POLL |
		  MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 1, MDRM_LO(VA_SEM),
		  MDRM_HI(VA_SEM));
	mdrm_end(&b);
	struct drm_mvgpu_exec_object o[] = {
		{ sem.handle, 0, VA_SEM }, { bb.handle, 0, VA_BATCH2 },
	};
	ASSERT_EQ(0, mdrm_exec(self->fd, ctx, RCS, o, 2, 1, 0, &f));
	usleep(200 * 1000);
	ASSERT_EQ(0, mdrm_sync_file_wait(f, 0)) TH_LOG("the wait ended by itself");
	printf("MVGPU_HOST_RESET ready\n");
	fflush(stdout);

	EXPECT_EQ(-EIO, mdrm_sync_file_wait(f, 60000));
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, ctx, DRM_MVGPU_CTX_PARAM_ERROR, &v));
	EXPECT_EQ(MVGPU_ERR_RESET, v);
	ASSERT_EQ(0, mdrm_ctx_param(self->fd, ctx, DRM_MVGPU_CTX_PARAM_BANNED, &v));
	EXPECT_EQ(1, v);
	EXPECT_EQ(0x4e5e0001, store_in_new_ctx(_metadata, self->fd, RCS, 0x4e5e0001));
	EXPECT_EQ(0x4e5e0002, store_in_new_ctx(_metadata, self->fd, BCS, 0x4e5e0002));
	close(f);
	bo_del(self->fd, &bb);
	bo_del(self->fd, &sem);
}

TEST_HARNESS_MAIN
