/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The workload scheduler of one pGPU: it owns the backend's engines and
 * runs the vGPUs' workloads on them in time slices, shared by the
 * pGPU's policy (enum mvgpu_sched_mode).
 */
#ifndef _MVGPU_SCHED_H
#define _MVGPU_SCHED_H

#include <linux/types.h>

#include <mvgpu/pgpu.h>

struct mvgpu_backend;
struct mvgpu_backend_client;
struct mvgpu_sched;
struct mvgpu_sched_queue;
struct mvgpu_workload;

int mvgpu_sched_init(struct mvgpu_sched *sched, struct mvgpu_backend *be,
		     const char *name);
void mvgpu_sched_fini(struct mvgpu_sched *sched);
int mvgpu_sched_add_queue(struct mvgpu_sched *sched, unsigned int engine,
			  struct mvgpu_sched_queue *q, u32 weight);
void mvgpu_sched_remove_queue(struct mvgpu_sched *sched, unsigned int engine,
			      struct mvgpu_sched_queue *q);
int mvgpu_sched_queue_work(struct mvgpu_sched *sched,
			   struct mvgpu_sched_queue *q,
			   struct mvgpu_workload *const w[], unsigned int n);
void mvgpu_sched_kick_backend(struct mvgpu_sched *sched);
void mvgpu_sched_stop_queue(struct mvgpu_sched *sched, unsigned int engine,
			    struct mvgpu_sched_queue *q);
void mvgpu_sched_sync(struct mvgpu_sched *sched);
u64 mvgpu_sched_runtime(struct mvgpu_sched *sched,
			struct mvgpu_sched_queue *q);
void mvgpu_sched_set_host(struct mvgpu_sched *sched,
			  const struct mvgpu_backend_client *client);
int mvgpu_sched_set_mode(struct mvgpu_sched *sched, enum mvgpu_sched_mode mode);
enum mvgpu_sched_mode mvgpu_sched_mode(struct mvgpu_sched *sched);
int mvgpu_sched_set_slice(struct mvgpu_sched *sched, u64 slice_ns);
u64 mvgpu_sched_slice(struct mvgpu_sched *sched);
int mvgpu_sched_set_cap(struct mvgpu_sched *sched, unsigned int engine,
			struct mvgpu_sched_queue *q, u32 cap);
u32 mvgpu_sched_cap(struct mvgpu_sched *sched, unsigned int engine,
		    struct mvgpu_sched_queue *q);
int mvgpu_sched_set_weight(struct mvgpu_sched *sched, unsigned int engine,
			   struct mvgpu_sched_queue *q, u32 weight);
u32 mvgpu_sched_weight(struct mvgpu_sched *sched, unsigned int engine,
		       struct mvgpu_sched_queue *q);

#endif /* _MVGPU_SCHED_H */
