/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Register behaviours the register table refers to.
 */
#ifndef _MVGPU_VREG_HANDLERS_H
#define _MVGPU_VREG_HANDLERS_H

#include "vreg.h"

/* PV info fields, the @arg of mvgpu_vreg_read_pvinfo(). */
enum mvgpu_pvinfo_field {
	MVGPU_PV_MAGIC_LO,
	MVGPU_PV_MAGIC_HI,
	MVGPU_PV_VERSION,
	MVGPU_PV_VGPU_ID,
	MVGPU_PV_APERTURE_BASE,
	MVGPU_PV_APERTURE_SIZE,
	MVGPU_PV_HIDDEN_BASE,
	MVGPU_PV_HIDDEN_SIZE,
	MVGPU_PV_MAX_WIDTH,
	MVGPU_PV_MAX_HEIGHT,
};

/* Interrupt banks, the @arg of the interrupt handlers. */
enum mvgpu_irq_bank {
	MVGPU_IRQ_BANK_GT,
	MVGPU_IRQ_BANK_PIPE_A,
};

void mvgpu_vreg_write_plain(struct mvgpu_vregs *vr,
			    const struct mvgpu_vreg_desc *d, u32 offset, u32 val);
void mvgpu_vreg_write_masked(struct mvgpu_vregs *vr,
			     const struct mvgpu_vreg_desc *d, u32 offset, u32 val);
void mvgpu_vreg_write_reset_ctl(struct mvgpu_vregs *vr,
				const struct mvgpu_vreg_desc *d, u32 offset, u32 val);
void mvgpu_vreg_write_err_status(struct mvgpu_vregs *vr,
				 const struct mvgpu_vreg_desc *d, u32 offset, u32 val);
void mvgpu_vreg_write_gdrst(struct mvgpu_vregs *vr,
			    const struct mvgpu_vreg_desc *d, u32 offset, u32 val);
void mvgpu_vreg_write_plane(struct mvgpu_vregs *vr,
			    const struct mvgpu_vreg_desc *d, u32 offset, u32 val);
u32 mvgpu_vreg_read_zero(struct mvgpu_vregs *vr,
			 const struct mvgpu_vreg_desc *d, u32 offset);
u32 mvgpu_vreg_read_pvinfo(struct mvgpu_vregs *vr,
			   const struct mvgpu_vreg_desc *d, u32 offset);
u32 mvgpu_vreg_read_edid(struct mvgpu_vregs *vr,
			 const struct mvgpu_vreg_desc *d, u32 offset);
u32 mvgpu_vreg_read_edid_status(struct mvgpu_vregs *vr,
				const struct mvgpu_vreg_desc *d, u32 offset);

/* interrupt.c */
u32 mvgpu_vintr_read_master(struct mvgpu_vregs *vr,
			    const struct mvgpu_vreg_desc *d, u32 offset);
void mvgpu_vintr_write_master(struct mvgpu_vregs *vr,
			      const struct mvgpu_vreg_desc *d, u32 offset, u32 val);
void mvgpu_vintr_write_iir(struct mvgpu_vregs *vr,
			   const struct mvgpu_vreg_desc *d, u32 offset, u32 val);
void mvgpu_vintr_write_ctl(struct mvgpu_vregs *vr,
			   const struct mvgpu_vreg_desc *d, u32 offset, u32 val);

/* execlist.c */
void mvgpu_execlist_write_elsp(struct mvgpu_vregs *vr,
			       const struct mvgpu_vreg_desc *d, u32 offset, u32 val);
void mvgpu_execlist_write_control(struct mvgpu_vregs *vr,
				  const struct mvgpu_vreg_desc *d, u32 offset,
				  u32 val);
void mvgpu_execlist_write_csb_ptr(struct mvgpu_vregs *vr,
				  const struct mvgpu_vreg_desc *d, u32 offset, u32 val);

#endif /* _MVGPU_VREG_HANDLERS_H */
