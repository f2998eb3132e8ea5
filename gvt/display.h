/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vGPU's virtual display pipe: vblanks, the latched surface and what
 * the VMM reads of the plane (<mvgpu/vgpu.h>).
 */
#ifndef _MVGPU_DISPLAY_H
#define _MVGPU_DISPLAY_H

struct mvgpu_vgpu;

/* Virtual refresh rate of every vGPU's pipe. */
#define MVGPU_VDISPLAY_HZ	60

void mvgpu_vdisplay_init(struct mvgpu_vgpu *vgpu);
void mvgpu_vdisplay_fini(struct mvgpu_vgpu *vgpu);
void mvgpu_vdisplay_update(struct mvgpu_vgpu *vgpu);

#endif /* _MVGPU_DISPLAY_H */
