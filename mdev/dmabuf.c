// SPDX-License-Identifier: GPL-2.0-only
/*
 * dma-bufs of a vGPU's scanout surface, for VMMs that show the guest's
 * screen with OpenGL (VFIO_GFX_PLANE_TYPE_DMABUF), as GVT-g gives them.
 *
 * A query translates the plane's pages through the guest's GGTT at that
 * moment (gvt/display.c: only the vGPU's own graphics memory, valid
 * entries only) and looks for a cached object of the same plane on the
 * same guest frames; if there is none, a new object takes a reference on
 * each guest page (pinned through VFIO for the moment it takes it, so
 * only memory the user mapped for the device) and gets a new dmabuf_id.
 * Cached objects of another plane are dropped at each query.
 * VFIO_DEVICE_GET_GFX_DMABUF exports a cached object as a dma-buf, which
 * holds the object until its last fd goes.
 *
 * The object holds page references, not VFIO pins: when the user unmaps
 * the guest memory, the pages stay allocated until the dma-buf goes and
 * show what they held, never another owner's data.  A vGPU has at most
 * %MVGPU_DMABUF_MAX_OBJS objects alive (cached or exported, each at most
 * the type's largest surface) and at most %MVGPU_DMABUF_MAX_EXPORTS
 * dma-bufs of one object: a guest flipping without end or a VMM that
 * never closes its fds gets -ENOSPC, not more pinned memory.  The set of
 * objects outlives the device while dma-bufs of it are alive.
 */
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vfio.h>
#include <linux/vmalloc.h>

#include <mvgpu/vgpu.h>

#include "dma_guard.h"
#include "dmabuf.h"

/**
 * struct mvgpu_dmabuf_set - one vGPU's surfaces
 * @ref: one for the device, one for each object alive
 * @lock: protects @cached, @next_id and the @vdev pointer's use; taken
 *        in the device's ioctls only, never under a vGPU lock (the vGPU's
 *        lock is taken under it)
 * @vdev: the device, NULL once it is gone
 * @guard: the device's guard of guest memory being unmapped (dma_guard.c),
 *         used with @vdev
 * @cached: objects a query may return, each holding a reference
 * @alive: objects alive, cached or exported
 * @next_id: dmabuf_id of the next object, never 0
 */
struct mvgpu_dmabuf_set {
	struct kref ref;
	struct mutex lock; /* see @lock above */
	struct vfio_device *vdev;
	struct mvgpu_dma_guard *guard;
	struct list_head cached;
	atomic_t alive;
	u32 next_id;
};

/**
 * struct mvgpu_dmabuf_obj - the pages of one surface
 * @ref: one while cached, one for each dma-buf of it
 * @set: its set, referenced
 * @link: in @set->cached while cached
 * @id: its dmabuf_id
 * @exports: dma-bufs of it alive
 * @plane: the plane it shows
 * @gfns: guest frames behind it
 * @pages: their pages, one reference each
 * @nr_pages: how many
 */
struct mvgpu_dmabuf_obj {
	struct kref ref;
	struct mvgpu_dmabuf_set *set;
	struct list_head link;
	u32 id;
	atomic_t exports;
	struct mvgpu_vgpu_plane plane;
	u64 *gfns;
	struct page **pages;
	unsigned int nr_pages;
};

static void set_free(struct kref *ref)
{
	struct mvgpu_dmabuf_set *set = container_of(ref, typeof(*set), ref);

	mutex_destroy(&set->lock);
	kfree(set);
}

/**
 * mvgpu_dmabuf_set_create() - no surface yet
 * @vdev: the device whose guest memory the surfaces are
 * @guard: its guard of guest memory being unmapped, which outlives the set's
 *         use of @vdev
 *
 * Return: the set, or NULL.
 */
struct mvgpu_dmabuf_set *mvgpu_dmabuf_set_create(struct vfio_device *vdev,
						 struct mvgpu_dma_guard *guard)
{
	struct mvgpu_dmabuf_set *set = kzalloc(sizeof(*set), GFP_KERNEL_ACCOUNT);

	if (!set)
		return NULL;
	kref_init(&set->ref);
	mutex_init(&set->lock);
	INIT_LIST_HEAD(&set->cached);
	set->vdev = vdev;
	set->guard = guard;
	set->next_id = 1;
	return set;
}

/**
 * mvgpu_dmabuf_set_put() - the device is going away
 * @set: the set; dma-bufs still alive keep it until they go
 */
void mvgpu_dmabuf_set_put(struct mvgpu_dmabuf_set *set)
{
	mvgpu_dmabuf_drop_cached(set);
	mutex_lock(&set->lock);
	set->vdev = NULL;
	mutex_unlock(&set->lock);
	kref_put(&set->ref, set_free);
}

static void obj_free(struct kref *ref)
{
	struct mvgpu_dmabuf_obj *obj = container_of(ref, typeof(*obj), ref);
	struct mvgpu_dmabuf_set *set = obj->set;
	unsigned int i;

	for (i = 0; i < obj->nr_pages; i++)
		if (obj->pages[i])
			put_page(obj->pages[i]);
	kvfree(obj->pages);
	kvfree(obj->gfns);
	kfree(obj);
	atomic_dec(&set->alive);
	kref_put(&set->ref, set_free);
}

static void obj_put(struct mvgpu_dmabuf_obj *obj)
{
	kref_put(&obj->ref, obj_free);
}

/* Take the cached objects off @set; the caller puts them. */
static void take_cached(struct mvgpu_dmabuf_set *set, struct list_head *out,
			const struct mvgpu_dmabuf_obj *keep)
{
	struct mvgpu_dmabuf_obj *obj, *tmp;

	lockdep_assert_held(&set->lock);
	list_for_each_entry_safe(obj, tmp, &set->cached, link)
		if (obj != keep)
			list_move(&obj->link, out);
}

static void put_list(struct list_head *list)
{
	struct mvgpu_dmabuf_obj *obj, *tmp;

	list_for_each_entry_safe(obj, tmp, list, link) {
		list_del(&obj->link);
		obj_put(obj);
	}
}

/**
 * mvgpu_dmabuf_drop_cached() - forget every cached surface
 * @set: the set
 *
 * Exported ones stay alive until their dma-bufs go.
 */
void mvgpu_dmabuf_drop_cached(struct mvgpu_dmabuf_set *set)
{
	LIST_HEAD(drop);

	mutex_lock(&set->lock);
	take_cached(set, &drop, NULL);
	mutex_unlock(&set->lock);
	put_list(&drop);
}

static bool obj_matches(const struct mvgpu_dmabuf_obj *obj,
			const struct mvgpu_vgpu_plane *p, const u64 *gfns,
			unsigned int nr)
{
	return !memcmp(&obj->plane, p, sizeof(*p)) && obj->nr_pages == nr &&
	       !memcmp(obj->gfns, gfns, nr * sizeof(*gfns));
}

/*
 * A reference on the page of each frame, through a momentary VFIO pin.
 * Under the set's lock, which the dma_unmap() callback takes after it
 * recorded the range with the guard: no page being unmapped is pinned
 * again (type1 would BUG() after ten rounds of finding pins back).
 */
static int get_pages(struct mvgpu_dmabuf_set *set, struct mvgpu_dmabuf_obj *obj)
{
	struct vfio_device *vdev = set->vdev;
	unsigned int i;
	int ret;

	lockdep_assert_held(&set->lock);
	for (i = 0; i < obj->nr_pages; i++) {
		struct page *page;
		dma_addr_t iova = obj->gfns[i] << PAGE_SHIFT;

		ret = mvgpu_dma_guard_check(set->guard, iova, PAGE_SIZE);
		if (ret)
			return ret;
		ret = vfio_pin_pages(vdev, iova, 1, IOMMU_READ | IOMMU_WRITE,
				     &page);
		if (ret != 1)
			return ret < 0 ? ret : -EFAULT;
		get_page(page);
		obj->pages[i] = page;
		vfio_unpin_pages(vdev, iova, 1);
	}
	return 0;
}

static struct mvgpu_dmabuf_obj *obj_create(struct mvgpu_dmabuf_set *set,
					   const struct mvgpu_vgpu_plane *p,
					   u64 *gfns, unsigned int nr)
{
	struct mvgpu_dmabuf_obj *obj;
	int ret;

	lockdep_assert_held(&set->lock);
	obj = kzalloc(sizeof(*obj), GFP_KERNEL_ACCOUNT);
	if (!obj)
		return ERR_PTR(-ENOMEM);
	obj->pages = kvcalloc(nr, sizeof(*obj->pages), GFP_KERNEL_ACCOUNT);
	if (!obj->pages) {
		kfree(obj);
		return ERR_PTR(-ENOMEM);
	}
	kref_init(&obj->ref);
	kref_get(&set->ref);
	atomic_inc(&set->alive);
	obj->set = set;
	obj->plane = *p;
	obj->gfns = gfns;
	obj->nr_pages = nr;
	ret = get_pages(set, obj);
	if (ret) {
		obj->gfns = NULL;	/* the caller's */
		obj_put(obj);
		return ERR_PTR(ret);
	}
	obj->id = set->next_id++;
	if (!set->next_id)
		set->next_id = 1;
	list_add(&obj->link, &set->cached);
	return obj;
}

/* The cached object of the plane, if any; the others are taken off. */
static struct mvgpu_dmabuf_obj *find_cached(struct mvgpu_dmabuf_set *set,
					    const struct mvgpu_vgpu_plane *p,
					    const u64 *gfns, unsigned int nr,
					    struct list_head *drop)
{
	struct mvgpu_dmabuf_obj *obj, *found = NULL;

	lockdep_assert_held(&set->lock);
	list_for_each_entry(obj, &set->cached, link)
		if (obj_matches(obj, p, gfns, nr))
			found = obj;
	take_cached(set, drop, found);
	return found;
}

static int create_locked(struct mvgpu_dmabuf_set *set,
			 const struct mvgpu_vgpu_plane *plane, u64 *gfns,
			 unsigned int nr, u32 *id)
{
	struct mvgpu_dmabuf_obj *obj;

	lockdep_assert_held(&set->lock);
	if (!set->vdev)
		return -ENODEV;
	if (atomic_read(&set->alive) >= MVGPU_DMABUF_MAX_OBJS)
		return -ENOSPC;
	obj = obj_create(set, plane, gfns, nr);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	*id = obj->id;
	return 0;
}

/**
 * mvgpu_dmabuf_query() - the dmabuf_id of the plane as it is now
 * @set: the vGPU's surfaces
 * @vgpu: the vGPU
 * @plane: given by mvgpu_vgpu_get_plane()
 * @id: its dmabuf_id
 *
 * Return: 0; -EFAULT when a page of the plane is not mapped to guest
 * memory; -ENOSPC when the vGPU has %MVGPU_DMABUF_MAX_OBJS surfaces
 * alive; -ENODEV after the device went; -ENOMEM.
 */
int mvgpu_dmabuf_query(struct mvgpu_dmabuf_set *set, struct mvgpu_vgpu *vgpu,
		       const struct mvgpu_vgpu_plane *plane, u32 *id)
{
	unsigned int nr = mvgpu_vgpu_plane_pages(plane);
	struct mvgpu_dmabuf_obj *found;
	LIST_HEAD(drop);
	u64 *gfns;
	int ret;

	gfns = kvcalloc(nr, sizeof(*gfns), GFP_KERNEL_ACCOUNT);
	if (!gfns)
		return -ENOMEM;
	ret = mvgpu_vgpu_plane_gfns(vgpu, plane, gfns, nr);
	if (ret)
		goto out;
	mutex_lock(&set->lock);
	found = find_cached(set, plane, gfns, nr, &drop);
	if (found)
		*id = found->id;
	mutex_unlock(&set->lock);
	put_list(&drop);	/* stale surfaces go before a new one counts */
	if (found)
		goto out;
	mutex_lock(&set->lock);
	ret = create_locked(set, plane, gfns, nr, id);
	mutex_unlock(&set->lock);
	if (!ret)
		return 0;	/* the new object owns @gfns */
out:
	kvfree(gfns);
	return ret;
}

static struct sg_table *dmabuf_map(struct dma_buf_attachment *at,
				   enum dma_data_direction dir)
{
	struct mvgpu_dmabuf_obj *obj = at->dmabuf->priv;
	struct sg_table *sgt;
	int ret;

	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);
	ret = sg_alloc_table_from_pages(sgt, obj->pages, obj->nr_pages, 0,
					(size_t)obj->nr_pages << PAGE_SHIFT,
					GFP_KERNEL);
	if (ret)
		goto err_free;
	ret = dma_map_sgtable(at->dev, sgt, dir, 0);
	if (ret)
		goto err_table;
	return sgt;

err_table:
	sg_free_table(sgt);
err_free:
	kfree(sgt);
	return ERR_PTR(ret);
}

static void dmabuf_unmap(struct dma_buf_attachment *at, struct sg_table *sgt,
			 enum dma_data_direction dir)
{
	dma_unmap_sgtable(at->dev, sgt, dir, 0);
	sg_free_table(sgt);
	kfree(sgt);
}

/*
 * Guest memory is often anonymous, which vm_insert_page() refuses: map
 * the frames.  The mapping holds the dma-buf, which holds the pages.
 */
static int dmabuf_mmap(struct dma_buf *buf, struct vm_area_struct *vma)
{
	struct mvgpu_dmabuf_obj *obj = buf->priv;
	unsigned long n = vma_pages(vma), i;
	int ret;

	if (vma->vm_pgoff > obj->nr_pages || n > obj->nr_pages - vma->vm_pgoff)
		return -EINVAL;
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	for (i = 0; i < n; i++) {
		ret = remap_pfn_range(vma, vma->vm_start + i * PAGE_SIZE,
				      page_to_pfn(obj->pages[vma->vm_pgoff + i]),
				      PAGE_SIZE, vma->vm_page_prot);
		if (ret)
			return ret;
	}
	return 0;
}

static int dmabuf_vmap(struct dma_buf *buf, struct iosys_map *map)
{
	struct mvgpu_dmabuf_obj *obj = buf->priv;
	void *vaddr = vmap(obj->pages, obj->nr_pages, 0, PAGE_KERNEL);

	if (!vaddr)
		return -ENOMEM;
	iosys_map_set_vaddr(map, vaddr);
	return 0;
}

static void dmabuf_vunmap(struct dma_buf *buf, struct iosys_map *map)
{
	vunmap(map->vaddr);
}

static void dmabuf_release(struct dma_buf *buf)
{
	struct mvgpu_dmabuf_obj *obj = buf->priv;

	atomic_dec(&obj->exports);
	obj_put(obj);
}

static const struct dma_buf_ops mvgpu_dmabuf_ops = {
	.map_dma_buf = dmabuf_map,
	.unmap_dma_buf = dmabuf_unmap,
	.mmap = dmabuf_mmap,
	.vmap = dmabuf_vmap,
	.vunmap = dmabuf_vunmap,
	.release = dmabuf_release,
};

static int export(struct mvgpu_dmabuf_obj *obj)
{
	DEFINE_DMA_BUF_EXPORT_INFO(info);
	struct dma_buf *buf;
	int fd;

	if (atomic_inc_return(&obj->exports) > MVGPU_DMABUF_MAX_EXPORTS) {
		atomic_dec(&obj->exports);
		return -ENOSPC;
	}
	kref_get(&obj->ref);
	info.ops = &mvgpu_dmabuf_ops;
	info.size = (size_t)obj->nr_pages << PAGE_SHIFT;
	info.flags = O_RDWR;
	info.priv = obj;
	buf = dma_buf_export(&info);
	if (IS_ERR(buf)) {
		atomic_dec(&obj->exports);
		obj_put(obj);
		return PTR_ERR(buf);
	}
	fd = dma_buf_fd(buf, O_CLOEXEC);
	if (fd < 0)
		dma_buf_put(buf);	/* releases @obj's reference */
	return fd;
}

/**
 * mvgpu_dmabuf_get_fd() - a dma-buf of a surface a query returned
 * @set: the vGPU's surfaces
 * @id: its dmabuf_id
 *
 * Return: a new fd, -ENOENT when @id is not the id of a cached surface
 * (the plane changed since), -ENOSPC when it has
 * %MVGPU_DMABUF_MAX_EXPORTS dma-bufs alive, or another negative errno.
 */
int mvgpu_dmabuf_get_fd(struct mvgpu_dmabuf_set *set, u32 id)
{
	struct mvgpu_dmabuf_obj *obj;
	int ret = -ENOENT;

	mutex_lock(&set->lock);
	list_for_each_entry(obj, &set->cached, link)
		if (obj->id == id) {
			ret = export(obj);
			break;
		}
	mutex_unlock(&set->lock);
	return ret;
}
