// SPDX-License-Identifier: GPL-2.0-only
/*
 * BAR2 of a vGPU: the aperture.
 *
 * An aperture offset is a graphics memory address; the GPU resolves it
 * through the GGTT.  For a vGPU the GGTT entry holds a guest physical
 * address, so an access lands in guest memory through the guest memory
 * ops, and can never reach memory the guest was not given.  Like a real
 * GPU pointing unused entries at a scratch page, accesses outside the
 * vGPU's slice or through invalid entries read zeroes and drop writes.
 */
#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/string.h>

#include <mvgpu/mvgpu_pci.h>

#include "aperture.h"
#include "ggtt.h"
#include "vgpu.h"
#include "vgpu_types.h"

static bool aperture_access_ok(u64 off, unsigned int len)
{
	if (len != 1 && len != 2 && len != 4 && len != 8)
		return false;
	return !(off & (len - 1)) && off < MVGPU_BAR2_SIZE &&
	       len <= MVGPU_BAR2_SIZE - off;
}

static int aperture_resolve(struct mvgpu_vgpu *vgpu, u64 off, u64 *gpa)
{
	const struct mvgpu_gm_range *ap = &vgpu->res.aperture;
	u64 pte;
	int index;

	if (off < ap->base || off - ap->base >= ap->size)
		return -EFAULT;
	index = mvgpu_vgpu_ggtt_index(vgpu, off);
	if (index < 0)
		return index;
	pte = mvgpu_ggtt_get(vgpu, index);
	if (!(pte & MVGPU_PTE_VALID))
		return -ENOENT;
	*gpa = (pte & MVGPU_PTE_ADDR_MASK) | (off & (MVGPU_GTT_PAGE_SIZE - 1));
	return 0;
}

static int aperture_guest_rw(struct mvgpu_vgpu *vgpu, u64 gpa, void *buf,
			     unsigned int len, bool write)
{
	lockdep_assert_held(&vgpu->lock);
	if (!vgpu->mem_ops)
		return -ENODEV;
	return vgpu->mem_ops->rw(vgpu->mem_priv, gpa, buf, len, write);
}

/**
 * mvgpu_aperture_pfn() - the page a CPU mapping of BAR2 shows at @off
 * @vgpu: the vGPU, its @ap_lock held (keep it until the page is mapped,
 *        so that a GGTT change cannot come in between)
 * @off: page-aligned BAR2 offset
 *
 * Return: the host page frame of the pinned guest page behind the GGTT
 * entry, or of the vGPU's scratch page where there is none (outside its
 * slice, invalid or unshadowed entry): never anything the guest does
 * not own.
 */
unsigned long mvgpu_aperture_pfn(struct mvgpu_vgpu *vgpu, u64 off)
{
	const struct mvgpu_gm_range *ap = &vgpu->res.aperture;
	int index;

	lockdep_assert_held(&vgpu->ap_lock);
	if (off >= ap->base && off - ap->base < ap->size) {
		index = mvgpu_vgpu_ggtt_index(vgpu, off);
		u64 hpa = index < 0 ? 0 : mvgpu_ggtt_hpa(vgpu, index);

		if (hpa)
			return hpa >> PAGE_SHIFT;
	}
	atomic64_inc(&vgpu->stats.bad_aperture);
	return page_to_pfn(vgpu->scratch);
}

/**
 * mvgpu_aperture_fault() - a CPU mapping of BAR2 faults on a page
 * @vgpu: the vGPU
 * @off: page-aligned BAR2 offset of the page
 * @insert: maps page frame @pfn where the fault was; called once, with
 *          the vGPU's aperture lock held, so that no GGTT change comes in
 *          between (a change zaps the mappings first, see
 *          &mvgpu_aperture_map_ops)
 * @priv: argument of @insert
 *
 * The page is the one mvgpu_aperture_pfn() gives: the pinned guest page
 * behind the GGTT entry, or the vGPU's scratch page.  Not the vGPU's
 * lock: this runs under the mmap lock, which pinning takes under the
 * vGPU's lock; the aperture lock comes after both.
 */
void mvgpu_aperture_fault(struct mvgpu_vgpu *vgpu, u64 off,
			  void (*insert)(void *priv, unsigned long pfn),
			  void *priv)
{
	mutex_lock(&vgpu->ap_lock);
	insert(priv, mvgpu_aperture_pfn(vgpu, off));
	mutex_unlock(&vgpu->ap_lock);
}

/**
 * mvgpu_aperture_rw() - CPU access to graphics memory through BAR2
 * @vgpu: the vGPU
 * @off: offset in BAR2, equal to the graphics memory address
 * @buf: data, @len bytes
 * @len: 1, 2, 4 or 8, naturally aligned
 * @write: direction
 *
 * Return: 0, or -EINVAL for a bad size, alignment or offset.
 */
int mvgpu_aperture_rw(struct mvgpu_vgpu *vgpu, u64 off, void *buf,
		      unsigned int len, bool write)
{
	u64 gpa;
	int ret;

	if (!aperture_access_ok(off, len))
		return -EINVAL;
	mutex_lock(&vgpu->lock);
	ret = aperture_resolve(vgpu, off, &gpa);
	if (!ret)
		ret = aperture_guest_rw(vgpu, gpa, buf, len, write);
	if (ret) {
		atomic64_inc(&vgpu->stats.bad_aperture);
		mvgpu_vgpu_warn(vgpu, "aperture %s at 0x%llx dropped (%d)\n",
				write ? "write" : "read", off, ret);
		if (!write)
			memset(buf, 0, len);
	}
	mutex_unlock(&vgpu->lock);
	return 0;
}
