/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * BAR0 of a vGPU: registers, PV info page and GGTT window.
 */
#ifndef _MVGPU_MMIO_H
#define _MVGPU_MMIO_H

#include <linux/types.h>

struct mvgpu_vgpu;

int mvgpu_mmio_read(struct mvgpu_vgpu *vgpu, u64 off, void *buf,
		    unsigned int len);
int mvgpu_mmio_write(struct mvgpu_vgpu *vgpu, u64 off, const void *buf,
		     unsigned int len);

#endif /* _MVGPU_MMIO_H */
