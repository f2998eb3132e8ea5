// SPDX-License-Identifier: GPL-2.0-only
/*
 * The command table: what the scanner knows about each command of
 * Documentation/gpu-interface.rst.  Data only; the rules that use it are
 * in cmd_parser.c and Documentation/cmd-scanning.rst.
 *
 * Every field here must agree with the software GPU's executor
 * (sgpu/cmd_exec.c, sgpu/blit.c): the same lengths, the same address
 * dwords and masks, the same space selects and the same access sizes.
 * tests/unit/cmd_parser_test.c checks the lengths and engines against it.
 */
#include <linux/types.h>
#include <linux/bits.h>
#include <linux/kernel.h>

#include <mvgpu/mvgpu_cmd.h>
#include <mvgpu/mvgpu_regs.h>

#include "cmd_table.h"

#define MI_MATCH	(MVGPU_CMD_CLIENT_MASK | (0x3fU << 23))
#define BLT_MATCH	(MVGPU_CMD_CLIENT_MASK | (0x7fU << 22))
#define RCS		BIT(MVGPU_ENGINE_RCS)
#define BCS		BIT(MVGPU_ENGINE_BCS)

/* A one-dword MI command: the length field is ignored. */
#define MI_1DW(_name, _hdr, _flags)					\
	{								\
		.name = _name, .match_mask = MI_MATCH, .match = (_hdr) & MI_MATCH,	\
		.len_bias = 1, .len_min = 1, .len_max = 1, .len_step = 1, \
		.engines = RCS | BCS, .flags = (_flags),		\
	}

/* Lengths from _min to _max dwords, in steps of _step. */
#define LEN(_min, _max, _step)						\
	.len_mask = MVGPU_CMD_LEN_MASK, .len_bias = 2,			\
	.len_min = (_min), .len_max = (_max), .len_step = (_step)

/* A dword-sized memory operand of an MI command selected by bit 22. */
#define MI_MEM_DWORD(_dw)						\
	{								\
		.addr_dw = (_dw), .addr_mask = ~0U,			\
		.sel = MVGPU_CMD_SEL_GGTT_BIT, .sel_bit = MVGPU_MI_USE_GGTT, \
		.size = MVGPU_CMD_SIZE_FIXED, .arg = 4,			\
	}

/* The destination surface of the XY blits: pitch in BR13, rect at dw2. */
#define XY_DST								\
	{								\
		.addr_dw = 4, .addr_mask = ~0U,				\
		.size = MVGPU_CMD_SIZE_SURF, .arg = 1,			\
		.pitch_mask = MVGPU_BR13_PITCH_MASK, .origin_dw = 2,	\
	}

/* The source surface of the XY copies: origin dw6, pitch dw7. */
#define XY_SRC								\
	{								\
		.addr_dw = 8, .addr_mask = ~0U,				\
		.size = MVGPU_CMD_SIZE_SURF, .arg = 7,			\
		.pitch_mask = MVGPU_BR13_PITCH_MASK, .origin_dw = 6,	\
	}

#define XY_BR13_GEOM							\
	{								\
		.rect_dw = 2, .cpp_dw = 1,				\
		.cpp_shift = MVGPU_BR13_DEPTH_SHIFT, .cpp_mask = 3,	\
		.cpp = { 1, 2, 2, 4 },					\
	}

const struct mvgpu_cmd_desc mvgpu_cmd_table[MVGPU_CMD_ID_COUNT] = {
	[MVGPU_CMD_ID_NOOP] = MI_1DW("MI_NOOP", MVGPU_MI_NOOP, 0),
	[MVGPU_CMD_ID_USER_INTERRUPT] = MI_1DW("MI_USER_INTERRUPT",
					       MVGPU_MI_USER_INTERRUPT, 0),
	[MVGPU_CMD_ID_ARB_CHECK] = MI_1DW("MI_ARB_CHECK", MVGPU_MI_ARB_CHECK,
					  0),
	[MVGPU_CMD_ID_BB_END] = MI_1DW("MI_BATCH_BUFFER_END",
				       MVGPU_MI_BATCH_BUFFER_END,
				       MVGPU_CMD_F_BB_END | MVGPU_CMD_F_NO_RING),
	[MVGPU_CMD_ID_SEMAPHORE_WAIT] = {
		.name = "MI_SEMAPHORE_WAIT",
		.match_mask = MI_MATCH,
		.match = MVGPU_MI_SEMAPHORE_WAIT & MI_MATCH,
		LEN(4, 4, 1), .engines = RCS | BCS,
		.op = { MI_MEM_DWORD(2) },
	},
	[MVGPU_CMD_ID_STORE_DATA_IMM] = {
		.name = "MI_STORE_DATA_IMM",
		.match_mask = MI_MATCH,
		.match = MVGPU_MI_STORE_DATA_IMM & MI_MATCH,
		LEN(4, 5, 1), .engines = RCS | BCS,
		.op = { {
			.addr_dw = 1, .addr_mask = ~0U,
			.sel = MVGPU_CMD_SEL_GGTT_BIT,
			.sel_bit = MVGPU_MI_USE_GGTT,
			.size = MVGPU_CMD_SIZE_TAIL, .arg = 3,
		} },
	},
	[MVGPU_CMD_ID_LRI] = {
		.name = "MI_LOAD_REGISTER_IMM",
		.match_mask = MI_MATCH,
		.match = MVGPU_MI_LOAD_REGISTER_IMM(1) & MI_MATCH,
		LEN(3, 257, 2), .engines = RCS | BCS,
		.reg = { .dw = 1, .stride = 2, .access = MVGPU_CMD_REG_WRITE },
	},
	[MVGPU_CMD_ID_SRM] = {
		.name = "MI_STORE_REGISTER_MEM",
		.match_mask = MI_MATCH,
		.match = MVGPU_MI_STORE_REGISTER_MEM & MI_MATCH,
		LEN(4, 4, 1), .engines = RCS | BCS,
		.reg = { .dw = 1, .access = MVGPU_CMD_REG_READ },
		.op = { MI_MEM_DWORD(2) },
	},
	[MVGPU_CMD_ID_FLUSH_DW] = {
		.name = "MI_FLUSH_DW",
		.match_mask = MI_MATCH,
		.match = MVGPU_MI_FLUSH_DW & MI_MATCH,
		LEN(4, 5, 1), .engines = BCS,
		.op = { {
			.addr_dw = 1, .addr_mask = ~7U,
			.sel = MVGPU_CMD_SEL_GGTT_BIT, .sel_dw = 1,
			.sel_bit = MVGPU_MI_FLUSH_DW_USE_GTT,
			.cond_dw = 0, .cond_mask = MVGPU_MI_FLUSH_DW_OP_MASK,
			.size = MVGPU_CMD_SIZE_TAIL, .arg = 3,
		} },
	},
	[MVGPU_CMD_ID_LRM] = {
		.name = "MI_LOAD_REGISTER_MEM",
		.match_mask = MI_MATCH,
		.match = MVGPU_MI_LOAD_REGISTER_MEM & MI_MATCH,
		LEN(4, 4, 1), .engines = RCS | BCS,
		.reg = { .dw = 1, .access = MVGPU_CMD_REG_WRITE },
		.op = { MI_MEM_DWORD(2) },
	},
	[MVGPU_CMD_ID_BB_START] = {
		.name = "MI_BATCH_BUFFER_START",
		.match_mask = MI_MATCH,
		.match = MVGPU_MI_BATCH_BUFFER_START & MI_MATCH,
		LEN(3, 3, 1), .engines = RCS | BCS,
		.flags = MVGPU_CMD_F_BB_START,
		.op = { {
			.addr_dw = 1, .addr_mask = ~3U,
			.sel = MVGPU_CMD_SEL_PPGTT_BIT,
			.sel_bit = MVGPU_MI_BB_PPGTT,
			.size = MVGPU_CMD_SIZE_BATCH,
		} },
	},
	[MVGPU_CMD_ID_PIPE_CONTROL] = {
		.name = "PIPE_CONTROL",
		.match_mask = MVGPU_GFXPIPE_MASK,
		.match = MVGPU_PIPE_CONTROL & MVGPU_GFXPIPE_MASK,
		LEN(5, 6, 1), .engines = RCS,
		.op = { {
			.addr_dw = 2, .addr_mask = ~3U,
			.sel = MVGPU_CMD_SEL_GGTT_BIT, .sel_dw = 1,
			.sel_bit = MVGPU_PIPE_CONTROL_GLOBAL_GTT,
			.cond_dw = 1,
			.cond_mask = MVGPU_PIPE_CONTROL_POST_SYNC_MASK,
			.size = MVGPU_CMD_SIZE_TAIL, .arg = 4,
		} },
	},
	[MVGPU_CMD_ID_BLEND] = {
		.name = "MVGPU_BLEND",
		.match_mask = MVGPU_GFXPIPE_MASK,
		.match = MVGPU_BLEND & MVGPU_GFXPIPE_MASK,
		LEN(9, 9, 1), .engines = RCS,
		.geom = { .wh_dw = 2, .cpp = { 4 } },
		.op = { {
			.addr_dw = 4, .addr_mask = ~0U,
			.size = MVGPU_CMD_SIZE_SURF, .arg = 3,
			.pitch_mask = ~0U,
		}, {
			.addr_dw = 7, .addr_mask = ~0U,
			.size = MVGPU_CMD_SIZE_SURF, .arg = 6,
			.pitch_mask = ~0U,
		} },
	},
	[MVGPU_CMD_ID_XY_COLOR_BLT] = {
		.name = "XY_COLOR_BLT",
		.match_mask = BLT_MATCH,
		.match = MVGPU_XY_COLOR_BLT & BLT_MATCH,
		LEN(7, 7, 1), .engines = BCS,
		.mbz_mask = MVGPU_XY_BLT_SRC_TILED | MVGPU_XY_BLT_DST_TILED,
		.geom = XY_BR13_GEOM,
		.op = { XY_DST },
	},
	[MVGPU_CMD_ID_XY_SRC_COPY_BLT] = {
		.name = "XY_SRC_COPY_BLT",
		.match_mask = BLT_MATCH,
		.match = MVGPU_XY_SRC_COPY_BLT & BLT_MATCH,
		LEN(10, 10, 1), .engines = BCS,
		.mbz_mask = MVGPU_XY_BLT_SRC_TILED | MVGPU_XY_BLT_DST_TILED,
		.geom = XY_BR13_GEOM,
		.op = { XY_DST, XY_SRC },
	},
	[MVGPU_CMD_ID_XY_FAST_COPY_BLT] = {
		.name = "XY_FAST_COPY_BLT",
		.match_mask = BLT_MATCH,
		.match = MVGPU_XY_FAST_COPY_BLT & BLT_MATCH,
		LEN(10, 10, 1), .engines = BCS,
		.mbz_mask = MVGPU_FAST_COPY_SRC_TILING_MASK |
			    MVGPU_FAST_COPY_DST_TILING_MASK,
		.geom = {
			.rect_dw = 2, .cpp_dw = 1,
			.cpp_shift = MVGPU_FAST_COPY_DEPTH_SHIFT, .cpp_mask = 7,
			.cpp = { 1, 2, 0, 4, 8, 0, 0, 0 },
		},
		.op = { XY_DST, XY_SRC },
	},
};

const unsigned int mvgpu_cmd_table_len = ARRAY_SIZE(mvgpu_cmd_table);

/* The key of the headers a descriptor's match stands for. */
#define KEY(_match)	((_match) >> MVGPU_CMD_KEY_SHIFT)

/*
 * The descriptor that may match a header, by key: 0 none, else its
 * position in mvgpu_cmd_table + 1.  tests/unit/cmd_parser_test.c checks
 * that it finds exactly what a search of the whole table finds.
 */
const u8 mvgpu_cmd_index[MVGPU_CMD_KEYS] = {
	[KEY(MVGPU_MI_NOOP & MI_MATCH)] =
		MVGPU_CMD_ID_NOOP + 1,
	[KEY(MVGPU_MI_USER_INTERRUPT & MI_MATCH)] =
		MVGPU_CMD_ID_USER_INTERRUPT + 1,
	[KEY(MVGPU_MI_ARB_CHECK & MI_MATCH)] =
		MVGPU_CMD_ID_ARB_CHECK + 1,
	[KEY(MVGPU_MI_BATCH_BUFFER_END & MI_MATCH)] =
		MVGPU_CMD_ID_BB_END + 1,
	[KEY(MVGPU_MI_SEMAPHORE_WAIT & MI_MATCH)] =
		MVGPU_CMD_ID_SEMAPHORE_WAIT + 1,
	[KEY(MVGPU_MI_STORE_DATA_IMM & MI_MATCH)] =
		MVGPU_CMD_ID_STORE_DATA_IMM + 1,
	[KEY(MVGPU_MI_LOAD_REGISTER_IMM(1) & MI_MATCH)] =
		MVGPU_CMD_ID_LRI + 1,
	[KEY(MVGPU_MI_STORE_REGISTER_MEM & MI_MATCH)] =
		MVGPU_CMD_ID_SRM + 1,
	[KEY(MVGPU_MI_FLUSH_DW & MI_MATCH)] =
		MVGPU_CMD_ID_FLUSH_DW + 1,
	[KEY(MVGPU_MI_LOAD_REGISTER_MEM & MI_MATCH)] =
		MVGPU_CMD_ID_LRM + 1,
	[KEY(MVGPU_MI_BATCH_BUFFER_START & MI_MATCH)] =
		MVGPU_CMD_ID_BB_START + 1,
	[KEY(MVGPU_PIPE_CONTROL & MVGPU_GFXPIPE_MASK)] =
		MVGPU_CMD_ID_PIPE_CONTROL + 1,
	[KEY(MVGPU_BLEND & MVGPU_GFXPIPE_MASK)] =
		MVGPU_CMD_ID_BLEND + 1,
	[KEY(MVGPU_XY_COLOR_BLT & BLT_MATCH)] =
		MVGPU_CMD_ID_XY_COLOR_BLT + 1,
	[KEY(MVGPU_XY_SRC_COPY_BLT & BLT_MATCH)] =
		MVGPU_CMD_ID_XY_SRC_COPY_BLT + 1,
	[KEY(MVGPU_XY_FAST_COPY_BLT & BLT_MATCH)] =
		MVGPU_CMD_ID_XY_FAST_COPY_BLT + 1,
};

/*
 * The registers a command may name, relative to the base of the engine
 * that runs it: the general purpose registers, and the timestamp for
 * reading.  Everything else (ring and execlist registers, interrupts,
 * other engines, the display) stays out of a guest's command stream.
 */
const struct mvgpu_cmd_reg_range mvgpu_cmd_reg_allow[] = {
	{ MVGPU_RING_GPR(0), MVGPU_RING_GPR_DWORDS,
	  MVGPU_CMD_REG_READ | MVGPU_CMD_REG_WRITE },
	{ MVGPU_RING_TIMESTAMP, 1, MVGPU_CMD_REG_READ },
};

const unsigned int mvgpu_cmd_reg_allow_len = ARRAY_SIZE(mvgpu_cmd_reg_allow);

const u32 mvgpu_cmd_engine_base[MVGPU_NUM_ENGINES] = {
	[MVGPU_ENGINE_RCS] = MVGPU_RCS_BASE,
	[MVGPU_ENGINE_BCS] = MVGPU_BCS_BASE,
};
