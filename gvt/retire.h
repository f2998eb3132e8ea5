/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a vGPU must keep until its engines are done with the work
 * submitted so far: pins of guest pages whose GGTT or PPGTT entry
 * changed, and shadow page tables no longer referenced (ppgtt.c).
 */
#ifndef _MVGPU_RETIRE_H
#define _MVGPU_RETIRE_H

#include <linux/types.h>

#include "retire_types.h"

struct mvgpu_vgpu;

void mvgpu_retire_init(struct mvgpu_retire *r);
int mvgpu_retire_start(struct mvgpu_retire *r, unsigned int engine,
		       u32 ctx_id, u64 root, u64 *seq);
bool mvgpu_retire_root_busy(const struct mvgpu_retire *r, u64 root);
bool mvgpu_retire_oldest(const struct mvgpu_retire *r, unsigned int engine,
			 u32 *ctx_id);
void mvgpu_retire_undo(struct mvgpu_retire *r, unsigned int engine);
void mvgpu_retire_done(struct mvgpu_vgpu *vgpu, unsigned int engine, u64 seq);
void mvgpu_retire_stop(struct mvgpu_vgpu *vgpu, unsigned int engine);
unsigned int mvgpu_retire_inflight(const struct mvgpu_retire *r,
				   unsigned int engine);
bool mvgpu_retire_busy(const struct mvgpu_retire *r);
u64 mvgpu_retire_stamp(const struct mvgpu_retire *r);
bool mvgpu_retire_passed(const struct mvgpu_retire *r, u64 stamp);
void mvgpu_retire_unpin(struct mvgpu_vgpu *vgpu, u64 gfn,
			enum mvgpu_pin_kind kind);
void mvgpu_retire_reap(struct mvgpu_vgpu *vgpu);
bool mvgpu_retire_pins_range(struct mvgpu_vgpu *vgpu, u64 iova, u64 len);

#endif /* _MVGPU_RETIRE_H */
