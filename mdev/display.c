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
 *
 * The region's buffer (3 MiB for V1_8 and smaller types, 32 MiB for
 * V1_1) is host memory beyond the vGPU's graphics memory: it exists only
 * while the VMM uses it.  It is allocated at the first read, fault or
 * query of the region, charged to the memory cgroup of the process that
 * makes it (the VMM), and released once none has come for trim_idle_ms
 * (never for 0): its pages are zapped from every mapping first, so a
 * later access of a mapping faults in a new, zeroed buffer, which the
 * next query fills.  A read still copying from the old buffer holds a
 * reference to it.  Under memory pressure, the display's shrinker has a
 * buffer unused for %DISPLAY_RECLAIM_IDLE_MS released sooner, whatever
 * trim_idle_ms is, on the display's work: reclaim may run in a task
 * holding the mmap lock, or the buffer's lock itself while allocating.
 */
#include <linux/jiffies.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
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

/* what a buffer must have been unused for to go under memory pressure */
#define DISPLAY_RECLAIM_IDLE_MS	1000

/**
 * struct mvgpu_display_buf - the display region's contents
 * @ref: one for the display while it is its buffer, one per user copying
 *       from it or filling it
 * @va: the pixels, vmalloc memory
 */
struct mvgpu_display_buf {
	struct kref ref;
	void *va;
};

static void display_buf_release(struct kref *ref)
{
	struct mvgpu_display_buf *b = container_of(ref, struct mvgpu_display_buf,
						   ref);

	vfree(b->va);
	kfree(b);
}

static void display_buf_put(struct mvgpu_display_buf *b)
{
	if (b)
		kref_put(&b->ref, display_buf_release);
}

/*
 * Charged to the memory cgroup of the process that makes it (the VMM), so
 * it is plain vmalloc memory mapped page by page, not vmalloc_user()'s,
 * which cannot be charged.
 */
static struct mvgpu_display_buf *display_buf_alloc(size_t size)
{
	struct mvgpu_display_buf *b = kmalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);

	if (!b)
		return NULL;
	b->va = __vmalloc(size, GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!b->va) {
		kfree(b);
		return NULL;
	}
	kref_init(&b->ref);
	return b;
}

/* The buffer, allocated if need be, its release put off; NULL if none. */
static struct mvgpu_display_buf *display_buf_locked(struct mvgpu_display *d)
{
	unsigned int ms = READ_ONCE(mvgpu_trim_idle_ms);

	lockdep_assert_held(&d->buf_lock);
	if (!d->buf) {
		WRITE_ONCE(d->buf, display_buf_alloc(d->size));
		if (!d->buf)
			mvgpu_vgpu_warn(d->vgpu, "display region: no memory for its %zu KiB buffer\n",
					d->size >> 10);
	}
	d->used = jiffies;
	if (d->buf && ms)
		mod_delayed_work(system_wq, &d->trim, msecs_to_jiffies(ms));
	return d->buf;
}

/* The buffer for a user to copy from or fill, or NULL; put it after. */
static struct mvgpu_display_buf *display_buf_get(struct mvgpu_display *d)
{
	struct mvgpu_display_buf *b;

	mutex_lock(&d->buf_lock);
	b = display_buf_locked(d);
	if (b)
		kref_get(&b->ref);
	mutex_unlock(&d->buf_lock);
	return b;
}

/*
 * Drops the buffer, zapped from every mapping first; when @idle_ms, only
 * if it has not been used for that long (a use while the release was
 * on its way armed it again).  A buffer kept is released @trim_ms after
 * its last use (if not 0): reclaim may have run this early, replacing
 * that release.
 */
static void display_buf_drop(struct mvgpu_display *d, unsigned int idle_ms,
			     unsigned int trim_ms)
{
	struct mvgpu_display_buf *b = NULL;
	unsigned long due;

	mutex_lock(&d->buf_lock);
	if (!idle_ms ||
	    time_after_eq(jiffies, d->used + msecs_to_jiffies(idle_ms))) {
		b = d->buf;
		WRITE_ONCE(d->buf, NULL);
	} else if (d->buf && trim_ms) {
		due = d->used + msecs_to_jiffies(trim_ms);
		mod_delayed_work(system_wq, &d->trim,
				 time_after(due, jiffies) ? due - jiffies : 0);
	}
	if (b && d->mapping)
		unmap_mapping_range(d->mapping, d->pos, d->size, 1);
	mutex_unlock(&d->buf_lock);
	display_buf_put(b);
}

static void display_trim_work(struct work_struct *work)
{
	struct mvgpu_display *d = container_of(to_delayed_work(work),
					       struct mvgpu_display, trim);
	unsigned int trim_ms = READ_ONCE(mvgpu_trim_idle_ms), ms = trim_ms;

	if (xchg(&d->reclaim, false))
		ms = ms ? min(ms, DISPLAY_RECLAIM_IDLE_MS) : DISPLAY_RECLAIM_IDLE_MS;
	if (ms)
		display_buf_drop(d, ms, trim_ms);
}

/* Reclaim's estimate: the buffer's pages, read without its lock. */
static unsigned long display_count(struct shrinker *shrinker,
				   struct shrink_control *sc)
{
	struct mvgpu_display *d = shrinker->private_data;

	return READ_ONCE(d->buf) ? d->size >> PAGE_SHIFT : SHRINK_EMPTY;
}

/* Has the display's work release the buffer if unused; frees nothing here. */
static unsigned long display_scan(struct shrinker *shrinker,
				  struct shrink_control *sc)
{
	struct mvgpu_display *d = shrinker->private_data;

	if (READ_ONCE(d->buf)) {
		WRITE_ONCE(d->reclaim, true);
		mod_delayed_work(system_wq, &d->trim, 0);
	}
	return SHRINK_STOP;
}

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
	d->buf = NULL;
	d->mapping = NULL;
	d->pos = 0;
	d->used = jiffies;
	d->reclaim = false;
	d->bufs = mvgpu_dmabuf_set_create(vdev, guard);
	if (!d->bufs)
		return -ENOMEM;
	d->shrinker = shrinker_alloc(0, "mvgpu-display-%s", dev_name(vdev->dev));
	if (!d->shrinker) {
		mvgpu_dmabuf_set_put(d->bufs);
		return -ENOMEM;
	}
	mutex_init(&d->lock);
	mutex_init(&d->buf_lock);
	INIT_DELAYED_WORK(&d->trim, display_trim_work);
	d->shrinker->count_objects = display_count;
	d->shrinker->scan_objects = display_scan;
	d->shrinker->private_data = d;
	shrinker_register(d->shrinker);
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
	cancel_delayed_work_sync(&d->trim);
	display_buf_drop(d, 0, 0);
	mutex_lock(&d->buf_lock);
	d->mapping = NULL;
	mutex_unlock(&d->buf_lock);
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
	shrinker_free(d->shrinker);	/* waits for its calls in progress */
	cancel_delayed_work_sync(&d->trim);
	mvgpu_dmabuf_set_put(d->bufs);
	mutex_destroy(&d->buf_lock);
	mutex_destroy(&d->lock);
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
	struct mvgpu_display_buf *b;
	ssize_t ret = count;

	if (!count || off >= d->size || count > d->size - off)
		return -EINVAL;
	b = display_buf_get(d);
	if (!b)
		return -ENOMEM;
	/* as through a mapping: a query filling it meanwhile may show */
	if (copy_to_user(ubuf, (u8 *)b->va + off, count))
		ret = -EFAULT;
	display_buf_put(b);
	return ret;
}

/* A page of the region: the buffer's, allocated if need be. */
static vm_fault_t display_fault(struct vm_fault *vmf)
{
	struct mvgpu_display *d = vmf->vma->vm_private_data;
	u64 off = ((u64)vmf->pgoff << PAGE_SHIFT) - d->pos;
	struct mvgpu_display_buf *b;
	vm_fault_t ret;

	if (off >= d->size)
		return VM_FAULT_SIGBUS;
	/* held while the page goes in: a release zaps after, not before */
	mutex_lock(&d->buf_lock);
	b = display_buf_locked(d);
	if (b)
		ret = vmf_insert_page(vmf->vma, vmf->address,
				      vmalloc_to_page((u8 *)b->va + off));
	else
		ret = VM_FAULT_OOM;
	mutex_unlock(&d->buf_lock);
	return ret;
}

static const struct vm_operations_struct display_vm_ops = {
	.fault = display_fault,
};

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
	if (vma->vm_flags & VM_WRITE)
		return -EINVAL;
	if (off >= d->size || vma->vm_end - vma->vm_start > d->size - off)
		return -EINVAL;
	vm_flags_clear(vma, VM_MAYWRITE);
	mutex_lock(&d->buf_lock);
	/* every file of the device shares its inode's address space */
	d->mapping = vma->vm_file->f_mapping;
	d->pos = ((u64)vma->vm_pgoff << PAGE_SHIFT) - off;
	mutex_unlock(&d->buf_lock);
	vm_flags_set(vma, VM_MIXEDMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_private_data = d;
	vma->vm_ops = &display_vm_ops;
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
	struct mvgpu_display_buf *b = display_buf_get(d);

	if (!b)
		return -ENOMEM;
	mutex_lock(&d->lock);
	mvgpu_vgpu_read_plane(d->vgpu, p, b->va);
	mutex_unlock(&d->lock);
	display_buf_put(b);
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
