// SPDX-License-Identifier: GPL-2.0-only
/*
 * The native path: contexts, submission and events.  Contexts are
 * LEGACY_32B, so whatever a test puts in a ring or batch, the GPU
 * reaches memory only through the GGTT; the surface benchmark's PPGTT
 * context (bench_surf.c) is LEGACY_64B with tables the kernel built,
 * which name only pages of the session.
 */
#include <linux/build_bug.h>
#include <linux/highmem.h>
#include <linux/lockdep.h>
#include <linux/jiffies.h>
#include <linux/wait.h>

#include <mvgpu/mvgpu_regs.h>

#include "native_priv.h"

/* Store a dword the session itself mapped (dword aligned). */
static void mvgpu_native_put32(struct mvgpu_native *n, u64 gaddr, u32 val)
{
	struct page *page = mvgpu_native_page_locked(n, gaddr);
	u8 *va;

	if (WARN_ON_ONCE(!page))
		return;
	va = kmap_local_page(page);
	*(__le32 *)(va + offset_in_page(gaddr)) = cpu_to_le32(val);
	kunmap_local(va);
}

/**
 * mvgpu_native_ctx_create_locked() - a new context with an empty ring
 * @n: the session, locked
 * @ring_size: bytes, a multiple of 4 KiB up to %MVGPU_RING_MAX_SIZE
 * @info: filled in
 *
 * Return: 0, -EINVAL for a bad size, -ENOSPC for too many contexts or
 * too little memory, -ENOMEM.
 */
int mvgpu_native_ctx_create_locked(struct mvgpu_native *n, u32 ring_size,
				   struct mvgpu_native_ctx_info *info)
{
	struct mvgpu_native_buf *img, *ring;
	struct mvgpu_native_ctx *ctx;
	int ret;

	lockdep_assert_held(&n->lock);
	if (!ring_size || ring_size % PAGE_SIZE ||
	    ring_size > MVGPU_RING_MAX_SIZE)
		return -EINVAL;
	if (n->nr_ctxs == MVGPU_NATIVE_MAX_CTXS)
		return -ENOSPC;
	/* the image, GPRs included, is one zeroed page */
	BUILD_BUG_ON(MVGPU_CTX_DWORDS * 4 > PAGE_SIZE);
	ret = mvgpu_native_map_locked(n, PAGE_SIZE, false, &img);
	if (ret)
		return ret;
	ret = mvgpu_native_map_locked(n, ring_size, false, &ring);
	if (ret) {
		mvgpu_native_unmap_locked(n, img);
		return ret;
	}
	ctx = &n->ctxs[n->nr_ctxs++];
	ctx->lrca = img->gaddr;
	ctx->pml4 = 0;
	ctx->ring = ring->gaddr;
	ctx->ring_size = ring_size;
	ctx->tail = 0;
	mvgpu_native_put32(n, ctx->lrca + 4 * MVGPU_CTX_RING_START,
			   (u32)ctx->ring);
	mvgpu_native_put32(n, ctx->lrca + 4 * MVGPU_CTX_RING_CTL,
			   MVGPU_RING_CTL_SIZE(ring_size) | MVGPU_RING_CTL_VALID);
	info->id = n->nr_ctxs;
	info->lrca = ctx->lrca;
	info->ring = ctx->ring;
	return 0;
}

/**
 * mvgpu_native_ctx_create() - a new context with an empty ring
 * @n: the session
 * @ring_size: bytes, a multiple of 4 KiB up to %MVGPU_RING_MAX_SIZE
 * @info: filled in
 *
 * Return: 0 or a negative errno, see mvgpu_native_ctx_create_locked().
 */
int mvgpu_native_ctx_create(struct mvgpu_native *n, u32 ring_size,
			    struct mvgpu_native_ctx_info *info)
{
	int ret;

	mutex_lock(&n->lock);
	ret = mvgpu_native_ctx_create_locked(n, ring_size, info);
	mutex_unlock(&n->lock);
	return ret;
}

static struct mvgpu_native_ctx *mvgpu_native_ctx(struct mvgpu_native *n,
						 unsigned int id)
{
	if (!id || id > n->nr_ctxs)
		return NULL;
	return &n->ctxs[id - 1];
}

/**
 * mvgpu_native_ctx_set_ppgtt_locked() - give a context a PPGTT
 * @n: the session, locked
 * @id: the context
 * @pml4: physical address of the PML4, a page of tables the caller built
 *        from pages it holds, naming only pages the session holds
 *
 * The context is submitted as LEGACY_64B from now on.
 *
 * Return: 0, -EINVAL for an unknown context or a misaligned @pml4.
 */
int mvgpu_native_ctx_set_ppgtt_locked(struct mvgpu_native *n, unsigned int id,
				      u64 pml4)
{
	struct mvgpu_native_ctx *ctx = mvgpu_native_ctx(n, id);

	lockdep_assert_held(&n->lock);
	if (!ctx || !pml4 || offset_in_page(pml4))
		return -EINVAL;
	ctx->pml4 = pml4;
	mvgpu_native_put32(n, ctx->lrca + 4 * MVGPU_CTX_PML4_LO,
			   lower_32_bits(pml4));
	mvgpu_native_put32(n, ctx->lrca + 4 * MVGPU_CTX_PML4_HI,
			   upper_32_bits(pml4));
	return 0;
}

/**
 * mvgpu_native_emit_locked() - append dwords to a context's ring
 * @n: the session, locked
 * @id: the context
 * @dw: the dwords
 * @count: how many, fewer than fit in the ring
 *
 * The ring wraps; the caller makes sure the engine has consumed what is
 * overwritten.  The new tail is published by the next submission.
 *
 * Return: 0, -EINVAL for an unknown context or too many dwords.
 */
int mvgpu_native_emit_locked(struct mvgpu_native *n, unsigned int id,
			     const u32 *dw, unsigned int count)
{
	struct mvgpu_native_ctx *ctx = mvgpu_native_ctx(n, id);
	unsigned int i;

	lockdep_assert_held(&n->lock);
	if (!ctx || (u64)count * 4 >= ctx->ring_size)
		return -EINVAL;
	for (i = 0; i < count; i++) {
		mvgpu_native_put32(n, ctx->ring + ctx->tail, dw[i]);
		ctx->tail = (ctx->tail + 4) % ctx->ring_size;
	}
	return 0;
}

/**
 * mvgpu_native_emit() - append dwords to a context's ring
 * @n: the session
 * @id: the context
 * @dw: the dwords
 * @count: how many, at most %MVGPU_NATIVE_MAX_EMIT
 *
 * Return: 0 or -EINVAL.
 */
int mvgpu_native_emit(struct mvgpu_native *n, unsigned int id, const u32 *dw,
		      unsigned int count)
{
	int ret;

	if (count > MVGPU_NATIVE_MAX_EMIT)
		return -EINVAL;
	mutex_lock(&n->lock);
	ret = mvgpu_native_emit_locked(n, id, dw, count);
	mutex_unlock(&n->lock);
	return ret;
}

/**
 * mvgpu_native_submit_locked() - publish tails and write the ELSP
 * @n: the session, locked
 * @engine: MVGPU_ENGINE_*
 * @ids: element 0 and element 1 contexts; 0 for no element 1
 *
 * Return: 0, -EINVAL for an unknown engine or context.
 */
int mvgpu_native_submit_locked(struct mvgpu_native *n, unsigned int engine,
			       const unsigned int ids[2])
{
	u64 desc[2] = { };
	void *cookie[2] = { };
	unsigned int i;
	int ret;

	lockdep_assert_held(&n->lock);
	if (engine >= MVGPU_NUM_ENGINES || !ids[0])
		return -EINVAL;
	for (i = 0; i < 2; i++) {
		struct mvgpu_native_ctx *ctx = mvgpu_native_ctx(n, ids[i]);

		if (!ctx) {
			if (i == 0 || ids[i])
				return -EINVAL;
			continue;
		}
		mvgpu_native_put32(n, ctx->lrca + 4 * MVGPU_CTX_RING_TAIL,
				   ctx->tail);
		desc[i] = MVGPU_CTX_DESC(ctx->lrca, ctx->pml4 ?
					 MVGPU_CTX_MODE_LEGACY_64B :
					 MVGPU_CTX_MODE_LEGACY_32B, ids[i]);
		cookie[i] = ctx;
	}
	mvgpu_native_claim_locked(n);
	ret = n->be->ops->submit(n->be, engine, desc, cookie);
	if (!ret && n->be->ops->kick)
		n->be->ops->kick(n->be, engine);
	return ret;
}

/**
 * mvgpu_native_submit() - publish tails and write the ELSP
 * @n: the session
 * @engine: MVGPU_ENGINE_*
 * @ids: element 0 and element 1 contexts; 0 for no element 1
 *
 * Return: 0 or -EINVAL.
 */
int mvgpu_native_submit(struct mvgpu_native *n, unsigned int engine,
			const unsigned int ids[2])
{
	int ret;

	mutex_lock(&n->lock);
	ret = mvgpu_native_submit_locked(n, engine, ids);
	mutex_unlock(&n->lock);
	return ret;
}

/**
 * mvgpu_native_engine_op() - act on an engine
 * @n: the session
 * @engine: MVGPU_ENGINE_*
 * @op: what to do; preempt and reset borrow the engines first
 * @arg: milliseconds for %MVGPU_NATIVE_OP_WATCHDOG
 *
 * Return: 0, -EINVAL for an unknown engine or operation.
 */
int mvgpu_native_engine_op(struct mvgpu_native *n, unsigned int engine,
			   enum mvgpu_native_op op, unsigned int arg)
{
	struct mvgpu_backend *be = n->be;
	int ret = 0;

	if (engine >= MVGPU_NUM_ENGINES)
		return -EINVAL;
	mutex_lock(&n->lock);
	switch (op) {
	case MVGPU_NATIVE_OP_PREEMPT:
		mvgpu_native_claim_locked(n);
		be->ops->preempt(be, engine);
		break;
	case MVGPU_NATIVE_OP_RESET:
		mvgpu_native_claim_locked(n);
		be->ops->reset_engine(be, engine);
		break;
	case MVGPU_NATIVE_OP_WATCHDOG:
		be->ops->set_watchdog(be, engine, arg);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	mutex_unlock(&n->lock);
	return ret;
}

/* Index + 1 of the first queued event matching @mask, 0 if none. */
static unsigned int mvgpu_native_match(struct mvgpu_native_engine *ne,
				       u32 mask)
{
	unsigned int i, found = 0;

	spin_lock(&ne->lock);
	for (i = 0; i < ne->count && !found; i++) {
		u32 st = ne->ev[(ne->head + i) % MVGPU_NATIVE_EVENTS].status;

		if (!mask ? true : st & mask)
			found = i + 1;
	}
	spin_unlock(&ne->lock);
	return found;
}

static unsigned int mvgpu_native_pop(struct mvgpu_native_engine *ne,
				     unsigned int max,
				     struct mvgpu_native_event *out)
{
	unsigned int i;

	spin_lock(&ne->lock);
	max = min(max, ne->count);
	for (i = 0; i < max; i++)
		out[i] = ne->ev[(ne->head + i) % MVGPU_NATIVE_EVENTS];
	ne->head = (ne->head + max) % MVGPU_NATIVE_EVENTS;
	ne->count -= max;
	spin_unlock(&ne->lock);
	return max;
}

/**
 * mvgpu_native_wait() - wait for an event and take the events up to it
 * @n: the session
 * @engine: MVGPU_ENGINE_*
 * @mask: MVGPU_CSB_* bits, any of which ends the wait; 0 for any event
 * @timeout_ms: at most this long, capped at %MVGPU_NATIVE_MAX_WAIT_MS; 0
 *              takes whatever is queued without waiting
 * @out: %MVGPU_NATIVE_EVENTS slots for the events taken
 * @count: number of events taken
 *
 * Return: 0 when a matching event was taken (the last in @out),
 * -ETIMEDOUT if none came (all queued events are taken), -ERESTARTSYS on
 * a signal, -EINVAL for an unknown engine.
 */
int mvgpu_native_wait(struct mvgpu_native *n, unsigned int engine, u32 mask,
		      unsigned int timeout_ms, struct mvgpu_native_event *out,
		      unsigned int *count)
{
	struct mvgpu_native_engine *ne;
	unsigned int found;
	long left;

	*count = 0;
	if (engine >= MVGPU_NUM_ENGINES)
		return -EINVAL;
	ne = &n->eng[engine];
	if (!timeout_ms) {
		*count = mvgpu_native_pop(ne, MVGPU_NATIVE_EVENTS, out);
		return 0;
	}
	timeout_ms = min(timeout_ms, MVGPU_NATIVE_MAX_WAIT_MS);
	left = wait_event_interruptible_timeout(ne->wq,
						mvgpu_native_match(ne, mask),
						msecs_to_jiffies(timeout_ms));
	if (left < 0)
		return left;
	found = mvgpu_native_match(ne, mask);
	*count = mvgpu_native_pop(ne, found ?: MVGPU_NATIVE_EVENTS, out);
	return found ? 0 : -ETIMEDOUT;
}

/**
 * mvgpu_native_irqs() - user interrupts an engine raised
 * @n: the session
 * @engine: MVGPU_ENGINE_*
 *
 * Return: the count since the last clear, 0 for an unknown engine.
 */
u64 mvgpu_native_irqs(struct mvgpu_native *n, unsigned int engine)
{
	u64 v;

	if (engine >= MVGPU_NUM_ENGINES)
		return 0;
	spin_lock(&n->eng[engine].lock);
	v = n->eng[engine].irqs;
	spin_unlock(&n->eng[engine].lock);
	return v;
}

/**
 * mvgpu_native_set_plane() - enable or disable a 1920x1080 plane at 0
 * @n: the session
 * @enable: scan out (and count vblanks) or not
 */
void mvgpu_native_set_plane(struct mvgpu_native *n, bool enable)
{
	struct mvgpu_plane plane = {
		.surface = 0,
		.stride = 1920 * 4,
		.format = MVGPU_DSPCNTR_FORMAT_XRGB8888,
		.width = 1920,
		.height = 1080,
		.enable = enable,
	};

	mutex_lock(&n->lock);
	mvgpu_native_claim_locked(n);
	n->be->ops->set_plane(n->be, &plane);
	n->plane_on = enable;
	mutex_unlock(&n->lock);
}

/**
 * mvgpu_native_vblanks() - vblank callbacks seen
 * @n: the session
 *
 * Return: the count since the last clear.
 */
u32 mvgpu_native_vblanks(struct mvgpu_native *n)
{
	return atomic_read(&n->vblanks);
}

/**
 * mvgpu_native_edid() - the backend's EDID
 * @n: the session
 *
 * Return: %MVGPU_EDID_SIZE bytes, valid while the backend lives.
 */
const u8 *mvgpu_native_edid(struct mvgpu_native *n)
{
	return n->be->ops->edid(n->be);
}

/**
 * mvgpu_native_stats() - the backend's counters of an engine
 * @n: the session
 * @engine: MVGPU_ENGINE_*
 * @stats: filled in
 *
 * Return: 0 or -EINVAL for an unknown engine.
 */
int mvgpu_native_stats(struct mvgpu_native *n, unsigned int engine,
		       struct mvgpu_backend_stats *stats)
{
	if (engine >= MVGPU_NUM_ENGINES)
		return -EINVAL;
	n->be->ops->get_stats(n->be, engine, stats);
	return 0;
}
