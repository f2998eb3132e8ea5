/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * debugfs: /sys/kernel/debug/mvgpu/mvgpuN/{native,mem,edid}, the native
 * path's interface for tests and benchmarks.
 */
#ifndef _MVGPU_DEBUGFS_H
#define _MVGPU_DEBUGFS_H

#include "native.h"

struct mvgpu_debugfs;

void mvgpu_debugfs_init(void);
void mvgpu_debugfs_exit(void);
struct mvgpu_debugfs *mvgpu_debugfs_add(const char *name,
					struct mvgpu_native *n);
void mvgpu_debugfs_remove(struct mvgpu_debugfs *d);

/* debugfs_cmd.c */
int mvgpu_debugfs_exec(struct mvgpu_native *n, char *line, char **argv,
		       char *out, size_t size, size_t *len);
#define MVGPU_DEBUGFS_MAX_ARGS	(MVGPU_NATIVE_MAX_EMIT + 4)

#endif /* _MVGPU_DEBUGFS_H */
