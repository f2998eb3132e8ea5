/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Release of an idle vGPU's shadow caches.
 */
#ifndef _MVGPU_TRIM_H
#define _MVGPU_TRIM_H

struct mvgpu_vgpu;

/* How long a vGPU has no work in flight before its caches go. */
#define MVGPU_TRIM_IDLE_MS	2000

void mvgpu_trim_init(struct mvgpu_vgpu *vgpu);
void mvgpu_trim_arm(struct mvgpu_vgpu *vgpu);
void mvgpu_trim_cancel(struct mvgpu_vgpu *vgpu);
void mvgpu_trim_now(struct mvgpu_vgpu *vgpu);

#endif /* _MVGPU_TRIM_H */
