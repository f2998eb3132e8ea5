/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * mvgpu command set: Gen8 opcodes and lengths, plus one command of
 * mvgpu's own (MVGPU_BLEND).  See Documentation/gpu-interface.rst for the
 * semantics, which engine accepts which command and the error codes.
 *
 * A command is a header dword followed by (length field + 2) - 1 dwords;
 * MI_NOOP, MI_USER_INTERRUPT, MI_ARB_CHECK and MI_BATCH_BUFFER_END are one
 * dword.  Addresses are 48 bits: low dword then bits 47:32 in the next.
 */
#ifndef _UAPI_MVGPU_CMD_H
#define _UAPI_MVGPU_CMD_H

#include <linux/types.h>

/* Header fields. */
#define MVGPU_CMD_CLIENT_SHIFT		29
#define MVGPU_CMD_CLIENT_MASK		(7U << 29)
#define MVGPU_CLIENT_MI			0
#define MVGPU_CLIENT_2D			2
#define MVGPU_CLIENT_GFXPIPE		3
#define MVGPU_CMD_LEN_MASK		0xffU	/* total dwords - 2 */
#define MVGPU_CMD_LEN(dwords)		((dwords) - 2)

/* MI client: opcode in bits 28:23. */
#define MVGPU_MI_OPCODE(hdr)		(((hdr) >> 23) & 0x3f)
#define MVGPU_MI_INSTR(op, flags)	(((__u32)(op) << 23) | (flags))

#define MVGPU_MI_NOOP			MVGPU_MI_INSTR(0x00, 0)
#define MVGPU_MI_USER_INTERRUPT		MVGPU_MI_INSTR(0x02, 0)
#define MVGPU_MI_ARB_CHECK		MVGPU_MI_INSTR(0x05, 0)
#define MVGPU_MI_BATCH_BUFFER_END	MVGPU_MI_INSTR(0x0a, 0)
#define MVGPU_MI_SEMAPHORE_WAIT		MVGPU_MI_INSTR(0x1c, 2)		/* 4 dw */
#define MVGPU_MI_STORE_DATA_IMM		MVGPU_MI_INSTR(0x20, 2)		/* 4 dw */
#define MVGPU_MI_STORE_DATA_IMM_QW	MVGPU_MI_INSTR(0x20, 3)		/* 5 dw */
#define MVGPU_MI_LOAD_REGISTER_IMM(n)	MVGPU_MI_INSTR(0x22, 2 * (n) - 1)
#define MVGPU_MI_STORE_REGISTER_MEM	MVGPU_MI_INSTR(0x24, 2)		/* 4 dw */
#define MVGPU_MI_FLUSH_DW		MVGPU_MI_INSTR(0x26, 2)		/* 4 dw */
#define MVGPU_MI_FLUSH_DW_QW		MVGPU_MI_INSTR(0x26, 3)		/* 5 dw */
#define MVGPU_MI_LOAD_REGISTER_MEM	MVGPU_MI_INSTR(0x29, 2)		/* 4 dw */
#define MVGPU_MI_BATCH_BUFFER_START	MVGPU_MI_INSTR(0x31, 1)		/* 3 dw */

#define MVGPU_MI_OP_NOOP		0x00
#define MVGPU_MI_OP_USER_INTERRUPT	0x02
#define MVGPU_MI_OP_ARB_CHECK		0x05
#define MVGPU_MI_OP_BATCH_BUFFER_END	0x0a
#define MVGPU_MI_OP_SEMAPHORE_WAIT	0x1c
#define MVGPU_MI_OP_STORE_DATA_IMM	0x20
#define MVGPU_MI_OP_LOAD_REGISTER_IMM	0x22
#define MVGPU_MI_OP_STORE_REGISTER_MEM	0x24
#define MVGPU_MI_OP_FLUSH_DW		0x26
#define MVGPU_MI_OP_LOAD_REGISTER_MEM	0x29
#define MVGPU_MI_OP_BATCH_BUFFER_START	0x31

/* Address space select of MI_STORE_DATA_IMM, LRM, SRM, SEMAPHORE_WAIT. */
#define MVGPU_MI_USE_GGTT		(1U << 22)

/* MI_BATCH_BUFFER_START */
#define MVGPU_MI_BB_SECOND_LEVEL	(1U << 22)
#define MVGPU_MI_BB_PPGTT		(1U << 8)

/* MI_SEMAPHORE_WAIT: wait until *addr OP data (addr: SAD, data: SDD). */
#define MVGPU_MI_SEMAPHORE_POLL		(1U << 15)
#define MVGPU_MI_SEMAPHORE_OP_SHIFT	12
#define MVGPU_MI_SEMAPHORE_OP_MASK	(7U << 12)
#define MVGPU_MI_SEMAPHORE_SAD_GT_SDD	(0U << 12)
#define MVGPU_MI_SEMAPHORE_SAD_GTE_SDD	(1U << 12)
#define MVGPU_MI_SEMAPHORE_SAD_LT_SDD	(2U << 12)
#define MVGPU_MI_SEMAPHORE_SAD_LTE_SDD	(3U << 12)
#define MVGPU_MI_SEMAPHORE_SAD_EQ_SDD	(4U << 12)
#define MVGPU_MI_SEMAPHORE_SAD_NEQ_SDD	(5U << 12)

/* MI_FLUSH_DW: post-sync op in the header, GGTT select in address dword. */
#define MVGPU_MI_FLUSH_DW_NOTIFY	(1U << 8)
#define MVGPU_MI_FLUSH_DW_OP_MASK	(3U << 14)
#define MVGPU_MI_FLUSH_DW_OP_NONE	(0U << 14)
#define MVGPU_MI_FLUSH_DW_OP_STOREDW	(1U << 14)
#define MVGPU_MI_FLUSH_DW_USE_GTT	(1U << 2)

/* MI_LOAD_REGISTER_*: register offset bits. */
#define MVGPU_MI_REG_MASK		0x007ffffcU

/* GFXPIPE client: pipeline 28:27, opcode 26:24, sub-opcode 23:16. */
#define MVGPU_GFXPIPE(pipe, op, sub)	((3U << 29) | ((pipe) << 27) | \
					 ((op) << 24) | ((sub) << 16))
#define MVGPU_GFXPIPE_MASK		0xffff0000U

/* PIPE_CONTROL (RCS only): 6 dwords (qword write) or 5 (dword write). */
#define MVGPU_PIPE_CONTROL		(MVGPU_GFXPIPE(3, 2, 0) | 4)	/* 6 dw */
#define MVGPU_PIPE_CONTROL_DW		(MVGPU_GFXPIPE(3, 2, 0) | 3)	/* 5 dw */
/* dword 1 flags */
#define MVGPU_PIPE_CONTROL_NOTIFY	(1U << 8)
#define MVGPU_PIPE_CONTROL_POST_SYNC_MASK (3U << 14)
#define MVGPU_PIPE_CONTROL_WRITE_IMM	(1U << 14)
#define MVGPU_PIPE_CONTROL_CS_STALL	(1U << 20)
#define MVGPU_PIPE_CONTROL_GLOBAL_GTT	(1U << 24)

/*
 * MVGPU_BLEND (RCS only, mvgpu's own): media pipeline, opcode 1,
 * sub-opcode 0x0f (unused on Gen8).  9 dwords:
 *   dw1: op (3:0) | alpha (15:8)
 *   dw2: width (15:0) | height (31:16), pixels
 *   dw3: destination pitch, bytes (multiple of 4)
 *   dw4-5: destination address
 *   dw6: source pitch, bytes (multiple of 4)
 *   dw7-8: source address
 * Both surfaces are 32 bpp, 4-byte aligned, in the context's default
 * address space.
 */
#define MVGPU_BLEND			(MVGPU_GFXPIPE(2, 1, 0x0f) | 7)	/* 9 dw */
#define MVGPU_BLEND_OP_MASK		0xfU
#define MVGPU_BLEND_OP_SET_ALPHA	0	/* dst = src.rgb | alpha << 24 */
#define MVGPU_BLEND_OP_OVER		1	/* premultiplied src over dst */
#define MVGPU_BLEND_OP_CONST_ALPHA	2	/* dst = lerp(dst, src, alpha) */
#define MVGPU_BLEND_ALPHA_SHIFT		8

/* 2D (blitter, BCS only) client: opcode in bits 28:22. */
#define MVGPU_BLT_OPCODE(hdr)		(((hdr) >> 22) & 0x7f)
#define MVGPU_BLT_INSTR(op, len)	((2U << 29) | ((__u32)(op) << 22) | (len))

#define MVGPU_BLT_OP_XY_FAST_COPY	0x42
#define MVGPU_BLT_OP_XY_COLOR		0x50
#define MVGPU_BLT_OP_XY_SRC_COPY	0x53

#define MVGPU_XY_COLOR_BLT		MVGPU_BLT_INSTR(0x50, 5)	/* 7 dw */
#define MVGPU_XY_SRC_COPY_BLT		MVGPU_BLT_INSTR(0x53, 8)	/* 10 dw */
#define MVGPU_XY_FAST_COPY_BLT		MVGPU_BLT_INSTR(0x42, 8)	/* 10 dw */

/* XY_COLOR_BLT / XY_SRC_COPY_BLT header and BR13 (dword 1). */
#define MVGPU_XY_BLT_WRITE_ALPHA	(1U << 21)
#define MVGPU_XY_BLT_WRITE_RGB		(1U << 20)
#define MVGPU_XY_BLT_SRC_TILED		(1U << 15)	/* unsupported */
#define MVGPU_XY_BLT_DST_TILED		(1U << 11)	/* unsupported */
#define MVGPU_BR13_DEPTH_SHIFT		24
#define MVGPU_BR13_DEPTH_MASK		(3U << 24)
#define MVGPU_BR13_DEPTH_8		(0U << 24)
#define MVGPU_BR13_DEPTH_565		(1U << 24)
#define MVGPU_BR13_DEPTH_1555		(2U << 24)
#define MVGPU_BR13_DEPTH_32		(3U << 24)
#define MVGPU_BR13_ROP_SHIFT		16
#define MVGPU_BR13_ROP_MASK		(0xffU << 16)
#define MVGPU_BR13_ROP_SRCCOPY		(0xccU << 16)
#define MVGPU_BR13_ROP_PATCOPY		(0xf0U << 16)
#define MVGPU_BR13_PITCH_MASK		0xffffU

/* XY_FAST_COPY_BLT header and dword 1 (Gen9 encoding). */
#define MVGPU_FAST_COPY_SRC_TILING_MASK	(3U << 20)	/* must be 0: linear */
#define MVGPU_FAST_COPY_DST_TILING_MASK	(3U << 13)	/* must be 0: linear */
#define MVGPU_FAST_COPY_DEPTH_SHIFT	24
#define MVGPU_FAST_COPY_DEPTH_MASK	(7U << 24)
#define MVGPU_FAST_COPY_DEPTH_8		(0U << 24)
#define MVGPU_FAST_COPY_DEPTH_16	(1U << 24)
#define MVGPU_FAST_COPY_DEPTH_32	(3U << 24)
#define MVGPU_FAST_COPY_DEPTH_64	(4U << 24)

/* Rectangle dwords: y << 16 | x; (x1, y1) inclusive, (x2, y2) exclusive. */
#define MVGPU_BLT_XY(x, y)		(((__u32)(y) << 16) | ((x) & 0xffff))

/*
 * Most pixels (width * height) one XY_*_BLT or MVGPU_BLEND may cover; a
 * larger one is MVGPU_ERR_CMD_PARAM.  A blit is never split, so this bounds
 * the work of one command.
 */
#define MVGPU_BLT_MAX_PIXELS		(1U << 24)

/*
 * Most pixels one MVGPU_BLEND may cover (512 x 512): blending costs some 25
 * times a copy per pixel, so a blend gets a smaller bound than a blit for
 * about the same work (a couple of milliseconds) in one command.
 */
#define MVGPU_BLEND_MAX_PIXELS		(1U << 18)

/* Longest command the executor buffers (LRI is streamed). */
#define MVGPU_CMD_MAX_FIXED_DWORDS	10

#endif /* _UAPI_MVGPU_CMD_H */
