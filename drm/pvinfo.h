/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PV info page: is this a vGPU, and which graphics memory may it use.
 */
#ifndef _MVGPU_DRM_PVINFO_H
#define _MVGPU_DRM_PVINFO_H

#include <linux/types.h>

struct mvgpu_drm;

/**
 * struct mvgpu_pvinfo - what the device says about itself, read at probe
 * @vgpu: the PV info magic is there: a vGPU, which may use only the two
 *        graphics memory ranges below (ballooning)
 * @vgpu_id: its ID (0 on a whole GPU)
 * @version: PV info version, major << 16 | minor (0 on a whole GPU)
 * @has_failsafe: the vGPU reports failsafe mode (PV info 1.1 and later)
 * @caps: MVGPU_PVINFO_CAP_* (0 on a whole GPU)
 * @mappable_base: GGTT address of the mappable range (CPU-visible)
 * @mappable_size: its size, bytes
 * @hidden_base: GGTT address of the hidden range
 * @hidden_size: its size, bytes
 * @max_width: widest display mode, pixels
 * @max_height: tallest display mode, pixels
 *
 * Constant after probe.
 */
struct mvgpu_pvinfo {
	bool vgpu;
	u32 vgpu_id;
	u32 version;
	bool has_failsafe;
	u32 caps;
	u64 mappable_base;
	u64 mappable_size;
	u64 hidden_base;
	u64 hidden_size;
	u32 max_width;
	u32 max_height;
};

int mvgpu_pvinfo_read(struct mvgpu_drm *m);
bool mvgpu_pvinfo_failsafe(struct mvgpu_drm *m);

#endif /* _MVGPU_DRM_PVINFO_H */
