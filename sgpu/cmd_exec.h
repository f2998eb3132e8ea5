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
 *	MI_BATCH_BUFFER_START and MI_BATCH_BUFFER_END, and where a blit is
 *	split); true stops the context there with SGPU_EXEC_PREEMPTED.  May
 *	be NULL.
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
 * @max_dwords: command dwords per call, likewise
 * @max_bytes: bytes written by blits and blends per call (as counted
 *	in struct sgpu_exec_result), likewise
 * @max_rows: rows (runs) walked by blits and blends per call, likewise
 * @max_maps: pages mapped by blits and blends per call, likewise
 * @max_batch_dwords: dwords a context may run in batches since its last
 *	ring-level MI_BATCH_BUFFER_START (kept in the context), beyond
 *	which it fails with MVGPU_ERR_BB_RUNAWAY
 *
 * The budget limits are checked between commands, and a blit, fill or
 * blend is split after a whole row once it alone has done a slice's
 * worth in the call: as many rows as make @max_bytes, or @max_rows runs,
 * or @max_maps maps.  A call therefore overshoots each limit by at most
 * one slice's worth of one command (and one row); the context stays at
 * the split command, with the rows done in struct sgpu_ctx's blt_rows.
 */
struct sgpu_exec_limits {
	u32 max_cmds;
	u32 max_dwords;
	u64 max_bytes;
	u64 max_rows;
	u64 max_maps;
	u32 max_batch_dwords;
};

/*
 * The engine's slice (sgpu/engine.c): what one sgpu_exec_run() call may
 * do before the engine reschedules and acts on a pending preemption,
 * submission or reset.  Calibrated with tests/bench/sgpu_bench.c
 * ("slices"): each limit alone is at most about 0.3 ms of the slowest
 * work it counts, natively, so that a slice of any command mix stays
 * near 1 ms (Documentation/gpu-interface.rst, "The software GPU's
 * engines").  A blended byte costs about 25 times a copied one, so it
 * counts SGPU_BLEND_WEIGHT times against the byte limit.
 */
#define SGPU_SLICE_CMDS		2048
#define SGPU_SLICE_DWORDS	(128U << 10)
#define SGPU_SLICE_BYTES	(2ULL << 20)
#define SGPU_SLICE_ROWS		8192ULL
#define SGPU_SLICE_MAPS		8192ULL
#define SGPU_BLEND_WEIGHT	32

enum sgpu_exec_status {
	SGPU_EXEC_IDLE,		/* head == tail: context complete */
	SGPU_EXEC_PREEMPTED,	/* stopped at an arbitration point */
	SGPU_EXEC_WAITING,	/* MI_SEMAPHORE_WAIT not satisfied; retry later */
	SGPU_EXEC_BUDGET,	/* budget reached or command split; resumable */
	SGPU_EXEC_ERROR,	/* stopped on @err; not resumable */
};

/**
 * struct sgpu_exec_result - outcome of one sgpu_exec_run() call
 * @status: why it returned
 * @cmds: commands completed (a split command when its last part is)
 * @dwords: their dwords
 * @bytes: bytes written by blits (w * h * bytes per pixel, the rows
 *	done of a split one) and by blends, whose bytes count
 *	SGPU_BLEND_WEIGHT times each
 * @rows: rows walked by blits and blends (struct sgpu_blt_work)
 * @maps: pages they mapped (struct sgpu_blt_work)
 * @err: for SGPU_EXEC_ERROR, what failed where
 *
 * A blit that fails counts the rows and maps it did before the fault.
 */
struct sgpu_exec_result {
	enum sgpu_exec_status status;
	u32 cmds;
	u32 dwords;
	u64 bytes;
	u64 rows;
	u64 maps;
	struct sgpu_error err;
};

enum sgpu_exec_status sgpu_exec_run(const struct sgpu_engine *eng,
				    struct sgpu_ctx *ctx,
				    const struct sgpu_exec_limits *lim,
				    struct sgpu_exec_result *res);

#endif /* _SGPU_CMD_EXEC_H */
