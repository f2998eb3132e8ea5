// SPDX-License-Identifier: GPL-2.0-only
/*
 * PPGTT workloads, driven as a guest driver drives them through VFIO:
 * LEGACY_64B contexts whose Gen8 4-level page tables live in guest
 * memory (guest physical addresses = IOVAs of the VFIO mapping).  Blits,
 * blends, stores and batches through the PPGTT land in the right guest
 * pages byte for byte; the guest edits its tables between submissions
 * and the next one sees the edit; entries that name memory the guest
 * does not have, or are not present, fault; shadows are shared between
 * contexts and released by reset and close.
 */
#include "kselftest_harness.h"
#include "guest_util.h"
#include "native_util.h"

#define RCS	MVGPU_ENGINE_RCS
#define BCS	MVGPU_ENGINE_BCS
#define RING	(4 * GUEST_PAGE)

#define GUARD		0x6a4d0000U

/* MI_STORE_DATA_IMM in the context's default space (GGTT bit clear). */
static void cs_sdi_pp(struct cs *c, uint64_t va, uint32_t v)
{
	CS(c, MVGPU_MI_STORE_DATA_IMM, LO(va), HI(va), v);
}

static void cs_bbs_pp(struct cs *c, uint64_t va)
{
	CS(c, MVGPU_MI_BATCH_BUFFER_START | MVGPU_MI_BB_PPGTT, LO(va), HI(va));
}

/*
 * A 32 bpp surface at PPGTT address @va (any dword alignment), its pages
 * mapped to guest pages in reverse order with an unmapped guard page
 * between any two of them: nothing about it is contiguous in guest
 * memory.
 */
#define PS_MAX_PAGES	64
struct psurf {
	uint64_t va;
	uint32_t w, h, pitch, n;
	uint32_t *pg[PS_MAX_PAGES];	/* CPU view of PPGTT page i */
	uint32_t *guard;		/* 2n + 1 pages; data at odd ones */
};

static int psurf_new(struct guest *g, const struct guest_ppgtt *pp,
		     struct psurf *s, uint64_t va, uint32_t w, uint32_t h,
		     uint32_t pitch, uint32_t seed)
{
	uint64_t bytes = (va & (GUEST_PAGE - 1)) + (uint64_t)pitch * h, gpa = 0;
	uint32_t i, k;

	memset(s, 0, sizeof(*s));
	s->va = va;
	s->w = w;
	s->h = h;
	s->pitch = pitch;
	s->n = (bytes + GUEST_PAGE - 1) / GUEST_PAGE;
	if (s->n > PS_MAX_PAGES)
		return -E2BIG;
	s->guard = guest_alloc_pages(g, 2 * s->n + 1, &gpa);
	if (!s->guard)
		return -ENOMEM;
	for (i = 0; i <= 2 * s->n; i++)
		for (k = 0; k < 1024; k++)
			s->guard[i * 1024 + k] = (i & 1) ?
				guest_pattern(seed + (s->n - 1 - i / 2) * 1024 + k) :
				GUARD | i;
	for (i = 0; i < s->n; i++) {
		uint32_t slot = 2 * (s->n - 1 - i) + 1;

		s->pg[i] = s->guard + slot * 1024;
		if (guest_ppgtt_map(g, pp, (va & ~(GUEST_PAGE - 1)) +
				    i * GUEST_PAGE, gpa + slot * GUEST_PAGE))
			return -ENOMEM;
	}
	return 0;
}

/* Offset, in dwords from the surface's first page, of pixel (x, y). */
static uint32_t px(const struct psurf *s, uint32_t x, uint32_t y)
{
	return ((s->va & (GUEST_PAGE - 1)) + y * s->pitch + x * 4) / 4;
}

/* The surface's pages in PPGTT order, into @buf (n * 1024 dwords). */
static void psurf_read(const struct psurf *s, uint32_t *buf)
{
	uint32_t i;

	__sync_synchronize();
	for (i = 0; i < s->n; i++)
		memcpy(buf + i * 1024, s->pg[i], GUEST_PAGE);
}

static uint32_t *psurf_snap(const struct psurf *s)
{
	uint32_t *buf = malloc((size_t)s->n * GUEST_PAGE);

	if (buf)
		psurf_read(s, buf);
	return buf;
}

/* First dword of the pages that differs from @want, -1 if none. */
static long psurf_diff(const struct psurf *s, const uint32_t *want)
{
	uint32_t *now = psurf_snap(s);
	long i, r = -1;

	if (!now)
		return -2;
	for (i = 0; i < (long)s->n * 1024; i++) {
		if (now[i] != want[i]) {
			r = i;
			break;
		}
	}
	free(now);
	return r;
}

/* Index of the first guard dword that changed, -1 if none. */
static long psurf_guard_diff(const struct psurf *s)
{
	uint32_t i, k;

	for (i = 0; i <= 2 * s->n; i += 2)
		for (k = 0; k < 1024; k++)
			if (s->guard[i * 1024 + k] != (GUARD | i))
				return i * 1024 + k;
	return -1;
}

/*
 * Submit LEGACY_64B context @c alone on @engine: the engine stops it with
 * an error whose code is one of @codes (bit n: code n), with walk level
 * @level (-1: any; for PAGE_FAULT, any), for the command at @cmd_addr of
 * @space and (@fault_addr != ~0) the fault at @fault_addr.  The error is
 * then released.
 */
static void run_fault(struct __test_metadata *_metadata, struct guest *g,
		      unsigned int engine, struct guest_ctx *c, uint32_t codes,
		      int level, uint32_t space, uint64_t cmd_addr,
		      uint64_t fault_addr)
{
	uint32_t err_bit = MVGPU_GT_CS_ERROR_INTERRUPT << guest_irq_shift(engine);
	struct guest_ev ev[GUEST_MAX_EV];
	const struct guest_ev *end;
	struct guest_err e;
	int n;

	n = guest_run64(g, engine, c, NULL, ev, GUEST_MAX_EV);
	ASSERT_LT(0, n) TH_LOG("wait: %d", n);
	end = guest_end_ev(ev, n);
	ASSERT_TRUE(end != NULL);
	guest_read_err(g, engine, &e);
	TH_LOG("context %u: CSB 0x%x, ERR_STATUS 0x%x cmd 0x%llx header 0x%08x fault 0x%llx",
	       c->id, end->status, e.status, (unsigned long long)e.cmd_addr,
	       e.header, (unsigned long long)e.fault_addr);
	EXPECT_TRUE(end->status & MVGPU_CSB_ERROR) TH_LOG("status 0x%x", end->status);
	EXPECT_TRUE(end->status & MVGPU_CSB_ACTIVE_TO_IDLE);
	EXPECT_FALSE(end->status & MVGPU_CSB_COMPLETE);
	EXPECT_EQ(c->id, end->ctx_id);
	EXPECT_TRUE(e.status & MVGPU_ERR_STATUS_VALID);
	EXPECT_TRUE(codes & (1U << GUEST_ERR_CODE(e.status)))
		TH_LOG("code %u, wanted one of mask 0x%x",
		       GUEST_ERR_CODE(e.status), codes);
	if (level >= 0 && GUEST_ERR_CODE(e.status) == MVGPU_ERR_PPGTT_FAULT)
		EXPECT_EQ(level, GUEST_ERR_LEVEL(e.status));
	EXPECT_EQ(space, GUEST_ERR_SPACE(e.status));
	EXPECT_EQ(c->id, e.ctx_id);
	EXPECT_EQ(cmd_addr, e.cmd_addr);
	if (fault_addr != ~0ULL)
		EXPECT_EQ(fault_addr, e.fault_addr);
	EXPECT_EQ(GUEST_ERR_CODE(e.status), c->img[MVGPU_CTX_ERROR]);
	EXPECT_NE(c->tail, c->img[MVGPU_CTX_RING_HEAD]);
	EXPECT_EQ(err_bit, guest_iir(g) & err_bit);
	EXPECT_EQ(0, guest_clear_err(g, engine));
	EXPECT_EQ(0, guest_ack_iir(g, 0xffffffff));
}

FIXTURE(ppgtt) {
	struct guest g;
	struct guest_ppgtt pp;
};

FIXTURE_SETUP(ppgtt)
{
	int ret;

	ASSERT_EQ(0, guest_create(&self->g, "mvgpu-V1_8"));
	ret = guest_start(&self->g);
	ret = ret ?: guest_ppgtt_init(&self->g, &self->pp);
	if (ret)
		guest_destroy(&self->g);
	ASSERT_EQ(0, ret);
}

FIXTURE_TEARDOWN(ppgtt)
{
	EXPECT_EQ(0, guest_destroy(&self->g));
}

TEST_F(ppgtt, fill_on_bcs_lands_in_scattered_guest_pages_byte_for_byte)
{
	/* 11 pages from mid-page, across two page tables. */
	const uint64_t va = GUEST_VA(3, 5, 9, 0) - 4 * GUEST_PAGE + 0x40;
	const uint32_t colour = 0xff3366cc;
	struct cs cs = { .n = 0 };
	struct guest_ctx c;
	struct psurf s;
	uint32_t *want, x, y;

	ASSERT_EQ(0, psurf_new(&self->g, &self->pp, &s, va, 200, 40, 1024, 1));
	ASSERT_EQ(11, s.n);
	want = psurf_snap(&s);
	ASSERT_TRUE(want != NULL);
	for (y = 3; y < 37; y++)
		for (x = 5; x < 190; x++)
			want[px(&s, x, y)] = colour;
	ASSERT_EQ(0, guest_ctx64_create(&self->g, &c, RING, 1, self->pp.pml4));
	cs_fill(&cs, MVGPU_BR13_DEPTH_32, s.pitch, 5, 3, 190, 37, va, colour);
	guest_emit_cs(&c, &cs);
	guest_run64_ok(_metadata, &self->g, BCS, &c);
	EXPECT_EQ(-1, psurf_diff(&s, want));
	EXPECT_EQ(-1, psurf_guard_diff(&s));
	/*
	 * The 11 pages, the ring's and the image's GGTT entries, and the 5
	 * tables: this guest has no KVM to report its table writes, so each
	 * table is read at every submission, through a pin.
	 */
	EXPECT_EQ(11 + RING / GUEST_PAGE + 1 + 5,
		  vgpu_attr(self->g.uuid, "pinned_pages"));
	EXPECT_EQ(5, vgpu_attr(self->g.uuid, "shadow_pages"));
	EXPECT_EQ(0, vgpu_attr(self->g.uuid, "bad_ppgtt"));
	free(want);
}

TEST_F(ppgtt, copy_on_bcs_matches_source_byte_for_byte)
{
	/* The source crosses a 1 GiB boundary (two PDPEs), the target a 2 MiB one. */
	const uint64_t sva = GUEST_VA(2, 7, 0, 0) - 3 * GUEST_PAGE + 0x10;
	const uint64_t dva = GUEST_VA(3, 5, 9, 0) - 2 * GUEST_PAGE;
	struct cs cs = { .n = 0 };
	uint32_t *want, *src0, x, y;
	struct psurf src, dst;
	struct guest_ctx c;

	ASSERT_EQ(0, psurf_new(&self->g, &self->pp, &src, sva, 160, 30, 640, 100000));
	ASSERT_EQ(0, psurf_new(&self->g, &self->pp, &dst, dva, 200, 40, 800, 200000));
	want = psurf_snap(&dst);
	src0 = psurf_snap(&src);
	ASSERT_TRUE(want && src0);
	for (y = 0; y < 25; y++)
		for (x = 0; x < 150; x++)
			want[px(&dst, 8 + x, 4 + y)] = src0[px(&src, 5 + x, 2 + y)];
	ASSERT_EQ(0, guest_ctx64_create(&self->g, &c, RING, 2, self->pp.pml4));
	cs_copy(&cs, MVGPU_BR13_DEPTH_32, dst.pitch, 8, 4, 158, 29, dva, 5, 2,
		src.pitch, sva);
	guest_emit_cs(&c, &cs);
	guest_run64_ok(_metadata, &self->g, BCS, &c);
	EXPECT_EQ(-1, psurf_diff(&dst, want));
	EXPECT_EQ(-1, psurf_diff(&src, src0));
	EXPECT_EQ(-1, psurf_guard_diff(&src));
	EXPECT_EQ(-1, psurf_guard_diff(&dst));
	free(want);
	free(src0);
}

TEST_F(ppgtt, blend_on_rcs_uses_ppgtt_addresses)
{
	const uint64_t sva = GUEST_VA(1, 2, 3, 500), dva = GUEST_VA(1, 2, 4, 7) + 0x100;
	const uint32_t w = 290, h = 16, alpha = 0x80;
	struct cs cs = { .n = 0 };
	uint32_t *want, *src0, x, y;
	struct psurf src, dst;
	struct guest_ctx c;

	ASSERT_EQ(0, psurf_new(&self->g, &self->pp, &src, sva, 300, h, 1200, 300000));
	ASSERT_EQ(0, psurf_new(&self->g, &self->pp, &dst, dva, 300, h, 1200, 400000));
	want = psurf_snap(&dst);
	src0 = psurf_snap(&src);
	ASSERT_TRUE(want && src0);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			want[px(&dst, x, y)] = (src0[px(&src, x, y)] & 0xffffff) |
					       alpha << 24;
	ASSERT_EQ(0, guest_ctx64_create(&self->g, &c, RING, 3, self->pp.pml4));
	cs_blend(&cs, MVGPU_BLEND_OP_SET_ALPHA, alpha, w, h, dst.pitch, dva,
		 src.pitch, sva);
	guest_emit_cs(&c, &cs);
	guest_run64_ok(_metadata, &self->g, RCS, &c);
	EXPECT_EQ(-1, psurf_diff(&dst, want));
	EXPECT_EQ(-1, psurf_diff(&src, src0));
	EXPECT_EQ(-1, psurf_guard_diff(&dst));
	free(want);
	free(src0);
}

TEST_F(ppgtt, store_data_imm_on_rcs_uses_ppgtt_unless_ggtt_bit_set)
{
	const uint64_t va = GUEST_VA(1, 1, 1, 1);
	struct cs cs = { .n = 0 };
	uint32_t *pg, *alias, *gg;
	struct guest_ctx c;
	uint64_t ga = 0;
	int i;

	pg = guest_ppgtt_map_new(&self->g, &self->pp, va, 1, NULL);
	gg = guest_map(&self->g, GUEST_PAGE, &ga);
	ASSERT_TRUE(pg && gg);
	memset(gg, 0, GUEST_PAGE);
	/* PPGTT address numerically equal to the GGTT page: another page. */
	alias = guest_ppgtt_map_new(&self->g, &self->pp, ga, 1, NULL);
	ASSERT_TRUE(alias != NULL);
	ASSERT_EQ(0, guest_ctx64_create(&self->g, &c, RING, 4, self->pp.pml4));
	cs_sdi_pp(&cs, va + 8, 0xdeadbeef);
	CS(&cs, MVGPU_MI_STORE_DATA_IMM_QW, LO(va + 16), HI(va + 16),
	   0x01234567, 0x89abcdef);
	cs_sdi_pp(&cs, ga + 12, 0xa11a5000);
	cs_sdi(&cs, ga + 4, 0x600df00d);		/* GGTT bit: the GGTT */
	guest_emit_cs(&c, &cs);
	guest_run64_ok(_metadata, &self->g, RCS, &c);
	EXPECT_EQ(0xdeadbeef, pg[2]);
	EXPECT_EQ(0x01234567, pg[4]);
	EXPECT_EQ(0x89abcdef, pg[5]);
	for (i = 0; i < 1024; i++)
		if (i != 2 && i != 4 && i != 5)
			ASSERT_EQ(0, pg[i]) TH_LOG("dword %d", i);
	EXPECT_EQ(0xa11a5000, alias[3]);
	EXPECT_EQ(0x600df00d, gg[1]);
	EXPECT_EQ(0, gg[3]);
	EXPECT_EQ(0, alias[1]);
}

TEST_F(ppgtt, batch_in_ppgtt_space_runs_across_scattered_pages)
{
	const uint64_t vb = GUEST_VA(4, 4, 4, 4), vd = GUEST_VA(4, 4, 5, 0);
	uint64_t bb = vb + GUEST_PAGE - 16, ga = 0;	/* 4 dwords in page 0 */
	struct cs cs = { .n = 0 }, b = { .n = 0 };
	uint32_t *p0, *p1, *dst, *mark, saved0[1024], saved1[1024];
	struct guest_ctx c;
	int i;

	/* The batch's two pages, apart and in reverse order in guest memory. */
	p1 = guest_ppgtt_map_new(&self->g, &self->pp, vb + GUEST_PAGE, 1, NULL);
	ASSERT_TRUE(guest_alloc_pages(&self->g, 1, &ga) != NULL);
	p0 = guest_ppgtt_map_new(&self->g, &self->pp, vb, 1, NULL);
	dst = guest_ppgtt_map_new(&self->g, &self->pp, vd, 1, NULL);
	mark = guest_ppgtt_map_new(&self->g, &self->pp, vd + GUEST_PAGE, 1, NULL);
	ASSERT_TRUE(p0 && p1 && dst && mark);
	cs_sdi_pp(&b, vd, 1);
	cs_sdi_pp(&b, vd + 4, 2);
	CS(&b, MVGPU_MI_STORE_DATA_IMM_QW, LO(vd + 8), HI(vd + 8), 3, 4);
	CS(&b, MVGPU_MI_NOOP);
	CS(&b, MVGPU_MI_BATCH_BUFFER_END);
	memcpy((uint8_t *)p0 + GUEST_PAGE - 16, b.dw, 16);
	memcpy(p1, b.dw + 4, 4 * (b.n - 4));
	memcpy(saved0, p0, GUEST_PAGE);
	memcpy(saved1, p1, GUEST_PAGE);
	ASSERT_EQ(0, guest_ctx64_create(&self->g, &c, RING, 5, self->pp.pml4));
	cs_bbs_pp(&cs, bb);
	cs_sdi_pp(&cs, vd + GUEST_PAGE + 8, 0x600df00d);	/* after the return */
	guest_emit_cs(&c, &cs);
	guest_run64_ok(_metadata, &self->g, RCS, &c);
	EXPECT_EQ(1, dst[0]);
	EXPECT_EQ(2, dst[1]);
	EXPECT_EQ(3, dst[2]);
	EXPECT_EQ(4, dst[3]);
	for (i = 4; i < 1024; i++)
		ASSERT_EQ(0, dst[i]) TH_LOG("dword %d", i);
	EXPECT_EQ(0x600df00d, mark[2]);
	EXPECT_EQ(0, memcmp(saved0, p0, GUEST_PAGE));
	EXPECT_EQ(0, memcmp(saved1, p1, GUEST_PAGE));
	EXPECT_EQ(0, c.img[MVGPU_CTX_BB_STATE]);
}

/*
 * The scanner reads a PPGTT batch from the page the shadow holds pinned
 * (a kmap, no VMM): the bytes read are the guest's as they are at each
 * submission, an unchanged batch is compared, not scanned again
 * (batches_known), and one rewritten in place runs its new commands.
 */
TEST_F(ppgtt, ppgtt_batch_in_pinned_pages_is_read_as_the_guest_has_it)
{
	const uint64_t vb = GUEST_VA(4, 6, 1, 0), vd = GUEST_VA(4, 6, 2, 0);
	struct cs cs = { .n = 0 }, b = { .n = 0 };
	uint32_t *bb, *dst, round;
	struct guest_ctx c;
	long known;

	bb = guest_ppgtt_map_new(&self->g, &self->pp, vb, 1, NULL);
	dst = guest_ppgtt_map_new(&self->g, &self->pp, vd, 1, NULL);
	ASSERT_TRUE(bb && dst);
	ASSERT_EQ(0, guest_ctx64_create(&self->g, &c, RING, 20, self->pp.pml4));
	for (round = 0; round < 4; round++) {
		/* rounds 0 and 1 run the same batch, 2 and 3 a rewritten one */
		b.n = 0;
		cs_sdi_pp(&b, vd + 4 * (round / 2), 0x7000 + round / 2);
		CS(&b, MVGPU_MI_BATCH_BUFFER_END);
		memcpy(bb, b.dw, 4 * b.n);
		__sync_synchronize();
		known = vgpu_attr(self->g.uuid, "batches_known");
		cs.n = 0;
		cs_bbs_pp(&cs, vb);
		guest_emit_cs(&c, &cs);
		guest_run64_ok(_metadata, &self->g, RCS, &c);
		EXPECT_EQ(0x7000 + round / 2, dst[round / 2]);
		EXPECT_EQ(known + (round & 1), vgpu_attr(self->g.uuid,
							 "batches_known"))
			TH_LOG("round %u", round);
	}
	EXPECT_EQ(0x7000, dst[0]);
	EXPECT_EQ(0, dst[2]);
	EXPECT_EQ(0, vgpu_attr(self->g.uuid, "bad_ppgtt"));
}

/*
 * After the guest points the batch's PTE at another page, the next
 * submission reads the batch from the new page: the kmap follows the
 * shadow as the submission brought it up to date, not the page it
 * pinned before (still pinned until the engines are done with it).
 */
TEST_F(ppgtt, ppgtt_batch_behind_a_rewritten_pte_comes_from_the_new_page)
{
	const uint64_t vb = GUEST_VA(4, 7, 1, 0), vd = GUEST_VA(4, 7, 2, 0);
	struct cs cs = { .n = 0 }, b = { .n = 0 };
	uint64_t ga = 0, gb = 0, *pte;
	uint32_t *pa, *pb, *dst;
	struct guest_ctx c;

	pa = guest_alloc_pages(&self->g, 1, &ga);
	pb = guest_alloc_pages(&self->g, 1, &gb);
	dst = guest_ppgtt_map_new(&self->g, &self->pp, vd, 1, NULL);
	ASSERT_TRUE(pa && pb && dst);
	ASSERT_EQ(0, guest_ppgtt_map(&self->g, &self->pp, vb, ga));
	pte = guest_ppgtt_entry(&self->g, &self->pp, vb, 1, 0);
	ASSERT_TRUE(pte != NULL);
	cs_sdi_pp(&b, vd, 0xaaaa);
	CS(&b, MVGPU_MI_BATCH_BUFFER_END);
	memcpy(pa, b.dw, 4 * b.n);
	b.n = 0;
	cs_sdi_pp(&b, vd, 0xbbbb);
	CS(&b, MVGPU_MI_BATCH_BUFFER_END);
	memcpy(pb, b.dw, 4 * b.n);
	ASSERT_EQ(0, guest_ctx64_create(&self->g, &c, RING, 21, self->pp.pml4));
	cs_bbs_pp(&cs, vb);
	guest_emit_cs(&c, &cs);
	guest_run64_ok(_metadata, &self->g, BCS, &c);
	EXPECT_EQ(0xaaaa, dst[0]);

	*pte = gb | MVGPU_PPGTT_PRESENT;
	__sync_synchronize();
	guest_emit_cs(&c, &cs);
	guest_run64_ok(_metadata, &self->g, BCS, &c);
	EXPECT_EQ(0xbbbb, dst[0]);
	/* and back: the first page again */
	*pte = ga | MVGPU_PPGTT_PRESENT;
	__sync_synchronize();
	guest_emit_cs(&c, &cs);
	guest_run64_ok(_metadata, &self->g, BCS, &c);
	EXPECT_EQ(0xaaaa, dst[0]);
	EXPECT_EQ(0, vgpu_attr(self->g.uuid, "bad_ppgtt"));
}

/*
 * A batch page the shadow could not pin (the pin limit is reached) is
 * still read, through the VMM (vfio_dma_rw()): the scan and the run
 * behave as with a pinned page.  The batch writes only GGTT memory,
 * pinned before the limit was set.
 */
TEST_F(ppgtt, ppgtt_batch_in_an_unpinned_page_is_read_through_the_vmm)
{
	const uint64_t vb = GUEST_VA(4, 8, 1, 0);
	struct cs cs = { .n = 0 }, b = { .n = 0 };
	long pins, bad;
	struct guest_ctx c;
	uint64_t mark_ga = 0;
	uint32_t *bb, *mark;
	char val[32];

	bb = guest_ppgtt_map_new(&self->g, &self->pp, vb, 1, NULL);
	mark = guest_map(&self->g, GUEST_PAGE, &mark_ga);
	ASSERT_TRUE(bb && mark);
	cs_sdi(&b, mark_ga + 8, 0x0ddba11);
	CS(&b, MVGPU_MI_BATCH_BUFFER_END);
	memcpy(bb, b.dw, 4 * b.n);
	ASSERT_EQ(0, guest_ctx64_create(&self->g, &c, RING, 22, self->pp.pml4));
	pins = vgpu_attr(self->g.uuid, "pinned_pages");
	bad = vgpu_attr(self->g.uuid, "bad_ppgtt");
	ASSERT_LT(0, pins);
	snprintf(val, sizeof(val), "%ld", pins);
	ASSERT_EQ(0, vgpu_attr_write(self->g.uuid, "pin_limit", val));
	cs_bbs_pp(&cs, vb);
	guest_emit_cs(&c, &cs);
	guest_run64_ok(_metadata, &self->g, RCS, &c);
	EXPECT_EQ(0x0ddba11, mark[2]);
	EXPECT_EQ(pins, vgpu_attr(self->g.uuid, "pinned_pages"));
	EXPECT_LT(bad, vgpu_attr(self->g.uuid, "bad_ppgtt"));
	EXPECT_EQ(0, vgpu_attr_write(self->g.uuid, "pin_limit", "auto"));
}

TEST_F(ppgtt, ppgtt_batch_in_legacy_32b_context_is_rejected)
{
	long rejected = vgpu_attr(self->g.uuid, "rejected");
	struct guest_ev ev[GUEST_MAX_EV];
	struct cs cs = { .n = 0 };
	const struct guest_ev *end;
	struct guest_err e;
	struct guest_ctx c;
	uint32_t *b;
	int n;

	b = guest_ppgtt_map_new(&self->g, &self->pp, GUEST_VA(1, 0, 0, 0), 1, NULL);
	ASSERT_TRUE(b != NULL);
	b[0] = MVGPU_MI_BATCH_BUFFER_END;
	ASSERT_EQ(0, guest_ctx64_create(&self->g, &c, RING, 6, self->pp.pml4));
	cs_bbs_pp(&cs, GUEST_VA(1, 0, 0, 0));
	guest_emit_cs(&c, &cs);
	n = guest_run(&self->g, RCS, &c, NULL, ev, GUEST_MAX_EV);	/* 32B */
	ASSERT_LT(0, n);
	end = guest_end_ev(ev, n);
	ASSERT_TRUE(end != NULL);
	EXPECT_TRUE(end->status & MVGPU_CSB_ERROR) TH_LOG("0x%x", end->status);
	guest_read_err(&self->g, RCS, &e);
	EXPECT_EQ(MVGPU_ERR_NO_PPGTT, GUEST_ERR_CODE(e.status));
	EXPECT_EQ(0, e.cmd_addr);
	EXPECT_EQ(rejected + 1, vgpu_attr(self->g.uuid, "rejected"));
	EXPECT_EQ(0, vgpu_attr(self->g.uuid, "shadow_pages"));
}

/* Two pages, @va mapped to the first, and 0x1111 stored at @va + 16. */
struct pte_edit {
	uint32_t *a, *b;
	uint64_t ga, gb, *pte;
	struct guest_ctx c;
};

static void pte_edit_setup(struct __test_metadata *_metadata,
			   struct guest *g, struct guest_ppgtt *pp,
			   uint64_t va, struct pte_edit *e)
{
	struct cs cs = { .n = 0 };

	e->a = guest_alloc_pages(g, 1, &e->ga);
	e->b = guest_alloc_pages(g, 1, &e->gb);
	ASSERT_TRUE(e->a && e->b);
	ASSERT_EQ(0, guest_ppgtt_map(g, pp, va, e->ga));
	e->pte = guest_ppgtt_entry(g, pp, va, 1, 0);
	ASSERT_TRUE(e->pte != NULL);
	ASSERT_EQ(0, guest_ctx64_create(g, &e->c, RING, 7, pp->pml4));
	cs_sdi_pp(&cs, va + 16, 0x1111);
	guest_emit_cs(&e->c, &cs);
	guest_run64_ok(_metadata, g, BCS, &e->c);
	ASSERT_EQ(0x1111, e->a[4]);
}

TEST_F(ppgtt, pte_edited_after_completion_redirects_the_next_write)
{
	const uint64_t va = GUEST_VA(5, 6, 7, 8);
	struct cs cs = { .n = 0 };
	struct pte_edit e;
	long pins, spts;
	uint32_t i;

	pte_edit_setup(_metadata, &self->g, &self->pp, va, &e);
	pins = vgpu_attr(self->g.uuid, "pinned_pages");
	spts = vgpu_attr(self->g.uuid, "shadow_pages");

	/* The page at va is now b; the second workload writes there. */
	*e.pte = e.gb | MVGPU_PPGTT_PRESENT;
	cs.n = 0;
	cs_sdi_pp(&cs, va + 16, 0x2222);
	cs_fill(&cs, MVGPU_BR13_DEPTH_32, 64, 0, 0, 16, 4, va + 256, 0xc0c0c0c0);
	guest_emit_cs(&e.c, &cs);
	guest_run64_ok(_metadata, &self->g, BCS, &e.c);
	__sync_synchronize();
	EXPECT_EQ(0x2222, e.b[4]);
	for (i = 0; i < 64; i++)
		EXPECT_EQ(0xc0c0c0c0, e.b[64 + i]) TH_LOG("pixel %u", i);
	EXPECT_EQ(0x1111, e.a[4]);
	for (i = 0; i < 1024; i++)
		if (i != 4)
			ASSERT_EQ(0, e.a[i]) TH_LOG("old page, dword %u", i);
	EXPECT_EQ(pins, vgpu_attr(self->g.uuid, "pinned_pages"));
	EXPECT_EQ(spts, vgpu_attr(self->g.uuid, "shadow_pages"));

	/* And back. */
	*e.pte = e.ga | MVGPU_PPGTT_PRESENT;
	cs.n = 0;
	cs_sdi_pp(&cs, va + 20, 0x3333);
	guest_emit_cs(&e.c, &cs);
	guest_run64_ok(_metadata, &self->g, BCS, &e.c);
	EXPECT_EQ(0x3333, e.a[5]);
	EXPECT_EQ(0, e.b[5]);
	EXPECT_EQ(0, vgpu_attr(self->g.uuid, "bad_ppgtt"));
}

/*
 * A KVM guest's tables are write-protected through KVM, not read again at
 * every submission (MVGPU_VFIO_KVM, whose path vgpu_bench surf measures):
 * an entry the VMM process rewrites itself, a write no vCPU made and KVM
 * does not report, still maps the page the vGPU read, a page of the
 * guest's own.  The same edit without KVM is seen at the next submission
 * (pte_edited_after_completion_redirects_the_next_write).
 */
TEST_F(ppgtt, a_kvm_guests_tables_are_write_protected_not_read_again)
{
	const uint64_t va = GUEST_VA(5, 6, 7, 8);
	char uuid[sizeof(self->g.uuid)];
	struct cs cs = { .n = 0 };
	struct pte_edit e;
	int ret;

	if (!guest_kvm_available())
		SKIP(return, "no /dev/kvm in this VM");
	memcpy(uuid, self->g.uuid, sizeof(uuid));
	guest_close(&self->g);
	ret = guest_open_mode(&self->g, uuid, GUEST_MEM_SIZE, MVGPU_VFIO_KVM);
	if (ret)	/* the fixture's teardown still removes the vGPU */
		snprintf(self->g.uuid, sizeof(self->g.uuid), "%s", uuid);
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, guest_start(&self->g));
	ASSERT_EQ(0, guest_ppgtt_init(&self->g, &self->pp));
	pte_edit_setup(_metadata, &self->g, &self->pp, va, &e);

	*e.pte = e.gb | MVGPU_PPGTT_PRESENT;
	cs_sdi_pp(&cs, va + 16, 0x2222);
	guest_emit_cs(&e.c, &cs);
	guest_run64_ok(_metadata, &self->g, BCS, &e.c);
	__sync_synchronize();
	EXPECT_EQ(0x2222, e.a[4]);
	EXPECT_EQ(0, e.b[4]);
	EXPECT_EQ(0, vgpu_attr(uuid, "bad_ppgtt"));
}

TEST_F(ppgtt, pde_edited_after_completion_redirects_the_next_write)
{
	const uint64_t va = GUEST_VA(5, 6, 7, 8);
	struct cs cs = { .n = 0 };
	uint64_t ga = 0, gb = 0, gpt = 0, *pde, *pt2;
	uint32_t *a, *b, i;
	struct guest_ctx c;
	long pins, spts;

	a = guest_alloc_pages(&self->g, 1, &ga);
	b = guest_alloc_pages(&self->g, 1, &gb);
	pt2 = guest_alloc_pages(&self->g, 1, &gpt);
	ASSERT_TRUE(a && b && pt2);
	ASSERT_EQ(0, guest_ppgtt_map(&self->g, &self->pp, va, ga));
	pt2[guest_ppgtt_index(va, 1)] = gb | MVGPU_PPGTT_PRESENT;
	pde = guest_ppgtt_entry(&self->g, &self->pp, va, 2, 0);
	ASSERT_TRUE(pde != NULL);
	ASSERT_EQ(0, guest_ctx64_create(&self->g, &c, RING, 8, self->pp.pml4));
	cs_sdi_pp(&cs, va + 16, 0x1111);
	guest_emit_cs(&c, &cs);
	guest_run64_ok(_metadata, &self->g, RCS, &c);
	ASSERT_EQ(0x1111, a[4]);
	pins = vgpu_attr(self->g.uuid, "pinned_pages");
	spts = vgpu_attr(self->g.uuid, "shadow_pages");

	*pde = gpt | MVGPU_PPGTT_PRESENT;	/* another page table */
	cs.n = 0;
	cs_sdi_pp(&cs, va + 16, 0x2222);
	guest_emit_cs(&c, &cs);
	guest_run64_ok(_metadata, &self->g, RCS, &c);
	EXPECT_EQ(0x2222, b[4]);
	EXPECT_EQ(0x1111, a[4]);
	for (i = 0; i < 1024; i++)
		if (i != 4)
			ASSERT_EQ(0, a[i]) TH_LOG("old page, dword %u", i);
	EXPECT_EQ(pins, vgpu_attr(self->g.uuid, "pinned_pages"));
	EXPECT_EQ(spts, vgpu_attr(self->g.uuid, "shadow_pages"));
}

TEST_F(ppgtt, pte_made_present_after_a_fault_is_used)
{
	const uint64_t va = GUEST_VA(9, 1, 2, 3);
	struct cs cs = { .n = 0 };
	struct guest_ctx c, d;
	uint64_t ga = 0, *pte;
	uint32_t *a;

	a = guest_alloc_pages(&self->g, 1, &ga);
	pte = guest_ppgtt_entry(&self->g, &self->pp, va, 1, 1);
	ASSERT_TRUE(a && pte);
	ASSERT_EQ(0, *pte);
	ASSERT_EQ(0, guest_ctx64_create(&self->g, &c, RING, 9, self->pp.pml4));
	cs_sdi_pp(&cs, va + 40, 0x5151);
	guest_emit_cs(&c, &cs);
	run_fault(_metadata, &self->g, BCS, &c, 1U << MVGPU_ERR_PPGTT_FAULT, 1,
		  MVGPU_SPACE_RING, 0, va + 40);
	EXPECT_EQ(0, a[10]);

	*pte = ga | MVGPU_PPGTT_PRESENT;
	ASSERT_EQ(0, guest_ctx64_create(&self->g, &d, RING, 10, self->pp.pml4));
	guest_emit_cs(&d, &cs);
	guest_run64_ok(_metadata, &self->g, BCS, &d);
	EXPECT_EQ(0x5151, a[10]);
}

TEST_F(ppgtt, pte_outside_guest_memory_faults_and_counts_bad_ppgtt)
{
	const uint64_t bad[] = {
		GUEST_IOVA + GUEST_MEM_SIZE,	/* just past the mapping */
		0,				/* below it, never mapped */
		MVGPU_PPGTT_ADDR_MASK,		/* top of 48 bits */
		GUEST_IOVA - GUEST_PAGE,
	};
	uint64_t gg = 0;
	uint32_t *good;
	unsigned int i;

	good = guest_ppgtt_map_new(&self->g, &self->pp, GUEST_VA(6, 0, 0, 0), 1, &gg);
	ASSERT_TRUE(good != NULL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const uint64_t va = GUEST_VA(6, 1 + i, 0, 3);
		long bad_ppgtt, errors, rejected, completed, off;
		struct cs cs = { .n = 0 };
		struct guest_ctx c;
		uint8_t *snap;

		ASSERT_EQ(0, guest_ppgtt_map(&self->g, &self->pp, va, bad[i]));
		ASSERT_EQ(0, guest_ctx64_create(&self->g, &c, RING, 11 + i,
						self->pp.pml4));
		cs_sdi_pp(&cs, GUEST_VA(6, 0, 0, 0) + 4 * i, 0x1000 + i);
		cs_sdi_pp(&cs, va + 0x20, 0xbadbad);
		cs_sdi_pp(&cs, GUEST_VA(6, 0, 0, 0) + 4 * (8 + i), 0x2000 + i);
		cs_fill(&cs, MVGPU_BR13_DEPTH_32, 64, 0, 0, 16, 16,
			GUEST_VA(6, 0, 0, 0) + 1024, 0xbadbad);
		guest_emit_cs(&c, &cs);
		bad_ppgtt = vgpu_attr(self->g.uuid, "bad_ppgtt");
		errors = vgpu_attr(self->g.uuid, "errors");
		rejected = vgpu_attr(self->g.uuid, "rejected");
		completed = vgpu_attr(self->g.uuid, "completed");
		snap = guest_mem_snap(&self->g);
		ASSERT_TRUE(snap != NULL);
		/* The store before the bad one runs; nothing after it. */
		((uint32_t *)(snap + (gg - self->g.iova)))[i] = 0x1000 + i;
		run_fault(_metadata, &self->g, BCS, &c, GUEST_ERR_FAULTS, 1,
			  MVGPU_SPACE_RING, 16, va + 0x20);
		off = guest_mem_diff(&self->g, snap, c.img);
		EXPECT_EQ(-1, off) TH_LOG("gpa 0x%llx: guest memory changed at 0x%lx",
					  (unsigned long long)bad[i], off);
		free(snap);
		EXPECT_EQ(bad_ppgtt + 1, vgpu_attr(self->g.uuid, "bad_ppgtt"))
			TH_LOG("gpa 0x%llx", (unsigned long long)bad[i]);
		EXPECT_EQ(errors + 1, vgpu_attr(self->g.uuid, "errors"));
		EXPECT_EQ(rejected, vgpu_attr(self->g.uuid, "rejected"));
		EXPECT_EQ(completed, vgpu_attr(self->g.uuid, "completed"));
	}
}

TEST_F(ppgtt, table_outside_guest_memory_faults)
{
	const uint64_t bad[] = { GUEST_IOVA + GUEST_MEM_SIZE, 0 };
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const uint64_t va = GUEST_VA(7, 1 + i, 2, 3);
		struct cs cs = { .n = 0 };
		struct guest_ctx c;
		uint64_t *pde;
		uint8_t *snap;
		long off;

		ASSERT_TRUE(guest_ppgtt_map_new(&self->g, &self->pp, va, 1, NULL) != NULL);
		pde = guest_ppgtt_entry(&self->g, &self->pp, va, 2, 0);
		ASSERT_TRUE(pde != NULL);
		*pde = bad[i] | MVGPU_PPGTT_PRESENT;	/* its PT: not memory */
		ASSERT_EQ(0, guest_ctx64_create(&self->g, &c, RING, 20 + i,
						self->pp.pml4));
		cs_sdi_pp(&cs, va + 8, 0xbadbad);
		guest_emit_cs(&c, &cs);
		snap = guest_mem_snap(&self->g);
		ASSERT_TRUE(snap != NULL);
		run_fault(_metadata, &self->g, RCS, &c, GUEST_ERR_FAULTS, -1,
			  MVGPU_SPACE_RING, 0, va + 8);
		off = guest_mem_diff(&self->g, snap, c.img);
		EXPECT_EQ(-1, off) TH_LOG("changed at 0x%lx", off);
		free(snap);
	}
}

TEST_F(ppgtt, non_present_pde_faults_with_level_and_address)
{
	const uint64_t va = GUEST_VA(8, 3, 2, 1);
	struct cs cs = { .n = 0 };
	struct guest_ctx c;
	uint64_t *pde;
	uint32_t *pg;

	pg = guest_ppgtt_map_new(&self->g, &self->pp, va, 1, NULL);
	pde = guest_ppgtt_entry(&self->g, &self->pp, va, 2, 0);
	ASSERT_TRUE(pg && pde);
	*pde = 0;
	ASSERT_EQ(0, guest_ctx64_create(&self->g, &c, RING, 30, self->pp.pml4));
	cs_sdi_pp(&cs, va + 0x124, 0xbadbad);
	guest_emit_cs(&c, &cs);
	run_fault(_metadata, &self->g, BCS, &c, 1U << MVGPU_ERR_PPGTT_FAULT, 2,
		  MVGPU_SPACE_RING, 0, va + 0x124);
	EXPECT_EQ(0, pg[0x124 / 4]);
}

TEST_F(ppgtt, non_present_or_huge_entry_at_each_level_reports_its_level)
{
	static const struct {
		int level;
		uint64_t set;	/* the entry's new value, or'd with PS if ~0 */
	} cases[] = {
		{ 4, 0 }, { 3, 0 }, { 2, 0 }, { 1, 0 },
		{ 3, ~0ULL }, { 2, ~0ULL },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const uint64_t va = GUEST_VA(10 + i, 1, 2, 3) + 0x30;
		struct cs cs = { .n = 0 };
		struct guest_ctx c;
		uint64_t *e;
		uint8_t *snap;
		long off;

		ASSERT_TRUE(guest_ppgtt_map_new(&self->g, &self->pp, va, 1, NULL) != NULL);
		e = guest_ppgtt_entry(&self->g, &self->pp, va, cases[i].level, 0);
		ASSERT_TRUE(e != NULL);
		*e = cases[i].set ? *e | MVGPU_PPGTT_PS : 0;
		ASSERT_EQ(0, guest_ctx64_create(&self->g, &c, RING, 40 + i,
						self->pp.pml4));
		cs_sdi_pp(&cs, va, 0xbadbad);
		guest_emit_cs(&c, &cs);
		snap = guest_mem_snap(&self->g);
		ASSERT_TRUE(snap != NULL);
		TH_LOG("case %u: level %d%s", i, cases[i].level,
		       cases[i].set ? " PS" : "");
		run_fault(_metadata, &self->g, BCS, &c,
			  1U << MVGPU_ERR_PPGTT_FAULT, cases[i].level,
			  MVGPU_SPACE_RING, 0, va);
		off = guest_mem_diff(&self->g, snap, c.img);
		EXPECT_EQ(-1, off) TH_LOG("changed at 0x%lx", off);
		free(snap);
	}
	EXPECT_EQ(0, vgpu_attr(self->g.uuid, "bad_ppgtt"));
}

TEST_F(ppgtt, fault_address_in_a_ppgtt_batch_is_the_faulting_address)
{
	/*
	 * The first batch of a fresh vGPU is shadowed at the start of its
	 * shadow window (gvt/pgpu.h: 1536 MiB + (id - 1) * 64 MiB of host
	 * graphics memory).  A PPGTT address that happens to equal that
	 * graphics address is still a PPGTT address.
	 */
	long id = vgpu_attr(self->g.uuid, "vgpu_id");
	const uint64_t vb = GUEST_VA(2, 2, 2, 2);
	uint64_t fault = (1536ULL << 20) + (id - 1) * (64ULL << 20) + 0x10;
	struct cs cs = { .n = 0 }, b = { .n = 0 };
	struct guest_ctx c;
	uint32_t *p;

	ASSERT_LT(0, id);
	p = guest_ppgtt_map_new(&self->g, &self->pp, vb, 1, NULL);
	ASSERT_TRUE(p != NULL);
	cs_sdi_pp(&b, fault, 0xbadbad);
	CS(&b, MVGPU_MI_BATCH_BUFFER_END);
	memcpy(p, b.dw, 4 * b.n);
	ASSERT_EQ(0, guest_ctx64_create(&self->g, &c, RING, 50, self->pp.pml4));
	cs_bbs_pp(&cs, vb);
	guest_emit_cs(&c, &cs);
	run_fault(_metadata, &self->g, RCS, &c, 1U << MVGPU_ERR_PPGTT_FAULT, 4,
		  MVGPU_SPACE_PPGTT, vb, fault);
}

TEST_F(ppgtt, contexts_sharing_a_pml4_share_its_shadow)
{
	const uint32_t both = MVGPU_CSB_COMPLETE | MVGPU_CSB_ELEMENT_SWITCH;
	const uint64_t va = GUEST_VA(3, 3, 3, 3);
	struct guest_ev ev[GUEST_MAX_EV], end[GUEST_MAX_EV];
	struct cs cs = { .n = 0 };
	struct guest_ctx a, b;
	long spts, pins;
	uint32_t *p;
	int n, i, k = 0;

	p = guest_ppgtt_map_new(&self->g, &self->pp, va, 2, NULL);
	ASSERT_TRUE(p != NULL);
	ASSERT_EQ(0, guest_ctx64_create(&self->g, &a, RING, 60, self->pp.pml4));
	ASSERT_EQ(0, guest_ctx64_create(&self->g, &b, RING, 61, self->pp.pml4));
	cs_sdi_pp(&cs, va, 1);
	guest_emit_cs(&a, &cs);
	guest_run64_ok(_metadata, &self->g, BCS, &a);
	spts = vgpu_attr(self->g.uuid, "shadow_pages");
	pins = vgpu_attr(self->g.uuid, "pinned_pages");
	EXPECT_EQ(4, spts);	/* one table per level */

	cs.n = 0;
	cs_sdi_pp(&cs, va + GUEST_PAGE + 4, 2);
	guest_emit_cs(&b, &cs);
	guest_run64_ok(_metadata, &self->g, BCS, &b);
	EXPECT_EQ(spts, vgpu_attr(self->g.uuid, "shadow_pages"));
	EXPECT_EQ(pins, vgpu_attr(self->g.uuid, "pinned_pages"));

	/* Both in one submission. */
	cs.n = 0;
	cs_sdi_pp(&cs, va + 8, 3);
	guest_emit_cs(&a, &cs);
	cs.n = 0;
	cs_sdi_pp(&cs, va + GUEST_PAGE + 12, 4);
	guest_emit_cs(&b, &cs);
	n = guest_run64(&self->g, BCS, &a, &b, ev, GUEST_MAX_EV);
	ASSERT_LT(0, n) TH_LOG("wait: %d", n);
	for (i = 0; i < n; i++) {
		TH_LOG("event %d: 0x%x context %u", i, ev[i].status, ev[i].ctx_id);
		if (ev[i].status != MVGPU_CSB_IDLE_TO_ACTIVE)
			end[k++] = ev[i];
	}
	if (k < 2) {	/* an early ACTIVE_TO_IDLE: collect the rest */
		n = guest_wait_csb(&self->g, BCS, ev, GUEST_MAX_EV, 1000);
		for (i = 0; i < n; i++) {
			TH_LOG("later event %d: 0x%x context %u", i,
			       ev[i].status, ev[i].ctx_id);
			if (ev[i].status != MVGPU_CSB_IDLE_TO_ACTIVE && k < 2)
				end[k++] = ev[i];
		}
	}
	ASSERT_EQ(2, k);
	EXPECT_EQ(both, end[0].status & GUEST_CSB_END) TH_LOG("0x%x", end[0].status);
	EXPECT_EQ(a.id, end[0].ctx_id);
	EXPECT_EQ(GUEST_CSB_DONE, end[1].status & GUEST_CSB_END)
		TH_LOG("0x%x", end[1].status);
	EXPECT_EQ(b.id, end[1].ctx_id);
	EXPECT_EQ(1, p[0]);
	EXPECT_EQ(3, p[2]);
	EXPECT_EQ(2, p[1024 + 1]);
	EXPECT_EQ(4, p[1024 + 3]);
	EXPECT_EQ(spts, vgpu_attr(self->g.uuid, "shadow_pages"));
	EXPECT_EQ(pins, vgpu_attr(self->g.uuid, "pinned_pages"));
}

TEST_F(ppgtt, two_pml4s_sharing_a_pdp_shadow_it_once)
{
	const uint64_t va = GUEST_VA(3, 3, 3, 3);
	struct cs cs = { .n = 0 };
	struct guest_ppgtt pp2;
	struct guest_ctx a, b;
	uint64_t *root1, *root2;
	uint32_t *p;
	long spts;

	p = guest_ppgtt_map_new(&self->g, &self->pp, va, 1, NULL);
	ASSERT_TRUE(p != NULL);
	ASSERT_EQ(0, guest_ppgtt_init(&self->g, &pp2));
	root1 = guest_gpa_ptr(&self->g, self->pp.pml4);
	root2 = guest_gpa_ptr(&self->g, pp2.pml4);
	root2[3] = root1[3];
	ASSERT_EQ(0, guest_ctx64_create(&self->g, &a, RING, 70, self->pp.pml4));
	ASSERT_EQ(0, guest_ctx64_create(&self->g, &b, RING, 71, pp2.pml4));
	cs_sdi_pp(&cs, va, 1);
	guest_emit_cs(&a, &cs);
	guest_run64_ok(_metadata, &self->g, RCS, &a);
	spts = vgpu_attr(self->g.uuid, "shadow_pages");
	EXPECT_EQ(4, spts);
	cs.n = 0;
	cs_sdi_pp(&cs, va + 4, 2);
	guest_emit_cs(&b, &cs);
	guest_run64_ok(_metadata, &self->g, RCS, &b);
	EXPECT_EQ(spts + 1, vgpu_attr(self->g.uuid, "shadow_pages"));
	EXPECT_EQ(1, p[0]);
	EXPECT_EQ(2, p[1]);
}

/*
 * Run a PPGTT fill of @pages pages so that shadows and pins exist; the
 * vGPU already pins @pinned pages of earlier contexts.
 */
static void make_shadows(struct __test_metadata *_metadata, struct guest *g,
			 struct guest_ppgtt *pp, uint32_t id, long pinned)
{
	const uint64_t va = GUEST_VA(3, 5, 9, 0) - 4 * GUEST_PAGE;
	struct cs cs = { .n = 0 };
	struct guest_ctx c;
	struct psurf s;
	uint32_t *want, x, y;

	ASSERT_EQ(0, psurf_new(g, pp, &s, va, 256, 32, 1024, id));
	want = psurf_snap(&s);
	ASSERT_TRUE(want != NULL);
	for (y = 0; y < 32; y++)
		for (x = 0; x < 256; x++)
			want[px(&s, x, y)] = 0xff000000 | id;
	ASSERT_EQ(0, guest_ctx64_create(g, &c, RING, id, pp->pml4));
	cs_fill(&cs, MVGPU_BR13_DEPTH_32, s.pitch, 0, 0, 256, 32, va,
		0xff000000 | id);
	guest_emit_cs(&c, &cs);
	guest_run64_ok(_metadata, g, BCS, &c);
	EXPECT_EQ(-1, psurf_diff(&s, want));
	free(want);
	EXPECT_EQ(5, vgpu_attr(g->uuid, "shadow_pages"));
	/* 8 PPGTT pages, the ring's, the image's, the 5 tables (no KVM) */
	EXPECT_EQ(pinned + 8 + RING / GUEST_PAGE + 1 + 5,
		  vgpu_attr(g->uuid, "pinned_pages"));
}

TEST_F(ppgtt, vfio_reset_releases_ppgtt_pins_and_shadows)
{
	make_shadows(_metadata, &self->g, &self->pp, 80, 0);
	ASSERT_EQ(0, mvgpu_vfio_reset(self->g.v));
	EXPECT_EQ(0, vgpu_attr(self->g.uuid, "pinned_pages"));
	EXPECT_EQ(0, vgpu_attr(self->g.uuid, "shadow_pages"));
	/* The guest starts again with the same tables: they are shadowed anew. */
	ASSERT_EQ(0, guest_start(&self->g));
	make_shadows(_metadata, &self->g, &self->pp, 81, 0);
}

/*
 * GDRST full is the reset a guest driver can do itself: it drops the
 * shadows, and with them KVM's write tracking of the guest's tables, so
 * that a driver that reset its vGPU may give its table pages back to its
 * kernel.  The GGTT, and its pins, stay.
 */
TEST_F(ppgtt, gdrst_full_reset_drops_ppgtt_shadows_and_their_pins)
{
	struct guest *g = &self->g;
	long ggtt_pins;
	uint64_t end;

	make_shadows(_metadata, g, &self->pp, 82, 0);
	ggtt_pins = RING / GUEST_PAGE + 1;
	ASSERT_EQ(0, guest_wr(g, MVGPU_GDRST, MVGPU_GDRST_FULL));
	end = guest_now_ms() + GUEST_TIMEOUT_MS;
	while ((guest_rd(g, MVGPU_GDRST) & MVGPU_GDRST_FULL) &&
	       guest_now_ms() < end)
		usleep(1000);
	EXPECT_EQ(0, vgpu_attr(g->uuid, "shadow_pages"));
	EXPECT_EQ(ggtt_pins, vgpu_attr(g->uuid, "pinned_pages"));
	/* the same tables are shadowed anew at the next submission */
	ASSERT_EQ(0, guest_start(g));
	make_shadows(_metadata, g, &self->pp, 83, ggtt_pins);
}

TEST_F(ppgtt, close_releases_ppgtt_pins_and_shadows)
{
	char uuid[40];

	make_shadows(_metadata, &self->g, &self->pp, 90, 0);
	snprintf(uuid, sizeof(uuid), "%s", self->g.uuid);
	guest_close(&self->g);
	EXPECT_EQ(0, vgpu_attr(uuid, "pinned_pages"));
	EXPECT_EQ(0, vgpu_attr(uuid, "shadow_pages"));
	/* Opened again, with fresh guest memory, it works as before. */
	ASSERT_EQ(0, guest_open(&self->g, uuid));
	ASSERT_EQ(0, guest_start(&self->g));
	ASSERT_EQ(0, guest_ppgtt_init(&self->g, &self->pp));
	make_shadows(_metadata, &self->g, &self->pp, 91, 0);
}

TEST_HARNESS_MAIN
