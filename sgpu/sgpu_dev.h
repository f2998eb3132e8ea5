/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Software GPU, kernel side: the device and its engines, shared by
 * sgpu/device.c (ops, memory, client), engine.c (engine threads),
 * regfile.c (registers of LRI/LRM/SRM), display.c (plane, vblank) and
 * edid.c.
 *
 * Lock order, outermost first:
 *   sgpu_hw_engine.reset_mutex, sgpu_dev.plane_lock
 *   -> sgpu_dev.client_sem (read side held across a client callback)
 *   -> sgpu_hw_engine.lock (spinlock, never held across a call out)
 */
#ifndef _SGPU_DEV_H
#define _SGPU_DEV_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/hrtimer.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <mvgpu/backend.h>
#include <mvgpu/mvgpu_regs.h>

#include "cmd_exec.h"

struct sgpu_dev;

/**
 * struct sgpu_elem - one element of an execlist pair
 * @desc: context descriptor; 0 for an empty element
 * @cookie: the submitter's cookie, handed back in events
 */
struct sgpu_elem {
	u64 desc;
	void *cookie;
};

/**
 * struct sgpu_hw_engine - one engine of the device and its thread
 * @dev: the device
 * @id: MVGPU_ENGINE_*
 * @base: MMIO base of its registers
 * @thread: runs the engine (sgpu/engine.c)
 * @exec: the engine as the executor sees it
 * @lim: executor limits of one slice
 * @lock: protects @next, @next_valid, @preempt_req, @reset_req,
 *        @watchdog_ms and @stats.  A spinlock: held only to copy them.
 *        The thread reads the three request flags without it
 *        (READ_ONCE) to decide whether to stop at an arbitration point.
 * @next: a submitted pair the thread has not taken yet
 * @next_valid: @next holds a pair
 * @preempt_req: preempt() was called and not yet handled
 * @reset_req: reset_engine() waits for the thread to drop everything
 * @watchdog_ms: longest run of a context in one submission; 0 = none
 * @stats: counters
 * @wq: the thread sleeps here while it has nothing to do
 * @reset_mutex: serialises reset_engine() callers, one reset at a time
 * @reset_done: completed by the thread when a reset is done
 *
 * The remaining fields belong to the thread alone:
 * @port: the pair being run
 * @cur: index in @port of the element being run
 * @busy: @ctx holds the loaded state of @port[@cur]
 * @ctx: execution state of the running context, its general purpose
 *       registers included (regfile.c)
 * @ctx_ns: engine time @ctx has had in this submission, stalls not
 *          counted, its waits on a semaphore counted in full (watchdog)
 * @ran_ns: engine time spent running contexts since the last event, all
 *          of it on the context the next event is about, stalls not
 *          counted, waits on a semaphore in full
 * @delay_seen: the thread's wait for a CPU (run_delay) when last looked
 * @wait_from: @ctx has waited on a semaphore since then and its wait is
 *             not yet counted (its next step's look at the semaphore
 *             ends or continues it); 0 when it does not wait
 * @user_irqs: user interrupts raised during the current slice
 * @alarm_ns: set_alarm()'s time, 0 for none; written by the core with
 *            WRITE_ONCE(), cleared by the thread when it rings
 */
struct sgpu_hw_engine {
	struct sgpu_dev *dev;
	unsigned int id;
	u32 base;
	struct task_struct *thread;
	struct sgpu_engine exec;
	struct sgpu_exec_limits lim;

	spinlock_t lock; /* see @lock above */
	struct sgpu_elem next[2];
	bool next_valid;
	bool preempt_req;
	bool reset_req;
	unsigned int watchdog_ms;
	struct mvgpu_backend_stats stats;
	wait_queue_head_t wq;
	struct mutex reset_mutex; /* see @reset_mutex above */
	struct completion reset_done;

	struct sgpu_elem port[2];
	unsigned int cur;
	bool busy;
	struct sgpu_ctx ctx;
	u64 ctx_ns;
	u64 ran_ns;
	u64 delay_seen;
	u64 wait_from;
	unsigned int user_irqs;
	u64 alarm_ns;
};

/**
 * struct sgpu_dev - one software GPU
 * @be: the backend handed to the core; first member
 * @parent: device for log lines
 * @id: index of the pGPU
 * @ggtt: %MVGPU_GGTT_ENTRIES PTEs (vmalloc).  No lock: each entry is
 *        written with WRITE_ONCE() and read once per use by the walker
 * @mem: memory ops and GGTT for the executor
 * @client_sem: protects @client and @has_client; the read side is held
 *              while a callback runs, so that set_client() returns only
 *              when no callback of the old client is running
 * @client: who receives events
 * @has_client: @client is set
 * @engines: the engines
 * @plane_lock: protects @plane and serialises starting and stopping the
 *              vblank timer
 * @plane: the display plane as programmed
 * @vblank_on: the timer re-arms itself (written under @plane_lock)
 * @vblank_timer: 60 Hz while the plane is enabled
 * @vblank_work: calls the client's vblank callback in process context
 * @frame: vblank counter
 * @edid: the monitor's EDID
 */
struct sgpu_dev {
	struct mvgpu_backend be;
	struct device *parent;
	unsigned int id;
	u64 *ggtt;
	struct sgpu_mem mem;

	struct rw_semaphore client_sem; /* see @client_sem above */
	struct mvgpu_backend_client client;
	bool has_client;

	struct sgpu_hw_engine engines[MVGPU_NUM_ENGINES];

	struct mutex plane_lock; /* see @plane_lock above */
	struct mvgpu_plane plane;
	bool vblank_on;
	struct hrtimer vblank_timer;
	struct work_struct vblank_work;
	atomic_t frame;

	u8 edid[MVGPU_EDID_SIZE];
};

static inline struct sgpu_dev *sgpu_dev(struct mvgpu_backend *be)
{
	return container_of(be, struct sgpu_dev, be);
}

/* device.c: calls into the client */
void sgpu_dev_ctx_event(struct sgpu_dev *dev, unsigned int engine, u32 status,
			const struct sgpu_elem *elem,
			const struct mvgpu_engine_error *err, u64 ran_ns);
void sgpu_dev_user_interrupt(struct sgpu_dev *dev, unsigned int engine,
			     void *cookie);
void sgpu_dev_alarm(struct sgpu_dev *dev, unsigned int engine);
void sgpu_dev_vblank(struct sgpu_dev *dev, u32 frame);

/* engine.c */
int sgpu_engine_init(struct sgpu_dev *dev, unsigned int id);
void sgpu_engine_fini(struct sgpu_hw_engine *e);
int sgpu_engine_submit(struct sgpu_hw_engine *e, const u64 desc[2],
		       void *const cookie[2]);
void sgpu_engine_kick(struct sgpu_hw_engine *e);
void sgpu_engine_set_alarm(struct sgpu_hw_engine *e, u64 ns);
u64 sgpu_engine_stall_clock(const struct sgpu_hw_engine *e);
void sgpu_engine_preempt(struct sgpu_hw_engine *e);
void sgpu_engine_reset(struct sgpu_hw_engine *e);

/* regfile.c */
int sgpu_regfile_read(void *priv, u32 reg, u32 *val);
int sgpu_regfile_write(void *priv, u32 reg, u32 val);

/* display.c */
void sgpu_display_init(struct sgpu_dev *dev);
void sgpu_display_set_plane(struct sgpu_dev *dev,
			    const struct mvgpu_plane *plane);
void sgpu_display_fini(struct sgpu_dev *dev);

/* edid.c */
void sgpu_edid_build(u8 *edid);

#endif /* _SGPU_DEV_H */
