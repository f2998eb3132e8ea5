/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A test program acting as the guest driver of a vGPU, through VFIO:
 * guest memory, the vGPU's GGTT, LEGACY_32B contexts and their rings,
 * execlist submission, the context status buffer, error capture and
 * interrupts, as Documentation/gpu-interface.rst describes them.
 *
 * Nothing here asserts: every function returns 0 (or a value) or a
 * negative errno, so it may be used from any thread.  One struct guest
 * is used by one thread at a time.  The exception is the last section,
 * checks for kselftest-harness tests, which exists only when
 * kselftest_harness.h is included first.
 */
#ifndef _MVGPU_GUEST_UTIL_H
#define _MVGPU_GUEST_UTIL_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vm_util.h"
#include "native_util.h"
#include "../../tools/lib/mvgpu_vfio.h"
#include <mvgpu/mvgpu_cmd.h>
#include <mvgpu/mvgpu_pci.h>
#include <mvgpu/mvgpu_regs.h>

#define GUEST_BAR0		VFIO_PCI_BAR0_REGION_INDEX
#define GUEST_IOVA		0x100000ULL
#define GUEST_MEM_SIZE		(16ULL << 20)
#define GUEST_PAGE		4096ULL
#define GUEST_TIMEOUT_MS	5000
#define GUEST_MAX_EV		8

/* Every interrupt of an engine, in its bits of GT bank 0. */
#define GUEST_ENGINE_IRQS	(MVGPU_GT_USER_INTERRUPT | \
				 MVGPU_GT_CS_ERROR_INTERRUPT | \
				 MVGPU_GT_CONTEXT_SWITCH_INTERRUPT)
/* GT bank 0's IER with every interrupt of both engines, guest_start()'s */
#define GUEST_IER_ALL		(GUEST_ENGINE_IRQS << MVGPU_RCS_IRQ_SHIFT | \
				 GUEST_ENGINE_IRQS << MVGPU_BCS_IRQ_SHIFT)

struct guest {
	char uuid[40];
	struct mvgpu_vfio *v;
	uint8_t *mem;		/* CPU view of guest memory */
	uint64_t iova, size;	/* its guest physical range */
	uint64_t mem_used;	/* bump allocator of guest pages */
	uint64_t ap_base, ap_size, hi_base, hi_size;
	uint64_t ap_used, hi_used;	/* bump allocators of graphics memory */
	unsigned int csb_rp[MVGPU_NUM_ENGINES];	/* CSB entries consumed */
	/* status pages (guest_hws_enable()), NULL: CSB from registers */
	uint32_t *hws[MVGPU_NUM_ENGINES];
	uint64_t hws_ga[MVGPU_NUM_ENGINES];
	/* PV info offers the submit queue: used with a status page */
	bool sq;
};

/* A LEGACY_32B context: image and ring in the vGPU's graphics memory. */
struct guest_ctx {
	uint32_t id;
	uint64_t lrca;
	uint32_t *img;
	uint64_t ring_ga;
	uint32_t *ring;
	uint32_t ring_size;	/* bytes */
	uint32_t tail;		/* bytes */
};

/* One context status buffer entry. */
struct guest_ev {
	uint32_t status, ctx_id;
};

/* The engine's error capture registers. */
struct guest_err {
	uint32_t status, ctx_id, header;
	uint64_t cmd_addr, fault_addr;
};

static inline uint64_t guest_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* Wait up to @timeout_ms for another thread to set *@done; whether it did. */
static inline bool guest_wait_flag(int *done, int timeout_ms)
{
	uint64_t end = guest_now_ms() + timeout_ms;

	while (!__atomic_load_n(done, __ATOMIC_ACQUIRE) && guest_now_ms() < end)
		usleep(1000);
	return __atomic_load_n(done, __ATOMIC_ACQUIRE);
}

static inline uint32_t guest_engine_base(unsigned int engine)
{
	return engine == MVGPU_ENGINE_RCS ? MVGPU_RCS_BASE : MVGPU_BCS_BASE;
}

static inline uint32_t guest_irq_shift(unsigned int engine)
{
	return engine == MVGPU_ENGINE_RCS ? MVGPU_RCS_IRQ_SHIFT :
					    MVGPU_BCS_IRQ_SHIFT;
}

/* A register of BAR0; 0xffffffff when it cannot be read. */
static inline uint32_t guest_rd(struct guest *g, uint32_t off)
{
	uint32_t v;

	return mvgpu_vfio_bar_read32(g->v, GUEST_BAR0, off, &v) ? 0xffffffffU : v;
}

static inline int guest_wr(struct guest *g, uint32_t off, uint32_t val)
{
	return mvgpu_vfio_bar_write32(g->v, GUEST_BAR0, off, val);
}

static inline uint32_t guest_eng_rd(struct guest *g, unsigned int engine,
				    uint32_t off)
{
	return guest_rd(g, guest_engine_base(engine) + off);
}

static inline int guest_eng_wr(struct guest *g, unsigned int engine,
			       uint32_t off, uint32_t val)
{
	return guest_wr(g, guest_engine_base(engine) + off, val);
}

static inline int guest_in_range(const struct guest *g, uint64_t ga)
{
	return (ga >= g->ap_base && ga - g->ap_base < g->ap_size) ||
	       (ga >= g->hi_base && ga - g->hi_base < g->hi_size);
}

/* A page-aligned graphics address in neither of the vGPU's ranges. */
static inline uint64_t guest_foreign_ga(const struct guest *g)
{
	const uint64_t cand[] = {
		0, g->ap_base + g->ap_size, g->hi_base + g->hi_size,
		g->ap_base - GUEST_PAGE,
	};
	unsigned int i;

	for (i = 0; i < sizeof(cand) / sizeof(cand[0]); i++)
		if (cand[i] < MVGPU_GM_SIZE && !guest_in_range(g, cand[i]))
			return cand[i];
	return MVGPU_GM_SIZE - GUEST_PAGE;
}

/* A fresh @g for vGPU @uuid, opened in @v: learn its graphics memory. */
static inline int guest_init_opened(struct guest *g, const char *uuid,
				    struct mvgpu_vfio *v)
{
	memset(g, 0, sizeof(*g));
	snprintf(g->uuid, sizeof(g->uuid), "%s", uuid);
	g->v = v;
	g->ap_base = vgpu_attr(uuid, "aperture_base");
	g->ap_size = vgpu_attr(uuid, "aperture_size");
	g->hi_base = vgpu_attr(uuid, "hidden_base");
	g->hi_size = vgpu_attr(uuid, "hidden_size");
	g->csb_rp[0] = g->csb_rp[1] = 5;
	if ((int64_t)g->ap_size <= 0 || (int64_t)g->hi_size <= 0)
		return -ENODEV;
	return 0;
}

/* Give @g @mem_size bytes of fresh guest memory at GUEST_IOVA. */
static inline int guest_give_mem(struct guest *g, uint64_t mem_size)
{
	void *mem;
	int ret;

	ret = mvgpu_vfio_guest_mem_alloc(g->v, GUEST_IOVA, mem_size, &mem);
	if (ret)
		return ret;
	g->mem = mem;
	g->iova = GUEST_IOVA;
	g->size = mem_size;
	return 0;
}

/*
 * Open vGPU @uuid as a VMM of @mode (mvgpu_vfio_open()), learn its
 * graphics memory, give it @mem_size bytes.
 */
static inline int guest_open_mode(struct guest *g, const char *uuid,
				  uint64_t mem_size, int mode)
{
	struct mvgpu_vfio *v;
	int ret;

	memset(g, 0, sizeof(*g));
	ret = mvgpu_vfio_open(uuid, mode, &v);
	if (ret)
		return ret;
	ret = guest_init_opened(g, uuid, v);
	return ret ?: guest_give_mem(g, mem_size);
}

/* Can this process open a vGPU as a KVM guest's VMM (MVGPU_VFIO_KVM)? */
static inline bool guest_kvm_available(void)
{
	return !access("/dev/kvm", R_OK | W_OK);
}

/* Open vGPU @uuid, learn its graphics memory, give it @mem_size bytes. */
static inline int guest_open_mem(struct guest *g, const char *uuid,
				 uint64_t mem_size)
{
	return guest_open_mode(g, uuid, mem_size, MVGPU_VFIO_GROUP);
}

/* Open vGPU @uuid with GUEST_MEM_SIZE bytes of guest memory. */
static inline int guest_open(struct guest *g, const char *uuid)
{
	return guest_open_mem(g, uuid, GUEST_MEM_SIZE);
}

static inline void guest_close(struct guest *g)
{
	mvgpu_vfio_close(g->v);
	g->v = NULL;
	g->mem = NULL;
}

/* Create a vGPU of @type with a fresh UUID and open it. */
static inline int guest_create(struct guest *g, const char *type)
{
	char uuid[40];
	int ret;

	make_uuid(uuid);
	ret = vgpu_create(type, uuid);
	if (ret)
		return ret;
	ret = guest_open(g, uuid);
	if (ret) {
		guest_close(g);
		vgpu_remove(uuid);
		snprintf(g->uuid, sizeof(g->uuid), "%s", "");
	}
	return ret;
}

/* Close and remove a vGPU made by guest_create(). */
static inline int guest_destroy(struct guest *g)
{
	if (g->v)
		guest_close(g);
	return g->uuid[0] ? vgpu_remove(g->uuid) : 0;
}

static inline int guest_set_pte(struct guest *g, uint64_t ga, uint64_t gpa)
{
	return mvgpu_vfio_bar_write64(g->v, GUEST_BAR0, MVGPU_GGTT_OFFSET +
				      (ga >> MVGPU_GTT_PAGE_SHIFT) * 8,
				      gpa | MVGPU_PTE_VALID);
}

/*
 * Map @bytes (whole pages) of fresh guest memory at the next free graphics
 * addresses of the aperture range (@aperture) or the hidden range.
 * Returns the CPU pointer to the memory, its graphics address in @ga.
 */
static inline void *guest_map_in(struct guest *g, int aperture,
				 uint64_t bytes, uint64_t *ga)
{
	uint64_t base = aperture ? g->ap_base : g->hi_base;
	uint64_t size = aperture ? g->ap_size : g->hi_size;
	uint64_t *used = aperture ? &g->ap_used : &g->hi_used;
	uint64_t i;

	bytes = (bytes + GUEST_PAGE - 1) & ~(GUEST_PAGE - 1);
	if (!bytes || bytes > g->size - g->mem_used || bytes > size - *used)
		return NULL;
	for (i = 0; i < bytes; i += GUEST_PAGE)
		if (guest_set_pte(g, base + *used + i, g->iova + g->mem_used + i))
			return NULL;
	*ga = base + *used;
	*used += bytes;
	g->mem_used += bytes;
	return g->mem + g->mem_used - bytes;
}

/* Map @bytes in the hidden range (rings, contexts, batches, surfaces). */
static inline void *guest_map(struct guest *g, uint64_t bytes, uint64_t *ga)
{
	return guest_map_in(g, 0, bytes, ga);
}

/* Map @bytes in the mappable (aperture) range. */
static inline void *guest_map_ap(struct guest *g, uint64_t bytes, uint64_t *ga)
{
	return guest_map_in(g, 1, bytes, ga);
}

/* Wait up to 2 s for the pipe to scan out @ga (the vblank latched it). */
static inline int guest_plane_latched(struct guest *g, uint64_t ga)
{
	uint64_t end = guest_now_ms() + 2000;

	while (guest_now_ms() < end) {
		if (guest_rd(g, MVGPU_DSPSURFLIVE) == (uint32_t)ga)
			return 1;
		usleep(2000);
	}
	return 0;
}

/* Program and enable the plane as a guest driver does; 0 once latched. */
static inline int guest_plane_show(struct guest *g, uint64_t ga, uint32_t w,
				   uint32_t h, uint32_t stride, uint32_t format)
{
	if (guest_wr(g, MVGPU_PIPESRC, (w - 1) << 16 | (h - 1)) ||
	    guest_wr(g, MVGPU_DSPSTRIDE, stride) ||
	    guest_wr(g, MVGPU_DSPSURF, (uint32_t)ga) ||
	    guest_wr(g, MVGPU_DSPCNTR, MVGPU_DSPCNTR_ENABLE | format))
		return -EIO;
	return guest_plane_latched(g, ga) ? 0 : -ETIMEDOUT;
}

/* The engine's CSB read pointer as the device has it. */
static inline int guest_sync_csb(struct guest *g, unsigned int engine)
{
	uint32_t ptr = guest_eng_rd(g, engine, MVGPU_RING_CSB_PTR);

	if (ptr == 0xffffffffU)
		return -EIO;
	g->csb_rp[engine] = (ptr & MVGPU_CSB_READ_PTR_MASK) >>
			    MVGPU_CSB_READ_PTR_SHIFT;
	return 0;
}

/* Enable the engine's run list (masked RING_MODE write). */
static inline int guest_enable_run_list(struct guest *g, unsigned int engine)
{
	return guest_eng_wr(g, engine, MVGPU_RING_MODE,
			    MVGPU_MASKED_BIT_ENABLE(MVGPU_RING_MODE_RUN_LIST_ENABLE));
}

/* Enable every engine interrupt, unmasked, and both run lists. */
static inline int guest_start(struct guest *g)
{
	unsigned int e;
	int ret;

	ret = guest_wr(g, MVGPU_GT_IER(0), GUEST_IER_ALL);
	ret = ret ?: guest_wr(g, MVGPU_GT_IMR(0), 0);
	ret = ret ?: guest_wr(g, MVGPU_MASTER_IRQ, MVGPU_MASTER_IRQ_CONTROL);
	for (e = 0; e < MVGPU_NUM_ENGINES && !ret; e++) {
		ret = guest_enable_run_list(g, e);
		ret = ret ?: guest_sync_csb(g, e);
	}
	return ret;
}

/*
 * A fresh context with ID @id and a ring of @ring_bytes: image and ring
 * in the hidden range, head = tail = 0.
 */
static inline int guest_ctx_create(struct guest *g, struct guest_ctx *c,
				   uint32_t ring_bytes, uint32_t id)
{
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->ring_size = ring_bytes;
	c->img = guest_map(g, GUEST_PAGE, &c->lrca);
	c->ring = guest_map(g, ring_bytes, &c->ring_ga);
	if (!c->img || !c->ring)
		return -ENOMEM;
	memset(c->img, 0, GUEST_PAGE);
	c->img[MVGPU_CTX_RING_HEAD] = 0;
	c->img[MVGPU_CTX_RING_TAIL] = 0;
	c->img[MVGPU_CTX_RING_START] = c->ring_ga;
	c->img[MVGPU_CTX_RING_CTL] = MVGPU_RING_CTL_SIZE(ring_bytes) |
				     MVGPU_RING_CTL_VALID;
	return 0;
}

/* Append @n dwords at the ring tail, wrapping at the ring's end. */
static inline void guest_emit(struct guest_ctx *c, const uint32_t *dw, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		c->ring[c->tail / 4] = dw[i];
		c->tail = (c->tail + 4) % c->ring_size;
	}
	c->img[MVGPU_CTX_RING_TAIL] = c->tail;
}

#define GUEST_EMIT(c, ...) do {						\
	const uint32_t __dw[] = { __VA_ARGS__ };			\
	guest_emit((c), __dw, sizeof(__dw) / 4);			\
} while (0)

static inline uint64_t guest_desc(const struct guest_ctx *c)
{
	return c ? MVGPU_CTX_DESC(c->lrca, MVGPU_CTX_MODE_LEGACY_32B, c->id) : 0;
}

/*
 * Submit descriptors @d0, @d1 (0: none) on @engine: with a status page
 * (guest_hws_enable()) and the submit queue offered, as that queue and
 * one write of EXECLIST_CONTROL; else on the ELSP: element 1 upper,
 * element 1 lower, element 0 upper, element 0 lower.
 */
static inline int guest_submit_desc(struct guest *g, unsigned int engine,
				    uint64_t d0, uint64_t d1)
{
	int ret;

	if (g->hws[engine] && g->sq) {
		uint32_t *sq = &g->hws[engine][MVGPU_HWS_SQ(0) / 4];

		sq[0] = (uint32_t)d0;
		sq[1] = d0 >> 32;
		sq[2] = (uint32_t)d1;
		sq[3] = d1 >> 32;
		__sync_synchronize();
		return guest_eng_wr(g, engine, MVGPU_RING_EXECLIST_CONTROL,
				    MVGPU_EXECLIST_CONTROL_LOAD);
	}
	__sync_synchronize();
	ret = guest_eng_wr(g, engine, MVGPU_RING_ELSP, d1 >> 32);
	ret = ret ?: guest_eng_wr(g, engine, MVGPU_RING_ELSP, (uint32_t)d1);
	ret = ret ?: guest_eng_wr(g, engine, MVGPU_RING_ELSP, d0 >> 32);
	ret = ret ?: guest_eng_wr(g, engine, MVGPU_RING_ELSP, (uint32_t)d0);
	return ret;
}

/* Submit LEGACY_32B contexts @c0 and @c1 (NULL: none). */
static inline int guest_submit(struct guest *g, unsigned int engine,
			       struct guest_ctx *c0, struct guest_ctx *c1)
{
	return guest_submit_desc(g, engine, guest_desc(c0), guest_desc(c1));
}

/*
 * Take the next unread CSB entry of @engine into @e and write the read
 * pointer back.  Returns 1, 0 when there is none, -EIO when the device
 * does not answer, or -EPROTO for a write pointer out of range.
 */
static inline int guest_csb_next(struct guest *g, unsigned int engine,
				 struct guest_ev *e)
{
	uint32_t ptr = guest_eng_rd(g, engine, MVGPU_RING_CSB_PTR);
	uint32_t wp = ptr & MVGPU_CSB_WRITE_PTR_MASK;
	unsigned int rp;

	if (ptr == 0xffffffffU)
		return -EIO;
	if (wp >= MVGPU_CSB_ENTRIES)
		return -EPROTO;
	if (g->csb_rp[engine] == wp)
		return 0;
	rp = (g->csb_rp[engine] + 1) % MVGPU_CSB_ENTRIES;
	e->status = guest_eng_rd(g, engine, MVGPU_RING_CSB(rp));
	e->ctx_id = guest_eng_rd(g, engine, MVGPU_RING_CSB_CTX_ID(rp));
	g->csb_rp[engine] = rp;
	return guest_eng_wr(g, engine, MVGPU_RING_CSB_PTR,
			    MVGPU_MASKED_FIELD(MVGPU_CSB_READ_PTR_MASK,
					       rp << MVGPU_CSB_READ_PTR_SHIFT)) ?
	       -EIO : 1;
}

/*
 * Give @engine a status page (gpu-interface.rst, "Status page"): a fresh
 * page in the hidden range, its write pointer set to the register's,
 * programmed into RING_HWS_PGA and read back.  From then on
 * guest_csb_drain() reads the page.  Returns 0, -ENOMEM, or -EIO when
 * the device does not keep the address (no status page support).
 */
static inline int guest_hws_enable(struct guest *g, unsigned int engine)
{
	uint32_t ptr = guest_eng_rd(g, engine, MVGPU_RING_CSB_PTR);
	uint32_t *page;
	uint64_t ga;

	if (ptr == 0xffffffffU)
		return -EIO;
	page = guest_map(g, GUEST_PAGE, &ga);
	if (!page)
		return -ENOMEM;
	memset(page, 0, GUEST_PAGE);
	page[MVGPU_HWS_CSB_WRITE_PTR / 4] = ptr & MVGPU_CSB_WRITE_PTR_MASK;
	__sync_synchronize();
	if (guest_eng_wr(g, engine, MVGPU_RING_HWS_PGA, (uint32_t)ga) ||
	    guest_eng_rd(g, engine, MVGPU_RING_HWS_PGA) != (uint32_t)ga)
		return -EIO;
	g->hws[engine] = page;
	g->hws_ga[engine] = ga;
	g->sq = guest_rd(g, MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_CAPS_REG) &
		MVGPU_PVINFO_CAP_SUBMIT_QUEUE;
	return 0;
}

/* Dword @off of @engine's status page, as the GPU last wrote it. */
static inline uint32_t guest_hws_rd(struct guest *g, unsigned int engine,
				    uint32_t off)
{
	return __atomic_load_n(&g->hws[engine][off / 4], __ATOMIC_ACQUIRE);
}

/* Back to CSB registers: RING_HWS_PGA 0.  Returns 0 or -EIO. */
static inline int guest_hws_disable(struct guest *g, unsigned int engine)
{
	g->hws[engine] = NULL;
	g->hws_ga[engine] = 0;
	return guest_eng_wr(g, engine, MVGPU_RING_HWS_PGA, 0) ? -EIO : 0;
}

/*
 * Take every unread CSB entry of @engine into @ev (at most
 * MVGPU_CSB_ENTRIES) as a guest driver does (drm/execlist.c): one read of
 * the write pointer, the entries, one write of the read pointer.  With a
 * status page (guest_hws_enable()) the pointer and entries come from the
 * page and the read pointer is not written back, which the engine never
 * consults (gpu-interface.rst, "Status page"): nothing traps.  Returns
 * how many, -EIO when the device does not answer, or -EPROTO for a write
 * pointer out of range.
 */
static inline int guest_csb_drain(struct guest *g, unsigned int engine,
				  struct guest_ev ev[MVGPU_CSB_ENTRIES])
{
	int hws = g->hws[engine] != NULL;
	uint32_t ptr = hws ? guest_hws_rd(g, engine, MVGPU_HWS_CSB_WRITE_PTR) :
			     guest_eng_rd(g, engine, MVGPU_RING_CSB_PTR);
	uint32_t wp = ptr & MVGPU_CSB_WRITE_PTR_MASK;
	unsigned int rp = g->csb_rp[engine];
	int n = 0;

	if (!hws && ptr == 0xffffffffU)
		return -EIO;
	if (wp >= MVGPU_CSB_ENTRIES)
		return -EPROTO;
	/* entries are written before the pointer, read with acquire */
	while (rp != wp) {
		rp = (rp + 1) % MVGPU_CSB_ENTRIES;
		if (hws) {
			ev[n].status = guest_hws_rd(g, engine, MVGPU_HWS_CSB(rp));
			ev[n].ctx_id = guest_hws_rd(g, engine,
						    MVGPU_HWS_CSB_CTX_ID(rp));
		} else {
			ev[n].status = guest_eng_rd(g, engine, MVGPU_RING_CSB(rp));
			ev[n].ctx_id = guest_eng_rd(g, engine,
						    MVGPU_RING_CSB_CTX_ID(rp));
		}
		n++;
	}
	if (!n)
		return 0;
	g->csb_rp[engine] = rp;
	if (hws)
		return n;
	return guest_eng_wr(g, engine, MVGPU_RING_CSB_PTR,
			    MVGPU_MASKED_FIELD(MVGPU_CSB_READ_PTR_MASK,
					       rp << MVGPU_CSB_READ_PTR_SHIFT)) ?
	       -EIO : n;
}

/*
 * Consume CSB entries of @engine until one says ACTIVE_TO_IDLE (the
 * engine has nothing left), polling every millisecond for at most
 * @timeout_ms.  Entries go to @ev (at most @max, the rest are consumed
 * and dropped).  Returns the entries stored, -ETIMEDOUT (those seen are
 * in @ev) or another negative errno.
 */
static inline int guest_wait_csb(struct guest *g, unsigned int engine,
				 struct guest_ev *ev, int max, int timeout_ms)
{
	uint64_t end = guest_now_ms() + timeout_ms;
	struct guest_ev e;
	int n = 0, got;

	for (;;) {
		while ((got = guest_csb_next(g, engine, &e)) > 0) {
			if (n < max)
				ev[n++] = e;
			if (e.status & MVGPU_CSB_ACTIVE_TO_IDLE) {
				__sync_synchronize();
				return n;
			}
		}
		if (got < 0)
			return got;
		if (guest_now_ms() > end)
			return -ETIMEDOUT;
		usleep(1000);
	}
}

/* Submit @c0 (and @c1) on @engine and wait until the engine is idle. */
static inline int guest_run(struct guest *g, unsigned int engine,
			    struct guest_ctx *c0, struct guest_ctx *c1,
			    struct guest_ev *ev, int max)
{
	int ret = guest_submit(g, engine, c0, c1);

	return ret ?: guest_wait_csb(g, engine, ev, max, GUEST_TIMEOUT_MS);
}

/* The last entry that is more than IDLE_TO_ACTIVE, NULL if none. */
static inline const struct guest_ev *guest_end_ev(const struct guest_ev *ev,
						   int n)
{
	while (n-- > 0)
		if (ev[n].status != MVGPU_CSB_IDLE_TO_ACTIVE)
			return &ev[n];
	return NULL;
}

static inline void guest_read_err(struct guest *g, unsigned int engine,
				  struct guest_err *e)
{
	e->status = guest_eng_rd(g, engine, MVGPU_RING_ERR_STATUS);
	e->ctx_id = guest_eng_rd(g, engine, MVGPU_RING_ERR_CTX_ID);
	e->cmd_addr = guest_eng_rd(g, engine, MVGPU_RING_ERR_CMD_ADDR_LO) |
		      (uint64_t)guest_eng_rd(g, engine,
					     MVGPU_RING_ERR_CMD_ADDR_HI) << 32;
	e->header = guest_eng_rd(g, engine, MVGPU_RING_ERR_CMD_HEADER);
	e->fault_addr = guest_eng_rd(g, engine, MVGPU_RING_ERR_FAULT_ADDR_LO) |
			(uint64_t)guest_eng_rd(g, engine,
					       MVGPU_RING_ERR_FAULT_ADDR_HI) << 32;
}

/* Release the engine's error capture (any write to RING_ERR_STATUS). */
static inline int guest_clear_err(struct guest *g, unsigned int engine)
{
	return guest_eng_wr(g, engine, MVGPU_RING_ERR_STATUS, 0);
}

static inline uint32_t guest_iir(struct guest *g)
{
	return guest_rd(g, MVGPU_GT_IIR(0));
}

/* Clear IIR bits (write 1 to clear). */
static inline int guest_ack_iir(struct guest *g, uint32_t bits)
{
	return guest_wr(g, MVGPU_GT_IIR(0), bits);
}

/* Poll until IIR has all of @bits or @timeout_ms passed; returns IIR. */
static inline uint32_t guest_wait_iir(struct guest *g, uint32_t bits,
				      int timeout_ms)
{
	uint64_t end = guest_now_ms() + timeout_ms;
	uint32_t iir;

	while (((iir = guest_iir(g)) & bits) != bits && guest_now_ms() < end)
		usleep(1000);
	return iir;
}

/* Enable MSI in config space (and memory decoding and bus mastering). */
static inline int guest_enable_msi(struct guest *g)
{
	uint8_t pos = 0, id = 0;
	uint16_t flags;
	int guard = 48, ret;

	ret = mvgpu_vfio_cfg_write16(g->v, 0x04, 0x0006);
	ret = ret ?: mvgpu_vfio_cfg_read8(g->v, 0x34, &pos);
	while (!ret && pos && guard--) {
		ret = mvgpu_vfio_cfg_read8(g->v, pos, &id);
		if (ret || id == 0x05)
			break;
		ret = mvgpu_vfio_cfg_read8(g->v, pos + 1, &pos);
	}
	if (ret)
		return ret;
	if (id != 0x05 || !pos)
		return -ENOENT;
	ret = mvgpu_vfio_cfg_read16(g->v, pos + 2, &flags);
	return ret ?: mvgpu_vfio_cfg_write16(g->v, pos + 2, flags | 1);
}

/* ---- Guest physical pages, PPGTTs, LEGACY_64B contexts, the aperture ---- */

#define GUEST_BAR2		VFIO_PCI_BAR2_REGION_INDEX

/* CPU pointer to guest physical address @gpa, NULL outside guest memory. */
static inline void *guest_gpa_ptr(struct guest *g, uint64_t gpa)
{
	if (gpa < g->iova || gpa - g->iova >= g->size)
		return NULL;
	return g->mem + (gpa - g->iova);
}

/*
 * Carve @n fresh, zeroed, page-aligned pages of guest memory, mapped in no
 * GGTT entry (for page tables, or data reached through a PPGTT).  Returns
 * the CPU pointer, the guest physical address of the first page in @gpa.
 */
static inline void *guest_alloc_pages(struct guest *g, uint64_t n,
				      uint64_t *gpa)
{
	uint64_t bytes = n * GUEST_PAGE;
	uint8_t *p;

	if (!n || n > g->size / GUEST_PAGE || bytes > g->size - g->mem_used)
		return NULL;
	p = g->mem + g->mem_used;
	*gpa = g->iova + g->mem_used;
	g->mem_used += bytes;
	memset(p, 0, bytes);
	return p;
}

/* A guest's 4-level PPGTT: the guest physical address of its PML4. */
struct guest_ppgtt {
	uint64_t pml4;
};

static inline int guest_ppgtt_init(struct guest *g, struct guest_ppgtt *pp)
{
	return guest_alloc_pages(g, 1, &pp->pml4) ? 0 : -ENOMEM;
}

/* Index of @va in its table of @level (4 PML4 .. 1 PT). */
static inline unsigned int guest_ppgtt_index(uint64_t va, int level)
{
	return (va >> (12 + 9 * (level - 1))) & (MVGPU_PPGTT_ENTRIES - 1);
}

/*
 * The entry of @level (4 PML4E, 3 PDPE, 2 PDE, 1 PTE) that translates @va,
 * in guest memory.  Missing tables above it are allocated when @create,
 * else NULL is returned; NULL too when a table is not in guest memory.
 */
static inline uint64_t *guest_ppgtt_entry(struct guest *g,
					  const struct guest_ppgtt *pp,
					  uint64_t va, int level, int create)
{
	uint64_t table = pp->pml4, gpa;
	int l;

	for (l = 4; l >= level; l--) {
		uint64_t *t = guest_gpa_ptr(g, table), *e;

		if (!t)
			return NULL;
		e = &t[guest_ppgtt_index(va, l)];
		if (l == level)
			return e;
		if (!(*e & MVGPU_PPGTT_PRESENT)) {
			if (!create || !guest_alloc_pages(g, 1, &gpa))
				return NULL;
			*e = gpa | MVGPU_PPGTT_PRESENT;
		}
		table = *e & MVGPU_PPGTT_ADDR_MASK;
	}
	return NULL;
}

/* Map PPGTT page @va to guest physical page @gpa (any address: unchecked). */
static inline int guest_ppgtt_map(struct guest *g, const struct guest_ppgtt *pp,
				  uint64_t va, uint64_t gpa)
{
	uint64_t *pte = guest_ppgtt_entry(g, pp, va, 1, 1);

	if (!pte)
		return -ENOMEM;
	*pte = (gpa & MVGPU_PPGTT_ADDR_MASK) | MVGPU_PPGTT_PRESENT;
	return 0;
}

/*
 * Map @n pages at @va to fresh guest pages; returns the CPU pointer of
 * the (contiguous) guest pages, their first guest physical address in
 * @gpa (NULL @gpa: not wanted).
 */
static inline void *guest_ppgtt_map_new(struct guest *g,
					const struct guest_ppgtt *pp,
					uint64_t va, uint64_t n, uint64_t *gpa)
{
	uint64_t first = 0, i;
	void *p = guest_alloc_pages(g, n, &first);

	if (!p)
		return NULL;
	for (i = 0; i < n; i++)
		if (guest_ppgtt_map(g, pp, va + i * GUEST_PAGE,
				    first + i * GUEST_PAGE))
			return NULL;
	if (gpa)
		*gpa = first;
	return p;
}

/* A fresh LEGACY_64B context (guest_ctx_create()) whose PPGTT is @pml4. */
static inline int guest_ctx64_create(struct guest *g, struct guest_ctx *c,
				     uint32_t ring_bytes, uint32_t id,
				     uint64_t pml4)
{
	int ret = guest_ctx_create(g, c, ring_bytes, id);

	if (ret)
		return ret;
	c->img[MVGPU_CTX_PML4_LO] = (uint32_t)pml4;
	c->img[MVGPU_CTX_PML4_HI] = (uint32_t)(pml4 >> 32);
	return 0;
}

static inline uint64_t guest_desc64(const struct guest_ctx *c)
{
	return c ? MVGPU_CTX_DESC(c->lrca, MVGPU_CTX_MODE_LEGACY_64B, c->id) : 0;
}

/* guest_submit() with LEGACY_64B descriptors. */
static inline int guest_submit64(struct guest *g, unsigned int engine,
				 struct guest_ctx *c0, struct guest_ctx *c1)
{
	return guest_submit_desc(g, engine, guest_desc64(c0), guest_desc64(c1));
}

/* guest_run() with LEGACY_64B descriptors. */
static inline int guest_run64(struct guest *g, unsigned int engine,
			      struct guest_ctx *c0, struct guest_ctx *c1,
			      struct guest_ev *ev, int max)
{
	int ret = guest_submit64(g, engine, c0, c1);

	return ret ?: guest_wait_csb(g, engine, ev, max, GUEST_TIMEOUT_MS);
}

/* The GGTT entry of graphics address @ga as the vGPU reads it back. */
static inline uint64_t guest_get_pte(struct guest *g, uint64_t ga)
{
	uint64_t v;

	if (mvgpu_vfio_bar_read64(g->v, GUEST_BAR0, MVGPU_GGTT_OFFSET +
				  (ga >> MVGPU_GTT_PAGE_SHIFT) * 8, &v))
		return ~0ULL;
	return v;
}

/* A dword of the aperture (BAR2) at graphics address @ga; ~0 on error. */
static inline uint32_t guest_ap_rd(struct guest *g, uint64_t ga)
{
	uint32_t v;

	return mvgpu_vfio_bar_read32(g->v, GUEST_BAR2, ga, &v) ? 0xffffffffU : v;
}

static inline int guest_ap_wr(struct guest *g, uint64_t ga, uint32_t val)
{
	return mvgpu_vfio_bar_write32(g->v, GUEST_BAR2, ga, val);
}

/* ---- Patterns, surfaces and snapshots of guest memory ---- */

/* CSB status bits that tell how a submission ended, and a clean end. */
#define GUEST_CSB_END	(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE | \
			 MVGPU_CSB_ELEMENT_SWITCH | MVGPU_CSB_ERROR)
#define GUEST_CSB_DONE	(MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE)

/* Fields of RING_ERR_STATUS. */
#define GUEST_ERR_CODE(s)	((s) & MVGPU_ERR_STATUS_CODE_MASK)
#define GUEST_ERR_SPACE(s)	(((s) & MVGPU_ERR_STATUS_SPACE_MASK) >> \
				 MVGPU_ERR_STATUS_SPACE_SHIFT)
#define GUEST_ERR_LEVEL(s)	(((s) & MVGPU_ERR_STATUS_LEVEL_MASK) >> \
				 MVGPU_ERR_STATUS_LEVEL_SHIFT)
/* The codes of a PPGTT walk that failed: either is a fault. */
#define GUEST_ERR_FAULTS	(1U << MVGPU_ERR_PPGTT_FAULT | \
				 1U << MVGPU_ERR_PAGE_FAULT)

/* A PPGTT address from its four table indices. */
#define GUEST_VA(l4, l3, l2, l1)	((uint64_t)(l4) << 39 | \
					 (uint64_t)(l3) << 30 | \
					 (uint64_t)(l2) << 21 | \
					 (uint64_t)(l1) << 12)

/* A well-mixed dword for index @i: fill patterns that show any shift. */
static inline uint32_t guest_pattern(uint32_t i)
{
	i ^= i >> 7;
	i *= 0x9e3779b1U;
	return i ^ i >> 13;
}

/* Append a command stream built with native_util.h's cs_*() to @c. */
static inline void guest_emit_cs(struct guest_ctx *c, const struct cs *cs)
{
	guest_emit(c, cs->dw, cs->n);
}

/* A 32 bpp surface in the vGPU's graphics memory. */
struct guest_surf {
	uint32_t *p;
	uint64_t ga;
	uint32_t w, h, pitch;
};

/*
 * Map a fresh @w x @h surface in the aperture (@aperture) or hidden range,
 * filled with guest_pattern(@seed + i), or zeroes for @seed 0.
 */
static inline int guest_surf_new(struct guest *g, struct guest_surf *s,
				 uint32_t w, uint32_t h, int aperture,
				 uint32_t seed)
{
	uint32_t i;

	s->ga = 0;
	s->w = w;
	s->h = h;
	s->pitch = 4 * w;
	s->p = guest_map_in(g, aperture, (uint64_t)s->pitch * h, &s->ga);
	if (!s->p)
		return -ENOMEM;
	for (i = 0; i < w * h; i++)
		s->p[i] = seed ? guest_pattern(seed + i) : 0;
	return 0;
}

/* Index of the first pixel of @s that differs from @want, or -1. */
static inline long guest_surf_diff(const struct guest_surf *s,
				   const uint32_t *want)
{
	uint32_t i;

	__sync_synchronize();
	for (i = 0; i < s->w * s->h; i++)
		if (s->p[i] != want[i])
			return i;
	return -1;
}

/* A copy of all guest memory (free() it), NULL without memory. */
static inline uint8_t *guest_mem_snap(struct guest *g)
{
	uint8_t *p = malloc(g->size);

	__sync_synchronize();
	if (p)
		memcpy(p, g->mem, g->size);
	return p;
}

/*
 * Offset of the first byte of guest memory that differs from @snap, -1
 * if none; the pages of [@skip_lo, @skip_hi) (offsets in guest memory that
 * the guest's own work writes) are not compared.
 */
static inline long guest_mem_diff_range(struct guest *g, const uint8_t *snap,
					uint64_t skip_lo, uint64_t skip_hi)
{
	uint64_t off, i;

	__sync_synchronize();
	for (off = 0; off < g->size; off += GUEST_PAGE) {
		if (off + GUEST_PAGE > skip_lo && off < skip_hi)
			continue;
		if (!memcmp(g->mem + off, snap + off, GUEST_PAGE))
			continue;
		for (i = 0; i < GUEST_PAGE; i++)
			if (g->mem[off + i] != snap[off + i])
				return off + i;
	}
	return -1;
}

/*
 * guest_mem_diff_range() skipping the page of @skip (a context image: the
 * GPU writes it; NULL: none).
 */
static inline long guest_mem_diff(struct guest *g, const uint8_t *snap,
				  const void *skip)
{
	uint64_t off = skip ? (uint64_t)((const uint8_t *)skip - g->mem) &
			      ~(GUEST_PAGE - 1) : ~0ULL;

	return guest_mem_diff_range(g, snap, off, skip ? off + GUEST_PAGE : 0);
}

/*
 * A 64x64 fill and a store on @g's BCS, into a fresh aperture surface,
 * checked pixel by pixel.  Returns 0, or -1 with the reason in @why.
 */
static inline int guest_fill_check(struct guest *g, uint32_t id,
				   uint32_t colour, char *why, size_t len)
{
	struct guest_ev ev[GUEST_MAX_EV];
	struct cs cs = { .n = 0 };
	struct guest_ctx c;
	uint64_t ga = 0;
	uint32_t *p, i;
	int n;

	p = guest_map_ap(g, 64 * 64 * 4, &ga);
	if (!p || guest_ctx_create(g, &c, 4 * GUEST_PAGE, id)) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	for (i = 0; i < 64 * 64; i++)
		p[i] = ~colour;
	cs_fill(&cs, MVGPU_BR13_DEPTH_32, 256, 0, 0, 64, 64, ga, colour);
	cs_sdi(&cs, ga + 4, colour ^ 0x5a5a5a5a);
	guest_emit_cs(&c, &cs);
	n = guest_run(g, MVGPU_ENGINE_BCS, &c, NULL, ev, GUEST_MAX_EV);
	if (n <= 0 || (ev[n - 1].status & GUEST_CSB_END) != GUEST_CSB_DONE ||
	    ev[n - 1].ctx_id != c.id) {
		snprintf(why, len, "wait %d, status 0x%x, ERR_STATUS 0x%x", n,
			 n > 0 ? ev[n - 1].status : 0,
			 guest_eng_rd(g, MVGPU_ENGINE_BCS, MVGPU_RING_ERR_STATUS));
		return -1;
	}
	__sync_synchronize();
	for (i = 0; i < 64 * 64; i++) {
		uint32_t want = i == 1 ? colour ^ 0x5a5a5a5a : colour;

		if (p[i] != want) {
			snprintf(why, len, "pixel %u is 0x%x, not 0x%x", i,
				 p[i], want);
			return -1;
		}
	}
	return 0;
}

/* ---- Checks for kselftest-harness tests ---- */
#ifdef __KSELFTEST_HARNESS_H

/* Log @engine's error capture. */
static inline void guest_log_err(struct __test_metadata *_metadata,
				 struct guest *g, unsigned int engine)
{
	struct guest_err e;

	guest_read_err(g, engine, &e);
	TH_LOG("engine %u: ERR_STATUS 0x%x ctx %u cmd 0x%llx header 0x%08x fault 0x%llx",
	       engine, e.status, e.ctx_id, (unsigned long long)e.cmd_addr,
	       e.header, (unsigned long long)e.fault_addr);
}

/*
 * The submission of @c ended well: the last of the @n events in @ev is
 * COMPLETE and ACTIVE_TO_IDLE for @c (earlier ones only IDLE_TO_ACTIVE),
 * the image's head reached the tail, the context-switch interrupt is
 * latched (and is cleared here).
 */
static inline void guest_expect_done(struct __test_metadata *_metadata,
				     struct guest *g, unsigned int engine,
				     const struct guest_ctx *c,
				     const struct guest_ev *ev, int n)
{
	uint32_t bit = MVGPU_GT_CONTEXT_SWITCH_INTERRUPT << guest_irq_shift(engine);
	const struct guest_ev *end;
	int i;

	if (n <= 0)
		guest_log_err(_metadata, g, engine);
	ASSERT_LT(0, n) TH_LOG("engine %u: no end of context %u (%d)", engine,
			       c->id, n);
	for (i = 0; i < n - 1; i++)
		EXPECT_EQ(MVGPU_CSB_IDLE_TO_ACTIVE, ev[i].status)
			TH_LOG("event %d of %d: 0x%x", i, n, ev[i].status);
	end = &ev[n - 1];
	if (end->status & MVGPU_CSB_ERROR)
		guest_log_err(_metadata, g, engine);
	ASSERT_EQ(GUEST_CSB_DONE, end->status & GUEST_CSB_END)
		TH_LOG("status 0x%x", end->status);
	EXPECT_EQ(c->id, end->ctx_id);
	EXPECT_EQ(c->tail, c->img[MVGPU_CTX_RING_HEAD]);
	EXPECT_EQ(0, c->img[MVGPU_CTX_ERROR]);
	EXPECT_EQ(bit, guest_iir(g) & bit);
	EXPECT_EQ(0, guest_ack_iir(g, bit));
}

/* Submit LEGACY_32B context @c alone on @engine and expect it to complete. */
static inline void guest_run_ok(struct __test_metadata *_metadata,
				struct guest *g, unsigned int engine,
				struct guest_ctx *c)
{
	struct guest_ev ev[GUEST_MAX_EV];
	int n = guest_run(g, engine, c, NULL, ev, GUEST_MAX_EV);

	guest_expect_done(_metadata, g, engine, c, ev, n);
}

/* guest_run_ok() of a LEGACY_64B context. */
static inline void guest_run64_ok(struct __test_metadata *_metadata,
				  struct guest *g, unsigned int engine,
				  struct guest_ctx *c)
{
	struct guest_ev ev[GUEST_MAX_EV];
	int n = guest_run64(g, engine, c, NULL, ev, GUEST_MAX_EV);

	guest_expect_done(_metadata, g, engine, c, ev, n);
}

/* A 64x64 fill at (8, 8) of an 80x80 surface, checked with a model. */
static inline void guest_fill_ok(struct __test_metadata *_metadata,
				 struct guest *g, uint32_t id, uint32_t colour)
{
	uint32_t want[80 * 80], x, y;
	struct cs cs = { .n = 0 };
	struct guest_surf s;
	struct guest_ctx c;

	ASSERT_EQ(0, guest_surf_new(g, &s, 80, 80, 1, colour));
	memcpy(want, s.p, sizeof(want));
	for (y = 8; y < 72; y++)
		for (x = 8; x < 72; x++)
			want[y * 80 + x] = colour;
	ASSERT_EQ(0, guest_ctx_create(g, &c, 4 * GUEST_PAGE, id));
	cs_fill(&cs, MVGPU_BR13_DEPTH_32, s.pitch, 8, 8, 72, 72, s.ga, colour);
	guest_emit_cs(&c, &cs);
	guest_run_ok(_metadata, g, MVGPU_ENGINE_BCS, &c);
	EXPECT_EQ(-1, guest_surf_diff(&s, want));
}

/* A store on @engine writes its dword and nothing next to it. */
static inline void guest_store_ok(struct __test_metadata *_metadata,
				  struct guest *g, unsigned int engine,
				  uint32_t id, uint32_t val)
{
	struct cs cs = { .n = 0 };
	struct guest_ctx c;
	uint32_t *dst;
	uint64_t ga = 0;

	dst = guest_map(g, GUEST_PAGE, &ga);
	ASSERT_TRUE(dst != NULL);
	ASSERT_EQ(0, guest_ctx_create(g, &c, 4 * GUEST_PAGE, id));
	cs_sdi(&cs, ga + 8, val);
	guest_emit_cs(&c, &cs);
	guest_run_ok(_metadata, g, engine, &c);
	EXPECT_EQ(val, ((volatile uint32_t *)dst)[2]);
	EXPECT_EQ(0, dst[1]);
	EXPECT_EQ(0, dst[3]);
}

#endif /* __KSELFTEST_HARNESS_H */

#endif /* _MVGPU_GUEST_UTIL_H */
