// SPDX-License-Identifier: GPL-2.0-only
/*
 * Weighted time-slice scheduling policy for one physical engine.
 *
 * Each entity's virtual runtime grows by the engine time it receives
 * divided by its weight; the busy entity with the least virtual runtime
 * runs next, for a slice (1 ms by default, GVT-g's GVT_DEFAULT_TIME_SLICE)
 * or until it idles.  Over any interval in which a set of entities stays
 * busy, each receives engine time in proportion to its weight, within one
 * slice.  An entity that was idle re-enters at the current minimum
 * virtual runtime: idleness earns no credit (idle vGPUs cost nothing and
 * cannot later starve the others), and a low weight only lengthens the
 * wait, it never stops it.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "sched_policy.h"

/* Fixed point: a weight-1 entity advances 1024 vruntime units per ns. */
#define VRUNTIME_SCALE	1024ULL

/**
 * mvgpu_sched_policy_init() - an empty policy
 * @p: policy
 * @slice_ns: time slice, 0 for the default
 */
void mvgpu_sched_policy_init(struct mvgpu_sched_policy *p, u64 slice_ns)
{
	memset(p, 0, sizeof(*p));
	p->slice_ns = slice_ns ? slice_ns : MVGPU_SCHED_DEFAULT_SLICE_NS;
}

/**
 * mvgpu_sched_add() - let an entity compete for the engine
 * @p: policy
 * @e: entity, not yet added; starts idle
 * @weight: its share, 1 to 65536
 *
 * Return: 0, -EINVAL for a bad weight, -ENOSPC when the policy is full.
 */
int mvgpu_sched_add(struct mvgpu_sched_policy *p,
		    struct mvgpu_sched_entity *e, u32 weight)
{
	int i;

	if (!weight || weight > 65536)
		return -EINVAL;
	for (i = 0; i < MVGPU_SCHED_MAX_ENTITIES; i++) {
		if (!p->entities[i]) {
			p->entities[i] = e;
			e->slot = i;
			e->weight = weight;
			e->busy = false;
			e->vruntime = p->min_vruntime;
			e->runtime_ns = 0;
			return 0;
		}
	}
	return -ENOSPC;
}

/**
 * mvgpu_sched_remove() - stop considering an entity
 * @p: policy
 * @e: entity added to @p, or one whose add failed (then nothing happens)
 */
void mvgpu_sched_remove(struct mvgpu_sched_policy *p,
			struct mvgpu_sched_entity *e)
{
	if (e->slot < 0 || e->slot >= MVGPU_SCHED_MAX_ENTITIES ||
	    p->entities[e->slot] != e)
		return;
	p->entities[e->slot] = NULL;
	e->slot = -1;
	e->busy = false;
}

/* Least vruntime among busy entities other than @skip; false if none. */
static bool policy_busy_min(const struct mvgpu_sched_policy *p,
			    const struct mvgpu_sched_entity *skip, u64 *min)
{
	const struct mvgpu_sched_entity *e;
	bool found = false;
	int i;

	for (i = 0; i < MVGPU_SCHED_MAX_ENTITIES; i++) {
		e = p->entities[i];
		if (!e || e == skip || !e->busy)
			continue;
		if (!found || e->vruntime < *min)
			*min = e->vruntime;
		found = true;
	}
	return found;
}

/**
 * mvgpu_sched_set_busy() - an entity gained its first or lost its last work
 * @p: policy
 * @e: entity added to @p
 * @busy: whether it now has work
 */
void mvgpu_sched_set_busy(struct mvgpu_sched_policy *p,
			  struct mvgpu_sched_entity *e, bool busy)
{
	u64 floor;

	if (busy && !e->busy) {
		if (!policy_busy_min(p, e, &floor) || floor < p->min_vruntime)
			floor = p->min_vruntime;
		if (e->vruntime < floor)
			e->vruntime = floor;
	}
	e->busy = busy;
}

/**
 * mvgpu_sched_pick() - who runs next
 * @p: policy
 *
 * Ties go to the lowest slot, so the choice is deterministic.
 *
 * Return: the busy entity with the least virtual runtime, or NULL when no
 * entity is busy.
 */
struct mvgpu_sched_entity *mvgpu_sched_pick(struct mvgpu_sched_policy *p)
{
	struct mvgpu_sched_entity *best = NULL, *e;
	int i;

	for (i = 0; i < MVGPU_SCHED_MAX_ENTITIES; i++) {
		e = p->entities[i];
		if (e && e->busy && (!best || e->vruntime < best->vruntime))
			best = e;
	}
	return best;
}

/**
 * mvgpu_sched_charge() - account engine time an entity received
 * @p: policy
 * @e: entity added to @p
 * @ran_ns: engine time since the last charge
 */
void mvgpu_sched_charge(struct mvgpu_sched_policy *p,
			struct mvgpu_sched_entity *e, u64 ran_ns)
{
	u64 min;

	e->runtime_ns += ran_ns;
	e->vruntime += ran_ns * VRUNTIME_SCALE / e->weight;
	if (policy_busy_min(p, NULL, &min) && min > p->min_vruntime)
		p->min_vruntime = min;
}

/**
 * mvgpu_sched_should_preempt() - whether the running entity must yield
 * @p: policy
 * @running: the entity on the engine, charged up to now
 * @slice_used_ns: how long it has run since it was picked
 *
 * Return: true when its slice is used up and another busy entity has
 * received no more weighted time (equals take turns).
 */
bool mvgpu_sched_should_preempt(struct mvgpu_sched_policy *p,
				struct mvgpu_sched_entity *running,
				u64 slice_used_ns)
{
	struct mvgpu_sched_entity *e;
	int i;

	if (slice_used_ns < p->slice_ns)
		return false;
	for (i = 0; i < MVGPU_SCHED_MAX_ENTITIES; i++) {
		e = p->entities[i];
		if (e && e != running && e->busy &&
		    e->vruntime <= running->vruntime)
			return true;
	}
	return false;
}
