// SPDX-License-Identifier: GPL-2.0-only
/*
 * The register interface of a vGPU, as data: every register of
 * Documentation/gpu-interface.rst with its reset value, writable bits and
 * behaviour.  Each table is sorted by offset (a unit test checks).
 */
#include <linux/build_bug.h>
#include <linux/kernel.h>

#include <mvgpu/mvgpu_pci.h>

#include "vreg_handlers.h"

#define RO(off, rst)		{ .offset = (off), .reset = (rst) }
#define RW(off, rst, mask, fn)	{ .offset = (off), .reset = (rst),	\
				  .wmask = (mask), .write = (fn) }
#define FN(off, arg_, rd)	{ .offset = (off), .arg = (arg_), .read = (rd) }
#define PV(reg)			(MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_##reg##_REG)

/* Each engine's registers, at offsets from MVGPU_RCS_BASE/MVGPU_BCS_BASE. */
const struct mvgpu_vreg_desc mvgpu_vreg_engine_table[] = {
	RO(MVGPU_RING_TAIL, 0),
	RO(MVGPU_RING_HEAD, 0),
	RO(MVGPU_RING_START, 0),
	RO(MVGPU_RING_CTL, 0),
	RO(MVGPU_RING_ACTHD_UDW, 0),
	RO(MVGPU_RING_ACTHD, 0),
	RW(MVGPU_RING_HWS_PGA, 0, MVGPU_HWS_PGA_MASK, mvgpu_vreg_write_plain),
	RW(MVGPU_RING_RESET_CTL, 0, MVGPU_RESET_CTL_REQUEST_RESET,
	   mvgpu_vreg_write_reset_ctl),
	RW(MVGPU_RING_ERR_STATUS, 0, 0, mvgpu_vreg_write_err_status),
	RO(MVGPU_RING_ERR_CTX_ID, 0),
	RO(MVGPU_RING_ERR_CMD_ADDR_LO, 0),
	RO(MVGPU_RING_ERR_CMD_ADDR_HI, 0),
	RO(MVGPU_RING_ERR_CMD_HEADER, 0),
	RO(MVGPU_RING_ERR_FAULT_ADDR_LO, 0),
	RO(MVGPU_RING_ERR_FAULT_ADDR_HI, 0),
	{ .offset = MVGPU_RING_ELSP, .read = mvgpu_vreg_read_zero,
	  .write = mvgpu_execlist_write_elsp },
	RO(MVGPU_RING_EXECLIST_STATUS_LO, 0),
	RO(MVGPU_RING_EXECLIST_STATUS_HI, 0),
	RW(MVGPU_RING_MODE, 0, MVGPU_RING_MODE_RUN_LIST_ENABLE,
	   mvgpu_vreg_write_masked),
	RO(MVGPU_RING_CSB(0), 0),
	RO(MVGPU_RING_CSB_CTX_ID(0), 0),
	RO(MVGPU_RING_CSB(1), 0),
	RO(MVGPU_RING_CSB_CTX_ID(1), 0),
	RO(MVGPU_RING_CSB(2), 0),
	RO(MVGPU_RING_CSB_CTX_ID(2), 0),
	RO(MVGPU_RING_CSB(3), 0),
	RO(MVGPU_RING_CSB_CTX_ID(3), 0),
	RO(MVGPU_RING_CSB(4), 0),
	RO(MVGPU_RING_CSB_CTX_ID(4), 0),
	RO(MVGPU_RING_CSB(5), 0),
	RO(MVGPU_RING_CSB_CTX_ID(5), 0),
	RW(MVGPU_RING_CSB_PTR, MVGPU_CSB_PTR_RESET, MVGPU_CSB_READ_PTR_MASK,
	   mvgpu_execlist_write_csb_ptr),
	{ .offset = MVGPU_RING_EXECLIST_CONTROL, .read = mvgpu_vreg_read_zero,
	  .write = mvgpu_execlist_write_control },
};

const unsigned int mvgpu_vreg_engine_table_size =
	ARRAY_SIZE(mvgpu_vreg_engine_table);
/* vreg.c's index of the engine window holds an entry's index + 1 in a u8 */
static_assert(ARRAY_SIZE(mvgpu_vreg_engine_table) < U8_MAX);

/* Everything else, at BAR0 offsets. */
const struct mvgpu_vreg_desc mvgpu_vreg_table[] = {
	RW(MVGPU_GDRST, 0, MVGPU_GDRST_FULL | MVGPU_GDRST_RENDER |
	   MVGPU_GDRST_BLT, mvgpu_vreg_write_gdrst),
	{ .offset = MVGPU_MASTER_IRQ, .wmask = MVGPU_MASTER_IRQ_CONTROL,
	  .read = mvgpu_vintr_read_master,
	  .write = mvgpu_vintr_write_master },
	RO(MVGPU_GT_ISR(0), 0),
	RW(MVGPU_GT_IMR(0), 0xffffffff, 0xffffffff, mvgpu_vintr_write_ctl),
	RW(MVGPU_GT_IIR(0), 0, 0xffffffff, mvgpu_vintr_write_iir),
	RW(MVGPU_GT_IER(0), 0, 0xffffffff, mvgpu_vintr_write_ctl),
	RO(MVGPU_DE_PIPE_ISR(0), 0),
	RW(MVGPU_DE_PIPE_IMR(0), 0xffffffff, 0xffffffff,
	   mvgpu_vintr_write_ctl),
	RW(MVGPU_DE_PIPE_IIR(0), 0, 0xffffffff, mvgpu_vintr_write_iir),
	RW(MVGPU_DE_PIPE_IER(0), 0, 0xffffffff, mvgpu_vintr_write_ctl),
	RW(MVGPU_PIPESRC, 0, 0x1fff1fff, mvgpu_vreg_write_plane),
	RO(MVGPU_PIPE_FRMCOUNT, 0),
	RW(MVGPU_DSPCNTR, 0, MVGPU_DSPCNTR_ENABLE | MVGPU_DSPCNTR_FORMAT_MASK,
	   mvgpu_vreg_write_plane),
	RW(MVGPU_DSPSTRIDE, 0, 0x0003ffc0, mvgpu_vreg_write_plane),
	RW(MVGPU_DSPSURF, 0, 0xfffff000, mvgpu_vreg_write_plane),
	RO(MVGPU_DSPSURFLIVE, 0),
	FN(PV(MAGIC), MVGPU_PV_MAGIC_LO, mvgpu_vreg_read_pvinfo),
	FN(PV(MAGIC) + 4, MVGPU_PV_MAGIC_HI, mvgpu_vreg_read_pvinfo),
	FN(PV(VERSION), MVGPU_PV_VERSION, mvgpu_vreg_read_pvinfo),
	FN(PV(VGPU_ID), MVGPU_PV_VGPU_ID, mvgpu_vreg_read_pvinfo),
	RO(PV(CAPS), MVGPU_PVINFO_CAP_SUBMIT_QUEUE),
	FN(PV(APERTURE_BASE), MVGPU_PV_APERTURE_BASE, mvgpu_vreg_read_pvinfo),
	FN(PV(APERTURE_SIZE), MVGPU_PV_APERTURE_SIZE, mvgpu_vreg_read_pvinfo),
	FN(PV(HIDDEN_BASE), MVGPU_PV_HIDDEN_BASE, mvgpu_vreg_read_pvinfo),
	FN(PV(HIDDEN_SIZE), MVGPU_PV_HIDDEN_SIZE, mvgpu_vreg_read_pvinfo),
	RW(PV(DISPLAY_READY), 0, 1, mvgpu_vreg_write_plain),
	FN(PV(MAX_WIDTH), MVGPU_PV_MAX_WIDTH, mvgpu_vreg_read_pvinfo),
	FN(PV(MAX_HEIGHT), MVGPU_PV_MAX_HEIGHT, mvgpu_vreg_read_pvinfo),
	RO(PV(FAILSAFE), 0),	/* set by workload.c, cleared by resets */
	{ .offset = MVGPU_EDID_BASE, .count = MVGPU_EDID_SIZE / 4,
	  .read = mvgpu_vreg_read_edid },
	FN(MVGPU_EDID_STATUS, 0, mvgpu_vreg_read_edid_status),
};

const unsigned int mvgpu_vreg_table_size = ARRAY_SIZE(mvgpu_vreg_table);
