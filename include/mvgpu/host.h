/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What mvgpu.ko offers the host's own clients of its physical GPUs in
 * other modules (mvgpu_native.ko), exported in the MVGPU namespace
 * (MODULE_IMPORT_NS(MVGPU)):
 *
 * - the pGPUs: mvgpu_register_interface() calls back as each pGPU device,
 *   /sys/class/mvgpu/mvgpuN, comes and goes; mvgpu_dev_pgpu() gives the
 *   pGPU of such a device (mdev/parent.c).
 * - the physical GPU: the pGPU's backend, mvgpu_pgpu_backend(), whose
 *   ops (<mvgpu/backend.h>) the client calls itself.
 * - the engines: mvgpu_pgpu_set_host() borrows them from the pGPU's
 *   scheduler, which holds vGPU work back meanwhile, and gives them back.
 *   One host client per pGPU.
 * - graphics memory: the client may map what it likes at
 *   MVGPU_PGPU_HOST_APERTURE_* and MVGPU_PGPU_HOST_HIDDEN_* through the
 *   backend's GGTT; the rest belongs to the vGPUs and to the shadows of
 *   their work (gvt/pgpu.h).
 *
 * The pGPU is opaque here, as to mdev/; see "Layers" in
 * Documentation/architecture.rst.
 */
#ifndef _MVGPU_HOST_H
#define _MVGPU_HOST_H

#include <linux/types.h>

#define MVGPU_PGPU_HOST_APERTURE_BASE	0ULL
#define MVGPU_PGPU_HOST_APERTURE_SIZE	(512ULL << 20)
#define MVGPU_PGPU_HOST_HIDDEN_BASE	(1024ULL << 20)
#define MVGPU_PGPU_HOST_HIDDEN_SIZE	(512ULL << 20)

struct class_interface;
struct device;
struct mvgpu_backend;
struct mvgpu_backend_client;
struct mvgpu_pgpu;

/* mdev/parent.c */
int mvgpu_register_interface(struct class_interface *intf);
void mvgpu_unregister_interface(struct class_interface *intf);
struct mvgpu_pgpu *mvgpu_dev_pgpu(struct device *dev);

/* gvt/pgpu.c */
struct mvgpu_backend *mvgpu_pgpu_backend(struct mvgpu_pgpu *pgpu);
void mvgpu_pgpu_set_host(struct mvgpu_pgpu *pgpu,
			 const struct mvgpu_backend_client *client);

#endif /* _MVGPU_HOST_H */
