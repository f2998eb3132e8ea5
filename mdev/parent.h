/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Physical GPUs as mdev parents.
 */
#ifndef _MVGPU_PARENT_H
#define _MVGPU_PARENT_H

#include <linux/mdev.h>

struct device;
struct mvgpu_parent;
struct mvgpu_pgpu;
struct mvgpu_type_desc;

int mvgpu_parents_create(unsigned int count);
void mvgpu_parents_destroy(void);
struct mvgpu_parent *mvgpu_parent_add(struct device *bus_dev);
void mvgpu_parent_remove(struct mvgpu_parent *p);
struct mvgpu_pgpu *mvgpu_parent_pgpu(struct mdev_device *mdev);
const struct mvgpu_type_desc *mvgpu_parent_type_desc(struct mdev_type *mtype);

#endif /* _MVGPU_PARENT_H */
