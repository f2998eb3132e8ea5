/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Software GPU: 2D blits and the per-pixel blend, done on page-contiguous
 * runs (memcpy/memset per run, not per pixel).
 */
#ifndef _SGPU_BLIT_H
#define _SGPU_BLIT_H

#include <linux/types.h>

#include "gtt_walk.h"

/**
 * struct sgpu_surf - a linear surface
 * @space: address space of @base
 * @base: graphics address of pixel (0, 0)
 * @pitch: bytes from one row to the next
 * @cpp: bytes per pixel: 1, 2, 4 or 8
 */
struct sgpu_surf {
	enum sgpu_space space;
	u64 base;
	u32 pitch;
	u32 cpp;
};

/**
 * struct sgpu_blt_work - which rows a blit does, and what it did, for
 *	the engine's slice budget
 * @rows: runs walked: each row of a rectangle, or one run for the rows of
 *	a rectangle that are contiguous (pitch equal to the row size)
 * @maps: graphics pages translated and mapped, source and destination
 *	counted apart (a PPGTT translation is a table walk)
 * @done: rows of the rectangle done, counted in the order they are
 *	walked (bottom-up for a copy that walks backwards): where the blit
 *	starts, and where it stopped when it returns 0
 * @to: the blit stops after this row; @done < @to <= the height
 * @max_rows: it also stops after a whole row once @rows reaches this;
 *	0 for no limit
 * @max_maps: likewise for @maps
 *
 * The blit functions add to @rows and @maps, also when they fail
 * half-way (then @done is not advanced past the failing row).  A blit
 * done in several parts writes exactly what one call for all its rows
 * writes: the rows are walked in the same order.
 */
struct sgpu_blt_work {
	u64 rows;
	u64 maps;
	u32 done;
	u32 to;
	u64 max_rows;
	u64 max_maps;
};

int sgpu_blt_fill(const struct sgpu_vm *vm, const struct sgpu_surf *dst,
		  u32 x, u32 y, u32 w, u32 h, u32 color,
		  struct sgpu_blt_work *work, struct sgpu_fault *f);
int sgpu_blt_copy(const struct sgpu_vm *vm, const struct sgpu_surf *dst,
		  u32 dx, u32 dy, const struct sgpu_surf *src, u32 sx, u32 sy,
		  u32 w, u32 h, struct sgpu_blt_work *work,
		  struct sgpu_fault *f);
int sgpu_blt_blend(const struct sgpu_vm *vm, const struct sgpu_surf *dst,
		   const struct sgpu_surf *src, u32 w, u32 h, u32 op, u32 alpha,
		   struct sgpu_blt_work *work, struct sgpu_fault *f);
u32 sgpu_blend_pixel(u32 dst, u32 src, u32 op, u32 alpha);

#endif /* _SGPU_BLIT_H */
