// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generic register behaviours: plain, masked, reset control, error
 * capture, GDRST, display plane, PV info and EDID.
 */
#include <linux/kernel.h>
#include <linux/unaligned.h>

#include <mvgpu/mvgpu_pci.h>

#include "vreg_handlers.h"

static u32 vreg_engine_base(unsigned int engine)
{
	return engine == MVGPU_ENGINE_RCS ? MVGPU_RCS_BASE : MVGPU_BCS_BASE;
}

/**
 * mvgpu_vreg_write_plain() - store the writable bits
 * @vr: register file
 * @d: the register
 * @offset: its BAR0 offset
 * @val: value written
 */
void mvgpu_vreg_write_plain(struct mvgpu_vregs *vr,
			    const struct mvgpu_vreg_desc *d, u32 offset, u32 val)
{
	u32 *v = mvgpu_vreg_slot(vr, offset);

	*v = (*v & ~d->wmask) | (val & d->wmask);
}

/**
 * mvgpu_vreg_write_masked() - masked register: bits 31:16 select bits 15:0
 * @vr: register file
 * @d: the register; @d->wmask limits which low bits may change
 * @offset: its BAR0 offset
 * @val: value written
 */
void mvgpu_vreg_write_masked(struct mvgpu_vregs *vr,
			     const struct mvgpu_vreg_desc *d, u32 offset, u32 val)
{
	u32 mask = (val >> 16) & d->wmask & 0xffff;
	u32 *v = mvgpu_vreg_slot(vr, offset);

	*v = (*v & ~mask) | (val & mask);
}

/**
 * mvgpu_vreg_write_reset_ctl() - RING_RESET_CTL: request, then ready
 * @vr: register file
 * @d: the register
 * @offset: its BAR0 offset
 * @val: masked value written
 *
 * A vGPU engine is always ready to reset: the emulation stops it at once.
 */
void mvgpu_vreg_write_reset_ctl(struct mvgpu_vregs *vr,
				const struct mvgpu_vreg_desc *d, u32 offset, u32 val)
{
	u32 *v = mvgpu_vreg_slot(vr, offset);

	mvgpu_vreg_write_masked(vr, d, offset, val);
	if (*v & MVGPU_RESET_CTL_REQUEST_RESET)
		*v |= MVGPU_RESET_CTL_READY_TO_RESET;
	else
		*v &= ~MVGPU_RESET_CTL_READY_TO_RESET;
}

/**
 * mvgpu_vreg_write_err_status() - RING_ERR_STATUS: release the capture
 * @vr: register file
 * @d: the register
 * @offset: its BAR0 offset
 * @val: ignored; any write clears the engine's error capture
 */
void mvgpu_vreg_write_err_status(struct mvgpu_vregs *vr,
				 const struct mvgpu_vreg_desc *d, u32 offset, u32 val)
{
	u32 base = vreg_engine_base(mvgpu_vreg_engine(offset)), off;

	for (off = MVGPU_RING_ERR_STATUS; off <= MVGPU_RING_ERR_FAULT_ADDR_HI;
	     off += 4) {
		u32 *v = mvgpu_vreg_slot(vr, base + off);

		if (v)
			*v = 0;
	}
}

/**
 * mvgpu_vreg_write_gdrst() - GDRST: reset engines or the device
 * @vr: register file
 * @d: the register
 * @offset: its BAR0 offset
 * @val: MVGPU_GDRST_* bits
 *
 * The reset completes before the write returns, so the register reads 0.
 */
void mvgpu_vreg_write_gdrst(struct mvgpu_vregs *vr,
			    const struct mvgpu_vreg_desc *d, u32 offset, u32 val)
{
	val &= d->wmask;
	if (val && vr->ops->gdrst)
		vr->ops->gdrst(vr->priv, val);
}

/**
 * mvgpu_vreg_write_plane() - a display register: store and tell display
 * @vr: register file
 * @d: the register
 * @offset: its BAR0 offset
 * @val: value written
 */
void mvgpu_vreg_write_plane(struct mvgpu_vregs *vr,
			    const struct mvgpu_vreg_desc *d, u32 offset, u32 val)
{
	mvgpu_vreg_write_plain(vr, d, offset, val);
	if (vr->ops->plane_update)
		vr->ops->plane_update(vr->priv);
}

/**
 * mvgpu_vreg_read_zero() - write-only register
 * @vr: register file
 * @d: the register
 * @offset: its BAR0 offset
 *
 * Return: 0.
 */
u32 mvgpu_vreg_read_zero(struct mvgpu_vregs *vr,
			 const struct mvgpu_vreg_desc *d, u32 offset)
{
	return 0;
}

/**
 * mvgpu_vreg_read_pvinfo() - a PV info field
 * @vr: register file
 * @d: the register; @d->arg is an enum mvgpu_pvinfo_field
 * @offset: its BAR0 offset
 *
 * Return: the field's value for this vGPU.
 */
u32 mvgpu_vreg_read_pvinfo(struct mvgpu_vregs *vr,
			   const struct mvgpu_vreg_desc *d, u32 offset)
{
	const struct mvgpu_vreg_info *i = &vr->info;

	switch (d->arg) {
	case MVGPU_PV_MAGIC_LO:
		return lower_32_bits(MVGPU_PVINFO_MAGIC);
	case MVGPU_PV_MAGIC_HI:
		return upper_32_bits(MVGPU_PVINFO_MAGIC);
	case MVGPU_PV_VERSION:
		return MVGPU_PVINFO_VERSION_MAJOR |
		       MVGPU_PVINFO_VERSION_MINOR << 16;
	case MVGPU_PV_VGPU_ID:
		return i->vgpu_id;
	case MVGPU_PV_APERTURE_BASE:
		return i->aperture_base;
	case MVGPU_PV_APERTURE_SIZE:
		return i->aperture_size;
	case MVGPU_PV_HIDDEN_BASE:
		return i->hidden_base;
	case MVGPU_PV_HIDDEN_SIZE:
		return i->hidden_size;
	case MVGPU_PV_MAX_WIDTH:
		return i->max_width;
	case MVGPU_PV_MAX_HEIGHT:
		return i->max_height;
	}
	return 0;
}

/**
 * mvgpu_vreg_read_edid() - a dword of the EDID window
 * @vr: register file
 * @d: the EDID window
 * @offset: BAR0 offset of the dword read
 *
 * Return: four EDID bytes, little endian.
 */
u32 mvgpu_vreg_read_edid(struct mvgpu_vregs *vr,
			 const struct mvgpu_vreg_desc *d, u32 offset)
{
	if (!vr->info.edid)
		return 0;
	return get_unaligned_le32(vr->info.edid + (offset - d->offset));
}

/**
 * mvgpu_vreg_read_edid_status() - EDID_STATUS: monitor and block count
 * @vr: register file
 * @d: the register
 * @offset: its BAR0 offset
 *
 * Return: connected, with as many blocks as the base block announces.
 */
u32 mvgpu_vreg_read_edid_status(struct mvgpu_vregs *vr,
				const struct mvgpu_vreg_desc *d, u32 offset)
{
	u32 blocks;

	if (!vr->info.edid)
		return 0;
	blocks = 1 + min_t(u32, vr->info.edid[126], 1);
	return MVGPU_EDID_STATUS_CONNECTED |
	       blocks << MVGPU_EDID_STATUS_BLOCKS_SHIFT;
}
