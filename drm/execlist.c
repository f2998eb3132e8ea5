// SPDX-License-Identifier: GPL-2.0-only
/*
 * Execlist submission.
 *
 * Each engine has a software queue of requests that are ready to run.
 * When both execlist ports are free, the first queued request's context
 * takes element 0 with every queued request of that context (its ring
 * tail after the last of them), and the next context with queued
 * requests takes element 1; both are written to the ELSP or, with a
 * status page, to its submit queue, loaded by one write of
 * EXECLIST_CONTROL (gpu-interface.rst).  Nothing is submitted while
 * elements are active: on a whole GPU a new submission would preempt
 * them, on a vGPU it would be queued behind them, and a driver that only
 * submits to an idle engine needs neither.
 *
 * The context status buffer is read in the interrupt thread (irq.c).
 * COMPLETE signals every request of element 0 and moves element 1 up;
 * ERROR does the same but bans the context: its requests done by then
 * (their seqno in the status page) keep their result, the first one not
 * done is guilty and it and the rest fail with -EIO.  ACTIVE_TO_IDLE with
 * an element still in a port means the GPU dropped it without running
 * it (a vGPU drops the work queued behind a hang): its requests go back
 * to the head of the queue.  User interrupts signal requests as their
 * seqno lands, before their element ends.
 */
#include <linux/jiffies.h>

#include <drm/drm_drv.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "context.h"
#include "drv.h"
#include "gem.h"
#include "regs.h"
#include "request.h"

static const char *const engine_names[MVGPU_NUM_ENGINES] = {
	[MVGPU_ENGINE_RCS] = "rcs",
	[MVGPU_ENGINE_BCS] = "bcs",
};

/**
 * mvgpu_engine_init() - software state of an engine
 * @m: the device
 * @id: MVGPU_ENGINE_*
 */
void mvgpu_engine_init(struct mvgpu_drm *m, unsigned int id)
{
	struct mvgpu_engine *e = &m->engine[id];

	e->mdev = m;
	e->id = id;
	e->base = id == MVGPU_ENGINE_RCS ? MVGPU_RCS_BASE : MVGPU_BCS_BASE;
	e->irq_shift = id == MVGPU_ENGINE_RCS ? MVGPU_RCS_IRQ_SHIFT :
						MVGPU_BCS_IRQ_SHIFT;
	e->name = engine_names[id];
	spin_lock_init(&e->lock);
	INIT_LIST_HEAD(&e->queue);
	e->csb_head = MVGPU_CSB_ENTRIES - 1;
	e->last_progress = jiffies;
}

static void engines_hws_release(struct drm_device *drm, void *data)
{
	struct mvgpu_drm *m = data;
	unsigned int i;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		struct mvgpu_engine *e = &m->engine[i];

		if (e->hws)
			mvgpu_bo_vunmap(e->hws_bo, e->hws);
		if (e->hws_bo)
			drm_gem_object_put(&e->hws_bo->base.base);
		e->hws = NULL;
		e->hws_bo = NULL;
	}
}

/**
 * mvgpu_engines_hws_init() - a status page for each engine
 * @m: the device, its GGTT usable, before mvgpu_hw_init()
 *
 * One GPU-only page in the hidden range per engine, into which the GPU
 * mirrors the context status buffer (gpu-interface.rst, "Status page"),
 * so that the interrupt handler reads completions from memory instead of
 * trapping on registers.  Released with the device.
 *
 * Return: 0 or a negative errno.
 */
int mvgpu_engines_hws_init(struct mvgpu_drm *m)
{
	unsigned int i;
	void *vaddr;
	int ret;

	ret = drmm_add_action(&m->drm, engines_hws_release, m);
	if (ret)
		return ret;
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		struct mvgpu_engine *e = &m->engine[i];
		struct mvgpu_bo *bo;

		bo = mvgpu_bo_create(m, PAGE_SIZE, true, MVGPU_GGTT_HIDDEN);
		if (IS_ERR(bo))
			return PTR_ERR(bo);
		e->hws_bo = bo;
		vaddr = mvgpu_bo_vmap(bo);
		if (IS_ERR(vaddr))
			return PTR_ERR(vaddr);
		e->hws = vaddr;
	}
	return 0;
}

/*
 * Program the status page (its write pointer first, as the GPU does not
 * write it until the next event) and read the address back: a GPU that
 * does not keep it has no status page, and the CSB registers are used.
 * With a status page, a vGPU that says so in PV info takes submissions
 * from its queue.
 */
static void engine_hws_hw_init(struct mvgpu_engine *e, u32 wp)
{
	u32 gma;

	e->use_hws = false;
	if (!e->hws)
		return;
	gma = e->hws_bo->ggtt.start;
	WRITE_ONCE(e->hws[MVGPU_HWS_CSB_WRITE_PTR / 4], wp);
	wmb();	/* the page before the GPU may write it */
	mvgpu_eng_wr(e, MVGPU_RING_HWS_PGA, gma);
	e->use_hws = mvgpu_eng_rd(e, MVGPU_RING_HWS_PGA) == gma;
	e->use_sq = e->use_hws &&
		    (e->mdev->info.caps & MVGPU_PVINFO_CAP_SUBMIT_QUEUE);
}

/**
 * mvgpu_engine_hw_init() - enable the run list, sync the CSB pointers
 * @e: the engine, idle (after probe or a reset), its interrupt quiet
 *
 * Also programs the engine's status page, if it has one.
 */
void mvgpu_engine_hw_init(struct mvgpu_engine *e)
{
	u32 wp;

	mvgpu_eng_wr(e, MVGPU_RING_MODE,
		     MVGPU_MASKED_BIT_ENABLE(MVGPU_RING_MODE_RUN_LIST_ENABLE));
	mvgpu_eng_wr(e, MVGPU_RING_ERR_STATUS, 0);
	wp = mvgpu_eng_rd(e, MVGPU_RING_CSB_PTR) & MVGPU_CSB_WRITE_PTR_MASK;
	if (wp >= MVGPU_CSB_ENTRIES)
		wp = MVGPU_CSB_ENTRIES - 1;
	mvgpu_eng_wr(e, MVGPU_RING_CSB_PTR,
		     MVGPU_MASKED_FIELD(MVGPU_CSB_READ_PTR_MASK,
					wp << MVGPU_CSB_READ_PTR_SHIFT));
	engine_hws_hw_init(e, wp);
	spin_lock(&e->lock);
	e->csb_head = wp;
	e->last_progress = jiffies;
	spin_unlock(&e->lock);
}

/* @rq ended: signal its fence, with @err, and have it released. */
static void execlist_rq_end(struct mvgpu_engine *e, struct mvgpu_request *rq, int err)
{
	lockdep_assert_held(&e->lock);
	if (err)
		dma_fence_set_error(&rq->fence->base, err);
	dma_fence_signal(&rq->fence->base);
	rq->state = MVGPU_RQ_DONE;
	rq->hw->done_pos = rq->ring_end;
	list_del_init(&rq->hw_link);
	list_del_init(&rq->link);
	e->last_progress = jiffies;
	mvgpu_request_retire(rq);
}

static bool execlist_rq_cancelled(struct mvgpu_engine *e, struct mvgpu_request *rq)
{
	return READ_ONCE(rq->hw->ctx->banned) ||
	       READ_ONCE(e->mdev->reset.wedged) || READ_ONCE(e->mdev->dead);
}

/* Requests of @hw that are ready and next in line go on the queue. */
static void execlist_promote(struct mvgpu_engine *e, struct mvgpu_hwctx *hw)
{
	struct mvgpu_request *rq;

	lockdep_assert_held(&e->lock);
	list_for_each_entry(rq, &hw->requests, hw_link) {
		if (rq->state == MVGPU_RQ_WAIT)
			break;
		if (rq->state != MVGPU_RQ_READY)
			continue;
		rq->state = MVGPU_RQ_QUEUED;
		list_add_tail(&rq->link, &e->queue);
	}
}

/* The context of the first request that may run; cancels the others. */
static struct mvgpu_hwctx *execlist_next_context(struct mvgpu_engine *e)
{
	struct mvgpu_request *rq, *n;

	list_for_each_entry_safe(rq, n, &e->queue, link) {
		if (!execlist_rq_cancelled(e, rq))
			return rq->hw;
		execlist_rq_end(e, rq, -EIO);
	}
	return NULL;
}

/* Port @p gets every queued request of @hw. */
static void execlist_fill_port(struct mvgpu_engine *e, unsigned int p,
			       struct mvgpu_hwctx *hw)
{
	struct mvgpu_request *rq, *n, *last = NULL;

	list_for_each_entry_safe(rq, n, &e->queue, link) {
		if (rq->hw != hw)
			continue;
		list_del_init(&rq->link);
		rq->state = MVGPU_RQ_INFLIGHT;
		last = rq;
	}
	WRITE_ONCE(hw->image[MVGPU_CTX_RING_TAIL], last->tail);
	mvgpu_ctx_get(hw->ctx);
	e->port[p] = hw;
}

static void execlist_elsp_write(struct mvgpu_engine *e)
{
	u64 d0 = e->port[0]->desc, d1 = e->port[1] ? e->port[1]->desc : 0;
	int idx;

	WRITE_ONCE(e->submitted, e->submitted + 1);
	e->last_progress = jiffies;
	if (!drm_dev_enter(&e->mdev->drm, &idx))
		return;
	if (e->use_sq) {
		u32 *sq = &e->hws[MVGPU_HWS_SQ(0) / 4];

		/* the submit queue: one trapped write instead of four */
		WRITE_ONCE(sq[0], lower_32_bits(d0));
		WRITE_ONCE(sq[1], upper_32_bits(d0));
		WRITE_ONCE(sq[2], lower_32_bits(d1));
		WRITE_ONCE(sq[3], upper_32_bits(d1));
		wmb();	/* the queue and the images' tails before the load */
		mvgpu_eng_wr(e, MVGPU_RING_EXECLIST_CONTROL,
			     MVGPU_EXECLIST_CONTROL_LOAD);
	} else {
		/* the images' tails are in memory before the fourth write */
		mvgpu_eng_wr(e, MVGPU_RING_ELSP, upper_32_bits(d1));
		mvgpu_eng_wr(e, MVGPU_RING_ELSP, lower_32_bits(d1));
		mvgpu_eng_wr(e, MVGPU_RING_ELSP, upper_32_bits(d0));
		mvgpu_eng_wr(e, MVGPU_RING_ELSP, lower_32_bits(d0));
	}
	drm_dev_exit(idx);
	mvgpu_watchdog_arm(e->mdev);
}

static void execlist_cancel_queue(struct mvgpu_engine *e)
{
	struct mvgpu_request *rq, *n;

	list_for_each_entry_safe(rq, n, &e->queue, link)
		execlist_rq_end(e, rq, -EIO);
}

/* Submit a pair if the engine is idle and has work. */
static void execlist_dequeue(struct mvgpu_engine *e)
{
	struct mvgpu_hwctx *hw;

	lockdep_assert_held(&e->lock);
	if (e->stopped) {
		if (READ_ONCE(e->mdev->reset.wedged) || READ_ONCE(e->mdev->dead))
			execlist_cancel_queue(e);
		return;
	}
	if (e->port[0])
		return;
	hw = execlist_next_context(e);
	if (!hw)
		return;
	execlist_fill_port(e, 0, hw);
	hw = execlist_next_context(e);
	if (hw)
		execlist_fill_port(e, 1, hw);
	execlist_elsp_write(e);
}

/**
 * mvgpu_engine_ready() - a request's dependencies are met
 * @rq: in state MVGPU_RQ_WAIT
 *
 * It is queued once the earlier requests of its context are; the engine
 * gets work if it is idle.  Called by the submit worker.
 */
void mvgpu_engine_ready(struct mvgpu_request *rq)
{
	struct mvgpu_engine *e = rq->hw->engine;

	spin_lock(&e->lock);
	rq->state = MVGPU_RQ_READY;
	execlist_promote(e, rq->hw);
	execlist_dequeue(e);
	spin_unlock(&e->lock);
}

static void execlist_port_shift(struct mvgpu_engine *e)
{
	struct mvgpu_hwctx *hw = e->port[0];

	e->port[0] = e->port[1];
	e->port[1] = NULL;
	mvgpu_ctx_put(hw->ctx);
}

/* Every request of the element ended well. */
static void execlist_element_done(struct mvgpu_engine *e, struct mvgpu_hwctx *hw)
{
	struct mvgpu_request *rq, *n;

	list_for_each_entry_safe(rq, n, &hw->requests, hw_link) {
		if (rq->state != MVGPU_RQ_INFLIGHT)
			break;
		execlist_rq_end(e, rq, 0);
	}
}

/* The element stopped on @err: the context is banned. */
static void execlist_element_failed(struct mvgpu_engine *e, struct mvgpu_hwctx *hw,
				    const struct mvgpu_ctx_error *err)
{
	struct mvgpu_request *rq, *n;
	bool guilty = false;

	list_for_each_entry_safe(rq, n, &hw->requests, hw_link) {
		if (rq->state != MVGPU_RQ_INFLIGHT)
			break;
		if (!guilty && mvgpu_rq_hw_done(hw, rq->seqno)) {
			execlist_rq_end(e, rq, 0);
			continue;
		}
		if (!guilty) {
			guilty = true;
			rq->guilty = true;
			atomic_inc(&hw->ctx->guilty);
		}
		execlist_rq_end(e, rq, -EIO);
	}
	mvgpu_ctx_ban(hw->ctx, err);
}

/*
 * The element left the engine without running to its end, through no
 * fault of its own: its requests not done yet run again, first.
 */
static void execlist_element_requeue(struct mvgpu_engine *e, struct mvgpu_hwctx *hw)
{
	struct mvgpu_request *rq, *n, *first = NULL;
	LIST_HEAD(again);
	unsigned int i;

	list_for_each_entry_safe(rq, n, &hw->requests, hw_link) {
		if (rq->state != MVGPU_RQ_INFLIGHT)
			break;
		if (!first && mvgpu_rq_hw_done(hw, rq->seqno)) {
			execlist_rq_end(e, rq, 0);
			continue;
		}
		first = first ?: rq;
		rq->state = MVGPU_RQ_QUEUED;
		list_add_tail(&rq->link, &again);
		atomic_inc(&hw->ctx->innocent);
	}
	if (!first)
		return;
	/* restart at its first request not done, outside any batch or blit */
	WRITE_ONCE(hw->image[MVGPU_CTX_RING_HEAD], first->head);
	for (i = MVGPU_CTX_BB_ADDR_LO; i <= MVGPU_CTX_BLT_ADDR; i++)
		WRITE_ONCE(hw->image[i], 0);
	list_splice(&again, &e->queue);
}

static void execlist_engine_idle(struct mvgpu_engine *e)
{
	lockdep_assert_held(&e->lock);
	WRITE_ONCE(e->idle_seq, e->submitted);
	/* memory deferred behind the engines may go now */
	queue_work(e->mdev->wq, &e->mdev->rq.retire_work);
}

static void execlist_desync(struct mvgpu_engine *e, const char *why, u32 status,
			    u32 id)
{
	drm_err_ratelimited(&e->mdev->drm,
			    "%s: %s (CSB status 0x%08x context 0x%x): resetting the engine\n",
			    e->name, why, status, id);
	mvgpu_reset_schedule(e->mdev, MVGPU_RESET_ENGINE(e->id));
}

/**
 * struct csb_event - one context status buffer entry
 * @status: MVGPU_CSB_*
 * @id: context ID
 */
struct csb_event {
	u32 status;
	u32 id;
};

/**
 * struct capture - the engine's error capture registers
 * @valid: they held an error
 * @ctx_id: of this context
 * @err: the error
 */
struct capture {
	bool valid;
	u32 ctx_id;
	struct mvgpu_ctx_error err;
};

static void execlist_handle_event(struct mvgpu_engine *e, const struct csb_event *ev,
				  const struct capture *cap)
{
	struct mvgpu_hwctx *hw = e->port[0];
	struct mvgpu_ctx_error err;

	lockdep_assert_held(&e->lock);
	e->last_progress = jiffies;
	if (ev->status & MVGPU_CSB_PREEMPTED) {
		execlist_desync(e, "preempted, never asked", ev->status, ev->id);
		return;
	}
	if (!(ev->status & (MVGPU_CSB_COMPLETE | MVGPU_CSB_ERROR)))
		return;
	if (!hw || hw->hw_id != ev->id) {
		execlist_desync(e, "end of a context not in element 0", ev->status,
				ev->id);
		return;
	}
	if (ev->status & MVGPU_CSB_ERROR) {
		if (cap->valid && cap->ctx_id == hw->hw_id) {
			err = cap->err;
		} else {
			memset(&err, 0, sizeof(err));
			err.code = READ_ONCE(hw->image[MVGPU_CTX_ERROR]);
		}
		err.engine = e->id;
		execlist_element_failed(e, hw, &err);
	} else {
		execlist_element_done(e, hw);
	}
	execlist_port_shift(e);
	if (ev->status & MVGPU_CSB_ACTIVE_TO_IDLE) {
		if (e->port[0]) {
			execlist_element_requeue(e, e->port[0]);
			execlist_port_shift(e);
		}
		execlist_engine_idle(e);
	}
}

/* The error capture, read once per batch of events, then cleared. */
static void execlist_read_capture(struct mvgpu_engine *e, struct capture *cap)
{
	u32 st = mvgpu_eng_rd(e, MVGPU_RING_ERR_STATUS);

	memset(cap, 0, sizeof(*cap));
	if (!(st & MVGPU_ERR_STATUS_VALID))
		return;
	cap->valid = true;
	cap->ctx_id = mvgpu_eng_rd(e, MVGPU_RING_ERR_CTX_ID);
	cap->err.status = st;
	cap->err.code = st & MVGPU_ERR_STATUS_CODE_MASK;
	cap->err.cmd_addr = mvgpu_eng_rd(e, MVGPU_RING_ERR_CMD_ADDR_LO) |
		(u64)mvgpu_eng_rd(e, MVGPU_RING_ERR_CMD_ADDR_HI) << 32;
	cap->err.cmd_header = mvgpu_eng_rd(e, MVGPU_RING_ERR_CMD_HEADER);
	cap->err.fault_addr = mvgpu_eng_rd(e, MVGPU_RING_ERR_FAULT_ADDR_LO) |
		(u64)mvgpu_eng_rd(e, MVGPU_RING_ERR_FAULT_ADDR_HI) << 32;
	/* the next error may be captured */
	mvgpu_eng_wr(e, MVGPU_RING_ERR_STATUS, 0);
}

/*
 * The write pointer and @head's entry from the status page: memory, no
 * trap.  The GPU writes the entries before the pointer.
 */
static unsigned int execlist_hws_wp(struct mvgpu_engine *e)
{
	unsigned int wp = READ_ONCE(e->hws[MVGPU_HWS_CSB_WRITE_PTR / 4]);

	rmb();	/* the entries after the pointer */
	return wp & MVGPU_CSB_WRITE_PTR_MASK;
}

/*
 * Read the new CSB entries (the status page, else registers; outside the
 * lock: only the interrupt thread reads them, and resets keep it away),
 * then act on them under the lock.  With the status page the read
 * pointer is not written back: the GPU never consults it, and the write
 * would be a trap on a vGPU.
 */
static void execlist_process_csb(struct mvgpu_engine *e)
{
	struct csb_event ev[MVGPU_CSB_ENTRIES];
	struct capture cap = { };
	unsigned int head, wp, n = 0, i;
	bool error = false;

	spin_lock(&e->lock);
	head = e->csb_head;
	spin_unlock(&e->lock);
	if (e->use_hws)
		wp = execlist_hws_wp(e);
	else
		wp = mvgpu_eng_rd(e, MVGPU_RING_CSB_PTR) &
		     MVGPU_CSB_WRITE_PTR_MASK;
	if (wp >= MVGPU_CSB_ENTRIES || wp == head)
		return;
	while (head != wp) {
		head = (head + 1) % MVGPU_CSB_ENTRIES;
		if (e->use_hws) {
			ev[n].status = READ_ONCE(e->hws[MVGPU_HWS_CSB(head) / 4]);
			ev[n].id = READ_ONCE(e->hws[MVGPU_HWS_CSB_CTX_ID(head) / 4]);
		} else {
			ev[n].status = mvgpu_eng_rd(e, MVGPU_RING_CSB(head));
			ev[n].id = mvgpu_eng_rd(e, MVGPU_RING_CSB_CTX_ID(head));
		}
		error |= !!(ev[n].status & MVGPU_CSB_ERROR);
		n++;
	}
	if (!e->use_hws)
		mvgpu_eng_wr(e, MVGPU_RING_CSB_PTR,
			     MVGPU_MASKED_FIELD(MVGPU_CSB_READ_PTR_MASK,
						head << MVGPU_CSB_READ_PTR_SHIFT));
	if (error)
		execlist_read_capture(e, &cap);

	spin_lock(&e->lock);
	e->csb_head = head;
	for (i = 0; i < n; i++)
		execlist_handle_event(e, &ev[i], &cap);
	execlist_dequeue(e);
	spin_unlock(&e->lock);

	if (error)
		mvgpu_reset_check_failsafe(e->mdev);
}

/* Requests whose seqno landed are done, before their element ends. */
static void execlist_signal_landed(struct mvgpu_engine *e)
{
	struct mvgpu_request *rq, *n;
	unsigned int p;

	spin_lock(&e->lock);
	for (p = 0; p < ARRAY_SIZE(e->port); p++) {
		struct mvgpu_hwctx *hw = e->port[p];

		if (!hw)
			continue;
		list_for_each_entry_safe(rq, n, &hw->requests, hw_link) {
			if (rq->state != MVGPU_RQ_INFLIGHT ||
			    !mvgpu_rq_hw_done(hw, rq->seqno))
				break;
			execlist_rq_end(e, rq, 0);
		}
	}
	spin_unlock(&e->lock);
}

/**
 * mvgpu_engine_irq() - the engine's interrupt bits fired
 * @e: the engine
 * @iir: its bits of the GT IIR (shifted down)
 *
 * Called from the interrupt thread.
 */
void mvgpu_engine_irq(struct mvgpu_engine *e, u32 iir)
{
	if (iir & MVGPU_GT_USER_INTERRUPT)
		execlist_signal_landed(e);
	/* any bit: the CSB is cheap to look at, and events are never lost */
	execlist_process_csb(e);
}

/**
 * mvgpu_engine_stop() - submit nothing until restarted
 * @e: the engine; the caller is about to reset it
 */
void mvgpu_engine_stop(struct mvgpu_engine *e)
{
	spin_lock(&e->lock);
	e->stopped = true;
	spin_unlock(&e->lock);
}

/**
 * mvgpu_engine_restart() - after a reset: sort out the elements, go on
 * @e: the engine, stopped and reset, mvgpu_engine_hw_init() done
 * @blame_running: element 0 was running and is to blame (a hang the
 *                 driver's timeout found); else every element is innocent
 *
 * A reset drops the elements without saving them.  Requests whose seqno
 * landed are done; the guilty context is banned; the other requests run
 * again, in order, ahead of the rest of the queue.
 */
void mvgpu_engine_restart(struct mvgpu_engine *e, bool blame_running)
{
	struct mvgpu_ctx_error hang = {
		.code = MVGPU_ERR_HANG, .engine = e->id,
	};
	int p;

	spin_lock(&e->lock);
	for (p = ARRAY_SIZE(e->port) - 1; p >= 0; p--) {
		struct mvgpu_hwctx *hw = e->port[p];

		if (!hw)
			continue;
		if (p == 0 && blame_running) {
			drm_err(&e->mdev->drm, "%s: context 0x%x made no progress: banned\n",
				e->name, hw->hw_id);
			execlist_element_failed(e, hw, &hang);
		} else {
			execlist_element_requeue(e, hw);
		}
		e->port[p] = NULL;
		mvgpu_ctx_put(hw->ctx);
	}
	execlist_engine_idle(e);
	e->stopped = false;
	execlist_dequeue(e);
	spin_unlock(&e->lock);
}

/**
 * mvgpu_engine_cancel() - fail everything the engine has, for good
 * @e: the engine, of a device that is gone or wedged
 */
void mvgpu_engine_cancel(struct mvgpu_engine *e)
{
	struct mvgpu_request *rq, *n;
	unsigned int p;

	spin_lock(&e->lock);
	e->stopped = true;
	for (p = 0; p < ARRAY_SIZE(e->port); p++) {
		struct mvgpu_hwctx *hw = e->port[p];

		if (!hw)
			continue;
		list_for_each_entry_safe(rq, n, &hw->requests, hw_link) {
			if (rq->state != MVGPU_RQ_INFLIGHT)
				break;
			execlist_rq_end(e, rq, -EIO);
		}
		e->port[p] = NULL;
		mvgpu_ctx_put(hw->ctx);
	}
	execlist_cancel_queue(e);
	execlist_engine_idle(e);
	spin_unlock(&e->lock);
}

/**
 * mvgpu_engine_stalled() - has element 0 made no progress for a while?
 * @e: the engine
 * @timeout: jiffies without an event or a completion
 *
 * Return: true if it has work and nothing happened for @timeout.
 */
bool mvgpu_engine_stalled(struct mvgpu_engine *e, unsigned long timeout)
{
	bool ret;

	spin_lock(&e->lock);
	ret = e->port[0] && time_after(jiffies, e->last_progress + timeout);
	spin_unlock(&e->lock);
	return ret;
}

/**
 * mvgpu_engine_busy() - has the engine elements in flight?
 * @e: the engine
 *
 * Return: true if it has.
 */
bool mvgpu_engine_busy(struct mvgpu_engine *e)
{
	bool ret;

	spin_lock(&e->lock);
	ret = e->port[0];
	spin_unlock(&e->lock);
	return ret;
}
