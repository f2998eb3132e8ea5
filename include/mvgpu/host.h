/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What mvgpu.ko offers the host's own clients of its physical GPUs in
 * other modules (mvgpu_native.ko), exported in the MVGPU namespace
 * (MODULE_IMPORT_NS(MVGPU)):
 *
 * - the pGPUs: mvgpu_register_interface() calls back as each pGPU device,
 *   /sys/class/mvgpu/mvgpuN, comes and goes; mvgpu_dev_pgpu() gives the
 *   pGPU (gvt/pgpu.h) of such a device.
 * - the physical GPU: the pGPU's backend, pgpu->backend, whose ops
 *   (gvt/backend.h) the client calls itself.
 * - the engines: mvgpu_sched_set_host() (gvt/sched.h) borrows them from
 *   the pGPU's scheduler, which holds vGPU work back meanwhile, and gives
 *   them back.  One host client per pGPU.
 * - graphics memory: the client may map what it likes at
 *   MVGPU_PGPU_HOST_APERTURE_* and MVGPU_PGPU_HOST_HIDDEN_* (gvt/pgpu.h)
 *   through the backend's GGTT; the rest belongs to the vGPUs and to the
 *   shadows of their work.
 */
#ifndef _MVGPU_HOST_H
#define _MVGPU_HOST_H

struct class_interface;
struct device;
struct mvgpu_pgpu;

int mvgpu_register_interface(struct class_interface *intf);
void mvgpu_unregister_interface(struct class_interface *intf);
struct mvgpu_pgpu *mvgpu_dev_pgpu(struct device *dev);

#endif /* _MVGPU_HOST_H */
