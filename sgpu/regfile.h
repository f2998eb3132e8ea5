/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Software GPU: which registers an engine's commands may name, kept apart
 * from the register file so that the command scanner's tests can check
 * its allow-list against exactly what the engine accepts.
 */
#ifndef _MVGPU_SGPU_REGFILE_H
#define _MVGPU_SGPU_REGFILE_H

#include <linux/errno.h>
#include <linux/types.h>

#include <mvgpu/mvgpu_regs.h>

/* An engine's registers: base + offset, or the offset alone. */
#define SGPU_REG_WINDOW		0x1000

/**
 * sgpu_reg_offset() - the offset of a register within an engine's window
 * @base: the engine's MMIO base
 * @reg: MMIO offset from the command, absolute or relative to @base
 * @off: the offset relative to @base
 *
 * Return: 0, or -EPERM for a register outside the engine's window.
 */
static inline int sgpu_reg_offset(u32 base, u32 reg, u32 *off)
{
	if (reg >= base && reg < base + SGPU_REG_WINDOW)
		*off = reg - base;
	else if (reg < SGPU_REG_WINDOW)
		*off = reg;
	else
		return -EPERM;
	return 0;
}

/* Is @off (relative to the engine) one of its general purpose registers? */
static inline bool sgpu_reg_is_gpr(u32 off)
{
	return off >= MVGPU_RING_GPR(0) &&
	       off < MVGPU_RING_GPR(MVGPU_RING_GPR_DWORDS);
}

/* May a command read (@write false) or write the register at @off? */
static inline bool sgpu_reg_allowed(u32 off, bool write)
{
	return sgpu_reg_is_gpr(off) ||
	       (!write && off == MVGPU_RING_TIMESTAMP);
}

#endif /* _MVGPU_SGPU_REGFILE_H */
