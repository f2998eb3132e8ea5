/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scanout buffers: dumb buffers, framebuffers and the mode config.
 */
#ifndef _MVGPU_DRM_FB_H
#define _MVGPU_DRM_FB_H

#include <drm/drm_modes.h>

struct drm_device;
struct drm_file;
struct drm_mode_create_dumb;
struct mvgpu_drm;

/* DSPSTRIDE: bytes, a multiple of 64, at most this */
#define MVGPU_DSPSTRIDE_ALIGN	64
#define MVGPU_DSPSTRIDE_MAX	0x3ffc0
/* PIPESRC holds 13 bits per dimension */
#define MVGPU_PIPESRC_MAX	8192

int mvgpu_dumb_create(struct drm_file *file, struct drm_device *drm,
		      struct drm_mode_create_dumb *args);
enum drm_mode_status mvgpu_fb_mode_valid(struct mvgpu_drm *m,
					 const struct drm_display_mode *mode);
int mvgpu_fb_mode_config_init(struct mvgpu_drm *m);

#endif /* _MVGPU_DRM_FB_H */
