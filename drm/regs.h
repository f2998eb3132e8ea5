/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Register access: BAR0 holds the registers, the PV info page and the
 * GGTT window (Documentation/gpu-interface.rst).
 */
#ifndef _MVGPU_DRM_REGS_H
#define _MVGPU_DRM_REGS_H

#include <linux/io.h>

#include <mvgpu/mvgpu_pci.h>
#include <mvgpu/mvgpu_regs.h>

#include "drv.h"

static inline u32 mvgpu_rd(struct mvgpu_drm *m, u32 offset)
{
	return readl(m->regs + offset);
}

static inline void mvgpu_wr(struct mvgpu_drm *m, u32 offset, u32 val)
{
	writel(val, m->regs + offset);
}

static inline u32 mvgpu_pv_rd(struct mvgpu_drm *m, u32 reg)
{
	return mvgpu_rd(m, MVGPU_PVINFO_OFFSET + reg);
}

static inline u32 mvgpu_eng_rd(struct mvgpu_engine *e, u32 reg)
{
	return mvgpu_rd(e->mdev, e->base + reg);
}

static inline void mvgpu_eng_wr(struct mvgpu_engine *e, u32 reg, u32 val)
{
	mvgpu_wr(e->mdev, e->base + reg, val);
}

#endif /* _MVGPU_DRM_REGS_H */
