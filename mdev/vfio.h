/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vGPU as a VFIO device.
 */
#ifndef _MVGPU_VFIO_H
#define _MVGPU_VFIO_H

#include <linux/vfio.h>

#include "aperture_mmap.h"
#include "display.h"
#include "dma_guard.h"
#include "irq.h"
#include "kvm.h"
#include "migration.h"

struct mvgpu_vgpu;
struct task_struct;

/**
 * struct mvgpu_vfio - the VFIO face of one vGPU
 * @vdev: the VFIO device, whose release frees this structure
 * @vgpu: the device model (gvt/)
 * @irq: interrupt eventfds
 * @kvm: page tracking in the KVM guest that has it open
 * @ap_map: user mappings of BAR2
 * @guard: guest memory being unmapped, not to be pinned (dma_guard.c)
 * @display: the guest's screen for the VMM (display.c)
 * @owner: thread group id, in the initial PID namespace, of the process
 *         that opened the device (the VMM), 0 while it is closed; set by
 *         open and close, which the VFIO core serializes, read without a
 *         lock by sysfs owner_pid
 * @owner_task: the thread group leader of that process, referenced while
 *              the device is open, whose RLIMIT_MEMLOCK bounds the vGPU's
 *              pins unless @owner_lock_cap (guest_mem_ops.pin_limit);
 *              set by open and close, read with the vGPU's lock held
 * @owner_lock_cap: that process had CAP_IPC_LOCK when it opened the
 *                  device, as VFIO type1 checks it: no bound
 * @mig: live migration (migration.c)
 */
struct mvgpu_vfio {
	struct vfio_device vdev;
	struct mvgpu_vgpu *vgpu;
	struct mvgpu_irq irq;
	struct mvgpu_kvm kvm;
	struct mvgpu_ap_map ap_map;
	struct mvgpu_dma_guard *guard;
	struct mvgpu_display display;
	pid_t owner;
	struct task_struct *owner_task;
	bool owner_lock_cap;
	struct mvgpu_mig mig;
};

extern const struct vfio_device_ops mvgpu_vfio_ops;
/* sysfs mvgpu/owner_pid of a vGPU, in parent.c's attribute group */
extern struct device_attribute mvgpu_vfio_attr_owner_pid;

#endif /* _MVGPU_VFIO_H */
