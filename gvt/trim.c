// SPDX-License-Identifier: GPL-2.0-only
/*
 * Release of an idle vGPU's shadow caches.
 *
 * A vGPU at work keeps what its next submission will likely need: the
 * shadows of its guest's PPGTTs (ppgtt.c), small shadow buffers still
 * placed in its window (shadow_mem.c) and the batches its contexts last
 * had accepted (batch_cache.c).  Once it has had no work in flight for
 * the module parameter trim_idle_ms (2 s by default), they go, so
 * that an idle vGPU holds no host memory beyond its bookkeeping.  Nothing
 * is lost but time: the next submission shadows the guest's page tables
 * again from scratch, validating every entry as the first time, and
 * allocates new shadow buffers.
 *
 * Under host memory pressure each pGPU's shrinker releases them sooner,
 * for every vGPU without work in flight.  Reclaim may run in a task that
 * holds any lock, a vGPU's or VFIO's included, so the shrinker only
 * trylocks, frees there only the cached shadow buffers and batches
 * (vfree(), kvfree() and GGTT writes, which take no lock of ours or
 * VFIO's), and hands the shadow
 * PPGTTs, whose release unpins guest pages through VFIO, to the vGPU's
 * release work, queued at once.
 */
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/shrinker.h>
#include <linux/workqueue.h>

#include <mvgpu/params.h>

#include "batch_cache.h"
#include "ctx_shadow.h"
#include "pgpu_types.h"
#include "ppgtt.h"
#include "retire.h"
#include "shadow_mem.h"
#include "trim.h"
#include "vgpu_types.h"

/**
 * mvgpu_trim_now() - release the shadow caches of a vGPU without work
 * @vgpu: the vGPU, its lock held
 *
 * Does nothing while an engine may use the caches (work in flight).
 */
void mvgpu_trim_now(struct mvgpu_vgpu *vgpu)
{
	lockdep_assert_held(&vgpu->lock);
	if (mvgpu_retire_busy(&vgpu->retire))
		return;
	mvgpu_ppgtt_destroy_all(vgpu);
	mvgpu_ctx_shadows_clear(&vgpu->cshadows, &vgpu->shadow);
	mvgpu_shadow_mem_trim(&vgpu->shadow);
	mvgpu_batch_cache_clear(&vgpu->bcache);
}

static void trim_work(struct work_struct *work)
{
	struct mvgpu_vgpu *vgpu = container_of(to_delayed_work(work),
					       struct mvgpu_vgpu, deliver.trim);

	mutex_lock(&vgpu->lock);
	mvgpu_trim_now(vgpu);
	mutex_unlock(&vgpu->lock);
}

/**
 * mvgpu_trim_init() - nothing to release yet
 * @vgpu: the vGPU being created
 */
void mvgpu_trim_init(struct mvgpu_vgpu *vgpu)
{
	INIT_DELAYED_WORK(&vgpu->deliver.trim, trim_work);
}

/**
 * mvgpu_trim_arm() - the vGPU may have gone idle
 * @vgpu: the vGPU, its lock held
 *
 * With no work in flight, its caches are released trim_idle_ms from now
 * (never for 0) unless it is armed again meanwhile; work submitted in
 * between keeps them (mvgpu_trim_now() checks again).  Called at every
 * delivery, so a release already pending is moved at most once per
 * eighth of trim_idle_ms: a vGPU at work does not move a timer at every
 * completion, and one that went idle keeps its caches for at least 7/8
 * of trim_idle_ms.
 */
void mvgpu_trim_arm(struct mvgpu_vgpu *vgpu)
{
	unsigned int ms = READ_ONCE(mvgpu_trim_idle_ms);
	struct mvgpu_vdeliver *d = &vgpu->deliver;
	unsigned long delay = msecs_to_jiffies(ms), now = jiffies;

	lockdep_assert_held(&vgpu->lock);
	if (!ms || mvgpu_retire_busy(&vgpu->retire))
		return;
	if (delayed_work_pending(&d->trim) &&
	    time_before(now, d->trim_armed + delay / 8))
		return;
	d->trim_armed = now;
	mod_delayed_work(vgpu->pgpu->deliver_wq, &d->trim, delay);
}

/**
 * mvgpu_trim_cancel() - no release pending or running on return
 * @vgpu: the vGPU, whose lock the caller does not hold, and which nothing
 *        arms any more (nor the shrinker: mvgpu_trim_remove())
 */
void mvgpu_trim_cancel(struct mvgpu_vgpu *vgpu)
{
	lockdep_assert_not_held(&vgpu->lock);
	cancel_delayed_work_sync(&vgpu->deliver.trim);
}

/**
 * mvgpu_trim_add() - let the pGPU's shrinker release the vGPU's caches
 * @vgpu: the vGPU, set up, whose lock the caller does not hold
 */
void mvgpu_trim_add(struct mvgpu_vgpu *vgpu)
{
	struct mvgpu_pgpu *pgpu = vgpu->pgpu;

	lockdep_assert_not_held(&vgpu->lock);
	mutex_lock(&pgpu->trim_lock);
	list_add_tail(&vgpu->trim_link, &pgpu->trim_list);
	mutex_unlock(&pgpu->trim_lock);
}

/**
 * mvgpu_trim_remove() - the shrinker leaves the vGPU alone from now on
 * @vgpu: the vGPU, about to be torn down, whose lock the caller does not
 *        hold
 *
 * On return no shrinker call touches it or arms its release work.
 */
void mvgpu_trim_remove(struct mvgpu_vgpu *vgpu)
{
	struct mvgpu_pgpu *pgpu = vgpu->pgpu;

	lockdep_assert_not_held(&vgpu->lock);
	mutex_lock(&pgpu->trim_lock);
	list_del_init(&vgpu->trim_link);
	mutex_unlock(&pgpu->trim_lock);
}

/* Pages of shadow caches the vGPU holds: buffers, batches, PPGTT tables. */
static unsigned long trim_count_vgpu(struct mvgpu_vgpu *vgpu)
{
	return ((atomic64_read(&vgpu->shadow.used) +
		 atomic64_read(&vgpu->bcache.bytes)) >> PAGE_SHIFT) +
	       atomic64_read(&vgpu->stats.shadow_pages);
}

/*
 * From reclaim, with the vGPU's lock held: free its cached shadow
 * buffers and batches, queue the release of its PPGTT shadows, and return the pages
 * freed here.  Nothing of a vGPU with work in flight.
 */
static unsigned long trim_reclaim_vgpu(struct mvgpu_vgpu *vgpu)
{
	s64 before = atomic64_read(&vgpu->shadow.used) +
		     atomic64_read(&vgpu->bcache.bytes);

	lockdep_assert_held(&vgpu->lock);
	if (mvgpu_retire_busy(&vgpu->retire))
		return 0;
	mvgpu_ctx_shadows_clear(&vgpu->cshadows, &vgpu->shadow);
	mvgpu_shadow_mem_trim(&vgpu->shadow);
	mvgpu_batch_cache_clear(&vgpu->bcache);
	if (atomic64_read(&vgpu->stats.shadow_pages))
		mod_delayed_work(vgpu->pgpu->deliver_wq, &vgpu->deliver.trim, 0);
	return (before - atomic64_read(&vgpu->shadow.used) -
		atomic64_read(&vgpu->bcache.bytes)) >> PAGE_SHIFT;
}

/*
 * Reclaim's estimate: the pages of shadow caches of the pGPU's vGPUs,
 * read without their locks, busy ones included (the scan skips those).
 * The list's lock is only tried, as for the scan; 0 while it is busy.
 */
static unsigned long trim_count(struct shrinker *shrinker,
				struct shrink_control *sc)
{
	struct mvgpu_pgpu *pgpu = shrinker->private_data;
	struct mvgpu_vgpu *vgpu;
	unsigned long n = 0;

	if (!mutex_trylock(&pgpu->trim_lock))
		return 0;
	list_for_each_entry(vgpu, &pgpu->trim_list, trim_link)
		n += trim_count_vgpu(vgpu);
	mutex_unlock(&pgpu->trim_lock);
	return n ?: SHRINK_EMPTY;
}

static unsigned long trim_scan(struct shrinker *shrinker,
			       struct shrink_control *sc)
{
	struct mvgpu_pgpu *pgpu = shrinker->private_data;
	struct mvgpu_vgpu *vgpu;
	unsigned long freed = 0;

	if (!mutex_trylock(&pgpu->trim_lock))
		return SHRINK_STOP;
	list_for_each_entry(vgpu, &pgpu->trim_list, trim_link) {
		if (freed >= sc->nr_to_scan)
			break;
		if (!mutex_trylock(&vgpu->lock))
			continue;
		freed += trim_reclaim_vgpu(vgpu);
		mutex_unlock(&vgpu->lock);
	}
	mutex_unlock(&pgpu->trim_lock);
	return freed ?: SHRINK_STOP;
}

/**
 * mvgpu_trim_pgpu_init() - a pGPU's shrinker, registered
 * @pgpu: the pGPU being set up, without vGPUs
 *
 * Return: 0 or -ENOMEM.
 */
int mvgpu_trim_pgpu_init(struct mvgpu_pgpu *pgpu)
{
	mutex_init(&pgpu->trim_lock);
	INIT_LIST_HEAD(&pgpu->trim_list);
	pgpu->shrinker = shrinker_alloc(0, "mvgpu%u-shadow", pgpu->id);
	if (!pgpu->shrinker) {
		mutex_destroy(&pgpu->trim_lock);
		return -ENOMEM;
	}
	pgpu->shrinker->count_objects = trim_count;
	pgpu->shrinker->scan_objects = trim_scan;
	pgpu->shrinker->private_data = pgpu;
	shrinker_register(pgpu->shrinker);
	return 0;
}

/**
 * mvgpu_trim_pgpu_fini() - unregister and free a pGPU's shrinker
 * @pgpu: the pGPU, without vGPUs
 *
 * Waits for the shrinker's calls in progress.
 */
void mvgpu_trim_pgpu_fini(struct mvgpu_pgpu *pgpu)
{
	WARN_ON(!list_empty(&pgpu->trim_list));
	shrinker_free(pgpu->shrinker);
	mutex_destroy(&pgpu->trim_lock);
}
