// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual register file: table sanity, access rules, masked and
 * write-1-to-clear registers, execlist submit port, context status buffer,
 * error capture, interrupts, reset, PV info and EDID.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <endian.h>

#include "kselftest_harness.h"
#include "execlist.h"
#include "interrupt.h"
#include "vreg.h"
#include <mvgpu/mvgpu_pci.h>

#define HWS_GM		0x00010000U	/* the fake status page's address */

struct calls {
	int submits, gdrst, plane, bad, levels;
	int hws_writes, hws_refused;
	unsigned int hws_engine;
	u32 hws_last;			/* offset in the page of the last write */
	u8 hws[4096];			/* the page at HWS_GM */
	unsigned int engine;
	u64 desc[2];
	u32 gdrst_bits;
	bool level;
};

static void cb_submit(void *p, unsigned int e, const u64 d[2])
{
	struct calls *c = p;

	c->submits++;
	c->engine = e;
	c->desc[0] = d[0];
	c->desc[1] = d[1];
}

static void cb_gdrst(void *p, u32 bits)
{
	struct calls *c = p;

	c->gdrst++;
	c->gdrst_bits = bits;
}

static void cb_level(void *p, bool level)
{
	struct calls *c = p;

	c->levels++;
	c->level = level;
}

static void cb_plane(void *p)
{
	((struct calls *)p)->plane++;
}

static void cb_bad(void *p, u32 off, bool write, const char *why)
{
	((struct calls *)p)->bad++;
}

/* Graphics memory is the one page at HWS_GM; anything else is refused. */
static void cb_hws(void *p, unsigned int e, u32 gm, const void *buf,
		   unsigned int len)
{
	struct calls *c = p;

	c->hws_writes++;
	c->hws_engine = e;
	if (gm < HWS_GM || gm + len > HWS_GM + sizeof(c->hws)) {
		c->hws_refused++;
		return;
	}
	memcpy(c->hws + gm - HWS_GM, buf, len);
	c->hws_last = gm - HWS_GM;
}

/* Reads of the same page; anything else is refused. */
static int cb_hws_read(void *p, unsigned int e, u32 gm, void *buf,
		       unsigned int len)
{
	struct calls *c = p;

	if (gm < HWS_GM || gm + len > HWS_GM + sizeof(c->hws)) {
		c->hws_refused++;
		return -EFAULT;
	}
	memcpy(buf, c->hws + gm - HWS_GM, len);
	return 0;
}

static const struct mvgpu_vreg_ops ops = {
	.elsp_submit = cb_submit, .gdrst = cb_gdrst, .irq_level = cb_level,
	.plane_update = cb_plane, .bad_access = cb_bad, .hws_write = cb_hws,
	.hws_read = cb_hws_read,
};

static u32 hws_dword(const struct calls *c, u32 off)
{
	u32 v;

	memcpy(&v, c->hws + off, sizeof(v));
	return le32toh(v);
}

FIXTURE(vr) {
	struct mvgpu_vregs vr;
	u32 *vals;
	struct calls c;
	u8 edid[256];
};

FIXTURE_SETUP(vr)
{
	struct mvgpu_vreg_info info = {
		.vgpu_id = 3, .aperture_base = 0x20000000,
		.aperture_size = 0x4000000, .hidden_base = 0x80000000,
		.hidden_size = 0x10000000, .max_width = 1920,
		.max_height = 1200, .edid = self->edid,
	};
	int i;

	for (i = 0; i < 256; i++)
		self->edid[i] = i;
	self->edid[126] = 0;
	memset(&self->c, 0, sizeof(self->c));
	self->vals = calloc(mvgpu_vreg_count(), sizeof(u32));
	mvgpu_vregs_init(&self->vr, self->vals, &info, &ops, &self->c);
}

FIXTURE_TEARDOWN(vr)
{
	free(self->vals);
}

static u32 rd(struct mvgpu_vregs *vr, u32 off)
{
	u32 v = 0xdeadbeef;

	mvgpu_vreg_read(vr, off, &v, 4);
	return v;
}

static void wr(struct mvgpu_vregs *vr, u32 off, u32 v)
{
	mvgpu_vreg_write(vr, off, &v, 4);
}

static void check_table(struct __test_metadata *_metadata,
			const struct mvgpu_vreg_desc *t, unsigned int n,
			u32 limit)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct mvgpu_vreg_desc *d = &t[i];
		u32 span = 4 * (d->count ? d->count : 1);

		EXPECT_EQ(0, d->offset & 3) TH_LOG("entry %u", i);
		EXPECT_LE(d->offset + span, limit);
		if (d->count > 1)
			EXPECT_NE(NULL, d->read) TH_LOG("range without read");
		if (i)
			EXPECT_LE(t[i - 1].offset + 4 * (t[i - 1].count ?: 1),
				  d->offset)
				TH_LOG("entry %u at 0x%x out of order", i, d->offset);
	}
}

TEST(tables_are_sorted_aligned_and_inside_their_windows)
{
	unsigned int i, slot, e, seen = 0;
	u32 base[2] = { MVGPU_RCS_BASE, MVGPU_BCS_BASE };
	static char used[4096];

	check_table(_metadata, mvgpu_vreg_table, mvgpu_vreg_table_size,
		    MVGPU_MMIO_SIZE);
	check_table(_metadata, mvgpu_vreg_engine_table,
		    mvgpu_vreg_engine_table_size, MVGPU_VREG_ENGINE_WINDOW);
	ASSERT_LT(mvgpu_vreg_count(), sizeof(used));
	for (i = 0; i < mvgpu_vreg_table_size; i++) {
		ASSERT_EQ(&mvgpu_vreg_table[i],
			  mvgpu_vreg_find(mvgpu_vreg_table[i].offset, &slot));
		EXPECT_EQ(MVGPU_NUM_ENGINES,
			  mvgpu_vreg_engine(mvgpu_vreg_table[i].offset));
		seen += !used[slot]++;
	}
	for (e = 0; e < 2; e++)
		for (i = 0; i < mvgpu_vreg_engine_table_size; i++) {
			u32 off = base[e] + mvgpu_vreg_engine_table[i].offset;

			ASSERT_EQ(&mvgpu_vreg_engine_table[i],
				  mvgpu_vreg_find(off, &slot));
			EXPECT_EQ(e, mvgpu_vreg_engine(off));
			seen += !used[slot]++;
		}
	EXPECT_EQ(mvgpu_vreg_count(), seen);
	EXPECT_LT(80, mvgpu_vreg_count());
}

/* The engine register holding relative @rel, by walking the table. */
static const struct mvgpu_vreg_desc *engine_reg_walk(u32 rel)
{
	unsigned int i;

	for (i = 0; i < mvgpu_vreg_engine_table_size; i++) {
		const struct mvgpu_vreg_desc *d = &mvgpu_vreg_engine_table[i];

		if (rel - d->offset < 4 * (d->count ?: 1))
			return d;
	}
	return NULL;
}

/*
 * The fixture's register file built the engine index: every byte offset
 * of both engine windows finds what a walk of the table finds, at the
 * same slot as before the index.
 */
TEST_F(vr, engine_index_finds_what_the_table_holds_at_every_offset)
{
	u32 base[2] = { MVGPU_RCS_BASE, MVGPU_BCS_BASE };
	unsigned int e, slot, hits = 0;
	u32 rel;

	for (e = 0; e < 2; e++)
		for (rel = 0; rel < MVGPU_VREG_ENGINE_WINDOW; rel++) {
			const struct mvgpu_vreg_desc *got;

			got = mvgpu_vreg_find(base[e] + rel, &slot);
			ASSERT_EQ(engine_reg_walk(rel), got)
				TH_LOG("engine %u offset 0x%x", e, rel);
			if (!got)
				continue;
			hits++;
			EXPECT_EQ(mvgpu_vreg_table_size +
				  e * mvgpu_vreg_engine_table_size +
				  (got - mvgpu_vreg_engine_table), slot);
		}
	EXPECT_LT(2 * 4 * 30, hits);
}

TEST_F(vr, unknown_offsets_read_zero_drop_writes_and_are_counted)
{
	EXPECT_EQ(0, rd(&self->vr, 0x1000));
	wr(&self->vr, 0x1000, 5);
	EXPECT_EQ(0, rd(&self->vr, 0x1000));
	EXPECT_EQ(3, self->vr.unknown_accesses);
	EXPECT_EQ(3, self->c.bad);
}

TEST_F(vr, bad_sizes_and_offsets_are_einval)
{
	u32 v = 0;

	EXPECT_EQ(-EINVAL, mvgpu_vreg_read(&self->vr, 2, &v, 4));
	EXPECT_EQ(-EINVAL, mvgpu_vreg_read(&self->vr, 0, &v, 3));
	EXPECT_EQ(-EINVAL, mvgpu_vreg_read(&self->vr, MVGPU_MMIO_SIZE, &v, 4));
	EXPECT_EQ(-EINVAL, mvgpu_vreg_write(&self->vr, MVGPU_MMIO_SIZE - 4, &v, 8));
	EXPECT_EQ(-EINVAL, mvgpu_vreg_write(&self->vr, 0xffffffff, &v, 1));
}

TEST_F(vr, read_only_and_sub_dword_writes_are_refused)
{
	u32 v = 0xffff;

	wr(&self->vr, MVGPU_RCS_BASE + MVGPU_RING_HEAD, 0x40);
	EXPECT_EQ(0, rd(&self->vr, MVGPU_RCS_BASE + MVGPU_RING_HEAD));
	ASSERT_EQ(0, mvgpu_vreg_write(&self->vr, MVGPU_GT_IER(0), &v, 2));
	EXPECT_EQ(0, rd(&self->vr, MVGPU_GT_IER(0)));
	EXPECT_EQ(2, self->vr.refused_writes);
}

TEST_F(vr, pvinfo_reads_including_8_byte_magic)
{
	u64 magic = 0;
	u16 half = 0;

	ASSERT_EQ(0, mvgpu_vreg_read(&self->vr, MVGPU_PVINFO_OFFSET, &magic, 8));
	EXPECT_EQ(MVGPU_PVINFO_MAGIC, magic);
	EXPECT_EQ(3, rd(&self->vr, MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_VGPU_ID_REG));
	EXPECT_EQ(0x20000000, rd(&self->vr, MVGPU_PVINFO_OFFSET +
				 MVGPU_PVINFO_APERTURE_BASE_REG));
	EXPECT_EQ(1200, rd(&self->vr, MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_MAX_HEIGHT_REG));
	ASSERT_EQ(0, mvgpu_vreg_read(&self->vr, MVGPU_PVINFO_OFFSET +
				     MVGPU_PVINFO_VERSION_REG + 2, &half, 2));
	EXPECT_EQ(MVGPU_PVINFO_VERSION_MINOR, half);
	wr(&self->vr, MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_VGPU_ID_REG, 9);
	EXPECT_EQ(3, rd(&self->vr, MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_VGPU_ID_REG));
	wr(&self->vr, MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_DISPLAY_READY_REG, 3);
	EXPECT_EQ(1, rd(&self->vr, MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_DISPLAY_READY_REG));
}

TEST_F(vr, masked_register_changes_only_selected_bits)
{
	u32 mode = MVGPU_BCS_BASE + MVGPU_RING_MODE;

	wr(&self->vr, mode, MVGPU_RING_MODE_RUN_LIST_ENABLE);
	EXPECT_EQ(0, rd(&self->vr, mode));
	wr(&self->vr, mode, MVGPU_MASKED_BIT_ENABLE(MVGPU_RING_MODE_RUN_LIST_ENABLE));
	EXPECT_EQ(MVGPU_RING_MODE_RUN_LIST_ENABLE, rd(&self->vr, mode));
	wr(&self->vr, mode, 0xffff0000);
	EXPECT_EQ(0, rd(&self->vr, mode));
}

TEST_F(vr, elsp_submits_a_pair_on_the_fourth_dword)
{
	u32 elsp = MVGPU_RCS_BASE + MVGPU_RING_ELSP;

	wr(&self->vr, elsp, 1);
	EXPECT_EQ(0, self->c.submits);
	EXPECT_EQ(1, self->c.bad);
	wr(&self->vr, MVGPU_RCS_BASE + MVGPU_RING_MODE,
	   MVGPU_MASKED_BIT_ENABLE(MVGPU_RING_MODE_RUN_LIST_ENABLE));
	wr(&self->vr, elsp, 0x11);
	wr(&self->vr, elsp, 0x22);
	wr(&self->vr, elsp, 0x33);
	EXPECT_EQ(0, self->c.submits);
	wr(&self->vr, elsp, 0x44);
	ASSERT_EQ(1, self->c.submits);
	EXPECT_EQ(MVGPU_ENGINE_RCS, self->c.engine);
	EXPECT_EQ(0x3300000044ULL, self->c.desc[0]);
	EXPECT_EQ(0x1100000022ULL, self->c.desc[1]);
	EXPECT_EQ(0, rd(&self->vr, elsp));
}

TEST_F(vr, csb_entries_wrap_and_raise_context_switch)
{
	u32 b = MVGPU_BCS_BASE;
	int i;

	EXPECT_EQ(MVGPU_CSB_PTR_RESET, rd(&self->vr, b + MVGPU_RING_CSB_PTR));
	wr(&self->vr, MVGPU_GT_IER(0), ~0U);
	for (i = 0; i < 8; i++)
		mvgpu_execlist_csb_event(&self->vr, MVGPU_ENGINE_BCS,
					 MVGPU_CSB_COMPLETE, 100 + i);
	/* Entries 0..5 then 0, 1 again: write pointer at 1. */
	EXPECT_EQ(1, rd(&self->vr, b + MVGPU_RING_CSB_PTR) & 7);
	EXPECT_EQ(107, rd(&self->vr, b + MVGPU_RING_CSB_CTX_ID(1)));
	EXPECT_EQ(105, rd(&self->vr, b + MVGPU_RING_CSB_CTX_ID(5)));
	EXPECT_EQ(MVGPU_CSB_COMPLETE, rd(&self->vr, b + MVGPU_RING_CSB(0)));
	EXPECT_EQ(107, rd(&self->vr, b + MVGPU_RING_EXECLIST_STATUS_HI));
	EXPECT_EQ(MVGPU_GT_CONTEXT_SWITCH_INTERRUPT << MVGPU_BCS_IRQ_SHIFT,
		  rd(&self->vr, MVGPU_GT_IIR(0)));
	wr(&self->vr, b + MVGPU_RING_CSB_PTR, 0xffff0000 | 0x0102);
	EXPECT_EQ(0x0101, rd(&self->vr, b + MVGPU_RING_CSB_PTR));
}

/*
 * The idle interrupt (bit 9) is raised with the context-switch one for
 * an entry with ACTIVE_TO_IDLE only: enabled alone, an element switch
 * latches nothing and sends no message.
 */
TEST_F(vr, idle_interrupt_only_when_the_engine_goes_idle)
{
	const u32 cs = MVGPU_GT_CONTEXT_SWITCH_INTERRUPT << MVGPU_RCS_IRQ_SHIFT;
	const u32 idle = MVGPU_GT_IDLE_INTERRUPT << MVGPU_RCS_IRQ_SHIFT;

	wr(&self->vr, MVGPU_GT_IER(0), idle);
	wr(&self->vr, MVGPU_GT_IMR(0), 0);
	wr(&self->vr, MVGPU_MASTER_IRQ, MVGPU_MASTER_IRQ_CONTROL);
	mvgpu_execlist_csb_event(&self->vr, MVGPU_ENGINE_RCS,
				 MVGPU_CSB_COMPLETE | MVGPU_CSB_ELEMENT_SWITCH, 1);
	EXPECT_EQ(0, rd(&self->vr, MVGPU_GT_IIR(0)));
	EXPECT_FALSE(self->vr.irq_asserted);
	mvgpu_execlist_csb_event(&self->vr, MVGPU_ENGINE_RCS,
				 MVGPU_CSB_COMPLETE | MVGPU_CSB_ACTIVE_TO_IDLE, 2);
	EXPECT_EQ(idle, rd(&self->vr, MVGPU_GT_IIR(0)));
	EXPECT_TRUE(self->vr.irq_asserted);
	wr(&self->vr, MVGPU_GT_IIR(0), idle);
	EXPECT_FALSE(self->vr.irq_asserted);
	/* both enabled: an idle entry latches both */
	wr(&self->vr, MVGPU_GT_IER(0), idle | cs);
	mvgpu_execlist_csb_event(&self->vr, MVGPU_ENGINE_RCS,
				 MVGPU_CSB_PREEMPTED | MVGPU_CSB_ACTIVE_TO_IDLE, 3);
	EXPECT_EQ(idle | cs, rd(&self->vr, MVGPU_GT_IIR(0)));
}

TEST_F(vr, status_page_off_by_default_gets_no_writes)
{
	EXPECT_EQ(0, rd(&self->vr, MVGPU_RCS_BASE + MVGPU_RING_HWS_PGA));
	EXPECT_EQ(0, mvgpu_execlist_hws(&self->vr, MVGPU_ENGINE_RCS));
	mvgpu_execlist_csb_event(&self->vr, MVGPU_ENGINE_RCS,
				 MVGPU_CSB_COMPLETE, 1);
	EXPECT_EQ(0, self->c.hws_writes);
}

TEST_F(vr, status_page_mirrors_csb_entries_then_write_pointer)
{
	u32 b = MVGPU_BCS_BASE;
	int i;

	/* the low 12 bits are not writable */
	wr(&self->vr, b + MVGPU_RING_HWS_PGA, HWS_GM | 0xfff);
	EXPECT_EQ(HWS_GM, rd(&self->vr, b + MVGPU_RING_HWS_PGA));
	EXPECT_EQ(0, mvgpu_execlist_hws(&self->vr, MVGPU_ENGINE_RCS));
	for (i = 0; i < 8; i++) {
		mvgpu_execlist_csb_event(&self->vr, MVGPU_ENGINE_BCS,
					 MVGPU_CSB_COMPLETE | i << 8, 200 + i);
		/* the write pointer is written last */
		EXPECT_EQ(MVGPU_HWS_CSB_WRITE_PTR, self->c.hws_last);
		EXPECT_EQ(rd(&self->vr, b + MVGPU_RING_CSB_PTR) &
			  MVGPU_CSB_WRITE_PTR_MASK,
			  hws_dword(&self->c, MVGPU_HWS_CSB_WRITE_PTR));
	}
	EXPECT_EQ(MVGPU_ENGINE_BCS, self->c.hws_engine);
	EXPECT_EQ(0, self->c.hws_refused);
	EXPECT_EQ(1, hws_dword(&self->c, MVGPU_HWS_CSB_WRITE_PTR));
	for (i = 0; i < MVGPU_CSB_ENTRIES; i++) {
		EXPECT_EQ(rd(&self->vr, b + MVGPU_RING_CSB(i)),
			  hws_dword(&self->c, MVGPU_HWS_CSB(i)));
		EXPECT_EQ(rd(&self->vr, b + MVGPU_RING_CSB_CTX_ID(i)),
			  hws_dword(&self->c, MVGPU_HWS_CSB_CTX_ID(i)));
	}
	EXPECT_EQ(207, hws_dword(&self->c, MVGPU_HWS_CSB_CTX_ID(1)));
	EXPECT_EQ(MVGPU_CSB_COMPLETE | 7 << 8, hws_dword(&self->c, MVGPU_HWS_CSB(1)));
	/* nothing outside the CSB area of the page */
	EXPECT_EQ(0, hws_dword(&self->c, 0x3c));
	EXPECT_EQ(0, hws_dword(&self->c, 0x80));
}

/* Put descriptor @d as element @n of the submit queue in the fake page. */
static void sq_put(struct calls *c, unsigned int n, u64 d)
{
	u64 le = htole64(d);

	memcpy(c->hws + MVGPU_HWS_SQ(n), &le, sizeof(le));
}

/*
 * EXECLIST_CONTROL's LOAD submits the pair in the status page, one write
 * for ELSP's four, leaving a partial ELSP sequence alone; refused (and
 * counted) with the run list disabled or without a status page; a queue
 * the GGTT refuses submits nothing; other bits do nothing.
 */
TEST_F(vr, submit_queue_load_submits_the_pair_in_the_status_page)
{
	u32 b = MVGPU_BCS_BASE, ctl = b + MVGPU_RING_EXECLIST_CONTROL;

	/* PV info offers it */
	EXPECT_EQ(MVGPU_PVINFO_CAP_SUBMIT_QUEUE,
		  rd(&self->vr, MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_CAPS_REG));
	sq_put(&self->c, 0, 0x3300000044ULL);
	sq_put(&self->c, 1, 0x1100000022ULL);
	wr(&self->vr, b + MVGPU_RING_HWS_PGA, HWS_GM);
	wr(&self->vr, ctl, MVGPU_EXECLIST_CONTROL_LOAD);
	EXPECT_EQ(0, self->c.submits);
	EXPECT_EQ(1, self->c.bad);		/* run list disabled */
	wr(&self->vr, b + MVGPU_RING_MODE,
	   MVGPU_MASKED_BIT_ENABLE(MVGPU_RING_MODE_RUN_LIST_ENABLE));
	wr(&self->vr, b + MVGPU_RING_ELSP, 0x99);	/* a partial ELSP write */
	wr(&self->vr, ctl, 0x2);
	EXPECT_EQ(0, self->c.submits);
	wr(&self->vr, ctl, MVGPU_EXECLIST_CONTROL_LOAD);
	ASSERT_EQ(1, self->c.submits);
	EXPECT_EQ(MVGPU_ENGINE_BCS, self->c.engine);
	EXPECT_EQ(0x3300000044ULL, self->c.desc[0]);
	EXPECT_EQ(0x1100000022ULL, self->c.desc[1]);
	EXPECT_EQ(0, rd(&self->vr, ctl));
	EXPECT_EQ(1, self->c.bad);
	/* the ELSP sequence goes on where it was */
	wr(&self->vr, b + MVGPU_RING_ELSP, 0x88);
	wr(&self->vr, b + MVGPU_RING_ELSP, 0x77);
	wr(&self->vr, b + MVGPU_RING_ELSP, 0x66);
	ASSERT_EQ(2, self->c.submits);
	EXPECT_EQ(0x7700000066ULL, self->c.desc[0]);
	EXPECT_EQ(0x9900000088ULL, self->c.desc[1]);
	/* a page the GGTT refuses: nothing submitted */
	wr(&self->vr, b + MVGPU_RING_HWS_PGA, 0xfffff000);
	wr(&self->vr, ctl, MVGPU_EXECLIST_CONTROL_LOAD);
	EXPECT_EQ(2, self->c.submits);
	EXPECT_EQ(1, self->c.hws_refused);
	/* no status page */
	wr(&self->vr, b + MVGPU_RING_HWS_PGA, 0);
	wr(&self->vr, ctl, MVGPU_EXECLIST_CONTROL_LOAD);
	EXPECT_EQ(2, self->c.submits);
	EXPECT_EQ(2, self->c.bad);
}

TEST_F(vr, status_page_refused_write_keeps_csb_registers)
{
	u32 b = MVGPU_RCS_BASE;

	wr(&self->vr, b + MVGPU_RING_HWS_PGA, 0xfffff000);
	mvgpu_execlist_csb_event(&self->vr, MVGPU_ENGINE_RCS,
				 MVGPU_CSB_COMPLETE, 9);
	EXPECT_EQ(2, self->c.hws_refused);
	EXPECT_EQ(0, rd(&self->vr, b + MVGPU_RING_CSB_PTR) & 7);
	EXPECT_EQ(9, rd(&self->vr, b + MVGPU_RING_CSB_CTX_ID(0)));
}

TEST_F(vr, status_page_kept_by_engine_reset_cleared_by_full_reset)
{
	wr(&self->vr, MVGPU_RCS_BASE + MVGPU_RING_HWS_PGA, HWS_GM);
	wr(&self->vr, MVGPU_BCS_BASE + MVGPU_RING_HWS_PGA, HWS_GM + 0x1000);
	mvgpu_vregs_reset_engine(&self->vr, MVGPU_ENGINE_RCS);
	EXPECT_EQ(HWS_GM, rd(&self->vr, MVGPU_RCS_BASE + MVGPU_RING_HWS_PGA));
	EXPECT_EQ(HWS_GM + 0x1000,
		  rd(&self->vr, MVGPU_BCS_BASE + MVGPU_RING_HWS_PGA));
	mvgpu_vregs_reset(&self->vr);
	EXPECT_EQ(0, rd(&self->vr, MVGPU_RCS_BASE + MVGPU_RING_HWS_PGA));
	EXPECT_EQ(0, rd(&self->vr, MVGPU_BCS_BASE + MVGPU_RING_HWS_PGA));
}

TEST_F(vr, interrupt_output_follows_ier_imr_and_master)
{
	u32 user = MVGPU_GT_USER_INTERRUPT;

	mvgpu_execlist_user_interrupt(&self->vr, MVGPU_ENGINE_RCS);
	EXPECT_EQ(0, rd(&self->vr, MVGPU_GT_IIR(0)));
	wr(&self->vr, MVGPU_GT_IER(0), user);
	mvgpu_execlist_user_interrupt(&self->vr, MVGPU_ENGINE_RCS);
	EXPECT_EQ(user, rd(&self->vr, MVGPU_GT_IIR(0)));
	EXPECT_EQ(0, self->c.levels);
	wr(&self->vr, MVGPU_GT_IMR(0), ~user);
	EXPECT_EQ(0, self->c.levels);
	EXPECT_EQ(MVGPU_MASTER_GT0_IRQ, rd(&self->vr, MVGPU_MASTER_IRQ));
	wr(&self->vr, MVGPU_MASTER_IRQ, MVGPU_MASTER_IRQ_CONTROL);
	EXPECT_EQ(1, self->c.levels);
	EXPECT_TRUE(self->c.level);
	/* A driver's handler: master off, clear IIR, master on. */
	wr(&self->vr, MVGPU_MASTER_IRQ, 0);
	EXPECT_FALSE(self->c.level);
	mvgpu_execlist_user_interrupt(&self->vr, MVGPU_ENGINE_RCS);
	wr(&self->vr, MVGPU_GT_IIR(0), user);
	wr(&self->vr, MVGPU_MASTER_IRQ, MVGPU_MASTER_IRQ_CONTROL);
	EXPECT_EQ(2, self->c.levels);
	EXPECT_EQ(0, rd(&self->vr, MVGPU_GT_IIR(0)));
	EXPECT_EQ(MVGPU_MASTER_IRQ_CONTROL, rd(&self->vr, MVGPU_MASTER_IRQ));
	mvgpu_execlist_user_interrupt(&self->vr, MVGPU_ENGINE_RCS);
	EXPECT_EQ(3, self->c.levels);
	EXPECT_TRUE(self->c.level);
}

TEST_F(vr, first_error_is_captured_until_status_written)
{
	struct mvgpu_vengine_error e1 = { 0x7, 42, 0x1000, 0xdead, 0x123456789ULL };
	struct mvgpu_vengine_error e2 = { 0x1, 43, 0x2000, 0xbeef, 0 };
	u32 b = MVGPU_RCS_BASE;

	wr(&self->vr, MVGPU_GT_IER(0), ~0U);
	mvgpu_execlist_error(&self->vr, MVGPU_ENGINE_RCS, &e1);
	mvgpu_execlist_error(&self->vr, MVGPU_ENGINE_RCS, &e2);
	EXPECT_EQ(0x80000007, rd(&self->vr, b + MVGPU_RING_ERR_STATUS));
	EXPECT_EQ(42, rd(&self->vr, b + MVGPU_RING_ERR_CTX_ID));
	EXPECT_EQ(0x23456789, rd(&self->vr, b + MVGPU_RING_ERR_FAULT_ADDR_LO));
	EXPECT_EQ(1, rd(&self->vr, b + MVGPU_RING_ERR_FAULT_ADDR_HI));
	EXPECT_EQ(MVGPU_GT_CS_ERROR_INTERRUPT, rd(&self->vr, MVGPU_GT_IIR(0)));
	wr(&self->vr, b + MVGPU_RING_ERR_STATUS, 0);
	EXPECT_EQ(0, rd(&self->vr, b + MVGPU_RING_ERR_STATUS));
	EXPECT_EQ(0, rd(&self->vr, b + MVGPU_RING_ERR_CMD_HEADER));
	mvgpu_execlist_error(&self->vr, MVGPU_ENGINE_RCS, &e2);
	EXPECT_EQ(43, rd(&self->vr, b + MVGPU_RING_ERR_CTX_ID));
}

TEST_F(vr, gdrst_display_and_reset_ctl_have_effects)
{
	u32 rc = MVGPU_BCS_BASE + MVGPU_RING_RESET_CTL;

	wr(&self->vr, MVGPU_GDRST, MVGPU_GDRST_BLT | 0x100);
	EXPECT_EQ(1, self->c.gdrst);
	EXPECT_EQ(MVGPU_GDRST_BLT, self->c.gdrst_bits);
	EXPECT_EQ(0, rd(&self->vr, MVGPU_GDRST));
	wr(&self->vr, MVGPU_DSPSURF, 0x12345678);
	EXPECT_EQ(1, self->c.plane);
	EXPECT_EQ(0x12345000, rd(&self->vr, MVGPU_DSPSURF));
	wr(&self->vr, rc, MVGPU_MASKED_BIT_ENABLE(MVGPU_RESET_CTL_REQUEST_RESET));
	EXPECT_EQ(3, rd(&self->vr, rc));
	wr(&self->vr, rc, MVGPU_MASKED_BIT_DISABLE(MVGPU_RESET_CTL_REQUEST_RESET));
	EXPECT_EQ(0, rd(&self->vr, rc));
}

TEST_F(vr, reset_restores_defaults_and_drops_the_interrupt)
{
	wr(&self->vr, MVGPU_GT_IMR(0), 0);
	wr(&self->vr, MVGPU_GT_IER(0), ~0U);
	wr(&self->vr, MVGPU_MASTER_IRQ, MVGPU_MASTER_IRQ_CONTROL);
	mvgpu_execlist_user_interrupt(&self->vr, MVGPU_ENGINE_BCS);
	EXPECT_TRUE(self->c.level);
	mvgpu_vregs_reset(&self->vr);
	EXPECT_FALSE(self->c.level);
	EXPECT_EQ(0xffffffff, rd(&self->vr, MVGPU_GT_IMR(0)));
	EXPECT_EQ(0, rd(&self->vr, MVGPU_GT_IIR(0)));
	EXPECT_EQ(MVGPU_CSB_PTR_RESET,
		  rd(&self->vr, MVGPU_RCS_BASE + MVGPU_RING_CSB_PTR));
}

TEST_F(vr, engine_reset_keeps_run_list_and_other_engine)
{
	u32 mode = MVGPU_RCS_BASE + MVGPU_RING_MODE;

	wr(&self->vr, mode, MVGPU_MASKED_BIT_ENABLE(MVGPU_RING_MODE_RUN_LIST_ENABLE));
	mvgpu_execlist_csb_event(&self->vr, MVGPU_ENGINE_RCS, MVGPU_CSB_COMPLETE, 1);
	mvgpu_execlist_csb_event(&self->vr, MVGPU_ENGINE_BCS, MVGPU_CSB_COMPLETE, 2);
	wr(&self->vr, MVGPU_RCS_BASE + MVGPU_RING_ELSP, 7);
	mvgpu_vregs_reset_engine(&self->vr, MVGPU_ENGINE_RCS);
	EXPECT_EQ(MVGPU_CSB_PTR_RESET, rd(&self->vr, MVGPU_RCS_BASE + MVGPU_RING_CSB_PTR));
	EXPECT_EQ(0, rd(&self->vr, MVGPU_RCS_BASE + MVGPU_RING_CSB_CTX_ID(0)));
	EXPECT_EQ(MVGPU_RING_MODE_RUN_LIST_ENABLE, rd(&self->vr, mode));
	EXPECT_EQ(2, rd(&self->vr, MVGPU_BCS_BASE + MVGPU_RING_CSB_CTX_ID(0)));
	EXPECT_EQ(0, self->vr.elsp_count[MVGPU_ENGINE_RCS]);
}

/*
 * A partial ELSP write is forgotten by a reset, its dwords too: they are
 * saved in a migration stream, and the next user of the vGPU (after a
 * close, which resets it) must find nothing of the last one's.
 */
TEST_F(vr, resets_forget_the_elsp_dwords_written)
{
	unsigned int e, i;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		wr(&self->vr, (e ? MVGPU_BCS_BASE : MVGPU_RCS_BASE) +
		   MVGPU_RING_MODE,
		   MVGPU_MASKED_BIT_ENABLE(MVGPU_RING_MODE_RUN_LIST_ENABLE));
	wr(&self->vr, MVGPU_RCS_BASE + MVGPU_RING_ELSP, 0x1111);
	wr(&self->vr, MVGPU_RCS_BASE + MVGPU_RING_ELSP, 0x2222);
	wr(&self->vr, MVGPU_RCS_BASE + MVGPU_RING_ELSP, 0x3333);
	wr(&self->vr, MVGPU_BCS_BASE + MVGPU_RING_ELSP, 0x4444);
	mvgpu_vregs_reset_engine(&self->vr, MVGPU_ENGINE_RCS);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, self->vr.elsp[MVGPU_ENGINE_RCS][i]);
	EXPECT_EQ(0x4444, self->vr.elsp[MVGPU_ENGINE_BCS][0]);
	EXPECT_EQ(1, self->vr.elsp_count[MVGPU_ENGINE_BCS]);
	wr(&self->vr, MVGPU_RCS_BASE + MVGPU_RING_ELSP, 0x5555);
	mvgpu_vregs_reset(&self->vr);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		EXPECT_EQ(0, self->vr.elsp_count[e]);
		for (i = 0; i < 4; i++)
			EXPECT_EQ(0, self->vr.elsp[e][i]) TH_LOG("engine %u", e);
	}
}

/*
 * An engine reset drops the engine's pending interrupts, not the other
 * engine's, and the output follows (gpu-interface.rst, Reset).
 */
TEST_F(vr, engine_reset_drops_its_pending_interrupts)
{
	wr(&self->vr, MVGPU_GT_IER(0), 0xffffffff);
	wr(&self->vr, MVGPU_GT_IMR(0), 0);
	wr(&self->vr, MVGPU_MASTER_IRQ, MVGPU_MASTER_IRQ_CONTROL);
	mvgpu_execlist_csb_event(&self->vr, MVGPU_ENGINE_RCS, MVGPU_CSB_COMPLETE, 1);
	ASSERT_NE(0, rd(&self->vr, MVGPU_GT_IIR(0)) & 0xffff);
	EXPECT_TRUE(self->vr.irq_asserted);
	mvgpu_vregs_reset_engine(&self->vr, MVGPU_ENGINE_BCS);
	EXPECT_NE(0, rd(&self->vr, MVGPU_GT_IIR(0)) & 0xffff);
	EXPECT_TRUE(self->vr.irq_asserted);
	mvgpu_execlist_csb_event(&self->vr, MVGPU_ENGINE_BCS, MVGPU_CSB_COMPLETE, 2);
	mvgpu_vregs_reset_engine(&self->vr, MVGPU_ENGINE_RCS);
	EXPECT_EQ(0, rd(&self->vr, MVGPU_GT_IIR(0)) & 0xffff);
	EXPECT_NE(0, rd(&self->vr, MVGPU_GT_IIR(0)) >> 16);
	EXPECT_TRUE(self->vr.irq_asserted);
	mvgpu_vregs_reset_engine(&self->vr, MVGPU_ENGINE_BCS);
	EXPECT_EQ(0, rd(&self->vr, MVGPU_GT_IIR(0)));
	EXPECT_FALSE(self->vr.irq_asserted);
}

TEST_F(vr, edid_window_and_status)
{
	EXPECT_EQ(0x03020100, rd(&self->vr, MVGPU_EDID_BASE));
	EXPECT_EQ(0xfffefdfc, rd(&self->vr, MVGPU_EDID_BASE + 252));
	EXPECT_EQ(MVGPU_EDID_STATUS_CONNECTED | 1 << MVGPU_EDID_STATUS_BLOCKS_SHIFT,
		  rd(&self->vr, MVGPU_EDID_STATUS));
}

TEST_F(vr, random_writes_never_escape_the_file)
{
	unsigned int i;

	srand(7);
	for (i = 0; i < 200000; i++) {
		u32 off = (rand() % (MVGPU_MMIO_SIZE / 4)) * 4;
		u64 v = (u64)rand() << 32 | rand();

		if (i % 3 == 0)
			off = mvgpu_vreg_table[rand() % mvgpu_vreg_table_size].offset;
		if (i % 3 == 1)
			off = MVGPU_BCS_BASE + mvgpu_vreg_engine_table[rand() %
				mvgpu_vreg_engine_table_size].offset;
		mvgpu_vreg_write(&self->vr, off & ~7U, &v, i & 1 ? 8 : 4);
		mvgpu_vreg_read(&self->vr, off, &v, 4);
	}
	mvgpu_vregs_reset(&self->vr);
	EXPECT_EQ(0xffffffff, rd(&self->vr, MVGPU_GT_IMR(0)));
}

TEST_HARNESS_MAIN
