/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Weighted time-slice scheduling policy for one physical engine.
 */
#ifndef _MVGPU_SCHED_POLICY_H
#define _MVGPU_SCHED_POLICY_H

#include <linux/types.h>

#define MVGPU_SCHED_MAX_ENTITIES	64
#define MVGPU_SCHED_DEFAULT_SLICE_NS	1000000ULL

/**
 * struct mvgpu_sched_entity - one vGPU (or the host) on one engine
 * @vruntime: engine time received, scaled by the inverse of @weight
 * @runtime_ns: engine time received, unscaled, for statistics
 * @weight: share relative to the other entities, 1 or more
 * @busy: has work queued or running
 * @slot: index in the policy's table, or -1 when not added
 */
struct mvgpu_sched_entity {
	u64 vruntime;
	u64 runtime_ns;
	u32 weight;
	bool busy;
	int slot;
};

/**
 * struct mvgpu_sched_policy - the entities competing for one engine
 * @entities: the entities, NULL in free slots
 * @min_vruntime: floor of the busy entities' vruntime, never decreasing
 * @slice_ns: how long an entity runs before a waiting one may take over
 *
 * Callers serialise all calls on one policy.
 */
struct mvgpu_sched_policy {
	struct mvgpu_sched_entity *entities[MVGPU_SCHED_MAX_ENTITIES];
	u64 min_vruntime;
	u64 slice_ns;
};

void mvgpu_sched_policy_init(struct mvgpu_sched_policy *p, u64 slice_ns);
int mvgpu_sched_add(struct mvgpu_sched_policy *p,
		    struct mvgpu_sched_entity *e, u32 weight);
void mvgpu_sched_remove(struct mvgpu_sched_policy *p,
			struct mvgpu_sched_entity *e);
void mvgpu_sched_set_busy(struct mvgpu_sched_policy *p,
			  struct mvgpu_sched_entity *e, bool busy);
struct mvgpu_sched_entity *mvgpu_sched_pick(struct mvgpu_sched_policy *p);
void mvgpu_sched_charge(struct mvgpu_sched_policy *p,
			struct mvgpu_sched_entity *e, u64 ran_ns);
bool mvgpu_sched_should_preempt(struct mvgpu_sched_policy *p,
				struct mvgpu_sched_entity *running,
				u64 slice_used_ns);

#endif /* _MVGPU_SCHED_POLICY_H */
