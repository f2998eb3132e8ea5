/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupt delivery of a vGPU to its VFIO user: INTx, MSI, the error
 * and the device request interrupts, each through an eventfd.
 */
#ifndef _MVGPU_IRQ_H
#define _MVGPU_IRQ_H

#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/vfio.h>

struct eventfd_ctx;
struct virqfd;

/**
 * struct mvgpu_irq - eventfds and INTx state of one vGPU
 * @lock: protects @intx_masked, @intx_level and @intx_disabled, and
 *        writes of @trigger (read under RCU); a spinlock because
 *        interrupts are raised from atomic context.  Never held while an
 *        eventfd is signalled.
 * @set_lock: serialises VFIO_DEVICE_SET_IRQS and close; protects
 *            @unmask_fd; taken before @lock
 * @trigger: eventfd signalled for each interrupt index, or NULL
 * @unmask_fd: eventfd that unmasks INTx when signalled (KVM resample)
 * @intx_masked: INTx masked by the user, or auto-masked after firing
 * @intx_level: the device asserts its INTx line
 * @intx_disabled: the guest set Interrupt Disable in the command register
 */
struct mvgpu_irq {
	spinlock_t lock; /* see @lock above */
	struct mutex set_lock; /* see @set_lock above */
	struct eventfd_ctx __rcu *trigger[VFIO_PCI_NUM_IRQS];
	struct virqfd *unmask_fd;
	bool intx_masked;
	bool intx_level;
	bool intx_disabled;
};

void mvgpu_irq_init(struct mvgpu_irq *irq);
void mvgpu_irq_release(struct mvgpu_irq *irq);
int mvgpu_irq_get_info(struct vfio_irq_info *info);
int mvgpu_irq_set(struct mvgpu_irq *irq, unsigned long arg);
void mvgpu_irq_set_level(struct mvgpu_irq *irq, bool asserted);
void mvgpu_irq_set_intx_disabled(struct mvgpu_irq *irq, bool disabled);
void mvgpu_irq_request(struct mvgpu_irq *irq);

#endif /* _MVGPU_IRQ_H */
