/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Contexts: what userspace creates, and its hardware context on each
 * engine (context image, status page and ring in the GGTT).
 */
#ifndef _MVGPU_DRM_CONTEXT_H
#define _MVGPU_DRM_CONTEXT_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <mvgpu/mvgpu_regs.h>

struct drm_device;
struct drm_file;
struct mvgpu_bo;
struct mvgpu_drm;
struct mvgpu_engine;
struct mvgpu_file;
struct mvgpu_request;
struct mvgpu_vm;

/* Each hardware context's buffer: image, status page, then the ring. */
#define MVGPU_HWCTX_IMAGE_PAGE	0
#define MVGPU_HWCTX_HWSP_PAGE	1
#define MVGPU_HWCTX_RING_PAGE	2
#define MVGPU_RING_SIZE		(16 * 1024)
#define MVGPU_HWCTX_SIZE	(MVGPU_HWCTX_RING_PAGE * 4096 + MVGPU_RING_SIZE)
/* Room a request takes in the ring, at most (ring.c emit). */
#define MVGPU_RQ_RING_BYTES	32

/**
 * struct mvgpu_hwctx - a context on one engine
 * @ctx: the context it belongs to (not a reference: it lives in it)
 * @engine: its engine
 * @bo: its image, status page and ring, bound in the hidden GGTT range
 * @image: CPU view of the context image (MVGPU_CTX_DWORDS dwords)
 * @hwsp: CPU view of its status page; dword 0 is the last seqno done
 * @ring: CPU view of its ring
 * @lrca: GGTT address of the image
 * @hwsp_gma: GGTT address of the status page
 * @hw_id: context ID of its descriptor, reported in CSB entries
 * @desc: its context descriptor
 * @fence_context: dma_fence context of its requests
 * @emit_lock: serialises request creation: @seqno, @emitted and the ring
 *             contents beyond what was submitted
 * @seqno: last seqno given out (@emit_lock)
 * @emitted: ring bytes written since creation (@emit_lock)
 * @requests: its unreleased requests, oldest first (engine lock)
 * @done_pos: @emitted after the last request that ended (engine lock)
 */
struct mvgpu_hwctx {
	struct mvgpu_ctx *ctx;
	struct mvgpu_engine *engine;
	struct mvgpu_bo *bo;
	u32 *image;
	u32 *hwsp;
	u32 *ring;
	u32 lrca;
	u32 hwsp_gma;
	u32 hw_id;
	u64 desc;
	u64 fence_context;
	struct mutex emit_lock; /* see @emit_lock above */
	u32 seqno;
	u32 emitted;
	struct list_head requests;
	u32 done_pos;
};

/**
 * struct mvgpu_ctx_error - the first error of a context
 * @code: enum mvgpu_err
 * @engine: where
 * @status: RING_ERR_STATUS as captured
 * @cmd_header: header of the failing command
 * @cmd_addr: its address
 * @fault_addr: the address that faulted
 */
struct mvgpu_ctx_error {
	u32 code;
	u32 engine;
	u32 status;
	u32 cmd_header;
	u64 cmd_addr;
	u64 fault_addr;
};

/**
 * struct mvgpu_ctx - a context of an open file
 * @ref: the file's ID, each request, each execlist port holding it
 * @mdev: the device
 * @vm: the file's PPGTT (a reference), NULL for LEGACY_32B
 * @legacy_32b: GGTT only
 * @banned: it hit an error: nothing more of it runs (written under an
 *          engine lock, read with READ_ONCE)
 * @guilty: its requests that stopped on an error or hang
 * @innocent: its requests run again after a reset or another's hang
 * @err_lock: protects @err
 * @err: its first error
 * @free_work: frees it in process context once the last reference is
 *             gone (the last may be dropped under an engine lock)
 * @hw: its hardware context on each engine
 */
struct mvgpu_ctx {
	struct kref ref;
	struct mvgpu_drm *mdev;
	struct mvgpu_vm *vm;
	bool legacy_32b;
	bool banned;
	atomic_t guilty;
	atomic_t innocent;
	spinlock_t err_lock; /* see @err_lock above */
	struct mvgpu_ctx_error err;
	struct work_struct free_work;
	struct mvgpu_hwctx hw[MVGPU_NUM_ENGINES];
};

struct mvgpu_ctx *mvgpu_ctx_lookup(struct mvgpu_file *mf, u32 id);
void mvgpu_ctx_put(struct mvgpu_ctx *ctx);
void mvgpu_ctx_ban(struct mvgpu_ctx *ctx, const struct mvgpu_ctx_error *err);
void mvgpu_ctx_close_all(struct mvgpu_file *mf);
u32 mvgpu_hwctx_emit(struct mvgpu_hwctx *hw, struct mvgpu_request *rq,
		     u64 batch, bool ppgtt);

int mvgpu_ioctl_ctx_create(struct drm_device *drm, void *data,
			   struct drm_file *file);
int mvgpu_ioctl_ctx_destroy(struct drm_device *drm, void *data,
			    struct drm_file *file);
int mvgpu_ioctl_ctx_getparam(struct drm_device *drm, void *data,
			     struct drm_file *file);

static inline void mvgpu_ctx_get(struct mvgpu_ctx *ctx)
{
	kref_get(&ctx->ref);
}

/* seqno @a is at or after @b (wrapping) */
static inline bool mvgpu_seqno_passed(u32 a, u32 b)
{
	return (s32)(a - b) >= 0;
}

static inline bool mvgpu_rq_hw_done(struct mvgpu_hwctx *hw, u32 seqno)
{
	return mvgpu_seqno_passed(READ_ONCE(*hw->hwsp), seqno);
}

#endif /* _MVGPU_DRM_CONTEXT_H */
