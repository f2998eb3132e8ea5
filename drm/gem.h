/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * GEM objects: shmem-backed, optionally bound in the GGTT.
 */
#ifndef _MVGPU_DRM_GEM_H
#define _MVGPU_DRM_GEM_H

#include <linux/list.h>
#include <linux/mutex.h>

#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_mm.h>

#include "ggtt.h"
#include "request.h"

struct drm_device;
struct drm_file;
struct mvgpu_drm;

/**
 * struct mvgpu_bo - a GEM object
 * @base: the shmem object; first, drm_gem_shmem_free() frees the struct
 * @ggtt: its GGTT binding for its whole life, if it was created with one
 *        (set before the object is visible, cleared when it is freed)
 * @vma_lock: protects @vmas
 * @vmas: its open bindings in PPGTTs (struct mvgpu_vma)
 * @def: releases its pages once the engines are past its unbinding
 */
struct mvgpu_bo {
	struct drm_gem_shmem_object base;
	struct drm_mm_node ggtt;
	struct mutex vma_lock; /* see @vma_lock above */
	struct list_head vmas;
	struct mvgpu_deferred def;
};

static inline struct mvgpu_bo *to_mvgpu_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct mvgpu_bo, base.base);
}

struct drm_gem_object *mvgpu_gem_create_object(struct drm_device *drm,
					       size_t size);
bool mvgpu_is_bo(struct drm_gem_object *obj);
struct mvgpu_bo *mvgpu_bo_create(struct mvgpu_drm *m, size_t size,
				 bool ggtt, enum mvgpu_ggtt_range range);
void *mvgpu_bo_vmap(struct mvgpu_bo *bo);
void mvgpu_bo_vunmap(struct mvgpu_bo *bo, void *vaddr);

int mvgpu_ioctl_gem_create(struct drm_device *drm, void *data,
			   struct drm_file *file);
int mvgpu_ioctl_gem_mmap_offset(struct drm_device *drm, void *data,
				struct drm_file *file);
int mvgpu_ioctl_gem_wait(struct drm_device *drm, void *data,
			 struct drm_file *file);
int mvgpu_ioctl_gem_busy(struct drm_device *drm, void *data,
			 struct drm_file *file);

#endif /* _MVGPU_DRM_GEM_H */
