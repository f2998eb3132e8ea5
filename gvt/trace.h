/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of the virtualization core, system "mvgpu": what a guest
 * did to its vGPU (trapped BAR0 accesses, GGTT and PPGTT updates), what
 * became of its work (submit, reject, schedule in and out, complete),
 * the interrupt it was given and its resets.  Every event carries the
 * vGPU's id (sysfs mvgpu/vgpu_id of the mdev); workload events carry the
 * engine, the guest's context id and the workload's sequence number on
 * that engine, which tie a submit to its schedule in/out and complete.
 * Reading a trace: Documentation/usage.rst, "Tracing".
 *
 * Defined once, in trace_points.c; its Kbuild line adds the module's
 * top directory to the include path, where define_trace.h finds this
 * header again as TRACE_INCLUDE_PATH/TRACE_INCLUDE_FILE.h.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mvgpu

#if !defined(_MVGPU_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MVGPU_TRACE_H

#include <linux/tracepoint.h>
#include <linux/types.h>

#include <mvgpu/mvgpu_pci.h>
#include <mvgpu/mvgpu_regs.h>

#include "vgpu_types.h"
#include "workload.h"

/* Enum values the format strings use, for trace-cmd and perf. */
TRACE_DEFINE_ENUM(MVGPU_SPACE_RING);
TRACE_DEFINE_ENUM(MVGPU_SPACE_GGTT);
TRACE_DEFINE_ENUM(MVGPU_SPACE_PPGTT);
TRACE_DEFINE_ENUM(MVGPU_ERR_NONE);
TRACE_DEFINE_ENUM(MVGPU_ERR_INVALID_CMD);
TRACE_DEFINE_ENUM(MVGPU_ERR_CMD_LENGTH);
TRACE_DEFINE_ENUM(MVGPU_ERR_CMD_ENGINE);
TRACE_DEFINE_ENUM(MVGPU_ERR_CMD_PARAM);
TRACE_DEFINE_ENUM(MVGPU_ERR_CMD_TRUNCATED);
TRACE_DEFINE_ENUM(MVGPU_ERR_ADDR_ALIGN);
TRACE_DEFINE_ENUM(MVGPU_ERR_GGTT_FAULT);
TRACE_DEFINE_ENUM(MVGPU_ERR_PPGTT_FAULT);
TRACE_DEFINE_ENUM(MVGPU_ERR_PAGE_FAULT);
TRACE_DEFINE_ENUM(MVGPU_ERR_NO_PPGTT);
TRACE_DEFINE_ENUM(MVGPU_ERR_BB_NESTING);
TRACE_DEFINE_ENUM(MVGPU_ERR_BB_RUNAWAY);
TRACE_DEFINE_ENUM(MVGPU_ERR_BB_END_IN_RING);
TRACE_DEFINE_ENUM(MVGPU_ERR_BAD_CONTEXT);
TRACE_DEFINE_ENUM(MVGPU_ERR_REG_ACCESS);
TRACE_DEFINE_ENUM(MVGPU_ERR_HANG);
TRACE_DEFINE_ENUM(MVGPU_ERR_RESET);

#define mvgpu_trace_engine(e)			\
	__print_symbolic(e,			\
	{ MVGPU_ENGINE_RCS, "rcs" },		\
	{ MVGPU_ENGINE_BCS, "bcs" })

#define mvgpu_trace_err(code)					\
	__print_symbolic(code,					\
	{ MVGPU_ERR_NONE, "none" },				\
	{ MVGPU_ERR_INVALID_CMD, "INVALID_CMD" },		\
	{ MVGPU_ERR_CMD_LENGTH, "CMD_LENGTH" },			\
	{ MVGPU_ERR_CMD_ENGINE, "CMD_ENGINE" },			\
	{ MVGPU_ERR_CMD_PARAM, "CMD_PARAM" },			\
	{ MVGPU_ERR_CMD_TRUNCATED, "CMD_TRUNCATED" },		\
	{ MVGPU_ERR_ADDR_ALIGN, "ADDR_ALIGN" },			\
	{ MVGPU_ERR_GGTT_FAULT, "GGTT_FAULT" },			\
	{ MVGPU_ERR_PPGTT_FAULT, "PPGTT_FAULT" },		\
	{ MVGPU_ERR_PAGE_FAULT, "PAGE_FAULT" },			\
	{ MVGPU_ERR_NO_PPGTT, "NO_PPGTT" },			\
	{ MVGPU_ERR_BB_NESTING, "BB_NESTING" },			\
	{ MVGPU_ERR_BB_RUNAWAY, "BB_RUNAWAY" },			\
	{ MVGPU_ERR_BB_END_IN_RING, "BB_END_IN_RING" },		\
	{ MVGPU_ERR_BAD_CONTEXT, "BAD_CONTEXT" },		\
	{ MVGPU_ERR_REG_ACCESS, "REG_ACCESS" },			\
	{ MVGPU_ERR_HANG, "HANG" },				\
	{ MVGPU_ERR_RESET, "RESET" })

#define mvgpu_trace_space(sp)			\
	__print_symbolic(sp,			\
	{ MVGPU_SPACE_RING, "ring" },		\
	{ MVGPU_SPACE_GGTT, "ggtt" },		\
	{ MVGPU_SPACE_PPGTT, "ppgtt" })

/* What a BAR0 offset is: a register, a GGTT entry or the hole between. */
#define MVGPU_TRACE_BAR0_MMIO	0
#define MVGPU_TRACE_BAR0_GGTT	1
#define MVGPU_TRACE_BAR0_HOLE	2
#ifndef _MVGPU_TRACE_HELPERS
#define _MVGPU_TRACE_HELPERS
static inline u8 mvgpu_trace_bar0_area(u64 off)
{
	if (off >= MVGPU_GGTT_OFFSET)
		return MVGPU_TRACE_BAR0_GGTT;
	return off >= MVGPU_MMIO_SIZE ? MVGPU_TRACE_BAR0_HOLE :
					MVGPU_TRACE_BAR0_MMIO;
}
#endif

/* Who reset a vGPU (mvgpu_reset). */
#define MVGPU_TRACE_RESET_DEVICE	0	/* VFIO reset, open or close */
#define MVGPU_TRACE_RESET_GUEST		1	/* the guest's GDRST */
#define MVGPU_TRACE_RESET_HOST		2	/* sysfs reset */

TRACE_EVENT(mvgpu_trap,
	    TP_PROTO(const struct mvgpu_vgpu *vgpu, u64 off, const void *buf,
		     unsigned int len, bool write, int ret),
	    TP_ARGS(vgpu, off, buf, len, write, ret),

	    TP_STRUCT__entry(__field(u32, vgpu)
			     __field(u8, area)
			     __field(bool, write)
			     __field(u8, len)
			     __field(u64, off)
			     __field(u64, val)
			     __field(int, ret)
	    ),

	    TP_fast_assign(__entry->vgpu = vgpu->res.id;
			   __entry->area = mvgpu_trace_bar0_area(off);
			   __entry->write = write;
			   __entry->len = len;
			   __entry->off = off;
			   __entry->val = 0;
			   memcpy(&__entry->val, buf, ret ? 0 : min_t(unsigned int, len, 8));
			   __entry->ret = ret;
	    ),

	    TP_printk("vgpu=%u %s %s 0x%llx len=%u val=0x%llx ret=%d",
		      __entry->vgpu,
		      __print_symbolic(__entry->area,
				       { MVGPU_TRACE_BAR0_MMIO, "mmio" },
				       { MVGPU_TRACE_BAR0_GGTT, "ggtt" },
				       { MVGPU_TRACE_BAR0_HOLE, "hole" }),
		      __entry->write ? "write" : "read", __entry->off,
		      __entry->len, __entry->val, __entry->ret)
);

DECLARE_EVENT_CLASS(mvgpu_workload_class,
		    TP_PROTO(const struct mvgpu_workload *w),
		    TP_ARGS(w),

		    TP_STRUCT__entry(__field(u32, vgpu)
				     __field(u32, engine)
				     __field(u32, ctx_id)
				     __field(u32, lrca)
				     __field(u64, seq)
				     __field(u32, head)
				     __field(u32, tail)
				     __field(u64, ran_ns)
				     __field(bool, ppgtt)
				     __field(bool, rejected)
		    ),

		    TP_fast_assign(__entry->vgpu = w->vgpu->res.id;
				   __entry->engine = w->engine;
				   __entry->ctx_id = w->ctx_id;
				   __entry->lrca = w->lrca;
				   __entry->seq = w->seq;
				   __entry->head = w->head;
				   __entry->tail = w->tail;
				   __entry->ran_ns = w->ran_ns;
				   __entry->ppgtt = w->ppgtt;
				   __entry->rejected = w->rejected;
		    ),

		    TP_printk("vgpu=%u %s ctx=0x%x seq=%llu lrca=0x%x head=0x%x tail=0x%x ppgtt=%d rejected=%d ran_ns=%llu",
			      __entry->vgpu,
			      mvgpu_trace_engine(__entry->engine),
			      __entry->ctx_id, __entry->seq, __entry->lrca,
			      __entry->head, __entry->tail, __entry->ppgtt,
			      __entry->rejected, __entry->ran_ns)
);

/* Queued on its engine's vGPU queue (rejected ones too: they end as errors). */
DEFINE_EVENT(mvgpu_workload_class, mvgpu_submit,
	     TP_PROTO(const struct mvgpu_workload *w),
	     TP_ARGS(w)
);

/* Put on the engine by the pGPU's scheduler. */
DEFINE_EVENT(mvgpu_workload_class, mvgpu_sched_in,
	     TP_PROTO(const struct mvgpu_workload *w),
	     TP_ARGS(w)
);

/* Off the engine: ended, preempted or stopped; ran_ns counts all its slices. */
DEFINE_EVENT(mvgpu_workload_class, mvgpu_sched_out,
	     TP_PROTO(const struct mvgpu_workload *w),
	     TP_ARGS(w)
);

TRACE_EVENT(mvgpu_reject,
	    TP_PROTO(const struct mvgpu_workload *w),
	    TP_ARGS(w),

	    TP_STRUCT__entry(__field(u32, vgpu)
			     __field(u32, engine)
			     __field(u32, ctx_id)
			     __field(u32, code)
			     __field(u32, space)
			     __field(u32, header)
			     __field(u64, cmd_addr)
			     __field(u64, fault_addr)
	    ),

	    TP_fast_assign(__entry->vgpu = w->vgpu->res.id;
			   __entry->engine = w->engine;
			   __entry->ctx_id = w->ctx_id;
			   __entry->code = w->err.status & MVGPU_ERR_STATUS_CODE_MASK;
			   __entry->space = (w->err.status & MVGPU_ERR_STATUS_SPACE_MASK) >>
			   MVGPU_ERR_STATUS_SPACE_SHIFT;
			   __entry->header = w->err.cmd_header;
			   __entry->cmd_addr = w->err.cmd_addr;
			   __entry->fault_addr = w->err.fault_addr;
	    ),

	    TP_printk("vgpu=%u %s ctx=0x%x %s at %s 0x%llx header=0x%08x fault=0x%llx",
		      __entry->vgpu,
		      mvgpu_trace_engine(__entry->engine),
		      __entry->ctx_id,
		      mvgpu_trace_err(__entry->code),
		      mvgpu_trace_space(__entry->space),
		      __entry->cmd_addr, __entry->header, __entry->fault_addr)
);

TRACE_EVENT(mvgpu_complete,
	    TP_PROTO(const struct mvgpu_workload *w, u32 csb_status),
	    TP_ARGS(w, csb_status),

	    TP_STRUCT__entry(__field(u32, vgpu)
			     __field(u32, engine)
			     __field(u32, ctx_id)
			     __field(u32, csb)
			     __field(u32, code)
			     __field(u64, seq)
			     __field(u64, ran_ns)
	    ),

	    TP_fast_assign(__entry->vgpu = w->vgpu->res.id;
			   __entry->engine = w->engine;
			   __entry->ctx_id = w->ctx_id;
			   __entry->csb = csb_status;
			   __entry->code = csb_status & MVGPU_CSB_ERROR ?
			   w->err.status & MVGPU_ERR_STATUS_CODE_MASK : 0;
			   __entry->seq = w->seq;
			   __entry->ran_ns = w->ran_ns;
	    ),

	    TP_printk("vgpu=%u %s ctx=0x%x seq=%llu csb=0x%x %s err=%s ran_ns=%llu",
		      __entry->vgpu,
		      mvgpu_trace_engine(__entry->engine),
		      __entry->ctx_id, __entry->seq, __entry->csb,
		      __entry->csb & MVGPU_CSB_ERROR ? "error" : "ok",
		      mvgpu_trace_err(__entry->code),
		      __entry->ran_ns)
);

TRACE_EVENT(mvgpu_irq,
	    TP_PROTO(const struct mvgpu_vgpu *vgpu, bool asserted),
	    TP_ARGS(vgpu, asserted),

	    TP_STRUCT__entry(__field(u32, vgpu)
			     __field(bool, asserted)
	    ),

	    TP_fast_assign(__entry->vgpu = vgpu->res.id;
			   __entry->asserted = asserted;
	    ),

	    TP_printk("vgpu=%u %s", __entry->vgpu,
		      __entry->asserted ? "assert" : "deassert")
);

/* A guest's GGTT entry changed: the page at graphics address @gm. */
TRACE_EVENT(mvgpu_ggtt_update,
	    TP_PROTO(const struct mvgpu_vgpu *vgpu, u64 gm, u64 old, u64 pte),
	    TP_ARGS(vgpu, gm, old, pte),

	    TP_STRUCT__entry(__field(u32, vgpu)
			     __field(u64, gm)
			     __field(u64, old)
			     __field(u64, pte)
	    ),

	    TP_fast_assign(__entry->vgpu = vgpu->res.id;
			   __entry->gm = gm;
			   __entry->old = old;
			   __entry->pte = pte;
	    ),

	    TP_printk("vgpu=%u gm=0x%llx 0x%llx -> 0x%llx",
		      __entry->vgpu, __entry->gm, __entry->old, __entry->pte)
);

TRACE_EVENT(mvgpu_ppgtt_update,
	    TP_PROTO(const struct mvgpu_vgpu *vgpu, u64 table_gfn,
		     unsigned int level, unsigned int index, u64 guest, u64 shadow),
	    TP_ARGS(vgpu, table_gfn, level, index, guest, shadow),

	    TP_STRUCT__entry(__field(u32, vgpu)
			     __field(u8, level)
			     __field(u16, index)
			     __field(u64, table)
			     __field(u64, guest)
			     __field(u64, shadow)
	    ),

	    TP_fast_assign(__entry->vgpu = vgpu->res.id;
			   __entry->level = level;
			   __entry->index = index;
			   __entry->table = table_gfn << PAGE_SHIFT;
			   __entry->guest = guest;
			   __entry->shadow = shadow;
	    ),

	    TP_printk("vgpu=%u table=0x%llx level=%u entry=%u guest=0x%llx shadow=0x%llx",
		      __entry->vgpu, __entry->table, __entry->level,
		      __entry->index, __entry->guest, __entry->shadow)
);

TRACE_EVENT(mvgpu_ppgtt_write,
	    TP_PROTO(const struct mvgpu_vgpu *vgpu, u64 gfn, unsigned int level),
	    TP_ARGS(vgpu, gfn, level),

	    TP_STRUCT__entry(__field(u32, vgpu)
			     __field(u32, level)
			     __field(u64, table)
	    ),

	    TP_fast_assign(__entry->vgpu = vgpu->res.id;
			   __entry->level = level;
			   __entry->table = gfn << PAGE_SHIFT;
	    ),

	    TP_printk("vgpu=%u table=0x%llx level=%u written: shadow stale",
		      __entry->vgpu, __entry->table, __entry->level)
);

TRACE_EVENT(mvgpu_reset,
	    TP_PROTO(const struct mvgpu_vgpu *vgpu, unsigned int source, u32 bits),
	    TP_ARGS(vgpu, source, bits),

	    TP_STRUCT__entry(__field(u32, vgpu)
			     __field(u32, source)
			     __field(u32, bits)
	    ),

	    TP_fast_assign(__entry->vgpu = vgpu->res.id;
			   __entry->source = source;
			   __entry->bits = bits;
	    ),

	    TP_printk("vgpu=%u by %s gdrst=0x%x", __entry->vgpu,
		      __print_symbolic(__entry->source,
				       { MVGPU_TRACE_RESET_DEVICE, "device" },
				       { MVGPU_TRACE_RESET_GUEST, "guest" },
				       { MVGPU_TRACE_RESET_HOST, "host" }),
		      __entry->bits)
);

#endif /* _MVGPU_TRACE_H */

/* This part must be outside the header guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH gvt
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
