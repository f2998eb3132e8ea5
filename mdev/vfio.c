// SPDX-License-Identifier: GPL-2.0-only
/*
 * A vGPU as a VFIO PCI device: regions, interrupts, reset, the display
 * region and planes (display.c) and live migration (migration.c).
 *
 * Region offsets follow vfio-pci: the region index lives above bit 40 of
 * the file offset.  Every access is checked for region, offset, size and
 * alignment before it reaches the device model.
 */
#include <linux/iommu.h>
#include <linux/capability.h>
#include <linux/mdev.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>

#include <mvgpu/mvgpu_pci.h>
#include <mvgpu/vgpu.h>

#include "aperture_mmap.h"
#include "dma_guard.h"
#include "parent.h"
#include "vfio.h"

#define REGION_SHIFT		40
#define REGION_INDEX(pos)	((u64)(pos) >> REGION_SHIFT)
#define REGION_OFFSET(pos)	((u64)(pos) & ((1ULL << REGION_SHIFT) - 1))
#define REGION_POS(index)	((u64)(index) << REGION_SHIFT)

/* Largest config space transfer; QEMU reads all 256 bytes at once. */
#define MAX_ACCESS		MVGPU_CFG_SIZE

static struct mvgpu_vfio *to_mvgpu_vfio(struct vfio_device *vdev)
{
	return container_of(vdev, struct mvgpu_vfio, vdev);
}

static int mvgpu_vfio_guest_mem_rw(void *priv, u64 gpa, void *buf, size_t len,
				   bool write)
{
	return vfio_dma_rw(priv, gpa, buf, len, write);
}

/* Called under the vGPU's lock: see dma_guard.c. */
static int mvgpu_vfio_guest_mem_pin(void *priv, u64 gfn, u64 *hpa)
{
	struct mvgpu_vfio *mv = to_mvgpu_vfio(priv);
	struct page *page;
	int ret;

	ret = mvgpu_dma_guard_check(mv->guard, gfn << PAGE_SHIFT, PAGE_SIZE);
	if (ret)
		return ret;
	ret = vfio_pin_pages(priv, gfn << PAGE_SHIFT, 1,
			     IOMMU_READ | IOMMU_WRITE, &page);
	if (ret < 0)
		return ret;
	if (ret != 1)
		return -EFAULT;
	*hpa = page_to_phys(page);
	return 0;
}

static void mvgpu_vfio_guest_mem_unpin(void *priv, u64 gfn)
{
	vfio_unpin_pages(priv, gfn << PAGE_SHIFT, 1);
}

/*
 * As VFIO's type1 IOMMU bounds the pins of the process that maps guest
 * memory: its RLIMIT_MEMLOCK now, in pages (at least one: 0 is no
 * limit), none for RLIM_INFINITY or with CAP_IPC_LOCK at open.
 */
static u64 mvgpu_vfio_guest_mem_pin_limit(void *priv)
{
	struct mvgpu_vfio *mv = to_mvgpu_vfio(priv);
	unsigned long bytes;

	if (mv->owner_lock_cap || !mv->owner_task)
		return 0;
	bytes = task_rlimit(mv->owner_task, RLIMIT_MEMLOCK);
	if (bytes == RLIM_INFINITY)
		return 0;
	return max(bytes >> PAGE_SHIFT, 1UL);
}

static const struct mvgpu_guest_mem_ops guest_mem_ops = {
	.rw = mvgpu_vfio_guest_mem_rw,
	.pin = mvgpu_vfio_guest_mem_pin,
	.unpin = mvgpu_vfio_guest_mem_unpin,
	.pin_limit = mvgpu_vfio_guest_mem_pin_limit,
};

static void mvgpu_vfio_vgpu_set_irq_level(void *priv, bool asserted)
{
	mvgpu_irq_set_level(priv, asserted);
}

static void mvgpu_vfio_vgpu_set_intx_disabled(void *priv, bool disabled)
{
	mvgpu_irq_set_intx_disabled(priv, disabled);
}

static const struct mvgpu_vgpu_irq_ops vgpu_irq_ops = {
	.set_level = mvgpu_vfio_vgpu_set_irq_level,
	.set_intx_disabled = mvgpu_vfio_vgpu_set_intx_disabled,
};

static int mvgpu_vfio_init(struct vfio_device *vdev)
{
	struct mvgpu_vfio *mv = to_mvgpu_vfio(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	int ret;

	mv->guard = mvgpu_dma_guard_create();
	if (!mv->guard)
		return -ENOMEM;
	mvgpu_irq_init(&mv->irq);
	mv->vgpu = mvgpu_vgpu_create(mvgpu_parent_pgpu(mdev),
				     mvgpu_parent_type_desc(mdev->type),
				     vdev->dev, &vgpu_irq_ops, &mv->irq);
	if (IS_ERR(mv->vgpu)) {
		ret = PTR_ERR(mv->vgpu);
		goto err_guard;
	}
	ret = mvgpu_display_init(&mv->display, mv->vgpu, vdev, mv->guard);
	if (ret)
		goto err_vgpu;
	mvgpu_ap_map_init(&mv->ap_map, mv->vgpu,
			  REGION_POS(VFIO_PCI_BAR2_REGION_INDEX));
	mvgpu_stages_add(mv->vgpu);
	mvgpu_mig_init(&mv->mig, mv->vgpu, vdev);
	return 0;

err_vgpu:
	mvgpu_vgpu_destroy(mv->vgpu);
err_guard:
	mvgpu_dma_guard_put(mv->guard);
	return ret;
}

static void mvgpu_vfio_release(struct vfio_device *vdev)
{
	struct mvgpu_vfio *mv = to_mvgpu_vfio(vdev);

	mvgpu_stages_remove(mv->vgpu);
	mvgpu_mig_fini(&mv->mig);
	mvgpu_ap_map_fini(&mv->ap_map);
	mvgpu_display_fini(&mv->display);
	mvgpu_vgpu_destroy(mv->vgpu);
	mvgpu_dma_guard_put(mv->guard);
}

static int mvgpu_vfio_open(struct vfio_device *vdev)
{
	struct mvgpu_vfio *mv = to_mvgpu_vfio(vdev);

	mvgpu_vgpu_reset(mv->vgpu);
	mvgpu_dma_guard_open(mv->guard);
	mv->owner_task = get_task_struct(current->group_leader);
	mv->owner_lock_cap = capable(CAP_IPC_LOCK);
	mvgpu_vgpu_set_mem_ops(mv->vgpu, &guest_mem_ops, vdev);
	mvgpu_kvm_attach(&mv->kvm, mv->vgpu, vdev->dev, vdev->kvm);
	WRITE_ONCE(mv->owner, task_tgid_nr(current));
	return 0;
}

static void mvgpu_vfio_close(struct vfio_device *vdev)
{
	struct mvgpu_vfio *mv = to_mvgpu_vfio(vdev);

	mvgpu_display_close(&mv->display);
	mvgpu_vgpu_set_mem_ops(mv->vgpu, NULL, NULL);
	mvgpu_dma_guard_close(mv->guard);
	mvgpu_kvm_detach(&mv->kvm);
	mvgpu_irq_release(&mv->irq);
	mvgpu_mig_reset(&mv->mig);	/* resets the vGPU too */
	put_task_struct(mv->owner_task);
	mv->owner_task = NULL;
	WRITE_ONCE(mv->owner, 0);
}

/* sysfs mvgpu/owner_pid: who has the vGPU open, 0 for nobody. */
static ssize_t owner_pid_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct mvgpu_vfio *mv = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%d\n", READ_ONCE(mv->owner));
}

struct device_attribute mvgpu_vfio_attr_owner_pid = __ATTR_RO(owner_pid);

static int mvgpu_vfio_region_access(struct mvgpu_vfio *mv, u64 pos, void *buf,
				    size_t count, bool write)
{
	struct mvgpu_vgpu *vgpu = mv->vgpu;
	u64 off = REGION_OFFSET(pos);

	switch (REGION_INDEX(pos)) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		if (write)
			return mvgpu_vgpu_cfg_write(vgpu, off, buf, count);
		return mvgpu_vgpu_cfg_read(vgpu, off, buf, count);
	case VFIO_PCI_BAR0_REGION_INDEX:
		if (write)
			return mvgpu_mmio_write(vgpu, off, buf, count);
		return mvgpu_mmio_read(vgpu, off, buf, count);
	case VFIO_PCI_BAR2_REGION_INDEX:
		return mvgpu_aperture_rw(vgpu, off, buf, count, write);
	default:
		return -EINVAL;
	}
}

static ssize_t mvgpu_vfio_read(struct vfio_device *vdev, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct mvgpu_vfio *mv = to_mvgpu_vfio(vdev);
	u8 buf[MAX_ACCESS];
	ssize_t ret;

	if (REGION_INDEX(*ppos) == MVGPU_VFIO_DISPLAY_REGION_INDEX) {
		ret = mvgpu_display_read(&mv->display, ubuf, count,
					 REGION_OFFSET(*ppos));
		if (ret > 0)
			*ppos += ret;
		return ret;
	}
	if (!count || count > sizeof(buf))
		return -EINVAL;
	ret = mvgpu_vfio_region_access(mv, *ppos, buf, count, false);
	if (ret)
		return ret;
	if (copy_to_user(ubuf, buf, count))
		return -EFAULT;
	*ppos += count;
	return count;
}

static ssize_t mvgpu_vfio_write(struct vfio_device *vdev,
				const char __user *ubuf, size_t count,
				loff_t *ppos)
{
	struct mvgpu_vfio *mv = to_mvgpu_vfio(vdev);
	u8 buf[MAX_ACCESS];
	int ret;

	if (!count || count > sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	ret = mvgpu_vfio_region_access(mv, *ppos, buf, count, true);
	if (ret)
		return ret;
	*ppos += count;
	return count;
}

static void mvgpu_vfio_region_info(struct vfio_region_info *info)
{
	info->offset = REGION_POS(info->index);
	info->size = 0;
	info->flags = 0;
	switch (info->index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info->size = MVGPU_CFG_SIZE;
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
		info->size = MVGPU_BAR0_SIZE;
		break;
	case VFIO_PCI_BAR2_REGION_INDEX:
		info->size = MVGPU_BAR2_SIZE;
		info->flags = VFIO_REGION_INFO_FLAG_MMAP;
		break;
	default:
		return;
	}
	info->flags |= VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
}

static int mvgpu_vfio_mmap(struct vfio_device *vdev,
			   struct vm_area_struct *vma)
{
	struct mvgpu_vfio *mv = to_mvgpu_vfio(vdev);
	u64 pos = (u64)vma->vm_pgoff << PAGE_SHIFT;

	if (REGION_INDEX(pos) == MVGPU_VFIO_DISPLAY_REGION_INDEX)
		return mvgpu_display_mmap(&mv->display, vma, REGION_OFFSET(pos));
	if (REGION_INDEX(pos) != VFIO_PCI_BAR2_REGION_INDEX)
		return -EINVAL;
	return mvgpu_ap_map_mmap(&mv->ap_map, vma, REGION_OFFSET(pos));
}

static long mvgpu_vfio_ioctl_device_info(unsigned long arg)
{
	size_t minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = MVGPU_VFIO_DISPLAY_REGION_INDEX + 1;
	info.num_irqs = VFIO_PCI_NUM_IRQS;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static long mvgpu_vfio_ioctl_region_info(struct mvgpu_vfio *mv, unsigned long arg)
{
	size_t minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_region_info info;
	int ret;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz ||
	    info.index > MVGPU_VFIO_DISPLAY_REGION_INDEX)
		return -EINVAL;
	if (info.index == MVGPU_VFIO_DISPLAY_REGION_INDEX) {
		info.offset = REGION_POS(info.index);
		ret = mvgpu_display_region_info(&mv->display, &info, arg);
		if (ret)
			return ret;
		return copy_to_user((void __user *)arg, &info, minsz) ?
		       -EFAULT : 0;
	}
	mvgpu_vfio_region_info(&info);
	info.cap_offset = 0;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static long mvgpu_vfio_ioctl_irq_info(unsigned long arg)
{
	size_t minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;
	int ret;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	ret = mvgpu_irq_get_info(&info);
	if (ret)
		return ret;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static long mvgpu_vfio_ioctl(struct vfio_device *vdev, unsigned int cmd,
			     unsigned long arg)
{
	struct mvgpu_vfio *mv = to_mvgpu_vfio(vdev);

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return mvgpu_vfio_ioctl_device_info(arg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return mvgpu_vfio_ioctl_region_info(mv, arg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return mvgpu_vfio_ioctl_irq_info(arg);
	case VFIO_DEVICE_SET_IRQS:
		return mvgpu_irq_set(&mv->irq, arg);
	case VFIO_DEVICE_QUERY_GFX_PLANE:
		return mvgpu_display_query_plane(&mv->display, arg);
	case VFIO_DEVICE_GET_GFX_DMABUF:
		return mvgpu_display_get_dmabuf(&mv->display, arg);
	case VFIO_DEVICE_RESET:
		mvgpu_mig_reset(&mv->mig);
		return 0;
	}
	return -ENOTTY;
}

/*
 * The range is recorded first, then the vGPU releases its pins under its
 * lock: no pin made after that gets through (dma_guard.c).
 */
static void mvgpu_vfio_dma_unmap(struct vfio_device *vdev, u64 iova,
				 u64 length)
{
	struct mvgpu_vfio *mv = to_mvgpu_vfio(vdev);
	int ret;

	ret = mvgpu_dma_guard_unmap(mv->guard, iova, length);
	if (ret == -ESRCH)
		mvgpu_vgpu_warn(mv->vgpu, "guest memory 0x%llx+0x%llx unmapped by a task that does not return to user space: not pinned again until the device is closed\n",
				iova, length);
	else if (ret)
		mvgpu_vgpu_warn(mv->vgpu, "guest memory 0x%llx+0x%llx unmapped but not recorded (%d): nothing pinned until the device is closed\n",
				iova, length, ret);
	mvgpu_vgpu_dma_unmap(mv->vgpu, iova, length);
	mvgpu_display_dma_unmap(&mv->display);
}

static void mvgpu_vfio_request(struct vfio_device *vdev, unsigned int count)
{
	struct mvgpu_vfio *mv = to_mvgpu_vfio(vdev);

	if (!(count % 10))
		dev_notice_ratelimited(vdev->dev,
				       "waiting for the user to release the device\n");
	mvgpu_irq_request(&mv->irq);
}

const struct vfio_device_ops mvgpu_vfio_ops = {
	.name = "mvgpu",
	.init = mvgpu_vfio_init,
	.release = mvgpu_vfio_release,
	.open_device = mvgpu_vfio_open,
	.close_device = mvgpu_vfio_close,
	.read = mvgpu_vfio_read,
	.write = mvgpu_vfio_write,
	.mmap = mvgpu_vfio_mmap,
	.ioctl = mvgpu_vfio_ioctl,
	.request = mvgpu_vfio_request,
	.dma_unmap = mvgpu_vfio_dma_unmap,
	.bind_iommufd = vfio_iommufd_emulated_bind,
	.unbind_iommufd = vfio_iommufd_emulated_unbind,
	.attach_ioas = vfio_iommufd_emulated_attach_ioas,
	.detach_ioas = vfio_iommufd_emulated_detach_ioas,
};
