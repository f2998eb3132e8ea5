/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Virtual interrupt registers of a vGPU.
 */
#ifndef _MVGPU_INTERRUPT_H
#define _MVGPU_INTERRUPT_H

#include "vreg_handlers.h"

void mvgpu_vintr_raise(struct mvgpu_vregs *vr, enum mvgpu_irq_bank bank,
		       u32 bits);
void mvgpu_vintr_clear(struct mvgpu_vregs *vr, enum mvgpu_irq_bank bank,
		       u32 bits);
void mvgpu_vintr_update(struct mvgpu_vregs *vr);

#endif /* _MVGPU_INTERRUPT_H */
