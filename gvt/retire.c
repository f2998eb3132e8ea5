// SPDX-License-Identifier: GPL-2.0-only
/*
 * Releasing only what no engine can still use.
 *
 * When a guest changes a GGTT or PPGTT entry, the engine running its
 * work may have translated the old entry a moment before (the GPU keeps
 * a translation for up to one command) and still be writing the old
 * page; a shadow page table dropped from the tree may still be walked.
 * Such things are released once every workload that could have used
 * them has left the engines: each workload of a vGPU gets a sequence
 * number when it is submitted, and something released while the next
 * number is S waits until no workload numbered below S is in flight.
 * A vGPU engine delivers its workloads in order, so the oldest one in
 * flight on each engine says how far it got.
 *
 * What waits is bounded: PPGTT pins count against the vGPU's pin limit
 * until released (ppgtt.c), GGTT ones against
 * %MVGPU_RETIRE_MAX_GGTT_UNPINS, and waiting shadow tables against the
 * table limit.  Stopping a vGPU engine (a reset, an unmap of memory in
 * use, closing the device) takes its work off the engine, after which
 * everything waiting for it is released at once.
 *
 * Everything here runs under the vGPU's lock.
 */
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "ppgtt.h"
#include "retire.h"
#include "vgpu.h"
#include "vgpu_types.h"

#define UNPIN_KIND_SHIFT	63

/**
 * struct mvgpu_unpin - one deferred unpin
 * @gfn: the guest page, with its &enum mvgpu_pin_kind in bit 63
 * @stamp: the vGPU's next sequence number when it was deferred
 */
struct mvgpu_unpin {
	u64 gfn;
	u64 stamp;
};

#define UNPIN_CHUNK	((PAGE_SIZE - 2 * sizeof(void *) -		\
			  2 * sizeof(unsigned int)) / sizeof(struct mvgpu_unpin))

/**
 * struct mvgpu_unpin_chunk - deferred unpins, in the order they came
 * @link: in &mvgpu_retire.unpins
 * @first: index of the oldest entry still waiting
 * @count: entries used, from 0
 * @e: the entries
 */
struct mvgpu_unpin_chunk {
	struct list_head link;
	unsigned int first;
	unsigned int count;
	struct mvgpu_unpin e[UNPIN_CHUNK];
};

/**
 * mvgpu_retire_init() - nothing in flight, nothing waiting
 * @r: the vGPU's state
 */
void mvgpu_retire_init(struct mvgpu_retire *r)
{
	memset(r, 0, sizeof(*r));
	r->next_seq = 1;
	INIT_LIST_HEAD(&r->unpins);
}

/**
 * mvgpu_retire_start() - a workload of @engine is submitted
 * @r: the vGPU's state
 * @engine: its engine
 * @ctx_id: its context ID
 * @root: the guest address of its PPGTT's root, %MVGPU_RETIRE_NO_ROOT
 *        for none
 * @seq: set to the workload's sequence number
 *
 * Return: 0, or -EBUSY when the engine has too much in flight.
 */
int mvgpu_retire_start(struct mvgpu_retire *r, unsigned int engine,
		       u32 ctx_id, u64 root, u64 *seq)
{
	struct mvgpu_retire_fifo *f = &r->fly[engine];
	unsigned int i;

	if (f->count == MVGPU_RETIRE_MAX_INFLIGHT)
		return -EBUSY;
	*seq = r->next_seq++;
	i = (f->first + f->count++) % MVGPU_RETIRE_MAX_INFLIGHT;
	f->seq[i] = *seq;
	f->root[i] = root;
	f->ctx_id[i] = ctx_id;
	return 0;
}

/**
 * mvgpu_retire_root_busy() - does work in flight use a PPGTT root?
 * @r: the vGPU's state
 * @root: the guest address of the root
 *
 * Return: true while a workload submitted with @root (mvgpu_retire_start())
 * has not been delivered or dropped: its shadow must stay as it is.
 */
bool mvgpu_retire_root_busy(const struct mvgpu_retire *r, u64 root)
{
	unsigned int e, i;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		const struct mvgpu_retire_fifo *f = &r->fly[e];

		for (i = 0; i < f->count; i++)
			if (f->root[(f->first + i) % MVGPU_RETIRE_MAX_INFLIGHT] == root)
				return true;
	}
	return false;
}

/**
 * mvgpu_retire_oldest() - the oldest workload of @engine in flight
 * @r: the vGPU's state
 * @engine: the engine
 * @ctx_id: set to its context ID: what the guest sees in element 0
 *
 * Return: true when @engine has a workload in flight.
 */
bool mvgpu_retire_oldest(const struct mvgpu_retire *r, unsigned int engine,
			 u32 *ctx_id)
{
	const struct mvgpu_retire_fifo *f = &r->fly[engine];

	if (!f->count)
		return false;
	*ctx_id = f->ctx_id[f->first];
	return true;
}

/**
 * mvgpu_retire_undo() - the newest workload of @engine was not queued
 * @r: the vGPU's state
 * @engine: its engine
 */
void mvgpu_retire_undo(struct mvgpu_retire *r, unsigned int engine)
{
	if (!WARN_ON(!r->fly[engine].count))
		r->fly[engine].count--;
}

/**
 * mvgpu_retire_inflight() - workloads of an engine in flight
 * @r: the vGPU's state
 * @engine: the engine
 *
 * Return: how many were submitted and not yet delivered or dropped.
 */
unsigned int mvgpu_retire_inflight(const struct mvgpu_retire *r,
				   unsigned int engine)
{
	return r->fly[engine].count;
}

/**
 * mvgpu_retire_busy() - has the vGPU any work in flight?
 * @r: the vGPU's state
 *
 * Return: true if an engine may be using something of the vGPU's.
 */
bool mvgpu_retire_busy(const struct mvgpu_retire *r)
{
	unsigned int i;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		if (r->fly[i].count)
			return true;
	return false;
}

/**
 * mvgpu_retire_stamp() - the stamp of something released now
 * @r: the vGPU's state
 *
 * Return: the next workload's sequence number: every workload that may
 * use what is released now is numbered below it.
 */
u64 mvgpu_retire_stamp(const struct mvgpu_retire *r)
{
	return r->next_seq;
}

/**
 * mvgpu_retire_passed() - may something stamped @stamp be released?
 * @r: the vGPU's state
 * @stamp: its stamp (mvgpu_retire_stamp() when it was released)
 *
 * Return: true when no workload numbered below @stamp is in flight.
 */
bool mvgpu_retire_passed(const struct mvgpu_retire *r, u64 stamp)
{
	unsigned int i;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		const struct mvgpu_retire_fifo *f = &r->fly[i];

		if (f->count && f->seq[f->first] < stamp)
			return false;
	}
	return true;
}

static void retire_unpin_now(struct mvgpu_vgpu *vgpu, u64 gfn,
			     enum mvgpu_pin_kind kind)
{
	mvgpu_vgpu_unpin(vgpu, gfn);
	if (kind == MVGPU_PIN_PPGTT)
		vgpu->ppgtt.pins--;
}

static struct mvgpu_unpin_chunk *retire_unpin_slot(struct mvgpu_retire *r)
{
	struct mvgpu_unpin_chunk *c;

	if (!list_empty(&r->unpins)) {
		c = list_last_entry(&r->unpins, struct mvgpu_unpin_chunk, link);
		if (c->count < UNPIN_CHUNK)
			return c;
	}
	c = kmalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
	if (!c)
		return NULL;
	c->first = 0;
	c->count = 0;
	list_add_tail(&c->link, &r->unpins);
	return c;
}

/**
 * mvgpu_retire_unpin() - release a pin once no engine can use its page
 * @vgpu: the vGPU, its lock held, its guest memory connected
 * @gfn: the guest page
 * @kind: the shadow that held the pin
 *
 * With nothing in flight the pin goes at once.  If the bookkeeping
 * cannot be allocated, the vGPU's work is stopped and the pin goes too:
 * a page is never released while an engine may use it.
 */
void mvgpu_retire_unpin(struct mvgpu_vgpu *vgpu, u64 gfn,
			enum mvgpu_pin_kind kind)
{
	struct mvgpu_retire *r = &vgpu->retire;
	struct mvgpu_unpin_chunk *c;
	unsigned int i;

	lockdep_assert_held(&vgpu->lock);
	if (!mvgpu_retire_busy(r)) {
		retire_unpin_now(vgpu, gfn, kind);
		return;
	}
	c = retire_unpin_slot(r);
	if (!c) {
		mvgpu_vgpu_warn(vgpu, "no memory to defer an unpin: work stopped\n");
		for (i = 0; i < MVGPU_NUM_ENGINES; i++)
			mvgpu_vgpu_stop_engine(vgpu, i);
		retire_unpin_now(vgpu, gfn, kind);
		return;
	}
	c->e[c->count].gfn = gfn | (u64)kind << UNPIN_KIND_SHIFT;
	c->e[c->count].stamp = mvgpu_retire_stamp(r);
	c->count++;
	r->nr_unpins[kind]++;
}

static void retire_reap_unpins(struct mvgpu_vgpu *vgpu)
{
	struct mvgpu_retire *r = &vgpu->retire;
	struct mvgpu_unpin_chunk *c, *tmp;

	list_for_each_entry_safe(c, tmp, &r->unpins, link) {
		while (c->first < c->count &&
		       mvgpu_retire_passed(r, c->e[c->first].stamp)) {
			u64 v = c->e[c->first++].gfn;
			enum mvgpu_pin_kind kind = v >> UNPIN_KIND_SHIFT;

			r->nr_unpins[kind]--;
			retire_unpin_now(vgpu, v & ~BIT_ULL(UNPIN_KIND_SHIFT), kind);
		}
		if (c->first < c->count)
			return;
		list_del(&c->link);
		kfree(c);
	}
}

/**
 * mvgpu_retire_reap() - release what no engine can use any more
 * @vgpu: the vGPU, its lock held
 *
 * Deferred unpins and shadow tables whose workloads have all left the
 * engines.
 */
void mvgpu_retire_reap(struct mvgpu_vgpu *vgpu)
{
	lockdep_assert_held(&vgpu->lock);
	retire_reap_unpins(vgpu);
	mvgpu_ppgtt_reap(vgpu);
}

/**
 * mvgpu_retire_done() - a workload of @engine was delivered
 * @vgpu: the vGPU, its lock held
 * @engine: its engine
 * @seq: its sequence number, the oldest of the engine's in flight
 *
 * What waited only for it is released.
 */
void mvgpu_retire_done(struct mvgpu_vgpu *vgpu, unsigned int engine, u64 seq)
{
	struct mvgpu_retire_fifo *f = &vgpu->retire.fly[engine];

	lockdep_assert_held(&vgpu->lock);
	if (WARN_ON(!f->count || f->seq[f->first] != seq))
		return;
	f->first = (f->first + 1) % MVGPU_RETIRE_MAX_INFLIGHT;
	f->count--;
	mvgpu_retire_reap(vgpu);
}

/**
 * mvgpu_retire_stop() - an engine's work was taken off it and dropped
 * @vgpu: the vGPU, its lock held
 * @engine: the engine, which runs none of the vGPU's work any more
 */
void mvgpu_retire_stop(struct mvgpu_vgpu *vgpu, unsigned int engine)
{
	lockdep_assert_held(&vgpu->lock);
	vgpu->retire.fly[engine].count = 0;
	mvgpu_retire_reap(vgpu);
}

/**
 * mvgpu_retire_pins_range() - does a deferred unpin hold guest memory here
 * @vgpu: the vGPU, its lock held
 * @iova: first guest physical address
 * @len: bytes
 *
 * Return: true when a page in the range is still pinned for an engine.
 */
bool mvgpu_retire_pins_range(struct mvgpu_vgpu *vgpu, u64 iova, u64 len)
{
	u64 first = iova >> PAGE_SHIFT, last = (iova + len - 1) >> PAGE_SHIFT;
	struct mvgpu_unpin_chunk *c;
	unsigned int i;

	lockdep_assert_held(&vgpu->lock);
	if (!len)
		return false;
	list_for_each_entry(c, &vgpu->retire.unpins, link) {
		for (i = c->first; i < c->count; i++) {
			u64 gfn = c->e[i].gfn & ~BIT_ULL(UNPIN_KIND_SHIFT);

			if (gfn >= first && gfn <= last)
				return true;
		}
	}
	return false;
}
