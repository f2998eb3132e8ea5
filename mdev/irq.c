// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupt delivery of a vGPU, with the semantics of vfio-pci: MSI is
 * used when the user gave an MSI eventfd, INTx otherwise; INTx is level
 * triggered, so it masks itself when it fires and fires again on unmask
 * while the device still asserts it.
 *
 * Eventfds are signalled with no lock of ours held: a signal runs the
 * eventfd's wakeups at once, and a user may pass the same eventfd to
 * trigger and to unmask INTx, whose wakeup (mvgpu_irq_unmask_handler()) takes
 * @irq->lock.  The triggers are RCU pointers for that reason.
 */
#include <linux/eventfd.h>
#include <linux/lockdep.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "irq.h"

/**
 * mvgpu_irq_init() - no eventfds, INTx unmasked and deasserted
 * @irq: state to set up
 */
void mvgpu_irq_init(struct mvgpu_irq *irq)
{
	memset(irq, 0, sizeof(*irq));
	spin_lock_init(&irq->lock);
	mutex_init(&irq->set_lock);
}

static void mvgpu_irq_swap_trigger(struct mvgpu_irq *irq, unsigned int index,
				   struct eventfd_ctx *ctx)
{
	struct eventfd_ctx *old;
	unsigned long flags;

	spin_lock_irqsave(&irq->lock, flags);
	old = rcu_replace_pointer(irq->trigger[index], ctx,
				  lockdep_is_held(&irq->lock));
	spin_unlock_irqrestore(&irq->lock, flags);
	if (old) {
		synchronize_rcu();	/* mvgpu_irq_signal_trigger() may hold it */
		eventfd_ctx_put(old);
	}
}

static bool mvgpu_irq_has_trigger(struct mvgpu_irq *irq, unsigned int index)
{
	return rcu_access_pointer(irq->trigger[index]);
}

/* Signal @index's eventfd, if there is one; never under @irq->lock. */
static void mvgpu_irq_signal_trigger(struct mvgpu_irq *irq, unsigned int index)
{
	struct eventfd_ctx *ctx;

	lockdep_assert_not_held(&irq->lock);
	rcu_read_lock();
	ctx = rcu_dereference(irq->trigger[index]);
	if (ctx)
		eventfd_signal(ctx);
	rcu_read_unlock();
}

/**
 * mvgpu_irq_release() - drop every eventfd, as when the user closes
 * @irq: state set up by mvgpu_irq_init()
 */
void mvgpu_irq_release(struct mvgpu_irq *irq)
{
	unsigned long flags;
	unsigned int i;

	mutex_lock(&irq->set_lock);
	vfio_virqfd_disable(&irq->unmask_fd);
	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++)
		mvgpu_irq_swap_trigger(irq, i, NULL);
	/* the vGPU may still raise its level (a vblank) until it is reset */
	spin_lock_irqsave(&irq->lock, flags);
	irq->intx_masked = false;
	irq->intx_level = false;
	spin_unlock_irqrestore(&irq->lock, flags);
	mutex_unlock(&irq->set_lock);
}

/**
 * mvgpu_irq_get_info() - answer VFIO_DEVICE_GET_IRQ_INFO for one index
 * @info: index in, count and flags out
 *
 * Return: 0, or -EINVAL for an index beyond VFIO_PCI_NUM_IRQS.
 */
int mvgpu_irq_get_info(struct vfio_irq_info *info)
{
	info->flags = 0;
	info->count = 0;
	switch (info->index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		info->flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
			      VFIO_IRQ_INFO_AUTOMASKED;
		info->count = 1;
		break;
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_ERR_IRQ_INDEX:
	case VFIO_PCI_REQ_IRQ_INDEX:
		info->flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
		info->count = 1;
		break;
	case VFIO_PCI_MSIX_IRQ_INDEX:
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static int mvgpu_irq_index_count(unsigned int index)
{
	struct vfio_irq_info info = { .index = index };

	if (mvgpu_irq_get_info(&info))
		return 0;
	return info.count;
}

/* INTx fires if asserted and unmasked, and masks itself. */
static void intx_update_and_unlock(struct mvgpu_irq *irq, unsigned long flags)
	__releases(&irq->lock)
{
	bool fires = !mvgpu_irq_has_trigger(irq, VFIO_PCI_MSI_IRQ_INDEX) &&
		     irq->intx_level && !irq->intx_masked &&
		     !irq->intx_disabled &&
		     mvgpu_irq_has_trigger(irq, VFIO_PCI_INTX_IRQ_INDEX);

	lockdep_assert_held(&irq->lock);
	if (fires)
		irq->intx_masked = true;
	spin_unlock_irqrestore(&irq->lock, flags);
	if (fires)
		mvgpu_irq_signal_trigger(irq, VFIO_PCI_INTX_IRQ_INDEX);
}

static void intx_mask(struct mvgpu_irq *irq, bool mask)
{
	unsigned long flags;

	spin_lock_irqsave(&irq->lock, flags);
	irq->intx_masked = mask;
	intx_update_and_unlock(irq, flags);
}

/*
 * The unmask eventfd was signalled: this runs inside its wakeup, where
 * eventfd_signal() must not be called (it would nest in another
 * eventfd's signal).  Unmask, and leave a re-fire of a still asserted
 * INTx to mvgpu_irq_unmask_thread(), as vfio-pci does.
 */
static int mvgpu_irq_unmask_handler(void *opaque, void *unused)
{
	struct mvgpu_irq *irq = opaque;
	unsigned long flags;
	bool refire;

	spin_lock_irqsave(&irq->lock, flags);
	irq->intx_masked = false;
	refire = irq->intx_level && !irq->intx_disabled &&
		 !mvgpu_irq_has_trigger(irq, VFIO_PCI_MSI_IRQ_INDEX) &&
		 mvgpu_irq_has_trigger(irq, VFIO_PCI_INTX_IRQ_INDEX);
	spin_unlock_irqrestore(&irq->lock, flags);
	return refire;
}

/* From the virqfd workqueue: fire INTx if it is still asserted. */
static void mvgpu_irq_unmask_thread(void *opaque, void *unused)
{
	struct mvgpu_irq *irq = opaque;
	unsigned long flags;

	spin_lock_irqsave(&irq->lock, flags);
	intx_update_and_unlock(irq, flags);
}

static int mvgpu_irq_set_trigger(struct mvgpu_irq *irq, unsigned int index, u32 flags,
				 u32 count, const void *data)
{
	struct eventfd_ctx *ctx;
	s32 fd;

	if (!count) {
		if (!(flags & VFIO_IRQ_SET_DATA_NONE))
			return -EINVAL;
		mvgpu_irq_swap_trigger(irq, index, NULL);
		return 0;
	}
	if (!(flags & VFIO_IRQ_SET_DATA_EVENTFD)) {
		if ((flags & VFIO_IRQ_SET_DATA_NONE) || *(const u8 *)data)
			mvgpu_irq_signal_trigger(irq, index);
		return 0;
	}
	fd = *(const s32 *)data;
	if (fd < 0) {
		if (fd != -1)
			return -EINVAL;
		mvgpu_irq_swap_trigger(irq, index, NULL);
		return 0;
	}
	ctx = eventfd_ctx_fdget(fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	mvgpu_irq_swap_trigger(irq, index, ctx);
	if (index == VFIO_PCI_INTX_IRQ_INDEX)
		intx_mask(irq, false);
	return 0;
}

static int mvgpu_irq_set_intx_mask(struct mvgpu_irq *irq, u32 flags, u32 count,
				   const void *data, bool mask)
{
	s32 fd;

	if (!count)
		return -EINVAL;
	if (!(flags & VFIO_IRQ_SET_DATA_EVENTFD)) {
		if ((flags & VFIO_IRQ_SET_DATA_NONE) || *(const u8 *)data)
			intx_mask(irq, mask);
		return 0;
	}
	if (mask)
		return -EINVAL;
	fd = *(const s32 *)data;
	if (fd == -1) {
		vfio_virqfd_disable(&irq->unmask_fd);
		return 0;
	}
	if (fd < 0)
		return -EINVAL;
	return vfio_virqfd_enable(irq, mvgpu_irq_unmask_handler, mvgpu_irq_unmask_thread, NULL,
				  &irq->unmask_fd, fd);
}

static int mvgpu_irq_dispatch(struct mvgpu_irq *irq, const struct vfio_irq_set *hdr,
			      const void *data)
{
	u32 action = hdr->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;

	if (action == VFIO_IRQ_SET_ACTION_TRIGGER)
		return mvgpu_irq_set_trigger(irq, hdr->index, hdr->flags, hdr->count,
					     data);
	if (hdr->index != VFIO_PCI_INTX_IRQ_INDEX)
		return -EINVAL;
	if (action == VFIO_IRQ_SET_ACTION_MASK)
		return mvgpu_irq_set_intx_mask(irq, hdr->flags, hdr->count, data, true);
	if (action == VFIO_IRQ_SET_ACTION_UNMASK)
		return mvgpu_irq_set_intx_mask(irq, hdr->flags, hdr->count, data, false);
	return -EINVAL;
}

static bool mvgpu_irq_one_flag(u32 flags, u32 mask)
{
	return hweight32(flags & mask) == 1;
}

/**
 * mvgpu_irq_set() - carry out VFIO_DEVICE_SET_IRQS
 * @irq: the vGPU's interrupt state
 * @arg: user pointer to struct vfio_irq_set and its data
 *
 * Return: 0 or a negative errno (-EINVAL for malformed requests, -EFAULT
 * for bad pointers, -EBADF for a file descriptor that is not an eventfd).
 */
int mvgpu_irq_set(struct mvgpu_irq *irq, unsigned long arg)
{
	size_t minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size;
	void *data = NULL;
	int ret;

	if (copy_from_user(&hdr, (void __user *)arg, minsz))
		return -EFAULT;
	if (!mvgpu_irq_one_flag(hdr.flags, VFIO_IRQ_SET_DATA_TYPE_MASK) ||
	    !mvgpu_irq_one_flag(hdr.flags, VFIO_IRQ_SET_ACTION_TYPE_MASK))
		return -EINVAL;
	ret = vfio_set_irqs_validate_and_prepare(&hdr, mvgpu_irq_index_count(hdr.index),
						 VFIO_PCI_NUM_IRQS,
						 &data_size);
	if (ret)
		return ret;
	if (data_size) {
		data = memdup_user((void __user *)(arg + minsz), data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}
	mutex_lock(&irq->set_lock);
	ret = mvgpu_irq_dispatch(irq, &hdr, data);
	mutex_unlock(&irq->set_lock);
	kfree(data);
	return ret;
}

/**
 * mvgpu_irq_set_level() - the device asserts or deasserts its interrupt
 * @irq: the vGPU's interrupt state
 * @asserted: level of the interrupt condition
 *
 * With MSI, each assertion sends one message; with INTx the line follows
 * @asserted.  Callable from atomic context.
 */
void mvgpu_irq_set_level(struct mvgpu_irq *irq, bool asserted)
{
	unsigned long flags;

	/* INTx hears of it under MSI too: a VMM may go back to INTx */
	spin_lock_irqsave(&irq->lock, flags);
	irq->intx_level = asserted;
	intx_update_and_unlock(irq, flags);
	if (asserted && mvgpu_irq_has_trigger(irq, VFIO_PCI_MSI_IRQ_INDEX))
		mvgpu_irq_signal_trigger(irq, VFIO_PCI_MSI_IRQ_INDEX);
}

/**
 * mvgpu_irq_set_intx_disabled() - follow the command register's Interrupt
 *				   Disable bit
 * @irq: the vGPU's interrupt state
 * @disabled: the bit, after a config space write or a reset
 *
 * While it is set the device does not assert INTx (PCI 3.0, 6.2.2); when
 * it is cleared with the interrupt condition still present, INTx fires.
 * MSI is not affected.
 */
void mvgpu_irq_set_intx_disabled(struct mvgpu_irq *irq, bool disabled)
{
	unsigned long flags;

	spin_lock_irqsave(&irq->lock, flags);
	irq->intx_disabled = disabled;
	intx_update_and_unlock(irq, flags);
}

/**
 * mvgpu_irq_request() - ask the user to release the device
 * @irq: the vGPU's interrupt state
 *
 * Signals the request eventfd (QEMU then unplugs the device from the
 * guest); without one, removal waits for the user to close.
 */
void mvgpu_irq_request(struct mvgpu_irq *irq)
{
	mvgpu_irq_signal_trigger(irq, VFIO_PCI_REQ_IRQ_INDEX);
}
