// SPDX-License-Identifier: GPL-2.0-only
/*
 * Software GPU: command executor.
 *
 * sgpu_exec_run() runs one context on one engine from the state in
 * struct sgpu_ctx: the ring from head to tail and a two-level batch stack
 * (Gen8 nesting).  The state is updated after every command, so stopping
 * at any return leaves a context that resumes exactly; a failing command
 * leaves it pointing at that command.  A blit, fill or blend that would
 * do more than a slice is split at a row boundary: the context stays at
 * the command with the rows done in ctx->blt_rows, and the command goes
 * on from there when the context next runs.  Nothing here allocates,
 * sleeps or keeps state outside its arguments.  Semantics:
 * Documentation/gpu-interface.rst.
 */
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/math64.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include <mvgpu/mvgpu_cmd.h>
#include <mvgpu/mvgpu_regs.h>

#include "blit.h"
#include "cmd_exec.h"

/* What a command asks of the loop. */
enum sgpu_cmd_ret {
	SGPU_CMD_STOP = -1,	/* return x->stop */
	SGPU_CMD_NEXT = 0,	/* advance past the command */
	SGPU_CMD_ARB,		/* advance, then an arbitration point */
	SGPU_CMD_JUMPED,	/* position already set, arbitration point */
	SGPU_CMD_SPLIT,		/* part done, position kept: end of a slice */
};

struct sgpu_exec {
	const struct sgpu_engine *eng;
	struct sgpu_ctx *ctx;
	struct sgpu_exec_result *res;
	const struct sgpu_exec_limits *lim;
	struct sgpu_vm vm;
	enum sgpu_space dspace;		/* the context's default space */
	enum sgpu_exec_status stop;

	/* the current command */
	u32 level;
	enum mvgpu_cmd_space cspace;
	u64 caddr;
	u32 len;
	u32 dw[MVGPU_CMD_MAX_FIXED_DWORDS];

	/* the page commands are fetched from, kept mapped between commands */
	u8 *fmap;
	u64 fpfn;
	u64 fpage;
	enum sgpu_space fspace;

	struct sgpu_fault fault;
};

static u64 sgpu_addr48(u32 lo, u32 hi)
{
	return lo | (u64)(hi & 0xffff) << 32;
}

static void sgpu_fetch_release(struct sgpu_exec *x)
{
	if (x->fmap) {
		sgpu_vm_unmap(&x->vm, x->fpfn, x->fmap);
		x->fmap = NULL;
	}
}

/* Read dword @i of the current command. */
static int sgpu_fetch(struct sgpu_exec *x, u32 i, u32 *val)
{
	enum sgpu_space space;
	u64 ga, page;

	if (x->cspace == MVGPU_SPACE_RING) {
		ga = x->ctx->ring_start +
		     ((u32)x->caddr + 4 * i) % x->ctx->ring_size;
		space = SGPU_GGTT;
	} else {
		ga = x->caddr + 4ULL * i;
		space = x->cspace == MVGPU_SPACE_PPGTT ? SGPU_PPGTT : SGPU_GGTT;
	}
	page = ga & ~(u64)(SGPU_PAGE_SIZE - 1);
	if (!x->fmap || x->fpage != page || x->fspace != space) {
		sgpu_fetch_release(x);
		x->fmap = sgpu_vm_map(&x->vm, space, ga, &x->fpfn, &x->fault);
		if (!x->fmap)
			return -EFAULT;
		x->fpage = page;
		x->fspace = space;
	}
	*val = get_unaligned_le32(x->fmap + SGPU_PAGE_OFFSET(ga));
	return 0;
}

static int sgpu_fail(struct sgpu_exec *x, u32 code, const struct sgpu_fault *f)
{
	struct sgpu_error *e = &x->res->err;

	e->code = code;
	e->space = x->cspace;
	e->level = f ? f->level : 0;
	e->ctx_id = x->ctx->ctx_id;
	e->cmd_addr = x->caddr;
	e->cmd_header = x->dw[0];
	e->fault_addr = f ? f->addr : 0;
	x->ctx->error = code;
	/* the failing command is not in progress: run again, it starts over */
	x->ctx->blt_rows = 0;
	x->stop = SGPU_EXEC_ERROR;
	return SGPU_CMD_STOP;
}

static int sgpu_fail_fault(struct sgpu_exec *x)
{
	return sgpu_fail(x, x->fault.code, &x->fault);
}

/* Total dwords of the command with header @hdr, or 0 with *code set. */
static u32 sgpu_cmd_len(u32 hdr, u32 *code)
{
	u32 n = (hdr & MVGPU_CMD_LEN_MASK) + 2;

	*code = MVGPU_ERR_CMD_LENGTH;
	switch (hdr >> MVGPU_CMD_CLIENT_SHIFT) {
	case MVGPU_CLIENT_MI:
		switch (MVGPU_MI_OPCODE(hdr)) {
		case MVGPU_MI_OP_NOOP:
		case MVGPU_MI_OP_USER_INTERRUPT:
		case MVGPU_MI_OP_ARB_CHECK:
		case MVGPU_MI_OP_BATCH_BUFFER_END:
			return 1;
		case MVGPU_MI_OP_SEMAPHORE_WAIT:
		case MVGPU_MI_OP_LOAD_REGISTER_MEM:
		case MVGPU_MI_OP_STORE_REGISTER_MEM:
			return n == 4 ? n : 0;
		case MVGPU_MI_OP_STORE_DATA_IMM:
		case MVGPU_MI_OP_FLUSH_DW:
			return n == 4 || n == 5 ? n : 0;
		case MVGPU_MI_OP_LOAD_REGISTER_IMM:
			return n & 1 ? n : 0;
		case MVGPU_MI_OP_BATCH_BUFFER_START:
			return n == 3 ? n : 0;
		}
		break;
	case MVGPU_CLIENT_2D:
		switch (MVGPU_BLT_OPCODE(hdr)) {
		case MVGPU_BLT_OP_XY_COLOR:
			return n == 7 ? n : 0;
		case MVGPU_BLT_OP_XY_SRC_COPY:
		case MVGPU_BLT_OP_XY_FAST_COPY:
			return n == 10 ? n : 0;
		}
		break;
	case MVGPU_CLIENT_GFXPIPE:
		if ((hdr & MVGPU_GFXPIPE_MASK) ==
		    (MVGPU_PIPE_CONTROL & MVGPU_GFXPIPE_MASK))
			return n == 5 || n == 6 ? n : 0;
		if ((hdr & MVGPU_GFXPIPE_MASK) ==
		    (MVGPU_BLEND & MVGPU_GFXPIPE_MASK))
			return n == 9 ? n : 0;
		break;
	}
	*code = MVGPU_ERR_INVALID_CMD;
	return 0;
}

static void sgpu_advance(struct sgpu_exec *x)
{
	struct sgpu_ctx *ctx = x->ctx;

	if (!x->level) {
		ctx->head = (ctx->head + 4 * x->len) % ctx->ring_size;
	} else {
		ctx->bb[x->level - 1].addr += 4ULL * x->len;
		ctx->bb_dwords += x->len;
	}
}

static void sgpu_notify(struct sgpu_exec *x, enum sgpu_event ev, u64 addr)
{
	if (x->eng->ops->notify)
		x->eng->ops->notify(x->eng->priv, ev, addr);
}

static int sgpu_write(struct sgpu_exec *x, enum sgpu_space space, u64 addr,
		      u32 lo, u32 hi, u32 bytes)
{
	u8 buf[8];

	if (addr & (bytes - 1))
		return sgpu_fail(x, MVGPU_ERR_ADDR_ALIGN, NULL);
	put_unaligned_le32(lo, buf);
	put_unaligned_le32(hi, buf + 4);
	if (sgpu_vm_write(&x->vm, space, addr, buf, bytes, &x->fault))
		return sgpu_fail_fault(x);
	return SGPU_CMD_NEXT;
}

static int sgpu_read32(struct sgpu_exec *x, enum sgpu_space space, u64 addr,
		       u32 *val)
{
	u8 buf[4];

	if (addr & 3)
		return sgpu_fail(x, MVGPU_ERR_ADDR_ALIGN, NULL);
	if (sgpu_vm_read(&x->vm, space, addr, buf, 4, &x->fault))
		return sgpu_fail_fault(x);
	*val = get_unaligned_le32(buf);
	return SGPU_CMD_NEXT;
}

static enum sgpu_space sgpu_mi_space(struct sgpu_exec *x)
{
	return x->dw[0] & MVGPU_MI_USE_GGTT ? SGPU_GGTT : x->dspace;
}

static int sgpu_bb_start(struct sgpu_exec *x)
{
	struct sgpu_ctx *ctx = x->ctx;
	u64 addr = sgpu_addr48(x->dw[1] & ~3U, x->dw[2]);
	bool ppgtt = x->dw[0] & MVGPU_MI_BB_PPGTT;
	bool second = x->dw[0] & MVGPU_MI_BB_SECOND_LEVEL;
	struct sgpu_bb bb = {
		.addr = addr,
		.state = MVGPU_BB_STATE_ACTIVE | (ppgtt ? MVGPU_BB_STATE_PPGTT : 0),
	};

	if (ppgtt && !ctx->ppgtt) {
		x->fault.code = MVGPU_ERR_NO_PPGTT;
		x->fault.level = 0;
		x->fault.addr = addr;
		return sgpu_fail_fault(x);
	}
	if (x->level == 2 && second)
		return sgpu_fail(x, MVGPU_ERR_BB_NESTING, NULL);

	if (!x->level) {
		sgpu_advance(x);
		ctx->bb[0] = bb;
		ctx->bb_dwords = 0;
	} else if (x->level == 1 && second) {
		sgpu_advance(x);
		ctx->bb[1] = bb;
	} else {
		/* chained: this level continues at the new address */
		ctx->bb_dwords += x->len;
		ctx->bb[x->level - 1] = bb;
	}
	return SGPU_CMD_JUMPED;
}

static int sgpu_bb_end(struct sgpu_exec *x)
{
	struct sgpu_ctx *ctx = x->ctx;

	if (!x->level)
		return sgpu_fail(x, MVGPU_ERR_BB_END_IN_RING, NULL);
	ctx->bb_dwords += 1;
	ctx->bb[x->level - 1].addr = 0;
	ctx->bb[x->level - 1].state = 0;
	return SGPU_CMD_JUMPED;
}

static int sgpu_semaphore_wait(struct sgpu_exec *x)
{
	u32 op = (x->dw[0] & MVGPU_MI_SEMAPHORE_OP_MASK) >>
		 MVGPU_MI_SEMAPHORE_OP_SHIFT;
	u32 sdd = x->dw[1], sad;
	bool ok;
	int ret;

	if (op > 5)
		return sgpu_fail(x, MVGPU_ERR_CMD_PARAM, NULL);
	ret = sgpu_read32(x, sgpu_mi_space(x), sgpu_addr48(x->dw[2], x->dw[3]),
			  &sad);
	if (ret)
		return ret;
	switch (op) {
	case 0:
		ok = sad > sdd;
		break;
	case 1:
		ok = sad >= sdd;
		break;
	case 2:
		ok = sad < sdd;
		break;
	case 3:
		ok = sad <= sdd;
		break;
	case 4:
		ok = sad == sdd;
		break;
	default:
		ok = sad != sdd;
		break;
	}
	if (ok)
		return SGPU_CMD_NEXT;
	x->stop = SGPU_EXEC_WAITING;
	return SGPU_CMD_STOP;
}

static int sgpu_lri(struct sgpu_exec *x)
{
	const struct sgpu_exec_ops *ops = x->eng->ops;
	u32 i, reg, val;

	for (i = 1; i < x->len; i += 2) {
		if (sgpu_fetch(x, i, &reg) || sgpu_fetch(x, i + 1, &val))
			return sgpu_fail_fault(x);
		if (!ops->reg_write ||
		    ops->reg_write(x->eng->priv, reg & MVGPU_MI_REG_MASK, val))
			return sgpu_fail(x, MVGPU_ERR_REG_ACCESS, NULL);
	}
	return SGPU_CMD_NEXT;
}

static int sgpu_lrm(struct sgpu_exec *x)
{
	const struct sgpu_exec_ops *ops = x->eng->ops;
	u32 val;
	int ret;

	ret = sgpu_read32(x, sgpu_mi_space(x), sgpu_addr48(x->dw[2], x->dw[3]),
			  &val);
	if (ret)
		return ret;
	if (!ops->reg_write ||
	    ops->reg_write(x->eng->priv, x->dw[1] & MVGPU_MI_REG_MASK, val))
		return sgpu_fail(x, MVGPU_ERR_REG_ACCESS, NULL);
	return SGPU_CMD_NEXT;
}

static int sgpu_srm(struct sgpu_exec *x)
{
	const struct sgpu_exec_ops *ops = x->eng->ops;
	u32 val;

	if (!ops->reg_read ||
	    ops->reg_read(x->eng->priv, x->dw[1] & MVGPU_MI_REG_MASK, &val))
		return sgpu_fail(x, MVGPU_ERR_REG_ACCESS, NULL);
	return sgpu_write(x, sgpu_mi_space(x), sgpu_addr48(x->dw[2], x->dw[3]),
			  val, 0, 4);
}

static int sgpu_flush_dw(struct sgpu_exec *x)
{
	u32 op = x->dw[0] & MVGPU_MI_FLUSH_DW_OP_MASK;
	int ret;

	if (op == MVGPU_MI_FLUSH_DW_OP_STOREDW) {
		enum sgpu_space space = x->dw[1] & MVGPU_MI_FLUSH_DW_USE_GTT ?
					SGPU_GGTT : x->dspace;
		u64 addr = sgpu_addr48(x->dw[1] & ~7U, x->dw[2]);

		ret = sgpu_write(x, space, addr, x->dw[3],
				 x->len == 5 ? x->dw[4] : 0,
				 x->len == 5 ? 8 : 4);
		if (ret)
			return ret;
		sgpu_notify(x, SGPU_EVENT_POST_SYNC, addr);
	} else if (op != MVGPU_MI_FLUSH_DW_OP_NONE) {
		return sgpu_fail(x, MVGPU_ERR_CMD_PARAM, NULL);
	}
	if (x->dw[0] & MVGPU_MI_FLUSH_DW_NOTIFY)
		sgpu_notify(x, SGPU_EVENT_USER_INTERRUPT, 0);
	return SGPU_CMD_NEXT;
}

static int sgpu_pipe_control(struct sgpu_exec *x)
{
	u32 flags = x->dw[1];
	u32 op = flags & MVGPU_PIPE_CONTROL_POST_SYNC_MASK;
	int ret;

	if (op == MVGPU_PIPE_CONTROL_WRITE_IMM) {
		enum sgpu_space space = flags & MVGPU_PIPE_CONTROL_GLOBAL_GTT ?
					SGPU_GGTT : x->dspace;
		u64 addr = sgpu_addr48(x->dw[2] & ~3U, x->dw[3]);

		ret = sgpu_write(x, space, addr, x->dw[4],
				 x->len == 6 ? x->dw[5] : 0,
				 x->len == 6 ? 8 : 4);
		if (ret)
			return ret;
		sgpu_notify(x, SGPU_EVENT_POST_SYNC, addr);
	} else if (op) {
		return sgpu_fail(x, MVGPU_ERR_CMD_PARAM, NULL);
	}
	if (flags & MVGPU_PIPE_CONTROL_NOTIFY)
		sgpu_notify(x, SGPU_EVENT_USER_INTERRUPT, 0);
	return SGPU_CMD_NEXT;
}

/*
 * Start the part of a blit, fill or blend of @h rows that this call does:
 * from the rows a previous part did (ctx->blt_rows, checked against @h)
 * up to a slice's worth of work, each row costing @row_bytes against the
 * byte limit.  Returns SGPU_CMD_NEXT, or fails the command.
 */
static int sgpu_blt_part(struct sgpu_exec *x, u32 h, u64 row_bytes,
			 struct sgpu_blt_work *work)
{
	const struct sgpu_exec_limits *lim = x->lim;
	u32 done = x->ctx->blt_rows;

	/* a forged or stale image: not this command's progress */
	if (done && done >= h)
		return sgpu_fail(x, MVGPU_ERR_BAD_CONTEXT, NULL);
	work->done = done;
	work->to = h;
	if (lim->max_bytes && row_bytes) {
		u64 n = div64_u64(lim->max_bytes + row_bytes - 1, row_bytes);

		if (n < h - done)
			work->to = done + n;
	}
	work->max_rows = lim->max_rows;
	work->max_maps = lim->max_maps;
	return SGPU_CMD_NEXT;
}

/*
 * Account the part just done (@ret is what the blit returned) and keep the
 * context at the command if rows are left.
 */
static int sgpu_blt_part_end(struct sgpu_exec *x, int ret, u32 h,
			     u64 row_bytes, const struct sgpu_blt_work *work)
{
	x->res->rows += work->rows;
	x->res->maps += work->maps;
	if (ret)
		return sgpu_fail_fault(x);
	x->res->bytes += (work->done - x->ctx->blt_rows) * row_bytes;
	if (work->done < h) {
		x->ctx->blt_rows = work->done;
		return SGPU_CMD_SPLIT;
	}
	x->ctx->blt_rows = 0;
	return SGPU_CMD_NEXT;
}

static const u8 sgpu_br13_cpp[4] = { 1, 2, 2, 4 };

/* XY_COLOR_BLT, XY_SRC_COPY_BLT, XY_FAST_COPY_BLT */
static int sgpu_xy_blt(struct sgpu_exec *x, u32 op)
{
	u32 hdr = x->dw[0], br13 = x->dw[1];
	struct sgpu_surf dst = { .space = x->dspace }, src = dst;
	u32 x1 = x->dw[2] & 0xffff, y1 = x->dw[2] >> 16;
	u32 x2 = x->dw[3] & 0xffff, y2 = x->dw[3] >> 16;
	const u32 rgba = MVGPU_XY_BLT_WRITE_ALPHA | MVGPU_XY_BLT_WRITE_RGB;
	struct sgpu_blt_work work = { };
	u32 w, h;
	int ret;

	if (op == MVGPU_BLT_OP_XY_FAST_COPY) {
		static const u8 cpp[8] = { 1, 2, 0, 4, 8, 0, 0, 0 };

		if (hdr & (MVGPU_FAST_COPY_SRC_TILING_MASK |
			   MVGPU_FAST_COPY_DST_TILING_MASK))
			return sgpu_fail(x, MVGPU_ERR_CMD_PARAM, NULL);
		dst.cpp = cpp[(br13 & MVGPU_FAST_COPY_DEPTH_MASK) >>
			      MVGPU_FAST_COPY_DEPTH_SHIFT];
		if (!dst.cpp)
			return sgpu_fail(x, MVGPU_ERR_CMD_PARAM, NULL);
	} else {
		u32 rop = op == MVGPU_BLT_OP_XY_COLOR ? MVGPU_BR13_ROP_PATCOPY :
							MVGPU_BR13_ROP_SRCCOPY;

		dst.cpp = sgpu_br13_cpp[(br13 & MVGPU_BR13_DEPTH_MASK) >>
					MVGPU_BR13_DEPTH_SHIFT];
		if (hdr & (MVGPU_XY_BLT_SRC_TILED | MVGPU_XY_BLT_DST_TILED) ||
		    (br13 & MVGPU_BR13_ROP_MASK) != rop ||
		    (dst.cpp == 4 && (hdr & rgba) != rgba))
			return sgpu_fail(x, MVGPU_ERR_CMD_PARAM, NULL);
	}
	dst.pitch = br13 & MVGPU_BR13_PITCH_MASK;
	dst.base = sgpu_addr48(x->dw[4], x->dw[5]);
	w = x2 > x1 ? x2 - x1 : 0;
	h = y2 > y1 && w ? y2 - y1 : 0;
	ret = sgpu_blt_part(x, h, (u64)w * dst.cpp, &work);
	if (ret || !h)
		return ret;
	if ((u64)w * h > MVGPU_BLT_MAX_PIXELS)
		return sgpu_fail(x, MVGPU_ERR_CMD_PARAM, NULL);

	if (op == MVGPU_BLT_OP_XY_COLOR) {
		ret = sgpu_blt_fill(&x->vm, &dst, x1, y1, w, h, x->dw[6],
				    &work, &x->fault);
	} else {
		src.cpp = dst.cpp;
		src.pitch = x->dw[7] & MVGPU_BR13_PITCH_MASK;
		src.base = sgpu_addr48(x->dw[8], x->dw[9]);
		ret = sgpu_blt_copy(&x->vm, &dst, x1, y1, &src,
				    x->dw[6] & 0xffff, x->dw[6] >> 16, w, h,
				    &work, &x->fault);
	}
	return sgpu_blt_part_end(x, ret, h, (u64)w * dst.cpp, &work);
}

static int sgpu_blend(struct sgpu_exec *x)
{
	u32 op = x->dw[1] & MVGPU_BLEND_OP_MASK;
	u32 alpha = (x->dw[1] >> MVGPU_BLEND_ALPHA_SHIFT) & 0xff;
	u32 w = x->dw[2] & 0xffff, h = x->dw[2] >> 16;
	struct sgpu_surf dst = {
		.space = x->dspace, .cpp = 4, .pitch = x->dw[3],
		.base = sgpu_addr48(x->dw[4], x->dw[5]),
	};
	struct sgpu_surf src = {
		.space = x->dspace, .cpp = 4, .pitch = x->dw[6],
		.base = sgpu_addr48(x->dw[7], x->dw[8]),
	};
	struct sgpu_blt_work work = { };
	u64 row = (u64)w * 4 * SGPU_BLEND_WEIGHT;
	int ret;

	if (op > MVGPU_BLEND_OP_CONST_ALPHA)
		return sgpu_fail(x, MVGPU_ERR_CMD_PARAM, NULL);
	if ((u64)w * h > MVGPU_BLEND_MAX_PIXELS)
		return sgpu_fail(x, MVGPU_ERR_CMD_PARAM, NULL);
	if ((dst.base | src.base | dst.pitch | src.pitch) & 3)
		return sgpu_fail(x, MVGPU_ERR_ADDR_ALIGN, NULL);
	if (!w)
		h = 0;
	ret = sgpu_blt_part(x, h, row, &work);
	if (ret || !h)
		return ret;
	ret = sgpu_blt_blend(&x->vm, &dst, &src, w, h, op, alpha, &work,
			     &x->fault);
	return sgpu_blt_part_end(x, ret, h, row, &work);
}

/* Is @hdr a command that may be split (and resumed from ctx->blt_rows)? */
static bool sgpu_cmd_splits(u32 hdr)
{
	switch (hdr >> MVGPU_CMD_CLIENT_SHIFT) {
	case MVGPU_CLIENT_2D:
		return true;
	case MVGPU_CLIENT_GFXPIPE:
		return (hdr & MVGPU_GFXPIPE_MASK) ==
		       (MVGPU_BLEND & MVGPU_GFXPIPE_MASK);
	}
	return false;
}

static bool sgpu_on(struct sgpu_exec *x, u32 engine)
{
	return x->eng->id == engine;
}

static int sgpu_exec_cmd(struct sgpu_exec *x)
{
	u32 hdr = x->dw[0];

	switch (hdr >> MVGPU_CMD_CLIENT_SHIFT) {
	case MVGPU_CLIENT_MI:
		switch (MVGPU_MI_OPCODE(hdr)) {
		case MVGPU_MI_OP_NOOP:
			return SGPU_CMD_NEXT;
		case MVGPU_MI_OP_USER_INTERRUPT:
			sgpu_notify(x, SGPU_EVENT_USER_INTERRUPT, 0);
			return SGPU_CMD_NEXT;
		case MVGPU_MI_OP_ARB_CHECK:
			return SGPU_CMD_ARB;
		case MVGPU_MI_OP_BATCH_BUFFER_END:
			return sgpu_bb_end(x);
		case MVGPU_MI_OP_BATCH_BUFFER_START:
			return sgpu_bb_start(x);
		case MVGPU_MI_OP_SEMAPHORE_WAIT:
			return sgpu_semaphore_wait(x);
		case MVGPU_MI_OP_STORE_DATA_IMM:
			return sgpu_write(x, sgpu_mi_space(x),
					  sgpu_addr48(x->dw[1], x->dw[2]),
					  x->dw[3], x->len == 5 ? x->dw[4] : 0,
					  x->len == 5 ? 8 : 4);
		case MVGPU_MI_OP_LOAD_REGISTER_IMM:
			return sgpu_lri(x);
		case MVGPU_MI_OP_LOAD_REGISTER_MEM:
			return sgpu_lrm(x);
		case MVGPU_MI_OP_STORE_REGISTER_MEM:
			return sgpu_srm(x);
		case MVGPU_MI_OP_FLUSH_DW:
			if (!sgpu_on(x, MVGPU_ENGINE_BCS))
				break;
			return sgpu_flush_dw(x);
		}
		break;
	case MVGPU_CLIENT_2D:
		if (!sgpu_on(x, MVGPU_ENGINE_BCS))
			break;
		return sgpu_xy_blt(x, MVGPU_BLT_OPCODE(hdr));
	case MVGPU_CLIENT_GFXPIPE:
		if (!sgpu_on(x, MVGPU_ENGINE_RCS))
			break;
		if ((hdr & MVGPU_GFXPIPE_MASK) ==
		    (MVGPU_PIPE_CONTROL & MVGPU_GFXPIPE_MASK))
			return sgpu_pipe_control(x);
		return sgpu_blend(x);
	}
	/* sgpu_cmd_len() accepted it, so it is on the wrong engine */
	return sgpu_fail(x, MVGPU_ERR_CMD_ENGINE, NULL);
}

/* Has the call done what one slice may?  Checked between commands. */
static bool sgpu_budget_spent(const struct sgpu_exec_result *res,
			      const struct sgpu_exec_limits *lim)
{
	return (lim->max_cmds && res->cmds >= lim->max_cmds) ||
	       (lim->max_dwords && res->dwords >= lim->max_dwords) ||
	       (lim->max_bytes && res->bytes >= lim->max_bytes) ||
	       (lim->max_rows && res->rows >= lim->max_rows) ||
	       (lim->max_maps && res->maps >= lim->max_maps);
}

static enum sgpu_exec_status sgpu_exec_loop(struct sgpu_exec *x,
					    const struct sgpu_exec_limits *lim)
{
	const struct sgpu_exec_ops *ops = x->eng->ops;
	struct sgpu_exec_result *res = x->res;
	struct sgpu_ctx *ctx = x->ctx;
	u32 i, code;
	int ret;

	for (;;) {
		x->level = sgpu_ctx_level(ctx);
		if (!x->level) {
			if (ctx->head == ctx->tail) {
				/* nothing is in progress at an empty ring */
				ctx->blt_rows = 0;
				return SGPU_EXEC_IDLE;
			}
			x->cspace = MVGPU_SPACE_RING;
			x->caddr = ctx->head;
		} else {
			const struct sgpu_bb *bb = &ctx->bb[x->level - 1];

			x->cspace = bb->state & MVGPU_BB_STATE_PPGTT ?
				    MVGPU_SPACE_PPGTT : MVGPU_SPACE_GGTT;
			x->caddr = bb->addr;
		}
		if (sgpu_budget_spent(res, lim))
			return SGPU_EXEC_BUDGET;

		x->dw[0] = 0;
		if (sgpu_fetch(x, 0, &x->dw[0])) {
			sgpu_fail_fault(x);
			return x->stop;
		}
		x->len = sgpu_cmd_len(x->dw[0], &code);
		if (!x->len) {
			sgpu_fail(x, code, NULL);
			return x->stop;
		}
		if (!x->level) {
			u32 avail = (ctx->tail + ctx->ring_size - ctx->head) %
				    ctx->ring_size;

			if (4 * x->len > avail) {
				sgpu_fail(x, MVGPU_ERR_CMD_TRUNCATED, NULL);
				return x->stop;
			}
		} else if (lim->max_batch_dwords &&
			   ctx->bb_dwords + x->len > lim->max_batch_dwords) {
			sgpu_fail(x, MVGPU_ERR_BB_RUNAWAY, NULL);
			return x->stop;
		}
		for (i = 1; i < x->len && i < MVGPU_CMD_MAX_FIXED_DWORDS; i++) {
			if (sgpu_fetch(x, i, &x->dw[i])) {
				sgpu_fail_fault(x);
				return x->stop;
			}
		}

		if (ctx->blt_rows && !sgpu_cmd_splits(x->dw[0])) {
			sgpu_fail(x, MVGPU_ERR_BAD_CONTEXT, NULL);
			return x->stop;
		}
		ret = sgpu_exec_cmd(x);
		if (ret == SGPU_CMD_STOP)
			return x->stop;
		if (ret == SGPU_CMD_SPLIT)
			return ops->should_yield &&
			       ops->should_yield(x->eng->priv) ?
			       SGPU_EXEC_PREEMPTED : SGPU_EXEC_BUDGET;
		if (ret != SGPU_CMD_JUMPED)
			sgpu_advance(x);
		res->cmds++;
		res->dwords += x->len;
		if (ret != SGPU_CMD_NEXT && ops->should_yield &&
		    ops->should_yield(x->eng->priv))
			return SGPU_EXEC_PREEMPTED;
	}
}

/**
 * sgpu_exec_run() - run a context until it stops
 * @eng: the engine: which commands it accepts, memory, registers, events
 * @ctx: the context's state, updated as commands complete
 * @lim: watchdog limits
 * @res: filled with the outcome
 *
 * Return: @res->status.  On SGPU_EXEC_ERROR, @res->err says what failed
 * and @ctx still points at the failing command.  Any other status leaves
 * a state that resumes exactly with another call.
 */
enum sgpu_exec_status sgpu_exec_run(const struct sgpu_engine *eng,
				    struct sgpu_ctx *ctx,
				    const struct sgpu_exec_limits *lim,
				    struct sgpu_exec_result *res)
{
	struct sgpu_exec x = {
		.eng = eng,
		.ctx = ctx,
		.res = res,
		.lim = lim,
		.vm = { .mem = eng->mem, .pml4 = ctx->pml4, .ppgtt = ctx->ppgtt },
		.dspace = ctx->ppgtt ? SGPU_PPGTT : SGPU_GGTT,
	};

	memset(res, 0, sizeof(*res));
	res->status = sgpu_exec_loop(&x, lim);
	sgpu_fetch_release(&x);
	return res->status;
}
