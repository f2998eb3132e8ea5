/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A physical GPU as the virtualization core sees it: its state (pgpu.h:
 * the functions and the graphics memory layout).
 */
#ifndef _MVGPU_PGPU_TYPES_H
#define _MVGPU_PGPU_TYPES_H

#include <linux/idr.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "gm_alloc.h"
#include "sched_types.h"

struct mvgpu_backend;
struct shrinker;
struct workqueue_struct;

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
 * @shadow: its window of the host's graphics memory for the shadows of
 *          its work, as many slots of the shadow pool as it has of the
 *          aperture
 */
struct mvgpu_vgpu_res {
	unsigned int id;
	struct mvgpu_gm_range aperture;
	struct mvgpu_gm_range hidden;
	struct mvgpu_gm_range shadow;
};

/**
 * struct mvgpu_pgpu - one physical GPU
 * @id: index of this pGPU, as in its device name
 * @backend: the physical GPU; set at init, owned by whoever created it
 * @lock: protects @aperture, @hidden, @shadow, @vgpu_ids and @nr_vgpus;
 *        taken without any other mvgpu lock held
 * @aperture: aperture pool lent to vGPUs
 * @hidden: hidden graphics memory pool lent to vGPUs
 * @shadow: the host's graphics memory for the vGPUs' shadow windows
 * @vgpu_ids: allocator of vGPU numbers
 * @nr_vgpus: vGPUs holding resources
 * @sched: runs the vGPUs' work on @backend, whose client it is
 * @deliver_wq: where each vGPU hears of its finished work (workload.c)
 * @trim_lock: protects @trim_list; taken with no other mvgpu lock held,
 *             before a vGPU's lock, which the shrinker only trylocks
 *             (trim.c), as it takes @trim_lock itself
 * @trim_list: its vGPUs, whose idle shadow caches @shrinker may release
 * @shrinker: releases idle vGPUs' shadow caches under memory pressure
 */
struct mvgpu_pgpu {
	unsigned int id;
	struct mvgpu_backend *backend;
	struct mutex lock; /* see @lock above */
	struct mvgpu_gm_pool aperture;
	struct mvgpu_gm_pool hidden;
	struct mvgpu_gm_pool shadow;
	struct ida vgpu_ids;
	unsigned int nr_vgpus;
	struct mvgpu_sched sched;
	struct workqueue_struct *deliver_wq;
	struct mutex trim_lock; /* see @trim_lock above */
	struct list_head trim_list;
	struct shrinker *shrinker;
};

#endif /* _MVGPU_PGPU_TYPES_H */
