// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-file PPGTT.
 *
 * Every open file has one 4-level, 48-bit address space, shared by its
 * LEGACY_64B contexts.  Its tables are pages of guest memory the CPU
 * writes (on a vGPU the host shadows them and, under KVM, traps each
 * write), one 64-bit entry per slot: bit 0 present, bits 47:12 the
 * address of the next table or of the page.  Tables are allocated as
 * bindings need them and freed with the address space, once nothing can
 * walk them any more.
 *
 * Userspace soft-pins: an object is bound at the address an execbuf
 * names (struct mvgpu_vma) and stays there until its handle is closed or
 * a later execbuf moves it.  Unbinding clears the last-level entries; the
 * object's pages are released once the engines are past them.
 *
 * Under KVM a vGPU write-protects the table pages it shadows, and KVM
 * emulates every write to them: a page given back to the kernel while
 * still tracked faults on whatever the kernel does with it next, and
 * KVM's emulator cannot do all of that (vector stores, the CPU setting
 * accessed bits in its own page tables).  So when an address space goes,
 * its PML4 entries are cleared first: the first such write makes the
 * vGPU lift the protection of the PML4 and of every table below it at
 * once (gvt/ppgtt.c), and the PML4 itself, which the vGPU may keep
 * shadowed among its recent roots, is kept for the next address space.
 * The kept roots are freed at removal, after the GDRST full reset that
 * drops every shadow (PV info 1.1).
 */
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_print.h>

#include <mvgpu/mvgpu_regs.h>

#include "drv.h"
#include "gem.h"
#include "ppgtt.h"

#define PT_SHIFT	9
#define PT_ENTRIES	MVGPU_PPGTT_ENTRIES
#define PAGE_4K		4096ULL
#define VA_END		BIT_ULL(MVGPU_PPGTT_VA_BITS)

/**
 * struct mvgpu_pt - one page table
 * @entries: its 512 entries, CPU view
 * @dma: its bus address, what the entry above holds
 * @child: the tables below, above the last level
 * @link: a PML4 kept for reuse: in the device's roots
 */
struct mvgpu_pt {
	u64 *entries;
	dma_addr_t dma;
	struct mvgpu_pt **child;
	struct list_head link;
};

static unsigned int pt_index(u64 addr, unsigned int level)
{
	return (addr >> (12 + PT_SHIFT * (level - 1))) & (PT_ENTRIES - 1);
}

static struct mvgpu_pt *pt_alloc(struct mvgpu_drm *m, unsigned int level)
{
	struct mvgpu_pt *pt = kzalloc(sizeof(*pt), GFP_KERNEL);

	if (!pt)
		return NULL;
	pt->entries = dma_alloc_coherent(m->drm.dev, PAGE_4K, &pt->dma,
					 GFP_KERNEL);
	if (!pt->entries)
		goto err;
	if (level > 1) {
		pt->child = kcalloc(PT_ENTRIES, sizeof(*pt->child), GFP_KERNEL);
		if (!pt->child)
			goto err_table;
	}
	return pt;
err_table:
	dma_free_coherent(m->drm.dev, PAGE_4K, pt->entries, pt->dma);
err:
	kfree(pt);
	return NULL;
}

static void pt_free(struct mvgpu_drm *m, struct mvgpu_pt *pt,
		    unsigned int level)
{
	unsigned int i;

	if (!pt)
		return;
	if (level > 1) {
		for (i = 0; i < PT_ENTRIES; i++)
			pt_free(m, pt->child[i], level - 1);
		kfree(pt->child);
	}
	dma_free_coherent(m->drm.dev, PAGE_4K, pt->entries, pt->dma);
	kfree(pt);
}

static u64 ppgtt_pte(dma_addr_t addr)
{
	return (addr & MVGPU_PPGTT_ADDR_MASK) | MVGPU_PPGTT_PRESENT;
}

/* The last-level table of @addr, made if @alloc. */
static struct mvgpu_pt *ppgtt_leaf(struct mvgpu_vm *vm, u64 addr, bool alloc)
{
	struct mvgpu_pt *pt = vm->pml4, *c;
	unsigned int level, i;

	lockdep_assert_held(&vm->lock);
	for (level = 4; level > 1; level--) {
		i = pt_index(addr, level);
		c = pt->child[i];
		if (!c) {
			if (!alloc)
				return NULL;
			c = pt_alloc(vm->mdev, level - 1);
			if (!c)
				return NULL;
			pt->child[i] = c;
			/* one 64-bit store: a walker sees all of it or none */
			WRITE_ONCE(pt->entries[i], ppgtt_pte(c->dma));
		}
		pt = c;
	}
	return pt;
}

static void ppgtt_clear(struct mvgpu_vm *vm, u64 start, u64 size)
{
	struct mvgpu_pt *pt = NULL;
	u64 addr;

	lockdep_assert_held(&vm->lock);
	for (addr = start; addr < start + size; addr += PAGE_4K) {
		if (!pt || !pt_index(addr, 1))
			pt = ppgtt_leaf(vm, addr, false);
		if (pt)
			WRITE_ONCE(pt->entries[pt_index(addr, 1)], 0);
	}
}

static int ppgtt_map(struct mvgpu_vm *vm, u64 start, u64 size,
		     struct sg_table *sgt)
{
	struct mvgpu_pt *pt = NULL;
	struct sg_dma_page_iter it;
	u64 addr = start;

	lockdep_assert_held(&vm->lock);
	for_each_sgtable_dma_page(sgt, &it, 0) {
		if (addr >= start + size)
			break;
		if (!pt || !pt_index(addr, 1)) {
			pt = ppgtt_leaf(vm, addr, true);
			if (!pt) {
				ppgtt_clear(vm, start, addr - start);
				return -ENOMEM;
			}
		}
		WRITE_ONCE(pt->entries[pt_index(addr, 1)],
			   ppgtt_pte(sg_page_iter_dma_address(&it)));
		addr += PAGE_4K;
	}
	return 0;
}

/**
 * mvgpu_vm_create() - a new, empty address space
 * @m: the device
 * @out: the address space, one reference
 *
 * Return: 0, or -ENOMEM.
 */
int mvgpu_vm_create(struct mvgpu_drm *m, struct mvgpu_vm **out)
{
	struct mvgpu_vm *vm = kzalloc(sizeof(*vm), GFP_KERNEL);

	if (!vm)
		return -ENOMEM;
	mutex_lock(&m->roots_lock);
	vm->pml4 = list_first_entry_or_null(&m->roots, struct mvgpu_pt, link);
	if (vm->pml4)
		list_del(&vm->pml4->link);
	mutex_unlock(&m->roots_lock);
	if (!vm->pml4)
		vm->pml4 = pt_alloc(m, 4);
	if (!vm->pml4) {
		kfree(vm);
		return -ENOMEM;
	}
	kref_init(&vm->ref);
	vm->mdev = m;
	mutex_init(&vm->lock);
	drm_mm_init(&vm->mm, 0, VA_END);
	*out = vm;
	return 0;
}

static void vm_release(struct kref *ref)
{
	struct mvgpu_vm *vm = container_of(ref, struct mvgpu_vm, ref);
	struct mvgpu_drm *m = vm->mdev;
	struct mvgpu_pt *root = vm->pml4;
	unsigned int i;

	/* no binding, no context: no engine walks the tables any more */
	drm_mm_takedown(&vm->mm);
	for (i = 0; i < PT_ENTRIES; i++) {
		if (!root->child[i])
			continue;
		/* the first clear untracks every table below at once */
		WRITE_ONCE(root->entries[i], 0);
		pt_free(m, root->child[i], 3);
		root->child[i] = NULL;
	}
	mutex_lock(&m->roots_lock);
	list_add(&root->link, &m->roots);
	mutex_unlock(&m->roots_lock);
	mutex_destroy(&vm->lock);
	kfree(vm);
}

/**
 * mvgpu_vm_pool_init() - no PML4 kept yet
 * @m: the device
 */
void mvgpu_vm_pool_init(struct mvgpu_drm *m)
{
	mutex_init(&m->roots_lock);
	INIT_LIST_HEAD(&m->roots);
}

/**
 * mvgpu_vm_pool_fini() - free the kept PML4 tables
 * @m: the device, being released: reset (GDRST full) after its last
 *     submission, every address space gone
 *
 * A vGPU older than PV info 1.1 keeps its shadows across the reset, and
 * with them KVM's write tracking: its PML4 pages are not given back to
 * the kernel then.
 */
void mvgpu_vm_pool_fini(struct mvgpu_drm *m)
{
	struct mvgpu_pt *pt, *n;
	unsigned int kept = 0;

	mutex_lock(&m->roots_lock);
	list_for_each_entry_safe(pt, n, &m->roots, link) {
		list_del(&pt->link);
		if (m->info.vgpu && !m->info.has_failsafe) {
			/* the page stays allocated, for good */
			kept++;
			kfree(pt->child);
			kfree(pt);
			continue;
		}
		pt_free(m, pt, 4);
	}
	mutex_unlock(&m->roots_lock);
	if (kept)
		drm_warn(&m->drm, "%u PML4 pages not freed: the vGPU may still track them\n",
			 kept);
}

/**
 * mvgpu_vm_put() - drop a reference
 * @vm: the address space; the last reference frees it and its tables
 */
void mvgpu_vm_put(struct mvgpu_vm *vm)
{
	kref_put(&vm->ref, vm_release);
}

/**
 * mvgpu_vm_root() - what a context image's PML4 fields hold
 * @vm: the address space
 *
 * Return: the bus address of its PML4.
 */
u64 mvgpu_vm_root(struct mvgpu_vm *vm)
{
	return vm->pml4->dma;
}

/* The last reference of a binding is gone: clear it (vm lock held). */
static void vma_unbind(struct kref *ref)
{
	struct mvgpu_vma *vma = container_of(ref, struct mvgpu_vma, ref);

	lockdep_assert_held(&vma->vm->lock);
	ppgtt_clear(vma->vm, vma->node.start, vma->node.size);
	drm_mm_remove_node(&vma->node);
}

/* The engines are past the unbinding: the object's pages may go. */
static void vma_release(struct mvgpu_deferred *d)
{
	struct mvgpu_vma *vma = container_of(d, struct mvgpu_vma, def);

	drm_gem_object_put(&vma->bo->base.base);
	mvgpu_vm_put(vma->vm);
	kfree(vma);
}

/**
 * mvgpu_vma_put() - drop a reference on a binding
 * @vma: the binding; the last reference unbinds it
 *
 * Takes the address space's lock if it is the last.
 */
void mvgpu_vma_put(struct mvgpu_vma *vma)
{
	struct mvgpu_vm *vm = vma->vm;

	if (kref_put_mutex(&vma->ref, vma_unbind, &vm->lock)) {
		mutex_unlock(&vm->lock);
		mvgpu_defer(vm->mdev, &vma->def, vma_release);
	}
}

/* @bo's open binding in @vm, or NULL. */
static struct mvgpu_vma *ppgtt_find_open(struct mvgpu_vm *vm, struct mvgpu_bo *bo)
{
	struct mvgpu_vma *vma, *found = NULL;

	lockdep_assert_held(&vm->lock);
	mutex_lock(&bo->vma_lock);
	list_for_each_entry(vma, &bo->vmas, bo_link) {
		if (vma->vm == vm) {
			found = vma;
			break;
		}
	}
	mutex_unlock(&bo->vma_lock);
	return found;
}

/* No new user finds @vma; returns true if that was its last reference. */
static bool ppgtt_close_vma(struct mvgpu_vma *vma)
{
	lockdep_assert_held(&vma->vm->lock);
	mutex_lock(&vma->bo->vma_lock);
	list_del_init(&vma->bo_link);
	mutex_unlock(&vma->bo->vma_lock);
	vma->closed = true;
	return kref_put(&vma->ref, vma_unbind);
}

/**
 * mvgpu_vm_close_bo() - the file closed its handle of an object
 * @vm: the file's address space
 * @bo: the object
 *
 * Its binding is closed; it is unbound once no request uses it.
 */
void mvgpu_vm_close_bo(struct mvgpu_vm *vm, struct mvgpu_bo *bo)
{
	struct mvgpu_vma *vma;
	bool released = false;

	mutex_lock(&vm->lock);
	vma = ppgtt_find_open(vm, bo);
	if (vma)
		released = ppgtt_close_vma(vma);
	mutex_unlock(&vm->lock);
	if (released)
		mvgpu_defer(vm->mdev, &vma->def, vma_release);
}

/*
 * [@addr, @addr + @size) could not be reserved.  An open binding in the
 * way is the caller's mistake; closed ones leave once their requests are
 * done: *@wait gets the object of one to wait for.
 */
static int ppgtt_overlap(struct mvgpu_vm *vm, u64 addr, u64 size,
			 struct mvgpu_bo **wait)
{
	struct drm_mm_node *node;
	struct mvgpu_vma *vma;

	lockdep_assert_held(&vm->lock);
	drm_mm_for_each_node_in_range(node, &vm->mm, addr, addr + size) {
		vma = container_of(node, struct mvgpu_vma, node);
		if (!vma->closed)
			return -EADDRINUSE;
		*wait = vma->bo;
	}
	if (!*wait)
		return -EADDRINUSE;
	drm_gem_object_get(&(*wait)->base.base);
	return -EAGAIN;
}

/*
 * One try at binding: returns -EAGAIN with *@wait set when a closed
 * binding is in the way, -EBUSY with *@wait set when the object's own
 * binding elsewhere is still used.
 */
static int ppgtt_try_bind(struct mvgpu_vm *vm, struct mvgpu_bo *bo, u64 addr,
			  struct sg_table *sgt, struct mvgpu_vma *vma,
			  struct mvgpu_vma **out, struct mvgpu_bo **wait)
{
	u64 size = bo->base.base.size;
	struct mvgpu_vma *old;
	bool released = false;
	int ret;

	mutex_lock(&vm->lock);
	old = ppgtt_find_open(vm, bo);
	if (old && old->node.start == addr) {
		kref_get(&old->ref);
		*out = old;
		ret = 0;
		goto unlock;
	}
	if (old && kref_read(&old->ref) > 1) {
		*wait = bo;
		drm_gem_object_get(&bo->base.base);
		ret = -EBUSY;
		goto unlock;
	}
	/* it moves: the old binding goes (it is idle) */
	if (old)
		released = ppgtt_close_vma(old);
	vma->node.start = addr;
	vma->node.size = size;
	ret = drm_mm_reserve_node(&vm->mm, &vma->node);
	if (ret) {
		ret = ppgtt_overlap(vm, addr, size, wait);
		goto unlock;
	}
	ret = ppgtt_map(vm, addr, size, sgt);
	if (ret) {
		drm_mm_remove_node(&vma->node);
		goto unlock;
	}
	kref_init(&vma->ref);		/* the binding's own */
	kref_get(&vma->ref);		/* the caller's */
	vma->vm = vm;
	mvgpu_vm_get(vm);
	vma->bo = bo;
	drm_gem_object_get(&bo->base.base);
	mutex_lock(&bo->vma_lock);
	list_add_tail(&vma->bo_link, &bo->vmas);
	mutex_unlock(&bo->vma_lock);
	*out = vma;
unlock:
	mutex_unlock(&vm->lock);
	if (released)
		mvgpu_defer(vm->mdev, &old->def, vma_release);
	return ret;
}

/*
 * Wait until the requests using @bo are done and released.  Returns
 * -ERESTARTSYS on a signal.
 */
static int ppgtt_wait_released(struct mvgpu_drm *m, struct mvgpu_bo *bo)
{
	long ret = dma_resv_wait_timeout(bo->base.base.resv,
					 DMA_RESV_USAGE_BOOKKEEP, true,
					 MAX_SCHEDULE_TIMEOUT);

	drm_gem_object_put(&bo->base.base);
	if (ret < 0)
		return ret;
	/* signalled requests still hold their bindings until released */
	flush_work(&m->rq.retire_work);
	return 0;
}

/**
 * mvgpu_vm_bind() - bind an object at an address, or find it there
 * @vm: the address space
 * @bo: the object
 * @addr: page aligned; [@addr, @addr + size) below 2^48
 * @out: the binding, with a reference for the caller
 *
 * An object already bound at @addr is found.  One bound elsewhere moves
 * if no request uses it.  A binding of a closed handle in the way is
 * waited for.
 *
 * Return: 0, -EADDRINUSE (another object's binding overlaps), -EBUSY (the
 * object is bound elsewhere and in use), -ENOMEM, -ERESTARTSYS.
 */
int mvgpu_vm_bind(struct mvgpu_vm *vm, struct mvgpu_bo *bo, u64 addr,
		  struct mvgpu_vma **out)
{
	struct mvgpu_drm *m = vm->mdev;
	struct mvgpu_bo *wait;
	struct sg_table *sgt;
	struct mvgpu_vma *vma;
	bool tried_busy = false;
	int ret;

	sgt = drm_gem_shmem_get_pages_sgt(&bo->base);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	vma = kzalloc(sizeof(*vma), GFP_KERNEL);
	if (!vma)
		return -ENOMEM;
	INIT_LIST_HEAD(&vma->bo_link);
	for (;;) {
		wait = NULL;
		*out = NULL;
		ret = ppgtt_try_bind(vm, bo, addr, sgt, vma, out, &wait);
		if (ret == -EBUSY && !tried_busy) {
			/* idle already, but its requests not released yet? */
			tried_busy = true;
			if (!dma_resv_test_signaled(bo->base.base.resv,
						    DMA_RESV_USAGE_BOOKKEEP)) {
				drm_gem_object_put(&wait->base.base);
				break;
			}
		} else if (ret != -EAGAIN) {
			if (wait)
				drm_gem_object_put(&wait->base.base);
			break;
		}
		ret = ppgtt_wait_released(m, wait);
		if (ret)
			break;
	}
	if (*out != vma)
		kfree(vma);
	return ret;
}
