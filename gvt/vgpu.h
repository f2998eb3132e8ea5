/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vGPU: the device model one guest drives.
 */
#ifndef _MVGPU_VGPU_H
#define _MVGPU_VGPU_H

#include <linux/compiler.h>
#include <linux/types.h>

struct device;
struct mvgpu_pgpu;
struct mvgpu_ppgtt_track_ops;
struct mvgpu_type_desc;
struct mvgpu_vgpu;

/* Rejected workloads after which a vGPU enters failsafe mode. */
#define MVGPU_VGPU_FAILSAFE_REJECTS	16

/**
 * struct mvgpu_guest_mem_ops - how a vGPU reaches its guest's memory
 * @rw: copy @len bytes between @buf and guest physical address @gpa;
 *      returns 0 or a negative errno for memory the guest does not have
 * @pin: pin guest page @gfn and give its host physical address; returns 0
 *       or a negative errno for memory the guest does not have
 * @unpin: release one pin of @gfn
 */
struct mvgpu_guest_mem_ops {
	int (*rw)(void *priv, u64 gpa, void *buf, size_t len, bool write);
	int (*pin)(void *priv, u64 gfn, u64 *hpa);
	void (*unpin)(void *priv, u64 gfn);
};

/**
 * struct mvgpu_vgpu_irq_ops - how a vGPU raises its interrupt
 * @set_level: the interrupt output is now asserted or not; called with
 *             the vGPU's lock held, must not sleep
 */
struct mvgpu_vgpu_irq_ops {
	void (*set_level)(void *priv, bool asserted);
};

/**
 * struct mvgpu_aperture_map_ops - CPU mappings of the aperture
 * @zap: mappings of BAR2 offsets [@off, @off + @len) must be dropped (the
 *       GGTT entries behind them changed); called with the vGPU's lock
 *       held, before the pages they pointed at are unpinned
 */
struct mvgpu_aperture_map_ops {
	void (*zap)(void *priv, u64 off, u64 len);
};

int mvgpu_vgpu_init(struct mvgpu_vgpu *vgpu, struct mvgpu_pgpu *pgpu,
		    const struct mvgpu_type_desc *type, struct device *dev,
		    const struct mvgpu_vgpu_irq_ops *irq_ops, void *irq_priv);
void mvgpu_vgpu_fini(struct mvgpu_vgpu *vgpu);
void mvgpu_vgpu_reset(struct mvgpu_vgpu *vgpu);
void mvgpu_vgpu_stop_engine(struct mvgpu_vgpu *vgpu, unsigned int engine);
void mvgpu_vgpu_set_mem_ops(struct mvgpu_vgpu *vgpu,
			    const struct mvgpu_guest_mem_ops *ops, void *priv);
void mvgpu_vgpu_dma_unmap(struct mvgpu_vgpu *vgpu, u64 iova, u64 len);
__printf(2, 3)
void mvgpu_vgpu_warn(struct mvgpu_vgpu *vgpu, const char *fmt, ...);
void mvgpu_vgpu_set_map_ops(struct mvgpu_vgpu *vgpu,
			    const struct mvgpu_aperture_map_ops *ops,
			    void *priv);
void mvgpu_vgpu_set_track(struct mvgpu_vgpu *vgpu,
			  const struct mvgpu_ppgtt_track_ops *ops, void *priv);
void mvgpu_vgpu_guest_write(struct mvgpu_vgpu *vgpu, u64 gpa, u32 bytes);
void mvgpu_vgpu_guest_untracked(struct mvgpu_vgpu *vgpu, u64 gfn,
				u64 nr_pages);
int mvgpu_vgpu_ggtt_index(const struct mvgpu_vgpu *vgpu, u64 gm_addr);

#endif /* _MVGPU_VGPU_H */
