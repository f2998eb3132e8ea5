// SPDX-License-Identifier: GPL-2.0-only
/*
 * Context shadows.
 *
 * Every workload runs from a shadow ring, holding the commands the
 * scanner accepted, and a shadow context image that points the engine at
 * it (workload.c).  A guest driver submits the same few contexts again
 * and again, so up to %MVGPU_CTX_SHADOWS of a vGPU's guest contexts keep
 * theirs from one submission to the next, already placed in the vGPU's
 * window: a submission takes its context's pair, writes the new commands
 * and image fields into them, and gives them back when the workload is
 * released.  Nothing of an earlier submission is trusted: the commands
 * are copied and scanned again and the image is built afresh each time;
 * what persists is the memory and its place in the host's GGTT.
 *
 * A context whose pair is in use (its earlier work is still in flight,
 * or a later workload of the same context has yet to take its GPRs from
 * the image at its start) gets none, nor does one whose ring is larger than the shadows kept for
 * reuse (%MVGPU_SHADOW_CACHE_BYTES) or that finds every entry in use:
 * the caller allocates shadows for that workload alone, as before.  So a
 * shadow the engine may still read is never written, and what a vGPU
 * keeps here is bounded by %MVGPU_CTX_SHADOWS pairs of small shadows.
 *
 * The entries are freed when the vGPU idles or memory is short (trim.c)
 * and with the vGPU; their memory is the window's (shadow_mem.c).
 */
#include <linux/compiler.h>
#include <linux/mm.h>

#include "ctx_shadow.h"
#include "shadow_mem.h"

static void ctx_shadow_free(struct mvgpu_shadow_mem *sm,
			    struct mvgpu_ctx_shadow *s)
{
	mvgpu_shadow_obj_free(sm, s->ring);
	mvgpu_shadow_obj_free(sm, s->ctx);
	s->ring = NULL;
	s->ctx = NULL;
	s->lrca = 0;
}

/* Is a workload using @s's shadows? */
static bool ctx_shadow_busy(struct mvgpu_ctx_shadow *s)
{
	/* pairs with mvgpu_ctx_shadow_put(): its user is done with them */
	return smp_load_acquire(&s->busy);
}

/* @lrca's entry if it has one, else a free or the least recently used. */
static struct mvgpu_ctx_shadow *ctx_shadow_slot(struct mvgpu_ctx_shadows *cs,
						u32 lrca)
{
	struct mvgpu_ctx_shadow *s, *pick = NULL;

	for (s = cs->s; s < cs->s + MVGPU_CTX_SHADOWS; s++) {
		if (s->ring && s->lrca == lrca)
			return s;
		if (ctx_shadow_busy(s))
			continue;
		if (!pick || !s->ring || (pick->ring && s->stamp < pick->stamp))
			pick = s;
	}
	return pick;
}

/* Shadows for @s of at least @ring_size bytes of ring, placed. */
static int ctx_shadow_fill(struct mvgpu_shadow_mem *sm,
			   struct mvgpu_ctx_shadow *s, u32 ring_size)
{
	if (s->ring && s->ring->buf.size < ring_size) {
		mvgpu_shadow_obj_free(sm, s->ring);
		s->ring = NULL;
	}
	if (!s->ring)
		s->ring = mvgpu_shadow_obj_alloc_raw(sm, ring_size);
	if (!s->ctx)
		s->ctx = mvgpu_shadow_obj_alloc_raw(sm, PAGE_SIZE);
	if (!s->ring || !s->ctx ||
	    mvgpu_shadow_obj_place(sm, s->ring) ||
	    mvgpu_shadow_obj_place(sm, s->ctx)) {
		ctx_shadow_free(sm, s);
		return -ENOMEM;
	}
	return 0;
}

/**
 * mvgpu_ctx_shadow_take() - a guest context's shadow ring and image
 * @cs: the vGPU's context shadows, its lock held
 * @sm: the vGPU's shadow window
 * @lrca: the guest context
 * @ring_size: bytes its shadow ring must hold
 *
 * The entry's @ring (at least @ring_size bytes) and @ctx (a page) are
 * placed and hold whatever an earlier workload of this vGPU left there:
 * the caller writes every byte the engine will read.  They are the
 * caller's until mvgpu_ctx_shadow_put().
 *
 * Return: the entry, or NULL: the context's entry is in use, every entry
 * is, the ring is larger than %MVGPU_SHADOW_CACHE_BYTES, or no memory.
 */
struct mvgpu_ctx_shadow *mvgpu_ctx_shadow_take(struct mvgpu_ctx_shadows *cs,
					       struct mvgpu_shadow_mem *sm,
					       u32 lrca, u32 ring_size)
{
	struct mvgpu_ctx_shadow *s;

	if (!ring_size || ring_size > MVGPU_SHADOW_CACHE_BYTES)
		return NULL;
	s = ctx_shadow_slot(cs, lrca);
	if (!s || ctx_shadow_busy(s))
		return NULL;
	if (ctx_shadow_fill(sm, s, ring_size))
		return NULL;
	s->lrca = lrca;
	s->stamp = ++cs->clock;
	WRITE_ONCE(s->busy, true);
	return s;
}

/**
 * mvgpu_ctx_shadow_put() - the workload that took @s is released
 * @s: the entry; no engine reads its shadows any more
 *
 * Any context: the vGPU's lock is not needed.
 */
void mvgpu_ctx_shadow_put(struct mvgpu_ctx_shadow *s)
{
	/* its last use of the shadows before the next taker's writes */
	smp_store_release(&s->busy, false);
}

/**
 * mvgpu_ctx_shadows_clear() - free the shadows no workload uses
 * @cs: the vGPU's context shadows, its lock held (or no longer reachable)
 * @sm: the vGPU's shadow window
 *
 * For an idle vGPU, memory pressure and the vGPU's destruction; their
 * small shadows go to the window's cache, which the caller trims after.
 */
void mvgpu_ctx_shadows_clear(struct mvgpu_ctx_shadows *cs,
			     struct mvgpu_shadow_mem *sm)
{
	struct mvgpu_ctx_shadow *s;

	for (s = cs->s; s < cs->s + MVGPU_CTX_SHADOWS; s++)
		if (!ctx_shadow_busy(s))
			ctx_shadow_free(sm, s);
}
