// SPDX-License-Identifier: GPL-2.0-only
/*
 * Software GPU: one engine, run by one kernel thread.
 *
 * The thread takes the submitted execlist pair, loads each context
 * (sgpu_ctx_load()) and runs it with sgpu_exec_run() in slices of bounded
 * work (SGPU_SLICE_*: about a millisecond at most), rescheduling between
 * slices.  A pending submission, preemption, reset or stop makes the
 * executor stop at the next arbitration point: MI_ARB_CHECK, a batch
 * start or end, an unsatisfied semaphore, or the end of a slice, where
 * the context's state is exact between two commands as at the others.
 * What happens becomes context events for the client (CSB semantics of
 * Documentation/gpu-interface.rst):
 *
 * - IDLE_TO_ACTIVE: a pair starts on an idle engine (about element 0);
 * - COMPLETE: a context reached head == tail, with ELEMENT_SWITCH when
 *   element 1 follows, ACTIVE_TO_IDLE when nothing does;
 * - ERROR (and ELEMENT_SWITCH or ACTIVE_TO_IDLE likewise): the context
 *   failed, or the watchdog stopped it (MVGPU_ERR_HANG);
 * - PREEMPTED: a new pair replaced the running one at an arbitration
 *   point; with ACTIVE_TO_IDLE for preempt(), which leaves the engine
 *   idle; with LITE_RESTORE when the new element 0 is the running
 *   context, which continues with the new tail without a save; with
 *   WAIT_ON_SEMAPHORE when the context was waiting on a semaphore.
 *
 * Contexts are saved (sgpu_ctx_save()) when they complete, fail or are
 * preempted; a reset drops them unsaved, but for the progress of a split
 * blit, which it clears in the image (sgpu_ctx_drop_progress()).
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>

#include <mvgpu/params.h>

#include "sgpu_dev.h"

static bool sgpu_engine_attention(struct sgpu_hw_engine *e)
{
	return READ_ONCE(e->next_valid) || READ_ONCE(e->preempt_req) ||
	       READ_ONCE(e->reset_req) || kthread_should_stop();
}

/* Has the time of set_alarm() come? */
static bool sgpu_engine_alarm_due(struct sgpu_hw_engine *e)
{
	u64 at = READ_ONCE(e->alarm_ns);

	return at && ktime_get_ns() >= at;
}

/* Executor callback at arbitration points. */
static bool sgpu_engine_should_yield(void *priv)
{
	return sgpu_engine_attention(priv) || sgpu_engine_alarm_due(priv);
}

/*
 * At an arbitration point of the running context: call the client if
 * its alarm is due, once (a time set meanwhile is left for later).
 */
static void sgpu_engine_ring_alarm(struct sgpu_hw_engine *e)
{
	u64 at = READ_ONCE(e->alarm_ns);

	if (!at || ktime_get_ns() < at || cmpxchg64(&e->alarm_ns, at, 0) != at)
		return;
	sgpu_dev_alarm(e->dev, e->id);
}

/* Executor callback: user interrupts are delivered after the slice. */
static void sgpu_engine_notify(void *priv, enum sgpu_event ev, u64 addr)
{
	struct sgpu_hw_engine *e = priv;

	if (ev == SGPU_EVENT_USER_INTERRUPT)
		e->user_irqs++;
}

static const struct sgpu_exec_ops sgpu_engine_exec_ops = {
	.reg_read = sgpu_regfile_read,
	.reg_write = sgpu_regfile_write,
	.notify = sgpu_engine_notify,
	.should_yield = sgpu_engine_should_yield,
};

static void sgpu_engine_event(struct sgpu_hw_engine *e, u32 status,
			      const struct sgpu_elem *elem,
			      const struct mvgpu_engine_error *err)
{
	u64 ran_ns = e->ran_ns;

	e->ran_ns = 0;
	sgpu_dev_ctx_event(e->dev, e->id, status, elem, err, ran_ns);
}

/*
 * How long the thread waited for a CPU since it last looked (the
 * scheduler's run_delay): time the host held the engine up.
 */
static u64 sgpu_engine_stall(struct sgpu_hw_engine *e)
{
#ifdef CONFIG_SCHED_INFO
	u64 delay = current->sched_info.run_delay;
	u64 stall = delay - e->delay_seen;

	e->delay_seen = delay;
	return stall;
#else
	return 0;
#endif
}

/* Count the stalls since the thread last looked, as stalls only. */
static void sgpu_engine_note_stalls(struct sgpu_hw_engine *e)
{
	u64 stall = sgpu_engine_stall(e);

	if (!stall)
		return;
	spin_lock(&e->lock);
	e->stats.stalled_ns += stall;
	spin_unlock(&e->lock);
}

/*
 * The running context had the engine from @t0 (the thread's stalls
 * noted then) to now: that time, less the stalls meanwhile, is its engine
 * time, for the next event, the watchdog and busy_ns.
 */
static void sgpu_engine_account(struct sgpu_hw_engine *e, u64 t0)
{
	u64 wall = ktime_get_ns() - t0, stall = sgpu_engine_stall(e);
	u64 busy = wall > stall ? wall - stall : 0;

	e->ran_ns += busy;
	e->ctx_ns += busy;
	spin_lock(&e->lock);
	e->stats.busy_ns += busy;
	e->stats.stalled_ns += stall;
	spin_unlock(&e->lock);
}

/*
 * The running context waited on a semaphore from @wait_from to now: all
 * of it is engine time, the thread's waits for a CPU meanwhile included.
 * A context that waits loses nothing while the host runs something else
 * instead of the thread (on a GPU the wait would take as long), so those
 * waits are not stalls: counted as stalls, most of a waiter's time on a
 * starved engine (each wake-up of its poll waits for a CPU) would go
 * uncounted, by its watchdog and by the scheduler that charges its vGPU
 * the engine time less the stalls.  It waits on from now.
 */
static void sgpu_engine_account_wait(struct sgpu_hw_engine *e)
{
	u64 now = ktime_get_ns(), wait = now - e->wait_from;

	sgpu_engine_stall(e);	/* seen, part of the wait */
	e->wait_from = now;
	e->ran_ns += wait;
	e->ctx_ns += wait;
	spin_lock(&e->lock);
	e->stats.busy_ns += wait;
	spin_unlock(&e->lock);
}

static void sgpu_engine_count(struct sgpu_hw_engine *e, u64 *counter)
{
	spin_lock(&e->lock);
	(*counter)++;
	spin_unlock(&e->lock);
}

/*
 * Now, for the start of a span of engine time, the thread's stalls until
 * now noted as stalls (sgpu_engine_account() takes those after it).
 */
static u64 sgpu_engine_span_start(struct sgpu_hw_engine *e)
{
	sgpu_engine_note_stalls(e);
	return ktime_get_ns();
}

/* Save the running context: engine time, as its load is. */
static void sgpu_engine_save(struct sgpu_hw_engine *e)
{
	u64 t0 = sgpu_engine_span_start(e);

	if (sgpu_ctx_save(&e->ctx, &e->dev->mem, NULL))
		pr_warn_ratelimited("mvgpu%u: engine %u: cannot save context %u\n",
				    e->dev->id, e->id, e->ctx.ctx_id);
	sgpu_engine_account(e, t0);
}

static void sgpu_engine_start(struct sgpu_hw_engine *e);
static void sgpu_engine_switch(struct sgpu_hw_engine *e);

/*
 * The running context is over (completed or failed): save it, report
 * @status and move on to element 1 if there is one.
 */
static void sgpu_engine_retire(struct sgpu_hw_engine *e, u32 status,
			       const struct mvgpu_engine_error *err)
{
	struct sgpu_elem done = e->port[e->cur];
	bool next = e->cur == 0 && e->port[1].desc;

	sgpu_engine_save(e);
	e->busy = false;
	status |= next ? MVGPU_CSB_ELEMENT_SWITCH : MVGPU_CSB_ACTIVE_TO_IDLE;
	sgpu_engine_event(e, status, &done, err);
	if (next)
		sgpu_engine_switch(e);
}

static void sgpu_engine_error(struct sgpu_hw_engine *e,
			      const struct sgpu_error *se,
			      struct mvgpu_engine_error *err)
{
	err->status = sgpu_error_status(se);
	err->ctx_id = se->ctx_id;
	err->cmd_addr = se->cmd_addr;
	err->cmd_header = se->cmd_header;
	err->fault_addr = se->fault_addr;
	sgpu_engine_count(e, &e->stats.errors);
}

static void sgpu_engine_fail(struct sgpu_hw_engine *e,
			     const struct sgpu_error *se)
{
	struct mvgpu_engine_error err;

	sgpu_engine_error(e, se, &err);
	sgpu_engine_retire(e, MVGPU_CSB_ERROR, &err);
}

/* Load @port[@cur]; a context that cannot be loaded fails at once. */
static void sgpu_engine_start(struct sgpu_hw_engine *e)
{
	const struct sgpu_elem *elem = &e->port[e->cur];
	struct mvgpu_engine_error err;
	u64 t0 = sgpu_engine_span_start(e);
	struct sgpu_error se;
	bool next;
	int ret;

	e->ctx_ns = 0;
	ret = sgpu_ctx_load(&e->ctx, &e->dev->mem, elem->desc, &se);
	sgpu_engine_account(e, t0);
	if (!ret) {
		e->busy = true;
		return;
	}
	/* nothing was loaded, so nothing is saved */
	sgpu_engine_error(e, &se, &err);
	next = e->cur == 0 && e->port[1].desc;
	sgpu_engine_event(e, MVGPU_CSB_ERROR | (next ? MVGPU_CSB_ELEMENT_SWITCH :
					       MVGPU_CSB_ACTIVE_TO_IDLE),
			  elem, &err);
	if (next)
		sgpu_engine_switch(e);
}

/* Take a submitted pair, or a preemption request, under the lock. */
static bool sgpu_engine_take(struct sgpu_hw_engine *e, struct sgpu_elem *pair,
			     bool *preempt)
{
	bool taken;

	spin_lock(&e->lock);
	taken = e->next_valid;
	*preempt = e->preempt_req;
	if (taken) {
		pair[0] = e->next[0];
		pair[1] = e->next[1];
	}
	e->next_valid = false;
	e->preempt_req = false;
	spin_unlock(&e->lock);
	return taken;
}

static void sgpu_engine_run_pair(struct sgpu_hw_engine *e,
				 const struct sgpu_elem *pair)
{
	e->port[0] = pair[0];
	e->port[1] = pair[1];
	e->cur = 0;
	sgpu_engine_start(e);
}

/* Idle: start a submitted pair.  Returns false if there is none. */
static bool sgpu_engine_start_next(struct sgpu_hw_engine *e)
{
	struct sgpu_elem pair[2];
	bool preempt;

	if (!sgpu_engine_take(e, pair, &preempt))
		return false;
	sgpu_engine_event(e, MVGPU_CSB_IDLE_TO_ACTIVE, &pair[0], NULL);
	sgpu_engine_run_pair(e, pair);
	return true;
}

/*
 * The new pair's element 0 is the running context: continue it with the
 * tail now in its image, without a save.
 */
static void sgpu_engine_lite_restore(struct sgpu_hw_engine *e,
				     const struct sgpu_elem *pair, u32 extra)
{
	struct sgpu_elem old = e->port[e->cur];
	struct sgpu_ctx fresh;

	sgpu_engine_event(e, MVGPU_CSB_PREEMPTED | MVGPU_CSB_LITE_RESTORE |
			  extra, &old, NULL);
	e->port[0] = pair[0];
	e->port[1] = pair[1];
	e->cur = 0;
	if (sgpu_ctx_load(&fresh, &e->dev->mem, pair[0].desc, NULL) ||
	    fresh.ring_start != e->ctx.ring_start ||
	    fresh.ring_ctl != e->ctx.ring_ctl) {
		/*
		 * the image changed under it: switch as to another context
		 * (the save's time goes with the new context's next event:
		 * the old one's was sent)
		 */
		sgpu_engine_save(e);
		sgpu_engine_start(e);
		return;
	}
	e->ctx.desc = fresh.desc;
	e->ctx.ctx_id = fresh.ctx_id;
	e->ctx.tail = fresh.tail;
	e->ctx_ns = 0;
}

/*
 * The running context stopped at an arbitration point (@extra is
 * WAIT_ON_SEMAPHORE if it waits on one): switch to a submitted pair, or
 * go idle on a preemption request.
 */
static void sgpu_engine_arbitrate(struct sgpu_hw_engine *e, u32 extra)
{
	struct sgpu_elem pair[2], old = e->port[e->cur];
	bool preempt;

	if (READ_ONCE(e->reset_req) || kthread_should_stop())
		return;	/* the main loop drops the context */
	if (sgpu_engine_take(e, pair, &preempt)) {
		if ((pair[0].desc & MVGPU_CTX_DESC_LRCA_MASK) == e->ctx.lrca) {
			sgpu_engine_lite_restore(e, pair, extra);
			return;
		}
		sgpu_engine_save(e);
		e->busy = false;
		sgpu_engine_count(e, &e->stats.preemptions);
		sgpu_engine_event(e, MVGPU_CSB_PREEMPTED | extra, &old, NULL);
		sgpu_engine_run_pair(e, pair);
	} else if (preempt) {
		sgpu_engine_save(e);
		e->busy = false;
		sgpu_engine_count(e, &e->stats.preemptions);
		sgpu_engine_event(e, MVGPU_CSB_PREEMPTED |
				  MVGPU_CSB_ACTIVE_TO_IDLE | extra, &old, NULL);
	}
}

/*
 * Go on to element 1.  Its start is an arbitration point: a preemption
 * or a new pair asked for meanwhile (by the client, in the event about
 * element 0's end) takes effect there, before its first command.
 */
static void sgpu_engine_switch(struct sgpu_hw_engine *e)
{
	e->cur = 1;
	sgpu_engine_start(e);
	if (e->busy && sgpu_engine_attention(e))
		sgpu_engine_arbitrate(e, 0);
}

/*
 * Has the running context used up its time?  Then it is a hang.  Its
 * time is what it had of the engine, stalls not counted: a context does
 * not hang because the host starved the engine's thread.
 */
static bool sgpu_engine_watchdog(struct sgpu_hw_engine *e)
{
	unsigned int ms = READ_ONCE(e->watchdog_ms);
	struct sgpu_error se = {
		.code = MVGPU_ERR_HANG,
		.ctx_id = e->ctx.ctx_id,
	};
	u32 level;

	if (!ms || e->ctx_ns < (u64)ms * NSEC_PER_MSEC)
		return false;
	level = sgpu_ctx_level(&e->ctx);
	if (!level) {
		se.space = MVGPU_SPACE_RING;
		se.cmd_addr = e->ctx.head;
	} else {
		se.space = e->ctx.bb[level - 1].state & MVGPU_BB_STATE_PPGTT ?
			   MVGPU_SPACE_PPGTT : MVGPU_SPACE_GGTT;
		se.cmd_addr = e->ctx.bb[level - 1].addr;
	}
	e->ctx.error = MVGPU_ERR_HANG;
	e->ctx.blt_rows = 0;	/* a hung command starts over if run again */
	sgpu_engine_count(e, &e->stats.hangs);
	sgpu_engine_fail(e, &se);
	return true;
}

static void sgpu_engine_deliver_irqs(struct sgpu_hw_engine *e)
{
	void *cookie = e->port[e->cur].cookie;

	for (; e->user_irqs; e->user_irqs--)
		sgpu_dev_user_interrupt(e->dev, e->id, cookie);
}

/* Run one slice of the running context and act on why it stopped. */
static void sgpu_engine_step(struct sgpu_hw_engine *e)
{
	struct sgpu_exec_result res;
	bool waiting = e->wait_from != 0;
	u64 t0;

	if (waiting)
		sgpu_engine_account_wait(e);
	t0 = ktime_get_ns();
	e->lim.max_batch_dwords = READ_ONCE(mvgpu_max_batch_dwords);
	sgpu_exec_run(&e->exec, &e->ctx, &e->lim, &res);
	/* a semaphore still unsatisfied: the look at it was part of the wait */
	if (waiting && res.status == SGPU_EXEC_WAITING)
		sgpu_engine_account_wait(e);
	else
		sgpu_engine_account(e, t0);
	e->wait_from = 0;
	sgpu_engine_deliver_irqs(e);

	switch (res.status) {
	case SGPU_EXEC_IDLE:
		sgpu_engine_count(e, &e->stats.contexts_completed);
		sgpu_engine_retire(e, MVGPU_CSB_COMPLETE, NULL);
		break;
	case SGPU_EXEC_ERROR:
		sgpu_engine_fail(e, &res.err);
		break;
	case SGPU_EXEC_PREEMPTED:
		sgpu_engine_ring_alarm(e);
		sgpu_engine_arbitrate(e, 0);
		break;
	case SGPU_EXEC_WAITING:
		sgpu_engine_ring_alarm(e);
		if (sgpu_engine_attention(e)) {
			sgpu_engine_arbitrate(e, MVGPU_CSB_WAIT_ON_SEMAPHORE);
			break;
		}
		if (sgpu_engine_watchdog(e))
			break;
		/*
		 * a wait on a semaphore is engine time, as on a GPU, up to
		 * the next step's look at it (sgpu_engine_account_wait())
		 */
		e->wait_from = ktime_get_ns();
		usleep_range(20, 50);
		break;
	case SGPU_EXEC_BUDGET:
		/* the end of a slice is an arbitration point too */
		if (sgpu_engine_watchdog(e))
			break;
		sgpu_engine_ring_alarm(e);
		if (sgpu_engine_attention(e))
			sgpu_engine_arbitrate(e, 0);
		break;
	}
}

/* Drop everything without saving, as the reset_engine op asks. */
static void sgpu_engine_do_reset(struct sgpu_hw_engine *e)
{
	if (e->wait_from)
		sgpu_engine_account_wait(e);
	e->wait_from = 0;
	/* a split command saved earlier must not resume after the reset */
	if (e->busy && sgpu_ctx_drop_progress(&e->ctx, &e->dev->mem))
		pr_warn_ratelimited("mvgpu%u: engine %u: cannot reset context %u\n",
				    e->dev->id, e->id, e->ctx.ctx_id);
	e->busy = false;
	e->cur = 0;
	memset(e->port, 0, sizeof(e->port));
	e->user_irqs = 0;
	e->ran_ns = 0;
	spin_lock(&e->lock);
	e->next_valid = false;
	e->preempt_req = false;
	e->reset_req = false;
	spin_unlock(&e->lock);
	complete(&e->reset_done);
}

static int sgpu_engine_thread(void *arg)
{
	struct sgpu_hw_engine *e = arg;

	e->delay_seen = 0;
	sgpu_engine_stall(e);
	while (!kthread_should_stop()) {
		/* a semaphore's waiter has its stalls as engine time */
		if (!e->wait_from)
			sgpu_engine_note_stalls(e);
		if (READ_ONCE(e->reset_req)) {
			sgpu_engine_do_reset(e);
		} else if (e->busy) {
			sgpu_engine_step(e);
		} else if (!sgpu_engine_start_next(e)) {
			spin_lock(&e->lock);
			e->preempt_req = false;	/* nothing to preempt */
			spin_unlock(&e->lock);
			wait_event_idle(e->wq, sgpu_engine_attention(e));
		}
		cond_resched();
	}
	return 0;
}

/**
 * sgpu_engine_submit() - write the execlist port
 * @e: the engine
 * @desc: element 0 and 1 descriptors; element 1 without the valid bit is
 *        none
 * @cookie: handed back in events about each element
 *
 * A pair not yet taken by the thread is replaced without an event.  An
 * idle engine takes it at sgpu_engine_kick().
 *
 * Return: 0, or -EINVAL if @desc[0] is not a valid descriptor.
 */
int sgpu_engine_submit(struct sgpu_hw_engine *e, const u64 desc[2],
		       void *const cookie[2])
{
	u64 mode = (desc[0] & MVGPU_CTX_DESC_MODE_MASK) >>
		   MVGPU_CTX_DESC_MODE_SHIFT;

	if (!(desc[0] & MVGPU_CTX_DESC_VALID) ||
	    (mode != MVGPU_CTX_MODE_LEGACY_32B &&
	     mode != MVGPU_CTX_MODE_LEGACY_64B))
		return -EINVAL;
	spin_lock(&e->lock);
	e->next[0].desc = desc[0];
	e->next[0].cookie = cookie[0];
	e->next[1].desc = desc[1] & MVGPU_CTX_DESC_VALID ? desc[1] : 0;
	e->next[1].cookie = e->next[1].desc ? cookie[1] : NULL;
	e->next_valid = true;
	e->preempt_req = false;
	e->stats.submissions++;
	spin_unlock(&e->lock);
	return 0;
}

/**
 * sgpu_engine_kick() - wake the engine's thread to look at its port
 * @e: the engine
 *
 * After sgpu_engine_submit(); the thread may have taken the pair already.
 */
void sgpu_engine_kick(struct sgpu_hw_engine *e)
{
	wake_up(&e->wq);
}

/**
 * sgpu_engine_stall_clock() - the engine thread's waits for a CPU so far
 * @e: the engine
 *
 * The CPU scheduler's run_delay of the thread, plus the wait it is in,
 * if any: a clock that runs only while the thread is runnable without a
 * CPU.  Read without the runqueue's lock, so a wait that ends at that
 * moment may count twice, or not at all.
 *
 * Return: ns, 0 without CONFIG_SCHED_INFO.
 */
u64 sgpu_engine_stall_clock(const struct sgpu_hw_engine *e)
{
#ifdef CONFIG_SCHED_INFO
	const struct sched_info *si = &e->thread->sched_info;
	u64 queued = READ_ONCE(si->last_queued);
	u64 delay, now;

	smp_rmb();	/* a wait that has ended is in run_delay, if seen */
	delay = READ_ONCE(si->run_delay);
	now = local_clock();
	if (queued && now > queued)
		delay += now - queued;
	return delay;
#else
	return 0;
#endif
}

/**
 * sgpu_engine_set_alarm() - call the client at an arbitration point
 * @e: the engine
 * @ns: at or after this ktime_get_ns(), 0 for never
 *
 * The thread rings it at the first arbitration point of a running
 * context after @ns (sgpu_engine_ring_alarm()), on its own CPU: nothing
 * has to be woken for it.
 */
void sgpu_engine_set_alarm(struct sgpu_hw_engine *e, u64 ns)
{
	WRITE_ONCE(e->alarm_ns, ns);
}

/**
 * sgpu_engine_preempt() - stop the running context at its next
 *                         arbitration point and go idle
 * @e: the engine
 *
 * Drops a submitted pair the thread has not taken yet.
 */
void sgpu_engine_preempt(struct sgpu_hw_engine *e)
{
	spin_lock(&e->lock);
	e->next_valid = false;
	e->preempt_req = true;
	spin_unlock(&e->lock);
	wake_up(&e->wq);
}

/**
 * sgpu_engine_reset() - drop the engine's contexts unsaved, wait for idle
 * @e: the engine
 *
 * Sleeps until the thread has stopped running: at most one slice (about
 * a millisecond) and the command that ends it.
 */
void sgpu_engine_reset(struct sgpu_hw_engine *e)
{
	mutex_lock(&e->reset_mutex);
	reinit_completion(&e->reset_done);
	spin_lock(&e->lock);
	e->reset_req = true;
	spin_unlock(&e->lock);
	wake_up(&e->wq);
	wait_for_completion(&e->reset_done);
	mutex_unlock(&e->reset_mutex);
}

/**
 * sgpu_engine_init() - set up engine @id of @dev and start its thread
 * @dev: the device
 * @id: MVGPU_ENGINE_*
 *
 * Return: 0 or a negative errno.
 */
int sgpu_engine_init(struct sgpu_dev *dev, unsigned int id)
{
	struct sgpu_hw_engine *e = &dev->engines[id];

	e->dev = dev;
	e->id = id;
	e->base = id == MVGPU_ENGINE_RCS ? MVGPU_RCS_BASE : MVGPU_BCS_BASE;
	e->exec.id = id;
	e->exec.mem = &dev->mem;
	e->exec.ops = &sgpu_engine_exec_ops;
	e->exec.priv = e;
	e->lim.max_cmds = SGPU_SLICE_CMDS;
	e->lim.max_dwords = SGPU_SLICE_DWORDS;
	e->lim.max_bytes = SGPU_SLICE_BYTES;
	e->lim.max_rows = SGPU_SLICE_ROWS;
	e->lim.max_maps = SGPU_SLICE_MAPS;
	e->watchdog_ms = mvgpu_watchdog_ms;
	spin_lock_init(&e->lock);
	init_waitqueue_head(&e->wq);
	mutex_init(&e->reset_mutex);
	init_completion(&e->reset_done);
	e->thread = kthread_run(sgpu_engine_thread, e, "mvgpu%u-%s", dev->id,
				id == MVGPU_ENGINE_RCS ? "rcs" : "bcs");
	if (IS_ERR(e->thread)) {
		mutex_destroy(&e->reset_mutex);
		return PTR_ERR(e->thread);
	}
	return 0;
}

/**
 * sgpu_engine_fini() - stop the engine's thread, dropping its contexts
 * @e: an engine set up by sgpu_engine_init()
 */
void sgpu_engine_fini(struct sgpu_hw_engine *e)
{
	kthread_stop(e->thread);
	mutex_destroy(&e->reset_mutex);
}
