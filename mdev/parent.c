// SPDX-License-Identifier: GPL-2.0-only
/*
 * Physical GPUs as mdev parents: one device per pGPU under
 * /sys/class/mvgpu, and the mdev core's parent with its vGPU types: that
 * device itself for a virtual pGPU, the bus device (a PCI function, see
 * pci.c) it sits on otherwise.
 */
#include <linux/device.h>
#include <linux/export.h>
#include <linux/idr.h>
#include <linux/kstrtox.h>
#include <linux/string.h>
#include <linux/slab.h>

#include <mvgpu/backend.h>
#include <mvgpu/host.h>
#include <mvgpu/pgpu.h>
#include <mvgpu/sgpu.h>
#include <mvgpu/vgpu.h>
#include <mvgpu/vgpu_type.h>

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
 * @bus_dev: the device the mdev core knows as parent: @dev, or the
 *           bus device @dev is a child of
 * @id: N of mvgpuN, from &parent_ids
 * @mdev_parent: registration with the mdev core
 * @types: vGPU types offered
 * @type_ptrs: @types as the mdev core wants them
 * @backend: the physical GPU, a software GPU
 * @pgpu: its resources lent to vGPUs (gvt/)
 *
 * Created in the order: device (initialized), backend, pGPU, device
 * added (class interfaces hear of it), mdev parent; destroyed in reverse.
 */
struct mvgpu_parent {
	struct device dev;
	struct device *bus_dev;
	unsigned int id;
	struct mdev_parent mdev_parent;
	struct mvgpu_type types[MVGPU_NR_TYPES];
	struct mdev_type *type_ptrs[MVGPU_NR_TYPES];
	struct mvgpu_backend *backend;
	struct mvgpu_pgpu *pgpu;
};

/* The virtual pGPUs of mvgpu_parents_create(); only module init and exit touch them. */
static struct mvgpu_parent *parents[MVGPU_MAX_PGPUS];
static unsigned int nr_parents;
/* pGPU numbers of every parent, virtual or on a bus; the IDA locks itself. */
static DEFINE_IDA(parent_ids);

static struct mvgpu_parent *parent_mtype_parent(struct mdev_type *mtype)
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
	return parent_mtype_parent(mdev->type)->pgpu;
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
	return mvgpu_pgpu_available(parent_mtype_parent(mtype)->pgpu,
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

static struct mvgpu_vgpu *parent_dev_vgpu(struct device *dev)
{
	struct mvgpu_vfio *mv = dev_get_drvdata(dev);

	return mv->vgpu;
}

/* An attribute showing @_expr of struct mvgpu_vgpu_info info. */
#define VGPU_INFO_ATTR(_name, _fmt, _expr)				\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct mvgpu_vgpu_info info;					\
									\
	mvgpu_vgpu_get_info(parent_dev_vgpu(dev), &info);			\
	return sysfs_emit(buf, _fmt "\n", _expr);			\
}									\
static DEVICE_ATTR_RO(_name)

/* An attribute showing @_expr of struct mvgpu_vgpu_stats st. */
#define VGPU_STAT_ATTR(_name, _fmt, _expr)				\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct mvgpu_vgpu_stats st;					\
									\
	mvgpu_vgpu_get_stats(parent_dev_vgpu(dev), &st);			\
	return sysfs_emit(buf, _fmt "\n", _expr);			\
}									\
static DEVICE_ATTR_RO(_name)

VGPU_INFO_ATTR(vgpu_id, "%u", info.id);
VGPU_INFO_ATTR(type_name, "%s", info.type->pretty_name);
VGPU_INFO_ATTR(aperture_base, "0x%llx", info.aperture_base);
VGPU_INFO_ATTR(aperture_size, "0x%llx", info.aperture_size);
VGPU_INFO_ATTR(hidden_base, "0x%llx", info.hidden_base);
VGPU_INFO_ATTR(hidden_size, "0x%llx", info.hidden_size);
VGPU_STAT_ATTR(bad_mmio, "%lld", st.bad_mmio);
VGPU_STAT_ATTR(bad_ggtt, "%lld", st.bad_ggtt);
VGPU_STAT_ATTR(bad_aperture, "%lld", st.bad_aperture);
VGPU_STAT_ATTR(pinned_pages, "%lld", st.pinned_pages);
VGPU_STAT_ATTR(submissions, "%lld", st.submissions);
VGPU_STAT_ATTR(completed, "%lld", st.completed);
VGPU_STAT_ATTR(rejected, "%lld", st.rejected);
VGPU_STAT_ATTR(errors, "%lld", st.errors);
VGPU_STAT_ATTR(hangs, "%lld", st.hangs);
VGPU_STAT_ATTR(cmds_scanned, "%lld", st.cmds_scanned);
VGPU_STAT_ATTR(batches_known, "%lld", st.batches_known);
VGPU_STAT_ATTR(shadow_bytes, "%lld", st.shadow_bytes);
VGPU_STAT_ATTR(bad_ppgtt, "%lld", st.bad_ppgtt);
VGPU_STAT_ATTR(shadow_pages, "%lld", st.shadow_pages);
VGPU_STAT_ATTR(ppgtt_writes, "%lld", st.ppgtt_writes);
VGPU_STAT_ATTR(failsafe, "%d", st.failsafe);
VGPU_STAT_ATTR(trapped, "%lld", st.trapped);
VGPU_STAT_ATTR(busy_ns_rcs, "%llu", st.busy_ns[MVGPU_ENGINE_RCS]);
VGPU_STAT_ATTR(busy_ns_bcs, "%llu", st.busy_ns[MVGPU_ENGINE_BCS]);
VGPU_STAT_ATTR(backend_ns_rcs, "%llu", st.backend_ns[MVGPU_ENGINE_RCS]);
VGPU_STAT_ATTR(backend_ns_bcs, "%llu", st.backend_ns[MVGPU_ENGINE_BCS]);
VGPU_STAT_ATTR(host_resets, "%lld", st.host_resets);

/* Writing 1 resets the vGPU, its guest running (mvgpu_vgpu_host_reset()). */
static ssize_t reset_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct mvgpu_vgpu *vgpu = parent_dev_vgpu(dev);
	bool yes;

	if (kstrtobool(buf, &yes) || !yes) {
		mvgpu_vgpu_warn(vgpu, "reset: write 1 to reset the vGPU\n");
		return -EINVAL;
	}
	mvgpu_vgpu_host_reset(vgpu);
	return count;
}
static DEVICE_ATTR_WO(reset);

/* The vGPU's cap, percent of each engine; 0: none. */
static ssize_t sched_cap_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", mvgpu_vgpu_sched_cap(parent_dev_vgpu(dev)));
}

/*
 * A write of a u32 scheduling setting: @set takes it or refuses it, and
 * anything refused or not a number is -EINVAL with @what logged.
 */
static ssize_t vgpu_sched_u32_store(struct device *dev, const char *buf,
				    size_t count,
				    int (*set)(struct mvgpu_vgpu *, u32),
				    const char *what)
{
	struct mvgpu_vgpu *vgpu = parent_dev_vgpu(dev);
	u32 val;
	int ret;

	ret = kstrtou32(buf, 0, &val);
	if (!ret)
		ret = set(vgpu, val);
	if (ret) {
		mvgpu_vgpu_warn(vgpu, "%s\n", what);
		return ret == -ERANGE ? -EINVAL : ret;
	}
	return count;
}

static ssize_t sched_cap_store(struct device *dev,
			       struct device_attribute *attr,
			       const char *buf, size_t count)
{
	return vgpu_sched_u32_store(dev, buf, count, mvgpu_vgpu_set_sched_cap,
				    "sched_cap: not a percentage from 0 to 100");
}
static DEVICE_ATTR_RW(sched_cap);

/* The vGPU's scheduling weight, its type's until written. */
static ssize_t weight_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  mvgpu_vgpu_sched_weight(parent_dev_vgpu(dev)));
}

static ssize_t weight_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	return vgpu_sched_u32_store(dev, buf, count, mvgpu_vgpu_set_sched_weight,
				    "weight: not a number from 1 to 65536");
}
static DEVICE_ATTR_RW(weight);

static ssize_t pin_limit_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  mvgpu_vgpu_pin_limit(parent_dev_vgpu(dev)));
}

/*
 * Pages, 0 for no limit: the administrator's, which takes precedence
 * over the VMM's RLIMIT_MEMLOCK until "auto" is written.  Anything else
 * is -EINVAL.
 */
static ssize_t pin_limit_store(struct device *dev,
			       struct device_attribute *attr, const char *buf,
			       size_t count)
{
	struct mvgpu_vgpu *vgpu = parent_dev_vgpu(dev);
	u64 pages;

	if (sysfs_streq(buf, "auto")) {
		mvgpu_vgpu_clear_pin_limit(vgpu);
		return count;
	}
	if (kstrtou64(buf, 0, &pages)) {
		mvgpu_vgpu_warn(vgpu, "pin_limit: not a number of pages nor auto\n");
		return -EINVAL;
	}
	mvgpu_vgpu_set_pin_limit(vgpu, pages);
	return count;
}
static DEVICE_ATTR_RW(pin_limit);

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
	&dev_attr_pin_limit.attr,
	&dev_attr_submissions.attr,
	&dev_attr_completed.attr,
	&dev_attr_rejected.attr,
	&dev_attr_errors.attr,
	&dev_attr_hangs.attr,
	&dev_attr_cmds_scanned.attr,
	&dev_attr_batches_known.attr,
	&dev_attr_shadow_bytes.attr,
	&dev_attr_bad_ppgtt.attr,
	&dev_attr_shadow_pages.attr,
	&dev_attr_ppgtt_writes.attr,
	&dev_attr_failsafe.attr,
	&dev_attr_trapped.attr,
	&dev_attr_busy_ns_rcs.attr,
	&dev_attr_busy_ns_bcs.attr,
	&dev_attr_backend_ns_rcs.attr,
	&dev_attr_backend_ns_bcs.attr,
	&dev_attr_host_resets.attr,
	&dev_attr_reset.attr,
	&dev_attr_sched_cap.attr,
	&mvgpu_vfio_attr_owner_pid.attr,
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

static struct mvgpu_pgpu *parent_dev_pgpu(struct device *dev)
{
	return container_of(dev, struct mvgpu_parent, dev)->pgpu;
}

/* An attribute showing @_expr of struct mvgpu_pgpu_usage u. */
#define PGPU_ATTR(_name, _fmt, _expr)					\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct mvgpu_pgpu_usage u;					\
									\
	mvgpu_pgpu_get_usage(parent_dev_pgpu(dev), &u);			\
	return sysfs_emit(buf, _fmt "\n", _expr);			\
}									\
static DEVICE_ATTR_RO(_name)

PGPU_ATTR(vgpus, "%u", u.vgpus);
PGPU_ATTR(aperture_free, "0x%llx", u.aperture_free);
PGPU_ATTR(hidden_free, "0x%llx", u.hidden_free);
PGPU_ATTR(engine_busy_ns_rcs, "%llu", u.engine_busy_ns[MVGPU_ENGINE_RCS]);
PGPU_ATTR(engine_busy_ns_bcs, "%llu", u.engine_busy_ns[MVGPU_ENGINE_BCS]);
PGPU_ATTR(engine_stalled_ns_rcs, "%llu",
	  u.engine_stalled_ns[MVGPU_ENGINE_RCS]);
PGPU_ATTR(engine_stalled_ns_bcs, "%llu",
	  u.engine_stalled_ns[MVGPU_ENGINE_BCS]);

static const char *const sched_policy_names[MVGPU_SCHED_NR_MODES] = {
	[MVGPU_SCHED_BEST_EFFORT] = "best_effort",
	[MVGPU_SCHED_EQUAL_SHARE] = "equal_share",
	[MVGPU_SCHED_FIXED_SHARE] = "fixed_share",
};

static ssize_t sched_policy_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  sched_policy_names[mvgpu_pgpu_sched_mode(parent_dev_pgpu(dev))]);
}

static ssize_t sched_policy_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t count)
{
	int mode = sysfs_match_string(sched_policy_names, buf);

	if (mode < 0) {
		dev_notice_ratelimited(dev, "sched_policy: best_effort, equal_share or fixed_share\n");
		return -EINVAL;
	}
	return mvgpu_pgpu_set_sched_mode(parent_dev_pgpu(dev), mode) ?: count;
}
static DEVICE_ATTR_RW(sched_policy);

static ssize_t sched_slice_us_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", mvgpu_pgpu_slice_us(parent_dev_pgpu(dev)));
}

static ssize_t sched_slice_us_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	u32 us;
	int ret;

	ret = kstrtou32(buf, 0, &us);
	if (!ret)
		ret = mvgpu_pgpu_set_slice_us(parent_dev_pgpu(dev), us);
	if (ret) {
		dev_notice_ratelimited(dev, "sched_slice_us: 1000 to 30000\n");
		return -EINVAL;
	}
	return count;
}
static DEVICE_ATTR_RW(sched_slice_us);

static struct attribute *pgpu_attrs[] = {
	&dev_attr_vgpus.attr,
	&dev_attr_aperture_free.attr,
	&dev_attr_hidden_free.attr,
	&dev_attr_engine_busy_ns_rcs.attr,
	&dev_attr_engine_busy_ns_bcs.attr,
	&dev_attr_engine_stalled_ns_rcs.attr,
	&dev_attr_engine_stalled_ns_bcs.attr,
	&dev_attr_sched_policy.attr,
	&dev_attr_sched_slice_us.attr,
	NULL,
};
ATTRIBUTE_GROUPS(pgpu);

static const struct class mvgpu_class = {
	.name = "mvgpu",
	.dev_groups = pgpu_groups,
};

/**
 * mvgpu_register_interface() - hear of the pGPUs as they come and go
 * @intf: its add_dev() is called with each pGPU device there is and
 *        every one added later, its remove_dev() as each is removed; its
 *        class is set here
 *
 * A pGPU device is added once its pGPU is ready and removed after its
 * vGPUs, before the pGPU and its backend go away.
 *
 * Return: 0 or a negative errno.
 */
int mvgpu_register_interface(struct class_interface *intf)
{
	intf->class = &mvgpu_class;
	return class_interface_register(intf);
}
EXPORT_SYMBOL_NS_GPL(mvgpu_register_interface, MVGPU);

/**
 * mvgpu_unregister_interface() - stop hearing of the pGPUs
 * @intf: as registered; its remove_dev() is called for each pGPU device
 */
void mvgpu_unregister_interface(struct class_interface *intf)
{
	class_interface_unregister(intf);
}
EXPORT_SYMBOL_NS_GPL(mvgpu_unregister_interface, MVGPU);

/**
 * mvgpu_dev_pgpu() - the pGPU of a pGPU device
 * @dev: a device given to a class interface's callbacks
 *
 * Return: the pGPU, valid until the device's remove_dev() returns, or
 * NULL if @dev is not a pGPU device.
 */
struct mvgpu_pgpu *mvgpu_dev_pgpu(struct device *dev)
{
	if (dev->class != &mvgpu_class)
		return NULL;
	return parent_dev_pgpu(dev);
}
EXPORT_SYMBOL_NS_GPL(mvgpu_dev_pgpu, MVGPU);

static void mvgpu_parent_release(struct device *dev)
{
	struct mvgpu_parent *p = container_of(dev, struct mvgpu_parent, dev);

	ida_free(&parent_ids, p->id);
	kfree(p);
}

static void parent_init_types(struct mvgpu_parent *p)
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
	ret = mdev_register_parent(&p->mdev_parent, p->bus_dev,
				   &mvgpu_mdev_driver, p->type_ptrs,
				   MVGPU_NR_TYPES);
	if (ret)
		goto err_del;
	return 0;

err_del:
	device_del(&p->dev);
	return ret;
}

/* The pGPU device, numbered and named, not added yet. */
static struct mvgpu_parent *parent_alloc(struct device *bus_dev)
{
	struct mvgpu_parent *p;
	int id;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	id = ida_alloc_max(&parent_ids, MVGPU_MAX_PGPUS - 1, GFP_KERNEL);
	if (id < 0) {
		kfree(p);
		return ERR_PTR(id == -ENOSPC ? -EBUSY : id);
	}
	p->id = id;
	parent_init_types(p);
	device_initialize(&p->dev);
	p->dev.class = &mvgpu_class;
	p->dev.parent = bus_dev;
	p->dev.release = mvgpu_parent_release;
	p->bus_dev = bus_dev ?: &p->dev;
	return p;
}

/**
 * mvgpu_parent_add() - a pGPU, offering its vGPU types
 * @bus_dev: NULL for a virtual pGPU; else the device (a PCI function bound
 *           to us) that becomes the mdev parent and the parent of the pGPU
 *           device, which must stay until mvgpu_parent_remove()
 *
 * Only between mvgpu_parents_create() and mvgpu_parents_destroy().
 *
 * Return: the parent, or an ERR_PTR(): -EBUSY when there are already
 * %MVGPU_MAX_PGPUS pGPUs.
 */
struct mvgpu_parent *mvgpu_parent_add(struct device *bus_dev)
{
	struct mvgpu_backend *be;
	struct mvgpu_parent *p;
	int ret;

	p = parent_alloc(bus_dev);
	if (IS_ERR(p))
		return p;
	ret = dev_set_name(&p->dev, "mvgpu%u", p->id);
	if (ret)
		goto err_put;
	be = mvgpu_sgpu_create(&p->dev, p->id);
	if (IS_ERR(be)) {
		ret = PTR_ERR(be);
		goto err_put;
	}
	p->backend = be;
	p->pgpu = mvgpu_pgpu_create(p->id, be);
	if (IS_ERR(p->pgpu)) {
		ret = PTR_ERR(p->pgpu);
		goto err_backend;
	}
	ret = parent_register(p);
	if (ret)
		goto err_pgpu;
	return p;

err_pgpu:
	mvgpu_pgpu_destroy(p->pgpu);
err_backend:
	be->ops->destroy(be);
err_put:
	put_device(&p->dev);
	return ERR_PTR(ret);
}

/**
 * mvgpu_parent_remove() - remove a pGPU of mvgpu_parent_add()
 * @p: the parent
 *
 * The vGPUs first (waiting for their users), then the device (the class
 * interfaces' remove_dev(): the host's clients give back the engines),
 * and last the backend, whose engines no one uses any more.
 */
void mvgpu_parent_remove(struct mvgpu_parent *p)
{
	struct mvgpu_backend *be = p->backend;

	mdev_unregister_parent(&p->mdev_parent);
	device_del(&p->dev);
	mvgpu_pgpu_destroy(p->pgpu);
	be->ops->destroy(be);
	put_device(&p->dev);
}

/**
 * mvgpu_parents_create() - create the virtual pGPUs and offer their vGPU types
 * @count: number of pGPUs, 0 to %MVGPU_MAX_PGPUS; with 0, pGPUs come only
 *         from mvgpu_parent_add()
 *
 * Return: 0 or a negative errno, with nothing left registered.
 */
int mvgpu_parents_create(unsigned int count)
{
	struct mvgpu_parent *p;
	int ret;

	if (count > MVGPU_MAX_PGPUS)
		return -EINVAL;
	ret = mdev_register_driver(&mvgpu_mdev_driver);
	if (ret)
		return ret;
	ret = class_register(&mvgpu_class);
	if (ret)
		goto err_driver;
	for (nr_parents = 0; nr_parents < count; nr_parents++) {
		p = mvgpu_parent_add(NULL);
		if (IS_ERR(p)) {
			ret = PTR_ERR(p);
			goto err_parents;
		}
		parents[nr_parents] = p;
	}
	return 0;

err_parents:
	while (nr_parents)
		mvgpu_parent_remove(parents[--nr_parents]);
	class_unregister(&mvgpu_class);
err_driver:
	mdev_unregister_driver(&mvgpu_mdev_driver);
	return ret;
}

/**
 * mvgpu_parents_destroy() - remove every virtual vGPU and pGPU
 *
 * Those of mvgpu_parent_add() must be gone already.  Waits for users of
 * each vGPU to release it.
 */
void mvgpu_parents_destroy(void)
{
	while (nr_parents)
		mvgpu_parent_remove(parents[--nr_parents]);
	class_unregister(&mvgpu_class);
	mdev_unregister_driver(&mvgpu_mdev_driver);
}
