/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The workload scheduler of one pGPU: its state (sched.h: its functions).
 */
#ifndef _MVGPU_SCHED_TYPES_H
#define _MVGPU_SCHED_TYPES_H

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include <mvgpu/backend.h>

#include "sched_policy.h"

struct mvgpu_workload;
struct task_struct;

#define MVGPU_SCHED_MAX_QUEUED	16	/* workloads per vGPU and engine */

/**
 * struct mvgpu_sched_queue - one vGPU's workloads for one engine
 * @ent: its place in the engine's policy
 * @workloads: queued workloads, oldest first; those on the engine (running,
 *             or element 1 behind it) are not here
 * @count: workloads queued or running
 * @runtime_ns: engine time its workloads received
 * @held: a workload of it hung: what was queued behind it was dropped,
 *        and nothing of it runs until mvgpu_sched_stop_queue(), which the
 *        vGPU calls once it has heard of the hang
 *
 * Everything is protected by the scheduler's lock.
 */
struct mvgpu_sched_queue {
	struct mvgpu_sched_entity ent;
	struct list_head workloads;
	unsigned int count;
	u64 runtime_ns;
	bool held;
};

/**
 * struct mvgpu_sched_engine - one physical engine
 * @sched: its scheduler
 * @id: MVGPU_ENGINE_*
 * @policy: the vGPUs' queues competing for it (scheduler lock)
 * @running: workload on the engine, or NULL (scheduler lock)
 * @next: element 1 of the pair @running went on the engine with: a
 *        workload of the same queue that has not begun yet, or NULL; it
 *        becomes @running at @running's element switch, and goes back to
 *        its queue when the engine goes idle without it (scheduler lock)
 * @started: the engine reported that it started @running (scheduler lock)
 * @started_ns: when it did, or when it was submitted until then; for
 *              element 1 of a pair, when element 0 did: the slice is the
 *              pair's (scheduler lock)
 * @busy_seen: the backend's engine time of the engine when @running was
 *             last charged, or went on it (scheduler lock)
 * @preempting: a preemption of @running was requested (scheduler lock)
 * @resetting: resets of the engine in progress; nothing is submitted
 *             meanwhile (scheduler lock)
 * @be_kick: the backend has a submission to be kicked (set with the
 *           scheduler lock held, taken with atomic_xchg() once no lock is
 *           held: mvgpu_sched_kick_backend())
 * @kick_lock: protects @kick; innermost of all mvgpu locks
 * @kick: the thread is to apply a change of policy or of the host's
 *        claim
 * @wq: the thread waits here
 * @timer: wakes the thread at the end of a slice, at the hang limit or
 *         when a vGPU waiting for its limit may run again; armed with the
 *         scheduler lock held
 * @timer_at: when @timer is due (ns, ktime_get_ns()), 0 when it is not
 *            armed: set with the scheduler lock held, cleared by the
 *            callback as it fires (READ_ONCE/WRITE_ONCE); an armed timer
 *            due no later than a new check is left as it is
 * @tick: @timer fired since the thread last looked (READ_ONCE/WRITE_ONCE:
 *        the callback takes no lock)
 * @deliver_lock: held while the engine's events are handled and the
 *                workloads they finish handed over (by the backend's
 *                callbacks and the thread), and while work is queued
 *                (a rejected workload an idle engine retires at once),
 *                so hand-overs follow the order of retirement and vGPU
 *                teardown can wait until none of its workloads is;
 *                taken after a vGPU's lock and before the scheduler
 *                lock, never held while waiting for a vGPU's lock (a
 *                vGPU's lock is only tried under it)
 * @thread: the engine's thread, for slice ends and policy changes
 */
struct mvgpu_sched_engine {
	struct mvgpu_sched *sched;
	unsigned int id;
	struct mvgpu_sched_policy policy;
	struct mvgpu_workload *running;
	struct mvgpu_workload *next;
	bool started;
	u64 started_ns;
	u64 busy_seen;
	bool preempting;
	unsigned int resetting;
	atomic_t be_kick;
	spinlock_t kick_lock; /* see @kick_lock above */
	bool kick;
	wait_queue_head_t wq;
	struct hrtimer timer;
	u64 timer_at;
	bool tick;
	struct mutex deliver_lock; /* see @deliver_lock above */
	struct task_struct *thread;
};

/**
 * struct mvgpu_sched - the scheduler of one pGPU
 * @be: the backend, whose only client the scheduler is
 * @lock: protects the engines' policies (mode, slice, caps included),
 *        queues and running workloads, @host and @host_wanted; taken after a
 *        vGPU's lock and an engine's @deliver_lock, before @kick_lock,
 *        never held across a callback into a vGPU nor while waiting for an
 *        engine
 * @host: the host's own client (mvgpu_native.ko) while it holds the
 *        engines; events then go to it
 * @host_active: @host receives events (read in the callbacks)
 * @host_wanted: no vGPU work is submitted: the host holds or wants the
 *               engines
 * @idle_wq: the host waits here for the engines to drain of vGPU work
 * @eng: the engines
 */
struct mvgpu_sched {
	struct mvgpu_backend *be;
	struct mutex lock; /* see @lock above */
	struct mvgpu_backend_client host;
	bool host_active;
	bool host_wanted;
	wait_queue_head_t idle_wq;
	struct mvgpu_sched_engine eng[MVGPU_NUM_ENGINES];
};

#endif /* _MVGPU_SCHED_TYPES_H */
