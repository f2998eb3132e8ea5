/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vGPU's screen for the VMM: VFIO_DEVICE_QUERY_GFX_PLANE, the display
 * region and VFIO_DEVICE_GET_GFX_DMABUF.
 */
#ifndef _MVGPU_MDEV_DISPLAY_H
#define _MVGPU_MDEV_DISPLAY_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct address_space;
struct mvgpu_dma_guard;
struct mvgpu_dmabuf_set;
struct mvgpu_vgpu;
struct shrinker;
struct vfio_device;
struct vfio_region_info;
struct vm_area_struct;
struct mvgpu_display_buf;

/**
 * struct mvgpu_display - what the VMM sees of one vGPU's screen
 * @vgpu: the vGPU
 * @lock: serializes queries filling the region's buffer; taken before
 *        the vGPU's lock, never under the mmap lock
 * @buf_lock: protects @buf, @used, @mapping and @pos; taken under the mmap lock
 *            (faults), before the address space's locks (zaps), never
 *            around a copy to or from the user nor with @lock held
 * @buf: the display region's contents, allocated at first use and
 *       released (zapped from every mapping first) once the VMM has not
 *       used it for trim_idle_ms, and when the device is closed; written
 *       with WRITE_ONCE() for @shrinker, which reads it without the lock
 * @used: jiffies at the last use of @buf
 * @mapping: address space of the device's files, once the region is
 *           mapped
 * @pos: file offset of the region, once it is mapped
 * @trim: releases @buf when idle, or at once for @reclaim
 * @reclaim: set by @shrinker (memory pressure): @trim releases @buf if
 *           unused for a second, whatever trim_idle_ms is
 * @shrinker: counts @buf's pages for reclaim
 * @size: the region's size: the type's largest surface, packed
 * @bufs: the dma-bufs of its surfaces (dmabuf.c)
 */
struct mvgpu_display {
	struct mvgpu_vgpu *vgpu;
	struct mutex lock; /* see @lock above */
	struct mutex buf_lock; /* see @buf_lock above */
	struct mvgpu_display_buf *buf;
	unsigned long used;
	struct address_space *mapping;
	u64 pos;
	struct delayed_work trim;
	bool reclaim;
	struct shrinker *shrinker;
	size_t size;
	struct mvgpu_dmabuf_set *bufs;
};

int mvgpu_display_init(struct mvgpu_display *d, struct mvgpu_vgpu *vgpu,
		       struct vfio_device *vdev, struct mvgpu_dma_guard *guard);
void mvgpu_display_fini(struct mvgpu_display *d);
void mvgpu_display_close(struct mvgpu_display *d);
void mvgpu_display_dma_unmap(struct mvgpu_display *d);
int mvgpu_display_region_info(struct mvgpu_display *d,
			      struct vfio_region_info *info,
			      unsigned long arg);
ssize_t mvgpu_display_read(struct mvgpu_display *d, char __user *ubuf,
			   size_t count, u64 off);
int mvgpu_display_mmap(struct mvgpu_display *d, struct vm_area_struct *vma,
		       u64 off);
long mvgpu_display_query_plane(struct mvgpu_display *d, unsigned long arg);
long mvgpu_display_get_dmabuf(struct mvgpu_display *d, unsigned long arg);

#endif /* _MVGPU_MDEV_DISPLAY_H */
