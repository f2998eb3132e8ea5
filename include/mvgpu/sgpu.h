/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The software GPU as a backend of the virtualization core: the only
 * entry point outside sgpu/.  Everything else goes through the returned
 * backend's ops (include/mvgpu/backend.h).
 */
#ifndef _MVGPU_SGPU_H
#define _MVGPU_SGPU_H

#include <linux/device.h>

#include <mvgpu/backend.h>

struct mvgpu_backend *mvgpu_sgpu_create(struct device *parent,
					unsigned int id);

#endif /* _MVGPU_SGPU_H */
