// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu: mediated pass-through vGPUs on a software physical GPU.
 */
#include <linux/module.h>

#include <mvgpu/params.h>

#include "parent.h"
#include "pci.h"

static int __init mvgpu_init(void)
{
	int ret;

	ret = mvgpu_parents_create(mvgpu_num_pgpus);
	if (ret)
		return ret;
	ret = mvgpu_pci_register();
	if (ret)
		mvgpu_parents_destroy();
	return ret;
}

static void __exit mvgpu_exit(void)
{
	mvgpu_pci_unregister();
	mvgpu_parents_destroy();
}

module_init(mvgpu_init);
module_exit(mvgpu_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mvgpu mediated pass-through vGPU");
MODULE_IMPORT_NS(DMA_BUF);
MODULE_SOFTDEP("pre: vfio_iommu_type1 mdev");
