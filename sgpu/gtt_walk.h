/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Software GPU: GGTT and 4-level PPGTT translation and access to graphics
 * memory.  Pure logic: physical memory is reached only through
 * struct sgpu_mem_ops, so this builds in the kernel and in userspace.
 */
#ifndef _SGPU_GTT_WALK_H
#define _SGPU_GTT_WALK_H

#include <linux/types.h>

#define SGPU_PAGE_SHIFT		12
#define SGPU_PAGE_SIZE		4096U
#define SGPU_PAGE_OFFSET(a)	((u32)(a) & (SGPU_PAGE_SIZE - 1))

/**
 * struct sgpu_mem_ops - access to physical memory, one 4 KiB page at a time
 * @map_page: map page frame @pfn; return its address or NULL if the page
 *	may not be accessed (not memory, not this instance's).  At most three
 *	pages are mapped at once and they are unmapped in reverse order
 *	(kmap_local_page() rules).
 * @unmap_page: release a mapping returned by @map_page.
 */
struct sgpu_mem_ops {
	void *(*map_page)(void *priv, u64 pfn);
	void (*unmap_page)(void *priv, u64 pfn, void *vaddr);
};

/**
 * struct sgpu_mem - physical memory and the GGTT of one GPU
 * @ops: page mapping operations
 * @priv: their argument
 * @ggtt: the GGTT, @ggtt_entries Gen8 PTEs (may change under us: read once)
 * @ggtt_entries: number of entries; addresses beyond are GGTT faults
 */
struct sgpu_mem {
	const struct sgpu_mem_ops *ops;
	void *priv;
	const u64 *ggtt;
	u32 ggtt_entries;
};

/**
 * struct sgpu_fault - why a translation or access failed
 * @code: enum mvgpu_err (GGTT_FAULT, PPGTT_FAULT, PAGE_FAULT, NO_PPGTT,
 *	ADDR_ALIGN)
 * @level: PPGTT: level of the bad entry (4..1) or 0 for an address above
 *	48 bits; PAGE_FAULT: level of the table page (4..1) or 0 for the
 *	data page; GGTT: 1 for an invalid PTE, 0 for an address beyond it
 * @addr: the graphics address being translated
 */
struct sgpu_fault {
	u32 code;
	u32 level;
	u64 addr;
};

/**
 * enum sgpu_space - the address space a command's address is in
 * @SGPU_GGTT: the global GTT
 * @SGPU_PPGTT: the context's per-process GTT
 */
enum sgpu_space {
	SGPU_GGTT = 0,
	SGPU_PPGTT = 1,
};

/**
 * struct sgpu_vm - the address spaces one context sees
 * @mem: physical memory and GGTT
 * @pml4: physical address of the PPGTT's PML4
 * @ppgtt: the context has a PPGTT (else PPGTT accesses fault: NO_PPGTT)
 */
struct sgpu_vm {
	const struct sgpu_mem *mem;
	u64 pml4;
	bool ppgtt;
};

/**
 * struct sgpu_tlb - one cached PPGTT page table, for walks of one command
 * @tag: (address >> 21) + 1 of the 2 MiB range the table maps; 0 if empty
 * @pt: physical address of that page table
 *
 * Only the PT level is cached, and only for the duration of one command,
 * so a PTE change is seen at once and a PDE change at the next command.
 */
struct sgpu_tlb {
	u64 tag;
	u64 pt;
};

int sgpu_ggtt_translate(const struct sgpu_mem *mem, u64 gaddr, u64 *pfn,
			struct sgpu_fault *f);
int sgpu_ppgtt_translate(const struct sgpu_mem *mem, u64 pml4, u64 gaddr,
			 u64 *pfn, struct sgpu_fault *f);
int sgpu_vm_translate(const struct sgpu_vm *vm, enum sgpu_space space,
		      u64 gaddr, u64 *pfn, struct sgpu_fault *f);
void *sgpu_vm_map(const struct sgpu_vm *vm, enum sgpu_space space, u64 gaddr,
		  u64 *pfn, struct sgpu_fault *f);
void *sgpu_vm_map_tlb(const struct sgpu_vm *vm, enum sgpu_space space,
		      u64 gaddr, u64 *pfn, struct sgpu_tlb *tlb,
		      struct sgpu_fault *f);
void sgpu_vm_unmap(const struct sgpu_vm *vm, u64 pfn, void *vaddr);
int sgpu_vm_read(const struct sgpu_vm *vm, enum sgpu_space space, u64 gaddr,
		 void *buf, u32 len, struct sgpu_fault *f);
int sgpu_vm_write(const struct sgpu_vm *vm, enum sgpu_space space, u64 gaddr,
		  const void *buf, u32 len, struct sgpu_fault *f);

#endif /* _SGPU_GTT_WALK_H */
