/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The execbuf ioctl.
 */
#ifndef _MVGPU_DRM_SUBMIT_H
#define _MVGPU_DRM_SUBMIT_H

struct drm_device;
struct drm_file;

int mvgpu_ioctl_execbuf(struct drm_device *drm, void *data,
			struct drm_file *file);

#endif /* _MVGPU_DRM_SUBMIT_H */
