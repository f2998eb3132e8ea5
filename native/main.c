// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu_native: the host's native client of mvgpu's physical GPUs, for
 * tests and benchmarks.  Each pGPU device (/sys/class/mvgpu/mvgpuN),
 * heard of through mvgpu.ko's class interface, gets a native session
 * (native.c) and its debugfs files (debugfs.c).  mvgpu.ko does not know
 * of this module; this module keeps mvgpu.ko loaded.
 */
#include <linux/device.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include <mvgpu/host.h>

#include "debugfs.h"

/**
 * struct mvgpu_native_dev - what the module keeps for one pGPU
 * @link: in mvgpu_native_devs
 * @dev: the pGPU device
 * @n: the native session on its pGPU
 * @debugfs: the session's files
 */
struct mvgpu_native_dev {
	struct list_head link;
	struct device *dev;
	struct mvgpu_native *n;
	struct mvgpu_debugfs *debugfs;
};

static LIST_HEAD(mvgpu_native_devs);
/* protects mvgpu_native_devs */
static DEFINE_MUTEX(mvgpu_native_devs_lock);

static int mvgpu_native_add_dev(struct device *dev)
{
	struct mvgpu_pgpu *pgpu = mvgpu_dev_pgpu(dev);
	struct mvgpu_native_dev *nd;

	if (WARN_ON(!pgpu))
		return -ENODEV;
	nd = kzalloc(sizeof(*nd), GFP_KERNEL);
	if (!nd)
		goto err;
	nd->dev = dev;
	nd->n = mvgpu_native_create(pgpu);
	if (!nd->n)
		goto err_free;
	nd->debugfs = mvgpu_debugfs_add(dev_name(dev), nd->n);
	mutex_lock(&mvgpu_native_devs_lock);
	list_add_tail(&nd->link, &mvgpu_native_devs);
	mutex_unlock(&mvgpu_native_devs_lock);
	return 0;

err_free:
	kfree(nd);
err:
	/* the driver core ignores the error: say it here */
	dev_warn(dev, "no native session: out of memory\n");
	return -ENOMEM;
}

/* The files first (no new command), then the session (engines reset). */
static void mvgpu_native_remove_dev(struct device *dev)
{
	struct mvgpu_native_dev *nd, *found = NULL;

	mutex_lock(&mvgpu_native_devs_lock);
	list_for_each_entry(nd, &mvgpu_native_devs, link) {
		if (nd->dev == dev) {
			list_del(&nd->link);
			found = nd;
			break;
		}
	}
	mutex_unlock(&mvgpu_native_devs_lock);
	if (!found)
		return;
	mvgpu_debugfs_remove(found->debugfs);
	mvgpu_native_destroy(found->n);
	kfree(found);
}

static struct class_interface mvgpu_native_interface = {
	.add_dev = mvgpu_native_add_dev,
	.remove_dev = mvgpu_native_remove_dev,
};

static int __init mvgpu_native_init(void)
{
	int ret;

	mvgpu_debugfs_init();
	ret = mvgpu_register_interface(&mvgpu_native_interface);
	if (ret)
		mvgpu_debugfs_exit();
	return ret;
}

static void __exit mvgpu_native_exit(void)
{
	mvgpu_unregister_interface(&mvgpu_native_interface);
	WARN_ON(!list_empty(&mvgpu_native_devs));
	mvgpu_debugfs_exit();
}

module_init(mvgpu_native_init);
module_exit(mvgpu_native_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mvgpu: the host's native client of the physical GPUs");
MODULE_IMPORT_NS(MVGPU);
