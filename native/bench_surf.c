// SPDX-License-Identifier: GPL-2.0-only
/*
 * The native side of the surface benchmark of tests/bench/vgpu_bench.c:
 * one copy, fill or blend of 1 to 16 MiB through the GGTT or through a
 * PPGTT, timed as a vGPU's guest times its own: from the submission to
 * the waiter's wake-up that finds the engine idle.  The buffers (16 MiB
 * of source, 16 MiB of destination), the two contexts and the PPGTT
 * stay in the session from run to run, as the guest's do, so that runs
 * of the two sides can alternate; the engines are borrowed before the
 * clock starts and given back after it stops, for the vGPU's next run.
 * The destination is poisoned before each run and its CRC-32 compared
 * with that of what the CPU makes of the source after it.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pfn.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/slab.h>

#include <mvgpu/mvgpu_regs.h>

#include "native_priv.h"

#define SURF_PAGES	(MVGPU_BENCH_MAX_MIB << (20 - PAGE_SHIFT))
#define SURF_PT_PAGES	(2 * SURF_PAGES / MVGPU_PPGTT_ENTRIES)
/* PML4, PDP, PD and the page tables of source and destination */
#define SURF_TABLES	(3 + SURF_PT_PAGES)
/* PPGTT addresses: PML4E 0, PDPE 1; source, then destination */
#define SURF_VA_SRC	0x40000000ULL
#define SURF_VA_DST	(SURF_VA_SRC + (MVGPU_BENCH_MAX_MIB << 20))
#define SURF_OPS	(MVGPU_BENCH_BLEND + 1)

/**
 * struct mvgpu_bench_surf_state - what the surface benchmark keeps
 * @src: the source, %MVGPU_BENCH_MAX_MIB MiB mapped in the GGTT
 * @dst: the destination, as big
 * @id: the GGTT context [0] and the PPGTT context [1]
 * @tables: the PPGTT's table pages: [0] PML4, [1] PDP, [2] PD, then the
 *          page tables, which map @src at SURF_VA_SRC and @dst at
 *          SURF_VA_DST
 * @want: CRC-32 the first N MiB of @dst must have after each operation
 *        of the first N MiB of @src; 0: not computed yet
 * @ev: room for the events of a wait
 * @scratch: one page for the CPU's result
 *
 * All of it belongs to the session and is protected by its lock.
 */
struct mvgpu_bench_surf_state {
	struct mvgpu_native_buf *src, *dst;
	unsigned int id[2];
	struct page *tables[SURF_TABLES];
	u32 want[SURF_OPS][MVGPU_BENCH_MAX_MIB + 1];
	struct mvgpu_native_event *ev;
	u32 *scratch;
};

static u64 surf_phys(struct page *p)
{
	return PFN_PHYS(page_to_pfn(p));
}

/* Set entry @idx of table page @t to @phys, present. */
static void surf_set(struct page *t, unsigned int idx, u64 phys)
{
	__le64 *va = kmap_local_page(t);

	va[idx] = cpu_to_le64((phys & MVGPU_PPGTT_ADDR_MASK) |
			      MVGPU_PPGTT_PRESENT);
	kunmap_local(va);
}

/* Build the PPGTT of @st: the tables, then each page of both buffers. */
static int surf_build_ppgtt(struct mvgpu_bench_surf_state *st)
{
	unsigned int i, pd0 = (SURF_VA_SRC >> 21) % MVGPU_PPGTT_ENTRIES;

	for (i = 0; i < SURF_TABLES; i++) {
		st->tables[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!st->tables[i])
			return -ENOMEM;
	}
	surf_set(st->tables[0], (SURF_VA_SRC >> 39) % MVGPU_PPGTT_ENTRIES,
		 surf_phys(st->tables[1]));
	surf_set(st->tables[1], (SURF_VA_SRC >> 30) % MVGPU_PPGTT_ENTRIES,
		 surf_phys(st->tables[2]));
	for (i = 0; i < SURF_PT_PAGES; i++)
		surf_set(st->tables[2], pd0 + i, surf_phys(st->tables[3 + i]));
	/* SURF_VA_DST follows the source's last page */
	for (i = 0; i < 2 * SURF_PAGES; i++) {
		struct mvgpu_native_buf *b = i < SURF_PAGES ? st->src : st->dst;

		surf_set(st->tables[3 + i / MVGPU_PPGTT_ENTRIES],
			 i % MVGPU_PPGTT_ENTRIES,
			 surf_phys(b->pages[i % SURF_PAGES]));
	}
	return 0;
}

/*
 * No destination page a multiple of SURF_ALIAS_PAGES pages from its
 * source page.  A copy or blend reads one and writes the other in turn,
 * and pages that far apart (often so on a host whose memory is still in
 * large free blocks, a VM just booted) share a set in the caches and
 * translation buffers of the machine running the test VM: on 2026-12-05
 * the two boots of six whose buffers had 1888 of 4096 pairs a multiple
 * of 4 MiB apart ran the native 4 and 16 MiB GGTT copies 6 to 15 times
 * slower than the others, the vGPU's guest memory being placed
 * otherwise.  An aliased destination page is exchanged for a fresh one
 * (a few tries; the pages refused on the way are freed after): two boots
 * of six later needed 1888 and 1904 exchanges and ran at the usual speed.
 */
#define SURF_ALIAS_PAGES	256
#define SURF_ALIAS_TRIES	8

static bool surf_aliased(struct page *a, struct page *b)
{
	return !((page_to_pfn(a) - page_to_pfn(b)) % SURF_ALIAS_PAGES);
}

static int surf_unalias_locked(struct mvgpu_native *n,
			       struct mvgpu_bench_surf_state *st)
{
	struct page *p, *tmp;
	unsigned int i, t;
	LIST_HEAD(refused);
	int ret = 0;

	for (i = 0; i < st->dst->npages && !ret; i++) {
		for (t = 0; t < SURF_ALIAS_TRIES &&
		     surf_aliased(st->dst->pages[i], st->src->pages[i]); t++) {
			p = alloc_page(GFP_KERNEL | __GFP_ZERO);
			if (!p) {
				ret = -ENOMEM;
				break;
			}
			if (surf_aliased(p, st->src->pages[i]))
				list_add(&p->lru, &refused);
			else
				mvgpu_native_buf_swap_page_locked(n, st->dst,
								  i, p);
		}
	}
	list_for_each_entry_safe(p, tmp, &refused, lru) {
		list_del(&p->lru);
		__free_page(p);
	}
	return ret;
}

static int surf_setup_locked(struct mvgpu_native *n,
			     struct mvgpu_bench_surf_state *st)
{
	struct mvgpu_native_ctx_info info;
	unsigned int i;
	int ret;

	st->ev = kmalloc_array(MVGPU_NATIVE_EVENTS, sizeof(*st->ev),
			       GFP_KERNEL);
	st->scratch = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!st->ev || !st->scratch)
		return -ENOMEM;
	ret = mvgpu_native_map_locked(n, (u64)MVGPU_BENCH_MAX_MIB << 20, true,
				      &st->src);
	ret = ret ?: mvgpu_native_map_locked(n, (u64)MVGPU_BENCH_MAX_MIB << 20,
					     true, &st->dst);
	ret = ret ?: surf_unalias_locked(n, st);
	for (i = 0; i < 2 && !ret; i++) {
		ret = mvgpu_native_ctx_create_locked(n, PAGE_SIZE, &info);
		st->id[i] = info.id;
	}
	ret = ret ?: surf_build_ppgtt(st);
	ret = ret ?: mvgpu_native_ctx_set_ppgtt_locked(n, st->id[1],
						       surf_phys(st->tables[0]));
	if (!ret)
		mvgpu_bench_fill(st->src);
	return ret;
}

static void surf_free(struct mvgpu_bench_surf_state *st)
{
	unsigned int i;

	for (i = 0; i < SURF_TABLES; i++)
		if (st->tables[i])
			__free_page(st->tables[i]);
	kfree(st->scratch);
	kfree(st->ev);
	kfree(st);
}

/**
 * mvgpu_bench_surf_free_locked() - forget the surface benchmark's state
 * @n: the session, locked, its engines given back (so that nothing
 *     walks the tables any more)
 *
 * The buffers and contexts are the session's, freed by its clear.
 */
void mvgpu_bench_surf_free_locked(struct mvgpu_native *n)
{
	lockdep_assert_held(&n->lock);
	if (!n->surf)
		return;
	surf_free(n->surf);
	n->surf = NULL;
}

/* CRC-32 of what @op makes of the first @npages of the source. */
static u32 surf_want(struct mvgpu_bench_surf_state *st,
		     enum mvgpu_bench_op op, unsigned int mib)
{
	u32 *w = &st->want[op][mib];

	if (!*w)
		*w = mvgpu_bench_want_pages(st->src->pages,
					    mib << (20 - PAGE_SHIFT), op,
					    st->scratch);
	return *w;
}

/* One timed run; the engines borrowed only around it. */
static int surf_run_locked(struct mvgpu_native *n,
			   struct mvgpu_bench_surf_state *st,
			   enum mvgpu_bench_op op, unsigned int mib,
			   bool ppgtt, struct mvgpu_native_bench *res)
{
	const unsigned int ids[2] = { st->id[ppgtt], 0 };
	unsigned int engine = mvgpu_bench_op_engine(op);
	unsigned int npages = mib << (20 - PAGE_SHIFT), count = 0, i;
	u64 src = ppgtt ? SURF_VA_SRC : st->src->gaddr;
	u64 dst = ppgtt ? SURF_VA_DST : st->dst->gaddr;
	u32 want = surf_want(st, op, mib);
	u64 t0, t1;
	int ret;

	mvgpu_bench_poison_pages(st->dst->pages, npages);
	ret = mvgpu_bench_emit_op_locked(n, op, ids[0], dst, src,
					 ((u64)mib << 20) / MVGPU_BENCH_PITCH);
	if (ret)
		return ret;
	mvgpu_native_claim_locked(n);
	t0 = ktime_get_ns();
	ret = mvgpu_native_submit_locked(n, engine, ids);
	ret = ret ?: mvgpu_native_wait(n, engine, MVGPU_CSB_ACTIVE_TO_IDLE,
				       MVGPU_BENCH_TIMEOUT_MS, st->ev, &count);
	t1 = ktime_get_ns();
	mvgpu_native_unclaim_locked(n);
	for (i = 0; !ret && i < count; i++)
		if (st->ev[i].status & MVGPU_CSB_ERROR)
			ret = -EIO;
	if (ret)
		return ret;
	res->bytes = (u64)mib << 20;
	res->runs = 1;
	res->engine_ns = t1 - t0;
	res->avg_ns = res->engine_ns;
	res->verified = mvgpu_bench_crc_pages(st->dst->pages, npages) == want;
	return 0;
}

/**
 * mvgpu_native_bench_surf() - one run of the surface benchmark
 * @n: the session; its other buffers and contexts are kept, and so is
 *     what the benchmark sets up on its first run (until a clear)
 * @op: MVGPU_BENCH_COPY, _FILL or _BLEND
 * @mib: MiB, 1 to %MVGPU_BENCH_MAX_MIB
 * @ppgtt: through the PPGTT context, else through the GGTT
 * @res: @engine_ns the time from the submission to the waiter's
 *       wake-up, @verified when the destination's CRC-32 is that of what
 *       the CPU makes of the source
 *
 * Return: 0, -EINVAL for bad arguments, -EIO if the engine failed, or an
 * error of the session (-ENOSPC when it holds too much already).
 */
int mvgpu_native_bench_surf(struct mvgpu_native *n, enum mvgpu_bench_op op,
			    unsigned int mib, bool ppgtt,
			    struct mvgpu_native_bench *res)
{
	struct mvgpu_bench_surf_state *st;
	int ret = 0;

	memset(res, 0, sizeof(*res));
	if (op >= SURF_OPS || !mib || mib > MVGPU_BENCH_MAX_MIB)
		return -EINVAL;
	mutex_lock(&n->lock);
	if (!n->surf) {
		st = kzalloc(sizeof(*st), GFP_KERNEL);
		if (!st) {
			ret = -ENOMEM;
			goto out;
		}
		ret = surf_setup_locked(n, st);
		if (ret) {
			surf_free(st);
			goto out;
		}
		n->surf = st;
	}
	ret = surf_run_locked(n, n->surf, op, mib, ppgtt, res);
out:
	mutex_unlock(&n->lock);
	return ret;
}
