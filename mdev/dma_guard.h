/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest memory being unmapped: no pin there until the unmap is over.
 */
#ifndef _MVGPU_DMA_GUARD_H
#define _MVGPU_DMA_GUARD_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/* Ranges recorded at once; past this an unmap refuses every pin. */
#define MVGPU_DMA_GUARD_MAX_RANGES	32

/**
 * struct mvgpu_dma_guard - one vGPU's guest memory ranges being unmapped
 * @ref: held by the VFIO device and by each range that ends when its
 *       task returns to user space (which may be after the device is
 *       gone)
 * @lock: protects @ranges, @nr, @open and @stuck; taken under the vGPU's
 *        lock (a pin) or with no lock of ours held, and takes nothing
 * @ranges: the ranges being unmapped (dma_guard.c)
 * @nr: entries in @ranges
 * @open: the device is open; while it is not, nothing of it is pinned
 *        and nothing is recorded
 * @stuck: an unmap could not be recorded: every pin is refused until the
 *         device is closed
 */
struct mvgpu_dma_guard {
	struct kref ref;
	spinlock_t lock; /* see @lock above */
	struct list_head ranges;
	unsigned int nr;
	bool open;
	bool stuck;
};

struct mvgpu_dma_guard *mvgpu_dma_guard_create(void);
void mvgpu_dma_guard_put(struct mvgpu_dma_guard *g);
int mvgpu_dma_guard_unmap(struct mvgpu_dma_guard *g, u64 iova, u64 len);
int mvgpu_dma_guard_check(struct mvgpu_dma_guard *g, u64 iova, u64 len);
void mvgpu_dma_guard_open(struct mvgpu_dma_guard *g);
void mvgpu_dma_guard_close(struct mvgpu_dma_guard *g);

#endif /* _MVGPU_DMA_GUARD_H */
