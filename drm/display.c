// SPDX-License-Identifier: GPL-2.0-only
/*
 * The display: one CRTC (pipe A), its primary plane, an encoder and the
 * connector of connector.c, with the atomic helpers.
 *
 * The pipe runs, at 60 Hz, while the plane is enabled, so a CRTC is
 * active exactly when its primary plane is.  A plane update writes
 * PIPESRC, DSPSTRIDE and DSPCNTR, then DSPSURF, which the GPU latches at
 * the next vblank.  A flip's event is sent from the vblank interrupt at
 * the first vblank at which DSPSURFLIVE reads the new surface, so it
 * never comes before the flip is on screen.  The vblank counter is the
 * pipe's PIPE_FRMCOUNT; a vblank's timestamp is the time its interrupt
 * came, or, for frames counted without one (the interrupt off), that of
 * the last interrupt plus the frames since at 60 Hz.  A full reset disables the plane:
 * mvgpu_display_hw_restore() writes back what the driver had programmed.
 */
#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_atomic_state_helper.h>
#include <drm/drm_drv.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_modeset_helper_vtables.h>
#include <drm/drm_print.h>
#include <drm/drm_vblank.h>

#include "display.h"
#include "drv.h"
#include "fb.h"
#include "gem.h"
#include "regs.h"

/* The pipe's frame: 60 Hz, whatever the mode (gpu-interface.rst) */
#define MVGPU_FRAME_NS	(NSEC_PER_SEC / 60)

static const u32 plane_formats[] = {
	DRM_FORMAT_XRGB8888,
	DRM_FORMAT_ARGB8888,
};

static inline struct mvgpu_drm *crtc_to_mvgpu(struct drm_crtc *crtc)
{
	return to_mvgpu(crtc->dev);
}

/* Write the plane's registers from @d->regs; the caller holds @d->lock. */
static void write_plane(struct mvgpu_drm *m)
{
	struct mvgpu_display *d = &m->display;
	int idx;

	lockdep_assert_held(&d->lock);
	if (!drm_dev_enter(&m->drm, &idx))
		return;
	mvgpu_wr(m, MVGPU_PIPESRC, d->regs.pipesrc);
	mvgpu_wr(m, MVGPU_DSPSTRIDE, d->regs.stride);
	mvgpu_wr(m, MVGPU_DSPCNTR, d->regs.cntr);
	mvgpu_wr(m, MVGPU_DSPSURF, d->regs.surf);
	if (d->regs.cntr & MVGPU_DSPCNTR_ENABLE)
		mvgpu_wr(m, MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_DISPLAY_READY_REG,
			 1);
	drm_dev_exit(idx);
}

/* The pipe's vblank interrupt on or off; the caller holds @d->lock. */
static void write_vblank_irq(struct mvgpu_drm *m)
{
	struct mvgpu_display *d = &m->display;
	int idx;

	lockdep_assert_held(&d->lock);
	if (!drm_dev_enter(&m->drm, &idx))
		return;
	if (d->vblank_on) {
		mvgpu_wr(m, MVGPU_DE_PIPE_IIR(0), MVGPU_DE_PIPE_VBLANK);
		mvgpu_wr(m, MVGPU_DE_PIPE_IER(0), MVGPU_DE_PIPE_VBLANK);
		mvgpu_wr(m, MVGPU_DE_PIPE_IMR(0), ~MVGPU_DE_PIPE_VBLANK);
	} else {
		mvgpu_wr(m, MVGPU_DE_PIPE_IMR(0), ~0U);
		mvgpu_wr(m, MVGPU_DE_PIPE_IER(0), 0);
	}
	drm_dev_exit(idx);
}

/**
 * mvgpu_display_hw_restore() - program the display again after a reset
 * @m: the device, after a full reset and mvgpu_hw_init()
 *
 * A full reset disables the plane and clears the interrupt registers; the
 * plane, and the vblank interrupt if the core has it on, come back as the
 * driver last left them.  A flip under way completes at the first vblank
 * that shows its surface, as before.
 */
void mvgpu_display_hw_restore(struct mvgpu_drm *m)
{
	struct mvgpu_display *d = &m->display;
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	write_vblank_irq(m);
	write_plane(m);
	spin_unlock_irqrestore(&d->lock, flags);
}

/**
 * mvgpu_display_vblank_irq() - the pipe's vblank interrupt
 * @m: the device
 *
 * Hard interrupt context.  Counts the vblank and sends the event of the
 * flip under way once the GPU scans out its surface.
 */
void mvgpu_display_vblank_irq(struct mvgpu_drm *m)
{
	struct mvgpu_display *d = &m->display;
	struct drm_crtc *crtc = &d->crtc;
	bool done = false;

	spin_lock(&d->lock);
	d->irq_time = ktime_get();
	d->irq_count = mvgpu_rd(m, MVGPU_PIPE_FRMCOUNT);
	spin_unlock(&d->lock);
	if (!drm_crtc_handle_vblank(crtc))
		return;
	spin_lock(&m->drm.event_lock);
	if (d->event && mvgpu_rd(m, MVGPU_DSPSURFLIVE) == d->event_surf) {
		drm_crtc_send_vblank_event(crtc, d->event);
		d->event = NULL;
		done = true;
	}
	spin_unlock(&m->drm.event_lock);
	if (done)
		drm_crtc_vblank_put(crtc);
}

/* Send the pending flip's event now: the pipe stops. */
static void flush_event(struct mvgpu_display *d)
{
	struct drm_crtc *crtc = &d->crtc;
	bool put = false;

	spin_lock_irq(&crtc->dev->event_lock);
	if (d->event) {
		drm_crtc_send_vblank_event(crtc, d->event);
		d->event = NULL;
		put = true;
	}
	spin_unlock_irq(&crtc->dev->event_lock);
	if (put)
		drm_crtc_vblank_put(crtc);
}

static u32 plane_format(u32 fourcc)
{
	return fourcc == DRM_FORMAT_ARGB8888 ? MVGPU_DSPCNTR_FORMAT_ARGB8888 :
					       MVGPU_DSPCNTR_FORMAT_XRGB8888;
}

/* The GGTT address of the plane's first visible pixel. */
static u64 plane_surface(const struct drm_plane_state *st)
{
	const struct drm_framebuffer *fb = st->fb;
	struct mvgpu_bo *bo = to_mvgpu_bo(fb->obj[0]);

	return bo->ggtt.start + fb->offsets[0] +
	       (u64)(st->src.y1 >> 16) * fb->pitches[0] +
	       (u64)(st->src.x1 >> 16) * fb->format->cpp[0];
}

static int plane_atomic_check(struct drm_plane *plane,
			      struct drm_atomic_state *state)
{
	struct drm_plane_state *st = drm_atomic_get_new_plane_state(state,
								   plane);
	struct drm_crtc_state *cst = NULL;
	u64 surf;
	int ret;

	if (st->crtc)
		cst = drm_atomic_get_new_crtc_state(state, st->crtc);
	ret = drm_atomic_helper_check_plane_state(st, cst,
						  DRM_PLANE_NO_SCALING,
						  DRM_PLANE_NO_SCALING,
						  false, true);
	if (ret || !st->visible)
		return ret;
	/* DSPSURF is the first pixel: it must be page aligned */
	surf = plane_surface(st);
	if (!IS_ALIGNED(surf, MVGPU_GTT_PAGE_SIZE)) {
		drm_dbg_kms(plane->dev, "surface 0x%llx is not page aligned\n",
			    surf);
		return -EINVAL;
	}
	return 0;
}

static void plane_atomic_update(struct drm_plane *plane,
				struct drm_atomic_state *state)
{
	struct drm_plane_state *st = drm_atomic_get_new_plane_state(state,
								   plane);
	struct mvgpu_drm *m = to_mvgpu(plane->dev);
	struct mvgpu_display *d = &m->display;
	struct mvgpu_display_regs r = { };
	unsigned long flags;

	if (st->visible && st->crtc && st->crtc->state->active) {
		r.pipesrc = (drm_rect_width(&st->dst) - 1) << 16 |
			    (drm_rect_height(&st->dst) - 1);
		r.stride = st->fb->pitches[0];
		r.cntr = MVGPU_DSPCNTR_ENABLE |
			 plane_format(st->fb->format->format);
		r.surf = plane_surface(st);
	}
	spin_lock_irqsave(&d->lock, flags);
	d->regs = r;
	write_plane(m);
	spin_unlock_irqrestore(&d->lock, flags);
}

static const struct drm_plane_helper_funcs plane_helper_funcs = {
	.atomic_check = plane_atomic_check,
	.atomic_update = plane_atomic_update,
	.atomic_disable = plane_atomic_update,
};

static const struct drm_plane_funcs plane_funcs = {
	.update_plane = drm_atomic_helper_update_plane,
	.disable_plane = drm_atomic_helper_disable_plane,
	.destroy = drm_plane_cleanup,
	.reset = drm_atomic_helper_plane_reset,
	.atomic_duplicate_state = drm_atomic_helper_plane_duplicate_state,
	.atomic_destroy_state = drm_atomic_helper_plane_destroy_state,
};

static int crtc_atomic_check(struct drm_crtc *crtc,
			     struct drm_atomic_state *state)
{
	struct drm_crtc_state *cst = drm_atomic_get_new_crtc_state(state, crtc);

	/* the pipe runs only while its plane scans out */
	if (!cst->enable)
		return 0;
	return drm_atomic_helper_check_crtc_primary_plane(cst);
}

static enum drm_mode_status crtc_mode_valid(struct drm_crtc *crtc,
					    const struct drm_display_mode *mode)
{
	return mvgpu_fb_mode_valid(crtc_to_mvgpu(crtc), mode);
}

static void crtc_atomic_enable(struct drm_crtc *crtc,
			       struct drm_atomic_state *state)
{
	drm_crtc_vblank_on(crtc);
}

static void crtc_atomic_disable(struct drm_crtc *crtc,
				struct drm_atomic_state *state)
{
	struct mvgpu_drm *m = crtc_to_mvgpu(crtc);
	struct mvgpu_display *d = &m->display;
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	d->regs.cntr = 0;
	write_plane(m);
	spin_unlock_irqrestore(&d->lock, flags);
	flush_event(d);
	drm_crtc_vblank_off(crtc);
}

/*
 * After the plane's update: the commit's event goes with the flip, sent
 * once the new surface is on screen, or now if the pipe does not run.
 */
static void crtc_atomic_flush(struct drm_crtc *crtc,
			      struct drm_atomic_state *state)
{
	struct drm_crtc_state *cst = drm_atomic_get_new_crtc_state(state, crtc);
	struct mvgpu_drm *m = crtc_to_mvgpu(crtc);
	struct mvgpu_display *d = &m->display;
	struct drm_pending_vblank_event *event = cst->event;
	unsigned long flags;

	if (!event)
		return;
	cst->event = NULL;
	if (cst->active && !drm_crtc_vblank_get(crtc)) {
		spin_lock_irqsave(&crtc->dev->event_lock, flags);
		/* a commit waits for the previous one's flip_done */
		drm_WARN_ON(crtc->dev, d->event);
		d->event = event;
		d->event_surf = READ_ONCE(d->regs.surf);
		spin_unlock_irqrestore(&crtc->dev->event_lock, flags);
		return;
	}
	spin_lock_irqsave(&crtc->dev->event_lock, flags);
	drm_crtc_send_vblank_event(crtc, event);
	spin_unlock_irqrestore(&crtc->dev->event_lock, flags);
}

static const struct drm_crtc_helper_funcs crtc_helper_funcs = {
	.mode_valid = crtc_mode_valid,
	.atomic_check = crtc_atomic_check,
	.atomic_flush = crtc_atomic_flush,
	.atomic_enable = crtc_atomic_enable,
	.atomic_disable = crtc_atomic_disable,
};

static int crtc_enable_vblank(struct drm_crtc *crtc)
{
	struct mvgpu_drm *m = crtc_to_mvgpu(crtc);
	struct mvgpu_display *d = &m->display;
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	d->vblank_on = true;
	write_vblank_irq(m);
	spin_unlock_irqrestore(&d->lock, flags);
	return 0;
}

static void crtc_disable_vblank(struct drm_crtc *crtc)
{
	struct mvgpu_drm *m = crtc_to_mvgpu(crtc);
	struct mvgpu_display *d = &m->display;
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	d->vblank_on = false;
	write_vblank_irq(m);
	spin_unlock_irqrestore(&d->lock, flags);
}

static u32 crtc_get_vblank_counter(struct drm_crtc *crtc)
{
	struct mvgpu_drm *m = crtc_to_mvgpu(crtc);
	u32 count = 0;
	int idx;

	if (drm_dev_enter(&m->drm, &idx)) {
		count = mvgpu_rd(m, MVGPU_PIPE_FRMCOUNT);
		drm_dev_exit(idx);
	}
	return count;
}

/*
 * The time of the vblank the counter last counted: the interrupt's, or
 * extrapolated from the last interrupt at the pipe's 60 Hz.
 */
static bool crtc_get_vblank_timestamp(struct drm_crtc *crtc, int *max_error,
				      ktime_t *vblank_time, bool in_vblank_irq)
{
	struct mvgpu_drm *m = crtc_to_mvgpu(crtc);
	struct mvgpu_display *d = &m->display;
	unsigned long flags;
	u32 frames;
	ktime_t t;

	frames = crtc_get_vblank_counter(crtc);
	spin_lock_irqsave(&d->lock, flags);
	t = d->irq_time;
	frames -= d->irq_count;
	spin_unlock_irqrestore(&d->lock, flags);
	if (!t)
		return false;
	*vblank_time = ktime_add_ns(t, (u64)frames * MVGPU_FRAME_NS);
	*max_error = 0;
	return true;
}

static const struct drm_crtc_funcs crtc_funcs = {
	.reset = drm_atomic_helper_crtc_reset,
	.destroy = drm_crtc_cleanup,
	.set_config = drm_atomic_helper_set_config,
	.page_flip = drm_atomic_helper_page_flip,
	.atomic_duplicate_state = drm_atomic_helper_crtc_duplicate_state,
	.atomic_destroy_state = drm_atomic_helper_crtc_destroy_state,
	.enable_vblank = crtc_enable_vblank,
	.disable_vblank = crtc_disable_vblank,
	.get_vblank_counter = crtc_get_vblank_counter,
	.get_vblank_timestamp = crtc_get_vblank_timestamp,
};

static const struct drm_encoder_funcs encoder_funcs = {
	.destroy = drm_encoder_cleanup,
};

static int init_pipe(struct mvgpu_drm *m)
{
	struct mvgpu_display *d = &m->display;
	int ret;

	ret = drm_universal_plane_init(&m->drm, &d->plane, 0, &plane_funcs,
				       plane_formats, ARRAY_SIZE(plane_formats),
				       NULL, DRM_PLANE_TYPE_PRIMARY, NULL);
	if (ret)
		return ret;
	drm_plane_helper_add(&d->plane, &plane_helper_funcs);
	ret = drm_crtc_init_with_planes(&m->drm, &d->crtc, &d->plane, NULL,
					&crtc_funcs, NULL);
	if (ret)
		return ret;
	drm_crtc_helper_add(&d->crtc, &crtc_helper_funcs);
	ret = drm_encoder_init(&m->drm, &d->encoder, &encoder_funcs,
			       DRM_MODE_ENCODER_VIRTUAL, NULL);
	if (ret)
		return ret;
	d->encoder.possible_crtcs = drm_crtc_mask(&d->crtc);
	ret = mvgpu_connector_init(m);
	if (ret)
		return ret;
	return drm_connector_attach_encoder(&d->connector, &d->encoder);
}

/**
 * mvgpu_display_init() - the KMS objects, mode config and vblank
 * @m: the device, PV info read, interrupt installed, not registered yet
 *
 * Return: 0, or a negative errno.
 */
int mvgpu_display_init(struct mvgpu_drm *m)
{
	struct mvgpu_display *d = &m->display;
	int ret;

	spin_lock_init(&d->lock);
	d->max_width = m->info.max_width;
	d->max_height = m->info.max_height;
	ret = mvgpu_fb_mode_config_init(m);
	if (ret)
		return ret;
	ret = init_pipe(m);
	if (ret)
		return ret;
	m->drm.max_vblank_count = U32_MAX;
	ret = drm_vblank_init(&m->drm, 1);
	if (ret)
		return ret;
	drm_mode_config_reset(&m->drm);
	return 0;
}
