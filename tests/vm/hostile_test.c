// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hostile guest and its hostile user, driven through the VFIO client
 * (tools/lib): every region accessed out of bounds or in shapes it does
 * not take; every VFIO_DEVICE_* ioctl with bad sizes, indices, counts,
 * flags and file descriptors; thousands of random writes over all of
 * BAR0; GGTT and PPGTT entries to guest memory only another vGPU has;
 * command streams with bad lengths, privileged registers, batch loops
 * and nesting, batches and rings rewritten after submission or by
 * themselves; guest memory unmapped, or the device reset, while work that
 * uses it is queued or running; state, memory and locks a vGPU must not
 * share (issue 15): general purpose registers left for the next context,
 * shadow page tables and refused workloads' shadows that would grow host
 * memory, a vGPU blocked in a userfault with its lock held, a page moved
 * out of a GGTT or PPGTT entry under a running blit and then unmapped.
 *
 * Each attempt must be refused with its exact error (errno, error
 * capture, CSB status) or contained, while a victim vGPU with guest
 * memory the attacker does not have runs work of its own; afterwards the
 * victim's guest memory is byte for byte what it was, its counters show
 * nothing, and the attacker works again (after a reset where it needs
 * one).  tests/vm/vm.sh checks the kernel log afterwards: nothing but
 * rate-limited error lines.
 */
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "uffd_util.h"

#define RCS		MVGPU_ENGINE_RCS
#define BCS		MVGPU_ENGINE_BCS
#define RING		(4 * GUEST_PAGE)
#define CFG		VFIO_PCI_CONFIG_REGION_INDEX
#define PAGE		GUEST_PAGE

/* The victim has more guest memory: GPAs above GUEST_MEM_SIZE are its alone. */
#define VICTIM_MEM	(32ULL << 20)
#define VICTIM_ONLY_GPA	(GUEST_IOVA + GUEST_MEM_SIZE + (4ULL << 20))
#define VSURF		(16 * PAGE)	/* victim surfaces, one per range */
#define VICTIM_ROUNDS	300		/* fills of its loop, at most */

/* The 16th rejection since a reset puts a vGPU into failsafe mode. */
#define FAILSAFE_AT	16

/*
 * Long work: fills of 4096 x 4096 pixels with pitch 0 (the same 16 KiB
 * row over and over, 64 MiB of writes, about 50 ms each in the TCG VM)
 * and no arbitration point between them: well below the 1 s watchdog.
 */
#define LONG_BLITS	6
#define LONG_WH		4096
#define LONG_ROW	(4 * LONG_WH)
#define LONG_COLOUR(k)	(0xc0000000U | ((k) + 1))
#define SLICE_US_ATTR	"/sys/class/mvgpu/mvgpu0/sched_slice_us"
#define SENTINEL	0x5e5e5e5eU

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* The victim's recognisable dword @i of guest memory. */
static uint32_t vpat(uint32_t i)
{
	return 0x71c70000U ^ guest_pattern(i + 0x5eed);
}

/* The victim's fills, in a thread, while the attacker attacks. */
struct victim_job {
	struct guest *g;
	pthread_t t;
	int running;
	volatile int stop;
	int rounds, ret;
	char why[160];
};

static void *victim_loop(void *arg)
{
	struct victim_job *j = arg;

	while (!j->stop && j->rounds < VICTIM_ROUNDS) {
		if (guest_fill_check(j->g, 0x8000 + j->rounds,
				     0xff000000 | (j->rounds * 0x10101 + 1),
				     j->why, sizeof(j->why))) {
			j->ret = -1;
			break;
		}
		j->rounds++;
	}
	return NULL;
}

FIXTURE(hostile) {
	struct guest a, v;		/* attacker, victim */
	int made;
	uint8_t *vsnap;			/* victim guest memory after setup */
	uint64_t vskip;			/* victim's own work writes from here */
	uint64_t vsurf_ga[2];		/* victim surfaces: aperture, hidden */
	uint64_t vpte[2];		/* their GGTT entries */
	struct victim_job job;
	uint32_t *amark;		/* attacker's page for its stores */
	uint64_t amark_ga;
	int rejects;			/* attacker's since its last reset */
	uint32_t next_id;
	long hang_ms_was;		/* hang_ms to restore, 0: unchanged */
	long bcs_watchdog_was;		/* BCS watchdog to restore, 0: unchanged */
	long slice_us_was;		/* sched_slice_us to restore, 0: unchanged */
};

static int victim_create(struct guest *v)
{
	char uuid[40];
	int ret;

	make_uuid(uuid);
	ret = vgpu_create("mvgpu-V1_8", uuid);
	if (ret)
		return ret;
	ret = guest_open_mem(v, uuid, VICTIM_MEM);
	if (ret) {
		guest_close(v);
		vgpu_remove(uuid);
		v->uuid[0] = 0;
	}
	return ret;
}

/* Pattern in all victim memory, a surface at the start of both ranges. */
static int victim_setup(FIXTURE_DATA(hostile) *self)
{
	struct guest *v = &self->v;
	uint32_t *m = (uint32_t *)v->mem, i;
	int ret = guest_start(v);

	if (ret)
		return ret;
	for (i = 0; i < v->size / 4; i++)
		m[i] = vpat(i);
	if (!guest_map_ap(v, VSURF, &self->vsurf_ga[0]) ||
	    !guest_map(v, VSURF, &self->vsurf_ga[1]))
		return -ENOMEM;
	for (i = 0; i < 2; i++)
		self->vpte[i] = guest_get_pte(v, self->vsurf_ga[i]);
	self->vskip = v->mem_used;
	self->vsnap = malloc(v->size);
	if (!self->vsnap)
		return -ENOMEM;
	memcpy(self->vsnap, v->mem, v->size);
	return 0;
}

/* The attacker after open or reset: engines started, a mark page. */
static int attacker_setup(FIXTURE_DATA(hostile) *self)
{
	int ret = guest_start(&self->a);

	self->amark = guest_map(&self->a, PAGE, &self->amark_ga);
	if (!self->amark)
		return ret ?: -ENOMEM;
	memset(self->amark, 0, PAGE);
	self->rejects = 0;
	return ret;
}

FIXTURE_SETUP(hostile)
{
	int ret;

	self->next_id = 0x100;
	ret = guest_create(&self->a, "mvgpu-V1_8");
	if (!ret) {
		self->made = 1;
		ret = victim_create(&self->v);
	}
	if (!ret) {
		self->made = 2;
		ret = attacker_setup(self);
	}
	ret = ret ?: victim_setup(self);
	if (ret) {
		if (self->made > 1)
			guest_destroy(&self->v);
		if (self->made > 0)
			guest_destroy(&self->a);
		self->made = 0;
	}
	ASSERT_EQ(0, ret);
	ASSERT_FALSE(guest_in_range(&self->a, self->v.ap_base));
}

static void victim_stop(struct __test_metadata *_metadata,
			FIXTURE_DATA(hostile) *self)
{
	struct victim_job *j = &self->job;

	if (!j->running)
		return;
	j->stop = 1;
	pthread_join(j->t, NULL);
	j->running = 0;
	EXPECT_EQ(0, j->ret) TH_LOG("victim, round %d: %s", j->rounds, j->why);
	EXPECT_LT(0, j->rounds);
	TH_LOG("victim ran %d fills meanwhile", j->rounds);
}

static int set_hang_ms(long ms);
static int set_bcs_watchdog(long ms);

FIXTURE_TEARDOWN(hostile)
{
	victim_stop(_metadata, self);
	if (self->hang_ms_was)
		EXPECT_EQ(0, set_hang_ms(self->hang_ms_was));
	if (self->bcs_watchdog_was)
		EXPECT_EQ(0, set_bcs_watchdog(self->bcs_watchdog_was));
	if (self->slice_us_was)
		EXPECT_EQ(0, sysfs_write_long(SLICE_US_ATTR, self->slice_us_was));
	free(self->vsnap);
	if (self->made > 1)
		EXPECT_EQ(0, guest_destroy(&self->v));
	if (self->made > 0)
		EXPECT_EQ(0, guest_destroy(&self->a));
}

static void victim_start(struct __test_metadata *_metadata,
			 FIXTURE_DATA(hostile) *self)
{
	uint64_t end = guest_now_ms() + GUEST_TIMEOUT_MS;
	struct victim_job *j = &self->job;

	memset(j, 0, sizeof(*j));
	j->g = &self->v;
	ASSERT_EQ(0, pthread_create(&j->t, NULL, victim_loop, j));
	j->running = 1;
	/* Its first fill is done: from here on, its work overlaps ours. */
	while (!((volatile struct victim_job *)j)->rounds && !j->ret &&
	       guest_now_ms() < end)
		usleep(1000);
	ASSERT_LT(0, ((volatile struct victim_job *)j)->rounds)
		TH_LOG("victim: %s", j->why);
}

/*
 * Every byte of the victim's guest memory is as set up, but what its own
 * work allocated since; its GGTT entries read as before and nothing was
 * counted against it.
 */
static void victim_intact(struct __test_metadata *_metadata,
			  FIXTURE_DATA(hostile) *self)
{
	struct guest *v = &self->v;
	long off = guest_mem_diff_range(v, self->vsnap, self->vskip, v->mem_used);
	int i;

	ASSERT_EQ(-1, off) TH_LOG("victim guest memory changed at gpa 0x%llx: 0x%02x, was 0x%02x",
				  (unsigned long long)(v->iova + off),
				  v->mem[off], self->vsnap[off]);
	for (i = 0; i < 2; i++)
		EXPECT_EQ(self->vpte[i], guest_get_pte(v, self->vsurf_ga[i]));
	EXPECT_EQ(0, vgpu_attr(v->uuid, "bad_mmio"));
	EXPECT_EQ(0, vgpu_attr(v->uuid, "bad_ggtt"));
	EXPECT_EQ(0, vgpu_attr(v->uuid, "bad_aperture"));
	EXPECT_EQ(0, vgpu_attr(v->uuid, "bad_ppgtt"));
	EXPECT_EQ(0, vgpu_attr(v->uuid, "rejected"));
	EXPECT_EQ(0, vgpu_attr(v->uuid, "errors"));
	EXPECT_EQ(0, vgpu_attr(v->uuid, "failsafe"));
	EXPECT_EQ(0, guest_eng_rd(v, RCS, MVGPU_RING_ERR_STATUS));
	EXPECT_EQ(0, guest_eng_rd(v, BCS, MVGPU_RING_ERR_STATUS));
}

/* The victim is intact and still runs work. */
static void victim_ok(struct __test_metadata *_metadata,
		      FIXTURE_DATA(hostile) *self)
{
	char why[160] = "";

	victim_stop(_metadata, self);
	victim_intact(_metadata, self);
	EXPECT_EQ(0, guest_fill_check(&self->v, 0x7777, 0xff10c7ed, why,
				      sizeof(why))) TH_LOG("victim: %s", why);
}

/* The attacker, reset by the user, is set up again and runs work. */
static void attacker_recovers(struct __test_metadata *_metadata,
			      FIXTURE_DATA(hostile) *self)
{
	struct guest *a = &self->a;

	ASSERT_EQ(0, mvgpu_vfio_reset(a->v));
	EXPECT_EQ(0, vgpu_attr(a->uuid, "pinned_pages"));
	EXPECT_EQ(0, vgpu_attr(a->uuid, "shadow_pages"));
	EXPECT_EQ(0, vgpu_attr(a->uuid, "failsafe"));
	a->ap_used = a->hi_used = 0;	/* the GGTT is empty */
	ASSERT_EQ(0, attacker_setup(self));
	guest_fill_ok(_metadata, a, 0x6001, 0xff00aa00);
	guest_store_ok(_metadata, a, RCS, 0x6002, 0x600d600d);
}

/* How the attacker's workload must be refused. */
struct refusal {
	uint32_t code;		/* enum mvgpu_err */
	uint32_t space;		/* enum mvgpu_cmd_space of the command */
	uint64_t cmd_addr;	/* its ring offset or graphics address */
	uint32_t header;	/* its header dword (0: not read) */
	uint64_t fault;		/* ERR_FAULT_ADDR */
};

/*
 * The attacker submits @ring on @engine (LEGACY_32B).  The vGPU must
 * refuse it as @r says, before any of it runs: an ERROR event (not
 * COMPLETE) for the context, the capture, the image's error code, the
 * rejected count one up, the completed count unchanged, and the mark
 * page as it was.  The error is then released.
 */
static void attack_refused(struct __test_metadata *_metadata,
			   FIXTURE_DATA(hostile) *self, unsigned int engine,
			   const struct cs *ring, const struct refusal *r)
{
	struct guest *a = &self->a;
	long rejected = vgpu_attr(a->uuid, "rejected");
	long completed = vgpu_attr(a->uuid, "completed");
	struct guest_ev ev[GUEST_MAX_EV];
	const struct guest_ev *end;
	uint32_t mark[PAGE / 4];
	struct guest_err e;
	struct guest_ctx c;
	int n;

	ASSERT_GT(FAILSAFE_AT - 1, self->rejects);
	memcpy(mark, self->amark, PAGE);
	ASSERT_EQ(0, guest_ctx_create(a, &c, RING, self->next_id++));
	guest_emit_cs(&c, ring);
	n = guest_run(a, engine, &c, NULL, ev, GUEST_MAX_EV);
	self->rejects++;
	ASSERT_LT(0, n) TH_LOG("wait: %d", n);
	end = guest_end_ev(ev, n);
	ASSERT_TRUE(end != NULL);
	guest_read_err(a, engine, &e);
	TH_LOG("ring[0] 0x%08x: CSB 0x%x, ERR_STATUS 0x%x cmd 0x%llx header 0x%08x fault 0x%llx",
	       ring->dw[0], end->status, e.status,
	       (unsigned long long)e.cmd_addr, e.header,
	       (unsigned long long)e.fault_addr);
	EXPECT_EQ(MVGPU_CSB_ERROR | MVGPU_CSB_ACTIVE_TO_IDLE,
		  end->status & GUEST_CSB_END);
	EXPECT_EQ(c.id, end->ctx_id);
	EXPECT_TRUE(e.status & MVGPU_ERR_STATUS_VALID);
	EXPECT_EQ(r->code, GUEST_ERR_CODE(e.status));
	EXPECT_EQ(r->space, GUEST_ERR_SPACE(e.status));
	EXPECT_EQ(c.id, e.ctx_id);
	EXPECT_EQ(r->cmd_addr, e.cmd_addr);
	EXPECT_EQ(r->header, e.header);
	EXPECT_EQ(r->fault, e.fault_addr);
	EXPECT_EQ(r->code, c.img[MVGPU_CTX_ERROR]);
	__sync_synchronize();
	EXPECT_EQ(0, memcmp(mark, self->amark, PAGE))
		TH_LOG("a refused workload wrote to the mark page");
	EXPECT_EQ(rejected + 1, vgpu_attr(a->uuid, "rejected"));
	EXPECT_EQ(completed, vgpu_attr(a->uuid, "completed"));
	EXPECT_EQ(0, guest_clear_err(a, engine));
	EXPECT_EQ(0, guest_ack_iir(a, 0xffffffff));
}

/* Write GGTT entry @pte of graphics address @ga as it is (no valid bit added). */
static int set_pte_raw(struct guest *g, uint64_t ga, uint64_t pte)
{
	return mvgpu_vfio_bar_write64(g->v, GUEST_BAR0, MVGPU_GGTT_OFFSET +
				      (ga >> MVGPU_GTT_PAGE_SHIFT) * 8, pte);
}

/* ---- Regions ---- */

/* pread()/pwrite() at region @index, offset @off: bytes or -errno. */
static long region_rw(struct guest *g, int write, unsigned int index,
		      uint64_t off, void *buf, size_t len)
{
	int fd = mvgpu_vfio_device_fd(g->v);
	off_t pos = (off_t)(((uint64_t)index << 40) + off);
	ssize_t n = write ? pwrite(fd, buf, len, pos) : pread(fd, buf, len, pos);

	return n < 0 ? -errno : n;
}

/*
 * What an access of @len bytes at @off of region @index must return
 * (mdev/vfio.c, gvt/mmio.c, gvt/aperture.c, gvt/cfg_space.c): @len, or
 * -EINVAL for a region that does not exist or is empty, an access that
 * is not entirely inside it, or a size and alignment it does not take.
 */
static long region_want(unsigned int index, uint64_t off, size_t len)
{
	int io = len == 1 || len == 2 || len == 4 || len == 8;
	uint64_t size;

	switch (index) {
	case CFG:
		return len && off < 256 && len <= 256 - off ? (long)len : -EINVAL;
	case GUEST_BAR0:
		size = MVGPU_BAR0_SIZE;
		break;
	case GUEST_BAR2:
		size = MVGPU_BAR2_SIZE;
		break;
	default:
		return -EINVAL;
	}
	if (!io || (off & (len - 1)) || off >= size || len > size - off)
		return -EINVAL;
	/* The GGTT window takes whole entries or halves of them. */
	if (index == GUEST_BAR0 && off >= MVGPU_GGTT_OFFSET && len < 4)
		return -EINVAL;
	return len;
}

/* Registers the region test sets and reads back, BAR0 offsets. */
static const uint32_t state_regs[] = {
	MVGPU_GT_ISR(0), MVGPU_GT_IMR(0), MVGPU_GT_IIR(0), MVGPU_GT_IER(0),
	MVGPU_MASTER_IRQ, MVGPU_DSPSTRIDE, MVGPU_PIPESRC, MVGPU_DSPCNTR,
	MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_APERTURE_BASE_REG,
	MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_DISPLAY_READY_REG,
	MVGPU_RCS_BASE + MVGPU_RING_MODE, MVGPU_BCS_BASE + MVGPU_RING_MODE,
	MVGPU_RCS_BASE + MVGPU_RING_CSB_PTR, MVGPU_BCS_BASE + MVGPU_RING_CSB_PTR,
};

/* What the attacker can see of its device, to show that nothing changed. */
struct dev_state {
	uint8_t cfg[256];
	uint32_t reg[ARRAY_LEN(state_regs)];
	uint64_t pte[2];	/* its two aperture pages */
	uint32_t ap[2];		/* a dword of each through BAR2 */
	long bad_mmio, bad_ggtt, bad_aperture;
};

static void state_read(struct guest *g, const uint64_t ga[2],
		       struct dev_state *s)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	if (mvgpu_vfio_read(g->v, CFG, 0, s->cfg, sizeof(s->cfg)))
		memset(s->cfg, 0xee, sizeof(s->cfg));
	for (i = 0; i < ARRAY_LEN(state_regs); i++)
		s->reg[i] = guest_rd(g, state_regs[i]);
	for (i = 0; i < 2; i++) {
		s->pte[i] = guest_get_pte(g, ga[i]);
		s->ap[i] = guest_ap_rd(g, ga[i] + 8 * i);
	}
	s->bad_mmio = vgpu_attr(g->uuid, "bad_mmio");
	s->bad_ggtt = vgpu_attr(g->uuid, "bad_ggtt");
	s->bad_aperture = vgpu_attr(g->uuid, "bad_aperture");
}

static void expect_same_state(struct __test_metadata *_metadata,
			      const struct dev_state *want,
			      const struct dev_state *now, const char *when)
{
	unsigned int i;

	for (i = 0; i < sizeof(want->cfg); i++)
		EXPECT_EQ(want->cfg[i], now->cfg[i])
			TH_LOG("%s: config byte 0x%x", when, i);
	for (i = 0; i < ARRAY_LEN(state_regs); i++)
		EXPECT_EQ(want->reg[i], now->reg[i])
			TH_LOG("%s: register 0x%x", when, state_regs[i]);
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(want->pte[i], now->pte[i]) TH_LOG("%s: PTE %u", when, i);
		EXPECT_EQ(want->ap[i], now->ap[i]) TH_LOG("%s: aperture %u", when, i);
	}
}

/*
 * Does a write at @off of region @index reach state of the attacker's
 * own (a register it set, its own GGTT entry or aperture slice)?  Such
 * writes are left out where they would succeed, so that the state must
 * stay as it is; sub-dword writes to registers stay in: they are refused.
 */
static int reaches_own_state(struct guest *g, unsigned int index,
			     uint64_t off, size_t len)
{
	uint64_t e, last;
	unsigned int i;

	if (index == GUEST_BAR2)
		return guest_in_range(g, off) || guest_in_range(g, off + len - 1);
	if (index != GUEST_BAR0)
		return 0;
	if (off < MVGPU_GGTT_OFFSET) {
		if (len < 4)
			return 0;
		for (i = 0; i < ARRAY_LEN(state_regs); i++)
			if (off < state_regs[i] + 4ULL && state_regs[i] < off + len)
				return 1;
		return 0;
	}
	last = (off + len - 1 - MVGPU_GGTT_OFFSET) / 8;
	for (e = (off - MVGPU_GGTT_OFFSET) / 8; e <= last; e++)
		if (guest_in_range(g, e << MVGPU_GTT_PAGE_SHIFT))
			return 1;
	return 0;
}

/* The offsets tried in a region of @size bytes (0: a nominal 4 KiB). */
static int region_offsets(struct guest *g, unsigned int index, uint64_t size,
			  uint64_t *off)
{
	static const uint64_t near[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const int64_t end[] = { -16, -8, -7, -6, -5, -4, -3, -2, -1,
				       0, 1, 4, 4096 };
	uint64_t s = size ? size : PAGE, own_pte;
	unsigned int i;
	int n = 0;

	for (i = 0; i < ARRAY_LEN(near); i++)
		off[n++] = near[i];
	for (i = 0; i < ARRAY_LEN(end); i++)
		off[n++] = s + end[i];
	off[n++] = (1ULL << 40) - 8;
	off[n++] = (1ULL << 40) - 1;
	if (index == GUEST_BAR0) {
		own_pte = MVGPU_GGTT_OFFSET + (g->ap_base >> MVGPU_GTT_PAGE_SHIFT) * 8;
		for (i = 0; i < 8; i++) {
			off[n++] = MVGPU_GT_IER(0) - 3 + i;	/* IIR .. IER */
			off[n++] = own_pte + i;
		}
		off[n++] = MVGPU_MMIO_SIZE - 4;
		off[n++] = MVGPU_MMIO_SIZE;
		off[n++] = MVGPU_GGTT_OFFSET - 4;
		off[n++] = MVGPU_GGTT_OFFSET - 2;
		off[n++] = MVGPU_GGTT_OFFSET;
		off[n++] = MVGPU_GGTT_OFFSET + 2;
	}
	if (index == GUEST_BAR2)
		for (i = 0; i < 8; i++)
			off[n++] = g->ap_base + i;
	return n;
}

static const unsigned int test_regions[] = {
	VFIO_PCI_BAR0_REGION_INDEX, VFIO_PCI_BAR1_REGION_INDEX,
	VFIO_PCI_BAR2_REGION_INDEX, VFIO_PCI_BAR3_REGION_INDEX,
	VFIO_PCI_BAR4_REGION_INDEX, VFIO_PCI_BAR5_REGION_INDEX,
	VFIO_PCI_ROM_REGION_INDEX, VFIO_PCI_CONFIG_REGION_INDEX,
	VFIO_PCI_VGA_REGION_INDEX, MVGPU_VFIO_DISPLAY_REGION_INDEX + 1, 0x100, 0x7fffff,
};

static const size_t test_sizes[] = { 0, 1, 2, 3, 4, 5, 7, 8, 16, 256, 257, 4096 };

/*
 * Every (region, offset, size) access, read and written: those the
 * model refuses if @refused, else those it allows.  Returns how many were
 * tried; mismatches are reported.
 */
static int region_sweep(struct __test_metadata *_metadata, struct guest *g,
			const struct dev_state *st, int refused)
{
	static uint8_t buf[8192];
	uint64_t off[64];
	unsigned int r, i, k;
	int n, tried = 0, w;

	for (r = 0; r < ARRAY_LEN(test_regions); r++) {
		unsigned int index = test_regions[r];
		struct vfio_region_info info = { .argsz = sizeof(info) };
		uint64_t size = 0;

		if (index < VFIO_PCI_NUM_REGIONS &&
		    !mvgpu_vfio_region_info(g->v, index, &info))
			size = info.size;
		n = region_offsets(g, index, size, off);
		for (i = 0; i < (unsigned int)n; i++) {
			for (k = 0; k < ARRAY_LEN(test_sizes); k++) {
				size_t len = test_sizes[k];
				long want = region_want(index, off[i], len);

				if ((want < 0) != !!refused)
					continue;
				for (w = 0; w < 2; w++) {
					long got;

					if (w && want > 0 &&
					    reaches_own_state(g, index, off[i], len))
						continue;
					memset(buf, 0xa5, sizeof(buf));
					if (w && index == CFG && want > 0)
						memcpy(buf, st->cfg + off[i], len);
					got = region_rw(g, w, index, off[i], buf, len);
					tried++;
					EXPECT_EQ(want, got)
						TH_LOG("%s region %u offset 0x%llx size %zu",
						       w ? "write" : "read", index,
						       (unsigned long long)off[i], len);
					if (!w && index == CFG && got > 0)
						EXPECT_EQ(0, memcmp(buf, st->cfg + off[i], len));
				}
			}
		}
	}
	return tried;
}

/*
 * Negative file offsets and offsets whose end wraps: EINVAL; buffers the
 * kernel cannot read or write: EFAULT.
 */
static void odd_offsets_and_buffers(struct __test_metadata *_metadata,
				    struct guest *a, uint64_t own_ga)
{
	const int64_t neg[] = { -1, -4, -(1LL << 40), INT64_MIN, INT64_MIN + 4 };
	int fd = mvgpu_vfio_device_fd(a->v);
	unsigned int k;
	uint32_t v = 0;
	uint8_t *pp;

	for (k = 0; k < ARRAY_LEN(neg); k++) {
		EXPECT_EQ(-1, pread(fd, &v, 4, neg[k]));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(-1, pwrite(fd, &v, 4, neg[k]));
		EXPECT_EQ(EINVAL, errno);
	}
	EXPECT_EQ(-1, pread(fd, &v, 4, INT64_MAX - 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pwrite(fd, &v, 4, INT64_MAX - 1));
	EXPECT_EQ(EINVAL, errno);

	pp = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, pp);
	EXPECT_EQ(-EFAULT, region_rw(a, 0, GUEST_BAR0, MVGPU_PVINFO_OFFSET, pp, 8));
	EXPECT_EQ(-EFAULT, region_rw(a, 1, GUEST_BAR0, MVGPU_DSPSTRIDE, pp, 4));
	EXPECT_EQ(-EFAULT, region_rw(a, 0, CFG, 0, pp, 64));
	EXPECT_EQ(-EFAULT, region_rw(a, 1, CFG, 4, pp, 2));
	EXPECT_EQ(-EFAULT, region_rw(a, 1, GUEST_BAR2, own_ga, pp, 4));
	EXPECT_EQ(0, munmap(pp, PAGE));
}

TEST_F(hostile, region_accesses_out_of_bounds_or_misshapen_fail_and_change_nothing)
{
	struct guest *a = &self->a;
	struct dev_state st0, st;
	uint64_t ga[2];
	uint32_t *p;
	int n, i;

	p = guest_map_ap(a, 2 * PAGE, &ga[0]);
	ASSERT_TRUE(p != NULL);
	ga[1] = ga[0] + PAGE;
	for (i = 0; i < 2048; i++)
		p[i] = 0xa9000000 | i;
	ASSERT_EQ(0, guest_wr(a, MVGPU_DSPSTRIDE, 0x1240));
	ASSERT_EQ(0, guest_wr(a, MVGPU_PIPESRC, 0x03ff02ff));
	ASSERT_EQ(0, guest_wr(a, MVGPU_PVINFO_OFFSET +
			      MVGPU_PVINFO_DISPLAY_READY_REG, 1));
	state_read(a, ga, &st0);
	ASSERT_EQ(0xa9000000, st0.ap[0]);
	ASSERT_EQ(0xa9000000 | 1026, st0.ap[1]);
	victim_start(_metadata, self);

	/* Refused accesses touch nothing, not even a counter. */
	n = region_sweep(_metadata, a, &st0, 1);
	TH_LOG("%d refused accesses", n);
	state_read(a, ga, &st);
	expect_same_state(_metadata, &st0, &st, "after refused accesses");
	EXPECT_EQ(st0.bad_mmio, st.bad_mmio);
	EXPECT_EQ(st0.bad_ggtt, st.bad_ggtt);
	EXPECT_EQ(st0.bad_aperture, st.bad_aperture);

	/*
	 * Accepted ones at holes, foreign GGTT entries and foreign aperture
	 * are dropped and counted; sub-dword writes to registers refused.
	 */
	n = region_sweep(_metadata, a, &st0, 0);
	TH_LOG("%d accepted accesses", n);
	state_read(a, ga, &st);
	expect_same_state(_metadata, &st0, &st, "after accepted accesses");
	EXPECT_LT(st0.bad_mmio, st.bad_mmio);
	EXPECT_LT(st0.bad_ggtt, st.bad_ggtt);
	EXPECT_LT(st0.bad_aperture, st.bad_aperture);

	odd_offsets_and_buffers(_metadata, a, ga[0]);
	state_read(a, ga, &st);
	expect_same_state(_metadata, &st0, &st, "after EFAULT");
	EXPECT_EQ(0xa9000000, p[0]);
	EXPECT_EQ(0x1240, guest_rd(a, MVGPU_DSPSTRIDE));

	victim_ok(_metadata, self);
	guest_fill_ok(_metadata, a, 1, 0xff3366cc);
}

TEST_F(hostile, mmap_outside_bar2_is_refused_and_a_split_mapping_follows_the_ggtt)
{
	static const unsigned int bad_index[] = {
		VFIO_PCI_BAR0_REGION_INDEX, VFIO_PCI_BAR1_REGION_INDEX,
		VFIO_PCI_BAR5_REGION_INDEX, VFIO_PCI_ROM_REGION_INDEX,
		VFIO_PCI_CONFIG_REGION_INDEX, VFIO_PCI_VGA_REGION_INDEX,
		MVGPU_VFIO_DISPLAY_REGION_INDEX + 1, 0x7fffff,
	};
	struct guest *a = &self->a;
	int fd = mvgpu_vfio_device_fd(a->v);
	off_t bar2 = (off_t)GUEST_BAR2 << 40;
	volatile uint32_t *m;
	uint32_t *p, *q;
	uint64_t ga = 0, gq = 0;
	unsigned int i;
	void *r;

	for (i = 0; i < ARRAY_LEN(bad_index); i++) {
		r = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd,
			 (off_t)bad_index[i] << 40);
		EXPECT_EQ(MAP_FAILED, r) TH_LOG("region %u", bad_index[i]);
		EXPECT_EQ(EINVAL, errno) TH_LOG("region %u", bad_index[i]);
	}
	r = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, bar2 + MVGPU_BAR2_SIZE);
	EXPECT_EQ(MAP_FAILED, r);
	EXPECT_EQ(EINVAL, errno);
	r = mmap(NULL, MVGPU_BAR2_SIZE + PAGE, PROT_READ, MAP_SHARED, fd, bar2);
	EXPECT_EQ(MAP_FAILED, r);
	EXPECT_EQ(EINVAL, errno);

	/* Two aperture pages of its own, mapped; the first unmapped again. */
	p = guest_map_ap(a, 2 * PAGE, &ga);
	q = guest_alloc_pages(a, 1, &gq);
	ASSERT_TRUE(p && q);
	for (i = 0; i < 2048; i++)
		p[i] = 0xb0000000 | i;
	for (i = 0; i < 1024; i++)
		q[i] = 0xc0000000 | i;
	ASSERT_EQ(0, mvgpu_vfio_mmap_region(a->v, GUEST_BAR2, ga, 2 * PAGE,
					    PROT_READ | PROT_WRITE, (void **)&m));
	EXPECT_EQ(0xb0000000 | 1024, m[1024]);
	/* It may not grow, in place or moved. */
	r = mremap((void *)m, 2 * PAGE, 4 * PAGE, 0);
	EXPECT_EQ(MAP_FAILED, r);
	EXPECT_EQ(EFAULT, errno);
	r = mremap((void *)m, 2 * PAGE, 4 * PAGE, MREMAP_MAYMOVE);
	EXPECT_EQ(MAP_FAILED, r);
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, munmap((void *)m, PAGE));
	m += 1024;
	EXPECT_EQ(0xb0000000 | 1025, m[1]);
	/* Its page now shows another guest page: the rest of the split mapping follows. */
	ASSERT_EQ(0, guest_set_pte(a, ga + PAGE, gq));
	EXPECT_EQ(0xc0000001, m[1]);
	m[2] = 0x600d0002;
	EXPECT_EQ(0x600d0002, q[2]);
	EXPECT_EQ(0xb0000000 | 1026, p[1026]);
	/* And no guest page at all: the scratch page, never the old one. */
	ASSERT_EQ(0, set_pte_raw(a, ga + PAGE, 0));
	m[3] = 0xbadbad;
	EXPECT_EQ(0xc0000003, q[3]);
	EXPECT_EQ(0xb0000000 | 1027, p[1027]);
	EXPECT_EQ(0, munmap((void *)m, PAGE));
	victim_ok(_metadata, self);
}

/* ---- ioctls ---- */

/*
 * Two pages: the first read-write, the second @second_prot.  Structures
 * placed at the end of the first run into the second.
 */
static uint8_t *page_pair(int second_prot)
{
	uint8_t *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0, 2 * PAGE);
	if (mprotect(p + PAGE, PAGE, second_prot)) {
		munmap(p, 2 * PAGE);
		return NULL;
	}
	return p;
}

/* A read-only page holding @len bytes of @src: ioctls cannot answer there. */
static void *ro_copy(const void *src, size_t len)
{
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memcpy(p, src, len);
	if (mprotect(p, PAGE, PROT_READ)) {
		munmap(p, PAGE);
		return NULL;
	}
	return p;
}

static int dev_ioctl(struct guest *g, unsigned long cmd, void *arg)
{
	return ioctl(mvgpu_vfio_device_fd(g->v), cmd, arg) ? -errno : 0;
}

/*
 * @cmd with its argument (@len bytes of @arg) where the kernel can read
 * only 8 bytes of it (the end of @pair's first page), or can read but not
 * write it: EFAULT both times.
 */
static void expect_efault(struct __test_metadata *_metadata, struct guest *g,
			  unsigned long cmd, const void *arg, size_t len,
			  uint8_t *pair)
{
	void *ro;

	memcpy(pair + PAGE - 8, arg, 8);
	EXPECT_EQ(-EFAULT, dev_ioctl(g, cmd, pair + PAGE - 8)) TH_LOG("ioctl 0x%lx", cmd);
	ro = ro_copy(arg, len);
	ASSERT_TRUE(ro != NULL);
	EXPECT_EQ(-EFAULT, dev_ioctl(g, cmd, ro)) TH_LOG("ioctl 0x%lx", cmd);
	munmap(ro, PAGE);
}

TEST_F(hostile, info_ioctls_refuse_short_argsz_bad_indices_and_bad_pointers)
{
	struct guest *a = &self->a;
	const uint32_t info_min = offsetof(struct vfio_device_info, cap_offset);
	const uint32_t region_min = offsetof(struct vfio_region_info, offset) + 8;
	const uint32_t irq_min = sizeof(struct vfio_irq_info);
	struct { struct vfio_device_info i; uint8_t tail[64]; } di;
	struct { struct vfio_region_info i; uint8_t tail[64]; } ri;
	struct vfio_irq_info ii;
	static const uint32_t bad_region[] = {
		MVGPU_VFIO_DISPLAY_REGION_INDEX + 1, 0x100, 0x7fffffff, 0x80000000, 0xffffffff,
	};
	static const uint32_t bad_irq[] = { VFIO_PCI_NUM_IRQS, 0x100, 0xffffffff };
	uint8_t *pair = page_pair(PROT_NONE);
	unsigned int i, k;

	ASSERT_TRUE(pair != NULL);
	victim_start(_metadata, self);

	/* GET_INFO: short argsz refused; beyond minsz nothing is written. */
	for (k = 0; k < info_min; k++) {
		memset(&di, 0, sizeof(di));
		di.i.argsz = k;
		EXPECT_EQ(-EINVAL, dev_ioctl(a, VFIO_DEVICE_GET_INFO, &di))
			TH_LOG("argsz %u", k);
	}
	memset(&di, 0xa5, sizeof(di));
	di.i.argsz = sizeof(di);
	ASSERT_EQ(0, dev_ioctl(a, VFIO_DEVICE_GET_INFO, &di));
	EXPECT_EQ(sizeof(di), di.i.argsz);
	EXPECT_EQ(VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET, di.i.flags);
	EXPECT_EQ(MVGPU_VFIO_DISPLAY_REGION_INDEX + 1, di.i.num_regions);
	EXPECT_EQ(VFIO_PCI_NUM_IRQS, di.i.num_irqs);
	for (k = info_min; k < sizeof(di); k++)
		EXPECT_EQ(0xa5, ((uint8_t *)&di)[k]) TH_LOG("byte %u written", k);
	di.i.argsz = info_min;
	EXPECT_EQ(0, dev_ioctl(a, VFIO_DEVICE_GET_INFO, &di));
	expect_efault(_metadata, a, VFIO_DEVICE_GET_INFO, &di, info_min, pair);

	/* GET_REGION_INFO: every index, exact argsz; no capability chain. */
	for (i = 0; i < VFIO_PCI_NUM_REGIONS; i++) {
		memset(&ri, 0xa5, sizeof(ri));
		ri.i.argsz = region_min;
		ri.i.index = i;
		ASSERT_EQ(0, dev_ioctl(a, VFIO_DEVICE_GET_REGION_INFO, &ri));
		EXPECT_EQ(region_min, ri.i.argsz);
		EXPECT_EQ(i, ri.i.index);
		EXPECT_EQ(0, ri.i.flags & VFIO_REGION_INFO_FLAG_CAPS);
		EXPECT_EQ(0, ri.i.cap_offset);
		EXPECT_EQ((uint64_t)i << 40, ri.i.offset);
		for (k = 0; k < sizeof(ri.tail); k++)
			EXPECT_EQ(0xa5, ri.tail[k]) TH_LOG("region %u tail byte %u", i, k);
		for (k = 0; k < region_min; k++) {
			ri.i.argsz = k;
			EXPECT_EQ(-EINVAL, dev_ioctl(a, VFIO_DEVICE_GET_REGION_INFO, &ri));
		}
	}
	for (i = 0; i < ARRAY_LEN(bad_region); i++) {
		memset(&ri, 0, sizeof(ri));
		ri.i.argsz = sizeof(ri);
		ri.i.index = bad_region[i];
		EXPECT_EQ(-EINVAL, dev_ioctl(a, VFIO_DEVICE_GET_REGION_INFO, &ri))
			TH_LOG("index 0x%x", bad_region[i]);
	}
	memset(&ri, 0, sizeof(ri));
	ri.i.argsz = region_min;
	ri.i.index = GUEST_BAR2;
	expect_efault(_metadata, a, VFIO_DEVICE_GET_REGION_INFO, &ri, region_min, pair);

	/* GET_IRQ_INFO */
	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++) {
		memset(&ii, 0, sizeof(ii));
		ii.argsz = irq_min;
		ii.index = i;
		EXPECT_EQ(0, dev_ioctl(a, VFIO_DEVICE_GET_IRQ_INFO, &ii));
		EXPECT_EQ(i == VFIO_PCI_MSIX_IRQ_INDEX ? 0 : 1, ii.count);
		ii.argsz = irq_min - 1;
		EXPECT_EQ(-EINVAL, dev_ioctl(a, VFIO_DEVICE_GET_IRQ_INFO, &ii));
	}
	for (i = 0; i < ARRAY_LEN(bad_irq); i++) {
		ii.argsz = irq_min;
		ii.index = bad_irq[i];
		EXPECT_EQ(-EINVAL, dev_ioctl(a, VFIO_DEVICE_GET_IRQ_INFO, &ii));
	}
	ii.argsz = irq_min;
	ii.index = 0;
	expect_efault(_metadata, a, VFIO_DEVICE_GET_IRQ_INFO, &ii, irq_min, pair);
	munmap(pair, 2 * PAGE);
	victim_ok(_metadata, self);
	guest_fill_ok(_metadata, a, 1, 0xff123456);
}

/* VFIO_DEVICE_SET_IRQS with a header and up to 16 bytes of data. */
static int set_irqs(struct guest *g, uint32_t argsz, uint32_t flags,
		    uint32_t index, uint32_t start, uint32_t count,
		    const void *data, size_t len)
{
	struct {
		struct vfio_irq_set s;
		uint8_t data[16];
	} b;

	memset(&b, 0, sizeof(b));
	b.s.argsz = argsz;
	b.s.flags = flags;
	b.s.index = index;
	b.s.start = start;
	b.s.count = count;
	memcpy(b.data, data, len);
	return dev_ioctl(g, VFIO_DEVICE_SET_IRQS, &b);
}

/* SET_IRQS of one vector 0 with @flags and one datum: eventfd @fd, or false. */
static int set_irqs_one(struct guest *g, uint32_t flags, uint32_t index, int32_t fd)
{
	uint8_t data[4] = { 0 };
	size_t len = 0;

	if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		memcpy(data, &fd, 4);
		len = 4;
	} else if (flags & VFIO_IRQ_SET_DATA_BOOL) {
		len = 1;
	}
	return set_irqs(g, sizeof(struct vfio_irq_set) + 4, flags, index, 0, 1,
			data, len);
}

/*
 * What SET_IRQS with @flags on @index (start 0, count 1, a valid datum:
 * eventfd, or false) must return, as vfio-pci answers: one data type
 * and one action, no other bits; an index that has a vector; MASK and
 * UNMASK for INTx only, MASK without an eventfd.
 */
static int set_irqs_want(uint32_t flags, uint32_t index)
{
	uint32_t data = flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	uint32_t action = flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;

	if (flags & ~(VFIO_IRQ_SET_DATA_TYPE_MASK | VFIO_IRQ_SET_ACTION_TYPE_MASK))
		return -EINVAL;
	if (__builtin_popcount(data) != 1 || __builtin_popcount(action) != 1)
		return -EINVAL;
	if (index >= VFIO_PCI_NUM_IRQS || index == VFIO_PCI_MSIX_IRQ_INDEX)
		return -EINVAL;
	if (action == VFIO_IRQ_SET_ACTION_TRIGGER)
		return 0;
	if (index != VFIO_PCI_INTX_IRQ_INDEX)
		return -EINVAL;
	if (action == VFIO_IRQ_SET_ACTION_MASK && data == VFIO_IRQ_SET_DATA_EVENTFD)
		return -EINVAL;
	return 0;
}

/* How many times @efd fired within @ms (0 if not). */
static int fired(int efd, int ms)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t n;

	if (poll(&p, 1, ms) != 1)
		return 0;
	return read(efd, &n, sizeof(n)) == sizeof(n) ? (int)n : 0;
}

/* Fire @index from user space (VFIO's loopback). */
static int loopback(struct guest *g, unsigned int index)
{
	return set_irqs(g, sizeof(struct vfio_irq_set),
			VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
			index, 0, 1, NULL, 0);
}

TEST_F(hostile, set_irqs_refuses_every_bad_flag_index_range_and_fd)
{
	const uint32_t trig_efd = VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_EVENTFD;
	const uint32_t unmask_efd = VFIO_IRQ_SET_ACTION_UNMASK | VFIO_IRQ_SET_DATA_EVENTFD;
	const uint32_t hdr = sizeof(struct vfio_irq_set);
	static const uint32_t index[] = { 0, 1, 2, 3, 4, 5, 0x100, 0xffffffff };
	static const struct { uint32_t start, count; } range[] = {
		{ 1, 1 }, { 0, 2 }, { 0xffffffff, 0 }, { 0xffffffff, 1 },
		{ 1, 0xfffffffe }, { 0, 0xffffffff }, { 2, 0x7fffffff },
		{ 0x80000000, 0x80000000 },
	};
	struct guest *a = &self->a;
	int efd = eventfd(0, EFD_NONBLOCK), sweep = eventfd(0, EFD_NONBLOCK);
	int closed = eventfd(0, 0), null = open("/dev/null", O_RDWR);
	int dir = open("/", O_RDONLY | O_DIRECTORY), ep = epoll_create1(0);
	int32_t bad_fd[8], fd;
	unsigned int i, k, n = 0;
	uint8_t *pair = page_pair(PROT_NONE);
	struct vfio_irq_set *edge;

	ASSERT_TRUE(efd >= 0 && sweep >= 0 && closed >= 0 && null >= 0 &&
		    dir >= 0 && ep >= 0 && pair);
	close(closed);
	bad_fd[0] = closed;
	bad_fd[1] = INT32_MAX;
	bad_fd[2] = null;
	bad_fd[3] = dir;
	bad_fd[4] = ep;
	bad_fd[5] = mvgpu_vfio_device_fd(a->v);
	bad_fd[6] = -2;
	bad_fd[7] = INT32_MIN;

	victim_start(_metadata, self);
	/* MSI goes to efd: no failing call below may change that. */
	ASSERT_EQ(0, mvgpu_vfio_irq_set_eventfd(a->v, VFIO_PCI_MSI_IRQ_INDEX, efd));

	/* Every combination of data type and action bits, on every index. */
	for (i = 0; i < ARRAY_LEN(index); i++) {
		for (k = 0; k < 64; k++) {
			uint32_t flags = k;
			int want = set_irqs_want(flags, index[i]);

			if (index[i] == VFIO_PCI_MSI_IRQ_INDEX && !want &&
			    (flags & VFIO_IRQ_SET_DATA_EVENTFD))
				continue;	/* would take MSI from efd */
			EXPECT_EQ(want, set_irqs_one(a, flags, index[i], sweep))
				TH_LOG("flags 0x%x index 0x%x", flags, index[i]);
			n++;
		}
	}
	for (k = 6; k < 32; k++, n++)
		EXPECT_EQ(-EINVAL, set_irqs_one(a, trig_efd | 1U << k,
						VFIO_PCI_INTX_IRQ_INDEX, sweep))
			TH_LOG("flag bit %u", k);
	TH_LOG("%u flag and index combinations", n);

	/* Vector ranges that do not exist, or wrap. */
	for (i = 0; i < ARRAY_LEN(range); i++)
		EXPECT_EQ(-EINVAL, set_irqs(a, hdr + 8, trig_efd,
					    VFIO_PCI_INTX_IRQ_INDEX, range[i].start,
					    range[i].count, &sweep, 4))
			TH_LOG("start 0x%x count 0x%x", range[i].start, range[i].count);
	EXPECT_EQ(-EINVAL, set_irqs(a, hdr, VFIO_IRQ_SET_DATA_NONE |
				    VFIO_IRQ_SET_ACTION_TRIGGER,
				    VFIO_PCI_INTX_IRQ_INDEX, 1, 0, NULL, 0));
	EXPECT_EQ(-EINVAL, set_irqs(a, hdr, VFIO_IRQ_SET_DATA_NONE |
				    VFIO_IRQ_SET_ACTION_TRIGGER,
				    VFIO_PCI_MSIX_IRQ_INDEX, 0, 0, NULL, 0));
	EXPECT_EQ(-EINVAL, set_irqs(a, hdr, trig_efd, VFIO_PCI_INTX_IRQ_INDEX,
				    0, 0, &sweep, 4));

	/* argsz: short of the header, or of the data it announces. */
	for (k = 0; k < hdr; k += 3)
		EXPECT_EQ(-EINVAL, set_irqs(a, k, trig_efd, VFIO_PCI_INTX_IRQ_INDEX,
					    0, 1, &sweep, 4)) TH_LOG("argsz %u", k);
	for (k = hdr; k < hdr + 4; k++)
		EXPECT_EQ(-EINVAL, set_irqs(a, k, trig_efd, VFIO_PCI_INTX_IRQ_INDEX,
					    0, 1, &sweep, 4)) TH_LOG("argsz %u", k);
	EXPECT_EQ(-EINVAL, set_irqs(a, hdr, VFIO_IRQ_SET_DATA_BOOL |
				    VFIO_IRQ_SET_ACTION_TRIGGER,
				    VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0));
	/* A larger argsz is fine: only the data announced is read. */
	EXPECT_EQ(0, set_irqs(a, 0xffffffff, trig_efd, VFIO_PCI_INTX_IRQ_INDEX,
			      0, 1, &sweep, 4));

	/* Header readable, its data not: EFAULT, with nothing changed. */
	edge = (struct vfio_irq_set *)(pair + PAGE - hdr);
	edge->argsz = hdr + 4;
	edge->flags = trig_efd;
	edge->index = VFIO_PCI_MSI_IRQ_INDEX;
	edge->start = 0;
	edge->count = 1;
	EXPECT_EQ(-EFAULT, dev_ioctl(a, VFIO_DEVICE_SET_IRQS, edge));
	EXPECT_EQ(-EFAULT, dev_ioctl(a, VFIO_DEVICE_SET_IRQS, pair + PAGE - 8));

	/* File descriptors that are not eventfds, or not open. */
	for (i = 0; i < ARRAY_LEN(bad_fd); i++) {
		int want = bad_fd[i] == closed || bad_fd[i] == INT32_MAX ?
			   -EBADF : -EINVAL;

		fd = bad_fd[i];
		EXPECT_EQ(want, set_irqs_one(a, trig_efd, VFIO_PCI_MSI_IRQ_INDEX, fd))
			TH_LOG("trigger fd %d", fd);
		EXPECT_EQ(want, set_irqs_one(a, unmask_efd, VFIO_PCI_INTX_IRQ_INDEX, fd))
			TH_LOG("unmask fd %d", fd);
	}

	/* MSI still goes to efd, and nowhere else. */
	fired(sweep, 0);
	fired(efd, 0);
	ASSERT_EQ(0, loopback(a, VFIO_PCI_MSI_IRQ_INDEX));
	EXPECT_EQ(1, fired(efd, 1000));
	EXPECT_EQ(0, fired(sweep, 0));
	/* Disabling with -1 works, and so does INTx afterwards. */
	EXPECT_EQ(0, set_irqs_one(a, trig_efd, VFIO_PCI_MSI_IRQ_INDEX, -1));
	ASSERT_EQ(0, loopback(a, VFIO_PCI_MSI_IRQ_INDEX));
	EXPECT_EQ(0, fired(efd, 100));
	EXPECT_EQ(0, set_irqs_one(a, unmask_efd, VFIO_PCI_INTX_IRQ_INDEX, -1));
	EXPECT_EQ(0, mvgpu_vfio_irq_unmask(a->v, VFIO_PCI_INTX_IRQ_INDEX));
	EXPECT_EQ(0, mvgpu_vfio_irq_set_eventfd(a->v, VFIO_PCI_INTX_IRQ_INDEX, efd));
	ASSERT_EQ(0, loopback(a, VFIO_PCI_INTX_IRQ_INDEX));
	EXPECT_EQ(1, fired(efd, 1000));
	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++)
		if (i != VFIO_PCI_MSIX_IRQ_INDEX)
			EXPECT_EQ(0, mvgpu_vfio_irq_set_eventfd(a->v, i, -1));

	munmap(pair, 2 * PAGE);
	close(efd);
	close(sweep);
	close(null);
	close(dir);
	close(ep);
	victim_ok(_metadata, self);
	guest_fill_ok(_metadata, a, 1, 0xff654321);
}

/* Route INTx unmask to eventfd @fd, or take that away (-1). */
static int set_intx_unmask_fd(struct guest *g, int32_t fd)
{
	return set_irqs_one(g, VFIO_IRQ_SET_ACTION_UNMASK | VFIO_IRQ_SET_DATA_EVENTFD,
			    VFIO_PCI_INTX_IRQ_INDEX, fd);
}

/* A completion latches the context-switch interrupt: asserted. */
static int complete_noop(struct guest *g, uint32_t ctx_id)
{
	struct guest_ev ev[GUEST_MAX_EV];
	struct guest_ctx c;
	int ret = guest_ctx_create(g, &c, RING, ctx_id);

	if (ret)
		return ret;
	GUEST_EMIT(&c, MVGPU_MI_NOOP, MVGPU_MI_NOOP);
	return guest_run(g, BCS, &c, NULL, ev, GUEST_MAX_EV) > 0 ? 0 : -EIO;
}

/*
 * INTx with an unmask eventfd, as QEMU sets it up for a guest without
 * MSI: when the guest's handler is done (the unmask eventfd is written)
 * and the device still asserts its interrupt, INTx must fire again.
 */
TEST_F(hostile, intx_unmask_eventfd_fires_again_while_the_device_asserts)
{
	struct guest *a = &self->a;
	int trig = eventfd(0, EFD_NONBLOCK), unmask = eventfd(0, EFD_NONBLOCK);
	uint64_t one = 1;
	int round;

	ASSERT_TRUE(trig >= 0 && unmask >= 0);
	ASSERT_EQ(0, mvgpu_vfio_irq_set_eventfd(a->v, VFIO_PCI_INTX_IRQ_INDEX, trig));
	ASSERT_EQ(0, set_intx_unmask_fd(a, unmask));
	ASSERT_EQ(0, complete_noop(a, 0x10));
	ASSERT_NE(0, guest_iir(a));
	EXPECT_EQ(1, fired(trig, 1000));
	for (round = 0; round < 3; round++) {
		/* Masked (auto-masked on fire): nothing more until unmasked. */
		EXPECT_EQ(0, fired(trig, 50)) TH_LOG("round %d", round);
		ASSERT_EQ(sizeof(one), write(unmask, &one, sizeof(one)));
		EXPECT_EQ(1, fired(trig, 1000)) TH_LOG("round %d", round);
	}
	/* Acknowledged: deasserted, an unmask does not fire. */
	EXPECT_EQ(0, guest_ack_iir(a, 0xffffffff));
	ASSERT_EQ(sizeof(one), write(unmask, &one, sizeof(one)));
	EXPECT_EQ(0, fired(trig, 200));
	EXPECT_EQ(0, set_intx_unmask_fd(a, -1));
	EXPECT_EQ(0, mvgpu_vfio_irq_set_eventfd(a->v, VFIO_PCI_INTX_IRQ_INDEX, -1));
	close(trig);
	close(unmask);
}

/*
 * One eventfd to trigger INTx and to unmask it: firing INTx runs the
 * unmask at once, inside the signal (which also reads the count away, so
 * the user sees nothing).  mvgpu once signalled under the lock the unmask
 * takes, which hung the CPU here.  Now INTx fires again and again while
 * the device asserts it, as with vfio-pci, from a work item; the other
 * vGPU keeps running, and once the interrupt is acknowledged INTx is
 * quiet, unmasked, and fires normally on the next one.
 */
TEST_F(hostile, intx_trigger_and_unmask_on_one_eventfd_do_not_hang_the_host)
{
	struct guest *a = &self->a;
	int efd = eventfd(0, EFD_NONBLOCK), trig = eventfd(0, EFD_NONBLOCK);

	ASSERT_TRUE(efd >= 0 && trig >= 0);
	victim_start(_metadata, self);
	ASSERT_EQ(0, mvgpu_vfio_irq_set_eventfd(a->v, VFIO_PCI_INTX_IRQ_INDEX, efd));
	ASSERT_EQ(0, set_intx_unmask_fd(a, efd));
	ASSERT_EQ(0, complete_noop(a, 0x10));
	ASSERT_NE(0, guest_iir(a));
	usleep(200 * 1000);		/* asserted: INTx fires, unmasks, fires */
	EXPECT_EQ(0, guest_ack_iir(a, 0xffffffff));
	EXPECT_EQ(0, set_intx_unmask_fd(a, -1));
	ASSERT_EQ(0, mvgpu_vfio_irq_set_eventfd(a->v, VFIO_PCI_INTX_IRQ_INDEX, trig));
	EXPECT_EQ(0, fired(trig, 100));
	ASSERT_EQ(0, complete_noop(a, 0x10));
	EXPECT_EQ(1, fired(trig, 1000));
	EXPECT_EQ(0, guest_ack_iir(a, 0xffffffff));
	EXPECT_EQ(0, mvgpu_vfio_irq_set_eventfd(a->v, VFIO_PCI_INTX_IRQ_INDEX, -1));
	close(trig);
	close(efd);
	victim_ok(_metadata, self);
	guest_fill_ok(_metadata, a, 1, 0x5a5a1234);
}

/*
 * The command register's Interrupt Disable bit keeps INTx from being
 * asserted, whatever the device's condition; clearing it with the
 * condition still present fires INTx.  MSI does not care about it.
 */
TEST_F(hostile, intx_follows_the_command_registers_interrupt_disable)
{
	struct guest *a = &self->a;
	int trig = eventfd(0, EFD_NONBLOCK);
	uint16_t cmd = 0;

	ASSERT_LE(0, trig);
	ASSERT_EQ(0, mvgpu_vfio_cfg_read16(a->v, 0x04, &cmd));
	ASSERT_EQ(0, mvgpu_vfio_cfg_write16(a->v, 0x04, cmd | 0x400));
	ASSERT_EQ(0, mvgpu_vfio_irq_set_eventfd(a->v, VFIO_PCI_INTX_IRQ_INDEX, trig));
	ASSERT_EQ(0, complete_noop(a, 0x11));
	ASSERT_NE(0, guest_iir(a));
	EXPECT_EQ(0, fired(trig, 200));
	/* enabled again while the condition is still there: INTx fires */
	ASSERT_EQ(0, mvgpu_vfio_cfg_write16(a->v, 0x04, cmd & ~0x400));
	EXPECT_EQ(1, fired(trig, 1000));
	/* acknowledged: deasserted */
	EXPECT_EQ(0, guest_ack_iir(a, 0xffffffff));
	EXPECT_EQ(0, mvgpu_vfio_irq_set_eventfd(a->v, VFIO_PCI_INTX_IRQ_INDEX, -1));
	close(trig);
}

/*
 * The device's level is followed under MSI too: a VMM that goes back
 * from MSI to INTx (a guest driver loaded again without MSI) with an
 * interrupt pending gets INTx at once, and with nothing pending none.
 * Before, INTx acted on the level from before MSI: lost, or spurious.
 */
TEST_F(hostile, intx_after_msi_follows_the_level_msi_saw)
{
	struct guest *a = &self->a;
	int msi = eventfd(0, EFD_NONBLOCK), trig = eventfd(0, EFD_NONBLOCK);

	ASSERT_TRUE(msi >= 0 && trig >= 0);
	/* raised under MSI, still pending when INTx comes back: it fires */
	ASSERT_EQ(0, mvgpu_vfio_irq_set_eventfd(a->v, VFIO_PCI_MSI_IRQ_INDEX, msi));
	ASSERT_EQ(0, complete_noop(a, 0x12));
	ASSERT_NE(0, guest_iir(a));
	EXPECT_LE(1, fired(msi, 1000));
	ASSERT_EQ(0, mvgpu_vfio_irq_set_eventfd(a->v, VFIO_PCI_MSI_IRQ_INDEX, -1));
	ASSERT_EQ(0, mvgpu_vfio_irq_set_eventfd(a->v, VFIO_PCI_INTX_IRQ_INDEX, trig));
	EXPECT_EQ(1, fired(trig, 1000));
	/* acknowledged under MSI: back on INTx, nothing fires */
	ASSERT_EQ(0, mvgpu_vfio_irq_set_eventfd(a->v, VFIO_PCI_INTX_IRQ_INDEX, -1));
	ASSERT_EQ(0, mvgpu_vfio_irq_set_eventfd(a->v, VFIO_PCI_MSI_IRQ_INDEX, msi));
	EXPECT_EQ(0, guest_ack_iir(a, 0xffffffff));
	ASSERT_EQ(0, mvgpu_vfio_irq_set_eventfd(a->v, VFIO_PCI_MSI_IRQ_INDEX, -1));
	ASSERT_EQ(0, mvgpu_vfio_irq_set_eventfd(a->v, VFIO_PCI_INTX_IRQ_INDEX, trig));
	EXPECT_EQ(0, fired(trig, 200));
	EXPECT_EQ(0, mvgpu_vfio_irq_set_eventfd(a->v, VFIO_PCI_INTX_IRQ_INDEX, -1));
	close(trig);
	close(msi);
}

/* VFIO_DEVICE_FEATURE with @flags and @argsz, no data. */
static int feature(struct guest *g, uint32_t argsz, uint32_t flags)
{
	struct {
		struct vfio_device_feature f;
		uint8_t data[64];
	} b;

	memset(&b, 0, sizeof(b));
	b.f.argsz = argsz;
	b.f.flags = flags;
	return dev_ioctl(g, VFIO_DEVICE_FEATURE, &b);
}

TEST_F(hostile, unknown_ioctls_fail_with_enotty_and_malformed_features_with_einval)
{
	const uint32_t probe = VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_GET;
	const uint32_t fmin = sizeof(struct vfio_device_feature);
	/* not VFIO_IOMMU_UNMAP_DMA: it is VFIO_DEVICE_QUERY_GFX_PLANE's number */
	static const unsigned long enotty[] = {
		_IO(VFIO_TYPE, VFIO_BASE + 99), _IO(VFIO_TYPE, VFIO_BASE + 255),
		_IOWR(VFIO_TYPE, VFIO_BASE + 7, struct vfio_device_info),
		_IO('x', 1), _IOR('Q', 0x40, uint64_t), 0xffffffffUL,
		VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, VFIO_DEVICE_PCI_HOT_RESET,
		VFIO_DEVICE_IOEVENTFD, VFIO_GET_API_VERSION,
		VFIO_CHECK_EXTENSION, VFIO_SET_IOMMU, VFIO_IOMMU_GET_INFO,
		VFIO_IOMMU_MAP_DMA, VFIO_GROUP_GET_STATUS,
		VFIO_GROUP_GET_DEVICE_FD, VFIO_DEVICE_ATTACH_IOMMUFD_PT,
		VFIO_DEVICE_DETACH_IOMMUFD_PT,
	};
	static const uint32_t features[] = {
		VFIO_DEVICE_FEATURE_DMA_LOGGING_START,
		VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP,
		VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
		0, 100, VFIO_DEVICE_FEATURE_MASK,
	};
	/* migration (Documentation/migration.rst): GET only, or GET and SET */
	static const uint32_t get_only[] = {
		VFIO_DEVICE_FEATURE_MIGRATION, VFIO_DEVICE_FEATURE_MIG_DATA_SIZE,
	};
	struct {
		struct vfio_device_feature f;
		struct vfio_device_feature_mig_state st;
	} mig;
	struct guest *a = &self->a;
	uint8_t arg[256], *pair = page_pair(PROT_NONE);
	struct vfio_device_bind_iommufd bind = {
		.argsz = sizeof(bind), .iommufd = mvgpu_vfio_container_fd(a->v),
	};
	unsigned int i, k;

	ASSERT_TRUE(pair != NULL);
	victim_start(_metadata, self);
	for (i = 0; i < ARRAY_LEN(enotty); i++) {
		memset(arg, 0, sizeof(arg));
		*(uint32_t *)arg = sizeof(arg);
		EXPECT_EQ(-ENOTTY, dev_ioctl(a, enotty[i], arg))
			TH_LOG("ioctl 0x%lx", enotty[i]);
	}
	/*
	 * A device opened through its group may not bind to an iommufd;
	 * a kernel without the device cdev does not know the ioctl.
	 */
	EXPECT_EQ(access("/dev/vfio/devices", F_OK) ? -ENOTTY : -EINVAL,
		  dev_ioctl(a, VFIO_DEVICE_BIND_IOMMUFD, &bind));

	/* The feature ioctl: argsz, unknown flags, GET with SET. */
	for (k = 0; k < fmin; k++)
		EXPECT_EQ(-EINVAL, feature(a, k, probe | VFIO_DEVICE_FEATURE_MIGRATION));
	for (k = 16; k < 32; k++)
		if (!(VFIO_DEVICE_FEATURE_MASK & 1U << k) &&
		    (1U << k) != VFIO_DEVICE_FEATURE_GET &&
		    (1U << k) != VFIO_DEVICE_FEATURE_SET &&
		    (1U << k) != VFIO_DEVICE_FEATURE_PROBE)
			EXPECT_EQ(-EINVAL, feature(a, fmin, probe | 1U << k))
				TH_LOG("flag bit %u", k);
	EXPECT_EQ(-EINVAL, feature(a, fmin, VFIO_DEVICE_FEATURE_GET |
				   VFIO_DEVICE_FEATURE_SET |
				   VFIO_DEVICE_FEATURE_MIGRATION));
	/* No dirty logging or other device feature: ENOTTY for each. */
	for (i = 0; i < ARRAY_LEN(features); i++) {
		EXPECT_EQ(-ENOTTY, feature(a, fmin, probe | features[i]))
			TH_LOG("feature %u", features[i]);
		EXPECT_EQ(-ENOTTY, feature(a, fmin + 64, VFIO_DEVICE_FEATURE_SET |
					   features[i])) TH_LOG("feature %u", features[i]);
	}
	/* Migration: probed; SET where only GET is, or a state that is none. */
	for (i = 0; i < ARRAY_LEN(get_only); i++) {
		EXPECT_EQ(0, feature(a, fmin, probe | get_only[i]));
		EXPECT_EQ(-EINVAL, feature(a, fmin + 64, VFIO_DEVICE_FEATURE_SET |
					   get_only[i])) TH_LOG("feature %u", get_only[i]);
	}
	EXPECT_EQ(0, feature(a, fmin, probe | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE));
	for (k = VFIO_DEVICE_STATE_ERROR; k < VFIO_DEVICE_STATE_ERROR + 3; k++) {
		memset(&mig, 0, sizeof(mig));
		mig.f.argsz = sizeof(mig);
		mig.f.flags = VFIO_DEVICE_FEATURE_SET |
			      VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE;
		mig.st.device_state = k == VFIO_DEVICE_STATE_ERROR ? k : 100 * k;
		EXPECT_EQ(-EINVAL, dev_ioctl(a, VFIO_DEVICE_FEATURE, &mig))
			TH_LOG("state %u", mig.st.device_state);
	}
	memset(pair + PAGE - 4, 0, 4);
	*(uint32_t *)(pair + PAGE - 4) = fmin;
	EXPECT_EQ(-EFAULT, dev_ioctl(a, VFIO_DEVICE_FEATURE, pair + PAGE - 4));

	/* RESET takes no argument: any is ignored. */
	EXPECT_EQ(0, ioctl(mvgpu_vfio_device_fd(a->v), VFIO_DEVICE_RESET,
			   (void *)0xdeadbeefUL));
	munmap(pair, 2 * PAGE);
	victim_ok(_metadata, self);
	a->ap_used = a->hi_used = 0;
	ASSERT_EQ(0, attacker_setup(self));
	guest_fill_ok(_metadata, a, 1, 0xff0000ff);
}

/* ---- Random register writes ---- */

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* Every register of the register table (gvt/vreg_table.c), BAR0 offsets. */
static int table_registers(uint32_t *r)
{
	static const uint32_t global[] = {
		MVGPU_GDRST, MVGPU_MASTER_IRQ, MVGPU_GT_ISR(0), MVGPU_GT_IMR(0),
		MVGPU_GT_IIR(0), MVGPU_GT_IER(0), MVGPU_DE_PIPE_ISR(0),
		MVGPU_DE_PIPE_IMR(0), MVGPU_DE_PIPE_IIR(0), MVGPU_DE_PIPE_IER(0),
		MVGPU_PIPESRC, MVGPU_PIPE_FRMCOUNT, MVGPU_DSPCNTR, MVGPU_DSPSTRIDE,
		MVGPU_DSPSURF, MVGPU_DSPSURFLIVE, MVGPU_EDID_STATUS,
	};
	static const uint32_t pv[] = {
		MVGPU_PVINFO_MAGIC_REG, MVGPU_PVINFO_MAGIC_REG + 4,
		MVGPU_PVINFO_VERSION_REG, MVGPU_PVINFO_VGPU_ID_REG,
		MVGPU_PVINFO_CAPS_REG, MVGPU_PVINFO_APERTURE_BASE_REG,
		MVGPU_PVINFO_APERTURE_SIZE_REG, MVGPU_PVINFO_HIDDEN_BASE_REG,
		MVGPU_PVINFO_HIDDEN_SIZE_REG, MVGPU_PVINFO_DISPLAY_READY_REG,
		MVGPU_PVINFO_MAX_WIDTH_REG, MVGPU_PVINFO_MAX_HEIGHT_REG,
	};
	static const uint32_t engine[] = {
		MVGPU_RING_TAIL, MVGPU_RING_HEAD, MVGPU_RING_START, MVGPU_RING_CTL,
		MVGPU_RING_ACTHD_UDW, MVGPU_RING_ACTHD, MVGPU_RING_RESET_CTL,
		MVGPU_RING_ERR_STATUS, MVGPU_RING_ERR_CTX_ID,
		MVGPU_RING_ERR_CMD_ADDR_LO, MVGPU_RING_ERR_CMD_ADDR_HI,
		MVGPU_RING_ERR_CMD_HEADER, MVGPU_RING_ERR_FAULT_ADDR_LO,
		MVGPU_RING_ERR_FAULT_ADDR_HI, MVGPU_RING_ELSP,
		MVGPU_RING_EXECLIST_STATUS_LO, MVGPU_RING_EXECLIST_STATUS_HI,
		MVGPU_RING_MODE, MVGPU_RING_CSB_PTR, MVGPU_RING_EXECLIST_CONTROL,
	};
	unsigned int i, e;
	int n = 0;

	for (i = 0; i < ARRAY_LEN(global); i++)
		r[n++] = global[i];
	for (i = 0; i < ARRAY_LEN(pv); i++)
		r[n++] = MVGPU_PVINFO_OFFSET + pv[i];
	for (i = 0; i < MVGPU_EDID_SIZE; i += 4)
		r[n++] = MVGPU_EDID_BASE + i;
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		for (i = 0; i < ARRAY_LEN(engine); i++)
			r[n++] = guest_engine_base(e) + engine[i];
		for (i = 0; i < MVGPU_CSB_ENTRIES; i++) {
			r[n++] = guest_engine_base(e) + MVGPU_RING_CSB(i);
			r[n++] = guest_engine_base(e) + MVGPU_RING_CSB_CTX_ID(i);
		}
	}
	return n;
}

/* One random write somewhere in BAR0; returns the write's result. */
static int random_write(struct guest *g, uint64_t *rs, const uint32_t *reg,
			int nreg)
{
	uint64_t r = rng_next(rs), val = rng_next(rs), off, gpa;
	unsigned int kind = r % 100;
	uint8_t b[8];
	size_t len = 4;

	if (kind < 35) {			/* a register of the table */
		off = reg[(r >> 8) % nreg];
		len = (r >> 40) % 8 == 0 ? 8 : (r >> 40) % 8 == 1 ? 2 : 4;
		off &= ~(uint64_t)(len - 1);
	} else if (kind < 55) {			/* anywhere among the registers */
		off = ((r >> 8) % MVGPU_MMIO_SIZE) & ~3ULL;
	} else if (kind < 65) {			/* the hole below the GGTT */
		off = MVGPU_MMIO_SIZE + (((r >> 8) % (MVGPU_GGTT_OFFSET -
						      MVGPU_MMIO_SIZE)) & ~7ULL);
		len = 8;
	} else {				/* a GGTT entry */
		uint64_t ga = (r >> 8) % 2 ? g->ap_base + ((r >> 9) % g->ap_size) :
			      (r >> 9) % 4 ? g->hi_base + ((r >> 11) % g->hi_size) :
			      ((r >> 11) % MVGPU_GM_SIZE);

		off = MVGPU_GGTT_OFFSET + (ga >> MVGPU_GTT_PAGE_SHIFT) * 8;
		gpa = g->iova + ((val >> 20) % g->size);
		switch ((r >> 44) % 5) {
		case 0:			/* a page of its own */
			val = (gpa & MVGPU_PTE_ADDR_MASK) | MVGPU_PTE_VALID;
			break;
		case 1:			/* one it does not have */
			val = ((val >> 12) << 12 & MVGPU_PTE_ADDR_MASK) | MVGPU_PTE_VALID;
			break;
		case 2:
			val = 0;
			break;
		case 3:			/* half an entry */
			off += (r >> 50) % 2 * 4;
			break;
		}
		len = off & 4 ? 4 : 8;
	}
	memcpy(b, &val, sizeof(b));
	return mvgpu_vfio_write(g->v, GUEST_BAR0, off, b, len);
}

#define RANDOM_WRITES	6000

TEST_F_TIMEOUT(hostile, random_writes_over_all_of_bar0_are_contained_and_a_reset_recovers, 120)
{
	struct guest *a = &self->a;
	const char *env = getenv("MVGPU_HOSTILE_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) :
			(uint64_t)time(NULL) << 16 ^ (uint64_t)getpid();
	static const uint32_t pv_ro[] = {
		MVGPU_PVINFO_MAGIC_REG, MVGPU_PVINFO_MAGIC_REG + 4,
		MVGPU_PVINFO_VERSION_REG, MVGPU_PVINFO_VGPU_ID_REG,
		MVGPU_PVINFO_CAPS_REG, MVGPU_PVINFO_APERTURE_BASE_REG,
		MVGPU_PVINFO_APERTURE_SIZE_REG, MVGPU_PVINFO_HIDDEN_BASE_REG,
		MVGPU_PVINFO_HIDDEN_SIZE_REG, MVGPU_PVINFO_MAX_WIDTH_REG,
		MVGPU_PVINFO_MAX_HEIGHT_REG,
	};
	uint32_t reg[256], pv[ARRAY_LEN(pv_ro)], edid[64], edid_status;
	uint64_t rs = seed | 1, foreign[4];
	int nreg = table_registers(reg), i, bad = 0;
	long mmio0 = vgpu_attr(a->uuid, "bad_mmio");

	TH_LOG("seed 0x%llx (MVGPU_HOSTILE_SEED=0x%llx repeats this run)",
	       (unsigned long long)seed, (unsigned long long)seed);
	ASSERT_LE(nreg, (int)ARRAY_LEN(reg));
	for (i = 0; i < (int)ARRAY_LEN(pv_ro); i++)
		pv[i] = guest_rd(a, MVGPU_PVINFO_OFFSET + pv_ro[i]);
	for (i = 0; i < 64; i++)
		edid[i] = guest_rd(a, MVGPU_EDID_BASE + 4 * i);
	edid_status = guest_rd(a, MVGPU_EDID_STATUS);
	foreign[0] = guest_foreign_ga(a);
	foreign[1] = self->v.ap_base;
	foreign[2] = self->v.hi_base + self->v.hi_size - PAGE;
	foreign[3] = MVGPU_GM_SIZE - PAGE;

	victim_start(_metadata, self);
	/* Every register of the table once, then anywhere. */
	for (i = 0; i < nreg; i++)
		if (guest_wr(a, reg[i], (uint32_t)rng_next(&rs)))
			bad++;
	for (i = 0; i < RANDOM_WRITES; i++)
		if (random_write(a, &rs, reg, nreg))
			bad++;
	EXPECT_EQ(0, bad) TH_LOG("%d of %d in-bounds writes failed", bad,
				 nreg + RANDOM_WRITES);
	victim_ok(_metadata, self);

	/* Read-only information stayed; entries outside it read 0. */
	for (i = 0; i < (int)ARRAY_LEN(pv_ro); i++)
		EXPECT_EQ(pv[i], guest_rd(a, MVGPU_PVINFO_OFFSET + pv_ro[i]))
			TH_LOG("PV info 0x%x", pv_ro[i]);
	for (i = 0; i < 64; i++)
		EXPECT_EQ(edid[i], guest_rd(a, MVGPU_EDID_BASE + 4 * i))
			TH_LOG("EDID dword %d", i);
	EXPECT_EQ(edid_status, guest_rd(a, MVGPU_EDID_STATUS));
	for (i = 0; i < 4; i++) {
		uint64_t f = foreign[i];

		EXPECT_EQ(0, guest_get_pte(a, f))
			TH_LOG("foreign entry 0x%llx", (unsigned long long)f);
	}
	EXPECT_LT(mmio0, vgpu_attr(a->uuid, "bad_mmio"));

	/* A device reset: every register at its reset value, nothing pinned. */
	ASSERT_EQ(0, mvgpu_vfio_reset(a->v));
	EXPECT_EQ(0, vgpu_attr(a->uuid, "pinned_pages"));
	EXPECT_EQ(0, vgpu_attr(a->uuid, "shadow_pages"));
	EXPECT_EQ(0, vgpu_attr(a->uuid, "failsafe"));
	EXPECT_EQ(0, guest_rd(a, MVGPU_GDRST));
	EXPECT_EQ(0, guest_rd(a, MVGPU_MASTER_IRQ));
	EXPECT_EQ(0xffffffff, guest_rd(a, MVGPU_GT_IMR(0)));
	EXPECT_EQ(0, guest_rd(a, MVGPU_GT_IER(0)));
	EXPECT_EQ(0, guest_rd(a, MVGPU_GT_IIR(0)));
	EXPECT_EQ(0xffffffff, guest_rd(a, MVGPU_DE_PIPE_IMR(0)));
	EXPECT_EQ(0, guest_rd(a, MVGPU_DSPCNTR));
	EXPECT_EQ(0, guest_rd(a, MVGPU_DSPSURF));
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		EXPECT_EQ(0, guest_eng_rd(a, i, MVGPU_RING_MODE));
		EXPECT_EQ(MVGPU_CSB_PTR_RESET, guest_eng_rd(a, i, MVGPU_RING_CSB_PTR));
		EXPECT_EQ(0, guest_eng_rd(a, i, MVGPU_RING_ERR_STATUS));
		EXPECT_EQ(0, guest_eng_rd(a, i, MVGPU_RING_RESET_CTL));
	}
	EXPECT_EQ(0, guest_get_pte(a, a->ap_base));
	EXPECT_EQ(0, guest_get_pte(a, a->hi_base + a->hi_size - PAGE));
	a->ap_used = a->hi_used = 0;
	ASSERT_EQ(0, attacker_setup(self));
	guest_fill_ok(_metadata, a, 1, 0xff00ff00);
	guest_store_ok(_metadata, a, RCS, 2, 0x5a5a5a5a);
	guest_store_ok(_metadata, a, BCS, 3, 0xa5a5a5a5);
}

/* ---- GGTT and PPGTT entries to memory only the victim has ---- */

/* The next page of the attacker's aperture slice, its entry set to @gpa. */
static uint64_t attacker_page_at(struct guest *a, uint64_t gpa)
{
	uint64_t ga = a->ap_base + a->ap_used;

	a->ap_used += PAGE;
	return guest_set_pte(a, ga, gpa) ? ~0ULL : ga;
}

TEST_F(hostile, ggtt_and_ppgtt_entries_to_memory_only_the_victim_has_never_reach_it)
{
	struct guest *a = &self->a;
	const uint64_t gpa = VICTIM_ONLY_GPA;
	long bad_ggtt = vgpu_attr(a->uuid, "bad_ggtt");
	long pins = vgpu_attr(a->uuid, "pinned_pages");
	long bad_ap = vgpu_attr(a->uuid, "bad_aperture");
	uint32_t err_bit = MVGPU_GT_CS_ERROR_INTERRUPT << guest_irq_shift(BCS);
	struct refusal r = { 0 };
	struct guest_ev ev[GUEST_MAX_EV];
	struct guest_ppgtt pp;
	struct guest_ctx c;
	struct guest_err e;
	struct cs cs;
	uint64_t ga, *pde;
	int n;

	ASSERT_TRUE(guest_gpa_ptr(&self->v, gpa) != NULL);
	ASSERT_TRUE(guest_gpa_ptr(a, gpa) == NULL);
	victim_start(_metadata, self);

	/* The entry is kept as written, but nothing is pinned or mapped. */
	ga = attacker_page_at(a, gpa);
	ASSERT_NE(~0ULL, ga);
	EXPECT_EQ(gpa | MVGPU_PTE_VALID, guest_get_pte(a, ga));
	EXPECT_EQ(bad_ggtt + 1, vgpu_attr(a->uuid, "bad_ggtt"));
	EXPECT_EQ(pins, vgpu_attr(a->uuid, "pinned_pages"));
	EXPECT_EQ(0, guest_ap_rd(a, ga + 16));
	EXPECT_EQ(0, guest_ap_wr(a, ga + 16, 0xbadbad));
	EXPECT_EQ(bad_ap + 2, vgpu_attr(a->uuid, "bad_aperture"));

	/* A store there is the engine's GGTT fault; the one before it ran. */
	cs.n = 0;
	cs_sdi(&cs, self->amark_ga, 1);
	cs_sdi(&cs, ga + 8, 0xbadbad);
	cs_sdi(&cs, self->amark_ga + 4, 2);
	ASSERT_EQ(0, guest_ctx_create(a, &c, RING, self->next_id++));
	guest_emit_cs(&c, &cs);
	n = guest_run(a, BCS, &c, NULL, ev, GUEST_MAX_EV);
	ASSERT_LT(0, n);
	guest_read_err(a, BCS, &e);
	TH_LOG("store: ERR_STATUS 0x%x cmd 0x%llx fault 0x%llx", e.status,
	       (unsigned long long)e.cmd_addr, (unsigned long long)e.fault_addr);
	EXPECT_EQ(MVGPU_CSB_ERROR | MVGPU_CSB_ACTIVE_TO_IDLE,
		  guest_end_ev(ev, n)->status & GUEST_CSB_END);
	EXPECT_EQ(MVGPU_ERR_GGTT_FAULT, GUEST_ERR_CODE(e.status));
	EXPECT_EQ(MVGPU_SPACE_RING, GUEST_ERR_SPACE(e.status));
	EXPECT_EQ(16, e.cmd_addr);
	EXPECT_EQ(ga + 8, e.fault_addr);
	EXPECT_EQ(err_bit, guest_iir(a) & err_bit);
	EXPECT_EQ(1, self->amark[0]);
	EXPECT_EQ(0, self->amark[1]);
	EXPECT_EQ(0, guest_clear_err(a, BCS));
	EXPECT_EQ(0, guest_ack_iir(a, 0xffffffff));

	/* A batch there cannot be read: refused. */
	cs.n = 0;
	cs_bbs(&cs, ga);
	r = (struct refusal){ MVGPU_ERR_GGTT_FAULT, MVGPU_SPACE_GGTT, ga, 0, 0 };
	attack_refused(_metadata, self, BCS, &cs, &r);

	/* Nor a ring, nor a context image. */
	{
		struct guest_ev ev2[GUEST_MAX_EV];
		uint64_t img_ga = attacker_page_at(a, gpa);
		struct guest_ctx d;
		long rejected = vgpu_attr(a->uuid, "rejected");

		ASSERT_EQ(0, guest_ctx_create(a, &d, RING, self->next_id++));
		ASSERT_EQ(0, guest_set_pte(a, d.ring_ga, gpa));
		GUEST_EMIT(&d, MVGPU_MI_NOOP, MVGPU_MI_NOOP);
		n = guest_run(a, BCS, &d, NULL, ev2, GUEST_MAX_EV);
		ASSERT_LT(0, n);
		guest_read_err(a, BCS, &e);
		EXPECT_TRUE(guest_end_ev(ev2, n)->status & MVGPU_CSB_ERROR);
		EXPECT_EQ(MVGPU_ERR_GGTT_FAULT, GUEST_ERR_CODE(e.status));
		EXPECT_EQ(MVGPU_SPACE_RING, GUEST_ERR_SPACE(e.status));
		EXPECT_EQ(0, e.cmd_addr);
		EXPECT_EQ(0, guest_clear_err(a, BCS));
		ASSERT_NE(~0ULL, img_ga);
		ASSERT_EQ(0, guest_submit_desc(a, BCS, MVGPU_CTX_DESC(img_ga,
					       MVGPU_CTX_MODE_LEGACY_32B, 0x4444), 0));
		n = guest_wait_csb(a, BCS, ev2, GUEST_MAX_EV, GUEST_TIMEOUT_MS);
		ASSERT_LT(0, n);
		guest_read_err(a, BCS, &e);
		EXPECT_TRUE(guest_end_ev(ev2, n)->status & MVGPU_CSB_ERROR);
		EXPECT_EQ(0x4444, guest_end_ev(ev2, n)->ctx_id);
		EXPECT_EQ(MVGPU_ERR_BAD_CONTEXT, GUEST_ERR_CODE(e.status));
		EXPECT_EQ(rejected + 2, vgpu_attr(a->uuid, "rejected"));
		EXPECT_EQ(0, guest_clear_err(a, BCS));
		EXPECT_EQ(0, guest_ack_iir(a, 0xffffffff));
		self->rejects += 2;
	}

	/* PPGTT: a page, and a page table, there: not present, a fault. */
	ASSERT_EQ(0, guest_ppgtt_init(a, &pp));
	ASSERT_EQ(0, guest_ppgtt_map(a, &pp, GUEST_VA(1, 1, 1, 1), gpa));
	ASSERT_TRUE(guest_ppgtt_map_new(a, &pp, GUEST_VA(1, 2, 1, 1), 1, NULL) != NULL);
	pde = guest_ppgtt_entry(a, &pp, GUEST_VA(1, 2, 1, 1), 2, 0);
	ASSERT_TRUE(pde != NULL);
	*pde = gpa | MVGPU_PPGTT_PRESENT;
	for (n = 0; n < 2; n++) {
		const uint64_t va = GUEST_VA(1, 1 + n, 1, 1) + 0x40;
		long bad_ppgtt = vgpu_attr(a->uuid, "bad_ppgtt");
		struct guest_ev ev3[GUEST_MAX_EV];
		struct guest_ctx d;
		int k;

		ASSERT_EQ(0, guest_ctx64_create(a, &d, RING, self->next_id++, pp.pml4));
		GUEST_EMIT(&d, MVGPU_MI_STORE_DATA_IMM, LO(va), HI(va), 0xbadbad);
		k = guest_run64(a, RCS, &d, NULL, ev3, GUEST_MAX_EV);
		ASSERT_LT(0, k);
		guest_read_err(a, RCS, &e);
		EXPECT_TRUE(guest_end_ev(ev3, k)->status & MVGPU_CSB_ERROR);
		EXPECT_TRUE(GUEST_ERR_FAULTS & 1U << GUEST_ERR_CODE(e.status))
			TH_LOG("case %d: code %u", n, GUEST_ERR_CODE(e.status));
		EXPECT_EQ(va, e.fault_addr);
		if (!n)		/* a data page that cannot be pinned */
			EXPECT_EQ(bad_ppgtt + 1, vgpu_attr(a->uuid, "bad_ppgtt"));
		EXPECT_EQ(0, guest_clear_err(a, RCS));
		EXPECT_EQ(0, guest_ack_iir(a, 0xffffffff));
	}
	victim_ok(_metadata, self);
	guest_fill_ok(_metadata, a, 0x600, 0xff0f0f0f);
}

/* ---- Command streams ---- */

TEST_F(hostile, commands_with_lengths_past_the_ring_or_batch_end_are_rejected)
{
	struct guest *a = &self->a;
	const uint64_t hi_end = a->hi_base + a->hi_size;
	const uint64_t ap_end = a->ap_base + a->ap_size;
	const uint32_t lri_max = MVGPU_MI_LOAD_REGISTER_IMM(128);
	const uint32_t bad_len[] = {
		MVGPU_MI_INSTR(0x22, 254),		/* LRI: even length */
		MVGPU_MI_INSTR(0x20, 7),		/* SDI: 9 dwords */
		MVGPU_MI_INSTR(0x31, 2),		/* BBS: 4 dwords */
		MVGPU_BLT_INSTR(MVGPU_BLT_OP_XY_COLOR, 0xff) |
		MVGPU_XY_BLT_WRITE_ALPHA | MVGPU_XY_BLT_WRITE_RGB,
	};
	struct refusal r;
	uint64_t gpa = 0, ga;
	uint32_t *p;
	unsigned int i;
	struct cs cs;

	victim_start(_metadata, self);
	/* A length that runs past the tail. */
	cs.n = 0;
	cs_sdi(&cs, self->amark_ga, 1);
	CS(&cs, lri_max, MVGPU_RCS_BASE + MVGPU_RING_GPR(0), 0xbad);
	r = (struct refusal){ MVGPU_ERR_CMD_TRUNCATED, MVGPU_SPACE_RING, 16, lri_max, 0 };
	attack_refused(_metadata, self, RCS, &cs, &r);

	/* Lengths a command does not have. */
	for (i = 0; i < ARRAY_LEN(bad_len); i++) {
		cs.n = 0;
		cs_sdi(&cs, self->amark_ga, 1);
		CS(&cs, bad_len[i]);
		for (p = cs.dw + cs.n; cs.n < 4 + 300; cs.n++)
			*p++ = MVGPU_MI_NOOP;
		cs_sdi(&cs, self->amark_ga + 4, 2);
		r = (struct refusal){ MVGPU_ERR_CMD_LENGTH, MVGPU_SPACE_RING, 16,
				      bad_len[i], 0 };
		attack_refused(_metadata, self, BCS, &cs, &r);
	}

	/* In a batch: a command that runs past the end of the hidden range. */
	p = guest_alloc_pages(a, 1, &gpa);
	ASSERT_TRUE(p != NULL);
	ASSERT_EQ(0, guest_set_pte(a, hi_end - PAGE, gpa));
	p[1022] = lri_max;
	p[1023] = MVGPU_RCS_BASE + MVGPU_RING_GPR(0);
	cs.n = 0;
	cs_bbs(&cs, hi_end - 8);
	r = (struct refusal){ MVGPU_ERR_GGTT_FAULT, MVGPU_SPACE_GGTT, hi_end - 8,
			      lri_max, hi_end };
	attack_refused(_metadata, self, RCS, &cs, &r);

	/* A batch with no end, in the last page of the aperture range. */
	p = guest_alloc_pages(a, 1, &gpa);
	ASSERT_TRUE(p != NULL);
	ASSERT_EQ(0, guest_set_pte(a, ap_end - PAGE, gpa));
	cs.n = 0;
	cs_bbs(&cs, ap_end - PAGE);
	r = (struct refusal){ MVGPU_ERR_GGTT_FAULT, MVGPU_SPACE_GGTT, ap_end, 0,
			      ap_end };
	attack_refused(_metadata, self, BCS, &cs, &r);

	/* One that runs into a page with no GGTT entry. */
	p = guest_map(a, PAGE, &ga);
	ASSERT_TRUE(p != NULL);
	ASSERT_EQ(0, guest_get_pte(a, ga + PAGE));
	a->hi_used += PAGE;		/* leave that page unmapped */
	cs.n = 0;
	cs_bbs(&cs, ga + 8);
	r = (struct refusal){ MVGPU_ERR_GGTT_FAULT, MVGPU_SPACE_GGTT, ga + PAGE, 0, 0 };
	attack_refused(_metadata, self, BCS, &cs, &r);

	victim_ok(_metadata, self);
	guest_fill_ok(_metadata, a, 0x700, 0xff777777);
}

TEST_F(hostile, register_writes_off_the_allow_list_are_rejected_in_ring_and_batches)
{
	struct guest *a = &self->a;
	const uint32_t gpr0 = MVGPU_RCS_BASE + MVGPU_RING_GPR(0);
	const uint32_t srm = MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT;
	const uint32_t lrm = MVGPU_MI_LOAD_REGISTER_MEM | MVGPU_MI_USE_GGTT;
	const uint32_t lri1 = MVGPU_MI_LOAD_REGISTER_IMM(1);
	uint64_t out_ga = 0, b1 = 0, b2 = 0;
	uint32_t *out, *p1, *p2, i;
	struct guest_ctx g;
	struct refusal r;
	struct cs cs;

	out = guest_map(a, PAGE, &out_ga);
	p1 = guest_map(a, PAGE, &b1);
	p2 = guest_map(a, PAGE, &b2);
	ASSERT_TRUE(out && p1 && p2);
	ASSERT_EQ(0, guest_ctx_create(a, &g, RING, self->next_id++));
	victim_start(_metadata, self);

	/* A context's GPR0 keeps its value across its workloads. */
	cs.n = 0;
	CS(&cs, lri1, gpr0, 0x600d0001);
	CS(&cs, srm, gpr0, LO(out_ga), HI(out_ga));
	guest_emit_cs(&g, &cs);
	guest_run_ok(_metadata, a, RCS, &g);
	ASSERT_EQ(0x600d0001, out[0]);

	/* 127 allowed pairs and a reset: none of it is done. */
	cs.n = 0;
	cs_sdi(&cs, self->amark_ga, 1);
	CS(&cs, MVGPU_MI_LOAD_REGISTER_IMM(128));
	for (i = 0; i < 127; i++)
		CS(&cs, MVGPU_RCS_BASE + MVGPU_RING_GPR(i % 32), 0xbad00000 + i);
	CS(&cs, MVGPU_GDRST, MVGPU_GDRST_FULL);
	r = (struct refusal){ MVGPU_ERR_REG_ACCESS, MVGPU_SPACE_RING, 16,
			      MVGPU_MI_LOAD_REGISTER_IMM(128), 0 };
	attack_refused(_metadata, self, RCS, &cs, &r);

	/* A read-only register; GDRST named with bits above 22 set. */
	cs.n = 0;
	cs_sdi(&cs, self->amark_ga, 1);
	CS(&cs, lri1, MVGPU_RCS_BASE + MVGPU_RING_TIMESTAMP, 0);
	r = (struct refusal){ MVGPU_ERR_REG_ACCESS, MVGPU_SPACE_RING, 16, lri1, 0 };
	attack_refused(_metadata, self, RCS, &cs, &r);
	cs.n = 0;
	cs_sdi(&cs, self->amark_ga, 1);
	CS(&cs, lri1, 0xff800000 | MVGPU_GDRST, MVGPU_GDRST_FULL);
	attack_refused(_metadata, self, RCS, &cs, &r);

	/* GDRST loaded from memory; the PV info page stored to memory. */
	out[16] = MVGPU_GDRST_FULL;
	cs.n = 0;
	cs_sdi(&cs, self->amark_ga, 1);
	CS(&cs, lrm, MVGPU_GDRST, LO(out_ga + 64), HI(out_ga + 64));
	r = (struct refusal){ MVGPU_ERR_REG_ACCESS, MVGPU_SPACE_RING, 16, lrm, 0 };
	attack_refused(_metadata, self, BCS, &cs, &r);
	cs.n = 0;
	cs_sdi(&cs, self->amark_ga, 1);
	CS(&cs, srm, MVGPU_PVINFO_OFFSET, LO(out_ga + 128), HI(out_ga + 128));
	r = (struct refusal){ MVGPU_ERR_REG_ACCESS, MVGPU_SPACE_RING, 16, srm, 0 };
	attack_refused(_metadata, self, RCS, &cs, &r);

	/* In a second-level batch. */
	p1[0] = MVGPU_MI_BATCH_BUFFER_START | MVGPU_MI_BB_SECOND_LEVEL;
	p1[1] = LO(b2);
	p1[2] = HI(b2);
	p1[3] = MVGPU_MI_BATCH_BUFFER_END;
	p2[0] = MVGPU_MI_NOOP;
	p2[1] = lri1;
	p2[2] = MVGPU_MASTER_IRQ;
	p2[3] = 0;
	p2[4] = MVGPU_MI_BATCH_BUFFER_END;
	cs.n = 0;
	cs_bbs(&cs, b1);
	r = (struct refusal){ MVGPU_ERR_REG_ACCESS, MVGPU_SPACE_GGTT, b2 + 4, lri1, 0 };
	attack_refused(_metadata, self, RCS, &cs, &r);

	/* An allowed register named with high bits set is that register. */
	cs.n = 0;
	CS(&cs, lri1, 0xff800000 | (gpr0 + 4), 0x600d0002);
	CS(&cs, srm, 0xff800000 | (gpr0 + 4), LO(out_ga + 4), HI(out_ga + 4));
	CS(&cs, srm, gpr0, LO(out_ga + 8), HI(out_ga + 8));
	guest_emit_cs(&g, &cs);
	guest_run_ok(_metadata, a, RCS, &g);
	EXPECT_EQ(0x600d0002, out[1]);
	EXPECT_EQ(0x600d0001, out[2]);	/* no refused LRI changed GPR0 */
	EXPECT_EQ(0, out[32]);

	/* No refused reset happened: both engines kept their run lists. */
	EXPECT_TRUE(guest_eng_rd(a, RCS, MVGPU_RING_MODE) &
		    MVGPU_RING_MODE_RUN_LIST_ENABLE);
	EXPECT_TRUE(guest_eng_rd(a, BCS, MVGPU_RING_MODE) &
		    MVGPU_RING_MODE_RUN_LIST_ENABLE);
	EXPECT_EQ(MVGPU_MASTER_IRQ_CONTROL,
		  guest_rd(a, MVGPU_MASTER_IRQ) & MVGPU_MASTER_IRQ_CONTROL);
	victim_ok(_metadata, self);
}

TEST_F(hostile, batch_loops_and_nesting_past_two_levels_are_rejected)
{
	struct guest *a = &self->a;
	const uint32_t call = MVGPU_MI_BATCH_BUFFER_START | MVGPU_MI_BB_SECOND_LEVEL;
	const uint32_t chain = MVGPU_MI_BATCH_BUFFER_START;
	uint64_t x = 0, b = 0, c = 0, y = 0, z = 0;
	uint32_t *px, *pb, *pc, *py, *pz, i;
	uint64_t t0;
	struct refusal r;
	struct cs cs;

	px = guest_map(a, PAGE, &x);
	pb = guest_map(a, PAGE, &b);
	pc = guest_map(a, PAGE, &c);
	py = guest_map(a, 8 * PAGE, &y);
	pz = guest_map(a, PAGE, &z);
	ASSERT_TRUE(px && pb && pc && py && pz);
	victim_start(_metadata, self);

	/* A batch that calls itself: the call inside the call nests too deep. */
	px[0] = call;
	px[1] = LO(x);
	px[2] = HI(x);
	px[3] = MVGPU_MI_BATCH_BUFFER_END;
	cs.n = 0;
	cs_bbs(&cs, x);
	r = (struct refusal){ MVGPU_ERR_BB_NESTING, MVGPU_SPACE_GGTT, x, call, 0 };
	attack_refused(_metadata, self, BCS, &cs, &r);

	/* x calls b, which calls c: a third level. */
	px[1] = LO(b);
	px[2] = HI(b);
	pb[0] = MVGPU_MI_NOOP;
	pb[1] = call;
	pb[2] = LO(c);
	pb[3] = HI(c);
	pb[4] = MVGPU_MI_BATCH_BUFFER_END;
	pc[0] = MVGPU_MI_BATCH_BUFFER_END;
	r = (struct refusal){ MVGPU_ERR_BB_NESTING, MVGPU_SPACE_GGTT, b + 4, call, 0 };
	attack_refused(_metadata, self, RCS, &cs, &r);

	/* b and c chain to each other for ever: the 257th start is refused. */
	pb[0] = chain;
	pb[1] = LO(c);
	pb[2] = HI(c);
	pc[0] = MVGPU_MI_NOOP;
	pc[1] = chain;
	pc[2] = LO(b);
	pc[3] = HI(b);
	cs.n = 0;
	cs_bbs(&cs, b);
	r = (struct refusal){ MVGPU_ERR_BB_RUNAWAY, MVGPU_SPACE_GGTT, c + 4, chain, 0 };
	attack_refused(_metadata, self, BCS, &cs, &r);

	/*
	 * 32 KiB chaining to itself: the 129th pass is past the 4 MiB of
	 * batch commands one workload may have, before its first command.
	 */
	py[8 * 1024 - 3] = chain;
	py[8 * 1024 - 2] = LO(y);
	py[8 * 1024 - 1] = HI(y);
	cs.n = 0;
	cs_bbs(&cs, y);
	r = (struct refusal){ MVGPU_ERR_BB_RUNAWAY, MVGPU_SPACE_GGTT, y, 0, 0 };
	t0 = guest_now_ms();
	attack_refused(_metadata, self, RCS, &cs, &r);
	TH_LOG("4 MiB of batch scanned and refused in %llu ms",
	       (unsigned long long)(guest_now_ms() - t0));

	/* 257 batch starts in the ring. */
	pz[0] = MVGPU_MI_BATCH_BUFFER_END;
	cs.n = 0;
	for (i = 0; i < 257; i++)
		cs_bbs(&cs, z);
	r = (struct refusal){ MVGPU_ERR_BB_RUNAWAY, MVGPU_SPACE_RING, 256 * 12, chain, 0 };
	attack_refused(_metadata, self, BCS, &cs, &r);
	EXPECT_EQ(0, vgpu_attr(a->uuid, "failsafe"));

	victim_ok(_metadata, self);
	guest_fill_ok(_metadata, a, 0x800, 0xff888888);
}

/*
 * LONG_BLITS pitch-0 fills of @row (LONG_ROW bytes), colours
 * LONG_COLOUR(k), then a store of @val at @mark_ga.
 */
static void cs_long(struct cs *cs, uint64_t row, uint64_t mark_ga, uint32_t val)
{
	unsigned int k;

	for (k = 0; k < LONG_BLITS; k++)
		cs_fill(cs, MVGPU_BR13_DEPTH_32, 0, 0, 0, LONG_WH, LONG_WH, row,
			LONG_COLOUR(k));
	cs_sdi(cs, mark_ga, val);
}

/* Wait until the first long fill has begun writing @row. */
static int long_started(const uint32_t *row)
{
	uint64_t end = guest_now_ms() + GUEST_TIMEOUT_MS;

	while (((volatile const uint32_t *)row)[0] != LONG_COLOUR(0))
		if (guest_now_ms() > end)
			return 0;
	return 1;
}

/* The CSB write pointer of @engine (events the guest has not read). */
static unsigned int csb_wp(struct guest *g, unsigned int engine)
{
	return guest_eng_rd(g, engine, MVGPU_RING_CSB_PTR) & MVGPU_CSB_WRITE_PTR_MASK;
}

TEST_F(hostile, batch_and_ring_rewritten_after_submission_run_as_scanned)
{
	struct guest *a = &self->a;
	const uint64_t vap = self->vsurf_ga[0] + 16, vhi = self->vsurf_ga[1] + 32;
	struct guest_ev ev[GUEST_MAX_EV];
	uint64_t row_ga = 0, x = 0;
	uint32_t *row, *px, k;
	struct guest_ctx l, b;
	struct cs cs;
	int n, i;

	row = guest_map(a, LONG_ROW, &row_ga);
	px = guest_map(a, PAGE, &x);
	ASSERT_TRUE(row && px);
	victim_start(_metadata, self);
	ASSERT_EQ(0, guest_ctx_create(a, &l, RING, 0x51));
	ASSERT_EQ(0, guest_ctx_create(a, &b, RING, 0x52));
	cs.n = 0;
	cs_long(&cs, row_ga, self->amark_ga + 64, 0x10);
	guest_emit_cs(&l, &cs);
	/* Element 1: a store, a batch with a store, a store. */
	cs.n = 0;
	cs_sdi(&cs, self->amark_ga, 0x600d0001);
	cs_bbs(&cs, x);
	cs_sdi(&cs, self->amark_ga + 8, 0x600d0003);
	guest_emit_cs(&b, &cs);
	cs.n = 0;
	cs_sdi(&cs, self->amark_ga + 4, 0x600d0002);
	CS(&cs, MVGPU_MI_BATCH_BUFFER_END);
	memcpy(px, cs.dw, 4 * cs.n);

	ASSERT_EQ(0, guest_submit(a, BCS, &l, &b));
	/*
	 * Element 1 is scanned and shadowed; element 0 keeps the engine busy
	 * for a while.  Now everything is rewritten to store into the victim.
	 */
	cs.n = 0;
	cs_sdi(&cs, vap, 0xbadbad01);
	memcpy(px, cs.dw, 4 * cs.n);
	cs.n = 0;
	cs_sdi(&cs, vhi, 0xbadbad02);
	memcpy(b.ring, cs.dw, 4 * cs.n);
	memcpy(b.ring + 7, cs.dw, 4 * cs.n);	/* and over the last store */
	b.img[MVGPU_CTX_RING_START] = self->v.hi_base;
	b.img[MVGPU_CTX_RING_TAIL] = RING - 8;
	__sync_synchronize();
	ASSERT_EQ(0, csb_wp(a, BCS) - self->a.csb_rp[BCS])
		TH_LOG("the first element ended before the rewrite: make LONG_BLITS longer");

	n = guest_wait_csb(a, BCS, ev, GUEST_MAX_EV, GUEST_TIMEOUT_MS);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++)
		TH_LOG("event %d: 0x%x context 0x%x", i, ev[i].status, ev[i].ctx_id);
	ASSERT_LE(2, n);
	EXPECT_EQ(MVGPU_CSB_COMPLETE | MVGPU_CSB_ELEMENT_SWITCH,
		  ev[n - 2].status & GUEST_CSB_END);
	EXPECT_EQ(l.id, ev[n - 2].ctx_id);
	EXPECT_EQ(GUEST_CSB_DONE, ev[n - 1].status & GUEST_CSB_END);
	EXPECT_EQ(b.id, ev[n - 1].ctx_id);
	__sync_synchronize();
	EXPECT_EQ(0x600d0001, self->amark[0]);
	EXPECT_EQ(0x600d0002, self->amark[1]);
	EXPECT_EQ(0x600d0003, self->amark[2]);
	EXPECT_EQ(0x10, self->amark[16]);
	for (k = 0; k < LONG_ROW / 4; k++)
		ASSERT_EQ(LONG_COLOUR(LONG_BLITS - 1), row[k]) TH_LOG("pixel %u", k);
	/* The guest's rewritten batch is what it wrote: only shadows ran. */
	EXPECT_EQ(LO(vap), px[1]);
	EXPECT_EQ(0, vgpu_attr(a->uuid, "rejected"));
	victim_ok(_metadata, self);
}

TEST_F(hostile, batch_and_ring_storing_into_themselves_run_their_scanned_commands)
{
	struct guest *a = &self->a;
	const uint64_t vap = self->vsurf_ga[0] + 16;
	const uint64_t m = self->amark_ga;
	uint64_t x = 0;
	struct guest_ctx c;
	struct refusal r;
	uint32_t *px;
	struct cs cs;

	px = guest_map(a, PAGE, &x);
	ASSERT_TRUE(px != NULL);
	victim_start(_metadata, self);
	/*
	 * The batch's first store rewrites the address of its second (to the
	 * victim's aperture), its third the value of its fourth; the ring's
	 * second store rewrites the value of its third.
	 */
	cs.n = 0;
	cs_sdi(&cs, x + 20, LO(vap));
	cs_sdi(&cs, m, 0x600d0001);
	cs_sdi(&cs, x + 60, 0xbadbad02);
	cs_sdi(&cs, m + 4, 0x600d0002);
	CS(&cs, MVGPU_MI_BATCH_BUFFER_END);
	memcpy(px, cs.dw, 4 * cs.n);
	ASSERT_EQ(0, guest_ctx_create(a, &c, RING, 0x61));
	cs.n = 0;
	cs_bbs(&cs, x);
	cs_sdi(&cs, c.ring_ga + 40, 0xbadbad03);
	cs_sdi(&cs, m + 8, 0x600d0003);
	guest_emit_cs(&c, &cs);
	guest_run_ok(_metadata, a, BCS, &c);
	__sync_synchronize();
	EXPECT_EQ(0x600d0001, self->amark[0]);
	EXPECT_EQ(0x600d0002, self->amark[1]);
	EXPECT_EQ(0x600d0003, self->amark[2]);
	/* The stores landed in the guest's own buffers. */
	EXPECT_EQ(LO(vap), px[5]);
	EXPECT_EQ(0xbadbad02, px[15]);
	EXPECT_EQ(0xbadbad03, c.ring[10]);

	/* Submitted again, the batch is scanned as it is now: refused. */
	cs.n = 0;
	cs_bbs(&cs, x);
	r = (struct refusal){ MVGPU_ERR_GGTT_FAULT, MVGPU_SPACE_GGTT, x + 16,
			      MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, vap };
	attack_refused(_metadata, self, BCS, &cs, &r);
	victim_ok(_metadata, self);
}

/*
 * Shadows of finished work are kept for reuse: a batch submitted again,
 * rejected once in between, and one grown past a page must each run
 * from a shadow of its own commands, wherever the reused one was placed.
 */
TEST_F(hostile, batches_run_again_from_reused_shadows_run_their_own_commands)
{
	struct guest *a = &self->a;
	const uint64_t vap = self->vsurf_ga[0] + 64;
	uint64_t x = 0, y = 0, m = self->amark_ga;
	struct guest_ctx c;
	struct refusal r;
	uint32_t *px, *py;
	struct cs cs;
	int round;

	px = guest_map(a, PAGE, &x);
	py = guest_map(a, 3 * PAGE, &y);
	ASSERT_TRUE(px && py);
	victim_start(_metadata, self);
	ASSERT_EQ(0, guest_ctx_create(a, &c, RING, 0x65));
	for (round = 0; round < 4; round++) {
		cs.n = 0;
		cs_sdi(&cs, m + 4 * round, 0x600d0000 + round);
		CS(&cs, MVGPU_MI_BATCH_BUFFER_END);
		memcpy(px, cs.dw, 4 * cs.n);
		cs.n = 0;
		cs_bbs(&cs, x);
		guest_emit_cs(&c, &cs);
		guest_run_ok(_metadata, a, BCS, &c);
		__sync_synchronize();
		EXPECT_EQ(0x600d0000 + round, self->amark[round]) TH_LOG("round %d", round);
	}
	/* Refused with a reused shadow in hand; then run again. */
	cs.n = 0;
	cs_sdi(&cs, vap, 0xbadbad);
	memcpy(px, cs.dw, 4 * cs.n);
	cs.n = 0;
	cs_bbs(&cs, x);
	r = (struct refusal){ MVGPU_ERR_GGTT_FAULT, MVGPU_SPACE_GGTT, x,
			      MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, vap };
	attack_refused(_metadata, self, BCS, &cs, &r);
	cs.n = 0;
	cs_sdi(&cs, m + 16, 0x600d0004);
	CS(&cs, MVGPU_MI_BATCH_BUFFER_END);
	memcpy(px, cs.dw, 4 * cs.n);
	ASSERT_EQ(0, guest_ctx_create(a, &c, RING, 0x66));
	cs.n = 0;
	cs_bbs(&cs, x);
	guest_emit_cs(&c, &cs);
	guest_run_ok(_metadata, a, BCS, &c);
	EXPECT_EQ(0x600d0004, self->amark[4]);
	/* A batch of almost three pages: its reused shadow must grow. */
	cs.n = 0;
	cs_sdi(&cs, m + 20, 0x600d0005);
	memcpy(py + 3 * 1024 - 8, cs.dw, 4 * cs.n);
	py[3 * 1024 - 4] = MVGPU_MI_BATCH_BUFFER_END;
	cs.n = 0;
	cs_bbs(&cs, y);
	guest_emit_cs(&c, &cs);
	guest_run_ok(_metadata, a, RCS, &c);
	EXPECT_EQ(0x600d0005, self->amark[5]);
	EXPECT_EQ(0, vgpu_attr(a->uuid, "errors"));
	victim_ok(_metadata, self);
}

/* ---- Guest memory unmapped, or the device reset, under work ---- */

/*
 * Nothing of the attacker's stopped work writes after the stop: the row
 * and marks, set to a sentinel now, keep it for longer than the work
 * would have taken, and no CSB event or interrupt comes.
 */
static void expect_no_write_after(struct __test_metadata *_metadata,
				  struct guest *a, uint32_t *row,
				  uint32_t *mark, unsigned int wp)
{
	const uint32_t cs_bit = MVGPU_GT_CONTEXT_SWITCH_INTERRUPT << MVGPU_BCS_IRQ_SHIFT;
	unsigned int k;

	for (k = 0; k < LONG_ROW / 4; k++)
		row[k] = SENTINEL;
	mark[0] = mark[1] = SENTINEL;
	__sync_synchronize();
	usleep((LONG_BLITS * 60 + 300) * 1000);
	for (k = 0; k < LONG_ROW / 4; k++)
		ASSERT_EQ(SENTINEL, ((volatile uint32_t *)row)[k])
			TH_LOG("pixel %u written after the stop", k);
	EXPECT_EQ(SENTINEL, mark[0]);
	EXPECT_EQ(SENTINEL, mark[1]);
	if (wp != ~0U)
		EXPECT_EQ(wp, csb_wp(a, BCS));
	EXPECT_EQ(0, guest_iir(a) & cs_bit);
}

/*
 * The attacker's BCS runs a long context with a second one queued
 * behind it (element 1); returns the CSB write pointer before.
 */
static unsigned int attacker_long_work(struct __test_metadata *_metadata,
				       FIXTURE_DATA(hostile) *self,
				       uint32_t **row)
{
	struct guest *a = &self->a;
	struct guest_ctx l, q;
	uint64_t row_ga = 0;
	unsigned int wp;
	struct cs cs;

	*row = guest_map(a, LONG_ROW, &row_ga);
	if (!*row)
		return ~0U;
	if (guest_ctx_create(a, &l, RING, 0x71) ||
	    guest_ctx_create(a, &q, RING, 0x72))
		return ~0U;
	cs.n = 0;
	cs_long(&cs, row_ga, self->amark_ga, 0x600d0001);
	guest_emit_cs(&l, &cs);
	cs.n = 0;
	cs_sdi(&cs, self->amark_ga + 4, 0x600d0002);
	guest_emit_cs(&q, &cs);
	guest_ack_iir(a, 0xffffffff);
	wp = csb_wp(a, BCS);
	if (guest_submit(a, BCS, &l, &q) || !long_started(*row))
		return ~0U;
	return wp;
}

TEST_F(hostile, guest_memory_unmapped_under_running_work_stops_it_with_no_access_after)
{
	struct guest *a = &self->a;
	struct guest_ev ev[GUEST_MAX_EV];
	struct guest_ctx d;
	struct guest_err e;
	unsigned int wp;
	uint32_t *row;
	int n;

	victim_start(_metadata, self);
	wp = attacker_long_work(_metadata, self, &row);
	ASSERT_NE(~0U, wp);
	ASSERT_EQ(0, guest_ctx_create(a, &d, RING, 0x73));
	GUEST_EMIT(&d, MVGPU_MI_NOOP, MVGPU_MI_NOOP);

	ASSERT_EQ(0, mvgpu_vfio_unmap_dma(a->v, a->iova, a->size));
	EXPECT_EQ(0, vgpu_attr(a->uuid, "pinned_pages"));
	EXPECT_EQ(0, vgpu_attr(a->uuid, "shadow_pages"));
	expect_no_write_after(_metadata, a, row, self->amark, wp);
	victim_ok(_metadata, self);

	/* Work submitted now cannot even load its context. */
	ASSERT_EQ(0, guest_submit(a, BCS, &d, NULL));
	n = guest_wait_csb(a, BCS, ev, GUEST_MAX_EV, GUEST_TIMEOUT_MS);
	ASSERT_LT(0, n);
	EXPECT_EQ(MVGPU_CSB_ERROR | MVGPU_CSB_ACTIVE_TO_IDLE,
		  ev[n - 1].status & GUEST_CSB_END);
	EXPECT_EQ(d.id, ev[n - 1].ctx_id);
	guest_read_err(a, BCS, &e);
	EXPECT_EQ(MVGPU_ERR_BAD_CONTEXT, GUEST_ERR_CODE(e.status));

	/* The memory back, a reset: the vGPU works again. */
	ASSERT_EQ(0, mvgpu_vfio_map_dma(a->v, a->mem, a->iova, a->size));
	attacker_recovers(_metadata, self);
}

/*
 * The attacker's work must still be queued when its memory goes: the
 * scheduler gives a newcomer the engine once the running vGPU's slice is
 * used up, so the slice is 30 ms here (from the victim's start, in which
 * the submission and the unmap must fit), not 1 ms, which a loaded host
 * running the test VM let pass between the two (7 of 20 runs with three
 * busy loops in the VM; the work ran, and its completion, due when the
 * unmap held the vGPU, was dropped with the rest of the vGPU's work).
 * Its surface is checked right after the unmap returns, and again once
 * the victim is done: only the second would be a write after the unmap.
 */
TEST_F(hostile, guest_memory_unmapped_with_work_queued_behind_the_victims_drops_only_its_own)
{
	struct guest *a = &self->a, *v = &self->v;
	struct guest_ev ev[GUEST_MAX_EV];
	uint64_t vrow_ga = 0, vmark_ga = 0, asurf_ga = 0;
	uint32_t *vrow, *vmark, *asurf, k;
	struct guest_ctx vl, q;
	unsigned int awp;
	struct cs cs;
	int n;

	vrow = guest_map(v, LONG_ROW, &vrow_ga);
	vmark = guest_map(v, PAGE, &vmark_ga);
	asurf = guest_map(a, 4 * PAGE, &asurf_ga);
	ASSERT_TRUE(vrow && vmark && asurf);
	for (k = 0; k < 4096; k++)
		asurf[k] = SENTINEL;
	ASSERT_EQ(0, guest_ctx_create(v, &vl, RING, 0x91));
	ASSERT_EQ(0, guest_ctx_create(a, &q, RING, 0x81));
	cs.n = 0;
	cs_long(&cs, vrow_ga, vmark_ga, 0x600d0091);
	guest_emit_cs(&vl, &cs);
	cs.n = 0;
	cs_fill(&cs, MVGPU_BR13_DEPTH_32, 1024, 0, 0, 256, 16, asurf_ga, 0xbadbad);
	cs_sdi(&cs, self->amark_ga, 0xbadbad);
	guest_emit_cs(&q, &cs);
	self->slice_us_was = sysfs_read_long(SLICE_US_ATTR);
	ASSERT_EQ(0, sysfs_write_long(SLICE_US_ATTR, 30000));

	/* The victim's long work runs; the attacker's queues behind it. */
	ASSERT_EQ(0, guest_submit(v, BCS, &vl, NULL));
	ASSERT_TRUE(long_started(vrow));
	awp = csb_wp(a, BCS);
	ASSERT_EQ(0, guest_submit(a, BCS, &q, NULL));
	ASSERT_EQ(0, mvgpu_vfio_unmap_dma(a->v, a->iova, a->size));
	ASSERT_EQ(0, csb_wp(v, BCS) - v->csb_rp[BCS])
		TH_LOG("the victim's work ended before the unmap: make LONG_BLITS longer");
	/* what the engine wrote before the unmap returned is no fault */
	for (k = 0; k < 4096 && asurf[k] == SENTINEL; k++)
		;
	ASSERT_EQ(4096, k)
		TH_LOG("the attacker's work ran before its memory went (pixel %u written): the victim's 30 ms slice passed in between", k);
	ASSERT_EQ(awp, csb_wp(a, BCS));
	EXPECT_EQ(0, vgpu_attr(a->uuid, "pinned_pages"));

	/* The victim's work completes as if nothing happened. */
	n = guest_wait_csb(v, BCS, ev, GUEST_MAX_EV, GUEST_TIMEOUT_MS);
	ASSERT_LT(0, n);
	EXPECT_EQ(GUEST_CSB_DONE, ev[n - 1].status & GUEST_CSB_END);
	EXPECT_EQ(vl.id, ev[n - 1].ctx_id);
	EXPECT_EQ(0x600d0091, vmark[0]);
	for (k = 0; k < LONG_ROW / 4; k++)
		ASSERT_EQ(LONG_COLOUR(LONG_BLITS - 1), vrow[k]) TH_LOG("pixel %u", k);
	EXPECT_EQ(0, guest_ack_iir(v, 0xffffffff));
	/* The attacker's never ran, and is never reported. */
	usleep(300 * 1000);
	for (k = 0; k < 4096; k++)
		ASSERT_EQ(SENTINEL, asurf[k]) TH_LOG("pixel %u", k);
	EXPECT_EQ(0, self->amark[0]);
	EXPECT_EQ(awp, csb_wp(a, BCS));
	victim_ok(_metadata, self);

	ASSERT_EQ(0, mvgpu_vfio_map_dma(a->v, a->mem, a->iova, a->size));
	attacker_recovers(_metadata, self);
}

TEST_F(hostile, device_and_engine_resets_under_running_work_stop_it_with_no_write_after)
{
	struct guest *a = &self->a;
	unsigned int wp;
	uint64_t end;
	uint32_t *row;

	victim_start(_metadata, self);
	/* The blitter reset through GDRST. */
	wp = attacker_long_work(_metadata, self, &row);
	ASSERT_NE(~0U, wp);
	ASSERT_EQ(0, guest_wr(a, MVGPU_GDRST, MVGPU_GDRST_BLT));
	end = guest_now_ms() + GUEST_TIMEOUT_MS;
	while ((guest_rd(a, MVGPU_GDRST) & MVGPU_GDRST_BLT) && guest_now_ms() < end)
		usleep(1000);
	EXPECT_EQ(MVGPU_CSB_PTR_RESET, guest_eng_rd(a, BCS, MVGPU_RING_CSB_PTR));
	expect_no_write_after(_metadata, a, row, self->amark,
			      MVGPU_CSB_PTR_RESET & MVGPU_CSB_WRITE_PTR_MASK);
	ASSERT_EQ(0, guest_sync_csb(a, BCS));
	guest_store_ok(_metadata, a, BCS, 0x74, 0x600d0074);

	/* The whole device through VFIO. */
	self->amark[0] = self->amark[1] = 0;
	wp = attacker_long_work(_metadata, self, &row);
	ASSERT_NE(~0U, wp);
	ASSERT_EQ(0, mvgpu_vfio_reset(a->v));
	expect_no_write_after(_metadata, a, row, self->amark, ~0U);
	EXPECT_EQ(MVGPU_CSB_PTR_RESET, guest_eng_rd(a, BCS, MVGPU_RING_CSB_PTR));
	victim_ok(_metadata, self);
	attacker_recovers(_metadata, self);
}

/* ---- State, memory and locks one vGPU must not share (issue 15) ---- */

#ifndef MVGPU_CTX_GPR
#define MVGPU_CTX_GPR(n)	(16 + (n))	/* image dwords 16..47: RING_GPR(n) */
#endif

#define GPRS		MVGPU_RING_GPR_DWORDS

/* Guest physical addresses past the attacker's guest memory, for extra regions. */
#define EXTRA_IOVA(n)	(GUEST_IOVA + GUEST_MEM_SIZE + (64ULL << 20) + (n) * PAGE)

#define HANG_MS_PARAM	"/sys/module/mvgpu/parameters/hang_ms"
#define WATCHDOG_PARAM	"/sys/module/mvgpu/parameters/watchdog_ms"

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

/* The scheduler's limit of a workload's engine time. */
static int set_hang_ms(long ms)
{
	return sysfs_write_long(HANG_MS_PARAM, ms);
}

/* The backend's watchdog of the blitter, through the native session. */
static int set_bcs_watchdog(long ms)
{
	struct nat *n = calloc(1, sizeof(*n));
	int ret;

	if (!n)
		return -ENOMEM;
	ret = nat_open(n);
	ret = ret ?: nat_cmd(n, "watchdog bcs %ld", ms);
	nat_close(n);
	free(n);
	return ret;
}

/*
 * Let one BCS workload wait for @ms (hang_ms and the BCS watchdog),
 * restored by the fixture's teardown.
 */
static int allow_long_bcs_work(FIXTURE_DATA(hostile) *self, long ms)
{
	long hang = sysfs_read_long(HANG_MS_PARAM);
	long wd = sysfs_read_long(WATCHDOG_PARAM);
	int ret;

	if (hang <= 0 || wd <= 0)
		return -ENOENT;
	self->hang_ms_was = hang;
	self->bcs_watchdog_was = wd;
	ret = set_hang_ms(ms);
	return ret ?: set_bcs_watchdog(ms);
}

/* A field of /proc/meminfo in KiB, -1 if there is none. */
static long meminfo_kb(const char *key)
{
	size_t len = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':') {
			v = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/*
 * What the host has, KiB: MemAvailable plus the free pages of the per-CPU
 * lists (what the host could allocate), Slab and VmallocUsed.
 */
struct host_mem {
	long avail, pcp, slab, vmalloc;
};

static void host_mem(struct host_mem *m)
{
	m->pcp = pcp_free_kib();
	m->avail = meminfo_kb("MemAvailable") + m->pcp;
	m->slab = meminfo_kb("Slab");
	m->vmalloc = meminfo_kb("VmallocUsed");
}

#define MIB(kb)		((double)(kb) / 1024)

/* A guest context whose image is fresh and whose ring is @ring, given. */
static int ctx_on_ring(struct guest *g, struct guest_ctx *c, uint32_t id,
		       uint64_t ring_ga, uint32_t *ring, uint32_t ring_bytes,
		       uint32_t tail)
{
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->img = guest_map(g, PAGE, &c->lrca);
	if (!c->img)
		return -ENOMEM;
	memset(c->img, 0, PAGE);
	c->ring_ga = ring_ga;
	c->ring = ring;
	c->ring_size = ring_bytes;
	c->tail = tail;
	c->img[MVGPU_CTX_RING_START] = ring_ga;
	c->img[MVGPU_CTX_RING_CTL] = MVGPU_RING_CTL_SIZE(ring_bytes) |
				     MVGPU_RING_CTL_VALID;
	c->img[MVGPU_CTX_RING_TAIL] = tail;
	return 0;
}

/* Catch the guest's CSB read pointer up with the write pointer. */
static int csb_catch_up(struct guest *g, unsigned int engine)
{
	unsigned int wp = csb_wp(g, engine);

	g->csb_rp[engine] = wp;
	return guest_eng_wr(g, engine, MVGPU_RING_CSB_PTR,
			    MVGPU_MASKED_FIELD(MVGPU_CSB_READ_PTR_MASK,
					       wp << MVGPU_CSB_READ_PTR_SHIFT));
}

/* ---- General purpose registers ---- */

/* The value GPR @i gets from a context seeded @seed: never 0. */
static uint32_t gpr_val(uint32_t seed, unsigned int i)
{
	return guest_pattern(seed + i) | 1;
}

/* Load all GPRs of @engine with gpr_val(@seed, i). */
static void cs_load_gprs(struct cs *cs, unsigned int engine, uint32_t seed)
{
	unsigned int i;

	CS(cs, MVGPU_MI_LOAD_REGISTER_IMM(GPRS));
	for (i = 0; i < GPRS; i++)
		CS(cs, guest_engine_base(engine) + MVGPU_RING_GPR(i),
		   gpr_val(seed, i));
}

/* Store all GPRs of @engine to the dwords at @ga. */
static void cs_store_gprs(struct cs *cs, unsigned int engine, uint64_t ga)
{
	unsigned int i;

	for (i = 0; i < GPRS; i++)
		CS(cs, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT,
		   guest_engine_base(engine) + MVGPU_RING_GPR(i),
		   LO(ga + 4 * i), HI(ga + 4 * i));
}

/* How many of the GPR values at @p are gpr_val(@seed, i); of them not 0 in @nonzero. */
static unsigned int gprs_from(const uint32_t *p, uint32_t seed,
			      unsigned int *nonzero)
{
	unsigned int i, n = 0;

	__sync_synchronize();
	*nonzero = 0;
	for (i = 0; i < GPRS; i++) {
		n += p[i] == gpr_val(seed, i);
		*nonzero += p[i] != 0;
	}
	return n;
}

/* A fresh page of @g for stores, filled with a sentinel. */
static uint32_t *store_page(struct guest *g, uint64_t *ga)
{
	uint32_t *p = guest_map(g, PAGE, ga);
	unsigned int i;

	if (p)
		for (i = 0; i < PAGE / 4; i++)
			p[i] = SENTINEL;
	return p;
}

/*
 * RING_GPR(0..31) are context state (Gen8 saves them in the logical
 * context; the image has them in dwords 16..47): a fresh context starts
 * with zeroes, whatever ran before on the engine, and a context gets back
 * its own values when it runs again, whatever ran in between.
 */
TEST_F(hostile, general_purpose_registers_are_context_state_never_seen_by_another_context_or_vgpu)
{
	static const unsigned int engines[] = { RCS, BCS };
	const uint32_t seed_a = 0xa0000, seed_b = 0xb0000, seed_x = 0xc0000;
	struct guest *a = &self->a, *v = &self->v;
	struct guest_ctx ca, cb, x, y;
	uint64_t bout_ga = 0, xout_ga = 0, yout_ga = 0;
	uint32_t *bout, *xout, *yout;
	unsigned int k, i, crossed, nz, own, from_b, wrong;
	struct cs cs;

	for (k = 0; k < ARRAY_LEN(engines); k++) {
		const unsigned int e = engines[k];

		bout = store_page(v, &bout_ga);
		xout = store_page(a, &xout_ga);
		yout = store_page(a, &yout_ga);
		ASSERT_TRUE(bout && xout && yout);

		/* vGPU A's context loads every GPR and completes. */
		ASSERT_EQ(0, guest_ctx_create(a, &ca, RING, 0x1500 + k));
		cs.n = 0;
		cs_load_gprs(&cs, e, seed_a);
		guest_emit_cs(&ca, &cs);
		guest_run_ok(_metadata, a, e, &ca);

		/* vGPU B's fresh context stores them: all 0. */
		ASSERT_EQ(0, guest_ctx_create(v, &cb, RING, 0x1510 + k));
		cs.n = 0;
		cs_store_gprs(&cs, e, bout_ga);
		guest_emit_cs(&cb, &cs);
		guest_run_ok(_metadata, v, e, &cb);
		crossed = gprs_from(bout, seed_a, &nz);
		TH_LOG("engine %u: %u of %u GPR values of vGPU A read by vGPU B's fresh context, %u not 0",
		       e, crossed, GPRS, nz);
		EXPECT_EQ(0, crossed);
		EXPECT_EQ(0, nz) TH_LOG("engine %u: GPR0 0x%08x in B's fresh context", e, bout[0]);

		/* A's context X sets its GPRs; its image holds them after. */
		ASSERT_EQ(0, guest_ctx_create(a, &x, RING, 0x1520 + k));
		cs.n = 0;
		cs_load_gprs(&cs, e, seed_x);
		guest_emit_cs(&x, &cs);
		guest_run_ok(_metadata, a, e, &x);
		for (i = 0, wrong = 0; i < GPRS; i++)
			wrong += x.img[MVGPU_CTX_GPR(i)] != gpr_val(seed_x, i);
		TH_LOG("engine %u: %u of %u GPRs of context X not in its image after it completed (GPR0 0x%08x)",
		       e, wrong, GPRS, x.img[MVGPU_CTX_GPR(0)]);
		EXPECT_EQ(0, wrong);

		/* B runs in between and loads other values. */
		ASSERT_EQ(0, guest_ctx_create(v, &cb, RING, 0x1530 + k));
		cs.n = 0;
		cs_load_gprs(&cs, e, seed_b);
		guest_emit_cs(&cb, &cs);
		guest_run_ok(_metadata, v, e, &cb);

		/* X again, after its old tail: its own values. */
		cs.n = 0;
		cs_store_gprs(&cs, e, xout_ga);
		guest_emit_cs(&x, &cs);
		guest_run_ok(_metadata, a, e, &x);
		own = gprs_from(xout, seed_x, &nz);
		from_b = gprs_from(xout, seed_b, &nz);
		TH_LOG("engine %u: context X got back %u of %u of its GPR values, %u of vGPU B's",
		       e, own, GPRS, from_b);
		EXPECT_EQ(GPRS, own);

		/* A fresh context Y of vGPU A sees none of X's: all 0. */
		ASSERT_EQ(0, guest_ctx_create(a, &y, RING, 0x1540 + k));
		cs.n = 0;
		cs_store_gprs(&cs, e, yout_ga);
		guest_emit_cs(&y, &cs);
		guest_run_ok(_metadata, a, e, &y);
		crossed = gprs_from(yout, seed_x, &nz);
		from_b = gprs_from(yout, seed_b, &nz);
		TH_LOG("engine %u: fresh context Y read %u of X's GPR values and %u of B's, %u not 0",
		       e, crossed, from_b, nz);
		EXPECT_EQ(0, crossed);
		EXPECT_EQ(0, nz);
	}
	victim_intact(_metadata, self);
}

/* ---- Shadow page tables replaced while work is in flight ---- */

/*
 * Host memory one vGPU may make the host allocate, whatever its guest
 * does: Documentation/mediation.rst, "What a vGPU can make the host
 * allocate".
 */
#define VGPU_HOST_MEM_LIMIT_MB	128
#define CHURN_MS		16000	/* the attack runs this long */
#define CHURN_PTS		256	/* page tables under PML4[0]: half a PD */
#define CHURN_PT_PAGES		4	/* pages each maps: 4 MiB in all */
#define CHURN_IGNORED_BIT	(1ULL << 9)	/* of a PML4 entry */
#define MVGPU_TEST_MAX_SPTS	4096	/* gvt/ppgtt.h, tables live or waiting */
#define SEM_HOLD_MS		100	/* each BCS workload waits so long */
#define SEM_HOLD_LONG_MS	3000	/* or so long, past the table limit */
#define QUEUE_HOLD_MS	60000	/* hang_ms and BCS watchdog meanwhile */
#define MEM_BACK_SLACK_MB	16	/* what may stay allocated after close */

/* BCS keeps a semaphore wait in flight: each released once the next is queued. */
struct sem_stream {
	struct guest_ctx c;
	volatile uint32_t *sem;
	uint64_t sem_ga;
	uint32_t k;		/* workloads submitted; all below k released */
	uint64_t since;		/* when workload k was submitted */
	uint64_t hold_ms;	/* how long each one waits */
	int done, errors, idle;
};

static int sem_stream_init(struct guest *g, struct sem_stream *s, uint32_t id)
{
	memset(s, 0, sizeof(*s));
	s->hold_ms = SEM_HOLD_MS;
	s->sem = guest_map(g, PAGE, &s->sem_ga);
	if (!s->sem)
		return -ENOMEM;
	*s->sem = 0;
	return guest_ctx_create(g, &s->c, RING, id);
}

/* Queue workload k + 1 (waiting for sem >= k + 1), then release workload k. */
static int sem_stream_next(struct guest *g, struct sem_stream *s)
{
	struct cs cs = { .n = 0 };

	cs_sem(&cs, s->sem_ga, MVGPU_MI_SEMAPHORE_SAD_GTE_SDD, s->k + 1);
	guest_emit_cs(&s->c, &cs);
	if (guest_submit(g, BCS, &s->c, NULL))
		return -EIO;
	__sync_synchronize();
	*s->sem = s->k;
	s->k++;
	s->since = guest_now_ms();
	return 0;
}

/* Take the stream's CSB events; replace the waiting workload when due. */
static int sem_stream_poll(struct guest *g, struct sem_stream *s)
{
	struct guest_ev e;
	int got;

	while ((got = guest_csb_next(g, BCS, &e)) > 0) {
		if (e.status & MVGPU_CSB_ERROR)
			s->errors++;
		else if (e.status & MVGPU_CSB_COMPLETE)
			s->done++;
		if (e.status & MVGPU_CSB_ACTIVE_TO_IDLE)
			s->idle++;
	}
	if (got < 0)
		return got;
	if (guest_now_ms() - s->since < s->hold_ms)
		return 0;
	return sem_stream_next(g, s);
}

/* Release everything and wait until BCS is idle. */
static int sem_stream_end(struct guest *g, struct sem_stream *s)
{
	uint64_t end = guest_now_ms() + GUEST_TIMEOUT_MS;
	int idle = s->idle;

	*s->sem = s->k;
	while (s->idle == idle && guest_now_ms() < end) {
		s->since = guest_now_ms();	/* no more workloads */
		if (sem_stream_poll(g, s))
			return -EIO;
		usleep(1000);
	}
	return s->idle > idle ? 0 : -ETIMEDOUT;
}

/*
 * Without KVM every submission reads the guest's tables again; a changed
 * PML4 entry (an ignored bit flipped) drops the shadow of its whole
 * subtree and shadows it anew.  A vGPU with work in flight cannot free
 * the dropped tables at once (an engine may be walking them), but they
 * must still count against its limits: however long its engines stay
 * busy, the host memory it makes the host allocate stays under the
 * documented limit, and all of it comes back when the device is closed.
 */
/*
 * Keep BCS busy and resubmit a LEGACY_64B context on RCS, changing
 * PML4[0] before each submission: an ignored bit of it (@move false), or
 * its address, between two copies of the subtree (@move true), so that
 * every submission drops a whole subtree while work is in flight.
 */
static void churn_ppgtt(struct __test_metadata *_metadata,
			FIXTURE_DATA(hostile) *self, bool move)
{
	const long limit_kb = VGPU_HOST_MEM_LIMIT_MB * 1024L;
	struct guest *a = &self->a;
	long spt0, spt_max = 0, spt_end, pins_end;
	struct guest_ctx x;
	struct guest_ppgtt pp, pp2;
	uint64_t pml4e[2];
	struct host_mem m0, m, peak, m2, m3;
	struct sem_stream bs;
	struct guest_ev e;
	uint64_t *pml4, t0, end, last_mem = 0, rcs_since = 0;
	uint32_t *data = NULL, *data2 = NULL, *last;
	int rcs_busy = 0, rcs_runs = 0, rcs_done = 0, rcs_err = 0, got;
	const char *stop = "time";
	unsigned int j;

	/* PML4[0] -> PDP -> PD -> CHURN_PTS tables of CHURN_PT_PAGES pages. */
	ASSERT_EQ(0, guest_ppgtt_init(a, &pp));
	for (j = 0; j < CHURN_PTS; j++) {
		uint32_t *p = guest_ppgtt_map_new(a, &pp, GUEST_VA(0, 0, j, 0),
						  CHURN_PT_PAGES, NULL);

		ASSERT_TRUE(p != NULL);
		if (!j)
			data = p;
	}
	pml4 = guest_gpa_ptr(a, pp.pml4);
	ASSERT_TRUE(pml4 && (pml4[0] & MVGPU_PPGTT_PRESENT));
	pml4e[0] = pml4[0];
	pml4e[1] = pml4[0] ^ CHURN_IGNORED_BIT;
	if (move) {
		/* the same layout again: PML4[0] then swaps whole subtrees */
		ASSERT_EQ(0, guest_ppgtt_init(a, &pp2));
		for (j = 0; j < CHURN_PTS; j++) {
			uint32_t *p = guest_ppgtt_map_new(a, &pp2,
							  GUEST_VA(0, 0, j, 0),
							  CHURN_PT_PAGES, NULL);

			ASSERT_TRUE(p != NULL);
			if (!j)
				data2 = p;
		}
		pml4e[1] = ((uint64_t *)guest_gpa_ptr(a, pp2.pml4))[0];
	}
	ASSERT_EQ(0, guest_ctx64_create(a, &x, RING, 0x2500, pp.pml4));
	ASSERT_EQ(0, sem_stream_init(a, &bs, 0x2501));
	if (move) {
		/* long enough for RCS to drop more tables than the limit */
		ASSERT_EQ(0, allow_long_bcs_work(self, QUEUE_HOLD_MS));
		bs.hold_ms = SEM_HOLD_LONG_MS;
	}

	/* Shadowed once, while nothing is in flight. */
	GUEST_EMIT(&x, MVGPU_MI_STORE_DATA_IMM, 0, 0, 1);
	guest_run64_ok(_metadata, a, RCS, &x);
	ASSERT_EQ(1, data[0]);
	spt0 = vgpu_attr(a->uuid, "shadow_pages");
	host_mem(&m0);
	peak = m0;
	TH_LOG("before: available %.1f MiB (%.1f on per-CPU lists), Slab %.1f MiB, VmallocUsed %.1f MiB, shadow_pages %ld, pinned_pages %ld",
	       MIB(m0.avail), MIB(m0.pcp), MIB(m0.slab), MIB(m0.vmalloc), spt0,
	       vgpu_attr(a->uuid, "pinned_pages"));

	ASSERT_EQ(0, sem_stream_next(a, &bs));
	t0 = guest_now_ms();
	end = t0 + CHURN_MS;
	while (guest_now_ms() < end) {
		if (sem_stream_poll(a, &bs)) {
			stop = "BCS stream failed";
			break;
		}
		if (!rcs_busy) {
			pml4[0] = pml4e[(rcs_runs + 1) & 1];
			GUEST_EMIT(&x, MVGPU_MI_STORE_DATA_IMM, 0, 0, rcs_runs + 2);
			if (guest_submit64(a, RCS, &x, NULL)) {
				stop = "RCS submission failed";
				break;
			}
			rcs_busy = 1;
			rcs_runs++;
			rcs_since = guest_now_ms();
		}
		while ((got = guest_csb_next(a, RCS, &e)) > 0) {
			if (!(e.status & MVGPU_CSB_ACTIVE_TO_IDLE))
				continue;
			rcs_busy = 0;
			if (e.status & MVGPU_CSB_ERROR)
				rcs_err++;
			else
				rcs_done++;
		}
		if (rcs_busy && guest_now_ms() - rcs_since > GUEST_TIMEOUT_MS) {
			stop = "an RCS submission got no answer";
			break;
		}
		if (guest_now_ms() - last_mem >= 200) {
			last_mem = guest_now_ms();
			host_mem(&m);
			if (m.avail < peak.avail)
				peak = m;
			spt_end = vgpu_attr(a->uuid, "shadow_pages");
			if (spt_end > spt_max)
				spt_max = spt_end;
			/* Past twice the limit the outcome is clear: spare the VM. */
			if (m0.avail - m.avail > 2 * limit_kb) {
				stop = "twice the limit";
				break;
			}
		}
		usleep(1000);
	}
	host_mem(&m);
	if (m.avail < peak.avail)
		peak = m;
	TH_LOG("after %llu ms (stopped by %s): %d RCS submissions (%d completed, %d errors), %u BCS workloads (%d completed, %d errors, BCS idle %d times)",
	       (unsigned long long)(guest_now_ms() - t0), stop, rcs_runs,
	       rcs_done, rcs_err, bs.k, bs.done, bs.errors, bs.idle);
	TH_LOG("at the peak: available %.1f MiB (%.1f MiB less), Slab %.1f MiB (%+.1f), VmallocUsed %.1f MiB (%+.1f); shadow_pages at most %ld",
	       MIB(peak.avail), MIB(m0.avail - peak.avail), MIB(peak.slab),
	       MIB(peak.slab - m0.slab), MIB(peak.vmalloc),
	       MIB(peak.vmalloc - m0.vmalloc), spt_max);

	/* Idle: dropped tables may be freed now. */
	EXPECT_EQ(0, sem_stream_end(a, &bs));
	while (rcs_busy && guest_now_ms() - rcs_since < GUEST_TIMEOUT_MS) {
		while ((got = guest_csb_next(a, RCS, &e)) > 0)
			if (e.status & MVGPU_CSB_ACTIVE_TO_IDLE)
				rcs_busy = 0;
		usleep(1000);
	}
	EXPECT_EQ(0, rcs_busy);
	usleep(200 * 1000);
	host_mem(&m2);
	spt_end = vgpu_attr(a->uuid, "shadow_pages");
	pins_end = vgpu_attr(a->uuid, "pinned_pages");
	TH_LOG("idle: available %.1f MiB (%.1f MiB less than before), shadow_pages %ld, pinned_pages %ld, rejected %ld, failsafe %ld",
	       MIB(m2.avail), MIB(m0.avail - m2.avail), spt_end, pins_end,
	       vgpu_attr(a->uuid, "rejected"), vgpu_attr(a->uuid, "failsafe"));

	/*
	 * The work drained: the tables refused meanwhile are shadowed at
	 * the next submission, though the guest did not touch them again.
	 */
	last = !move || pml4[0] == pml4e[0] ? data : data2;
	GUEST_EMIT(&x, MVGPU_MI_STORE_DATA_IMM, 0, 0, 0x600d);
	guest_run64_ok(_metadata, a, RCS, &x);
	EXPECT_EQ(0x600d, ((volatile uint32_t *)last)[0]);

	/* Closed: everything comes back. */
	guest_close(a);
	usleep(200 * 1000);
	host_mem(&m3);
	TH_LOG("closed: available %.1f MiB (%+.1f MiB from before the attack, %.1f on per-CPU lists), VmallocUsed %.1f MiB",
	       MIB(m3.avail), MIB(m3.avail - m0.avail), MIB(m3.pcp),
	       MIB(m3.vmalloc));

	EXPECT_LT(m0.avail - peak.avail, limit_kb)
		TH_LOG("the vGPU made the host allocate %.1f MiB, the limit is %d MiB",
		       MIB(m0.avail - peak.avail), VGPU_HOST_MEM_LIMIT_MB);
	EXPECT_LE(m0.avail - m3.avail, MEM_BACK_SLACK_MB * 1024L);
	EXPECT_LE(spt_max, MVGPU_TEST_MAX_SPTS);
	EXPECT_LT(0, rcs_runs);
	EXPECT_LT(1, bs.k);
	victim_intact(_metadata, self);
}

TEST_F_TIMEOUT(hostile, ppgtt_shadows_replaced_while_work_is_in_flight_stay_within_the_vgpus_host_memory_limit, 300)
{
	churn_ppgtt(_metadata, self, false);
}

/*
 * The same with the subtree really replaced each time: the dropped
 * tables must wait for the work in flight, within the table limit (the
 * attacker's own later work may fault once it is reached).
 */
TEST_F_TIMEOUT(hostile, ppgtt_subtrees_swapped_while_work_is_in_flight_stay_within_the_vgpus_host_memory_limit, 300)
{
	churn_ppgtt(_metadata, self, true);
}

/* ---- A vGPU blocked under its lock ---- */

/*
 * The scheduler gives the next workload one slice (1 ms,
 * Documentation/mediation.rst, "Scheduling") before it preempts the
 * running one; on top of that a completion may take this long to reach
 * the guest: whatever another vGPU does, it may add no more than both to
 * the latency of a vGPU's tiny workloads.  The TCG VM on a loaded host
 * stalls now and then on its own: a victim alone saw up to 27 ms (its
 * p99 up to 23 ms), so the longest latency is allowed such a stall on
 * top, and the p99 may exceed the victim's own p99 just before (or
 * TINY_LATENCY_MAX_MS, if that is more) by TINY_LATENCY_MAX_MS.
 */
#define SCHED_SLICE_MS		1
#define DELIVERY_MARGIN_MS	10
#define TINY_LATENCY_MAX_MS	(SCHED_SLICE_MS + DELIVERY_MARGIN_MS)
#define TCG_STALL_MS		100
#define TINY_RUN_MS		2000	/* the victim's workloads, one after another */
#define TINY_BASE_MS		2000	/* ... before the attack, for comparison */
#define TINY_WAIT_MS		3000	/* one of them, at most */
#define TINY_MAX		8192
#define TINY_WARMUP_MS		300	/* first workloads, not counted */
#define BLOCK_WAIT_MS		10000	/* for the attacker to block in its fault */
#define CLOSE_WAIT_MS		3000	/* for the victim's removal */

/* The attacker's thread: a GGTT entry to the page, then a read through the aperture. */
struct ap_reader {
	pthread_t t;
	struct guest *g;
	uint64_t ga, gpa;
	volatile int pte_done, done;
	int pte_ret;
	uint32_t val;
};

static void *ap_reader_run(void *arg)
{
	struct ap_reader *r = arg;

	r->pte_ret = guest_set_pte(r->g, r->ga, r->gpa);
	r->pte_done = 1;
	r->val = guest_ap_rd(r->g, r->ga + 16);
	__sync_synchronize();
	r->done = 1;
	return NULL;
}

/* The victim's removal, in a thread. */
struct remover {
	pthread_t t;
	struct guest *g;
	volatile int done;
	int ret;
	uint64_t ms;
};

static void *remover_run(void *arg)
{
	struct remover *r = arg;
	uint64_t t0 = guest_now_ms();

	r->ret = guest_destroy(r->g);
	r->ms = guest_now_ms() - t0;
	__sync_synchronize();
	r->done = 1;
	return NULL;
}

/*
 * One tiny workload of @c on @g's BCS: microseconds from the ELSP write
 * to its completion in the CSB, -ETIMEDOUT after @ms, or -EIO.
 */
static long tiny_latency(struct guest *g, struct guest_ctx *c, uint64_t ga,
			 uint32_t val, int ms)
{
	uint64_t t0, end;
	struct guest_ev e;
	int got;

	GUEST_EMIT(c, MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, LO(ga),
		   HI(ga), val);
	t0 = now_us();
	end = t0 + ms * 1000ULL;
	if (guest_submit(g, BCS, c, NULL))
		return -EIO;
	for (;;) {
		while ((got = guest_csb_next(g, BCS, &e)) > 0)
			if (e.status & MVGPU_CSB_ACTIVE_TO_IDLE)
				return (e.status & GUEST_CSB_END) == GUEST_CSB_DONE ?
				       (long)(now_us() - t0) : -EIO;
		if (got < 0)
			return -EIO;
		if (now_us() > end)
			return -ETIMEDOUT;
		usleep(100);
	}
}

struct latencies {
	uint64_t us[TINY_MAX];
	int n, timeouts, errors;
};

/* Tiny workloads one after another for @ms (until one fails). */
static void tiny_run(struct guest *g, struct guest_ctx *c, uint64_t ga,
		     int ms, struct latencies *l)
{
	uint64_t end = guest_now_ms() + ms;
	long us;

	memset(l, 0, sizeof(*l));
	while (guest_now_ms() < end && l->n < TINY_MAX) {
		us = tiny_latency(g, c, ga, l->n + 1, TINY_WAIT_MS);
		if (us == -ETIMEDOUT) {
			l->timeouts++;
			break;
		}
		if (us < 0) {
			l->errors++;
			break;
		}
		l->us[l->n++] = us;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort; p50, p99 and max in ms. */
static void latency_figures(struct latencies *l, double *p50, double *p99,
			    double *max)
{
	*p50 = *p99 = *max = 0;
	if (!l->n)
		return;
	qsort(l->us, l->n, sizeof(l->us[0]), cmp_u64);
	*p50 = l->us[l->n / 2] / 1000.0;
	*p99 = l->us[(l->n * 99) / 100] / 1000.0;
	*max = l->us[l->n - 1] / 1000.0;
}

/*
 * The attacker's aperture read copies from guest memory with its vGPU's
 * lock held; the attacker's VMM never resolves the fault on that memory
 * (userfaultfd).  Its BCS workload then completes and its delivery needs
 * that lock.  The victim's tiny workloads must keep completing within
 * one slice and the delivery margin, and its removal must not wait for
 * the attacker.  On any outcome the fault is resolved before the test
 * checks anything, so nothing stays blocked.
 */
TEST_F_TIMEOUT(hostile, a_vgpu_stuck_in_a_userfault_under_its_lock_never_delays_another_vgpus_completions, 180)
{
	struct guest *a = &self->a, *v = &self->v;
	struct latencies *base = calloc(1, sizeof(*base));
	struct latencies *l = calloc(1, sizeof(*l));
	struct ap_reader rd = { .g = a };
	struct remover rm = { .g = v };
	struct guest_ctx s, vc;
	uint64_t fault_addr = 0, sem_ga = 0, vmark_ga = 0, t_rm;
	volatile uint32_t *sem;
	double p50, p99, max, b50, b99, bmax, p99_max;
	int blocked = 0, rd_started = 0, rm_started = 0, rm_in_time = 0, n;
	struct guest_ev ev[GUEST_MAX_EV];
	struct uffd_trap trap;
	uint32_t *vmark;

	ASSERT_TRUE(base && l);
	sem = guest_map(a, PAGE, &sem_ga);
	vmark = guest_map(v, PAGE, &vmark_ga);
	ASSERT_TRUE(sem && vmark);
	*sem = 0;
	ASSERT_EQ(0, guest_ctx_create(v, &vc, RING, 0x3500));

	/* The victim alone, for comparison (after a warm-up). */
	tiny_run(v, &vc, vmark_ga, TINY_WARMUP_MS, base);
	ASSERT_EQ(0, base->timeouts + base->errors);
	tiny_run(v, &vc, vmark_ga, TINY_BASE_MS, base);
	latency_figures(base, &b50, &b99, &bmax);
	TH_LOG("victim alone: %d tiny workloads, p50 %.2f ms, p99 %.2f ms, max %.2f ms",
	       base->n, b50, b99, bmax);
	ASSERT_EQ(0, base->timeouts + base->errors);

	/* The attacker's page its VMM never fills, mapped for DMA. */
	n = uffd_trap_open(&trap);
	ASSERT_EQ(0, n) TH_LOG("userfaultfd: %s", strerror(-n));
	ASSERT_EQ(0, mvgpu_vfio_map_dma(a->v, trap.page, EXTRA_IOVA(0), PAGE));

	/* A BCS workload of the attacker's in flight, waiting for sem == 1. */
	ASSERT_EQ(0, guest_ctx_create(a, &s, RING, 0x3501));
	GUEST_EMIT(&s, MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_USE_GGTT |
		   MVGPU_MI_SEMAPHORE_POLL | MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 1,
		   LO(sem_ga), HI(sem_ga));
	ASSERT_EQ(0, guest_submit(a, BCS, &s, NULL));

	/*
	 * From here to the fault's resolution nothing may return early:
	 * what is seen is only recorded.
	 */
	rd.ga = a->ap_base + a->ap_used;
	a->ap_used += PAGE;
	rd.gpa = EXTRA_IOVA(0);
	rd_started = !pthread_create(&rd.t, NULL, ap_reader_run, &rd);
	t_rm = guest_now_ms();
	while (rd_started && !blocked && !rd.done &&
	       guest_now_ms() - t_rm < BLOCK_WAIT_MS)
		blocked = !uffd_trap_wait(&trap, 10, &fault_addr);
	TH_LOG("attacker: GGTT entry %s (%d), aperture read %s, fault at 0x%llx",
	       rd.pte_done ? "written" : "not written", rd.pte_ret,
	       rd.done ? "returned" : "not returned",
	       (unsigned long long)fault_addr);
	if (!blocked)
		TH_LOG("the attacker never waited in the fault: nothing held its lock");
	if (rd_started && (blocked || rd.done)) {
		/* The attacker's workload completes; its delivery is attempted. */
		__sync_synchronize();
		*sem = 1;
		usleep(100 * 1000);
		tiny_run(v, &vc, vmark_ga, TINY_RUN_MS, l);
		t_rm = guest_now_ms();
		rm_started = !pthread_create(&rm.t, NULL, remover_run, &rm);
		while (rm_started && !rm.done &&
		       guest_now_ms() - t_rm < CLOSE_WAIT_MS + 1000)
			usleep(1000);
		rm_in_time = rm.done;
	}
	EXPECT_EQ(0, uffd_trap_release(&trap));
	if (rd_started)
		pthread_join(rd.t, NULL);
	*sem = 1;
	if (rm_started)
		pthread_join(rm.t, NULL);

	/* Now the checks. */
	ASSERT_TRUE(rd_started);
	latency_figures(l, &p50, &p99, &max);
	p99_max = (b99 > TINY_LATENCY_MAX_MS ? b99 : TINY_LATENCY_MAX_MS) +
		  TINY_LATENCY_MAX_MS;
	TH_LOG("victim while the attacker is blocked: %d tiny workloads completed, %d timed out (after %d ms), %d failed; p50 %.2f ms, p99 %.2f ms, max %.2f ms (at most %.2f and %d ms)",
	       l->n, l->timeouts, TINY_WAIT_MS, l->errors, p50, p99, max,
	       p99_max, TINY_LATENCY_MAX_MS + TCG_STALL_MS);
	TH_LOG("victim's removal took %llu ms: %s",
	       (unsigned long long)rm.ms,
	       rm_in_time ? "done while the attacker was blocked" :
	       "it returned only once the fault was resolved");
	EXPECT_EQ(0, l->timeouts);
	EXPECT_EQ(0, l->errors);
	EXPECT_LT(0, l->n);
	EXPECT_LE(p99, p99_max);
	EXPECT_LE(max, TINY_LATENCY_MAX_MS + TCG_STALL_MS);
	EXPECT_TRUE(rm_started);
	EXPECT_EQ(0, rm.ret);
	EXPECT_TRUE(rm_in_time);
	EXPECT_LE(rm.ms, CLOSE_WAIT_MS);
	if (rm_started && !rm.ret)
		self->made = 1;		/* the victim is gone */

	/* The attacker's read saw the zero page; its workload was delivered. */
	EXPECT_EQ(0, rd.val);
	n = guest_wait_csb(a, BCS, ev, GUEST_MAX_EV, GUEST_TIMEOUT_MS);
	ASSERT_LT(0, n);
	EXPECT_EQ(GUEST_CSB_DONE, ev[n - 1].status & GUEST_CSB_END);
	EXPECT_EQ(0, mvgpu_vfio_unmap_dma(a->v, EXTRA_IOVA(0), PAGE));
	uffd_trap_close(&trap);
	free(base);
	free(l);
	guest_fill_ok(_metadata, a, 0x3502, 0xff3355ff);
}

/* ---- A page unpinned while the engine may still write it ---- */

/*
 * The engine translates a graphics address, then writes the page; a GGTT
 * or PPGTT entry changed in between must not let it write the old page
 * once the user's unmap of that page has returned.  The window is one
 * row of a blit (one translation, one memset), so the test widens it: the
 * blitter's thread and the test share one CPU, the kernel preempts fully,
 * and the test runs as SCHED_FIFO, so each of its wake-ups stops the
 * engine wherever it is, sometimes between a translation and the write.
 * The test then moves the entry, unmaps the old page and zeroes it before
 * the engine runs again.  Settings are restored afterwards.
 */
#define MOVE_ATTEMPTS	20
#define MOVE_BUDGET_MS	30000	/* attempts stop here, so that settings are restored */
#define MOVE_END_MS	1500	/* for the blit's end; later, it was stopped */
#define MOVE_W		1024	/* pixels of 4 bytes: a row is the page */
#define MOVE_H		16384	/* rows, all the same row (pitch 0): 2^24 pixels */
#define MOVE_FILLS	3	/* 64 MiB each, about 50 ms in the TCG VM */
#define MOVE_SETTLE_MS	100	/* the engine runs on before P is checked */
#define PREEMPT_CTL	"/sys/kernel/debug/sched/preempt"
#define BLT_THREAD	"mvgpu0-bcs"

/* The blitter's thread pinned to CPU 0 with the test; full preemption. */
struct race_window {
	pid_t engine;
	cpu_set_t engine_was, self_was;
	char preempt_was[16];
	int engine_pinned, self_pinned;
};

/* The preemption model in effect ("none (voluntary) full": the one in parentheses). */
static int preempt_model(char *out, size_t len)
{
	char buf[128], *o, *c;

	if (sysfs_read(PREEMPT_CTL, buf, sizeof(buf)) <= 0)
		return -ENOENT;
	o = strchr(buf, '(');
	c = o ? strchr(o, ')') : NULL;
	if (!c || (size_t)(c - o - 1) >= len)
		return -EINVAL;
	memcpy(out, o + 1, c - o - 1);
	out[c - o - 1] = 0;
	return 0;
}

static void race_window_open(struct __test_metadata *_metadata,
			     struct race_window *w)
{
	char now[16];
	cpu_set_t cpu0;

	memset(w, 0, sizeof(*w));
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	w->engine = kthread_pid(BLT_THREAD);
	if (w->engine > 0 &&
	    !sched_getaffinity(w->engine, sizeof(w->engine_was), &w->engine_was))
		w->engine_pinned = !sched_setaffinity(w->engine, sizeof(cpu0), &cpu0);
	if (!sched_getaffinity(0, sizeof(w->self_was), &w->self_was))
		w->self_pinned = !sched_setaffinity(0, sizeof(cpu0), &cpu0);
	if (!preempt_model(w->preempt_was, sizeof(w->preempt_was)) &&
	    strcmp(w->preempt_was, "full") && sysfs_write(PREEMPT_CTL, "full"))
		w->preempt_was[0] = 0;
	if (preempt_model(now, sizeof(now)))
		snprintf(now, sizeof(now), "unknown");
	TH_LOG("race window: %s thread %d %s on CPU 0, test %s, preemption %s (was %s)",
	       BLT_THREAD, w->engine, w->engine_pinned ? "pinned" : "NOT pinned",
	       w->self_pinned ? "pinned" : "NOT pinned", now,
	       w->preempt_was[0] ? w->preempt_was : "unknown");
}

static void race_window_close(struct race_window *w)
{
	if (w->preempt_was[0] && strcmp(w->preempt_was, "full"))
		sysfs_write(PREEMPT_CTL, w->preempt_was);
	if (w->engine_pinned)
		sched_setaffinity(w->engine, sizeof(w->engine_was), &w->engine_was);
	if (w->self_pinned)
		sched_setaffinity(0, sizeof(w->self_was), &w->self_was);
}

static int set_fifo(int on)
{
	struct sched_param sp = { .sched_priority = on ? 1 : 0 };

	return pthread_setschedparam(pthread_self(), on ? SCHED_FIFO : SCHED_OTHER,
				     &sp);
}

/* Where the moved page's fill goes: a GGTT entry, or a PPGTT PTE. */
struct move_target {
	int ppgtt;
	struct guest_ppgtt pp;	/* PPGTT: the tables, shared by attempts */
	struct guest_ctx r;	/* PPGTT: an RCS context on them, to resync */
};

/* One attempt; returns the dwords of P written after the unmap, or -1. */
static int move_attempt(struct __test_metadata *_metadata,
			FIXTURE_DATA(hostile) *self, struct move_target *mt,
			unsigned int k)
{
	/* Bytes all alike: the fill is a memset, which never reads P back. */
	const uint32_t colour = (0x40 + k) * 0x01010101U;
	struct guest *a = &self->a;
	uint64_t iova1 = EXTRA_IOVA(2 * k), iova2 = EXTRA_IOVA(2 * k + 1);
	uint64_t ga, end, *pte = NULL;
	volatile uint32_t *p;
	uint32_t *p1, *q, i;
	struct guest_ctx c;
	struct cs cs;
	int written = 0, moved = -1, unmapped = -1, n, ran;
	struct guest_ev ev[GUEST_MAX_EV];

	if (mvgpu_vfio_guest_mem_alloc(a->v, iova1, PAGE, (void **)&p1) ||
	    mvgpu_vfio_guest_mem_alloc(a->v, iova2, PAGE, (void **)&q))
		return -1;
	p = p1;
	memset(p1, 0, PAGE);
	memset(q, 0, PAGE);
	if (mt->ppgtt) {
		ga = GUEST_VA(1, 0, 0, k);
		if (guest_ppgtt_map(a, &mt->pp, ga, iova1))
			return -1;
		pte = guest_ppgtt_entry(a, &mt->pp, ga, 1, 0);
		if (guest_ctx64_create(a, &c, RING, 0x4500 + k, mt->pp.pml4))
			return -1;
	} else {
		ga = a->hi_base + a->hi_used;
		a->hi_used += PAGE;
		if (guest_set_pte(a, ga, iova1) ||
		    guest_ctx_create(a, &c, RING, 0x4500 + k))
			return -1;
	}
	cs.n = 0;
	for (i = 0; i < MOVE_FILLS; i++)
		cs_fill(&cs, MVGPU_BR13_DEPTH_32, 0, 0, 0, MOVE_W, MOVE_H, ga,
			colour);
	guest_emit_cs(&c, &cs);
	if (mt->ppgtt)
		GUEST_EMIT(&mt->r, MVGPU_MI_NOOP, MVGPU_MI_NOOP);
	if (mt->ppgtt ? guest_submit64(a, BCS, &c, NULL) :
			guest_submit(a, BCS, &c, NULL))
		return -1;

	/* Each wake-up of ours stops the engine where it is. */
	set_fifo(1);
	end = guest_now_ms() + GUEST_TIMEOUT_MS;
	while (p[0] != colour && guest_now_ms() < end)
		usleep(200);
	ran = p[0] == colour;
	if (ran) {
		/* The entry moves to Q; P is zeroed, unmapped, zeroed. */
		if (mt->ppgtt) {
			*pte = iova2 | MVGPU_PPGTT_PRESENT;
			moved = guest_submit64(a, RCS, &mt->r, NULL);
		} else {
			moved = guest_set_pte(a, ga, iova2);
		}
		memset((void *)p, 0, PAGE);
		unmapped = mvgpu_vfio_unmap_dma(a->v, iova1, PAGE);
		memset((void *)p, 0, PAGE);
		__sync_synchronize();
		usleep(MOVE_SETTLE_MS * 1000);
		for (i = 0; i < PAGE / 4; i++)
			written += p[i] != 0;
	}
	set_fifo(0);
	n = guest_wait_csb(a, BCS, ev, GUEST_MAX_EV, MOVE_END_MS);
	TH_LOG("attempt %u: engine on P %s, moved %d, unmapped %d; %d dwords of P written after the unmap; Q[0] 0x%08x; BCS %s 0x%x",
	       k, ran ? "yes" : "NO", moved, unmapped, written, q[0],
	       n > 0 ? "ended" : "did not end", n > 0 ? ev[n - 1].status : 0);
	if (mt->ppgtt && n > 0)
		guest_wait_csb(a, RCS, ev, GUEST_MAX_EV, MOVE_END_MS);
	if (n <= 0) {
		/* The work was stopped: start afresh. */
		if (mvgpu_vfio_reset(a->v))
			return -1;
		a->ap_used = a->hi_used = 0;
		if (attacker_setup(self) || (mt->ppgtt &&
		    guest_ctx64_create(a, &mt->r, RING, 0x4600 + k, mt->pp.pml4)))
			return -1;
	}
	guest_clear_err(a, BCS);
	guest_ack_iir(a, 0xffffffff);
	return ran && !moved && !unmapped ? written : -1;
}

static void page_never_written_after_unmap(struct __test_metadata *_metadata,
					   FIXTURE_DATA(hostile) *self,
					   int ppgtt)
{
	struct move_target *mt = calloc(1, sizeof(*mt));
	uint64_t end = guest_now_ms() + MOVE_BUDGET_MS;
	struct race_window w;
	int k, got, hit = 0, tried = 0, bad = 0;

	ASSERT_TRUE(mt != NULL);
	mt->ppgtt = ppgtt;
	if (ppgtt) {
		ASSERT_EQ(0, guest_ppgtt_init(&self->a, &mt->pp));
		ASSERT_EQ(0, guest_ctx64_create(&self->a, &mt->r, RING, 0x4600,
						mt->pp.pml4));
	}
	race_window_open(_metadata, &w);
	for (k = 0; k < MOVE_ATTEMPTS && !hit && guest_now_ms() < end; k++) {
		got = move_attempt(_metadata, self, mt, k);
		if (got < 0) {
			bad++;
			break;
		}
		tried++;
		if (got)
			hit = k + 1;
	}
	race_window_close(&w);
	free(mt);
	TH_LOG("%d attempts; the engine wrote P after its unmap returned in attempt %d (0: never)",
	       tried, hit);
	EXPECT_EQ(0, bad);
	EXPECT_EQ(0, hit);
	EXPECT_LT(0, tried);
}

TEST_F_TIMEOUT(hostile, a_page_is_never_written_after_its_unmap_though_its_ggtt_entry_moved_under_a_running_blit, 120)
{
	page_never_written_after_unmap(_metadata, self, 0);
	guest_fill_ok(_metadata, &self->a, 0x4700, 0xff224466);
}

TEST_F_TIMEOUT(hostile, a_page_is_never_written_after_its_unmap_though_its_ppgtt_entry_moved_under_a_running_blit, 120)
{
	page_never_written_after_unmap(_metadata, self, 1);
	guest_fill_ok(_metadata, &self->a, 0x4700, 0xff224466);
}

/* ---- Refused workloads waiting in the queue ---- */

#define QUEUE_DEPTH	16	/* workloads per vGPU engine: gvt/sched.h */
#define REFUSED		(QUEUE_DEPTH - 1)	/* behind one that blocks */
#define BIG_RING	(512 * PAGE)	/* the largest ring: 2 MiB */
#define BIG_BATCH	(2U << 20)	/* half the batch bytes one workload may have */
/*
 * A refused workload holds nothing once refused: 15 of them and the
 * small shadows kept for reuse (32 of at most 64 KiB) stay far below
 * this, as does the noise of MemAvailable; the shadows of four refused
 * workloads of this test (4 MiB each) do not.
 */
#define REFUSED_GROWTH_MAX_MB	16

/* @n dwords of valid commands: LRIs of GPRs, then NOOPs. */
static void fill_valid(uint32_t *p, size_t n)
{
	size_t i = 0;
	unsigned int k;

	while (n - i >= 255) {
		p[i++] = MVGPU_MI_LOAD_REGISTER_IMM(127);
		for (k = 0; k < 127; k++) {
			p[i++] = MVGPU_BCS_BASE + MVGPU_RING_GPR(k % GPRS);
			p[i++] = k;
		}
	}
	while (i < n)
		p[i++] = MVGPU_MI_NOOP;
}

/*
 * A workload the scanner refuses is queued so that the guest hears
 * about it in order, but it must not keep its shadows meanwhile: the
 * engine is blocked by a semaphore wait, and as many workloads as the
 * queue takes, each with a 2 MiB ring and a 2 MiB batch of valid
 * commands ending in a register write off the allow-list, sit in it.
 * Then each is delivered as an error, in order.
 */
static int set_pin_limit(const char *uuid, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), MDEV_DIR "/%s/mvgpu/pin_limit", uuid);
	return sysfs_write(path, val);
}

/*
 * The attacker maps more pages than its pin limit lets it pin: the pins
 * past it are refused and counted, the store through such an entry is
 * the engine's GGTT fault, and once the limit is lifted the same entries
 * written again take effect.
 */
TEST_F(hostile, pins_past_the_vgpus_pin_limit_are_refused_until_it_is_lifted)
{
	struct guest *a = &self->a;
	long pins = vgpu_attr(a->uuid, "pinned_pages");
	long bad_ggtt = vgpu_attr(a->uuid, "bad_ggtt");
	uint32_t err_bit = MVGPU_GT_CS_ERROR_INTERRUPT << guest_irq_shift(BCS);
	struct guest_ev ev[GUEST_MAX_EV];
	char val[32];
	struct guest_ctx c;
	struct guest_err e;
	struct cs cs;
	uint32_t *p;
	uint64_t ga;
	int i, n;

	victim_start(_metadata, self);
	EXPECT_EQ(0, vgpu_attr(a->uuid, "pin_limit"));
	EXPECT_EQ(-EINVAL, set_pin_limit(a->uuid, "lots"));
	EXPECT_EQ(-EINVAL, set_pin_limit(a->uuid, "-1"));
	EXPECT_EQ(0, vgpu_attr(a->uuid, "pin_limit"));
	/* the context image and ring it needs, and 4 pages more */
	snprintf(val, sizeof(val), "%ld", pins + 1 + (long)(RING / PAGE) + 4);
	ASSERT_EQ(0, set_pin_limit(a->uuid, val));
	ASSERT_EQ(0, guest_ctx_create(a, &c, RING, self->next_id++));
	p = guest_map(a, 8 * PAGE, &ga);
	ASSERT_TRUE(p != NULL);
	EXPECT_EQ(pins + 1 + RING / PAGE + 4, vgpu_attr(a->uuid, "pinned_pages"));
	EXPECT_EQ(bad_ggtt + 4, vgpu_attr(a->uuid, "bad_ggtt"));

	/* page 3 is pinned, page 4 is not: its store faults */
	cs.n = 0;
	cs_sdi(&cs, ga + 3 * PAGE, 0x600d);
	cs_sdi(&cs, ga + 4 * PAGE + 8, 0xbadbad);
	guest_emit_cs(&c, &cs);
	n = guest_run(a, BCS, &c, NULL, ev, GUEST_MAX_EV);
	ASSERT_LT(0, n);
	guest_read_err(a, BCS, &e);
	EXPECT_EQ(MVGPU_CSB_ERROR | MVGPU_CSB_ACTIVE_TO_IDLE,
		  guest_end_ev(ev, n)->status & GUEST_CSB_END);
	EXPECT_EQ(MVGPU_ERR_GGTT_FAULT, GUEST_ERR_CODE(e.status));
	EXPECT_EQ(ga + 4 * PAGE + 8, e.fault_addr);
	EXPECT_EQ(0x600d, p[3 * PAGE / 4]);
	EXPECT_EQ(0, p[4 * PAGE / 4 + 2]);
	EXPECT_EQ(0, guest_clear_err(a, BCS));
	EXPECT_EQ(0, guest_ack_iir(a, err_bit));

	/* lifted: the same entries written again are pinned */
	ASSERT_EQ(0, set_pin_limit(a->uuid, "0"));
	for (i = 4; i < 8; i++)
		EXPECT_EQ(0, mvgpu_vfio_bar_write64(a->v, GUEST_BAR0,
			MVGPU_GGTT_OFFSET + ((ga >> MVGPU_GTT_PAGE_SHIFT) + i) * 8,
			guest_get_pte(a, ga + i * PAGE)));
	EXPECT_EQ(pins + 1 + RING / PAGE + 8, vgpu_attr(a->uuid, "pinned_pages"));
	EXPECT_EQ(bad_ggtt + 4, vgpu_attr(a->uuid, "bad_ggtt"));
	victim_ok(_metadata, self);
	attacker_recovers(_metadata, self);
}

TEST_F_TIMEOUT(hostile, refused_workloads_waiting_in_the_queue_hold_no_shadow_memory_and_are_delivered_in_order, 300)
{
	const uint32_t lri1 = MVGPU_MI_LOAD_REGISTER_IMM(1);
	const uint32_t tail = BIG_RING - 16, n = tail / 4;
	struct guest *a = &self->a;
	struct guest_ctx s, c[REFUSED];
	struct host_mem m0, m1, m2;
	uint64_t ring_ga = 0, batch_ga = 0, sem_ga = 0, t0, end;
	long rejected = vgpu_attr(a->uuid, "rejected");
	long completed = vgpu_attr(a->uuid, "completed");
	long sb0, sb1, sb2;
	uint32_t *ring, *batch, st, id;
	volatile uint32_t *sem;
	unsigned int i, wp, idx;
	struct guest_err err;

	ring = guest_map(a, BIG_RING, &ring_ga);
	batch = guest_map(a, BIG_BATCH, &batch_ga);
	sem = guest_map(a, PAGE, &sem_ga);
	ASSERT_TRUE(ring && batch && sem);
	*sem = 0;
	/* A store nothing may run, a batch, valid commands, the refused write. */
	ring[0] = MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT;
	ring[1] = LO(self->amark_ga);
	ring[2] = HI(self->amark_ga);
	ring[3] = 0xbadbad;
	ring[4] = MVGPU_MI_BATCH_BUFFER_START;
	ring[5] = LO(batch_ga);
	ring[6] = HI(batch_ga);
	fill_valid(ring + 7, n - 7 - 3);
	ring[n - 3] = lri1;
	ring[n - 2] = MVGPU_GDRST;
	ring[n - 1] = MVGPU_GDRST_FULL;
	fill_valid(batch, BIG_BATCH / 4 - 1);
	batch[BIG_BATCH / 4 - 1] = MVGPU_MI_BATCH_BUFFER_END;
	for (i = 0; i < REFUSED; i++)
		ASSERT_EQ(0, ctx_on_ring(a, &c[i], 0x5500 + i, ring_ga, ring,
					 BIG_RING, tail));
	ASSERT_EQ(0, allow_long_bcs_work(self, QUEUE_HOLD_MS));

	/* The blocker. */
	ASSERT_EQ(0, guest_ctx_create(a, &s, RING, 0x5400));
	GUEST_EMIT(&s, MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_USE_GGTT |
		   MVGPU_MI_SEMAPHORE_POLL | MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 1,
		   LO(sem_ga), HI(sem_ga));
	ASSERT_EQ(0, guest_submit(a, BCS, &s, NULL));
	usleep(100 * 1000);
	host_mem(&m0);
	sb0 = vgpu_attr(a->uuid, "shadow_bytes");

	t0 = guest_now_ms();
	for (i = 0; i < REFUSED; i++)
		ASSERT_EQ(0, guest_submit(a, BCS, &c[i], NULL));
	usleep(100 * 1000);
	host_mem(&m1);
	sb1 = vgpu_attr(a->uuid, "shadow_bytes");
	TH_LOG("%d refused workloads queued in %llu ms, behind the blocker",
	       REFUSED, (unsigned long long)(guest_now_ms() - t0));
	TH_LOG("while they wait: available %.1f MiB less, VmallocUsed %+.1f MiB, Slab %+.1f MiB, shadow_bytes %+.1f MiB",
	       MIB(m0.avail - m1.avail), MIB(m1.vmalloc - m0.vmalloc),
	       MIB(m1.slab - m0.slab), (double)(sb1 - sb0) / (1 << 20));
	/* Nothing delivered yet: they really waited. */
	EXPECT_EQ(a->csb_rp[BCS], csb_wp(a, BCS));

	/* Released: the blocker completes, each refused one is an error. */
	*sem = 1;
	end = guest_now_ms() + 4 * GUEST_TIMEOUT_MS;
	do {
		usleep(1000);
		wp = csb_wp(a, BCS);
		st = guest_eng_rd(a, BCS, MVGPU_RING_CSB(wp));
		id = guest_eng_rd(a, BCS, MVGPU_RING_CSB_CTX_ID(wp));
	} while (!(id == c[REFUSED - 1].id && (st & MVGPU_CSB_ACTIVE_TO_IDLE)) &&
		 guest_now_ms() < end);
	usleep(200 * 1000);
	host_mem(&m2);
	sb2 = vgpu_attr(a->uuid, "shadow_bytes");
	TH_LOG("delivered: last CSB entry 0x%x context 0x%x; available %.1f MiB less than before, VmallocUsed %+.1f MiB, shadow_bytes %+.1f MiB",
	       st, id, MIB(m0.avail - m2.avail), MIB(m2.vmalloc - m0.vmalloc),
	       (double)(sb2 - sb0) / (1 << 20));
	EXPECT_EQ(c[REFUSED - 1].id, id);
	/* The last six events, oldest first: the last six refused, in order. */
	for (i = 0; i < MVGPU_CSB_ENTRIES; i++) {
		unsigned int r = REFUSED - MVGPU_CSB_ENTRIES + i;
		uint32_t want = MVGPU_CSB_ERROR | (r == REFUSED - 1 ?
			MVGPU_CSB_ACTIVE_TO_IDLE : MVGPU_CSB_ELEMENT_SWITCH);

		idx = (wp + 1 + i) % MVGPU_CSB_ENTRIES;
		EXPECT_EQ(want, guest_eng_rd(a, BCS, MVGPU_RING_CSB(idx)) & GUEST_CSB_END)
			TH_LOG("CSB entry %u", idx);
		EXPECT_EQ(c[r].id, guest_eng_rd(a, BCS, MVGPU_RING_CSB_CTX_ID(idx)))
			TH_LOG("CSB entry %u", idx);
	}
	/* The capture holds the first one; every image its error. */
	guest_read_err(a, BCS, &err);
	EXPECT_EQ(c[0].id, err.ctx_id);
	EXPECT_EQ(MVGPU_ERR_REG_ACCESS, GUEST_ERR_CODE(err.status));
	EXPECT_EQ(MVGPU_SPACE_RING, GUEST_ERR_SPACE(err.status));
	EXPECT_EQ(4 * (n - 3), err.cmd_addr);
	EXPECT_EQ(lri1, err.header);
	for (i = 0; i < REFUSED; i++) {
		EXPECT_EQ(MVGPU_ERR_REG_ACCESS, c[i].img[MVGPU_CTX_ERROR])
			TH_LOG("context %u", i);
		EXPECT_EQ(0, c[i].img[MVGPU_CTX_RING_HEAD]) TH_LOG("context %u", i);
	}
	EXPECT_EQ(s.tail, s.img[MVGPU_CTX_RING_HEAD]);
	EXPECT_EQ(0, self->amark[0]);
	EXPECT_EQ(rejected + REFUSED, vgpu_attr(a->uuid, "rejected"));
	EXPECT_EQ(completed + 1, vgpu_attr(a->uuid, "completed"));
	EXPECT_EQ(0, vgpu_attr(a->uuid, "failsafe"));

	EXPECT_LT(m0.avail - m1.avail, REFUSED_GROWTH_MAX_MB * 1024L);
	EXPECT_LT(m1.vmalloc - m0.vmalloc, REFUSED_GROWTH_MAX_MB * 1024L);

	EXPECT_EQ(0, guest_clear_err(a, BCS));
	EXPECT_EQ(0, csb_catch_up(a, BCS));
	EXPECT_EQ(0, guest_ack_iir(a, 0xffffffff));
	guest_store_ok(_metadata, a, BCS, 0x5600, 0x600d5600);
}

/* ---- The display: planes the guest points anywhere (display.rst) ---- */

#define DW		64
#define DH		16
#define DSTRIDE		256		/* one page per surface */
#define XR24		0x34325258	/* DRM_FORMAT_XRGB8888 */

static int plane_query(struct guest *g, uint32_t type,
		       struct vfio_device_gfx_plane_info *p)
{
	return mvgpu_vfio_query_plane(g->v, type, 1 /* primary */, p);
}

/* Both plane types read "no plane" and the call succeeds. */
static void expect_no_plane(struct __test_metadata *_metadata,
			    struct guest *g, const char *what)
{
	struct vfio_device_gfx_plane_info p;

	EXPECT_EQ(0, plane_query(g, VFIO_GFX_PLANE_TYPE_REGION, &p)) TH_LOG("%s", what);
	EXPECT_EQ(0, p.drm_format) TH_LOG("%s: region plane shown", what);
	EXPECT_EQ(0, plane_query(g, VFIO_GFX_PLANE_TYPE_DMABUF, &p)) TH_LOG("%s", what);
	EXPECT_EQ(0, p.drm_format) TH_LOG("%s: dma-buf plane shown", what);
}

TEST(display_plane_pointed_anywhere_shows_only_own_memory)
{
	struct guest g;
	struct vfio_device_gfx_plane_info p;
	uint64_t ga, hole;
	uint32_t *px, buf[DW * DH];
	unsigned int i;

	ASSERT_EQ(0, guest_create(&g, "mvgpu-V1_8"));
	px = guest_map(&g, 4 * PAGE, &ga);
	ASSERT_NE(NULL, px);
	for (i = 0; i < 4 * PAGE / 4; i++)
		px[i] = 0x11111111;
	{
		const struct { uint64_t ga; uint32_t w, h, stride; const char *what; } bad[] = {
			{ guest_foreign_ga(&g), DW, DH, DSTRIDE, "foreign address" },
			{ 0xfffff000, DW, DH, DSTRIDE, "top of the address space" },
			{ g.hi_base + g.hi_size - PAGE, DW, 2 * DH, DSTRIDE, "across the end of hidden" },
			{ g.ap_base + g.ap_size - PAGE, DW, 2 * DH, DSTRIDE, "across the end of the aperture" },
			{ ga, DW, DH, 0x3ffc0, "huge stride" },
			{ ga, DW, DH, 64, "stride below a row" },
			{ ga, 8192, DH, 0x8000, "wider than the type" },
			{ ga, DW, 8192, DSTRIDE, "taller than the type" },
		};

		for (i = 0; i < ARRAY_LEN(bad); i++) {
			ASSERT_EQ(0, guest_plane_show(&g, bad[i].ga, bad[i].w, bad[i].h,
						      bad[i].stride,
						      MVGPU_DSPCNTR_FORMAT_XRGB8888));
			expect_no_plane(_metadata, &g, bad[i].what);
		}
	}
	/* an unknown format */
	ASSERT_EQ(0, guest_plane_show(&g, ga, DW, DH, DSTRIDE, 0x3U << 26));
	expect_no_plane(_metadata, &g, "unknown format");

	/* in its range, no GGTT entry: the region shows zeros, no dma-buf */
	hole = g.hi_base + g.hi_size - 8 * PAGE;
	ASSERT_EQ(0, guest_plane_show(&g, hole, DW, DH, DSTRIDE,
				      MVGPU_DSPCNTR_FORMAT_XRGB8888));
	ASSERT_EQ(0, plane_query(&g, VFIO_GFX_PLANE_TYPE_REGION, &p));
	EXPECT_EQ(XR24, p.drm_format);
	memset(buf, 0xa5, sizeof(buf));
	ASSERT_EQ((ssize_t)sizeof(buf), pread(mvgpu_vfio_device_fd(g.v), buf, sizeof(buf),
					      (off_t)MVGPU_VFIO_DISPLAY_REGION_INDEX << 40));
	for (i = 0; i < DW * DH; i++)
		if (buf[i])
			break;
	EXPECT_EQ(DW * DH, i) TH_LOG("pixel %u reads 0x%x", i, buf[i]);
	ASSERT_EQ(0, plane_query(&g, VFIO_GFX_PLANE_TYPE_DMABUF, &p));
	EXPECT_EQ(0, p.drm_format);

	/* entries naming memory the user never mapped: the same */
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, guest_set_pte(&g, hole + i * PAGE, 0x7f00000000ULL + i * PAGE));
	ASSERT_EQ(0, plane_query(&g, VFIO_GFX_PLANE_TYPE_REGION, &p));
	EXPECT_EQ(XR24, p.drm_format);
	memset(buf, 0xa5, sizeof(buf));
	ASSERT_EQ((ssize_t)sizeof(buf), pread(mvgpu_vfio_device_fd(g.v), buf, sizeof(buf),
					      (off_t)MVGPU_VFIO_DISPLAY_REGION_INDEX << 40));
	EXPECT_EQ(0, buf[0]);
	EXPECT_EQ(0, buf[DW * DH - 1]);
	ASSERT_EQ(0, plane_query(&g, VFIO_GFX_PLANE_TYPE_DMABUF, &p));
	EXPECT_EQ(0, p.drm_format);

	/* reads and maps past the region, writes, bad ids: refused */
	EXPECT_EQ(-1, pread(mvgpu_vfio_device_fd(g.v), buf, 8,
			    ((off_t)MVGPU_VFIO_DISPLAY_REGION_INDEX << 40) + (1ULL << 32)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pwrite(mvgpu_vfio_device_fd(g.v), buf, 8,
			     (off_t)MVGPU_VFIO_DISPLAY_REGION_INDEX << 40));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-ENOENT, mvgpu_vfio_get_dmabuf(g.v, 0));
	EXPECT_EQ(-ENOENT, mvgpu_vfio_get_dmabuf(g.v, 0xffffffff));
	EXPECT_EQ(-EINVAL, mvgpu_vfio_query_plane(g.v, VFIO_GFX_PLANE_TYPE_DMABUF, 7, &p));
	EXPECT_EQ(-EINVAL, mvgpu_vfio_query_plane(g.v, 0x80, 1, &p));

	/* and the good plane still shows */
	ASSERT_EQ(0, guest_plane_show(&g, ga, DW, DH, DSTRIDE,
				      MVGPU_DSPCNTR_FORMAT_XRGB8888));
	ASSERT_EQ(0, plane_query(&g, VFIO_GFX_PLANE_TYPE_DMABUF, &p));
	EXPECT_EQ(XR24, p.drm_format);
	EXPECT_EQ(0, guest_destroy(&g));
}

#define FLIPS	24

TEST(display_endless_flips_and_held_dmabufs_are_bounded)
{
	struct vfio_device_gfx_plane_info p;
	int fd[FLIPS + 8], nfd = 0, ok = 0, full = 0, i;
	uint64_t ga[FLIPS];
	struct guest g;

	ASSERT_EQ(0, guest_create(&g, "mvgpu-V1_8"));
	for (i = 0; i < FLIPS; i++)
		ASSERT_NE(NULL, guest_map(&g, PAGE, &ga[i]));
	ASSERT_EQ(0, guest_plane_show(&g, ga[0], DW, DH, DSTRIDE,
				      MVGPU_DSPCNTR_FORMAT_XRGB8888));
	for (i = 0; i < FLIPS; i++) {
		int ret;

		ASSERT_EQ(0, guest_wr(&g, MVGPU_DSPSURF, (uint32_t)ga[i]));
		ASSERT_TRUE(guest_plane_latched(&g, ga[i]));
		ret = plane_query(&g, VFIO_GFX_PLANE_TYPE_DMABUF, &p);
		if (ret == -ENOSPC) {
			full++;
			continue;
		}
		ASSERT_EQ(0, ret);
		fd[nfd] = mvgpu_vfio_get_dmabuf(g.v, p.dmabuf_id);
		ASSERT_LE(0, fd[nfd]);
		nfd++;
		ok++;
	}
	printf("# %d flips: %d dma-bufs held, %d queries refused\n", FLIPS, ok, full);
	EXPECT_GE(16, ok);
	EXPECT_EQ(FLIPS - ok, full);
	/* the user lets them go: the guest's screen shows again */
	while (nfd)
		close(fd[--nfd]);
	ASSERT_EQ(0, plane_query(&g, VFIO_GFX_PLANE_TYPE_DMABUF, &p));
	EXPECT_EQ(XR24, p.drm_format);
	/* one surface, exported again and again: bounded too */
	for (i = 0; i < 8; i++) {
		int f = mvgpu_vfio_get_dmabuf(g.v, p.dmabuf_id);

		if (f < 0) {
			EXPECT_EQ(-ENOSPC, f);
			break;
		}
		fd[nfd++] = f;
	}
	EXPECT_EQ(4, i);
	while (nfd)
		close(fd[--nfd]);
	EXPECT_EQ(0, guest_destroy(&g));
}

/* A dma-buf of @g's plane at @ga, mapped; its fd in @fd. */
static uint32_t *dmabuf_of(struct guest *g, uint64_t ga, int *fd)
{
	struct vfio_device_gfx_plane_info p;
	void *m;

	if (guest_plane_show(g, ga, DW, DH, DSTRIDE, MVGPU_DSPCNTR_FORMAT_XRGB8888) ||
	    plane_query(g, VFIO_GFX_PLANE_TYPE_DMABUF, &p) || !p.drm_format)
		return NULL;
	*fd = mvgpu_vfio_get_dmabuf(g->v, p.dmabuf_id);
	if (*fd < 0)
		return NULL;
	m = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, *fd, 0);
	return m == MAP_FAILED ? NULL : m;
}

TEST(display_dmabuf_outlives_unmap_close_and_removal)
{
	struct vfio_device_gfx_plane_info p;
	struct guest g;
	uint32_t *px, *m;
	uint64_t ga;
	int fd;

	/* the user unmaps the guest memory behind an exported surface */
	ASSERT_EQ(0, guest_create(&g, "mvgpu-V1_8"));
	ASSERT_NE(NULL, px = guest_map(&g, PAGE, &ga));
	px[0] = 0x600dcafe;
	ASSERT_NE(NULL, m = dmabuf_of(&g, ga, &fd));
	EXPECT_EQ(0x600dcafe, m[0]);
	EXPECT_EQ(0, mvgpu_vfio_guest_mem_free(g.v, g.mem));
	g.mem = NULL;
	/* still its page, not another's */
	EXPECT_EQ(0x600dcafe, m[0]);
	EXPECT_EQ(0, plane_query(&g, VFIO_GFX_PLANE_TYPE_DMABUF, &p));
	EXPECT_EQ(0, p.drm_format);
	/* closed, then removed, with the dma-buf open and mapped */
	guest_close(&g);
	EXPECT_EQ(0x600dcafe, m[0]);
	EXPECT_EQ(0, guest_destroy(&g));
	EXPECT_EQ(0x600dcafe, m[0]);
	munmap(m, PAGE);
	close(fd);

	/* removal with an unmapped dma-buf fd, then close */
	ASSERT_EQ(0, guest_create(&g, "mvgpu-V1_8"));
	ASSERT_NE(NULL, px = guest_map(&g, PAGE, &ga));
	ASSERT_NE(NULL, m = dmabuf_of(&g, ga, &fd));
	munmap(m, PAGE);
	EXPECT_EQ(0, guest_destroy(&g));
	close(fd);
}

TEST_HARNESS_MAIN
