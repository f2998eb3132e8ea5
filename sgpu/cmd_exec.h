/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Software GPU: the command executor.  Runs one context on one engine
 * from its saved state until it is idle, must yield, waits on a
 * semaphore, exhausts its budget or fails.  Pure logic: memory through
 * struct sgpu_mem, registers and events through struct sgpu_exec_ops.
 */
#ifndef _SGPU_CMD_EXEC_H
#define _SGPU_CMD_EXEC_H

#include <linux/types.h>

#include "gtt_walk.h"
#include "context.h"

enum sgpu_event {
	SGPU_EVENT_USER_INTERRUPT,	/* MI_USER_INTERRUPT, notify bits */
	SGPU_EVENT_POST_SYNC,		/* PIPE_CONTROL/MI_FLUSH_DW wrote @addr */
};

/**
 * struct sgpu_exec_ops - what the executor asks of its engine
 * @reg_read: MI_STORE_REGISTER_MEM: read register @reg (an MMIO offset);
 *	return 0 or a negative errno (the context fails with REG_ACCESS).
 *	NULL refuses all registers.
 * @reg_write: MI_LOAD_REGISTER_IMM/MEM: write register @reg; as @reg_read.
 * @notify: an event for the engine's interrupt logic; may be NULL.
 * @should_yield: polled at every arbitration point (after MI_ARB_CHECK,
 *	MI_BATCH_BUFFER_START and MI_BATCH_BUFFER_END); true stops the
 *	context there with SGPU_EXEC_PREEMPTED.  May be NULL.
 */
struct sgpu_exec_ops {
	int (*reg_read)(void *priv, u32 reg, u32 *val);
	int (*reg_write)(void *priv, u32 reg, u32 val);
	void (*notify)(void *priv, enum sgpu_event ev, u64 addr);
	bool (*should_yield)(void *priv);
};

/**
 * struct sgpu_engine - one engine as the executor sees it
 * @id: MVGPU_ENGINE_RCS or MVGPU_ENGINE_BCS (which commands it accepts)
 * @mem: physical memory and GGTT
 * @ops: register file and events
 * @priv: argument of @ops
 */
struct sgpu_engine {
	u32 id;
	const struct sgpu_mem *mem;
	const struct sgpu_exec_ops *ops;
	void *priv;
};

/**
 * struct sgpu_exec_limits - watchdog limits; 0 means unlimited
 * @max_cmds: commands per sgpu_exec_run() call, then SGPU_EXEC_BUDGET
 * @max_bytes: bytes written by blits per call, then SGPU_EXEC_BUDGET
 *	(checked between commands; a blit is never split)
 * @max_batch_dwords: dwords a context may run in batches since its last
 *	ring-level MI_BATCH_BUFFER_START (kept in the context), beyond
 *	which it fails with MVGPU_ERR_BB_RUNAWAY
 */
struct sgpu_exec_limits {
	u32 max_cmds;
	u64 max_bytes;
	u32 max_batch_dwords;
};

enum sgpu_exec_status {
	SGPU_EXEC_IDLE,		/* head == tail: context complete */
	SGPU_EXEC_PREEMPTED,	/* stopped at an arbitration point */
	SGPU_EXEC_WAITING,	/* MI_SEMAPHORE_WAIT not satisfied; retry later */
	SGPU_EXEC_BUDGET,	/* limits reached; may be resumed */
	SGPU_EXEC_ERROR,	/* stopped on @err; not resumable */
};

/**
 * struct sgpu_exec_result - outcome of one sgpu_exec_run() call
 * @status: why it returned
 * @cmds: commands completed
 * @bytes: bytes written by blits
 * @err: for SGPU_EXEC_ERROR, what failed where
 */
struct sgpu_exec_result {
	enum sgpu_exec_status status;
	u32 cmds;
	u64 bytes;
	struct sgpu_error err;
};

enum sgpu_exec_status sgpu_exec_run(const struct sgpu_engine *eng,
				    struct sgpu_ctx *ctx,
				    const struct sgpu_exec_limits *lim,
				    struct sgpu_exec_result *res);

#endif /* _SGPU_CMD_EXEC_H */
