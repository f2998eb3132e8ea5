// SPDX-License-Identifier: GPL-2.0-only
/*
 * A vGPU's screen for the VMM, as vfio-mdev display devices give it
 * (samples/vfio-mdev/mdpy.c, i915/gvt): VFIO_DEVICE_QUERY_GFX_PLANE with
 * both plane types.
 *
 * VFIO_GFX_PLANE_TYPE_REGION: the display region (index
 * %MVGPU_VFIO_DISPLAY_REGION_INDEX) is a host buffer the size of the
 * type's largest surface, readable and mappable.  Each query of this type
 * copies the plane's pixels into it, packed (stride = width * 4), read
 * through the guest's GGTT by gvt/display.c: what it shows is the guest's
 * own memory or zeros, whatever the guest programmed.
 *
 * VFIO_GFX_PLANE_TYPE_DMABUF: dma-bufs of the guest pages (dmabuf.c).
 *
 * A plane that is disabled or cannot be shown reads as no plane
 * (drm_format and size 0), as QEMU expects.
 */
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <linux/vmalloc.h>

#include <drm/drm_fourcc.h>
#include <drm/drm_plane.h>

#include <mvgpu/mvgpu_pci.h>
#include <mvgpu/params.h>
#include <mvgpu/vgpu.h>
#include <mvgpu/vgpu_type.h>

#include "display.h"
#include "dmabuf.h"

/**
 * mvgpu_display_init() - nothing shown yet
 * @d: the display
 * @vgpu: its vGPU
 * @vdev: the device whose guest memory it shows
 * @guard: the device's guard of guest memory being unmapped
 *
 * Return: 0 or -ENOMEM.
 */
int mvgpu_display_init(struct mvgpu_display *d, struct mvgpu_vgpu *vgpu,
		       struct vfio_device *vdev, struct mvgpu_dma_guard *guard)
{
	struct mvgpu_vgpu_info info;

	mvgpu_vgpu_get_info(vgpu, &info);
	d->vgpu = vgpu;
	d->size = PAGE_ALIGN((size_t)info.type->max_width *
			     info.type->max_height * 4);
	d->shadow = NULL;
	d->bufs = mvgpu_dmabuf_set_create(vdev, guard);
	if (!d->bufs)
		return -ENOMEM;
	mutex_init(&d->lock);
	return 0;
}

/**
 * mvgpu_display_close() - the user closed the device
 * @d: the display
 *
 * The region's buffer goes (no mapping of it is left) and cached
 * surfaces are forgotten; exported dma-bufs stay valid.
 */
void mvgpu_display_close(struct mvgpu_display *d)
{
	/* no read, mmap or query of the device is left to race with this */
	vfree(d->shadow);
	d->shadow = NULL;
	mvgpu_dmabuf_drop_cached(d->bufs);
}

/**
 * mvgpu_display_dma_unmap() - the user unmapped some guest memory
 * @d: the display
 *
 * Cached surfaces may be of that memory: they are forgotten, so the next
 * query takes the guest's pages again (or shows no plane).  Exported
 * dma-bufs keep their pages.
 */
void mvgpu_display_dma_unmap(struct mvgpu_display *d)
{
	mvgpu_dmabuf_drop_cached(d->bufs);
}

/**
 * mvgpu_display_fini() - the device goes
 * @d: the display, closed
 */
void mvgpu_display_fini(struct mvgpu_display *d)
{
	mvgpu_dmabuf_set_put(d->bufs);
	mutex_destroy(&d->lock);
}

/*
 * The region's buffer, allocated at first use.  No lock: mmap() comes
 * here under the mmap lock, and a read's copy to the user may fault, so
 * neither may wait on a lock held elsewhere around such a copy.  Two
 * first users race with cmpxchg(); the loser frees its buffer.  It is
 * charged to the memory cgroup of the process that reads or maps it (the
 * VMM), so it is plain vmalloc memory mapped page by page, not
 * vmalloc_user()'s, which cannot be charged.
 */
static void *display_shadow_get(struct mvgpu_display *d)
{
	/* pairs with cmpxchg()'s barrier: the buffer is zeroed before seen */
	void *shadow = smp_load_acquire(&d->shadow);
	void *old;

	if (shadow)
		return shadow;
	shadow = __vmalloc(d->size, GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!shadow)
		return NULL;
	old = cmpxchg(&d->shadow, NULL, shadow);
	if (old) {
		vfree(shadow);
		return old;
	}
	return shadow;
}

/**
 * mvgpu_display_region_info() - VFIO_DEVICE_GET_REGION_INFO of the region
 * @d: the display
 * @info: index set; filled in
 * @arg: the user's structure, for the capability chain
 *
 * Return: 0 or a negative errno.
 */
int mvgpu_display_region_info(struct mvgpu_display *d,
			      struct vfio_region_info *info,
			      unsigned long arg)
{
	struct vfio_region_info_cap_type cap = {
		.header.id = VFIO_REGION_INFO_CAP_TYPE,
		.header.version = 1,
		.type = VFIO_REGION_TYPE_PCI_VENDOR_TYPE | MVGPU_PCI_VENDOR_ID,
		.subtype = MVGPU_VFIO_REGION_SUBTYPE_DISPLAY,
	};
	struct vfio_info_cap caps = { .buf = NULL, .size = 0 };
	int ret;

	info->size = d->size;
	info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_MMAP |
		      VFIO_REGION_INFO_FLAG_CAPS;
	info->cap_offset = 0;
	ret = vfio_info_add_capability(&caps, &cap.header, sizeof(cap));
	if (ret)
		return ret;
	if (info->argsz < sizeof(*info) + caps.size) {
		info->argsz = sizeof(*info) + caps.size;
	} else {
		vfio_info_cap_shift(&caps, sizeof(*info));
		if (copy_to_user((void __user *)arg + sizeof(*info), caps.buf,
				 caps.size))
			ret = -EFAULT;
		info->cap_offset = sizeof(*info);
	}
	kfree(caps.buf);
	return ret;
}

/**
 * mvgpu_display_read() - read of the display region
 * @d: the display
 * @ubuf: user buffer
 * @count: bytes
 * @off: offset in the region
 *
 * Return: bytes read, or -EINVAL for a range outside the region.
 */
ssize_t mvgpu_display_read(struct mvgpu_display *d, char __user *ubuf,
			   size_t count, u64 off)
{
	void *shadow;

	if (!count || off >= d->size || count > d->size - off)
		return -EINVAL;
	shadow = display_shadow_get(d);
	if (!shadow)
		return -ENOMEM;
	/* as through a mapping: a query filling it meanwhile may show */
	if (copy_to_user(ubuf, (u8 *)shadow + off, count))
		return -EFAULT;
	return count;
}

/**
 * mvgpu_display_mmap() - map the display region
 * @d: the display
 * @vma: the mapping, read-only
 * @off: offset in the region of its first page
 *
 * Return: 0, -EINVAL for a writable mapping or one past the region.
 */
int mvgpu_display_mmap(struct mvgpu_display *d, struct vm_area_struct *vma,
		       u64 off)
{
	unsigned long addr;
	void *shadow;
	int ret;

	if (vma->vm_flags & VM_WRITE)
		return -EINVAL;
	if (off >= d->size || vma->vm_end - vma->vm_start > d->size - off)
		return -EINVAL;
	vm_flags_clear(vma, VM_MAYWRITE);
	shadow = display_shadow_get(d);	/* no lock: the mmap lock is held */
	if (!shadow)
		return -ENOMEM;
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	for (addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE) {
		ret = vm_insert_page(vma, addr, vmalloc_to_page((u8 *)shadow + off));
		if (ret)
			return ret;
		off += PAGE_SIZE;
	}
	return 0;
}

static u32 drm_format(u32 format)
{
	return format == MVGPU_DSPCNTR_FORMAT_ARGB8888 ? DRM_FORMAT_ARGB8888 :
							 DRM_FORMAT_XRGB8888;
}

static int fill_region(struct mvgpu_display *d,
		       const struct mvgpu_vgpu_plane *p,
		       struct vfio_device_gfx_plane_info *info)
{
	void *shadow = display_shadow_get(d);

	if (!shadow)
		return -ENOMEM;
	mutex_lock(&d->lock);
	mvgpu_vgpu_read_plane(d->vgpu, p, shadow);
	mutex_unlock(&d->lock);
	info->stride = p->width * 4;
	info->size = (u32)info->stride * p->height;
	info->region_index = MVGPU_VFIO_DISPLAY_REGION_INDEX;
	return 0;
}

static int fill_dmabuf(struct mvgpu_display *d,
		       const struct mvgpu_vgpu_plane *p,
		       struct vfio_device_gfx_plane_info *info)
{
	int ret = mvgpu_dmabuf_query(d->bufs, d->vgpu, p, &info->dmabuf_id);

	if (ret == -EFAULT) {
		mvgpu_vgpu_warn(d->vgpu, "plane at 0x%llx not shown: a page of it has no guest memory\n",
				p->gm_addr);
		return -ENOENT;
	}
	if (ret == -ENOSPC)
		mvgpu_vgpu_warn(d->vgpu, "plane at 0x%llx not shown: %u surfaces alive already\n",
				p->gm_addr, MVGPU_DMABUF_MAX_OBJS);
	if (ret)
		return ret;
	info->stride = p->stride;
	info->size = mvgpu_vgpu_plane_pages(p) << PAGE_SHIFT;
	return 0;
}

static int query(struct mvgpu_display *d, u32 type,
		 struct vfio_device_gfx_plane_info *info)
{
	struct mvgpu_vgpu_plane p;
	int ret;

	ret = mvgpu_vgpu_get_plane(d->vgpu, &p);
	if (ret)
		return ret;
	if (type == VFIO_GFX_PLANE_TYPE_REGION)
		ret = fill_region(d, &p, info);
	else
		ret = fill_dmabuf(d, &p, info);
	if (ret)
		return ret;
	info->drm_format = drm_format(p.format);
	info->drm_format_mod = DRM_FORMAT_MOD_LINEAR;
	info->width = p.width;
	info->height = p.height;
	return 0;
}

/* No plane: QEMU takes drm_format or size 0 for it. */
static void clear_plane(struct vfio_device_gfx_plane_info *info)
{
	info->drm_format = 0;
	info->drm_format_mod = 0;
	info->width = 0;
	info->height = 0;
	info->stride = 0;
	info->size = 0;
	info->x_pos = 0;
	info->y_pos = 0;
	info->x_hot = 0;
	info->y_hot = 0;
	info->region_index = 0;
}

/**
 * mvgpu_display_query_plane() - VFIO_DEVICE_QUERY_GFX_PLANE
 * @d: the display
 * @arg: the user's struct vfio_device_gfx_plane_info
 *
 * Only the primary plane exists: the cursor plane reads as no plane; a
 * region query is of the primary plane whatever its plane type says.  A
 * probe of the region type succeeds, one of the dma-buf type only with
 * the display_dmabuf parameter set; queries of both types work.
 *
 * Return: 0 (no plane shown: drm_format and size 0), -EINVAL for a bad
 * request or a probe of a type not advertised, -ENOSPC when the vGPU
 * has too many surfaces alive, or another negative errno.
 */
long mvgpu_display_query_plane(struct mvgpu_display *d, unsigned long arg)
{
	size_t minsz = offsetofend(struct vfio_device_gfx_plane_info,
				   region_index);
	struct vfio_device_gfx_plane_info info;
	u32 type;
	int ret;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	type = info.flags & (VFIO_GFX_PLANE_TYPE_REGION |
			     VFIO_GFX_PLANE_TYPE_DMABUF);
	if ((info.flags & ~(type | VFIO_GFX_PLANE_TYPE_PROBE)) ||
	    hweight32(type) != 1)
		return -EINVAL;
	if (info.flags & VFIO_GFX_PLANE_TYPE_PROBE)
		return type == VFIO_GFX_PLANE_TYPE_DMABUF &&
		       !READ_ONCE(mvgpu_display_dmabuf) ? -EINVAL : 0;
	/* QEMU leaves the plane type 0 for the region type, as mdpy takes */
	if (type == VFIO_GFX_PLANE_TYPE_REGION)
		info.drm_plane_type = DRM_PLANE_TYPE_PRIMARY;
	if (info.drm_plane_type != DRM_PLANE_TYPE_PRIMARY &&
	    info.drm_plane_type != DRM_PLANE_TYPE_CURSOR)
		return -EINVAL;
	clear_plane(&info);
	ret = -ENOENT;	/* no cursor plane */
	if (info.drm_plane_type == DRM_PLANE_TYPE_PRIMARY)
		ret = query(d, type, &info);
	if (ret == -ENOENT || ret == -EINVAL) {
		clear_plane(&info);
		ret = 0;
	}
	if (ret)
		return ret;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

/**
 * mvgpu_display_get_dmabuf() - VFIO_DEVICE_GET_GFX_DMABUF
 * @d: the display
 * @arg: the user's u32 dmabuf_id
 *
 * Return: a dma-buf fd, or a negative errno (mvgpu_dmabuf_get_fd()).
 */
long mvgpu_display_get_dmabuf(struct mvgpu_display *d, unsigned long arg)
{
	u32 id;

	if (get_user(id, (u32 __user *)arg))
		return -EFAULT;
	return mvgpu_dmabuf_get_fd(d->bufs, id);
}
