// SPDX-License-Identifier: GPL-2.0-only
/*
 * Software GPU: the registers an engine's commands may reach with
 * MI_LOAD_REGISTER_IMM/MEM and MI_STORE_REGISTER_MEM.
 *
 * An offset names a register of the executing engine either absolutely
 * (engine base + offset, as Gen8 drivers write it) or relative to the base
 * (below 0x1000).  Accepted: the general purpose registers
 * MVGPU_RING_GPR(0..31), read and write, and MVGPU_RING_TIMESTAMP, read
 * only.  Anything else, including another engine's registers, is refused
 * (-EPERM), which fails the command with MVGPU_ERR_REG_ACCESS.
 *
 * The GPRs are context state, as on Gen8: they live in the running
 * context (sgpu_hw_engine.ctx.gpr), are loaded from its image and saved
 * back into it with the rest of the context (sgpu/context.c), so a
 * context sees only the values it stored itself.  The engine keeps no
 * copy.  Only the engine's thread calls these, while it runs the
 * context, so they need no lock.
 */
#include <linux/errno.h>
#include <linux/ktime.h>

#include "regfile.h"
#include "sgpu_dev.h"

#define SGPU_TIMESTAMP_NS	80

/**
 * sgpu_regfile_read() - MI_STORE_REGISTER_MEM reads a register
 * @priv: the engine
 * @reg: MMIO offset from the command
 * @val: the value
 *
 * Return: 0, or -EPERM for a register the engine does not expose.
 */
int sgpu_regfile_read(void *priv, u32 reg, u32 *val)
{
	struct sgpu_hw_engine *e = priv;
	u32 off;

	if (sgpu_reg_offset(e->base, reg, &off) ||
	    !sgpu_reg_allowed(off, false))
		return -EPERM;
	if (sgpu_reg_is_gpr(off))
		*val = e->ctx.gpr[(off - MVGPU_RING_GPR(0)) / 4];
	else
		*val = (u32)div_u64(ktime_get_ns(), SGPU_TIMESTAMP_NS);
	return 0;
}

/**
 * sgpu_regfile_write() - MI_LOAD_REGISTER_IMM/MEM writes a register
 * @priv: the engine
 * @reg: MMIO offset from the command
 * @val: the value
 *
 * Return: 0, or -EPERM for a register that is not writable.
 */
int sgpu_regfile_write(void *priv, u32 reg, u32 val)
{
	struct sgpu_hw_engine *e = priv;
	u32 off;

	if (sgpu_reg_offset(e->base, reg, &off) || !sgpu_reg_allowed(off, true))
		return -EPERM;
	e->ctx.gpr[(off - MVGPU_RING_GPR(0)) / 4] = val;
	return 0;
}
