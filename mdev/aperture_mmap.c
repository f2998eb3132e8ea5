// SPDX-License-Identifier: GPL-2.0-only
/*
 * User mappings of BAR2.
 *
 * A mapping is filled page by page on fault with the page the aperture
 * shows there (gvt/aperture.c): the pinned guest page behind the GGTT
 * entry, or the vGPU's scratch page.  When a GGTT entry changes, its
 * page is zapped from every mapping before the old page's pin is
 * released, so a mapping never outlives the pin it shows.  All mappings
 * of a vGPU must come from one device file (QEMU maps BAR2 once), so one
 * address space holds them all.
 */
#include <linux/cleanup.h>
#include <linux/mm.h>
#include <linux/mutex.h>

#include <mvgpu/mvgpu_pci.h>
#include <mvgpu/vgpu.h>

#include "aperture_mmap.h"

/**
 * struct ap_fault - one fault being served
 * @vmf: the fault
 * @ret: what inserting the page gave
 */
struct ap_fault {
	struct vm_fault *vmf;
	vm_fault_t ret;
};

/* Called by gvt/ with the page to show, under its aperture lock. */
static void ap_insert(void *priv, unsigned long pfn)
{
	struct ap_fault *f = priv;

	f->ret = vmf_insert_pfn(f->vmf->vma, f->vmf->address, pfn);
}

static vm_fault_t ap_fault(struct vm_fault *vmf)
{
	struct mvgpu_ap_map *m = vmf->vma->vm_private_data;
	u64 off = ((u64)vmf->pgoff << PAGE_SHIFT) - m->pos;
	struct ap_fault f = { .vmf = vmf };

	if (off >= MVGPU_BAR2_SIZE)
		return VM_FAULT_SIGBUS;
	mvgpu_aperture_fault(m->vgpu, off, ap_insert, &f);
	return f.ret;
}

static void ap_open(struct vm_area_struct *vma)
{
	struct mvgpu_ap_map *m = vma->vm_private_data;

	mutex_lock(&m->lock);
	m->vmas++;
	mutex_unlock(&m->lock);
}

static void ap_close(struct vm_area_struct *vma)
{
	struct mvgpu_ap_map *m = vma->vm_private_data;

	mutex_lock(&m->lock);
	if (!--m->vmas)
		m->mapping = NULL;
	mutex_unlock(&m->lock);
}

static const struct vm_operations_struct ap_vm_ops = {
	.fault = ap_fault,
	.open = ap_open,
	.close = ap_close,
};

static void ap_zap(void *priv, u64 off, u64 len)
{
	struct mvgpu_ap_map *m = priv;

	mutex_lock(&m->lock);
	if (m->mapping)
		unmap_mapping_range(m->mapping, m->pos + off, len, 1);
	mutex_unlock(&m->lock);
}

static const struct mvgpu_aperture_map_ops ap_map_ops = {
	.zap = ap_zap,
};

/**
 * mvgpu_ap_map_init() - no mapping yet
 * @m: the mappings
 * @vgpu: their vGPU
 * @pos: file offset of BAR2
 */
void mvgpu_ap_map_init(struct mvgpu_ap_map *m, struct mvgpu_vgpu *vgpu,
		       u64 pos)
{
	m->vgpu = vgpu;
	m->pos = pos;
	mutex_init(&m->lock);
	m->mapping = NULL;
	m->vmas = 0;
	mvgpu_vgpu_set_map_ops(vgpu, &ap_map_ops, m);
}

/**
 * mvgpu_ap_map_fini() - forget the mappings
 * @m: the mappings, none left
 */
void mvgpu_ap_map_fini(struct mvgpu_ap_map *m)
{
	mvgpu_vgpu_set_map_ops(m->vgpu, NULL, NULL);
	mutex_destroy(&m->lock);
}

/**
 * mvgpu_ap_map_mmap() - map part of BAR2
 * @m: the mappings
 * @vma: the new mapping; vm_pgoff is its file offset
 * @off: its offset in BAR2
 *
 * Return: 0, -EINVAL for a range outside BAR2 or a private mapping, or
 * -EBUSY when another file of the device has BAR2 mapped.
 */
int mvgpu_ap_map_mmap(struct mvgpu_ap_map *m, struct vm_area_struct *vma,
		      u64 off)
{
	u64 len = vma->vm_end - vma->vm_start;

	if (!(vma->vm_flags & VM_SHARED) || off >= MVGPU_BAR2_SIZE ||
	    len > MVGPU_BAR2_SIZE - off)
		return -EINVAL;
	guard(mutex)(&m->lock);
	if (m->mapping && m->mapping != vma->vm_file->f_mapping)
		return -EBUSY;
	m->mapping = vma->vm_file->f_mapping;
	m->vmas++;
	vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_private_data = m;
	vma->vm_ops = &ap_vm_ops;
	return 0;
}
