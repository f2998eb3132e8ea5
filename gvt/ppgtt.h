/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shadow PPGTTs of a vGPU: the guest's 4-level page tables, validated and
 * translated into host tables that point only at pinned guest pages.
 */
#ifndef _MVGPU_PPGTT_H
#define _MVGPU_PPGTT_H

#include <linux/types.h>

struct mvgpu_ppgtt;
struct mvgpu_vgpu;

int mvgpu_ppgtt_init(struct mvgpu_ppgtt *pp);
void mvgpu_ppgtt_fini(struct mvgpu_ppgtt *pp);
int mvgpu_ppgtt_shadow(struct mvgpu_vgpu *vgpu, u64 root_gpa, u64 *root_hpa);
int mvgpu_ppgtt_guest_rw(struct mvgpu_vgpu *vgpu, u64 root_gpa, u64 addr,
			 void *buf, u32 len, bool write);
u64 mvgpu_ppgtt_pinned_hpa(struct mvgpu_vgpu *vgpu, u64 root_gpa, u64 addr);
bool mvgpu_ppgtt_pinned_rw(struct mvgpu_vgpu *vgpu, u64 root_gpa, u64 addr,
			   void *buf, u32 len, bool write);
void mvgpu_ppgtt_guest_write(struct mvgpu_vgpu *vgpu, u64 gpa, u32 bytes);
void mvgpu_ppgtt_untrack(struct mvgpu_vgpu *vgpu, u64 gfn, u64 nr_pages);
bool mvgpu_ppgtt_pins_range(struct mvgpu_vgpu *vgpu, u64 iova, u64 len);
void mvgpu_ppgtt_dma_unmap(struct mvgpu_vgpu *vgpu, u64 iova, u64 len);
void mvgpu_ppgtt_reap(struct mvgpu_vgpu *vgpu);
void mvgpu_ppgtt_destroy_all(struct mvgpu_vgpu *vgpu);

#endif /* _MVGPU_PPGTT_H */
