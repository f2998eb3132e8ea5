// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest and its VMM for userspace tests of a vGPU (see fake_guest.h).
 *
 * Guest memory is @pages pages at guest physical 0, one page-aligned
 * allocation; a pinned page's "host physical address" is its address,
 * as the shim's pages are, so the fake backend reaches it through
 * fg_page_lookup() while, and only while, it is pinned.  Guest memory
 * accesses can be made to block (fg_block_rw()), as a VMM stuck on a
 * page fault would hold up vfio_dma_rw().
 *
 * The guest driver maps graphics page i of its aperture to guest page i
 * and hands them out in order (fg_alloc()).  A context is an image page
 * and a one-page ring, LEGACY_32B.  The CSB is read by polling, as a
 * driver with interrupts off would; entries are kept in @log.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <linux/delay.h>
#include <linux/list.h>
#include <linux/timekeeping.h>
#include <linux/wait.h>

#include <mvgpu/mvgpu_pci.h>
#include <mvgpu/vgpu.h>

#include "fake_guest.h"

/* The guests alive, for fg_page_lookup(); protected by fg_lock. */
static pthread_mutex_t fg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fg *fg_all[16];

/* ---- guest memory, as vfio_dma_rw() and vfio_pin_pages() see it ---- */

static void wait_unblocked(struct fg *g)
{
	if (!__atomic_load_n(&g->block_rw, __ATOMIC_SEQ_CST))
		return;
	__atomic_add_fetch(&g->rw_blocked, 1, __ATOMIC_SEQ_CST);
	wake_up(&g->wq);
	wait_event(g->wq, !__atomic_load_n(&g->block_rw, __ATOMIC_SEQ_CST));
	__atomic_sub_fetch(&g->rw_blocked, 1, __ATOMIC_SEQ_CST);
	wake_up(&g->wq);
}

static int fg_mem_rw(void *priv, u64 gpa, void *buf, size_t len, bool write)
{
	struct fg *g = priv;

	wait_unblocked(g);
	if (!len || gpa + len < gpa || gpa + len > (u64)g->pages * PAGE_SIZE)
		return -EFAULT;
	if (write)
		memcpy(g->ram + gpa, buf, len);
	else
		memcpy(buf, g->ram + gpa, len);
	return 0;
}

static int fg_mem_pin(void *priv, u64 gfn, u64 *hpa)
{
	struct fg *g = priv;

	if (gfn >= g->pages)
		return -EFAULT;
	__atomic_add_fetch(&g->pins[gfn], 1, __ATOMIC_SEQ_CST);
	*hpa = (u64)(uintptr_t)(g->ram + gfn * PAGE_SIZE);
	return 0;
}

static void fg_mem_unpin(void *priv, u64 gfn)
{
	struct fg *g = priv;
	u32 old;

	if (gfn >= g->pages) {
		__atomic_add_fetch(&g->bad_unpins, 1, __ATOMIC_SEQ_CST);
		return;
	}
	old = __atomic_load_n(&g->pins[gfn], __ATOMIC_SEQ_CST);
	do {
		if (!old) {
			__atomic_add_fetch(&g->bad_unpins, 1, __ATOMIC_SEQ_CST);
			return;
		}
	} while (!__atomic_compare_exchange_n(&g->pins[gfn], &old, old - 1,
					      false, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
}

static const struct mvgpu_guest_mem_ops fg_mem_ops = {
	.rw = fg_mem_rw,
	.pin = fg_mem_pin,
	.unpin = fg_mem_unpin,
};

static void fg_set_level(void *priv, bool asserted)
{
}

static const struct mvgpu_vgpu_irq_ops fg_irq_ops = {
	.set_level = fg_set_level,
};

/**
 * fg_page_lookup() - a pinned guest page, as the GPU may reach it
 * @pfn: host page frame number
 *
 * Return: the page's memory, or NULL if @pfn is not a guest page or not
 * pinned.
 */
void *fg_page_lookup(u64 pfn)
{
	void *va = NULL;
	unsigned int i;

	pthread_mutex_lock(&fg_lock);
	for (i = 0; i < ARRAY_SIZE(fg_all); i++) {
		struct fg *g = fg_all[i];
		u64 first;

		if (!g)
			continue;
		first = (uintptr_t)g->ram >> PAGE_SHIFT;
		if (pfn >= first && pfn - first < g->pages &&
		    __atomic_load_n(&g->pins[pfn - first], __ATOMIC_SEQ_CST))
			va = g->ram + (pfn - first) * PAGE_SIZE;
	}
	pthread_mutex_unlock(&fg_lock);
	return va;
}

/**
 * fg_pins() - pins the guest's pages hold
 * @g: the guest
 *
 * Return: their sum.
 */
long fg_pins(struct fg *g)
{
	long n = 0;
	unsigned int i;

	for (i = 0; i < g->pages; i++)
		n += __atomic_load_n(&g->pins[i], __ATOMIC_SEQ_CST);
	return n;
}

/**
 * fg_block_rw() - make guest memory accesses block, or let them go
 * @g: the guest
 * @block: block from now on, or release the blocked ones
 */
void fg_block_rw(struct fg *g, bool block)
{
	__atomic_store_n(&g->block_rw, block, __ATOMIC_SEQ_CST);
	wake_up(&g->wq);
}

/**
 * fg_rw_blocked() - guest memory accesses blocked now
 * @g: the guest
 *
 * Return: how many.
 */
int fg_rw_blocked(struct fg *g)
{
	return __atomic_load_n(&g->rw_blocked, __ATOMIC_SEQ_CST);
}

/* ---- the vGPU's life ---- */

static void enable_run_lists(struct fg *g)
{
	fg_reg_write(g, MVGPU_RCS_BASE + MVGPU_RING_MODE,
		     MVGPU_MASKED_BIT_ENABLE(MVGPU_RING_MODE_RUN_LIST_ENABLE));
	fg_reg_write(g, MVGPU_BCS_BASE + MVGPU_RING_MODE,
		     MVGPU_MASKED_BIT_ENABLE(MVGPU_RING_MODE_RUN_LIST_ENABLE));
}

/**
 * fg_init() - a guest of @pages pages with a vGPU of @type, opened
 * @g: zeroed
 * @pgpu: the pGPU the vGPU is made on
 * @type: its type
 * @pages: guest memory
 * @name: the vGPU's device name
 *
 * Return: mvgpu_vgpu_init()'s result; nothing is held on failure.
 */
int fg_init(struct fg *g, struct mvgpu_pgpu *pgpu,
	    const struct mvgpu_type_desc *type, unsigned int pages,
	    const char *name)
{
	unsigned int i;
	int ret;

	snprintf(g->name, sizeof(g->name), "%s", name);
	g->dev.name = g->name;
	g->pages = pages;
	g->ram = aligned_alloc(PAGE_SIZE, (size_t)pages * PAGE_SIZE);
	g->pins = calloc(pages, sizeof(*g->pins));
	if (!g->ram || !g->pins)
		abort();
	memset(g->ram, 0, (size_t)pages * PAGE_SIZE);
	init_waitqueue_head(&g->wq);
	pthread_mutex_lock(&fg_lock);
	for (i = 0; i < ARRAY_SIZE(fg_all) && fg_all[i]; i++)
		;
	if (i == ARRAY_SIZE(fg_all))
		abort();
	fg_all[i] = g;
	pthread_mutex_unlock(&fg_lock);
	ret = mvgpu_vgpu_init(&g->vgpu, pgpu, type, &g->dev, &fg_irq_ops, g);
	if (ret) {
		fg_close(g);
		return ret;
	}
	/* as mdev/vfio.c opens the device */
	mvgpu_vgpu_reset(&g->vgpu);
	mvgpu_vgpu_set_mem_ops(&g->vgpu, &fg_mem_ops, g);
	enable_run_lists(g);
	return 0;
}

/**
 * fg_close() - the VMM closes the device, as mdev/vfio.c does
 * @g: the guest; its vGPU keeps existing
 */
void fg_close(struct fg *g)
{
	if (g->vgpu.pgpu) {
		mvgpu_vgpu_set_mem_ops(&g->vgpu, NULL, NULL);
		mvgpu_vgpu_reset(&g->vgpu);
	}
}

/**
 * fg_fini() - close the device, remove the vGPU, free the guest
 * @g: the guest
 */
void fg_fini(struct fg *g)
{
	unsigned int i;

	if (g->vgpu.pgpu) {
		fg_close(g);
		mvgpu_vgpu_fini(&g->vgpu);
		g->vgpu.pgpu = NULL;
	}
	pthread_mutex_lock(&fg_lock);
	for (i = 0; i < ARRAY_SIZE(fg_all); i++)
		if (fg_all[i] == g)
			fg_all[i] = NULL;
	pthread_mutex_unlock(&fg_lock);
	free(g->ram);
	free(g->pins);
	g->ram = NULL;
	g->pins = NULL;
}

/* ---- registers ---- */

/**
 * fg_reg() - read a register of the vGPU
 * @g: the guest
 * @off: BAR0 offset
 *
 * Return: its value.
 */
u32 fg_reg(struct fg *g, u32 off)
{
	u32 v = 0;

	mvgpu_mmio_read(&g->vgpu, off, &v, 4);
	return v;
}

/**
 * fg_reg_write() - write a register of the vGPU
 * @g: the guest
 * @off: BAR0 offset
 * @val: the value
 *
 * Return: mvgpu_mmio_write()'s result.
 */
int fg_reg_write(struct fg *g, u32 off, u32 val)
{
	return mvgpu_mmio_write(&g->vgpu, off, &val, 4);
}

/* ---- graphics memory ---- */

/**
 * fg_ggtt_set() - write a GGTT entry of the vGPU's aperture
 * @g: the guest
 * @gm: graphics address of the page
 * @pte: the entry (guest physical address | MVGPU_PTE_VALID)
 *
 * Return: mvgpu_mmio_write()'s result.
 */
int fg_ggtt_set(struct fg *g, u32 gm, u64 pte)
{
	return mvgpu_mmio_write(&g->vgpu, MVGPU_GGTT_OFFSET +
				(u64)(gm >> PAGE_SHIFT) * 8, &pte, 8);
}

/**
 * fg_alloc() - @npages more pages of graphics memory, mapped
 * @g: the guest
 * @npages: how many
 *
 * Return: the graphics address of the first; aborts when the guest has
 * no more memory.
 */
u32 fg_alloc(struct fg *g, unsigned int npages)
{
	u32 first = g->vgpu.res.aperture.base + g->next_page * PAGE_SIZE;
	unsigned int i;

	if (g->next_page + npages > g->pages)
		abort();
	for (i = 0; i < npages; i++, g->next_page++)
		fg_ggtt_set(g, first + i * PAGE_SIZE,
			    (u64)g->next_page * PAGE_SIZE | MVGPU_PTE_VALID);
	return first;
}

/**
 * fg_va() - where the guest's CPU sees a graphics address fg_alloc() gave
 * @g: the guest
 * @gm: the address
 *
 * Return: the address in guest memory.
 */
void *fg_va(struct fg *g, u32 gm)
{
	return g->ram + (gm - g->vgpu.res.aperture.base);
}

/**
 * fg_read() - read a dword of guest graphics memory with the CPU
 * @g: the guest
 * @gm: its graphics address, from fg_alloc()
 *
 * Return: the dword.
 */
u32 fg_read(struct fg *g, u32 gm)
{
	return __atomic_load_n((u32 *)fg_va(g, gm), __ATOMIC_RELAXED);
}

/**
 * fg_write() - write a dword of guest graphics memory with the CPU
 * @g: the guest
 * @gm: its graphics address, from fg_alloc()
 * @val: the dword
 */
void fg_write(struct fg *g, u32 gm, u32 val)
{
	__atomic_store_n((u32 *)fg_va(g, gm), val, __ATOMIC_RELAXED);
}

/* ---- contexts ---- */

/**
 * fg_ctx_init() - a LEGACY_32B context with an empty one-page ring
 * @g: the guest
 * @c: the context
 * @engine: its engine
 * @id: its context ID
 */
void fg_ctx_init(struct fg *g, struct fg_ctx *c, unsigned int engine, u32 id)
{
	c->g = g;
	c->engine = engine;
	c->id = id;
	c->lrca = fg_alloc(g, 1);
	c->ring = fg_alloc(g, 1);
	c->ring_size = PAGE_SIZE;
	c->tail = 0;
	fg_write(g, c->lrca + 4 * MVGPU_CTX_RING_CTL,
		 MVGPU_RING_CTL_SIZE(c->ring_size) | MVGPU_RING_CTL_VALID);
	fg_write(g, c->lrca + 4 * MVGPU_CTX_RING_START, c->ring);
}

/**
 * fg_desc() - the descriptor the guest writes to the ELSP for @c
 * @c: the context
 *
 * Return: the descriptor.
 */
u64 fg_desc(const struct fg_ctx *c)
{
	return MVGPU_CTX_DESC(c->lrca, MVGPU_CTX_MODE_LEGACY_32B, c->id);
}

/**
 * fg_emit() - add commands to the ring and move the image's tail
 * @c: the context
 * @dw: the commands
 * @n: dwords
 */
void fg_emit(struct fg_ctx *c, const u32 *dw, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		fg_write(c->g, c->ring + c->tail, dw[i]);
		c->tail = (c->tail + 4) % c->ring_size;
	}
	fg_write(c->g, c->lrca + 4 * MVGPU_CTX_RING_TAIL, c->tail);
}

/**
 * fg_img() - a dword of the guest's context image
 * @c: the context
 * @dw: MVGPU_CTX_*
 *
 * Return: its value.
 */
u32 fg_img(const struct fg_ctx *c, unsigned int dw)
{
	return fg_read(c->g, c->lrca + 4 * dw);
}

static u32 engine_base(unsigned int engine)
{
	return engine == MVGPU_ENGINE_RCS ? MVGPU_RCS_BASE : MVGPU_BCS_BASE;
}

/**
 * fg_submit() - write a pair to the ELSP
 * @g: the guest
 * @c0: element 0
 * @c1: element 1, or NULL
 *
 * Return: 0, or mvgpu_mmio_write()'s first error.
 */
int fg_submit(struct fg *g, const struct fg_ctx *c0, const struct fg_ctx *c1)
{
	u32 elsp = engine_base(c0->engine) + MVGPU_RING_ELSP;
	u64 d1 = c1 ? fg_desc(c1) : 0, d0 = fg_desc(c0);

	return fg_reg_write(g, elsp, d1 >> 32) ?:
	       fg_reg_write(g, elsp, (u32)d1) ?:
	       fg_reg_write(g, elsp, d0 >> 32) ?:
	       fg_reg_write(g, elsp, (u32)d0);
}

/**
 * fg_poll() - read the new entries of an engine's CSB into the log
 * @g: the guest
 * @engine: the engine
 *
 * Return: entries in the log.
 */
unsigned int fg_poll(struct fg *g, unsigned int engine)
{
	u32 base = engine_base(engine);
	u32 ptr = fg_reg(g, base + MVGPU_RING_CSB_PTR);
	u32 wp = ptr & MVGPU_CSB_WRITE_PTR_MASK;
	u32 rp = (ptr & MVGPU_CSB_READ_PTR_MASK) >> MVGPU_CSB_READ_PTR_SHIFT;
	struct fg_csb *e;

	while (rp != wp) {
		rp = (rp + 1) % MVGPU_CSB_ENTRIES;
		if (g->nlog[engine] == FG_LOG)
			abort();
		e = &g->log[engine][g->nlog[engine]++];
		e->status = fg_reg(g, base + MVGPU_RING_CSB(rp));
		e->ctx_id = fg_reg(g, base + MVGPU_RING_CSB_CTX_ID(rp));
	}
	fg_reg_write(g, base + MVGPU_RING_CSB_PTR,
		     MVGPU_MASKED_FIELD(MVGPU_CSB_READ_PTR_MASK,
					rp << MVGPU_CSB_READ_PTR_SHIFT));
	return g->nlog[engine];
}

/**
 * fg_wait_events() - poll an engine's CSB until @n entries were read
 * @g: the guest
 * @engine: the engine
 * @n: entries wanted in the log
 * @timeout_ms: how long to try
 *
 * Return: true if they came.
 */
bool fg_wait_events(struct fg *g, unsigned int engine, unsigned int n,
		    unsigned int timeout_ms)
{
	u64 end = ktime_get_ns() + (u64)timeout_ms * NSEC_PER_MSEC;

	while (fg_poll(g, engine) < n) {
		if (ktime_get_ns() > end)
			return false;
		usleep_range(100, 200);
	}
	return true;
}
