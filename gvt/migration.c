// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live migration of a vGPU: stopping it with nothing in flight, saving
 * what its guest can observe into a stream (migration_stream.c) and
 * restoring it on another vGPU of the same type and placement.
 *
 * Contexts in flight are drained, not carried: mvgpu_vgpu_mig_quiesce()
 * waits until every workload the guest submitted has been delivered
 * (its CSB entries, ring registers, interrupts and the memory it wrote
 * are then in place), and only then is the vGPU stopped.  A stream
 * therefore never holds a context image or a shadow: the destination
 * builds its shadows from guest memory at the guest's next submission,
 * as after any idle period.  A guest whose work does not drain within
 * the timeout (a hang lasts at most the pGPU's hang_ms) makes the stop
 * fail with -ETIMEDOUT; the vGPU keeps running.
 *
 * What is carried: config space, every register (interrupt, execlist
 * and CSB, ring, error capture, display plane, PV info including
 * failsafe), the partial ELSP writes and whether each engine is active,
 * the guest's GGTT entries, failsafe mode and the counters.  The PV
 * info vGPU ID is the destination's; the graphics memory ranges must be
 * the same (-EADDRNOTAVAIL otherwise): the guest programmed those
 * addresses into its contexts, rings and batches.
 */
#include <linux/bitmap.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/lockdep.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <linux/workqueue.h>

#include <mvgpu/vgpu_type.h>

#include "display.h"
#include "ggtt.h"
#include "interrupt.h"
#include "migration_stream.h"
#include "ppgtt.h"
#include "retire.h"
#include "vgpu.h"
#include "vgpu_types.h"

#define COUNTER(idx, field) \
	[MVGPU_MIG_CNT_##idx] = offsetof(struct mvgpu_vgpu_counters, field)

/* Where each carried counter lives in struct mvgpu_vgpu_counters. */
static const size_t mig_counters[MVGPU_MIG_NR_COUNTERS] = {
	COUNTER(SUBMISSIONS, submissions),
	COUNTER(COMPLETED, completed),
	COUNTER(REJECTED, rejected),
	COUNTER(ERRORS, errors),
	COUNTER(HANGS, hangs),
	COUNTER(CMDS_SCANNED, cmds_scanned),
	COUNTER(BAD_MMIO, bad_mmio),
	COUNTER(BAD_GGTT, bad_ggtt),
	COUNTER(BAD_APERTURE, bad_aperture),
	COUNTER(BAD_PPGTT, bad_ppgtt),
	COUNTER(TRAPPED, trapped),
	COUNTER(HOST_RESETS, host_resets),
};

static atomic64_t *mig_counter(struct mvgpu_vgpu *vgpu, unsigned int i)
{
	return (atomic64_t *)((u8 *)&vgpu->stats + mig_counters[i]);
}

static void mig_expect(const struct mvgpu_vgpu *vgpu,
		       struct mvgpu_mig_expect *exp)
{
	exp->type = vgpu->type->sysfs_name;
	exp->aperture_base = vgpu->res.aperture.base;
	exp->aperture_size = vgpu->res.aperture.size;
	exp->hidden_base = vgpu->res.hidden.base;
	exp->hidden_size = vgpu->res.hidden.size;
	exp->ggtt_entries = vgpu->ggtt_entries;
	exp->max_image = mvgpu_mig_max_image(mvgpu_vreg_count(),
					     vgpu->ggtt_entries);
	exp->failsafe_rejects = MVGPU_VGPU_FAILSAFE_REJECTS;
}

/**
 * mvgpu_vgpu_mig_max_image() - most bytes one image of the vGPU takes
 * @vgpu: the vGPU
 *
 * Return: the size of an image holding every register and GGTT entry.
 */
size_t mvgpu_vgpu_mig_max_image(const struct mvgpu_vgpu *vgpu)
{
	return mvgpu_mig_max_image(mvgpu_vreg_count(), vgpu->ggtt_entries);
}

/**
 * mvgpu_vgpu_mig_image_size() - bytes an image of the vGPU takes now
 * @vgpu: the vGPU
 *
 * Return: the size mvgpu_vgpu_mig_save() would write at this moment.
 */
size_t mvgpu_vgpu_mig_image_size(struct mvgpu_vgpu *vgpu)
{
	unsigned int n;

	mutex_lock(&vgpu->lock);
	n = mvgpu_ggtt_count(vgpu);
	mutex_unlock(&vgpu->lock);
	return mvgpu_mig_max_image(mvgpu_vreg_count(), n);
}

/**
 * mvgpu_vgpu_mig_quiesce() - stop the vGPU once its work has drained
 * @vgpu: the vGPU, whose guest submits nothing more (its VM is stopped)
 * @timeout_ms: how long its work in flight may take to finish
 *
 * Waits until every workload submitted was delivered to the guest, then
 * stops the vGPU: further submissions are refused and the pipe makes no
 * vblank, so its state no longer changes (VFIO's STOP).
 *
 * Return: 0, or -ETIMEDOUT when work was still in flight after
 * @timeout_ms; the vGPU then runs on.
 */
int mvgpu_vgpu_mig_quiesce(struct mvgpu_vgpu *vgpu, unsigned int timeout_ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(timeout_ms);
	bool busy;

	for (;;) {
		mutex_lock(&vgpu->lock);
		busy = mvgpu_retire_busy(&vgpu->retire);
		if (!busy)
			vgpu->mig_stopped = true;
		mutex_unlock(&vgpu->lock);
		if (!busy)
			break;
		if (time_after(jiffies, end)) {
			mvgpu_vgpu_warn(vgpu, "migration: work still in flight after %u ms, not stopped\n",
					timeout_ms);
			return -ETIMEDOUT;
		}
		usleep_range(100, 500);
	}
	/* user interrupts of delivered work, and a vblank under way */
	flush_work(&vgpu->deliver.work);
	flush_work(&vgpu->display.vblank);
	return 0;
}

/**
 * mvgpu_vgpu_mig_resume() - let a stopped vGPU run again
 * @vgpu: the vGPU
 *
 * After an aborted migration on the source, or a restore on the
 * destination: the interrupt output is raised again if the restored
 * registers hold an unmasked event, for the VMM's eventfds set up
 * meanwhile.
 */
void mvgpu_vgpu_mig_resume(struct mvgpu_vgpu *vgpu)
{
	mutex_lock(&vgpu->lock);
	vgpu->mig_stopped = false;
	mvgpu_vintr_update(&vgpu->vregs);
	mutex_unlock(&vgpu->lock);
}

static void mig_save_cfg_vregs(struct mvgpu_vgpu *vgpu,
			       struct mvgpu_mig_writer *w)
{
	unsigned int slot;

	mvgpu_mig_section_begin(w, MVGPU_MIG_SEC_CFG);
	mvgpu_mig_put(w, vgpu->cfg.data, MVGPU_CFG_SIZE);
	mvgpu_mig_section_end(w);
	mvgpu_mig_section_begin(w, MVGPU_MIG_SEC_VREGS);
	for (slot = 0; slot < mvgpu_vreg_count(); slot++) {
		mvgpu_mig_put_le32(w, mvgpu_vreg_slot_offset(slot));
		mvgpu_mig_put_le32(w, vgpu->vreg_vals[slot]);
	}
	mvgpu_mig_section_end(w);
}

static void mig_save_execlist(struct mvgpu_vgpu *vgpu,
			      struct mvgpu_mig_writer *w)
{
	struct mvgpu_mig_execlist x;
	unsigned int e, i;

	mvgpu_mig_section_begin(w, MVGPU_MIG_SEC_EXECLIST);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		memset(&x, 0, sizeof(x));
		/* only the partial write: the rest is a pair already sent */
		for (i = 0; i < vgpu->vregs.elsp_count[e]; i++)
			put_unaligned_le32(vgpu->vregs.elsp[e][i], &x.elsp[i]);
		x.elsp_count = vgpu->vregs.elsp_count[e];
		x.active = vgpu->exec[e].active;
		mvgpu_mig_put(w, &x, sizeof(x));
	}
	mvgpu_mig_section_end(w);
}

static void mig_save_ggtt(struct mvgpu_vgpu *vgpu, struct mvgpu_mig_writer *w)
{
	unsigned int i;
	u64 pte;

	mvgpu_mig_section_begin(w, MVGPU_MIG_SEC_GGTT);
	for (i = mvgpu_ggtt_next(vgpu, 0, &pte); i < vgpu->ggtt_entries;
	     i = mvgpu_ggtt_next(vgpu, i + 1, &pte)) {
		mvgpu_mig_put_le32(w, i);
		mvgpu_mig_put_le32(w, 0);
		mvgpu_mig_put_le64(w, pte);
	}
	mvgpu_mig_section_end(w);
}

static void mig_save_vgpu(struct mvgpu_vgpu *vgpu, struct mvgpu_mig_writer *w)
{
	unsigned int i;

	mvgpu_mig_section_begin(w, MVGPU_MIG_SEC_VGPU);
	mvgpu_mig_put_le32(w, vgpu->failsafe);
	mvgpu_mig_put_le32(w, vgpu->rejects);
	for (i = 0; i < MVGPU_MIG_NR_COUNTERS; i++)
		mvgpu_mig_put_le64(w, atomic64_read(mig_counter(vgpu, i)));
	mvgpu_mig_section_end(w);
}

/**
 * mvgpu_vgpu_mig_save() - write an image of the vGPU's state
 * @vgpu: the vGPU; stopped (mvgpu_vgpu_mig_quiesce()) for a final image
 * @buf: the stream's buffer
 * @cap: its bytes
 * @start: where the image goes in @buf, after earlier images
 * @final: a FINAL image, taken stopped; else an early (pre-copy) one
 *
 * Return: the image's bytes, or -ENOSPC when @cap is too small.
 */
int mvgpu_vgpu_mig_save(struct mvgpu_vgpu *vgpu, u8 *buf, size_t cap,
			size_t start, bool final)
{
	struct mvgpu_mig_expect self;
	struct mvgpu_mig_writer w;
	int ret;

	mig_expect(vgpu, &self);
	mutex_lock(&vgpu->lock);
	WARN_ON_ONCE(final && !vgpu->mig_stopped);
	mvgpu_mig_write_begin(&w, buf, cap, start, &self,
			      final ? MVGPU_MIG_FINAL : 0);
	mig_save_cfg_vregs(vgpu, &w);
	mig_save_execlist(vgpu, &w);
	mig_save_ggtt(vgpu, &w);
	mig_save_vgpu(vgpu, &w);
	ret = mvgpu_mig_write_end(&w);
	mutex_unlock(&vgpu->lock);
	return ret;
}

/**
 * mvgpu_vgpu_mig_check() - could the vGPU take a stream starting so?
 * @vgpu: the destination vGPU
 * @buf: the stream's first bytes
 * @len: how many
 *
 * Return: 0 (also when @len is too short to tell), or the errno
 * mvgpu_vgpu_mig_restore() would give for this header.
 */
int mvgpu_vgpu_mig_check(struct mvgpu_vgpu *vgpu, const void *buf, size_t len)
{
	struct mvgpu_mig_expect exp;
	int ret;

	mig_expect(vgpu, &exp);
	ret = mvgpu_mig_check_header(buf, len, &exp);
	return ret == -ENODATA ? 0 : ret;
}

/* Everything was checked: this cannot fail but for GGTT pins (counted). */
static void mig_apply(struct mvgpu_vgpu *vgpu, const struct mvgpu_mig_image *img,
		      const u32 *vals)
{
	const struct mvgpu_mig_ggtt_entry *g = (const void *)img->ggtt;
	unsigned int i, e;

	lockdep_assert_held(&vgpu->lock);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		mvgpu_vgpu_stop_engine(vgpu, e);
	if (vgpu->mem_ops)
		mvgpu_ppgtt_destroy_all(vgpu);
	mvgpu_ggtt_clear(vgpu);
	mvgpu_vregs_reset(&vgpu->vregs);	/* lowers the interrupt */
	memcpy(vgpu->vreg_vals, vals, mvgpu_vreg_count() * sizeof(*vals));
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		const struct mvgpu_mig_execlist *x = &img->execlist[e];

		/* only the partial write: mvgpu_vregs_reset() cleared the rest */
		for (i = 0; i < x->elsp_count; i++)
			vgpu->vregs.elsp[e][i] = get_unaligned_le32(&x->elsp[i]);
		vgpu->vregs.elsp_count[e] = x->elsp_count;
		vgpu->exec[e].active = x->active;
	}
	mvgpu_cfg_restore(&vgpu->cfg, img->cfg);
	if (vgpu->irq_ops && vgpu->irq_ops->set_intx_disabled)
		vgpu->irq_ops->set_intx_disabled(vgpu->irq_priv,
						 mvgpu_cfg_intx_disabled(&vgpu->cfg));
	vgpu->failsafe = get_unaligned_le32(&img->vgpu.failsafe);
	vgpu->rejects = get_unaligned_le32(&img->vgpu.rejects);
	for (i = 0; i < MVGPU_MIG_NR_COUNTERS; i++)
		atomic64_set(mig_counter(vgpu, i),
			     get_unaligned_le64(&img->vgpu.counters[i]));
	for (i = 0; i < img->nr_ggtt; i++)
		mvgpu_ggtt_set(vgpu, get_unaligned_le32(&g[i].index),
			       get_unaligned_le64(&g[i].pte));
	mvgpu_vdisplay_update(vgpu);
	vgpu->mig_stopped = true;
}

static int mig_decode(struct mvgpu_vgpu *vgpu, const void *buf, size_t len,
		      struct mvgpu_mig_image *img, u32 *vals, unsigned long *seen)
{
	struct mvgpu_mig_expect exp;
	int ret;

	mig_expect(vgpu, &exp);
	ret = mvgpu_mig_parse_stream(buf, len, &exp, img);
	if (ret)
		return ret;
	mvgpu_vreg_reset_values(vals);
	return mvgpu_mig_decode_vregs(img, vals, seen);
}

/**
 * mvgpu_vgpu_mig_restore() - take the state a source vGPU saved
 * @vgpu: the destination, stopped, of the same type and placement
 * @buf: the whole stream: one or more images, the last FINAL
 * @len: its bytes
 *
 * Every image is checked before anything changes: a refused stream
 * leaves @vgpu as it was.  On success it holds the source's state, its
 * GGTT entries shadowed again through its own guest memory ops, and it
 * stays stopped until mvgpu_vgpu_mig_resume().
 *
 * Return: 0, -ENOMEM, or the errors of migration_stream.c: -ENODATA,
 * -EBADMSG, -EPROTONOSUPPORT, -EMEDIUMTYPE, -EADDRNOTAVAIL, -EFBIG.
 */
int mvgpu_vgpu_mig_restore(struct mvgpu_vgpu *vgpu, const void *buf,
			   size_t len)
{
	unsigned int n = mvgpu_vreg_count();
	struct mvgpu_mig_image img;
	unsigned long *seen;
	u32 *vals;
	int ret = -ENOMEM;

	vals = kcalloc(n, sizeof(*vals), GFP_KERNEL_ACCOUNT);
	seen = bitmap_zalloc(n, GFP_KERNEL_ACCOUNT);
	if (!vals || !seen)
		goto out;
	ret = mig_decode(vgpu, buf, len, &img, vals, seen);
	mutex_lock(&vgpu->lock);
	if (!ret)
		ret = mvgpu_cfg_check_restore(&vgpu->cfg, img.cfg);
	if (!ret)
		mig_apply(vgpu, &img, vals);
	mutex_unlock(&vgpu->lock);
out:
	if (ret)
		mvgpu_vgpu_warn(vgpu, "migration: device state refused (%d)\n",
				ret);
	bitmap_free(seen);
	kfree(vals);
	return ret;
}
