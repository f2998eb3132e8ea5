// SPDX-License-Identifier: GPL-2.0-only
/*
 * Time-slice scheduling policies for one physical engine.
 *
 * Each entity's virtual runtime grows by the engine time it receives
 * divided by its weight (by 1 in equal share mode); the busy entity with
 * the least virtual runtime runs next, for a slice (1 ms by default,
 * GVT-g's GVT_DEFAULT_TIME_SLICE, 1 to 30 ms) or until it idles.  Over
 * any interval in which a set of entities stays busy, each receives
 * engine time in proportion to its weight, within one slice.  An entity
 * that was idle re-enters at the current minimum virtual runtime:
 * idleness earns no credit (idle vGPUs cost nothing and cannot later
 * starve the others), and a low weight only lengthens the wait, it never
 * stops it.
 *
 * An entity may also be limited to a fraction of the engine: in fixed
 * share mode its weight over the sum of all weights, busy or not, and
 * in any mode its cap.  A limited entity that received ran_ns of engine
 * time may not run again until ran_ns / fraction after it started
 * (eligible_ns), so it gets its fraction and no more even when it runs
 * alone, and the engine then idles.  Of the time it was allowed but did
 * not run (idle, or waiting for others) it keeps at most one slice's
 * worth, so busy limited entities together still fill the engine and an
 * idle one saves up no more than a slice.  The limit is checked between
 * slices: the entity keeps the engine for its slice, and the wait after
 * it pays for the slice.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "sched_policy.h"

/* Fixed point: a weight-1 entity advances 1024 vruntime units per ns. */
#define VRUNTIME_SCALE	1024ULL
/* Fractions of the engine, in parts per million. */
#define PPM		1000000ULL

/**
 * mvgpu_sched_policy_init() - an empty policy, in weighted best effort mode
 * @p: policy
 * @slice_ns: time slice, 0 for the default
 */
void mvgpu_sched_policy_init(struct mvgpu_sched_policy *p, u64 slice_ns)
{
	memset(p, 0, sizeof(*p));
	p->slice_ns = slice_ns ? slice_ns : MVGPU_SCHED_DEFAULT_SLICE_NS;
	p->mode = MVGPU_SCHED_BEST_EFFORT;
}

/**
 * mvgpu_sched_policy_set_mode() - change how the engine is shared
 * @p: policy
 * @mode: enum mvgpu_sched_mode
 *
 * Entities keep their place in the queue but nobody owes anybody from
 * before: virtual runtimes restart level, as their scale changes.
 * Limits already earned (a wait after a slice) stay.
 *
 * Return: 0, or -EINVAL for an unknown mode.
 */
int mvgpu_sched_policy_set_mode(struct mvgpu_sched_policy *p,
				enum mvgpu_sched_mode mode)
{
	int i;

	if ((unsigned int)mode >= MVGPU_SCHED_NR_MODES)
		return -EINVAL;
	if (mode == p->mode)
		return 0;
	p->mode = mode;
	for (i = 0; i < MVGPU_SCHED_MAX_ENTITIES; i++)
		if (p->entities[i])
			p->entities[i]->vruntime = p->min_vruntime;
	return 0;
}

/**
 * mvgpu_sched_policy_set_slice() - change the time slice
 * @p: policy
 * @slice_ns: MVGPU_SCHED_MIN_SLICE_NS to MVGPU_SCHED_MAX_SLICE_NS
 *
 * Return: 0, or -EINVAL out of bounds.
 */
int mvgpu_sched_policy_set_slice(struct mvgpu_sched_policy *p, u64 slice_ns)
{
	if (slice_ns < MVGPU_SCHED_MIN_SLICE_NS ||
	    slice_ns > MVGPU_SCHED_MAX_SLICE_NS)
		return -EINVAL;
	p->slice_ns = slice_ns;
	return 0;
}

/**
 * mvgpu_sched_policy_set_cap() - limit an entity to a part of the engine
 * @p: policy
 * @e: entity added to @p
 * @cap: percent of the engine, 1 to 100; 0 (or 100) for no cap
 *
 * Return: 0, or -EINVAL for more than 100.
 */
int mvgpu_sched_policy_set_cap(struct mvgpu_sched_policy *p,
			       struct mvgpu_sched_entity *e, u32 cap)
{
	if (cap > 100)
		return -EINVAL;
	e->cap = cap;
	return 0;
}

/**
 * mvgpu_sched_policy_set_weight() - change an entity's share
 * @p: policy
 * @e: entity added to @p
 * @weight: 1 to 65536
 *
 * Its virtual runtime so far stays as it was charged: only what it
 * receives from now on is scaled by the new weight.
 *
 * Return: 0, or -EINVAL for a bad weight.
 */
int mvgpu_sched_policy_set_weight(struct mvgpu_sched_policy *p,
				  struct mvgpu_sched_entity *e, u32 weight)
{
	if (!weight || weight > MVGPU_SCHED_MAX_WEIGHT)
		return -EINVAL;
	p->total_weight = p->total_weight - e->weight + weight;
	e->weight = weight;
	return 0;
}

/**
 * mvgpu_sched_add() - let an entity compete for the engine
 * @p: policy
 * @e: entity, not yet added; starts idle, without a cap
 * @weight: its share, 1 to 65536
 *
 * Return: 0, -EINVAL for a bad weight, -ENOSPC when the policy is full.
 */
int mvgpu_sched_add(struct mvgpu_sched_policy *p,
		    struct mvgpu_sched_entity *e, u32 weight)
{
	int i;

	if (!weight || weight > MVGPU_SCHED_MAX_WEIGHT)
		return -EINVAL;
	for (i = 0; i < MVGPU_SCHED_MAX_ENTITIES; i++) {
		if (!p->entities[i]) {
			p->entities[i] = e;
			e->slot = i;
			e->weight = weight;
			e->cap = 0;
			e->busy = false;
			e->vruntime = p->min_vruntime;
			e->runtime_ns = 0;
			e->eligible_ns = 0;
			p->total_weight += weight;
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
	p->total_weight -= e->weight;
	if (p->yielded == e)
		p->yielded = NULL;
	e->slot = -1;
	e->busy = false;
}

/* The fraction of the engine @e may have, in PPM; PPM for all of it. */
static u64 policy_limit_ppm(const struct mvgpu_sched_policy *p,
			    const struct mvgpu_sched_entity *e)
{
	u64 ppm = PPM;

	if (p->mode == MVGPU_SCHED_FIXED_SHARE && p->total_weight)
		ppm = div64_u64(e->weight * PPM, p->total_weight);
	if (e->cap && e->cap * (PPM / 100) < ppm)
		ppm = e->cap * (PPM / 100);
	return ppm ? ppm : 1;
}

static bool policy_eligible(const struct mvgpu_sched_policy *p,
			    const struct mvgpu_sched_entity *e, u64 now)
{
	return e->eligible_ns <= now || policy_limit_ppm(p, e) >= PPM;
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
 * @now: the time, on the clock of mvgpu_sched_charge()
 *
 * Ties go to the lowest slot, so the choice is deterministic.  An
 * entity that yielded (mvgpu_sched_yield()) is picked only when no other
 * may run; either way, the yield is over.
 *
 * Return: the busy entity with the least virtual runtime among those not
 * waiting for their limit, or NULL when there is none.
 */
struct mvgpu_sched_entity *mvgpu_sched_pick(struct mvgpu_sched_policy *p,
					    u64 now)
{
	struct mvgpu_sched_entity *best = NULL, *e;
	int i;

	for (i = 0; i < MVGPU_SCHED_MAX_ENTITIES; i++) {
		e = p->entities[i];
		if (!e || e == p->yielded || !e->busy ||
		    !policy_eligible(p, e, now))
			continue;
		if (!best || e->vruntime < best->vruntime)
			best = e;
	}
	e = p->yielded;
	p->yielded = NULL;
	if (!best && e && e->busy && policy_eligible(p, e, now))
		best = e;
	return best;
}

/**
 * mvgpu_sched_yield() - the running entity is being preempted for another
 * @p: policy
 * @e: entity added to @p
 *
 * Charged for its slice, it may still have the least virtual runtime, or
 * tie with the one it was preempted for, as its last charge comes with
 * the engine's report of the preemption: its next mvgpu_sched_pick()
 * gives the engine to another that may run, so the one it was preempted
 * for is not left waiting.
 */
void mvgpu_sched_yield(struct mvgpu_sched_policy *p,
		       struct mvgpu_sched_entity *e)
{
	p->yielded = e;
}

/**
 * mvgpu_sched_next_eligible() - when a busy entity waiting for its limit
 * may run
 * @p: policy
 * @now: the time
 *
 * For a caller whose mvgpu_sched_pick() found nobody, to know when to ask
 * again.
 *
 * Return: the earliest such time after @now, or U64_MAX when no busy
 * entity waits.
 */
u64 mvgpu_sched_next_eligible(struct mvgpu_sched_policy *p, u64 now)
{
	struct mvgpu_sched_entity *e;
	u64 next = U64_MAX;
	int i;

	for (i = 0; i < MVGPU_SCHED_MAX_ENTITIES; i++) {
		e = p->entities[i];
		if (e && e->busy && !policy_eligible(p, e, now))
			next = min(next, e->eligible_ns);
	}
	return next;
}

/**
 * mvgpu_sched_alone_until() - until when the running entity has no slice
 * @p: policy
 * @running: the entity on the engine
 * @now: the time
 *
 * An entity with no limit of its own (no cap, not in fixed share) that no
 * other busy entity may take the engine from has no slice to end: its
 * scheduler need not look again before another one may run.
 *
 * Return: @now when its slice must be timed (it is limited, or another
 * busy entity may run now), else the earliest time another busy entity
 * may run, U64_MAX for none.
 */
u64 mvgpu_sched_alone_until(struct mvgpu_sched_policy *p,
			    struct mvgpu_sched_entity *running, u64 now)
{
	struct mvgpu_sched_entity *e;
	u64 until = U64_MAX;
	int i;

	if (policy_limit_ppm(p, running) < PPM)
		return now;
	for (i = 0; i < MVGPU_SCHED_MAX_ENTITIES; i++) {
		e = p->entities[i];
		if (!e || e == running || !e->busy)
			continue;
		if (policy_eligible(p, e, now))
			return now;
		until = min(until, e->eligible_ns);
	}
	return until;
}

/**
 * mvgpu_sched_charge() - account engine time an entity received
 * @p: policy
 * @e: entity added to @p
 * @ran_ns: engine time since the last charge
 * @now: when that time ended, on a clock that never goes back
 */
void mvgpu_sched_charge(struct mvgpu_sched_policy *p,
			struct mvgpu_sched_entity *e, u64 ran_ns, u64 now)
{
	u32 weight = p->mode == MVGPU_SCHED_EQUAL_SHARE ? 1 : e->weight;
	u64 ppm = policy_limit_ppm(p, e);
	u64 min, start = now > ran_ns ? now - ran_ns : 0;
	u64 period, floor;

	e->runtime_ns += ran_ns;
	e->vruntime += ran_ns * VRUNTIME_SCALE / weight;
	if (ppm < PPM) {
		/* credit for at most one slice it could have had, see top */
		period = div64_u64(p->slice_ns * PPM, ppm);
		floor = start > period ? start - period : 0;
		e->eligible_ns = max(e->eligible_ns, floor) +
				 div64_u64(ran_ns * PPM, ppm);
	}
	if (policy_busy_min(p, NULL, &min) && min > p->min_vruntime)
		p->min_vruntime = min;
}

/**
 * mvgpu_sched_should_preempt() - whether the running entity must yield
 * @p: policy
 * @running: the entity on the engine, charged up to @now
 * @slice_used_ns: how long it has run since it was picked
 * @now: the time
 *
 * Return: true when its slice is used up and either it has had its limit
 * or another busy entity that may run has received no more weighted time
 * (equals take turns).
 */
bool mvgpu_sched_should_preempt(struct mvgpu_sched_policy *p,
				struct mvgpu_sched_entity *running,
				u64 slice_used_ns, u64 now)
{
	struct mvgpu_sched_entity *e;
	int i;

	if (slice_used_ns < p->slice_ns)
		return false;
	if (!policy_eligible(p, running, now))
		return true;
	for (i = 0; i < MVGPU_SCHED_MAX_ENTITIES; i++) {
		e = p->entities[i];
		if (e && e != running && e->busy &&
		    e->vruntime <= running->vruntime &&
		    policy_eligible(p, e, now))
			return true;
	}
	return false;
}
