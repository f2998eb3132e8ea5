// SPDX-License-Identifier: GPL-2.0-only
/*
 * Command scanner.
 *
 * The caller copies a workload's ring contents into a host-owned shadow;
 * mvgpu_cmd_scan_ring() walks it command by command with the table in
 * cmd_table.c and rejects anything the table does not allow.  Every
 * MI_BATCH_BUFFER_START it meets is followed: the batch is copied, a page
 * at a time and only as far as its commands reach, into a new shadow
 * buffer obtained from the caller, scanned there (never in guest memory),
 * placed in GGTT space, and the start command is patched to jump to that
 * shadow.  What runs is therefore exactly what was scanned.
 *
 * No recursion: the buffers being scanned form a stack linked through
 * &mvgpu_shadow_buf.parent, bounded by the batch limit.  No allocation
 * except through the caller's ops, no state outside the arguments.
 * Rules: Documentation/cmd-scanning.rst.
 */
#include <linux/types.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include <mvgpu/mvgpu_cmd.h>
#include <mvgpu/mvgpu_regs.h>

#include "cmd_parser.h"

/* Largest byte limit accepted, so that buffer sizes stay far from 2^32. */
#define MVGPU_CMD_MAX_BYTES_LIMIT	BIT(30)

struct mvgpu_scanner {
	const struct mvgpu_cmd_scan *s;
	struct mvgpu_cmd_result *res;
	struct mvgpu_shadow_buf *cur;	/* the buffer being scanned */

	/* the command being scanned */
	const struct mvgpu_cmd_desc *desc;
	const struct mvgpu_cmd_desc *last;	/* the previous command's */
	u32 off;
	u32 hdr;
	u32 len;			/* dwords */

	/* the first-level batch being scanned, for batch_scanned */
	bool leaf;			/* it started no batch yet */
	u32 bb_cmds;			/* res->cmds when it started */
	u32 bb_ppgtt;			/* res->ppgtt_operands then */
};

static const struct {
	const char *name;
	int err;
} mvgpu_cmd_reasons[MVGPU_CMD_R_COUNT] = {
	[MVGPU_CMD_OK]			= { "ok", 0 },
	[MVGPU_CMD_R_UNKNOWN]		= { "unknown command", -EINVAL },
	[MVGPU_CMD_R_LENGTH]		= { "bad length", -EINVAL },
	[MVGPU_CMD_R_TRUNCATED]		= { "truncated", -EINVAL },
	[MVGPU_CMD_R_ENGINE]		= { "wrong engine", -EACCES },
	[MVGPU_CMD_R_PARAM]		= { "unsupported field", -EINVAL },
	[MVGPU_CMD_R_ADDRESS]		= { "address outside vGPU", -EACCES },
	[MVGPU_CMD_R_NO_PPGTT]		= { "PPGTT without PPGTT", -EACCES },
	[MVGPU_CMD_R_REGISTER]		= { "register not allowed", -EACCES },
	[MVGPU_CMD_R_BB_END_IN_RING]	= { "batch end in ring", -EINVAL },
	[MVGPU_CMD_R_DEPTH]		= { "batch nesting", -EINVAL },
	[MVGPU_CMD_R_CHAIN]		= { "batches too long", -E2BIG },
	[MVGPU_CMD_R_BATCHES]		= { "too many batches", -E2BIG },
	[MVGPU_CMD_R_COPY]		= { "guest memory unreadable", -EFAULT },
	[MVGPU_CMD_R_SHADOW]		= { "no shadow memory", -ENOMEM },
};

/**
 * mvgpu_cmd_reason_str() - name of a rejection reason
 * @reason: the reason
 *
 * Return: a constant string.
 */
const char *mvgpu_cmd_reason_str(enum mvgpu_cmd_reason reason)
{
	if ((unsigned int)reason >= MVGPU_CMD_R_COUNT)
		return "?";
	return mvgpu_cmd_reasons[reason].name;
}

/**
 * mvgpu_cmd_scan_init() - scan parameters with the default limits
 * @s: filled in; the caller then sets @s->gm
 * @engine: MVGPU_ENGINE_*
 * @ppgtt: the context has a PPGTT
 * @ops: the caller's ops
 * @priv: their first argument
 */
void mvgpu_cmd_scan_init(struct mvgpu_cmd_scan *s, unsigned int engine,
			 bool ppgtt, const struct mvgpu_cmd_ops *ops,
			 void *priv)
{
	memset(s, 0, sizeof(*s));
	s->engine = engine;
	s->ppgtt = ppgtt;
	s->max_bytes = MVGPU_CMD_DEFAULT_MAX_BYTES;
	s->max_batches = MVGPU_CMD_DEFAULT_MAX_BATCHES;
	s->ops = ops;
	s->priv = priv;
}

/**
 * mvgpu_cmd_find() - the table entry of a command
 * @header: its first dword
 *
 * Looked up by client and opcode in mvgpu_cmd_index, then matched.
 *
 * Return: the descriptor, or NULL for an unknown client or opcode.
 */
const struct mvgpu_cmd_desc *mvgpu_cmd_find(u32 header)
{
	unsigned int i = mvgpu_cmd_index[mvgpu_cmd_key(header)];
	const struct mvgpu_cmd_desc *d;

	if (!i)
		return NULL;
	d = &mvgpu_cmd_table[i - 1];
	return (header & d->match_mask) == d->match ? d : NULL;
}

/**
 * mvgpu_cmd_length() - length of a command
 * @d: its descriptor
 * @header: its first dword
 *
 * Return: total dwords, or 0 if the length field is not allowed.
 */
u32 mvgpu_cmd_length(const struct mvgpu_cmd_desc *d, u32 header)
{
	u32 n = (header & d->len_mask) + d->len_bias;

	if (n < d->len_min || n > d->len_max ||
	    ((n - d->len_min) & (d->len_step - 1)))
		return 0;
	return n;
}

/* Bytes from @addr to the end of the vGPU range holding it, or 0. */
static u64 mvgpu_cmd_gm_room(const struct mvgpu_cmd_scan *s, u64 addr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(s->gm); i++) {
		const struct mvgpu_cmd_range *r = &s->gm[i];

		if (addr >= r->base && addr - r->base < r->size)
			return r->size - (addr - r->base);
	}
	return 0;
}

/**
 * mvgpu_cmd_gm_ok() - is a GGTT access inside the vGPU's memory?
 * @s: scan parameters: the vGPU's ranges
 * @addr: first byte
 * @size: bytes; 0 is checked as 1
 *
 * The whole of [@addr, @addr + @size) must lie in one range.  Nothing is
 * computed that could wrap.
 *
 * Return: true if it does.
 */
bool mvgpu_cmd_gm_ok(const struct mvgpu_cmd_scan *s, u64 addr, u64 size)
{
	unsigned int i;

	size = max_t(u64, size, 1);
	for (i = 0; i < ARRAY_SIZE(s->gm); i++) {
		const struct mvgpu_cmd_range *r = &s->gm[i];

		if (addr >= r->base && size <= r->size &&
		    addr - r->base <= r->size - size)
			return true;
	}
	return false;
}

/**
 * mvgpu_cmd_reg_ok() - may a command access a register?
 * @engine: the engine running the command
 * @reg: MMIO offset, as the command gives it (bits 22:2): absolute
 *	 (engine base + offset) or relative to the engine base (below
 *	 %MVGPU_CMD_REG_WINDOW), as the engine itself accepts both
 * @access: MVGPU_CMD_REG_READ and/or MVGPU_CMD_REG_WRITE
 *
 * Return: true if @reg is on the engine's allow-list for @access.
 */
bool mvgpu_cmd_reg_ok(unsigned int engine, u32 reg, u32 access)
{
	unsigned int i;
	u32 rel;

	if (engine >= MVGPU_NUM_ENGINES)
		return false;
	/* Named relative to the engine (as the engine accepts) or absolutely. */
	if (reg < MVGPU_CMD_REG_WINDOW)
		rel = reg;
	else if (reg >= mvgpu_cmd_engine_base[engine])
		rel = reg - mvgpu_cmd_engine_base[engine];
	else
		return false;
	for (i = 0; i < mvgpu_cmd_reg_allow_len; i++) {
		const struct mvgpu_cmd_reg_range *r = &mvgpu_cmd_reg_allow[i];

		if (rel >= r->offset && (rel - r->offset) / 4 < r->count &&
		    !((rel - r->offset) & 3) && !(access & ~r->access))
			return true;
	}
	return false;
}

static int mvgpu_cmd_reject(struct mvgpu_scanner *sc,
			    enum mvgpu_cmd_reason reason, int err, u64 value)
{
	const struct mvgpu_shadow_buf *b = sc->cur;
	struct mvgpu_cmd_result *res = sc->res;

	res->reason = reason;
	res->err = err ? err : mvgpu_cmd_reasons[reason].err;
	res->index = b->index;
	res->level = b->level;
	res->offset = sc->off;
	res->space = b->level ? b->guest_space : MVGPU_SPACE_RING;
	res->cmd_addr = b->level ? b->guest_addr + sc->off : sc->off;
	res->header = sc->hdr;
	res->value = value;
	return res->err;
}

/* An op's failure: keep its errno, but make sure it is one. */
static int mvgpu_cmd_op_err(int ret, int fallback)
{
	return ret < 0 ? ret : fallback;
}

static u32 mvgpu_cmd_dw(const struct mvgpu_scanner *sc, u32 i)
{
	return get_unaligned_le32((u8 *)sc->cur->va + sc->off + 4 * i);
}

/* Copy the current batch in until its first @end bytes are there. */
static int mvgpu_cmd_fill(struct mvgpu_scanner *sc, u32 end)
{
	const struct mvgpu_cmd_scan *s = sc->s;
	struct mvgpu_shadow_buf *b = sc->cur;
	int ret;

	while (b->copied < end) {
		u64 ga = b->guest_addr + b->copied;
		u32 n = MVGPU_CMD_CHUNK - (u32)(ga & (MVGPU_CMD_CHUNK - 1));

		if (ga >= BIT_ULL(MVGPU_CMD_ADDR_BITS))
			return mvgpu_cmd_reject(sc, MVGPU_CMD_R_ADDRESS, 0, ga);
		if (b->guest_space == MVGPU_SPACE_GGTT) {
			u64 room = mvgpu_cmd_gm_room(s, ga);

			if (!room)
				return mvgpu_cmd_reject(sc, MVGPU_CMD_R_ADDRESS,
							0, ga);
			n = min_t(u64, n, room);
		}
		if (b->copied + n > b->size) {
			/*
			 * Doubling, but no further than a batch within the
			 * byte limit can need: its commands and the rest of
			 * the chunk its copy ends in.
			 */
			u32 want = max(b->copied + n,
				       min(2 * b->size,
					   s->max_bytes + MVGPU_CMD_CHUNK));

			ret = s->ops->shadow_grow(s->priv, b, want);
			if (ret || !b->va || b->size < b->copied + n)
				return mvgpu_cmd_reject(sc, MVGPU_CMD_R_SHADOW,
					mvgpu_cmd_op_err(ret, -ENOMEM), 0);
		}
		ret = s->ops->copy_in(s->priv, b->guest_space, ga,
				      (u8 *)b->va + b->copied, n);
		if (ret)
			return mvgpu_cmd_reject(sc, MVGPU_CMD_R_COPY,
						mvgpu_cmd_op_err(ret, -EFAULT),
						ga);
		b->copied += n;
	}
	return 0;
}

/* Address and space of operand @op of the current command. */
static u64 mvgpu_cmd_op_addr(const struct mvgpu_scanner *sc,
			     const struct mvgpu_cmd_operand *op,
			     enum mvgpu_cmd_space *space)
{
	enum mvgpu_cmd_space dflt = sc->s->ppgtt ? MVGPU_SPACE_PPGTT :
						   MVGPU_SPACE_GGTT;
	bool sel = mvgpu_cmd_dw(sc, op->sel_dw) & op->sel_bit;

	switch (op->sel) {
	case MVGPU_CMD_SEL_GGTT_BIT:
		*space = sel ? MVGPU_SPACE_GGTT : dflt;
		break;
	case MVGPU_CMD_SEL_PPGTT_BIT:
		*space = sel ? MVGPU_SPACE_PPGTT : MVGPU_SPACE_GGTT;
		break;
	default:
		*space = dflt;
		break;
	}
	return (mvgpu_cmd_dw(sc, op->addr_dw) & op->addr_mask) |
	       (u64)(mvgpu_cmd_dw(sc, op->addr_dw + 1) & 0xffff) << 32;
}

/* Bytes per pixel of the current 2D command, 0 if reserved. */
static u32 mvgpu_cmd_cpp(const struct mvgpu_scanner *sc)
{
	const struct mvgpu_cmd_geom *g = &sc->desc->geom;
	u32 depth = (mvgpu_cmd_dw(sc, g->cpp_dw) >> g->cpp_shift) & g->cpp_mask;

	return g->cpp[depth & 7];
}

/*
 * Extent of a surface operand: the first byte any row touches and the
 * bytes from there to the end of the last row.  The fields are at most
 * 48 + 16 + 32 bits wide, so nothing here wraps.  Returns false for an
 * empty rectangle, which touches nothing.
 */
static bool mvgpu_cmd_surf(const struct mvgpu_scanner *sc,
			   const struct mvgpu_cmd_operand *op, u64 *addr,
			   u64 *size)
{
	const struct mvgpu_cmd_geom *g = &sc->desc->geom;
	u32 cpp = mvgpu_cmd_cpp(sc);
	u32 x = 0, y = 0, w, h, pitch;

	if (g->rect_dw) {
		u32 r1 = mvgpu_cmd_dw(sc, g->rect_dw);
		u32 r2 = mvgpu_cmd_dw(sc, g->rect_dw + 1);

		if ((r2 & 0xffff) <= (r1 & 0xffff) || r2 >> 16 <= r1 >> 16)
			return false;
		w = (r2 & 0xffff) - (r1 & 0xffff);
		h = (r2 >> 16) - (r1 >> 16);
	} else {
		u32 wh = mvgpu_cmd_dw(sc, g->wh_dw);

		w = wh & 0xffff;
		h = wh >> 16;
		if (!w || !h)
			return false;
	}
	if (op->origin_dw) {
		u32 o = mvgpu_cmd_dw(sc, op->origin_dw);

		x = o & 0xffff;
		y = o >> 16;
	}
	pitch = mvgpu_cmd_dw(sc, op->arg) & op->pitch_mask;
	*addr += (u64)y * pitch + (u64)x * cpp;
	*size = (u64)(h - 1) * pitch + (u64)w * cpp;
	return true;
}

static int mvgpu_cmd_operand(struct mvgpu_scanner *sc,
			     const struct mvgpu_cmd_operand *op)
{
	enum mvgpu_cmd_space space;
	u64 addr, size;

	if (op->cond_mask && !(mvgpu_cmd_dw(sc, op->cond_dw) & op->cond_mask))
		return 0;
	addr = mvgpu_cmd_op_addr(sc, op, &space);
	if (space == MVGPU_SPACE_PPGTT) {
		/* confined by the shadow PPGTT, not here */
		if (!sc->s->ppgtt)
			return mvgpu_cmd_reject(sc, MVGPU_CMD_R_NO_PPGTT, 0,
						addr);
		sc->res->ppgtt_operands++;
		return 0;
	}
	switch (op->size) {
	case MVGPU_CMD_SIZE_FIXED:
		size = op->arg;
		break;
	case MVGPU_CMD_SIZE_TAIL:
		size = 4 * (sc->len - op->arg);
		break;
	case MVGPU_CMD_SIZE_SURF:
		if (!mvgpu_cmd_surf(sc, op, &addr, &size))
			return 0;
		break;
	default:
		/* a batch: its first dword now, the rest as it is copied */
		size = 4;
		break;
	}
	if (!mvgpu_cmd_gm_ok(sc->s, addr, size))
		return mvgpu_cmd_reject(sc, MVGPU_CMD_R_ADDRESS, 0, addr);
	return 0;
}

static int mvgpu_cmd_regs(struct mvgpu_scanner *sc)
{
	const struct mvgpu_cmd_reg *r = &sc->desc->reg;
	u32 i, reg;

	if (!r->dw)
		return 0;
	for (i = r->dw; i < sc->len; i += r->stride) {
		reg = mvgpu_cmd_dw(sc, i) & MVGPU_MI_REG_MASK;
		if (!mvgpu_cmd_reg_ok(sc->s->engine, reg, r->access))
			return mvgpu_cmd_reject(sc, MVGPU_CMD_R_REGISTER, 0,
						reg);
		if (!r->stride)
			break;
	}
	return 0;
}

/* Everything but batch handling: is the command at @sc->off allowed? */
static int mvgpu_cmd_check(struct mvgpu_scanner *sc)
{
	const struct mvgpu_cmd_desc *d = sc->desc;
	unsigned int i;
	int ret;

	if (!(d->engines & BIT(sc->s->engine)))
		return mvgpu_cmd_reject(sc, MVGPU_CMD_R_ENGINE, 0, 0);
	if (!sc->cur->level && (d->flags & MVGPU_CMD_F_NO_RING))
		return mvgpu_cmd_reject(sc, MVGPU_CMD_R_BB_END_IN_RING, 0, 0);
	if (mvgpu_cmd_dw(sc, d->mbz_dw) & d->mbz_mask)
		return mvgpu_cmd_reject(sc, MVGPU_CMD_R_PARAM, 0, 0);
	if ((d->geom.rect_dw || d->geom.wh_dw) && !mvgpu_cmd_cpp(sc))
		return mvgpu_cmd_reject(sc, MVGPU_CMD_R_PARAM, 0, 0);
	ret = mvgpu_cmd_regs(sc);
	if (ret)
		return ret;
	for (i = 0; i < MVGPU_CMD_MAX_OPERANDS && d->op[i].addr_dw; i++) {
		ret = mvgpu_cmd_operand(sc, &d->op[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int mvgpu_cmd_bb_finish(struct mvgpu_scanner *sc);

/*
 * The first-level batch just started (@sc->cur, nothing copied yet):
 * if the caller knows bytes of it an earlier scan accepted, copy the
 * guest's batch into its shadow as far as they go and compare.  Equal:
 * the batch is accepted as it was then, and finished; returns 1.  Not
 * known, different, or the copy failed: returns 0, and the batch is
 * scanned from its start, in the shadow, as any other (what was copied
 * stays: the scan reads those bytes, never the guest's again).  So the
 * bytes that run are the ones compared or scanned, and a batch is
 * rejected, or not, exactly as a full scan would.
 */
static int mvgpu_cmd_bb_known(struct mvgpu_scanner *sc)
{
	const struct mvgpu_cmd_scan *s = sc->s;
	struct mvgpu_cmd_result *res = sc->res, saved;
	struct mvgpu_shadow_buf *b = sc->cur;
	struct mvgpu_cmd_verdict v = { };
	const void *known;

	if (!s->ops->batch_known)
		return 0;
	known = s->ops->batch_known(s->priv, b, &v);
	if (!known || !v.len || (v.len & 3) ||
	    s->max_bytes - res->batch_bytes < v.len)
		return 0;
	saved = *res;
	if (mvgpu_cmd_fill(sc, v.len)) {
		*res = saved;	/* the scan meets the failure in its place */
		return 0;
	}
	if (memcmp(b->va, known, v.len))
		return 0;
	res->cmds += v.cmds;
	res->batch_bytes += v.len;
	res->ppgtt_operands += v.ppgtt_operands;
	res->known++;
	b->len = v.len;
	b->pos = v.len;
	sc->leaf = false;
	return mvgpu_cmd_bb_finish(sc) ?: 1;
}

/* MI_BATCH_BUFFER_START: set up the shadow of its batch and go there. */
static int mvgpu_cmd_bb_start(struct mvgpu_scanner *sc)
{
	const struct mvgpu_cmd_scan *s = sc->s;
	struct mvgpu_shadow_buf *b = sc->cur, *nb = NULL;
	bool second = sc->hdr & MVGPU_MI_BB_SECOND_LEVEL;
	enum mvgpu_cmd_space space;
	u32 level;
	u64 addr;
	int ret;

	if (!b->level)
		level = 1;	/* bit 22 is ignored in the ring */
	else if (!second)
		level = b->level;	/* chained */
	else if (b->level < MVGPU_CMD_MAX_DEPTH)
		level = b->level + 1;
	else
		return mvgpu_cmd_reject(sc, MVGPU_CMD_R_DEPTH, 0, 0);
	if (sc->res->batches >= s->max_batches)
		return mvgpu_cmd_reject(sc, MVGPU_CMD_R_BATCHES, 0, 0);

	addr = mvgpu_cmd_op_addr(sc, &sc->desc->op[0], &space);
	ret = s->ops->shadow_alloc(s->priv, MVGPU_CMD_CHUNK, &nb);
	if (ret || !nb || !nb->va || nb->size < MVGPU_CMD_CHUNK)
		return mvgpu_cmd_reject(sc, MVGPU_CMD_R_SHADOW,
					mvgpu_cmd_op_err(ret, -ENOMEM), 0);
	sc->res->batches++;

	nb->gma = 0;
	nb->len = 0;
	nb->guest_space = space;
	nb->guest_addr = addr;
	nb->level = level;
	nb->index = sc->res->batches;
	nb->copied = 0;
	nb->pos = 0;
	nb->chained = false;
	nb->parent = b;
	nb->parent_off = sc->off;

	b->pos = sc->off + 4 * sc->len;
	if (b->level && !second) {
		/* nothing returns here: this batch ends with the start */
		b->chained = true;
		b->len = b->pos;
	}
	sc->cur = nb;
	if (b->level) {
		sc->leaf = false;
		return 0;
	}
	sc->leaf = true;
	sc->bb_cmds = sc->res->cmds;
	sc->bb_ppgtt = sc->res->ppgtt_operands;
	ret = mvgpu_cmd_bb_known(sc);
	return ret < 0 ? ret : 0;
}

/*
 * The current batch ended.  Place it, patch the start that jumped to it,
 * and do the same for the batches that chained to it; then resume the
 * buffer that called it.
 */
static int mvgpu_cmd_bb_finish(struct mvgpu_scanner *sc)
{
	const struct mvgpu_cmd_scan *s = sc->s;
	struct mvgpu_shadow_buf *b = sc->cur;
	int ret;

	if (b->level == 1 && sc->leaf && s->ops->batch_scanned) {
		struct mvgpu_cmd_verdict v = {
			.len = b->len,
			.cmds = sc->res->cmds - sc->bb_cmds,
			.ppgtt_operands = sc->res->ppgtt_operands - sc->bb_ppgtt,
		};

		s->ops->batch_scanned(s->priv, b, &v);
	}
	sc->leaf = false;
	do {
		u64 gma = 0;
		u8 *p;

		ret = s->ops->shadow_place(s->priv, b, &gma);
		if (ret || (gma & 3) || gma >= BIT_ULL(MVGPU_CMD_ADDR_BITS))
			return mvgpu_cmd_reject(sc, MVGPU_CMD_R_SHADOW,
					mvgpu_cmd_op_err(ret, -EINVAL), gma);
		b->gma = gma;

		/* the start now jumps to the shadow, in the GGTT */
		p = (u8 *)b->parent->va + b->parent_off;
		put_unaligned_le32(get_unaligned_le32(p) & ~MVGPU_MI_BB_PPGTT,
				   p);
		put_unaligned_le32(lower_32_bits(gma), p + 4);
		put_unaligned_le32(upper_32_bits(gma), p + 8);
		b = b->parent;
	} while (b->chained);
	sc->cur = b;
	return 0;
}

/* Scan the command at the current position and step past it. */
static int mvgpu_cmd_next(struct mvgpu_scanner *sc)
{
	const struct mvgpu_cmd_scan *s = sc->s;
	struct mvgpu_cmd_result *res = sc->res;
	struct mvgpu_shadow_buf *b = sc->cur;
	int ret;

	sc->off = b->pos;
	sc->hdr = 0;
	sc->len = 0;
	sc->desc = NULL;
	if (b->level) {
		if (s->max_bytes - res->batch_bytes < 4)
			return mvgpu_cmd_reject(sc, MVGPU_CMD_R_CHAIN, 0, 0);
		ret = mvgpu_cmd_fill(sc, sc->off + 4);
		if (ret)
			return ret;
	}
	sc->hdr = mvgpu_cmd_dw(sc, 0);
	/* runs of one command (padding, stores) skip the index's loads */
	if (sc->last && (sc->hdr & sc->last->match_mask) == sc->last->match)
		sc->desc = sc->last;
	else
		sc->desc = mvgpu_cmd_find(sc->hdr);
	sc->last = sc->desc;
	if (!sc->desc)
		return mvgpu_cmd_reject(sc, MVGPU_CMD_R_UNKNOWN, 0, 0);
	sc->len = mvgpu_cmd_length(sc->desc, sc->hdr);
	if (!sc->len)
		return mvgpu_cmd_reject(sc, MVGPU_CMD_R_LENGTH, 0, 0);
	if (b->level) {
		if (s->max_bytes - res->batch_bytes < 4 * sc->len)
			return mvgpu_cmd_reject(sc, MVGPU_CMD_R_CHAIN, 0, 0);
		ret = mvgpu_cmd_fill(sc, sc->off + 4 * sc->len);
		if (ret)
			return ret;
	} else if (4 * sc->len > b->len - sc->off) {
		return mvgpu_cmd_reject(sc, MVGPU_CMD_R_TRUNCATED, 0, 0);
	}

	ret = mvgpu_cmd_check(sc);
	if (ret)
		return ret;
	res->cmds++;
	if (b->level)
		res->batch_bytes += 4 * sc->len;

	if (sc->desc->flags & MVGPU_CMD_F_BB_START)
		return mvgpu_cmd_bb_start(sc);
	if (sc->desc->flags & MVGPU_CMD_F_BB_END) {
		b->len = sc->off + 4;
		return mvgpu_cmd_bb_finish(sc);
	}
	b->pos = sc->off + 4 * sc->len;
	return 0;
}

/**
 * mvgpu_cmd_scan_ring() - scan a workload and shadow its batch buffers
 * @s: scan parameters
 * @ring: host-owned copy of the ring from head to tail (see
 *	mvgpu_cmd_copy_ring()); batch starts in it are patched in place
 * @len: its length in bytes, a multiple of 4
 * @res: filled with the outcome and statistics
 *
 * Context: any; sleeps only if the ops do.
 * Return: 0 if the workload may run: @ring, patched, and the placed
 * shadow batches are then exactly what was checked.  Otherwise a negative
 * errno, with @res->reason and where; nothing of the workload may run.
 * -EINVAL with @res->reason %MVGPU_CMD_OK means bad parameters.
 */
int mvgpu_cmd_scan_ring(const struct mvgpu_cmd_scan *s, void *ring, u32 len,
			struct mvgpu_cmd_result *res)
{
	struct mvgpu_shadow_buf rb = {
		.va = ring, .size = len, .len = len, .copied = len,
	};
	struct mvgpu_scanner sc = { .s = s, .res = res, .cur = &rb };
	int ret;

	memset(res, 0, sizeof(*res));
	if (!s->ops || !s->ops->copy_in || !s->ops->shadow_alloc ||
	    !s->ops->shadow_grow || !s->ops->shadow_place ||
	    s->engine >= MVGPU_NUM_ENGINES || (len & 3) || (len && !ring) ||
	    s->max_bytes > MVGPU_CMD_MAX_BYTES_LIMIT) {
		res->err = -EINVAL;
		return res->err;
	}
	while (sc.cur->level || sc.cur->pos < len) {
		ret = mvgpu_cmd_next(&sc);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * mvgpu_cmd_copy_ring() - copy a guest ring's commands into a shadow
 * @s: scan parameters: the ops and the vGPU's ranges
 * @ring_start: GGTT address of the ring, 4 KiB aligned
 * @ring_size: its size, 4 KiB to %MVGPU_RING_MAX_SIZE in whole pages
 * @head: offset of the first command, dword aligned
 * @tail: offset after the last, dword aligned
 * @dst: receives the commands from @head to @tail, unwrapped; room for
 *	@ring_size - 4 bytes is always enough
 *
 * The whole ring must lie in the vGPU's graphics memory.
 *
 * Return: the bytes copied, or a negative errno.
 */
int mvgpu_cmd_copy_ring(const struct mvgpu_cmd_scan *s, u64 ring_start,
			u32 ring_size, u32 head, u32 tail, void *dst)
{
	u32 n, done = 0, off = head;
	int ret;

	if (!ring_size || ring_size > MVGPU_RING_MAX_SIZE ||
	    (ring_size & (MVGPU_CMD_CHUNK - 1)) ||
	    (ring_start & (MVGPU_CMD_CHUNK - 1)) ||
	    head >= ring_size || tail >= ring_size || ((head | tail) & 3))
		return -EINVAL;
	if (!mvgpu_cmd_gm_ok(s, ring_start, ring_size))
		return -EACCES;
	n = tail >= head ? tail - head : ring_size - head + tail;
	while (done < n) {
		u32 chunk = min(n - done, ring_size - off);

		/* ring_start is page aligned: stop at the next page */
		chunk = min(chunk, MVGPU_CMD_CHUNK - (off & (MVGPU_CMD_CHUNK - 1)));

		ret = s->ops->copy_in(s->priv, MVGPU_SPACE_GGTT,
				      ring_start + off, (u8 *)dst + done, chunk);
		if (ret)
			return mvgpu_cmd_op_err(ret, -EFAULT);
		done += chunk;
		off = off + chunk == ring_size ? 0 : off + chunk;
	}
	return n;
}
