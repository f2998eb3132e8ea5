/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Execlist emulation of a vGPU: the submit port and what the guest sees
 * of its contexts' progress.
 */
#ifndef _MVGPU_EXECLIST_H
#define _MVGPU_EXECLIST_H

#include "vreg.h"

/**
 * struct mvgpu_ring_state - the ring registers of the running context
 * @head: RING_HEAD
 * @tail: RING_TAIL
 * @start: RING_START
 * @ctl: RING_CTL
 */
struct mvgpu_ring_state {
	u32 head;
	u32 tail;
	u32 start;
	u32 ctl;
};

/**
 * struct mvgpu_vengine_error - error capture, as the engine reports it
 * @status: RING_ERR_STATUS value
 * @ctx_id: context ID
 * @cmd_addr: address of the failing command
 * @cmd_header: its header dword
 * @fault_addr: faulting graphics address
 */
struct mvgpu_vengine_error {
	u32 status;
	u32 ctx_id;
	u64 cmd_addr;
	u32 cmd_header;
	u64 fault_addr;
};

u32 mvgpu_execlist_hws(struct mvgpu_vregs *vr, unsigned int engine);
void mvgpu_execlist_csb_event(struct mvgpu_vregs *vr, unsigned int engine,
			      u32 status, u32 ctx_id);
void mvgpu_execlist_set_ring(struct mvgpu_vregs *vr, unsigned int engine,
			     const struct mvgpu_ring_state *ring);
void mvgpu_execlist_error(struct mvgpu_vregs *vr, unsigned int engine,
			  const struct mvgpu_vengine_error *err);
void mvgpu_execlist_user_interrupt(struct mvgpu_vregs *vr,
				   unsigned int engine);

#endif /* _MVGPU_EXECLIST_H */
