// SPDX-License-Identifier: GPL-2.0-only
/*
 * vGPU workloads: from a guest's ELSP write to what the guest sees when
 * its context has run.
 *
 * A submitted descriptor becomes a workload: the guest's context image
 * is read and checked, the commands between its ring head and tail are
 * copied into a host-owned shadow ring and scanned (cmd_parser.c), which
 * also copies every batch buffer into a shadow and points the batch
 * starts at the shadows.  A context with a PPGTT gets the shadow of its
 * page tables (ppgtt.c).  A shadow context image that runs the shadow
 * ring completes the workload, which the scheduler (sched.c) runs.  When
 * it has run, its end is delivered to the guest: the ring head in the
 * guest's image, a context status buffer entry, the error capture with
 * guest addresses, and interrupts.
 *
 * A workload the scan or the checks refuse never reaches an engine: it
 * gives its shadows back at once and is queued as rejected, to be
 * delivered in order as an error.  A vGPU that keeps sending such work
 * enters failsafe mode, in which submissions are ignored until the
 * device is reset.
 *
 * The pGPU's scheduler, whose engine threads and backend callbacks are
 * shared by every vGPU, never waits for a vGPU's lock or its VMM's
 * memory: a finished workload is delivered straight from the backend's
 * callback when the vGPU's lock is free and delivering it needs only
 * pinned guest pages (kmap), else by the vGPU's own work item under its
 * lock (mvgpu_workload_complete()).  A vGPU whose lock is held by a
 * thread stuck in its VMM's memory delays only itself.
 */
#include <linux/device.h>
#include <linux/lockdep.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <mvgpu/mvgpu_pci.h>

#include "batch_cache.h"
#include "ctx_shadow.h"
#include "execlist.h"
#include "ggtt.h"
#include "ppgtt.h"
#include "retire.h"
#include "sched.h"
#include "shadow_mem.h"
#include "stages.h"
#include "trace.h"
#include "trim.h"
#include "vgpu.h"
#include "vgpu_types.h"
#include "workload.h"

static const u8 reason_err[MVGPU_CMD_R_COUNT] = {
	[MVGPU_CMD_R_UNKNOWN]		= MVGPU_ERR_INVALID_CMD,
	[MVGPU_CMD_R_LENGTH]		= MVGPU_ERR_CMD_LENGTH,
	[MVGPU_CMD_R_TRUNCATED]		= MVGPU_ERR_CMD_TRUNCATED,
	[MVGPU_CMD_R_ENGINE]		= MVGPU_ERR_CMD_ENGINE,
	[MVGPU_CMD_R_PARAM]		= MVGPU_ERR_CMD_PARAM,
	[MVGPU_CMD_R_ADDRESS]		= MVGPU_ERR_GGTT_FAULT,
	[MVGPU_CMD_R_NO_PPGTT]		= MVGPU_ERR_NO_PPGTT,
	[MVGPU_CMD_R_REGISTER]		= MVGPU_ERR_REG_ACCESS,
	[MVGPU_CMD_R_BB_END_IN_RING]	= MVGPU_ERR_BB_END_IN_RING,
	[MVGPU_CMD_R_DEPTH]		= MVGPU_ERR_BB_NESTING,
	[MVGPU_CMD_R_CHAIN]		= MVGPU_ERR_BB_RUNAWAY,
	[MVGPU_CMD_R_BATCHES]		= MVGPU_ERR_BB_RUNAWAY,
	[MVGPU_CMD_R_COPY]		= MVGPU_ERR_GGTT_FAULT,
	[MVGPU_CMD_R_SHADOW]		= MVGPU_ERR_BB_RUNAWAY,
};

static struct mvgpu_shadow_obj *to_obj(struct mvgpu_shadow_buf *buf)
{
	return container_of(buf, struct mvgpu_shadow_obj, buf);
}

static int workload_ops_copy_in(void *priv, enum mvgpu_cmd_space space, u64 addr,
				void *dst, u32 len)
{
	struct mvgpu_workload *w = priv;

	return mvgpu_vgpu_pinned_rw(w->vgpu, space == MVGPU_SPACE_PPGTT,
				    w->root_gpa, addr, dst, len, false);
}

static int workload_ops_shadow_alloc(void *priv, u32 bytes,
				     struct mvgpu_shadow_buf **buf)
{
	struct mvgpu_workload *w = priv;
	struct mvgpu_shadow_obj *obj;

	obj = mvgpu_shadow_obj_alloc(&w->vgpu->shadow, bytes);
	if (!obj)
		return -ENOMEM;
	list_add_tail(&obj->link, &w->shadows);
	*buf = &obj->buf;
	return 0;
}

static int workload_ops_shadow_grow(void *priv, struct mvgpu_shadow_buf *buf,
				    u32 bytes)
{
	struct mvgpu_workload *w = priv;

	return mvgpu_shadow_obj_grow(&w->vgpu->shadow, to_obj(buf), bytes);
}

static int workload_ops_shadow_place(void *priv, struct mvgpu_shadow_buf *buf,
				     u64 *gma)
{
	struct mvgpu_workload *w = priv;
	int ret;

	ret = mvgpu_shadow_obj_place(&w->vgpu->shadow, to_obj(buf));
	*gma = buf->gma;
	return ret;
}

static void workload_bc_key(const struct mvgpu_workload *w,
			    struct mvgpu_bc_key *key)
{
	key->lrca = w->lrca;
	key->engine = w->engine;
	key->ppgtt = w->ppgtt;
}

static const void *workload_ops_batch_known(void *priv,
					    const struct mvgpu_shadow_buf *buf,
					    struct mvgpu_cmd_verdict *v)
{
	struct mvgpu_workload *w = priv;
	struct mvgpu_bc_key key;

	workload_bc_key(w, &key);
	return mvgpu_batch_cache_find(&w->vgpu->bcache, &key, buf->guest_space,
				      buf->guest_addr, v);
}

static void workload_ops_batch_scanned(void *priv,
				       const struct mvgpu_shadow_buf *buf,
				       const struct mvgpu_cmd_verdict *v)
{
	struct mvgpu_workload *w = priv;
	struct mvgpu_bc_key key;

	workload_bc_key(w, &key);
	mvgpu_batch_cache_store(&w->vgpu->bcache, &key, buf->guest_space,
				buf->guest_addr, buf->va, v);
}

static const struct mvgpu_cmd_ops workload_cmd_ops = {
	.copy_in = workload_ops_copy_in,
	.shadow_alloc = workload_ops_shadow_alloc,
	.shadow_grow = workload_ops_shadow_grow,
	.shadow_place = workload_ops_shadow_place,
	.batch_known = workload_ops_batch_known,
	.batch_scanned = workload_ops_batch_scanned,
};

static void workload_free_shadows(struct mvgpu_workload *w)
{
	struct mvgpu_shadow_obj *obj, *tmp;

	list_for_each_entry_safe(obj, tmp, &w->shadows, link) {
		list_del(&obj->link);
		mvgpu_shadow_obj_free(&w->vgpu->shadow, obj);
	}
	if (w->cshadow) {
		mvgpu_ctx_shadow_put(w->cshadow);
		w->cshadow = NULL;
	}
	w->ctx = NULL;
}

static void workload_reject(struct mvgpu_workload *w, u32 code, u32 space,
			    u64 cmd_addr, u32 header, u64 fault)
{
	w->rejected = true;
	w->err.status = code | space << MVGPU_ERR_STATUS_SPACE_SHIFT;
	w->err.ctx_id = w->ctx_id;
	w->err.cmd_addr = cmd_addr;
	w->err.cmd_header = header;
	w->err.fault_addr = fault;
	trace_mvgpu_reject(w);
}

static void workload_reject_scan(struct mvgpu_workload *w,
				 const struct mvgpu_cmd_result *res)
{
	u64 addr = res->cmd_addr;

	if (res->space == MVGPU_SPACE_RING)
		addr = (w->head + res->offset) % w->ring_size;
	workload_reject(w, reason_err[res->reason] ?: MVGPU_ERR_INVALID_CMD,
			res->space, addr, res->header,
			res->reason == MVGPU_CMD_R_ADDRESS ? res->value : 0);
	mvgpu_vgpu_warn(w->vgpu, "engine %u: context 0x%x rejected: %s at 0x%llx (header 0x%08x, value 0x%llx)\n",
			w->engine, w->ctx_id,
			mvgpu_cmd_reason_str(res->reason), addr, res->header,
			res->value);
}

/* Read and check the guest's context image; fills the ring fields. */
static int workload_load_context(struct mvgpu_workload *w, u64 desc)
{
	struct mvgpu_vgpu *vgpu = w->vgpu;
	struct mvgpu_vexec *ex = &vgpu->exec[w->engine];
	u32 img[MVGPU_CTX_DWORDS], ctl, head;
	u64 mode = (desc & MVGPU_CTX_DESC_MODE_MASK) >> MVGPU_CTX_DESC_MODE_SHIFT;

	if (!(desc & MVGPU_CTX_DESC_VALID) ||
	    (mode != MVGPU_CTX_MODE_LEGACY_32B &&
	     mode != MVGPU_CTX_MODE_LEGACY_64B))
		return -EINVAL;
	if (mvgpu_ggtt_guest_rw(vgpu, w->lrca, img, sizeof(img), false))
		return -EFAULT;
	w->ppgtt = mode == MVGPU_CTX_MODE_LEGACY_64B;
	w->root_gpa = (u64)img[MVGPU_CTX_PML4_HI] << 32 | img[MVGPU_CTX_PML4_LO];
	ctl = img[MVGPU_CTX_RING_CTL];
	w->ring_start = img[MVGPU_CTX_RING_START];
	w->ring_size = ((ctl & MVGPU_RING_CTL_SIZE_MASK) >>
			MVGPU_RING_CTL_SIZE_SHIFT) + 1;
	w->ring_size <<= MVGPU_GTT_PAGE_SHIFT;
	w->tail = img[MVGPU_CTX_RING_TAIL];
	memcpy(w->gpr, &img[MVGPU_CTX_GPR(0)], sizeof(w->gpr));
	head = img[MVGPU_CTX_RING_HEAD];
	/* Work of this context still queued: continue where it ends. */
	if (mvgpu_retire_inflight(&vgpu->retire, w->engine) &&
	    ex->last_lrca == w->lrca) {
		head = ex->last_tail;
		if (ex->last) {
			mvgpu_workload_get(ex->last);
			w->prev = ex->last;
		}
	}
	w->head = head;
	if (!(ctl & MVGPU_RING_CTL_VALID) || (ctl & ~(MVGPU_RING_CTL_VALID |
						       MVGPU_RING_CTL_SIZE_MASK)))
		return -EINVAL;
	return 0;
}

/*
 * The shadow ring and context image of @w: its guest context's own when
 * it can have them (ctx_shadow.c), else new ones for @w alone.
 */
static int workload_ring_ctx(struct mvgpu_workload *w,
			     struct mvgpu_shadow_obj **ring,
			     struct mvgpu_shadow_obj **ctx)
{
	struct mvgpu_vgpu *vgpu = w->vgpu;

	w->cshadow = mvgpu_ctx_shadow_take(&vgpu->cshadows, &vgpu->shadow,
					   w->lrca, w->ring_size);
	if (w->cshadow) {
		*ring = w->cshadow->ring;
		*ctx = w->cshadow->ctx;
	} else {
		*ring = mvgpu_shadow_obj_alloc_raw(&vgpu->shadow, w->ring_size);
		*ctx = mvgpu_shadow_obj_alloc_raw(&vgpu->shadow, PAGE_SIZE);
		if (*ring)
			list_add_tail(&(*ring)->link, &w->shadows);
		if (*ctx)
			list_add_tail(&(*ctx)->link, &w->shadows);
		if (!*ring || !*ctx)
			return -ENOMEM;
	}
	w->ctx = *ctx;
	return 0;
}

/* Copy, scan and place the ring, then build the shadow context. */
static int workload_shadow_work(struct mvgpu_workload *w)
{
	struct mvgpu_vgpu *vgpu = w->vgpu;
	struct mvgpu_shadow_obj *ring, *ctx;
	struct mvgpu_cmd_result res;
	struct mvgpu_cmd_scan scan;
	u64 root_hpa = 0;
	u32 *img;
	int n, ret;

	if (w->ppgtt && mvgpu_ppgtt_shadow(vgpu, w->root_gpa, &root_hpa)) {
		mvgpu_vgpu_warn(vgpu, "engine %u: PPGTT at 0x%llx cannot be shadowed\n",
				w->engine, w->root_gpa);
		workload_reject(w, MVGPU_ERR_BAD_CONTEXT, MVGPU_SPACE_RING, w->head, 0, 0);
		return 0;
	}
	mvgpu_cmd_scan_init(&scan, w->engine, w->ppgtt, &workload_cmd_ops, w);
	scan.gm[0].base = vgpu->res.aperture.base;
	scan.gm[0].size = vgpu->res.aperture.size;
	scan.gm[1].base = vgpu->res.hidden.base;
	scan.gm[1].size = vgpu->res.hidden.size;
	/* the engine reads the ring up to its tail, the image's dwords */
	ret = workload_ring_ctx(w, &ring, &ctx);
	if (ret)
		return ret;
	n = mvgpu_cmd_copy_ring(&scan, w->ring_start, w->ring_size, w->head,
				w->tail, ring->buf.va);
	if (n < 0) {
		workload_reject(w, n == -EFAULT ? MVGPU_ERR_GGTT_FAULT :
				MVGPU_ERR_BAD_CONTEXT, MVGPU_SPACE_RING, w->head, 0, 0);
		return 0;
	}
	mvgpu_cmd_scan_ring(&scan, ring->buf.va, n, &res);
	atomic64_add(res.cmds, &vgpu->stats.cmds_scanned);
	atomic64_add(res.known, &vgpu->bcache.hits);
	if (res.reason != MVGPU_CMD_OK || res.err) {
		/* nothing of a context whose work is refused is trusted */
		mvgpu_batch_cache_forget_ctx(&vgpu->bcache, w->lrca);
		workload_reject_scan(w, &res);
		return 0;
	}
	if (mvgpu_shadow_obj_place(&vgpu->shadow, ring) ||
	    mvgpu_shadow_obj_place(&vgpu->shadow, ctx))
		return -ENOSPC;
	img = ctx->buf.va;
	/*
	 * Built afresh: nothing of the guest's image but what is copied
	 * below reaches the engine (no batch state, no split blit progress).
	 */
	memset(img, 0, MVGPU_CTX_DWORDS * sizeof(u32));
	img[MVGPU_CTX_RING_HEAD] = 0;
	img[MVGPU_CTX_RING_TAIL] = n;
	img[MVGPU_CTX_RING_START] = ring->buf.gma;
	img[MVGPU_CTX_RING_CTL] = MVGPU_RING_CTL_SIZE(w->ring_size) |
				  MVGPU_RING_CTL_VALID;
	img[MVGPU_CTX_PML4_LO] = lower_32_bits(root_hpa);
	img[MVGPU_CTX_PML4_HI] = upper_32_bits(root_hpa);
	memcpy(&img[MVGPU_CTX_GPR(0)], w->gpr, sizeof(w->gpr));
	w->desc = MVGPU_CTX_DESC(ctx->buf.gma, w->ppgtt ?
				 MVGPU_CTX_MODE_LEGACY_64B :
				 MVGPU_CTX_MODE_LEGACY_32B, w->ctx_id);
	return 0;
}

/**
 * mvgpu_workload_slots_init() - preallocate a vGPU's workloads
 * @vgpu: the vGPU being created
 *
 * Return: 0 or -ENOMEM.
 */
int mvgpu_workload_slots_init(struct mvgpu_vgpu *vgpu)
{
	struct mvgpu_vslots *sl = &vgpu->slots;
	unsigned int i;

	spin_lock_init(&sl->lock);
	INIT_LIST_HEAD(&sl->free);
	sl->used = 0;
	sl->mem = kvcalloc(MVGPU_WORKLOAD_SLOTS, sizeof(*sl->mem),
			   GFP_KERNEL_ACCOUNT);
	if (!sl->mem)
		return -ENOMEM;
	for (i = 0; i < MVGPU_WORKLOAD_SLOTS; i++)
		list_add_tail(&sl->mem[i].link, &sl->free);
	return 0;
}

/**
 * mvgpu_workload_slots_fini() - free a vGPU's workloads
 * @vgpu: the vGPU, none of whose workloads exists any more
 */
void mvgpu_workload_slots_fini(struct mvgpu_vgpu *vgpu)
{
	/* a slot still in use would be used after its free: leak them */
	if (WARN_ON(vgpu->slots.used))
		return;
	kvfree(vgpu->slots.mem);
	vgpu->slots.mem = NULL;
}

/* A zeroed workload: a free slot, else a new one. */
static struct mvgpu_workload *workload_alloc(struct mvgpu_vgpu *vgpu)
{
	struct mvgpu_vslots *sl = &vgpu->slots;
	struct mvgpu_workload *w;

	spin_lock(&sl->lock);
	w = list_first_entry_or_null(&sl->free, struct mvgpu_workload, link);
	if (w) {
		list_del(&w->link);
		sl->used++;
	}
	spin_unlock(&sl->lock);
	if (w)
		memset(w, 0, sizeof(*w));
	else
		w = kzalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);
	return w;
}

static void workload_free(struct mvgpu_workload *w)
{
	struct mvgpu_vslots *sl = &w->vgpu->slots;

	if (w < sl->mem || w >= sl->mem + MVGPU_WORKLOAD_SLOTS) {
		kfree(w);
		return;
	}
	spin_lock(&sl->lock);
	list_add(&w->link, &sl->free);
	sl->used--;
	spin_unlock(&sl->lock);
}

static struct mvgpu_workload *workload_create(struct mvgpu_vgpu *vgpu,
					      unsigned int engine, u64 desc)
{
	struct mvgpu_workload *w;
	int ret;

	w = workload_alloc(vgpu);
	if (!w)
		return NULL;
	kref_init(&w->ref);
	INIT_LIST_HEAD(&w->link);
	INIT_LIST_HEAD(&w->irq_link);
	INIT_LIST_HEAD(&w->shadows);
	w->vgpu = vgpu;
	w->engine = engine;
	w->gen = vgpu->exec[engine].gen;
	w->ctx_id = desc >> MVGPU_CTX_DESC_ID_SHIFT;
	w->lrca = desc & MVGPU_CTX_DESC_LRCA_MASK;
	mvgpu_stage_submit(w);
	if (workload_load_context(w, desc)) {
		w->ring_size = 0;
		mvgpu_vgpu_warn(vgpu, "engine %u: context 0x%x at 0x%x is not valid\n",
				engine, w->ctx_id, w->lrca);
		workload_reject(w, MVGPU_ERR_BAD_CONTEXT, MVGPU_SPACE_RING, 0, 0, 0);
		return w;
	}
	ret = workload_shadow_work(w);
	mvgpu_stage_stamp(w, MVGPU_PT_SCANNED);
	if (ret) {
		mvgpu_vgpu_warn(vgpu, "engine %u: no shadow memory for context 0x%x (%d)\n",
				engine, w->ctx_id, ret);
		workload_reject(w, MVGPU_ERR_BB_RUNAWAY, MVGPU_SPACE_RING, w->head, 0, 0);
	}
	/* it never runs: its error is all the guest will hear of it */
	if (w->rejected)
		workload_free_shadows(w);
	return w;
}

/* @w is the engine's last workload now; @ex holds a reference to it. */
static void workload_set_last(struct mvgpu_vexec *ex, struct mvgpu_workload *w)
{
	mvgpu_workload_get(w);
	if (ex->last)
		mvgpu_workload_put(ex->last);
	ex->last = w;
	ex->last_lrca = w->lrca;
	ex->last_tail = w->tail;
}

/**
 * mvgpu_workload_submit() - the guest wrote a descriptor pair to an ELSP
 * @vgpu: the vGPU, its lock held
 * @engine: the engine
 * @desc: element 0, element 1 (no valid bit: none)
 *
 * Each element becomes a workload queued on the vGPU's engine queue.
 * Nothing is submitted while the vGPU is in failsafe mode, has no
 * guest memory or is stopped for a migration.  Building a workload may
 * stop the vGPU's engines (mvgpu_retire_unpin() without memory): the
 * submission then goes, as the work before it did.
 */
void mvgpu_workload_submit(struct mvgpu_vgpu *vgpu, unsigned int engine,
			   const u64 desc[2])
{
	struct mvgpu_vexec *ex = &vgpu->exec[engine];
	unsigned int total = desc[1] & MVGPU_CTX_DESC_VALID ? 2 : 1;
	struct mvgpu_vexec saved = *ex;
	struct mvgpu_workload *w[2];
	unsigned int i, n;

	lockdep_assert_held(&vgpu->lock);
	if (vgpu->failsafe || !vgpu->mem_ops || vgpu->mig_stopped) {
		mvgpu_vgpu_warn(vgpu, "engine %u: submission ignored: %s\n",
				engine, vgpu->failsafe ? "vGPU in failsafe mode" :
				vgpu->mig_stopped ? "vGPU stopped for migration" :
				"no guest memory");
		atomic64_inc(&vgpu->stats.rejected);
		return;
	}
	/* @ex->last holds its own reference; @saved one more, for an undo */
	if (saved.last)
		mvgpu_workload_get(saved.last);
	for (n = 0; n < total; n++) {
		w[n] = workload_create(vgpu, engine, desc[n]);
		if (ex->gen != saved.gen)
			goto stopped;
		if (!w[n])
			goto undo;
		if (mvgpu_retire_start(&vgpu->retire, engine, w[n]->ctx_id,
				       w[n]->ppgtt ? w[n]->root_gpa :
				       MVGPU_RETIRE_NO_ROOT, &w[n]->seq)) {
			mvgpu_workload_put(w[n]);
			goto full;
		}
		/* element 1 of the same context continues after element 0 */
		if (!w[n]->rejected)
			workload_set_last(ex, w[n]);
	}
	/* before the scheduler may start them; a full queue drops them below */
	for (i = 0; i < n; i++) {
		mvgpu_stage_stamp_engine(w[i], MVGPU_PT_QUEUED);
		trace_mvgpu_submit(w[i]);
	}
	/* Both at once, so element 0 cannot end before element 1 is queued. */
	if (!mvgpu_sched_queue_work(&vgpu->pgpu->sched, &vgpu->queue[engine],
				    w, n)) {
		atomic64_add(n, &vgpu->stats.submissions);
		if (saved.last)
			mvgpu_workload_put(saved.last);
		return;
	}
full:
	mvgpu_vgpu_warn(vgpu, "engine %u: queue full, submission of context 0x%llx dropped\n",
			engine, desc[0] >> MVGPU_CTX_DESC_ID_SHIFT);
	atomic64_add(total, &vgpu->stats.rejected);
undo:
	for (i = 0; i < n; i++) {
		mvgpu_workload_put(w[i]);
		mvgpu_retire_undo(&vgpu->retire, engine);
	}
	if (ex->last)
		mvgpu_workload_put(ex->last);
	ex->last = saved.last;
	ex->last_lrca = saved.last_lrca;
	ex->last_tail = saved.last_tail;
	return;
stopped:
	/*
	 * The engines were stopped while w[n] was built: @ex and the retire
	 * FIFO were reset with them, w[0..n-1]'s entries too.
	 */
	mvgpu_vgpu_warn(vgpu, "engine %u: work stopped while context 0x%llx was built: submission dropped\n",
			engine, desc[n] >> MVGPU_CTX_DESC_ID_SHIFT);
	atomic64_add(total, &vgpu->stats.rejected);
	for (i = 0; i <= n; i++)
		if (w[i])
			mvgpu_workload_put(w[i]);
	if (saved.last)
		mvgpu_workload_put(saved.last);
}

/**
 * mvgpu_workload_get() - take a reference
 * @w: the workload
 */
void mvgpu_workload_get(struct mvgpu_workload *w)
{
	kref_get(&w->ref);
}

static void workload_release(struct kref *ref)
{
	struct mvgpu_workload *w = container_of(ref, struct mvgpu_workload, ref);

	workload_free_shadows(w);
	if (w->prev)
		mvgpu_workload_put(w->prev);
	workload_free(w);
}

/**
 * mvgpu_workload_put() - drop a reference; the last frees the workload
 * @w: the workload, no longer on an engine when this is its last
 *     reference
 */
void mvgpu_workload_put(struct mvgpu_workload *w)
{
	kref_put(&w->ref, workload_release);
}

/**
 * mvgpu_workload_account_ran() - count engine time the backend reported
 * @w: the workload, on an engine or just off it (a reference is held)
 * @ns: time its context ran, by the backend's measure
 *
 * Called from the backend's event callback: one atomic add, no lock.
 * The vGPU's backend_ns counters are what it really received, to check
 * the scheduler's own charge against.
 */
void mvgpu_workload_account_ran(struct mvgpu_workload *w, u64 ns)
{
	atomic64_add(ns, &w->vgpu->stats.backend_ns[w->engine]);
}

/**
 * mvgpu_workload_start() - a workload is about to go on an engine
 * @w: the workload, not rejected
 *
 * Called by the scheduler, with its lock held, each time it submits @w
 * (as element 0, or as element 1 behind another context's workload).
 * The first time, @w takes the context state its predecessor in the same
 * context left in its shadow image (@w->prev ran to its end before @w
 * was submitted: both are in one queue, and the scheduler pairs no two
 * workloads of one context), as the guest's image would hold it on a GPU
 * that ran them back to back.  Host memory only.
 */
void mvgpu_workload_start(struct mvgpu_workload *w)
{
	struct mvgpu_workload *prev = w->prev;
	const u32 *from;
	u32 *img;

	lockdep_assert_held(&w->vgpu->pgpu->sched.lock);
	if (!prev)
		return;
	w->prev = NULL;
	if (prev->ctx && w->ctx) {
		from = prev->ctx->buf.va;
		img = w->ctx->buf.va;
		memcpy(&img[MVGPU_CTX_GPR(0)], &from[MVGPU_CTX_GPR(0)],
		       MVGPU_RING_GPR_DWORDS * sizeof(u32));
	}
	mvgpu_workload_put(prev);
}

/**
 * mvgpu_workload_running() - a workload is the one on its engine now
 * @w: the workload
 *
 * Called by the scheduler, with its lock held: when it submits @w as
 * element 0, or when the engine switches to @w as element 1.  Stamps
 * %MVGPU_PT_START, so that the engine stage is @w's own.
 */
void mvgpu_workload_running(struct mvgpu_workload *w)
{
	lockdep_assert_held(&w->vgpu->pgpu->sched.lock);
	mvgpu_stage_stamp_engine(w, MVGPU_PT_START);
}

/* A shadow address in an error capture, as the guest knows it. */
static u64 workload_guest_addr(struct mvgpu_workload *w, u64 addr, u32 *space)
{
	struct mvgpu_shadow_obj *obj;

	if (*space == MVGPU_SPACE_RING)
		return (w->head + addr) % w->ring_size;
	list_for_each_entry(obj, &w->shadows, link) {
		if (obj->buf.level && addr >= obj->buf.gma &&
		    addr - obj->buf.gma < obj->buf.size) {
			*space = obj->buf.guest_space;
			return obj->buf.guest_addr + (addr - obj->buf.gma);
		}
	}
	return addr;
}

static void workload_deliver_error(struct mvgpu_workload *w)
{
	struct mvgpu_vgpu *vgpu = w->vgpu;
	u32 space = (w->err.status & MVGPU_ERR_STATUS_SPACE_MASK) >>
		    MVGPU_ERR_STATUS_SPACE_SHIFT;
	struct mvgpu_vengine_error ve = {
		.status = w->err.status,
		.ctx_id = w->ctx_id,
		.cmd_addr = w->err.cmd_addr,
		.cmd_header = w->err.cmd_header,
		.fault_addr = w->err.fault_addr,
	};

	if (!w->rejected) {
		ve.cmd_addr = workload_guest_addr(w, w->err.cmd_addr, &space);
		ve.status = (ve.status & ~MVGPU_ERR_STATUS_SPACE_MASK) |
			    space << MVGPU_ERR_STATUS_SPACE_SHIFT;
		atomic64_inc(&vgpu->stats.errors);
	} else if (++vgpu->rejects >= MVGPU_VGPU_FAILSAFE_REJECTS &&
		   !vgpu->failsafe) {
		vgpu->failsafe = true;
		mvgpu_batch_cache_clear(&vgpu->bcache);
		*mvgpu_vreg_slot(&vgpu->vregs, MVGPU_PVINFO_OFFSET +
				 MVGPU_PVINFO_FAILSAFE_REG) = 1;
		dev_err_ratelimited(vgpu->dev, "%u workloads rejected: failsafe mode until reset\n",
				    vgpu->rejects);
	}
	if (w->rejected)
		atomic64_inc(&vgpu->stats.rejected);
	mvgpu_execlist_error(&vgpu->vregs, w->engine, &ve);
}

/* What the guest's context image says after the workload. */
static void workload_write_back(struct mvgpu_workload *w, bool error)
{
	u32 head = error ? w->head : w->tail;
	u32 code = error ? w->err.status & MVGPU_ERR_STATUS_CODE_MASK : 0;
	u32 bb[MVGPU_CTX_ERROR - MVGPU_CTX_BB_ADDR_LO] = { };
	struct mvgpu_vgpu *vgpu = w->vgpu;

	if (w->rejected && !w->ring_size)
		return;
	mvgpu_ggtt_guest_rw(vgpu, w->lrca + 4 * MVGPU_CTX_RING_HEAD, &head,
			    sizeof(head), true);
	mvgpu_ggtt_guest_rw(vgpu, w->lrca + 4 * MVGPU_CTX_BB_ADDR_LO, bb,
			    sizeof(bb), true);
	mvgpu_ggtt_guest_rw(vgpu, w->lrca + 4 * MVGPU_CTX_ERROR, &code,
			    sizeof(code), true);
	/* the context state the engine saved in the shadow image */
	if (w->ctx)
		mvgpu_ggtt_guest_rw(vgpu, w->lrca + 4 * MVGPU_CTX_GPR(0),
				    (u32 *)w->ctx->buf.va + MVGPU_CTX_GPR(0),
				    MVGPU_RING_GPR_DWORDS * sizeof(u32), true);
}

static bool workload_is_hang(const struct mvgpu_workload *w)
{
	return !w->rejected && (w->status & MVGPU_CSB_ERROR) &&
	       (w->err.status & MVGPU_ERR_STATUS_CODE_MASK) == MVGPU_ERR_HANG;
}

/*
 * @w hung and the guest was told.  As a GPU does after a hang, the
 * engine drops the work queued behind it; only this vGPU engine is
 * affected.  The vGPU's lock is held.
 */
static void workload_after_hang(struct mvgpu_workload *w)
{
	struct mvgpu_vgpu *vgpu = w->vgpu;

	lockdep_assert_held(&w->vgpu->lock);
	atomic64_inc(&vgpu->stats.hangs);
	mvgpu_vgpu_warn(vgpu, "engine %u: context 0x%x hung after %llu ms of engine time; its queued work is dropped\n",
			w->engine, w->ctx_id, div_u64(w->ran_ns, NSEC_PER_MSEC));
	mvgpu_vgpu_stop_engine(vgpu, w->engine);
}

/* Tell the guest @w has ended; dropped if from before a reset. */
static void workload_deliver(struct mvgpu_workload *w)
{
	struct mvgpu_vgpu *vgpu = w->vgpu;
	struct mvgpu_vexec *ex = &vgpu->exec[w->engine];
	bool error = w->rejected || (w->status & MVGPU_CSB_ERROR);
	bool hang = workload_is_hang(w);
	struct mvgpu_ring_state ring = {
		.head = error ? w->head : w->tail, .tail = w->tail,
		.start = w->ring_start,
		.ctl = MVGPU_RING_CTL_SIZE(max(w->ring_size, 4096U)) |
		       MVGPU_RING_CTL_VALID,
	};
	u32 status;

	if (w->gen != ex->gen || !vgpu->mem_ops)
		return;
	mvgpu_retire_done(vgpu, w->engine, w->seq);
	if (ex->last == w) {
		ex->last = NULL;
		mvgpu_workload_put(w);
	}
	if (hang)
		w->more = false;	/* what follows is dropped below */
	status = error ? MVGPU_CSB_ERROR : MVGPU_CSB_COMPLETE;
	status |= w->more ? MVGPU_CSB_ELEMENT_SWITCH : MVGPU_CSB_ACTIVE_TO_IDLE;
	workload_write_back(w, error);
	mvgpu_execlist_set_ring(&vgpu->vregs, w->engine, &ring);
	if (error)
		workload_deliver_error(w);
	else
		atomic64_inc(&vgpu->stats.completed);
	mvgpu_stages_delivered(w);
	/*
	 * The events last, back to back: the interrupt the first raises
	 * wakes a guest that takes this vGPU's lock to acknowledge it, so
	 * everything else is written by then.
	 */
	if (!ex->active)
		mvgpu_execlist_csb_event(&vgpu->vregs, w->engine,
					 MVGPU_CSB_IDLE_TO_ACTIVE, w->ctx_id);
	ex->active = w->more;
	mvgpu_execlist_csb_event(&vgpu->vregs, w->engine, status, w->ctx_id);
	trace_mvgpu_complete(w, status);
	mvgpu_stage_csb_done(vgpu);
	if (hang)
		workload_after_hang(w);
}

static void workload_deliver_queue(struct mvgpu_vgpu *vgpu)
{
	queue_work(vgpu->pgpu->deliver_wq, &vgpu->deliver.work);
}

/*
 * May @w be delivered from a backend callback?  Not if delivering it
 * could wait: a hang stops the vGPU engine (a reset, which waits for the
 * engine the callback runs on), a context image or status page not
 * pinned is written through the VMM's memory, and releasing what waited for the engines
 * unpins pages and may untrack page tables.  The vGPU's lock is held.
 */
static bool workload_direct_ok(struct mvgpu_workload *w)
{
	struct mvgpu_vgpu *vgpu = w->vgpu;
	u32 hws;

	lockdep_assert_held(&vgpu->lock);
	if (!vgpu->mem_ops || w->gen != vgpu->exec[w->engine].gen)
		return true;	/* dropped, nothing is written */
	if (workload_is_hang(w) || !list_empty(&vgpu->retire.unpins) ||
	    vgpu->ppgtt.nr_zombies)
		return false;
	hws = mvgpu_execlist_hws(&vgpu->vregs, w->engine);
	if (hws && !mvgpu_ggtt_pinned(vgpu, hws, MVGPU_GTT_PAGE_SIZE))
		return false;	/* the CSB mirror would go through the VMM */
	return (w->rejected && !w->ring_size) ||
	       mvgpu_ggtt_pinned(vgpu, w->lrca, MVGPU_CTX_DWORDS * sizeof(u32));
}

/* The first finished workload, taken off the list, or NULL. */
static struct mvgpu_workload *workload_take_done(struct mvgpu_vdeliver *d)
{
	struct mvgpu_workload *w;

	spin_lock(&d->lock);
	w = list_first_entry_or_null(&d->done, struct mvgpu_workload, link);
	if (w)
		list_del_init(&w->link);
	spin_unlock(&d->lock);
	return w;
}

/* The first workload with user interrupts waiting, taken off the list. */
static struct mvgpu_workload *workload_take_irqs(struct mvgpu_vdeliver *d, u32 *count)
{
	struct mvgpu_workload *w;

	spin_lock(&d->lock);
	w = list_first_entry_or_null(&d->irqs, struct mvgpu_workload,
				     irq_link);
	if (w) {
		list_del_init(&w->irq_link);
		*count = w->user_irqs;
		w->user_irqs = 0;
	}
	spin_unlock(&d->lock);
	return w;
}

/*
 * Deliver what finished, in order, under the vGPU's lock.  @direct (a
 * backend callback): stop at the first workload that must wait for the
 * work item; returns false then, true when everything was delivered.
 */
static bool workload_deliver_all(struct mvgpu_vgpu *vgpu, bool direct)
{
	struct mvgpu_vdeliver *d = &vgpu->deliver;
	struct mvgpu_workload *w;
	bool all = true;
	u32 count;

	lockdep_assert_held(&vgpu->lock);
	while ((w = workload_take_irqs(d, &count))) {
		if (w->gen == vgpu->exec[w->engine].gen)
			mvgpu_execlist_user_interrupt(&vgpu->vregs, w->engine);
		mvgpu_workload_put(w);
	}
	while ((w = workload_take_done(d))) {
		if (direct && !workload_direct_ok(w)) {
			spin_lock(&d->lock);
			list_add(&w->link, &d->done);
			spin_unlock(&d->lock);
			all = false;
			break;
		}
		workload_deliver(w);
		mvgpu_workload_put(w);
	}
	mvgpu_trim_arm(vgpu);
	return all;
}

/*
 * Deliver now if @direct and the vGPU's lock is free, else (or for what
 * cannot be delivered from a callback) from the vGPU's work item.
 */
static void workload_deliver_kick(struct mvgpu_vgpu *vgpu, bool direct)
{
	bool all;

	if (direct && mutex_trylock(&vgpu->lock)) {
		all = workload_deliver_all(vgpu, true);
		mutex_unlock(&vgpu->lock);
		if (all)
			return;
	}
	workload_deliver_queue(vgpu);
}

/**
 * mvgpu_workload_complete() - the scheduler is done with a workload
 * @w: the workload, off the engine for good; the caller's reference
 *     passes to its delivery
 * @direct: called from the backend's callback, which may deliver
 *
 * Called by the pGPU's scheduler, which must not wait for a vGPU: the
 * end of @w reaches the guest there and then if @direct, the vGPU's lock
 * is free and delivering needs nothing that may wait (the context image
 * is pinned, nothing waits to be released, no hang); else from the
 * vGPU's own work item.
 */
void mvgpu_workload_complete(struct mvgpu_workload *w, bool direct)
{
	struct mvgpu_vgpu *vgpu = w->vgpu;
	struct mvgpu_vdeliver *d = &vgpu->deliver;

	mvgpu_stage_stamp(w, MVGPU_PT_END);
	spin_lock(&d->lock);
	list_add_tail(&w->link, &d->done);
	spin_unlock(&d->lock);
	/* from here @w is the deliverer's, who may have freed it already */
	workload_deliver_kick(vgpu, direct);
}

/**
 * mvgpu_workload_user_interrupt() - the workload raised user interrupts
 * @w: the workload
 * @count: how many since the last call (they merge into one)
 * @direct: called from the backend's callback, which may deliver
 *
 * Called by the pGPU's scheduler; delivered as mvgpu_workload_complete()
 * is.
 */
void mvgpu_workload_user_interrupt(struct mvgpu_workload *w, u32 count,
				   bool direct)
{
	struct mvgpu_vgpu *vgpu = w->vgpu;
	struct mvgpu_vdeliver *d = &vgpu->deliver;

	if (!count)
		return;
	spin_lock(&d->lock);
	w->user_irqs += count;
	if (list_empty(&w->irq_link)) {
		mvgpu_workload_get(w);
		list_add_tail(&w->irq_link, &d->irqs);
	}
	spin_unlock(&d->lock);
	workload_deliver_kick(vgpu, direct);
}

static void workload_deliver_work(struct work_struct *work)
{
	struct mvgpu_vgpu *vgpu = container_of(work, struct mvgpu_vgpu,
					       deliver.work);

	mutex_lock(&vgpu->lock);
	workload_deliver_all(vgpu, false);
	mutex_unlock(&vgpu->lock);
}

/**
 * mvgpu_workload_deliver_init() - nothing finished yet
 * @vgpu: the vGPU being created
 */
void mvgpu_workload_deliver_init(struct mvgpu_vgpu *vgpu)
{
	struct mvgpu_vdeliver *d = &vgpu->deliver;

	spin_lock_init(&d->lock);
	INIT_LIST_HEAD(&d->done);
	INIT_LIST_HEAD(&d->irqs);
	INIT_WORK(&d->work, workload_deliver_work);
	mvgpu_trim_init(vgpu);
}

/**
 * mvgpu_workload_deliver_flush() - wait until finished work is delivered
 * @vgpu: the vGPU, whose lock the caller does not hold
 *
 * After its queues were stopped and the scheduler synchronised
 * (mvgpu_sched_sync()), nothing more is handed over: on return the
 * delivery lists are empty and no workload of the vGPU is referenced by
 * them, and no release of its idle caches is pending (trim.c).
 */
void mvgpu_workload_deliver_flush(struct mvgpu_vgpu *vgpu)
{
	lockdep_assert_not_held(&vgpu->lock);
	might_sleep();
	flush_work(&vgpu->deliver.work);
	mvgpu_trim_cancel(vgpu);
	WARN_ON(!list_empty(&vgpu->deliver.done) ||
		!list_empty(&vgpu->deliver.irqs));
}
