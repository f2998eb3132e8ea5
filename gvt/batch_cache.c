// SPDX-License-Identifier: GPL-2.0-only
/*
 * Batch verdict cache.
 *
 * A guest driver often submits the same batch buffer again, unchanged
 * (a pre-built state batch, a blit it repeats).  The scanner then does
 * the same work to reach the same verdict.  Here each vGPU keeps, for up
 * to %MVGPU_BC_CTXS guest contexts, the bytes of up to %MVGPU_BC_BATCHES
 * batches each that the scanner last accepted, with what it counted in
 * them.  At the next submission the scanner (cmd_parser.c) copies the
 * guest's batch into its shadow as always, compares the shadow with
 * these bytes and, when they are equal, reuses the verdict instead of
 * scanning; when they differ it scans the shadow.  Either way what runs
 * is the shadow, whose bytes are exactly the ones compared or scanned:
 * a guest that rewrites its batch after the copy changes nothing that
 * runs.
 *
 * Only batches worth it and safe to judge by their bytes alone are kept:
 * first-level batches of at most %MVGPU_BC_MAX_BYTES bytes that start no
 * other batch, so that their verdict depends on nothing but their bytes
 * and the context's engine and PPGTT mode, which key the entry (the
 * vGPU's graphics memory ranges and the register allow-lists do not
 * change).
 *
 * A context's entry goes when its work is rejected or its engine is
 * reset (a hang, a guest or host reset, failsafe mode), all of it when
 * the vGPU is reset or idles (trim.c), and with the vGPU.  Its memory is
 * charged to the VMM's memory cgroup (GFP_KERNEL_ACCOUNT).
 *
 * No lock of its own: the vGPU's lock protects everything, but for the
 * byte count the shrinker reads without it.
 */
#include <linux/atomic.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "batch_cache.h"
#include "cmd_parser.h"

/**
 * mvgpu_batch_cache_init() - an empty cache
 * @bc: the cache
 */
void mvgpu_batch_cache_init(struct mvgpu_batch_cache *bc)
{
	memset(bc, 0, sizeof(*bc));
}

static void bc_batch_free(struct mvgpu_batch_cache *bc, struct mvgpu_bc_batch *b)
{
	if (!b->bytes)
		return;
	atomic64_sub(b->len, &bc->bytes);
	kvfree(b->bytes);
	memset(b, 0, sizeof(*b));
}

static void bc_ctx_free(struct mvgpu_batch_cache *bc, struct mvgpu_bc_ctx *c)
{
	unsigned int i;

	for (i = 0; i < MVGPU_BC_BATCHES; i++)
		bc_batch_free(bc, &c->b[i]);
	memset(c, 0, sizeof(*c));
}

static struct mvgpu_bc_ctx *bc_ctx_find(struct mvgpu_batch_cache *bc,
					const struct mvgpu_bc_key *key)
{
	unsigned int i;

	for (i = 0; i < MVGPU_BC_CTXS; i++) {
		struct mvgpu_bc_ctx *c = &bc->ctx[i];

		if (c->used && c->lrca == key->lrca)
			return c;
	}
	return NULL;
}

/**
 * mvgpu_batch_cache_find() - the bytes last accepted for a batch
 * @bc: the cache, the owner's lock held
 * @key: the context submitting it
 * @space: %MVGPU_SPACE_GGTT or %MVGPU_SPACE_PPGTT
 * @addr: the batch's guest address
 * @v: filled with what the scanner found in those bytes
 *
 * Return: the bytes (@v->len of them), valid until the next call on
 * @bc, or NULL when the context has no accepted batch there, or had it
 * on another engine or in another PPGTT mode.
 */
const void *mvgpu_batch_cache_find(struct mvgpu_batch_cache *bc,
				   const struct mvgpu_bc_key *key, u32 space,
				   u64 addr, struct mvgpu_cmd_verdict *v)
{
	struct mvgpu_bc_ctx *c = bc_ctx_find(bc, key);
	unsigned int i;

	if (!c || c->engine != key->engine || c->ppgtt != key->ppgtt)
		return NULL;
	c->stamp = ++bc->clock;
	for (i = 0; i < MVGPU_BC_BATCHES; i++) {
		struct mvgpu_bc_batch *b = &c->b[i];

		if (b->bytes && b->space == space && b->addr == addr) {
			v->len = b->len;
			v->cmds = b->cmds;
			v->ppgtt_operands = b->ppgtt_operands;
			return b->bytes;
		}
	}
	return NULL;
}

/* The context's entry, a new one if needed (the least recently used goes). */
static struct mvgpu_bc_ctx *bc_ctx_get(struct mvgpu_batch_cache *bc,
				       const struct mvgpu_bc_key *key)
{
	struct mvgpu_bc_ctx *c = bc_ctx_find(bc, key), *old = NULL;
	unsigned int i;

	if (c && (c->engine != key->engine || c->ppgtt != key->ppgtt))
		bc_ctx_free(bc, c);	/* reused for something else */
	else if (c)
		return c;
	for (i = 0; i < MVGPU_BC_CTXS && !c; i++) {
		if (!bc->ctx[i].used)
			c = &bc->ctx[i];
		else if (!old || bc->ctx[i].stamp < old->stamp)
			old = &bc->ctx[i];
	}
	if (!c) {
		c = old;
		bc_ctx_free(bc, c);
	}
	c->used = true;
	c->lrca = key->lrca;
	c->engine = key->engine;
	c->ppgtt = key->ppgtt;
	c->stamp = ++bc->clock;
	return c;
}

/**
 * mvgpu_batch_cache_store() - the scanner accepted a batch
 * @bc: the cache, the owner's lock held
 * @key: the context that submitted it
 * @space: %MVGPU_SPACE_GGTT or %MVGPU_SPACE_PPGTT
 * @addr: the batch's guest address
 * @bytes: the bytes scanned, @v->len of them
 * @v: what the scanner found in them
 *
 * Batches longer than %MVGPU_BC_MAX_BYTES are not kept (what the
 * context had at @addr goes); nor is one when memory is short (it is
 * scanned next time).  Replaces what the context had at @addr, else the
 * next of its batches in turn.
 */
void mvgpu_batch_cache_store(struct mvgpu_batch_cache *bc,
			     const struct mvgpu_bc_key *key, u32 space,
			     u64 addr, const void *bytes,
			     const struct mvgpu_cmd_verdict *v)
{
	bool keep = v->len && v->len <= MVGPU_BC_MAX_BYTES;
	struct mvgpu_bc_batch *b = NULL;
	struct mvgpu_bc_ctx *c;
	unsigned int i;
	void *copy;

	/* a context is made room for only when something is kept */
	c = keep ? bc_ctx_get(bc, key) : bc_ctx_find(bc, key);
	if (!c)
		return;
	for (i = 0; i < MVGPU_BC_BATCHES && !b; i++)
		if (c->b[i].bytes && c->b[i].space == space &&
		    c->b[i].addr == addr)
			b = &c->b[i];
	if (!keep) {
		if (b)
			bc_batch_free(bc, b);	/* its old bytes are no use */
		return;
	}
	if (!b) {
		b = &c->b[c->next];
		c->next = (c->next + 1) % MVGPU_BC_BATCHES;
	}
	if (b->bytes && b->len == v->len) {
		copy = b->bytes;
	} else {
		bc_batch_free(bc, b);
		copy = kvmalloc(v->len, GFP_KERNEL_ACCOUNT);
		if (!copy)
			return;
		atomic64_add(v->len, &bc->bytes);
	}
	memcpy(copy, bytes, v->len);
	b->bytes = copy;
	b->len = v->len;
	b->cmds = v->cmds;
	b->ppgtt_operands = v->ppgtt_operands;
	b->space = space;
	b->addr = addr;
}

/**
 * mvgpu_batch_cache_forget_ctx() - a context's work was refused
 * @bc: the cache, the owner's lock held
 * @lrca: the context
 */
void mvgpu_batch_cache_forget_ctx(struct mvgpu_batch_cache *bc, u32 lrca)
{
	unsigned int i;

	for (i = 0; i < MVGPU_BC_CTXS; i++)
		if (bc->ctx[i].used && bc->ctx[i].lrca == lrca)
			bc_ctx_free(bc, &bc->ctx[i]);
}

/**
 * mvgpu_batch_cache_forget_engine() - an engine of the vGPU was reset
 * @bc: the cache, the owner's lock held
 * @engine: MVGPU_ENGINE_*
 *
 * The entries of the contexts that ran on @engine go.
 */
void mvgpu_batch_cache_forget_engine(struct mvgpu_batch_cache *bc,
				     unsigned int engine)
{
	unsigned int i;

	for (i = 0; i < MVGPU_BC_CTXS; i++)
		if (bc->ctx[i].used && bc->ctx[i].engine == engine)
			bc_ctx_free(bc, &bc->ctx[i]);
}

/**
 * mvgpu_batch_cache_clear() - forget everything and free its memory
 * @bc: the cache, the owner's lock held (or no longer reachable)
 *
 * For a reset, an idle vGPU, and its destruction.
 */
void mvgpu_batch_cache_clear(struct mvgpu_batch_cache *bc)
{
	unsigned int i;

	for (i = 0; i < MVGPU_BC_CTXS; i++)
		bc_ctx_free(bc, &bc->ctx[i]);
}
