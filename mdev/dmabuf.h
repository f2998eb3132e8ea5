/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dma-bufs of a vGPU's scanout surface (VFIO_GFX_PLANE_TYPE_DMABUF).
 */
#ifndef _MVGPU_DMABUF_H
#define _MVGPU_DMABUF_H

#include <linux/types.h>

struct mvgpu_dma_guard;
struct mvgpu_dmabuf_set;
struct mvgpu_vgpu;
struct mvgpu_vgpu_plane;
struct vfio_device;

/* Surfaces a vGPU may have alive at once, cached or exported. */
#define MVGPU_DMABUF_MAX_OBJS		16
/* dma-bufs exported at once for one surface. */
#define MVGPU_DMABUF_MAX_EXPORTS	4

struct mvgpu_dmabuf_set *mvgpu_dmabuf_set_create(struct vfio_device *vdev,
						 struct mvgpu_dma_guard *guard);
void mvgpu_dmabuf_set_put(struct mvgpu_dmabuf_set *set);
int mvgpu_dmabuf_query(struct mvgpu_dmabuf_set *set, struct mvgpu_vgpu *vgpu,
		       const struct mvgpu_vgpu_plane *plane, u32 *id);
int mvgpu_dmabuf_get_fd(struct mvgpu_dmabuf_set *set, u32 id);
void mvgpu_dmabuf_drop_cached(struct mvgpu_dmabuf_set *set);

#endif /* _MVGPU_DMABUF_H */
