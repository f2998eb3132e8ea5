/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The native path: the host itself as a client of a pGPU's backend, with
 * no vGPU in between.  It owns host pages mapped into the host part of
 * graphics memory, LEGACY_32B contexts with rings there, submits them and
 * records the events.  Used by the debugfs interface (debugfs.c) to test
 * the engines and as the baseline of benchmarks.
 *
 * It reaches the pGPU (gvt/pgpu.h, found through this module's include
 * path) only through what mvgpu.ko exports, see <mvgpu/host.h>.
 */
#ifndef _MVGPU_NATIVE_H
#define _MVGPU_NATIVE_H

#include <linux/types.h>

#include <mvgpu/backend.h>

#define MVGPU_NATIVE_MAX_BYTES	(64ULL << 20)	/* host pages, all buffers */
#define MVGPU_NATIVE_MAX_CTXS	16
#define MVGPU_NATIVE_EVENTS	64		/* queued per engine */
#define MVGPU_NATIVE_MAX_WAIT_MS 30000
#define MVGPU_NATIVE_MAX_EMIT	1024		/* dwords per emit */

struct mvgpu_native;
struct mvgpu_pgpu;

/**
 * enum mvgpu_native_op - what mvgpu_native_engine_op() does to an engine
 * @MVGPU_NATIVE_OP_PREEMPT: preempt to idle
 * @MVGPU_NATIVE_OP_RESET: engine reset, waits until the engine stopped
 * @MVGPU_NATIVE_OP_WATCHDOG: set the watchdog to the argument, in ms,
 *                            0 = off
 * @MVGPU_NATIVE_NR_OPS: number of operations
 */
enum mvgpu_native_op {
	MVGPU_NATIVE_OP_PREEMPT,
	MVGPU_NATIVE_OP_RESET,
	MVGPU_NATIVE_OP_WATCHDOG,
	MVGPU_NATIVE_NR_OPS
};

/**
 * struct mvgpu_native_event - one recorded context event
 * @status: MVGPU_CSB_* bits
 * @ctx_id: context ID
 * @err: with %MVGPU_CSB_ERROR, the captured error; else zero
 * @ns: ktime_get_ns() when it was recorded
 */
struct mvgpu_native_event {
	u32 status;
	u32 ctx_id;
	struct mvgpu_engine_error err;
	u64 ns;
};

/**
 * struct mvgpu_native_ctx_info - where a context lives
 * @id: its number, also the context ID of its descriptor (1..16)
 * @lrca: GGTT address of its image
 * @ring: GGTT address of its ring
 */
struct mvgpu_native_ctx_info {
	unsigned int id;
	u64 lrca;
	u64 ring;
};

/* The surface benchmarks: mvgpu_native_bench_copy()'s @op */
enum mvgpu_bench_op {
	MVGPU_BENCH_COPY,
	MVGPU_BENCH_FILL,
	MVGPU_BENCH_BLEND,
};

/**
 * enum mvgpu_bench_stage - the stages of a pair of bench_rate
 * @MVGPU_BENCH_SUBMIT: mvgpu_native_submit_locked()
 * @MVGPU_BENCH_RUN: from its return to the record of the idle event
 *	(both batches run)
 * @MVGPU_BENCH_WAKE: from that record to the waiter's wake-up
 * @MVGPU_BENCH_NR_STAGES: number of stages
 */
enum mvgpu_bench_stage {
	MVGPU_BENCH_SUBMIT,
	MVGPU_BENCH_RUN,
	MVGPU_BENCH_WAKE,
	MVGPU_BENCH_NR_STAGES
};

/**
 * struct mvgpu_native_bench - what a benchmark measured
 * @bytes: bytes copied, filled or blended per run
 * @runs: runs or submissions
 * @engine_ns: best engine time of a run, submit to completion event (rate:
 *	time of the block, first submission to last completion)
 * @memcpy_ns: best time of memcpy() of the same pages (copy benchmark)
 * @avg_ns: mean engine time of a run (rate: of a submission)
 * @verified: after every run of the engine and of memcpy(), the
 *	destination's CRC-32 was that of what the run makes of the source
 *	(rate: every batch stored its sequence number)
 * @stage_p50: rate: median time of each stage of a pair, in ns
 * @stage_p99: rate: its 99th percentile
 */
struct mvgpu_native_bench {
	u64 bytes;
	unsigned int runs;
	u64 engine_ns;
	u64 memcpy_ns;
	u64 avg_ns;
	bool verified;
	u64 stage_p50[MVGPU_BENCH_NR_STAGES];
	u64 stage_p99[MVGPU_BENCH_NR_STAGES];
};

struct mvgpu_native *mvgpu_native_create(struct mvgpu_pgpu *pgpu);
void mvgpu_native_destroy(struct mvgpu_native *n);
void mvgpu_native_clear(struct mvgpu_native *n);
int mvgpu_native_alloc(struct mvgpu_native *n, u64 size, bool hidden,
		       u64 *gaddr);
int mvgpu_native_badmap(struct mvgpu_native *n, u64 size, u64 *gaddr);
int mvgpu_native_rw(struct mvgpu_native *n, u64 gaddr, void *buf,
		    size_t len, bool write);
int mvgpu_native_crc(struct mvgpu_native *n, u64 gaddr, u64 len, u32 *crc);
int mvgpu_native_ctx_create(struct mvgpu_native *n, u32 ring_size,
			    struct mvgpu_native_ctx_info *info);
int mvgpu_native_emit(struct mvgpu_native *n, unsigned int ctx,
		      const u32 *dw, unsigned int count);
int mvgpu_native_submit(struct mvgpu_native *n, unsigned int engine,
			const unsigned int ctx[2]);
int mvgpu_native_engine_op(struct mvgpu_native *n, unsigned int engine,
			   enum mvgpu_native_op op, unsigned int arg);
int mvgpu_native_wait(struct mvgpu_native *n, unsigned int engine, u32 mask,
		      unsigned int timeout_ms, struct mvgpu_native_event *out,
		      unsigned int *count);
u64 mvgpu_native_irqs(struct mvgpu_native *n, unsigned int engine);
void mvgpu_native_set_plane(struct mvgpu_native *n, bool enable);
u32 mvgpu_native_vblanks(struct mvgpu_native *n);
const u8 *mvgpu_native_edid(struct mvgpu_native *n);
int mvgpu_native_stats(struct mvgpu_native *n, unsigned int engine,
		       struct mvgpu_backend_stats *stats);
int mvgpu_native_bench_copy(struct mvgpu_native *n, enum mvgpu_bench_op op,
			    unsigned int mib, unsigned int runs,
			    struct mvgpu_native_bench *res);
int mvgpu_native_bench_surf(struct mvgpu_native *n, enum mvgpu_bench_op op,
			    unsigned int mib, bool ppgtt,
			    struct mvgpu_native_bench *res);
int mvgpu_native_bench_empty(struct mvgpu_native *n, unsigned int runs,
			     struct mvgpu_native_bench *res);
int mvgpu_native_bench_rate(struct mvgpu_native *n, unsigned int engine,
			    unsigned int subs, struct mvgpu_native_bench *res);

#endif /* _MVGPU_NATIVE_H */
