/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Recovery: engine and full resets, the hang timeout, failsafe mode.
 */
#ifndef _MVGPU_DRM_RESET_H
#define _MVGPU_DRM_RESET_H

#include <linux/mutex.h>
#include <linux/workqueue.h>

struct mvgpu_drm;

/**
 * struct mvgpu_reset - recovery state of the device
 * @lock: serialises resets and the hardware set-up they end with
 * @work: does the resets @pending asks for
 * @watchdog: looks for engines that stopped making progress and for
 *            failsafe mode while work is in flight
 * @pending: MVGPU_RESET_* bits (atomic bitops)
 * @failsafe: the vGPU was seen in failsafe mode and not recovered yet
 *            (READ_ONCE)
 * @wedged: a reset failed: the device takes no more work (READ_ONCE)
 */
struct mvgpu_reset {
	struct mutex lock; /* see @lock above */
	struct work_struct work;
	struct delayed_work watchdog;
	unsigned long pending;
	bool failsafe;
	bool wedged;
};

/* @pending: reset engine N blaming what it runs, without, or everything */
#define MVGPU_RESET_BLAME(e)	(e)
#define MVGPU_RESET_ENGINE(e)	(8 + (e))
#define MVGPU_RESET_FULL	16
#define MVGPU_RESET_FAILSAFE	17

void mvgpu_reset_init(struct mvgpu_drm *m);
void mvgpu_reset_fini(struct mvgpu_drm *m);
int mvgpu_reset_hw(struct mvgpu_drm *m, u32 bits);
void mvgpu_hw_init(struct mvgpu_drm *m);
void mvgpu_reset_schedule(struct mvgpu_drm *m, unsigned int bit);
void mvgpu_reset_check_failsafe(struct mvgpu_drm *m);
void mvgpu_watchdog_arm(struct mvgpu_drm *m);

#endif /* _MVGPU_DRM_RESET_H */
