// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shadowing of a vGPU's GGTT entries into the physical GGTT.
 *
 * The guest writes entries for its own slices of graphics memory only
 * (mmio.c drops the rest); each holds a guest physical address.  Here the
 * entry is validated and translated: the guest page is pinned through the
 * guest memory ops (vfio_pin_pages(), which only knows memory the user
 * mapped for this device) and its host address written to the same slot
 * of the physical GGTT.  An entry that cannot be translated becomes
 * invalid in the physical GGTT, so the GPU faults instead of reaching
 * memory the guest does not own.  Reads return what the guest wrote.
 *
 * Every shadowed entry holds one pin, released when the entry changes,
 * the user unmaps the memory, the device is reset or closed.  CPU
 * mappings of the aperture (mvgpu_aperture_pfn()) map the pinned page
 * and are zapped before the pin goes.  An engine may have translated
 * the old entry just before it changed: the pin is released only once
 * the work in flight has left the engines (retire.c).  A vGPU holds at
 * most %MVGPU_RETIRE_MAX_GGTT_UNPINS such pins; beyond that, a changed
 * entry is not shadowed until its work drains.
 */
#include <linux/bug.h>
#include <linux/highmem.h>
#include <linux/lockdep.h>
#include <linux/slab.h>

#include <mvgpu/mvgpu_pci.h>

#include "ggtt.h"
#include "retire.h"
#include "trace.h"
#include "vgpu.h"
#include "vgpu_types.h"

#define NOT_SHADOWED	0

/**
 * struct mvgpu_ggtt_chunk - consecutive GGTT entries that are in use
 * @used: entries of @pte that are not zero; the chunk is freed when none
 *        is (an entry with a host address is valid, so not zero)
 * @pte: what the guest wrote
 * @hpa: host address each entry is shadowed to, %NOT_SHADOWED if none
 *
 * The GGTT bookkeeping of a vGPU is a directory of chunks allocated when
 * the guest first writes a non-zero entry in their range: host memory
 * follows what the guest uses, not the size of its graphics memory.  A
 * chunk with its count fills one 4 KiB slab object.
 */
struct mvgpu_ggtt_chunk {
	unsigned int used;
	u64 pte[MVGPU_GGTT_CHUNK_ENTRIES];
	u64 hpa[MVGPU_GGTT_CHUNK_ENTRIES];
};

static u32 ggtt_phys_index(const struct mvgpu_vgpu *vgpu, unsigned int index)
{
	u64 ap_entries = vgpu->res.aperture.size >> MVGPU_GTT_PAGE_SHIFT;
	u64 gm;

	if (index < ap_entries)
		gm = vgpu->res.aperture.base + ((u64)index << MVGPU_GTT_PAGE_SHIFT);
	else
		gm = vgpu->res.hidden.base +
		     ((u64)(index - ap_entries) << MVGPU_GTT_PAGE_SHIFT);
	return gm >> MVGPU_GTT_PAGE_SHIFT;
}

static void ggtt_phys_write(struct mvgpu_vgpu *vgpu, unsigned int index, u64 pte)
{
	struct mvgpu_backend *be = vgpu->pgpu->backend;

	be->ops->ggtt_write(be, ggtt_phys_index(vgpu, index), pte);
}

static unsigned int ggtt_nr_chunks(const struct mvgpu_vgpu *vgpu)
{
	return DIV_ROUND_UP(vgpu->ggtt_entries, MVGPU_GGTT_CHUNK_ENTRIES);
}

static struct mvgpu_ggtt_chunk *ggtt_chunk(const struct mvgpu_vgpu *vgpu,
					   unsigned int index)
{
	return vgpu->ggtt_chunks[index / MVGPU_GGTT_CHUNK_ENTRIES];
}

/**
 * mvgpu_ggtt_init() - a vGPU's shadow bookkeeping, every entry zero
 * @vgpu: vGPU whose @ggtt_entries is set
 *
 * Only the directory is allocated here, charged to the caller's memory
 * cgroup; chunks come with the guest's writes (mvgpu_ggtt_set()).
 *
 * Return: 0 or -ENOMEM.
 */
int mvgpu_ggtt_init(struct mvgpu_vgpu *vgpu)
{
	BUILD_BUG_ON(sizeof(struct mvgpu_ggtt_chunk) > 4096);
	vgpu->ggtt_chunks = kvcalloc(ggtt_nr_chunks(vgpu),
				     sizeof(*vgpu->ggtt_chunks),
				     GFP_KERNEL_ACCOUNT);
	return vgpu->ggtt_chunks ? 0 : -ENOMEM;
}

/* Both locks held: aperture faults read the directory under ap_lock. */
static void ggtt_chunk_free(struct mvgpu_vgpu *vgpu, unsigned int nr)
{
	struct mvgpu_ggtt_chunk *c = vgpu->ggtt_chunks[nr];

	mutex_lock(&vgpu->ap_lock);
	vgpu->ggtt_chunks[nr] = NULL;
	mutex_unlock(&vgpu->ap_lock);
	kfree(c);
}

static struct mvgpu_ggtt_chunk *ggtt_chunk_alloc(struct mvgpu_vgpu *vgpu,
						 unsigned int index)
{
	struct mvgpu_ggtt_chunk *c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);

	if (!c)
		return NULL;
	mutex_lock(&vgpu->ap_lock);
	vgpu->ggtt_chunks[index / MVGPU_GGTT_CHUNK_ENTRIES] = c;
	mutex_unlock(&vgpu->ap_lock);
	return c;
}

/**
 * mvgpu_ggtt_fini() - free the bookkeeping
 * @vgpu: vGPU with nothing shadowed any more
 */
void mvgpu_ggtt_fini(struct mvgpu_vgpu *vgpu)
{
	unsigned int nr;

	for (nr = 0; nr < ggtt_nr_chunks(vgpu); nr++)
		kfree(vgpu->ggtt_chunks[nr]);
	kvfree(vgpu->ggtt_chunks);
}

/**
 * mvgpu_ggtt_get() - the entry the guest wrote
 * @vgpu: the vGPU, its lock held
 * @index: entry index in the vGPU's GGTT (see mvgpu_vgpu_ggtt_index())
 *
 * Return: the entry, 0 for one never written.
 */
u64 mvgpu_ggtt_get(const struct mvgpu_vgpu *vgpu, unsigned int index)
{
	const struct mvgpu_ggtt_chunk *c = ggtt_chunk(vgpu, index);

	return c ? c->pte[index % MVGPU_GGTT_CHUNK_ENTRIES] : 0;
}

/**
 * mvgpu_ggtt_next() - the next entry the guest wrote that is not zero
 * @vgpu: the vGPU, its lock held
 * @index: where to start looking
 * @pte: set to the entry, when one is found
 *
 * For walking the guest's GGTT without visiting the chunks never
 * written (a migration saves only what the guest wrote).
 *
 * Return: its index, or @vgpu->ggtt_entries when there is none.
 */
unsigned int mvgpu_ggtt_next(const struct mvgpu_vgpu *vgpu, unsigned int index,
			     u64 *pte)
{
	while (index < vgpu->ggtt_entries) {
		const struct mvgpu_ggtt_chunk *c = ggtt_chunk(vgpu, index);
		unsigned int i = index % MVGPU_GGTT_CHUNK_ENTRIES;

		if (!c) {
			index += MVGPU_GGTT_CHUNK_ENTRIES - i;
			continue;
		}
		for (; i < MVGPU_GGTT_CHUNK_ENTRIES; i++, index++) {
			if (index >= vgpu->ggtt_entries)
				return vgpu->ggtt_entries;
			if (c->pte[i]) {
				*pte = c->pte[i];
				return index;
			}
		}
	}
	return vgpu->ggtt_entries;
}

/**
 * mvgpu_ggtt_count() - entries the guest wrote that are not zero
 * @vgpu: the vGPU, its lock held
 *
 * Return: how many.
 */
unsigned int mvgpu_ggtt_count(const struct mvgpu_vgpu *vgpu)
{
	unsigned int nr, n = 0;

	for (nr = 0; nr < ggtt_nr_chunks(vgpu); nr++)
		if (vgpu->ggtt_chunks[nr])
			n += vgpu->ggtt_chunks[nr]->used;
	return n;
}

/**
 * mvgpu_ggtt_hpa() - the host address an entry is shadowed to
 * @vgpu: the vGPU, its lock or its @ap_lock held
 * @index: entry index in the vGPU's GGTT
 *
 * Return: the address, 0 when the entry is not in effect.
 */
u64 mvgpu_ggtt_hpa(const struct mvgpu_vgpu *vgpu, unsigned int index)
{
	const struct mvgpu_ggtt_chunk *c = ggtt_chunk(vgpu, index);

	return c ? c->hpa[index % MVGPU_GGTT_CHUNK_ENTRIES] : NOT_SHADOWED;
}

/* CPU mappings of the aperture page of @index, if any, must go. */
static void ggtt_zap(struct mvgpu_vgpu *vgpu, unsigned int index)
{
	u64 ap_entries = vgpu->res.aperture.size >> MVGPU_GTT_PAGE_SHIFT;

	lockdep_assert_held(&vgpu->lock);
	if (index < ap_entries && vgpu->map_ops)
		vgpu->map_ops->zap(vgpu->map_priv, vgpu->res.aperture.base +
				   ((u64)index << MVGPU_GTT_PAGE_SHIFT),
				   MVGPU_GTT_PAGE_SIZE);
}

/*
 * Aperture faults read the host addresses under ap_lock alone and map
 * what they read before dropping it: a page mapped before the change is
 * zapped after it, one mapped after it is the new one.
 */
static void ggtt_set_hpa(struct mvgpu_vgpu *vgpu, struct mvgpu_ggtt_chunk *c,
			 unsigned int index, u64 hpa)
{
	mutex_lock(&vgpu->ap_lock);
	c->hpa[index % MVGPU_GGTT_CHUNK_ENTRIES] = hpa;
	mutex_unlock(&vgpu->ap_lock);
}

static void ggtt_unshadow(struct mvgpu_vgpu *vgpu, struct mvgpu_ggtt_chunk *c,
			  unsigned int index)
{
	unsigned int i = index % MVGPU_GGTT_CHUNK_ENTRIES;
	u64 gpa = c->pte[i] & MVGPU_PTE_ADDR_MASK;

	if (c->hpa[i] == NOT_SHADOWED)
		return;
	ggtt_set_hpa(vgpu, c, index, NOT_SHADOWED);
	ggtt_zap(vgpu, index);
	ggtt_phys_write(vgpu, index, 0);
	mvgpu_retire_unpin(vgpu, gpa >> MVGPU_GTT_PAGE_SHIFT, MVGPU_PIN_GGTT);
}

static void ggtt_shadow(struct mvgpu_vgpu *vgpu, struct mvgpu_ggtt_chunk *c,
			unsigned int index)
{
	u64 pte = c->pte[index % MVGPU_GGTT_CHUNK_ENTRIES], hpa;
	int ret;

	lockdep_assert_held(&vgpu->lock);
	if (!(pte & MVGPU_PTE_VALID) || !vgpu->mem_ops)
		return;
	if (vgpu->retire.nr_unpins[MVGPU_PIN_GGTT] >=
	    MVGPU_RETIRE_MAX_GGTT_UNPINS) {
		atomic64_inc(&vgpu->stats.bad_ggtt);
		mvgpu_vgpu_warn(vgpu, "GGTT entry %u: too many changed entries wait for the engines\n",
				index);
		return;
	}
	ret = mvgpu_vgpu_pin(vgpu, (pte & MVGPU_PTE_ADDR_MASK) >>
				   MVGPU_GTT_PAGE_SHIFT, &hpa);
	if (ret) {
		atomic64_inc(&vgpu->stats.bad_ggtt);
		mvgpu_vgpu_warn(vgpu, "GGTT entry %u: guest page 0x%llx not usable (%d)\n",
				index, pte & MVGPU_PTE_ADDR_MASK, ret);
		return;
	}
	ggtt_set_hpa(vgpu, c, index, hpa);
	ggtt_phys_write(vgpu, index, hpa | MVGPU_PTE_VALID);
	ggtt_zap(vgpu, index);	/* it may show the scratch page */
}

/**
 * mvgpu_ggtt_set() - the guest wrote a GGTT entry of its own memory
 * @vgpu: the vGPU, its lock held
 * @index: entry index in the vGPU's GGTT (see mvgpu_vgpu_ggtt_index())
 * @pte: the new entry
 *
 * When no memory can be had for the entry's chunk, the write is dropped
 * (the entry reads back zero) and counted in @bad_ggtt.
 */
void mvgpu_ggtt_set(struct mvgpu_vgpu *vgpu, unsigned int index, u64 pte)
{
	unsigned int i = index % MVGPU_GGTT_CHUNK_ENTRIES;
	struct mvgpu_ggtt_chunk *c = ggtt_chunk(vgpu, index);

	lockdep_assert_held(&vgpu->lock);
	if (!c && !pte)
		return;
	if (!c) {
		c = ggtt_chunk_alloc(vgpu, index);
		if (!c) {
			atomic64_inc(&vgpu->stats.bad_ggtt);
			mvgpu_vgpu_warn(vgpu, "GGTT entry %u: no memory, write dropped\n",
					index);
			return;
		}
	}
	if (c->pte[i] == pte && c->hpa[i] != NOT_SHADOWED)
		return;
	trace_mvgpu_ggtt_update(vgpu, (u64)ggtt_phys_index(vgpu, index) <<
				MVGPU_GTT_PAGE_SHIFT, c->pte[i], pte);
	ggtt_unshadow(vgpu, c, index);
	c->used += !!pte;
	c->used -= !!c->pte[i];
	c->pte[i] = pte;
	ggtt_shadow(vgpu, c, index);
	if (!c->used)
		ggtt_chunk_free(vgpu, index / MVGPU_GGTT_CHUNK_ENTRIES);
}

static bool ggtt_points_in(struct mvgpu_ggtt_chunk *c, unsigned int i, u64 iova,
			   u64 len)
{
	u64 gpa = c->pte[i] & MVGPU_PTE_ADDR_MASK;

	return gpa >= iova && gpa - iova < len;
}

/* Unshadows the entries in effect that point into [@iova, @iova + @len). */
static void ggtt_unshadow_range(struct mvgpu_vgpu *vgpu, u64 iova, u64 len)
{
	unsigned int nr, i;

	for (nr = 0; nr < ggtt_nr_chunks(vgpu); nr++) {
		struct mvgpu_ggtt_chunk *c = vgpu->ggtt_chunks[nr];

		for (i = 0; c && i < MVGPU_GGTT_CHUNK_ENTRIES; i++)
			if (c->hpa[i] != NOT_SHADOWED &&
			    ggtt_points_in(c, i, iova, len))
				ggtt_unshadow(vgpu, c,
					      nr * MVGPU_GGTT_CHUNK_ENTRIES + i);
	}
}

/**
 * mvgpu_ggtt_unshadow_all() - drop every pin and physical entry
 * @vgpu: the vGPU, its lock held
 *
 * The guest's entries are kept (they read back as written) but none is in
 * effect until written again.
 */
void mvgpu_ggtt_unshadow_all(struct mvgpu_vgpu *vgpu)
{
	lockdep_assert_held(&vgpu->lock);
	ggtt_unshadow_range(vgpu, 0, U64_MAX);
}

/**
 * mvgpu_ggtt_clear() - every entry zero, as after a device reset
 * @vgpu: the vGPU, its lock held
 *
 * Every chunk is freed: a reset vGPU holds no GGTT bookkeeping but its
 * directory.
 */
void mvgpu_ggtt_clear(struct mvgpu_vgpu *vgpu)
{
	unsigned int nr;

	lockdep_assert_held(&vgpu->lock);
	mvgpu_ggtt_unshadow_all(vgpu);
	for (nr = 0; nr < ggtt_nr_chunks(vgpu); nr++)
		if (vgpu->ggtt_chunks[nr])
			ggtt_chunk_free(vgpu, nr);
}

/**
 * mvgpu_ggtt_shadows_range() - is guest memory in use by the physical GGTT
 * @vgpu: the vGPU, its lock held
 * @iova: first guest physical address
 * @len: bytes
 *
 * Return: true when an entry in effect points into the range.
 */
bool mvgpu_ggtt_shadows_range(struct mvgpu_vgpu *vgpu, u64 iova, u64 len)
{
	unsigned int nr, i;

	lockdep_assert_held(&vgpu->lock);
	for (nr = 0; nr < ggtt_nr_chunks(vgpu); nr++) {
		struct mvgpu_ggtt_chunk *c = vgpu->ggtt_chunks[nr];

		for (i = 0; c && i < MVGPU_GGTT_CHUNK_ENTRIES; i++)
			if (c->hpa[i] != NOT_SHADOWED &&
			    ggtt_points_in(c, i, iova, len))
				return true;
	}
	return false;
}

/**
 * mvgpu_ggtt_dma_unmap() - the user unmapped guest memory
 * @vgpu: the vGPU, its lock held
 * @iova: first guest physical address unmapped
 * @len: bytes
 *
 * Entries pointing into the range stop being in effect and release their
 * pins.  VFIO requires them gone before the unmap completes: the caller
 * has stopped any work that could use them, so none waits (retire.c).
 */
void mvgpu_ggtt_dma_unmap(struct mvgpu_vgpu *vgpu, u64 iova, u64 len)
{
	lockdep_assert_held(&vgpu->lock);
	ggtt_unshadow_range(vgpu, iova, len);
}

/**
 * mvgpu_pinned_page_rw() - copy to or from a guest page the vGPU holds pinned
 * @hpa: host address of the first byte
 * @buf: buffer
 * @n: bytes, within @hpa's page
 * @write: to the page, else from it
 *
 * A kmap, where the guest memory ops would walk the VMM's page tables.
 * The caller keeps the pin for the time of the call (the vGPU's lock,
 * under which pins are dropped: ggtt.c and ppgtt.c).
 *
 * Return: false for a page that cannot be mapped.
 */
bool mvgpu_pinned_page_rw(u64 hpa, void *buf, size_t n, bool write)
{
	unsigned long pfn = hpa >> PAGE_SHIFT;
	u8 *va;

	if (!pfn_valid(pfn))
		return false;
	va = kmap_local_pfn(pfn);
	if (write)
		memcpy(va + offset_in_page(hpa), buf, n);
	else
		memcpy(buf, va + offset_in_page(hpa), n);
	kunmap_local(va);
	return true;
}

/**
 * mvgpu_pinned_page_same() - compare a guest page the vGPU holds pinned
 * @hpa: host address of the first byte
 * @buf: what it is compared with
 * @n: bytes, within @hpa's page
 *
 * In place, through a kmap, as mvgpu_pinned_page_rw() reads.
 *
 * Return: true when the page can be mapped and holds @buf's bytes.
 */
bool mvgpu_pinned_page_same(u64 hpa, const void *buf, size_t n)
{
	unsigned long pfn = hpa >> PAGE_SHIFT;
	u8 *va;
	bool same;

	if (!pfn_valid(pfn))
		return false;
	va = kmap_local_pfn(pfn);
	same = !memcmp(va + offset_in_page(hpa), buf, n);
	kunmap_local(va);
	return same;
}

/* One page's part of mvgpu_ggtt_guest_rw(). */
static int ggtt_guest_rw_page(struct mvgpu_vgpu *vgpu, int index, u64 a,
			      void *buf, size_t n, bool write)
{
	u64 off = a & (MVGPU_GTT_PAGE_SIZE - 1), pte, hpa;

	if (index < 0)
		return -EFAULT;
	pte = mvgpu_ggtt_get(vgpu, index);
	if (!(pte & MVGPU_PTE_VALID))
		return -EFAULT;
	hpa = mvgpu_ggtt_hpa(vgpu, index);
	if (hpa && mvgpu_pinned_page_rw(hpa | off, buf, n, write))
		return 0;
	if (vgpu->mem_ops->rw(vgpu->mem_priv, (pte & MVGPU_PTE_ADDR_MASK) | off,
			      buf, n, write))
		return -EFAULT;
	return 0;
}

/**
 * mvgpu_ggtt_guest_rw() - access guest memory through the guest's GGTT
 * @vgpu: the vGPU, its lock held
 * @gm_addr: graphics address in the vGPU's own graphics memory
 * @buf: buffer of @len bytes
 * @len: bytes, any alignment, may cross pages
 * @write: copy @buf to the guest, else from it
 *
 * Goes through the guest's entries (not the physical GGTT), so it sees
 * what the guest programmed at this moment.  A page its entry holds
 * pinned is reached with a kmap (the pin cannot go while the vGPU's lock
 * is held); any other through the guest memory ops.
 *
 * Return: 0, or -EFAULT for an address outside the vGPU's memory, an
 * invalid entry, memory the guest does not have or no guest memory.
 */
int mvgpu_ggtt_guest_rw(struct mvgpu_vgpu *vgpu, u64 gm_addr, void *buf,
			size_t len, bool write)
{
	size_t done = 0;
	int ret;

	lockdep_assert_held(&vgpu->lock);
	if (!vgpu->mem_ops)
		return -EFAULT;
	while (done < len) {
		u64 a = gm_addr + done;
		size_t n = min_t(size_t, len - done,
				 MVGPU_GTT_PAGE_SIZE - (a & (MVGPU_GTT_PAGE_SIZE - 1)));

		ret = ggtt_guest_rw_page(vgpu, mvgpu_vgpu_ggtt_index(vgpu, a), a,
					 (u8 *)buf + done, n, write);
		if (ret)
			return ret;
		done += n;
	}
	return 0;
}

/**
 * mvgpu_ggtt_pinned() - is guest memory reached without the VMM's help
 * @vgpu: the vGPU, its lock held
 * @gm_addr: graphics address in the vGPU's own graphics memory
 * @len: bytes, at least 1
 *
 * Return: true when every page of the range is behind a GGTT entry in
 * effect, which holds it pinned: mvgpu_ggtt_guest_rw() then neither
 * sleeps on the VMM's memory nor fails.
 */
bool mvgpu_ggtt_pinned(struct mvgpu_vgpu *vgpu, u64 gm_addr, size_t len)
{
	u64 a = gm_addr & ~(u64)(MVGPU_GTT_PAGE_SIZE - 1);
	int index;

	lockdep_assert_held(&vgpu->lock);
	if (!vgpu->mem_ops)
		return false;
	for (; a < gm_addr + len; a += MVGPU_GTT_PAGE_SIZE) {
		index = mvgpu_vgpu_ggtt_index(vgpu, a);
		if (index < 0 || !mvgpu_ggtt_hpa(vgpu, index) ||
		    !pfn_valid(mvgpu_ggtt_hpa(vgpu, index) >> PAGE_SHIFT))
			return false;
	}
	return true;
}
