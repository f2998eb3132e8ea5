// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fake host side of the GGTT and PPGTT shadows and of the vGPU around
 * them; see gtt_fake.h for what it offers.
 *
 * Guest memory is GTF_PAGES pages at guest physical 0, each allocated on
 * its own so that ASan catches an access past any of them.  Guest page
 * gfn is at host physical address GTF_HPA(gfn), far from any guest
 * physical address, so a guest address that reaches a shadow untranslated
 * shows.  Shadow tables are shim pages (tests/shim/linux/gfp.h), whose
 * physical address is their memory's address.
 *
 * ppgtt.c and retire.c are included, not linked, so that the checks can
 * read their private structs (shadow tables, deferred unpins): a test
 * that links this file must not compile them itself.  The scheduler,
 * workloads, shadow memory and the pGPU's resources are faked below.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mvgpu/vgpu.h>

#include "ctx_shadow.h"
#include "ggtt.h"
#include "gtt_fake.h"
#include "pgpu.h"
#include "trim.h"
#include "workload.h"

#include "ppgtt.c"
#include "retire.c"

/* Open hash tables of the checks: sized for @n entries, a power of two. */
static unsigned int gtf_hash_bits(unsigned int n)
{
	unsigned int bits = 6;

	while ((1U << bits) < 2 * n + 2 && bits < GTF_IDX_BITS)
		bits++;
	return bits;
}

/* ---- reporting ---- */

__printf(2, 3)
static void gtf_contract(struct gtf *f, const char *fmt, ...)
{
	va_list ap;

	if (!f->nerr++) {
		va_start(ap, fmt);
		vsnprintf(f->err, sizeof(f->err), fmt, ap);
		va_end(ap);
	}
}

/* Format a failure into f->msg and return it. */
__printf(2, 3)
static const char *gtf_fail(struct gtf *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	return f->msg;
}

static struct gtf *gtf_of_pgpu(struct mvgpu_pgpu *pgpu)
{
	return container_of(pgpu, struct gtf, pgpu);
}

/* ---- guest memory, as vfio_dma_rw() and vfio_pin_pages() see it ---- */

static bool gtf_gfn_ok(const struct gtf *f, u64 gfn)
{
	return gfn < GTF_PAGES && f->mapped[gfn];
}

static int gtf_mem_rw(void *priv, u64 gpa, void *buf, size_t len,
		      bool write)
{
	struct gtf *f = priv;
	u64 a, end = gpa + len;
	u8 *p = buf;

	if (!len || end < gpa)
		return -EINVAL;
	for (a = gpa & ~0xfffULL; a < end; a += 4096)
		if (!gtf_gfn_ok(f, a >> 12))
			return -EFAULT;
	for (a = gpa; a < end; ) {
		u64 n = min_t(u64, end - a, 4096 - (a & 0xfff));
		u8 *pg = f->page[a >> 12] + (a & 0xfff);

		if (write) {
			memcpy(pg, p, n);
			f->dirty[a >> 12] = true;
			/* a device-side write: KVM does not see it */
			f->stale_ok[a >> 12] = true;
		} else {
			memcpy(p, pg, n);
		}
		p += n;
		a += n;
	}
	return 0;
}

/* Pins at the vGPU's pin limit: from now on it may refuse some. */
static void gtf_note_limit(struct gtf *f)
{
	struct mvgpu_vgpu *v = &f->vgpu;

	if (v->pin_limit_set && v->pin_limit && f->total_pins >= v->pin_limit)
		f->limit_reached = true;
}

static int gtf_mem_pin(void *priv, u64 gfn, u64 *hpa)
{
	struct gtf *f = priv;

	if (f->pin_fail_countdown > 0 && !--f->pin_fail_countdown) {
		f->pin_injected = true;
		if (gfn < GTF_PAGES)
			f->pin_failed[gfn] = true;
		return -ENOMEM;
	}
	if (!gtf_gfn_ok(f, gfn)) {
		if (gfn < GTF_PAGES)
			f->pin_failed[gfn] = true;
		return -EFAULT;
	}
	f->pins[gfn]++;
	f->total_pins++;
	if (f->total_pins > f->peak_pins)
		f->peak_pins = f->total_pins;
	gtf_note_limit(f);
	*hpa = GTF_HPA(gfn);
	if (f->far_gfn && gfn == f->far_gfn) {
		/* cut to 48 bits, the next page's: the vGPU must refuse it */
		*hpa = BIT_ULL(48) | GTF_HPA(gfn + 1);
		f->pin_failed[gfn] = true;
	}
	return 0;
}

static void gtf_mem_unpin(void *priv, u64 gfn)
{
	struct gtf *f = priv;

	if (gfn >= GTF_PAGES || !f->pins[gfn]) {
		gtf_contract(f, "unpin of gfn 0x%llx, not pinned", gfn);
		return;
	}
	f->pins[gfn]--;
	f->total_pins--;
}

static const struct mvgpu_guest_mem_ops gtf_mem_ops = {
	.rw = gtf_mem_rw,
	.pin = gtf_mem_pin,
	.unpin = gtf_mem_unpin,
};

/* ---- KVM write tracking ---- */

static int gtf_track_add(void *priv, u64 gfn)
{
	struct gtf *f = priv;

	if (gfn >= GTF_PAGES || f->untrackable[gfn])
		return -EINVAL;
	f->track[gfn]++;
	return 0;
}

static void gtf_track_remove(void *priv, u64 gfn)
{
	struct gtf *f = priv;

	if (gfn >= GTF_PAGES || !f->track[gfn]) {
		gtf_contract(f, "tracking of gfn 0x%llx removed, not tracked",
			     gfn);
		return;
	}
	f->track[gfn]--;
}

static const struct mvgpu_ppgtt_track_ops gtf_track_ops = {
	.add = gtf_track_add,
	.remove = gtf_track_remove,
};

/* ---- the backend's GGTT and the aperture's CPU mappings ---- */

static int gtf_slot(const struct gtf *f, u64 gm)
{
	const struct mvgpu_vgpu_res *r = &f->vgpu.res;

	if (gm >= r->aperture.base && gm - r->aperture.base < r->aperture.size)
		return (gm - r->aperture.base) >> 12;
	if (gm >= r->hidden.base && gm - r->hidden.base < r->hidden.size)
		return GTF_AP_ENTRIES + ((gm - r->hidden.base) >> 12);
	return -1;
}

static u32 gtf_phys_index(const struct gtf *f, unsigned int i)
{
	const struct mvgpu_vgpu_res *r = &f->vgpu.res;

	if (i < GTF_AP_ENTRIES)
		return (r->aperture.base >> 12) + i;
	return (r->hidden.base >> 12) + i - GTF_AP_ENTRIES;
}

static struct gtf *gtf_of_be(struct mvgpu_backend *be)
{
	return container_of(be, struct gtf, be);
}

static void gtf_ggtt_write(struct mvgpu_backend *be, u32 index, u64 pte)
{
	struct gtf *f = gtf_of_be(be);
	u64 gfn = ((pte & MVGPU_PTE_ADDR_MASK) - GTF_HPA_BASE) >> 12;

	if (index >= MVGPU_GGTT_ENTRIES ||
	    gtf_slot(f, (u64)index << 12) < 0) {
		gtf_contract(f, "physical GGTT entry 0x%x written, not the vGPU's",
			     index);
		return;
	}
	if (pte && (pte != (GTF_HPA(gfn) | MVGPU_PTE_VALID) ||
		    gfn >= GTF_PAGES || !f->pins[gfn]))
		gtf_contract(f, "physical GGTT entry 0x%x = 0x%llx: not a pinned guest page",
			     index, pte);
	f->pggtt[index] = pte;
}

static u64 gtf_ggtt_read(struct mvgpu_backend *be, u32 index)
{
	return gtf_of_be(be)->pggtt[index];
}

static u32 gtf_ggtt_entries(struct mvgpu_backend *be)
{
	return MVGPU_GGTT_ENTRIES;
}

static const struct mvgpu_backend_ops gtf_be_ops = {
	.ggtt_write = gtf_ggtt_write,
	.ggtt_read = gtf_ggtt_read,
	.ggtt_entries = gtf_ggtt_entries,
};

static void gtf_zap(void *priv, u64 off, u64 len)
{
	struct gtf *f = priv;
	const struct mvgpu_gm_range *ap = &f->vgpu.res.aperture;
	unsigned int i;

	if (!shim_lock_held(&f->vgpu.lock.sl))
		gtf_contract(f, "zap without the vGPU's lock");
	if (shim_lock_held(&f->vgpu.ap_lock.sl))
		gtf_contract(f, "zap with the aperture lock held");
	for (i = 0; i < GTF_AP_ENTRIES; i++) {
		u64 o = ap->base + ((u64)i << 12);

		if (o >= off && o - off < len)
			f->cpu_map[i] = 0;
	}
}

static const struct mvgpu_aperture_map_ops gtf_map_ops = {
	.zap = gtf_zap,
};

/* ---- what the rest of the module would do (vgpu.c's callees) ---- */

int mvgpu_pgpu_alloc_vgpu_res(struct mvgpu_pgpu *pgpu,
			      const struct mvgpu_type_desc *type,
			      struct mvgpu_vgpu_res *res)
{
	unsigned int id = pgpu->nr_vgpus;	/* gtf_begin() sets it */

	res->id = id;
	res->aperture.base = MVGPU_PGPU_APERTURE_POOL_BASE +
			     (id - 1) * type->aperture_size;
	res->aperture.size = type->aperture_size;
	res->hidden.base = MVGPU_PGPU_HIDDEN_POOL_BASE +
			   (id - 1) * type->hidden_size;
	res->hidden.size = type->hidden_size;
	res->shadow.base = MVGPU_PGPU_SHADOW_BASE +
			   (id - 1) * MVGPU_PGPU_SHADOW_SLOT;
	res->shadow.size = MVGPU_PGPU_SHADOW_SLOT;
	return 0;
}

void mvgpu_pgpu_free_vgpu_res(struct mvgpu_pgpu *pgpu,
			      const struct mvgpu_vgpu_res *res)
{
	if (res->id != pgpu->nr_vgpus)
		gtf_contract(gtf_of_pgpu(pgpu), "freed resources of vGPU %u",
			     res->id);
}

int mvgpu_shadow_mem_init(struct mvgpu_shadow_mem *sm,
			  struct mvgpu_backend *be, u64 base, u64 size)
{
	memset(sm, 0, sizeof(*sm));
	sm->be = be;
	INIT_LIST_HEAD(&sm->cache);
	/* the real one allocates a bitmap */
	return shim_alloc_fails() ? -ENOMEM : 0;
}

void mvgpu_shadow_mem_fini(struct mvgpu_shadow_mem *sm)
{
}

/* no workload runs here, so no context keeps shadows */
void mvgpu_ctx_shadows_clear(struct mvgpu_ctx_shadows *cs,
			     struct mvgpu_shadow_mem *sm)
{
}

int mvgpu_sched_add_queue(struct mvgpu_sched *sched, unsigned int engine,
			  struct mvgpu_sched_queue *q, u32 weight)
{
	INIT_LIST_HEAD(&q->workloads);
	q->count = 0;
	return 0;
}

void mvgpu_sched_remove_queue(struct mvgpu_sched *sched, unsigned int engine,
			      struct mvgpu_sched_queue *q)
{
	struct gtf *f = container_of(sched, struct gtf, pgpu.sched);

	if (f->nfly[engine])
		gtf_contract(f, "queue removed with work in flight");
}

/* The engine's work is dropped: nothing of it is delivered. */
void mvgpu_sched_stop_queue(struct mvgpu_sched *sched, unsigned int engine,
			    struct mvgpu_sched_queue *q)
{
	struct gtf *f = container_of(sched, struct gtf, pgpu.sched);

	if (!shim_lock_held(&f->vgpu.lock.sl))
		gtf_contract(f, "queue stopped without the vGPU's lock");
	f->nfly[engine] = 0;
}

void mvgpu_sched_sync(struct mvgpu_sched *sched)
{
	struct gtf *f = container_of(sched, struct gtf, pgpu.sched);

	if (shim_lock_held(&f->vgpu.lock.sl))
		gtf_contract(f, "scheduler synced with the vGPU's lock held");
}

/* Nothing is submitted here; what is checked is the kick's contract. */
void mvgpu_sched_kick_backend(struct mvgpu_sched *sched)
{
	struct gtf *f = container_of(sched, struct gtf, pgpu.sched);

	if (shim_lock_held(&f->vgpu.lock.sl))
		gtf_contract(f, "backend kicked with the vGPU's lock held");
}

/* Nothing runs on an engine here: no queue ever gets engine time. */
u64 mvgpu_sched_runtime(struct mvgpu_sched *sched, struct mvgpu_sched_queue *q)
{
	return q->runtime_ns;
}

/* Caps only matter to a policy, and nothing runs here: kept, as set. */
int mvgpu_sched_set_cap(struct mvgpu_sched *sched, unsigned int engine,
			struct mvgpu_sched_queue *q, u32 cap)
{
	if (cap > 100)
		return -EINVAL;
	q->ent.cap = cap;
	return 0;
}

u32 mvgpu_sched_cap(struct mvgpu_sched *sched, unsigned int engine,
		    struct mvgpu_sched_queue *q)
{
	return q->ent.cap;
}

/* Weights, like caps, only matter to a policy: kept, as set. */
int mvgpu_sched_set_weight(struct mvgpu_sched *sched, unsigned int engine,
			   struct mvgpu_sched_queue *q, u32 weight)
{
	if (!weight || weight > 65536)
		return -EINVAL;
	q->ent.weight = weight;
	return 0;
}

u32 mvgpu_sched_weight(struct mvgpu_sched *sched, unsigned int engine,
		       struct mvgpu_sched_queue *q)
{
	return q->ent.weight;
}

/* The harness never writes an ELSP: gtf_submit() stands for it. */
void mvgpu_workload_submit(struct mvgpu_vgpu *vgpu, unsigned int engine,
			   const u64 desc[2])
{
	gtf_contract(gtf_of_pgpu(vgpu->pgpu), "unexpected ELSP submission");
}

/* No workload object exists here, so no engine remembers one. */
void mvgpu_workload_put(struct mvgpu_workload *w)
{
	gtf_contract(gtf_of_pgpu(w->vgpu->pgpu), "unexpected workload");
}

void mvgpu_workload_deliver_init(struct mvgpu_vgpu *vgpu)
{
}

int mvgpu_workload_slots_init(struct mvgpu_vgpu *vgpu)
{
	return 0;
}

void mvgpu_workload_slots_fini(struct mvgpu_vgpu *vgpu)
{
}

/* Nothing is delivered behind the harness's back (gtf_complete()). */
void mvgpu_workload_deliver_flush(struct mvgpu_vgpu *vgpu)
{
	if (shim_lock_held(&vgpu->lock.sl))
		gtf_contract(gtf_of_pgpu(vgpu->pgpu),
			     "delivery flushed with the vGPU's lock held");
}

/* No shrinker here: nothing releases shadows behind the harness's back. */
void mvgpu_trim_add(struct mvgpu_vgpu *vgpu)
{
	if (shim_lock_held(&vgpu->lock.sl))
		gtf_contract(gtf_of_pgpu(vgpu->pgpu),
			     "shrinker list joined with the vGPU's lock held");
}

void mvgpu_trim_remove(struct mvgpu_vgpu *vgpu)
{
	if (shim_lock_held(&vgpu->lock.sl))
		gtf_contract(gtf_of_pgpu(vgpu->pgpu),
			     "shrinker list left with the vGPU's lock held");
}

/* ---- memory as the GPU sees it: host pages (sgpu/gtt_walk.c) ---- */

static u64 *gtf_idx_find(struct gtf *f, u64 pfn)
{
	unsigned int h = hash_64(pfn, f->idx_bits);

	while (f->idx_pfn[h]) {
		if (f->idx_pfn[h] == pfn)
			return f->idx_va[h];
		h = (h + 1) & ((1U << f->idx_bits) - 1);
	}
	return NULL;
}

static void gtf_idx_add(struct gtf *f, struct mvgpu_spt *spt)
{
	u64 pfn = page_to_pfn(spt->page);
	unsigned int h = hash_64(pfn, f->idx_bits);

	while (f->idx_pfn[h])
		h = (h + 1) & ((1U << f->idx_bits) - 1);
	f->idx_pfn[h] = pfn;
	f->idx_va[h] = spt->shadow;
}

/* Index every shadow table, live or zombie, by its page frame. */
void gtf_index_shadows(struct gtf *f)
{
	struct mvgpu_ppgtt *pp = &f->vgpu.ppgtt;
	unsigned int bkt, n = pp->nr_spts;
	struct mvgpu_spt *spt;

	list_for_each_entry(spt, &pp->zombies, zombie)
		n++;
	f->idx_bits = gtf_hash_bits(n);
	memset(f->idx_pfn, 0, sizeof(u64) << f->idx_bits);
	hash_for_each(pp->spts, bkt, spt, node)
		gtf_idx_add(f, spt);
	list_for_each_entry(spt, &pp->zombies, zombie)
		gtf_idx_add(f, spt);
}

static void gtf_map_push(struct gtf *f, u64 pfn)
{
	if (f->depth < 8)
		f->stack[f->depth] = pfn;
	if (++f->depth > f->max_depth)
		f->max_depth = f->depth;
}

static void *gtf_host_map(void *priv, u64 pfn)
{
	struct gtf *f = priv;
	u64 gfn = pfn - (GTF_HPA_BASE >> 12);
	void *va;

	if (pfn >= GTF_HPA_BASE >> 12 && gfn < GTF_PAGES) {
		if (!f->pins[gfn]) {
			gtf_contract(f, "the GPU reached unpinned guest page 0x%llx",
				     gfn);
			return NULL;
		}
		va = f->page[gfn];
	} else {
		va = gtf_idx_find(f, pfn);
		if (!va) {
			gtf_contract(f, "the GPU reached page 0x%llx: neither a shadow table nor a pinned guest page",
				     pfn);
			return NULL;
		}
	}
	gtf_map_push(f, pfn);
	return va;
}

static void gtf_unmap(void *priv, u64 pfn, void *va)
{
	struct gtf *f = priv;

	if (!f->depth || (f->depth <= 8 && f->stack[f->depth - 1] != pfn))
		f->lifo_errors++;
	if (f->depth)
		f->depth--;
}

static const struct sgpu_mem_ops gtf_host_mem_ops = {
	.map_page = gtf_host_map,
	.unmap_page = gtf_unmap,
};

/* Guest physical memory, for sgpu walks of the guest's own tables. */
static void *gtf_guest_map(void *priv, u64 pfn)
{
	struct gtf *f = priv;

	if (!gtf_gfn_ok(f, pfn))
		return NULL;
	gtf_map_push(f, pfn);
	return f->page[pfn];
}

static const struct sgpu_mem_ops gtf_guest_mem_ops = {
	.map_page = gtf_guest_map,
	.unmap_page = gtf_unmap,
};

/* ---- set-up ---- */

/* Once: guest memory and the physical GGTT. */
struct gtf *gtf_create(void)
{
	struct gtf *f = calloc(1, sizeof(*f));
	unsigned int i;

	if (!f)
		abort();
	for (i = 0; i < GTF_PAGES; i++) {
		f->page[i] = calloc(1, 4096);
		if (!f->page[i])
			abort();
	}
	f->pggtt = calloc(MVGPU_GGTT_ENTRIES, sizeof(u64));
	if (!f->pggtt)
		abort();
	f->be.ops = &gtf_be_ops;
	f->be.name = "gtf";
	f->pgpu.backend = &f->be;
	f->dev.name = "gtf-vgpu";
	f->host_mem.ops = &gtf_host_mem_ops;
	f->host_mem.priv = f;
	f->host_mem.ggtt = f->pggtt;
	f->host_mem.ggtt_entries = MVGPU_GGTT_ENTRIES;
	f->guest_mem.ops = &gtf_guest_mem_ops;
	f->guest_mem.priv = f;
	f->idx_bits = f->seen_bits = 6;
	return f;
}

void gtf_destroy(struct gtf *f)
{
	unsigned int i;

	for (i = 0; i < GTF_PAGES; i++)
		free(f->page[i]);
	free(f->pggtt);
	free(f);
}

/* Clear what the last run left in guest memory and in the fakes. */
static void gtf_reset_world(struct gtf *f)
{
	unsigned int i;

	for (i = 0; i < GTF_PAGES; i++) {
		if (f->dirty[i])
			memset(f->page[i], 0, 4096);
		f->dirty[i] = false;
		f->mapped[i] = true;
	}
	memset(f->pins, 0, sizeof(f->pins));
	memset(f->pin_failed, 0, sizeof(f->pin_failed));
	memset(f->track, 0, sizeof(f->track));
	memset(f->untrackable, 0, sizeof(f->untrackable));
	memset(f->stale_ok, 0, sizeof(f->stale_ok));
	memset(f->cpu_map, 0, sizeof(f->cpu_map));
	memset(f->model_ggtt, 0, sizeof(f->model_ggtt));
	memset(f->nfly, 0, sizeof(f->nfly));
	f->total_pins = f->peak_pins = 0;
	f->pin_fail_countdown = 0;
	f->pin_injected = false;
	f->far_gfn = 0;
	f->limit_reached = false;
	f->shadow_calls = f->shadow_fails = 0;
	f->next_table = GTF_TABLE_POOL;
	f->depth = f->max_depth = f->lifo_errors = 0;
	f->nerr = 0;
	f->err[0] = 0;
	shim_state.fail_countdown = 0;
	shim_state.failed = 0;
}

/**
 * gtf_begin() - a new vGPU, opened if @open
 * @f: the world
 * @id: vGPU number, 1..MVGPU_PGPU_MAX_VGPUS: where its slices are
 * @kvm: its guest runs on KVM: table pages are write-tracked
 * @open: open it as a user would
 * @fail_alloc: if > 0, the fail_alloc-th allocation of mvgpu_vgpu_init()
 *              fails
 *
 * Return: mvgpu_vgpu_init()'s result; the vGPU exists only on 0.
 */
int gtf_begin(struct gtf *f, unsigned int id, bool kvm,
	      bool open, long fail_alloc)
{
	unsigned int i;
	int ret;

	gtf_reset_world(f);
	/* the slices of any earlier vGPU must have been left clean */
	memset(&f->vgpu, 0, sizeof(f->vgpu));
	f->type.sysfs_name = "gtf";
	f->type.aperture_size = GTF_AP_ENTRIES * 4096ULL;
	f->type.hidden_size = GTF_HID_ENTRIES * 4096ULL;
	f->type.weight = 1;
	f->pgpu.nr_vgpus = id;
	f->kvm = kvm;
	f->open = false;
	f->base_allocs = shim_state.allocs;
	f->base_pages = shim_state.pages;
	shim_state.pages_peak = shim_state.pages;
	shim_state.fail_countdown = fail_alloc;
	ret = mvgpu_vgpu_init(&f->vgpu, &f->pgpu, &f->type, &f->dev, NULL,
			      NULL);
	shim_state.fail_countdown = 0;
	f->live = !ret;
	if (ret)
		return ret;
	for (i = 0; i < GTF_ENTRIES; i++)
		f->pggtt[gtf_phys_index(f, i)] = 0;
	mvgpu_vgpu_set_map_ops(&f->vgpu, &gtf_map_ops, f);
	if (open)
		gtf_open(f);
	return 0;
}

/* As mdev/vfio.c opens the device (and mdev/kvm.c attaches). */
void gtf_open(struct gtf *f)
{
	if (f->open)
		return;
	mvgpu_vgpu_reset(&f->vgpu);
	memset(f->model_ggtt, 0, sizeof(f->model_ggtt));
	mvgpu_vgpu_set_mem_ops(&f->vgpu, &gtf_mem_ops, f);
	if (f->kvm)
		mvgpu_vgpu_set_track(&f->vgpu, &gtf_track_ops, f);
	f->open = true;
}

/* As mdev/vfio.c closes it. */
void gtf_close(struct gtf *f)
{
	if (!f->open)
		return;
	mvgpu_vgpu_set_mem_ops(&f->vgpu, NULL, NULL);
	if (f->kvm)
		mvgpu_vgpu_set_track(&f->vgpu, NULL, NULL);
	mvgpu_vgpu_reset(&f->vgpu);
	memset(f->model_ggtt, 0, sizeof(f->model_ggtt));
	f->open = false;
}

/* Close and destroy the vGPU: nothing may be left behind. */
const char *gtf_end(struct gtf *f)
{
	const char *err;
	unsigned int i;

	if (!f->live)
		goto leaks;
	gtf_close(f);
	err = gtf_check(f);
	if (err)
		return err;
	mvgpu_vgpu_fini(&f->vgpu);
	f->live = false;
	for (i = 0; i < GTF_ENTRIES; i++)
		if (f->pggtt[gtf_phys_index(f, i)])
			return gtf_fail(f, "physical GGTT entry %u left set", i);
leaks:
	if (f->total_pins)
		return gtf_fail(f, "%ld pins left", f->total_pins);
	for (i = 0; i < GTF_PAGES; i++)
		if (f->track[i])
			return gtf_fail(f, "gfn 0x%x left write-tracked", i);
	if (shim_state.allocs != f->base_allocs)
		return gtf_fail(f, "%ld allocations leaked",
				shim_state.allocs - f->base_allocs);
	if (shim_state.pages != f->base_pages)
		return gtf_fail(f, "%ld pages leaked",
				shim_state.pages - f->base_pages);
	if (f->nerr)
		return gtf_fail(f, "%s", f->err);
	return NULL;
}

/* ---- the guest's CPU ---- */

static void gtf_notify(struct gtf *f, u64 gpa, u32 bytes)
{
	if (f->open && f->kvm && (gpa >> 12) < GTF_PAGES && f->track[gpa >> 12])
		mvgpu_vgpu_guest_write(&f->vgpu, gpa, bytes);
}

/*
 * The guest's CPU writes guest memory; KVM reports each page's part of
 * the write if the page is tracked.
 */
void gtf_cpu_write(struct gtf *f, u64 gpa, const void *buf,
		   u32 len)
{
	const u8 *p = buf;

	while (len) {
		u64 gfn = gpa >> 12;
		u32 n = min_t(u32, len, 4096 - (gpa & 0xfff));

		if (gfn >= GTF_PAGES)
			return;
		memcpy(f->page[gfn] + (gpa & 0xfff), p, n);
		f->dirty[gfn] = true;
		gtf_notify(f, gpa, n);
		gpa += n;
		p += n;
		len -= n;
	}
}

void gtf_cpu_write64(struct gtf *f, u64 gpa, u64 v)
{
	gtf_cpu_write(f, gpa, &v, 8);
}

static u64 gtf_peek64(struct gtf *f, u64 gpa)
{
	u64 v;

	memcpy(&v, f->page[gpa >> 12] + (gpa & 0xfff), 8);
	return v;
}

/*
 * Fill pages [gfn, gfn + n) with 512 entries each: entry j of page p is
 * ((base + p * pstride + j * stride) % modulus) << 12 | flags, or 0 when
 * @flags has no present bit.  One notification per page.
 */
void gtf_fill(struct gtf *f, u64 gfn, unsigned int n, u64 base,
	      u64 pstride, u64 stride, u64 modulus, u64 flags)
{
	u64 *t;
	unsigned int p, j;

	for (p = 0; p < n && gfn + p < GTF_PAGES; p++) {
		t = (u64 *)f->page[gfn + p];
		for (j = 0; j < 512; j++) {
			u64 target = (base + p * pstride + j * stride) %
				     (modulus ? modulus : 1);

			t[j] = flags & GTF_P ?
			       (target << 12 & GTF_ADDR_MASK) | flags : 0;
		}
		f->dirty[gfn + p] = true;
		gtf_notify(f, (gfn + p) << 12, 4096);
	}
}

/* A table page for gtf_build(), zeroed as the guest would. */
static u64 gtf_new_table(struct gtf *f)
{
	static const u8 zero[4096];
	u64 gfn = f->next_table++;

	if (f->next_table >= GTF_PAGES)
		f->next_table = GTF_TABLE_POOL;
	gtf_cpu_write(f, gfn << 12, zero, sizeof(zero));
	return gfn;
}

/*
 * Map PPGTT address @va to guest page @data in the tables under root
 * page @root, creating tables (from GTF_TABLE_POOL up) where an entry is
 * not present or a huge page, as a guest driver would.
 */
void gtf_build(struct gtf *f, u64 root, u64 va, u64 data)
{
	u64 table = root % GTF_PAGES, e;
	int level;

	for (level = 4; level > 1; level--) {
		u64 gpa = table << 12 | ((va >> (12 + 9 * (level - 1))) & 511) * 8;

		e = gtf_peek64(f, gpa);
		if (!(e & GTF_P) || (e & MVGPU_PPGTT_PS) ||
		    ((e & GTF_ADDR_MASK) >> 12) >= GTF_PAGES) {
			e = gtf_new_table(f) << 12 | GTF_P | 2;
			gtf_cpu_write64(f, gpa, e);
		}
		table = (e & GTF_ADDR_MASK) >> 12;
	}
	gtf_cpu_write64(f, table << 12 | ((va >> 12) & 511) * 8,
			(data << 12 & GTF_ADDR_MASK) | GTF_P | 2);
}

/* ---- reference translations, written apart from the code under test ---- */

/*
 * Walk the guest's tables: 0 and the guest physical address, or
 * -EFAULT with the failing level (5: above 48 bits, 0: the data page)
 * and whether a table page was unreadable.  With @sgpu, the software
 * GPU's rules (PS matters at levels 3 and 2 only), else gvt's (a PS bit
 * above level 1 is not present).
 */
static int gtf_ref_walk(struct gtf *f, u64 root, u64 va, bool sgpu,
			u64 *gpa, int *flevel, bool *unreadable)
{
	u64 table = root & GTF_ADDR_MASK, e;
	int level;

	*unreadable = false;
	*flevel = 5;
	if (va >> MVGPU_PPGTT_VA_BITS)
		return -EFAULT;
	for (level = 4; level >= 1; level--) {
		unsigned int idx = (va >> (12 + 9 * (level - 1))) & 511;

		*flevel = level;
		if (!gtf_gfn_ok(f, table >> 12)) {
			*unreadable = true;
			return -EFAULT;
		}
		e = gtf_peek64(f, table + 8 * idx);
		if (!(e & GTF_P))
			return -EFAULT;
		if (e & MVGPU_PPGTT_PS) {
			if (sgpu ? level == 3 || level == 2 : level > 1)
				return -EFAULT;
		}
		table = e & GTF_ADDR_MASK;
	}
	*flevel = 0;
	*gpa = table | (va & 0xfff);
	return 0;
}

/* ---- checks ---- */

static int gtf_spt_cmp(const void *a, const void *b)
{
	const struct mvgpu_spt *x = *(struct mvgpu_spt *const *)a;
	const struct mvgpu_spt *y = *(struct mvgpu_spt *const *)b;

	return x < y ? -1 : x > y;
}

struct gtf_spts {
	struct mvgpu_spt **v;
	unsigned int *ref;
	unsigned int n;
};

static int gtf_spts_find(struct gtf_spts *s, struct mvgpu_spt *spt)
{
	unsigned int lo = 0, hi = s->n;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (s->v[mid] == spt)
			return mid;
		if (s->v[mid] < spt)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static bool gtf_lossy_tables(struct gtf *f)
{
	/* a table may have been refused: out of memory or at the limit */
	return shim_state.failed ||
	       shim_state.pages_peak - f->base_pages >= 2 * MVGPU_PPGTT_MAX_SPTS;
}

/* Entry @i of @spt as the shadow must hold it. */
static const char *gtf_check_entry(struct gtf *f, struct gtf_spts *s,
				   struct mvgpu_spt *spt, unsigned int i,
				   u32 *exp_pins)
{
	u64 g = spt->guest[i], gfn = (g & GTF_ADDR_MASK) >> 12;
	u64 sh = spt->shadow[i];
	struct mvgpu_spt *c;
	int k;

	if (test_bit(i, spt->retry) &&
	    (sh || !(g & GTF_P) || list_empty(&spt->retry_link)))
		return gtf_fail(f, "L%u 0x%llx[%u] = 0x%llx: to retry, shadow 0x%llx",
				spt->level, spt->gfn, i, g, sh);
	if (spt->level > 1) {
		c = spt->child[i];
		if (!c) {
			if (sh)
				return gtf_fail(f, "L%u 0x%llx[%u]: shadow 0x%llx without a child",
						spt->level, spt->gfn, i, sh);
			if ((g & GTF_P) && !(g & MVGPU_PPGTT_PS) &&
			    !gtf_lossy_tables(f))
				return gtf_fail(f, "L%u 0x%llx[%u] = 0x%llx not shadowed",
						spt->level, spt->gfn, i, g);
			return NULL;
		}
		k = gtf_spts_find(s, c);
		if (k < 0)
			return gtf_fail(f, "L%u 0x%llx[%u]: child not a live table",
					spt->level, spt->gfn, i);
		s->ref[k]++;
		if (!(g & GTF_P) || (g & MVGPU_PPGTT_PS) || c->gfn != gfn ||
		    c->level != spt->level - 1)
			return gtf_fail(f, "L%u 0x%llx[%u] = 0x%llx: child L%u 0x%llx",
					spt->level, spt->gfn, i, g, c->level,
					c->gfn);
		if (sh != (page_to_phys(c->page) | GTF_P))
			return gtf_fail(f, "L%u 0x%llx[%u]: shadow 0x%llx, not its child's",
					spt->level, spt->gfn, i, sh);
		return NULL;
	}
	if (test_bit(i, spt->pinned)) {
		if (!(g & GTF_P) || gfn >= GTF_PAGES ||
		    sh != (GTF_HPA(gfn) | GTF_P))
			return gtf_fail(f, "PT 0x%llx[%u] = 0x%llx: shadow 0x%llx",
					spt->gfn, i, g, sh);
		exp_pins[gfn]++;
		return NULL;
	}
	if (sh)
		return gtf_fail(f, "PT 0x%llx[%u]: shadow 0x%llx without a pin",
				spt->gfn, i, sh);
	if ((g & GTF_P) && gfn < GTF_PAGES && f->mapped[gfn] &&
	    !f->pin_failed[gfn] && !f->pin_injected && !f->limit_reached &&
	    f->peak_pins < MVGPU_PPGTT_MAX_PINS)
		return gtf_fail(f, "PT 0x%llx[%u] = 0x%llx not shadowed",
				spt->gfn, i, g);
	return NULL;
}

static const char *gtf_collect(struct gtf *f, struct gtf_spts *s)
{
	struct mvgpu_ppgtt *pp = &f->vgpu.ppgtt;
	struct mvgpu_spt *spt;
	unsigned int bkt, n = 0;

	hash_for_each(pp->spts, bkt, spt, node)
		n++;
	if (n != pp->nr_spts)
		return gtf_fail(f, "%u tables hashed, nr_spts %u", n,
				pp->nr_spts);
	if (n + pp->nr_zombies > MVGPU_PPGTT_MAX_SPTS)
		return gtf_fail(f, "%u tables and %u waiting, over the limit",
				n, pp->nr_zombies);
	s->v = f->spt_v;
	s->ref = f->spt_ref;
	memset(s->ref, 0, n * sizeof(*s->ref));
	s->n = 0;
	hash_for_each(pp->spts, bkt, spt, node) {
		if (spt->level < 1 || spt->level > 4 ||
		    spt_find(pp, spt->gfn, spt->level) != spt)
			return gtf_fail(f, "table 0x%llx L%u misplaced",
					spt->gfn, spt->level);
		s->v[s->n++] = spt;
	}
	qsort(s->v, s->n, sizeof(*s->v), gtf_spt_cmp);
	return NULL;
}

static const char *gtf_check_mms(struct gtf *f, struct gtf_spts *s)
{
	struct mvgpu_ppgtt *pp = &f->vgpu.ppgtt;
	struct mvgpu_ppgtt_mm *mm;
	unsigned int n = 0;
	int k;

	list_for_each_entry(mm, &pp->mms, link) {
		n++;
		k = gtf_spts_find(s, mm->root);
		if (k < 0 || mm->root->level != 4 ||
		    mm->root->gfn != mm->root_gpa >> 12 ||
		    (mm->root_gpa & ~GTF_ADDR_MASK))
			return gtf_fail(f, "root 0x%llx: bad shadow",
					mm->root_gpa);
		s->ref[k]++;
	}
	/*
	 * Beyond the limit only by roots that had work in flight when a new
	 * root came (ppgtt_mm_make_room()), at most one per queued workload.
	 */
	if (n != pp->nr_mms ||
	    n > MVGPU_PPGTT_MAX_MMS + MVGPU_NUM_ENGINES * GTF_MAX_FLY)
		return gtf_fail(f, "%u roots, nr_mms %u", n, pp->nr_mms);
	return NULL;
}

static const char *gtf_check_zombies(struct gtf *f)
{
	struct mvgpu_retire *r = &f->vgpu.retire;
	struct mvgpu_spt *spt;
	unsigned int i, n = 0;
	u64 stamp = 0;

	list_for_each_entry(spt, &f->vgpu.ppgtt.zombies, zombie) {
		n++;
		if (mvgpu_retire_passed(r, spt->stamp))
			return "a zombie table outlived the work in flight";
		if (spt->stamp < stamp || spt->stamp > mvgpu_retire_stamp(r))
			return "zombie tables out of order";
		stamp = spt->stamp;
		if (spt->ref || !hlist_unhashed(&spt->node))
			return "a zombie table still referenced or hashed";
		for (i = 0; i < ENTRIES; i++)
			if (spt->shadow[i] || (spt->level > 1 && spt->child[i]) ||
			    (spt->level == 1 && test_bit(i, spt->pinned)))
				return "a zombie table still maps something";
		if (spt->table_hpa)
			return "a zombie table still holds its page pinned";
	}
	if (n != f->vgpu.ppgtt.nr_zombies)
		return gtf_fail(f, "%u zombies, nr_zombies %u", n,
				f->vgpu.ppgtt.nr_zombies);
	return NULL;
}

/*
 * Pins that wait for the engines: each counts for its page, none may be
 * due, and they come in the order they were made.
 */
static const char *gtf_check_unpins(struct gtf *f, u32 *exp_pins)
{
	struct mvgpu_retire *r = &f->vgpu.retire;
	unsigned int n[MVGPU_PIN_KINDS] = { 0 }, i;
	struct mvgpu_unpin_chunk *c;
	u64 stamp = 0;

	list_for_each_entry(c, &r->unpins, link) {
		if (c->first >= c->count)
			return "an empty chunk of deferred unpins";
		for (i = c->first; i < c->count; i++) {
			u64 gfn = c->e[i].gfn & ~BIT_ULL(UNPIN_KIND_SHIFT);

			if (mvgpu_retire_passed(r, c->e[i].stamp))
				return "a deferred unpin outlived the work in flight";
			if (c->e[i].stamp < stamp)
				return "deferred unpins out of order";
			stamp = c->e[i].stamp;
			if (gfn >= GTF_PAGES)
				return gtf_fail(f, "deferred unpin of gfn 0x%llx",
						gfn);
			exp_pins[gfn]++;
			n[c->e[i].gfn >> UNPIN_KIND_SHIFT]++;
		}
	}
	for (i = 0; i < MVGPU_PIN_KINDS; i++)
		if (n[i] != r->nr_unpins[i])
			return gtf_fail(f, "%u deferred unpins of kind %u, counted %u",
					n[i], i, r->nr_unpins[i]);
	if (r->nr_unpins[MVGPU_PIN_GGTT] > MVGPU_RETIRE_MAX_GGTT_UNPINS)
		return "GGTT unpins over the limit";
	return NULL;
}

/* The PPGTT shadows: structure, references, pins, tracking. */
/* A table held pinned for its reads: its own page, counted. */
static const char *gtf_check_table_pin(struct gtf *f, struct mvgpu_spt *spt,
				       u32 *exp_pins)
{
	if (spt->gfn >= GTF_PAGES ||
	    spt->table_hpa != GTF_HPA(spt->gfn))
		return gtf_fail(f, "L%u 0x%llx: table pinned at 0x%llx",
				spt->level, spt->gfn, spt->table_hpa);
	exp_pins[spt->gfn]++;
	return NULL;
}

static const char *gtf_check_ppgtt(struct gtf *f, u32 *exp_pins)
{
	struct mvgpu_ppgtt *pp = &f->vgpu.ppgtt;
	struct gtf_spts s = { 0 };
	u32 *exp_track = f->exp_track;
	unsigned int j, i, pins = 0;
	const char *err;

	memset(exp_track, 0, sizeof(f->exp_track));
	err = gtf_collect(f, &s);
	if (!err)
		err = gtf_check_mms(f, &s);
	for (j = 0; !err && j < s.n; j++) {
		struct mvgpu_spt *spt = s.v[j];

		for (i = 0; !err && i < ENTRIES; i++)
			err = gtf_check_entry(f, &s, spt, i, exp_pins);
		if (spt->level == 1)
			pins += bitmap_weight(spt->pinned, ENTRIES);
		if (!err && spt->table_hpa)
			err = gtf_check_table_pin(f, spt, exp_pins);
		if (spt->tracked) {
			if (spt->gfn >= GTF_PAGES)
				err = gtf_fail(f, "table 0x%llx tracked",
					       spt->gfn);
			else
				exp_track[spt->gfn]++;
		}
	}
	for (j = 0; !err && j < s.n; j++)
		if (s.ref[j] != s.v[j]->ref)
			err = gtf_fail(f, "L%u 0x%llx: ref %u, %u references",
				       s.v[j]->level, s.v[j]->gfn,
				       s.v[j]->ref, s.ref[j]);
	pins += f->vgpu.retire.nr_unpins[MVGPU_PIN_PPGTT];
	if (!err && pins != pp->pins)
		err = gtf_fail(f, "%u pinned entries and waiting pins, pins %u",
			       pins, pp->pins);
	if (!err && pp->pins > MVGPU_PPGTT_MAX_PINS)
		err = "PPGTT pins over the limit";
	for (j = 0; !err && j < GTF_PAGES; j++)
		if (exp_track[j] != f->track[j])
			err = gtf_fail(f, "gfn 0x%x: %u tracked tables, tracked %u times",
				       j, exp_track[j], f->track[j]);
	if (!err && atomic64_read(&f->vgpu.stats.shadow_pages) !=
	    s.n + pp->nr_zombies)
		err = "shadow_pages counter";
	if (!err)
		err = gtf_check_zombies(f);
	return err;
}

/* The GGTT shadow, the physical GGTT and the aperture's CPU mappings. */
static const char *gtf_check_ggtt(struct gtf *f, u32 *exp_pins)
{
	struct mvgpu_vgpu *v = &f->vgpu;
	u64 scratch = page_to_pfn(v->scratch);
	unsigned int i;

	for (i = 0; i < GTF_ENTRIES; i++) {
		u64 hpa = mvgpu_ggtt_hpa(v, i), pte = mvgpu_ggtt_get(v, i);
		u64 gfn = (pte & MVGPU_PTE_ADDR_MASK) >> 12;
		u64 phys = f->pggtt[gtf_phys_index(f, i)];

		if (pte != f->model_ggtt[i])
			return gtf_fail(f, "GGTT entry %u reads 0x%llx, guest wrote 0x%llx",
					i, pte, f->model_ggtt[i]);
		if (!hpa) {
			if (phys)
				return gtf_fail(f, "physical GGTT %u = 0x%llx, not shadowed",
						i, phys);
		} else {
			if (!v->mem_ops || !(pte & MVGPU_PTE_VALID) ||
			    gfn >= GTF_PAGES || hpa != GTF_HPA(gfn) ||
			    phys != (hpa | MVGPU_PTE_VALID))
				return gtf_fail(f, "GGTT entry %u = 0x%llx shadowed to 0x%llx, physical 0x%llx",
						i, pte, hpa, phys);
			exp_pins[gfn]++;
		}
		if (i < GTF_AP_ENTRIES && f->cpu_map[i] &&
		    f->cpu_map[i] != (hpa ? hpa >> 12 : scratch))
			return gtf_fail(f, "aperture page %u still mapped to pfn 0x%llx",
					i, f->cpu_map[i]);
	}
	return NULL;
}

/*
 * A root in flight is still shadowed: not dropped to make room for
 * others, which would empty its tables under the work.
 */
static bool gtf_root_kept(struct gtf *f, u64 hpa)
{
	struct mvgpu_ppgtt_mm *mm;

	list_for_each_entry(mm, &f->vgpu.ppgtt.mms, link)
		if (page_to_phys(mm->root->page) == hpa)
			return true;
	return false;
}

/**
 * gtf_set_pin_limit() - the administrator sets or clears the pin limit
 * @f: the world
 * @set: set it (mvgpu_vgpu_set_pin_limit()), else clear it
 * @pages: the limit, 0 for none
 *
 * A limit at or below the pins held refuses the next pins at once.
 */
void gtf_set_pin_limit(struct gtf *f, bool set, u64 pages)
{
	if (set)
		mvgpu_vgpu_set_pin_limit(&f->vgpu, pages);
	else
		mvgpu_vgpu_clear_pin_limit(&f->vgpu);
	gtf_note_limit(f);
}

/**
 * gtf_check() - every invariant of the shadows
 * @f: the world, the vGPU alive
 *
 * Return: NULL, or what is wrong.
 */
const char *gtf_check(struct gtf *f)
{
	struct mvgpu_vgpu *v = &f->vgpu;
	u32 *exp_pins = f->exp_pins;
	const char *err = NULL;
	unsigned int e, i;

	if (f->nerr)
		return gtf_fail(f, "%s", f->err);
	if (mutex_is_locked(&v->lock))
		return "vGPU lock left held";
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		if (mvgpu_retire_inflight(&v->retire, e) != f->nfly[e])
			return gtf_fail(f, "engine %u: %u in flight, %u submitted",
					e, mvgpu_retire_inflight(&v->retire, e),
					f->nfly[e]);
	memset(exp_pins, 0, sizeof(f->exp_pins));
	err = gtf_check_ggtt(f, exp_pins);
	if (!err)
		err = gtf_check_ppgtt(f, exp_pins);
	if (!err)
		err = gtf_check_unpins(f, exp_pins);
	for (i = 0; !err && i < GTF_PAGES; i++)
		if (exp_pins[i] != f->pins[i])
			err = gtf_fail(f, "gfn 0x%x: pinned %u times, %u entries map it",
				       i, f->pins[i], exp_pins[i]);
	if (err)
		return err;
	if (atomic64_read(&v->stats.pinned_pages) != f->total_pins)
		return "pinned_pages counter";
	if (!v->mem_ops && (f->total_pins || v->ppgtt.nr_spts))
		return "pins or tables without guest memory";
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		for (i = 0; i < f->nfly[e]; i++) {
			if (f->fly[e][i] && !gtf_root_kept(f, f->fly[e][i]))
				return gtf_fail(f, "engine %u: root 0x%llx in flight lost its shadow",
						e, f->fly[e][i]);
		}
	}
	return NULL;
}

/* Has @spt been seen in this walk?  Adds it if not. */
static bool gtf_seen(struct gtf *f, struct mvgpu_spt *spt)
{
	struct mvgpu_spt **set = f->seen;
	unsigned int h = hash_64((uintptr_t)spt, f->seen_bits);

	while (set[h]) {
		if (set[h] == spt)
			return true;
		h = (h + 1) & ((1U << f->seen_bits) - 1);
	}
	set[h] = spt;
	return false;
}

/* One table holds what the guest's page holds now. */
static const char *gtf_check_copy(struct gtf *f, struct mvgpu_spt *spt)
{
	static const u8 zero[4096];
	const u8 *want;
	unsigned int i;

	if (spt->gfn < GTF_PAGES && f->stale_ok[spt->gfn])
		return NULL;
	want = gtf_gfn_ok(f, spt->gfn) ? f->page[spt->gfn] : zero;
	if (!memcmp(spt->guest, want, TABLE_BYTES))
		return NULL;
	for (i = 0; i < ENTRIES; i++)
		if (memcmp(&spt->guest[i], want + 8 * i, 8))
			break;
	return gtf_fail(f, "L%u table 0x%llx%s is stale at [%u]: 0x%llx, the guest has 0x%llx",
			spt->level, spt->gfn, spt->tracked ? " (tracked)" : "",
			i, spt->guest[i], *(const u64 *)(want + 8 * i));
}

/*
 * Right after a submission: every table reachable from @root holds what
 * the guest's page holds now (unless the page was written behind KVM's
 * back or unmapped meanwhile).
 */
static const char *gtf_check_synced(struct gtf *f,
				    struct mvgpu_spt *root)
{
	struct mvgpu_spt **stack = f->todo;
	const char *err = NULL;
	unsigned int n = 0, i;

	f->seen_bits = gtf_hash_bits(f->vgpu.ppgtt.nr_spts);
	memset(f->seen, 0, sizeof(f->seen[0]) << f->seen_bits);
	gtf_seen(f, root);
	stack[n++] = root;
	while (n && !err) {
		struct mvgpu_spt *spt = stack[--n];

		err = gtf_check_copy(f, spt);
		for (i = 0; spt->level > 1 && i < ENTRIES; i++)
			if (spt->child[i] && !gtf_seen(f, spt->child[i]))
				stack[n++] = spt->child[i];
	}
	return err;
}

/* ---- operations, each checking its own result ---- */

/* The harness's reading of a guest GGTT write through BAR0. */
static void gtf_model_ggtt_write(struct gtf *f, u64 off,
				 const void *buf, unsigned int len)
{
	int i = gtf_slot(f, (off - MVGPU_GGTT_OFFSET) / 8 * 4096);

	if (i >= 0)
		memcpy((u8 *)&f->model_ggtt[i] + (off & 7), buf, len);
}

/*
 * A non-zero entry written where no chunk of GGTT bookkeeping could be
 * allocated (an allocation failure the harness injected) is dropped and
 * counted: the entry reads 0, as the model then keeps it.
 */
static bool gtf_ggtt_write_dropped(struct gtf *f, int i, u64 off,
				   const void *buf, unsigned int len,
				   long armed, s64 bad)
{
	u64 want = f->model_ggtt[i];

	memcpy((u8 *)&want + (off & 7), buf, len);
	if (!want || mvgpu_ggtt_get(&f->vgpu, i))
		return false;
	if (armed <= 0 || shim_state.fail_countdown ||
	    atomic64_read(&f->vgpu.stats.bad_ggtt) != bad + 1)
		return false;	/* not dropped for want of memory: checked below */
	f->model_ggtt[i] = 0;
	return true;
}

static bool gtf_access_ok(u64 off, unsigned int len, u64 limit)
{
	if (len != 1 && len != 2 && len != 4 && len != 8)
		return false;
	return off % len == 0 && off < limit && len <= limit - off;
}

/**
 * gtf_ggtt_mmio() - guest access to BAR0 at @off, meant for the GGTT
 * @f: the world
 * @off: BAR0 offset
 * @len: bytes
 * @val: value to write, or where the value read goes
 * @write: direction
 *
 * Return: NULL, or what was wrong with the result.
 */
const char *gtf_ggtt_mmio(struct gtf *f, u64 off,
			  unsigned int len, u64 *val, bool write)
{
	bool ok = gtf_access_ok(off, len, MVGPU_BAR0_SIZE) &&
		  (off < MVGPU_GGTT_OFFSET || len == 4 || len == 8);
	int i = off >= MVGPU_GGTT_OFFSET ?
		gtf_slot(f, (off - MVGPU_GGTT_OFFSET) / 8 * 4096) : -1;
	u64 want = 0, got = 0;
	int ret;

	if (off < MVGPU_MMIO_SIZE)
		return NULL;	/* registers: not what this is about */
	if (write) {
		long armed = shim_state.fail_countdown;
		s64 bad = atomic64_read(&f->vgpu.stats.bad_ggtt);

		ret = mvgpu_mmio_write(&f->vgpu, off, val, len);
		if (!ret && i >= 0 && gtf_ggtt_write_dropped(f, i, off, val, len,
							     armed, bad))
			return NULL;
		if (!ret && i >= 0)
			gtf_model_ggtt_write(f, off, val, len);
	} else {
		ret = mvgpu_mmio_read(&f->vgpu, off, &got, len);
	}
	if (ret != (ok ? 0 : -EINVAL))
		return gtf_fail(f, "BAR0 %s of %u at 0x%llx: %d",
				write ? "write" : "read", len, off, ret);
	if (!ok)
		return NULL;
	if (i < 0) {
		/* the hole below the window, or another vGPU's entries */
		if (!write && got)
			return gtf_fail(f, "BAR0 0x%llx outside the vGPU reads 0x%llx",
					off, got);
		return NULL;
	}
	if (!write) {
		memcpy(&want, (u8 *)&f->model_ggtt[i] + (off & 7), len);
		if (got != want)
			return gtf_fail(f, "GGTT read at 0x%llx: 0x%llx, wrote 0x%llx",
					off, got, want);
		*val = got;
		return NULL;
	}
	/*
	 * A valid entry of mapped guest memory is in effect at once, unless
	 * a pin failed (or was refused) or the vGPU reached its pin limit.
	 */
	want = f->model_ggtt[i];
	if (f->open && (want & MVGPU_PTE_VALID) && !f->pin_injected &&
	    !f->limit_reached &&
	    gtf_gfn_ok(f, (want & MVGPU_PTE_ADDR_MASK) >> 12) &&
	    !f->pin_failed[(want & MVGPU_PTE_ADDR_MASK) >> 12] &&
	    !mvgpu_ggtt_hpa(&f->vgpu, i))
		return gtf_fail(f, "GGTT entry %u = 0x%llx not shadowed", i,
				want);
	if (!(want & MVGPU_PTE_VALID) && mvgpu_ggtt_hpa(&f->vgpu, i))
		return gtf_fail(f, "invalid GGTT entry %u still shadowed", i);
	return NULL;
}

/* mvgpu_ppgtt_shadow() for one context, its result checked. */
static const char *gtf_shadow(struct gtf *f, u64 root, u64 *hpa)
{
	struct mvgpu_vgpu *v = &f->vgpu;
	bool aligned = !(root & ~GTF_ADDR_MASK);
	struct mvgpu_ppgtt_mm *mm;
	int ret;

	f->shadow_calls++;
	ret = mvgpu_ppgtt_shadow(v, root, hpa);
	if (ret) {
		f->shadow_fails++;
		*hpa = 0;
	}
	if (ret == -EINVAL && aligned)
		return "aligned root refused";
	if (!ret && !aligned)
		return "misaligned root shadowed";
	if (ret && ret != -EINVAL && ret != -ENOSPC && ret != -ENOMEM)
		return gtf_fail(f, "shadow: %d", ret);
	if (ret == -ENOSPC && !gtf_lossy_tables(f))
		return "root refused with room for it";
	if (ret)
		return NULL;
	mm = list_first_entry(&v->ppgtt.mms, struct mvgpu_ppgtt_mm, link);
	if (mm->root_gpa != root || page_to_phys(mm->root->page) != *hpa)
		return "shadow root is not the most recent";
	return gtf_check_synced(f, mm->root);
}

/**
 * gtf_submit() - what a submission of up to two contexts does to the
 *                PPGTT shadows (gvt/workload.c mvgpu_workload_submit())
 * @f: the world
 * @engine: engine
 * @n: 1 or 2 contexts
 * @root: their PML4 guest physical addresses
 * @ppgtt: which of them have a PPGTT
 *
 * Return: NULL, or what was wrong.
 */
const char *gtf_submit(struct gtf *f, unsigned int engine,
		       unsigned int n, const u64 root[2],
		       const bool ppgtt[2])
{
	struct mvgpu_vgpu *v = &f->vgpu;
	const char *err = NULL;
	u64 hpa[2] = { 0, 0 }, seq[2] = { 0, 0 };
	unsigned int k;

	mutex_lock(&v->lock);
	if (!v->mem_ops || v->failsafe)
		goto out;
	for (k = 0; k < n; k++) {
		if (ppgtt[k] && !err)
			err = gtf_shadow(f, root[k], &hpa[k]);
		if (mvgpu_retire_start(&v->retire, engine, 0,
				       ppgtt[k] ? root[k] : MVGPU_RETIRE_NO_ROOT,
				       &seq[k]) && !err)
			err = "retire refused a workload the queue takes";
	}
	if (f->nfly[engine] + n > GTF_MAX_FLY) {
		while (k--)	/* queue full: dropped */
			mvgpu_retire_undo(&v->retire, engine);
		goto out;
	}
	for (k = 0; k < n; k++) {
		f->fly_seq[engine][f->nfly[engine]] = seq[k];
		f->fly[engine][f->nfly[engine]++] = hpa[k];
	}
out:
	mutex_unlock(&v->lock);
	return err;
}

/* The oldest workload of @engine ends (mvgpu_workload_deliver()). */
void gtf_complete(struct gtf *f, unsigned int engine)
{
	struct mvgpu_vgpu *v = &f->vgpu;
	u64 seq = f->fly_seq[engine][0];

	if (!f->nfly[engine])
		return;
	memmove(f->fly[engine], f->fly[engine] + 1,
		(f->nfly[engine] - 1) * sizeof(u64));
	memmove(f->fly_seq[engine], f->fly_seq[engine] + 1,
		(f->nfly[engine] - 1) * sizeof(u64));
	f->nfly[engine]--;
	mutex_lock(&v->lock);
	mvgpu_retire_done(v, engine, seq);
	mutex_unlock(&v->lock);
}

/* Device reset: no pins, no tables, an empty GGTT. */
const char *gtf_reset(struct gtf *f)
{
	mvgpu_vgpu_reset(&f->vgpu);
	memset(f->model_ggtt, 0, sizeof(f->model_ggtt));
	if (f->total_pins || f->vgpu.ppgtt.nr_spts || f->vgpu.ppgtt.nr_mms ||
	    !list_empty(&f->vgpu.ppgtt.zombies))
		return "pins or tables survived a reset";
	return NULL;
}

/* GDRST written by the guest. */
const char *gtf_gdrst(struct gtf *f, u32 bits)
{
	int ret = mvgpu_mmio_write(&f->vgpu, MVGPU_GDRST, &bits, 4);

	if (ret)
		return gtf_fail(f, "GDRST write: %d", ret);
	if (((bits & (MVGPU_GDRST_FULL | MVGPU_GDRST_RENDER)) &&
	     f->nfly[MVGPU_ENGINE_RCS]) ||
	    ((bits & (MVGPU_GDRST_FULL | MVGPU_GDRST_BLT)) &&
	     f->nfly[MVGPU_ENGINE_BCS]))
		return "work survived an engine reset";
	return NULL;
}

/* The user unmaps guest memory: every pin there must go first. */
const char *gtf_dma_unmap(struct gtf *f, u64 gfn, u64 n)
{
	u64 i;

	mvgpu_vgpu_dma_unmap(&f->vgpu, gfn << 12, n << 12);
	for (i = gfn; i < gfn + n && i < GTF_PAGES; i++) {
		if (f->pins[i])
			return gtf_fail(f, "gfn 0x%llx still pinned after its unmap",
					i);
		f->mapped[i] = false;
		f->stale_ok[i] = true;
	}
	return NULL;
}

void gtf_dma_map(struct gtf *f, u64 gfn, u64 n)
{
	u64 i;

	for (i = gfn; i < gfn + n && i < GTF_PAGES; i++)
		f->mapped[i] = true;
}

/* KVM drops a memory slot: its pages are no longer tracked. */
void gtf_slot_removed(struct gtf *f, u64 gfn, u64 n)
{
	u64 i;

	if (!f->open || !f->kvm)
		return;
	for (i = gfn; i < gfn + n && i < GTF_PAGES; i++) {
		f->track[i] = 0;
		f->untrackable[i] = true;
	}
	mvgpu_vgpu_guest_untracked(&f->vgpu, gfn, n);
}

void gtf_slot_added(struct gtf *f, u64 gfn, u64 n)
{
	u64 i;

	for (i = gfn; i < gfn + n && i < GTF_PAGES; i++)
		f->untrackable[i] = false;
}

/* BAR2 access: through the guest's GGTT entry, or zeroes. */
const char *gtf_aperture_rw(struct gtf *f, u64 off,
			    unsigned int len, u64 val,
			    bool write)
{
	bool ok = gtf_access_ok(off, len, MVGPU_BAR2_SIZE);
	int i = ok ? gtf_slot(f, off) : -1;
	u64 pte = i >= 0 && i < GTF_AP_ENTRIES ? f->model_ggtt[i] : 0;
	u64 gpa = (pte & MVGPU_PTE_ADDR_MASK) | (off & 0xfff);
	bool hit = f->open && (pte & MVGPU_PTE_VALID) &&
		   gtf_gfn_ok(f, gpa >> 12);
	u64 got = 0, want = 0;
	int ret;

	if (hit && !write)
		memcpy(&want, f->page[gpa >> 12] + (gpa & 0xfff), len);
	ret = mvgpu_aperture_rw(&f->vgpu, off, write ? &val : &got, len,
				write);
	if (ret != (ok ? 0 : -EINVAL))
		return gtf_fail(f, "aperture access of %u at 0x%llx: %d", len,
				off, ret);
	if (!ok)
		return NULL;
	if (write) {
		if (hit && memcmp(&val, f->page[gpa >> 12] + (gpa & 0xfff), len))
			return gtf_fail(f, "aperture write at 0x%llx lost", off);
		return NULL;
	}
	if (got != want)
		return gtf_fail(f, "aperture read at 0x%llx: 0x%llx, memory has 0x%llx",
				off, got, want);
	return NULL;
}

/**
 * struct gtf_fault - one fault of a CPU mapping of BAR2
 * @f: the world
 * @slot: the aperture entry faulted on, < 0 outside the vGPU's slice
 * @calls: how many times the page was inserted
 * @pfn: the page frame inserted
 * @want: the one the GGTT shadow had when it was
 */
struct gtf_fault {
	struct gtf *f;
	int slot;
	unsigned int calls;
	unsigned long pfn;
	u64 want;
};

/* What mdev/aperture_mmap.c does with the page: vmf_insert_pfn(). */
static void gtf_insert(void *priv, unsigned long pfn)
{
	struct gtf_fault *ft = priv;
	struct mvgpu_vgpu *v = &ft->f->vgpu;
	int i = ft->slot;

	if (!shim_lock_held(&v->ap_lock.sl))
		gtf_contract(ft->f, "aperture page inserted without the aperture lock");
	ft->calls++;
	ft->pfn = pfn;
	ft->want = i >= 0 && i < GTF_AP_ENTRIES && mvgpu_ggtt_hpa(v, i) ?
		   mvgpu_ggtt_hpa(v, i) >> 12 : page_to_pfn(v->scratch);
	if (i >= 0 && i < GTF_AP_ENTRIES)
		ft->f->cpu_map[i] = pfn;
}

/* A CPU mapping of BAR2 page @off faults in (mdev/aperture_mmap.c). */
const char *gtf_aperture_map(struct gtf *f, u64 off)
{
	struct gtf_fault ft = {
		.f = f,
		.slot = gtf_slot(f, off & ~0xfffULL),
	};

	mvgpu_aperture_fault(&f->vgpu, off & ~0xfffULL, gtf_insert, &ft);
	if (ft.calls != 1)
		return gtf_fail(f, "aperture page 0x%llx inserted %u times",
				off, ft.calls);
	if (ft.pfn != ft.want)
		return gtf_fail(f, "aperture page 0x%llx maps pfn 0x%lx, not 0x%llx",
				off, ft.pfn, ft.want);
	return NULL;
}

/*
 * The guest memory behind [@gm, @gm + @len) through the guest's GGTT as
 * the harness understands it, page by page: how many bytes are reachable
 * before the first page that is not.
 */
static u32 gtf_ggtt_reach(struct gtf *f, u64 gm, u32 len, u8 **segs,
			  u32 *seglen, unsigned int *nsegs)
{
	u32 done = 0;

	*nsegs = 0;
	while (done < len) {
		u64 a = gm + done;
		u32 n = min_t(u32, len - done, 4096 - (a & 0xfff));
		int i = gtf_slot(f, a);
		u64 gpa = i >= 0 ? (f->model_ggtt[i] & MVGPU_PTE_ADDR_MASK) |
			  (a & 0xfff) : 0;

		if (i < 0 || !(f->model_ggtt[i] & MVGPU_PTE_VALID) ||
		    !gtf_gfn_ok(f, gpa >> 12))
			break;
		segs[*nsegs] = f->page[gpa >> 12] + (gpa & 0xfff);
		seglen[(*nsegs)++] = n;
		done += n;
	}
	return done;
}

/* mvgpu_ggtt_guest_rw() against the harness's own GGTT walk. */
const char *gtf_ggtt_guest_rw(struct gtf *f, u64 gm, u32 len,
			      u8 fill, bool write)
{
	u8 buf[8192], *segs[4], *p = buf;
	unsigned int nsegs, k;
	u32 seglen[4], reach;
	int ret, exp;

	len = len % sizeof(buf) + 1;
	reach = gtf_ggtt_reach(f, gm, len, segs, seglen, &nsegs);
	exp = f->open && reach == len ? 0 : -EFAULT;
	memset(buf, fill, len);
	mutex_lock(&f->vgpu.lock);
	ret = mvgpu_ggtt_guest_rw(&f->vgpu, gm, buf, len, write);
	mutex_unlock(&f->vgpu.lock);
	if (ret != exp)
		return gtf_fail(f, "GGTT guest %s of %u at 0x%llx: %d, not %d",
				write ? "write" : "read", len, gm, ret, exp);
	for (k = 0; !ret && k < nsegs; p += seglen[k++]) {
		if (!memcmp(p, segs[k], seglen[k]))
			continue;
		return gtf_fail(f, "GGTT guest %s at 0x%llx: wrong data",
				write ? "write" : "read", gm);
	}
	return NULL;
}

/* mvgpu_ppgtt_guest_rw() and sgpu's walk of the guest's own tables. */
const char *gtf_ppgtt_guest_rw(struct gtf *f, u64 root, u64 va,
			       u32 len, bool write, u64 val)
{
	u64 gpa = 0, sg_pfn = 0, sg_gpa = 0, got = val;
	bool unreadable, page_ok;
	int ret, exp, flevel, sg_ret, sg_flevel;
	struct sgpu_fault sf;
	bool sg_unreadable;

	len = len % 8 + 1;
	exp = gtf_ref_walk(f, root, va, false, &gpa, &flevel, &unreadable);
	page_ok = (va & 0xfff) + len <= 4096;
	if (!exp && (!page_ok || !gtf_gfn_ok(f, gpa >> 12)))
		exp = -EFAULT;
	if (!f->open)
		exp = -EFAULT;
	mutex_lock(&f->vgpu.lock);
	ret = mvgpu_ppgtt_guest_rw(&f->vgpu, root, va, &got, len, write);
	mutex_unlock(&f->vgpu.lock);
	if (ret != exp)
		return gtf_fail(f, "PPGTT guest access at 0x%llx (root 0x%llx): %d, not %d",
				va, root, ret, exp);
	if (!ret && !write && memcmp(&got, f->page[gpa >> 12] + (gpa & 0xfff),
				     len))
		return gtf_fail(f, "PPGTT guest read at 0x%llx: wrong data", va);

	sg_ret = gtf_ref_walk(f, root, va, true, &sg_gpa, &sg_flevel,
			      &sg_unreadable);
	ret = sgpu_ppgtt_translate(&f->guest_mem, root & GTF_ADDR_MASK, va,
				   &sg_pfn, &sf);
	if (f->depth || f->lifo_errors)
		return "sgpu mapping discipline";
	if (!!ret != !!sg_ret)
		return gtf_fail(f, "sgpu walk of 0x%llx: %d, reference %d", va,
				ret, sg_ret);
	if (!ret && sg_pfn != sg_gpa >> 12)
		return gtf_fail(f, "sgpu walk of 0x%llx: pfn 0x%llx, reference 0x%llx",
				va, sg_pfn, sg_gpa >> 12);
	if (ret && (sf.addr != va ||
		    sf.level != (u32)(sg_flevel == 5 ? 0 : sg_flevel) ||
		    sf.code != (sg_unreadable ? MVGPU_ERR_PAGE_FAULT :
				MVGPU_ERR_PPGTT_FAULT)))
		return gtf_fail(f, "sgpu fault at 0x%llx: code %u level %u, reference level %d%s",
				va, sf.code, sf.level, sg_flevel,
				sg_unreadable ? " unreadable" : "");
	return NULL;
}

/*
 * The GPU's view: sgpu walks the physical GGTT and a shadow PPGTT root
 * (@root_hpa, 0 for none) as an engine would, at @n addresses from @addr
 * @stride apart, through the one-command TLB and without it.  Every page
 * it reaches must be a shadow table or a pinned guest page; what it
 * reads or writes lands in guest memory.
 */
const char *gtf_gpu_walk(struct gtf *f, u64 root_hpa, u64 gm,
			 u64 va, u64 stride, unsigned int n,
			 bool write)
{
	struct sgpu_vm vm = { &f->host_mem, root_hpa, root_hpa != 0 };
	struct sgpu_tlb tlb = { 0 };
	struct sgpu_fault fa, fb;
	unsigned int k;
	u8 buf[24];
	u64 pfn;
	int i;

	gtf_index_shadows(f);
	for (k = 0; k < n; k++, gm += stride, va += stride) {
		u64 p1 = 0, p2 = 0;
		void *a, *b;
		int ra, rb;

		/* GGTT: the vGPU's shadowed entries only */
		ra = sgpu_ggtt_translate(&f->host_mem, gm, &pfn, &fa);
		i = gtf_slot(f, gm);
		if (!ra && (i < 0 || !mvgpu_ggtt_hpa(&f->vgpu, i) ||
			    pfn != mvgpu_ggtt_hpa(&f->vgpu, i) >> 12))
			return gtf_fail(f, "GGTT 0x%llx reaches pfn 0x%llx", gm,
					pfn);
		if (ra && i >= 0 && mvgpu_ggtt_hpa(&f->vgpu, i))
			return gtf_fail(f, "shadowed GGTT 0x%llx faults", gm);
		memset(buf, 0x5a, sizeof(buf));
		if (write)
			sgpu_vm_write(&vm, SGPU_GGTT, gm, buf, sizeof(buf), &fa);
		else
			sgpu_vm_read(&vm, SGPU_GGTT, gm, buf, sizeof(buf), &fa);
		if (!root_hpa)
			continue;
		/* PPGTT, through the TLB and without: the same */
		a = sgpu_vm_map_tlb(&vm, SGPU_PPGTT, va, &p1, &tlb, &fa);
		if (a)
			sgpu_vm_unmap(&vm, p1, a);
		b = sgpu_vm_map(&vm, SGPU_PPGTT, va, &p2, &fb);
		if (b)
			sgpu_vm_unmap(&vm, p2, b);
		if (!a != !b || (a && (a != b || p1 != p2)) ||
		    (!a && (fa.code != fb.code || fa.level != fb.level)))
			return gtf_fail(f, "PPGTT 0x%llx: TLB walk differs", va);
		rb = sgpu_vm_translate(&vm, SGPU_PPGTT, va, &p2, &fb);
		if (!rb != !!b)
			return gtf_fail(f, "PPGTT 0x%llx: translate and map differ",
					va);
		if (write)
			sgpu_vm_write(&vm, SGPU_PPGTT, va, buf, sizeof(buf), &fa);
		else
			sgpu_vm_read(&vm, SGPU_PPGTT, va, buf, sizeof(buf), &fa);
	}
	if (f->depth || f->max_depth > 3 || f->lifo_errors)
		return gtf_fail(f, "sgpu mapping discipline: depth %d, max %d, %d out of order",
				f->depth, f->max_depth, f->lifo_errors);
	if (write) {
		/* the GPU writes behind KVM's back */
		for (k = 0; k < GTF_PAGES; k++)
			if (f->pins[k])
				f->stale_ok[k] = f->dirty[k] = true;
	}
	return f->nerr ? gtf_fail(f, "%s", f->err) : NULL;
}

/**
 * gtf_mm_hpa() - where a shadowed root is, as an engine would be given it
 * @mm: the root
 *
 * Return: the host physical address of its shadow PML4.
 */
u64 gtf_mm_hpa(const struct mvgpu_ppgtt_mm *mm)
{
	return page_to_phys(mm->root->page);
}
