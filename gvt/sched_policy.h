/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Time-slice scheduling policies for one physical engine.
 */
#ifndef _MVGPU_SCHED_POLICY_H
#define _MVGPU_SCHED_POLICY_H

#include <linux/types.h>

#include <mvgpu/pgpu.h>

#define MVGPU_SCHED_MAX_ENTITIES	64
#define MVGPU_SCHED_DEFAULT_SLICE_NS	1000000ULL
#define MVGPU_SCHED_MIN_SLICE_NS	1000000ULL
#define MVGPU_SCHED_MAX_SLICE_NS	30000000ULL
#define MVGPU_SCHED_MAX_WEIGHT		65536

/**
 * struct mvgpu_sched_entity - one vGPU (or the host) on one engine
 * @vruntime: engine time received, scaled by the inverse of its weight
 *            in the policy's mode
 * @runtime_ns: engine time received, unscaled, for statistics
 * @eligible_ns: when a limited entity (fixed share or cap) may run again,
 *               on the clock the policy is given
 * @weight: share relative to the other entities, 1 or more
 * @cap: most of the engine it may have, in percent; 0 for no cap
 * @busy: has work queued or running
 * @slot: index in the policy's table, or -1 when not added
 */
struct mvgpu_sched_entity {
	u64 vruntime;
	u64 runtime_ns;
	u64 eligible_ns;
	u32 weight;
	u32 cap;
	bool busy;
	int slot;
};

/**
 * struct mvgpu_sched_policy - the entities competing for one engine
 * @entities: the entities, NULL in free slots
 * @min_vruntime: floor of the busy entities' vruntime, never decreasing
 * @slice_ns: how long an entity runs before a waiting one may take over
 * @total_weight: sum of the weights of all entities, busy or not
 * @yielded: preempted for another, it is not picked next while another
 *           may run (mvgpu_sched_yield()); NULL for none
 * @mode: enum mvgpu_sched_mode
 *
 * Callers serialise all calls on one policy.
 */
struct mvgpu_sched_policy {
	struct mvgpu_sched_entity *entities[MVGPU_SCHED_MAX_ENTITIES];
	u64 min_vruntime;
	u64 slice_ns;
	u64 total_weight;
	struct mvgpu_sched_entity *yielded;
	enum mvgpu_sched_mode mode;
};

void mvgpu_sched_policy_init(struct mvgpu_sched_policy *p, u64 slice_ns);
int mvgpu_sched_policy_set_mode(struct mvgpu_sched_policy *p,
				enum mvgpu_sched_mode mode);
int mvgpu_sched_policy_set_slice(struct mvgpu_sched_policy *p, u64 slice_ns);
int mvgpu_sched_policy_set_cap(struct mvgpu_sched_policy *p,
			       struct mvgpu_sched_entity *e, u32 cap);
int mvgpu_sched_policy_set_weight(struct mvgpu_sched_policy *p,
				  struct mvgpu_sched_entity *e, u32 weight);
int mvgpu_sched_add(struct mvgpu_sched_policy *p,
		    struct mvgpu_sched_entity *e, u32 weight);
void mvgpu_sched_remove(struct mvgpu_sched_policy *p,
			struct mvgpu_sched_entity *e);
void mvgpu_sched_set_busy(struct mvgpu_sched_policy *p,
			  struct mvgpu_sched_entity *e, bool busy);
struct mvgpu_sched_entity *mvgpu_sched_pick(struct mvgpu_sched_policy *p,
					    u64 now);
void mvgpu_sched_yield(struct mvgpu_sched_policy *p,
		       struct mvgpu_sched_entity *e);
u64 mvgpu_sched_alone_until(struct mvgpu_sched_policy *p,
			    struct mvgpu_sched_entity *running, u64 now);
u64 mvgpu_sched_next_eligible(struct mvgpu_sched_policy *p, u64 now);
void mvgpu_sched_charge(struct mvgpu_sched_policy *p,
			struct mvgpu_sched_entity *e, u64 ran_ns, u64 now);
bool mvgpu_sched_should_preempt(struct mvgpu_sched_policy *p,
				struct mvgpu_sched_entity *running,
				u64 slice_used_ns, u64 now);

#endif /* _MVGPU_SCHED_POLICY_H */
