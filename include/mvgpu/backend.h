/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * DOC: The backend contract
 *
 * The physical GPU as the virtualization core sees it: an ops table,
 * &struct mvgpu_backend_ops, that the software GPU (sgpu/) implements and
 * a hardware backend could.  Engines run execlist pairs of contexts;
 * contexts, rings, batches and page tables are in host memory reached
 * through the backend's GGTT, or through the PPGTT root in the context
 * image, which holds host physical addresses: the core never hands the
 * backend a guest address.  Events come back through the callbacks of
 * &struct mvgpu_backend_client.  Documentation/gpu-interface.rst, "Backend
 * ops", pulls this header in.
 */
#ifndef _MVGPU_BACKEND_H
#define _MVGPU_BACKEND_H

#include <linux/types.h>

#include <mvgpu/mvgpu_regs.h>

struct mvgpu_backend;

/**
 * struct mvgpu_engine_error - what an engine captured about an error
 * @status: RING_ERR_STATUS value: valid, code, command space, walk level
 * @ctx_id: context ID from the descriptor
 * @cmd_addr: address of the failing command (ring offset or GTT address)
 * @cmd_header: its first dword, 0 if unreadable
 * @fault_addr: for faults, the graphics address that faulted
 */
struct mvgpu_engine_error {
	u32 status;
	u32 ctx_id;
	u64 cmd_addr;
	u32 cmd_header;
	u64 fault_addr;
};

/**
 * struct mvgpu_ctx_event - one context status event (a CSB entry)
 * @status: MVGPU_CSB_* bits
 * @ctx_id: context ID of the descriptor the event is about
 * @cookie: the submitter's cookie for that descriptor
 * @error: with %MVGPU_CSB_ERROR, what the engine captured; else NULL
 * @ran_ns: engine time spent since the engine's previous event, all of it
 *          running the context this event is about (the backend's own
 *          measure, like a context's CTX_TIMESTAMP); 0 when it did not run
 */
struct mvgpu_ctx_event {
	u32 status;
	u32 ctx_id;
	void *cookie;
	const struct mvgpu_engine_error *error;
	u64 ran_ns;
};

/**
 * struct mvgpu_backend_client - who hears from the backend: the pGPU core
 * @ctx_event: a context started, switched, completed, was preempted or
 *             stopped on an error (or a hang, %MVGPU_ERR_HANG)
 * @user_interrupt: MI_USER_INTERRUPT or a notify bit in a context
 * @alarm: the time set with &mvgpu_backend_ops.set_alarm has come, at an
 *         arbitration point of the context running on @engine; the
 *         engine looks for a submission or a preemption request once the
 *         callback returns, at that same point
 * @vblank: the display pipe started a new frame
 * @priv: first argument of the callbacks
 *
 * Callbacks run in process context (an engine's thread, a timer's
 * worker), with no backend lock held; they may sleep briefly but must not
 * call back into the backend's set_client, reset_engine, reset, set_plane
 * or destroy ops (which wait for callbacks or engines to finish).  They
 * may call submit and preempt: the core submits the next pair from the
 * ctx_event that reports its engine idle, and the engine takes it once
 * the callback returns, without waiting for anything else.  The start of
 * element 1 is an arbitration point: a preemption or a submission asked
 * for in the ctx_event of element 0's end (%MVGPU_CSB_ELEMENT_SWITCH)
 * stops element 1 before its first command.
 *
 * Events of one engine arrive in order, one callback at a time; the two
 * engines and the display call back concurrently.
 */
struct mvgpu_backend_client {
	void (*ctx_event)(void *priv, unsigned int engine,
			  const struct mvgpu_ctx_event *ev);
	void (*user_interrupt)(void *priv, unsigned int engine, void *cookie);
	void (*alarm)(void *priv, unsigned int engine);
	void (*vblank)(void *priv, u32 frame);
	void *priv;
};

/**
 * struct mvgpu_plane - the display plane as programmed
 * @surface: GGTT address of the first pixel, 4 KiB aligned
 * @stride: bytes per line
 * @format: MVGPU_DSPCNTR_FORMAT_*
 * @width: pixels
 * @height: lines
 * @enable: scan out and raise vblanks
 */
struct mvgpu_plane {
	u64 surface;
	u32 stride;
	u32 format;
	u32 width;
	u32 height;
	bool enable;
};

/**
 * struct mvgpu_backend_stats - per-engine counters of a backend
 * @submissions: execlist pairs accepted
 * @contexts_completed: contexts that reached head == tail
 * @busy_ns: time spent running contexts, their loads and saves and waits
 *           on semaphores included in full, stalls and the callbacks to
 *           the client not (the backend's own engine time).  Counted at
 *           least at every arbitration point and before every event: the
 *           core charges a vGPU what this grew by while its workload was
 *           on the engine
 * @stalled_ns: time the engine was held up by the host instead (a
 *              software engine's thread waiting for a CPU while it runs
 *              a context; a wait on a semaphore is engine time), counted
 *              as soon as the backend notices it
 * @errors: contexts stopped on an error, hangs included
 * @hangs: contexts stopped by the watchdog
 * @preemptions: contexts switched out before completing
 */
struct mvgpu_backend_stats {
	u64 submissions;
	u64 contexts_completed;
	u64 busy_ns;
	u64 stalled_ns;
	u64 errors;
	u64 hangs;
	u64 preemptions;
};

/**
 * struct mvgpu_backend_ops - what a physical GPU offers the core
 * @set_client: install the event receiver (NULL to remove), copied; events
 *              that occur without a client are dropped.  Returns when no
 *              callback of the previous client is running any more; not to
 *              be called with a lock held that a callback takes
 * @submit: write the execlist port of @engine: run desc[0] then desc[1]
 *          (0, or no valid bit = none).  If the engine is busy, the
 *          running context is preempted at its next arbitration point
 *          first (%MVGPU_CSB_PREEMPTED, or %MVGPU_CSB_PREEMPTED |
 *          %MVGPU_CSB_LITE_RESTORE if desc[0] has the running context's
 *          LRCA: it continues with its new tail, unsaved); elements of
 *          the old pair that had not started are dropped without an
 *          event, as is a pair submitted earlier that the engine had not
 *          taken yet.  cookie[i] is handed back with every event about
 *          desc[i].  Returns 0, or -EINVAL for an engine that does not
 *          exist or an invalid desc[0] (valid bit, addressing mode)
 * @kick: optional.  When set, @submit only latches the pair (an engine
 *        that is awake may take it at once) and kick() makes an idle
 *        engine look at it: a software engine's wake-up is an IPI, which
 *        the core sends once it holds none of its locks.  NULL: @submit
 *        needs nothing more
 * @set_alarm: optional.  At the first arbitration point of a running
 *             context at or after @ns (ktime_get_ns()), call
 *             &mvgpu_backend_client.alarm once from the engine itself;
 *             0 cancels, a new time replaces the old.  A scheduler ends
 *             a slice this way without waiting for a thread of its own
 *             to be run on time; NULL: it has only its timer
 * @preempt: stop the running context at its next arbitration point
 *           (event %MVGPU_CSB_PREEMPTED | %MVGPU_CSB_ACTIVE_TO_IDLE),
 *           dropping any queued element or not yet taken submission
 * @set_watchdog: a context that runs or waits longer than @ms in one
 *                submission (by @busy_ns of &struct mvgpu_backend_stats:
 *                stalls do not count) is stopped with %MVGPU_ERR_HANG; 0
 *                disables
 * @reset_engine: drop the engine's contexts without saving them and
 *                return it to idle; waits until the engine has stopped
 * @reset: reset every engine and the display; GGTT contents are kept
 * @ggtt_write: set GGTT entry @index (host physical address | valid)
 * @ggtt_read: read GGTT entry @index
 * @ggtt_entries: number of GGTT entries
 * @set_plane: program the display plane
 * @edid: the monitor's EDID, 256 bytes, valid while the backend lives
 * @get_stats: copy the engine's counters
 * @stall_clock: optional.  A clock, in ns, that runs only while the host
 *               holds the engine up, one stall in progress included: as
 *               &mvgpu_backend_stats.stalled_ns, but read live, and an
 *               idle engine's wait to wake up counts too.  Callable from
 *               any context but an interrupt's.  NULL: its engines never
 *               stall (a hardware GPU)
 * @destroy: stop everything and free the backend
 */
struct mvgpu_backend_ops {
	void (*set_client)(struct mvgpu_backend *be,
			   const struct mvgpu_backend_client *client);
	int (*submit)(struct mvgpu_backend *be, unsigned int engine,
		      const u64 desc[2], void *const cookie[2]);
	void (*kick)(struct mvgpu_backend *be, unsigned int engine);
	void (*set_alarm)(struct mvgpu_backend *be, unsigned int engine,
			  u64 ns);
	void (*preempt)(struct mvgpu_backend *be, unsigned int engine);
	void (*set_watchdog)(struct mvgpu_backend *be, unsigned int engine,
			     unsigned int ms);
	void (*reset_engine)(struct mvgpu_backend *be, unsigned int engine);
	void (*reset)(struct mvgpu_backend *be);
	void (*ggtt_write)(struct mvgpu_backend *be, u32 index, u64 pte);
	u64 (*ggtt_read)(struct mvgpu_backend *be, u32 index);
	u32 (*ggtt_entries)(struct mvgpu_backend *be);
	void (*set_plane)(struct mvgpu_backend *be,
			  const struct mvgpu_plane *plane);
	const u8 *(*edid)(struct mvgpu_backend *be);
	void (*get_stats)(struct mvgpu_backend *be, unsigned int engine,
			  struct mvgpu_backend_stats *stats);
	u64 (*stall_clock)(struct mvgpu_backend *be, unsigned int engine);
	void (*destroy)(struct mvgpu_backend *be);
};

/**
 * struct mvgpu_backend - a physical GPU
 * @ops: its operations
 * @name: for log lines
 */
struct mvgpu_backend {
	const struct mvgpu_backend_ops *ops;
	const char *name;
};

#endif /* _MVGPU_BACKEND_H */
