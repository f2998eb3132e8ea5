// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu: mediated pass-through vGPUs on a software physical GPU.
 */
#include <linux/module.h>

#include "parent.h"

static unsigned int num_pgpus = 1;
module_param(num_pgpus, uint, 0444);
MODULE_PARM_DESC(num_pgpus, "number of physical GPUs to create (1-8)");

static int __init mvgpu_init(void)
{
	return mvgpu_parents_create(num_pgpus);
}

static void __exit mvgpu_exit(void)
{
	mvgpu_parents_destroy();
}

module_init(mvgpu_init);
module_exit(mvgpu_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mvgpu mediated pass-through vGPU");
MODULE_IMPORT_NS(DMA_BUF);
MODULE_SOFTDEP("pre: vfio_iommu_type1 mdev");
