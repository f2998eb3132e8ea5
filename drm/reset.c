// SPDX-License-Identifier: GPL-2.0-only
/*
 * Recovery.
 *
 * Errors and hangs the GPU reports (CSB ERROR, the vGPU's watchdog HANG)
 * need no reset: the context is banned and the engine goes on
 * (execlist.c).  A reset is for what the GPU does not report:
 *
 * - failsafe mode: a vGPU that rejected too much work ignores
 *   submissions until it is reset.  The driver reads the PV info
 *   FAILSAFE register after every engine error and while an engine makes
 *   no progress, and resets the whole device (GDRST full, which ends
 *   failsafe mode); the rejected requests were banned already, the rest
 *   run again;
 * - an engine that makes no progress for hang_timeout_ms: it is reset
 *   (GDRST render or blitter) and its running context banned;
 * - an engine whose events make no sense: it is reset, nobody blamed.
 *
 * A reset stops the engine's submissions, keeps the interrupt thread
 * away (disable_irq()), resets, sets the hardware up again and restarts
 * the engine with what it had, which runs again.  If a reset fails the
 * device is wedged: every request fails and execbuf says EIO.
 */
#include <linux/cleanup.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/moduleparam.h>

#include <drm/drm_print.h>

#include "drv.h"
#include "irq.h"
#include "regs.h"
#include "reset.h"

static unsigned int hang_timeout_ms = 20000;
module_param(hang_timeout_ms, uint, 0644);
MODULE_PARM_DESC(hang_timeout_ms,
		 "reset an engine that makes no progress for this long (ms, 0: never, default 20000)");

#define WATCHDOG_PERIOD		msecs_to_jiffies(500)
/* No progress for this long: is the vGPU in failsafe mode? */
#define FAILSAFE_CHECK_AFTER	msecs_to_jiffies(1000)
#define GDRST_TIMEOUT_US	(1000 * 1000)

/**
 * mvgpu_reset_hw() - write GDRST and wait until the GPU is done
 * @m: the device
 * @bits: MVGPU_GDRST_*
 *
 * Return: 0, or -ETIMEDOUT.
 */
int mvgpu_reset_hw(struct mvgpu_drm *m, u32 bits)
{
	unsigned int waited;

	mvgpu_wr(m, MVGPU_GDRST, bits);
	for (waited = 0; waited < GDRST_TIMEOUT_US; waited += 1000) {
		if (!(mvgpu_rd(m, MVGPU_GDRST) & bits))
			return 0;
		usleep_range(1000, 2000);
	}
	return -ETIMEDOUT;
}

/**
 * mvgpu_hw_init() - set the hardware up: interrupts, engines
 * @m: the device, after probe or a full reset
 */
void mvgpu_hw_init(struct mvgpu_drm *m)
{
	unsigned int i;

	mvgpu_irq_hw_init(m);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		mvgpu_engine_hw_init(&m->engine[i]);
}

static void reset_wedge(struct mvgpu_drm *m, const char *why)
{
	unsigned int i;

	lockdep_assert_held(&m->reset.lock);
	drm_err(&m->drm, "%s: giving up on the device; reload the driver\n",
		why);
	WRITE_ONCE(m->reset.wedged, true);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		mvgpu_engine_cancel(&m->engine[i]);
	mvgpu_requests_cancel_waiting(m);
}

static void reset_full_reset(struct mvgpu_drm *m, bool failsafe)
{
	unsigned int i;
	int ret;

	lockdep_assert_held(&m->reset.lock);
	if (failsafe)
		drm_err(&m->drm, "vGPU in failsafe mode (it rejected too much work): resetting it\n");
	disable_irq(m->irq);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		mvgpu_engine_stop(&m->engine[i]);
	ret = mvgpu_reset_hw(m, MVGPU_GDRST_FULL);
	if (!ret) {
		mvgpu_hw_init(m);
		mvgpu_display_hw_restore(m);
		if (mvgpu_pvinfo_failsafe(m))
			ret = -EIO;
	}
	if (ret) {
		reset_wedge(m, ret == -EIO ? "still in failsafe mode after a full reset" :
					     "full reset timed out");
		goto out;
	}
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		mvgpu_engine_restart(&m->engine[i], false);
	atomic_inc(&m->stats.full_resets);
	if (failsafe) {
		atomic_inc(&m->stats.failsafe);
		drm_info(&m->drm, "vGPU out of failsafe mode\n");
	}
	WRITE_ONCE(m->reset.failsafe, false);
out:
	enable_irq(m->irq);
}

static void reset_engine_reset(struct mvgpu_drm *m, struct mvgpu_engine *e,
			       bool blame)
{
	u32 bit = e->id == MVGPU_ENGINE_RCS ? MVGPU_GDRST_RENDER :
					      MVGPU_GDRST_BLT;

	lockdep_assert_held(&m->reset.lock);
	disable_irq(m->irq);
	mvgpu_engine_stop(e);
	if (mvgpu_reset_hw(m, bit)) {
		drm_err(&m->drm, "%s: engine reset timed out: full reset\n",
			e->name);
		reset_full_reset(m, false);
		goto out;
	}
	mvgpu_engine_hw_init(e);
	mvgpu_engine_restart(e, blame);
	atomic_inc(&m->stats.engine_resets);
out:
	enable_irq(m->irq);
}

static void reset_work(struct work_struct *work)
{
	struct mvgpu_drm *m = container_of(work, struct mvgpu_drm, reset.work);
	struct mvgpu_reset *r = &m->reset;
	bool full, failsafe, blame, any;
	unsigned int i;

	guard(mutex)(&r->lock);
	if (READ_ONCE(m->dead) || READ_ONCE(r->wedged))
		return;
	failsafe = test_and_clear_bit(MVGPU_RESET_FAILSAFE, &r->pending);
	full = test_and_clear_bit(MVGPU_RESET_FULL, &r->pending);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		blame = test_and_clear_bit(MVGPU_RESET_BLAME(i), &r->pending);
		any = test_and_clear_bit(MVGPU_RESET_ENGINE(i), &r->pending);
		if (!full && !failsafe && (blame || any))
			reset_engine_reset(m, &m->engine[i], blame);
	}
	if (full || failsafe)
		reset_full_reset(m, failsafe);
}

/**
 * mvgpu_reset_schedule() - ask the reset worker for a reset
 * @m: the device
 * @bit: MVGPU_RESET_* of what to reset
 *
 * Any context.
 */
void mvgpu_reset_schedule(struct mvgpu_drm *m, unsigned int bit)
{
	set_bit(bit, &m->reset.pending);
	queue_work(m->wq, &m->reset.work);
}

/**
 * mvgpu_reset_check_failsafe() - reset the vGPU if it is in failsafe mode
 * @m: the device
 *
 * Reads the PV info FAILSAFE register; process context.
 */
void mvgpu_reset_check_failsafe(struct mvgpu_drm *m)
{
	if (READ_ONCE(m->reset.failsafe) || !mvgpu_pvinfo_failsafe(m))
		return;
	WRITE_ONCE(m->reset.failsafe, true);
	mvgpu_reset_schedule(m, MVGPU_RESET_FAILSAFE);
}

static void reset_watchdog_work(struct work_struct *work)
{
	struct mvgpu_drm *m = container_of(work, struct mvgpu_drm,
					   reset.watchdog.work);
	unsigned long timeout = msecs_to_jiffies(READ_ONCE(hang_timeout_ms));
	bool busy = false, stalled = false;
	struct mvgpu_engine *e;
	unsigned int i;

	if (READ_ONCE(m->dead))
		return;
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		busy |= mvgpu_engine_busy(&m->engine[i]);
		stalled |= mvgpu_engine_stalled(&m->engine[i],
						FAILSAFE_CHECK_AFTER);
	}
	if (stalled)
		mvgpu_reset_check_failsafe(m);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		e = &m->engine[i];
		if (!timeout || READ_ONCE(m->reset.failsafe) ||
		    !mvgpu_engine_stalled(e, timeout))
			continue;
		drm_err(&m->drm, "%s: no progress for %u ms: resetting it\n",
			e->name, jiffies_to_msecs(timeout));
		mvgpu_reset_schedule(m, MVGPU_RESET_BLAME(i));
	}
	if (busy)
		queue_delayed_work(m->wq, &m->reset.watchdog, WATCHDOG_PERIOD);
}

/**
 * mvgpu_watchdog_arm() - make sure the watchdog runs
 * @m: the device, some engine busy; any context
 */
void mvgpu_watchdog_arm(struct mvgpu_drm *m)
{
	if (!READ_ONCE(m->dead))
		queue_delayed_work(m->wq, &m->reset.watchdog, WATCHDOG_PERIOD);
}

/**
 * mvgpu_reset_init() - set up recovery
 * @m: the device
 */
void mvgpu_reset_init(struct mvgpu_drm *m)
{
	mutex_init(&m->reset.lock);
	INIT_WORK(&m->reset.work, reset_work);
	INIT_DELAYED_WORK(&m->reset.watchdog, reset_watchdog_work);
}

/**
 * mvgpu_reset_fini() - stop recovery
 * @m: the device, dead: nothing schedules a reset or arms the watchdog
 *     any more, and a late one does nothing
 */
void mvgpu_reset_fini(struct mvgpu_drm *m)
{
	cancel_delayed_work_sync(&m->reset.watchdog);
	cancel_work_sync(&m->reset.work);
}
