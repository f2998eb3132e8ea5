// SPDX-License-Identifier: GPL-2.0-only
/*
 * DRM_IOCTL_MVGPU_EXECBUF: from the arguments to an armed request.
 *
 * Everything that can fail is done first: the arguments are checked, the
 * objects looked up and bound at their soft-pinned addresses, the fences
 * and syncobjs found, the out-fence file made, room waited for in the
 * ring and the objects' reservations locked.  Only then does the request
 * get its seqno and its commands, and become visible: fences in the
 * objects' reservations and the syncobjs, the sync_file installed, the
 * request on its context's list and armed.
 */
#include <linux/dma-fence-chain.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_syncobj.h>
#include <drm/mvgpu_drm.h>

#include "context.h"
#include "drv.h"
#include "gem.h"
#include "ppgtt.h"
#include "request.h"
#include "submit.h"

#define EXEC_FLAGS	(DRM_MVGPU_EXEC_FENCE_IN | DRM_MVGPU_EXEC_FENCE_OUT | \
			 DRM_MVGPU_EXEC_NO_IMPLICIT_SYNC)

/**
 * struct exec - one execbuf on its way
 * @m: the device
 * @file: the caller's file
 * @args: the arguments
 * @ctx: the context (a reference)
 * @hw: its hardware context on the engine
 * @eo: the object list, copied
 * @rq: the request; owns the objects and bindings
 * @syncs: the syncobj list, copied
 * @signal: syncobjs to signal (references), one per entry of @syncs
 * @chains: timeline points for them, one per entry of @syncs
 * @sync_file: the out-fence, if asked
 * @out_fd: its fd, or -1
 * @batch: address of the batch's first command
 */
struct exec {
	struct mvgpu_drm *m;
	struct drm_file *file;
	struct drm_mvgpu_execbuf *args;
	struct mvgpu_ctx *ctx;
	struct mvgpu_hwctx *hw;
	struct drm_mvgpu_exec_object *eo;
	struct mvgpu_request *rq;
	struct drm_mvgpu_exec_sync *syncs;
	struct drm_syncobj **signal;
	struct dma_fence_chain **chains;
	struct sync_file *sync_file;
	int out_fd;
	u64 batch;
};

static int exec_check_args(const struct drm_mvgpu_execbuf *args)
{
	if (args->flags & ~EXEC_FLAGS)
		return -EINVAL;
	if (args->engine >= DRM_MVGPU_NUM_ENGINES)
		return -EINVAL;
	if (!args->object_count || args->object_count > MVGPU_EXEC_MAX_OBJECTS)
		return -EINVAL;
	if (args->sync_count > MVGPU_EXEC_MAX_SYNCS)
		return -EINVAL;
	if (args->batch_index >= args->object_count)
		return -EINVAL;
	if (args->batch_offset & 3)
		return -EINVAL;
	if (!(args->flags & DRM_MVGPU_EXEC_FENCE_IN) && args->in_fence_fd)
		return -EINVAL;
	return 0;
}

static int exec_cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;

	return x < y ? -1 : x > y;
}

/* The same object twice in the list? */
static int exec_check_duplicates(struct drm_gem_object **objs, unsigned int n)
{
	struct drm_gem_object **tmp;
	unsigned int i;
	int ret = 0;

	tmp = kvmemdup(objs, n * sizeof(*objs), GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	sort(tmp, n, sizeof(*tmp), exec_cmp_ptr, NULL);
	for (i = 1; i < n; i++)
		if (tmp[i] == tmp[i - 1])
			ret = -EINVAL;
	kvfree(tmp);
	return ret;
}

/* Where an object is for the context, as the list says. */
static int exec_check_offset(struct exec *x, const struct drm_mvgpu_exec_object *eo,
			     struct mvgpu_bo *bo)
{
	u64 size = bo->base.base.size;

	if (x->ctx->legacy_32b)
		return drm_mm_node_allocated(&bo->ggtt) &&
		       eo->offset == bo->ggtt.start ? 0 : -EINVAL;
	if (!IS_ALIGNED(eo->offset, PAGE_SIZE) ||
	    eo->offset > (1ULL << MVGPU_PPGTT_VA_BITS) - size)
		return -EINVAL;
	return 0;
}

static int exec_get_objects(struct exec *x)
{
	const struct drm_mvgpu_execbuf *args = x->args;
	unsigned int i, n = args->object_count;
	struct mvgpu_request *rq = x->rq;
	struct drm_gem_object *obj;
	int ret;

	x->eo = kvmalloc_array(n, sizeof(*x->eo), GFP_KERNEL);
	rq->objs = kvcalloc(n, sizeof(*rq->objs), GFP_KERNEL);
	if (!x->eo || !rq->objs)
		return -ENOMEM;
	if (copy_from_user(x->eo, u64_to_user_ptr(args->objects),
			   n * sizeof(*x->eo)))
		return -EFAULT;
	for (i = 0; i < n; i++) {
		if (x->eo[i].flags & ~DRM_MVGPU_EXEC_OBJECT_WRITE)
			return -EINVAL;
		obj = drm_gem_object_lookup(x->file, x->eo[i].handle);
		if (!obj)
			return -ENOENT;
		rq->objs[rq->nobjs++] = obj;
		if (!mvgpu_is_bo(obj))
			return -EINVAL;
		ret = exec_check_offset(x, &x->eo[i], to_mvgpu_bo(obj));
		if (ret)
			return ret;
	}
	ret = exec_check_duplicates(rq->objs, n);
	if (ret)
		return ret;
	obj = rq->objs[args->batch_index];
	if (args->batch_offset > obj->size - 4)
		return -EINVAL;
	x->batch = x->eo[args->batch_index].offset + args->batch_offset;
	return 0;
}

/* Bind every object in the file's PPGTT where the list puts it. */
static int exec_bind_objects(struct exec *x)
{
	struct mvgpu_request *rq = x->rq;
	unsigned int i;
	int ret;

	if (x->ctx->legacy_32b)
		return 0;
	rq->vmas = kvcalloc(rq->nobjs, sizeof(*rq->vmas), GFP_KERNEL);
	if (!rq->vmas)
		return -ENOMEM;
	for (i = 0; i < rq->nobjs; i++) {
		ret = mvgpu_vm_bind(x->ctx->vm, to_mvgpu_bo(rq->objs[i]),
				    x->eo[i].offset, &rq->vmas[i]);
		if (ret)
			return ret;
		rq->nvmas++;
	}
	return 0;
}

static int exec_get_syncs(struct exec *x)
{
	const struct drm_mvgpu_execbuf *args = x->args;
	unsigned int i, n = args->sync_count;
	struct drm_mvgpu_exec_sync *s;
	struct dma_fence *fence;
	int ret;

	if (!n)
		return 0;
	x->syncs = kvmalloc_array(n, sizeof(*x->syncs), GFP_KERNEL);
	x->signal = kvcalloc(n, sizeof(*x->signal), GFP_KERNEL);
	x->chains = kvcalloc(n, sizeof(*x->chains), GFP_KERNEL);
	if (!x->syncs || !x->signal || !x->chains)
		return -ENOMEM;
	if (copy_from_user(x->syncs, u64_to_user_ptr(args->syncs),
			   n * sizeof(*x->syncs)))
		return -EFAULT;
	for (i = 0; i < n; i++) {
		s = &x->syncs[i];
		if (s->flags != DRM_MVGPU_EXEC_SYNC_WAIT &&
		    s->flags != DRM_MVGPU_EXEC_SYNC_SIGNAL)
			return -EINVAL;
		if (s->flags == DRM_MVGPU_EXEC_SYNC_WAIT) {
			ret = drm_syncobj_find_fence(x->file, s->handle,
						     s->point, 0, &fence);
			if (ret)
				return ret;
			ret = mvgpu_request_add_dep(x->rq, fence);
			dma_fence_put(fence);
			if (ret)
				return ret;
			continue;
		}
		x->signal[i] = drm_syncobj_find(x->file, s->handle);
		if (!x->signal[i])
			return -ENOENT;
		if (s->point) {
			x->chains[i] = dma_fence_chain_alloc();
			if (!x->chains[i])
				return -ENOMEM;
		}
	}
	return 0;
}

static int exec_get_in_fence(struct exec *x)
{
	struct dma_fence *fence;
	int ret;

	if (!(x->args->flags & DRM_MVGPU_EXEC_FENCE_IN))
		return 0;
	fence = sync_file_get_fence(x->args->in_fence_fd);
	if (!fence)
		return -EINVAL;
	ret = mvgpu_request_add_dep(x->rq, fence);
	dma_fence_put(fence);
	return ret;
}

/* Wait until the ring has room for one more request. */
static int exec_wait_ring_space(struct mvgpu_hwctx *hw)
{
	struct mvgpu_engine *e = hw->engine;
	struct mvgpu_request *oldest;
	struct dma_fence *fence;
	long ret;

	lockdep_assert_held(&hw->emit_lock);
	for (;;) {
		spin_lock(&e->lock);
		if (hw->emitted - hw->done_pos + MVGPU_RQ_RING_BYTES <=
		    MVGPU_RING_SIZE - 8) {
			spin_unlock(&e->lock);
			return 0;
		}
		oldest = list_first_entry_or_null(&hw->requests,
						  struct mvgpu_request, hw_link);
		fence = oldest ? dma_fence_get(&oldest->fence->base) : NULL;
		spin_unlock(&e->lock);
		if (!fence)
			return -EIO;
		ret = dma_fence_wait(fence, true);
		dma_fence_put(fence);
		if (ret)
			return ret;
	}
}

/* Wait for the work implicit synchronisation orders the request after. */
static int exec_add_implicit_deps(struct exec *x)
{
	struct mvgpu_request *rq = x->rq;
	struct dma_resv_iter it;
	struct dma_fence *fence;
	unsigned int i;
	int ret;

	if (x->args->flags & DRM_MVGPU_EXEC_NO_IMPLICIT_SYNC)
		return 0;
	for (i = 0; i < rq->nobjs; i++) {
		bool write = x->eo[i].flags & DRM_MVGPU_EXEC_OBJECT_WRITE;

		dma_resv_for_each_fence(&it, rq->objs[i]->resv,
					dma_resv_usage_rw(write), fence) {
			ret = mvgpu_request_add_dep(rq, fence);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int exec_reserve_fences(struct exec *x)
{
	unsigned int i;
	int ret;

	for (i = 0; i < x->rq->nobjs; i++) {
		ret = dma_resv_reserve_fences(x->rq->objs[i]->resv, 1);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Nothing fails from here on: the request becomes visible, and is the
 * workers' once armed.  The reservations, locked, are unlocked here.
 */
static void exec_commit(struct exec *x, struct ww_acquire_ctx *ww)
{
	struct mvgpu_request *rq = x->rq;
	struct mvgpu_hwctx *hw = x->hw;
	struct dma_fence *fence = &rq->fence->base;
	enum dma_resv_usage usage;
	unsigned int i;

	lockdep_assert_held(&hw->emit_lock);
	mvgpu_hwctx_emit(hw, rq, x->batch, !x->ctx->legacy_32b);
	for (i = 0; i < rq->nobjs; i++) {
		if (x->args->flags & DRM_MVGPU_EXEC_NO_IMPLICIT_SYNC)
			usage = DMA_RESV_USAGE_BOOKKEEP;
		else if (x->eo[i].flags & DRM_MVGPU_EXEC_OBJECT_WRITE)
			usage = DMA_RESV_USAGE_WRITE;
		else
			usage = DMA_RESV_USAGE_READ;
		dma_resv_add_fence(rq->objs[i]->resv, fence, usage);
	}
	drm_gem_unlock_reservations(rq->objs, rq->nobjs, ww);
	for (i = 0; i < x->args->sync_count; i++) {
		if (!x->signal[i])
			continue;
		if (x->chains[i]) {
			drm_syncobj_add_point(x->signal[i], x->chains[i], fence,
					      x->syncs[i].point);
			x->chains[i] = NULL;
		} else {
			drm_syncobj_replace_fence(x->signal[i], fence);
		}
	}
	if (x->sync_file) {
		fd_install(x->out_fd, x->sync_file->file);
		x->args->out_fence_fd = x->out_fd;
		x->sync_file = NULL;
		x->out_fd = -1;
	}
	spin_lock(&hw->engine->lock);
	list_add_tail(&rq->hw_link, &hw->requests);
	spin_unlock(&hw->engine->lock);
	mvgpu_request_arm(rq);
	x->rq = NULL;
}

/* Under the context's emit lock: the part that takes its seqno. */
static int exec_queue_request(struct exec *x)
{
	struct mvgpu_request *rq = x->rq;
	struct mvgpu_hwctx *hw = x->hw;
	struct ww_acquire_ctx ww;
	int ret;

	lockdep_assert_held(&hw->emit_lock);
	ret = exec_wait_ring_space(hw);
	if (ret)
		return ret;
	if (READ_ONCE(x->ctx->banned) || READ_ONCE(x->m->reset.wedged))
		return -EIO;
	ret = drm_gem_lock_reservations(rq->objs, rq->nobjs, &ww);
	if (ret)
		return ret;
	ret = exec_reserve_fences(x);
	if (!ret)
		ret = exec_add_implicit_deps(x);
	if (ret)
		goto unlock;
	rq->seqno = ++hw->seqno;
	dma_fence_init(&rq->fence->base, &mvgpu_fence_ops, &rq->fence->lock,
		       hw->fence_context, rq->seqno);
	if (x->args->flags & DRM_MVGPU_EXEC_FENCE_OUT) {
		/* on failure the seqno is skipped; its fence never escapes */
		x->sync_file = sync_file_create(&rq->fence->base);
		if (!x->sync_file) {
			ret = -ENOMEM;
			goto unlock;
		}
	}
	exec_commit(x, &ww);
	return 0;
unlock:
	drm_gem_unlock_reservations(rq->objs, rq->nobjs, &ww);
	return ret;
}

static void exec_fini(struct exec *x)
{
	unsigned int i;

	if (x->sync_file)
		fput(x->sync_file->file);
	if (x->out_fd >= 0)
		put_unused_fd(x->out_fd);
	if (x->rq)
		mvgpu_request_free(x->rq);
	for (i = 0; x->signal && i < x->args->sync_count; i++) {
		if (x->signal[i])
			drm_syncobj_put(x->signal[i]);
		if (x->chains && x->chains[i])
			dma_fence_chain_free(x->chains[i]);
	}
	kvfree(x->signal);
	kvfree(x->chains);
	kvfree(x->syncs);
	kvfree(x->eo);
	if (x->ctx)
		mvgpu_ctx_put(x->ctx);
}

static int exec_prepare(struct exec *x)
{
	struct mvgpu_drm *m = x->m;
	int ret;

	x->ctx = mvgpu_ctx_lookup(to_mvgpu_file(x->file), x->args->ctx_id);
	if (!x->ctx)
		return -ENOENT;
	if (READ_ONCE(x->ctx->banned) || READ_ONCE(m->reset.wedged))
		return -EIO;
	x->hw = &x->ctx->hw[x->args->engine];
	x->rq = mvgpu_request_alloc(m, x->hw);
	if (!x->rq)
		return -ENOMEM;
	ret = exec_get_objects(x);
	ret = ret ?: exec_get_syncs(x);
	ret = ret ?: exec_get_in_fence(x);
	ret = ret ?: exec_bind_objects(x);
	if (ret)
		return ret;
	if (x->args->flags & DRM_MVGPU_EXEC_FENCE_OUT) {
		x->out_fd = get_unused_fd_flags(O_CLOEXEC);
		if (x->out_fd < 0)
			return x->out_fd;
	}
	return 0;
}

/**
 * mvgpu_ioctl_execbuf() - DRM_IOCTL_MVGPU_EXECBUF
 * @drm: the device
 * @data: struct drm_mvgpu_execbuf
 * @file: the caller's file
 *
 * Return: 0, or the errno drm-uapi.rst lists; nothing is left behind on
 * failure.
 */
int mvgpu_ioctl_execbuf(struct drm_device *drm, void *data,
			struct drm_file *file)
{
	struct exec x = {
		.m = to_mvgpu(drm), .file = file, .args = data, .out_fd = -1,
	};
	int ret;

	x.args->out_fence_fd = -1;
	ret = exec_check_args(x.args);
	if (ret)
		return ret;
	ret = exec_prepare(&x);
	if (!ret) {
		ret = mutex_lock_interruptible(&x.hw->emit_lock);
		if (!ret) {
			ret = exec_queue_request(&x);
			mutex_unlock(&x.hw->emit_lock);
		}
	}
	exec_fini(&x);
	return ret;
}
