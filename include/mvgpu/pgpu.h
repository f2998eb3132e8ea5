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

struct mvgpu_backend;
struct mvgpu_pgpu;
struct mvgpu_type_desc;

/**
 * struct mvgpu_pgpu_usage - what a pGPU has lent, at one instant
 * @vgpus: vGPUs holding resources
 * @aperture_free: bytes of the aperture pool not lent
 * @hidden_free: bytes of the hidden graphics memory pool not lent
 */
struct mvgpu_pgpu_usage {
	unsigned int vgpus;
	u64 aperture_free;
	u64 hidden_free;
};

struct mvgpu_pgpu *mvgpu_pgpu_create(unsigned int id,
				     struct mvgpu_backend *backend);
void mvgpu_pgpu_destroy(struct mvgpu_pgpu *pgpu);
unsigned int mvgpu_pgpu_available(struct mvgpu_pgpu *pgpu,
				  const struct mvgpu_type_desc *type);
void mvgpu_pgpu_get_usage(struct mvgpu_pgpu *pgpu,
			  struct mvgpu_pgpu_usage *usage);

#endif /* _MVGPU_PGPU_API_H */
