// SPDX-License-Identifier: GPL-2.0-only
/*
 * Software GPU: the device.  Implements the backend ops
 * (include/mvgpu/backend.h) over a GGTT array, the engines (engine.c) and
 * the display (display.c), and gives the executor its memory: a page
 * frame is mapped with kmap_local_pfn() only if it is RAM the kernel
 * manages, and with debug_pin_check only if it is still held (below).
 */
#include <linux/err.h>
#include <linux/highmem.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <mvgpu/mvgpu_pci.h>
#include <mvgpu/params.h>
#include <mvgpu/sgpu.h>

#include "sgpu_dev.h"

/*
 * debug_pin_check: every page the engines reach is either the kernel's
 * own (shadows, page tables, the native path's buffers: allocated, never
 * user memory) or guest memory that a vGPU holds with vfio_pin_pages(),
 * that is, with FOLL_PIN.  A page of user memory (anonymous or in a
 * file's mapping) that nobody pins, or a free page, is one that a vGPU
 * no longer holds: the access is refused (the engine sees a fault, as
 * for a hole) and reported.  folio_maybe_dma_pinned() may say "pinned"
 * of a page nobody pins (a large folio with another page pinned, a page
 * with very many references), never the reverse: the check can miss a
 * stray access, it cannot report a correct one.
 */
static bool sgpu_page_held(u64 pfn)
{
	struct folio *folio = page_folio(pfn_to_page(pfn));

	if (!folio_ref_count(folio)) {
		pr_err_ratelimited("mvgpu: debug_pin_check: engine access to free page, pfn %#llx\n",
				   pfn);
		return false;
	}
	if ((folio_test_anon(folio) || folio->mapping) &&
	    !folio_maybe_dma_pinned(folio)) {
		pr_err_ratelimited("mvgpu: debug_pin_check: engine access to user page nobody pins, pfn %#llx\n",
				   pfn);
		return false;
	}
	return true;
}

/*
 * Memory op: map one page frame.  Frames without a struct page (MMIO,
 * holes) and reserved pages (firmware, holes inside a memory section) are
 * refused, so the executor never touches anything but ordinary RAM.
 */
static void *sgpu_map_page(void *priv, u64 pfn)
{
	if (pfn > ULONG_MAX || !pfn_valid(pfn) ||
	    PageReserved(pfn_to_page(pfn)))
		return NULL;
	if (mvgpu_debug_pin_check && !sgpu_page_held(pfn))
		return NULL;
	return kmap_local_pfn(pfn);
}

static void sgpu_unmap_page(void *priv, u64 pfn, void *vaddr)
{
	kunmap_local(vaddr);
}

static const struct sgpu_mem_ops sgpu_mem_ops = {
	.map_page = sgpu_map_page,
	.unmap_page = sgpu_unmap_page,
};

/**
 * sgpu_dev_ctx_event() - tell the client about a context
 * @dev: the device
 * @engine: the engine
 * @status: MVGPU_CSB_* bits
 * @elem: the element the event is about
 * @err: with %MVGPU_CSB_ERROR, what the engine captured
 * @ran_ns: engine time since the engine's previous event, spent on @elem
 */
void sgpu_dev_ctx_event(struct sgpu_dev *dev, unsigned int engine, u32 status,
			const struct sgpu_elem *elem,
			const struct mvgpu_engine_error *err, u64 ran_ns)
{
	struct mvgpu_ctx_event ev = {
		.status = status,
		.ran_ns = ran_ns,
		.ctx_id = (u32)(elem->desc >> MVGPU_CTX_DESC_ID_SHIFT),
		.cookie = elem->cookie,
		.error = status & MVGPU_CSB_ERROR ? err : NULL,
	};

	down_read(&dev->client_sem);
	if (dev->has_client && dev->client.ctx_event)
		dev->client.ctx_event(dev->client.priv, engine, &ev);
	up_read(&dev->client_sem);
}

/**
 * sgpu_dev_user_interrupt() - tell the client about a user interrupt
 * @dev: the device
 * @engine: the engine that raised it
 * @cookie: cookie of the context that raised it
 */
void sgpu_dev_user_interrupt(struct sgpu_dev *dev, unsigned int engine,
			     void *cookie)
{
	down_read(&dev->client_sem);
	if (dev->has_client && dev->client.user_interrupt)
		dev->client.user_interrupt(dev->client.priv, engine, cookie);
	up_read(&dev->client_sem);
}

/**
 * sgpu_dev_alarm() - tell the client its alarm rang
 * @dev: the device
 * @engine: the engine, at an arbitration point of its running context
 */
void sgpu_dev_alarm(struct sgpu_dev *dev, unsigned int engine)
{
	down_read(&dev->client_sem);
	if (dev->has_client && dev->client.alarm)
		dev->client.alarm(dev->client.priv, engine);
	up_read(&dev->client_sem);
}

/**
 * sgpu_dev_vblank() - tell the client about a new frame
 * @dev: the device
 * @frame: the frame counter
 */
void sgpu_dev_vblank(struct sgpu_dev *dev, u32 frame)
{
	down_read(&dev->client_sem);
	if (dev->has_client && dev->client.vblank)
		dev->client.vblank(dev->client.priv, frame);
	up_read(&dev->client_sem);
}

static void sgpu_set_client(struct mvgpu_backend *be,
			    const struct mvgpu_backend_client *client)
{
	struct sgpu_dev *dev = sgpu_dev(be);

	down_write(&dev->client_sem);
	dev->has_client = !!client;
	if (client)
		dev->client = *client;
	else
		memset(&dev->client, 0, sizeof(dev->client));
	up_write(&dev->client_sem);
}

static struct sgpu_hw_engine *sgpu_engine(struct mvgpu_backend *be,
					  unsigned int engine)
{
	if (engine >= MVGPU_NUM_ENGINES)
		return NULL;
	return &sgpu_dev(be)->engines[engine];
}

static int sgpu_submit(struct mvgpu_backend *be, unsigned int engine,
		       const u64 desc[2], void *const cookie[2])
{
	struct sgpu_hw_engine *e = sgpu_engine(be, engine);

	return e ? sgpu_engine_submit(e, desc, cookie) : -EINVAL;
}

static void sgpu_kick(struct mvgpu_backend *be, unsigned int engine)
{
	struct sgpu_hw_engine *e = sgpu_engine(be, engine);

	if (e)
		sgpu_engine_kick(e);
}

static void sgpu_set_alarm(struct mvgpu_backend *be, unsigned int engine,
			   u64 ns)
{
	struct sgpu_hw_engine *e = sgpu_engine(be, engine);

	if (e)
		sgpu_engine_set_alarm(e, ns);
}

static void sgpu_preempt(struct mvgpu_backend *be, unsigned int engine)
{
	struct sgpu_hw_engine *e = sgpu_engine(be, engine);

	if (e)
		sgpu_engine_preempt(e);
}

static void sgpu_set_watchdog(struct mvgpu_backend *be, unsigned int engine,
			      unsigned int ms)
{
	struct sgpu_hw_engine *e = sgpu_engine(be, engine);

	if (!e)
		return;
	spin_lock(&e->lock);
	e->watchdog_ms = ms;
	spin_unlock(&e->lock);
}

static void sgpu_reset_engine(struct mvgpu_backend *be, unsigned int engine)
{
	struct sgpu_hw_engine *e = sgpu_engine(be, engine);

	if (e)
		sgpu_engine_reset(e);
}

static void sgpu_reset(struct mvgpu_backend *be)
{
	struct sgpu_dev *dev = sgpu_dev(be);
	struct mvgpu_plane off = { };
	unsigned int i;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		sgpu_engine_reset(&dev->engines[i]);
	sgpu_display_set_plane(dev, &off);
}

static void sgpu_ggtt_write(struct mvgpu_backend *be, u32 index, u64 pte)
{
	if (index < MVGPU_GGTT_ENTRIES)
		WRITE_ONCE(sgpu_dev(be)->ggtt[index], pte);
}

static u64 sgpu_ggtt_read(struct mvgpu_backend *be, u32 index)
{
	if (index >= MVGPU_GGTT_ENTRIES)
		return 0;
	return READ_ONCE(sgpu_dev(be)->ggtt[index]);
}

static u32 sgpu_ggtt_entries(struct mvgpu_backend *be)
{
	return MVGPU_GGTT_ENTRIES;
}

static void sgpu_set_plane(struct mvgpu_backend *be,
			   const struct mvgpu_plane *plane)
{
	sgpu_display_set_plane(sgpu_dev(be), plane);
}

static const u8 *sgpu_edid(struct mvgpu_backend *be)
{
	return sgpu_dev(be)->edid;
}

static void sgpu_get_stats(struct mvgpu_backend *be, unsigned int engine,
			   struct mvgpu_backend_stats *stats)
{
	struct sgpu_hw_engine *e = sgpu_engine(be, engine);

	if (!e) {
		memset(stats, 0, sizeof(*stats));
		return;
	}
	spin_lock(&e->lock);
	*stats = e->stats;
	spin_unlock(&e->lock);
}

static u64 sgpu_stall_clock(struct mvgpu_backend *be, unsigned int engine)
{
	struct sgpu_hw_engine *e = sgpu_engine(be, engine);

	return e ? sgpu_engine_stall_clock(e) : 0;
}

static void sgpu_dev_free(struct sgpu_dev *dev, unsigned int nr_engines)
{
	while (nr_engines)
		sgpu_engine_fini(&dev->engines[--nr_engines]);
	sgpu_display_fini(dev);
	vfree(dev->ggtt);
	kfree(dev);
}

static void sgpu_destroy(struct mvgpu_backend *be)
{
	sgpu_dev_free(sgpu_dev(be), MVGPU_NUM_ENGINES);
}

static const struct mvgpu_backend_ops sgpu_backend_ops = {
	.set_client = sgpu_set_client,
	.submit = sgpu_submit,
	.kick = sgpu_kick,
	.set_alarm = sgpu_set_alarm,
	.preempt = sgpu_preempt,
	.set_watchdog = sgpu_set_watchdog,
	.reset_engine = sgpu_reset_engine,
	.reset = sgpu_reset,
	.ggtt_write = sgpu_ggtt_write,
	.ggtt_read = sgpu_ggtt_read,
	.ggtt_entries = sgpu_ggtt_entries,
	.set_plane = sgpu_set_plane,
	.edid = sgpu_edid,
	.get_stats = sgpu_get_stats,
	.stall_clock = sgpu_stall_clock,
	.destroy = sgpu_destroy,
};

/*
 * The GPU's tables hold 48-bit host addresses (gpu-interface.rst): RAM
 * above them could not be reached, and a page there would be taken for
 * the one at its address modulo 2^48.  Memory added later is not seen.
 */
static bool sgpu_host_ram_fits(void)
{
	resource_size_t above = MVGPU_PTE_ADDR_MASK + PAGE_SIZE;

	return region_intersects(above, (size_t)0 - above,
				 IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE) ==
	       REGION_DISJOINT;
}

/**
 * mvgpu_sgpu_create() - create a software GPU
 * @parent: device for log lines; must outlive the backend
 * @id: index of the pGPU, used in thread names
 *
 * The GPU starts with an empty GGTT, idle engines with the default
 * watchdog (module parameter watchdog_ms) and a disabled plane.
 *
 * Return: the backend, or an ERR_PTR(): -ENODEV on a host with memory
 * beyond the 48 bits of address the GPU's tables hold.
 */
struct mvgpu_backend *mvgpu_sgpu_create(struct device *parent,
					unsigned int id)
{
	struct sgpu_dev *dev;
	unsigned int i;
	int ret;

	if (!sgpu_host_ram_fits()) {
		dev_err(parent, "host memory above 256 TiB: beyond the GPU's 48-bit addresses\n");
		return ERR_PTR(-ENODEV);
	}
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	dev->ggtt = vzalloc(array_size(MVGPU_GGTT_ENTRIES, sizeof(u64)));
	if (!dev->ggtt) {
		kfree(dev);
		return ERR_PTR(-ENOMEM);
	}
	dev->be.ops = &sgpu_backend_ops;
	dev->be.name = "sgpu";
	dev->parent = parent;
	dev->id = id;
	dev->mem.ops = &sgpu_mem_ops;
	dev->mem.ggtt = dev->ggtt;
	dev->mem.ggtt_entries = MVGPU_GGTT_ENTRIES;
	init_rwsem(&dev->client_sem);
	sgpu_edid_build(dev->edid);
	sgpu_display_init(dev);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		ret = sgpu_engine_init(dev, i);
		if (ret)
			goto err_engines;
	}
	return &dev->be;

err_engines:
	dev_err(parent, "cannot start engine %u: %d\n", i, ret);
	sgpu_dev_free(dev, i);
	return ERR_PTR(ret);
}
