// SPDX-License-Identifier: GPL-2.0-only
/*
 * Software GPU: 2D blits and MVGPU_BLEND.
 *
 * A rectangle is walked as runs of bytes that are contiguous in graphics
 * memory (a row, or the whole rectangle when the pitch equals the row
 * size); each run is split where the source or destination crosses a
 * page, and each piece is one memcpy/memmove/memset.  Overlapping copies
 * in one address space with equal pitches of at least the row width
 * behave like memmove: rows and pieces are walked backwards when the
 * destination lies above the source.  The runs walked and the pages
 * mapped are added to a struct sgpu_blt_work, which the engine's slice
 * budget counts (sgpu/cmd_exec.h).  A blit does the rows the work names
 * and stops after a whole row once it has done its share of a slice, so
 * that the executor can split a large one (its progress saved in the
 * context, Documentation/gpu-interface.rst).
 */
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/minmax.h>
#include <linux/unaligned.h>

#include <mvgpu/mvgpu_cmd.h>
#include <mvgpu/mvgpu_regs.h>

#include "blit.h"

#define SGPU_PAGE_LEFT(a)	(SGPU_PAGE_SIZE - SGPU_PAGE_OFFSET(a))
#define SGPU_PAT_BYTES		64

static u64 sgpu_surf_addr(const struct sgpu_surf *s, u32 x, u32 y)
{
	return s->base + (u64)y * s->pitch + (u64)x * s->cpp;
}

/* After a whole row: has the blit done what it may in this part? */
static bool sgpu_blt_part_done(const struct sgpu_blt_work *work)
{
	return work->done >= work->to ||
	       (work->max_rows && work->rows >= work->max_rows) ||
	       (work->max_maps && work->maps >= work->max_maps);
}

/* Fill @len bytes with a pattern; @pat holds SGPU_PAT_BYTES of it. */
static void sgpu_fill_pattern(u8 *p, u32 len, const u8 *pat)
{
	u32 done = min_t(u32, len, SGPU_PAT_BYTES);

	memcpy(p, pat, done);
	/* done stays a multiple of SGPU_PAT_BYTES, so of the pixel size */
	while (done < len) {
		u32 n = min_t(u32, done, len - done);

		memcpy(p + done, p, n);
		done += n;
	}
}

static int sgpu_fill_run(const struct sgpu_vm *vm, enum sgpu_space space,
			 u64 d, u64 len, const u8 *pat, u32 cpp, bool uniform,
			 struct sgpu_tlb *tlb, struct sgpu_blt_work *work,
			 struct sgpu_fault *f)
{
	u32 phase = 0;

	work->rows++;
	while (len) {
		u32 off = SGPU_PAGE_OFFSET(d);
		u32 n = min_t(u64, len, SGPU_PAGE_SIZE - off);
		u8 *va;
		u64 pfn;

		work->maps++;
		va = sgpu_vm_map_tlb(vm, space, d, &pfn, tlb, f);
		if (!va)
			return -EFAULT;
		if (uniform)
			memset(va + off, pat[0], n);
		else
			sgpu_fill_pattern(va + off, n, pat + phase);
		sgpu_vm_unmap(vm, pfn, va);
		phase = (phase + n) % cpp;
		d += n;
		len -= n;
	}
	return 0;
}

/**
 * sgpu_blt_fill() - fill a rectangle with a color
 * @vm: address spaces
 * @dst: the surface; @dst->cpp is 1, 2 or 4
 * @x: left edge, pixels
 * @y: top edge, pixels
 * @w: width, pixels; 0 is a no-op
 * @h: height, pixels; 0 is a no-op
 * @color: the pixel value, low @dst->cpp bytes
 * @work: the rows to do, top-down; what was done is added to it
 * @f: filled on failure
 *
 * Return: 0, or -EFAULT (rows before the fault are written).
 */
int sgpu_blt_fill(const struct sgpu_vm *vm, const struct sgpu_surf *dst,
		  u32 x, u32 y, u32 w, u32 h, u32 color,
		  struct sgpu_blt_work *work, struct sgpu_fault *f)
{
	u8 pat[SGPU_PAT_BYTES + 8];
	struct sgpu_tlb tlb = { };
	u64 row = (u64)w * dst->cpp;
	bool uniform = true;
	u64 d;
	u32 i;
	int ret;

	if (!w || !h || work->to > h || work->done >= work->to)
		return 0;
	for (i = 0; i < sizeof(pat); i++) {
		u32 b = i % dst->cpp;

		pat[i] = b < 4 ? (u8)(color >> (8 * b)) : 0;
		if (pat[i] != pat[0])
			uniform = false;
	}
	d = sgpu_surf_addr(dst, x, y);
	if (dst->pitch == row) {
		/* contiguous rows: one run for this part */
		ret = sgpu_fill_run(vm, dst->space, d + work->done * row,
				    row * (work->to - work->done), pat,
				    dst->cpp, uniform, &tlb, work, f);
		if (!ret)
			work->done = work->to;
		return ret;
	}
	do {
		ret = sgpu_fill_run(vm, dst->space,
				    d + (u64)work->done * dst->pitch, row, pat,
				    dst->cpp, uniform, &tlb, work, f);
		if (ret)
			return ret;
		work->done++;
	} while (!sgpu_blt_part_done(work));
	return 0;
}

static int sgpu_copy_run(const struct sgpu_vm *vm, enum sgpu_space dspace,
			 u64 d, enum sgpu_space sspace, u64 s, u64 len,
			 bool backward, struct sgpu_tlb *tlb,
			 struct sgpu_blt_work *work, struct sgpu_fault *f)
{
	work->rows++;
	while (len) {
		u64 sa, da, spfn, dpfn;
		u8 *sp, *dp;
		u32 n;

		if (!backward) {
			n = min_t(u64, len, min(SGPU_PAGE_LEFT(s),
						SGPU_PAGE_LEFT(d)));
			sa = s;
			da = d;
		} else {
			n = min_t(u64, len,
				  min(SGPU_PAGE_OFFSET(s + len - 1),
				      SGPU_PAGE_OFFSET(d + len - 1)) + 1);
			sa = s + len - n;
			da = d + len - n;
		}
		work->maps++;
		sp = sgpu_vm_map_tlb(vm, sspace, sa, &spfn, &tlb[0], f);
		if (!sp)
			return -EFAULT;
		work->maps++;
		dp = sgpu_vm_map_tlb(vm, dspace, da, &dpfn, &tlb[1], f);
		if (!dp) {
			sgpu_vm_unmap(vm, spfn, sp);
			return -EFAULT;
		}
		if (spfn == dpfn)
			memmove(dp + SGPU_PAGE_OFFSET(da),
				sp + SGPU_PAGE_OFFSET(sa), n);
		else
			memcpy(dp + SGPU_PAGE_OFFSET(da),
			       sp + SGPU_PAGE_OFFSET(sa), n);
		sgpu_vm_unmap(vm, dpfn, dp);
		sgpu_vm_unmap(vm, spfn, sp);
		if (!backward) {
			s += n;
			d += n;
		}
		len -= n;
	}
	return 0;
}

/**
 * sgpu_blt_copy() - copy a rectangle
 * @vm: address spaces
 * @dst: destination surface
 * @dx: destination left edge
 * @dy: destination top edge
 * @src: source surface, same pixel size as @dst
 * @sx: source left edge
 * @sy: source top edge
 * @w: width, pixels; 0 is a no-op
 * @h: height, pixels; 0 is a no-op
 * @work: the rows to do, in the walk order (bottom-up when the
 *	destination overlaps the source above it); what was done is added
 * @f: filled on failure
 *
 * Return: 0, or -EFAULT (some of the destination may be written).
 */
int sgpu_blt_copy(const struct sgpu_vm *vm, const struct sgpu_surf *dst,
		  u32 dx, u32 dy, const struct sgpu_surf *src, u32 sx, u32 sy,
		  u32 w, u32 h, struct sgpu_blt_work *work,
		  struct sgpu_fault *f)
{
	struct sgpu_tlb tlb[2] = { };
	u64 row = (u64)w * dst->cpp;
	bool backward = false;
	u64 s, d;
	int ret;

	if (!w || !h || work->to > h || work->done >= work->to)
		return 0;
	s = sgpu_surf_addr(src, sx, sy);
	d = sgpu_surf_addr(dst, dx, dy);
	if (src->space == dst->space && d > s &&
	    d < s + (u64)(h - 1) * src->pitch + row)
		backward = true;

	if (src->pitch == row && dst->pitch == row) {
		/* contiguous rows: one run for this part, rows r0 to r1 */
		u64 r0 = backward ? h - work->to : work->done;
		u64 r1 = backward ? h - work->done : work->to;

		ret = sgpu_copy_run(vm, dst->space, d + r0 * row, src->space,
				    s + r0 * row, (r1 - r0) * row, backward,
				    tlb, work, f);
		if (!ret)
			work->done = work->to;
		return ret;
	}
	do {
		u32 r = backward ? h - 1 - work->done : work->done;

		ret = sgpu_copy_run(vm, dst->space, d + (u64)r * dst->pitch,
				    src->space, s + (u64)r * src->pitch, row,
				    backward, tlb, work, f);
		if (ret)
			return ret;
		work->done++;
	} while (!sgpu_blt_part_done(work));
	return 0;
}

static u32 sgpu_div255(u32 x)
{
	x += 128;
	return (x + (x >> 8)) >> 8;
}

/**
 * sgpu_blend_pixel() - one MVGPU_BLEND pixel
 * @dst: destination pixel, ARGB8888
 * @src: source pixel
 * @op: MVGPU_BLEND_OP_*
 * @alpha: the command's alpha, 0..255
 *
 * Return: the new destination pixel.
 */
u32 sgpu_blend_pixel(u32 dst, u32 src, u32 op, u32 alpha)
{
	u32 out = 0, ia, c;

	switch (op) {
	case MVGPU_BLEND_OP_SET_ALPHA:
		return (src & 0x00ffffff) | alpha << 24;
	case MVGPU_BLEND_OP_OVER:
		ia = 255 - (src >> 24);
		for (c = 0; c < 32; c += 8) {
			u32 v = ((src >> c) & 0xff) +
				sgpu_div255(((dst >> c) & 0xff) * ia);

			out |= min_t(u32, v, 255) << c;
		}
		return out;
	default:
		for (c = 0; c < 32; c += 8)
			out |= sgpu_div255(((src >> c) & 0xff) * alpha +
					   ((dst >> c) & 0xff) * (255 - alpha))
			       << c;
		return out;
	}
}

static void sgpu_blend_span(u8 *d, const u8 *s, u32 n, u32 op, u32 alpha)
{
	u32 i;

	if (op == MVGPU_BLEND_OP_SET_ALPHA) {
		for (i = 0; i < n; i += 4)
			put_unaligned_le32((get_unaligned_le32(s + i) &
					    0x00ffffff) | alpha << 24, d + i);
		return;
	}
	for (i = 0; i < n; i += 4)
		put_unaligned_le32(sgpu_blend_pixel(get_unaligned_le32(d + i),
						    get_unaligned_le32(s + i),
						    op, alpha), d + i);
}

static int sgpu_blend_run(const struct sgpu_vm *vm, const struct sgpu_surf *dst,
			  u64 d, const struct sgpu_surf *src, u64 s, u64 len,
			  u32 op, u32 alpha, struct sgpu_tlb *tlb,
			  struct sgpu_blt_work *work, struct sgpu_fault *f)
{
	work->rows++;
	while (len) {
		u32 n = min_t(u64, len, min(SGPU_PAGE_LEFT(s),
					    SGPU_PAGE_LEFT(d)));
		u64 spfn, dpfn;
		u8 *sp, *dp;

		work->maps++;
		sp = sgpu_vm_map_tlb(vm, src->space, s, &spfn, &tlb[0], f);
		if (!sp)
			return -EFAULT;
		work->maps++;
		dp = sgpu_vm_map_tlb(vm, dst->space, d, &dpfn, &tlb[1], f);
		if (!dp) {
			sgpu_vm_unmap(vm, spfn, sp);
			return -EFAULT;
		}
		sgpu_blend_span(dp + SGPU_PAGE_OFFSET(d),
				sp + SGPU_PAGE_OFFSET(s), n, op, alpha);
		sgpu_vm_unmap(vm, dpfn, dp);
		sgpu_vm_unmap(vm, spfn, sp);
		s += n;
		d += n;
		len -= n;
	}
	return 0;
}

/**
 * sgpu_blt_blend() - MVGPU_BLEND of two 32 bpp surfaces
 * @vm: address spaces
 * @dst: destination; base and pitch 4-byte aligned
 * @src: source; base and pitch 4-byte aligned
 * @w: width, pixels; 0 is a no-op
 * @h: height, pixels; 0 is a no-op
 * @op: MVGPU_BLEND_OP_*
 * @alpha: 0..255
 * @work: the rows to do, top-down; what was done is added to it
 * @f: filled on failure
 *
 * Return: 0, or -EFAULT.
 */
int sgpu_blt_blend(const struct sgpu_vm *vm, const struct sgpu_surf *dst,
		   const struct sgpu_surf *src, u32 w, u32 h, u32 op, u32 alpha,
		   struct sgpu_blt_work *work, struct sgpu_fault *f)
{
	struct sgpu_tlb tlb[2] = { };
	u64 row = (u64)w * 4;
	int ret;

	if (!w || !h || work->to > h || work->done >= work->to)
		return 0;
	if (src->pitch == row && dst->pitch == row) {
		/* contiguous rows: one run for this part */
		ret = sgpu_blend_run(vm, dst, dst->base + work->done * row, src,
				     src->base + work->done * row,
				     row * (work->to - work->done), op, alpha,
				     tlb, work, f);
		if (!ret)
			work->done = work->to;
		return ret;
	}
	do {
		u64 r = work->done;

		ret = sgpu_blend_run(vm, dst, dst->base + r * dst->pitch,
				     src, src->base + r * src->pitch, row,
				     op, alpha, tlb, work, f);
		if (ret)
			return ret;
		work->done++;
	} while (!sgpu_blt_part_done(work));
	return 0;
}
