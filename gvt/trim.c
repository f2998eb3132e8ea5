// SPDX-License-Identifier: GPL-2.0-only
/*
 * Release of an idle vGPU's shadow caches.
 *
 * A vGPU at work keeps what its next submission will likely need: the
 * shadows of its guest's PPGTTs (ppgtt.c) and small shadow buffers still
 * placed in its window (shadow_mem.c).  Once it has had no work in flight
 * for %MVGPU_TRIM_IDLE_MS, both go, so that an idle vGPU holds no host
 * memory beyond its bookkeeping.  Nothing is lost but time: the next
 * submission shadows the guest's page tables again from scratch,
 * validating every entry as the first time, and allocates new shadow
 * buffers.
 */
#include <linux/jiffies.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>

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
	mvgpu_shadow_mem_trim(&vgpu->shadow);
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
 * With no work in flight, its caches are released %MVGPU_TRIM_IDLE_MS
 * from now unless it is armed again meanwhile; work submitted in between
 * keeps them (mvgpu_trim_now() checks again).
 */
void mvgpu_trim_arm(struct mvgpu_vgpu *vgpu)
{
	lockdep_assert_held(&vgpu->lock);
	if (mvgpu_retire_busy(&vgpu->retire))
		return;
	mod_delayed_work(vgpu->pgpu->deliver_wq, &vgpu->deliver.trim,
			 msecs_to_jiffies(MVGPU_TRIM_IDLE_MS));
}

/**
 * mvgpu_trim_cancel() - no release pending or running on return
 * @vgpu: the vGPU, whose lock the caller does not hold, and which nothing
 *        arms any more
 */
void mvgpu_trim_cancel(struct mvgpu_vgpu *vgpu)
{
	lockdep_assert_not_held(&vgpu->lock);
	cancel_delayed_work_sync(&vgpu->deliver.trim);
}
