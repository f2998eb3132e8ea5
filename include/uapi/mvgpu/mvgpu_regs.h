/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * mvgpu register interface: engines, execlists, context descriptor and
 * context image, interrupts, error reporting, display, EDID and reset.
 *
 * Modelled on Intel Gen8 (Broadwell); where a Gen8 register exists for a
 * concept its offset and bit layout are used.  Everything here is part of
 * the contract described in Documentation/gpu-interface.rst.  All
 * registers are 32 bits wide, little endian, in BAR0.
 */
#ifndef _UAPI_MVGPU_REGS_H
#define _UAPI_MVGPU_REGS_H

#include <linux/types.h>

/* ---- Engines ---------------------------------------------------------- */

#define MVGPU_ENGINE_RCS		0	/* render */
#define MVGPU_ENGINE_BCS		1	/* copy / blitter */
#define MVGPU_NUM_ENGINES		2

#define MVGPU_RCS_BASE			0x02000
#define MVGPU_BCS_BASE			0x22000

/* Offsets relative to an engine's base. */
#define MVGPU_RING_TAIL			0x030
#define MVGPU_RING_HEAD			0x034
#define MVGPU_RING_START		0x038
#define MVGPU_RING_CTL			0x03c
#define MVGPU_RING_ACTHD		0x074	/* address of the current command, lo */
#define MVGPU_RING_HWS_PGA		0x080	/* status page GGTT address, 0 = off */
#define MVGPU_RING_ACTHD_UDW		0x05c	/* ... hi */
#define MVGPU_RING_RESET_CTL		0x0d0	/* masked */
#define MVGPU_RING_ELSP			0x230	/* execlist submit port, write-only */
#define MVGPU_RING_EXECLIST_STATUS_LO	0x234
#define MVGPU_RING_EXECLIST_STATUS_HI	0x238	/* context ID of the active element */
#define MVGPU_RING_MODE			0x29c	/* masked */
#define MVGPU_RING_CSB(n)		(0x370 + 8 * (n))	/* status dword */
#define MVGPU_RING_CSB_CTX_ID(n)	(0x374 + 8 * (n))	/* context ID dword */
#define MVGPU_RING_CSB_PTR		0x3a0	/* masked */
#define MVGPU_RING_EXECLIST_CONTROL	0x550	/* write-only */
#define MVGPU_EXECLIST_CONTROL_LOAD	(1U << 0)	/* submit the queue */
#define MVGPU_CSB_ENTRIES		6

/*
 * Hardware status page (Gen8 HWS): a 4 KiB page of graphics memory at
 * RING_HWS_PGA into which the engine also writes every CSB entry, same
 * layout as the CSB registers, then the CSB write pointer.
 */
#define MVGPU_HWS_PGA_MASK		0xfffff000U
#define MVGPU_HWS_CSB(n)		(0x40 + 8 * (n))	/* status dword */
#define MVGPU_HWS_CSB_CTX_ID(n)		(0x44 + 8 * (n))	/* context ID dword */
#define MVGPU_HWS_CSB_WRITE_PTR		0x7c	/* write pointer, 0..5 */
/*
 * The submit queue: element 0's and element 1's context descriptors (64
 * bits each, little-endian), written by the driver and submitted by
 * EXECLIST_CONTROL_LOAD, as the four ELSP writes would.
 */
#define MVGPU_HWS_SQ(n)			(0x80 + 8 * (n))

/* General purpose registers (Gen8 CS_GPR): 16 x 64 bits, as 32 dwords. */
#define MVGPU_RING_GPR(n)		(0x600 + 4 * (n))
#define MVGPU_RING_GPR_DWORDS		32
#define MVGPU_RING_TIMESTAMP		0x358	/* RO: engine time, 1 tick = 80 ns */

/* Per-engine error capture (mvgpu's own). */
#define MVGPU_RING_ERR_STATUS		0x1c0
#define MVGPU_RING_ERR_CTX_ID		0x1c4
#define MVGPU_RING_ERR_CMD_ADDR_LO	0x1c8
#define MVGPU_RING_ERR_CMD_ADDR_HI	0x1cc
#define MVGPU_RING_ERR_CMD_HEADER	0x1d0
#define MVGPU_RING_ERR_FAULT_ADDR_LO	0x1d4
#define MVGPU_RING_ERR_FAULT_ADDR_HI	0x1d8

/* Masked registers: bits 31:16 select which of bits 15:0 a write changes. */
#define MVGPU_MASKED_BIT_ENABLE(b)	((__u32)(b) * 0x10001U)
#define MVGPU_MASKED_BIT_DISABLE(b)	((b) << 16)
#define MVGPU_MASKED_FIELD(mask, val)	(((mask) << 16) | (val))

/* RING_CTL (Gen8): valid bit, ring length in pages minus one. */
#define MVGPU_RING_CTL_VALID		(1U << 0)
#define MVGPU_RING_CTL_SIZE_SHIFT	12
#define MVGPU_RING_CTL_SIZE_MASK	0x001ff000U
#define MVGPU_RING_CTL_SIZE(bytes)	((((bytes) >> 12) - 1) << 12)
#define MVGPU_RING_MAX_SIZE		(512U * 4096U)
/* Head and tail are byte offsets into the ring, dword aligned. */
#define MVGPU_RING_ADDR_MASK		0x001ffffcU

/* RING_MODE (Gen8 RING_MODE_GEN7). */
#define MVGPU_RING_MODE_RUN_LIST_ENABLE	(1U << 15)

/* RING_RESET_CTL (Gen8). */
#define MVGPU_RESET_CTL_REQUEST_RESET	(1U << 0)
#define MVGPU_RESET_CTL_READY_TO_RESET	(1U << 1)

/* EXECLIST_STATUS low dword (Gen8). */
#define MVGPU_EXECLIST_CUR_POINTER	(1U << 0)
#define MVGPU_EXECLIST_WRITE_POINTER	(1U << 1)
#define MVGPU_EXECLIST_QUEUE_FULL	(1U << 2)
#define MVGPU_EXECLIST_1_VALID		(1U << 3)
#define MVGPU_EXECLIST_0_VALID		(1U << 4)
#define MVGPU_EXECLIST_SWITCH_REASON_SHIFT 5	/* 9 bits, CSB status bits 8:0 */
#define MVGPU_EXECLIST_SWITCH_REASON_MASK (0x1ffU << 5)
#define MVGPU_EXECLIST_ACTIVE_ELM_SHIFT	14	/* 2 bits */
#define MVGPU_EXECLIST_ARB_ENABLE	(1U << 16)
#define MVGPU_EXECLIST_1_ACTIVE		(1U << 17)
#define MVGPU_EXECLIST_0_ACTIVE		(1U << 18)

/* Context status buffer entry, status dword (Gen8). */
#define MVGPU_CSB_IDLE_TO_ACTIVE	(1U << 0)
#define MVGPU_CSB_PREEMPTED		(1U << 1)
#define MVGPU_CSB_ELEMENT_SWITCH	(1U << 2)
#define MVGPU_CSB_ACTIVE_TO_IDLE	(1U << 3)
#define MVGPU_CSB_COMPLETE		(1U << 4)
#define MVGPU_CSB_WAIT_ON_SEMAPHORE	(1U << 7)
#define MVGPU_CSB_LITE_RESTORE		(1U << 15)
#define MVGPU_CSB_ERROR			(1U << 31)	/* mvgpu: context stopped on an error */

/* CSB pointer register (Gen8): write pointer 2:0 (GPU), read pointer 10:8. */
#define MVGPU_CSB_WRITE_PTR_MASK	0x7U
#define MVGPU_CSB_READ_PTR_SHIFT	8
#define MVGPU_CSB_READ_PTR_MASK		(0x7U << 8)
#define MVGPU_CSB_PTR_RESET		0x0505U	/* both pointers at entry 5 */

/* ---- Context descriptor (written to the ELSP) -------------------------- */

#define MVGPU_CTX_DESC_VALID		(1ULL << 0)
#define MVGPU_CTX_DESC_FORCE_RESTORE	(1ULL << 2)	/* accepted, no effect */
#define MVGPU_CTX_DESC_MODE_SHIFT	3
#define MVGPU_CTX_DESC_MODE_MASK	(3ULL << 3)
#define MVGPU_CTX_MODE_LEGACY_32B	1ULL	/* GGTT only, no PPGTT */
#define MVGPU_CTX_MODE_LEGACY_64B	3ULL	/* 4-level 48-bit PPGTT */
#define MVGPU_CTX_DESC_PRIVILEGE	(1ULL << 8)	/* accepted, no effect */
#define MVGPU_CTX_DESC_LRCA_MASK	0x00000000fffff000ULL
#define MVGPU_CTX_DESC_ID_SHIFT		32
#define MVGPU_CTX_DESC(lrca, mode, id)					\
	(((__u64)(lrca) & MVGPU_CTX_DESC_LRCA_MASK) |			\
	 ((__u64)(mode) << MVGPU_CTX_DESC_MODE_SHIFT) |			\
	 ((__u64)(id) << MVGPU_CTX_DESC_ID_SHIFT) | MVGPU_CTX_DESC_VALID)

/* ---- Context image: MVGPU_CTX_DWORDS little-endian dwords at the LRCA --- */

#define MVGPU_CTX_RING_HEAD		0	/* GPU-updated */
#define MVGPU_CTX_RING_TAIL		1
#define MVGPU_CTX_RING_START		2	/* GGTT address, 4 KiB aligned */
#define MVGPU_CTX_RING_CTL		3	/* MVGPU_RING_CTL format */
#define MVGPU_CTX_PML4_LO		4	/* physical address of the PML4 */
#define MVGPU_CTX_PML4_HI		5
#define MVGPU_CTX_BB_ADDR_LO		6	/* GPU-updated: first-level batch */
#define MVGPU_CTX_BB_ADDR_HI		7
#define MVGPU_CTX_BB_STATE		8
#define MVGPU_CTX_SBB_ADDR_LO		9	/* GPU-updated: second-level batch */
#define MVGPU_CTX_SBB_ADDR_HI		10
#define MVGPU_CTX_SBB_STATE		11
#define MVGPU_CTX_BB_DWORDS		12	/* GPU-updated: runaway counter */
#define MVGPU_CTX_ERROR			13	/* GPU-updated: last error code */
#define MVGPU_CTX_BLT_ROWS		14	/* GPU-updated: rows done of a split */
#define MVGPU_CTX_BLT_ADDR		15	/* GPU-updated: ... and where it is */
#define MVGPU_CTX_GPR(n)		(16 + (n))	/* GPU-updated: RING_GPR(n) */
#define MVGPU_CTX_DWORDS		48	/* 192 bytes: within one page */

/* BB_STATE / SBB_STATE. */
#define MVGPU_BB_STATE_ACTIVE		(1U << 0)
#define MVGPU_BB_STATE_PPGTT		(1U << 5)	/* as Gen8 BB_ADDR_SPACE */

/* ---- PPGTT (Gen8 4-level, 48-bit) --------------------------------------- */

#define MVGPU_PPGTT_ENTRIES		512
#define MVGPU_PPGTT_PRESENT		(1ULL << 0)
#define MVGPU_PPGTT_PS			(1ULL << 7)	/* huge page: unsupported */
#define MVGPU_PPGTT_ADDR_MASK		0x0000fffffffff000ULL
#define MVGPU_PPGTT_VA_BITS		48

/* ---- Interrupts (Gen8) -------------------------------------------------- */

#define MVGPU_MASTER_IRQ		0x44200
#define MVGPU_MASTER_IRQ_CONTROL	(1U << 31)	/* enable, R/W */
#define MVGPU_MASTER_GT0_IRQ		(1U << 0)	/* RCS or BCS pending */
#define MVGPU_MASTER_DE_PIPE_A_IRQ	(1U << 16)

#define MVGPU_GT_ISR(n)			(0x44300 + 0x10 * (n))
#define MVGPU_GT_IMR(n)			(0x44304 + 0x10 * (n))
#define MVGPU_GT_IIR(n)			(0x44308 + 0x10 * (n))
#define MVGPU_GT_IER(n)			(0x4430c + 0x10 * (n))
#define MVGPU_RCS_IRQ_SHIFT		0	/* in GT bank 0 */
#define MVGPU_BCS_IRQ_SHIFT		16	/* in GT bank 0 */
#define MVGPU_GT_USER_INTERRUPT		(1U << 0)
#define MVGPU_GT_CS_ERROR_INTERRUPT	(1U << 3)
#define MVGPU_GT_CONTEXT_SWITCH_INTERRUPT (1U << 8)
#define MVGPU_GT_IDLE_INTERRUPT		(1U << 9)	/* mvgpu: CSB entry with ACTIVE_TO_IDLE */

#define MVGPU_DE_PIPE_ISR(p)		(0x44400 + 0x10 * (p))
#define MVGPU_DE_PIPE_IMR(p)		(0x44404 + 0x10 * (p))
#define MVGPU_DE_PIPE_IIR(p)		(0x44408 + 0x10 * (p))
#define MVGPU_DE_PIPE_IER(p)		(0x4440c + 0x10 * (p))
#define MVGPU_DE_PIPE_VBLANK		(1U << 0)

/* ---- Errors ------------------------------------------------------------- */

/* RING_ERR_STATUS layout; writing any value clears the capture. */
#define MVGPU_ERR_STATUS_VALID		(1U << 31)
#define MVGPU_ERR_STATUS_CODE_MASK	0xffU
#define MVGPU_ERR_STATUS_SPACE_SHIFT	8	/* enum mvgpu_cmd_space */
#define MVGPU_ERR_STATUS_SPACE_MASK	(3U << 8)
#define MVGPU_ERR_STATUS_LEVEL_SHIFT	12	/* walk level, see the doc */
#define MVGPU_ERR_STATUS_LEVEL_MASK	(7U << 12)

/* Where the failing command was fetched from. */
enum mvgpu_cmd_space {
	MVGPU_SPACE_RING = 0,	/* address = byte offset in the ring */
	MVGPU_SPACE_GGTT = 1,	/* address = GGTT address */
	MVGPU_SPACE_PPGTT = 2,	/* address = PPGTT address */
};

enum mvgpu_err {
	MVGPU_ERR_NONE = 0,
	MVGPU_ERR_INVALID_CMD = 1,	/* unknown client/opcode */
	MVGPU_ERR_CMD_LENGTH = 2,	/* length field not allowed */
	MVGPU_ERR_CMD_ENGINE = 3,	/* command not accepted by this engine */
	MVGPU_ERR_CMD_PARAM = 4,	/* reserved/unsupported field value */
	MVGPU_ERR_CMD_TRUNCATED = 5,	/* command runs past the ring tail */
	MVGPU_ERR_ADDR_ALIGN = 6,	/* misaligned address or pitch */
	MVGPU_ERR_GGTT_FAULT = 7,	/* invalid GGTT PTE or beyond the GGTT */
	MVGPU_ERR_PPGTT_FAULT = 8,	/* non-present PPGTT entry or huge page */
	MVGPU_ERR_PAGE_FAULT = 9,	/* physical page not accessible */
	MVGPU_ERR_NO_PPGTT = 10,	/* PPGTT access in a LEGACY_32B context */
	MVGPU_ERR_BB_NESTING = 11,	/* batch nesting deeper than 2 */
	MVGPU_ERR_BB_RUNAWAY = 12,	/* batch chain longer than the limit */
	MVGPU_ERR_BB_END_IN_RING = 13,	/* MI_BATCH_BUFFER_END in the ring */
	MVGPU_ERR_BAD_CONTEXT = 14,	/* invalid descriptor or image */
	MVGPU_ERR_REG_ACCESS = 15,	/* LRI/LRM/SRM register refused */
	MVGPU_ERR_HANG = 16,		/* stopped by the watchdog */
	MVGPU_ERR_RESET = 17,		/* dropped by the host's reset of the vGPU */
};

/* ---- Display: one pipe, one primary plane (Gen8 offsets) --------------- */

#define MVGPU_PIPESRC			0x6001c	/* (width-1) << 16 | (height-1) */
#define MVGPU_PIPE_FRMCOUNT		0x70040	/* vblank counter, RO */
#define MVGPU_DSPCNTR			0x70180
#define MVGPU_DSPSTRIDE			0x70188	/* bytes, multiple of 64 */
#define MVGPU_DSPSURF			0x7019c	/* GGTT address, 4 KiB aligned; latches */
#define MVGPU_DSPSURFLIVE		0x701ac	/* RO: address being scanned out */

#define MVGPU_DSPCNTR_ENABLE		(1U << 31)
#define MVGPU_DSPCNTR_FORMAT_SHIFT	26
#define MVGPU_DSPCNTR_FORMAT_MASK	(0xfU << 26)
#define MVGPU_DSPCNTR_FORMAT_XRGB8888	(0x6U << 26)	/* Gen8 BGRX888 */
#define MVGPU_DSPCNTR_FORMAT_ARGB8888	(0x7U << 26)	/* mvgpu */

/* EDID window (mvgpu): 256 read-only bytes, read as dwords. */
#define MVGPU_EDID_BASE			0x79000
#define MVGPU_EDID_SIZE			256
#define MVGPU_EDID_STATUS		0x79100
#define MVGPU_EDID_STATUS_CONNECTED	(1U << 0)
#define MVGPU_EDID_STATUS_BLOCKS_SHIFT	8	/* valid 128-byte blocks: 1 or 2 */
#define MVGPU_EDID_STATUS_BLOCKS_MASK	(3U << 8)

/* ---- Reset (Gen8 GDRST) ------------------------------------------------- */

#define MVGPU_GDRST			0x941c
#define MVGPU_GDRST_FULL		(1U << 0)
#define MVGPU_GDRST_RENDER		(1U << 1)
#define MVGPU_GDRST_BLT			(1U << 3)

#endif /* _UAPI_MVGPU_REGS_H */
