/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The GGTT: the driver's share of graphics memory and its entries.
 */
#ifndef _MVGPU_DRM_GGTT_H
#define _MVGPU_DRM_GGTT_H

#include <linux/mutex.h>
#include <linux/scatterlist.h>

#include <drm/drm_mm.h>

/* The two ranges of graphics memory the driver uses. */
enum mvgpu_ggtt_range {
	MVGPU_GGTT_MAPPABLE,	/* in the aperture: CPU-visible, scanout */
	MVGPU_GGTT_HIDDEN,	/* above it: GPU-only */
	MVGPU_GGTT_RANGES,
};

/**
 * struct mvgpu_ggtt - allocator and entries of the GGTT
 * @lock: protects @mm and the GGTT entries of the driver's ranges: an
 *        entry is written only by the holder of the node it belongs to,
 *        under this lock
 * @mm: one allocator per range, in GGTT addresses
 * @window: BAR0's GGTT window, one 64-bit entry per 4 KiB page
 *
 * Used for the driver's objects, context images and rings, and (next)
 * for scanout buffers: any user holds a &struct drm_mm_node.
 */
struct mvgpu_ggtt {
	struct mutex lock; /* see @lock above */
	struct drm_mm mm[MVGPU_GGTT_RANGES];
	void __iomem *window;
};

struct mvgpu_drm;

void mvgpu_ggtt_init(struct mvgpu_drm *m);
void mvgpu_ggtt_fini(struct mvgpu_drm *m);
int mvgpu_ggtt_bind(struct mvgpu_drm *m, struct drm_mm_node *node,
		    struct sg_table *sgt, size_t size,
		    enum mvgpu_ggtt_range range);
void mvgpu_ggtt_unbind(struct mvgpu_drm *m, struct drm_mm_node *node);
void mvgpu_ggtt_clear_all(struct mvgpu_drm *m);

#endif /* _MVGPU_DRM_GGTT_H */
