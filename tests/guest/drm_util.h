/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest-side helpers for programs that drive mvgpu_drm (drm/) through its
 * uAPI (include/uapi/drm/mvgpu_drm.h, Documentation/drm-uapi.rst): the
 * render node, objects, contexts, batches, submission and fences.
 * Static inline, no library: guest programs are static binaries copied
 * into the L2 guest's initramfs (tests/guest/Makefile).
 */
#ifndef _MVGPU_GUEST_DRM_UTIL_H
#define _MVGPU_GUEST_DRM_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>

#include <drm/mvgpu_drm.h>
#include <mvgpu/mvgpu_cmd.h>
#include <mvgpu/mvgpu_regs.h>

#define GDRM_LO(a)	((__u32)(a))
#define GDRM_HI(a)	((__u32)((__u64)(a) >> 32))

/* ioctl() that says -errno, retried on EINTR/EAGAIN as libdrm does. */
static inline int gdrm_ioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret ? -errno : 0;
}

/* Is this DRM fd driven by mvgpu_drm? */
static inline int gdrm_is_mvgpu(int fd)
{
	char name[32] = "";
	struct drm_version v = {
		.name_len = sizeof(name) - 1, .name = name,
	};

	return !gdrm_ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(name, "mvgpu");
}

/* The first mvgpu render node, opened; -errno if there is none. */
static inline int gdrm_open(void)
{
	DIR *d = opendir("/dev/dri");
	struct dirent *de;
	char path[300];
	int fd = -ENODEV;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "renderD", 7))
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%s", de->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd >= 0 && gdrm_is_mvgpu(fd))
			break;
		if (fd >= 0)
			close(fd);
		fd = -ENODEV;
	}
	closedir(d);
	return fd;
}

static inline int gdrm_getparam(int fd, __u32 param, __u64 *value)
{
	struct drm_mvgpu_getparam p = { .param = param };
	int ret = gdrm_ioctl(fd, DRM_IOCTL_MVGPU_GETPARAM, &p);

	if (!ret)
		*value = p.value;
	return ret;
}

/* A GEM object; @ggtt (may be NULL) gets its GGTT address if bound. */
static inline int gdrm_bo_create(int fd, __u64 size, __u32 flags,
				 __u32 *handle, __u64 *ggtt)
{
	struct drm_mvgpu_gem_create c = { .size = size, .flags = flags };
	int ret = gdrm_ioctl(fd, DRM_IOCTL_MVGPU_GEM_CREATE, &c);

	if (!ret) {
		*handle = c.handle;
		if (ggtt)
			*ggtt = c.ggtt_addr;
	}
	return ret;
}

static inline int gdrm_bo_close(int fd, __u32 handle)
{
	struct drm_gem_close c = { .handle = handle };

	return gdrm_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

/* The object mapped read-write, or NULL. */
static inline void *gdrm_bo_map(int fd, __u32 handle, __u64 size)
{
	struct drm_mvgpu_gem_mmap_offset o = { .handle = handle };
	void *p;

	if (gdrm_ioctl(fd, DRM_IOCTL_MVGPU_GEM_MMAP_OFFSET, &o))
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, o.offset);
	return p == MAP_FAILED ? NULL : p;
}

static inline __s64 gdrm_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__s64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * Wait up to @ms for the GPU to be done with an object.  Returns 0,
 * -ETIME or another -errno; *@err (may be NULL) gets the error of the
 * work waited on.
 */
static inline int gdrm_bo_wait(int fd, __u32 handle, int ms, int *err)
{
	struct drm_mvgpu_gem_wait w = {
		.handle = handle, .timeout_ns = gdrm_now_ns() + ms * 1000000LL,
	};
	int ret = gdrm_ioctl(fd, DRM_IOCTL_MVGPU_GEM_WAIT, &w);

	if (err)
		*err = w.error;
	return ret;
}

static inline int gdrm_bo_busy(int fd, __u32 handle, __u32 *busy)
{
	struct drm_mvgpu_gem_busy b = { .handle = handle };
	int ret = gdrm_ioctl(fd, DRM_IOCTL_MVGPU_GEM_BUSY, &b);

	if (!ret)
		*busy = b.busy;
	return ret;
}

static inline int gdrm_ctx_create(int fd, __u32 flags, __u32 *id)
{
	struct drm_mvgpu_ctx_create c = { .flags = flags };
	int ret = gdrm_ioctl(fd, DRM_IOCTL_MVGPU_CTX_CREATE, &c);

	if (!ret)
		*id = c.ctx_id;
	return ret;
}

static inline int gdrm_ctx_destroy(int fd, __u32 id)
{
	struct drm_mvgpu_ctx_destroy d = { .ctx_id = id };

	return gdrm_ioctl(fd, DRM_IOCTL_MVGPU_CTX_DESTROY, &d);
}

static inline int gdrm_ctx_param(int fd, __u32 id, __u32 param, __u64 *value)
{
	struct drm_mvgpu_ctx_getparam p = { .ctx_id = id, .param = param };
	int ret = gdrm_ioctl(fd, DRM_IOCTL_MVGPU_CTX_GETPARAM, &p);

	if (!ret)
		*value = p.value;
	return ret;
}

/*
 * Wait up to @ms for a sync_file.  Returns 1 if it signalled without
 * error, 0 if not signalled yet, or the fence's negative error.
 */
static inline int gdrm_sync_file_wait(int sync_fd, int ms)
{
	struct pollfd p = { .fd = sync_fd, .events = POLLIN };
	struct sync_file_info info = { 0 };

	if (poll(&p, 1, ms) != 1)
		return 0;
	if (ioctl(sync_fd, SYNC_IOC_FILE_INFO, &info))
		return -errno;
	return info.status;
}

/* A batch being written into a mapped object. */
struct gdrm_batch {
	__u32 *cs;
	unsigned int n, max;
};

static inline void gdrm_emit(struct gdrm_batch *b, unsigned int count, ...)
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

#define GDRM_EMIT(b, ...)						\
	gdrm_emit((b), sizeof((__u32[]){ __VA_ARGS__ }) / sizeof(__u32),	\
		  __VA_ARGS__)

/* XY_COLOR_BLT (BCS), 32 bpp, [x1, x2) x [y1, y2) at @ga. */
static inline void gdrm_fill(struct gdrm_batch *b, __u64 ga, __u32 pitch,
			     __u32 x1, __u32 y1, __u32 x2, __u32 y2,
			     __u32 color)
{
	GDRM_EMIT(b, MVGPU_XY_COLOR_BLT | MVGPU_XY_BLT_WRITE_ALPHA |
		  MVGPU_XY_BLT_WRITE_RGB,
		  MVGPU_BR13_DEPTH_32 | MVGPU_BR13_ROP_PATCOPY | pitch,
		  MVGPU_BLT_XY(x1, y1), MVGPU_BLT_XY(x2, y2), GDRM_LO(ga),
		  GDRM_HI(ga), color);
}

/* MI_STORE_DATA_IMM of one dword, in the context's default space. */
static inline void gdrm_store(struct gdrm_batch *b, __u64 ga, __u32 v)
{
	GDRM_EMIT(b, MVGPU_MI_STORE_DATA_IMM, GDRM_LO(ga), GDRM_HI(ga), v);
}

static inline void gdrm_end(struct gdrm_batch *b)
{
	GDRM_EMIT(b, MVGPU_MI_BATCH_BUFFER_END, MVGPU_MI_NOOP);
}

/* One execbuf; @out_fence (may be NULL) asks for and gets a sync_file. */
static inline int gdrm_exec(int fd, __u32 ctx, __u32 engine,
			    struct drm_mvgpu_exec_object *objs, __u32 nobjs,
			    __u32 batch_index, __u64 batch_offset,
			    int *out_fence)
{
	struct drm_mvgpu_execbuf x = {
		.objects = (__u64)(uintptr_t)objs, .object_count = nobjs,
		.batch_index = batch_index, .batch_offset = batch_offset,
		.ctx_id = ctx, .engine = engine,
		.flags = out_fence ? DRM_MVGPU_EXEC_FENCE_OUT : 0,
	};
	int ret = gdrm_ioctl(fd, DRM_IOCTL_MVGPU_EXECBUF, &x);

	if (!ret && out_fence)
		*out_fence = x.out_fence_fd;
	return ret;
}

#endif /* _MVGPU_GUEST_DRM_UTIL_H */
