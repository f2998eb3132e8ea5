/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vGPU: the device model one guest drives; its state (vgpu.h: the
 * functions).
 */
#ifndef _MVGPU_VGPU_TYPES_H
#define _MVGPU_VGPU_TYPES_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <mvgpu/mvgpu_regs.h>

#include "batch_cache_types.h"
#include "cfg_space.h"
#include "ctx_shadow_types.h"
#include "display_types.h"
#include "pgpu_types.h"
#include "ppgtt_types.h"
#include "retire_types.h"
#include "sched_types.h"
#include "shadow_mem_types.h"
#include "stages_types.h"
#include "vreg.h"

struct device;
struct mvgpu_aperture_map_ops;
struct mvgpu_ggtt_chunk;
struct mvgpu_guest_mem_ops;
struct mvgpu_type_desc;
struct mvgpu_vgpu_irq_ops;
struct mvgpu_workload;
struct page;

/**
 * struct mvgpu_vgpu_counters - counters readable from sysfs
 * @bad_mmio: register accesses refused: no register there, read-only,
 *            wrong size
 * @bad_ggtt: GGTT accesses outside the vGPU's graphics memory
 * @bad_aperture: aperture accesses outside its slice or through invalid
 *                or unmapped GGTT entries
 * @pinned_pages: guest pages pinned now
 * @submissions: guest contexts submitted (ELSP elements)
 * @completed: workloads that ran to completion
 * @rejected: workloads refused before reaching an engine, and
 *            submissions ignored (failsafe, queue full)
 * @errors: workloads an engine stopped on an error or a hang
 * @hangs: of those, hangs (HANG: the watchdog or hang_ms); each dropped
 *         the rest of the vGPU engine's work
 * @cmds_scanned: commands the scanner checked
 * @bad_ppgtt: PPGTT entries naming memory that is not the guest's
 * @shadow_pages: shadow PPGTT table pages now, those waiting for the
 *                engines (retire.c) included
 * @ppgtt_writes: guest writes to its page tables that KVM reported and
 *                the shadow took at once
 * @trapped: guest accesses of BAR0 (registers and GGTT) the vGPU emulated
 * @host_resets: resets the host asked for (mvgpu_vgpu_host_reset())
 * @backend_ns: engine time the backend reports its contexts ran, per
 *              MVGPU_ENGINE_* (struct mvgpu_ctx_event's @ran_ns)
 */
struct mvgpu_vgpu_counters {
	atomic64_t bad_mmio;
	atomic64_t bad_ggtt;
	atomic64_t bad_aperture;
	atomic64_t pinned_pages;
	atomic64_t submissions;
	atomic64_t completed;
	atomic64_t rejected;
	atomic64_t errors;
	atomic64_t hangs;
	atomic64_t cmds_scanned;
	atomic64_t bad_ppgtt;
	atomic64_t shadow_pages;
	atomic64_t ppgtt_writes;
	atomic64_t trapped;
	atomic64_t host_resets;
	atomic64_t backend_ns[MVGPU_NUM_ENGINES];
};

/**
 * struct mvgpu_vexec - the execlist state of one vGPU engine
 * @gen: reset generation: work submitted before the last reset of the
 *       engine is not delivered
 * @last: the last workload accepted, while in flight (a reference is
 *        held): the next workload of its context continues from it
 * @last_lrca: context of the last workload submitted
 * @last_tail: where it ends: the next workload of that context starts
 *             there while it is in flight
 * @active: the guest was told the engine is active
 *
 * Workloads in flight are counted by &mvgpu_vgpu.retire.
 */
struct mvgpu_vexec {
	u32 gen;
	struct mvgpu_workload *last;
	u32 last_lrca;
	u32 last_tail;
	bool active;
};

/**
 * struct mvgpu_vdeliver - what the scheduler finished, for the vGPU
 * @lock: protects @done and @irqs; a spinlock taken by the pGPU's
 *        scheduler threads, which must never wait for a vGPU
 * @done: finished workloads, in the order they finished (each holds a
 *        reference)
 * @irqs: workloads that raised user interrupts not yet delivered (each
 *        holds a reference)
 * @work: delivers them under the vGPU's lock, in the vGPU's own context
 *        (&mvgpu_pgpu.deliver_wq), so a vGPU that cannot take its lock
 *        or reach its memory holds up no one else
 * @trim: releases the vGPU's shadow caches once it has been idle a while
 *        (trim.c), on the same workqueue
 * @trim_armed: jiffies when @trim was last armed, under the vGPU's lock
 */
struct mvgpu_vdeliver {
	spinlock_t lock; /* see @lock above */
	struct list_head done;
	struct list_head irqs;
	struct work_struct work;
	struct delayed_work trim;
	unsigned long trim_armed;
};

/**
 * struct mvgpu_vslots - a vGPU's preallocated workloads (workload.c)
 * @lock: protects @free and @used; a spinlock, innermost: workloads are
 *        released from the scheduler's callbacks too
 * @free: slots not in use, linked through &mvgpu_workload.link
 * @used: slots in use
 * @mem: the slots, %MVGPU_WORKLOAD_SLOTS of them
 */
struct mvgpu_vslots {
	spinlock_t lock; /* see @lock above */
	struct list_head free;
	unsigned int used;
	struct mvgpu_workload *mem;
};

/**
 * struct mvgpu_vgpu - one vGPU
 * @pgpu: the pGPU it runs on
 * @type: its type
 * @res: graphics memory and ID lent by @pgpu
 * @dev: device for log lines (the mdev)
 * @mem_ops: access to guest memory, set while a user has the device open
 * @mem_priv: argument of @mem_ops
 * @irq_ops: how to raise the interrupt
 * @irq_priv: argument of @irq_ops
 * @map_ops: CPU mappings of the aperture, or NULL
 * @map_priv: argument of @map_ops
 * @scratch: what aperture mappings show where no guest page is behind
 * @lock: protects @cfg, @vregs, @ggtt_chunks, @mem_ops, @pin_limit,
 *        @pin_limit_set, @ppgtt, @retire, @exec, @failsafe, @rejects and
 *        @mig_stopped; taken before any lock of the pGPU and its
 *        scheduler, never by a pGPU's thread (see @deliver)
 * @cfg: PCI config space
 * @vregs: virtual register file
 * @vreg_vals: its values
 * @ap_lock: protects @ggtt_chunks (the directory and the host addresses
 *           in the chunks) against the aperture fault handler, which
 *           runs under the mmap lock and so must not take @lock (pinning
 *           takes the mmap lock under @lock): they are written with
 *           both held, read with either; taken after @lock and the mmap
 *           lock, before nothing but page-table locks
 * @ggtt_chunks: the guest's GGTT entries for its aperture then hidden
 *               slice, and the host address each is shadowed to, in
 *               chunks allocated as the guest writes them (ggtt.c)
 * @ggtt_entries: number of entries
 * @pin_limit: the administrator's limit (sysfs): most guest pages its
 *             shadows may hold pinned, 0 for no limit
 * @pin_limit_set: @pin_limit was set, and takes precedence over the
 *                 VMM's (&mvgpu_guest_mem_ops.pin_limit)
 * @ratelimit: limits this vGPU's log lines about guest misbehaviour
 * @stats: counters
 * @shadow: host memory for the shadows of its work
 * @ppgtt: shadows of the guest's PPGTTs
 * @retire: its work in flight and what waits for it to leave the engines
 * @queue: its workload queue for each engine (the scheduler's)
 * @exec: execlist state of each engine
 * @deliver: finished work on its way to the guest
 * @slots: its workloads, allocated once
 * @display: its virtual display pipe; @lock protects it, but for the
 *           timer (display_types.h)
 * @failsafe: too much bad work: submissions are ignored until reset
 * @rejects: workloads rejected since the last reset
 * @stages: its stage latencies, when measured (stages.c)
 * @mig_stopped: stopped for a migration (migration.c): its work has
 *               drained, submissions are refused and the pipe produces
 *               no vblanks until it runs again
 * @trim_link: in its pGPU's @trim_list, under its @trim_lock (trim.c)
 * @bcache: the batches its contexts last had accepted (batch_cache.c),
 *          under @lock
 * @cshadows: the shadow rings and images its contexts keep between
 *            submissions (ctx_shadow.c), under @lock
 */
struct mvgpu_vgpu {
	struct mvgpu_pgpu *pgpu;
	const struct mvgpu_type_desc *type;
	struct mvgpu_vgpu_res res;
	struct device *dev;
	const struct mvgpu_guest_mem_ops *mem_ops;
	void *mem_priv;
	const struct mvgpu_vgpu_irq_ops *irq_ops;
	void *irq_priv;
	const struct mvgpu_aperture_map_ops *map_ops;
	void *map_priv;
	struct page *scratch;
	struct mutex lock; /* see @lock above */
	struct mvgpu_cfg_space cfg;
	struct mvgpu_vregs vregs;
	u32 *vreg_vals;
	struct mutex ap_lock; /* see @ap_lock above */
	struct mvgpu_ggtt_chunk **ggtt_chunks;
	unsigned int ggtt_entries;
	u64 pin_limit;
	bool pin_limit_set;
	struct ratelimit_state ratelimit;
	struct mvgpu_vgpu_counters stats;
	struct mvgpu_shadow_mem shadow;
	struct mvgpu_ppgtt ppgtt;
	struct mvgpu_retire retire;
	struct mvgpu_sched_queue queue[MVGPU_NUM_ENGINES];
	struct mvgpu_vexec exec[MVGPU_NUM_ENGINES];
	struct mvgpu_vdeliver deliver;
	struct mvgpu_vslots slots;
	struct mvgpu_vdisplay display;
	bool failsafe;
	unsigned int rejects;
	struct mvgpu_vstages stages;
	bool mig_stopped;
	struct list_head trim_link;
	struct mvgpu_batch_cache bcache;
	struct mvgpu_ctx_shadows cshadows;
};

#endif /* _MVGPU_VGPU_TYPES_H */
