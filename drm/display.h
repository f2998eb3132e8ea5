/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The display: atomic KMS over the GPU's one pipe and primary plane.
 */
#ifndef _MVGPU_DRM_DISPLAY_H
#define _MVGPU_DRM_DISPLAY_H

#include <linux/ktime.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <drm/drm_connector.h>
#include <drm/drm_crtc.h>
#include <drm/drm_encoder.h>
#include <drm/drm_plane.h>

struct drm_pending_vblank_event;
struct mvgpu_drm;

/**
 * struct mvgpu_display_regs - what the driver last wrote to the plane
 * @pipesrc: PIPESRC
 * @stride: DSPSTRIDE
 * @cntr: DSPCNTR (0: plane, and so pipe, off)
 * @surf: DSPSURF
 */
struct mvgpu_display_regs {
	u32 pipesrc;
	u32 stride;
	u32 cntr;
	u32 surf;
};

/**
 * struct mvgpu_display - the KMS objects and the pipe's state
 * @plane: the primary plane
 * @crtc: pipe A
 * @encoder: ties @crtc to @connector
 * @connector: the virtual monitor, modes from its EDID
 * @max_width: widest mode: PV info MAX_WIDTH, or what PIPESRC holds
 * @max_height: tallest mode, likewise
 * @lock: protects @regs, @vblank_on, @irq_time, @irq_count and the
 *        writes of the display and pipe interrupt registers (atomic
 *        commits, vblank enabling, the reset worker's restore, the
 *        vblank interrupt)
 * @regs: the plane's registers as last written, for a restore after a
 *        full reset
 * @vblank_on: the vblank interrupt is enabled (the core's refcount)
 * @irq_time: when the last vblank interrupt came (0: none yet)
 * @irq_count: PIPE_FRMCOUNT then
 * @event: the flip's event, sent at the first vblank at which the GPU
 *         scans out @event_surf; protected by &drm_device.event_lock
 * @event_surf: the surface @event waits for
 */
struct mvgpu_display {
	struct drm_plane plane;
	struct drm_crtc crtc;
	struct drm_encoder encoder;
	struct drm_connector connector;
	u32 max_width;
	u32 max_height;
	spinlock_t lock; /* see @lock above */
	struct mvgpu_display_regs regs;
	bool vblank_on;
	ktime_t irq_time;
	u32 irq_count;
	struct drm_pending_vblank_event *event;
	u32 event_surf;
};

int mvgpu_display_init(struct mvgpu_drm *m);
int mvgpu_connector_init(struct mvgpu_drm *m);
void mvgpu_display_vblank_irq(struct mvgpu_drm *m);
void mvgpu_display_hw_restore(struct mvgpu_drm *m);

#endif /* _MVGPU_DRM_DISPLAY_H */
