// SPDX-License-Identifier: GPL-2.0-only
/*
 * The workload scheduler of a pGPU.
 *
 * The scheduler is the backend's only client.  Each engine runs one
 * vGPU's work at a time, picked by the pGPU's policy (sched_policy.c:
 * weighted best effort, equal share or fixed share, and caps) among the
 * vGPUs with work queued: the head of its queue, and the workload behind
 * it as element 1 of the execlist pair (of another context), which the
 * engine goes on to by itself.  The engine's thread asks the backend to
 * preempt the running workload at its next arbitration point once its
 * slice is used up and another vGPU is owed engine time or its own limit
 * is reached; element 1, if it had not begun, goes back to its queue.
 * An hrtimer per engine wakes the thread at the end of the slice, at the
 * hang limit or when a limited vGPU may run again.
 *
 * The backend's callbacks do the rest themselves, in the backend's
 * context: the event is applied to the engine's books, the next workload
 * picked by the policy is submitted at once when the engine goes idle
 * (so it never waits for a thread to wake up while work is queued), and
 * the finished workload is handed to its vGPU (mvgpu_workload_complete()),
 * which delivers it to the guest there and then when that needs nothing
 * that may wait (workload.c), else from its own work item.  The
 * scheduler's lock is dropped before the hand-over, so a vGPU may call
 * into the scheduler, and through it the backend, with its own lock held.
 *
 * Nothing shared between vGPUs waits for one of them: the callbacks and
 * the threads only ever try a vGPU's lock, and the scheduler's lock is
 * never held while an engine is waited for (a reset runs with it
 * dropped, the engine marked as resetting so nothing else is submitted).
 *
 * A workload that has had more than hang_ms of engine time in all, over
 * however many slices, is a hang: it is preempted and ends with
 * MVGPU_ERR_HANG, so a guest cannot escape the backend's watchdog (which
 * counts one submission) by being preempted often enough.
 *
 * The host's own client of the pGPU (the native path of mvgpu_native.ko)
 * borrows the engines through mvgpu_sched_set_host() (for it,
 * mvgpu_pgpu_set_host() of <mvgpu/host.h>): vGPU work is
 * preempted and held back and the backend's events go to the host until
 * it gives the engines back.
 *
 * A workload is referenced by the queue or the engine holding it; the
 * backend's cookie for it is valid while it is @running (an event for
 * anything else is stale, and only compared).
 */
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/lockdep.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include <mvgpu/params.h>

#include "sched.h"
#include "sched_types.h"
#include "trace.h"
#include "workload.h"

static struct mvgpu_sched_queue *to_queue(struct mvgpu_sched_entity *e)
{
	return container_of(e, struct mvgpu_sched_queue, ent);
}

/**
 * struct sched_event - a context event of the backend, as the books use it
 * @w: the workload it is about (compared with the running one first)
 * @status: MVGPU_CSB_* bits
 * @ns: when it was reported
 * @err: with %MVGPU_CSB_ERROR, what the engine captured
 */
struct sched_event {
	struct mvgpu_workload *w;
	u32 status;
	u64 ns;
	struct mvgpu_engine_error err;
};

/* The host's client while it holds the engines, else NULL. */
static const struct mvgpu_backend_client *sched_host_client(struct mvgpu_sched *sched)
{
	/* Pairs with smp_store_release() in mvgpu_sched_set_host(). */
	return smp_load_acquire(&sched->host_active) ? &sched->host : NULL;
}

static void sched_vblank(void *priv, u32 frame)
{
	const struct mvgpu_backend_client *host = sched_host_client(priv);

	if (host && host->vblank)
		host->vblank(host->priv, frame);
}

static void sched_ctx_event(void *priv, unsigned int engine,
			    const struct mvgpu_ctx_event *ev);
static void sched_user_interrupt(void *priv, unsigned int engine,
				 void *cookie);
static void sched_alarm(void *priv, unsigned int engine);

static void sched_install_client(struct mvgpu_sched *sched)
{
	struct mvgpu_backend_client client = {
		.ctx_event = sched_ctx_event,
		.user_interrupt = sched_user_interrupt,
		.alarm = sched_alarm,
		.vblank = sched_vblank,
		.priv = sched,
	};

	sched->be->ops->set_client(sched->be, &client);
}

/*
 * The backend's engine time of the engine up to now (struct
 * mvgpu_backend_stats): what the contexts on it had of it, its stalls
 * and the host's work between and around them not counted.
 */
static u64 sched_engine_time(struct mvgpu_sched_engine *se)
{
	struct mvgpu_backend *be = se->sched->be;
	struct mvgpu_backend_stats st;

	be->ops->get_stats(be, se->id, &st);
	return st.busy_ns;
}

/* A workload goes on the engine: engine time before it is nobody's. */
static void sched_charge_restart(struct mvgpu_sched_engine *se)
{
	se->busy_seen = sched_engine_time(se);
}

/*
 * Charge the running workload's queue, at @ns, for the engine time the
 * backend counted since the last charge.  Not the time it held the
 * engine: that also holds the engine thread's stalls and its callbacks
 * into the core (a slice check that waits for the scheduler's lock, a
 * delivery), which vary from one workload to the next for reasons that
 * are not the workload's, so equal charges were unequal engine time and
 * unequal work.  A backend counts its engine time at least at each
 * arbitration point.
 */
static void sched_charge_to(struct mvgpu_sched_engine *se, u64 ns)
{
	struct mvgpu_workload *w = se->running;
	u64 busy = sched_engine_time(se);
	u64 ran = busy > se->busy_seen ? busy - se->busy_seen : 0;

	se->busy_seen = max(busy, se->busy_seen);
	mvgpu_sched_charge(&se->policy, &w->queue->ent, ran, ns);
	w->queue->runtime_ns += ran;
	w->ran_ns += ran;
}

/* The running workload left the engine after @ns: charge its queue. */
static void sched_charge(struct mvgpu_sched_engine *se, u64 ns)
{
	sched_charge_to(se, ns);
	trace_mvgpu_sched_out(se->running);
	WRITE_ONCE(se->running, NULL);
	se->started = false;
	se->preempting = false;
}

/* Engine time @w may still have before it is a hang, U64_MAX for any. */
static u64 sched_hang_budget(const struct mvgpu_workload *w)
{
	u64 limit = (u64)READ_ONCE(mvgpu_hang_ms) * NSEC_PER_MSEC;
	u64 used = w->ran_ns;

	if (!limit)
		return U64_MAX;
	return used < limit ? limit - used : 0;
}

/* End @w as the backend's watchdog would: with a HANG error. */
static void sched_set_hang(struct mvgpu_workload *w)
{
	w->status = MVGPU_CSB_ERROR | MVGPU_CSB_ACTIVE_TO_IDLE;
	memset(&w->err, 0, sizeof(w->err));
	/* in the ring, at the start of the workload (see deliver_error()) */
	w->err.status = MVGPU_ERR_STATUS_VALID | MVGPU_ERR_HANG |
			MVGPU_SPACE_RING << MVGPU_ERR_STATUS_SPACE_SHIFT;
	w->err.ctx_id = w->ctx_id;
}

/* Take @w, which is finished, off its queue's books. */
static bool sched_hung(const struct mvgpu_workload *w)
{
	return (w->status & MVGPU_CSB_ERROR) &&
	       (w->err.status & MVGPU_ERR_STATUS_CODE_MASK) == MVGPU_ERR_HANG;
}

/*
 * As a GPU does after a hang, the work queued behind @w is dropped, here
 * and now, before the engine could take it; the queue is held until the
 * vGPU, told of the hang, stops it (and with it anything queued since).
 */
static void sched_drop_behind_hang(struct mvgpu_sched_engine *se,
				   struct mvgpu_sched_queue *q)
{
	struct mvgpu_workload *w, *tmp;

	list_for_each_entry_safe(w, tmp, &q->workloads, link) {
		list_del_init(&w->link);
		q->count--;
		mvgpu_workload_put(w);
	}
	q->held = true;
}

/* Is a workload of @q on the engine: running, or element 1 behind it? */
static bool sched_queue_on_engine(const struct mvgpu_sched_engine *se,
				  const struct mvgpu_sched_queue *q)
{
	return (se->running && se->running->queue == q) ||
	       (se->next && se->next->queue == q);
}

static void sched_retire(struct mvgpu_sched_engine *se, struct mvgpu_workload *w,
			 struct list_head *done)
{
	struct mvgpu_sched_queue *q = w->queue;
	bool more;

	q->count--;
	if (!w->rejected && sched_hung(w))
		sched_drop_behind_hang(se, q);
	more = !list_empty(&q->workloads) || sched_queue_on_engine(se, q);
	if (!more || q->held)
		mvgpu_sched_set_busy(&se->policy, &q->ent, false);
	w->more = more;
	list_add_tail(&w->link, done);
}

/* @w is the workload on the engine now: submitted, or switched to. */
static void sched_set_running(struct mvgpu_sched_engine *se,
			      struct mvgpu_workload *w)
{
	WRITE_ONCE(se->running, w);
	mvgpu_workload_running(w);
	trace_mvgpu_sched_in(w);
}

/* The running workload started at @ns: its slice counts from there. */
static void sched_started(struct mvgpu_sched_engine *se, u64 ns)
{
	se->started = true;
	se->started_ns = ns;
	sched_charge_restart(se);
}

/*
 * Element 0 ended and the engine went on with element 1.  The slice goes
 * on from element 0's start: it is the vGPU's turn on the engine (both
 * elements are of its queue), so a pair holds the engine no longer than
 * one slice when another vGPU is owed time.  Its charge starts afresh.
 */
static void sched_switch_element(struct mvgpu_sched_engine *se)
{
	struct mvgpu_workload *w = se->next;

	se->next = NULL;
	if (!w)
		return;
	sched_set_running(se, w);
	se->started = true;
	sched_charge_restart(se);
}

/*
 * The engine went idle before element 1 began: the backend dropped it,
 * without an event.  Back to the head of its queue, to run as it was.
 */
static void sched_requeue_next(struct mvgpu_sched_engine *se)
{
	struct mvgpu_workload *w = se->next;

	se->next = NULL;
	if (w)
		list_add(&w->link, &w->queue->workloads);
}

/*
 * An event about the running workload; others are stale (it was
 * stopped), and element 1 of a pair has none before its element switch.
 */
static void sched_handle_event(struct mvgpu_sched_engine *se,
			       const struct sched_event *ev, struct list_head *done)
{
	struct mvgpu_workload *w = ev->w;

	if (w != se->running)
		return;
	if (ev->status & MVGPU_CSB_IDLE_TO_ACTIVE)
		sched_started(se, ev->ns);
	if (!(ev->status & (MVGPU_CSB_ACTIVE_TO_IDLE | MVGPU_CSB_ELEMENT_SWITCH)))
		return;
	sched_charge(se, ev->ns);
	if (ev->status & MVGPU_CSB_ELEMENT_SWITCH)
		sched_switch_element(se);
	else
		sched_requeue_next(se);
	if (ev->status & (MVGPU_CSB_COMPLETE | MVGPU_CSB_ERROR)) {
		w->status = ev->status;
		w->err = ev->err;
		sched_retire(se, w, done);
		return;
	}
	if (!sched_hang_budget(w)) {
		sched_set_hang(w);
		sched_retire(se, w, done);
		return;
	}
	/* Preempted: it resumes from its saved image when next picked. */
	list_add(&w->link, &w->queue->workloads);
}

/* Is a workload on the engine, or is the engine being reset? */
static bool sched_engine_busy(const struct mvgpu_sched_engine *se)
{
	return se->running || se->resetting;
}

/*
 * The workload behind @w in its queue, to go on the engine with it as
 * element 1, or NULL.  Not one of the same context: on a GPU the two
 * elements are distinct contexts, and one that continues @w's takes its
 * state from @w's image once @w has ended (mvgpu_workload_start()); one
 * of another context continues a workload that ended before @w began.
 * Nor one rejected: it never reaches the engine.
 */
static struct mvgpu_workload *sched_pair_of(struct mvgpu_workload *w)
{
	struct mvgpu_workload *w1;

	if (list_is_last(&w->link, &w->queue->workloads))
		return NULL;
	w1 = list_next_entry(w, link);
	if (w1->rejected || w1->lrca == w->lrca)
		return NULL;
	return w1;
}

/*
 * Submit the next workloads if the engine is free: the head of the
 * queue the policy picks, and the one behind it as element 1, so that
 * the engine goes on to it by itself.  Scheduler lock held.  Rejected
 * workloads on the way are retired onto @done.
 */
static void sched_submit_next(struct mvgpu_sched_engine *se, u64 now,
			      struct list_head *done)
{
	struct mvgpu_backend *be = se->sched->be;
	struct mvgpu_sched_entity *ent;
	struct mvgpu_workload *w, *w1;
	void *cookie[2];
	u64 desc[2];

	lockdep_assert_held(&se->sched->lock);
	while (!sched_engine_busy(se) && !se->sched->host_wanted) {
		ent = mvgpu_sched_pick(&se->policy, now);
		if (!ent)
			return;
		w = list_first_entry(&to_queue(ent)->workloads,
				     struct mvgpu_workload, link);
		if (w->rejected) {
			list_del(&w->link);
			sched_retire(se, w, done);
			continue;
		}
		w1 = sched_pair_of(w);
		mvgpu_workload_start(w);
		if (w1)
			mvgpu_workload_start(w1);
		desc[0] = w->desc;
		cookie[0] = w;
		desc[1] = w1 ? w1->desc : 0;
		cookie[1] = w1;
		if (be->ops->submit(be, se->id, desc, cookie)) {
			w->rejected = true;
			w->err.status = MVGPU_ERR_BAD_CONTEXT;
			continue;
		}
		list_del(&w->link);
		if (w1)
			list_del(&w1->link);
		atomic_set(&se->be_kick, 1);
		sched_set_running(se, w);
		se->next = w1;
		se->started = false;
		se->started_ns = now;
		sched_charge_restart(se);
	}
}

/* An idle engine: the wait until a vGPU waiting for its limit may run. */
static u64 sched_idle_wait(struct mvgpu_sched_engine *se, u64 now)
{
	u64 next;

	if (se->resetting || se->sched->host_wanted)
		return 0;
	next = mvgpu_sched_next_eligible(&se->policy, now);
	if (next == U64_MAX)
		return 0;
	return next > now ? next - now : 1;
}

/*
 * Ask for a preemption when the slice is used up, the workload's time
 * (see sched_hang_budget()), or its queue is held after a hang; returns
 * the wait in ns until the next check, 0 for none.  A vGPU alone on the
 * engine with no limit has no slice to end: the next check is when
 * another may run, or at the hang limit (a submission of another vGPU
 * checks again at once).
 */
static u64 sched_check_slice(struct mvgpu_sched_engine *se, u64 now)
{
	struct mvgpu_sched *sched = se->sched;
	u64 used, left, alone, wait, slice = se->policy.slice_ns;

	if (!se->running)
		return sched_idle_wait(se, now);
	/*
	 * A preemption request would drop a submission the engine has not
	 * taken yet, without an event: wait for IDLE_TO_ACTIVE first.
	 */
	if (se->preempting || !se->started)
		return 0;
	used = now - se->started_ns;
	sched_charge_to(se, now);
	left = sched_hang_budget(se->running);
	/* held: element 1 of a pair whose element 0 hung */
	if (sched->host_wanted || !left || se->running->queue->held ||
	    mvgpu_sched_should_preempt(&se->policy, &se->running->queue->ent,
				       used, now)) {
		mvgpu_sched_yield(&se->policy, &se->running->queue->ent);
		sched->be->ops->preempt(sched->be, se->id);
		se->preempting = true;
		return 0;
	}
	wait = used >= slice ? slice : slice - used;
	alone = mvgpu_sched_alone_until(&se->policy, &se->running->queue->ent,
					now);
	if (alone > now)
		wait = alone == U64_MAX ? U64_MAX : max(wait, alone - now);
	wait = min(left, wait);
	return wait == U64_MAX ? 0 : wait;
}

/**
 * mvgpu_sched_kick_backend() - kick the engines given work since the last kick
 * @sched: the scheduler
 *
 * The backend's wake-up of an idle engine (&mvgpu_backend_ops.kick), sent
 * without the scheduler's lock: by the scheduler once it drops it, and by
 * the caller of mvgpu_sched_queue_work() once it holds no lock of its own.
 */
void mvgpu_sched_kick_backend(struct mvgpu_sched *sched)
{
	struct mvgpu_backend *be = sched->be;
	unsigned int i;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		atomic_t *k = &sched->eng[i].be_kick;

		if (atomic_read(k) && atomic_xchg(k, 0) && be->ops->kick)
			be->ops->kick(be, i);
	}
}

/* Drop the scheduler's lock, then kick what it submitted meanwhile. */
static void sched_unlock(struct mvgpu_sched *sched)
{
	mutex_unlock(&sched->lock);
	mvgpu_sched_kick_backend(sched);
}

/*
 * Hand finished workloads, and the references to them, to their vGPUs;
 * @direct: from a backend callback (see mvgpu_workload_complete()).
 */
static void sched_hand_over(struct list_head *done, bool direct)
{
	struct mvgpu_workload *w, *tmp;

	list_for_each_entry_safe(w, tmp, done, link) {
		list_del_init(&w->link);
		mvgpu_workload_complete(w, direct);
	}
}

/* Ask the backend to run the slice check at @ns (0: none), if it can. */
static void sched_set_alarm(struct mvgpu_sched_engine *se, u64 ns)
{
	struct mvgpu_backend *be = se->sched->be;

	if (be->ops->set_alarm)
		be->ops->set_alarm(be, se->id, ns);
}

/*
 * Time the next check @wait ns from @now.  A timer already due no later
 * stays: it finds the books as they are then, and times the check after.
 * So the engine's events, several per workload, rarely move the timer.
 */
static void sched_arm_timer(struct mvgpu_sched_engine *se, u64 now, u64 wait)
{
	u64 at = now + wait, armed = READ_ONCE(se->timer_at);

	if (armed && armed <= at)
		return;
	WRITE_ONCE(se->timer_at, at);
	hrtimer_start(&se->timer, ns_to_ktime(wait), HRTIMER_MODE_REL);
}

/*
 * The engine's books changed: submit what may run now, time the slice of
 * what runs, and tell a host waiting for the engines when they are free.
 * Scheduler lock held; rejected workloads met on the way go onto @done.
 * One clock read serves all of it.
 */
static void sched_update(struct mvgpu_sched_engine *se, struct list_head *done)
{
	u64 now = ktime_get_ns(), wait;

	lockdep_assert_held(&se->sched->lock);
	sched_submit_next(se, now, done);
	wait = sched_check_slice(se, now);
	if (wait) {
		sched_arm_timer(se, now, wait);
	} else if (!se->running) {
		WRITE_ONCE(se->timer_at, 0);
		hrtimer_try_to_cancel(&se->timer);	/* nothing to time */
	}
	sched_set_alarm(se, se->running && wait ? now + wait : 0);
	if (se->sched->host_wanted && !sched_engine_busy(se))
		wake_up_all(&se->sched->idle_wq);
}

/*
 * A context event of a vGPU workload, in the backend's callback: the
 * books, the next submission and the hand-over happen here, with no
 * thread to wake on the way.
 */
static void sched_ctx_event(void *priv, unsigned int engine,
			    const struct mvgpu_ctx_event *ev)
{
	struct mvgpu_sched *sched = priv;
	const struct mvgpu_backend_client *host = sched_host_client(sched);
	struct sched_event e = {
		.w = ev->cookie, .status = ev->status, .ns = ktime_get_ns(),
	};
	struct mvgpu_sched_engine *se;
	LIST_HEAD(done);

	if (host) {
		if (host->ctx_event)
			host->ctx_event(host->priv, engine, ev);
		return;
	}
	if (!e.w || engine >= MVGPU_NUM_ENGINES)
		return;
	if (ev->ran_ns)
		mvgpu_workload_account_ran(e.w, ev->ran_ns);
	if (ev->error)
		e.err = *ev->error;
	se = &sched->eng[engine];
	mutex_lock(&se->deliver_lock);
	mutex_lock(&sched->lock);
	sched_handle_event(se, &e, &done);
	sched_update(se, &done);
	sched_unlock(sched);
	sched_hand_over(&done, true);
	mutex_unlock(&se->deliver_lock);
}

/*
 * MI_USER_INTERRUPT of the running workload, in the backend's callback.
 * @cookie stays valid meanwhile: the workload leaves the engine only
 * through a later event of the same engine, or a reset, which waits for
 * this callback to return.
 */
static void sched_user_interrupt(void *priv, unsigned int engine,
				 void *cookie)
{
	struct mvgpu_sched *sched = priv;
	const struct mvgpu_backend_client *host = sched_host_client(sched);
	struct mvgpu_sched_engine *se;
	bool running;

	if (host) {
		if (host->user_interrupt)
			host->user_interrupt(host->priv, engine, cookie);
		return;
	}
	if (!cookie || engine >= MVGPU_NUM_ENGINES)
		return;
	se = &sched->eng[engine];
	mutex_lock(&se->deliver_lock);
	mutex_lock(&sched->lock);
	running = se->running == cookie;
	mutex_unlock(&sched->lock);
	if (running)
		mvgpu_workload_user_interrupt(cookie, 1, true);
	mutex_unlock(&se->deliver_lock);
}

/*
 * One round of the engine thread (a slice ended or the policy changed),
 * or of the backend's alarm; @direct: from a backend callback.
 */
static void sched_engine_step(struct mvgpu_sched_engine *se, bool direct)
{
	struct mvgpu_sched *sched = se->sched;
	LIST_HEAD(done);

	WRITE_ONCE(se->tick, false);
	spin_lock(&se->kick_lock);
	se->kick = false;
	spin_unlock(&se->kick_lock);
	mutex_lock(&se->deliver_lock);
	mutex_lock(&sched->lock);
	sched_update(se, &done);
	sched_unlock(sched);
	sched_hand_over(&done, direct);
	mutex_unlock(&se->deliver_lock);
}

/*
 * The backend's alarm, set by sched_update() for when the slice check of
 * a running workload is due: the engine does the check itself, at an
 * arbitration point, and goes on with whatever it asks for (a
 * preemption, the next workload) at that point.  The timer remains for
 * a backend without alarms and for an engine between contexts; what the
 * alarm did, the thread finds done.
 */
static void sched_alarm(void *priv, unsigned int engine)
{
	struct mvgpu_sched *sched = priv;
	const struct mvgpu_backend_client *host = sched_host_client(sched);

	if (host) {
		if (host->alarm)
			host->alarm(host->priv, engine);
		return;
	}
	if (engine < MVGPU_NUM_ENGINES)
		sched_engine_step(&sched->eng[engine], true);
}

static bool sched_engine_has_work(struct mvgpu_sched_engine *se)
{
	bool ret;

	spin_lock(&se->kick_lock);
	ret = se->kick;
	spin_unlock(&se->kick_lock);
	return ret || READ_ONCE(se->tick);
}

/*
 * Slices are timed with an hrtimer: a jiffy (4 ms at HZ=250) would make
 * a 1 ms slice last 4 to 8 ms.
 */
static enum hrtimer_restart sched_timer_fire(struct hrtimer *t)
{
	struct mvgpu_sched_engine *se = container_of(t, struct mvgpu_sched_engine,
						     timer);

	WRITE_ONCE(se->timer_at, 0);
	WRITE_ONCE(se->tick, true);
	wake_up(&se->wq);
	return HRTIMER_NORESTART;
}

static int sched_engine_thread(void *arg)
{
	struct mvgpu_sched_engine *se = arg;

	while (!kthread_should_stop()) {
		sched_engine_step(se, false);
		wait_event_idle(se->wq, sched_engine_has_work(se) ||
				kthread_should_stop());
	}
	return 0;
}

static void sched_kick(struct mvgpu_sched_engine *se)
{
	spin_lock(&se->kick_lock);
	se->kick = true;
	spin_unlock(&se->kick_lock);
	wake_up(&se->wq);
}

/**
 * mvgpu_sched_init() - start scheduling on a backend
 * @sched: the scheduler
 * @be: the backend; the scheduler becomes its client
 * @name: prefix of the engine threads' names
 *
 * Return: 0 or a negative errno.
 */
int mvgpu_sched_init(struct mvgpu_sched *sched, struct mvgpu_backend *be,
		     const char *name)
{
	static const char *const engine_names[] = { "rcs", "bcs" };
	u64 slice = (u64)READ_ONCE(mvgpu_sched_slice_us) * NSEC_PER_USEC;
	unsigned int i;

	memset(sched, 0, sizeof(*sched));
	sched->be = be;
	mutex_init(&sched->lock);
	init_waitqueue_head(&sched->idle_wq);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		struct mvgpu_sched_engine *se = &sched->eng[i];

		se->sched = sched;
		se->id = i;
		mvgpu_sched_policy_init(&se->policy, 0);
		if (mvgpu_sched_policy_set_slice(&se->policy, slice) && !i)
			pr_warn("%s: sched_slice_us %u is not 1000 to 30000: 1000 it is\n",
				name, mvgpu_sched_slice_us);
		atomic_set(&se->be_kick, 0);
		spin_lock_init(&se->kick_lock);
		init_waitqueue_head(&se->wq);
		hrtimer_init(&se->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
		se->timer.function = sched_timer_fire;
		mutex_init(&se->deliver_lock);
	}
	sched_install_client(sched);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		struct task_struct *t;

		t = kthread_run(sched_engine_thread, &sched->eng[i], "%s-sched-%s",
				name, engine_names[i]);
		if (IS_ERR(t)) {
			mvgpu_sched_fini(sched);
			return PTR_ERR(t);
		}
		sched->eng[i].thread = t;
	}
	return 0;
}

/**
 * mvgpu_sched_fini() - stop scheduling
 * @sched: the scheduler, with no vGPU queue left
 */
void mvgpu_sched_fini(struct mvgpu_sched *sched)
{
	unsigned int i;

	/* no callback runs on return, so none arms a timer any more */
	sched->be->ops->set_client(sched->be, NULL);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		if (sched->eng[i].thread)
			kthread_stop(sched->eng[i].thread);
		sched->eng[i].thread = NULL;
		hrtimer_cancel(&sched->eng[i].timer);
	}
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		mutex_destroy(&sched->eng[i].deliver_lock);
	mutex_destroy(&sched->lock);
}

/**
 * mvgpu_sched_add_queue() - let a vGPU's queue compete for an engine
 * @sched: the scheduler
 * @engine: MVGPU_ENGINE_*
 * @q: the queue, not yet added
 * @weight: its share relative to the others
 *
 * Return: 0, -EINVAL for a bad weight or -ENOSPC.
 */
int mvgpu_sched_add_queue(struct mvgpu_sched *sched, unsigned int engine,
			  struct mvgpu_sched_queue *q, u32 weight)
{
	int ret;

	INIT_LIST_HEAD(&q->workloads);
	q->count = 0;
	q->runtime_ns = 0;
	mutex_lock(&sched->lock);
	ret = mvgpu_sched_add(&sched->eng[engine].policy, &q->ent, weight);
	mutex_unlock(&sched->lock);
	return ret;
}

/**
 * mvgpu_sched_remove_queue() - stop a queue competing
 * @sched: the scheduler
 * @engine: its engine
 * @q: the queue, stopped with mvgpu_sched_stop_queue() and synchronised
 *     with mvgpu_sched_sync()
 */
void mvgpu_sched_remove_queue(struct mvgpu_sched *sched, unsigned int engine,
			      struct mvgpu_sched_queue *q)
{
	mutex_lock(&sched->lock);
	mvgpu_sched_remove(&sched->eng[engine].policy, &q->ent);
	mutex_unlock(&sched->lock);
}

/**
 * mvgpu_sched_queue_work() - queue workloads behind the queue's others
 * @sched: the scheduler
 * @q: the vGPU's queue for the workloads' engine
 * @w: the workloads, in order, all for one engine; the queue takes over
 *     the caller's references
 * @n: how many (the elements of one ELSP write: 1 or 2)
 *
 * They are queued together, so the scheduler sees them as one
 * submission.  A rejected workload (@w->rejected) is queued too, so that
 * the guest hears about it in order, but never reaches the engine.  An
 * idle engine takes the first at once, but is only kicked by the
 * caller's mvgpu_sched_kick_backend(), once it has dropped its own lock:
 * the vGPU's, which the engine's completion then finds free.
 *
 * Return: 0, or -EBUSY when the queue has no room for all of them (the
 * references stay the caller's).
 */
int mvgpu_sched_queue_work(struct mvgpu_sched *sched,
			   struct mvgpu_sched_queue *q,
			   struct mvgpu_workload *const w[], unsigned int n)
{
	struct mvgpu_sched_engine *se = &sched->eng[w[0]->engine];
	LIST_HEAD(done);
	unsigned int i;

	/*
	 * What an idle engine retires here (a rejected workload) goes to
	 * the vGPU after what an event retired before, whose callback may
	 * not have handed it over yet: deliveries follow the retire FIFO.
	 */
	mutex_lock(&se->deliver_lock);
	mutex_lock(&sched->lock);
	if (q->count + n > MVGPU_SCHED_MAX_QUEUED) {
		mutex_unlock(&sched->lock);
		mutex_unlock(&se->deliver_lock);
		return -EBUSY;
	}
	for (i = 0; i < n; i++) {
		w[i]->queue = q;
		list_add_tail(&w[i]->link, &q->workloads);
	}
	q->count += n;
	/*
	 * A vGPU alone on the engine is charged only when it leaves it or
	 * another may run (sched_check_slice()): charge it up to now, so
	 * that one becoming busy is placed against its current time.
	 */
	if (se->running && se->started)
		sched_charge_to(se, ktime_get_ns());
	if (!q->held)
		mvgpu_sched_set_busy(&se->policy, &q->ent, true);
	/* An idle engine takes it now, without waking the thread. */
	sched_update(se, &done);
	/* the caller kicks, once it holds no lock: mvgpu_sched_kick_backend() */
	mutex_unlock(&sched->lock);
	sched_hand_over(&done, false);
	mutex_unlock(&se->deliver_lock);
	return 0;
}

/**
 * mvgpu_sched_stop_queue() - drop a queue's workloads, running one included
 * @sched: the scheduler
 * @engine: the queue's engine
 * @q: the queue
 *
 * A running workload of @q is stopped with a reset of the engine, which
 * runs no other workload at that moment; the others are dropped from the
 * queue.  None of them is delivered; on return none is on the engine.
 * The caller may hold its vGPU's lock; an event of the engine being
 * handled at that moment may still hand a workload to the vGPU
 * afterwards (see mvgpu_sched_sync()).  The reset, which waits for the
 * engine, runs without the scheduler's lock: other vGPUs' submissions
 * and completions go on meanwhile (on this engine they wait for it).
 */
void mvgpu_sched_stop_queue(struct mvgpu_sched *sched, unsigned int engine,
			    struct mvgpu_sched_queue *q)
{
	struct mvgpu_sched_engine *se = &sched->eng[engine];
	struct mvgpu_workload *w, *tmp;
	bool reset = false;
	LIST_HEAD(drop);

	mutex_lock(&sched->lock);
	if (se->running && se->running->queue == q) {
		w = se->running;
		sched_charge(se, ktime_get_ns());
		WRITE_ONCE(se->resetting, se->resetting + 1);
		reset = true;
		list_add(&w->link, &drop);
		/* element 1 of a pair is of the same queue */
		sched_requeue_next(se);
	}
	list_splice_init(&q->workloads, &drop);
	q->count = 0;
	q->held = false;
	mvgpu_sched_set_busy(&se->policy, &q->ent, false);
	mutex_unlock(&sched->lock);
	if (reset) {
		sched->be->ops->reset_engine(sched->be, engine);
		mutex_lock(&sched->lock);
		WRITE_ONCE(se->resetting, se->resetting - 1);
		mutex_unlock(&sched->lock);
	}
	list_for_each_entry_safe(w, tmp, &drop, link) {
		list_del_init(&w->link);
		mvgpu_workload_put(w);
	}
	sched_kick(se);
}

/**
 * mvgpu_sched_sync() - wait until no engine event is handing work over
 * @sched: the scheduler
 *
 * After mvgpu_sched_stop_queue(), this makes sure the callbacks and the
 * threads touch no workload of the stopped queues any more and hand none
 * to its vGPU.  Not to be called with a vGPU's lock held.  Bounded: they
 * never wait for a vGPU.
 */
void mvgpu_sched_sync(struct mvgpu_sched *sched)
{
	unsigned int i;

	might_sleep();
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		mutex_lock(&sched->eng[i].deliver_lock);
		mutex_unlock(&sched->eng[i].deliver_lock);
	}
}

/**
 * mvgpu_sched_runtime() - engine time a queue's workloads received
 * @sched: the scheduler
 * @q: the queue
 *
 * Up to now: a workload of @q on an engine is charged first (alone on
 * it, it is charged at no slice's end).
 *
 * Return: nanoseconds.
 */
u64 mvgpu_sched_runtime(struct mvgpu_sched *sched, struct mvgpu_sched_queue *q)
{
	struct mvgpu_sched_engine *se;
	unsigned int i;
	u64 ns;

	mutex_lock(&sched->lock);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		se = &sched->eng[i];
		if (se->running && se->running->queue == q && se->started)
			sched_charge_to(se, ktime_get_ns());
	}
	ns = q->runtime_ns;
	mutex_unlock(&sched->lock);
	return ns;
}

/* sched_engines_free() without the lock, for a wait condition: a hint only. */
static bool sched_engines_free_hint(struct mvgpu_sched *sched)
{
	unsigned int i;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		if (READ_ONCE(sched->eng[i].running) ||
		    READ_ONCE(sched->eng[i].resetting))
			return false;
	return true;
}

static bool sched_engines_free(struct mvgpu_sched *sched)
{
	bool idle;

	mutex_lock(&sched->lock);
	idle = !sched_engine_busy(&sched->eng[MVGPU_ENGINE_RCS]) &&
	       !sched_engine_busy(&sched->eng[MVGPU_ENGINE_BCS]);
	mutex_unlock(&sched->lock);
	return idle;
}

/**
 * mvgpu_sched_set_host() - lend the engines to the host, or take them back
 * @sched: the scheduler
 * @client: the host's event receiver, or NULL to give the engines back
 *
 * Lending preempts the running vGPU workloads and waits until they are
 * off the engines; then the host may submit to the backend directly and
 * gets its events.  Giving back returns when no callback to @client runs
 * any more; the host must have reset the engines it used.  Must not be
 * called with a vGPU's lock held.  There is one host client per pGPU,
 * which lends and gives back in turn.
 */
void mvgpu_sched_set_host(struct mvgpu_sched *sched,
			  const struct mvgpu_backend_client *client)
{
	unsigned int i;

	might_sleep();
	if (client) {
		mutex_lock(&sched->lock);
		sched->host_wanted = true;
		mutex_unlock(&sched->lock);
		for (i = 0; i < MVGPU_NUM_ENGINES; i++)
			sched_kick(&sched->eng[i]);
		/* a wait condition must not sleep: check under the lock after */
		do {
			wait_event(sched->idle_wq, sched_engines_free_hint(sched));
		} while (!sched_engines_free(sched));
		sched->host = *client;
		/* Publishes @host to sched_host_client(). */
		smp_store_release(&sched->host_active, true);
		return;
	}
	WRITE_ONCE(sched->host_active, false);
	sched_install_client(sched);	/* waits for callbacks to the host */
	memset(&sched->host, 0, sizeof(sched->host));
	mutex_lock(&sched->lock);
	sched->host_wanted = false;
	mutex_unlock(&sched->lock);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		sched_kick(&sched->eng[i]);
}

/* Wake the engine threads to apply a change of policy now. */
static void sched_kick_all(struct mvgpu_sched *sched)
{
	unsigned int i;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		sched_kick(&sched->eng[i]);
}

/**
 * mvgpu_sched_set_mode() - change how every engine is shared
 * @sched: the scheduler
 * @mode: enum mvgpu_sched_mode
 *
 * Safe under load: the policies change under the scheduler's lock,
 * between two decisions of the engine threads, which apply it at their
 * next one (a running workload keeps its slice).
 *
 * Return: 0, or -EINVAL for an unknown mode.
 */
int mvgpu_sched_set_mode(struct mvgpu_sched *sched, enum mvgpu_sched_mode mode)
{
	unsigned int i;
	int ret = 0;

	if ((unsigned int)mode >= MVGPU_SCHED_NR_MODES)
		return -EINVAL;
	mutex_lock(&sched->lock);
	for (i = 0; i < MVGPU_NUM_ENGINES && !ret; i++)
		ret = mvgpu_sched_policy_set_mode(&sched->eng[i].policy, mode);
	mutex_unlock(&sched->lock);
	sched_kick_all(sched);
	return ret;
}

/**
 * mvgpu_sched_mode() - how the engines are shared
 * @sched: the scheduler
 *
 * Return: enum mvgpu_sched_mode.
 */
enum mvgpu_sched_mode mvgpu_sched_mode(struct mvgpu_sched *sched)
{
	enum mvgpu_sched_mode mode;

	mutex_lock(&sched->lock);
	mode = sched->eng[0].policy.mode;
	mutex_unlock(&sched->lock);
	return mode;
}

/**
 * mvgpu_sched_set_slice() - change every engine's time slice
 * @sched: the scheduler
 * @slice_ns: MVGPU_SCHED_MIN_SLICE_NS to MVGPU_SCHED_MAX_SLICE_NS
 *
 * Return: 0, or -EINVAL out of bounds.
 */
int mvgpu_sched_set_slice(struct mvgpu_sched *sched, u64 slice_ns)
{
	unsigned int i;
	int ret = 0;

	mutex_lock(&sched->lock);
	for (i = 0; i < MVGPU_NUM_ENGINES && !ret; i++)
		ret = mvgpu_sched_policy_set_slice(&sched->eng[i].policy,
						   slice_ns);
	mutex_unlock(&sched->lock);
	sched_kick_all(sched);
	return ret;
}

/**
 * mvgpu_sched_slice() - the engines' time slice
 * @sched: the scheduler
 *
 * Return: nanoseconds.
 */
u64 mvgpu_sched_slice(struct mvgpu_sched *sched)
{
	u64 ns;

	mutex_lock(&sched->lock);
	ns = sched->eng[0].policy.slice_ns;
	mutex_unlock(&sched->lock);
	return ns;
}

/**
 * mvgpu_sched_set_cap() - limit a vGPU's queue to a part of its engine
 * @sched: the scheduler
 * @engine: the queue's engine
 * @q: the queue, added
 * @cap: percent of the engine, 1 to 100; 0 for no cap
 *
 * Return: 0, or -EINVAL for more than 100.
 */
int mvgpu_sched_set_cap(struct mvgpu_sched *sched, unsigned int engine,
			struct mvgpu_sched_queue *q, u32 cap)
{
	int ret;

	mutex_lock(&sched->lock);
	ret = mvgpu_sched_policy_set_cap(&sched->eng[engine].policy, &q->ent,
					 cap);
	mutex_unlock(&sched->lock);
	sched_kick(&sched->eng[engine]);
	return ret;
}

/**
 * mvgpu_sched_set_weight() - change a vGPU queue's share of its engine
 * @sched: the scheduler
 * @engine: the queue's engine
 * @q: the queue, added
 * @weight: 1 to %MVGPU_SCHED_MAX_WEIGHT
 *
 * Return: 0, or -EINVAL for a bad weight.
 */
int mvgpu_sched_set_weight(struct mvgpu_sched *sched, unsigned int engine,
			   struct mvgpu_sched_queue *q, u32 weight)
{
	int ret;

	mutex_lock(&sched->lock);
	ret = mvgpu_sched_policy_set_weight(&sched->eng[engine].policy,
					    &q->ent, weight);
	mutex_unlock(&sched->lock);
	sched_kick(&sched->eng[engine]);
	return ret;
}

/**
 * mvgpu_sched_weight() - a vGPU queue's weight
 * @sched: the scheduler
 * @engine: the queue's engine
 * @q: the queue, added
 *
 * Return: its weight.
 */
u32 mvgpu_sched_weight(struct mvgpu_sched *sched, unsigned int engine,
		       struct mvgpu_sched_queue *q)
{
	u32 weight;

	mutex_lock(&sched->lock);
	weight = q->ent.weight;
	mutex_unlock(&sched->lock);
	return weight;
}

/**
 * mvgpu_sched_cap() - a vGPU queue's cap
 * @sched: the scheduler
 * @engine: the queue's engine
 * @q: the queue, added
 *
 * Return: percent of the engine, 0 for none.
 */
u32 mvgpu_sched_cap(struct mvgpu_sched *sched, unsigned int engine,
		    struct mvgpu_sched_queue *q)
{
	u32 cap;

	mutex_lock(&sched->lock);
	cap = q->ent.cap;
	mutex_unlock(&sched->lock);
	return cap;
}
