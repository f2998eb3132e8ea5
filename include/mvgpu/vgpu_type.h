/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The vGPU types a pGPU offers: a table (gvt/vgpu_type.c) that mdev/
 * registers as its mdev types.
 */
#ifndef _MVGPU_VGPU_TYPE_H
#define _MVGPU_VGPU_TYPE_H

#include <linux/types.h>

/**
 * struct mvgpu_type_desc - resources of one vGPU type
 * @sysfs_name: suffix of the mdev_supported_types directory
 * @pretty_name: what the type's "name" attribute says
 * @aperture_size: CPU-mappable graphics memory, bytes
 * @hidden_size: graphics memory outside the aperture, bytes
 * @weight: scheduling weight relative to other vGPUs
 * @max_width: widest display mode offered to the guest
 * @max_height: tallest display mode offered to the guest
 * @subsys_device: PCI subsystem device ID, so a guest can tell its type
 *
 * Like GVT-g's GVTg_V5_n, the number in the name is how many vGPUs of that
 * type fit on one pGPU.
 */
struct mvgpu_type_desc {
	const char *sysfs_name;
	const char *pretty_name;
	u64 aperture_size;
	u64 hidden_size;
	u32 weight;
	u32 max_width;
	u32 max_height;
	u16 subsys_device;
};

#define MVGPU_NR_TYPES	7

extern const struct mvgpu_type_desc mvgpu_type_descs[MVGPU_NR_TYPES];

#endif /* _MVGPU_VGPU_TYPE_H */
