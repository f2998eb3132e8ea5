// SPDX-License-Identifier: GPL-2.0-only
/*
 * Virtual interrupt registers with the interface's semantics.
 *
 * An event sets its IIR bit when its IER bit is set; the output is
 * asserted while the master enable is set and some IIR bit is unmasked in
 * IMR.  The output is reported on change only, so a driver that clears
 * the master enable while it handles interrupts and sets it again gets a
 * new message (MSI) if events arrived meanwhile, as on Gen8.
 */
#include <linux/kernel.h>

#include "interrupt.h"

struct bank_regs {
	u32 imr, iir, ier;
};

static const struct bank_regs banks[] = {
	[MVGPU_IRQ_BANK_GT] = {
		MVGPU_GT_IMR(0), MVGPU_GT_IIR(0), MVGPU_GT_IER(0),
	},
	[MVGPU_IRQ_BANK_PIPE_A] = {
		MVGPU_DE_PIPE_IMR(0), MVGPU_DE_PIPE_IIR(0),
		MVGPU_DE_PIPE_IER(0),
	},
};

static u32 intr_reg(struct mvgpu_vregs *vr, u32 offset)
{
	u32 *v = mvgpu_vreg_slot(vr, offset);

	return v ? *v : 0;
}

static bool intr_bank_pending(struct mvgpu_vregs *vr, enum mvgpu_irq_bank b)
{
	return intr_reg(vr, banks[b].iir) & ~intr_reg(vr, banks[b].imr);
}

/**
 * mvgpu_vintr_update() - recompute the interrupt output
 * @vr: register file
 *
 * Calls ops->irq_level when the level changes.
 */
void mvgpu_vintr_update(struct mvgpu_vregs *vr)
{
	bool level = (intr_reg(vr, MVGPU_MASTER_IRQ) & MVGPU_MASTER_IRQ_CONTROL) &&
		     (intr_bank_pending(vr, MVGPU_IRQ_BANK_GT) ||
		      intr_bank_pending(vr, MVGPU_IRQ_BANK_PIPE_A));

	if (level == vr->irq_asserted)
		return;
	vr->irq_asserted = level;
	if (vr->ops->irq_level)
		vr->ops->irq_level(vr->priv, level);
}

/**
 * mvgpu_vintr_raise() - an interrupt event happened
 * @vr: register file
 * @bank: which bank
 * @bits: the event bits in that bank
 */
void mvgpu_vintr_raise(struct mvgpu_vregs *vr, enum mvgpu_irq_bank bank,
		       u32 bits)
{
	u32 *iir = mvgpu_vreg_slot(vr, banks[bank].iir);

	if (!iir)
		return;
	*iir |= bits & intr_reg(vr, banks[bank].ier);
	mvgpu_vintr_update(vr);
}

/**
 * mvgpu_vintr_clear() - pending events are dropped (an engine reset)
 * @vr: register file
 * @bank: which bank
 * @bits: the event bits in that bank
 */
void mvgpu_vintr_clear(struct mvgpu_vregs *vr, enum mvgpu_irq_bank bank,
		       u32 bits)
{
	u32 *iir = mvgpu_vreg_slot(vr, banks[bank].iir);

	if (!iir)
		return;
	*iir &= ~bits;
	mvgpu_vintr_update(vr);
}

/**
 * mvgpu_vintr_read_master() - MASTER_IRQ: enable bit and pending banks
 * @vr: register file
 * @d: the register
 * @offset: its BAR0 offset
 *
 * Return: the stored enable bit, with bit 0 (GT) and bit 16 (pipe A) set
 * while their bank has an unmasked pending event.
 */
u32 mvgpu_vintr_read_master(struct mvgpu_vregs *vr,
			    const struct mvgpu_vreg_desc *d, u32 offset)
{
	u32 val = *mvgpu_vreg_slot(vr, offset) & MVGPU_MASTER_IRQ_CONTROL;

	if (intr_bank_pending(vr, MVGPU_IRQ_BANK_GT))
		val |= MVGPU_MASTER_GT0_IRQ;
	if (intr_bank_pending(vr, MVGPU_IRQ_BANK_PIPE_A))
		val |= MVGPU_MASTER_DE_PIPE_A_IRQ;
	return val;
}

/**
 * mvgpu_vintr_write_master() - MASTER_IRQ: set or clear the enable
 * @vr: register file
 * @d: the register
 * @offset: its BAR0 offset
 * @val: value written
 */
void mvgpu_vintr_write_master(struct mvgpu_vregs *vr,
			      const struct mvgpu_vreg_desc *d, u32 offset, u32 val)
{
	mvgpu_vreg_write_plain(vr, d, offset, val);
	mvgpu_vintr_update(vr);
}

/**
 * mvgpu_vintr_write_iir() - IIR: write 1 to clear
 * @vr: register file
 * @d: the register
 * @offset: its BAR0 offset
 * @val: bits to clear
 */
void mvgpu_vintr_write_iir(struct mvgpu_vregs *vr,
			   const struct mvgpu_vreg_desc *d, u32 offset, u32 val)
{
	*mvgpu_vreg_slot(vr, offset) &= ~val;
	mvgpu_vintr_update(vr);
}

/**
 * mvgpu_vintr_write_ctl() - IMR or IER: store and recompute the output
 * @vr: register file
 * @d: the register
 * @offset: its BAR0 offset
 * @val: value written
 */
void mvgpu_vintr_write_ctl(struct mvgpu_vregs *vr,
			   const struct mvgpu_vreg_desc *d, u32 offset, u32 val)
{
	mvgpu_vreg_write_plain(vr, d, offset, val);
	mvgpu_vintr_update(vr);
}
