// SPDX-License-Identifier: GPL-2.0-only
/*
 * libmdrm: see mdrm.h.  Userspace; no state of its own.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>

#include "mdrm.h"

/* ioctl() that says -errno, retried on EINTR/EAGAIN as libdrm does. */
int mdrm_ioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret ? -errno : 0;
}

/* Is this DRM fd driven by mvgpu_drm? */
int mdrm_is_mvgpu(int fd)
{
	char name[32] = "";
	struct drm_version v = {
		.name_len = sizeof(name) - 1, .name = name,
	};

	return !mdrm_ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(name, "mvgpu");
}

/*
 * The first mvgpu render node, opened; -errno if there is none: -ENODEV,
 * or why one could not be opened (-EACCES: not for this user).
 */
int mdrm_open(void)
{
	DIR *d = opendir("/dev/dri");
	struct dirent *de;
	char path[300];
	int fd = -ENODEV, err = -ENODEV;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "renderD", 7))
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%s", de->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			err = -errno;	/* e.g. EACCES: not for this user */
		if (fd >= 0 && mdrm_is_mvgpu(fd))
			break;
		if (fd >= 0)
			close(fd);
		fd = err;
	}
	closedir(d);
	return fd;
}

int mdrm_getparam(int fd, __u32 param, __u64 *value)
{
	struct drm_mvgpu_getparam p = { .param = param };
	int ret = mdrm_ioctl(fd, DRM_IOCTL_MVGPU_GETPARAM, &p);

	if (!ret)
		*value = p.value;
	return ret;
}

__s64 mdrm_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__s64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A GEM object; @ggtt (may be NULL) gets its GGTT address if bound. */
int mdrm_bo_create(int fd, __u64 size, __u32 flags, __u32 *handle,
		   __u64 *ggtt)
{
	struct drm_mvgpu_gem_create c = { .size = size, .flags = flags };
	int ret = mdrm_ioctl(fd, DRM_IOCTL_MVGPU_GEM_CREATE, &c);

	if (!ret) {
		*handle = c.handle;
		if (ggtt)
			*ggtt = c.ggtt_addr;
	}
	return ret;
}

int mdrm_bo_close(int fd, __u32 handle)
{
	struct drm_gem_close c = { .handle = handle };

	return mdrm_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

/* The object mapped read-write, or NULL. */
void *mdrm_bo_map(int fd, __u32 handle, __u64 size)
{
	struct drm_mvgpu_gem_mmap_offset o = { .handle = handle };
	void *p;

	if (mdrm_ioctl(fd, DRM_IOCTL_MVGPU_GEM_MMAP_OFFSET, &o))
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, o.offset);
	return p == MAP_FAILED ? NULL : p;
}

/*
 * Wait up to @ms for the GPU to be done with an object.  Returns 0,
 * -ETIME or another -errno; *@err (may be NULL) gets the error of the
 * work waited on.
 */
int mdrm_bo_wait(int fd, __u32 handle, int ms, int *err)
{
	struct drm_mvgpu_gem_wait w = {
		.handle = handle, .timeout_ns = mdrm_now_ns() + ms * 1000000LL,
	};
	int ret = mdrm_ioctl(fd, DRM_IOCTL_MVGPU_GEM_WAIT, &w);

	if (err)
		*err = w.error;
	return ret;
}

int mdrm_bo_busy(int fd, __u32 handle, __u32 *busy)
{
	struct drm_mvgpu_gem_busy b = { .handle = handle };
	int ret = mdrm_ioctl(fd, DRM_IOCTL_MVGPU_GEM_BUSY, &b);

	if (!ret)
		*busy = b.busy;
	return ret;
}

/* Create and map an object; on failure nothing is left behind. */
int mdrm_bo_new(int fd, struct mdrm_bo *bo, __u64 size, __u32 flags)
{
	int ret;

	memset(bo, 0, sizeof(*bo));
	bo->size = size;
	ret = mdrm_bo_create(fd, size, flags, &bo->handle, &bo->ggtt);
	if (ret)
		return ret;
	bo->map = mdrm_bo_map(fd, bo->handle, size);
	if (!bo->map) {
		ret = errno ? -errno : -ENOMEM;
		mdrm_bo_close(fd, bo->handle);
		bo->handle = 0;
	}
	return ret;
}

void mdrm_bo_free(int fd, struct mdrm_bo *bo)
{
	if (bo->map)
		munmap(bo->map, bo->size);
	if (bo->handle)
		mdrm_bo_close(fd, bo->handle);
	memset(bo, 0, sizeof(*bo));
}

int mdrm_ctx_create(int fd, __u32 flags, __u32 *id)
{
	struct drm_mvgpu_ctx_create c = { .flags = flags };
	int ret = mdrm_ioctl(fd, DRM_IOCTL_MVGPU_CTX_CREATE, &c);

	if (!ret)
		*id = c.ctx_id;
	return ret;
}

int mdrm_ctx_destroy(int fd, __u32 id)
{
	struct drm_mvgpu_ctx_destroy d = { .ctx_id = id };

	return mdrm_ioctl(fd, DRM_IOCTL_MVGPU_CTX_DESTROY, &d);
}

int mdrm_ctx_param(int fd, __u32 id, __u32 param, __u64 *value)
{
	struct drm_mvgpu_ctx_getparam p = { .ctx_id = id, .param = param };
	int ret = mdrm_ioctl(fd, DRM_IOCTL_MVGPU_CTX_GETPARAM, &p);

	if (!ret)
		*value = p.value;
	return ret;
}

/*
 * Wait up to @ms for a sync_file.  Returns 1 if it signalled without
 * error, 0 if not signalled yet, or the fence's negative error.
 */
int mdrm_sync_file_wait(int sync_fd, int ms)
{
	struct pollfd p = { .fd = sync_fd, .events = POLLIN };
	struct sync_file_info info = { 0 };

	if (poll(&p, 1, ms) != 1)
		return 0;
	if (ioctl(sync_fd, SYNC_IOC_FILE_INFO, &info))
		return -errno;
	return info.status;
}

int mdrm_syncobj_create(int fd, __u32 flags, __u32 *handle)
{
	struct drm_syncobj_create c = { .flags = flags };
	int ret = mdrm_ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &c);

	if (!ret)
		*handle = c.handle;
	return ret;
}

int mdrm_syncobj_destroy(int fd, __u32 handle)
{
	struct drm_syncobj_destroy d = { .handle = handle };

	return mdrm_ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d);
}

/*
 * DRM_IOCTL_SYNCOBJ_WAIT for up to @ms on binary syncobjs (@flags:
 * DRM_SYNCOBJ_WAIT_FLAGS_*); *@first (may be NULL) gets the index of the
 * first signalled one.  -ETIME on timeout.
 */
int mdrm_syncobj_wait(int fd, const __u32 *handles, __u32 count, int ms,
		      __u32 flags, __u32 *first)
{
	struct drm_syncobj_wait w = {
		.handles = (__u64)(uintptr_t)handles, .count_handles = count,
		.timeout_nsec = mdrm_now_ns() + ms * 1000000LL, .flags = flags,
	};
	int ret = mdrm_ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);

	if (!ret && first)
		*first = w.first_signaled;
	return ret;
}

/* DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT on one point. */
int mdrm_syncobj_timeline_wait(int fd, __u32 handle, __u64 point, int ms,
			       __u32 flags)
{
	struct drm_syncobj_timeline_wait w = {
		.handles = (__u64)(uintptr_t)&handle,
		.points = (__u64)(uintptr_t)&point, .count_handles = 1,
		.timeout_nsec = mdrm_now_ns() + ms * 1000000LL, .flags = flags,
	};

	return mdrm_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
}

/* The binary syncobj's fence as a new sync_file. */
int mdrm_syncobj_to_sync_file(int fd, __u32 handle, int *sync_fd)
{
	struct drm_syncobj_handle h = {
		.handle = handle,
		.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
		.fd = -1,
	};
	int ret = mdrm_ioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h);

	if (!ret)
		*sync_fd = h.fd;
	return ret;
}

/* Replace the binary syncobj's fence with the sync_file's. */
int mdrm_syncobj_from_sync_file(int fd, __u32 handle, int sync_fd)
{
	struct drm_syncobj_handle h = {
		.handle = handle,
		.flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE,
		.fd = sync_fd,
	};

	return mdrm_ioctl(fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h);
}

/* One execbuf; @out_fence (may be NULL) asks for and gets a sync_file. */
int mdrm_exec(int fd, __u32 ctx, __u32 engine,
	      struct drm_mvgpu_exec_object *objs, __u32 nobjs,
	      __u32 batch_index, __u64 batch_offset, int *out_fence)
{
	struct drm_mvgpu_execbuf x = {
		.objects = (__u64)(uintptr_t)objs, .object_count = nobjs,
		.batch_index = batch_index, .batch_offset = batch_offset,
		.ctx_id = ctx, .engine = engine,
		.flags = out_fence ? DRM_MVGPU_EXEC_FENCE_OUT : 0,
	};
	int ret = mdrm_ioctl(fd, DRM_IOCTL_MVGPU_EXECBUF, &x);

	if (!ret && out_fence)
		*out_fence = x.out_fence_fd;
	return ret;
}

/* The whole execbuf, as the caller filled it in. */
int mdrm_execbuf(int fd, struct drm_mvgpu_execbuf *x)
{
	return mdrm_ioctl(fd, DRM_IOCTL_MVGPU_EXECBUF, x);
}

/* A batch written from the start of a mapped object. */
void mdrm_batch_init(struct mdrm_batch *b, struct mdrm_bo *bo)
{
	b->cs = bo->map;
	b->n = 0;
	b->max = bo->size / 4;
}

/* 1 if everything emitted fitted in the object. */
int mdrm_batch_ok(const struct mdrm_batch *b)
{
	return b->n <= b->max;
}

void mdrm_emit(struct mdrm_batch *b, unsigned int count, ...)
{
	va_list ap;

	va_start(ap, count);
	while (count--) {
		__u32 dw = va_arg(ap, __u32);

		if (b->n < b->max)
			b->cs[b->n] = dw;
		b->n++;
	}
	va_end(ap);
}

void mdrm_noop(struct mdrm_batch *b, unsigned int count)
{
	while (count--)
		MDRM_EMIT(b, MVGPU_MI_NOOP);
}

void mdrm_end(struct mdrm_batch *b)
{
	MDRM_EMIT(b, MVGPU_MI_BATCH_BUFFER_END, MVGPU_MI_NOOP);
}

/* MI_STORE_DATA_IMM of one dword, in the context's default space. */
void mdrm_store(struct mdrm_batch *b, __u64 ga, __u32 v)
{
	MDRM_EMIT(b, MVGPU_MI_STORE_DATA_IMM, MDRM_LO(ga), MDRM_HI(ga), v);
}

/* ... of a qword at a qword-aligned address. */
void mdrm_store_qw(struct mdrm_batch *b, __u64 ga, __u64 v)
{
	MDRM_EMIT(b, MVGPU_MI_STORE_DATA_IMM_QW, MDRM_LO(ga), MDRM_HI(ga),
		  MDRM_LO(v), MDRM_HI(v));
}

/* MI_FLUSH_DW (BCS) storing a dword at a qword-aligned address. */
void mdrm_flush_store(struct mdrm_batch *b, __u64 ga, __u32 v)
{
	MDRM_EMIT(b, MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_STOREDW,
		  MDRM_LO(ga), MDRM_HI(ga), v);
}

/* PIPE_CONTROL (RCS) writing a dword after a CS stall. */
void mdrm_pipe_control_store(struct mdrm_batch *b, __u64 ga, __u32 v)
{
	MDRM_EMIT(b, MVGPU_PIPE_CONTROL_DW,
		  MVGPU_PIPE_CONTROL_WRITE_IMM | MVGPU_PIPE_CONTROL_CS_STALL,
		  MDRM_LO(ga), MDRM_HI(ga), v);
}

/* MI_SEMAPHORE_WAIT until *@ga @op @v (MVGPU_MI_SEMAPHORE_SAD_*). */
void mdrm_semaphore_wait(struct mdrm_batch *b, __u64 ga, __u32 op, __u32 v)
{
	MDRM_EMIT(b, MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_SEMAPHORE_POLL | op, v,
		  MDRM_LO(ga), MDRM_HI(ga));
}

/* XY_COLOR_BLT (BCS), 32 bpp, [x1, x2) x [y1, y2) at @ga. */
void mdrm_fill(struct mdrm_batch *b, __u64 ga, __u32 pitch, __u32 x1,
	       __u32 y1, __u32 x2, __u32 y2, __u32 color)
{
	MDRM_EMIT(b, MVGPU_XY_COLOR_BLT | MVGPU_XY_BLT_WRITE_ALPHA |
		  MVGPU_XY_BLT_WRITE_RGB,
		  MVGPU_BR13_DEPTH_32 | MVGPU_BR13_ROP_PATCOPY | pitch,
		  MVGPU_BLT_XY(x1, y1), MVGPU_BLT_XY(x2, y2), MDRM_LO(ga),
		  MDRM_HI(ga), color);
}

/* XY_SRC_COPY_BLT (BCS), 32 bpp: the rectangle from (@sx, @sy) of @src. */
void mdrm_copy(struct mdrm_batch *b, __u64 dst, __u32 dst_pitch, __u32 x1,
	       __u32 y1, __u32 x2, __u32 y2, __u64 src, __u32 src_pitch,
	       __u32 sx, __u32 sy)
{
	MDRM_EMIT(b, MVGPU_XY_SRC_COPY_BLT | MVGPU_XY_BLT_WRITE_ALPHA |
		  MVGPU_XY_BLT_WRITE_RGB,
		  MVGPU_BR13_DEPTH_32 | MVGPU_BR13_ROP_SRCCOPY | dst_pitch,
		  MVGPU_BLT_XY(x1, y1), MVGPU_BLT_XY(x2, y2), MDRM_LO(dst),
		  MDRM_HI(dst), MVGPU_BLT_XY(sx, sy), src_pitch, MDRM_LO(src),
		  MDRM_HI(src));
}

/* XY_FAST_COPY_BLT (BCS), 32 bpp, linear. */
void mdrm_fast_copy(struct mdrm_batch *b, __u64 dst, __u32 dst_pitch,
		    __u32 x1, __u32 y1, __u32 x2, __u32 y2, __u64 src,
		    __u32 src_pitch, __u32 sx, __u32 sy)
{
	MDRM_EMIT(b, MVGPU_XY_FAST_COPY_BLT,
		  MVGPU_FAST_COPY_DEPTH_32 | dst_pitch,
		  MVGPU_BLT_XY(x1, y1), MVGPU_BLT_XY(x2, y2), MDRM_LO(dst),
		  MDRM_HI(dst), MVGPU_BLT_XY(sx, sy), src_pitch, MDRM_LO(src),
		  MDRM_HI(src));
}

/* MVGPU_BLEND (RCS) of @width x @height pixels, MVGPU_BLEND_OP_*. */
void mdrm_blend(struct mdrm_batch *b, __u32 op, __u32 alpha, __u32 width,
		__u32 height, __u64 dst, __u32 dst_pitch, __u64 src,
		__u32 src_pitch)
{
	MDRM_EMIT(b, MVGPU_BLEND, op | alpha << MVGPU_BLEND_ALPHA_SHIFT,
		  (width & 0xffff) | height << 16, dst_pitch, MDRM_LO(dst),
		  MDRM_HI(dst), src_pitch, MDRM_LO(src), MDRM_HI(src));
}

static __u32 div255(__u32 x)
{
	return (x * 2 + 255) / 510;
}

/*
 * What MVGPU_BLEND makes of one pixel, from the definition in
 * Documentation/gpu-interface.rst (rounded to nearest), computed
 * independently of the GPU's code.
 */
__u32 mdrm_blend_ref(__u32 dst, __u32 src, __u32 op, __u32 alpha)
{
	__u32 out = 0, ia, c, v;

	if (op == MVGPU_BLEND_OP_SET_ALPHA)
		return (src & 0xffffff) | alpha << 24;
	for (c = 0; c < 32; c += 8) {
		__u32 s = (src >> c) & 0xff, d = (dst >> c) & 0xff;

		if (op == MVGPU_BLEND_OP_OVER) {
			ia = 255 - (src >> 24);
			v = s + div255(d * ia);
			if (v > 255)
				v = 255;
		} else {
			v = div255(s * alpha + d * (255 - alpha));
		}
		out |= v << c;
	}
	return out;
}
