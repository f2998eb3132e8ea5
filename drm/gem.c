// SPDX-License-Identifier: GPL-2.0-only
/*
 * GEM objects: drm_gem_shmem objects, mmap()ed write-back cached (the
 * GPU is coherent with the CPU).  An object is bound in the GGTT for its
 * whole life if it was created so (hidden range, or mappable for what
 * the display will scan out), and in the PPGTT of each file that uses it
 * (ppgtt.c).  When it is freed its GGTT entries are cleared at once and
 * its pages released once the engines are past them (request.c).
 */
#include <linux/dma-resv.h>
#include <linux/iosys-map.h>
#include <linux/ktime.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/mvgpu_drm.h>

#include "drv.h"
#include "gem.h"
#include "ppgtt.h"

static void bo_release(struct mvgpu_deferred *d)
{
	struct mvgpu_bo *bo = container_of(d, struct mvgpu_bo, def);

	drm_gem_shmem_free(&bo->base);
}

static void bo_free(struct drm_gem_object *obj)
{
	struct mvgpu_bo *bo = to_mvgpu_bo(obj);
	struct mvgpu_drm *m = to_mvgpu(obj->dev);

	drm_WARN_ON(obj->dev, !list_empty(&bo->vmas));
	mvgpu_ggtt_unbind(m, &bo->ggtt);
	mutex_destroy(&bo->vma_lock);
	mvgpu_defer(m, &bo->def, bo_release);
}

/* A handle of the object in @file is gone: so is its binding there. */
static void bo_close(struct drm_gem_object *obj, struct drm_file *file)
{
	struct mvgpu_file *mf = to_mvgpu_file(file);

	if (mf && mf->vm)
		mvgpu_vm_close_bo(mf->vm, to_mvgpu_bo(obj));
}

static const struct drm_gem_object_funcs mvgpu_bo_funcs = {
	.free = bo_free,
	.close = bo_close,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = drm_gem_shmem_object_mmap,
	.vm_ops = &drm_gem_shmem_vm_ops,
};

/**
 * mvgpu_gem_create_object() - &drm_driver.gem_create_object
 * @drm: the device
 * @size: the object's size
 *
 * Return: the embedded GEM object of a new &struct mvgpu_bo.
 */
struct drm_gem_object *mvgpu_gem_create_object(struct drm_device *drm,
					       size_t size)
{
	struct mvgpu_bo *bo = kzalloc(sizeof(*bo), GFP_KERNEL);

	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->base.base.funcs = &mvgpu_bo_funcs;
	mutex_init(&bo->vma_lock);
	INIT_LIST_HEAD(&bo->vmas);
	return &bo->base.base;
}

/**
 * mvgpu_is_bo() - is this one of the driver's objects?
 * @obj: a GEM object of the device
 *
 * Return: true if it is a &struct mvgpu_bo.
 */
bool mvgpu_is_bo(struct drm_gem_object *obj)
{
	return obj->funcs == &mvgpu_bo_funcs;
}

/**
 * mvgpu_bo_create() - a new object
 * @m: the device
 * @size: bytes, rounded up to pages
 * @ggtt: bind it in the GGTT now, for its life
 * @range: where, if @ggtt
 *
 * Return: the object (one reference), or an ERR_PTR.
 */
struct mvgpu_bo *mvgpu_bo_create(struct mvgpu_drm *m, size_t size, bool ggtt,
				 enum mvgpu_ggtt_range range)
{
	struct drm_gem_shmem_object *shmem;
	struct sg_table *sgt;
	struct mvgpu_bo *bo;
	int ret;

	shmem = drm_gem_shmem_create(&m->drm, size);
	if (IS_ERR(shmem))
		return ERR_CAST(shmem);
	bo = to_mvgpu_bo(&shmem->base);
	if (!ggtt)
		return bo;
	/* no room, however free the range: fail before pinning the pages */
	if (shmem->base.size > (range == MVGPU_GGTT_MAPPABLE ?
				m->info.mappable_size : m->info.hidden_size)) {
		ret = -ENOSPC;
		goto err;
	}
	sgt = drm_gem_shmem_get_pages_sgt(shmem);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto err;
	}
	ret = mvgpu_ggtt_bind(m, &bo->ggtt, sgt, shmem->base.size, range);
	if (ret)
		goto err;
	return bo;
err:
	drm_gem_object_put(&shmem->base);
	return ERR_PTR(ret);
}

/**
 * mvgpu_bo_vmap() - map a driver-internal object into the kernel
 * @bo: the object
 *
 * Return: its address, or an ERR_PTR.
 */
void *mvgpu_bo_vmap(struct mvgpu_bo *bo)
{
	struct iosys_map map;
	int ret;

	ret = drm_gem_vmap_unlocked(&bo->base.base, &map);
	if (ret)
		return ERR_PTR(ret);
	return map.vaddr;
}

/**
 * mvgpu_bo_vunmap() - undo mvgpu_bo_vmap()
 * @bo: the object
 * @vaddr: what mvgpu_bo_vmap() returned
 */
void mvgpu_bo_vunmap(struct mvgpu_bo *bo, void *vaddr)
{
	struct iosys_map map = IOSYS_MAP_INIT_VADDR(vaddr);

	drm_gem_vunmap_unlocked(&bo->base.base, &map);
}

/**
 * mvgpu_ioctl_gem_create() - DRM_IOCTL_MVGPU_GEM_CREATE
 * @drm: the device
 * @data: struct drm_mvgpu_gem_create
 * @file: the caller's file
 *
 * Return: 0, -EINVAL, -ENOSPC, -ENOMEM.
 */
int mvgpu_ioctl_gem_create(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	const u32 both = DRM_MVGPU_GEM_CREATE_GGTT | DRM_MVGPU_GEM_CREATE_MAPPABLE;
	struct drm_mvgpu_gem_create *args = data;
	struct mvgpu_bo *bo;
	u32 handle;
	int ret;

	if ((args->flags & ~both) || args->flags == both)
		return -EINVAL;
	if (!args->size || args->size > MVGPU_GEM_MAX_SIZE)
		return -EINVAL;
	bo = mvgpu_bo_create(to_mvgpu(drm), args->size, args->flags,
			     args->flags & DRM_MVGPU_GEM_CREATE_MAPPABLE ?
			     MVGPU_GGTT_MAPPABLE : MVGPU_GGTT_HIDDEN);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	ret = drm_gem_handle_create(file, &bo->base.base, &handle);
	if (!ret) {
		args->size = bo->base.base.size;
		args->handle = handle;
		args->ggtt_addr = args->flags ? bo->ggtt.start : 0;
	}
	/* the handle holds the object now, or nothing does */
	drm_gem_object_put(&bo->base.base);
	return ret;
}

/**
 * mvgpu_ioctl_gem_mmap_offset() - DRM_IOCTL_MVGPU_GEM_MMAP_OFFSET
 * @drm: the device
 * @data: struct drm_mvgpu_gem_mmap_offset
 * @file: the caller's file
 *
 * Return: 0, -EINVAL, -ENOENT, -ENOMEM.
 */
int mvgpu_ioctl_gem_mmap_offset(struct drm_device *drm, void *data,
				struct drm_file *file)
{
	struct drm_mvgpu_gem_mmap_offset *args = data;
	struct drm_gem_object *obj;
	int ret;

	if (args->pad)
		return -EINVAL;
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	ret = drm_gem_create_mmap_offset(obj);
	if (!ret)
		args->offset = drm_vma_node_offset_addr(&obj->vma_node);
	drm_gem_object_put(obj);
	return ret;
}

/* The error of a failed request among the object's fences, or 0. */
static int gem_fences_error(struct dma_resv *resv)
{
	struct dma_resv_iter it;
	struct dma_fence *f;
	int err = 0, s;

	dma_resv_iter_begin(&it, resv, DMA_RESV_USAGE_BOOKKEEP);
	dma_resv_for_each_fence_unlocked(&it, f) {
		s = dma_fence_get_status(f);
		if (s < 0)
			err = s;
	}
	dma_resv_iter_end(&it);
	return err;
}

/**
 * mvgpu_ioctl_gem_wait() - DRM_IOCTL_MVGPU_GEM_WAIT
 * @drm: the device
 * @data: struct drm_mvgpu_gem_wait
 * @file: the caller's file
 *
 * Return: 0 once idle, -ETIME, -EINVAL, -ENOENT, -ERESTARTSYS.
 */
int mvgpu_ioctl_gem_wait(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct drm_mvgpu_gem_wait *args = data;
	struct drm_gem_object *obj;
	s64 left;
	long ret;

	if (args->flags || args->pad)
		return -EINVAL;
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	left = args->timeout_ns - ktime_get_ns();
	if (left <= 0) {
		ret = dma_resv_test_signaled(obj->resv, DMA_RESV_USAGE_BOOKKEEP) ?
		      0 : -ETIME;
	} else {
		ret = dma_resv_wait_timeout(obj->resv, DMA_RESV_USAGE_BOOKKEEP,
					    true, min_t(u64, nsecs_to_jiffies64(left),
							MAX_SCHEDULE_TIMEOUT));
		ret = ret > 0 ? 0 : ret ?: -ETIME;
	}
	args->error = ret ? 0 : gem_fences_error(obj->resv);
	drm_gem_object_put(obj);
	return ret;
}

/**
 * mvgpu_ioctl_gem_busy() - DRM_IOCTL_MVGPU_GEM_BUSY
 * @drm: the device
 * @data: struct drm_mvgpu_gem_busy
 * @file: the caller's file
 *
 * Return: 0, -ENOENT.
 */
int mvgpu_ioctl_gem_busy(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct drm_mvgpu_gem_busy *args = data;
	struct drm_gem_object *obj;
	struct dma_resv_iter it;
	struct dma_fence *f;
	u32 busy = 0;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	dma_resv_iter_begin(&it, obj->resv, DMA_RESV_USAGE_BOOKKEEP);
	dma_resv_for_each_fence_unlocked(&it, f) {
		if (dma_resv_iter_is_restarted(&it))
			busy = 0;
		if (dma_fence_is_signaled(f))
			continue;
		if (f->ops == &mvgpu_fence_ops)
			busy |= BIT(container_of(f, struct mvgpu_fence,
						 base)->engine);
		else
			busy |= DRM_MVGPU_BUSY_FOREIGN;
	}
	dma_resv_iter_end(&it);
	args->busy = busy;
	drm_gem_object_put(obj);
	return 0;
}
