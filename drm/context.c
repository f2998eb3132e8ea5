// SPDX-License-Identifier: GPL-2.0-only
/*
 * Contexts.
 *
 * A context of an open file has one hardware context per engine: a
 * buffer in the hidden GGTT range holding its context image (LRCA), a
 * status page where each request writes its seqno when done, and its
 * ring.  A LEGACY_64B context's image points at the file's PPGTT, so
 * every guest exercises the vGPU's shadow PPGTT; a LEGACY_32B one has
 * none.  Each request's commands in the ring are a batch buffer start
 * and a post-sync write of its seqno with a user interrupt.
 *
 * A context that hits an error is banned: it runs nothing more, and
 * CTX_GETPARAM tells why.
 */
#include <linux/capability.h>
#include <linux/idr.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include <drm/drm_file.h>
#include <drm/drm_print.h>
#include <drm/mvgpu_drm.h>

#include <mvgpu/mvgpu_cmd.h>

#include "context.h"
#include "drv.h"
#include "gem.h"
#include "ppgtt.h"

static int hwctx_init(struct mvgpu_ctx *ctx, unsigned int engine)
{
	struct mvgpu_hwctx *hw = &ctx->hw[engine];
	struct mvgpu_drm *m = ctx->mdev;
	u64 mode = ctx->vm ? MVGPU_CTX_MODE_LEGACY_64B :
			     MVGPU_CTX_MODE_LEGACY_32B;
	void *vaddr;
	int id;

	hw->ctx = ctx;
	hw->engine = &m->engine[engine];
	mutex_init(&hw->emit_lock);
	INIT_LIST_HEAD(&hw->requests);
	hw->bo = mvgpu_bo_create(m, MVGPU_HWCTX_SIZE, true, MVGPU_GGTT_HIDDEN);
	if (IS_ERR(hw->bo)) {
		int ret = PTR_ERR(hw->bo);

		hw->bo = NULL;
		return ret;
	}
	vaddr = mvgpu_bo_vmap(hw->bo);
	if (IS_ERR(vaddr))
		return PTR_ERR(vaddr);
	hw->image = vaddr + MVGPU_HWCTX_IMAGE_PAGE * PAGE_SIZE;
	hw->hwsp = vaddr + MVGPU_HWCTX_HWSP_PAGE * PAGE_SIZE;
	hw->ring = vaddr + MVGPU_HWCTX_RING_PAGE * PAGE_SIZE;
	id = ida_alloc_min(&m->hw_ids, 1, GFP_KERNEL);
	if (id < 0)
		return id;
	hw->hw_id = id;
	hw->lrca = hw->bo->ggtt.start;
	hw->hwsp_gma = hw->lrca + MVGPU_HWCTX_HWSP_PAGE * PAGE_SIZE;
	hw->desc = MVGPU_CTX_DESC(hw->lrca, mode, hw->hw_id);
	hw->fence_context = dma_fence_context_alloc(1);

	/* a fresh image: the object is zeroed */
	hw->image[MVGPU_CTX_RING_START] = hw->lrca +
					  MVGPU_HWCTX_RING_PAGE * PAGE_SIZE;
	hw->image[MVGPU_CTX_RING_CTL] = MVGPU_RING_CTL_SIZE(MVGPU_RING_SIZE) |
					MVGPU_RING_CTL_VALID;
	if (ctx->vm) {
		u64 root = mvgpu_vm_root(ctx->vm);

		hw->image[MVGPU_CTX_PML4_LO] = lower_32_bits(root);
		hw->image[MVGPU_CTX_PML4_HI] = upper_32_bits(root);
	}
	return 0;
}

static void hwctx_fini(struct mvgpu_hwctx *hw)
{
	struct mvgpu_drm *m = hw->ctx->mdev;

	WARN_ON(!list_empty(&hw->requests));
	if (hw->hw_id)
		ida_free(&m->hw_ids, hw->hw_id);
	if (hw->image)
		mvgpu_bo_vunmap(hw->bo, hw->image);
	if (hw->bo)
		drm_gem_object_put(&hw->bo->base.base);
	mutex_destroy(&hw->emit_lock);
}

static void ctx_free(struct mvgpu_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		if (ctx->hw[i].ctx)
			hwctx_fini(&ctx->hw[i]);
	if (ctx->vm)
		mvgpu_vm_put(ctx->vm);
	kfree(ctx);
}

static void ctx_free_work(struct work_struct *work)
{
	ctx_free(container_of(work, struct mvgpu_ctx, free_work));
}

/* Any context: the last reference may go under an engine's lock. */
static void ctx_release(struct kref *ref)
{
	struct mvgpu_ctx *ctx = container_of(ref, struct mvgpu_ctx, ref);

	queue_work(ctx->mdev->wq, &ctx->free_work);
}

/**
 * mvgpu_ctx_put() - drop a reference on a context
 * @ctx: the context; the last reference frees it from the device's
 *       workqueue, so this may be called under a spinlock
 */
void mvgpu_ctx_put(struct mvgpu_ctx *ctx)
{
	kref_put(&ctx->ref, ctx_release);
}

/**
 * mvgpu_ctx_lookup() - a context of a file by ID
 * @mf: the file
 * @id: the context ID
 *
 * Return: the context with a reference, or NULL.
 */
struct mvgpu_ctx *mvgpu_ctx_lookup(struct mvgpu_file *mf, u32 id)
{
	struct mvgpu_ctx *ctx;

	xa_lock(&mf->contexts);
	ctx = xa_load(&mf->contexts, id);
	if (ctx)
		mvgpu_ctx_get(ctx);
	xa_unlock(&mf->contexts);
	return ctx;
}

/**
 * mvgpu_ctx_ban() - a request of the context stopped on an error
 * @ctx: the context
 * @err: the error; kept if it is the context's first
 *
 * Its requests not run yet are cancelled as they reach their engine, and
 * execbuf refuses it from now on.
 */
void mvgpu_ctx_ban(struct mvgpu_ctx *ctx, const struct mvgpu_ctx_error *err)
{
	struct mvgpu_drm *m = ctx->mdev;
	bool first;

	spin_lock(&ctx->err_lock);
	first = !ctx->banned;
	if (first) {
		ctx->err = *err;
		WRITE_ONCE(ctx->banned, true);
	}
	spin_unlock(&ctx->err_lock);
	if (!first)
		return;
	atomic_inc(&m->stats.ctx_errors);
	if (err->code == MVGPU_ERR_HANG)
		atomic_inc(&m->stats.hangs);
	drm_err_ratelimited(&m->drm,
			    "context banned: engine %u error %u status 0x%08x command 0x%llx header 0x%08x fault 0x%llx\n",
			    err->engine, err->code, err->status, err->cmd_addr,
			    err->cmd_header, err->fault_addr);
}

/**
 * mvgpu_hwctx_emit() - write a request's commands into the ring
 * @hw: the context, its emit_lock held, room checked
 * @rq: the request, its seqno set
 * @batch: address of the batch's first command
 * @ppgtt: @batch is a PPGTT address (else GGTT)
 *
 * The engine jumps to the batch, then writes the seqno to the status
 * page (a post-sync write the GPU completes before the notify) and
 * raises its user interrupt: PIPE_CONTROL on RCS, MI_FLUSH_DW on BCS.
 *
 * Return: the bytes written, MVGPU_RQ_RING_BYTES.
 */
u32 mvgpu_hwctx_emit(struct mvgpu_hwctx *hw, struct mvgpu_request *rq,
		     u64 batch, bool ppgtt)
{
	u32 cs[MVGPU_RQ_RING_BYTES / 4], n = 0, i;

	lockdep_assert_held(&hw->emit_lock);
	cs[n++] = MVGPU_MI_BATCH_BUFFER_START | (ppgtt ? MVGPU_MI_BB_PPGTT : 0);
	cs[n++] = lower_32_bits(batch);
	cs[n++] = upper_32_bits(batch);
	if (hw->engine->id == MVGPU_ENGINE_RCS) {
		cs[n++] = MVGPU_PIPE_CONTROL_DW;
		cs[n++] = MVGPU_PIPE_CONTROL_CS_STALL |
			  MVGPU_PIPE_CONTROL_WRITE_IMM |
			  MVGPU_PIPE_CONTROL_GLOBAL_GTT |
			  MVGPU_PIPE_CONTROL_NOTIFY;
		cs[n++] = hw->hwsp_gma;
		cs[n++] = 0;
		cs[n++] = rq->seqno;
	} else {
		cs[n++] = MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_STOREDW |
			  MVGPU_MI_FLUSH_DW_NOTIFY;
		cs[n++] = hw->hwsp_gma | MVGPU_MI_FLUSH_DW_USE_GTT;
		cs[n++] = 0;
		cs[n++] = rq->seqno;
		cs[n++] = MVGPU_MI_NOOP;
	}
	rq->head = hw->emitted % MVGPU_RING_SIZE;
	for (i = 0; i < n; i++) {
		WRITE_ONCE(hw->ring[(hw->emitted % MVGPU_RING_SIZE) / 4], cs[i]);
		hw->emitted += 4;
	}
	rq->tail = hw->emitted % MVGPU_RING_SIZE;
	rq->ring_end = hw->emitted;
	return n * 4;
}

/**
 * mvgpu_ioctl_ctx_create() - DRM_IOCTL_MVGPU_CTX_CREATE
 * @drm: the device
 * @data: struct drm_mvgpu_ctx_create
 * @file: the caller's file
 *
 * Return: 0, -EINVAL, -ENOSPC, -ENOMEM.
 */
int mvgpu_ioctl_ctx_create(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct drm_mvgpu_ctx_create *args = data;
	struct mvgpu_file *mf = to_mvgpu_file(file);
	struct mvgpu_drm *m = to_mvgpu(drm);
	struct mvgpu_ctx *ctx;
	unsigned int i;
	u32 id;
	int ret;

	if (args->flags & ~DRM_MVGPU_CTX_CREATE_LEGACY_32B)
		return -EINVAL;
	/* its batches can write the kernel's context images and rings */
	if (args->flags & DRM_MVGPU_CTX_CREATE_LEGACY_32B &&
	    !capable(CAP_SYS_ADMIN))
		return -EPERM;
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	kref_init(&ctx->ref);
	ctx->mdev = m;
	ctx->legacy_32b = args->flags & DRM_MVGPU_CTX_CREATE_LEGACY_32B;
	spin_lock_init(&ctx->err_lock);
	INIT_WORK(&ctx->free_work, ctx_free_work);
	if (!ctx->legacy_32b) {
		ctx->vm = mf->vm;
		mvgpu_vm_get(ctx->vm);
	}
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		ret = hwctx_init(ctx, i);
		if (ret)
			goto err;
	}
	ret = xa_alloc(&mf->contexts, &id, ctx,
		       XA_LIMIT(1, MVGPU_MAX_CONTEXTS), GFP_KERNEL);
	if (ret) {
		ret = ret == -EBUSY ? -ENOSPC : ret;
		goto err;
	}
	args->ctx_id = id;
	return 0;
err:
	ctx_free(ctx);
	return ret;
}

/**
 * mvgpu_ioctl_ctx_destroy() - DRM_IOCTL_MVGPU_CTX_DESTROY
 * @drm: the device
 * @data: struct drm_mvgpu_ctx_destroy
 * @file: the caller's file
 *
 * Return: 0, -EINVAL, -ENOENT.
 */
int mvgpu_ioctl_ctx_destroy(struct drm_device *drm, void *data,
			    struct drm_file *file)
{
	struct drm_mvgpu_ctx_destroy *args = data;
	struct mvgpu_ctx *ctx;

	if (args->pad)
		return -EINVAL;
	ctx = xa_erase(&to_mvgpu_file(file)->contexts, args->ctx_id);
	if (!ctx)
		return -ENOENT;
	mvgpu_ctx_put(ctx);
	return 0;
}

/**
 * mvgpu_ioctl_ctx_getparam() - DRM_IOCTL_MVGPU_CTX_GETPARAM
 * @drm: the device
 * @data: struct drm_mvgpu_ctx_getparam
 * @file: the caller's file
 *
 * Return: 0, -EINVAL, -ENOENT.
 */
int mvgpu_ioctl_ctx_getparam(struct drm_device *drm, void *data,
			     struct drm_file *file)
{
	struct drm_mvgpu_ctx_getparam *args = data;
	struct mvgpu_ctx_error err;
	struct mvgpu_ctx *ctx;
	int ret = 0;

	ctx = mvgpu_ctx_lookup(to_mvgpu_file(file), args->ctx_id);
	if (!ctx)
		return -ENOENT;
	spin_lock(&ctx->err_lock);
	err = ctx->err;
	spin_unlock(&ctx->err_lock);
	switch (args->param) {
	case DRM_MVGPU_CTX_PARAM_LEGACY_32B:
		args->value = ctx->legacy_32b;
		break;
	case DRM_MVGPU_CTX_PARAM_BANNED:
		args->value = READ_ONCE(ctx->banned);
		break;
	case DRM_MVGPU_CTX_PARAM_GUILTY:
		args->value = atomic_read(&ctx->guilty);
		break;
	case DRM_MVGPU_CTX_PARAM_INNOCENT:
		args->value = atomic_read(&ctx->innocent);
		break;
	case DRM_MVGPU_CTX_PARAM_ERROR:
		args->value = err.code;
		break;
	case DRM_MVGPU_CTX_PARAM_ERROR_ENGINE:
		args->value = err.engine;
		break;
	case DRM_MVGPU_CTX_PARAM_ERROR_STATUS:
		args->value = err.status;
		break;
	case DRM_MVGPU_CTX_PARAM_ERROR_CMD_ADDR:
		args->value = err.cmd_addr;
		break;
	case DRM_MVGPU_CTX_PARAM_ERROR_CMD_HEADER:
		args->value = err.cmd_header;
		break;
	case DRM_MVGPU_CTX_PARAM_ERROR_FAULT_ADDR:
		args->value = err.fault_addr;
		break;
	default:
		ret = -EINVAL;
	}
	mvgpu_ctx_put(ctx);
	return ret;
}

/**
 * mvgpu_ctx_close_all() - the file is closed: drop its contexts
 * @mf: the file
 */
void mvgpu_ctx_close_all(struct mvgpu_file *mf)
{
	struct mvgpu_ctx *ctx;
	unsigned long id;

	xa_for_each(&mf->contexts, id, ctx) {
		xa_erase(&mf->contexts, id);
		mvgpu_ctx_put(ctx);
	}
	xa_destroy(&mf->contexts);
}
