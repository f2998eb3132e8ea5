/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvgpu_drm: the device, and what ties its parts together.
 */
#ifndef _MVGPU_DRM_DRV_H
#define _MVGPU_DRM_DRV_H

#include <linux/atomic.h>
#include <linux/idr.h>
#include <linux/pci.h>
#include <linux/workqueue.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>

#include <mvgpu/mvgpu_regs.h>

#include "display.h"
#include "execlist.h"
#include "ggtt.h"
#include "pvinfo.h"
#include "request.h"
#include "reset.h"

#define MVGPU_DRM_NAME		"mvgpu"
#define MVGPU_DRM_DESC		"mvgpu GPU (Documentation/gpu-interface.rst)"

/* Limits the uAPI reports (drm-uapi.rst). */
#define MVGPU_EXEC_MAX_OBJECTS	4096
#define MVGPU_EXEC_MAX_SYNCS	64
#define MVGPU_GEM_MAX_SIZE	BIT_ULL(32)
#define MVGPU_MAX_CONTEXTS	64

/**
 * struct mvgpu_stats - counters GETPARAM reports, since load
 * @engine_resets: GDRST engine resets done
 * @full_resets: GDRST full resets done
 * @failsafe: failsafe episodes recovered from
 * @ctx_errors: contexts banned for an error (hangs included)
 * @hangs: contexts banned for a hang
 */
struct mvgpu_stats {
	atomic_t engine_resets;
	atomic_t full_resets;
	atomic_t failsafe;
	atomic_t ctx_errors;
	atomic_t hangs;
};

/**
 * struct mvgpu_drm - the device
 * @drm: the DRM device; the struct lives as long as it
 * @pdev: the PCI device
 * @regs: BAR0: registers, PV info page, GGTT window
 * @info: from the PV info page (constant)
 * @ggtt: graphics memory the driver owns
 * @engine: the two engines and their execlists
 * @irq: the interrupt (MSI, or INTx), or -1 after removal
 * @irq_gt: GT interrupt bits the hard handler acknowledged, for the thread
 * @wq: the driver's work items (submission, retirement, reset): reclaim
 *      safe, as fence signalling depends on them
 * @rq: requests between the ioctl and their release
 * @reset: hang, error and failsafe recovery
 * @hw_ids: context IDs of descriptors (hardware contexts)
 * @roots_lock: protects @roots
 * @roots: PML4 tables of destroyed PPGTTs, kept for new ones (ppgtt.c)
 * @display: KMS objects and the pipe
 * @stats: counters
 * @dead: the device was removed: nothing reaches the hardware any more
 */
struct mvgpu_drm {
	struct drm_device drm;
	struct pci_dev *pdev;
	void __iomem *regs;
	struct mvgpu_pvinfo info;
	struct mvgpu_ggtt ggtt;
	struct mvgpu_engine engine[MVGPU_NUM_ENGINES];
	int irq;
	atomic_t irq_gt;
	struct workqueue_struct *wq;
	struct mvgpu_requests rq;
	struct mvgpu_reset reset;
	struct ida hw_ids;
	struct mutex roots_lock; /* see @roots_lock above */
	struct list_head roots;
	struct mvgpu_display display;
	struct mvgpu_stats stats;
	bool dead;
};

static inline struct mvgpu_drm *to_mvgpu(struct drm_device *drm)
{
	return container_of(drm, struct mvgpu_drm, drm);
}

/**
 * struct mvgpu_file - what an open file of the device owns
 * @vm: its PPGTT, shared by its LEGACY_64B contexts
 * @contexts: its contexts by ID (struct mvgpu_ctx; the xarray's lock)
 */
struct mvgpu_file {
	struct mvgpu_vm *vm;
	struct xarray contexts;
};

static inline struct mvgpu_file *to_mvgpu_file(struct drm_file *file)
{
	return file->driver_priv;
}

#endif /* _MVGPU_DRM_DRV_H */
