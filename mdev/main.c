// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu: mediated pass-through vGPUs on a software physical GPU.
 */
#include <linux/module.h>

#include <mvgpu/params.h>
#include <mvgpu/vgpu.h>

#include "parent.h"
#include "pci.h"

static int __init mvgpu_init(void)
{
	int ret;

	mvgpu_stages_init();
	ret = mvgpu_parents_create(mvgpu_num_pgpus);
	if (ret)
		goto err_stages;
	ret = mvgpu_pci_register();
	if (ret)
		goto err_parents;
	return 0;

err_parents:
	mvgpu_parents_destroy();
err_stages:
	mvgpu_stages_exit();
	return ret;
}

static void __exit mvgpu_exit(void)
{
	mvgpu_pci_unregister();
	mvgpu_parents_destroy();
	mvgpu_stages_exit();
}

module_init(mvgpu_init);
module_exit(mvgpu_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mvgpu mediated pass-through vGPU");
MODULE_IMPORT_NS(DMA_BUF);
MODULE_SOFTDEP("pre: vfio_iommu_type1 mdev");
