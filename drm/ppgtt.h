/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-file PPGTT: a 4-level, 48-bit address space whose tables are
 * in guest memory, and the objects bound in it.
 */
#ifndef _MVGPU_DRM_PPGTT_H
#define _MVGPU_DRM_PPGTT_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>

#include <drm/drm_mm.h>

#include "request.h"

struct mvgpu_bo;
struct mvgpu_drm;
struct mvgpu_pt;

/**
 * struct mvgpu_vm - a PPGTT
 * @ref: the file, its LEGACY_64B contexts, its bindings
 * @mdev: the device
 * @lock: protects @mm, the page tables, and the state of every binding
 *        in it (struct mvgpu_vma: @node, @closed); taken before a
 *        binding's object's @vma_lock and the GGTT lock
 * @mm: the bound ranges
 * @pml4: the root table
 */
struct mvgpu_vm {
	struct kref ref;
	struct mvgpu_drm *mdev;
	struct mutex lock; /* see @lock above */
	struct drm_mm mm;
	struct mvgpu_pt *pml4;
};

/**
 * struct mvgpu_vma - an object bound in a PPGTT
 * @ref: one while open (the binding itself), one per request and per
 *       execbuf that uses it; the last one unbinds it (under @vm's lock)
 * @vm: the PPGTT (a reference)
 * @bo: the object (a reference)
 * @node: its range in @vm (@vm's lock)
 * @bo_link: in @bo's list of bindings while open (@bo's vma_lock)
 * @closed: its handle was closed, or it moved: no new user finds it
 *          (@vm's lock)
 * @def: releases @bo and @vm once the engines are past the unbinding
 */
struct mvgpu_vma {
	struct kref ref;
	struct mvgpu_vm *vm;
	struct mvgpu_bo *bo;
	struct drm_mm_node node;
	struct list_head bo_link;
	bool closed;
	struct mvgpu_deferred def;
};

int mvgpu_vm_create(struct mvgpu_drm *m, struct mvgpu_vm **out);
void mvgpu_vm_put(struct mvgpu_vm *vm);
u64 mvgpu_vm_root(struct mvgpu_vm *vm);
int mvgpu_vm_bind(struct mvgpu_vm *vm, struct mvgpu_bo *bo, u64 addr,
		  struct mvgpu_vma **out);
void mvgpu_vma_put(struct mvgpu_vma *vma);
void mvgpu_vm_close_bo(struct mvgpu_vm *vm, struct mvgpu_bo *bo);
void mvgpu_vm_pool_init(struct mvgpu_drm *m);
void mvgpu_vm_pool_fini(struct mvgpu_drm *m);

static inline void mvgpu_vm_get(struct mvgpu_vm *vm)
{
	kref_get(&vm->ref);
}

#endif /* _MVGPU_DRM_PPGTT_H */
