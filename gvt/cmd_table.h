/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The command table the scanner (cmd_parser.c) works from: one data-only
 * descriptor per command of Documentation/gpu-interface.rst, saying how
 * to recognise it, how long it may be, which dwords are graphics memory
 * operands (and how big an access each makes), which dwords are register
 * offsets, and which engines accept it.  Encodings come from
 * <mvgpu/mvgpu_cmd.h>; see Documentation/cmd-scanning.rst.
 */
#ifndef _MVGPU_CMD_TABLE_H
#define _MVGPU_CMD_TABLE_H

#include <linux/bits.h>
#include <linux/types.h>

#include <mvgpu/mvgpu_cmd.h>

/* Where an operand's address space comes from. */
enum mvgpu_cmd_sel {
	MVGPU_CMD_SEL_DEFAULT,	/* no select: the context's default space */
	MVGPU_CMD_SEL_GGTT_BIT,	/* select bit set: GGTT; clear: default */
	MVGPU_CMD_SEL_PPGTT_BIT,	/* select bit set: PPGTT; clear: GGTT */
};

/* How many bytes an operand touches. */
enum mvgpu_cmd_size {
	MVGPU_CMD_SIZE_FIXED,	/* @arg bytes */
	MVGPU_CMD_SIZE_TAIL,	/* the dwords from @arg to the end, 4 bytes each */
	MVGPU_CMD_SIZE_SURF,	/* a 2D surface: see struct mvgpu_cmd_geom */
	MVGPU_CMD_SIZE_BATCH,	/* a batch buffer: followed and shadowed */
};

/**
 * struct mvgpu_cmd_operand - one graphics memory operand of a command
 * @addr_dw: dword with address bits 31:0; bits 47:32 are in the next one
 *	(bits 31:16 of that are ignored); 0 ends the operand list
 * @addr_mask: bits of the low dword that are address (others are flags)
 * @sel: how the address space is chosen
 * @sel_dw: dword holding the select bit
 * @sel_bit: the select bit
 * @cond_dw: the operand is only used if dword @cond_dw ANDed with
 *	@cond_mask is not 0 (post-sync operations); @cond_mask 0: always
 * @cond_mask: see @cond_dw
 * @size: how the access size is computed
 * @arg: %MVGPU_CMD_SIZE_FIXED: bytes; %MVGPU_CMD_SIZE_TAIL: first data
 *	dword; %MVGPU_CMD_SIZE_SURF: dword holding the pitch
 * @pitch_mask: %MVGPU_CMD_SIZE_SURF: bits of dword @arg that are the pitch
 * @origin_dw: %MVGPU_CMD_SIZE_SURF: dword with the first pixel's
 *	y << 16 | x; 0: pixel (0, 0)
 */
struct mvgpu_cmd_operand {
	u8 addr_dw;
	u8 sel;
	u8 sel_dw;
	u8 cond_dw;
	u8 size;
	u8 arg;
	u8 origin_dw;
	u32 addr_mask;
	u32 sel_bit;
	u32 cond_mask;
	u32 pitch_mask;
};

/**
 * struct mvgpu_cmd_geom - rectangle and pixel size of a 2D command
 * @rect_dw: dword with y1 << 16 | x1, followed by y2 << 16 | x2 (x2, y2
 *	exclusive; x2 <= x1 or y2 <= y1 is empty); 0 if @wh_dw is used
 * @wh_dw: dword with height << 16 | width
 * @cpp_dw: dword with the depth field; 0: the depth is 0
 * @cpp_shift: position of the depth field
 * @cpp_mask: its width, after shifting
 * @cpp: bytes per pixel of each depth value; 0 marks a reserved depth
 */
struct mvgpu_cmd_geom {
	u8 rect_dw;
	u8 wh_dw;
	u8 cpp_dw;
	u8 cpp_shift;
	u8 cpp_mask;
	u8 cpp[8];
};

/* Register access by a command. */
#define MVGPU_CMD_REG_READ	BIT(0)	/* the command reads it (SRM) */
#define MVGPU_CMD_REG_WRITE	BIT(1)	/* the command writes it (LRI, LRM) */

/**
 * struct mvgpu_cmd_reg - which dwords of a command are register offsets
 * @dw: first such dword; 0: none
 * @stride: distance to the next one, up to the end of the command; 0: one
 * @access: %MVGPU_CMD_REG_READ or %MVGPU_CMD_REG_WRITE
 */
struct mvgpu_cmd_reg {
	u8 dw;
	u8 stride;
	u8 access;
};

/* Descriptor flags. */
#define MVGPU_CMD_F_BB_START	BIT(0)	/* MI_BATCH_BUFFER_START */
#define MVGPU_CMD_F_BB_END	BIT(1)	/* MI_BATCH_BUFFER_END */
#define MVGPU_CMD_F_NO_RING	BIT(2)	/* rejected in the ring */

#define MVGPU_CMD_MAX_OPERANDS	2

/**
 * struct mvgpu_cmd_desc - one command
 * @name: for messages
 * @match_mask: header bits that identify the command (client, opcode)
 * @match: their value
 * @len_mask: header bits holding the length; 0 for one-dword commands
 * @len_bias: total dwords = (header & @len_mask) + @len_bias
 * @len_min: shortest allowed length, dwords
 * @len_max: longest allowed length, dwords
 * @len_step: allowed lengths are @len_min + k * @len_step; a power of 2
 * @engines: BIT(MVGPU_ENGINE_*) of the engines that accept it
 * @flags: MVGPU_CMD_F_*
 * @mbz_dw: dword with bits that must be 0 (tiling we do not support)
 * @mbz_mask: those bits; 0: none
 * @reg: register offsets in the command
 * @geom: rectangle for %MVGPU_CMD_SIZE_SURF operands
 * @op: graphics memory operands, terminated by @addr_dw 0
 */
struct mvgpu_cmd_desc {
	const char *name;
	u32 match_mask;
	u32 match;
	u8 len_mask;
	u8 len_bias;
	u16 len_min;
	u16 len_max;
	u8 len_step;
	u8 engines;
	u8 flags;
	u8 mbz_dw;
	u32 mbz_mask;
	struct mvgpu_cmd_reg reg;
	struct mvgpu_cmd_geom geom;
	struct mvgpu_cmd_operand op[MVGPU_CMD_MAX_OPERANDS];
};

/**
 * struct mvgpu_cmd_reg_range - registers a command may access
 * @offset: first register, relative to the engine's base
 * @count: number of dword registers
 * @access: MVGPU_CMD_REG_* allowed
 */
struct mvgpu_cmd_reg_range {
	u32 offset;
	u32 count;
	u32 access;
};

/* Positions of the commands in mvgpu_cmd_table. */
enum mvgpu_cmd_id {
	MVGPU_CMD_ID_NOOP,
	MVGPU_CMD_ID_USER_INTERRUPT,
	MVGPU_CMD_ID_ARB_CHECK,
	MVGPU_CMD_ID_BB_END,
	MVGPU_CMD_ID_SEMAPHORE_WAIT,
	MVGPU_CMD_ID_STORE_DATA_IMM,
	MVGPU_CMD_ID_LRI,
	MVGPU_CMD_ID_SRM,
	MVGPU_CMD_ID_FLUSH_DW,
	MVGPU_CMD_ID_LRM,
	MVGPU_CMD_ID_BB_START,
	MVGPU_CMD_ID_PIPE_CONTROL,
	MVGPU_CMD_ID_BLEND,
	MVGPU_CMD_ID_XY_COLOR_BLT,
	MVGPU_CMD_ID_XY_SRC_COPY_BLT,
	MVGPU_CMD_ID_XY_FAST_COPY_BLT,
	MVGPU_CMD_ID_COUNT
};

/*
 * mvgpu_cmd_index is keyed by header bits 31:22, client and opcode (see
 * mvgpu_cmd_key()); a descriptor's @match_mask covers no bit below 16,
 * and at most one descriptor can match the headers of a key.
 */
#define MVGPU_CMD_KEY_SHIFT	22
#define MVGPU_CMD_KEYS		BIT(32 - MVGPU_CMD_KEY_SHIFT)

extern const struct mvgpu_cmd_desc mvgpu_cmd_table[MVGPU_CMD_ID_COUNT];
extern const u8 mvgpu_cmd_index[MVGPU_CMD_KEYS];
extern const unsigned int mvgpu_cmd_table_len;
extern const struct mvgpu_cmd_reg_range mvgpu_cmd_reg_allow[];
extern const unsigned int mvgpu_cmd_reg_allow_len;
extern const u32 mvgpu_cmd_engine_base[];

/*
 * The index key of a header: bits 31:22, but bit 22 cleared for the MI
 * client, whose opcodes are bits 28:23 (bit 22 is a flag there).
 */
static inline unsigned int mvgpu_cmd_key(u32 header)
{
	unsigned int key = header >> MVGPU_CMD_KEY_SHIFT;

	return header & MVGPU_CMD_CLIENT_MASK ? key : key & ~1U;
}

/* Register names below this are relative to the executing engine's base. */
#define MVGPU_CMD_REG_WINDOW	0x1000

#endif /* _MVGPU_CMD_TABLE_H */
