// SPDX-License-Identifier: GPL-2.0-only
/*
 * Isolation between vGPUs, driven through VFIO: an "attacker" vGPU tries
 * to reach a "victim" vGPU's graphics memory and guest memory through
 * every path a guest has (GGTT entries, command operands, batch starts,
 * register commands, PPGTT entries, the aperture).  Each attempt must be
 * refused or fault on the attacker's side, and afterwards every byte of
 * the victim's guest memory (pattern-filled, with surfaces and a batch
 * in both its graphics memory ranges) is what it was, its GGTT entries
 * and counters are untouched, and it still runs work.
 *
 * The "tenant" tests (end of the file) look for what one user of the
 * pGPU leaves behind for the next: another vGPU, the next user of the
 * same vGPU, a vGPU created in a removed one's place
 * (Documentation/mediation.rst, "What one tenant leaves for the next").
 */
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "native_util.h"

#define RCS	MVGPU_ENGINE_RCS
#define BCS	MVGPU_ENGINE_BCS
#define RING	(4 * GUEST_PAGE)
#define SURF	(16 * GUEST_PAGE)	/* victim surfaces: 64 KiB each */

/* Rejections the attacker may collect before a reset (failsafe at 16). */
#define REJECT_BUDGET	12
#define MVGPU_FAILSAFE_AT 16

/* The victim's recognisable dword @i of guest memory. */
static uint32_t vpat(uint32_t i)
{
	return 0x71c70000U ^ guest_pattern(i + 0x5eed);
}

FIXTURE(iso) {
	struct guest a, v;		/* attacker, victim */
	int made;
	uint8_t *vsnap;			/* victim guest memory after setup */
	uint64_t skip_lo, skip_hi;	/* ... offsets not compared */
	uint64_t vap_ga, vhi_ga;	/* victim surfaces */
	uint32_t *vap, *vhi;
	uint64_t vpte[4];		/* victim GGTT entries, as set up */
	uint64_t vpte_ga[4];
	uint64_t amark_ga;		/* attacker's page for its own stores */
	uint32_t *amark;
	struct guest_ppgtt app;		/* attacker's PPGTT */
	int rejects;			/* attacker's since its last reset */
	uint32_t next_id;
};

/* The attacker after open or reset: engines started, a mark page. */
static int attacker_setup(FIXTURE_DATA(iso) *self)
{
	int ret = guest_start(&self->a);

	self->amark = guest_map(&self->a, GUEST_PAGE, &self->amark_ga);
	if (!self->amark)
		return ret ?: -ENOMEM;
	memset(self->amark, 0, GUEST_PAGE);
	ret = ret ?: guest_ppgtt_init(&self->a, &self->app);
	self->rejects = 0;
	return ret;
}

static int victim_setup(FIXTURE_DATA(iso) *self)
{
	struct guest *v = &self->v;
	uint32_t *m = (uint32_t *)v->mem, i;
	struct cs b = { .n = 0 };
	int ret = guest_start(v);

	if (ret)
		return ret;
	for (i = 0; i < v->size / 4; i++)
		m[i] = vpat(i);
	/* Surfaces at the very start of both of its ranges. */
	self->vap = guest_map_ap(v, SURF, &self->vap_ga);
	self->vhi = guest_map(v, SURF, &self->vhi_ga);
	if (!self->vap || !self->vhi)
		return -ENOMEM;
	/* A batch the attacker would like to run: it stores into its mark. */
	cs_sdi(&b, self->amark_ga, 0xa77ac4ed);
	CS(&b, MVGPU_MI_BATCH_BUFFER_END);
	memcpy(self->vhi, b.dw, 4 * b.n);
	memcpy(self->vap, b.dw, 4 * b.n);
	self->vpte_ga[0] = self->vap_ga;
	self->vpte_ga[1] = self->vap_ga + SURF - GUEST_PAGE;
	self->vpte_ga[2] = self->vhi_ga;
	self->vpte_ga[3] = self->vhi_ga + SURF - GUEST_PAGE;
	for (i = 0; i < 4; i++)
		self->vpte[i] = guest_get_pte(v, self->vpte_ga[i]);
	self->vsnap = malloc(v->size);
	if (!self->vsnap)
		return -ENOMEM;
	memcpy(self->vsnap, v->mem, v->size);
	self->skip_lo = self->skip_hi = 0;
	return 0;
}

FIXTURE_SETUP(iso)
{
	int ret;

	ret = guest_create(&self->a, "mvgpu-V1_8");
	if (!ret) {
		self->made = 1;
		ret = guest_create(&self->v, "mvgpu-V1_8");
	}
	if (!ret) {
		self->made = 2;
		ret = attacker_setup(self);
	}
	ret = ret ?: victim_setup(self);
	self->next_id = 0x100;
	if (ret) {
		if (self->made > 1)
			guest_destroy(&self->v);
		if (self->made > 0)
			guest_destroy(&self->a);
		self->made = 0;
	}
	ASSERT_EQ(0, ret);
	TH_LOG("attacker: aperture 0x%llx+0x%llx hidden 0x%llx+0x%llx; victim: aperture 0x%llx+0x%llx hidden 0x%llx+0x%llx",
	       (unsigned long long)self->a.ap_base, (unsigned long long)self->a.ap_size,
	       (unsigned long long)self->a.hi_base, (unsigned long long)self->a.hi_size,
	       (unsigned long long)self->v.ap_base, (unsigned long long)self->v.ap_size,
	       (unsigned long long)self->v.hi_base, (unsigned long long)self->v.hi_size);
	ASSERT_EQ(self->v.ap_base, self->vap_ga);
	ASSERT_EQ(self->v.hi_base, self->vhi_ga);
}

FIXTURE_TEARDOWN(iso)
{
	free(self->vsnap);
	if (self->made > 1)
		EXPECT_EQ(0, guest_destroy(&self->v));
	if (self->made > 0)
		EXPECT_EQ(0, guest_destroy(&self->a));
}

/*
 * Every byte of the victim's guest memory is as set up (but the range
 * [skip_lo, skip_hi) the victim itself writes to), its GGTT entries and
 * aperture read as before and nothing of the attacker's doings was
 * counted against it.
 */
static void victim_intact(struct __test_metadata *_metadata,
			  FIXTURE_DATA(iso) *self)
{
	struct guest *v = &self->v;
	long off = guest_mem_diff_range(v, self->vsnap, self->skip_lo,
					self->skip_hi);
	int i;

	ASSERT_EQ(-1, off) TH_LOG("victim guest memory changed at gpa 0x%llx: 0x%02x, was 0x%02x",
				  (unsigned long long)(v->iova + off),
				  v->mem[off], self->vsnap[off]);
	for (i = 0; i < 4; i++) {
		uint64_t ga = self->vpte_ga[i], want = self->vpte[i];

		EXPECT_EQ(want, guest_get_pte(v, ga))
			TH_LOG("victim GGTT entry of 0x%llx",
			       (unsigned long long)ga);
	}
	EXPECT_EQ(self->vap[5], guest_ap_rd(v, self->vap_ga + 20));
	EXPECT_EQ(0, vgpu_attr(v->uuid, "bad_ggtt"));
	EXPECT_EQ(0, vgpu_attr(v->uuid, "bad_aperture"));
	EXPECT_EQ(0, vgpu_attr(v->uuid, "bad_ppgtt"));
	EXPECT_EQ(0, vgpu_attr(v->uuid, "rejected"));
	EXPECT_EQ(0, vgpu_attr(v->uuid, "errors"));
	EXPECT_EQ(0, vgpu_attr(v->uuid, "failsafe"));
	EXPECT_EQ(0, guest_rd(v, MVGPU_GDRST));
	EXPECT_EQ(0, guest_eng_rd(v, RCS, MVGPU_RING_ERR_STATUS));
	EXPECT_EQ(0, guest_eng_rd(v, BCS, MVGPU_RING_ERR_STATUS));
}

/* The victim still runs work: a fill and a store. */
static void victim_works(struct __test_metadata *_metadata,
			 FIXTURE_DATA(iso) *self)
{
	char why[160] = "";

	EXPECT_EQ(0, guest_fill_check(&self->v, 0x7777, 0xff10c7ed, why,
				      sizeof(why)))
		TH_LOG("victim: %s", why);
}

/*
 * The attacker is about to collect @n rejections: if that would put it
 * into failsafe mode, reset it and start it again first (its GGTT is
 * cleared: call this before mapping anything for the attack).
 */
static void attacker_budget(struct __test_metadata *_metadata,
			    FIXTURE_DATA(iso) *self, int n)
{
	if (self->rejects + n <= REJECT_BUDGET)
		return;
	ASSERT_EQ(0, mvgpu_vfio_reset(self->a.v));
	ASSERT_EQ(0, attacker_setup(self));
}

/*
 * The attacker submits a good store into its mark page, the @n dwords of
 * @bad, another good store; on @engine.  The scanner must refuse it all:
 * an ERROR event, the capture's code @code for the command at ring
 * offset 16 (or, with @cmd_addr != ~0, at @cmd_addr of @space) and, if
 * @fault != ~0, @fault as the offending address; the mark page untouched,
 * the attacker's rejected count up by one.
 */
static void attack_rejected(struct __test_metadata *_metadata,
			    FIXTURE_DATA(iso) *self, unsigned int engine,
			    const uint32_t *bad, int n, uint32_t code,
			    uint32_t space, uint64_t cmd_addr, uint64_t fault)
{
	struct guest *a = &self->a;
	long rejected, completed;
	struct guest_ev ev[GUEST_MAX_EV];
	struct cs cs = { .n = 0 };
	const struct guest_ev *end;
	struct guest_err e;
	struct guest_ctx c;
	int i, k;

	ASSERT_GT(MVGPU_FAILSAFE_AT, self->rejects);
	rejected = vgpu_attr(a->uuid, "rejected");
	completed = vgpu_attr(a->uuid, "completed");
	ASSERT_EQ(0, guest_ctx_create(a, &c, RING, self->next_id++));
	cs_sdi(&cs, self->amark_ga, 0x11111111);
	for (i = 0; i < n; i++)
		CS(&cs, bad[i]);
	cs_sdi(&cs, self->amark_ga + 4, 0x22222222);
	guest_emit_cs(&c, &cs);
	k = guest_run(a, engine, &c, NULL, ev, GUEST_MAX_EV);
	self->rejects++;
	ASSERT_LT(0, k) TH_LOG("wait: %d", k);
	end = guest_end_ev(ev, k);
	ASSERT_TRUE(end != NULL);
	guest_read_err(a, engine, &e);
	TH_LOG("header 0x%08x on %s: CSB 0x%x, ERR_STATUS 0x%x cmd 0x%llx fault 0x%llx",
	       bad[0], engine == RCS ? "RCS" : "BCS", end->status, e.status,
	       (unsigned long long)e.cmd_addr, (unsigned long long)e.fault_addr);
	EXPECT_TRUE(end->status & MVGPU_CSB_ERROR);
	EXPECT_FALSE(end->status & MVGPU_CSB_COMPLETE);
	EXPECT_EQ(c.id, end->ctx_id);
	EXPECT_TRUE(e.status & MVGPU_ERR_STATUS_VALID);
	EXPECT_EQ(code, GUEST_ERR_CODE(e.status));
	EXPECT_EQ(cmd_addr == ~0ULL ? MVGPU_SPACE_RING : space,
		  GUEST_ERR_SPACE(e.status));
	EXPECT_EQ(cmd_addr == ~0ULL ? 16 : cmd_addr, e.cmd_addr);
	if (fault != ~0ULL)
		EXPECT_EQ(fault, e.fault_addr);
	__sync_synchronize();
	for (i = 0; i < 1024; i++)
		ASSERT_EQ(0, self->amark[i]) TH_LOG("attacker mark dword %d", i);
	EXPECT_EQ(rejected + 1, vgpu_attr(a->uuid, "rejected"));
	EXPECT_EQ(completed, vgpu_attr(a->uuid, "completed"));
	EXPECT_EQ(0, guest_clear_err(a, engine));
	EXPECT_EQ(0, guest_ack_iir(a, 0xffffffff));
}

/* ---- the attacks ---- */

static void attack_ggtt_entries(struct __test_metadata *_metadata,
				FIXTURE_DATA(iso) *self)
{
	struct guest *a = &self->a;
	const uint64_t target[] = {
		self->v.ap_base, self->v.ap_base + SURF - GUEST_PAGE,
		self->v.ap_base + self->v.ap_size - GUEST_PAGE,
		self->v.hi_base, self->v.hi_base + SURF - GUEST_PAGE,
		self->v.hi_base + self->v.hi_size - GUEST_PAGE,
	};
	long pins = vgpu_attr(a->uuid, "pinned_pages");
	unsigned int i;

	for (i = 0; i < sizeof(target) / sizeof(target[0]); i++) {
		long bad = vgpu_attr(a->uuid, "bad_ggtt");

		ASSERT_FALSE(guest_in_range(a, target[i]));
		/* Point the victim's address at the attacker's own page. */
		ASSERT_EQ(0, guest_set_pte(a, target[i], a->iova));
		EXPECT_EQ(bad + 1, vgpu_attr(a->uuid, "bad_ggtt"))
			TH_LOG("entry of 0x%llx", (unsigned long long)target[i]);
		EXPECT_EQ(0, guest_get_pte(a, target[i]));
		EXPECT_EQ(0, mvgpu_vfio_bar_write32(a->v, GUEST_BAR0,
						    MVGPU_GGTT_OFFSET + 4 +
						    (target[i] >> 12) * 8, 1));
		EXPECT_EQ(0, guest_get_pte(a, target[i]));
		EXPECT_LE(bad + 3, vgpu_attr(a->uuid, "bad_ggtt"));
	}
	EXPECT_EQ(pins, vgpu_attr(a->uuid, "pinned_pages"));
}

static void attack_stores(struct __test_metadata *_metadata,
			  FIXTURE_DATA(iso) *self)
{
	attacker_budget(_metadata, self, 4);
	const uint64_t ap = self->v.ap_base + 8, hi = self->v.hi_base + 0x100;
	const uint32_t pc = MVGPU_PIPE_CONTROL_WRITE_IMM |
			    MVGPU_PIPE_CONTROL_GLOBAL_GTT;
	const uint32_t sdi_ap[] = {
		MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, LO(ap), HI(ap), 0xbad,
	};
	const uint32_t sdi_hi[] = {
		MVGPU_MI_STORE_DATA_IMM_QW | MVGPU_MI_USE_GGTT, LO(hi), HI(hi),
		0xbad, 0xbad,
	};
	const uint32_t pipe[] = {
		MVGPU_PIPE_CONTROL_DW, pc, LO(hi), HI(hi), 0xbad,
	};
	const uint32_t flush[] = {
		MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_STOREDW,
		LO(ap) | MVGPU_MI_FLUSH_DW_USE_GTT, HI(ap), 0xbad,
	};

	attack_rejected(_metadata, self, BCS, sdi_ap, 4, MVGPU_ERR_GGTT_FAULT,
			0, ~0ULL, ap);
	attack_rejected(_metadata, self, RCS, sdi_hi, 5, MVGPU_ERR_GGTT_FAULT,
			0, ~0ULL, hi);
	attack_rejected(_metadata, self, RCS, pipe, 5, MVGPU_ERR_GGTT_FAULT,
			0, ~0ULL, hi);
	attack_rejected(_metadata, self, BCS, flush, 4, MVGPU_ERR_GGTT_FAULT,
			0, ~0ULL, ap);
}

static void attack_blits(struct __test_metadata *_metadata,
			 FIXTURE_DATA(iso) *self)
{
	attacker_budget(_metadata, self, 6);
	struct guest *a = &self->a;
	const uint64_t vap = self->v.ap_base, vhi = self->v.hi_base;
	const uint64_t a_end = a->ap_base + a->ap_size - GUEST_PAGE;
	uint64_t own = 0;
	uint32_t *p, saved[1024], i;
	struct cs fill = { .n = 0 }, rd = { .n = 0 }, wr = { .n = 0 },
		  fast = { .n = 0 }, run = { .n = 0 }, tall = { .n = 0 };

	p = guest_map(a, GUEST_PAGE, &own);
	ASSERT_TRUE(p != NULL);
	for (i = 0; i < 1024; i++)
		p[i] = 0xa0000000 | i;
	memcpy(saved, p, sizeof(saved));
	cs_fill(&fill, MVGPU_BR13_DEPTH_32, 256, 0, 0, 64, 16, vap, 0xbadbad);
	/* Read attempt: the victim's surface into the attacker's page. */
	cs_copy(&rd, MVGPU_BR13_DEPTH_32, 256, 0, 0, 64, 4, own, 0, 0, 256, vhi);
	cs_copy(&wr, MVGPU_BR13_DEPTH_32, 256, 0, 0, 64, 4, vhi, 0, 0, 256, own);
	cs_fast_copy(&fast, MVGPU_FAST_COPY_DEPTH_32, 256, 0, 0, 64, 4, own,
		     0, 0, 256, vap);
	/* From the attacker's last aperture page on into what follows it. */
	cs_fill(&run, MVGPU_BR13_DEPTH_32, 4096, 0, 0, 1024, 4, a_end, 0xbadbad);
	/* In its own page, but a pitch that strides into the victim. */
	cs_fill(&tall, MVGPU_BR13_DEPTH_32, 0xfffc, 0, 0, 4, 0x7fff, own,
		0xbadbad);

	attack_rejected(_metadata, self, BCS, fill.dw, fill.n,
			MVGPU_ERR_GGTT_FAULT, 0, ~0ULL, ~0ULL);
	attack_rejected(_metadata, self, BCS, rd.dw, rd.n,
			MVGPU_ERR_GGTT_FAULT, 0, ~0ULL, ~0ULL);
	attack_rejected(_metadata, self, BCS, wr.dw, wr.n,
			MVGPU_ERR_GGTT_FAULT, 0, ~0ULL, ~0ULL);
	attack_rejected(_metadata, self, BCS, fast.dw, fast.n,
			MVGPU_ERR_GGTT_FAULT, 0, ~0ULL, ~0ULL);
	attack_rejected(_metadata, self, BCS, run.dw, run.n,
			MVGPU_ERR_GGTT_FAULT, 0, ~0ULL, ~0ULL);
	attack_rejected(_metadata, self, BCS, tall.dw, tall.n,
			MVGPU_ERR_GGTT_FAULT, 0, ~0ULL, ~0ULL);
	__sync_synchronize();
	EXPECT_EQ(0, memcmp(saved, p, sizeof(saved)))
		TH_LOG("the attacker's own page changed");
}

static void attack_batches(struct __test_metadata *_metadata,
			   FIXTURE_DATA(iso) *self)
{
	attacker_budget(_metadata, self, 3);
	struct guest *a = &self->a;
	const uint64_t vhi = self->v.hi_base, vap = self->v.ap_base;
	const uint32_t ring[] = { MVGPU_MI_BATCH_BUFFER_START, LO(vhi), HI(vhi) };
	uint64_t own = 0;
	uint32_t *p, bbs[3] = { MVGPU_MI_BATCH_BUFFER_START, 0, 0 };

	attack_rejected(_metadata, self, BCS, ring, 3, MVGPU_ERR_GGTT_FAULT,
			0, ~0ULL, vhi);
	/* From a batch of its own: chain, then call, into the victim's. */
	p = guest_map(a, GUEST_PAGE, &own);
	ASSERT_TRUE(p != NULL);
	memset(p, 0, GUEST_PAGE);
	p[0] = MVGPU_MI_NOOP;
	p[1] = MVGPU_MI_BATCH_BUFFER_START;
	p[2] = LO(vap);
	p[3] = HI(vap);
	p[4] = MVGPU_MI_BATCH_BUFFER_START | MVGPU_MI_BB_SECOND_LEVEL;
	p[5] = LO(vhi);
	p[6] = HI(vhi);
	p[7] = MVGPU_MI_BATCH_BUFFER_END;
	bbs[1] = LO(own);
	bbs[2] = HI(own);
	attack_rejected(_metadata, self, RCS, bbs, 3, MVGPU_ERR_GGTT_FAULT,
			MVGPU_SPACE_GGTT, own + 4, vap);
	p[1] = MVGPU_MI_NOOP;
	p[2] = MVGPU_MI_NOOP;
	p[3] = MVGPU_MI_NOOP;
	attack_rejected(_metadata, self, BCS, bbs, 3, MVGPU_ERR_GGTT_FAULT,
			MVGPU_SPACE_GGTT, own + 16, vhi);
}

static void attack_registers(struct __test_metadata *_metadata,
			     FIXTURE_DATA(iso) *self)
{
	attacker_budget(_metadata, self, 10);
	const uint64_t vap = self->v.ap_base, vhi = self->v.hi_base;
	/* Absolute names: the scanner refuses relative ones (see report). */
	const uint32_t gpr0 = MVGPU_RCS_BASE + MVGPU_RING_GPR(0);
	const uint32_t bgpr0 = MVGPU_BCS_BASE + MVGPU_RING_GPR(0);
	const uint32_t lri_reg[] = {
		MVGPU_GDRST,				/* reset */
		MVGPU_BCS_BASE + MVGPU_RING_GPR(0),	/* another engine's */
		MVGPU_RCS_BASE + MVGPU_RING_ELSP,	/* submission */
		MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_APERTURE_BASE_REG,
		MVGPU_MASTER_IRQ,
		MVGPU_RCS_BASE + MVGPU_RING_ERR_STATUS,
	};
	const uint32_t lri2[] = {	/* an allowed pair does not help */
		MVGPU_MI_LOAD_REGISTER_IMM(2), gpr0, 1, MVGPU_GDRST,
		MVGPU_GDRST_FULL,
	};
	const uint32_t srm[] = {
		MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT, gpr0, LO(vap),
		HI(vap),
	};
	const uint32_t lrm[] = {
		MVGPU_MI_LOAD_REGISTER_MEM | MVGPU_MI_USE_GGTT, bgpr0, LO(vhi),
		HI(vhi),
	};
	const uint32_t srm_reg[] = {
		MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT,
		MVGPU_BCS_BASE + MVGPU_RING_GPR(0), LO(self->amark_ga + 64),
		HI(self->amark_ga + 64),
	};
	unsigned int i;

	for (i = 0; i < sizeof(lri_reg) / sizeof(lri_reg[0]); i++) {
		const uint32_t lri[] = {
			MVGPU_MI_LOAD_REGISTER_IMM(1), lri_reg[i],
			lri_reg[i] == MVGPU_GDRST ? MVGPU_GDRST_FULL : 0xffffffff,
		};

		attack_rejected(_metadata, self, RCS, lri, 3,
				MVGPU_ERR_REG_ACCESS, 0, ~0ULL, ~0ULL);
	}
	attack_rejected(_metadata, self, RCS, lri2, 5, MVGPU_ERR_REG_ACCESS,
			0, ~0ULL, ~0ULL);
	attack_rejected(_metadata, self, RCS, srm, 4, MVGPU_ERR_GGTT_FAULT,
			0, ~0ULL, vap);
	attack_rejected(_metadata, self, BCS, lrm, 4, MVGPU_ERR_GGTT_FAULT,
			0, ~0ULL, vhi);
	attack_rejected(_metadata, self, RCS, srm_reg, 4, MVGPU_ERR_REG_ACCESS,
			0, ~0ULL, ~0ULL);
}

/*
 * PPGTT entries of the attacker's that name guest physical addresses it
 * has not mapped: both vGPUs' guest memory sits at the same IOVAs, but in
 * different VFIO containers, so none of these is the victim's.
 */
static void attack_ppgtt(struct __test_metadata *_metadata,
			 FIXTURE_DATA(iso) *self)
{
	struct guest *a = &self->a;
	const uint64_t bad[] = {
		0, a->iova - GUEST_PAGE, a->iova + a->size,
		a->iova + a->size + SURF, MVGPU_PPGTT_ADDR_MASK,
	};
	const uint64_t last = a->iova + a->size - GUEST_PAGE;
	uint32_t *own_last = guest_gpa_ptr(a, last);
	struct guest_ppgtt wild = { .pml4 = a->iova + a->size };
	unsigned int i;

	ASSERT_TRUE(own_last != NULL);
	for (i = 0; i <= sizeof(bad) / sizeof(bad[0]) + 1; i++) {
		const uint64_t va = GUEST_VA(1, 2 + i, 3, 4);
		uint32_t err_bit = MVGPU_GT_CS_ERROR_INTERRUPT << guest_irq_shift(BCS);
		long bad_ppgtt = vgpu_attr(a->uuid, "bad_ppgtt");
		struct guest_ev ev[GUEST_MAX_EV];
		const struct guest_ev *end;
		struct cs cs = { .n = 0 };
		struct guest_err e;
		struct guest_ctx c;
		uint64_t root = self->app.pml4, *pde;
		int n, entry = i < sizeof(bad) / sizeof(bad[0]);

		if (entry) {
			ASSERT_EQ(0, guest_ppgtt_map(a, &self->app, va, bad[i]));
		} else if (i == sizeof(bad) / sizeof(bad[0])) {
			/* A page table that is not memory of the attacker's. */
			ASSERT_EQ(0, guest_ppgtt_map(a, &self->app, va, last));
			pde = guest_ppgtt_entry(a, &self->app, va, 2, 0);
			ASSERT_TRUE(pde != NULL);
			*pde = (a->iova + a->size + 2 * GUEST_PAGE) |
			       MVGPU_PPGTT_PRESENT;
		} else {
			root = wild.pml4;	/* a root that is not memory */
		}
		ASSERT_EQ(0, guest_ctx64_create(a, &c, RING, self->next_id++, root));
		CS(&cs, MVGPU_MI_STORE_DATA_IMM, LO(va + 8), HI(va + 8), 0xbadbad);
		cs_fill(&cs, MVGPU_BR13_DEPTH_32, 1024, 0, 0, 256, 16, va, 0xbadbad);
		cs_sdi(&cs, self->amark_ga + 8, 0x33333333);
		guest_emit_cs(&c, &cs);
		n = guest_run64(a, BCS, &c, NULL, ev, GUEST_MAX_EV);
		ASSERT_LT(0, n) TH_LOG("wait: %d", n);
		end = guest_end_ev(ev, n);
		ASSERT_TRUE(end != NULL);
		guest_read_err(a, BCS, &e);
		TH_LOG("case %u: CSB 0x%x, ERR_STATUS 0x%x cmd 0x%llx fault 0x%llx",
		       i, end->status, e.status, (unsigned long long)e.cmd_addr,
		       (unsigned long long)e.fault_addr);
		EXPECT_TRUE(end->status & MVGPU_CSB_ERROR);
		EXPECT_FALSE(end->status & MVGPU_CSB_COMPLETE);
		EXPECT_TRUE(GUEST_ERR_FAULTS & (1U << GUEST_ERR_CODE(e.status)))
			TH_LOG("code %u", GUEST_ERR_CODE(e.status));
		EXPECT_EQ(0, e.cmd_addr);
		EXPECT_EQ(va + 8, e.fault_addr);
		EXPECT_EQ(err_bit, guest_iir(a) & err_bit);
		if (entry)
			EXPECT_EQ(bad_ppgtt + 1, vgpu_attr(a->uuid, "bad_ppgtt"))
				TH_LOG("gpa 0x%llx", (unsigned long long)bad[i]);
		EXPECT_EQ(0, self->amark[2]);
		EXPECT_EQ(0, guest_clear_err(a, BCS));
		EXPECT_EQ(0, guest_ack_iir(a, 0xffffffff));
	}
}

/*
 * A PPGTT entry to a guest physical address the attacker has mapped
 * reaches its own page of that address, never the victim's page of the
 * same address.
 */
static void attack_ppgtt_same_gpa(struct __test_metadata *_metadata,
				  FIXTURE_DATA(iso) *self)
{
	struct guest *a = &self->a;
	const uint64_t va = GUEST_VA(2, 0, 0, 0);
	uint64_t gpa = self->v.iova + (uint64_t)((uint8_t *)self->vap - self->v.mem);
	struct guest_ev ev[GUEST_MAX_EV];
	struct cs cs = { .n = 0 };
	struct guest_ctx c;
	uint32_t *own;
	int n;

	ASSERT_EQ(a->iova, self->v.iova);
	own = guest_gpa_ptr(a, gpa);
	ASSERT_TRUE(own != NULL);
	own[3] = 0;
	ASSERT_EQ(0, guest_ppgtt_map(a, &self->app, va, gpa));
	ASSERT_EQ(0, guest_ctx64_create(a, &c, RING, self->next_id++,
					self->app.pml4));
	CS(&cs, MVGPU_MI_STORE_DATA_IMM, LO(va + 12), HI(va + 12), 0x0a77ac4);
	guest_emit_cs(&c, &cs);
	n = guest_run64(a, RCS, &c, NULL, ev, GUEST_MAX_EV);
	ASSERT_LT(0, n);
	EXPECT_EQ(GUEST_CSB_DONE, ev[n - 1].status & GUEST_CSB_END)
		TH_LOG("0x%x", ev[n - 1].status);
	__sync_synchronize();
	EXPECT_EQ(0x0a77ac4, own[3]);
	own[3] = 0;
	EXPECT_EQ(0, guest_ack_iir(a, 0xffffffff));
}

static void attack_aperture(struct __test_metadata *_metadata,
			    FIXTURE_DATA(iso) *self)
{
	struct guest *a = &self->a;
	const uint64_t target[] = {
		self->v.ap_base, self->v.ap_base + 20,
		self->v.ap_base + SURF - 4,
		self->v.ap_base + self->v.ap_size - 8,
	};
	volatile uint32_t *m;
	unsigned int i;
	long bad;

	for (i = 0; i < sizeof(target) / sizeof(target[0]); i++) {
		uint32_t val = 0x12345678;

		bad = vgpu_attr(a->uuid, "bad_aperture");
		ASSERT_EQ(0, mvgpu_vfio_bar_read32(a->v, GUEST_BAR2, target[i], &val));
		EXPECT_EQ(0, val) TH_LOG("aperture 0x%llx",
					 (unsigned long long)target[i]);
		EXPECT_EQ(bad + 1, vgpu_attr(a->uuid, "bad_aperture"));
		ASSERT_EQ(0, guest_ap_wr(a, target[i], 0xa77ac4ed));
		EXPECT_EQ(bad + 2, vgpu_attr(a->uuid, "bad_aperture"));
		EXPECT_EQ(0, guest_ap_rd(a, target[i]));
	}
	/* A CPU mapping of BAR2 there: the attacker's scratch page. */
	bad = vgpu_attr(a->uuid, "bad_aperture");
	ASSERT_EQ(0, mvgpu_vfio_mmap_region(a->v, GUEST_BAR2, self->v.ap_base,
					    GUEST_PAGE, PROT_READ | PROT_WRITE,
					    (void **)&m));
	for (i = 0; i < 1024; i++)
		ASSERT_EQ(0, m[i]) TH_LOG("mapped dword %u", i);
	for (i = 0; i < 1024; i++)
		m[i] = 0xa77ac4ed;
	EXPECT_EQ(0, munmap((void *)m, GUEST_PAGE));
	EXPECT_LT(bad, vgpu_attr(a->uuid, "bad_aperture"));
}

/* ---- tests ---- */

TEST_F(iso, ggtt_entry_for_victims_graphics_address_is_dropped)
{
	attack_ggtt_entries(_metadata, self);
	victim_intact(_metadata, self);
	victim_works(_metadata, self);
}

TEST_F(iso, stores_into_victims_graphics_memory_are_rejected)
{
	attack_stores(_metadata, self);
	victim_intact(_metadata, self);
	victim_works(_metadata, self);
}

TEST_F(iso, blits_reading_or_writing_victims_graphics_memory_are_rejected)
{
	attack_blits(_metadata, self);
	victim_intact(_metadata, self);
	victim_works(_metadata, self);
}

TEST_F(iso, batch_start_into_victims_graphics_memory_is_rejected)
{
	attack_batches(_metadata, self);
	victim_intact(_metadata, self);
	victim_works(_metadata, self);
}

TEST_F(iso, register_commands_off_the_allow_list_or_at_victim_are_rejected)
{
	attack_registers(_metadata, self);
	victim_intact(_metadata, self);
	victim_works(_metadata, self);
	/* The attacker is not reset by its refused GDRST: it runs too. */
	{
		char why[160] = "";

		EXPECT_EQ(0, guest_fill_check(&self->a, 0x6666, 0xff00aa00, why,
					sizeof(why))) TH_LOG("attacker: %s", why);
	}
}

TEST_F(iso, ppgtt_entries_to_unmapped_guest_physical_addresses_fault)
{
	attack_ppgtt(_metadata, self);
	victim_intact(_metadata, self);
	victim_works(_metadata, self);
}

TEST_F(iso, ppgtt_entry_to_a_shared_iova_reaches_only_own_memory)
{
	attack_ppgtt_same_gpa(_metadata, self);
	victim_intact(_metadata, self);
}

TEST_F(iso, aperture_access_beyond_own_slice_is_dropped)
{
	attack_aperture(_metadata, self);
	victim_intact(_metadata, self);
	victim_works(_metadata, self);
}

/* The victim, filling surfaces of its own in a loop while attacked. */
struct victim_job {
	struct guest *g;
	volatile int stop;
	int rounds, ret;
	char why[160];
};

static void *victim_loop(void *arg)
{
	struct victim_job *j = arg;

	j->ret = 0;
	while (!j->stop && j->rounds < 100) {
		if (guest_fill_check(j->g, 0x8000 + j->rounds,
			       0xff000000 | (j->rounds * 0x10101), j->why,
			       sizeof(j->why))) {
			j->ret = -1;
			return NULL;
		}
		j->rounds++;
	}
	return NULL;
}

TEST_F_TIMEOUT(iso, victim_keeps_working_while_every_attack_runs, 300)
{
	struct victim_job job = { .g = &self->v };
	pthread_t t;

	/* The victim's loop writes only past this point of its memory. */
	self->skip_lo = self->v.mem_used;
	self->skip_hi = self->v.size;
	ASSERT_EQ(0, pthread_create(&t, NULL, victim_loop, &job));
	attack_ggtt_entries(_metadata, self);
	attack_stores(_metadata, self);
	attack_blits(_metadata, self);
	attack_batches(_metadata, self);
	attack_registers(_metadata, self);
	attack_ppgtt(_metadata, self);
	attack_ppgtt_same_gpa(_metadata, self);
	attack_aperture(_metadata, self);
	job.stop = 1;
	pthread_join(t, NULL);
	EXPECT_EQ(0, job.ret) TH_LOG("victim, round %d: %s", job.rounds, job.why);
	EXPECT_LT(0, job.rounds);
	TH_LOG("victim ran %d fills meanwhile", job.rounds);
	victim_intact(_metadata, self);
	victim_works(_metadata, self);
}

/* ---- What one tenant leaves for the next ---- */

/*
 * A tenant is whoever uses a share of the pGPU: another vGPU, running
 * before, after or at the same time; the next user of the same vGPU
 * (the device closed by one VMM and opened by another, the vGPU not
 * removed in between); a vGPU created in the resources of a removed one.
 * The earlier tenant, "A", leaves values tagged A_TAG in the top byte
 * everywhere it can reach; the later one, "B", searches everything it
 * can read for them and compares its registers and config space with
 * those of a vGPU that nobody has used.  No command, graphics or guest
 * physical address of these tests has that top byte.
 */
#define A_TAG		0xe5000000U
#define TAG_MASK	0xff000000U
#define TENANT_TYPE	"mvgpu-V1_8"
#define B_SKIP		(16 * GUEST_PAGE)	/* B maps past A's first pages */

static uint32_t apat(uint32_t i)
{
	return A_TAG | (guest_pattern(i + 0xa11ce) & ~TAG_MASK);
}

static uint32_t bpat(uint32_t i)
{
	return 0x0b000000U | (guest_pattern(i + 0xb0b) & ~TAG_MASK);
}

static bool tagged(uint32_t v)
{
	return (v & TAG_MASK) == A_TAG;
}

static bool eventfd_fired(int efd)
{
	uint64_t n;

	return read(efd, &n, sizeof(n)) == sizeof(n) && n;
}

/* Every register of the interface, and the config space, as read. */
#define REGIMG_MAX	192

struct regimg {
	int n;
	uint32_t off[REGIMG_MAX];
	uint32_t val[REGIMG_MAX];
	uint8_t cfg[256];
};

static const uint32_t eng_regs[] = {
	MVGPU_RING_TAIL, MVGPU_RING_HEAD, MVGPU_RING_START, MVGPU_RING_CTL,
	MVGPU_RING_ACTHD_UDW, MVGPU_RING_ACTHD, MVGPU_RING_RESET_CTL,
	MVGPU_RING_ERR_STATUS, MVGPU_RING_ERR_CTX_ID,
	MVGPU_RING_ERR_CMD_ADDR_LO, MVGPU_RING_ERR_CMD_ADDR_HI,
	MVGPU_RING_ERR_CMD_HEADER, MVGPU_RING_ERR_FAULT_ADDR_LO,
	MVGPU_RING_ERR_FAULT_ADDR_HI, MVGPU_RING_ELSP,
	MVGPU_RING_EXECLIST_STATUS_LO, MVGPU_RING_EXECLIST_STATUS_HI,
	MVGPU_RING_MODE, MVGPU_RING_CSB(0), MVGPU_RING_CSB_CTX_ID(0),
	MVGPU_RING_CSB(1), MVGPU_RING_CSB_CTX_ID(1), MVGPU_RING_CSB(2),
	MVGPU_RING_CSB_CTX_ID(2), MVGPU_RING_CSB(3), MVGPU_RING_CSB_CTX_ID(3),
	MVGPU_RING_CSB(4), MVGPU_RING_CSB_CTX_ID(4), MVGPU_RING_CSB(5),
	MVGPU_RING_CSB_CTX_ID(5), MVGPU_RING_CSB_PTR,
	MVGPU_RING_EXECLIST_CONTROL,
};

static const uint32_t dev_regs[] = {
	MVGPU_GDRST, MVGPU_MASTER_IRQ, MVGPU_GT_ISR(0), MVGPU_GT_IMR(0),
	MVGPU_GT_IIR(0), MVGPU_GT_IER(0), MVGPU_DE_PIPE_ISR(0),
	MVGPU_DE_PIPE_IMR(0), MVGPU_DE_PIPE_IIR(0), MVGPU_DE_PIPE_IER(0),
	MVGPU_PIPESRC, MVGPU_PIPE_FRMCOUNT, MVGPU_DSPCNTR, MVGPU_DSPSTRIDE,
	MVGPU_DSPSURF, MVGPU_DSPSURFLIVE,
	MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_MAGIC_REG,
	MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_MAGIC_REG + 4,
	MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_VERSION_REG,
	MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_VGPU_ID_REG,
	MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_CAPS_REG,
	MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_APERTURE_BASE_REG,
	MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_APERTURE_SIZE_REG,
	MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_HIDDEN_BASE_REG,
	MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_HIDDEN_SIZE_REG,
	MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_DISPLAY_READY_REG,
	MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_MAX_WIDTH_REG,
	MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_MAX_HEIGHT_REG,
	MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_FAILSAFE_REG,
	MVGPU_EDID_STATUS,
};

static int regimg_read(struct guest *g, struct regimg *im)
{
	unsigned int e, i;

	im->n = 0;
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		for (i = 0; i < sizeof(eng_regs) / sizeof(eng_regs[0]); i++)
			im->off[im->n++] = guest_engine_base(e) + eng_regs[i];
	for (i = 0; i < sizeof(dev_regs) / sizeof(dev_regs[0]); i++)
		im->off[im->n++] = dev_regs[i];
	for (i = 0; i < MVGPU_EDID_SIZE / 4; i++)
		im->off[im->n++] = MVGPU_EDID_BASE + 4 * i;
	for (i = 0; i < (unsigned int)im->n; i++)
		im->val[i] = guest_rd(g, im->off[i]);
	return mvgpu_vfio_read(g->v, VFIO_PCI_CONFIG_REGION_INDEX, 0, im->cfg,
			       sizeof(im->cfg));
}

/* The value of register @off in @im; ~0 if it is not there. */
static uint32_t regimg_val(const struct regimg *im, uint32_t off)
{
	int i;

	for (i = 0; i < im->n; i++)
		if (im->off[i] == off)
			return im->val[i];
	return ~0U;
}

/* @g's registers and config space read exactly as @want. */
static void expect_regimg(struct __test_metadata *_metadata, struct guest *g,
			  const struct regimg *want)
{
	struct regimg now;
	int i;

	ASSERT_EQ(0, regimg_read(g, &now));
	ASSERT_EQ(want->n, now.n);
	for (i = 0; i < now.n; i++) {
		EXPECT_EQ(want->val[i], now.val[i])
			TH_LOG("register 0x%x", now.off[i]);
	}
	for (i = 0; i < (int)sizeof(now.cfg); i++) {
		EXPECT_EQ(want->cfg[i], now.cfg[i])
			TH_LOG("config space byte 0x%x", i);
	}
}

/* No register of @g holds a value of A's. */
static void expect_no_tag_in_regs(struct __test_metadata *_metadata,
				  struct guest *g)
{
	struct regimg now;
	int i;

	ASSERT_EQ(0, regimg_read(g, &now));
	for (i = 0; i < now.n; i++) {
		EXPECT_FALSE(tagged(now.val[i]))
			TH_LOG("register 0x%x is 0x%08x", now.off[i], now.val[i]);
	}
}

/* No dword of @g's guest memory holds a value of A's. */
static void expect_no_tag_in_mem(struct __test_metadata *_metadata,
				 struct guest *g)
{
	const uint32_t *m = (const uint32_t *)g->mem;
	uint64_t i, n = 0, first = 0;

	__sync_synchronize();
	for (i = 0; i < g->size / 4; i++)
		if (tagged(m[i]) && !n++)
			first = i;
	EXPECT_EQ(0, n) TH_LOG("%llu dwords of A's in guest memory, first at gpa 0x%llx: 0x%08x",
			       (unsigned long long)n,
			       (unsigned long long)(g->iova + 4 * first), m[first]);
}

/* Offset of the PCI capability @id in @g's config space, 0 if none. */
static uint8_t cfg_cap(struct guest *g, uint8_t id)
{
	uint8_t pos = 0, cur = 0;
	int guard = 48;

	if (mvgpu_vfio_cfg_read8(g->v, 0x34, &pos))
		return 0;
	while (pos && guard--) {
		if (mvgpu_vfio_cfg_read8(g->v, pos, &cur))
			return 0;
		if (cur == id)
			return pos;
		if (mvgpu_vfio_cfg_read8(g->v, pos + 1, &pos))
			return 0;
	}
	return 0;
}

/* Through a CPU mapping of BAR2 page @off: write A's values, or expect 0. */
static void bar2_page_fill(struct __test_metadata *_metadata, struct guest *g,
			   uint64_t off, uint32_t seed)
{
	volatile uint32_t *m;
	unsigned int i;

	ASSERT_EQ(0, mvgpu_vfio_mmap_region(g->v, GUEST_BAR2, off, GUEST_PAGE,
					    PROT_READ | PROT_WRITE,
					    (void **)&m));
	for (i = 0; i < 1024; i++)
		m[i] = apat(seed + i);
	for (i = 0; i < 1024; i++)
		if (m[i] != apat(seed + i))
			break;
	EXPECT_EQ(1024, i) TH_LOG("BAR2 0x%llx does not keep what is written",
				  (unsigned long long)off);
	EXPECT_EQ(0, munmap((void *)m, GUEST_PAGE));
}

static void expect_bar2_page_zero(struct __test_metadata *_metadata,
				  struct guest *g, uint64_t off)
{
	volatile uint32_t *m;
	unsigned int i, n = 0, first = 0;
	uint32_t v = 0;

	EXPECT_EQ(0, guest_ap_rd(g, off + 8))
		TH_LOG("BAR2 read at 0x%llx", (unsigned long long)off);
	ASSERT_EQ(0, mvgpu_vfio_mmap_region(g->v, GUEST_BAR2, off, GUEST_PAGE,
					    PROT_READ, (void **)&m));
	for (i = 0; i < 1024; i++)
		if (m[i] && !n++) {
			first = i;
			v = m[i];
		}
	EXPECT_EQ(0, munmap((void *)m, GUEST_PAGE));
	EXPECT_EQ(0, n) TH_LOG("BAR2 0x%llx mapped: %u dwords not 0, dword %u is 0x%08x%s",
			       (unsigned long long)off, n, first, v,
			       tagged(v) ? " (A's)" : "");
}

/*
 * @g's blitter copies a page from @src, a graphics address of its own
 * with no GGTT entry, into a page of its own: the engine faults at @src
 * and the page keeps its contents.
 */
static void expect_copy_faults(struct __test_metadata *_metadata,
			       struct guest *g, uint64_t src, uint32_t id)
{
	struct guest_ev ev[GUEST_MAX_EV];
	const struct guest_ev *end;
	struct cs cs = { .n = 0 };
	struct guest_err e;
	struct guest_ctx c;
	uint64_t dst = 0;
	uint32_t *p, i;
	int n;

	EXPECT_EQ(0, guest_get_pte(g, src));
	p = guest_map(g, GUEST_PAGE, &dst);
	ASSERT_TRUE(p != NULL);
	for (i = 0; i < 1024; i++)
		p[i] = bpat(i);
	ASSERT_EQ(0, guest_ctx_create(g, &c, RING, id));
	cs_copy(&cs, MVGPU_BR13_DEPTH_32, 4096, 0, 0, 1024, 1, dst, 0, 0, 4096,
		src);
	guest_emit_cs(&c, &cs);
	n = guest_run(g, BCS, &c, NULL, ev, GUEST_MAX_EV);
	ASSERT_LT(0, n) TH_LOG("wait: %d", n);
	end = guest_end_ev(ev, n);
	ASSERT_TRUE(end != NULL);
	guest_read_err(g, BCS, &e);
	EXPECT_TRUE(end->status & MVGPU_CSB_ERROR)
		TH_LOG("copy from 0x%llx: CSB 0x%x", (unsigned long long)src,
		       end->status);
	EXPECT_EQ(MVGPU_ERR_GGTT_FAULT, GUEST_ERR_CODE(e.status));
	EXPECT_EQ(src, e.fault_addr);
	__sync_synchronize();
	for (i = 0; i < 1024; i++) {
		ASSERT_EQ(bpat(i), p[i]) TH_LOG("dword %u of the copy", i);
	}
	EXPECT_EQ(0, guest_clear_err(g, BCS));
	EXPECT_EQ(0, guest_ack_iir(g, 0xffffffff));
}

/* What A leaves behind, for B to look for. */
struct leftovers {
	uint64_t ap_ga, hi_ga;	/* pages of A's values, mapped */
	uint64_t hole_ga;	/* in A's aperture slice, never mapped */
	uint64_t fault_ga;	/* in A's hidden range, never mapped */
	uint64_t foreign;	/* a BAR2 offset outside A's slice */
};

/*
 * Dwords tagged A_TAG in the display region, as a VMM reads it after a
 * query of the region plane (mdev/display.c); -1 if it cannot be read.
 * The plane is shown when @shown.
 */
static long display_tagged(struct guest *g, bool *shown)
{
	struct vfio_region_info ri = {
		.argsz = sizeof(ri), .index = MVGPU_VFIO_DISPLAY_REGION_INDEX,
	};
	struct vfio_device_gfx_plane_info p;
	int fd = mvgpu_vfio_device_fd(g->v);
	uint32_t *buf;
	long n = 0;
	size_t i;

	if (mvgpu_vfio_query_plane(g->v, VFIO_GFX_PLANE_TYPE_REGION, 1, &p) ||
	    ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, &ri) || !ri.size)
		return -1;
	*shown = p.drm_format != 0;
	buf = malloc(ri.size);
	if (!buf)
		return -1;
	if (pread(fd, buf, ri.size, (off_t)ri.index << 40) != (ssize_t)ri.size)
		n = -1;
	for (i = 0; n >= 0 && i < ri.size / 4; i++)
		n += tagged(buf[i]);
	free(buf);
	return n;
}

/* The counters a vGPU shows in sysfs, except trapped (B's own reads). */
static const char *const counters[] = {
	"bad_mmio", "bad_ggtt", "bad_aperture", "pinned_pages", "submissions",
	"completed", "rejected", "errors", "hangs", "cmds_scanned",
	"shadow_bytes", "bad_ppgtt", "shadow_pages", "ppgtt_writes",
	"failsafe", "busy_ns_rcs", "busy_ns_bcs", "host_resets",
};

/* Run @cs on @engine in a fresh context @id; returns the end status. */
static uint32_t tenant_run(struct __test_metadata *_metadata, struct guest *g,
			   unsigned int engine, uint32_t id, const struct cs *cs)
{
	struct guest_ev ev[GUEST_MAX_EV];
	const struct guest_ev *end;
	struct guest_ctx c;
	int n;

	if (guest_ctx_create(g, &c, RING, id))
		return 0;
	guest_emit_cs(&c, cs);
	n = guest_run(g, engine, &c, NULL, ev, GUEST_MAX_EV);
	end = n > 0 ? guest_end_ev(ev, n) : NULL;
	return end && end->ctx_id == id ? end->status : 0;
}

/*
 * A uses @a and leaves its marks in everything a vGPU keeps: interrupt
 * registers enabled, unmasked and pending; both engines' CSB, execlist
 * status, ring registers and error capture; the display plane and PV
 * info; a reset request; half an ELSP submission on each engine; the
 * GGTT and the pages behind it; the aperture's scratch page; config
 * space; failsafe mode.  Checks that each mark is there.
 */
static void leave_everything(struct __test_metadata *_metadata,
			     struct guest *a, const struct regimg *fresh,
			     struct leftovers *lo)
{
	uint32_t *p, *q, i, bad[] = { 0xffffffff };
	struct cs cs = { .n = 0 }, rej = { .n = 0 };
	struct regimg dirty;
	bool shown = false;
	uint8_t msi;

	ASSERT_EQ(0, guest_start(a));
	ASSERT_EQ(0, guest_wr(a, MVGPU_DE_PIPE_IER(0), MVGPU_DE_PIPE_VBLANK));
	ASSERT_EQ(0, guest_wr(a, MVGPU_DE_PIPE_IMR(0), 0));
	p = guest_map_ap(a, GUEST_PAGE, &lo->ap_ga);
	q = guest_map(a, GUEST_PAGE, &lo->hi_ga);
	ASSERT_TRUE(p && q);
	for (i = 0; i < 1024; i++) {
		p[i] = apat(i);
		q[i] = apat(i + 1024);
	}
	lo->hole_ga = a->ap_base + a->ap_size - GUEST_PAGE;
	lo->fault_ga = a->hi_base + a->hi_size - GUEST_PAGE;
	lo->foreign = guest_foreign_ga(a);
	ASSERT_LT(lo->foreign, MVGPU_BAR2_SIZE);

	/* BCS: a store, a user interrupt, then an engine fault. */
	cs_sdi(&cs, lo->ap_ga + 8, apat(0x100));
	CS(&cs, MVGPU_MI_USER_INTERRUPT);
	cs_sdi(&cs, lo->fault_ga, apat(3));
	EXPECT_TRUE(tenant_run(_metadata, a, BCS, A_TAG | 1, &cs) &
		    MVGPU_CSB_ERROR);
	__sync_synchronize();
	EXPECT_EQ(apat(0x100), p[2]);
	/* RCS: a store and a user interrupt; then rejected work to failsafe. */
	cs.n = 0;
	cs_sdi(&cs, lo->hi_ga + 8, apat(4));
	CS(&cs, MVGPU_MI_USER_INTERRUPT);
	EXPECT_TRUE(tenant_run(_metadata, a, RCS, A_TAG | 2, &cs) &
		    MVGPU_CSB_COMPLETE);
	CS(&rej, bad[0]);
	for (i = 0; i < MVGPU_FAILSAFE_AT; i++) {
		EXPECT_TRUE(tenant_run(_metadata, a, RCS, A_TAG | (0x10 + i),
				       &rej) & MVGPU_CSB_ERROR);
	}
	EXPECT_EQ(1, vgpu_attr(a->uuid, "failsafe"));

	/* Display, PV info, a reset request, half a submission. */
	EXPECT_EQ(0, guest_wr(a, MVGPU_PIPESRC, 0x01ff00ff));	/* 512x256 */
	EXPECT_EQ(0, guest_wr(a, MVGPU_DSPSTRIDE, 0x800));
	EXPECT_EQ(0, guest_wr(a, MVGPU_DSPSURF, (uint32_t)lo->ap_ga));
	EXPECT_EQ(0, guest_wr(a, MVGPU_DSPCNTR, MVGPU_DSPCNTR_ENABLE |
			      MVGPU_DSPCNTR_FORMAT_XRGB8888));
	EXPECT_EQ(0, guest_wr(a, MVGPU_PVINFO_OFFSET +
			      MVGPU_PVINFO_DISPLAY_READY_REG, 1));
	EXPECT_EQ(0, guest_eng_wr(a, RCS, MVGPU_RING_RESET_CTL,
				  MVGPU_MASKED_BIT_ENABLE(MVGPU_RESET_CTL_REQUEST_RESET)));
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		EXPECT_EQ(0, guest_eng_wr(a, i, MVGPU_RING_ELSP, A_TAG));
		EXPECT_EQ(0, guest_eng_wr(a, i, MVGPU_RING_ELSP, A_TAG | 0x1009));
	}

	/* A's VMM shows the plane: its pixels are in the display region. */
	EXPECT_EQ(1, guest_plane_latched(a, lo->ap_ga));
	EXPECT_LT(0, display_tagged(a, &shown));
	EXPECT_TRUE(shown);

	/* Config space: command, line, BARs, MSI. */
	msi = cfg_cap(a, 0x05);
	ASSERT_NE(0, msi);
	EXPECT_EQ(0, mvgpu_vfio_cfg_write16(a->v, 0x04, 0x0406));
	EXPECT_EQ(0, mvgpu_vfio_cfg_write8(a->v, 0x0c, 0x10));
	EXPECT_EQ(0, mvgpu_vfio_cfg_write8(a->v, 0x3c, 0x0b));
	EXPECT_EQ(0, mvgpu_vfio_cfg_write32(a->v, 0x10, 0xfe000000));
	EXPECT_EQ(0, mvgpu_vfio_cfg_write32(a->v, 0x18, 0xc0000000));
	EXPECT_EQ(0, mvgpu_vfio_cfg_write32(a->v, 0x1c, 0x1));
	EXPECT_EQ(0, mvgpu_vfio_cfg_write32(a->v, msi + 4, 0xfee0e500));
	EXPECT_EQ(0, mvgpu_vfio_cfg_write32(a->v, msi + 8, 0xe5));
	EXPECT_EQ(0, mvgpu_vfio_cfg_write16(a->v, msi + 12, 0xe5e5));
	EXPECT_EQ(0, mvgpu_vfio_cfg_write16(a->v, msi + 2, 1));

	/* The scratch page, through mappings of BAR2 where nothing is. */
	bar2_page_fill(_metadata, a, lo->hole_ga, 0x5000);
	bar2_page_fill(_metadata, a, lo->foreign, 0x6000);

	/* Every mark is there. */
	ASSERT_EQ(0, regimg_read(a, &dirty));
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		static const uint32_t changed[] = {
			MVGPU_RING_TAIL, MVGPU_RING_START, MVGPU_RING_CTL,
			MVGPU_RING_ERR_STATUS, MVGPU_RING_ERR_CTX_ID,
			MVGPU_RING_ERR_CMD_HEADER, MVGPU_RING_EXECLIST_STATUS_LO,
			MVGPU_RING_EXECLIST_STATUS_HI, MVGPU_RING_MODE,
			MVGPU_RING_CSB(0), MVGPU_RING_CSB_CTX_ID(0),
			MVGPU_RING_CSB_PTR,
		};
		unsigned int k;

		for (k = 0; k < sizeof(changed) / sizeof(changed[0]); k++) {
			uint32_t off = guest_engine_base(i) + changed[k];

			EXPECT_NE(regimg_val(fresh, off), regimg_val(&dirty, off))
				TH_LOG("A left register 0x%x as it was", off);
		}
	}
	EXPECT_EQ(A_TAG | 1, regimg_val(&dirty, MVGPU_BCS_BASE +
					 MVGPU_RING_ERR_CTX_ID));
	EXPECT_TRUE(tagged(regimg_val(&dirty, MVGPU_RCS_BASE +
				      MVGPU_RING_ERR_CTX_ID)));
	EXPECT_NE(0, regimg_val(&dirty, MVGPU_RCS_BASE + MVGPU_RING_RESET_CTL));
	for (i = 0; i < sizeof(dev_regs) / sizeof(dev_regs[0]); i++) {
		uint32_t off = dev_regs[i];

		if (off == MVGPU_MASTER_IRQ || off == MVGPU_GT_IMR(0) ||
		    off == MVGPU_GT_IIR(0) || off == MVGPU_GT_IER(0) ||
		    off == MVGPU_DE_PIPE_IMR(0) || off == MVGPU_DE_PIPE_IER(0) ||
		    off == MVGPU_PIPESRC || off == MVGPU_DSPCNTR ||
		    off == MVGPU_DSPSTRIDE || off == MVGPU_DSPSURF ||
		    off == MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_DISPLAY_READY_REG)
			EXPECT_NE(regimg_val(fresh, off), regimg_val(&dirty, off))
				TH_LOG("A left register 0x%x as it was", off);
	}
	EXPECT_TRUE(regimg_val(&dirty, MVGPU_MASTER_IRQ) & MVGPU_MASTER_GT0_IRQ);
	EXPECT_NE(0, memcmp(fresh->cfg, dirty.cfg, 0x40));
	EXPECT_NE(0, memcmp(fresh->cfg + msi, dirty.cfg + msi, 16));
	EXPECT_EQ(apat(1), guest_ap_rd(a, lo->ap_ga + 4));
	EXPECT_NE(0, guest_get_pte(a, lo->ap_ga));
	EXPECT_NE(0, guest_get_pte(a, lo->hi_ga));
	EXPECT_LT(0, vgpu_attr(a->uuid, "pinned_pages"));
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		if (!strcmp(counters[i], "submissions") ||
		    !strcmp(counters[i], "rejected") ||
		    !strcmp(counters[i], "errors") ||
		    !strcmp(counters[i], "cmds_scanned") ||
		    !strcmp(counters[i], "busy_ns_bcs"))
			EXPECT_LT(0, vgpu_attr(a->uuid, counters[i]))
				TH_LOG("A left %s at 0", counters[i]);
	}
}

/*
 * B, fresh on @b (nothing done yet), finds nothing of what A left in
 * @lo: registers and config space as @fresh, no pending interrupt, no
 * GGTT entry or page of A's, a clean scratch page, no failsafe; its
 * engines fault where A had pages; its own work runs as on a new
 * device, and nothing of A's is in its memory afterwards.
 */
static void expect_nothing_left(struct __test_metadata *_metadata,
				struct guest *b, const struct regimg *fresh,
				const struct leftovers *lo)
{
	struct vfio_device_gfx_plane_info plane;
	struct cs cs = { .n = 0 };
	bool shown = true;
	struct guest_ctx c;
	uint64_t ga = 0;
	uint32_t *p;
	int efd, n;

	expect_regimg(_metadata, b, fresh);
	/* No plane, and nothing of A's in the display region. */
	EXPECT_EQ(0, display_tagged(b, &shown));
	EXPECT_FALSE(shown);
	ASSERT_EQ(0, mvgpu_vfio_query_plane(b->v, VFIO_GFX_PLANE_TYPE_DMABUF, 1,
					    &plane));
	EXPECT_EQ(0, plane.drm_format);
	EXPECT_EQ(0, vgpu_attr(b->uuid, "failsafe"));
	EXPECT_EQ(0, vgpu_attr(b->uuid, "pinned_pages"));
	EXPECT_EQ(0, vgpu_attr(b->uuid, "shadow_pages"));
	EXPECT_EQ(0, guest_get_pte(b, lo->ap_ga));
	EXPECT_EQ(0, guest_get_pte(b, lo->hi_ga));
	expect_bar2_page_zero(_metadata, b, lo->ap_ga);
	expect_bar2_page_zero(_metadata, b, lo->hole_ga);
	expect_bar2_page_zero(_metadata, b, lo->foreign);

	/* No interrupt is pending, before or after B enables them. */
	efd = eventfd(0, EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, mvgpu_vfio_irq_set_eventfd(b->v, VFIO_PCI_INTX_IRQ_INDEX,
						efd));
	usleep(20000);
	EXPECT_FALSE(eventfd_fired(efd)) TH_LOG("INTx on connecting");
	ASSERT_EQ(0, guest_start(b));
	ASSERT_EQ(0, guest_wr(b, MVGPU_DE_PIPE_IER(0), MVGPU_DE_PIPE_VBLANK));
	ASSERT_EQ(0, guest_wr(b, MVGPU_DE_PIPE_IMR(0), 0));
	usleep(20000);
	EXPECT_FALSE(eventfd_fired(efd)) TH_LOG("INTx once enabled");
	EXPECT_EQ(0, guest_iir(b));
	EXPECT_EQ(0, mvgpu_vfio_irq_set_eventfd(b->v, VFIO_PCI_INTX_IRQ_INDEX,
						-1));
	close(efd);

	/* A's graphics addresses are not mapped to anything for B. */
	b->ap_used = b->hi_used = B_SKIP;
	expect_copy_faults(_metadata, b, lo->ap_ga, 0x0b01);
	expect_copy_faults(_metadata, b, lo->hi_ga, 0x0b02);
	expect_copy_faults(_metadata, b, lo->hole_ga, 0x0b03);

	/* B's first work on each engine starts as on a new device. */
	p = guest_map(b, GUEST_PAGE, &ga);
	ASSERT_TRUE(p != NULL);
	for (n = 0; n < MVGPU_NUM_ENGINES; n++) {
		ASSERT_EQ(0, guest_ctx_create(b, &c, RING, 0x0b10 + n));
		cs.n = 0;
		cs_sdi(&cs, ga + 4 * n, bpat(n));
		guest_emit_cs(&c, &cs);
		guest_run_ok(_metadata, b, n, &c);
		EXPECT_EQ(bpat(n), ((volatile uint32_t *)p)[n]);
	}
	EXPECT_EQ(MVGPU_CSB_IDLE_TO_ACTIVE,
		  guest_eng_rd(b, RCS, MVGPU_RING_CSB(0)));
	EXPECT_EQ(0x0b10, guest_eng_rd(b, RCS, MVGPU_RING_CSB_CTX_ID(0)));
	expect_no_tag_in_regs(_metadata, b);
	expect_no_tag_in_mem(_metadata, b);
}

FIXTURE(tenant) {
	struct guest g;		/* A, then B: the vGPU under test */
	struct regimg fresh;	/* its registers before anyone used it */
	struct guest other;
	bool other_made;
};

FIXTURE_SETUP(tenant)
{
	ASSERT_EQ(0, guest_create(&self->g, TENANT_TYPE));
	ASSERT_EQ(0, regimg_read(&self->g, &self->fresh));
	self->other_made = false;
}

FIXTURE_TEARDOWN(tenant)
{
	if (self->other_made)
		EXPECT_EQ(0, guest_destroy(&self->other));
	EXPECT_EQ(0, guest_destroy(&self->g));
}

/* A closes the device; B, another VMM, opens it (the vGPU stays). */
static void next_user(struct __test_metadata *_metadata,
		      FIXTURE_DATA(tenant) *self)
{
	char uuid[40];

	snprintf(uuid, sizeof(uuid), "%s", self->g.uuid);
	guest_close(&self->g);
	ASSERT_EQ(0, guest_open(&self->g, uuid));
}

TEST_F_TIMEOUT(tenant, the_next_user_of_a_vgpu_finds_nothing_of_the_last_one, 120)
{
	struct leftovers lo;

	leave_everything(_metadata, &self->g, &self->fresh, &lo);
	next_user(_metadata, self);
	expect_nothing_left(_metadata, &self->g, &self->fresh, &lo);
}

TEST_F_TIMEOUT(tenant, a_vgpu_created_in_a_removed_ones_place_finds_nothing_of_it, 120)
{
	struct guest *x = &self->other;
	struct regimg fresh;
	struct leftovers lo;
	uint64_t ap, hi;
	unsigned int i;
	long id;

	ASSERT_EQ(0, guest_create(x, TENANT_TYPE));
	self->other_made = true;
	ASSERT_EQ(0, regimg_read(x, &fresh));
	id = vgpu_attr(x->uuid, "vgpu_id");
	ap = x->ap_base;
	hi = x->hi_base;
	leave_everything(_metadata, x, &fresh, &lo);
	self->other_made = false;
	ASSERT_EQ(0, guest_destroy(x));
	ASSERT_EQ(0, guest_create(x, TENANT_TYPE));
	self->other_made = true;
	/* the successor has the removed vGPU's ID and graphics memory */
	ASSERT_EQ(id, vgpu_attr(x->uuid, "vgpu_id"));
	ASSERT_EQ(ap, x->ap_base);
	ASSERT_EQ(hi, x->hi_base);
	/* and counts nothing of its predecessor's */
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		EXPECT_EQ(0, vgpu_attr(x->uuid, counters[i]))
			TH_LOG("%s of the new vGPU", counters[i]);
	expect_nothing_left(_metadata, x, &fresh, &lo);
}

TEST_F_TIMEOUT(tenant, work_in_flight_at_close_never_reaches_the_next_user, 60)
{
	struct guest *g = &self->g;
	long hang_ms = sysfs_read_long("/sys/module/mvgpu/parameters/hang_ms");
	struct guest_ctx c[MVGPU_NUM_ENGINES];
	struct guest_ev ev[GUEST_MAX_EV];
	uint64_t sem = 0;
	uint32_t *s;
	unsigned int e;

	ASSERT_LT(0, hang_ms);
	ASSERT_EQ(0, guest_start(g));
	s = guest_map(g, GUEST_PAGE, &sem);
	ASSERT_TRUE(s != NULL);
	s[0] = 0;
	/* On each engine, a context that waits for a semaphore nobody sets. */
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		struct cs cs = { .n = 0 };

		ASSERT_EQ(0, guest_ctx_create(g, &c[e], RING, A_TAG | e));
		cs_sem(&cs, sem, MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 1);
		cs_sdi(&cs, sem + 4, apat(e));
		CS(&cs, MVGPU_MI_USER_INTERRUPT);
		guest_emit_cs(&c[e], &cs);
		ASSERT_EQ(0, guest_submit(g, e, &c[e], NULL));
	}
	/*
	 * Both are on the engines (they have had engine time) and have not
	 * ended: a vGPU writes no CSB entry before a workload's end.
	 */
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		const char *busy = e == RCS ? "busy_ns_rcs" : "busy_ns_bcs";
		uint64_t end = guest_now_ms() + hang_ms / 2;

		while (vgpu_attr(g->uuid, busy) <= 0 && guest_now_ms() < end)
			usleep(1000);
		EXPECT_LT(0, vgpu_attr(g->uuid, busy)) TH_LOG("%s", busy);
		EXPECT_EQ(0, guest_csb_next(g, e, &ev[0]));
	}
	EXPECT_EQ(0, guest_iir(g));
	next_user(_metadata, self);
	/* Long enough for A's work to have hung, had it been left running. */
	usleep((hang_ms + 500) * 1000);
	expect_regimg(_metadata, g, &self->fresh);
	ASSERT_EQ(0, guest_start(g));
	usleep(20000);
	EXPECT_EQ(0, guest_iir(g));
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		guest_store_ok(_metadata, g, e, 0x0b20 + e, bpat(e));
	expect_no_tag_in_regs(_metadata, g);
	expect_no_tag_in_mem(_metadata, g);
}

/* A LEGACY_64B context copying the page at VA0 to the page at VA1. */
#define VA0	GUEST_VA(1, 2, 3, 4)
#define VA1	GUEST_VA(1, 2, 3, 5)

struct ppcopy {
	struct guest_ppgtt pp;
	struct guest_ctx c;
	uint32_t *src, *dst;
	uint64_t src_gpa, dst_gpa;
};

static void ppcopy_run(struct __test_metadata *_metadata, struct guest *g,
		       struct ppcopy *pc, uint32_t id, uint32_t (*pat)(uint32_t))
{
	struct cs cs = { .n = 0 };
	uint32_t i;

	ASSERT_EQ(0, guest_ppgtt_init(g, &pc->pp));
	pc->src = guest_ppgtt_map_new(g, &pc->pp, VA0, 1, &pc->src_gpa);
	pc->dst = guest_ppgtt_map_new(g, &pc->pp, VA1, 1, &pc->dst_gpa);
	ASSERT_TRUE(pc->src && pc->dst);
	for (i = 0; i < 1024; i++)
		pc->src[i] = pat(i);
	ASSERT_EQ(0, guest_ctx64_create(g, &pc->c, RING, id, pc->pp.pml4));
	cs_copy(&cs, MVGPU_BR13_DEPTH_32, 4096, 0, 0, 1024, 1, VA1, 0, 0, 4096,
		VA0);
	guest_emit_cs(&pc->c, &cs);
	guest_run64_ok(_metadata, g, BCS, &pc->c);
	__sync_synchronize();
	for (i = 0; i < 1024; i++) {
		ASSERT_EQ(pat(i), pc->dst[i]) TH_LOG("dword %u of the copy", i);
	}
}

TEST_F(tenant, the_next_users_ppgtt_is_shadowed_anew_at_the_same_addresses)
{
	struct guest *g = &self->g;
	struct ppcopy a, b;

	/* A: tables and pages at the first guest physical pages. */
	ASSERT_EQ(0, guest_start(g));
	ppcopy_run(_metadata, g, &a, A_TAG | 1, apat);
	EXPECT_LT(0, vgpu_attr(g->uuid, "shadow_pages"));
	next_user(_metadata, self);
	/* B: the same tables at the same addresses, its own pages behind. */
	EXPECT_EQ(0, vgpu_attr(g->uuid, "shadow_pages"));
	ASSERT_EQ(0, guest_start(g));
	ppcopy_run(_metadata, g, &b, 0x0b01, bpat);
	EXPECT_EQ(a.pp.pml4, b.pp.pml4);
	EXPECT_EQ(a.src_gpa, b.src_gpa);
	EXPECT_EQ(a.dst_gpa, b.dst_gpa);
	expect_no_tag_in_mem(_metadata, g);
}

/*
 * The shadows of A's last workload stay cached by the vGPU: four batch
 * pages that hold, where a context image keeps its batch state, "inside
 * a batch at X".  B's first workload takes its shadows from that cache;
 * had a shadow image kept those dwords, the engine would run whatever
 * is at X, unscanned, before B's ring.  B puts a store there.
 */
TEST_F(tenant, reused_shadow_buffers_carry_nothing_into_the_next_users_work)
{
	struct guest *g = &self->g;
	uint64_t x = g->hi_base + 2 * B_SKIP, bb_ga = 0, xga = 0, yga = 0;
	struct cs cs = { .n = 0 };
	struct guest_ctx c;
	uint32_t *bb, *xb, *y, i, k;

	ASSERT_EQ(0, guest_start(g));
	ASSERT_EQ(0, guest_ctx_create(g, &c, RING, A_TAG | 1));
	for (k = 0; k < 4; k++) {
		bb = guest_map(g, GUEST_PAGE, &bb_ga);
		ASSERT_TRUE(bb != NULL);
		for (i = 0; i < 1024; i++)
			bb[i] = apat(i + 1024 * k);
		bb[0] = MVGPU_MI_BATCH_BUFFER_END;
		bb[MVGPU_CTX_BB_ADDR_LO] = LO(x);
		bb[MVGPU_CTX_BB_ADDR_HI] = HI(x);
		bb[MVGPU_CTX_BB_STATE] = MVGPU_BB_STATE_ACTIVE;
		for (i = MVGPU_CTX_SBB_ADDR_LO; i < MVGPU_CTX_DWORDS; i++)
			bb[i] = 0;
		cs_bbs(&cs, bb_ga);
	}
	guest_emit_cs(&c, &cs);
	guest_run_ok(_metadata, g, RCS, &c);
	EXPECT_LT(0, vgpu_attr(g->uuid, "shadow_bytes"));

	next_user(_metadata, self);
	ASSERT_EQ(0, guest_start(g));
	g->hi_used = 2 * B_SKIP;
	xb = guest_map(g, GUEST_PAGE, &xga);
	y = guest_map(g, GUEST_PAGE, &yga);
	ASSERT_TRUE(xb && y);
	ASSERT_EQ(x, xga);
	memset(y, 0, GUEST_PAGE);
	cs.n = 0;
	cs_sdi(&cs, yga, 0x0b57a1e0);
	CS(&cs, MVGPU_MI_BATCH_BUFFER_END);
	memcpy(xb, cs.dw, 4 * cs.n);
	cs.n = 0;
	cs_sdi(&cs, yga + 4, 0x0b600d00);
	ASSERT_EQ(0, guest_ctx_create(g, &c, RING, 0x0b01));
	guest_emit_cs(&c, &cs);
	guest_run_ok(_metadata, g, RCS, &c);
	__sync_synchronize();
	EXPECT_EQ(0, y[0]) TH_LOG("B's batch at 0x%llx ran, unscanned, from a stale shadow image",
				  (unsigned long long)x);
	EXPECT_EQ(0x0b600d00, y[1]);
	expect_no_tag_in_regs(_metadata, g);
	expect_no_tag_in_mem(_metadata, g);
}

/* A, another vGPU, fails, faults and interrupts while B works. */
struct noisy_job {
	struct guest *g;
	volatile int stop;
	int rounds, ret;
	char why[160];
};

static void *noisy_tenant(void *arg)
{
	struct noisy_job *j = arg;
	struct guest *a = j->g;
	uint64_t own = 0, hole = a->hi_base + a->hi_size - GUEST_PAGE;
	struct guest_ev ev[GUEST_MAX_EV];
	uint32_t *p;

	p = guest_map(a, GUEST_PAGE, &own);
	if (!p || guest_wr(a, MVGPU_DSPSURF, (uint32_t)own) ||
	    guest_wr(a, MVGPU_DSPCNTR, MVGPU_DSPCNTR_ENABLE |
		     MVGPU_DSPCNTR_FORMAT_ARGB8888)) {
		snprintf(j->why, sizeof(j->why), "setup");
		j->ret = -1;
		return NULL;
	}
	while (!j->stop && j->rounds < 60) {
		unsigned int e = j->rounds % MVGPU_NUM_ENGINES;
		struct cs cs = { .n = 0 };
		struct guest_ctx c;
		int n;

		cs_sdi(&cs, own + 4 * (j->rounds % 1024), apat(j->rounds));
		CS(&cs, MVGPU_MI_USER_INTERRUPT);
		cs_sdi(&cs, hole, apat(j->rounds));
		if (guest_ctx_create(a, &c, RING, A_TAG | j->rounds)) {
			snprintf(j->why, sizeof(j->why), "out of memory");
			j->ret = -1;
			return NULL;
		}
		guest_emit_cs(&c, &cs);
		n = guest_run(a, e, &c, NULL, ev, GUEST_MAX_EV);
		if (n <= 0 || !(ev[n - 1].status & MVGPU_CSB_ERROR) ||
		    ev[n - 1].ctx_id != c.id) {
			snprintf(j->why, sizeof(j->why), "round %d: wait %d, status 0x%x",
				 j->rounds, n, n > 0 ? ev[n - 1].status : 0);
			j->ret = -1;
			return NULL;
		}
		j->rounds++;
	}
	return NULL;
}

TEST_F_TIMEOUT(tenant, a_concurrent_vgpus_events_errors_and_interrupts_stay_its_own, 120)
{
	struct noisy_job job = { .g = &self->other };
	struct guest *b = &self->g, *a = &self->other;
	uint32_t err_bits = MVGPU_GT_CS_ERROR_INTERRUPT << MVGPU_RCS_IRQ_SHIFT |
			    MVGPU_GT_CS_ERROR_INTERRUPT << MVGPU_BCS_IRQ_SHIFT;
	struct regimg now;
	pthread_t t;
	int i, k;

	ASSERT_EQ(0, guest_create(a, TENANT_TYPE));
	self->other_made = true;
	ASSERT_EQ(0, guest_start(a));
	ASSERT_EQ(0, guest_start(b));
	ASSERT_EQ(0, guest_wr(b, MVGPU_DE_PIPE_IER(0), MVGPU_DE_PIPE_VBLANK));
	ASSERT_EQ(0, guest_wr(b, MVGPU_DE_PIPE_IMR(0), 0));
	ASSERT_EQ(0, pthread_create(&t, NULL, noisy_tenant, &job));
	for (i = 0; i < 40; i++) {
		struct guest_ev ev[GUEST_MAX_EV];
		struct cs cs = { .n = 0 };
		struct guest_ctx c;
		uint64_t ga = 0;
		uint32_t *p = guest_map(b, GUEST_PAGE, &ga);
		int n;

		ASSERT_TRUE(p != NULL);
		ASSERT_EQ(0, guest_ctx_create(b, &c, RING, 0x0b00 + i));
		cs_sdi(&cs, ga, bpat(i));
		guest_emit_cs(&c, &cs);
		n = guest_run(b, i % MVGPU_NUM_ENGINES, &c, NULL, ev,
			      GUEST_MAX_EV);
		for (k = 0; k < n; k++) {
			EXPECT_EQ(c.id, ev[k].ctx_id)
				TH_LOG("round %d, event %d: 0x%x", i, k,
				       ev[k].status);
		}
		guest_expect_done(_metadata, b, i % MVGPU_NUM_ENGINES, &c, ev, n);
		EXPECT_EQ(bpat(i), ((volatile uint32_t *)p)[0]);
	}
	job.stop = 1;
	pthread_join(t, NULL);
	EXPECT_EQ(0, job.ret) TH_LOG("A: %s", job.why);
	TH_LOG("A ran %d failing contexts meanwhile", job.rounds);
	EXPECT_LT(4, job.rounds);

	/* A's errors and interrupts are A's ... */
	EXPECT_TRUE(tagged(guest_eng_rd(a, RCS, MVGPU_RING_ERR_CTX_ID)));
	EXPECT_TRUE(tagged(guest_eng_rd(a, BCS, MVGPU_RING_ERR_CTX_ID)));
	EXPECT_EQ(err_bits, guest_iir(a) & err_bits);
	/* ... and nothing of them, or of A's display, is B's. */
	EXPECT_EQ(0, guest_iir(b));
	EXPECT_EQ(0, guest_rd(b, MVGPU_DE_PIPE_IIR(0)));
	ASSERT_EQ(0, regimg_read(b, &now));
	for (i = 0; i < now.n; i++) {
		uint32_t off = now.off[i], rel = off & 0xfff;
		bool eng = off - MVGPU_RCS_BASE < 0x1000 ||
			   off - MVGPU_BCS_BASE < 0x1000;

		if ((eng && rel >= MVGPU_RING_ERR_STATUS &&
		     rel <= MVGPU_RING_ERR_FAULT_ADDR_HI) ||
		    off == MVGPU_PIPESRC || off == MVGPU_PIPE_FRMCOUNT ||
		    off == MVGPU_DSPCNTR || off == MVGPU_DSPSTRIDE ||
		    off == MVGPU_DSPSURF || off == MVGPU_DSPSURFLIVE ||
		    off == MVGPU_DE_PIPE_ISR(0) || off == MVGPU_GT_ISR(0))
			EXPECT_EQ(regimg_val(&self->fresh, off), now.val[i])
				TH_LOG("register 0x%x", off);
		EXPECT_FALSE(tagged(now.val[i]))
			TH_LOG("register 0x%x is 0x%08x", off, now.val[i]);
	}
	expect_no_tag_in_mem(_metadata, b);
}

/*
 * RING_TIMESTAMP is the one engine register besides the GPRs that a
 * command reads: it is the host's monotonic clock in 80 ns ticks, the
 * same for every tenant, and no command can write it.
 */
TEST_F(tenant, ring_timestamp_is_the_host_clock_and_no_command_writes_it)
{
	struct guest *g = &self->g;
	unsigned int e;

	ASSERT_EQ(0, guest_start(g));
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		const uint32_t ts = guest_engine_base(e) + MVGPU_RING_TIMESTAMP;
		const uint32_t srm = MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT;
		struct cs cs = { .n = 0 };
		struct guest_ctx c;
		struct timespec t;
		uint64_t ga = 0, t0, t1;
		uint32_t *p, k0, k1;

		p = guest_map(g, GUEST_PAGE, &ga);
		ASSERT_TRUE(p != NULL);
		ASSERT_EQ(0, guest_ctx_create(g, &c, RING, 0x0b00 + e));
		CS(&cs, srm, ts, LO(ga), HI(ga));
		CS(&cs, srm, ts, LO(ga + 4), HI(ga + 4));
		guest_emit_cs(&c, &cs);
		clock_gettime(CLOCK_MONOTONIC, &t);
		t0 = t.tv_sec * 1000000000ULL + t.tv_nsec;
		guest_run_ok(_metadata, g, e, &c);
		clock_gettime(CLOCK_MONOTONIC, &t);
		t1 = t.tv_sec * 1000000000ULL + t.tv_nsec;
		k0 = (uint32_t)(t0 / 80);
		k1 = (uint32_t)(t1 / 80) + 1;
		__sync_synchronize();
		TH_LOG("engine %u: host ticks %u..%u, RING_TIMESTAMP %u, %u",
		       e, k0, k1, p[0], p[1]);
		EXPECT_LE(p[0] - k0, k1 - k0);
		EXPECT_LE(p[1] - k0, k1 - k0);
		EXPECT_LE(p[0] - k0, p[1] - k0);
	}
	/* Neither LRI nor LRM may write it, on either engine. */
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		const uint32_t ts = guest_engine_base(e) + MVGPU_RING_TIMESTAMP;
		struct guest_ev ev[GUEST_MAX_EV];
		const struct guest_ev *end;
		struct cs cs = { .n = 0 };
		struct guest_err err;
		struct guest_ctx c;
		int n;

		ASSERT_EQ(0, guest_ctx_create(g, &c, RING, 0x0b10 + e));
		if (e == RCS)
			CS(&cs, MVGPU_MI_LOAD_REGISTER_IMM(1), ts, A_TAG);
		else
			CS(&cs, MVGPU_MI_LOAD_REGISTER_MEM | MVGPU_MI_USE_GGTT,
			   ts, LO(c.ring_ga), HI(c.ring_ga));
		guest_emit_cs(&c, &cs);
		n = guest_run(g, e, &c, NULL, ev, GUEST_MAX_EV);
		ASSERT_LT(0, n);
		end = guest_end_ev(ev, n);
		ASSERT_TRUE(end != NULL);
		guest_read_err(g, e, &err);
		EXPECT_TRUE(end->status & MVGPU_CSB_ERROR);
		EXPECT_EQ(MVGPU_ERR_REG_ACCESS, GUEST_ERR_CODE(err.status));
		EXPECT_EQ(0, guest_clear_err(g, e));
	}
}

TEST_HARNESS_MAIN
