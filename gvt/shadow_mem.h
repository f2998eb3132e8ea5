/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host-owned memory for the shadows of a vGPU's work: context images,
 * rings and batch buffers copied from the guest, mapped into a window of
 * the host's graphics memory that the guest cannot reach.
 */
#ifndef _MVGPU_SHADOW_MEM_H
#define _MVGPU_SHADOW_MEM_H

#include <linux/list.h>

#include "cmd_parser.h"

struct mvgpu_backend;
struct mvgpu_shadow_mem;

#define MVGPU_SHADOW_CACHE_MAX		32	/* shadows kept for reuse */
#define MVGPU_SHADOW_CACHE_BYTES	(64U << 10)	/* largest one kept */

/**
 * struct mvgpu_shadow_obj - one shadow buffer
 * @link: in its workload's list of shadows, or in the cache
 * @buf: CPU copy (@buf.va, @buf.size) and, once placed, its graphics
 *       address (@buf.gma); what the command scanner works on
 * @gma: where it is placed; @buf.gma is the scanner's to reset, so a
 *       reused shadow gets it back from here
 * @placed: pages mapped at @gma, 0 before placement
 */
struct mvgpu_shadow_obj {
	struct list_head link;
	struct mvgpu_shadow_buf buf;
	u64 gma;
	unsigned int placed;
};

int mvgpu_shadow_mem_init(struct mvgpu_shadow_mem *sm,
			  struct mvgpu_backend *be, u64 base, u64 size);
void mvgpu_shadow_mem_fini(struct mvgpu_shadow_mem *sm);
void mvgpu_shadow_mem_trim(struct mvgpu_shadow_mem *sm);
struct mvgpu_shadow_obj *mvgpu_shadow_obj_alloc(struct mvgpu_shadow_mem *sm,
						u32 bytes);
struct mvgpu_shadow_obj *mvgpu_shadow_obj_alloc_raw(struct mvgpu_shadow_mem *sm,
						    u32 bytes);
int mvgpu_shadow_obj_grow(struct mvgpu_shadow_mem *sm,
			  struct mvgpu_shadow_obj *obj, u32 bytes);
int mvgpu_shadow_obj_place(struct mvgpu_shadow_mem *sm,
			   struct mvgpu_shadow_obj *obj);
void mvgpu_shadow_obj_free(struct mvgpu_shadow_mem *sm,
			   struct mvgpu_shadow_obj *obj);

#endif /* _MVGPU_SHADOW_MEM_H */
