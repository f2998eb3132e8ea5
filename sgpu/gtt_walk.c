// SPDX-License-Identifier: GPL-2.0-only
/*
 * Software GPU: GGTT and Gen8 4-level PPGTT walks.
 *
 * Every failure is reported as a struct sgpu_fault, never a crash: an
 * invalid entry, an address out of range or a page the memory ops refuse
 * to map.  See Documentation/gpu-interface.rst, "Graphics memory".
 */
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/compiler.h>
#include <linux/minmax.h>
#include <linux/unaligned.h>

#include <mvgpu/mvgpu_pci.h>
#include <mvgpu/mvgpu_regs.h>

#include "gtt_walk.h"

static int sgpu_fault_set(struct sgpu_fault *f, u32 code, u32 level, u64 addr)
{
	f->code = code;
	f->level = level;
	f->addr = addr;
	return -EFAULT;
}

int sgpu_ggtt_translate(const struct sgpu_mem *mem, u64 gaddr, u64 *pfn,
			struct sgpu_fault *f)
{
	u64 idx = gaddr >> SGPU_PAGE_SHIFT;
	u64 pte;

	if (idx >= mem->ggtt_entries)
		return sgpu_fault_set(f, MVGPU_ERR_GGTT_FAULT, 0, gaddr);
	pte = READ_ONCE(mem->ggtt[idx]);
	if (!(pte & MVGPU_PTE_VALID))
		return sgpu_fault_set(f, MVGPU_ERR_GGTT_FAULT, 1, gaddr);
	*pfn = (pte & MVGPU_PTE_ADDR_MASK) >> SGPU_PAGE_SHIFT;
	return 0;
}

/* Read entry @idx of the table at physical address @table. */
static int sgpu_ppgtt_entry(const struct sgpu_mem *mem, u64 table, u32 idx,
			    u32 level, u64 gaddr, u64 *entry,
			    struct sgpu_fault *f)
{
	u64 pfn = (table & MVGPU_PPGTT_ADDR_MASK) >> SGPU_PAGE_SHIFT;
	u8 *va;
	u64 e;

	va = mem->ops->map_page(mem->priv, pfn);
	if (!va)
		return sgpu_fault_set(f, MVGPU_ERR_PAGE_FAULT, level, gaddr);
	e = get_unaligned_le64(va + idx * 8);
	mem->ops->unmap_page(mem->priv, pfn, va);

	if (!(e & MVGPU_PPGTT_PRESENT))
		return sgpu_fault_set(f, MVGPU_ERR_PPGTT_FAULT, level, gaddr);
	/* PS: 1 GiB pages in a PDPE, 2 MiB pages in a PDE; not supported. */
	if ((level == 3 || level == 2) && (e & MVGPU_PPGTT_PS))
		return sgpu_fault_set(f, MVGPU_ERR_PPGTT_FAULT, level, gaddr);
	*entry = e;
	return 0;
}

static int sgpu_ppgtt_walk(const struct sgpu_mem *mem, u64 table, u32 level,
			   u64 gaddr, u64 *pfn, u64 *pt, struct sgpu_fault *f)
{
	int ret;

	for (; level >= 1; level--) {
		u32 shift = SGPU_PAGE_SHIFT + 9 * (level - 1);
		u32 idx = (gaddr >> shift) & (MVGPU_PPGTT_ENTRIES - 1);
		u64 e;

		if (level == 1 && pt)
			*pt = table;
		ret = sgpu_ppgtt_entry(mem, table, idx, level, gaddr, &e, f);
		if (ret)
			return ret;
		table = e & MVGPU_PPGTT_ADDR_MASK;
	}
	*pfn = table >> SGPU_PAGE_SHIFT;
	return 0;
}

int sgpu_ppgtt_translate(const struct sgpu_mem *mem, u64 pml4, u64 gaddr,
			 u64 *pfn, struct sgpu_fault *f)
{
	if (gaddr >> MVGPU_PPGTT_VA_BITS)
		return sgpu_fault_set(f, MVGPU_ERR_PPGTT_FAULT, 0, gaddr);
	return sgpu_ppgtt_walk(mem, pml4, 4, gaddr, pfn, NULL, f);
}

int sgpu_vm_translate(const struct sgpu_vm *vm, enum sgpu_space space,
		      u64 gaddr, u64 *pfn, struct sgpu_fault *f)
{
	if (space == SGPU_GGTT)
		return sgpu_ggtt_translate(vm->mem, gaddr, pfn, f);
	if (!vm->ppgtt)
		return sgpu_fault_set(f, MVGPU_ERR_NO_PPGTT, 0, gaddr);
	return sgpu_ppgtt_translate(vm->mem, vm->pml4, gaddr, pfn, f);
}

/* Map the page holding @gaddr; returns the page's base address or NULL. */
void *sgpu_vm_map(const struct sgpu_vm *vm, enum sgpu_space space, u64 gaddr,
		  u64 *pfn, struct sgpu_fault *f)
{
	void *va;

	if (sgpu_vm_translate(vm, space, gaddr, pfn, f))
		return NULL;
	va = vm->mem->ops->map_page(vm->mem->priv, *pfn);
	if (!va)
		sgpu_fault_set(f, MVGPU_ERR_PAGE_FAULT, 0, gaddr);
	return va;
}

void sgpu_vm_unmap(const struct sgpu_vm *vm, u64 pfn, void *vaddr)
{
	vm->mem->ops->unmap_page(vm->mem->priv, pfn, vaddr);
}

/*
 * sgpu_vm_map() through @tlb: a PPGTT address in the 2 MiB range of the
 * cached page table costs one table read instead of four.
 */
void *sgpu_vm_map_tlb(const struct sgpu_vm *vm, enum sgpu_space space,
		      u64 gaddr, u64 *pfn, struct sgpu_tlb *tlb,
		      struct sgpu_fault *f)
{
	u64 tag = (gaddr >> 21) + 1;
	void *va;
	int ret;

	if (space == SGPU_GGTT || !vm->ppgtt ||
	    gaddr >> MVGPU_PPGTT_VA_BITS)
		return sgpu_vm_map(vm, space, gaddr, pfn, f);
	if (tlb->tag == tag) {
		ret = sgpu_ppgtt_walk(vm->mem, tlb->pt, 1, gaddr, pfn, NULL, f);
	} else {
		tlb->tag = 0;
		ret = sgpu_ppgtt_walk(vm->mem, vm->pml4, 4, gaddr, pfn,
				      &tlb->pt, f);
		if (!ret)
			tlb->tag = tag;
	}
	if (ret)
		return NULL;
	va = vm->mem->ops->map_page(vm->mem->priv, *pfn);
	if (!va)
		sgpu_fault_set(f, MVGPU_ERR_PAGE_FAULT, 0, gaddr);
	return va;
}

static int sgpu_vm_access(const struct sgpu_vm *vm, enum sgpu_space space,
			  u64 gaddr, void *buf, u32 len, bool write,
			  struct sgpu_fault *f)
{
	u8 *p = buf;

	while (len) {
		u32 off = SGPU_PAGE_OFFSET(gaddr);
		u32 n = min_t(u32, len, SGPU_PAGE_SIZE - off);
		u8 *va;
		u64 pfn;

		va = sgpu_vm_map(vm, space, gaddr, &pfn, f);
		if (!va)
			return -EFAULT;
		if (write)
			memcpy(va + off, p, n);
		else
			memcpy(p, va + off, n);
		sgpu_vm_unmap(vm, pfn, va);
		gaddr += n;
		p += n;
		len -= n;
	}
	return 0;
}

int sgpu_vm_read(const struct sgpu_vm *vm, enum sgpu_space space, u64 gaddr,
		 void *buf, u32 len, struct sgpu_fault *f)
{
	return sgpu_vm_access(vm, space, gaddr, buf, len, false, f);
}

int sgpu_vm_write(const struct sgpu_vm *vm, enum sgpu_space space, u64 gaddr,
		  const void *buf, u32 len, struct sgpu_fault *f)
{
	return sgpu_vm_access(vm, space, gaddr, (void *)buf, len, true, f);
}
