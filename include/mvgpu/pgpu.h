/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A physical GPU as mdev/ sees it: an opaque lender of resources to
 * vGPUs, created on a backend.  gvt/ allocates it and takes its locks;
 * the structure is gvt/'s own (gvt/pgpu_types.h).  See "Layers" in
 * Documentation/architecture.rst.
 */
#ifndef _MVGPU_PGPU_API_H
#define _MVGPU_PGPU_API_H

#include <linux/types.h>

#include <mvgpu/mvgpu_regs.h>

struct mvgpu_backend;
struct mvgpu_pgpu;
struct mvgpu_type_desc;

/**
 * enum mvgpu_sched_mode - how a pGPU shares each engine among its vGPUs
 * @MVGPU_SCHED_BEST_EFFORT: weighted best effort: busy vGPUs share the
 *                           engine in proportion to their weights, an
 *                           idle one's share goes to the others
 * @MVGPU_SCHED_EQUAL_SHARE: busy vGPUs share the engine equally,
 *                           whatever their weights
 * @MVGPU_SCHED_FIXED_SHARE: each vGPU gets its weight over the sum of
 *                           the weights of all the pGPU's vGPUs, busy or
 *                           idle, and no more: the engine idles rather
 *                           than give one more than its share
 * @MVGPU_SCHED_NR_MODES: how many there are
 */
enum mvgpu_sched_mode {
	MVGPU_SCHED_BEST_EFFORT,
	MVGPU_SCHED_EQUAL_SHARE,
	MVGPU_SCHED_FIXED_SHARE,
	MVGPU_SCHED_NR_MODES,
};

/**
 * struct mvgpu_pgpu_usage - what a pGPU has lent, at one instant
 * @vgpus: vGPUs holding resources
 * @aperture_free: bytes of the aperture pool not lent
 * @hidden_free: bytes of the hidden graphics memory pool not lent
 * @engine_busy_ns: per MVGPU_ENGINE_*, the engine time the backend
 *                  measured for all contexts, stalls left out
 * @engine_stalled_ns: per MVGPU_ENGINE_*, the time the backend reports
 *                     the engine was held up by the host instead
 */
struct mvgpu_pgpu_usage {
	unsigned int vgpus;
	u64 aperture_free;
	u64 hidden_free;
	u64 engine_busy_ns[MVGPU_NUM_ENGINES];
	u64 engine_stalled_ns[MVGPU_NUM_ENGINES];
};

struct mvgpu_pgpu *mvgpu_pgpu_create(unsigned int id,
				     struct mvgpu_backend *backend);
void mvgpu_pgpu_destroy(struct mvgpu_pgpu *pgpu);
unsigned int mvgpu_pgpu_available(struct mvgpu_pgpu *pgpu,
				  const struct mvgpu_type_desc *type);
void mvgpu_pgpu_get_usage(struct mvgpu_pgpu *pgpu,
			  struct mvgpu_pgpu_usage *usage);
int mvgpu_pgpu_set_sched_mode(struct mvgpu_pgpu *pgpu,
			      enum mvgpu_sched_mode mode);
enum mvgpu_sched_mode mvgpu_pgpu_sched_mode(struct mvgpu_pgpu *pgpu);
int mvgpu_pgpu_set_slice_us(struct mvgpu_pgpu *pgpu, u32 us);
u32 mvgpu_pgpu_slice_us(struct mvgpu_pgpu *pgpu);

#endif /* _MVGPU_PGPU_API_H */
