// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory being unmapped: no vGPU pins it again until the unmap is
 * over.
 *
 * To unmap a range that devices pinned pages of, the type1 IOMMU drops
 * its lock, calls every device's dma_unmap(), takes the lock again and,
 * if it finds pins in the range again, calls them again: after ten such
 * rounds it stops the host with BUG_ON() (vfio_dma_do_unmap()).  A guest
 * writing GGTT entries into the range while its VMM unmaps it re-pins
 * pages between two rounds.  So dma_unmap() first records the range
 * here (mvgpu_dma_guard_unmap()), then the vGPU releases its pins, under
 * its lock; the pin op, called under that lock, asks here first
 * (mvgpu_dma_guard_check()).  A pin that took the vGPU lock before the
 * release is undone by it; one that took it after sees the record.  The
 * next round finds no pin of ours.
 *
 * A range stays recorded until the unmap is over, that is until the task
 * that unmaps leaves the kernel: the record is the private data of a file
 * whose last reference the callback drops, and VFS releases a file that
 * a user task drops as task work (TWA_RESUME), which runs when the task
 * returns to user space.  The file also keeps this module loaded until
 * its release has returned.  A kernel thread or an exiting task never
 * gets there; their ranges stay until the device is closed.  A closed
 * device pins nothing and records nothing (iommufd tells it to forget all
 * memory when it detaches it, after the close, maybe from the exit of
 * its user).  Records are made once per task and range (type1 calls
 * again with the same range on every round), and past
 * MVGPU_DMA_GUARD_MAX_RANGES a task's record covers all guest memory.
 * iommufd needs none of this (it refuses pins of an area being unmapped
 * itself, area->prevent_access), but it costs little and is kept there
 * too.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "dma_guard.h"

/**
 * struct guard_range - guest memory being unmapped
 * @node: in the guard's @ranges
 * @guard: the guard, referenced when @task is set
 * @task: the task unmapping, compared only; NULL when it cannot be seen
 *        to finish (then the range stays until the device is closed)
 * @first: first byte
 * @last: last byte
 */
struct guard_range {
	struct list_head node;
	struct mvgpu_dma_guard *guard;
	const struct task_struct *task;
	u64 first;
	u64 last;
};

/**
 * mvgpu_dma_guard_create() - a guard with no range
 *
 * Return: the guard, referenced once, or NULL without memory.
 */
struct mvgpu_dma_guard *mvgpu_dma_guard_create(void)
{
	struct mvgpu_dma_guard *g = kzalloc(sizeof(*g), GFP_KERNEL_ACCOUNT);

	if (!g)
		return NULL;
	kref_init(&g->ref);
	spin_lock_init(&g->lock);
	INIT_LIST_HEAD(&g->ranges);
	return g;
}

static void guard_free(struct kref *ref)
{
	struct mvgpu_dma_guard *g = container_of(ref, struct mvgpu_dma_guard,
						 ref);
	struct guard_range *r, *tmp;

	list_for_each_entry_safe(r, tmp, &g->ranges, node)
		kfree(r);
	kfree(g);
}

/**
 * mvgpu_dma_guard_put() - drop a reference
 * @g: the guard
 *
 * The last one frees it with the ranges that were to stay until close.
 */
void mvgpu_dma_guard_put(struct mvgpu_dma_guard *g)
{
	kref_put(&g->ref, guard_free);
}

/* Last byte of [@iova, @iova + @len), @len > 0, saturated. */
static u64 guard_range_last(u64 iova, u64 len)
{
	return iova + len - 1 < iova ? U64_MAX : iova + len - 1;
}

/* Is there a record of @task (NULL: of no task) covering the range? */
static bool guard_recorded(struct mvgpu_dma_guard *g,
			   const struct task_struct *task, u64 first, u64 last)
{
	struct guard_range *r;

	lockdep_assert_held(&g->lock);
	list_for_each_entry(r, &g->ranges, node)
		if (r->task == task && r->first <= first && last <= r->last)
			return true;
	return false;
}

/*
 * What @task (NULL: one that never returns to user space) needs for
 * [*@first, *@last]: 1, a new record (covering all guest memory past the
 * limit); 0, nothing (the device is closed, or a record of the task
 * covers the range); -ESRCH, nothing more for no task (the range is
 * refused until the device is closed already, or past the limit every
 * pin is from now on).
 */
static int guard_need_record(struct mvgpu_dma_guard *g,
			     const struct task_struct *task, u64 *first, u64 *last)
{
	int need = 0;

	spin_lock(&g->lock);
	if (!g->open)
		goto out;
	need = task ? 0 : -ESRCH;
	if (guard_recorded(g, task, *first, *last) || (!task && g->stuck))
		goto out;
	if (g->nr >= MVGPU_DMA_GUARD_MAX_RANGES) {
		*first = 0;
		*last = U64_MAX;
		if (!task) {
			g->stuck = true;
			goto out;
		}
	}
	need = 1;
out:
	spin_unlock(&g->lock);
	return need;
}

static void guard_add(struct mvgpu_dma_guard *g, struct guard_range *r)
{
	spin_lock(&g->lock);
	list_add(&r->node, &g->ranges);
	g->nr++;
	spin_unlock(&g->lock);
}

/* The unmapping task returned to user space: its range is free again. */
static int guard_file_release(struct inode *inode, struct file *file)
{
	struct guard_range *r = file->private_data;
	struct mvgpu_dma_guard *g = r->guard;

	spin_lock(&g->lock);
	list_del(&r->node);
	g->nr--;
	spin_unlock(&g->lock);
	kfree(r);
	mvgpu_dma_guard_put(g);
	return 0;
}

static const struct file_operations guard_fops = {
	.owner = THIS_MODULE,
	.release = guard_file_release,
};

/*
 * Record @r until current returns to user space.  Only a user task that
 * is not exiting gets there, and for it fput() queues the release as its
 * task work (a kernel thread's would run from a workqueue at once).
 */
static int guard_add_until_return(struct mvgpu_dma_guard *g, struct guard_range *r)
{
	struct file *file;

	r->task = current;
	file = anon_inode_getfile("[mvgpu-dma-guard]", &guard_fops, r,
				  O_RDONLY);
	if (IS_ERR(file))
		return PTR_ERR(file);
	kref_get(&g->ref);
	guard_add(g, r);
	fput(file);
	return 0;
}

/**
 * mvgpu_dma_guard_unmap() - the current task unmaps guest memory
 * @g: the guard of the vGPU told to release its pins in the range
 * @iova: first guest physical address
 * @len: bytes
 *
 * To be called from the dma_unmap() callback before the vGPU releases
 * its pins.  Until the task returns to user space, mvgpu_dma_guard_check()
 * refuses the range (all guest memory when too many ranges are recorded).
 * Nothing is recorded while the device is closed: it pins nothing then,
 * and iommufd tells it to forget all memory when it detaches it after the
 * close.  May sleep.
 *
 * Return: 0, also when nothing needed recording; -ESRCH when the task
 * will not return to user space (a kernel thread, an exiting task): the
 * range is refused until the device is closed; -ENOMEM, or another errno
 * of a failed allocation: every pin is refused until the device is
 * closed.
 */
int mvgpu_dma_guard_unmap(struct mvgpu_dma_guard *g, u64 iova, u64 len)
{
	const struct task_struct *task = current;
	struct guard_range *r;
	u64 last;
	int ret;

	might_sleep();
	if (!len)
		return 0;
	if (current->flags & (PF_KTHREAD | PF_EXITING))
		task = NULL;
	last = guard_range_last(iova, len);
	ret = guard_need_record(g, task, &iova, &last);
	if (ret <= 0)
		return ret;

	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r) {
		ret = -ENOMEM;
		goto err_stuck;
	}
	r->guard = g;
	r->first = iova;
	r->last = last;
	if (!task) {
		guard_add(g, r);
		return -ESRCH;
	}
	ret = guard_add_until_return(g, r);
	if (ret)
		goto err_free;
	return 0;

err_free:
	kfree(r);
err_stuck:
	spin_lock(&g->lock);
	g->stuck = true;
	spin_unlock(&g->lock);
	return ret;
}

/**
 * mvgpu_dma_guard_check() - may guest memory be pinned now
 * @g: the guard
 * @iova: first guest physical address
 * @len: bytes, at least 1
 *
 * Called by the pin op with the vGPU's lock held, before it pins.
 *
 * Return: 0, or -EBUSY when part of the range is being unmapped.
 */
int mvgpu_dma_guard_check(struct mvgpu_dma_guard *g, u64 iova, u64 len)
{
	u64 last = guard_range_last(iova, len);
	struct guard_range *r;
	bool busy;

	spin_lock(&g->lock);
	busy = g->stuck;
	list_for_each_entry(r, &g->ranges, node) {
		if (busy)
			break;
		busy = r->first <= last && iova <= r->last;
	}
	spin_unlock(&g->lock);
	return busy ? -EBUSY : 0;
}

/**
 * mvgpu_dma_guard_open() - the device is being opened
 * @g: the guard
 *
 * Called before anything of the device can be pinned: from now on
 * unmaps are recorded.
 */
void mvgpu_dma_guard_open(struct mvgpu_dma_guard *g)
{
	spin_lock(&g->lock);
	g->open = true;
	spin_unlock(&g->lock);
}

/**
 * mvgpu_dma_guard_close() - the device was closed
 * @g: the guard
 *
 * Called once nothing of the device is pinned any more: ranges whose
 * unmap could not be seen to end are dropped and pins allowed again;
 * ranges of tasks still in an unmap stay until they return to user space.
 * Nothing is recorded until the device is opened again.
 */
void mvgpu_dma_guard_close(struct mvgpu_dma_guard *g)
{
	struct guard_range *r, *tmp;
	LIST_HEAD(drop);

	spin_lock(&g->lock);
	g->open = false;
	list_for_each_entry_safe(r, tmp, &g->ranges, node) {
		if (r->task)
			continue;
		list_move(&r->node, &drop);
		g->nr--;
	}
	g->stuck = false;
	spin_unlock(&g->lock);
	list_for_each_entry_safe(r, tmp, &drop, node)
		kfree(r);
}
