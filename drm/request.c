// SPDX-License-Identifier: GPL-2.0-only
/*
 * Requests between the execbuf ioctl and their release.
 *
 * An execbuf builds a request and arms it: a callback on each fence it
 * depends on counts down @pending; the last puts it on the device's
 * lock-free ready list (callbacks may run in any context) and the submit
 * worker hands it to its engine (execlist.c).  When its engine has
 * signalled its fence it goes on the retire list, and the retire worker
 * drops what it kept alive: bindings, objects, its context.  The same
 * worker releases deferred memory (struct mvgpu_deferred) once the
 * engines are past it.
 */
#include <linux/lockdep.h>
#include <linux/slab.h>

#include <drm/drm_gem.h>

#include "context.h"
#include "drv.h"
#include "ppgtt.h"
#include "request.h"

static const char *fence_driver_name(struct dma_fence *f)
{
	return MVGPU_DRM_NAME;
}

static const char *fence_timeline_name(struct dma_fence *f)
{
	struct mvgpu_fence *mf = container_of(f, struct mvgpu_fence, base);

	return mf->engine == MVGPU_ENGINE_RCS ? "rcs" : "bcs";
}

/*
 * No release: dma_fence_free() frees the struct (the fence comes first),
 * so a fence outliving the request, the device or the module's data
 * needs nothing of them but these names.
 */
const struct dma_fence_ops mvgpu_fence_ops = {
	.get_driver_name = fence_driver_name,
	.get_timeline_name = fence_timeline_name,
};

/**
 * mvgpu_request_alloc() - a new request, not armed
 * @m: the device
 * @hw: the context and engine it will run in; a reference on the context
 *      is taken
 *
 * The fence is initialised when the request gets its seqno (submit.c).
 *
 * Return: the request, or NULL without memory.
 */
struct mvgpu_request *mvgpu_request_alloc(struct mvgpu_drm *m,
					  struct mvgpu_hwctx *hw)
{
	struct mvgpu_request *rq = kzalloc(sizeof(*rq), GFP_KERNEL);

	if (!rq)
		return NULL;
	rq->fence = kzalloc(sizeof(*rq->fence), GFP_KERNEL);
	if (!rq->fence) {
		kfree(rq);
		return NULL;
	}
	spin_lock_init(&rq->fence->lock);
	rq->fence->engine = hw->engine->id;
	rq->mdev = m;
	rq->hw = hw;
	mvgpu_ctx_get(hw->ctx);
	INIT_LIST_HEAD(&rq->hw_link);
	INIT_LIST_HEAD(&rq->link);
	INIT_LIST_HEAD(&rq->wait_link);
	INIT_LIST_HEAD(&rq->deps);
	atomic_set(&rq->pending, 1);
	return rq;
}

/**
 * mvgpu_request_free() - release a request and what it holds
 * @rq: a request never armed, or one the retire worker took
 */
void mvgpu_request_free(struct mvgpu_request *rq)
{
	struct mvgpu_dep *dep, *n;
	unsigned int i;

	list_for_each_entry_safe(dep, n, &rq->deps, link) {
		dma_fence_put(dep->fence);
		kfree(dep);
	}
	for (i = 0; i < rq->nvmas; i++)
		if (rq->vmas[i])
			mvgpu_vma_put(rq->vmas[i]);
	kvfree(rq->vmas);
	for (i = 0; i < rq->nobjs; i++)
		if (rq->objs[i])
			drm_gem_object_put(rq->objs[i]);
	kvfree(rq->objs);
	mvgpu_ctx_put(rq->hw->ctx);
	if (rq->fence->base.ops)
		dma_fence_put(&rq->fence->base);
	else
		kfree(rq->fence);
	kfree(rq);
}

/**
 * mvgpu_request_add_dep() - make a request wait for a fence
 * @rq: not armed yet
 * @fence: the fence; a reference is taken
 *
 * Fences already signalled, and earlier fences of the request's own
 * context and engine (which signal first anyway), are skipped.  A fence
 * that fails still only orders the request.
 *
 * Return: 0, or -ENOMEM.
 */
int mvgpu_request_add_dep(struct mvgpu_request *rq, struct dma_fence *fence)
{
	struct mvgpu_dep *dep;

	if (fence->context == rq->hw->fence_context ||
	    dma_fence_is_signaled(fence))
		return 0;
	dep = kzalloc(sizeof(*dep), GFP_KERNEL);
	if (!dep)
		return -ENOMEM;
	dep->fence = dma_fence_get(fence);
	dep->rq = rq;
	list_add_tail(&dep->link, &rq->deps);
	return 0;
}

static void request_ready(struct mvgpu_request *rq)
{
	struct mvgpu_drm *m = rq->mdev;

	llist_add(&rq->ready, &m->rq.ready);
	queue_work(m->wq, &m->rq.submit_work);
}

/* Any context, under the signalling fence's lock. */
static void request_dep_signalled(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct mvgpu_dep *dep = container_of(cb, struct mvgpu_dep, cb);

	lockdep_assert_held(fence->lock);
	if (atomic_dec_and_test(&dep->rq->pending))
		request_ready(dep->rq);
}

/**
 * mvgpu_request_arm() - start waiting for the dependencies
 * @rq: the request, its fence initialised and on its context's list;
 *      from now on the device's workers own it
 */
void mvgpu_request_arm(struct mvgpu_request *rq)
{
	struct mvgpu_drm *m = rq->mdev;
	struct mvgpu_dep *dep;

	spin_lock(&m->rq.lock);
	list_add_tail(&rq->wait_link, &m->rq.waiting);
	spin_unlock(&m->rq.lock);
	list_for_each_entry(dep, &rq->deps, link) {
		atomic_inc(&rq->pending);
		if (dma_fence_add_callback(dep->fence, &dep->cb, request_dep_signalled))
			atomic_dec(&rq->pending);
	}
	if (atomic_dec_and_test(&rq->pending))
		request_ready(rq);
}

static void request_submit_work(struct work_struct *work)
{
	struct mvgpu_drm *m = container_of(work, struct mvgpu_drm,
					   rq.submit_work);
	struct llist_node *list = llist_reverse_order(llist_del_all(&m->rq.ready));
	struct mvgpu_request *rq, *n;

	llist_for_each_entry_safe(rq, n, list, ready) {
		spin_lock(&m->rq.lock);
		list_del_init(&rq->wait_link);
		spin_unlock(&m->rq.lock);
		mvgpu_engine_ready(rq);
	}
}

/**
 * mvgpu_request_retire() - hand a signalled request to the retire worker
 * @rq: in state MVGPU_RQ_DONE, off its engine's lists; its engine's lock
 *      is held
 */
void mvgpu_request_retire(struct mvgpu_request *rq)
{
	struct mvgpu_drm *m = rq->mdev;

	lockdep_assert_held(&rq->hw->engine->lock);
	spin_lock(&m->rq.lock);
	list_add_tail(&rq->link, &m->rq.retire);
	spin_unlock(&m->rq.lock);
	queue_work(m->wq, &m->rq.retire_work);
}

/* Have the engines gone idle since @d was deferred? */
static bool request_deferred_passed(struct mvgpu_drm *m, const struct mvgpu_deferred *d)
{
	unsigned int i;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		if (READ_ONCE(m->engine[i].idle_seq) < d->seq[i])
			return false;
	return true;
}

/**
 * mvgpu_defer() - release memory once the engines cannot use it
 * @m: the device
 * @d: embedded in what is released
 * @release: called with @d from process context, at once if no engine
 *           has work that was submitted before this call
 *
 * Call it after clearing the GGTT or PPGTT entries that pointed at the
 * memory (see struct mvgpu_deferred), holding no lock the release takes.
 */
void mvgpu_defer(struct mvgpu_drm *m, struct mvgpu_deferred *d,
		 void (*release)(struct mvgpu_deferred *d))
{
	unsigned int i;

	d->release = release;
	/* the entries are cleared before the submissions are counted */
	smp_mb();
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		d->seq[i] = READ_ONCE(m->engine[i].submitted);
	if (request_deferred_passed(m, d)) {
		release(d);
		return;
	}
	spin_lock(&m->rq.lock);
	list_add_tail(&d->link, &m->rq.deferred);
	spin_unlock(&m->rq.lock);
	/* the engine may have gone idle since: look again */
	queue_work(m->wq, &m->rq.retire_work);
}

static void request_release_deferred(struct mvgpu_drm *m)
{
	struct mvgpu_deferred *d, *n;
	LIST_HEAD(done);

	spin_lock(&m->rq.lock);
	list_for_each_entry_safe(d, n, &m->rq.deferred, link)
		if (request_deferred_passed(m, d))
			list_move_tail(&d->link, &done);
	spin_unlock(&m->rq.lock);
	list_for_each_entry_safe(d, n, &done, link) {
		list_del(&d->link);
		d->release(d);
	}
}

static void request_retire_work(struct work_struct *work)
{
	struct mvgpu_drm *m = container_of(work, struct mvgpu_drm,
					   rq.retire_work);
	struct mvgpu_request *rq, *n;
	LIST_HEAD(list);

	spin_lock(&m->rq.lock);
	list_splice_init(&m->rq.retire, &list);
	spin_unlock(&m->rq.lock);
	list_for_each_entry_safe(rq, n, &list, link) {
		list_del(&rq->link);
		mvgpu_request_free(rq);
	}
	request_release_deferred(m);
}

/**
 * mvgpu_requests_cancel_waiting() - stop waiting for dependencies
 * @m: the device, dead or wedged: the requests are cancelled when they
 *     reach their engine
 */
void mvgpu_requests_cancel_waiting(struct mvgpu_drm *m)
{
	struct mvgpu_request *rq;
	struct mvgpu_dep *dep;

	spin_lock(&m->rq.lock);
	list_for_each_entry(rq, &m->rq.waiting, wait_link)
		list_for_each_entry(dep, &rq->deps, link)
			if (dma_fence_remove_callback(dep->fence, &dep->cb) &&
			    atomic_dec_and_test(&rq->pending))
				request_ready(rq);
	spin_unlock(&m->rq.lock);
}

/**
 * mvgpu_requests_flush() - let the workers finish what is queued
 * @m: the device
 */
void mvgpu_requests_flush(struct mvgpu_drm *m)
{
	flush_work(&m->rq.submit_work);
	flush_work(&m->rq.retire_work);
}

/**
 * mvgpu_requests_init() - set up the request lists and workers
 * @m: the device
 */
void mvgpu_requests_init(struct mvgpu_drm *m)
{
	init_llist_head(&m->rq.ready);
	INIT_WORK(&m->rq.submit_work, request_submit_work);
	spin_lock_init(&m->rq.lock);
	INIT_LIST_HEAD(&m->rq.retire);
	INIT_LIST_HEAD(&m->rq.waiting);
	INIT_LIST_HEAD(&m->rq.deferred);
	INIT_WORK(&m->rq.retire_work, request_retire_work);
}

/**
 * mvgpu_requests_fini() - release everything left
 * @m: the device, its engines idle for good
 */
void mvgpu_requests_fini(struct mvgpu_drm *m)
{
	struct mvgpu_deferred *d, *n;

	mvgpu_requests_flush(m);
	/* the engines were stopped for good: nothing may still wait */
	drm_WARN_ON(&m->drm, !list_empty(&m->rq.deferred));
	list_for_each_entry_safe(d, n, &m->rq.deferred, link) {
		list_del(&d->link);
		d->release(d);
	}
}
