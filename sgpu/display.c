// SPDX-License-Identifier: GPL-2.0-only
/*
 * Software GPU: the display pipe.  It scans nothing out (the plane is
 * only recorded); while the plane is enabled an hrtimer ticks at 60 Hz,
 * counts frames and has a work item tell the client in process context.
 * Ticks that come faster than the work runs are merged; the client sees
 * the latest frame number.
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/workqueue.h>

#include "sgpu_dev.h"

#define SGPU_FRAME_NS	(NSEC_PER_SEC / 60)

static enum hrtimer_restart sgpu_vblank_tick(struct hrtimer *t)
{
	struct sgpu_dev *dev = container_of(t, struct sgpu_dev, vblank_timer);

	if (!READ_ONCE(dev->vblank_on))
		return HRTIMER_NORESTART;
	atomic_inc(&dev->frame);
	schedule_work(&dev->vblank_work);
	hrtimer_forward_now(t, ns_to_ktime(SGPU_FRAME_NS));
	return HRTIMER_RESTART;
}

static void sgpu_vblank_work(struct work_struct *w)
{
	struct sgpu_dev *dev = container_of(w, struct sgpu_dev, vblank_work);

	sgpu_dev_vblank(dev, (u32)atomic_read(&dev->frame));
}

/**
 * sgpu_display_init() - set up a disabled plane
 * @dev: the device
 */
void sgpu_display_init(struct sgpu_dev *dev)
{
	mutex_init(&dev->plane_lock);
	hrtimer_init(&dev->vblank_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	dev->vblank_timer.function = sgpu_vblank_tick;
	INIT_WORK(&dev->vblank_work, sgpu_vblank_work);
	atomic_set(&dev->frame, 0);
}

/**
 * sgpu_display_set_plane() - program the plane; vblanks run while enabled
 * @dev: the device
 * @plane: the new state
 *
 * Disabling waits until the timer has stopped and no vblank callback is
 * running.
 */
void sgpu_display_set_plane(struct sgpu_dev *dev,
			    const struct mvgpu_plane *plane)
{
	bool was_on;

	mutex_lock(&dev->plane_lock);
	was_on = dev->vblank_on;
	dev->plane = *plane;
	WRITE_ONCE(dev->vblank_on, plane->enable);
	if (plane->enable && !was_on) {
		hrtimer_start(&dev->vblank_timer, ns_to_ktime(SGPU_FRAME_NS),
			      HRTIMER_MODE_REL);
	} else if (!plane->enable && was_on) {
		hrtimer_cancel(&dev->vblank_timer);
		cancel_work_sync(&dev->vblank_work);
	}
	mutex_unlock(&dev->plane_lock);
}

/**
 * sgpu_display_fini() - stop the pipe
 * @dev: the device
 */
void sgpu_display_fini(struct sgpu_dev *dev)
{
	struct mvgpu_plane off = { };

	sgpu_display_set_plane(dev, &off);
	mutex_destroy(&dev->plane_lock);
}
