/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Requests: one batch run in one context on one engine, its fence, its
 * dependencies, and what it keeps alive until it is released.
 */
#ifndef _MVGPU_DRM_REQUEST_H
#define _MVGPU_DRM_REQUEST_H

#include <linux/dma-fence.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <mvgpu/mvgpu_regs.h>

struct drm_gem_object;
struct mvgpu_drm;
struct mvgpu_hwctx;
struct mvgpu_vma;

/**
 * struct mvgpu_fence - the fence of a request
 * @base: the dma_fence; first, so that dma_fence_free() frees the struct
 * @lock: the fence's lock; the fence outlives the request and the device
 * @engine: DRM_MVGPU_ENGINE_* of the request
 */
struct mvgpu_fence {
	struct dma_fence base;
	spinlock_t lock; /* see @lock above */
	unsigned int engine;
};

extern const struct dma_fence_ops mvgpu_fence_ops;

/* Where a request is; changes under its engine's lock. */
enum mvgpu_rq_state {
	MVGPU_RQ_WAIT,		/* waiting for its dependencies */
	MVGPU_RQ_READY,		/* met; waits for earlier requests of its context */
	MVGPU_RQ_QUEUED,	/* on its engine's queue */
	MVGPU_RQ_INFLIGHT,	/* in an execlist element */
	MVGPU_RQ_DONE,		/* signalled; waits to be released */
};

/**
 * struct mvgpu_dep - a fence a request waits for
 * @cb: callback on @fence
 * @fence: a reference
 * @rq: the waiting request
 * @link: in the request's @deps
 */
struct mvgpu_dep {
	struct dma_fence_cb cb;
	struct dma_fence *fence;
	struct mvgpu_request *rq;
	struct list_head link;
};

/**
 * struct mvgpu_request - a batch on its way through an engine
 * @mdev: the device
 * @fence: its fence (a reference)
 * @hw: its context on its engine; the request holds a reference on the
 *      context
 * @seqno: its fence's seqno, written to the status page when it is done
 * @head: ring offset of its first command
 * @tail: ring offset after its last command
 * @ring_end: the context's emission counter after it (ring space)
 * @state: enum mvgpu_rq_state (engine lock)
 * @guilty: it stopped on an error (engine lock)
 * @hw_link: in @hw's list of requests (engine lock)
 * @link: in the engine's queue, or the device's retire list
 * @wait_link: in the device's list of requests waiting for dependencies
 * @ready: on the device's ready list once its dependencies are met
 * @pending: dependencies not signalled yet, plus one until armed
 * @deps: its struct mvgpu_dep
 * @vmas: the bindings it uses (references)
 * @nvmas: how many
 * @objs: the objects it uses (references)
 * @nobjs: how many
 */
struct mvgpu_request {
	struct mvgpu_drm *mdev;
	struct mvgpu_fence *fence;
	struct mvgpu_hwctx *hw;
	u32 seqno;
	u32 head;
	u32 tail;
	u32 ring_end;
	enum mvgpu_rq_state state;
	bool guilty;
	struct list_head hw_link;
	struct list_head link;
	struct list_head wait_link;
	struct llist_node ready;
	atomic_t pending;
	struct list_head deps;
	struct mvgpu_vma **vmas;
	unsigned int nvmas;
	struct drm_gem_object **objs;
	unsigned int nobjs;
};

/**
 * struct mvgpu_deferred - memory released once the engines are past it
 * @link: in the device's deferred list
 * @seq: each engine's submission count when it was deferred
 * @release: frees it
 *
 * The GPU keeps a translation for up to one command, so pages whose GGTT
 * or PPGTT entries were just cleared may still be written by work that
 * was on an engine then: they are released only once every submission
 * made up to that moment has left its engine.
 */
struct mvgpu_deferred {
	struct list_head link;
	u64 seq[MVGPU_NUM_ENGINES];
	void (*release)(struct mvgpu_deferred *d);
};

/**
 * struct mvgpu_requests - the device's requests between states
 * @ready: requests whose dependencies are met (fence callbacks add them)
 * @submit_work: moves @ready requests onto their engines
 * @lock: protects @retire, @waiting and @deferred
 * @retire: signalled requests to release
 * @waiting: requests waiting for dependencies
 * @deferred: struct mvgpu_deferred not released yet
 * @retire_work: releases @retire and what of @deferred the engines passed
 */
struct mvgpu_requests {
	struct llist_head ready;
	struct work_struct submit_work;
	spinlock_t lock; /* see @lock above */
	struct list_head retire;
	struct list_head waiting;
	struct list_head deferred;
	struct work_struct retire_work;
};

void mvgpu_requests_init(struct mvgpu_drm *m);
void mvgpu_requests_fini(struct mvgpu_drm *m);
struct mvgpu_request *mvgpu_request_alloc(struct mvgpu_drm *m,
					  struct mvgpu_hwctx *hw);
void mvgpu_request_free(struct mvgpu_request *rq);
int mvgpu_request_add_dep(struct mvgpu_request *rq, struct dma_fence *fence);
void mvgpu_request_arm(struct mvgpu_request *rq);
void mvgpu_request_retire(struct mvgpu_request *rq);
void mvgpu_requests_cancel_waiting(struct mvgpu_drm *m);
void mvgpu_defer(struct mvgpu_drm *m, struct mvgpu_deferred *d,
		 void (*release)(struct mvgpu_deferred *d));
void mvgpu_requests_flush(struct mvgpu_drm *m);

#endif /* _MVGPU_DRM_REQUEST_H */
