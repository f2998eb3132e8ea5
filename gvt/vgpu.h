/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vGPU: the device model one guest drives.  Its functions for the rest
 * of gvt/ and for the tests; what mdev/ may call is <mvgpu/vgpu.h>.
 */
#ifndef _MVGPU_VGPU_H
#define _MVGPU_VGPU_H

#include <linux/types.h>

#include <mvgpu/vgpu.h>

struct device;
struct mvgpu_pgpu;
struct mvgpu_type_desc;
struct mvgpu_vgpu;

/* Rejected workloads after which a vGPU enters failsafe mode. */
#define MVGPU_VGPU_FAILSAFE_REJECTS	16

int mvgpu_vgpu_init(struct mvgpu_vgpu *vgpu, struct mvgpu_pgpu *pgpu,
		    const struct mvgpu_type_desc *type, struct device *dev,
		    const struct mvgpu_vgpu_irq_ops *irq_ops, void *irq_priv);
void mvgpu_vgpu_fini(struct mvgpu_vgpu *vgpu);
bool mvgpu_vgpu_pin_room(struct mvgpu_vgpu *vgpu);
int mvgpu_vgpu_pin(struct mvgpu_vgpu *vgpu, u64 gfn, u64 *hpa);
int mvgpu_vgpu_pin_spare(struct mvgpu_vgpu *vgpu, u64 gfn, u64 *hpa);
void mvgpu_vgpu_unpin(struct mvgpu_vgpu *vgpu, u64 gfn);
void mvgpu_vgpu_stop_engine(struct mvgpu_vgpu *vgpu, unsigned int engine);
int mvgpu_vgpu_pinned_rw(struct mvgpu_vgpu *vgpu, bool ppgtt, u64 root_gpa,
			 u64 addr, void *buf, u32 len, bool write);
int mvgpu_vgpu_ggtt_index(const struct mvgpu_vgpu *vgpu, u64 gm_addr);

#endif /* _MVGPU_VGPU_H */
