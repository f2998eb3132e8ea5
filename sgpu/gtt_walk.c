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

/**
 * sgpu_ggtt_translate() - translate a GGTT address
 * @mem: physical memory and GGTT
 * @gaddr: graphics address
 * @pfn: set to the page frame behind @gaddr
 * @f: set to the fault on failure
 *
 * The entry is read once, so a concurrent change is seen whole or not.
 *
 * Return: 0, or -EFAULT with @f a GGTT_FAULT (level 0: beyond the GGTT,
 * 1: an invalid entry).
 */
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

/**
 * sgpu_ppgtt_translate() - translate a PPGTT address by a 4-level walk
 * @mem: physical memory the tables are in
 * @pml4: physical address of the PML4
 * @gaddr: graphics address, below 2^48
 * @pfn: set to the page frame behind @gaddr
 * @f: set to the fault on failure
 *
 * Return: 0, or -EFAULT with @f a PPGTT_FAULT (a non-present entry, a
 * large page, or an address above 48 bits) or a PAGE_FAULT (a table page
 * the memory ops refuse).
 */
int sgpu_ppgtt_translate(const struct sgpu_mem *mem, u64 pml4, u64 gaddr,
			 u64 *pfn, struct sgpu_fault *f)
{
	if (gaddr >> MVGPU_PPGTT_VA_BITS)
		return sgpu_fault_set(f, MVGPU_ERR_PPGTT_FAULT, 0, gaddr);
	return sgpu_ppgtt_walk(mem, pml4, 4, gaddr, pfn, NULL, f);
}

/**
 * sgpu_vm_translate() - translate an address in one of a context's spaces
 * @vm: the context's address spaces
 * @space: SGPU_GGTT or SGPU_PPGTT
 * @gaddr: graphics address
 * @pfn: set to the page frame behind @gaddr
 * @f: set to the fault on failure
 *
 * Return: 0, or -EFAULT with @f set as by sgpu_ggtt_translate() or
 * sgpu_ppgtt_translate(), or NO_PPGTT for a PPGTT address of a context
 * without one.
 */
int sgpu_vm_translate(const struct sgpu_vm *vm, enum sgpu_space space,
		      u64 gaddr, u64 *pfn, struct sgpu_fault *f)
{
	if (space == SGPU_GGTT)
		return sgpu_ggtt_translate(vm->mem, gaddr, pfn, f);
	if (!vm->ppgtt)
		return sgpu_fault_set(f, MVGPU_ERR_NO_PPGTT, 0, gaddr);
	return sgpu_ppgtt_translate(vm->mem, vm->pml4, gaddr, pfn, f);
}

/**
 * sgpu_vm_map() - map the page holding a graphics address
 * @vm: the context's address spaces
 * @space: SGPU_GGTT or SGPU_PPGTT
 * @gaddr: graphics address
 * @pfn: set to the page frame mapped, for sgpu_vm_unmap()
 * @f: set to the fault on failure
 *
 * Return: the page's base address, to release with sgpu_vm_unmap(), or
 * NULL with @f set (a translation fault, or PAGE_FAULT for a page the
 * memory ops refuse).
 */
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

/**
 * sgpu_vm_unmap() - release a mapping of sgpu_vm_map() or sgpu_vm_map_tlb()
 * @vm: the context's address spaces
 * @pfn: the page frame the map call returned
 * @vaddr: the address it returned
 */
void sgpu_vm_unmap(const struct sgpu_vm *vm, u64 pfn, void *vaddr)
{
	vm->mem->ops->unmap_page(vm->mem->priv, pfn, vaddr);
}

/**
 * sgpu_vm_map_tlb() - sgpu_vm_map() through a one-entry page table cache
 * @vm: the context's address spaces
 * @space: SGPU_GGTT or SGPU_PPGTT
 * @gaddr: graphics address
 * @pfn: set to the page frame mapped, for sgpu_vm_unmap()
 * @tlb: the cache, valid for one command (see struct sgpu_tlb)
 * @f: set to the fault on failure
 *
 * A PPGTT address in the 2 MiB range of the cached page table costs one
 * table read instead of four.
 *
 * Return: as sgpu_vm_map().
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

/**
 * sgpu_vm_read() - copy from graphics memory
 * @vm: the context's address spaces
 * @space: SGPU_GGTT or SGPU_PPGTT
 * @gaddr: first graphics address
 * @buf: destination, @len bytes
 * @len: bytes, any alignment, may cross pages
 * @f: set to the fault on failure
 *
 * Return: 0, or -EFAULT with @f set for the first page that failed (the
 * bytes before it are copied).
 */
int sgpu_vm_read(const struct sgpu_vm *vm, enum sgpu_space space, u64 gaddr,
		 void *buf, u32 len, struct sgpu_fault *f)
{
	return sgpu_vm_access(vm, space, gaddr, buf, len, false, f);
}

/**
 * sgpu_vm_write() - copy to graphics memory
 * @vm: the context's address spaces
 * @space: SGPU_GGTT or SGPU_PPGTT
 * @gaddr: first graphics address
 * @buf: source, @len bytes
 * @len: bytes, any alignment, may cross pages
 * @f: set to the fault on failure
 *
 * Return: 0, or -EFAULT with @f set for the first page that failed (the
 * bytes before it are written).
 */
int sgpu_vm_write(const struct sgpu_vm *vm, enum sgpu_space space, u64 gaddr,
		  const void *buf, u32 len, struct sgpu_fault *f)
{
	return sgpu_vm_access(vm, space, gaddr, (void *)buf, len, true, f);
}
