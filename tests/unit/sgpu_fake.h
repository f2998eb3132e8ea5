/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test fixture for the software GPU: fake physical memory with holes, a
 * GGTT that scatters graphics pages over it, a PPGTT builder, rings and
 * batch buffers, and an engine with a register file.  The test side
 * translates addresses on its own, independently of sgpu/gtt_walk.c.
 * Also used by tests/bench.
 *
 * The register file accepts any register; the general purpose registers
 * (RING_GPR(n) of either engine, or relative to its base) are context
 * state as in sgpu/regfile.c: they are those of the context that
 * fake_run() runs, and are refused when it runs none.
 */
#ifndef _SGPU_FAKE_H
#define _SGPU_FAKE_H

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include <mvgpu/mvgpu_pci.h>
#include <mvgpu/mvgpu_regs.h>
#include <mvgpu/mvgpu_cmd.h>

#include "gtt_walk.h"
#include "context.h"
#include "cmd_exec.h"
#include "blit.h"
#include "regfile.h"

/*
 * The harness's TEST_F wrapper keeps a pid across vfork; with the test
 * body inlined gcc warns that it might be clobbered.  It is not.
 */
#pragma GCC diagnostic ignored "-Wclobbered"

#define FAKE_PAGE		4096ULL
#define FAKE_NREGS		(MVGPU_MMIO_SIZE / 4)

enum fake_yield {
	FAKE_YIELD_NEVER,
	FAKE_YIELD_ALWAYS,
	FAKE_YIELD_EVERY,	/* every yield_every-th arbitration point */
};

struct fake {
	u8 *phys;
	u64 npages;
	u8 *hole;
	u64 *ggtt;
	u32 ggtt_entries;
	u64 next_pt;		/* next free page-table pfn */
	struct sgpu_mem mem;

	/* mapping discipline */
	int depth, max_depth, lifo_errors;
	u64 stack[16];
	long maps;
	long fail_after;	/* if > 0: maps once @maps reaches it fail */

	/* engine */
	struct sgpu_ctx *ctx;	/* the running context, see fake_run() */
	u32 *regs;
	u32 deny_reg;
	int user_irqs, post_syncs;
	u64 last_post_sync;
	enum fake_yield yield;
	int yield_every, arb_points;
};

static inline void *fake_map_page(void *priv, u64 pfn)
{
	struct fake *fx = priv;

	if (pfn >= fx->npages || fx->hole[pfn])
		return NULL;
	if (fx->fail_after > 0 && fx->maps >= fx->fail_after)
		return NULL;
	if (fx->depth < 16)
		fx->stack[fx->depth] = pfn;
	fx->depth++;
	if (fx->depth > fx->max_depth)
		fx->max_depth = fx->depth;
	fx->maps++;
	return fx->phys + pfn * FAKE_PAGE;
}

static inline void fake_unmap_page(void *priv, u64 pfn, void *va)
{
	struct fake *fx = priv;

	if (!fx->depth || fx->stack[fx->depth - 1] != pfn ||
	    va != fx->phys + pfn * FAKE_PAGE)
		fx->lifo_errors++;
	if (fx->depth)
		fx->depth--;
}

static const struct sgpu_mem_ops fake_mem_ops = {
	.map_page = fake_map_page,
	.unmap_page = fake_unmap_page,
};

/* The register @reg names: a GPR of the running context, or fx->regs. */
static inline u32 *fake_reg(struct fake *fx, u32 reg)
{
	u32 off;

	if ((!sgpu_reg_offset(MVGPU_RCS_BASE, reg, &off) ||
	     !sgpu_reg_offset(MVGPU_BCS_BASE, reg, &off)) &&
	    sgpu_reg_is_gpr(off))
		return fx->ctx ? &fx->ctx->gpr[(off - MVGPU_RING_GPR(0)) / 4] :
				 NULL;
	if (reg / 4 >= FAKE_NREGS || (fx->deny_reg && reg == fx->deny_reg))
		return NULL;
	return &fx->regs[reg / 4];
}

static inline int fake_reg_read(void *priv, u32 reg, u32 *val)
{
	u32 *r = fake_reg(priv, reg);

	if (!r)
		return -EINVAL;
	*val = *r;
	return 0;
}

static inline int fake_reg_write(void *priv, u32 reg, u32 val)
{
	u32 *r = fake_reg(priv, reg);

	if (!r)
		return -EINVAL;
	*r = val;
	return 0;
}

static inline void fake_notify(void *priv, enum sgpu_event ev, u64 addr)
{
	struct fake *fx = priv;

	if (ev == SGPU_EVENT_USER_INTERRUPT) {
		fx->user_irqs++;
	} else {
		fx->post_syncs++;
		fx->last_post_sync = addr;
	}
}

static inline bool fake_should_yield(void *priv)
{
	struct fake *fx = priv;

	fx->arb_points++;
	switch (fx->yield) {
	case FAKE_YIELD_ALWAYS:
		return true;
	case FAKE_YIELD_EVERY:
		return fx->arb_points % fx->yield_every == 0;
	default:
		return false;
	}
}

static const struct sgpu_exec_ops fake_exec_ops = {
	.reg_read = fake_reg_read,
	.reg_write = fake_reg_write,
	.notify = fake_notify,
	.should_yield = fake_should_yield,
};

/*
 * @data_pages (a power of two) back the GGTT: graphics page i is physical
 * page (i * 37 + 11) % data_pages, or i if @identity.  @pt_pages more
 * physical pages above them hold page tables.
 */
static inline void fake_init(struct fake *fx, u64 data_pages, u64 pt_pages,
			     bool identity)
{
	u64 i;

	memset(fx, 0, sizeof(*fx));
	fx->npages = data_pages + pt_pages;
	fx->phys = aligned_alloc(FAKE_PAGE, fx->npages * FAKE_PAGE);
	assert(fx->phys);
	memset(fx->phys, 0, fx->npages * FAKE_PAGE);
	fx->hole = calloc(fx->npages, 1);
	fx->ggtt_entries = data_pages;
	fx->ggtt = calloc(data_pages, sizeof(u64));
	fx->regs = calloc(FAKE_NREGS, sizeof(u32));
	assert(fx->hole && fx->ggtt && fx->regs);
	for (i = 0; i < data_pages; i++) {
		u64 pfn = identity ? i : (i * 37 + 11) & (data_pages - 1);

		fx->ggtt[i] = pfn << 12 | MVGPU_PTE_VALID;
	}
	fx->next_pt = data_pages;
	fx->mem.ops = &fake_mem_ops;
	fx->mem.priv = fx;
	fx->mem.ggtt = fx->ggtt;
	fx->mem.ggtt_entries = fx->ggtt_entries;
}

static inline void fake_fini(struct fake *fx)
{
	free(fx->phys);
	free(fx->hole);
	free(fx->ggtt);
	free(fx->regs);
}

static inline void fake_engine(struct fake *fx, struct sgpu_engine *e, u32 id)
{
	e->id = id;
	e->mem = &fx->mem;
	e->ops = &fake_exec_ops;
	e->priv = fx;
}

/* Run @ctx on @e, as the engine of sgpu/engine.c runs its e->ctx. */
static inline enum sgpu_exec_status fake_run(struct fake *fx,
					     const struct sgpu_engine *e,
					     struct sgpu_ctx *ctx,
					     const struct sgpu_exec_limits *lim,
					     struct sgpu_exec_result *res)
{
	enum sgpu_exec_status st;

	fx->ctx = ctx;
	st = sgpu_exec_run(e, ctx, lim, res);
	fx->ctx = NULL;
	return st;
}

/* ---- test-side translation ---- */

static inline u64 fake_ggtt_pfn(struct fake *fx, u64 ga)
{
	u64 pte = fx->ggtt[ga >> 12];

	assert(ga >> 12 < fx->ggtt_entries && (pte & MVGPU_PTE_VALID));
	return (pte & MVGPU_PTE_ADDR_MASK) >> 12;
}

static inline u8 *fake_gptr(struct fake *fx, u64 ga)
{
	return fx->phys + fake_ggtt_pfn(fx, ga) * FAKE_PAGE + (ga & 4095);
}

static inline u64 *fake_pt(struct fake *fx, u64 pfn)
{
	return (u64 *)(fx->phys + pfn * FAKE_PAGE);
}

static inline u64 fake_pt_alloc(struct fake *fx)
{
	u64 pfn = fx->next_pt++;

	assert(pfn < fx->npages);
	memset(fx->phys + pfn * FAKE_PAGE, 0, FAKE_PAGE);
	return pfn;
}

/* Map PPGTT @va to physical page @pfn, creating tables; returns the PTE. */
static inline u64 *fake_ppgtt_map(struct fake *fx, u64 pml4, u64 va, u64 pfn)
{
	u64 table = pml4 >> 12;
	int level;

	for (level = 4; level > 1; level--) {
		u64 *t = fake_pt(fx, table);
		u32 idx = (va >> (12 + 9 * (level - 1))) & 511;

		if (!(t[idx] & MVGPU_PPGTT_PRESENT))
			t[idx] = fake_pt_alloc(fx) << 12 | MVGPU_PPGTT_PRESENT;
		table = (t[idx] & MVGPU_PPGTT_ADDR_MASK) >> 12;
	}
	fake_pt(fx, table)[(va >> 12) & 511] = pfn << 12 | MVGPU_PPGTT_PRESENT;
	return &fake_pt(fx, table)[(va >> 12) & 511];
}

/* Entry of @level (4..1) that translates @va; tables must exist. */
static inline u64 *fake_ppgtt_entry(struct fake *fx, u64 pml4, u64 va,
				    int level)
{
	u64 table = pml4 >> 12;
	int l;

	for (l = 4;; l--) {
		u64 *e = &fake_pt(fx, table)[(va >> (12 + 9 * (l - 1))) & 511];

		if (l == level)
			return e;
		table = (*e & MVGPU_PPGTT_ADDR_MASK) >> 12;
	}
}

static inline u8 *fake_pptr(struct fake *fx, u64 pml4, u64 va)
{
	u64 pte = *fake_ppgtt_entry(fx, pml4, va, 1);

	assert(pte & MVGPU_PPGTT_PRESENT);
	return fx->phys + (pte & MVGPU_PPGTT_ADDR_MASK) + (va & 4095);
}

/* Map PPGTT [va, va + size) onto the GGTT's backing pages of [ga, ...). */
static inline void fake_ppgtt_alias(struct fake *fx, u64 pml4, u64 va, u64 ga,
				    u64 size)
{
	u64 off;

	for (off = 0; off < size; off += FAKE_PAGE)
		fake_ppgtt_map(fx, pml4, va + off, fake_ggtt_pfn(fx, ga + off));
}

static inline void fake_gwrite(struct fake *fx, u64 ga, const void *buf, u64 n)
{
	const u8 *p = buf;

	while (n) {
		u64 c = 4096 - (ga & 4095);

		if (c > n)
			c = n;
		memcpy(fake_gptr(fx, ga), p, c);
		ga += c;
		p += c;
		n -= c;
	}
}

static inline void fake_gread(struct fake *fx, u64 ga, void *buf, u64 n)
{
	u8 *p = buf;

	while (n) {
		u64 c = 4096 - (ga & 4095);

		if (c > n)
			c = n;
		memcpy(p, fake_gptr(fx, ga), c);
		ga += c;
		p += c;
		n -= c;
	}
}

static inline void fake_gw32(struct fake *fx, u64 ga, u32 v)
{
	fake_gwrite(fx, ga, &v, 4);
}

static inline u32 fake_gr32(struct fake *fx, u64 ga)
{
	u32 v;

	fake_gread(fx, ga, &v, 4);
	return v;
}

static inline u64 fake_gr64(struct fake *fx, u64 ga)
{
	u64 v;

	fake_gread(fx, ga, &v, 8);
	return v;
}

/* ---- command buffers: a ring, or a batch in the GGTT or the PPGTT ---- */

struct tbuf {
	struct fake *fx;
	int kind;		/* MVGPU_SPACE_RING/GGTT/PPGTT */
	u64 base;		/* GGTT address (ring, GGTT) or PPGTT address */
	u64 pml4;
	u32 size;		/* ring size */
	u32 off;		/* next byte to emit */
};

static inline void tb_init(struct tbuf *b, struct fake *fx, int kind, u64 base,
			   u64 pml4, u32 size)
{
	b->fx = fx;
	b->kind = kind;
	b->base = base;
	b->pml4 = pml4;
	b->size = size;
	b->off = 0;
}

static inline u64 tb_addr(struct tbuf *b)
{
	return b->base + b->off;
}

static inline void tb_emit(struct tbuf *b, u32 dw)
{
	if (b->kind == MVGPU_SPACE_PPGTT)
		memcpy(fake_pptr(b->fx, b->pml4, b->base + b->off), &dw, 4);
	else
		fake_gw32(b->fx, b->base + b->off, dw);
	b->off += 4;
	if (b->kind == MVGPU_SPACE_RING)
		b->off %= b->size;
}

static inline void tb_emitv(struct tbuf *b, const u32 *dw, int n)
{
	int i;

	for (i = 0; i < n; i++)
		tb_emit(b, dw[i]);
}

#define TB(b, ...) do {							\
	const u32 __dw[] = { __VA_ARGS__ };				\
	tb_emitv(b, __dw, sizeof(__dw) / sizeof(__dw[0]));		\
} while (0)

#define LO(a)	((u32)(a))
#define HI(a)	((u32)((u64)(a) >> 32))

static inline void tb_sdi(struct tbuf *b, u64 addr, u32 v, bool ggtt)
{
	TB(b, MVGPU_MI_STORE_DATA_IMM | (ggtt ? MVGPU_MI_USE_GGTT : 0),
	   LO(addr), HI(addr), v);
}

static inline void tb_bbs(struct tbuf *b, u64 addr, u32 flags)
{
	TB(b, MVGPU_MI_BATCH_BUFFER_START | flags, LO(addr), HI(addr));
}

static inline void tb_end(struct tbuf *b)
{
	TB(b, MVGPU_MI_BATCH_BUFFER_END);
}

static inline void tb_color_blt(struct tbuf *b, u32 depth, u32 pitch, u32 x1,
				u32 y1, u32 x2, u32 y2, u64 addr, u32 color)
{
	TB(b, MVGPU_XY_COLOR_BLT | MVGPU_XY_BLT_WRITE_ALPHA |
	   MVGPU_XY_BLT_WRITE_RGB, depth | MVGPU_BR13_ROP_PATCOPY | pitch,
	   MVGPU_BLT_XY(x1, y1), MVGPU_BLT_XY(x2, y2), LO(addr), HI(addr),
	   color);
}

static inline void tb_src_copy(struct tbuf *b, u32 depth, u32 dpitch, u32 dx1,
			       u32 dy1, u32 dx2, u32 dy2, u64 daddr, u32 sx,
			       u32 sy, u32 spitch, u64 saddr)
{
	TB(b, MVGPU_XY_SRC_COPY_BLT | MVGPU_XY_BLT_WRITE_ALPHA |
	   MVGPU_XY_BLT_WRITE_RGB, depth | MVGPU_BR13_ROP_SRCCOPY | dpitch,
	   MVGPU_BLT_XY(dx1, dy1), MVGPU_BLT_XY(dx2, dy2), LO(daddr),
	   HI(daddr), MVGPU_BLT_XY(sx, sy), spitch, LO(saddr), HI(saddr));
}

static inline void tb_fast_copy(struct tbuf *b, u32 depth, u32 dpitch,
				u32 dx1, u32 dy1, u32 dx2, u32 dy2, u64 daddr,
				u32 sx, u32 sy, u32 spitch, u64 saddr)
{
	TB(b, MVGPU_XY_FAST_COPY_BLT, depth | dpitch, MVGPU_BLT_XY(dx1, dy1),
	   MVGPU_BLT_XY(dx2, dy2), LO(daddr), HI(daddr), MVGPU_BLT_XY(sx, sy),
	   spitch, LO(saddr), HI(saddr));
}

static inline void tb_blend(struct tbuf *b, u32 op, u32 alpha, u32 w, u32 h,
			    u32 dpitch, u64 daddr, u32 spitch, u64 saddr)
{
	TB(b, MVGPU_BLEND, op | alpha << MVGPU_BLEND_ALPHA_SHIFT, w | h << 16,
	   dpitch, LO(daddr), HI(daddr), spitch, LO(saddr), HI(saddr));
}

/* ---- contexts ---- */

struct tctx {
	struct fake *fx;
	u64 lrca;
	u64 desc;
	struct tbuf ring;
	struct sgpu_ctx ctx;
};

/* A context with its image at @lrca and a @ring_size ring at @ring. */
static inline void tctx_init(struct tctx *t, struct fake *fx, u64 lrca,
			     u64 ring, u32 ring_size, u64 mode, u32 id,
			     u64 pml4)
{
	u32 img[MVGPU_CTX_DWORDS] = { 0 };

	t->fx = fx;
	t->lrca = lrca;
	t->desc = MVGPU_CTX_DESC(lrca, mode, id);
	img[MVGPU_CTX_RING_START] = (u32)ring;
	img[MVGPU_CTX_RING_CTL] = MVGPU_RING_CTL_SIZE(ring_size) |
				  MVGPU_RING_CTL_VALID;
	img[MVGPU_CTX_PML4_LO] = LO(pml4);
	img[MVGPU_CTX_PML4_HI] = HI(pml4);
	fake_gwrite(fx, lrca, img, sizeof(img));
	tb_init(&t->ring, fx, MVGPU_SPACE_RING, ring, 0, ring_size);
}

/* Publish the ring's tail in the image and load the context. */
static inline int tctx_submit(struct tctx *t)
{
	fake_gw32(t->fx, t->lrca + 4 * MVGPU_CTX_RING_TAIL, t->ring.off);
	return sgpu_ctx_load(&t->ctx, &t->fx->mem, t->desc, NULL);
}

#endif /* _SGPU_FAKE_H */
