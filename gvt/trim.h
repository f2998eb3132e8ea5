/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Release of an idle vGPU's shadow caches.
 */
#ifndef _MVGPU_TRIM_H
#define _MVGPU_TRIM_H

struct mvgpu_pgpu;
struct mvgpu_vgpu;

int mvgpu_trim_pgpu_init(struct mvgpu_pgpu *pgpu);
void mvgpu_trim_pgpu_fini(struct mvgpu_pgpu *pgpu);
void mvgpu_trim_add(struct mvgpu_vgpu *vgpu);
void mvgpu_trim_remove(struct mvgpu_vgpu *vgpu);
void mvgpu_trim_init(struct mvgpu_vgpu *vgpu);
void mvgpu_trim_arm(struct mvgpu_vgpu *vgpu);
void mvgpu_trim_cancel(struct mvgpu_vgpu *vgpu);
void mvgpu_trim_now(struct mvgpu_vgpu *vgpu);

#endif /* _MVGPU_TRIM_H */
