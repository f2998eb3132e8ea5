/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-stage latency of a vGPU's workloads (stages.c): the points a
 * workload stamps, and what a vGPU keeps.
 */
#ifndef _MVGPU_STAGES_TYPES_H
#define _MVGPU_STAGES_TYPES_H

#include <linux/types.h>

struct dentry;
struct mvgpu_stages_hist;

/**
 * enum mvgpu_stage_pt - the points of a workload's life that are stamped
 * @MVGPU_PT_TRAP: the guest's register access that submitted it entered
 *	the vGPU (mvgpu_mmio_write())
 * @MVGPU_PT_SUBMIT: the vGPU began to build it (its context, shadows and
 *	scan)
 * @MVGPU_PT_SCANNED: it was shadowed and scanned
 * @MVGPU_PT_QUEUED: it was handed to the scheduler's queue (with the
 *	other element of its ELSP write, once both were built)
 * @MVGPU_PT_START: it became the workload on the engine: submitted as
 *	element 0, or switched to as element 1 (mvgpu_workload_running())
 * @MVGPU_PT_END: the scheduler was done with it
 * @MVGPU_PT_DELIVERED: its completion was written back to the guest
 *	(context image, ring head); its CSB event comes next
 * @MVGPU_PT_NR: number of points
 */
enum mvgpu_stage_pt {
	MVGPU_PT_TRAP,
	MVGPU_PT_SUBMIT,
	MVGPU_PT_SCANNED,
	MVGPU_PT_QUEUED,
	MVGPU_PT_START,
	MVGPU_PT_END,
	MVGPU_PT_DELIVERED,
	MVGPU_PT_NR
};

/**
 * enum mvgpu_stage - the stages measured: between consecutive points of
 * enum mvgpu_stage_pt, then to the interrupt, and the whole
 * @MVGPU_ST_TRAP: TRAP to SUBMIT: the register access, up to the vGPU
 *	building the workload
 * @MVGPU_ST_SCAN: SUBMIT to SCANNED: context, shadows and scan
 * @MVGPU_ST_QUEUE: SCANNED to QUEUED: for element 0, while element 1 is
 *	built
 * @MVGPU_ST_START: QUEUED to START: queueing, until the engine takes it
 *	(for element 1 of a pair, until element 0 has run)
 * @MVGPU_ST_ENGINE: START to END: on the engine
 * @MVGPU_ST_DELIVER: END to DELIVERED: to the delivery of its completion
 * @MVGPU_ST_IRQ: DELIVERED to the interrupt its CSB event raises (the
 *	event written, the interrupt logic, the eventfd signalled)
 * @MVGPU_ST_TOTAL: TRAP to DELIVERED
 * @MVGPU_ST_START_UNSTALLED: @MVGPU_ST_START less the engine's stalls
 *	meanwhile (&mvgpu_backend_ops.stall_clock): the wait on an engine
 *	that never waits for a CPU, as a hardware GPU's
 * @MVGPU_ST_NR: number of stages
 */
enum mvgpu_stage {
	MVGPU_ST_TRAP,
	MVGPU_ST_SCAN,
	MVGPU_ST_QUEUE,
	MVGPU_ST_START,
	MVGPU_ST_ENGINE,
	MVGPU_ST_DELIVER,
	MVGPU_ST_IRQ,
	MVGPU_ST_TOTAL,
	MVGPU_ST_START_UNSTALLED,
	MVGPU_ST_NR
};

/**
 * struct mvgpu_stage_figs - what was measured of one stage
 * @n: samples
 * @p50: median, ns
 * @p99: 99th percentile, ns
 * @max: longest, ns
 */
struct mvgpu_stage_figs {
	u64 n, p50, p99, max;
};

/**
 * struct mvgpu_vstages - a vGPU's stage latencies
 * @hist: the histograms while measuring, else NULL; set, cleared and
 *        updated under the vGPU's lock
 * @trap_ns: when the last register access entered the vGPU (written
 *           without a lock: a stamp, not state)
 * @delivered_ns: when the delivery of a completion began, while its CSB
 *                event is written and raises the interrupt; else 0
 *                (vGPU lock)
 * @dir: its debugfs file, or NULL
 */
struct mvgpu_vstages {
	struct mvgpu_stages_hist *hist;
	u64 trap_ns;
	u64 delivered_ns;
	struct dentry *dir;
};

#endif /* _MVGPU_STAGES_TYPES_H */
