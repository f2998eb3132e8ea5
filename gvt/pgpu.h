/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A physical GPU as the virtualization core sees it: resources to lend.
 */
#ifndef _MVGPU_PGPU_H
#define _MVGPU_PGPU_H

#include <linux/idr.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>

#include <mvgpu/backend.h>

#include "gm_alloc.h"
#include "sched.h"
#include "vgpu_type.h"

/*
 * Graphics memory layout of a pGPU: the upper half of each part is lent,
 * the lower half is the host's.  The host's hidden half is split: the
 * native path (gvt/native.c) has its first half, the shadows of vGPU work
 * (gvt/shadow_mem.c) the second, one slot per vGPU.
 */
#define MVGPU_PGPU_HOST_APERTURE_BASE	0ULL
#define MVGPU_PGPU_HOST_APERTURE_SIZE	(512ULL << 20)
#define MVGPU_PGPU_HOST_HIDDEN_BASE	(1024ULL << 20)
#define MVGPU_PGPU_HOST_HIDDEN_SIZE	(1024ULL << 20)
#define MVGPU_PGPU_NATIVE_HIDDEN_SIZE	(512ULL << 20)
#define MVGPU_PGPU_SHADOW_BASE		(1536ULL << 20)
#define MVGPU_PGPU_SHADOW_SLOT		(64ULL << 20)
#define MVGPU_PGPU_APERTURE_POOL_BASE	(512ULL << 20)
#define MVGPU_PGPU_APERTURE_POOL_SIZE	(512ULL << 20)
#define MVGPU_PGPU_APERTURE_SLOT	(64ULL << 20)
#define MVGPU_PGPU_HIDDEN_POOL_BASE	(2048ULL << 20)
#define MVGPU_PGPU_HIDDEN_POOL_SIZE	(2048ULL << 20)
#define MVGPU_PGPU_HIDDEN_SLOT		(256ULL << 20)
#define MVGPU_PGPU_MAX_VGPUS		8

/**
 * struct mvgpu_gm_range - a contiguous range of graphics memory
 * @base: first graphics memory address
 * @size: bytes
 */
struct mvgpu_gm_range {
	u64 base;
	u64 size;
};

/**
 * struct mvgpu_vgpu_res - what a pGPU lent one vGPU
 * @id: vGPU number on this pGPU, from 1 (0 is the host)
 * @aperture: its slice of the aperture
 * @hidden: its slice of hidden graphics memory
 */
struct mvgpu_vgpu_res {
	unsigned int id;
	struct mvgpu_gm_range aperture;
	struct mvgpu_gm_range hidden;
};

/**
 * struct mvgpu_pgpu - one physical GPU
 * @id: index of this pGPU, as in its device name
 * @backend: the physical GPU; set at init, owned by whoever created it
 * @lock: protects @aperture, @hidden, @vgpu_ids and @nr_vgpus; taken
 *        without any other mvgpu lock held
 * @aperture: aperture pool lent to vGPUs
 * @hidden: hidden graphics memory pool lent to vGPUs
 * @vgpu_ids: allocator of vGPU numbers
 * @nr_vgpus: vGPUs holding resources
 * @sched: runs the vGPUs' work on @backend, whose client it is
 * @deliver_wq: where each vGPU hears of its finished work (workload.c)
 */
struct mvgpu_pgpu {
	unsigned int id;
	struct mvgpu_backend *backend;
	struct mutex lock; /* see @lock above */
	struct mvgpu_gm_pool aperture;
	struct mvgpu_gm_pool hidden;
	struct ida vgpu_ids;
	unsigned int nr_vgpus;
	struct mvgpu_sched sched;
	struct workqueue_struct *deliver_wq;
};

int mvgpu_pgpu_init(struct mvgpu_pgpu *pgpu, unsigned int id,
		    struct mvgpu_backend *backend);
void mvgpu_pgpu_fini(struct mvgpu_pgpu *pgpu);
int mvgpu_pgpu_alloc_vgpu_res(struct mvgpu_pgpu *pgpu,
			      const struct mvgpu_type_desc *type,
			      struct mvgpu_vgpu_res *res);
void mvgpu_pgpu_free_vgpu_res(struct mvgpu_pgpu *pgpu,
			      const struct mvgpu_vgpu_res *res);
unsigned int mvgpu_pgpu_available(struct mvgpu_pgpu *pgpu,
				  const struct mvgpu_type_desc *type);

#endif /* _MVGPU_PGPU_H */
