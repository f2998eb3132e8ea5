// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGPU types a pGPU offers: a data table, nothing else.
 *
 * V1_n takes 1/n of everything a pGPU lends: its aperture and hidden
 * memory (gvt/pgpu.h: 512 MiB and 2 GiB), its shadow window, and as
 * weight n/64 of an engine when all are busy.  Display modes stop at
 * 1024x768 below V1_8: one 32-bit frame of it is 3 MiB, and the 8 MiB
 * aperture of a V1_64 must hold a frame and still leave room for a
 * cursor and some work.
 */
#include <mvgpu/vgpu_type.h>

#define MIB(x)	((u64)(x) << 20)

const struct mvgpu_type_desc mvgpu_type_descs[MVGPU_NR_TYPES] = {
	{
		.sysfs_name = "V1_64", .pretty_name = "mvgpu_V1_64",
		.aperture_size = MIB(8), .hidden_size = MIB(32),
		.weight = 1, .max_width = 1024, .max_height = 768,
		.subsys_device = 0x0140,
	},
	{
		.sysfs_name = "V1_32", .pretty_name = "mvgpu_V1_32",
		.aperture_size = MIB(16), .hidden_size = MIB(64),
		.weight = 2, .max_width = 1024, .max_height = 768,
		.subsys_device = 0x0120,
	},
	{
		.sysfs_name = "V1_16", .pretty_name = "mvgpu_V1_16",
		.aperture_size = MIB(32), .hidden_size = MIB(128),
		.weight = 4, .max_width = 1024, .max_height = 768,
		.subsys_device = 0x0110,
	},
	{
		.sysfs_name = "V1_8", .pretty_name = "mvgpu_V1_8",
		.aperture_size = MIB(64), .hidden_size = MIB(256),
		.weight = 8, .max_width = 1024, .max_height = 768,
		.subsys_device = 0x0108,
	},
	{
		.sysfs_name = "V1_4", .pretty_name = "mvgpu_V1_4",
		.aperture_size = MIB(128), .hidden_size = MIB(512),
		.weight = 16, .max_width = 1920, .max_height = 1200,
		.subsys_device = 0x0104,
	},
	{
		.sysfs_name = "V1_2", .pretty_name = "mvgpu_V1_2",
		.aperture_size = MIB(256), .hidden_size = MIB(1024),
		.weight = 32, .max_width = 2560, .max_height = 1600,
		.subsys_device = 0x0102,
	},
	{
		.sysfs_name = "V1_1", .pretty_name = "mvgpu_V1_1",
		.aperture_size = MIB(512), .hidden_size = MIB(2048),
		.weight = 64, .max_width = 3840, .max_height = 2160,
		.subsys_device = 0x0101,
	},
};
