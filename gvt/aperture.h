/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * BAR2 of a vGPU: the aperture, guest graphics memory seen by the CPU.
 * mvgpu_aperture_rw() and mvgpu_aperture_fault() are in <mvgpu/vgpu.h>.
 */
#ifndef _MVGPU_APERTURE_H
#define _MVGPU_APERTURE_H

#include <linux/types.h>

struct mvgpu_vgpu;

unsigned long mvgpu_aperture_pfn(struct mvgpu_vgpu *vgpu, u64 off);

#endif /* _MVGPU_APERTURE_H */
