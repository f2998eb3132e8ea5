// SPDX-License-Identifier: GPL-2.0-only
/*
 * Software GPU: context descriptor and context image.
 */
#include <linux/types.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include <mvgpu/mvgpu_pci.h>
#include <mvgpu/mvgpu_regs.h>

#include "context.h"

#define SGPU_CTX_IMG_BYTES	(MVGPU_CTX_DWORDS * 4)

static u32 sgpu_img_rd(const void *img, u32 dw)
{
	return get_unaligned_le32((const u8 *)img + dw * 4);
}

static void sgpu_img_wr(void *img, u32 dw, u32 val)
{
	put_unaligned_le32(val, (u8 *)img + dw * 4);
}

static u64 sgpu_img_rd64(const void *img, u32 lo)
{
	return sgpu_img_rd(img, lo) | (u64)sgpu_img_rd(img, lo + 1) << 32;
}

static void sgpu_img_wr64(void *img, u32 lo, u64 val)
{
	sgpu_img_wr(img, lo, (u32)val);
	sgpu_img_wr(img, lo + 1, (u32)(val >> 32));
}

static int sgpu_ctx_bad(struct sgpu_ctx *ctx, struct sgpu_error *err)
{
	ctx->error = MVGPU_ERR_BAD_CONTEXT;
	if (err) {
		memset(err, 0, sizeof(*err));
		err->code = MVGPU_ERR_BAD_CONTEXT;
		err->ctx_id = ctx->ctx_id;
		err->fault_addr = ctx->lrca;
	}
	return -EINVAL;
}

/**
 * sgpu_ctx_decode() - build the execution state from a descriptor and image
 * @ctx: filled in
 * @desc: context descriptor as written to the ELSP
 * @img: MVGPU_CTX_DWORDS little-endian dwords
 * @err: if not NULL, filled with a BAD_CONTEXT error on failure
 *
 * Return: 0, or -EINVAL if the descriptor or image is invalid.
 */
int sgpu_ctx_decode(struct sgpu_ctx *ctx, u64 desc, const void *img,
		    struct sgpu_error *err)
{
	u64 mode = (desc & MVGPU_CTX_DESC_MODE_MASK) >> MVGPU_CTX_DESC_MODE_SHIFT;
	u32 i;

	memset(ctx, 0, sizeof(*ctx));
	ctx->desc = desc;
	ctx->ctx_id = (u32)(desc >> MVGPU_CTX_DESC_ID_SHIFT);
	ctx->lrca = (u32)(desc & MVGPU_CTX_DESC_LRCA_MASK);
	if (!(desc & MVGPU_CTX_DESC_VALID))
		return sgpu_ctx_bad(ctx, err);
	if (mode == MVGPU_CTX_MODE_LEGACY_64B)
		ctx->ppgtt = true;
	else if (mode != MVGPU_CTX_MODE_LEGACY_32B)
		return sgpu_ctx_bad(ctx, err);

	ctx->head = sgpu_img_rd(img, MVGPU_CTX_RING_HEAD);
	ctx->tail = sgpu_img_rd(img, MVGPU_CTX_RING_TAIL);
	ctx->ring_start = sgpu_img_rd(img, MVGPU_CTX_RING_START);
	ctx->ring_ctl = sgpu_img_rd(img, MVGPU_CTX_RING_CTL);
	ctx->pml4 = sgpu_img_rd64(img, MVGPU_CTX_PML4_LO);
	ctx->bb[0].addr = sgpu_img_rd64(img, MVGPU_CTX_BB_ADDR_LO);
	ctx->bb[0].state = sgpu_img_rd(img, MVGPU_CTX_BB_STATE);
	ctx->bb[1].addr = sgpu_img_rd64(img, MVGPU_CTX_SBB_ADDR_LO);
	ctx->bb[1].state = sgpu_img_rd(img, MVGPU_CTX_SBB_STATE);
	ctx->bb_dwords = sgpu_img_rd(img, MVGPU_CTX_BB_DWORDS);
	ctx->error = sgpu_img_rd(img, MVGPU_CTX_ERROR);
	for (i = 0; i < MVGPU_RING_GPR_DWORDS; i++)
		ctx->gpr[i] = sgpu_img_rd(img, MVGPU_CTX_GPR(i));

	if (!(ctx->ring_ctl & MVGPU_RING_CTL_VALID))
		return sgpu_ctx_bad(ctx, err);
	ctx->ring_size = (((ctx->ring_ctl & MVGPU_RING_CTL_SIZE_MASK) >>
			   MVGPU_RING_CTL_SIZE_SHIFT) + 1) * MVGPU_GTT_PAGE_SIZE;
	if (ctx->ring_start & (MVGPU_GTT_PAGE_SIZE - 1) ||
	    (u64)ctx->ring_start + ctx->ring_size > MVGPU_GM_SIZE)
		return sgpu_ctx_bad(ctx, err);
	if (ctx->head & ~MVGPU_RING_ADDR_MASK || ctx->head >= ctx->ring_size ||
	    ctx->tail & ~MVGPU_RING_ADDR_MASK || ctx->tail >= ctx->ring_size)
		return sgpu_ctx_bad(ctx, err);
	for (i = 0; i < 2; i++) {
		ctx->bb[i].state &= MVGPU_BB_STATE_ACTIVE | MVGPU_BB_STATE_PPGTT;
		if (!(ctx->bb[i].state & MVGPU_BB_STATE_ACTIVE))
			ctx->bb[i].state = 0;
		else if (ctx->bb[i].addr & 3)
			return sgpu_ctx_bad(ctx, err);
	}
	if (ctx->bb[1].state && !ctx->bb[0].state)
		return sgpu_ctx_bad(ctx, err);
	/*
	 * A split command's progress holds only where it was saved: after
	 * the driver moved the head or the batch state, it is stale.  The
	 * executor checks it against the command found there.
	 */
	ctx->blt_rows = sgpu_img_rd(img, MVGPU_CTX_BLT_ROWS);
	if (sgpu_img_rd(img, MVGPU_CTX_BLT_ADDR) != (u32)sgpu_ctx_cmd_addr(ctx))
		ctx->blt_rows = 0;
	return 0;
}

/**
 * sgpu_ctx_encode() - store the GPU-updated fields into an image
 * @ctx: the execution state
 * @img: MVGPU_CTX_DWORDS little-endian dwords; driver-owned fields are kept
 */
void sgpu_ctx_encode(const struct sgpu_ctx *ctx, void *img)
{
	u32 i;

	sgpu_img_wr(img, MVGPU_CTX_RING_HEAD, ctx->head);
	sgpu_img_wr64(img, MVGPU_CTX_BB_ADDR_LO, ctx->bb[0].addr);
	sgpu_img_wr(img, MVGPU_CTX_BB_STATE, ctx->bb[0].state);
	sgpu_img_wr64(img, MVGPU_CTX_SBB_ADDR_LO, ctx->bb[1].addr);
	sgpu_img_wr(img, MVGPU_CTX_SBB_STATE, ctx->bb[1].state);
	sgpu_img_wr(img, MVGPU_CTX_BB_DWORDS, ctx->bb_dwords);
	sgpu_img_wr(img, MVGPU_CTX_ERROR, ctx->error);
	sgpu_img_wr(img, MVGPU_CTX_BLT_ROWS, ctx->blt_rows);
	sgpu_img_wr(img, MVGPU_CTX_BLT_ADDR,
		    ctx->blt_rows ? (u32)sgpu_ctx_cmd_addr(ctx) : 0);
	for (i = 0; i < MVGPU_RING_GPR_DWORDS; i++)
		sgpu_img_wr(img, MVGPU_CTX_GPR(i), ctx->gpr[i]);
}

static int sgpu_ctx_fault(const struct sgpu_ctx *ctx,
			  const struct sgpu_fault *f, struct sgpu_error *err)
{
	if (err) {
		memset(err, 0, sizeof(*err));
		err->code = f->code;
		err->level = f->level;
		err->ctx_id = ctx->ctx_id;
		err->fault_addr = f->addr;
	}
	return -EFAULT;
}

/**
 * sgpu_ctx_load() - read and decode the image of the context @desc names
 * @ctx: filled in
 * @mem: memory and GGTT the LRCA is translated through
 * @desc: context descriptor
 * @err: if not NULL, filled in on failure
 *
 * Return: 0, -EFAULT if the image cannot be read, -EINVAL if it is invalid.
 */
int sgpu_ctx_load(struct sgpu_ctx *ctx, const struct sgpu_mem *mem, u64 desc,
		  struct sgpu_error *err)
{
	struct sgpu_vm vm = { .mem = mem };
	u8 img[SGPU_CTX_IMG_BYTES];
	struct sgpu_fault f;

	if (sgpu_vm_read(&vm, SGPU_GGTT, desc & MVGPU_CTX_DESC_LRCA_MASK, img,
			 sizeof(img), &f)) {
		memset(ctx, 0, sizeof(*ctx));
		ctx->desc = desc;
		ctx->ctx_id = (u32)(desc >> MVGPU_CTX_DESC_ID_SHIFT);
		ctx->lrca = (u32)(desc & MVGPU_CTX_DESC_LRCA_MASK);
		ctx->error = f.code;
		return sgpu_ctx_fault(ctx, &f, err);
	}
	return sgpu_ctx_decode(ctx, desc, img, err);
}

/**
 * sgpu_ctx_save() - store the GPU-updated fields into the context's image
 * @ctx: the execution state
 * @mem: memory and GGTT
 * @err: if not NULL, filled in on failure
 *
 * Return: 0, or -EFAULT if the image cannot be accessed.
 */
int sgpu_ctx_save(const struct sgpu_ctx *ctx, const struct sgpu_mem *mem,
		  struct sgpu_error *err)
{
	struct sgpu_vm vm = { .mem = mem };
	u8 img[SGPU_CTX_IMG_BYTES];
	struct sgpu_fault f;

	if (sgpu_vm_read(&vm, SGPU_GGTT, ctx->lrca, img, sizeof(img), &f))
		return sgpu_ctx_fault(ctx, &f, err);
	sgpu_ctx_encode(ctx, img);
	if (sgpu_vm_write(&vm, SGPU_GGTT, ctx->lrca, img, sizeof(img), &f))
		return sgpu_ctx_fault(ctx, &f, err);
	return 0;
}

/**
 * sgpu_ctx_drop_progress() - forget a split command's progress in the image
 * @ctx: a context the engine drops unsaved (reset)
 * @mem: memory and GGTT
 *
 * The image may hold the progress an earlier switch-out saved at the
 * command the context was running: after a reset, that command is not
 * in progress any more, and must not resume half-way if the driver
 * submits the image again with the same head.
 *
 * Return: 0, or -EFAULT if the image cannot be written.
 */
int sgpu_ctx_drop_progress(const struct sgpu_ctx *ctx,
			   const struct sgpu_mem *mem)
{
	struct sgpu_vm vm = { .mem = mem };
	u8 zero[8] = { };
	struct sgpu_fault f;

	BUILD_BUG_ON(MVGPU_CTX_BLT_ADDR - MVGPU_CTX_BLT_ROWS != 1);
	return sgpu_vm_write(&vm, SGPU_GGTT, ctx->lrca + 4 * MVGPU_CTX_BLT_ROWS,
			     zero, sizeof(zero), &f) ? -EFAULT : 0;
}

/* The RING_ERR_STATUS value for @err. */
u32 sgpu_error_status(const struct sgpu_error *err)
{
	if (err->code == MVGPU_ERR_NONE)
		return 0;
	return MVGPU_ERR_STATUS_VALID |
	       (err->code & MVGPU_ERR_STATUS_CODE_MASK) |
	       (err->space << MVGPU_ERR_STATUS_SPACE_SHIFT &
		MVGPU_ERR_STATUS_SPACE_MASK) |
	       (err->level << MVGPU_ERR_STATUS_LEVEL_SHIFT &
		MVGPU_ERR_STATUS_LEVEL_MASK);
}
