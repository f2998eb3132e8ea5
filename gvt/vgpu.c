// SPDX-License-Identifier: GPL-2.0-only
/*
 * vGPU creation, reset and destruction, and what mdev/ reaches of a vGPU
 * besides its BARs (<mvgpu/vgpu.h>): config space, its resources and
 * counters, and the VMM's and KVM's reports.  Each of these takes the
 * vGPU's lock itself.
 */
#include <linux/build_bug.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/highmem.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <mvgpu/backend.h>
#include <mvgpu/mvgpu_pci.h>
#include <mvgpu/mvgpu_regs.h>
#include <mvgpu/vgpu_type.h>

#include "batch_cache.h"
#include "ctx_shadow.h"
#include "display.h"
#include "execlist.h"
#include "ggtt.h"
#include "pgpu.h"
#include "ppgtt.h"
#include "retire.h"
#include "sched.h"
#include "shadow_mem.h"
#include "stages.h"
#include "trace.h"
#include "trim.h"
#include "vgpu.h"
#include "vgpu_types.h"
#include "workload.h"

static void vgpu_elsp_submit(void *priv, unsigned int engine,
			     const u64 desc[2])
{
	mvgpu_workload_submit(priv, engine, desc);
}

/**
 * mvgpu_vgpu_stop_engine() - drop a vGPU engine's queued and running work
 * @vgpu: the vGPU, its lock held
 * @engine: MVGPU_ENGINE_*
 *
 * None of the work is delivered; the engine is idle for the guest, and
 * runs nothing of the vGPU's any more, so what waited for that work is
 * released.  Used by resets, teardown and after a hang (see workload.c).
 */
void mvgpu_vgpu_stop_engine(struct mvgpu_vgpu *vgpu, unsigned int engine)
{
	struct mvgpu_vexec *ex = &vgpu->exec[engine];

	lockdep_assert_held(&vgpu->lock);
	mvgpu_sched_stop_queue(&vgpu->pgpu->sched, engine,
			       &vgpu->queue[engine]);
	ex->gen++;
	ex->active = false;
	mvgpu_batch_cache_forget_engine(&vgpu->bcache, engine);
	if (ex->last) {
		mvgpu_workload_put(ex->last);
		ex->last = NULL;
	}
	mvgpu_retire_stop(vgpu, engine);
}

static void vgpu_stop_engines(struct mvgpu_vgpu *vgpu)
{
	unsigned int i;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		mvgpu_vgpu_stop_engine(vgpu, i);
}

static void vgpu_gdrst(void *priv, u32 bits)
{
	struct mvgpu_vgpu *vgpu = priv;

	trace_mvgpu_reset(vgpu, MVGPU_TRACE_RESET_GUEST, bits);
	if (bits & MVGPU_GDRST_FULL) {
		vgpu_stop_engines(vgpu);
		/* the guest may reuse its table pages: untrack them */
		if (vgpu->mem_ops)
			mvgpu_ppgtt_destroy_all(vgpu);
		vgpu->failsafe = false;
		vgpu->rejects = 0;
		mvgpu_vregs_reset(&vgpu->vregs);
		mvgpu_vdisplay_update(vgpu);
		return;
	}
	if (bits & MVGPU_GDRST_RENDER) {
		mvgpu_vgpu_stop_engine(vgpu, MVGPU_ENGINE_RCS);
		mvgpu_vregs_reset_engine(&vgpu->vregs, MVGPU_ENGINE_RCS);
	}
	if (bits & MVGPU_GDRST_BLT) {
		mvgpu_vgpu_stop_engine(vgpu, MVGPU_ENGINE_BCS);
		mvgpu_vregs_reset_engine(&vgpu->vregs, MVGPU_ENGINE_BCS);
	}
}

static void vgpu_irq_level(void *priv, bool asserted)
{
	struct mvgpu_vgpu *vgpu = priv;

	lockdep_assert_held(&vgpu->lock);
	trace_mvgpu_irq(vgpu, asserted);
	if (vgpu->irq_ops)
		vgpu->irq_ops->set_level(vgpu->irq_priv, asserted);
	if (asserted)
		mvgpu_stages_irq(vgpu);
}

/* The command register's Interrupt Disable bit may have changed. */
static void vgpu_irq_intx_disabled(struct mvgpu_vgpu *vgpu)
{
	lockdep_assert_held(&vgpu->lock);
	if (vgpu->irq_ops && vgpu->irq_ops->set_intx_disabled)
		vgpu->irq_ops->set_intx_disabled(vgpu->irq_priv,
						 mvgpu_cfg_intx_disabled(&vgpu->cfg));
}

static void vgpu_bad_access(void *priv, u32 offset, bool write,
			    const char *why)
{
	struct mvgpu_vgpu *vgpu = priv;

	atomic64_inc(&vgpu->stats.bad_mmio);
	mvgpu_vgpu_warn(vgpu, "register %s at 0x%x refused: %s\n",
			write ? "write" : "read", offset, why);
}

/*
 * The engine's status page is reached through the guest's GGTT: an
 * address the GGTT refuses is counted and logged, and the access dropped.
 */
static int vgpu_hws_rw(struct mvgpu_vgpu *vgpu, unsigned int engine,
		       u32 gm_addr, void *buf, unsigned int len, bool write)
{
	if (!mvgpu_ggtt_guest_rw(vgpu, gm_addr, buf, len, write))
		return 0;
	atomic64_inc(&vgpu->stats.bad_ggtt);
	mvgpu_vgpu_warn(vgpu, "engine %u: status page %s at 0x%x refused: not in the vGPU's mapped graphics memory\n",
			engine, write ? "write" : "read", gm_addr);
	return -EFAULT;
}

/* CSB entries the engine writes (the CSB registers still have them). */
static void vgpu_hws_write(void *priv, unsigned int engine, u32 gm_addr,
			   const void *buf, unsigned int len)
{
	vgpu_hws_rw(priv, engine, gm_addr, (void *)buf, len, true);
}

/* The driver's submit queue. */
static int vgpu_hws_read(void *priv, unsigned int engine, u32 gm_addr,
			 void *buf, unsigned int len)
{
	return vgpu_hws_rw(priv, engine, gm_addr, buf, len, false);
}

static void vgpu_plane_update(void *priv)
{
	mvgpu_vdisplay_update(priv);
}

static const struct mvgpu_vreg_ops vgpu_vreg_ops = {
	.elsp_submit = vgpu_elsp_submit,
	.gdrst = vgpu_gdrst,
	.irq_level = vgpu_irq_level,
	.plane_update = vgpu_plane_update,
	.bad_access = vgpu_bad_access,
	.hws_write = vgpu_hws_write,
	.hws_read = vgpu_hws_read,
};

static void vgpu_init_vregs(struct mvgpu_vgpu *vgpu)
{
	struct mvgpu_backend *be = vgpu->pgpu->backend;
	struct mvgpu_vreg_info info = {
		.vgpu_id = vgpu->res.id,
		.aperture_base = vgpu->res.aperture.base,
		.aperture_size = vgpu->res.aperture.size,
		.hidden_base = vgpu->res.hidden.base,
		.hidden_size = vgpu->res.hidden.size,
		.max_width = vgpu->type->max_width,
		.max_height = vgpu->type->max_height,
		.edid = be->ops->edid ? be->ops->edid(be) : NULL,
	};

	mvgpu_vregs_init(&vgpu->vregs, vgpu->vreg_vals, &info,
			 &vgpu_vreg_ops, vgpu);
}

static int vgpu_add_queues(struct mvgpu_vgpu *vgpu)
{
	unsigned int i;
	int ret;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		ret = mvgpu_sched_add_queue(&vgpu->pgpu->sched, i,
					    &vgpu->queue[i], vgpu->type->weight);
		if (ret)
			goto err;
	}
	return 0;

err:
	while (i--)
		mvgpu_sched_remove_queue(&vgpu->pgpu->sched, i, &vgpu->queue[i]);
	return ret;
}

/* Stop and remove the queues; no workload of the vGPU is left. */
static void vgpu_remove_queues(struct mvgpu_vgpu *vgpu)
{
	unsigned int i;

	mutex_lock(&vgpu->lock);
	vgpu_stop_engines(vgpu);
	mutex_unlock(&vgpu->lock);
	mvgpu_sched_sync(&vgpu->pgpu->sched);
	mvgpu_workload_deliver_flush(vgpu);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		mvgpu_sched_remove_queue(&vgpu->pgpu->sched, i, &vgpu->queue[i]);
}

/**
 * mvgpu_vgpu_init() - create a vGPU of @type on @pgpu
 * @vgpu: zeroed vGPU to set up
 * @pgpu: the pGPU lending resources
 * @type: the vGPU's type
 * @dev: device its log lines name
 * @irq_ops: how it raises its interrupt
 * @irq_priv: argument of @irq_ops
 *
 * Return: 0, -ENOSPC when @pgpu has no room for @type, or another
 * negative errno.  Nothing is held on failure.
 */
int mvgpu_vgpu_init(struct mvgpu_vgpu *vgpu, struct mvgpu_pgpu *pgpu,
		    const struct mvgpu_type_desc *type, struct device *dev,
		    const struct mvgpu_vgpu_irq_ops *irq_ops, void *irq_priv)
{
	int ret;

	vgpu->pgpu = pgpu;
	vgpu->type = type;
	vgpu->dev = dev;
	vgpu->irq_ops = irq_ops;
	vgpu->irq_priv = irq_priv;
	mutex_init(&vgpu->lock);
	mutex_init(&vgpu->ap_lock);
	ratelimit_state_init(&vgpu->ratelimit, 5 * HZ, 10);
	ratelimit_set_flags(&vgpu->ratelimit, RATELIMIT_MSG_ON_RELEASE);

	ret = mvgpu_pgpu_alloc_vgpu_res(pgpu, type, &vgpu->res);
	if (ret)
		goto err_mutex;
	vgpu->vreg_vals = kcalloc(mvgpu_vreg_count(), sizeof(u32), GFP_KERNEL_ACCOUNT);
	if (!vgpu->vreg_vals) {
		ret = -ENOMEM;
		goto err_res;
	}
	vgpu->ggtt_entries = (type->aperture_size + type->hidden_size) >>
			     MVGPU_GTT_PAGE_SHIFT;
	ret = mvgpu_ggtt_init(vgpu);
	if (ret)
		goto err_vreg;
	vgpu->scratch = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!vgpu->scratch) {
		ret = -ENOMEM;
		goto err_scratch;
	}
	ret = mvgpu_shadow_mem_init(&vgpu->shadow, pgpu->backend,
				    vgpu->res.shadow.base, vgpu->res.shadow.size);
	if (ret)
		goto err_shadow_mem;
	ret = mvgpu_ppgtt_init(&vgpu->ppgtt);
	if (ret)
		goto err_shadow;
	mvgpu_retire_init(&vgpu->retire);
	mvgpu_batch_cache_init(&vgpu->bcache);
	memset(&vgpu->cshadows, 0, sizeof(vgpu->cshadows));
	mvgpu_workload_deliver_init(vgpu);
	ret = mvgpu_workload_slots_init(vgpu);
	if (ret)
		goto err_ppgtt;
	ret = vgpu_add_queues(vgpu);
	if (ret)
		goto err_slots;
	mvgpu_cfg_init(&vgpu->cfg, type->subsys_device);
	vgpu_init_vregs(vgpu);
	mvgpu_vdisplay_init(vgpu);
	mvgpu_vgpu_reset(vgpu);
	mvgpu_trim_add(vgpu);
	return 0;

err_slots:
	mvgpu_workload_slots_fini(vgpu);
err_ppgtt:
	mvgpu_ppgtt_fini(&vgpu->ppgtt);
err_shadow:
	mvgpu_shadow_mem_fini(&vgpu->shadow);
err_shadow_mem:
	__free_page(vgpu->scratch);
err_scratch:
	mvgpu_ggtt_fini(vgpu);
err_vreg:
	kfree(vgpu->vreg_vals);
err_res:
	mvgpu_pgpu_free_vgpu_res(pgpu, &vgpu->res);
err_mutex:
	mutex_destroy(&vgpu->ap_lock);
	mutex_destroy(&vgpu->lock);
	return ret;
}

/**
 * mvgpu_vgpu_fini() - destroy a vGPU and give its resources back
 * @vgpu: vGPU set up by mvgpu_vgpu_init(), no longer reachable by users
 */
void mvgpu_vgpu_fini(struct mvgpu_vgpu *vgpu)
{
	mvgpu_trim_remove(vgpu);
	mvgpu_vdisplay_fini(vgpu);
	vgpu_remove_queues(vgpu);
	mvgpu_batch_cache_clear(&vgpu->bcache);
	mvgpu_workload_slots_fini(vgpu);
	mvgpu_ctx_shadows_clear(&vgpu->cshadows, &vgpu->shadow);
	mvgpu_ppgtt_fini(&vgpu->ppgtt);
	mvgpu_shadow_mem_fini(&vgpu->shadow);
	__free_page(vgpu->scratch);
	ratelimit_state_exit(&vgpu->ratelimit);
	mvgpu_ggtt_fini(vgpu);
	kfree(vgpu->vreg_vals);
	mvgpu_pgpu_free_vgpu_res(vgpu->pgpu, &vgpu->res);
	mutex_destroy(&vgpu->ap_lock);
	mutex_destroy(&vgpu->lock);
}

/**
 * mvgpu_vgpu_create() - allocate and set up a vGPU of @type on @pgpu
 * @pgpu: the pGPU lending resources
 * @type: the vGPU's type
 * @dev: device its log lines name
 * @irq_ops: how it raises its interrupt
 * @irq_priv: argument of @irq_ops
 *
 * Return: the vGPU, reset, or ERR_PTR(-ENOSPC) when @pgpu has no room
 * for @type, or another ERR_PTR().
 */
struct mvgpu_vgpu *mvgpu_vgpu_create(struct mvgpu_pgpu *pgpu,
				     const struct mvgpu_type_desc *type,
				     struct device *dev,
				     const struct mvgpu_vgpu_irq_ops *irq_ops,
				     void *irq_priv)
{
	struct mvgpu_vgpu *vgpu;
	int ret;

	vgpu = kzalloc(sizeof(*vgpu), GFP_KERNEL_ACCOUNT);
	if (!vgpu)
		return ERR_PTR(-ENOMEM);
	ret = mvgpu_vgpu_init(vgpu, pgpu, type, dev, irq_ops, irq_priv);
	if (ret) {
		kfree(vgpu);
		return ERR_PTR(ret);
	}
	return vgpu;
}

/**
 * mvgpu_vgpu_destroy() - destroy a vGPU made by mvgpu_vgpu_create()
 * @vgpu: the vGPU, no longer reachable by users
 */
void mvgpu_vgpu_destroy(struct mvgpu_vgpu *vgpu)
{
	mvgpu_vgpu_fini(vgpu);
	kfree(vgpu);
}

/**
 * mvgpu_vgpu_reset() - device-level reset
 * @vgpu: the vGPU
 *
 * Queued and running work is dropped; config space, registers, GGTT and
 * the aperture's scratch page return to their power-on contents and
 * failsafe mode ends; a vGPU stopped for a migration runs again.
 * Opening and closing the device reset it, so its next user finds
 * nothing of the last one.  The interrupt ops hear of the
 * command register's Interrupt Disable bit, cleared by the reset.
 */
void mvgpu_vgpu_reset(struct mvgpu_vgpu *vgpu)
{
	mutex_lock(&vgpu->lock);
	trace_mvgpu_reset(vgpu, MVGPU_TRACE_RESET_DEVICE, 0);
	vgpu_stop_engines(vgpu);
	if (vgpu->mem_ops)
		mvgpu_ppgtt_destroy_all(vgpu);
	vgpu->failsafe = false;
	vgpu->rejects = 0;
	vgpu->mig_stopped = false;
	mvgpu_cfg_reset(&vgpu->cfg);
	vgpu_irq_intx_disabled(vgpu);
	mvgpu_ggtt_clear(vgpu);
	mvgpu_vregs_reset(&vgpu->vregs);
	mvgpu_vdisplay_update(vgpu);
	/* BAR2 mappings show it where no page is, and are writable */
	memset(page_address(vgpu->scratch), 0, PAGE_SIZE);
	mutex_unlock(&vgpu->lock);
}

/*
 * The host stops @engine's work.  When some was in flight, the guest
 * hears of it as of a hang: its element 0 ends with ERROR and
 * ACTIVE_TO_IDLE, error code MVGPU_ERR_RESET, and element 1, if any, was
 * dropped unrun.  The engine's registers stay as the guest knows them.
 */
static void vgpu_host_reset_engine(struct mvgpu_vgpu *vgpu,
				   unsigned int engine)
{
	struct mvgpu_vengine_error err = {
		.status = MVGPU_ERR_RESET |
			  MVGPU_SPACE_RING << MVGPU_ERR_STATUS_SPACE_SHIFT,
	};
	bool active = vgpu->exec[engine].active;
	bool busy;

	lockdep_assert_held(&vgpu->lock);
	busy = mvgpu_retire_oldest(&vgpu->retire, engine, &err.ctx_id);
	mvgpu_vgpu_stop_engine(vgpu, engine);
	if (!busy)
		return;
	if (!active)
		mvgpu_execlist_csb_event(&vgpu->vregs, engine,
					 MVGPU_CSB_IDLE_TO_ACTIVE, err.ctx_id);
	mvgpu_execlist_error(&vgpu->vregs, engine, &err);
	mvgpu_execlist_csb_event(&vgpu->vregs, engine,
				 MVGPU_CSB_ERROR | MVGPU_CSB_ACTIVE_TO_IDLE,
				 err.ctx_id);
}

/**
 * mvgpu_vgpu_host_reset() - reset a vGPU for the host, its guest running
 * @vgpu: the vGPU
 *
 * For an operator clearing a hung or failsafe tenant without restarting
 * its guest (sysfs ``reset``).  The vGPU's queued and running work is
 * dropped, and the guest is told through the interface it already
 * handles: each engine that had work in flight reports its element 0
 * ended with ERROR, code MVGPU_ERR_RESET, raising the context-switch and
 * command error interrupts (gpu-interface.rst, "Reset by the host").
 * Failsafe mode ends and the PPGTT shadows are dropped, as by a full
 * reset; registers, GGTT, display and config space are kept, so the
 * guest's next submission runs.
 */
void mvgpu_vgpu_host_reset(struct mvgpu_vgpu *vgpu)
{
	unsigned int i;
	u32 *fs;

	mutex_lock(&vgpu->lock);
	trace_mvgpu_reset(vgpu, MVGPU_TRACE_RESET_HOST, 0);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		vgpu_host_reset_engine(vgpu, i);
	if (vgpu->mem_ops)
		mvgpu_ppgtt_destroy_all(vgpu);
	vgpu->failsafe = false;
	vgpu->rejects = 0;
	fs = mvgpu_vreg_slot(&vgpu->vregs, MVGPU_PVINFO_OFFSET +
			     MVGPU_PVINFO_FAILSAFE_REG);
	if (fs)
		*fs = 0;
	atomic64_inc(&vgpu->stats.host_resets);
	mutex_unlock(&vgpu->lock);
	dev_info(vgpu->dev, "reset by the host\n");
}

/**
 * mvgpu_vgpu_cfg_read() - guest read of PCI config space
 * @vgpu: the vGPU
 * @off: first byte
 * @buf: destination, @len bytes
 * @len: any length that stays inside the 256-byte space
 *
 * Return: 0, or -EINVAL for a range outside the config space.
 */
int mvgpu_vgpu_cfg_read(struct mvgpu_vgpu *vgpu, u64 off, void *buf,
			u64 len)
{
	int ret;

	mutex_lock(&vgpu->lock);
	ret = mvgpu_cfg_read(&vgpu->cfg, off, buf, len);
	mutex_unlock(&vgpu->lock);
	return ret;
}

/**
 * mvgpu_vgpu_cfg_write() - guest write of PCI config space
 * @vgpu: the vGPU
 * @off: first byte
 * @buf: source, @len bytes
 * @len: any length that stays inside the 256-byte space
 *
 * With PCI semantics (cfg_space.c).  The interrupt ops hear of the
 * command register's Interrupt Disable bit before the vGPU's lock is
 * released, so racing writes reach them in the order they took effect.
 *
 * Return: 0, or -EINVAL for a range outside the config space.
 */
int mvgpu_vgpu_cfg_write(struct mvgpu_vgpu *vgpu, u64 off, const void *buf,
			 u64 len)
{
	int ret;

	mutex_lock(&vgpu->lock);
	ret = mvgpu_cfg_write(&vgpu->cfg, off, buf, len);
	if (!ret)
		vgpu_irq_intx_disabled(vgpu);
	mutex_unlock(&vgpu->lock);
	return ret;
}

/**
 * mvgpu_vgpu_set_mem_ops() - connect or disconnect guest memory
 * @vgpu: the vGPU
 * @ops: accessors, or NULL when the device is closed
 * @priv: their argument
 *
 * Disconnecting stops the vGPU's work, then releases every pin taken
 * through the old ops.
 */
void mvgpu_vgpu_set_mem_ops(struct mvgpu_vgpu *vgpu,
			    const struct mvgpu_guest_mem_ops *ops, void *priv)
{
	mutex_lock(&vgpu->lock);
	vgpu_stop_engines(vgpu);
	if (vgpu->mem_ops) {
		mvgpu_ppgtt_destroy_all(vgpu);
		mvgpu_ggtt_unshadow_all(vgpu);
	}
	vgpu->mem_ops = ops;
	vgpu->mem_priv = priv;
	mutex_unlock(&vgpu->lock);
}

/**
 * mvgpu_vgpu_dma_unmap() - the user unmapped part of guest memory
 * @vgpu: the vGPU
 * @iova: first guest physical address
 * @len: bytes
 *
 * Everything the vGPU pinned in the range is released before this
 * returns, as VFIO requires.  Work that may use those pages is stopped
 * first, so no engine touches them once they are released; that
 * includes pages of entries changed since the work was submitted, whose
 * pins wait for it (retire.c).
 */
void mvgpu_vgpu_dma_unmap(struct mvgpu_vgpu *vgpu, u64 iova, u64 len)
{
	mutex_lock(&vgpu->lock);
	if (mvgpu_ggtt_shadows_range(vgpu, iova, len) ||
	    mvgpu_ppgtt_pins_range(vgpu, iova, len) ||
	    mvgpu_retire_pins_range(vgpu, iova, len)) {
		mvgpu_vgpu_warn(vgpu, "guest memory 0x%llx+0x%llx unmapped while in use: work stopped\n",
				iova, len);
		vgpu_stop_engines(vgpu);
		mvgpu_ppgtt_destroy_all(vgpu);
	}
	mvgpu_ppgtt_dma_unmap(vgpu, iova, len);
	mvgpu_ggtt_dma_unmap(vgpu, iova, len);
	mutex_unlock(&vgpu->lock);
}

/**
 * mvgpu_vgpu_set_map_ops() - who maps the aperture into user space
 * @vgpu: the vGPU
 * @ops: zap callback, or NULL
 * @priv: its argument
 */
void mvgpu_vgpu_set_map_ops(struct mvgpu_vgpu *vgpu,
			    const struct mvgpu_aperture_map_ops *ops,
			    void *priv)
{
	mutex_lock(&vgpu->lock);
	vgpu->map_ops = ops;
	vgpu->map_priv = priv;
	mutex_unlock(&vgpu->lock);
}

/**
 * mvgpu_vgpu_set_track() - connect or disconnect page-table write tracking
 * @vgpu: the vGPU, with no shadow page tables
 * @ops: tracking ops, or NULL
 * @priv: their argument
 */
void mvgpu_vgpu_set_track(struct mvgpu_vgpu *vgpu,
			  const struct mvgpu_ppgtt_track_ops *ops, void *priv)
{
	mutex_lock(&vgpu->lock);
	vgpu->ppgtt.track = ops;
	vgpu->ppgtt.track_priv = priv;
	mutex_unlock(&vgpu->lock);
}

/**
 * mvgpu_vgpu_guest_write() - the guest wrote to a write-protected page
 * @vgpu: the vGPU
 * @gpa: guest physical address written
 * @bytes: how many bytes
 */
void mvgpu_vgpu_guest_write(struct mvgpu_vgpu *vgpu, u64 gpa, u32 bytes)
{
	mutex_lock(&vgpu->lock);
	mvgpu_ppgtt_guest_write(vgpu, gpa, bytes);
	mutex_unlock(&vgpu->lock);
}

/**
 * mvgpu_vgpu_guest_untracked() - the guest lost a memory region
 * @vgpu: the vGPU
 * @gfn: its first page
 * @nr_pages: its size
 *
 * Writes there are no longer reported: page tables in the region are
 * read at every submission again.
 */
void mvgpu_vgpu_guest_untracked(struct mvgpu_vgpu *vgpu, u64 gfn,
				u64 nr_pages)
{
	mutex_lock(&vgpu->lock);
	mvgpu_ppgtt_untrack(vgpu, gfn, nr_pages);
	mutex_unlock(&vgpu->lock);
}

/**
 * mvgpu_vgpu_pinned_rw() - access guest graphics memory for the workload path
 * @vgpu: the vGPU, its lock held
 * @ppgtt: @addr is an address of the PPGTT at @root_gpa, else of the GGTT
 * @root_gpa: guest physical address of that PPGTT's PML4
 * @addr: graphics address
 * @buf: buffer of @len bytes
 * @len: bytes, any alignment, may cross pages
 * @write: copy @buf to the guest, else from it
 *
 * Each page the vGPU holds pinned is reached with a kmap: a GGTT page
 * through its shadowed entry (mvgpu_ggtt_guest_rw()), a PPGTT page
 * through the last-level entry of the shadow PPGTT that pins it
 * (mvgpu_ppgtt_pinned_rw()).  Any other page falls back to the VMM's
 * memory ops (vfio_dma_rw()), walking the guest's tables as they are.
 * The vGPU's lock keeps each pin found for the time of its copy.
 *
 * Return: 0, or -EFAULT for memory the vGPU's tables do not map to the
 * guest's memory.
 */
int mvgpu_vgpu_pinned_rw(struct mvgpu_vgpu *vgpu, bool ppgtt, u64 root_gpa,
			 u64 addr, void *buf, u32 len, bool write)
{
	u32 done = 0, n;
	u64 a;
	int ret;

	lockdep_assert_held(&vgpu->lock);
	if (!ppgtt)
		return mvgpu_ggtt_guest_rw(vgpu, addr, buf, len, write);
	while (done < len) {
		a = addr + done;
		n = min_t(u32, len - done, PAGE_SIZE - offset_in_page(a));
		if (!mvgpu_ppgtt_pinned_rw(vgpu, root_gpa, a, (u8 *)buf + done,
					   n, write)) {
			ret = mvgpu_ppgtt_guest_rw(vgpu, root_gpa, a,
						   (u8 *)buf + done, n, write);
			if (ret)
				return ret;
		}
		done += n;
	}
	return 0;
}

/**
 * mvgpu_vgpu_ggtt_index() - slot of a graphics address in the vGPU's GGTT
 * @vgpu: the vGPU
 * @gm_addr: graphics memory address
 *
 * Return: index into @vgpu->ggtt, or -EFAULT when @gm_addr is not in the
 * vGPU's graphics memory.
 */
int mvgpu_vgpu_ggtt_index(const struct mvgpu_vgpu *vgpu, u64 gm_addr)
{
	const struct mvgpu_gm_range *ap = &vgpu->res.aperture;
	const struct mvgpu_gm_range *hi = &vgpu->res.hidden;

	if (gm_addr >= ap->base && gm_addr - ap->base < ap->size)
		return (gm_addr - ap->base) >> MVGPU_GTT_PAGE_SHIFT;
	if (gm_addr >= hi->base && gm_addr - hi->base < hi->size)
		return (ap->size + gm_addr - hi->base) >> MVGPU_GTT_PAGE_SHIFT;
	return -EFAULT;
}

/**
 * mvgpu_vgpu_get_info() - what a vGPU was given when it was created
 * @vgpu: the vGPU
 * @info: filled in; it does not change while the vGPU exists
 */
void mvgpu_vgpu_get_info(const struct mvgpu_vgpu *vgpu,
			 struct mvgpu_vgpu_info *info)
{
	info->id = vgpu->res.id;
	info->type = vgpu->type;
	info->aperture_base = vgpu->res.aperture.base;
	info->aperture_size = vgpu->res.aperture.size;
	info->hidden_base = vgpu->res.hidden.base;
	info->hidden_size = vgpu->res.hidden.size;
}

/**
 * mvgpu_vgpu_set_sched_cap() - cap a vGPU's share of each engine
 * @vgpu: the vGPU
 * @cap: percent of an engine, 1 to 100; 0 for no cap
 *
 * The cap holds in every scheduling mode, also when the other vGPUs are
 * idle; it may be changed while the vGPU is busy.
 *
 * Return: 0, or -EINVAL for more than 100.
 */
int mvgpu_vgpu_set_sched_cap(struct mvgpu_vgpu *vgpu, u32 cap)
{
	unsigned int i;
	int ret;

	if (cap > 100)
		return -EINVAL;
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		ret = mvgpu_sched_set_cap(&vgpu->pgpu->sched, i,
					  &vgpu->queue[i], cap);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * mvgpu_vgpu_sched_cap() - a vGPU's cap
 * @vgpu: the vGPU
 *
 * Return: percent of an engine, 0 for none.
 */
u32 mvgpu_vgpu_sched_cap(struct mvgpu_vgpu *vgpu)
{
	return mvgpu_sched_cap(&vgpu->pgpu->sched, MVGPU_ENGINE_RCS,
			       &vgpu->queue[MVGPU_ENGINE_RCS]);
}

/**
 * mvgpu_vgpu_set_sched_weight() - change a vGPU's share of each engine
 * @vgpu: the vGPU
 * @weight: 1 to 65536, relative to the other vGPUs of its pGPU; its
 *          type's weight until changed
 *
 * For an operator who wants shares other than the types': may be
 * changed while the vGPU is busy, and holds until the vGPU is removed.
 *
 * Return: 0, or -EINVAL for a bad weight.
 */
int mvgpu_vgpu_set_sched_weight(struct mvgpu_vgpu *vgpu, u32 weight)
{
	unsigned int i;
	int ret;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		ret = mvgpu_sched_set_weight(&vgpu->pgpu->sched, i,
					     &vgpu->queue[i], weight);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * mvgpu_vgpu_sched_weight() - a vGPU's weight
 * @vgpu: the vGPU
 *
 * Return: its weight on each engine.
 */
u32 mvgpu_vgpu_sched_weight(struct mvgpu_vgpu *vgpu)
{
	return mvgpu_sched_weight(&vgpu->pgpu->sched, MVGPU_ENGINE_RCS,
				  &vgpu->queue[MVGPU_ENGINE_RCS]);
}

/**
 * mvgpu_vgpu_get_stats() - a snapshot of a vGPU's counters
 * @vgpu: the vGPU
 * @stats: filled in
 *
 * Takes no lock of the vGPU: the counters are atomic and failsafe mode
 * is one flag; the engine times take the scheduler's lock.
 */
void mvgpu_vgpu_get_stats(struct mvgpu_vgpu *vgpu,
			  struct mvgpu_vgpu_stats *stats)
{
	const struct mvgpu_vgpu_counters *c = &vgpu->stats;
	unsigned int i;

	stats->bad_mmio = atomic64_read(&c->bad_mmio);
	stats->bad_ggtt = atomic64_read(&c->bad_ggtt);
	stats->bad_aperture = atomic64_read(&c->bad_aperture);
	stats->pinned_pages = atomic64_read(&c->pinned_pages);
	stats->submissions = atomic64_read(&c->submissions);
	stats->completed = atomic64_read(&c->completed);
	stats->rejected = atomic64_read(&c->rejected);
	stats->errors = atomic64_read(&c->errors);
	stats->hangs = atomic64_read(&c->hangs);
	stats->cmds_scanned = atomic64_read(&c->cmds_scanned);
	stats->batches_known = atomic64_read(&vgpu->bcache.hits);
	stats->bad_ppgtt = atomic64_read(&c->bad_ppgtt);
	stats->shadow_pages = atomic64_read(&c->shadow_pages);
	stats->ppgtt_writes = atomic64_read(&c->ppgtt_writes);
	stats->shadow_bytes = atomic64_read(&vgpu->shadow.used);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		stats->busy_ns[i] = mvgpu_sched_runtime(&vgpu->pgpu->sched,
							&vgpu->queue[i]);
		stats->backend_ns[i] = atomic64_read(&c->backend_ns[i]);
	}
	stats->failsafe = READ_ONCE(vgpu->failsafe);
	stats->trapped = atomic64_read(&c->trapped);
	stats->host_resets = atomic64_read(&c->host_resets);
}

/*
 * The limit in force: the administrator's if set, else the one of the
 * guest memory's user (the VMM's RLIMIT_MEMLOCK); 0 for none.
 */
static u64 vgpu_pin_limit(struct mvgpu_vgpu *vgpu, const char **why)
{
	lockdep_assert_held(&vgpu->lock);
	*why = "pin_limit";
	if (vgpu->pin_limit_set)
		return vgpu->pin_limit;
	*why = "the VMM's RLIMIT_MEMLOCK";
	if (vgpu->mem_ops && vgpu->mem_ops->pin_limit)
		return vgpu->mem_ops->pin_limit(vgpu->mem_priv);
	return 0;
}

/* The GTTs hold 48-bit host addresses: one page must not alias another. */
static_assert(MVGPU_PTE_ADDR_MASK == MVGPU_PPGTT_ADDR_MASK);

static int vgpu_pin_now(struct mvgpu_vgpu *vgpu, u64 gfn, u64 *hpa)
{
	int ret;

	lockdep_assert_held(&vgpu->lock);
	ret = vgpu->mem_ops->pin(vgpu->mem_priv, gfn, hpa);
	if (ret)
		return ret;
	if (*hpa & ~MVGPU_PTE_ADDR_MASK) {
		vgpu->mem_ops->unpin(vgpu->mem_priv, gfn);
		mvgpu_vgpu_warn(vgpu, "guest page 0x%llx is at host address 0x%llx, beyond what the GPU's tables hold: not pinned\n",
				gfn << MVGPU_GTT_PAGE_SHIFT, *hpa);
		return -ERANGE;
	}
	atomic64_inc(&vgpu->stats.pinned_pages);
	return 0;
}

/**
 * mvgpu_vgpu_pin_room() - may mvgpu_vgpu_pin() pin one more page?
 * @vgpu: the vGPU, its lock held
 *
 * Return: false when the vGPU holds its pin limit already.
 */
bool mvgpu_vgpu_pin_room(struct mvgpu_vgpu *vgpu)
{
	const char *why;
	u64 limit = vgpu_pin_limit(vgpu, &why);

	return !limit || atomic64_read(&vgpu->stats.pinned_pages) < limit;
}

/**
 * mvgpu_vgpu_pin() - pin a guest page for a shadow entry, within the limit
 * @vgpu: the vGPU, its lock held, with guest memory ops
 * @gfn: guest page frame
 * @hpa: its host physical address, on success
 *
 * Every pin of guest memory the shadows hold comes here (or to
 * mvgpu_vgpu_pin_spare()) and is counted in @pinned_pages until
 * mvgpu_vgpu_unpin() releases it, or mvgpu_retire_unpin() once the
 * engines are done with it.
 *
 * Return: 0, -EDQUOT when the vGPU holds its pin limit already
 * (mvgpu_vgpu_pin_limit()), -ERANGE for a page at a host address the
 * GTTs cannot hold (beyond 48 bits), or the guest memory ops' errno.
 */
int mvgpu_vgpu_pin(struct mvgpu_vgpu *vgpu, u64 gfn, u64 *hpa)
{
	const char *why;
	u64 limit;

	if (!mvgpu_vgpu_pin_room(vgpu)) {
		limit = vgpu_pin_limit(vgpu, &why);
		mvgpu_vgpu_warn(vgpu, "pin limit of %llu pages (%s) reached: guest page 0x%llx not pinned\n",
				limit, why, gfn << MVGPU_GTT_PAGE_SHIFT);
		return -EDQUOT;
	}
	return vgpu_pin_now(vgpu, gfn, hpa);
}

/**
 * mvgpu_vgpu_pin_spare() - pin a guest page the vGPU could do without
 * @vgpu: the vGPU, its lock held, with guest memory ops
 * @gfn: guest page frame
 * @hpa: its host physical address, on success
 *
 * For a pin that only saves copies through the guest memory ops (a
 * guest page table read at every submission, ppgtt.c): it is taken only
 * when no pin limit applies, so that it never takes from a guest the
 * pins its engines' pages need (a VMM's RLIMIT_MEMLOCK bounds all of its
 * locked memory, not only this vGPU's pins), and it is refused without a
 * log line.  Counted in @pinned_pages like any other.
 *
 * Return: 0, -EDQUOT, -ERANGE, or the guest memory ops' errno.
 */
int mvgpu_vgpu_pin_spare(struct mvgpu_vgpu *vgpu, u64 gfn, u64 *hpa)
{
	const char *why;

	if (vgpu_pin_limit(vgpu, &why))
		return -EDQUOT;
	return vgpu_pin_now(vgpu, gfn, hpa);
}

/**
 * mvgpu_vgpu_unpin() - release a pin of mvgpu_vgpu_pin() at once
 * @vgpu: the vGPU, its lock held, with guest memory ops
 * @gfn: guest page frame
 *
 * Only for a page no engine can be using: the pins the shadows hand to
 * the engines go through mvgpu_retire_unpin().
 */
void mvgpu_vgpu_unpin(struct mvgpu_vgpu *vgpu, u64 gfn)
{
	lockdep_assert_held(&vgpu->lock);
	vgpu->mem_ops->unpin(vgpu->mem_priv, gfn);
	atomic64_dec(&vgpu->stats.pinned_pages);
}

/**
 * mvgpu_vgpu_set_pin_limit() - the administrator's limit on guest pins
 * @vgpu: the vGPU
 * @pages: most guest pages it may hold pinned, 0 for no limit
 *
 * Takes precedence over the VMM's (&mvgpu_guest_mem_ops.pin_limit), across
 * opens, until mvgpu_vgpu_clear_pin_limit().  Pins held beyond a lowered
 * limit stay until their entries change; no new pin is taken until the
 * vGPU is below it again.
 */
void mvgpu_vgpu_set_pin_limit(struct mvgpu_vgpu *vgpu, u64 pages)
{
	mutex_lock(&vgpu->lock);
	vgpu->pin_limit = pages;
	vgpu->pin_limit_set = true;
	mutex_unlock(&vgpu->lock);
}

/**
 * mvgpu_vgpu_clear_pin_limit() - drop the administrator's limit on pins
 * @vgpu: the vGPU
 *
 * The VMM's limit, if it has one, is in force again.
 */
void mvgpu_vgpu_clear_pin_limit(struct mvgpu_vgpu *vgpu)
{
	mutex_lock(&vgpu->lock);
	vgpu->pin_limit = 0;
	vgpu->pin_limit_set = false;
	mutex_unlock(&vgpu->lock);
}

/**
 * mvgpu_vgpu_pin_limit() - the limit on guest pins in force now
 * @vgpu: the vGPU
 *
 * Return: pages, 0 for none: the administrator's limit if set
 * (mvgpu_vgpu_set_pin_limit()), else that of the VMM that has the vGPU
 * open, if any.
 */
u64 mvgpu_vgpu_pin_limit(struct mvgpu_vgpu *vgpu)
{
	const char *why;
	u64 limit;

	mutex_lock(&vgpu->lock);
	limit = vgpu_pin_limit(vgpu, &why);
	mutex_unlock(&vgpu->lock);
	return limit;
}

/**
 * mvgpu_vgpu_warn() - log a problem the guest caused
 * @vgpu: the vGPU
 * @fmt: printf format
 *
 * Rate-limited per vGPU, so a hostile guest cannot flood the host log.
 */
void mvgpu_vgpu_warn(struct mvgpu_vgpu *vgpu, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (!__ratelimit(&vgpu->ratelimit))
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	dev_warn(vgpu->dev, "%pV", &vaf);
	va_end(args);
}
