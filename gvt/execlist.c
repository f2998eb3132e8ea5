// SPDX-License-Identifier: GPL-2.0-only
/*
 * Execlist emulation of a vGPU, register side: the guest's ELSP writes
 * become descriptor pairs for the workload layer, and the progress of its
 * contexts comes back as context status buffer entries, ring registers,
 * error capture and interrupts, with the interface's semantics.
 */
#include <linux/kernel.h>
#include <linux/unaligned.h>

#include "execlist.h"
#include "interrupt.h"

static u32 execlist_base(unsigned int engine)
{
	return engine == MVGPU_ENGINE_RCS ? MVGPU_RCS_BASE : MVGPU_BCS_BASE;
}

static u32 execlist_irq_shift(unsigned int engine)
{
	return engine == MVGPU_ENGINE_RCS ? MVGPU_RCS_IRQ_SHIFT :
					    MVGPU_BCS_IRQ_SHIFT;
}

static void execlist_set(struct mvgpu_vregs *vr, u32 offset, u32 val)
{
	u32 *v = mvgpu_vreg_slot(vr, offset);

	if (v)
		*v = val;
}

static u32 execlist_get(struct mvgpu_vregs *vr, u32 offset)
{
	u32 *v = mvgpu_vreg_slot(vr, offset);

	return v ? *v : 0;
}

static bool execlist_run_list(struct mvgpu_vregs *vr, unsigned int engine)
{
	return execlist_get(vr, execlist_base(engine) + MVGPU_RING_MODE) &
	       MVGPU_RING_MODE_RUN_LIST_ENABLE;
}

/**
 * mvgpu_execlist_write_elsp() - one dword written to the submit port
 * @vr: register file
 * @d: the ELSP register
 * @offset: its BAR0 offset, which tells the engine
 * @val: the dword
 *
 * The fourth dword submits: element 1 upper, element 1 lower, element 0
 * upper, element 0 lower.  Writes while the run list is disabled are
 * refused.
 */
void mvgpu_execlist_write_elsp(struct mvgpu_vregs *vr,
			       const struct mvgpu_vreg_desc *d, u32 offset, u32 val)
{
	unsigned int e = mvgpu_vreg_engine(offset);
	u32 *q = vr->elsp[e];
	u64 desc[2];

	if (!execlist_run_list(vr, e)) {
		mvgpu_vreg_bad(vr, offset, true, "ELSP with run list disabled");
		return;
	}
	q[vr->elsp_count[e]++] = val;
	if (vr->elsp_count[e] < 4)
		return;
	vr->elsp_count[e] = 0;
	desc[1] = (u64)q[0] << 32 | q[1];
	desc[0] = (u64)q[2] << 32 | q[3];
	if (vr->ops->elsp_submit)
		vr->ops->elsp_submit(vr->priv, e, desc);
}

/**
 * mvgpu_execlist_write_control() - the driver loads its submit queue
 * @vr: register file
 * @d: the EXECLIST_CONTROL register
 * @offset: its BAR0 offset, which tells the engine
 * @val: MVGPU_EXECLIST_CONTROL_LOAD submits
 *
 * The pair the driver wrote into the engine's status page
 * (MVGPU_HWS_SQ()) is submitted as four ELSP writes would submit it: one
 * trapped access instead of four.  A load while the run list is
 * disabled or without a status page is refused; a partial ELSP write
 * sequence is left as it is.
 */
void mvgpu_execlist_write_control(struct mvgpu_vregs *vr,
				  const struct mvgpu_vreg_desc *d, u32 offset,
				  u32 val)
{
	unsigned int e = mvgpu_vreg_engine(offset);
	u32 hws = mvgpu_execlist_hws(vr, e);
	u8 sq[16];
	u64 desc[2];

	if (!(val & MVGPU_EXECLIST_CONTROL_LOAD))
		return;
	if (!execlist_run_list(vr, e)) {
		mvgpu_vreg_bad(vr, offset, true,
			       "submit queue load with run list disabled");
		return;
	}
	if (!hws) {
		mvgpu_vreg_bad(vr, offset, true,
			       "submit queue load without a status page");
		return;
	}
	if (!vr->ops->hws_read ||
	    vr->ops->hws_read(vr->priv, e, hws + MVGPU_HWS_SQ(0), sq,
			      sizeof(sq)))
		return;
	desc[0] = get_unaligned_le64(sq);
	desc[1] = get_unaligned_le64(sq + 8);
	if (vr->ops->elsp_submit)
		vr->ops->elsp_submit(vr->priv, e, desc);
}

/**
 * mvgpu_execlist_write_csb_ptr() - the driver consumed CSB entries
 * @vr: register file
 * @d: the CSB pointer register
 * @offset: its BAR0 offset
 * @val: masked write; only the read pointer (bits 10:8) may change
 */
void mvgpu_execlist_write_csb_ptr(struct mvgpu_vregs *vr,
				  const struct mvgpu_vreg_desc *d, u32 offset, u32 val)
{
	mvgpu_vreg_write_masked(vr, d, offset, val);
}

/**
 * mvgpu_execlist_hws() - an engine's status page
 * @vr: register file
 * @engine: the engine
 *
 * Return: the graphics address of the page RING_HWS_PGA selects, 0 when
 * the engine has none.
 */
u32 mvgpu_execlist_hws(struct mvgpu_vregs *vr, unsigned int engine)
{
	return execlist_get(vr, execlist_base(engine) + MVGPU_RING_HWS_PGA) &
	       MVGPU_HWS_PGA_MASK;
}

/* Mirror CSB entry @wp and then the write pointer into the status page. */
static void execlist_hws_csb(struct mvgpu_vregs *vr, unsigned int engine,
			     u32 wp, u32 status, u32 ctx_id)
{
	u32 hws = mvgpu_execlist_hws(vr, engine);
	u8 entry[8], ptr[4];

	if (!hws || !vr->ops->hws_write)
		return;
	put_unaligned_le32(status, entry);
	put_unaligned_le32(ctx_id, entry + 4);
	put_unaligned_le32(wp, ptr);
	vr->ops->hws_write(vr->priv, engine, hws + MVGPU_HWS_CSB(wp), entry,
			   sizeof(entry));
	vr->ops->hws_write(vr->priv, engine, hws + MVGPU_HWS_CSB_WRITE_PTR,
			   ptr, sizeof(ptr));
}

/**
 * mvgpu_execlist_csb_event() - write a context status entry
 * @vr: register file
 * @engine: the engine
 * @status: MVGPU_CSB_* bits
 * @ctx_id: context ID from the descriptor
 *
 * Advances the write pointer, mirrors the entry and the pointer into the
 * engine's status page if it has one, updates EXECLIST_STATUS and raises
 * the engine's context-switch interrupt, and its idle interrupt as well
 * when the engine went idle.
 */
void mvgpu_execlist_csb_event(struct mvgpu_vregs *vr, unsigned int engine,
			      u32 status, u32 ctx_id)
{
	u32 b = execlist_base(engine), ptr = execlist_get(vr, b + MVGPU_RING_CSB_PTR);
	u32 wp = ((ptr & MVGPU_CSB_WRITE_PTR_MASK) + 1) % MVGPU_CSB_ENTRIES;
	u32 st, irq = MVGPU_GT_CONTEXT_SWITCH_INTERRUPT;

	execlist_set(vr, b + MVGPU_RING_CSB(wp), status);
	execlist_set(vr, b + MVGPU_RING_CSB_CTX_ID(wp), ctx_id);
	execlist_set(vr, b + MVGPU_RING_CSB_PTR,
		     (ptr & ~MVGPU_CSB_WRITE_PTR_MASK) | wp);
	execlist_hws_csb(vr, engine, wp, status, ctx_id);
	st = (status & 0x1ff) << MVGPU_EXECLIST_SWITCH_REASON_SHIFT;
	if (!(status & (MVGPU_CSB_ACTIVE_TO_IDLE | MVGPU_CSB_ERROR)))
		st |= MVGPU_EXECLIST_0_VALID;
	execlist_set(vr, b + MVGPU_RING_EXECLIST_STATUS_LO, st);
	execlist_set(vr, b + MVGPU_RING_EXECLIST_STATUS_HI, ctx_id);
	if (status & MVGPU_CSB_ACTIVE_TO_IDLE)
		irq |= MVGPU_GT_IDLE_INTERRUPT;
	mvgpu_vintr_raise(vr, MVGPU_IRQ_BANK_GT, irq << execlist_irq_shift(engine));
}

/**
 * mvgpu_execlist_set_ring() - show the running context's ring registers
 * @vr: register file
 * @engine: the engine
 * @ring: values from the context
 */
void mvgpu_execlist_set_ring(struct mvgpu_vregs *vr, unsigned int engine,
			     const struct mvgpu_ring_state *ring)
{
	u32 b = execlist_base(engine);

	execlist_set(vr, b + MVGPU_RING_HEAD, ring->head);
	execlist_set(vr, b + MVGPU_RING_TAIL, ring->tail);
	execlist_set(vr, b + MVGPU_RING_START, ring->start);
	execlist_set(vr, b + MVGPU_RING_CTL, ring->ctl);
}

/**
 * mvgpu_execlist_error() - a context of this vGPU stopped on an error
 * @vr: register file
 * @engine: the engine
 * @err: what was captured
 *
 * The first error is kept until the driver writes RING_ERR_STATUS; the
 * command error interrupt is raised for every error.
 */
void mvgpu_execlist_error(struct mvgpu_vregs *vr, unsigned int engine,
			  const struct mvgpu_vengine_error *err)
{
	u32 b = execlist_base(engine);

	if (!(execlist_get(vr, b + MVGPU_RING_ERR_STATUS) & MVGPU_ERR_STATUS_VALID)) {
		execlist_set(vr, b + MVGPU_RING_ERR_STATUS,
			     err->status | MVGPU_ERR_STATUS_VALID);
		execlist_set(vr, b + MVGPU_RING_ERR_CTX_ID, err->ctx_id);
		execlist_set(vr, b + MVGPU_RING_ERR_CMD_ADDR_LO,
			     lower_32_bits(err->cmd_addr));
		execlist_set(vr, b + MVGPU_RING_ERR_CMD_ADDR_HI,
			     upper_32_bits(err->cmd_addr));
		execlist_set(vr, b + MVGPU_RING_ERR_CMD_HEADER, err->cmd_header);
		execlist_set(vr, b + MVGPU_RING_ERR_FAULT_ADDR_LO,
			     lower_32_bits(err->fault_addr));
		execlist_set(vr, b + MVGPU_RING_ERR_FAULT_ADDR_HI,
			     upper_32_bits(err->fault_addr));
	}
	mvgpu_vintr_raise(vr, MVGPU_IRQ_BANK_GT,
			  MVGPU_GT_CS_ERROR_INTERRUPT << execlist_irq_shift(engine));
}

/**
 * mvgpu_execlist_user_interrupt() - MI_USER_INTERRUPT in a guest context
 * @vr: register file
 * @engine: the engine
 */
void mvgpu_execlist_user_interrupt(struct mvgpu_vregs *vr,
				   unsigned int engine)
{
	mvgpu_vintr_raise(vr, MVGPU_IRQ_BANK_GT,
			  MVGPU_GT_USER_INTERRUPT << execlist_irq_shift(engine));
}
