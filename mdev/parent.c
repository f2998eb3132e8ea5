// SPDX-License-Identifier: GPL-2.0-only
/*
 * Physical GPUs as mdev parents: one device per pGPU under
 * /sys/class/mvgpu, registered with the mdev core with its vGPU types.
 */
#include <linux/device.h>
#include <linux/slab.h>

#include <mvgpu/sgpu.h>

#include "../gvt/native.h"
#include "../gvt/sched.h"
#include "debugfs.h"
#include "parent.h"
#include "vfio.h"

#define MVGPU_MAX_PGPUS	8

struct mvgpu_type {
	struct mdev_type type;
	const struct mvgpu_type_desc *desc;
};

/**
 * struct mvgpu_parent - a pGPU device and its mdev registration
 * @dev: the pGPU device, /sys/class/mvgpu/mvgpuN
 * @mdev_parent: registration with the mdev core
 * @types: vGPU types offered
 * @type_ptrs: @types as the mdev core wants them
 * @pgpu: resources lent to vGPUs, and the physical GPU (a software GPU)
 * @native: the host's own session on the physical GPU
 * @debugfs: its debugfs files
 *
 * Created in the order: device (initialized), backend, pGPU, device
 * added, mdev parent, native session, debugfs; destroyed in reverse.
 */
struct mvgpu_parent {
	struct device dev;
	struct mdev_parent mdev_parent;
	struct mvgpu_type types[MVGPU_NR_TYPES];
	struct mdev_type *type_ptrs[MVGPU_NR_TYPES];
	struct mvgpu_pgpu pgpu;
	struct mvgpu_native *native;
	struct mvgpu_debugfs *debugfs;
};

static struct mvgpu_parent *parents[MVGPU_MAX_PGPUS];
static unsigned int nr_parents;

static struct mvgpu_parent *mtype_parent(struct mdev_type *mtype)
{
	return container_of(mtype->parent, struct mvgpu_parent, mdev_parent);
}

/**
 * mvgpu_parent_pgpu() - the pGPU an mdev was created on
 * @mdev: the mdev
 *
 * Return: the pGPU, valid while the mdev exists.
 */
struct mvgpu_pgpu *mvgpu_parent_pgpu(struct mdev_device *mdev)
{
	return &mtype_parent(mdev->type)->pgpu;
}

/**
 * mvgpu_parent_type_desc() - resources of an mdev type
 * @mtype: one of our mdev types
 *
 * Return: its descriptor.
 */
const struct mvgpu_type_desc *mvgpu_parent_type_desc(struct mdev_type *mtype)
{
	return container_of(mtype, struct mvgpu_type, type)->desc;
}

static int mvgpu_mdev_probe(struct mdev_device *mdev)
{
	struct mvgpu_vfio *mv;
	int ret;

	mv = vfio_alloc_device(mvgpu_vfio, vdev, &mdev->dev, &mvgpu_vfio_ops);
	if (IS_ERR(mv))
		return PTR_ERR(mv);
	ret = vfio_register_emulated_iommu_dev(&mv->vdev);
	if (ret)
		goto err_put;
	dev_set_drvdata(&mdev->dev, mv);
	return 0;

err_put:
	vfio_put_device(&mv->vdev);
	return ret;
}

static void mvgpu_mdev_remove(struct mdev_device *mdev)
{
	struct mvgpu_vfio *mv = dev_get_drvdata(&mdev->dev);

	vfio_unregister_group_dev(&mv->vdev);
	vfio_put_device(&mv->vdev);
}

static unsigned int mvgpu_mdev_get_available(struct mdev_type *mtype)
{
	return mvgpu_pgpu_available(&mtype_parent(mtype)->pgpu,
				    mvgpu_parent_type_desc(mtype));
}

static ssize_t mvgpu_mdev_show_description(struct mdev_type *mtype,
					   char *buf)
{
	const struct mvgpu_type_desc *t = mvgpu_parent_type_desc(mtype);

	return sysfs_emit(buf,
			  "aperture_mb: %llu\nhidden_mb: %llu\nweight: %u\nresolution: %ux%u\n",
			  t->aperture_size >> 20, t->hidden_size >> 20,
			  t->weight, t->max_width, t->max_height);
}

static struct mvgpu_vgpu *dev_vgpu(struct device *dev)
{
	struct mvgpu_vfio *mv = dev_get_drvdata(dev);

	return &mv->vgpu;
}

#define VGPU_ATTR(_name, _fmt, _expr)					\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct mvgpu_vgpu *vgpu = dev_vgpu(dev);			\
									\
	return sysfs_emit(buf, _fmt "\n", _expr);			\
}									\
static DEVICE_ATTR_RO(_name)

VGPU_ATTR(vgpu_id, "%u", vgpu->res.id);
VGPU_ATTR(type_name, "%s", vgpu->type->pretty_name);
VGPU_ATTR(aperture_base, "0x%llx", vgpu->res.aperture.base);
VGPU_ATTR(aperture_size, "0x%llx", vgpu->res.aperture.size);
VGPU_ATTR(hidden_base, "0x%llx", vgpu->res.hidden.base);
VGPU_ATTR(hidden_size, "0x%llx", vgpu->res.hidden.size);
VGPU_ATTR(weight, "%u", vgpu->type->weight);
VGPU_ATTR(bad_mmio, "%lld", atomic64_read(&vgpu->stats.bad_mmio));
VGPU_ATTR(bad_ggtt, "%lld", atomic64_read(&vgpu->stats.bad_ggtt));
VGPU_ATTR(bad_aperture, "%lld", atomic64_read(&vgpu->stats.bad_aperture));
VGPU_ATTR(pinned_pages, "%lld", atomic64_read(&vgpu->stats.pinned_pages));
VGPU_ATTR(submissions, "%lld", atomic64_read(&vgpu->stats.submissions));
VGPU_ATTR(completed, "%lld", atomic64_read(&vgpu->stats.completed));
VGPU_ATTR(rejected, "%lld", atomic64_read(&vgpu->stats.rejected));
VGPU_ATTR(errors, "%lld", atomic64_read(&vgpu->stats.errors));
VGPU_ATTR(hangs, "%lld", atomic64_read(&vgpu->stats.hangs));
VGPU_ATTR(cmds_scanned, "%lld", atomic64_read(&vgpu->stats.cmds_scanned));
VGPU_ATTR(shadow_bytes, "%lld", atomic64_read(&vgpu->shadow.used));
VGPU_ATTR(bad_ppgtt, "%lld", atomic64_read(&vgpu->stats.bad_ppgtt));
VGPU_ATTR(shadow_pages, "%lld", atomic64_read(&vgpu->stats.shadow_pages));
VGPU_ATTR(ppgtt_writes, "%lld", atomic64_read(&vgpu->stats.ppgtt_writes));
VGPU_ATTR(failsafe, "%d", READ_ONCE(vgpu->failsafe));
VGPU_ATTR(busy_ns_rcs, "%llu",
	  mvgpu_sched_runtime(&vgpu->pgpu->sched,
			      &vgpu->queue[MVGPU_ENGINE_RCS]));
VGPU_ATTR(busy_ns_bcs, "%llu",
	  mvgpu_sched_runtime(&vgpu->pgpu->sched,
			      &vgpu->queue[MVGPU_ENGINE_BCS]));

static struct attribute *vgpu_attrs[] = {
	&dev_attr_vgpu_id.attr,
	&dev_attr_type_name.attr,
	&dev_attr_aperture_base.attr,
	&dev_attr_aperture_size.attr,
	&dev_attr_hidden_base.attr,
	&dev_attr_hidden_size.attr,
	&dev_attr_weight.attr,
	&dev_attr_bad_mmio.attr,
	&dev_attr_bad_ggtt.attr,
	&dev_attr_bad_aperture.attr,
	&dev_attr_pinned_pages.attr,
	&dev_attr_submissions.attr,
	&dev_attr_completed.attr,
	&dev_attr_rejected.attr,
	&dev_attr_errors.attr,
	&dev_attr_hangs.attr,
	&dev_attr_cmds_scanned.attr,
	&dev_attr_shadow_bytes.attr,
	&dev_attr_bad_ppgtt.attr,
	&dev_attr_shadow_pages.attr,
	&dev_attr_ppgtt_writes.attr,
	&dev_attr_failsafe.attr,
	&dev_attr_busy_ns_rcs.attr,
	&dev_attr_busy_ns_bcs.attr,
	NULL,
};

static const struct attribute_group vgpu_group = {
	.name = "mvgpu",
	.attrs = vgpu_attrs,
};

static const struct attribute_group *vgpu_groups[] = {
	&vgpu_group,
	NULL,
};

static struct mdev_driver mvgpu_mdev_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = "mvgpu",
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = vgpu_groups,
	},
	.probe = mvgpu_mdev_probe,
	.remove = mvgpu_mdev_remove,
	.get_available = mvgpu_mdev_get_available,
	.show_description = mvgpu_mdev_show_description,
};

static struct mvgpu_pgpu *dev_pgpu(struct device *dev)
{
	return &container_of(dev, struct mvgpu_parent, dev)->pgpu;
}

static ssize_t vgpus_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct mvgpu_pgpu *pgpu = dev_pgpu(dev);
	unsigned int n;

	mutex_lock(&pgpu->lock);
	n = pgpu->nr_vgpus;
	mutex_unlock(&pgpu->lock);
	return sysfs_emit(buf, "%u\n", n);
}
static DEVICE_ATTR_RO(vgpus);

static ssize_t free_show(struct device *dev, struct mvgpu_gm_pool *pool,
			 char *buf)
{
	struct mvgpu_pgpu *pgpu = dev_pgpu(dev);
	u64 n;

	mutex_lock(&pgpu->lock);
	n = mvgpu_gm_pool_free_bytes(pool);
	mutex_unlock(&pgpu->lock);
	return sysfs_emit(buf, "0x%llx\n", n);
}

static ssize_t aperture_free_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return free_show(dev, &dev_pgpu(dev)->aperture, buf);
}
static DEVICE_ATTR_RO(aperture_free);

static ssize_t hidden_free_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return free_show(dev, &dev_pgpu(dev)->hidden, buf);
}
static DEVICE_ATTR_RO(hidden_free);

static struct attribute *pgpu_attrs[] = {
	&dev_attr_vgpus.attr,
	&dev_attr_aperture_free.attr,
	&dev_attr_hidden_free.attr,
	NULL,
};
ATTRIBUTE_GROUPS(pgpu);

static const struct class mvgpu_class = {
	.name = "mvgpu",
	.dev_groups = pgpu_groups,
};

static void mvgpu_parent_release(struct device *dev)
{
	kfree(container_of(dev, struct mvgpu_parent, dev));
}

static void init_types(struct mvgpu_parent *p)
{
	unsigned int i;

	for (i = 0; i < MVGPU_NR_TYPES; i++) {
		p->types[i].desc = &mvgpu_type_descs[i];
		p->types[i].type.sysfs_name = mvgpu_type_descs[i].sysfs_name;
		p->types[i].type.pretty_name = mvgpu_type_descs[i].pretty_name;
		p->type_ptrs[i] = &p->types[i].type;
	}
}

/* Register a pGPU that has its backend, with the mdev core. */
static int parent_register(struct mvgpu_parent *p)
{
	int ret;

	ret = device_add(&p->dev);
	if (ret)
		return ret;
	ret = mdev_register_parent(&p->mdev_parent, &p->dev,
				   &mvgpu_mdev_driver, p->type_ptrs,
				   MVGPU_NR_TYPES);
	if (ret)
		goto err_del;
	p->native = mvgpu_native_create(&p->pgpu);
	if (!p->native) {
		ret = -ENOMEM;
		goto err_mdev;
	}
	p->debugfs = mvgpu_debugfs_add(dev_name(&p->dev), p->native);
	return 0;

err_mdev:
	mdev_unregister_parent(&p->mdev_parent);
err_del:
	device_del(&p->dev);
	return ret;
}

static struct mvgpu_parent *parent_create(unsigned int id)
{
	struct mvgpu_backend *be;
	struct mvgpu_parent *p;
	int ret;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	init_types(p);
	device_initialize(&p->dev);
	p->dev.class = &mvgpu_class;
	p->dev.release = mvgpu_parent_release;
	ret = dev_set_name(&p->dev, "mvgpu%u", id);
	if (ret)
		goto err_put;
	be = mvgpu_sgpu_create(&p->dev, id);
	if (IS_ERR(be)) {
		ret = PTR_ERR(be);
		goto err_put;
	}
	ret = mvgpu_pgpu_init(&p->pgpu, id, be);
	if (ret)
		goto err_backend;
	ret = parent_register(p);
	if (ret)
		goto err_pgpu;
	return p;

err_pgpu:
	mvgpu_pgpu_fini(&p->pgpu);
err_backend:
	be->ops->destroy(be);
err_put:
	put_device(&p->dev);
	return ERR_PTR(ret);
}

/*
 * debugfs first (no new native commands), then the native session (its
 * engines reset, its pages freed), the vGPUs, the device's sysfs, and
 * last the backend, whose engines no one uses any more.
 */
static void parent_destroy(struct mvgpu_parent *p)
{
	struct mvgpu_backend *be = p->pgpu.backend;

	mvgpu_debugfs_remove(p->debugfs);
	mvgpu_native_destroy(p->native);
	mdev_unregister_parent(&p->mdev_parent);
	device_del(&p->dev);
	mvgpu_pgpu_fini(&p->pgpu);
	be->ops->destroy(be);
	put_device(&p->dev);
}

/**
 * mvgpu_parents_create() - create the pGPUs and offer their vGPU types
 * @count: number of pGPUs, 1 to %MVGPU_MAX_PGPUS
 *
 * Return: 0 or a negative errno, with nothing left registered.
 */
int mvgpu_parents_create(unsigned int count)
{
	struct mvgpu_parent *p;
	int ret;

	if (!count || count > MVGPU_MAX_PGPUS)
		return -EINVAL;
	ret = mdev_register_driver(&mvgpu_mdev_driver);
	if (ret)
		return ret;
	ret = class_register(&mvgpu_class);
	if (ret)
		goto err_driver;
	for (nr_parents = 0; nr_parents < count; nr_parents++) {
		p = parent_create(nr_parents);
		if (IS_ERR(p)) {
			ret = PTR_ERR(p);
			goto err_parents;
		}
		parents[nr_parents] = p;
	}
	return 0;

err_parents:
	while (nr_parents)
		parent_destroy(parents[--nr_parents]);
	class_unregister(&mvgpu_class);
err_driver:
	mdev_unregister_driver(&mvgpu_mdev_driver);
	return ret;
}

/**
 * mvgpu_parents_destroy() - remove every vGPU and pGPU
 *
 * Waits for users of each vGPU to release it.
 */
void mvgpu_parents_destroy(void)
{
	while (nr_parents)
		parent_destroy(parents[--nr_parents]);
	class_unregister(&mvgpu_class);
	mdev_unregister_driver(&mvgpu_mdev_driver);
}
