/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VFIO migration (uAPI v2) of a vGPU: the device state machine and the
 * data files (migration.c).
 */
#ifndef _MVGPU_MDEV_MIGRATION_H
#define _MVGPU_MDEV_MIGRATION_H

#include <linux/mutex.h>
#include <linux/vfio.h>

struct mvgpu_mig_file;
struct mvgpu_vgpu;

/* How long a stopping vGPU's work in flight may take to drain. */
#define MVGPU_MIG_DRAIN_MS	5000

/**
 * struct mvgpu_mig - migration state of one vGPU's VFIO device
 * @vgpu: the device model
 * @lock: protects @state, @saving and @resuming; taken before a data
 *        file's lock and the vGPU's lock
 * @state: the VFIO device state
 * @saving: the data file being read, in PRE_COPY and STOP_COPY
 * @resuming: the data file being written, in RESUMING
 */
struct mvgpu_mig {
	struct mvgpu_vgpu *vgpu;
	struct mutex lock; /* see @lock above */
	enum vfio_device_mig_state state;
	struct mvgpu_mig_file *saving;
	struct mvgpu_mig_file *resuming;
};

void mvgpu_mig_init(struct mvgpu_mig *mig, struct mvgpu_vgpu *vgpu,
		    struct vfio_device *vdev);
void mvgpu_mig_fini(struct mvgpu_mig *mig);
void mvgpu_mig_reset(struct mvgpu_mig *mig);

#endif /* _MVGPU_MDEV_MIGRATION_H */
