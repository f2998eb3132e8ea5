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
 */
#include <pthread.h>
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

TEST_HARNESS_MAIN
