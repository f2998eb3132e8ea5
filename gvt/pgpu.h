/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A physical GPU as the virtualization core sees it: resources to lend.
 */
#ifndef _MVGPU_PGPU_H
#define _MVGPU_PGPU_H

#include <linux/types.h>

#include <mvgpu/host.h>		/* MVGPU_PGPU_HOST_* */
#include <mvgpu/pgpu.h>

struct mvgpu_backend;
struct mvgpu_pgpu;
struct mvgpu_type_desc;
struct mvgpu_vgpu_res;

/*
 * Graphics memory layout of a pGPU: the upper half of the aperture and of
 * hidden memory is lent to vGPUs, the lower half is the host's.  The
 * host's clients (<mvgpu/host.h>) may map what they like into the host's
 * aperture and the first half of its hidden memory (MVGPU_PGPU_HOST_*);
 * the second half holds the shadows of vGPU work (gvt/shadow_mem.c), a
 * window per vGPU.  Each of the three is cut into 64 slots, the smallest
 * vGPU type's share (V1_64); a vGPU takes the same number of slots of
 * each, so its shadow window is as large as its aperture.
 */
#define MVGPU_PGPU_SHADOW_BASE		(1536ULL << 20)
#define MVGPU_PGPU_SHADOW_SIZE		(512ULL << 20)
#define MVGPU_PGPU_SHADOW_SLOT		(8ULL << 20)
#define MVGPU_PGPU_APERTURE_POOL_BASE	(512ULL << 20)
#define MVGPU_PGPU_APERTURE_POOL_SIZE	(512ULL << 20)
#define MVGPU_PGPU_APERTURE_SLOT	(8ULL << 20)
#define MVGPU_PGPU_HIDDEN_POOL_BASE	(2048ULL << 20)
#define MVGPU_PGPU_HIDDEN_POOL_SIZE	(2048ULL << 20)
#define MVGPU_PGPU_HIDDEN_SLOT		(32ULL << 20)
#define MVGPU_PGPU_MAX_VGPUS		64

int mvgpu_pgpu_init(struct mvgpu_pgpu *pgpu, unsigned int id,
		    struct mvgpu_backend *backend);
void mvgpu_pgpu_fini(struct mvgpu_pgpu *pgpu);
int mvgpu_pgpu_alloc_vgpu_res(struct mvgpu_pgpu *pgpu,
			      const struct mvgpu_type_desc *type,
			      struct mvgpu_vgpu_res *res);
void mvgpu_pgpu_free_vgpu_res(struct mvgpu_pgpu *pgpu,
			      const struct mvgpu_vgpu_res *res);

#endif /* _MVGPU_PGPU_H */
