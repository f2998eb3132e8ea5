/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The device's interrupt: engines now, the display pipe's vblank next.
 */
#ifndef _MVGPU_DRM_IRQ_H
#define _MVGPU_DRM_IRQ_H

struct mvgpu_drm;

int mvgpu_irq_init(struct mvgpu_drm *m);
void mvgpu_irq_fini(struct mvgpu_drm *m);
void mvgpu_irq_hw_init(struct mvgpu_drm *m);

#endif /* _MVGPU_DRM_IRQ_H */
