// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu_drm: the native driver of the GPU of Documentation/gpu-interface.rst,
 * on a vGPU (a guest of mvgpu) or a whole GPU.  Probe, removal, the DRM
 * driver, open files and GETPARAM.  Design: Documentation/guest-driver.rst;
 * uAPI: Documentation/drm-uapi.rst.
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include <drm/drm_atomic_helper.h>
#include <drm/drm_drv.h>
#include <drm/drm_fbdev_shmem.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/mvgpu_drm.h>

#include "context.h"
#include "drv.h"
#include "fb.h"
#include "gem.h"
#include "irq.h"
#include "ppgtt.h"
#include "regs.h"
#include "submit.h"

static int mvgpu_ioctl_getparam(struct drm_device *drm, void *data,
				struct drm_file *file)
{
	struct drm_mvgpu_getparam *args = data;
	struct mvgpu_drm *m = to_mvgpu(drm);
	const struct mvgpu_pvinfo *pv = &m->info;

	if (args->pad)
		return -EINVAL;
	switch (args->param) {
	case DRM_MVGPU_PARAM_UAPI_VERSION:
		args->value = DRM_MVGPU_UAPI_VERSION;
		break;
	case DRM_MVGPU_PARAM_IS_VGPU:
		args->value = pv->vgpu;
		break;
	case DRM_MVGPU_PARAM_VGPU_ID:
		args->value = pv->vgpu_id;
		break;
	case DRM_MVGPU_PARAM_PVINFO_VERSION:
		args->value = pv->version;
		break;
	case DRM_MVGPU_PARAM_GM_MAPPABLE_BASE:
		args->value = pv->mappable_base;
		break;
	case DRM_MVGPU_PARAM_GM_MAPPABLE_SIZE:
		args->value = pv->mappable_size;
		break;
	case DRM_MVGPU_PARAM_GM_HIDDEN_BASE:
		args->value = pv->hidden_base;
		break;
	case DRM_MVGPU_PARAM_GM_HIDDEN_SIZE:
		args->value = pv->hidden_size;
		break;
	case DRM_MVGPU_PARAM_ENGINES:
		args->value = BIT(DRM_MVGPU_ENGINE_RCS) | BIT(DRM_MVGPU_ENGINE_BCS);
		break;
	case DRM_MVGPU_PARAM_PPGTT_VA_BITS:
		args->value = MVGPU_PPGTT_VA_BITS;
		break;
	case DRM_MVGPU_PARAM_FAILSAFE:
		args->value = READ_ONCE(m->reset.failsafe) ||
			      mvgpu_pvinfo_failsafe(m);
		break;
	case DRM_MVGPU_PARAM_HAS_FAILSAFE:
		args->value = pv->has_failsafe;
		break;
	case DRM_MVGPU_PARAM_FAILSAFE_COUNT:
		args->value = atomic_read(&m->stats.failsafe);
		break;
	case DRM_MVGPU_PARAM_ENGINE_RESETS:
		args->value = atomic_read(&m->stats.engine_resets);
		break;
	case DRM_MVGPU_PARAM_FULL_RESETS:
		args->value = atomic_read(&m->stats.full_resets);
		break;
	case DRM_MVGPU_PARAM_CONTEXT_ERRORS:
		args->value = atomic_read(&m->stats.ctx_errors);
		break;
	case DRM_MVGPU_PARAM_HANGS:
		args->value = atomic_read(&m->stats.hangs);
		break;
	case DRM_MVGPU_PARAM_WEDGED:
		args->value = READ_ONCE(m->reset.wedged);
		break;
	case DRM_MVGPU_PARAM_EXEC_MAX_OBJECTS:
		args->value = MVGPU_EXEC_MAX_OBJECTS;
		break;
	case DRM_MVGPU_PARAM_EXEC_MAX_SYNCS:
		args->value = MVGPU_EXEC_MAX_SYNCS;
		break;
	case DRM_MVGPU_PARAM_GEM_MAX_SIZE:
		args->value = MVGPU_GEM_MAX_SIZE;
		break;
	case DRM_MVGPU_PARAM_MAX_CONTEXTS:
		args->value = MVGPU_MAX_CONTEXTS;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static const struct drm_ioctl_desc mvgpu_ioctls[] = {
	DRM_IOCTL_DEF_DRV(MVGPU_GETPARAM, mvgpu_ioctl_getparam,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(MVGPU_GEM_CREATE, mvgpu_ioctl_gem_create,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(MVGPU_GEM_MMAP_OFFSET, mvgpu_ioctl_gem_mmap_offset,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(MVGPU_GEM_WAIT, mvgpu_ioctl_gem_wait,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(MVGPU_GEM_BUSY, mvgpu_ioctl_gem_busy,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(MVGPU_CTX_CREATE, mvgpu_ioctl_ctx_create,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(MVGPU_CTX_DESTROY, mvgpu_ioctl_ctx_destroy,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(MVGPU_CTX_GETPARAM, mvgpu_ioctl_ctx_getparam,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(MVGPU_EXECBUF, mvgpu_ioctl_execbuf,
			  DRM_RENDER_ALLOW),
};

static int mvgpu_open(struct drm_device *drm, struct drm_file *file)
{
	struct mvgpu_file *mf = kzalloc(sizeof(*mf), GFP_KERNEL);
	int ret;

	if (!mf)
		return -ENOMEM;
	ret = mvgpu_vm_create(to_mvgpu(drm), &mf->vm);
	if (ret) {
		kfree(mf);
		return ret;
	}
	xa_init_flags(&mf->contexts, XA_FLAGS_ALLOC1);
	file->driver_priv = mf;
	return 0;
}

/* After the core closed every handle (and so every binding) of the file. */
static void mvgpu_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct mvgpu_file *mf = to_mvgpu_file(file);

	mvgpu_ctx_close_all(mf);
	mvgpu_vm_put(mf->vm);
	kfree(mf);
	file->driver_priv = NULL;
}

DEFINE_DRM_GEM_FOPS(mvgpu_fops);

static const struct drm_driver mvgpu_driver = {
	.driver_features = DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ |
			   DRIVER_SYNCOBJ_TIMELINE | DRIVER_MODESET |
			   DRIVER_ATOMIC,
	.open = mvgpu_open,
	.postclose = mvgpu_postclose,
	.gem_create_object = mvgpu_gem_create_object,
	.dumb_create = mvgpu_dumb_create,
	.ioctls = mvgpu_ioctls,
	.num_ioctls = ARRAY_SIZE(mvgpu_ioctls),
	.fops = &mvgpu_fops,
	.name = MVGPU_DRM_NAME,
	.desc = MVGPU_DRM_DESC,
	.major = 1,
	.minor = DRM_MVGPU_UAPI_VERSION - 1,
};

static void drv_release_requests(struct drm_device *drm, void *m)
{
	mvgpu_reset_fini(m);
	mvgpu_requests_fini(m);
	destroy_workqueue(((struct mvgpu_drm *)m)->wq);
}

static void drv_release_ggtt(struct drm_device *drm, void *m)
{
	mvgpu_ggtt_fini(m);
}

static void drv_release_ids(struct drm_device *drm, void *m)
{
	ida_destroy(&((struct mvgpu_drm *)m)->hw_ids);
}

static void drv_release_roots(struct drm_device *drm, void *m)
{
	mvgpu_vm_pool_fini(m);
}

static int drv_map_bar0(struct mvgpu_drm *m)
{
	struct pci_dev *pdev = m->pdev;

	if (pci_resource_len(pdev, 0) < MVGPU_BAR0_SIZE) {
		drm_err(&m->drm, "BAR0 is %llu bytes, not %llu\n",
			(u64)pci_resource_len(pdev, 0), MVGPU_BAR0_SIZE);
		return -ENODEV;
	}
	m->regs = pcim_iomap_region(pdev, 0, MVGPU_DRM_NAME);
	return PTR_ERR_OR_ZERO(m->regs);
}

/* Software state; the drm device's release undoes it. */
static int drv_init_sw(struct mvgpu_drm *m)
{
	unsigned int i;
	int ret;

	mvgpu_ggtt_init(m);
	ret = drmm_add_action_or_reset(&m->drm, drv_release_ggtt, m);
	if (ret)
		return ret;
	ida_init(&m->hw_ids);
	ret = drmm_add_action_or_reset(&m->drm, drv_release_ids, m);
	if (ret)
		return ret;
	mvgpu_vm_pool_init(m);
	ret = drmm_add_action_or_reset(&m->drm, drv_release_roots, m);
	if (ret)
		return ret;
	/* fence signalling waits for these: they must run under reclaim */
	m->wq = alloc_workqueue("mvgpu-drm", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!m->wq)
		return -ENOMEM;
	mvgpu_requests_init(m);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		mvgpu_engine_init(m, i);
	mvgpu_reset_init(m);
	return drmm_add_action_or_reset(&m->drm, drv_release_requests, m);
}

static int mvgpu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct mvgpu_drm *m;
	int ret;

	m = devm_drm_dev_alloc(&pdev->dev, &mvgpu_driver, struct mvgpu_drm,
			       drm);
	if (IS_ERR(m))
		return PTR_ERR(m);
	m->pdev = pdev;
	m->irq = -1;
	pci_set_drvdata(pdev, m);
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);
	ret = dma_set_mask_and_coherent(&pdev->dev,
					DMA_BIT_MASK(MVGPU_PPGTT_VA_BITS));
	ret = ret ?: drv_map_bar0(m);
	ret = ret ?: mvgpu_pvinfo_read(m);
	ret = ret ?: drv_init_sw(m);
	if (ret)
		return ret;
	/* whatever an earlier driver left running goes */
	ret = mvgpu_reset_hw(m, MVGPU_GDRST_FULL);
	if (ret) {
		drm_err(&m->drm, "the GPU does not come out of reset\n");
		return ret;
	}
	ret = mvgpu_engines_hws_init(m);
	ret = ret ?: mvgpu_irq_init(m);
	if (ret)
		return ret;
	mvgpu_hw_init(m);
	ret = mvgpu_display_init(m);
	ret = ret ?: drm_dev_register(&m->drm, 0);
	if (ret) {
		mvgpu_irq_fini(m);
		return ret;
	}
	drm_info(&m->drm, "%s %u (PV info %u.%u): mappable 0x%llx+%llu MiB, hidden 0x%llx+%llu MiB%s, CSB in %s\n",
		 m->info.vgpu ? "vGPU" : "whole GPU", m->info.vgpu_id,
		 m->info.version >> 16, m->info.version & 0xffff,
		 m->info.mappable_base, m->info.mappable_size >> 20,
		 m->info.hidden_base, m->info.hidden_size >> 20,
		 m->info.has_failsafe ? ", failsafe reported" : "",
		 m->engine[MVGPU_ENGINE_RCS].use_hws &&
		 m->engine[MVGPU_ENGINE_BCS].use_hws ? "status pages" : "registers");
	/* the console on the vGPU's screen */
	drm_fbdev_shmem_setup(&m->drm, 32);
	return 0;
}

static void mvgpu_remove(struct pci_dev *pdev)
{
	struct mvgpu_drm *m = pci_get_drvdata(pdev);
	unsigned int i;

	/* the pipe stops, the flips under way complete */
	drm_atomic_helper_shutdown(&m->drm);
	WRITE_ONCE(m->dead, true);
	/* a reset under way ends (and restarts its engine) first */
	mvgpu_reset_fini(m);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		mvgpu_engine_stop(&m->engine[i]);
	mvgpu_irq_fini(m);
	/* from here on, only this function reaches the hardware */
	drm_dev_unplug(&m->drm);
	/* drop whatever the GPU still has; then leave no GGTT entry behind */
	mvgpu_reset_hw(m, MVGPU_GDRST_FULL);
	mvgpu_ggtt_clear_all(m);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		mvgpu_engine_cancel(&m->engine[i]);
	mvgpu_requests_cancel_waiting(m);
	mvgpu_requests_flush(m);
}

static const struct pci_device_id mvgpu_pci_ids[] = {
	{ PCI_DEVICE(MVGPU_PCI_VENDOR_ID, MVGPU_PCI_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, mvgpu_pci_ids);

static struct pci_driver mvgpu_pci_driver = {
	.name = MVGPU_DRM_NAME,
	.id_table = mvgpu_pci_ids,
	.probe = mvgpu_probe,
	.remove = mvgpu_remove,
};

module_pci_driver(mvgpu_pci_driver);

MODULE_DESCRIPTION("DRM driver for the mvgpu GPU and vGPU");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DMA_BUF);
