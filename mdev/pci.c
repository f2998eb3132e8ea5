// SPDX-License-Identifier: GPL-2.0-only
/*
 * A pGPU behind a PCI function: the "mvgpu" PCI driver has no ID table
 * and binds only the functions the administrator gives it, through
 * driver_override (or new_id):
 *
 *   echo mvgpu > /sys/bus/pci/devices/0000:00:10.0/driver_override
 *   echo 0000:00:10.0 > /sys/bus/pci/drivers_probe
 *
 * Each bound function becomes the mdev parent of a software GPU, as a
 * hardware backend's device will be: management stacks (libvirt's
 * node devices, mdevctl, OpenStack, KubeVirt) name mdev parents by PCI
 * address.  The software GPU never touches the function itself.
 */
#include <linux/pci.h>

#include "parent.h"
#include "pci.h"

static int mvgpu_pci_probe(struct pci_dev *pdev,
			   const struct pci_device_id *id)
{
	struct mvgpu_parent *p;

	p = mvgpu_parent_add(&pdev->dev);
	if (IS_ERR(p)) {
		dev_err(&pdev->dev, "cannot add a pGPU: %pe\n", p);
		return PTR_ERR(p);
	}
	pci_set_drvdata(pdev, p);
	dev_info(&pdev->dev, "pGPU added\n");
	return 0;
}

static void mvgpu_pci_remove(struct pci_dev *pdev)
{
	mvgpu_parent_remove(pci_get_drvdata(pdev));
	pci_set_drvdata(pdev, NULL);
}

static struct pci_driver mvgpu_pci_driver = {
	.name = "mvgpu",
	.probe = mvgpu_pci_probe,
	.remove = mvgpu_pci_remove,
};

/**
 * mvgpu_pci_register() - offer to drive PCI functions as pGPU parents
 *
 * After mvgpu_parents_create(): functions whose driver_override already
 * names mvgpu (from an earlier load) are bound now.
 *
 * Return: 0 or a negative errno.
 */
int mvgpu_pci_register(void)
{
	return pci_register_driver(&mvgpu_pci_driver);
}

/**
 * mvgpu_pci_unregister() - unbind every function, removing their pGPUs
 */
void mvgpu_pci_unregister(void)
{
	pci_unregister_driver(&mvgpu_pci_driver);
}
