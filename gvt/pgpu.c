// SPDX-License-Identifier: GPL-2.0-only
/*
 * A physical GPU's resources and how they are lent to vGPUs.
 */
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <mvgpu/backend.h>
#include <mvgpu/host.h>
#include <mvgpu/vgpu_type.h>

#include "pgpu.h"
#include "pgpu_types.h"
#include "sched.h"
#include "trim.h"

/**
 * mvgpu_pgpu_init() - set up a pGPU with all its lendable resources free
 * @pgpu: the pGPU
 * @id: its index
 * @backend: the physical GPU it drives; the core reaches it only through
 *           its ops.  The caller keeps ownership and destroys it after
 *           mvgpu_pgpu_fini()
 *
 * Return: 0 or a negative errno.
 */
int mvgpu_pgpu_init(struct mvgpu_pgpu *pgpu, unsigned int id,
		    struct mvgpu_backend *backend)
{
	char name[16];
	int ret;

	/* the host's clients, the shadows and the vGPUs do not overlap */
	BUILD_BUG_ON(MVGPU_PGPU_HOST_HIDDEN_BASE + MVGPU_PGPU_HOST_HIDDEN_SIZE >
		     MVGPU_PGPU_SHADOW_BASE);
	BUILD_BUG_ON(MVGPU_PGPU_SHADOW_BASE + MVGPU_PGPU_SHADOW_SIZE >
		     MVGPU_PGPU_HIDDEN_POOL_BASE);
	/* a vGPU's shadow window takes as many slots as its aperture */
	BUILD_BUG_ON(MVGPU_PGPU_SHADOW_SIZE / MVGPU_PGPU_SHADOW_SLOT !=
		     MVGPU_PGPU_APERTURE_POOL_SIZE / MVGPU_PGPU_APERTURE_SLOT);
	pgpu->id = id;
	pgpu->backend = backend;
	pgpu->nr_vgpus = 0;
	mutex_init(&pgpu->lock);
	ida_init(&pgpu->vgpu_ids);
	ret = mvgpu_gm_pool_init(&pgpu->aperture,
				 MVGPU_PGPU_APERTURE_POOL_BASE,
				 MVGPU_PGPU_APERTURE_POOL_SIZE,
				 MVGPU_PGPU_APERTURE_SLOT);
	if (ret)
		goto err;
	ret = mvgpu_gm_pool_init(&pgpu->hidden, MVGPU_PGPU_HIDDEN_POOL_BASE,
				 MVGPU_PGPU_HIDDEN_POOL_SIZE,
				 MVGPU_PGPU_HIDDEN_SLOT);
	if (ret)
		goto err;
	ret = mvgpu_gm_pool_init(&pgpu->shadow, MVGPU_PGPU_SHADOW_BASE,
				 MVGPU_PGPU_SHADOW_SIZE, MVGPU_PGPU_SHADOW_SLOT);
	if (ret)
		goto err;
	snprintf(name, sizeof(name), "mvgpu%u", id);
	/* one work item per vGPU; one that blocks holds up only itself */
	pgpu->deliver_wq = alloc_workqueue("%s-deliver", WQ_UNBOUND, 0, name);
	if (!pgpu->deliver_wq) {
		ret = -ENOMEM;
		goto err;
	}
	ret = mvgpu_sched_init(&pgpu->sched, backend, name);
	if (ret)
		goto err_wq;
	ret = mvgpu_trim_pgpu_init(pgpu);
	if (ret)
		goto err_sched;
	return 0;

err_sched:
	mvgpu_sched_fini(&pgpu->sched);
err_wq:
	destroy_workqueue(pgpu->deliver_wq);
err:
	ida_destroy(&pgpu->vgpu_ids);
	mutex_destroy(&pgpu->lock);
	return ret;
}

/**
 * mvgpu_pgpu_fini() - release a pGPU's bookkeeping
 * @pgpu: the pGPU, with no vGPU left
 */
void mvgpu_pgpu_fini(struct mvgpu_pgpu *pgpu)
{
	WARN_ON(pgpu->nr_vgpus);
	mvgpu_trim_pgpu_fini(pgpu);
	mvgpu_sched_fini(&pgpu->sched);
	destroy_workqueue(pgpu->deliver_wq);
	ida_destroy(&pgpu->vgpu_ids);
	mutex_destroy(&pgpu->lock);
}

/**
 * mvgpu_pgpu_create() - allocate a pGPU with all its lendable resources free
 * @id: its index
 * @backend: the physical GPU it drives; the caller keeps ownership and
 *           destroys it after mvgpu_pgpu_destroy()
 *
 * Return: the pGPU or an ERR_PTR().
 */
struct mvgpu_pgpu *mvgpu_pgpu_create(unsigned int id,
				     struct mvgpu_backend *backend)
{
	struct mvgpu_pgpu *pgpu;
	int ret;

	pgpu = kzalloc(sizeof(*pgpu), GFP_KERNEL);
	if (!pgpu)
		return ERR_PTR(-ENOMEM);
	ret = mvgpu_pgpu_init(pgpu, id, backend);
	if (ret) {
		kfree(pgpu);
		return ERR_PTR(ret);
	}
	return pgpu;
}

/**
 * mvgpu_pgpu_destroy() - free a pGPU made by mvgpu_pgpu_create()
 * @pgpu: the pGPU, with no vGPU left
 */
void mvgpu_pgpu_destroy(struct mvgpu_pgpu *pgpu)
{
	mvgpu_pgpu_fini(pgpu);
	kfree(pgpu);
}

/* A vGPU's shadow window: the shadow pool's share its aperture has. */
static u64 pgpu_shadow_size(const struct mvgpu_type_desc *type)
{
	return div64_u64(type->aperture_size, MVGPU_PGPU_APERTURE_SLOT) *
	       MVGPU_PGPU_SHADOW_SLOT;
}

static unsigned int pgpu_available_locked(struct mvgpu_pgpu *pgpu,
					  const struct mvgpu_type_desc *type)
{
	unsigned int n;

	lockdep_assert_held(&pgpu->lock);
	n = min(mvgpu_gm_pool_fits(&pgpu->aperture, type->aperture_size),
		mvgpu_gm_pool_fits(&pgpu->hidden, type->hidden_size));
	n = min(n, mvgpu_gm_pool_fits(&pgpu->shadow, pgpu_shadow_size(type)));
	return min(n, MVGPU_PGPU_MAX_VGPUS - pgpu->nr_vgpus);
}

/**
 * mvgpu_pgpu_available() - how many more vGPUs of @type can be created
 * @pgpu: the pGPU
 * @type: the vGPU type
 *
 * Return: the count, exact at the time of the call.
 */
unsigned int mvgpu_pgpu_available(struct mvgpu_pgpu *pgpu,
				  const struct mvgpu_type_desc *type)
{
	unsigned int n;

	mutex_lock(&pgpu->lock);
	n = pgpu_available_locked(pgpu, type);
	mutex_unlock(&pgpu->lock);
	return n;
}

/**
 * mvgpu_pgpu_get_usage() - what a pGPU has lent
 * @pgpu: the pGPU
 * @usage: filled in, all of it at one instant
 */
void mvgpu_pgpu_get_usage(struct mvgpu_pgpu *pgpu,
			  struct mvgpu_pgpu_usage *usage)
{
	struct mvgpu_backend *be = pgpu->backend;
	struct mvgpu_backend_stats st;
	unsigned int i;

	mutex_lock(&pgpu->lock);
	usage->vgpus = pgpu->nr_vgpus;
	usage->aperture_free = mvgpu_gm_pool_free_bytes(&pgpu->aperture);
	usage->hidden_free = mvgpu_gm_pool_free_bytes(&pgpu->hidden);
	mutex_unlock(&pgpu->lock);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		be->ops->get_stats(be, i, &st);
		usage->engine_busy_ns[i] = st.busy_ns;
		usage->engine_stalled_ns[i] = st.stalled_ns;
	}
}

/**
 * mvgpu_pgpu_set_sched_mode() - choose how the pGPU's engines are shared
 * @pgpu: the pGPU
 * @mode: enum mvgpu_sched_mode
 *
 * May be called at any time, with vGPUs busy.
 *
 * Return: 0, or -EINVAL for an unknown mode.
 */
int mvgpu_pgpu_set_sched_mode(struct mvgpu_pgpu *pgpu,
			      enum mvgpu_sched_mode mode)
{
	return mvgpu_sched_set_mode(&pgpu->sched, mode);
}

/**
 * mvgpu_pgpu_sched_mode() - how the pGPU's engines are shared
 * @pgpu: the pGPU
 *
 * Return: enum mvgpu_sched_mode.
 */
enum mvgpu_sched_mode mvgpu_pgpu_sched_mode(struct mvgpu_pgpu *pgpu)
{
	return mvgpu_sched_mode(&pgpu->sched);
}

/**
 * mvgpu_pgpu_set_slice_us() - set the time slice of the pGPU's engines
 * @pgpu: the pGPU
 * @us: 1000 to 30000 microseconds
 *
 * Return: 0, or -EINVAL out of bounds.
 */
int mvgpu_pgpu_set_slice_us(struct mvgpu_pgpu *pgpu, u32 us)
{
	return mvgpu_sched_set_slice(&pgpu->sched, (u64)us * NSEC_PER_USEC);
}

/**
 * mvgpu_pgpu_slice_us() - the time slice of the pGPU's engines
 * @pgpu: the pGPU
 *
 * Return: microseconds.
 */
u32 mvgpu_pgpu_slice_us(struct mvgpu_pgpu *pgpu)
{
	return div_u64(mvgpu_sched_slice(&pgpu->sched), NSEC_PER_USEC);
}

/**
 * mvgpu_pgpu_alloc_vgpu_res() - lend graphics memory and an ID to a vGPU
 * @pgpu: the pGPU
 * @type: the vGPU's type, which sizes the loan
 * @res: filled with what was lent
 *
 * Return: 0, -ENOSPC when the pGPU cannot fit another vGPU of @type, or
 * another negative errno.  Nothing is held on failure.
 */
int mvgpu_pgpu_alloc_vgpu_res(struct mvgpu_pgpu *pgpu,
			      const struct mvgpu_type_desc *type,
			      struct mvgpu_vgpu_res *res)
{
	int ret, id;

	mutex_lock(&pgpu->lock);
	if (!pgpu_available_locked(pgpu, type)) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	id = ida_alloc_range(&pgpu->vgpu_ids, 1, MVGPU_PGPU_MAX_VGPUS,
			     GFP_KERNEL);
	if (id < 0) {
		ret = id;
		goto out_unlock;
	}
	ret = mvgpu_gm_pool_alloc(&pgpu->aperture, type->aperture_size,
				  &res->aperture.base);
	if (ret)
		goto out_free_id;
	ret = mvgpu_gm_pool_alloc(&pgpu->hidden, type->hidden_size,
				  &res->hidden.base);
	if (ret)
		goto out_free_aperture;
	ret = mvgpu_gm_pool_alloc(&pgpu->shadow, pgpu_shadow_size(type),
				  &res->shadow.base);
	if (ret)
		goto out_free_hidden;
	res->id = id;
	res->aperture.size = type->aperture_size;
	res->hidden.size = type->hidden_size;
	res->shadow.size = pgpu_shadow_size(type);
	pgpu->nr_vgpus++;
	mutex_unlock(&pgpu->lock);
	return 0;

out_free_hidden:
	mvgpu_gm_pool_free(&pgpu->hidden, res->hidden.base, type->hidden_size);
out_free_aperture:
	mvgpu_gm_pool_free(&pgpu->aperture, res->aperture.base,
			   type->aperture_size);
out_free_id:
	ida_free(&pgpu->vgpu_ids, id);
out_unlock:
	mutex_unlock(&pgpu->lock);
	return ret;
}

/**
 * mvgpu_pgpu_free_vgpu_res() - take back what mvgpu_pgpu_alloc_vgpu_res()
 * lent
 * @pgpu: the pGPU
 * @res: the loan
 */
void mvgpu_pgpu_free_vgpu_res(struct mvgpu_pgpu *pgpu,
			      const struct mvgpu_vgpu_res *res)
{
	mutex_lock(&pgpu->lock);
	WARN_ON(mvgpu_gm_pool_free(&pgpu->aperture, res->aperture.base,
				   res->aperture.size));
	WARN_ON(mvgpu_gm_pool_free(&pgpu->hidden, res->hidden.base,
				   res->hidden.size));
	WARN_ON(mvgpu_gm_pool_free(&pgpu->shadow, res->shadow.base,
				   res->shadow.size));
	ida_free(&pgpu->vgpu_ids, res->id);
	pgpu->nr_vgpus--;
	mutex_unlock(&pgpu->lock);
}

/**
 * mvgpu_pgpu_backend() - the physical GPU of a pGPU
 * @pgpu: the pGPU
 *
 * Return: its backend, for a host client (<mvgpu/host.h>) to call; it
 * lives as long as the pGPU.
 */
struct mvgpu_backend *mvgpu_pgpu_backend(struct mvgpu_pgpu *pgpu)
{
	return pgpu->backend;
}
EXPORT_SYMBOL_NS_GPL(mvgpu_pgpu_backend, MVGPU);

/**
 * mvgpu_pgpu_set_host() - lend a pGPU's engines to the host, or take them
 * back
 * @pgpu: the pGPU
 * @client: the host's client, to which the backend's events then go, or
 *          NULL to give the engines back
 *
 * See mvgpu_sched_set_host(): the scheduler takes its own locks.
 */
void mvgpu_pgpu_set_host(struct mvgpu_pgpu *pgpu,
			 const struct mvgpu_backend_client *client)
{
	mvgpu_sched_set_host(&pgpu->sched, client);
}
EXPORT_SYMBOL_NS_GPL(mvgpu_pgpu_set_host, MVGPU);
