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
	struct mvgpu_mig mig;
};

extern const struct vfio_device_ops mvgpu_vfio_ops;
/* sysfs mvgpu/owner_pid of a vGPU, in parent.c's attribute group */
extern struct device_attribute mvgpu_vfio_attr_owner_pid;

#endif /* _MVGPU_VFIO_H */
