/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shadowing of a vGPU's GGTT entries into the physical GGTT.
 */
#ifndef _MVGPU_GGTT_H
#define _MVGPU_GGTT_H

#include <linux/types.h>

struct mvgpu_vgpu;

/* GGTT entries per chunk of bookkeeping: a chunk fills a 4 KiB object */
#define MVGPU_GGTT_CHUNK_ENTRIES	255

int mvgpu_ggtt_init(struct mvgpu_vgpu *vgpu);
void mvgpu_ggtt_fini(struct mvgpu_vgpu *vgpu);
u64 mvgpu_ggtt_get(const struct mvgpu_vgpu *vgpu, unsigned int index);
unsigned int mvgpu_ggtt_next(const struct mvgpu_vgpu *vgpu, unsigned int index,
			     u64 *pte);
unsigned int mvgpu_ggtt_count(const struct mvgpu_vgpu *vgpu);
u64 mvgpu_ggtt_hpa(const struct mvgpu_vgpu *vgpu, unsigned int index);
void mvgpu_ggtt_set(struct mvgpu_vgpu *vgpu, unsigned int index, u64 pte);
void mvgpu_ggtt_clear(struct mvgpu_vgpu *vgpu);
void mvgpu_ggtt_unshadow_all(struct mvgpu_vgpu *vgpu);
void mvgpu_ggtt_dma_unmap(struct mvgpu_vgpu *vgpu, u64 iova, u64 len);
bool mvgpu_ggtt_shadows_range(struct mvgpu_vgpu *vgpu, u64 iova, u64 len);
int mvgpu_ggtt_guest_rw(struct mvgpu_vgpu *vgpu, u64 gm_addr, void *buf,
			size_t len, bool write);
bool mvgpu_pinned_page_rw(u64 hpa, void *buf, size_t n, bool write);
bool mvgpu_pinned_page_same(u64 hpa, const void *buf, size_t n);
bool mvgpu_ggtt_pinned(struct mvgpu_vgpu *vgpu, u64 gm_addr, size_t len);

#endif /* _MVGPU_GGTT_H */
