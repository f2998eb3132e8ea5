// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGPU types a pGPU offers: a data table, nothing else.
 */
#include <mvgpu/vgpu_type.h>

#define MIB(x)	((u64)(x) << 20)

const struct mvgpu_type_desc mvgpu_type_descs[MVGPU_NR_TYPES] = {
	{
		.sysfs_name = "V1_8", .pretty_name = "mvgpu_V1_8",
		.aperture_size = MIB(64), .hidden_size = MIB(256),
		.weight = 2, .max_width = 1024, .max_height = 768,
		.subsys_device = 0x0108,
	},
	{
		.sysfs_name = "V1_4", .pretty_name = "mvgpu_V1_4",
		.aperture_size = MIB(128), .hidden_size = MIB(512),
		.weight = 4, .max_width = 1920, .max_height = 1200,
		.subsys_device = 0x0104,
	},
	{
		.sysfs_name = "V1_2", .pretty_name = "mvgpu_V1_2",
		.aperture_size = MIB(256), .hidden_size = MIB(1024),
		.weight = 8, .max_width = 2560, .max_height = 1600,
		.subsys_device = 0x0102,
	},
	{
		.sysfs_name = "V1_1", .pretty_name = "mvgpu_V1_1",
		.aperture_size = MIB(512), .hidden_size = MIB(2048),
		.weight = 16, .max_width = 3840, .max_height = 2160,
		.subsys_device = 0x0101,
	},
};
