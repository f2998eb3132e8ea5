/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mmap of a vGPU's BAR2, so the guest's CPU reaches graphics memory
 * without a trap.
 */
#ifndef _MVGPU_APERTURE_MMAP_H
#define _MVGPU_APERTURE_MMAP_H

#include <linux/mutex.h>

struct address_space;
struct mvgpu_vgpu;
struct vm_area_struct;

/**
 * struct mvgpu_ap_map - the user mappings of one vGPU's BAR2
 * @vgpu: the vGPU
 * @pos: file offset of BAR2 on the device fd
 * @lock: protects @mapping and @vmas; taken after the vGPU's lock
 * @mapping: the device file's address space the mappings belong to
 * @vmas: mappings alive; @mapping is kept while there are any
 */
struct mvgpu_ap_map {
	struct mvgpu_vgpu *vgpu;
	u64 pos;
	struct mutex lock; /* see @lock above */
	struct address_space *mapping;
	unsigned int vmas;
};

void mvgpu_ap_map_init(struct mvgpu_ap_map *m, struct mvgpu_vgpu *vgpu,
		       u64 pos);
void mvgpu_ap_map_fini(struct mvgpu_ap_map *m);
int mvgpu_ap_map_mmap(struct mvgpu_ap_map *m, struct vm_area_struct *vma,
		      u64 off);

#endif /* _MVGPU_APERTURE_MMAP_H */
