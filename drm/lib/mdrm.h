/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libmdrm: a small userspace library on the mvgpu_drm uAPI
 * (include/uapi/drm/mvgpu_drm.h, Documentation/drm-uapi.rst) for guest
 * programs and tests: the render node, objects, contexts, syncobjs and
 * sync_files, submission, and builders of the GPU's commands
 * (include/uapi/mvgpu/mvgpu_cmd.h, Documentation/gpu-interface.rst).
 * Built static (libmdrm.a) by tests/guest/Makefile; described in
 * Documentation/guest-driver.rst.
 *
 * Every function that can fail returns 0 or a negative errno; ioctls
 * interrupted by a signal are restarted.
 */
#ifndef _MVGPU_MDRM_H
#define _MVGPU_MDRM_H

#include <stdint.h>

#include <drm/mvgpu_drm.h>
#include <mvgpu/mvgpu_cmd.h>
#include <mvgpu/mvgpu_regs.h>

#define MDRM_LO(a)	((__u32)(a))
#define MDRM_HI(a)	((__u32)((__u64)(a) >> 32))

/* ---- Device ------------------------------------------------------------- */

int mdrm_ioctl(int fd, unsigned long req, void *arg);
int mdrm_is_mvgpu(int fd);
int mdrm_open(void);
int mdrm_getparam(int fd, __u32 param, __u64 *value);
__s64 mdrm_now_ns(void);

/* ---- Objects ------------------------------------------------------------ */

int mdrm_bo_create(int fd, __u64 size, __u32 flags, __u32 *handle,
		   __u64 *ggtt);
int mdrm_bo_close(int fd, __u32 handle);
void *mdrm_bo_map(int fd, __u32 handle, __u64 size);
int mdrm_bo_wait(int fd, __u32 handle, int ms, int *err);
int mdrm_bo_busy(int fd, __u32 handle, __u32 *busy);

/* An object with its CPU mapping. */
struct mdrm_bo {
	__u32 handle;
	__u64 size;
	__u64 ggtt;
	__u32 *map;
};

int mdrm_bo_new(int fd, struct mdrm_bo *bo, __u64 size, __u32 flags);
void mdrm_bo_free(int fd, struct mdrm_bo *bo);

/* ---- Contexts ----------------------------------------------------------- */

int mdrm_ctx_create(int fd, __u32 flags, __u32 *id);
int mdrm_ctx_destroy(int fd, __u32 id);
int mdrm_ctx_param(int fd, __u32 id, __u32 param, __u64 *value);

/* ---- Fences ------------------------------------------------------------- */

int mdrm_sync_file_wait(int sync_fd, int ms);
int mdrm_syncobj_create(int fd, __u32 flags, __u32 *handle);
int mdrm_syncobj_destroy(int fd, __u32 handle);
int mdrm_syncobj_wait(int fd, const __u32 *handles, __u32 count, int ms,
		      __u32 flags, __u32 *first);
int mdrm_syncobj_timeline_wait(int fd, __u32 handle, __u64 point, int ms,
			       __u32 flags);
int mdrm_syncobj_to_sync_file(int fd, __u32 handle, int *sync_fd);
int mdrm_syncobj_from_sync_file(int fd, __u32 handle, int sync_fd);

/* ---- Submission --------------------------------------------------------- */

int mdrm_exec(int fd, __u32 ctx, __u32 engine,
	      struct drm_mvgpu_exec_object *objs, __u32 nobjs,
	      __u32 batch_index, __u64 batch_offset, int *out_fence);
int mdrm_execbuf(int fd, struct drm_mvgpu_execbuf *x);

/* ---- Command builders --------------------------------------------------- */

/* A batch being written into a mapped object; overflow is counted. */
struct mdrm_batch {
	__u32 *cs;
	unsigned int n, max;
};

void mdrm_batch_init(struct mdrm_batch *b, struct mdrm_bo *bo);
int mdrm_batch_ok(const struct mdrm_batch *b);
void mdrm_emit(struct mdrm_batch *b, unsigned int count, ...);

#define MDRM_EMIT(b, ...)						\
	mdrm_emit((b), sizeof((__u32[]){ __VA_ARGS__ }) / sizeof(__u32),	\
		  __VA_ARGS__)

void mdrm_noop(struct mdrm_batch *b, unsigned int count);
void mdrm_end(struct mdrm_batch *b);
void mdrm_store(struct mdrm_batch *b, __u64 ga, __u32 v);
void mdrm_store_qw(struct mdrm_batch *b, __u64 ga, __u64 v);
void mdrm_flush_store(struct mdrm_batch *b, __u64 ga, __u32 v);
void mdrm_pipe_control_store(struct mdrm_batch *b, __u64 ga, __u32 v);
void mdrm_semaphore_wait(struct mdrm_batch *b, __u64 ga, __u32 op,
			 __u32 v);
void mdrm_fill(struct mdrm_batch *b, __u64 ga, __u32 pitch, __u32 x1,
	       __u32 y1, __u32 x2, __u32 y2, __u32 color);
void mdrm_copy(struct mdrm_batch *b, __u64 dst, __u32 dst_pitch, __u32 x1,
	       __u32 y1, __u32 x2, __u32 y2, __u64 src, __u32 src_pitch,
	       __u32 sx, __u32 sy);
void mdrm_fast_copy(struct mdrm_batch *b, __u64 dst, __u32 dst_pitch,
		    __u32 x1, __u32 y1, __u32 x2, __u32 y2, __u64 src,
		    __u32 src_pitch, __u32 sx, __u32 sy);
void mdrm_blend(struct mdrm_batch *b, __u32 op, __u32 alpha, __u32 width,
		__u32 height, __u64 dst, __u32 dst_pitch, __u64 src,
		__u32 src_pitch);
__u32 mdrm_blend_ref(__u32 dst, __u32 src, __u32 op, __u32 alpha);

#endif /* _MVGPU_MDRM_H */
