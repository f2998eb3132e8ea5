// SPDX-License-Identifier: GPL-2.0-only
/*
 * A vGPU's virtual display pipe, and the plane as the VMM reads it.
 *
 * While the guest has the plane enabled, an hrtimer of the vGPU's own
 * ticks at %MVGPU_VDISPLAY_HZ; each tick queues a work item that, under
 * the vGPU's lock, latches DSPSURF into DSPSURFLIVE, counts the frame in
 * PIPE_FRMCOUNT and raises the pipe A vblank interrupt through the
 * vGPU's interrupt registers.  The work runs on the pGPU's deliver_wq
 * (unbound): a vGPU that holds its lock delays its own vblanks only.
 *
 * The VMM reads the plane (VFIO_DEVICE_QUERY_GFX_PLANE, mdev/display.c)
 * through mvgpu_vgpu_get_plane(), which refuses any programming whose
 * pixels do not all lie in one range of the vGPU's own graphics memory,
 * and reads the pixels or the guest frames behind them through the
 * guest's GGTT entries, one page at a time, each checked again: the
 * guest can change its GGTT between two calls and still reach nothing
 * but its own memory.
 */
#include <linux/hrtimer.h>
#include <linux/lockdep.h>
#include <linux/log2.h>
#include <linux/string.h>

#include <mvgpu/mvgpu_pci.h>
#include <mvgpu/vgpu_type.h>

#include "display.h"
#include "ggtt.h"
#include "interrupt.h"
#include "vgpu.h"
#include "vgpu_types.h"

#define VBLANK_PERIOD_NS	(NSEC_PER_SEC / MVGPU_VDISPLAY_HZ)

static u32 vreg(struct mvgpu_vgpu *vgpu, u32 offset)
{
	return *mvgpu_vreg_slot(&vgpu->vregs, offset);
}

static enum hrtimer_restart vblank_tick(struct hrtimer *t)
{
	struct mvgpu_vgpu *vgpu = container_of(t, struct mvgpu_vgpu,
					       display.timer);

	if (!READ_ONCE(vgpu->display.running))
		return HRTIMER_NORESTART;
	queue_work(vgpu->pgpu->deliver_wq, &vgpu->display.vblank);
	hrtimer_forward_now(t, ns_to_ktime(VBLANK_PERIOD_NS));
	return HRTIMER_RESTART;
}

static void vblank_work(struct work_struct *w)
{
	struct mvgpu_vgpu *vgpu = container_of(w, struct mvgpu_vgpu,
					       display.vblank);

	mutex_lock(&vgpu->lock);
	if (vgpu->display.running && !vgpu->mig_stopped) {
		*mvgpu_vreg_slot(&vgpu->vregs, MVGPU_DSPSURFLIVE) =
			vreg(vgpu, MVGPU_DSPSURF);
		(*mvgpu_vreg_slot(&vgpu->vregs, MVGPU_PIPE_FRMCOUNT))++;
		mvgpu_vintr_raise(&vgpu->vregs, MVGPU_IRQ_BANK_PIPE_A,
				  MVGPU_DE_PIPE_VBLANK);
	}
	mutex_unlock(&vgpu->lock);
}

/**
 * mvgpu_vdisplay_init() - the pipe of a new vGPU, off
 * @vgpu: the vGPU
 */
void mvgpu_vdisplay_init(struct mvgpu_vgpu *vgpu)
{
	hrtimer_init(&vgpu->display.timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	vgpu->display.timer.function = vblank_tick;
	INIT_WORK(&vgpu->display.vblank, vblank_work);
	vgpu->display.running = false;
}

/**
 * mvgpu_vdisplay_fini() - stop the pipe for good
 * @vgpu: the vGPU, its lock not held, no longer reachable by users
 */
void mvgpu_vdisplay_fini(struct mvgpu_vgpu *vgpu)
{
	WRITE_ONCE(vgpu->display.running, false);
	hrtimer_cancel(&vgpu->display.timer);
	cancel_work_sync(&vgpu->display.vblank);
}

/**
 * mvgpu_vdisplay_update() - the plane's registers changed, or were reset
 * @vgpu: the vGPU, its lock held
 *
 * Starts the vblank timer when the plane is enabled; when it is not, the
 * timer stops at its next tick and a queued vblank does nothing.
 */
void mvgpu_vdisplay_update(struct mvgpu_vgpu *vgpu)
{
	bool on = vreg(vgpu, MVGPU_DSPCNTR) & MVGPU_DSPCNTR_ENABLE;

	lockdep_assert_held(&vgpu->lock);
	if (on == vgpu->display.running)
		return;
	WRITE_ONCE(vgpu->display.running, on);
	if (on)
		hrtimer_start(&vgpu->display.timer,
			      ns_to_ktime(VBLANK_PERIOD_NS), HRTIMER_MODE_REL);
}

/* Widest row pitch taken: the type's widest row, to a power of two. */
static u32 max_stride(const struct mvgpu_vgpu *vgpu)
{
	return roundup_pow_of_two(vgpu->type->max_width * 4);
}

/* The @len bytes from @gm are in one range of the vGPU's memory. */
static bool gm_range_ok(const struct mvgpu_vgpu *vgpu, u64 gm, u64 len)
{
	int first = mvgpu_vgpu_ggtt_index(vgpu, gm);
	int last = mvgpu_vgpu_ggtt_index(vgpu, gm + len - 1);

	return first >= 0 && last >= 0 &&
	       last - first == ((gm + len - 1) >> MVGPU_GTT_PAGE_SHIFT) -
			       (gm >> MVGPU_GTT_PAGE_SHIFT);
}

static int check_plane(struct mvgpu_vgpu *vgpu,
		       const struct mvgpu_vgpu_plane *p)
{
	if (p->format != MVGPU_DSPCNTR_FORMAT_XRGB8888 &&
	    p->format != MVGPU_DSPCNTR_FORMAT_ARGB8888)
		return -EINVAL;
	if (p->width > vgpu->type->max_width ||
	    p->height > vgpu->type->max_height)
		return -EINVAL;
	if (p->stride < p->width * 4 || p->stride > max_stride(vgpu))
		return -EINVAL;
	if (!gm_range_ok(vgpu, p->gm_addr, p->size))
		return -EINVAL;
	return 0;
}

/**
 * mvgpu_vgpu_get_plane() - the primary plane as the pipe scans it out
 * @vgpu: the vGPU
 * @plane: filled in on success
 *
 * Return: 0; -ENOENT while the plane is disabled; -EINVAL when the guest
 * programmed a plane that cannot be shown (unknown format, larger than
 * the type's mode, pitch below a row or above the widest row rounded up
 * to a power of two, pixels outside one range of its graphics memory),
 * logged rate-limited.
 */
int mvgpu_vgpu_get_plane(struct mvgpu_vgpu *vgpu,
			 struct mvgpu_vgpu_plane *plane)
{
	u32 cntr, src;
	int ret;

	mutex_lock(&vgpu->lock);
	cntr = vreg(vgpu, MVGPU_DSPCNTR);
	src = vreg(vgpu, MVGPU_PIPESRC);
	plane->format = cntr & MVGPU_DSPCNTR_FORMAT_MASK;
	plane->width = ((src >> 16) & 0x1fff) + 1;
	plane->height = (src & 0x1fff) + 1;
	plane->stride = vreg(vgpu, MVGPU_DSPSTRIDE);
	plane->gm_addr = vreg(vgpu, MVGPU_DSPSURFLIVE);
	plane->size = (u64)plane->stride * (plane->height - 1) +
		      plane->width * 4;
	mutex_unlock(&vgpu->lock);

	if (!(cntr & MVGPU_DSPCNTR_ENABLE))
		return -ENOENT;
	ret = check_plane(vgpu, plane);
	if (ret)
		mvgpu_vgpu_warn(vgpu, "plane not shown: format 0x%x, %ux%u, stride %u, surface 0x%llx\n",
				plane->format >> MVGPU_DSPCNTR_FORMAT_SHIFT,
				plane->width, plane->height, plane->stride,
				plane->gm_addr);
	return ret;
}

/* Copy one row piece by piece; pieces behind no guest page read 0. */
static bool read_row(struct mvgpu_vgpu *vgpu, u64 gm, u8 *dst, u32 len)
{
	bool ok = true;
	u32 done = 0;

	while (done < len) {
		u64 a = gm + done;
		u32 n = min_t(u32, len - done, MVGPU_GTT_PAGE_SIZE -
			      (a & (MVGPU_GTT_PAGE_SIZE - 1)));

		if (mvgpu_ggtt_guest_rw(vgpu, a, dst + done, n, false)) {
			memset(dst + done, 0, n);
			ok = false;
		}
		done += n;
	}
	return ok;
}

/**
 * mvgpu_vgpu_read_plane() - copy a plane's pixels out of guest memory
 * @vgpu: the vGPU
 * @plane: given by mvgpu_vgpu_get_plane()
 * @dst: @plane->width * 4 * @plane->height bytes: the rows, packed
 *
 * Each piece is read through the guest's GGTT entry at this moment and
 * the guest memory ops; one that names no memory of the guest reads 0.
 *
 * Return: 0, or -EFAULT when some piece read 0 that way (@dst is filled
 * all the same).
 */
int mvgpu_vgpu_read_plane(struct mvgpu_vgpu *vgpu,
			  const struct mvgpu_vgpu_plane *plane, void *dst)
{
	u32 row = plane->width * 4, y;
	bool ok = true;

	mutex_lock(&vgpu->lock);
	for (y = 0; y < plane->height; y++)
		ok &= read_row(vgpu, plane->gm_addr + (u64)y * plane->stride,
			       (u8 *)dst + (size_t)y * row, row);
	mutex_unlock(&vgpu->lock);
	return ok ? 0 : -EFAULT;
}

/**
 * mvgpu_vgpu_plane_gfns() - guest frames behind a plane, now
 * @vgpu: the vGPU
 * @plane: given by mvgpu_vgpu_get_plane()
 * @gfns: filled with mvgpu_vgpu_plane_pages() frame numbers
 * @nr: mvgpu_vgpu_plane_pages(@plane)
 *
 * Return: 0, or -EFAULT when a page of the plane is outside the vGPU's
 * graphics memory or its GGTT entry is not valid.
 */
int mvgpu_vgpu_plane_gfns(struct mvgpu_vgpu *vgpu,
			  const struct mvgpu_vgpu_plane *plane, u64 *gfns,
			  unsigned int nr)
{
	u64 gm = plane->gm_addr & ~(u64)(MVGPU_GTT_PAGE_SIZE - 1);
	unsigned int i;
	int ret = 0;

	if (nr != mvgpu_vgpu_plane_pages(plane))
		return -EINVAL;
	mutex_lock(&vgpu->lock);
	for (i = 0; i < nr; i++) {
		int index = mvgpu_vgpu_ggtt_index(vgpu, gm +
						  ((u64)i << MVGPU_GTT_PAGE_SHIFT));
		u64 pte = index < 0 ? 0 : mvgpu_ggtt_get(vgpu, index);

		if (!(pte & MVGPU_PTE_VALID)) {
			ret = -EFAULT;
			break;
		}
		gfns[i] = (pte & MVGPU_PTE_ADDR_MASK) >> MVGPU_GTT_PAGE_SHIFT;
	}
	mutex_unlock(&vgpu->lock);
	return ret;
}
