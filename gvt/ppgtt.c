// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shadow PPGTTs.
 *
 * A guest context with a PPGTT names the guest physical address of its
 * PML4.  The engines never walk the guest's tables: each guest table
 * page has a shadow page (struct mvgpu_spt) whose entries point at the
 * shadows of the next level or, at the last level, at the guest pages
 * pinned through the guest memory ops, which refuse memory that is not
 * the guest's.  A guest entry that cannot be translated (not present, a
 * huge page, a table or page outside guest memory, a limit reached) is
 * not present in the shadow, so the engine faults instead of reaching
 * anything else.  A table used by several contexts, or several times, is
 * shadowed once per level and shared.
 *
 * Guest edits: with KVM, the guest's table pages are write-protected.
 * The first write to one since a submission walked it lifts the
 * protection and leaves the page stale (mvgpu_ppgtt_guest_write()); the
 * next submission that walks it reads it again and protects it again.
 * So a guest that rewrites a table pays one VM exit for it, not one per
 * entry, and a table page the guest freed and reused for something else
 * (the root of a context it destroyed, still cached here) costs it one
 * exit and is never read again unless a submission names it: its new
 * contents are not taken for entries, which would protect and pin pages
 * at random.  The tables below a written table lose their protection
 * with it: the guest unlinks tables before it frees them, but only its
 * first write is reported, and a freed table page must not stay
 * protected while the guest kernel reuses it (see Documentation/
 * guest-driver.rst: KVM cannot emulate every access to it).  Without
 * KVM, every submission re-reads every table reachable from the root
 * (mvgpu_ppgtt_shadow()); each table page is then held pinned while it
 * is shadowed, unless a pin limit applies (mvgpu_vgpu_pin_spare()), so
 * that the re-read is a kmap and a compare, not a walk of the VMM's page
 * tables.  No engine reads a guest table page, so such a pin goes as
 * soon as its shadow is dropped, or its memory unmapped
 * (mvgpu_ppgtt_dma_unmap()).  Either way an entry whose translation
 * changed is shadowed again; bits the GPU ignores change nothing.  Work
 * already on an engine goes on with the translations it was given, whose
 * pages stay pinned until it is done.
 *
 * An engine may still be walking a table or writing a page that a change
 * drops: dropped tables and pins wait until the work in flight has left
 * the engines (retire.c).  Waiting tables count against the table limit,
 * waiting pins against the pin limit, so a guest that churns its tables
 * while keeping an engine busy cannot make the host allocate more.
 *
 * Everything here runs under the vGPU's lock.
 */
#include <linux/bitmap.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include <mvgpu/mvgpu_regs.h>

#include "ggtt.h"
#include "ppgtt.h"
#include "ppgtt_types.h"
#include "retire.h"
#include "trace.h"
#include "vgpu.h"
#include "vgpu_types.h"

#define ENTRIES		MVGPU_PPGTT_ENTRIES
#define TABLE_BYTES	(ENTRIES * sizeof(u64))

/**
 * struct mvgpu_spt - the shadow of one guest table page at one level
 * @node: in &mvgpu_ppgtt.spts
 * @zombie: in &mvgpu_ppgtt.zombies once unreferenced
 * @stamp: then, when it was dropped (mvgpu_retire_stamp())
 * @ref: parent entries and roots pointing at it
 * @level: 4 PML4, 3 PDP, 2 PD, 1 PT
 * @gfn: the guest table page
 * @table_hpa: untracked, the guest table page held pinned, else 0
 * @tracked: its writes are reported (KVM)
 * @stale: its protection was lifted (a write, or one above it) since it
 *         was last read: @guest may not be what the page holds
 * @sync_gen: the walk that last visited it (and read it, if untracked)
 * @untrack_gen: the last spt_untrack_below() that visited it
 * @read_gen: the walk during which it was created: it needs no reading
 *            then, but the tables under it still need visiting
 * @page: the shadow table the engines walk
 * @shadow: its kernel address
 * @guest: the guest's entries as last read
 * @child: level > 1: the shadow each entry points at, or NULL
 * @pinned: level 1: entries holding a pin of their page
 * @retry: entries refused for want of room, to be tried again
 * @retry_link: in &mvgpu_ppgtt.retry while @retry has a bit set
 */
struct mvgpu_spt {
	struct hlist_node node;
	struct list_head zombie;
	u64 stamp;
	unsigned int ref;
	unsigned int level;
	u64 gfn;
	u64 table_hpa;
	bool tracked;
	bool stale;
	u32 sync_gen;
	u32 untrack_gen;
	u32 read_gen;
	struct page *page;
	u64 *shadow;
	u64 *guest;
	struct mvgpu_spt **child;
	DECLARE_BITMAP(pinned, ENTRIES);
	DECLARE_BITMAP(retry, ENTRIES);
	struct list_head retry_link;
};

/**
 * mvgpu_ppgtt_init() - no shadow tables yet
 * @pp: the vGPU's PPGTT state
 *
 * Return: 0 or -ENOMEM.
 */
int mvgpu_ppgtt_init(struct mvgpu_ppgtt *pp)
{
	INIT_LIST_HEAD(&pp->mms);
	INIT_LIST_HEAD(&pp->zombies);
	INIT_LIST_HEAD(&pp->retry);
	hash_init(pp->spts);
	pp->nr_mms = 0;
	pp->nr_spts = 0;
	pp->nr_zombies = 0;
	pp->pins = 0;
	pp->scratch = (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	return pp->scratch ? 0 : -ENOMEM;
}

/**
 * mvgpu_ppgtt_fini() - free the state
 * @pp: state with every shadow destroyed (mvgpu_ppgtt_destroy_all())
 */
void mvgpu_ppgtt_fini(struct mvgpu_ppgtt *pp)
{
	WARN_ON(pp->nr_spts || pp->nr_mms || pp->nr_zombies);
	free_page((unsigned long)pp->scratch);
}

/* No engine reads the guest's table page: its pin goes at once. */
static void spt_unpin_table(struct mvgpu_vgpu *vgpu, struct mvgpu_spt *spt)
{
	if (!spt->table_hpa)
		return;
	spt->table_hpa = 0;
	mvgpu_vgpu_unpin(vgpu, spt->gfn);
}

static void spt_free(struct mvgpu_vgpu *vgpu, struct mvgpu_spt *spt)
{
	atomic64_dec(&vgpu->stats.shadow_pages);
	__free_page(spt->page);
	free_page((unsigned long)spt->guest);
	kfree(spt->child);
	kfree(spt);
}

static void spt_put(struct mvgpu_vgpu *vgpu, struct mvgpu_spt *spt);

/* Make entry @i not present in the shadow and drop what it held. */
static void ppgtt_unshadow_entry(struct mvgpu_vgpu *vgpu, struct mvgpu_spt *spt,
				 unsigned int i)
{
	WRITE_ONCE(spt->shadow[i], 0);
	clear_bit(i, spt->retry);
	if (spt->level > 1 && spt->child[i]) {
		spt_put(vgpu, spt->child[i]);
		spt->child[i] = NULL;
	} else if (spt->level == 1 && test_and_clear_bit(i, spt->pinned)) {
		/* pp->pins drops when the pin really goes */
		mvgpu_retire_unpin(vgpu, (spt->guest[i] & MVGPU_PPGTT_ADDR_MASK) >>
				   PAGE_SHIFT, MVGPU_PIN_PPGTT);
	}
}

static void spt_put(struct mvgpu_vgpu *vgpu, struct mvgpu_spt *spt)
{
	struct mvgpu_ppgtt *pp = &vgpu->ppgtt;
	unsigned int i;

	lockdep_assert_held(&vgpu->lock);
	if (--spt->ref)
		return;
	for (i = 0; i < ENTRIES; i++)
		ppgtt_unshadow_entry(vgpu, spt, i);
	hash_del(&spt->node);
	pp->nr_spts--;
	list_del_init(&spt->retry_link);
	if (spt->tracked)
		pp->track->remove(pp->track_priv, spt->gfn);
	spt_unpin_table(vgpu, spt);
	if (!mvgpu_retire_busy(&vgpu->retire)) {
		spt_free(vgpu, spt);
		return;
	}
	/* an engine may still walk it: it waits, and still counts */
	spt->stamp = mvgpu_retire_stamp(&vgpu->retire);
	list_add_tail(&spt->zombie, &pp->zombies);
	pp->nr_zombies++;
}

static struct mvgpu_spt *spt_get(struct mvgpu_vgpu *vgpu, u64 gfn,
				 unsigned int level);

/*
 * Entry @i could not be shadowed for want of room (a limit, memory, or a
 * range being unmapped), not because of what it says: try it again at
 * the next submission (ppgtt_retry_refused()).
 */
static void ppgtt_mark_retry(struct mvgpu_ppgtt *pp, struct mvgpu_spt *spt,
			     unsigned int i)
{
	set_bit(i, spt->retry);
	if (list_empty(&spt->retry_link))
		list_add_tail(&spt->retry_link, &pp->retry);
}

/* Below the table limit (waiting tables count)? */
static bool ppgtt_table_room(const struct mvgpu_ppgtt *pp)
{
	return pp->nr_spts + pp->nr_zombies < MVGPU_PPGTT_MAX_SPTS;
}

/* Below the limit of pins of last-level entries (waiting ones count)? */
static bool ppgtt_pin_room(const struct mvgpu_ppgtt *pp)
{
	return pp->pins < MVGPU_PPGTT_MAX_PINS;
}

/* Pin the page of last-level entry @i; returns 0 or why not. */
static int ppgtt_pin_entry(struct mvgpu_vgpu *vgpu, struct mvgpu_spt *spt,
			   unsigned int i, u64 *hpa)
{
	struct mvgpu_ppgtt *pp = &vgpu->ppgtt;
	u64 e = spt->guest[i];
	int ret = -ENOSPC;

	lockdep_assert_held(&vgpu->lock);
	if (ppgtt_pin_room(pp))
		ret = mvgpu_vgpu_pin(vgpu, (e & MVGPU_PPGTT_ADDR_MASK) >>
				     PAGE_SHIFT, hpa);
	if (!ret)
		return 0;
	atomic64_inc(&vgpu->stats.bad_ppgtt);
	mvgpu_vgpu_warn(vgpu, "PPGTT entry 0x%llx of table 0x%llx not usable (%d)\n",
			e, spt->gfn << PAGE_SHIFT, ret);
	return ret;
}

/* Translate the guest's entry @i into the shadow. */
static void ppgtt_shadow_entry(struct mvgpu_vgpu *vgpu, struct mvgpu_spt *spt,
			       unsigned int i)
{
	struct mvgpu_ppgtt *pp = &vgpu->ppgtt;
	u64 e = spt->guest[i], gfn = (e & MVGPU_PPGTT_ADDR_MASK) >> PAGE_SHIFT;
	u64 hpa;
	int ret;

	if (!(e & MVGPU_PPGTT_PRESENT))
		return;
	if (spt->level > 1) {
		struct mvgpu_spt *child;

		if (e & MVGPU_PPGTT_PS)
			return;
		child = spt_get(vgpu, gfn, spt->level - 1);
		if (!child) {
			ppgtt_mark_retry(pp, spt, i);
			return;
		}
		spt->child[i] = child;
		hpa = page_to_phys(child->page);
	} else {
		ret = ppgtt_pin_entry(vgpu, spt, i, &hpa);
		if (ret == -ENOSPC || ret == -ENOMEM || ret == -EBUSY ||
		    ret == -EDQUOT)
			ppgtt_mark_retry(pp, spt, i);
		if (ret)
			return;
		set_bit(i, spt->pinned);
		pp->pins++;
	}
	WRITE_ONCE(spt->shadow[i], hpa | MVGPU_PPGTT_PRESENT);
	trace_mvgpu_ppgtt_update(vgpu, spt->gfn, spt->level, i, e,
				 hpa | MVGPU_PPGTT_PRESENT);
}

/*
 * Read the guest table, through its pin if it has one; a page that is
 * not guest memory reads empty.
 */
static void ppgtt_read_table(struct mvgpu_vgpu *vgpu, struct mvgpu_spt *spt,
			     u64 *buf)
{
	lockdep_assert_held(&vgpu->lock);
	if (spt->table_hpa &&
	    mvgpu_pinned_page_rw(spt->table_hpa, buf, TABLE_BYTES, false))
		return;
	if (vgpu->mem_ops->rw(vgpu->mem_priv, spt->gfn << PAGE_SHIFT, buf,
			      TABLE_BYTES, false))
		memset(buf, 0, TABLE_BYTES);
}

/*
 * A table read at every submission (nothing reports the guest's writes
 * to it) is held pinned, unless a pin limit applies, and read with a
 * kmap.  A page that cannot be pinned is read through the memory ops.
 */
static void spt_pin_table(struct mvgpu_vgpu *vgpu, struct mvgpu_spt *spt)
{
	u64 hpa;

	if (spt->tracked || spt->table_hpa)
		return;
	if (!mvgpu_vgpu_pin_spare(vgpu, spt->gfn, &hpa))
		spt->table_hpa = hpa;
}

static struct mvgpu_spt *spt_find(struct mvgpu_ppgtt *pp, u64 gfn,
				  unsigned int level)
{
	struct mvgpu_spt *spt;

	hash_for_each_possible(pp->spts, spt, node, gfn)
		if (spt->gfn == gfn && spt->level == level)
			return spt;
	return NULL;
}

static struct mvgpu_spt *spt_alloc(unsigned int level)
{
	struct mvgpu_spt *spt = kzalloc(sizeof(*spt), GFP_KERNEL_ACCOUNT);

	if (!spt)
		return NULL;
	spt->page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	spt->guest = (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (level > 1)
		spt->child = kcalloc(ENTRIES, sizeof(*spt->child),
				     GFP_KERNEL_ACCOUNT);
	if (!spt->page || !spt->guest || (level > 1 && !spt->child)) {
		if (spt->page)
			__free_page(spt->page);
		free_page((unsigned long)spt->guest);
		kfree(spt->child);
		kfree(spt);
		return NULL;
	}
	spt->shadow = page_address(spt->page);
	spt->level = level;
	INIT_LIST_HEAD(&spt->retry_link);
	return spt;
}

/* Write-protect @spt's guest page (again), if the vGPU has tracking. */
static void spt_track(struct mvgpu_ppgtt *pp, struct mvgpu_spt *spt)
{
	if (pp->track && !spt->tracked)
		spt->tracked = !pp->track->add(pp->track_priv, spt->gfn);
}

/* The shadow of guest table @gfn at @level, a new reference to it. */
static struct mvgpu_spt *spt_get(struct mvgpu_vgpu *vgpu, u64 gfn,
				 unsigned int level)
{
	struct mvgpu_ppgtt *pp = &vgpu->ppgtt;
	struct mvgpu_spt *spt = spt_find(pp, gfn, level);
	unsigned int i;

	lockdep_assert_held(&vgpu->lock);
	if (spt) {
		spt->ref++;
		return spt;
	}
	if (!ppgtt_table_room(pp))
		return NULL;
	spt = spt_alloc(level);
	if (!spt)
		return NULL;
	spt->gfn = gfn;
	spt->ref = 1;
	/* shared tables it points at may be stale: visit it in this walk */
	spt->sync_gen = pp->sync_gen - 1;
	spt->read_gen = pp->sync_gen;
	spt->untrack_gen = pp->untrack_gen - 1;
	hash_add(pp->spts, &spt->node, gfn);
	pp->nr_spts++;
	atomic64_inc(&vgpu->stats.shadow_pages);
	spt_track(pp, spt);
	spt_pin_table(vgpu, spt);
	ppgtt_read_table(vgpu, spt, spt->guest);
	for (i = 0; i < ENTRIES; i++)
		ppgtt_shadow_entry(vgpu, spt, i);
	/* a new root may bring thousands of tables: the vGPU's lock only */
	cond_resched();
	return spt;
}

/* What of an entry at @level the GPU uses: the rest changes nothing. */
static u64 ppgtt_entry_key(u64 e, unsigned int level)
{
	u64 mask = MVGPU_PPGTT_PRESENT | MVGPU_PPGTT_ADDR_MASK;

	if (level > 1)
		mask |= MVGPU_PPGTT_PS;
	return e & MVGPU_PPGTT_PRESENT ? e & mask : 0;
}

/*
 * Read the guest table again and shadow the entries that changed.  A
 * pinned table is compared in place first, so that the common case of a
 * table nobody changed costs no copy.
 */
static void spt_resync(struct mvgpu_vgpu *vgpu, struct mvgpu_spt *spt)
{
	u64 *now = vgpu->ppgtt.scratch;
	unsigned int i;

	if (spt->table_hpa &&
	    mvgpu_pinned_page_same(spt->table_hpa, spt->guest, TABLE_BYTES))
		return;
	ppgtt_read_table(vgpu, spt, now);
	if (!memcmp(now, spt->guest, TABLE_BYTES))
		return;
	for (i = 0; i < ENTRIES; i++) {
		if (now[i] == spt->guest[i])
			continue;
		if (ppgtt_entry_key(now[i], spt->level) ==
		    ppgtt_entry_key(spt->guest[i], spt->level)) {
			spt->guest[i] = now[i];
			continue;
		}
		ppgtt_unshadow_entry(vgpu, spt, i);
		spt->guest[i] = now[i];
		ppgtt_shadow_entry(vgpu, spt, i);
	}
}

/* Bring the tables under @spt up to date, each once per walk. */
static void spt_sync(struct mvgpu_vgpu *vgpu, struct mvgpu_spt *spt)
{
	unsigned int i;

	if (spt->sync_gen == vgpu->ppgtt.sync_gen)
		return;
	spt->sync_gen = vgpu->ppgtt.sync_gen;
	/* untracked, thousands of tables are read again at each submission */
	cond_resched();
	if (!spt->tracked && spt->read_gen != spt->sync_gen) {
		/* protected first: a write after the read is reported */
		spt_track(&vgpu->ppgtt, spt);
		spt_pin_table(vgpu, spt);
		spt_resync(vgpu, spt);
		spt->stale = false;
	}
	if (spt->level == 1)
		return;
	for (i = 0; i < ENTRIES; i++)
		if (spt->child[i])
			spt_sync(vgpu, spt->child[i]);
}

static void ppgtt_mm_destroy(struct mvgpu_vgpu *vgpu, struct mvgpu_ppgtt_mm *mm)
{
	list_del(&mm->link);
	vgpu->ppgtt.nr_mms--;
	spt_put(vgpu, mm->root);
	kfree(mm);
}

/*
 * Room for one more root: drop the least recently used roots that no
 * work in flight uses, down to the limit.  Dropping a root empties its
 * tables (spt_put()), and work queued or running on it would fault where
 * the guest's tables map its pages; so roots in use stay, beyond the
 * limit if they must.  They are at most one per workload in flight, and
 * their tables count against %MVGPU_PPGTT_MAX_SPTS all the same.
 */
static void ppgtt_mm_make_room(struct mvgpu_vgpu *vgpu)
{
	struct mvgpu_ppgtt *pp = &vgpu->ppgtt;
	struct mvgpu_ppgtt_mm *mm, *tmp;

	list_for_each_entry_safe_reverse(mm, tmp, &pp->mms, link) {
		if (pp->nr_mms < MVGPU_PPGTT_MAX_MMS)
			return;
		if (!mvgpu_retire_root_busy(&vgpu->retire, mm->root_gpa))
			ppgtt_mm_destroy(vgpu, mm);
	}
}

/* Is there room for an entry at @level to be shadowed? */
static bool ppgtt_room(struct mvgpu_vgpu *vgpu, unsigned int level)
{
	struct mvgpu_ppgtt *pp = &vgpu->ppgtt;

	if (level > 1)
		return ppgtt_table_room(pp);
	return ppgtt_pin_room(pp) && mvgpu_vgpu_pin_room(vgpu);
}

/*
 * Try again the entries refused for want of room: tables and pins that
 * waited for the engines may have gone since.  Without this a refused
 * entry would stay unusable until the guest rewrote it.
 *
 * Not from the copy of a table whose protection was lifted since it was
 * read: the guest may now use that page for something else, whose
 * "entries" must not be pinned or protected; its refused entries wait
 * for a walk that reads it.  And only while there is room: each entry
 * would be refused again otherwise, a cost per submission that a guest
 * mapping more than it may pin could raise to millions of entries.
 */
static void ppgtt_retry_refused(struct mvgpu_vgpu *vgpu)
{
	struct mvgpu_ppgtt *pp = &vgpu->ppgtt;
	struct mvgpu_spt *spt, *tmp;
	LIST_HEAD(todo);
	unsigned int i;

	list_splice_init(&pp->retry, &todo);
	list_for_each_entry_safe(spt, tmp, &todo, retry_link) {
		list_del_init(&spt->retry_link);
		if (spt->stale) {
			list_add_tail(&spt->retry_link, &pp->retry);
			continue;
		}
		for_each_set_bit(i, spt->retry, ENTRIES) {
			if (!ppgtt_room(vgpu, spt->level)) {
				ppgtt_mark_retry(pp, spt, i);	/* the rest too */
				break;
			}
			clear_bit(i, spt->retry);
			ppgtt_shadow_entry(vgpu, spt, i);
		}
	}
}

/**
 * mvgpu_ppgtt_shadow() - shadow a guest PPGTT for a submission
 * @vgpu: the vGPU, its lock held
 * @root_gpa: guest physical address of the guest's PML4
 * @root_hpa: set to the physical address of the shadow PML4
 *
 * A root shadowed before is brought up to date; a new one is shadowed
 * whole.  Once the submission's workload is in flight
 * (mvgpu_retire_start() with @root_gpa), its root is not dropped to make
 * room for others until it has left the engines.
 *
 * Return: 0, -EINVAL for a misaligned root, -ENOSPC when the vGPU has
 * too many tables, or -ENOMEM.
 */
int mvgpu_ppgtt_shadow(struct mvgpu_vgpu *vgpu, u64 root_gpa, u64 *root_hpa)
{
	struct mvgpu_ppgtt *pp = &vgpu->ppgtt;
	struct mvgpu_ppgtt_mm *mm;

	lockdep_assert_held(&vgpu->lock);
	if (root_gpa & ~MVGPU_PPGTT_ADDR_MASK)
		return -EINVAL;
	pp->sync_gen++;
	/* first: what the walk below refuses waits for the next submission */
	ppgtt_retry_refused(vgpu);
	list_for_each_entry(mm, &pp->mms, link) {
		if (mm->root_gpa != root_gpa)
			continue;
		list_move(&mm->link, &pp->mms);
		spt_sync(vgpu, mm->root);
		*root_hpa = page_to_phys(mm->root->page);
		return 0;
	}
	ppgtt_mm_make_room(vgpu);
	mm = kzalloc(sizeof(*mm), GFP_KERNEL_ACCOUNT);
	if (!mm)
		return -ENOMEM;
	mm->root_gpa = root_gpa;
	mm->root = spt_get(vgpu, root_gpa >> PAGE_SHIFT, 4);
	if (!mm->root) {
		kfree(mm);
		return -ENOSPC;
	}
	list_add(&mm->link, &pp->mms);
	pp->nr_mms++;
	spt_sync(vgpu, mm->root);
	*root_hpa = page_to_phys(mm->root->page);
	return 0;
}

/**
 * mvgpu_ppgtt_guest_rw() - access guest memory through a guest PPGTT
 * @vgpu: the vGPU, its lock held
 * @root_gpa: guest physical address of the guest's PML4
 * @addr: PPGTT address
 * @buf: buffer
 * @len: bytes, not crossing a 4 KiB page
 * @write: to the guest, else from it
 *
 * Walks the guest's own tables as they are now.
 *
 * Return: 0, or -EFAULT for an address the tables do not map to guest
 * memory.
 */
int mvgpu_ppgtt_guest_rw(struct mvgpu_vgpu *vgpu, u64 root_gpa, u64 addr,
			 void *buf, u32 len, bool write)
{
	u64 table = root_gpa & MVGPU_PPGTT_ADDR_MASK, e;
	int level;

	lockdep_assert_held(&vgpu->lock);
	if (addr >> MVGPU_PPGTT_VA_BITS ||
	    (addr & (PAGE_SIZE - 1)) + len > PAGE_SIZE || !vgpu->mem_ops)
		return -EFAULT;
	for (level = 4; level >= 1; level--) {
		unsigned int idx = (addr >> (12 + 9 * (level - 1))) &
				   (ENTRIES - 1);

		if (vgpu->mem_ops->rw(vgpu->mem_priv, table + 8 * idx, &e,
				      sizeof(e), false))
			return -EFAULT;
		if (!(e & MVGPU_PPGTT_PRESENT) ||
		    (level > 1 && (e & MVGPU_PPGTT_PS)))
			return -EFAULT;
		table = e & MVGPU_PPGTT_ADDR_MASK;
	}
	if (vgpu->mem_ops->rw(vgpu->mem_priv, table | (addr & (PAGE_SIZE - 1)),
			      buf, len, write))
		return -EFAULT;
	return 0;
}

/**
 * mvgpu_ppgtt_pinned_hpa() - the pinned page a shadow PPGTT maps
 * @vgpu: the vGPU, its lock held
 * @root_gpa: guest physical address of the guest's PML4
 * @addr: PPGTT address
 *
 * Walks only the shadow of @root_gpa (host memory, no VMM), as the
 * engine would, as it was last brought up to date.
 *
 * Return: the host address of the page at @addr when a last-level entry
 * holds it pinned, else 0 (no shadow of that root, an entry not present
 * or refused).
 */
u64 mvgpu_ppgtt_pinned_hpa(struct mvgpu_vgpu *vgpu, u64 root_gpa, u64 addr)
{
	struct mvgpu_ppgtt_mm *mm;
	struct mvgpu_spt *spt = NULL;
	unsigned int i;

	lockdep_assert_held(&vgpu->lock);
	list_for_each_entry(mm, &vgpu->ppgtt.mms, link) {
		if (mm->root_gpa == root_gpa) {
			spt = mm->root;
			break;
		}
	}
	while (spt) {
		i = (addr >> (12 + 9 * (spt->level - 1))) & (ENTRIES - 1);
		if (spt->level == 1)
			return test_bit(i, spt->pinned) ?
			       READ_ONCE(spt->shadow[i]) & MVGPU_PPGTT_ADDR_MASK : 0;
		spt = spt->child[i];
	}
	return 0;
}

/**
 * mvgpu_ppgtt_pinned_rw() - access a page the shadow PPGTT holds pinned
 * @vgpu: the vGPU, its lock held
 * @root_gpa: guest physical address of the guest's PML4
 * @addr: PPGTT address
 * @buf: buffer
 * @len: bytes, not crossing a 4 KiB page
 * @write: to the guest, else from it
 *
 * Looks @addr up in the shadow of @root_gpa (brought up to date by the
 * submission's mvgpu_ppgtt_shadow(), under the same hold of the lock)
 * and, when a last-level entry holds its page pinned, copies with a
 * kmap instead of the VMM's memory ops.  The vGPU's lock protects the
 * lookup and the copy: an entry drops its pin (mvgpu_retire_unpin(),
 * which defers the unpin itself until the engines are done) only under
 * that lock, after clearing its bit in &mvgpu_spt.pinned, so a page
 * found pinned here stays pinned until the lock is released.  A guest
 * table write KVM reports meanwhile waits for the lock: the copy then
 * uses the translation the engine is given, a page of the guest's.
 *
 * Return: true when copied; false when the shadow does not hold the page
 * pinned (the caller falls back to mvgpu_ppgtt_guest_rw()).
 */
bool mvgpu_ppgtt_pinned_rw(struct mvgpu_vgpu *vgpu, u64 root_gpa, u64 addr,
			   void *buf, u32 len, bool write)
{
	u64 hpa;

	lockdep_assert_held(&vgpu->lock);
	if (addr >> MVGPU_PPGTT_VA_BITS ||
	    (addr & (PAGE_SIZE - 1)) + len > PAGE_SIZE)
		return false;
	hpa = mvgpu_ppgtt_pinned_hpa(vgpu, root_gpa, addr);
	return hpa && mvgpu_pinned_page_rw(hpa | offset_in_page(addr), buf,
					   len, write);
}

/* Lift the protection of @spt's page; it is read again when next walked. */
static void spt_untrack(struct mvgpu_ppgtt *pp, struct mvgpu_spt *spt)
{
	if (!spt->tracked)
		return;
	pp->track->remove(pp->track_priv, spt->gfn);
	spt->tracked = false;
	spt->stale = true;
}

/*
 * @spt was written: the tables below it may be unlinked by this write or
 * by the next ones, which are not reported, and then freed.  Lift the
 * protection of each of them, visiting a shared one once (the same
 * generation trick as spt_sync()).  The depth is at most 3.
 */
static void spt_untrack_below(struct mvgpu_ppgtt *pp, struct mvgpu_spt *spt)
{
	unsigned int i;

	if (spt->level == 1 || spt->untrack_gen == pp->untrack_gen)
		return;
	spt->untrack_gen = pp->untrack_gen;
	for (i = 0; i < ENTRIES; i++) {
		if (!spt->child[i])
			continue;
		spt_untrack(pp, spt->child[i]);
		spt_untrack_below(pp, spt->child[i]);
	}
}

/**
 * mvgpu_ppgtt_guest_write() - the guest wrote to a write-protected page
 * @vgpu: the vGPU, its lock held
 * @gpa: guest physical address written
 * @bytes: bytes written
 *
 * Every shadow of the page, at any level, is stale from now on: the page
 * is no longer protected, nor are the tables below it, and the next
 * submission that walks them reads them again (see the top of this file).
 */
void mvgpu_ppgtt_guest_write(struct mvgpu_vgpu *vgpu, u64 gpa, u32 bytes)
{
	u64 gfn, last = (gpa + max(bytes, 1U) - 1) >> PAGE_SHIFT;
	unsigned int level;

	lockdep_assert_held(&vgpu->lock);
	if (!vgpu->mem_ops)
		return;
	for (gfn = gpa >> PAGE_SHIFT; gfn <= last; gfn++) {
		for (level = 1; level <= 4; level++) {
			struct mvgpu_spt *spt = spt_find(&vgpu->ppgtt, gfn,
							 level);

			if (!spt)
				continue;
			atomic64_inc(&vgpu->stats.ppgtt_writes);
			trace_mvgpu_ppgtt_write(vgpu, gfn, level);
			if (!spt->tracked)
				continue;
			spt_untrack(&vgpu->ppgtt, spt);
			vgpu->ppgtt.untrack_gen++;
			spt_untrack_below(&vgpu->ppgtt, spt);
		}
	}
}

/**
 * mvgpu_ppgtt_untrack() - writes to guest pages are no longer reported
 * @vgpu: the vGPU, its lock held
 * @gfn: first guest page
 * @nr_pages: pages
 *
 * Their tables are read at every submission from now on.
 */
void mvgpu_ppgtt_untrack(struct mvgpu_vgpu *vgpu, u64 gfn, u64 nr_pages)
{
	struct mvgpu_spt *spt;
	unsigned int bkt;

	lockdep_assert_held(&vgpu->lock);
	hash_for_each(vgpu->ppgtt.spts, bkt, spt, node)
		if (spt->gfn >= gfn && spt->gfn - gfn < nr_pages)
			spt->tracked = false;
}

/**
 * mvgpu_ppgtt_pins_range() - does a last-level entry map guest memory here
 * @vgpu: the vGPU, its lock held
 * @iova: first guest physical address
 * @len: bytes
 *
 * Return: true when a pinned page lies in the range.
 */
bool mvgpu_ppgtt_pins_range(struct mvgpu_vgpu *vgpu, u64 iova, u64 len)
{
	struct mvgpu_spt *spt;
	unsigned int bkt, i;

	lockdep_assert_held(&vgpu->lock);
	hash_for_each(vgpu->ppgtt.spts, bkt, spt, node) {
		if (spt->level != 1)
			continue;
		for_each_set_bit(i, spt->pinned, ENTRIES) {
			u64 gpa = spt->guest[i] & MVGPU_PPGTT_ADDR_MASK;

			if (gpa >= iova && gpa - iova < len)
				return true;
		}
	}
	return false;
}

/**
 * mvgpu_ppgtt_dma_unmap() - release the table pins in unmapped guest memory
 * @vgpu: the vGPU, its lock held
 * @iova: first guest physical address
 * @len: bytes
 *
 * Tables there are read through the memory ops from now on (and read
 * empty while nothing is mapped there).
 */
void mvgpu_ppgtt_dma_unmap(struct mvgpu_vgpu *vgpu, u64 iova, u64 len)
{
	struct mvgpu_spt *spt;
	unsigned int bkt;

	lockdep_assert_held(&vgpu->lock);
	hash_for_each(vgpu->ppgtt.spts, bkt, spt, node)
		if ((spt->gfn << PAGE_SHIFT) - iova < len)
			spt_unpin_table(vgpu, spt);
}

/**
 * mvgpu_ppgtt_reap() - free shadow tables no engine can be walking
 * @vgpu: the vGPU, its lock held
 *
 * Dropped tables wait in the order they were dropped, so the first one
 * still needed ends the walk.
 */
void mvgpu_ppgtt_reap(struct mvgpu_vgpu *vgpu)
{
	struct mvgpu_ppgtt *pp = &vgpu->ppgtt;
	struct mvgpu_spt *spt, *tmp;

	lockdep_assert_held(&vgpu->lock);
	list_for_each_entry_safe(spt, tmp, &pp->zombies, zombie) {
		if (!mvgpu_retire_passed(&vgpu->retire, spt->stamp))
			return;
		list_del(&spt->zombie);
		pp->nr_zombies--;
		spt_free(vgpu, spt);
	}
}

/**
 * mvgpu_ppgtt_destroy_all() - drop every shadow and pin
 * @vgpu: the vGPU, its lock held, with no work in flight
 */
void mvgpu_ppgtt_destroy_all(struct mvgpu_vgpu *vgpu)
{
	struct mvgpu_ppgtt_mm *mm, *tmp;

	lockdep_assert_held(&vgpu->lock);
	list_for_each_entry_safe(mm, tmp, &vgpu->ppgtt.mms, link)
		ppgtt_mm_destroy(vgpu, mm);
	mvgpu_ppgtt_reap(vgpu);
}
