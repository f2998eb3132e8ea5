// SPDX-License-Identifier: GPL-2.0-only
/*
 * gvt/cmd_parser.c and gvt/cmd_table.c: every command in its valid forms,
 * one test per rejection rule, range boundaries (end exactly at the
 * limit, one byte over, 64-bit wrap), registers, batch shadowing and
 * patching (first level, chained, second level, PPGTT), loops and limits,
 * time-of-check/time-of-use, op failures, agreement with the executor's
 * lengths (sgpu/cmd_exec.c), scanned workloads run on the executor, and
 * fuzzer-found regressions.
 */
#include "kselftest_harness.h"

/* the executor, for its static sgpu_cmd_len() */
#include "../../sgpu/cmd_exec.c"
#include "regfile.h"
#include "sgpu_fake.h"

#include "../fuzz/cmd_parser_fake.h"

#define D	(CSF_APER + 0x2000)	/* data in the aperture */
#define D2	(CSF_HID + 0x1000)	/* data in the hidden range */
#define BB_A	(CSF_APER + 0x10000)
#define BB_B	(CSF_APER + 0x20000)
#define BB_C	(CSF_HID + 0x30000)
#define APER_END (CSF_APER + CSF_APER_SIZE)
#define HID_END	(CSF_HID + CSF_HID_SIZE)

#define NDW(...) (sizeof((const u32[]){ __VA_ARGS__ }) / 4)

struct ring {
	u32 dw[8192];
	u32 n;
};

static void ring_emit(struct ring *r, const u32 *dw, u32 n)
{
	memcpy(r->dw + r->n, dw, 4 * n);
	r->n += n;
}

#define R(r, ...) ring_emit(r, (const u32[]){ __VA_ARGS__ }, NDW(__VA_ARGS__))
#define G(f, ga, ...) \
	csf_gput(f, ga, (const u32[]){ __VA_ARGS__ }, NDW(__VA_ARGS__))

#define SDI_G(a)	MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, LO(a), HI(a), 7
#define BBS(a, fl)	MVGPU_MI_BATCH_BUFFER_START | (fl), LO(a), HI(a)
#define BBE		MVGPU_MI_BATCH_BUFFER_END
#define NOOP		MVGPU_MI_NOOP
#define RCS_GPR(n)	(MVGPU_RCS_BASE + MVGPU_RING_GPR(n))
#define BCS_GPR(n)	(MVGPU_BCS_BASE + MVGPU_RING_GPR(n))

FIXTURE(scan) {
	struct csf f;
	struct ring r;
};

FIXTURE_SETUP(scan)
{
	csf_init(&self->f, MVGPU_ENGINE_BCS, false);
	self->r.n = 0;
}

FIXTURE_TEARDOWN(scan)
{
	EXPECT_EQ(0, self->f.contract_errors);
	csf_fini(&self->f);
}

static int scan(struct csf *f, struct ring *r)
{
	return mvgpu_cmd_scan_ring(&f->s, r->dw, 4 * r->n, &f->res);
}

/* Scan and expect a rejection for @reason. */
#define REJECT(reason_) do {						\
	ASSERT_GT(0, scan(&self->f, &self->r));				\
	EXPECT_EQ(reason_, self->f.res.reason) {			\
		TH_LOG("got %s", mvgpu_cmd_reason_str(self->f.res.reason)); \
	}								\
} while (0)

#define ACCEPT() do {							\
	const char *__err;						\
									\
	ASSERT_EQ(0, scan(&self->f, &self->r)) {			\
		TH_LOG("rejected: %s at buffer %u offset %u hdr %#x value %#llx", \
		       mvgpu_cmd_reason_str(self->f.res.reason),	\
		       self->f.res.index, self->f.res.offset,		\
		       self->f.res.header,				\
		       (unsigned long long)self->f.res.value);		\
	}								\
	__err = csf_check_workload(&self->f, self->r.dw, 4 * self->r.n, \
				   !self->f.after_copy);		\
	EXPECT_TRUE(__err == NULL) {					\
		TH_LOG("%s", __err);					\
	}								\
} while (0)

/* Start over with an empty ring and no shadows. */
static void reset(struct csf *f, struct ring *r)
{
	csf_release_bufs(f);
	r->n = 0;
}

/* The shadow a patched batch start at @p jumps to; checks the patch. */
static struct csf_buf *jump_target(struct csf *f, const u32 *p)
{
	u64 gma = p[1] | (u64)p[2] << 32;

	if ((p[0] & ~(MVGPU_MI_BB_SECOND_LEVEL | MVGPU_CMD_LEN_MASK)) !=
	    (MVGPU_MI_BATCH_BUFFER_START & ~MVGPU_CMD_LEN_MASK))
		return NULL;
	return csf_find(f, gma);
}

/* ---- plumbing ---------------------------------------------------------- */

TEST_F(scan, empty_ring)
{
	ACCEPT();
	EXPECT_EQ(0, self->f.res.cmds);
	EXPECT_EQ(0, self->f.n_copy);
}

TEST_F(scan, bad_parameters)
{
	struct mvgpu_cmd_ops ops = csf_ops;

	R(&self->r, NOOP, NOOP);
	EXPECT_EQ(-EINVAL, mvgpu_cmd_scan_ring(&self->f.s, self->r.dw, 6,
					       &self->f.res));
	EXPECT_EQ(MVGPU_CMD_OK, self->f.res.reason);
	EXPECT_EQ(-EINVAL, mvgpu_cmd_scan_ring(&self->f.s, NULL, 8,
					       &self->f.res));
	self->f.s.engine = MVGPU_NUM_ENGINES;
	REJECT(MVGPU_CMD_OK);
	self->f.s.engine = MVGPU_ENGINE_RCS;
	self->f.s.max_bytes = (1U << 30) + 4;
	REJECT(MVGPU_CMD_OK);
	self->f.s.max_bytes = 1U << 30;
	ACCEPT();
	ops.shadow_place = NULL;
	self->f.s.ops = &ops;
	REJECT(MVGPU_CMD_OK);
}

TEST_F(scan, scan_init_defaults)
{
	struct mvgpu_cmd_scan s;

	memset(&s, 0xff, sizeof(s));
	mvgpu_cmd_scan_init(&s, MVGPU_ENGINE_RCS, true, &csf_ops, &self->f);
	EXPECT_EQ(MVGPU_ENGINE_RCS, s.engine);
	EXPECT_TRUE(s.ppgtt);
	EXPECT_EQ(4U << 20, s.max_bytes);
	EXPECT_EQ(MVGPU_CMD_DEFAULT_MAX_BATCHES, s.max_batches);
	EXPECT_EQ(0, s.gm[0].size);
	EXPECT_EQ(0, s.gm[1].size);
	EXPECT_STREQ("ok", mvgpu_cmd_reason_str(MVGPU_CMD_OK));
	EXPECT_STREQ("?", mvgpu_cmd_reason_str(MVGPU_CMD_R_COUNT));
}

/* Every descriptor refers only to dwords it always has, and is unique. */
TEST(table_consistent)
{
	unsigned int i, j;

	for (i = 0; i < mvgpu_cmd_table_len; i++) {
		const struct mvgpu_cmd_desc *d = &mvgpu_cmd_table[i];
		u32 min = d->len_min;

		EXPECT_TRUE(d->name && d->len_step && d->len_min &&
			    d->len_min <= d->len_max && d->engines) {
			TH_LOG("%s", d->name);
		}
		EXPECT_EQ(d, mvgpu_cmd_find(d->match)) {
			TH_LOG("%s", d->name);
		}
		EXPECT_EQ(d->match, d->match & d->match_mask);
		EXPECT_EQ(0, d->len_mask & d->match_mask);
		EXPECT_GT(min, d->mbz_dw);
		EXPECT_GT(min, d->reg.dw);
		EXPECT_LE(d->geom.cpp_mask, 7);
		if (d->geom.rect_dw)
			EXPECT_GT(min, d->geom.rect_dw + 1U);
		EXPECT_GT(min, d->geom.wh_dw);
		EXPECT_GT(min, d->geom.cpp_dw);
		for (j = 0; j < MVGPU_CMD_MAX_OPERANDS && d->op[j].addr_dw;
		     j++) {
			const struct mvgpu_cmd_operand *op = &d->op[j];

			EXPECT_GT(min, op->addr_dw + 1U) {
				TH_LOG("%s", d->name);
			}
			EXPECT_GT(min, op->sel_dw);
			EXPECT_GT(min, op->cond_dw);
			EXPECT_GT(min, op->origin_dw);
			if (op->size == MVGPU_CMD_SIZE_SURF) {
				EXPECT_GT(min, op->arg);
				EXPECT_TRUE(d->geom.rect_dw || d->geom.wh_dw);
			}
			if (op->size == MVGPU_CMD_SIZE_TAIL)
				EXPECT_GT(min, op->arg);
		}
	}
	for (i = 0; i < mvgpu_cmd_reg_allow_len; i++)
		EXPECT_EQ(0, mvgpu_cmd_reg_allow[i].offset & 3);
}

/* What the index must find: the one descriptor matching, by search. */
static const struct mvgpu_cmd_desc *find_by_search(u32 hdr, unsigned int *n)
{
	const struct mvgpu_cmd_desc *found = NULL;
	unsigned int i;

	*n = 0;
	for (i = 0; i < mvgpu_cmd_table_len; i++) {
		if ((hdr & mvgpu_cmd_table[i].match_mask) ==
		    mvgpu_cmd_table[i].match) {
			found = &mvgpu_cmd_table[i];
			(*n)++;
		}
	}
	return found;
}

/*
 * The index finds what a search of the whole table finds, for every
 * value of the bits any descriptor matches on (31:16), and no header
 * matches two descriptors; lengths step by powers of 2 (no division).
 */
TEST(index_agrees_with_search)
{
	unsigned int i, n;
	u32 hi;

	for (i = 0; i < mvgpu_cmd_table_len; i++) {
		const struct mvgpu_cmd_desc *d = &mvgpu_cmd_table[i];

		EXPECT_EQ(0, d->match_mask & 0xffff);
		EXPECT_EQ(0, d->len_step & (d->len_step - 1)) {
			TH_LOG("%s", d->name);
		}
	}
	for (hi = 0; hi < 0x10000; hi++) {
		u32 hdr = hi << 16;
		const struct mvgpu_cmd_desc *d = find_by_search(hdr, &n);

		ASSERT_LE(n, 1) {
			TH_LOG("hdr %#x", hdr);
		}
		ASSERT_EQ(d, mvgpu_cmd_find(hdr)) {
			TH_LOG("hdr %#x", hdr);
		}
		ASSERT_EQ(d, mvgpu_cmd_find(hdr | 0xffff));
	}
}

/*
 * The scanner and the executor agree on which headers are commands and
 * how long they are: every client, every opcode / sub-opcode bit pattern
 * and, where either side knows the opcode, every length field.
 */
TEST(lengths_agree_with_executor)
{
	u32 c, mid, len, code;
	unsigned long checked = 0;

	for (c = 0; c < 8; c++) {
		for (mid = 0; mid < 0x2000; mid++) {
			u32 base = c << 29 | mid << 16;
			bool known;

			sgpu_cmd_len(base, &code);
			known = mvgpu_cmd_find(base) ||
				code != MVGPU_ERR_INVALID_CMD;

			for (len = 0; len < 256; len += known ? 1 : 0x55) {
				u32 hdr = base | len, n, ours = 0;
				const struct mvgpu_cmd_desc *d;

				n = sgpu_cmd_len(hdr, &code);
				d = mvgpu_cmd_find(hdr);
				if (d)
					ours = mvgpu_cmd_length(d, hdr);
				checked++;
				ASSERT_EQ(n, ours) {
					TH_LOG("hdr %#x", hdr);
				}
				if (!n)
					ASSERT_EQ(code == MVGPU_ERR_CMD_LENGTH,
						  d != NULL) {
						TH_LOG("hdr %#x", hdr);
					}
			}
		}
	}
	/* and bits 15:8, which only matter as flags */
	for (mid = 0; mid < 0x10000; mid += 0x101) {
		const struct mvgpu_cmd_desc *d;
		u32 hdr;

		for (c = 0; c < mvgpu_cmd_table_len; c++) {
			hdr = mvgpu_cmd_table[c].match | (mid & 0xff00) |
			      (mid & 0xff);
			d = mvgpu_cmd_find(hdr);
			ASSERT_EQ(sgpu_cmd_len(hdr, &code),
				  d ? mvgpu_cmd_length(d, hdr) : 0);
		}
	}
	EXPECT_LT(100000, checked);
}

/* ---- every command in its valid forms ----------------------------------- */

struct form {
	const char *name;
	u32 engines;
	enum mvgpu_cmd_reason other;	/* on the other engine */
	u32 n;
	u32 dw[12];
};

#define RB	BIT(MVGPU_ENGINE_RCS)
#define BB	BIT(MVGPU_ENGINE_BCS)
#define F(name_, eng_, ...) \
	{ name_, eng_, MVGPU_CMD_R_ENGINE, NDW(__VA_ARGS__), { __VA_ARGS__ } }
/* commands of both engines naming one engine's registers */
#define FR(name_, eng_, ...) \
	{ name_, eng_, MVGPU_CMD_R_REGISTER, NDW(__VA_ARGS__), { __VA_ARGS__ } }

static const struct form forms[] = {
	F("noop", RB | BB, NOOP),
	F("noop junk", RB | BB, MVGPU_MI_NOOP | 0x3fffff),
	F("user interrupt", RB | BB, MVGPU_MI_USER_INTERRUPT),
	F("user interrupt junk", RB | BB, MVGPU_MI_USER_INTERRUPT | 0x7fffff),
	F("arb check", RB | BB, MVGPU_MI_ARB_CHECK | 0x100),
	F("semaphore", RB | BB, MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_USE_GGTT |
	  MVGPU_MI_SEMAPHORE_SAD_EQ_SDD | MVGPU_MI_SEMAPHORE_POLL, 1,
	  LO(D), HI(D)),
	F("semaphore default 32b", RB | BB, MVGPU_MI_SEMAPHORE_WAIT, 1,
	  LO(D2), HI(D2)),
	F("sdi", RB | BB, SDI_G(D)),
	F("sdi hidden", RB | BB, SDI_G(D2)),
	F("sdi default 32b", RB | BB, MVGPU_MI_STORE_DATA_IMM, LO(D), HI(D), 1),
	F("sdi qword", RB | BB, MVGPU_MI_STORE_DATA_IMM_QW | MVGPU_MI_USE_GGTT,
	  LO(D), HI(D), 1, 2),
	FR("lri rcs", RB, MVGPU_MI_LOAD_REGISTER_IMM(1), RCS_GPR(0), 5),
	FR("lri rcs 3", RB, MVGPU_MI_LOAD_REGISTER_IMM(3), RCS_GPR(0), 5,
	  RCS_GPR(31), 6, RCS_GPR(7), 7),
	FR("lri bcs", BB, MVGPU_MI_LOAD_REGISTER_IMM(2), BCS_GPR(3), 5,
	  BCS_GPR(4), 6),
	FR("lrm rcs", RB, MVGPU_MI_LOAD_REGISTER_MEM | MVGPU_MI_USE_GGTT,
	  RCS_GPR(1), LO(D), HI(D)),
	FR("lrm bcs", BB, MVGPU_MI_LOAD_REGISTER_MEM | MVGPU_MI_USE_GGTT,
	  BCS_GPR(1), LO(D2), HI(D2)),
	FR("srm rcs gpr", RB, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT,
	  RCS_GPR(2), LO(D), HI(D)),
	FR("srm rcs timestamp", RB, MVGPU_MI_STORE_REGISTER_MEM |
	  MVGPU_MI_USE_GGTT, MVGPU_RCS_BASE + MVGPU_RING_TIMESTAMP,
	  LO(D), HI(D)),
	FR("srm bcs timestamp", BB, MVGPU_MI_STORE_REGISTER_MEM,
	  MVGPU_BCS_BASE + MVGPU_RING_TIMESTAMP, LO(D), HI(D)),
	F("flush_dw none", BB, MVGPU_MI_FLUSH_DW, 0xdead0000, 0xbeef, 0),
	F("flush_dw notify", BB, MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_NOTIFY,
	  0, 0, 0),
	F("flush_dw store", BB, MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_STOREDW,
	  LO(D) | MVGPU_MI_FLUSH_DW_USE_GTT, HI(D), 9),
	F("flush_dw store qw", BB, MVGPU_MI_FLUSH_DW_QW |
	  MVGPU_MI_FLUSH_DW_OP_STOREDW, LO(D2) | MVGPU_MI_FLUSH_DW_USE_GTT,
	  HI(D2), 9, 10),
	F("pipe_control stall", RB, MVGPU_PIPE_CONTROL_DW,
	  MVGPU_PIPE_CONTROL_CS_STALL, 0xdead0000, 0xffff, 0),
	F("pipe_control write", RB, MVGPU_PIPE_CONTROL_DW,
	  MVGPU_PIPE_CONTROL_WRITE_IMM | MVGPU_PIPE_CONTROL_GLOBAL_GTT |
	  MVGPU_PIPE_CONTROL_NOTIFY, LO(D), HI(D), 3),
	F("pipe_control write qw", RB, MVGPU_PIPE_CONTROL,
	  MVGPU_PIPE_CONTROL_WRITE_IMM | MVGPU_PIPE_CONTROL_GLOBAL_GTT,
	  LO(D2), HI(D2), 3, 4),
	F("blend", RB, MVGPU_BLEND, MVGPU_BLEND_OP_OVER, 16 | 16 << 16, 64,
	  LO(D), HI(D), 128, LO(D2), HI(D2)),
	F("blend empty", RB, MVGPU_BLEND, 0, 16, 64, 0, 0, 64, 0, 0),
	F("color 32", BB, MVGPU_XY_COLOR_BLT | MVGPU_XY_BLT_WRITE_ALPHA |
	  MVGPU_XY_BLT_WRITE_RGB, MVGPU_BR13_DEPTH_32 |
	  MVGPU_BR13_ROP_PATCOPY | 256, MVGPU_BLT_XY(1, 2),
	  MVGPU_BLT_XY(33, 34), LO(D), HI(D), 0xffffffff),
	F("color 8", BB, MVGPU_XY_COLOR_BLT, MVGPU_BR13_DEPTH_8 |
	  MVGPU_BR13_ROP_PATCOPY | 100, 0, MVGPU_BLT_XY(100, 8),
	  LO(D), HI(D), 1),
	F("color 565", BB, MVGPU_XY_COLOR_BLT, MVGPU_BR13_DEPTH_565 |
	  MVGPU_BR13_ROP_PATCOPY | 100, 0, MVGPU_BLT_XY(50, 8),
	  LO(D), HI(D), 1),
	F("color 1555", BB, MVGPU_XY_COLOR_BLT, MVGPU_BR13_DEPTH_1555 |
	  MVGPU_BR13_ROP_PATCOPY | 100, 0, MVGPU_BLT_XY(50, 8),
	  LO(D), HI(D), 1),
	F("color empty", BB, MVGPU_XY_COLOR_BLT, MVGPU_BR13_ROP_PATCOPY,
	  MVGPU_BLT_XY(5, 5), MVGPU_BLT_XY(5, 9), 0xfffffff0, 0xffff, 0),
	F("src copy", BB, MVGPU_XY_SRC_COPY_BLT | MVGPU_XY_BLT_WRITE_ALPHA |
	  MVGPU_XY_BLT_WRITE_RGB, MVGPU_BR13_DEPTH_32 |
	  MVGPU_BR13_ROP_SRCCOPY | 256, MVGPU_BLT_XY(0, 0),
	  MVGPU_BLT_XY(64, 64), LO(D), HI(D), MVGPU_BLT_XY(3, 4), 512,
	  LO(D2), HI(D2)),
	F("fast copy 8", BB, MVGPU_XY_FAST_COPY_BLT, MVGPU_FAST_COPY_DEPTH_8 |
	  64, 0, MVGPU_BLT_XY(64, 64), LO(D), HI(D), 0, 64, LO(D2), HI(D2)),
	F("fast copy 16", BB, MVGPU_XY_FAST_COPY_BLT,
	  MVGPU_FAST_COPY_DEPTH_16 | 128, 0, MVGPU_BLT_XY(64, 64),
	  LO(D), HI(D), 0, 128, LO(D2), HI(D2)),
	F("fast copy 32", BB, MVGPU_XY_FAST_COPY_BLT,
	  MVGPU_FAST_COPY_DEPTH_32 | 256, 0, MVGPU_BLT_XY(64, 64),
	  LO(D), HI(D), 0, 256, LO(D2), HI(D2)),
	F("fast copy 64", BB, MVGPU_XY_FAST_COPY_BLT,
	  MVGPU_FAST_COPY_DEPTH_64 | 512, 0, MVGPU_BLT_XY(64, 64),
	  LO(D), HI(D), 0, 512, LO(D2), HI(D2)),
	F("bb start", RB | BB, BBS(BB_A, 0)),
	F("bb start bit 22 in ring", RB | BB,
	  BBS(BB_A, MVGPU_MI_BB_SECOND_LEVEL)),
};

static void check_forms(struct __test_metadata *_metadata, struct csf *f,
			struct ring *r, unsigned int engine)
{
	unsigned int i;

	f->s.engine = engine;
	G(f, BB_A, NOOP, BBE);
	for (i = 0; i < ARRAY_SIZE(forms); i++) {
		int ret;

		reset(f, r);
		ring_emit(r, forms[i].dw, forms[i].n);
		ret = scan(f, r);
		if (forms[i].engines & BIT(engine)) {
			EXPECT_EQ(0, ret) {
				TH_LOG("%s: %s", forms[i].name,
				       mvgpu_cmd_reason_str(f->res.reason));
			}
			EXPECT_LE(1, f->res.cmds);
		} else {
			EXPECT_EQ(-EACCES, ret);
			EXPECT_EQ(forms[i].other, f->res.reason) {
				TH_LOG("%s", forms[i].name);
			}
		}

		/* the same inside a batch */
		reset(f, r);
		memcpy(csf_gptr(f, BB_B), forms[i].dw, 4 * forms[i].n);
		G(f, BB_B + 4 * forms[i].n, BBE);
		R(r, BBS(BB_B, 0));
		ret = scan(f, r);
		if (forms[i].engines & BIT(engine)) {
			EXPECT_EQ(0, ret) {
				TH_LOG("%s in batch: %s", forms[i].name,
				       mvgpu_cmd_reason_str(f->res.reason));
			}
		} else {
			EXPECT_EQ(forms[i].other, f->res.reason);
			EXPECT_EQ(1, f->res.index);
		}
	}
}

TEST_F(scan, valid_forms_rcs)
{
	check_forms(_metadata, &self->f, &self->r, MVGPU_ENGINE_RCS);
}

TEST_F(scan, valid_forms_bcs)
{
	check_forms(_metadata, &self->f, &self->r, MVGPU_ENGINE_BCS);
}

TEST_F(scan, valid_forms_64b_context)
{
	self->f.s.ppgtt = true;
	check_forms(_metadata, &self->f, &self->r, MVGPU_ENGINE_RCS);
	check_forms(_metadata, &self->f, &self->r, MVGPU_ENGINE_BCS);
}

/* ---- rejection rules ---------------------------------------------------- */

TEST_F(scan, unknown_opcodes)
{
	static const u32 bad[] = {
		1U << 29,			/* client 1 */
		4U << 29, 5U << 29, 6U << 29, 7U << 29,
		MVGPU_MI_INSTR(0x01, 0),	/* unknown MI opcodes */
		MVGPU_MI_INSTR(0x0b, 0),
		MVGPU_MI_INSTR(0x21, 2),
		MVGPU_MI_INSTR(0x23, 1),	/* Gen8 MI_LOAD_REGISTER_REG */
		MVGPU_MI_INSTR(0x3f, 1),
		MVGPU_BLT_INSTR(0x51, 5),	/* unknown 2D opcode */
		MVGPU_BLT_INSTR(0x43, 8),
		MVGPU_GFXPIPE(3, 2, 1) | 4,	/* not PIPE_CONTROL */
		MVGPU_GFXPIPE(2, 1, 0x0e) | 7,	/* not MVGPU_BLEND */
		MVGPU_GFXPIPE(3, 0, 0) | 4,
		0xffffffff,
	};
	unsigned int i, e;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		self->f.s.engine = e;
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			reset(&self->f, &self->r);
			R(&self->r, NOOP, bad[i], 0, 0, 0, 0, 0, 0, 0, 0, 0);
			REJECT(MVGPU_CMD_R_UNKNOWN);
			EXPECT_EQ(4, self->f.res.offset);
			EXPECT_EQ(bad[i], self->f.res.header);
			EXPECT_EQ(-EINVAL, self->f.res.err);
			EXPECT_EQ(1, self->f.res.cmds);
		}
	}
}

TEST_F(scan, bad_lengths)
{
	static const u32 bad[] = {
		MVGPU_MI_SEMAPHORE_WAIT + 1,
		MVGPU_MI_STORE_DATA_IMM - 1,
		MVGPU_MI_STORE_DATA_IMM + 2,
		MVGPU_MI_INSTR(0x22, 0),	/* LRI of 2 dwords */
		MVGPU_MI_INSTR(0x22, 2),	/* even */
		MVGPU_MI_INSTR(0x22, 0xfe),
		MVGPU_MI_STORE_REGISTER_MEM + 1,
		MVGPU_MI_LOAD_REGISTER_MEM - 1,
		MVGPU_MI_FLUSH_DW + 2,
		MVGPU_MI_BATCH_BUFFER_START + 1,
		MVGPU_MI_BATCH_BUFFER_START - 1,
		MVGPU_PIPE_CONTROL + 1,
		MVGPU_PIPE_CONTROL_DW - 1,
		MVGPU_BLEND + 1,
		MVGPU_XY_COLOR_BLT + 1,
		MVGPU_XY_SRC_COPY_BLT - 1,
		MVGPU_XY_FAST_COPY_BLT | 0xff,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		reset(&self->f, &self->r);
		R(&self->r, bad[i]);
		self->r.n = 300;	/* room for any length */
		REJECT(MVGPU_CMD_R_LENGTH);
		EXPECT_EQ(bad[i], self->f.res.header);
	}
}

TEST_F(scan, truncated_in_ring)
{
	R(&self->r, NOOP, SDI_G(D));
	self->r.n--;
	REJECT(MVGPU_CMD_R_TRUNCATED);
	EXPECT_EQ(4, self->f.res.offset);

	reset(&self->f, &self->r);
	R(&self->r, MVGPU_MI_LOAD_REGISTER_IMM(2), BCS_GPR(0), 1, BCS_GPR(1));
	REJECT(MVGPU_CMD_R_TRUNCATED);

	/* exactly up to the end is fine */
	reset(&self->f, &self->r);
	R(&self->r, MVGPU_MI_LOAD_REGISTER_IMM(2), BCS_GPR(0), 1, BCS_GPR(1),
	  2);
	ACCEPT();
}

TEST_F(scan, wrong_engine)
{
	static const u32 rcs_only[] = {
		MVGPU_PIPE_CONTROL, MVGPU_BLEND,
	};
	static const u32 bcs_only[] = {
		MVGPU_MI_FLUSH_DW, MVGPU_XY_COLOR_BLT, MVGPU_XY_SRC_COPY_BLT,
		MVGPU_XY_FAST_COPY_BLT,
	};
	unsigned int i;

	self->f.s.engine = MVGPU_ENGINE_BCS;
	for (i = 0; i < ARRAY_SIZE(rcs_only); i++) {
		reset(&self->f, &self->r);
		R(&self->r, rcs_only[i]);
		self->r.n = 16;
		REJECT(MVGPU_CMD_R_ENGINE);
	}
	self->f.s.engine = MVGPU_ENGINE_RCS;
	for (i = 0; i < ARRAY_SIZE(bcs_only); i++) {
		reset(&self->f, &self->r);
		R(&self->r, bcs_only[i]);
		self->r.n = 16;
		REJECT(MVGPU_CMD_R_ENGINE);
		EXPECT_EQ(-EACCES, self->f.res.err);
	}
}

TEST_F(scan, bb_end_in_ring)
{
	R(&self->r, NOOP, NOOP, BBE, NOOP);
	REJECT(MVGPU_CMD_R_BB_END_IN_RING);
	EXPECT_EQ(8, self->f.res.offset);
	EXPECT_EQ(0, self->f.res.index);
	EXPECT_EQ(MVGPU_SPACE_RING, self->f.res.space);
}

TEST_F(scan, unsupported_fields)
{
	static const u32 bad[][10] = {
		{ MVGPU_XY_COLOR_BLT | MVGPU_XY_BLT_DST_TILED,
		  MVGPU_BR13_ROP_PATCOPY, 0, MVGPU_BLT_XY(1, 1), LO(D), 0, 0 },
		{ MVGPU_XY_SRC_COPY_BLT | MVGPU_XY_BLT_SRC_TILED,
		  MVGPU_BR13_ROP_SRCCOPY, 0, MVGPU_BLT_XY(1, 1), LO(D), 0, 0,
		  0, LO(D), 0 },
		{ MVGPU_XY_FAST_COPY_BLT | (1U << 20), 0, 0,
		  MVGPU_BLT_XY(1, 1), LO(D), 0, 0, 0, LO(D), 0 },
		{ MVGPU_XY_FAST_COPY_BLT | (2U << 13), 0, 0,
		  MVGPU_BLT_XY(1, 1), LO(D), 0, 0, 0, LO(D), 0 },
		/* reserved fast-copy depths, even for an empty rectangle */
		{ MVGPU_XY_FAST_COPY_BLT, 2U << 24, 0, 0, LO(D), 0, 0, 0,
		  LO(D), 0 },
		{ MVGPU_XY_FAST_COPY_BLT, 7U << 24, 0, MVGPU_BLT_XY(1, 1),
		  LO(D), 0, 0, 0, LO(D), 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		reset(&self->f, &self->r);
		ring_emit(&self->r, bad[i],
			  (bad[i][0] & MVGPU_CMD_LEN_MASK) + 2);
		REJECT(MVGPU_CMD_R_PARAM);
	}
}

/* ---- graphics memory ranges --------------------------------------------- */

static int sdi_at(struct csf *f, struct ring *r, u64 a, bool qword)
{
	reset(f, r);
	if (qword)
		R(r, MVGPU_MI_STORE_DATA_IMM_QW | MVGPU_MI_USE_GGTT, LO(a),
		  HI(a), 1, 2);
	else
		R(r, SDI_G(a));
	return scan(f, r);
}

TEST_F(scan, range_boundaries)
{
	struct csf *f = &self->f;
	struct ring *r = &self->r;

	/* ends exactly at the limit: accepted; one byte over: rejected */
	EXPECT_EQ(0, sdi_at(f, r, APER_END - 4, false));
	EXPECT_EQ(-EACCES, sdi_at(f, r, APER_END - 3, false));
	EXPECT_EQ(MVGPU_CMD_R_ADDRESS, f->res.reason);
	EXPECT_EQ(APER_END - 3, f->res.value);
	EXPECT_EQ(-EACCES, sdi_at(f, r, APER_END - 1, false));
	EXPECT_EQ(-EACCES, sdi_at(f, r, APER_END, false));
	EXPECT_EQ(0, sdi_at(f, r, APER_END - 8, true));
	EXPECT_EQ(-EACCES, sdi_at(f, r, APER_END - 7, true));
	EXPECT_EQ(-EACCES, sdi_at(f, r, APER_END - 4, true));
	EXPECT_EQ(0, sdi_at(f, r, HID_END - 8, true));
	EXPECT_EQ(-EACCES, sdi_at(f, r, HID_END - 4, true));
	/* the start */
	EXPECT_EQ(0, sdi_at(f, r, CSF_APER, true));
	EXPECT_EQ(-EACCES, sdi_at(f, r, CSF_APER - 4, false));
	EXPECT_EQ(-EACCES, sdi_at(f, r, CSF_APER - 2, false));
	EXPECT_EQ(0, sdi_at(f, r, CSF_HID, false));
	EXPECT_EQ(-EACCES, sdi_at(f, r, CSF_HID - 1, true));
	/* the gap, host memory, 0, the shadows, beyond the GGTT */
	EXPECT_EQ(-EACCES, sdi_at(f, r, APER_END + 0x1000, false));
	EXPECT_EQ(-EACCES, sdi_at(f, r, 0, false));
	EXPECT_EQ(-EACCES, sdi_at(f, r, CSF_SHADOW_GMA, false));
	EXPECT_EQ(-EACCES, sdi_at(f, r, 0x100000000ULL + D, false));
	EXPECT_EQ(-EACCES, sdi_at(f, r, 0xfffffffffffcULL, false));
}

/* Bits 31:16 of the high address dword are ignored, as by the executor. */
TEST_F(scan, address_high_bits_ignored)
{
	R(&self->r, MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, LO(D),
	  0xffff0000, 1);
	ACCEPT();
	reset(&self->f, &self->r);
	R(&self->r, MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, LO(D),
	  0xffff0001, 1);
	REJECT(MVGPU_CMD_R_ADDRESS);
	EXPECT_EQ(0x100000000ULL | D, self->f.res.value);
}

/* [addr, addr + size) is checked without computing anything that wraps. */
TEST_F(scan, range_check_does_not_wrap)
{
	struct mvgpu_cmd_scan s = self->f.s;

	EXPECT_FALSE(mvgpu_cmd_gm_ok(&s, ~0ULL - 3, 8));
	EXPECT_FALSE(mvgpu_cmd_gm_ok(&s, ~0ULL, 1));
	EXPECT_FALSE(mvgpu_cmd_gm_ok(&s, CSF_APER, ~0ULL));
	EXPECT_FALSE(mvgpu_cmd_gm_ok(&s, CSF_APER + 8, ~0ULL - 4));
	EXPECT_TRUE(mvgpu_cmd_gm_ok(&s, CSF_APER, CSF_APER_SIZE));
	EXPECT_FALSE(mvgpu_cmd_gm_ok(&s, CSF_APER, CSF_APER_SIZE + 1));
	EXPECT_TRUE(mvgpu_cmd_gm_ok(&s, APER_END - 1, 0));
	EXPECT_FALSE(mvgpu_cmd_gm_ok(&s, APER_END, 0));
	/* a range at the very top of the address space */
	s.gm[1].base = ~0ULL - 0xfff;
	s.gm[1].size = 0x1000;
	EXPECT_TRUE(mvgpu_cmd_gm_ok(&s, ~0ULL - 7, 8));
	EXPECT_FALSE(mvgpu_cmd_gm_ok(&s, ~0ULL - 3, 8));
	EXPECT_FALSE(mvgpu_cmd_gm_ok(&s, ~0ULL - 0xfff, 0x1001));
	EXPECT_FALSE(mvgpu_cmd_gm_ok(&s, 0, 0x10));
	/* not two ranges together, even if adjacent */
	s.gm[1].base = APER_END;
	s.gm[1].size = 0x1000;
	EXPECT_FALSE(mvgpu_cmd_gm_ok(&s, APER_END - 4, 8));
	/* an empty range holds nothing */
	s.gm[0].size = 0;
	EXPECT_FALSE(mvgpu_cmd_gm_ok(&s, CSF_APER, 1));
}

TEST_F(scan, every_operand_is_checked)
{
	static const u64 out = APER_END + 0x100;
	const u32 cases[][10] = {
		{ MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_USE_GGTT, 0, LO(out), 0 },
		{ MVGPU_MI_LOAD_REGISTER_MEM | MVGPU_MI_USE_GGTT, BCS_GPR(0),
		  LO(out), 0 },
		{ MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT, BCS_GPR(0),
		  LO(out), 0 },
		{ MVGPU_MI_STORE_DATA_IMM, LO(out), 0, 0 },
		{ MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_STOREDW,
		  LO(out) | MVGPU_MI_FLUSH_DW_USE_GTT, 0, 0 },
		/* post-sync operations the executor rejects: checked too */
		{ MVGPU_MI_FLUSH_DW | (2U << 14),
		  LO(out) | MVGPU_MI_FLUSH_DW_USE_GTT, 0, 0 },
		{ MVGPU_MI_FLUSH_DW | (3U << 14), LO(out), 0, 0 },
		{ MVGPU_MI_BATCH_BUFFER_START, LO(out), 0 },
		{ MVGPU_XY_COLOR_BLT, MVGPU_BR13_ROP_PATCOPY | 4, 0,
		  MVGPU_BLT_XY(1, 1), LO(out), 0, 0 },
		{ MVGPU_XY_SRC_COPY_BLT, 4, 0, MVGPU_BLT_XY(1, 1), LO(out), 0,
		  0, 4, LO(D), 0 },
		{ MVGPU_XY_SRC_COPY_BLT, 4, 0, MVGPU_BLT_XY(1, 1), LO(D), 0,
		  0, 4, LO(out), 0 },
		{ MVGPU_XY_FAST_COPY_BLT, 4, 0, MVGPU_BLT_XY(1, 1), LO(D), 0,
		  0, 4, LO(out), 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		reset(&self->f, &self->r);
		ring_emit(&self->r, cases[i],
			  (cases[i][0] & MVGPU_CMD_LEN_MASK) + 2);
		REJECT(MVGPU_CMD_R_ADDRESS);
		EXPECT_EQ(out, self->f.res.value) {
			TH_LOG("case %u", i);
		}
	}

	self->f.s.engine = MVGPU_ENGINE_RCS;
	reset(&self->f, &self->r);
	R(&self->r, MVGPU_PIPE_CONTROL_DW, MVGPU_PIPE_CONTROL_WRITE_IMM |
	  MVGPU_PIPE_CONTROL_GLOBAL_GTT, LO(out), 0, 0);
	REJECT(MVGPU_CMD_R_ADDRESS);
	reset(&self->f, &self->r);
	R(&self->r, MVGPU_PIPE_CONTROL_DW, 3U << 14, LO(out), 0, 0);
	REJECT(MVGPU_CMD_R_ADDRESS);
	reset(&self->f, &self->r);
	R(&self->r, MVGPU_BLEND, 0, 1 | 1 << 16, 4, LO(out), 0, 4, LO(D), 0);
	REJECT(MVGPU_CMD_R_ADDRESS);
	reset(&self->f, &self->r);
	R(&self->r, MVGPU_BLEND, 0, 1 | 1 << 16, 4, LO(D), 0, 4, LO(out), 0);
	REJECT(MVGPU_CMD_R_ADDRESS);
}

/* MI_FLUSH_DW and PIPE_CONTROL ignore the low address bits, as we do. */
TEST_F(scan, flush_and_pipe_control_address_masks)
{
	R(&self->r, MVGPU_MI_FLUSH_DW_QW | MVGPU_MI_FLUSH_DW_OP_STOREDW,
	  LO(APER_END - 8) | 7, 0, 1, 2);
	ACCEPT();
	reset(&self->f, &self->r);
	R(&self->r, MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_STOREDW,
	  LO(APER_END) | 7, 0, 1);
	REJECT(MVGPU_CMD_R_ADDRESS);
	EXPECT_EQ(APER_END, self->f.res.value);

	self->f.s.engine = MVGPU_ENGINE_RCS;
	reset(&self->f, &self->r);
	R(&self->r, MVGPU_PIPE_CONTROL, MVGPU_PIPE_CONTROL_WRITE_IMM |
	  MVGPU_PIPE_CONTROL_GLOBAL_GTT, LO(APER_END - 8) | 3, 0, 1, 2);
	ACCEPT();
	reset(&self->f, &self->r);
	R(&self->r, MVGPU_PIPE_CONTROL, MVGPU_PIPE_CONTROL_WRITE_IMM |
	  MVGPU_PIPE_CONTROL_GLOBAL_GTT, LO(APER_END - 4), 0, 1, 2);
	REJECT(MVGPU_CMD_R_ADDRESS);
}

static void color_blt(struct ring *r, u32 depth, u32 pitch, u32 x1, u32 y1,
		      u32 x2, u32 y2, u64 a)
{
	R(r, MVGPU_XY_COLOR_BLT | MVGPU_XY_BLT_WRITE_ALPHA |
	  MVGPU_XY_BLT_WRITE_RGB, depth | MVGPU_BR13_ROP_PATCOPY | pitch,
	  MVGPU_BLT_XY(x1, y1), MVGPU_BLT_XY(x2, y2), LO(a), HI(a), 0);
}

/* Blit extents: pitch * (rows - 1) + width * cpp from the first pixel. */
TEST_F(scan, blit_extent_boundaries)
{
	/* 32 bpp, 10 x 4 at (2, 3), pitch 100: last byte at 6 * 100 + 48 */
	u64 a = APER_END - (6 * 100 + 48);

	color_blt(&self->r, MVGPU_BR13_DEPTH_32, 100, 2, 3, 12, 7, a);
	ACCEPT();
	reset(&self->f, &self->r);
	color_blt(&self->r, MVGPU_BR13_DEPTH_32, 100, 2, 3, 12, 7, a + 1);
	REJECT(MVGPU_CMD_R_ADDRESS);
	EXPECT_EQ(a + 1 + 3 * 100 + 8, self->f.res.value);
	reset(&self->f, &self->r);
	color_blt(&self->r, MVGPU_BR13_DEPTH_32, 100, 2, 3, 13, 7, a);
	REJECT(MVGPU_CMD_R_ADDRESS);
	reset(&self->f, &self->r);
	color_blt(&self->r, MVGPU_BR13_DEPTH_32, 101, 2, 3, 12, 7, a);
	REJECT(MVGPU_CMD_R_ADDRESS);
	/* the first pixel, not the base, must be in range */
	reset(&self->f, &self->r);
	color_blt(&self->r, MVGPU_BR13_DEPTH_8, 16, 0, 1, 1, 2,
		  CSF_APER - 16);
	ACCEPT();
	reset(&self->f, &self->r);
	color_blt(&self->r, MVGPU_BR13_DEPTH_8, 16, 0, 1, 1, 2,
		  CSF_APER - 17);
	REJECT(MVGPU_CMD_R_ADDRESS);
	/* pitch 0: every row on the same bytes */
	reset(&self->f, &self->r);
	color_blt(&self->r, MVGPU_BR13_DEPTH_565, 0, 0, 0, 2, 1000,
		  APER_END - 4);
	ACCEPT();
	/* empty rectangles touch nothing */
	reset(&self->f, &self->r);
	color_blt(&self->r, MVGPU_BR13_DEPTH_32, 100, 5, 3, 5, 7, 0);
	color_blt(&self->r, MVGPU_BR13_DEPTH_32, 100, 5, 3, 9, 2, 0);
	ACCEPT();

	/* source extent from its own origin and pitch, the dest's size */
	a = APER_END - (2 * 64 + 4 * 4);
	reset(&self->f, &self->r);
	R(&self->r, MVGPU_XY_FAST_COPY_BLT, MVGPU_FAST_COPY_DEPTH_32 | 16,
	  MVGPU_BLT_XY(0, 0), MVGPU_BLT_XY(4, 3), LO(D), HI(D),
	  MVGPU_BLT_XY(0, 0), 64, LO(a), HI(a));
	ACCEPT();
	reset(&self->f, &self->r);
	R(&self->r, MVGPU_XY_FAST_COPY_BLT, MVGPU_FAST_COPY_DEPTH_32 | 16,
	  MVGPU_BLT_XY(0, 0), MVGPU_BLT_XY(4, 3), LO(D), HI(D),
	  MVGPU_BLT_XY(1, 0), 64, LO(a), HI(a));
	REJECT(MVGPU_CMD_R_ADDRESS);
	reset(&self->f, &self->r);
	R(&self->r, MVGPU_XY_FAST_COPY_BLT, MVGPU_FAST_COPY_DEPTH_64 | 16,
	  MVGPU_BLT_XY(0, 0), MVGPU_BLT_XY(2, 3), LO(D), HI(D),
	  MVGPU_BLT_XY(0, 0), 64, LO(a), HI(a));
	ACCEPT();
	reset(&self->f, &self->r);
	R(&self->r, MVGPU_XY_FAST_COPY_BLT, MVGPU_FAST_COPY_DEPTH_64 | 16,
	  MVGPU_BLT_XY(0, 0), MVGPU_BLT_XY(2, 3), LO(D), HI(D),
	  MVGPU_BLT_XY(0, 0), 65, LO(a), HI(a));
	REJECT(MVGPU_CMD_R_ADDRESS);

	/* MVGPU_BLEND: 32-bit pitches, w x h from dw2 */
	self->f.s.engine = MVGPU_ENGINE_RCS;
	a = APER_END - (9 * 40 + 10 * 4);
	reset(&self->f, &self->r);
	R(&self->r, MVGPU_BLEND, 0, 10 | 10 << 16, 40, LO(a), HI(a), 40,
	  LO(D), HI(D));
	ACCEPT();
	reset(&self->f, &self->r);
	R(&self->r, MVGPU_BLEND, 0, 10 | 11 << 16, 40, LO(a), HI(a), 40,
	  LO(D), HI(D));
	REJECT(MVGPU_CMD_R_ADDRESS);
	reset(&self->f, &self->r);
	R(&self->r, MVGPU_BLEND, 0, 10 | 2 << 16, 0x80000000, LO(D), HI(D),
	  40, LO(D), HI(D));
	REJECT(MVGPU_CMD_R_ADDRESS);
}

/* The largest extents do not wrap around into the vGPU's ranges. */
TEST_F(scan, blit_extent_no_wrap)
{
	R(&self->r, MVGPU_XY_FAST_COPY_BLT, MVGPU_FAST_COPY_DEPTH_64 | 0xffff,
	  MVGPU_BLT_XY(0xfffe, 0xfffe), MVGPU_BLT_XY(0xffff, 0xffff),
	  LO(D), 0xffff, MVGPU_BLT_XY(0xffff, 0xffff), 0xffff,
	  0xffffffff, 0xffff);
	REJECT(MVGPU_CMD_R_ADDRESS);
	self->f.s.engine = MVGPU_ENGINE_RCS;
	reset(&self->f, &self->r);
	R(&self->r, MVGPU_BLEND, 0, 0xffffffff, 0xffffffff, 0xffffffff,
	  0xffff, 4, LO(D), 0);
	REJECT(MVGPU_CMD_R_ADDRESS);
}

TEST_F(scan, ppgtt_operands)
{
	/* 64B context: default-space operands are the PPGTT's business */
	self->f.s.ppgtt = true;
	R(&self->r, MVGPU_MI_STORE_DATA_IMM, 0xfffffff0, 0xffff, 1);
	R(&self->r, MVGPU_XY_COLOR_BLT, MVGPU_BR13_ROP_PATCOPY | 4, 0,
	  MVGPU_BLT_XY(1, 1), 0, 0, 0);
	R(&self->r, MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_STOREDW, 0, 0, 0);
	ACCEPT();
	EXPECT_EQ(3, self->f.res.ppgtt_operands);
	/* the GGTT select still means the GGTT */
	reset(&self->f, &self->r);
	R(&self->r, SDI_G(0));
	REJECT(MVGPU_CMD_R_ADDRESS);
	/* 32B context: the default space is the GGTT */
	self->f.s.ppgtt = false;
	reset(&self->f, &self->r);
	R(&self->r, MVGPU_MI_STORE_DATA_IMM, 0xfffffff0, 0xffff, 1);
	REJECT(MVGPU_CMD_R_ADDRESS);
	EXPECT_EQ(0, self->f.res.ppgtt_operands);
}

TEST_F(scan, ppgtt_batch_without_ppgtt)
{
	R(&self->r, NOOP, BBS(CSF_PPVA, MVGPU_MI_BB_PPGTT));
	REJECT(MVGPU_CMD_R_NO_PPGTT);
	EXPECT_EQ(CSF_PPVA, self->f.res.value);
	EXPECT_EQ(4, self->f.res.offset);
	EXPECT_EQ(0, self->f.res.batches);
	EXPECT_EQ(0, self->f.n_alloc);
}

/* ---- registers ---------------------------------------------------------- */

TEST_F(scan, lri_all_gprs_both_engines)
{
	unsigned int e, i;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		reset(&self->f, &self->r);
		self->f.s.engine = e;
		R(&self->r, MVGPU_MI_LOAD_REGISTER_IMM(MVGPU_RING_GPR_DWORDS));
		for (i = 0; i < MVGPU_RING_GPR_DWORDS; i++)
			R(&self->r, mvgpu_cmd_engine_base[e] +
			  MVGPU_RING_GPR(i), i);
		ACCEPT();
	}
}

TEST_F(scan, lri_longest)
{
	unsigned int i;

	R(&self->r, MVGPU_MI_LOAD_REGISTER_IMM(128));
	for (i = 0; i < 128; i++)
		R(&self->r, BCS_GPR(i % 32), i);
	ACCEPT();
	EXPECT_EQ(1, self->f.res.cmds);
}

TEST_F(scan, registers_outside_allow_list)
{
	static const u32 bad[] = {
		MVGPU_BCS_BASE + MVGPU_RING_TAIL,
		MVGPU_BCS_BASE + MVGPU_RING_START,
		MVGPU_BCS_BASE + MVGPU_RING_ELSP,
		MVGPU_BCS_BASE + MVGPU_RING_MODE,
		MVGPU_BCS_BASE + MVGPU_RING_GPR(32),	/* one past */
		MVGPU_BCS_BASE + MVGPU_RING_GPR(0) - 4,	/* one before */
		MVGPU_BCS_BASE + MVGPU_RING_TIMESTAMP,	/* read only */
		RCS_GPR(0),				/* other engine */
		MVGPU_MASTER_IRQ, MVGPU_GT_IMR(0), MVGPU_DSPSURF, MVGPU_GDRST,
		0, 0x7ffffc,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		reset(&self->f, &self->r);
		R(&self->r, MVGPU_MI_LOAD_REGISTER_IMM(2), BCS_GPR(0), 1,
		  bad[i], 2);
		REJECT(MVGPU_CMD_R_REGISTER);
		EXPECT_EQ(bad[i], self->f.res.value);
		EXPECT_EQ(-EACCES, self->f.res.err);

		reset(&self->f, &self->r);
		R(&self->r, MVGPU_MI_LOAD_REGISTER_MEM | MVGPU_MI_USE_GGTT,
		  bad[i], LO(D), HI(D));
		REJECT(MVGPU_CMD_R_REGISTER);

		if (bad[i] == MVGPU_BCS_BASE + MVGPU_RING_TIMESTAMP)
			continue;
		reset(&self->f, &self->r);
		R(&self->r, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT,
		  bad[i], LO(D), HI(D));
		REJECT(MVGPU_CMD_R_REGISTER);
	}
}

/* The executor uses bits 22:2 of a register dword; so do we. */
TEST_F(scan, register_dword_masked_like_executor)
{
	R(&self->r, MVGPU_MI_LOAD_REGISTER_IMM(1), BCS_GPR(5) | 0xff800003, 1);
	ACCEPT();
	reset(&self->f, &self->r);
	R(&self->r, MVGPU_MI_LOAD_REGISTER_IMM(1),
	  (MVGPU_BCS_BASE + MVGPU_RING_TAIL) | 0x80000000, 1);
	REJECT(MVGPU_CMD_R_REGISTER);
	EXPECT_EQ(MVGPU_BCS_BASE + MVGPU_RING_TAIL, self->f.res.value);
}

TEST_F(scan, reg_ok_helper)
{
	EXPECT_TRUE(mvgpu_cmd_reg_ok(MVGPU_ENGINE_RCS, RCS_GPR(31),
				     MVGPU_CMD_REG_READ | MVGPU_CMD_REG_WRITE));
	EXPECT_FALSE(mvgpu_cmd_reg_ok(MVGPU_ENGINE_RCS, RCS_GPR(31) + 2,
				      MVGPU_CMD_REG_READ));
	EXPECT_TRUE(mvgpu_cmd_reg_ok(MVGPU_ENGINE_BCS, MVGPU_BCS_BASE +
				     MVGPU_RING_TIMESTAMP, MVGPU_CMD_REG_READ));
	EXPECT_FALSE(mvgpu_cmd_reg_ok(MVGPU_ENGINE_BCS, MVGPU_BCS_BASE +
				      MVGPU_RING_TIMESTAMP,
				      MVGPU_CMD_REG_WRITE));
	EXPECT_FALSE(mvgpu_cmd_reg_ok(MVGPU_NUM_ENGINES, RCS_GPR(0),
				      MVGPU_CMD_REG_READ));
	/* relative to the engine: GPR0 and TIMESTAMP of whichever runs it */
	EXPECT_TRUE(mvgpu_cmd_reg_ok(MVGPU_ENGINE_BCS, MVGPU_RING_GPR(0),
				     MVGPU_CMD_REG_WRITE));
	EXPECT_TRUE(mvgpu_cmd_reg_ok(MVGPU_ENGINE_RCS, MVGPU_RING_TIMESTAMP,
				     MVGPU_CMD_REG_READ));
	EXPECT_FALSE(mvgpu_cmd_reg_ok(MVGPU_ENGINE_RCS, MVGPU_RING_TIMESTAMP,
				      MVGPU_CMD_REG_WRITE));
	EXPECT_FALSE(mvgpu_cmd_reg_ok(MVGPU_ENGINE_RCS, MVGPU_RING_TAIL,
				      MVGPU_CMD_REG_WRITE));
	/* the other engine's GPR, absolutely named */
	EXPECT_FALSE(mvgpu_cmd_reg_ok(MVGPU_ENGINE_RCS, MVGPU_BCS_BASE +
				      MVGPU_RING_GPR(0), MVGPU_CMD_REG_READ));
}

/*
 * The scanner allows exactly the registers the engine's register file
 * accepts, for every dword offset up to past the last engine's window:
 * anything else is work a whole GPU would run but a vGPU could not.
 */
TEST(reg_allow_list_matches_engine)
{
	static const u32 base[MVGPU_NUM_ENGINES] = {
		[MVGPU_ENGINE_RCS] = MVGPU_RCS_BASE,
		[MVGPU_ENGINE_BCS] = MVGPU_BCS_BASE,
	};
	unsigned int engine, bad = 0;
	u32 reg, off;

	for (engine = 0; engine < MVGPU_NUM_ENGINES; engine++) {
		for (reg = 0; reg < MVGPU_BCS_BASE + 0x2000; reg += 4) {
			bool in = !sgpu_reg_offset(base[engine], reg, &off);
			bool rd = in && sgpu_reg_allowed(off, false);
			bool wr = in && sgpu_reg_allowed(off, true);

			if (rd != mvgpu_cmd_reg_ok(engine, reg,
						   MVGPU_CMD_REG_READ) ||
			    wr != mvgpu_cmd_reg_ok(engine, reg,
						   MVGPU_CMD_REG_WRITE)) {
				if (bad++ < 5)
					TH_LOG("engine %u reg %#x: engine r%d w%d",
					       engine, reg, rd, wr);
			}
		}
	}
	EXPECT_EQ(0, bad);
}

/* ---- batch buffers ------------------------------------------------------ */

TEST_F(scan, first_level_shadowed_and_patched)
{
	struct csf_buf *cb;

	G(&self->f, BB_A, SDI_G(D), NOOP, BBE);
	R(&self->r, NOOP, BBS(BB_A, 0), NOOP);
	ACCEPT();
	EXPECT_EQ(1, self->f.res.batches);
	EXPECT_EQ(6, self->f.res.cmds);
	EXPECT_EQ(24, self->f.res.batch_bytes);
	cb = jump_target(&self->f, &self->r.dw[1]);
	ASSERT_NE(NULL, cb);
	EXPECT_EQ(24, cb->snap_len);
	EXPECT_EQ(1, cb->b.level);
	EXPECT_EQ(1, cb->b.index);
	EXPECT_EQ(BB_A, cb->b.guest_addr);
	EXPECT_EQ(MVGPU_SPACE_GGTT, cb->b.guest_space);
	EXPECT_TRUE(csf_same_as_guest(&self->f, cb));
	EXPECT_EQ(0, memcmp(cb->snap, csf_gptr(&self->f, BB_A), 24));
	EXPECT_NE(BB_A, self->r.dw[2]);
	EXPECT_EQ(NOOP, self->r.dw[4]);
}

TEST_F(scan, batch_address_low_bits_ignored)
{
	struct csf_buf *cb;

	G(&self->f, BB_A, BBE);
	R(&self->r, BBS(BB_A | 3, 0));
	ACCEPT();
	cb = jump_target(&self->f, self->r.dw);
	ASSERT_NE(NULL, cb);
	EXPECT_EQ(BB_A, cb->b.guest_addr);
}

TEST_F(scan, ppgtt_batch_shadowed_into_ggtt)
{
	struct csf_buf *cb;
	u64 va = CSF_PPVA + 0x3000;

	self->f.s.ppgtt = true;
	csf_ppput(&self->f, va, (const u32[]){ MVGPU_MI_STORE_DATA_IMM, 0, 0,
		  1, BBE }, 5);
	R(&self->r, BBS(va, MVGPU_MI_BB_PPGTT));
	ACCEPT();
	EXPECT_EQ(0, self->r.dw[0] & MVGPU_MI_BB_PPGTT);
	cb = jump_target(&self->f, self->r.dw);
	ASSERT_NE(NULL, cb);
	EXPECT_EQ(MVGPU_SPACE_PPGTT, cb->b.guest_space);
	EXPECT_EQ(va, cb->b.guest_addr);
	EXPECT_TRUE(csf_same_as_guest(&self->f, cb));
	EXPECT_EQ(2, self->f.res.ppgtt_operands);

	/* a PPGTT batch is not range-checked, but must be readable */
	reset(&self->f, &self->r);
	R(&self->r, BBS(CSF_PPVA + CSF_PP_SIZE, MVGPU_MI_BB_PPGTT));
	REJECT(MVGPU_CMD_R_COPY);
	EXPECT_EQ(-EFAULT, self->f.res.err);
	reset(&self->f, &self->r);
	R(&self->r, BBS(0xfffffffffffcULL, MVGPU_MI_BB_PPGTT));
	REJECT(MVGPU_CMD_R_COPY);
}

TEST_F(scan, ggtt_batch_outside_vgpu)
{
	R(&self->r, BBS(APER_END, 0));
	REJECT(MVGPU_CMD_R_ADDRESS);
	EXPECT_EQ(0, self->f.n_alloc);
	reset(&self->f, &self->r);
	R(&self->r, BBS(CSF_SHADOW_GMA, 0));
	REJECT(MVGPU_CMD_R_ADDRESS);
}

TEST_F(scan, chained_batches)
{
	struct csf_buf *a, *b;

	G(&self->f, BB_A, NOOP, BBS(BB_B, 0), SDI_G(0));	/* not reached */
	G(&self->f, BB_B, SDI_G(D), BBE);
	R(&self->r, BBS(BB_A, 0), SDI_G(D2));
	ACCEPT();
	EXPECT_EQ(2, self->f.res.batches);
	a = jump_target(&self->f, self->r.dw);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(16, a->snap_len);
	b = jump_target(&self->f, (u32 *)(a->snap + 4));
	ASSERT_NE(NULL, b);
	EXPECT_EQ(1, b->b.level);
	EXPECT_EQ(2, b->b.index);
	EXPECT_TRUE(csf_same_as_guest(&self->f, a));
	EXPECT_TRUE(csf_same_as_guest(&self->f, b));
	/* the ring went on after the batch */
	EXPECT_EQ(6, self->f.res.cmds);
}

TEST_F(scan, second_level_returns)
{
	struct csf_buf *a, *b;
	u32 hdr;

	G(&self->f, BB_A, BBS(BB_B, MVGPU_MI_BB_SECOND_LEVEL), SDI_G(D), BBE);
	G(&self->f, BB_B, SDI_G(D2), BBE);
	R(&self->r, BBS(BB_A, 0));
	ACCEPT();
	a = jump_target(&self->f, self->r.dw);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(32, a->snap_len);
	EXPECT_EQ(1, a->b.level);
	b = jump_target(&self->f, (u32 *)a->snap);
	ASSERT_NE(NULL, b);
	EXPECT_EQ(2, b->b.level);
	memcpy(&hdr, a->snap, 4);
	EXPECT_TRUE(hdr & MVGPU_MI_BB_SECOND_LEVEL);
	EXPECT_TRUE(csf_same_as_guest(&self->f, a));
	EXPECT_TRUE(csf_same_as_guest(&self->f, b));
	EXPECT_EQ(6, self->f.res.cmds);

	/* what follows the call is scanned too */
	reset(&self->f, &self->r);
	G(&self->f, BB_A, BBS(BB_B, MVGPU_MI_BB_SECOND_LEVEL), SDI_G(0), BBE);
	R(&self->r, BBS(BB_A, 0));
	REJECT(MVGPU_CMD_R_ADDRESS);
	EXPECT_EQ(1, self->f.res.index);
	EXPECT_EQ(12, self->f.res.offset);
	EXPECT_EQ(BB_A + 12, self->f.res.cmd_addr);
}

TEST_F(scan, second_level_chains)
{
	struct csf_buf *a, *b, *c;

	G(&self->f, BB_A, BBS(BB_B, MVGPU_MI_BB_SECOND_LEVEL), BBE);
	G(&self->f, BB_B, BBS(BB_C, 0));
	G(&self->f, BB_C, NOOP, BBE);
	R(&self->r, BBS(BB_A, 0));
	ACCEPT();
	a = jump_target(&self->f, self->r.dw);
	ASSERT_NE(NULL, a);
	b = jump_target(&self->f, (u32 *)a->snap);
	ASSERT_NE(NULL, b);
	c = jump_target(&self->f, (u32 *)b->snap);
	ASSERT_NE(NULL, c);
	EXPECT_EQ(2, b->b.level);
	EXPECT_EQ(2, c->b.level);
	EXPECT_EQ(12, b->snap_len);
	EXPECT_EQ(8, c->snap_len);
}

TEST_F(scan, nesting_depth_limit)
{
	G(&self->f, BB_A, BBS(BB_B, MVGPU_MI_BB_SECOND_LEVEL), BBE);
	G(&self->f, BB_B, NOOP, BBS(BB_C, MVGPU_MI_BB_SECOND_LEVEL), BBE);
	G(&self->f, BB_C, BBE);
	R(&self->r, BBS(BB_A, 0));
	REJECT(MVGPU_CMD_R_DEPTH);
	EXPECT_EQ(2, self->f.res.level);
	EXPECT_EQ(2, self->f.res.index);
	EXPECT_EQ(4, self->f.res.offset);
	EXPECT_EQ(BB_B + 4, self->f.res.cmd_addr);
	EXPECT_EQ(MVGPU_SPACE_GGTT, self->f.res.space);

	/* bit 22 in the ring does not count as a level */
	reset(&self->f, &self->r);
	G(&self->f, BB_B, NOOP, BBE);
	R(&self->r, BBS(BB_A, MVGPU_MI_BB_SECOND_LEVEL));
	ACCEPT();
}

TEST_F(scan, batches_from_ring_and_repeated_calls)
{
	struct csf_buf *a, *b1, *b2;

	G(&self->f, BB_A, BBS(BB_B, MVGPU_MI_BB_SECOND_LEVEL),
	  BBS(BB_B, MVGPU_MI_BB_SECOND_LEVEL), BBE);
	G(&self->f, BB_B, NOOP, BBE);
	R(&self->r, BBS(BB_A, 0), BBS(BB_B, 0), BBS(BB_A, 0));
	ACCEPT();
	EXPECT_EQ(7, self->f.res.batches);
	a = jump_target(&self->f, self->r.dw);
	ASSERT_NE(NULL, a);
	b1 = jump_target(&self->f, (u32 *)a->snap);
	b2 = jump_target(&self->f, (u32 *)(a->snap + 12));
	ASSERT_NE(NULL, b1);
	ASSERT_NE(NULL, b2);
	EXPECT_NE(b1, b2);
	EXPECT_NE(NULL, jump_target(&self->f, &self->r.dw[3]));
	EXPECT_NE(NULL, jump_target(&self->f, &self->r.dw[6]));
}

TEST_F(scan, batch_spans_pages)
{
	u64 start = BB_A + 0xff0;	/* 16 bytes before a page end */
	u32 n = 3000, i;
	struct csf_buf *cb;

	for (i = 0; i < n; i++)
		G(&self->f, start + 4 * i, MVGPU_MI_NOOP | i);
	G(&self->f, start + 4 * n, BBE);
	R(&self->r, BBS(start, 0));
	ACCEPT();
	cb = jump_target(&self->f, self->r.dw);
	ASSERT_NE(NULL, cb);
	EXPECT_EQ(4 * (n + 1), cb->snap_len);
	EXPECT_TRUE(csf_same_as_guest(&self->f, cb));
	EXPECT_LE(1, self->f.n_grow);
	/* copied page by page, never more than a page past the end */
	EXPECT_EQ(4, self->f.n_copy);
	EXPECT_GE(cb->b.copied, cb->snap_len);
	EXPECT_GT(cb->b.copied, cb->snap_len + 4096 - 1 - 4096);
}

/* A batch that ends at a page end needs nothing from the next page. */
TEST_F(scan, batch_end_at_page_end)
{
	u64 start = BB_A + 0x1000 - 8;

	self->f.hole[(BB_A + 0x1000) / CSF_PAGE] = 1;
	G(&self->f, start, NOOP, BBE);
	R(&self->r, BBS(start, 0));
	ACCEPT();
	EXPECT_EQ(1, self->f.n_copy);

	/* a command straddling into the hole cannot be read */
	reset(&self->f, &self->r);
	G(&self->f, start, NOOP, MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT);
	R(&self->r, BBS(start, 0));
	REJECT(MVGPU_CMD_R_COPY);
	EXPECT_EQ(BB_A + 0x1000, self->f.res.value);
	EXPECT_EQ(4, self->f.res.offset);
	EXPECT_EQ(MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT,
		  self->f.res.header);
}

/* A GGTT batch must lie in the vGPU's memory up to its last command. */
TEST_F(scan, batch_at_range_end)
{
	u64 start = APER_END - 12;

	G(&self->f, start, NOOP, NOOP, BBE);
	R(&self->r, BBS(start, 0));
	ACCEPT();

	reset(&self->f, &self->r);
	G(&self->f, start, NOOP, NOOP, NOOP);
	G(&self->f, APER_END, BBE);	/* the host's, not the vGPU's */
	R(&self->r, BBS(start, 0));
	REJECT(MVGPU_CMD_R_ADDRESS);
	EXPECT_EQ(APER_END, self->f.res.value);

	/* also when the range ends in the middle of a page */
	reset(&self->f, &self->r);
	self->f.s.gm[0].size -= 0x800;
	start = APER_END - 0x800 - 8;
	G(&self->f, start, NOOP, BBE);
	R(&self->r, BBS(start, 0));
	ACCEPT();
	reset(&self->f, &self->r);
	G(&self->f, start, NOOP, MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT,
	  LO(D), HI(D), 0, BBE);
	R(&self->r, BBS(start, 0));
	REJECT(MVGPU_CMD_R_ADDRESS);
}

TEST_F(scan, self_chaining_loop)
{
	G(&self->f, BB_A, NOOP, BBS(BB_A, 0));
	R(&self->r, BBS(BB_A, 0));
	REJECT(MVGPU_CMD_R_BATCHES);
	EXPECT_EQ(MVGPU_CMD_DEFAULT_MAX_BATCHES, self->f.res.batches);
	EXPECT_EQ(-E2BIG, self->f.res.err);

	/* with a high batch limit, the byte limit stops it */
	reset(&self->f, &self->r);
	self->f.s.max_batches = 1000000;
	self->f.s.max_bytes = 16 * 1024;
	R(&self->r, BBS(BB_A, 0));
	REJECT(MVGPU_CMD_R_CHAIN);
	EXPECT_EQ(16 * 1024, self->f.res.batch_bytes);
	EXPECT_EQ(1025, self->f.res.batches);	/* the last one empty */

	/* a batch calling itself hits the depth limit */
	reset(&self->f, &self->r);
	G(&self->f, BB_B, BBS(BB_B, MVGPU_MI_BB_SECOND_LEVEL), BBE);
	R(&self->r, BBS(BB_B, 0));
	REJECT(MVGPU_CMD_R_DEPTH);

	/* a batch without an end, long enough */
	reset(&self->f, &self->r);
	self->f.s.max_bytes = 3 * 4096;
	self->f.copied_bytes = 0;
	R(&self->r, BBS(CSF_HID, 0));
	REJECT(MVGPU_CMD_R_CHAIN);
	EXPECT_EQ(3 * 4096, self->f.res.offset);
	EXPECT_GE(4 * 4096, self->f.copied_bytes);
}

TEST_F(scan, byte_limit_boundary)
{
	u32 i;

	self->f.s.max_bytes = 4096 + 16;
	for (i = 0; i < 1023; i++)
		G(&self->f, BB_A + 4 * i, NOOP);
	G(&self->f, BB_A + 4092, BBS(BB_B, MVGPU_MI_BB_SECOND_LEVEL), BBE);
	G(&self->f, BB_B, BBE);
	R(&self->r, BBS(BB_A, 0));
	/* 4092 + 12 (call) + 4 (second level end) + 4 (first level end) */
	ACCEPT();
	EXPECT_EQ(4096 + 16, self->f.res.batch_bytes);
	reset(&self->f, &self->r);
	self->f.s.max_bytes -= 4;
	R(&self->r, BBS(BB_A, 0));
	REJECT(MVGPU_CMD_R_CHAIN);
	EXPECT_EQ(1, self->f.res.index);
	EXPECT_EQ(4104, self->f.res.offset);

	/* the ring does not count */
	reset(&self->f, &self->r);
	self->f.s.max_bytes = 0;
	R(&self->r, NOOP, NOOP);
	ACCEPT();
	R(&self->r, BBS(BB_B, 0));
	REJECT(MVGPU_CMD_R_CHAIN);
}

/*
 * A batch's shadow grows by doubling, but never past what a batch within
 * the byte limit can need (its commands, plus the rest of the chunk its
 * copy ends in): a batch of the whole limit that does not start on a
 * chunk did get twice the limit, more than a small vGPU's shadow window
 * can place beside its ring and context.
 */
TEST_F(scan, batch_shadow_grows_no_further_than_the_byte_limit_needs)
{
	u32 i, big = 0;
	int k;

	self->f.s.max_bytes = 16 * 1024;
	for (i = 0; i < 4095; i++)
		G(&self->f, BB_A + 8 + 4 * i, NOOP);
	G(&self->f, BB_A + 8 + 4 * 4095, BBE);
	R(&self->r, BBS(BB_A + 8, 0));
	ACCEPT();
	EXPECT_EQ(16 * 1024, self->f.res.batch_bytes);
	for (k = 0; k < self->f.nbufs; k++)
		big = max(big, self->f.bufs[k]->b.size);
	EXPECT_LE(big, 16 * 1024 + MVGPU_CMD_CHUNK);
	EXPECT_GE(big, 16 * 1024);
}

TEST_F(scan, batch_count_boundary)
{
	self->f.s.max_batches = 3;
	G(&self->f, BB_A, BBE);
	R(&self->r, BBS(BB_A, 0), BBS(BB_A, 0), BBS(BB_A, 0));
	ACCEPT();
	reset(&self->f, &self->r);
	R(&self->r, BBS(BB_A, 0), BBS(BB_A, 0), BBS(BB_A, 0), BBS(BB_A, 0));
	REJECT(MVGPU_CMD_R_BATCHES);
	EXPECT_EQ(36, self->f.res.offset);
	self->f.s.max_batches = 0;
	reset(&self->f, &self->r);
	R(&self->r, BBS(BB_A, 0));
	REJECT(MVGPU_CMD_R_BATCHES);
}

/* ---- time of check, time of use ---------------------------------------- */

/* Once a page is copied, the guest rewrites it. */
static void evil_rewrite(struct csf *f, enum mvgpu_cmd_space space, u64 addr,
			 u32 len)
{
	u32 i;

	if (space != MVGPU_SPACE_GGTT)
		return;
	for (i = 0; i + 4 <= len; i += 4) {
		u32 dw = MVGPU_MI_LOAD_REGISTER_IMM(1);

		memcpy(f->gmem + addr + i, &dw, 4);
	}
}

TEST_F(scan, guest_changes_after_copy_have_no_effect)
{
	u32 orig[] = { SDI_G(D), NOOP, BBS(BB_B, 0) };
	u32 origb[] = { NOOP, BBE };
	struct csf_buf *a, *b;

	csf_gput(&self->f, BB_A, orig, ARRAY_SIZE(orig));
	csf_gput(&self->f, BB_B, origb, ARRAY_SIZE(origb));
	R(&self->r, BBS(BB_A, 0));
	self->f.after_copy = evil_rewrite;
	ACCEPT();
	/* the guest's copy now holds register writes... */
	EXPECT_EQ(MVGPU_MI_LOAD_REGISTER_IMM(1),
		  *(u32 *)csf_gptr(&self->f, BB_A));
	/* ...but what was scanned and what runs is what was copied */
	a = jump_target(&self->f, self->r.dw);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(0, memcmp(a->snap, orig, 20));
	EXPECT_EQ(0, memcmp(a->b.va, a->snap, a->snap_len));
	b = jump_target(&self->f, (u32 *)(a->snap + 20));
	ASSERT_NE(NULL, b);
	EXPECT_EQ(0, memcmp(b->snap, origb, sizeof(origb)));
	/* and each guest byte was read once */
	EXPECT_EQ(2, self->f.n_copy);
}

TEST_F(scan, ring_copy_then_guest_change)
{
	u64 ring = CSF_HID + 0x8000;
	u32 shadow[64];
	int n;

	G(&self->f, ring, NOOP, SDI_G(D), NOOP);
	n = mvgpu_cmd_copy_ring(&self->f.s, ring, 4096, 0, 24, shadow);
	ASSERT_EQ(24, n);
	G(&self->f, ring, NOOP, SDI_G(0), NOOP);	/* too late */
	ASSERT_EQ(0, mvgpu_cmd_scan_ring(&self->f.s, shadow, n,
					 &self->f.res));
	EXPECT_EQ(LO(D), shadow[2]);
}

/* ---- the ring copy helper ----------------------------------------------- */

TEST_F(scan, copy_ring_wraps)
{
	u64 ring = CSF_APER + 0x40000;
	u32 size = 3 * 4096, i, out[3 * 1024];
	int n;

	for (i = 0; i < size / 4; i++)
		G(&self->f, ring + 4 * i, i);
	n = mvgpu_cmd_copy_ring(&self->f.s, ring, size, size - 8, 4096 + 4,
				out);
	ASSERT_EQ(8 + 4096 + 4, n);
	EXPECT_EQ(size / 4 - 2, out[0]);
	EXPECT_EQ(size / 4 - 1, out[1]);
	for (i = 0; i < 1025; i++)
		ASSERT_EQ(i, out[2 + i]);
	EXPECT_EQ(3, self->f.n_copy);	/* split at the wrap and each page */

	EXPECT_EQ(0, mvgpu_cmd_copy_ring(&self->f.s, ring, size, 40, 40, out));
	EXPECT_EQ(size - 4, mvgpu_cmd_copy_ring(&self->f.s, ring, size, 4, 0,
						out));
}

TEST_F(scan, copy_ring_rejects)
{
	u32 out[1024];

	EXPECT_EQ(-EINVAL, mvgpu_cmd_copy_ring(&self->f.s, CSF_APER, 0, 0, 0,
					       out));
	EXPECT_EQ(-EINVAL, mvgpu_cmd_copy_ring(&self->f.s, CSF_APER, 4096 + 4,
					       0, 0, out));
	EXPECT_EQ(-EINVAL, mvgpu_cmd_copy_ring(&self->f.s, CSF_APER,
					       MVGPU_RING_MAX_SIZE + 4096, 0,
					       0, out));
	EXPECT_EQ(-EINVAL, mvgpu_cmd_copy_ring(&self->f.s, CSF_APER + 4, 4096,
					       0, 0, out));
	EXPECT_EQ(-EINVAL, mvgpu_cmd_copy_ring(&self->f.s, CSF_APER, 4096,
					       4096, 0, out));
	EXPECT_EQ(-EINVAL, mvgpu_cmd_copy_ring(&self->f.s, CSF_APER, 4096, 0,
					       4096, out));
	EXPECT_EQ(-EINVAL, mvgpu_cmd_copy_ring(&self->f.s, CSF_APER, 4096, 2,
					       0, out));
	/* the whole ring must be the vGPU's */
	EXPECT_EQ(-EACCES, mvgpu_cmd_copy_ring(&self->f.s, APER_END - 4096,
					       8192, 0, 8, out));
	EXPECT_EQ(-EACCES, mvgpu_cmd_copy_ring(&self->f.s, 0, 4096, 0, 8,
					       out));
	EXPECT_EQ(0, self->f.n_copy);
	/* and readable */
	self->f.hole[(CSF_APER + 0x1000) / CSF_PAGE] = 1;
	EXPECT_EQ(-EFAULT, mvgpu_cmd_copy_ring(&self->f.s, CSF_APER, 8192,
					       4092, 8, out));
	self->f.n_copy = 0;
	self->f.fail_copy = 1;
	EXPECT_EQ(-EIO, mvgpu_cmd_copy_ring(&self->f.s, CSF_APER, 8192, 0, 8,
					    out));
}

/* ---- the caller's ops failing ------------------------------------------- */

TEST_F(scan, op_failures)
{
	G(&self->f, BB_A, BBS(BB_B, MVGPU_MI_BB_SECOND_LEVEL), BBE);
	G(&self->f, BB_B, BBE);

	self->f.fail_alloc = 2;
	R(&self->r, BBS(BB_A, 0));
	REJECT(MVGPU_CMD_R_SHADOW);
	EXPECT_EQ(-ENOMEM, self->f.res.err);
	EXPECT_EQ(1, self->f.res.index);
	self->f.fail_alloc = 0;

	reset(&self->f, &self->r);
	self->f.n_place = 0;
	self->f.fail_place = 1;
	R(&self->r, BBS(BB_A, 0));
	REJECT(MVGPU_CMD_R_SHADOW);
	EXPECT_EQ(-ENOSPC, self->f.res.err);
	self->f.fail_place = 0;

	reset(&self->f, &self->r);
	self->f.place_misalign = 1;
	R(&self->r, BBS(BB_A, 0));
	REJECT(MVGPU_CMD_R_SHADOW);
	EXPECT_EQ(-EINVAL, self->f.res.err);
	self->f.place_misalign = 0;

	reset(&self->f, &self->r);
	self->f.n_copy = 0;
	self->f.fail_copy = 2;
	R(&self->r, BBS(BB_A, 0));
	REJECT(MVGPU_CMD_R_COPY);
	EXPECT_EQ(-EIO, self->f.res.err);
	EXPECT_EQ(2, self->f.res.index);
	self->f.fail_copy = 0;

	/* growing */
	reset(&self->f, &self->r);
	G(&self->f, BB_C + 4096, BBE);
	self->f.fail_grow = 1;
	R(&self->r, BBS(BB_C, 0));
	REJECT(MVGPU_CMD_R_SHADOW);
	EXPECT_EQ(4096, self->f.res.offset);
}

/* An alloc op that succeeds without a usable buffer is caught. */
static int lazy_alloc(void *priv, u32 bytes, struct mvgpu_shadow_buf **buf)
{
	static struct mvgpu_shadow_buf small;

	small.va = &small;
	small.size = 4;
	*buf = &small;
	return 0;
}

static int lazy_grow(void *priv, struct mvgpu_shadow_buf *buf, u32 bytes)
{
	return 0;
}

TEST_F(scan, op_results_checked)
{
	struct mvgpu_cmd_ops ops = csf_ops;

	ops.shadow_alloc = lazy_alloc;
	self->f.s.ops = &ops;
	R(&self->r, BBS(BB_A, 0));
	REJECT(MVGPU_CMD_R_SHADOW);
	EXPECT_EQ(-ENOMEM, self->f.res.err);

	ops.shadow_alloc = csf_alloc;
	ops.shadow_grow = lazy_grow;
	G(&self->f, BB_C + 4096, BBE);
	reset(&self->f, &self->r);
	R(&self->r, BBS(BB_C, 0));
	REJECT(MVGPU_CMD_R_SHADOW);
}

/* ---- what a rejection says ---------------------------------------------- */

TEST_F(scan, rejection_report)
{
	struct mvgpu_cmd_result *res = &self->f.res;

	G(&self->f, BB_A, NOOP, BBS(BB_B, MVGPU_MI_BB_SECOND_LEVEL), BBE);
	G(&self->f, BB_B, NOOP, NOOP, MVGPU_MI_LOAD_REGISTER_IMM(1),
	  MVGPU_BCS_BASE + MVGPU_RING_ELSP, 0, BBE);
	R(&self->r, NOOP, NOOP, BBS(BB_A, 0));
	REJECT(MVGPU_CMD_R_REGISTER);
	EXPECT_EQ(-EACCES, res->err);
	EXPECT_EQ(2, res->index);
	EXPECT_EQ(2, res->level);
	EXPECT_EQ(8, res->offset);
	EXPECT_EQ(MVGPU_SPACE_GGTT, res->space);
	EXPECT_EQ(BB_B + 8, res->cmd_addr);
	EXPECT_EQ(MVGPU_MI_LOAD_REGISTER_IMM(1), res->header);
	EXPECT_EQ(MVGPU_BCS_BASE + MVGPU_RING_ELSP, res->value);
	EXPECT_EQ(7, res->cmds);
	EXPECT_EQ(2, res->batches);
	EXPECT_STREQ("register not allowed", mvgpu_cmd_reason_str(res->reason));
}

/* ---- scanned workloads on the executor ---------------------------------- */

/*
 * The scanner's caller in miniature, on the software GPU's fake memory:
 * guest batches live in the fake GGTT, shadows are written to host-owned
 * GGTT pages when placed, and the patched ring runs on sgpu_exec_run().
 */
#define X_SHADOW	0x200000	/* host-owned GGTT space for shadows */
#define X_RING		0x10000
#define X_LRCA		0x1000
#define X_BB		0x20000
#define X_DATA		0x80000

struct xworld {
	struct fake fx;
	struct sgpu_engine bcs;
	struct tctx t;
	struct mvgpu_cmd_scan s;
	struct mvgpu_shadow_buf bufs[8];
	int nbufs;
	u64 next;
};

static int x_copy_in(void *priv, enum mvgpu_cmd_space space, u64 addr,
		     void *dst, u32 len)
{
	struct xworld *w = priv;

	fake_gread(&w->fx, addr, dst, len);
	return 0;
}

static int x_alloc(void *priv, u32 bytes, struct mvgpu_shadow_buf **buf)
{
	struct xworld *w = priv;
	struct mvgpu_shadow_buf *b = &w->bufs[w->nbufs++];

	b->va = calloc(1, bytes);
	b->size = bytes;
	*buf = b;
	return 0;
}

static int x_grow(void *priv, struct mvgpu_shadow_buf *b, u32 bytes)
{
	b->va = realloc(b->va, bytes);
	b->size = bytes;
	return 0;
}

static int x_place(void *priv, struct mvgpu_shadow_buf *b, u64 *gma)
{
	struct xworld *w = priv;

	*gma = w->next;
	fake_gwrite(&w->fx, w->next, b->va, b->len);
	w->next += (b->len + 4095) & ~4095U;
	return 0;
}

static const struct mvgpu_cmd_ops x_ops = {
	.copy_in = x_copy_in, .shadow_alloc = x_alloc,
	.shadow_grow = x_grow, .shadow_place = x_place,
};

TEST(scanned_workload_runs_on_executor)
{
	static struct xworld w;
	struct sgpu_exec_limits lim = { .max_cmds = 1000 };
	struct sgpu_exec_result res;
	struct mvgpu_cmd_result sres;
	u32 ring[32], n = 0, i;
	int len;

	fake_init(&w.fx, 1024, 16, false);
	fake_engine(&w.fx, &w.bcs, MVGPU_ENGINE_BCS);
	tctx_init(&w.t, &w.fx, X_LRCA, X_RING, 4096,
		  MVGPU_CTX_MODE_LEGACY_32B, 1, 0);
	mvgpu_cmd_scan_init(&w.s, MVGPU_ENGINE_BCS, false, &x_ops, &w);
	w.s.gm[0].base = X_RING;	/* the guest's: ring, batches, data */
	w.s.gm[0].size = X_SHADOW - X_RING;
	w.next = X_SHADOW;

	/* guest: ring -> batch A (calls B, chains to C) */
	fake_gwrite(&w.fx, X_BB, (const u32[]){
		SDI_G(X_DATA), BBS(X_BB + 0x1000, MVGPU_MI_BB_SECOND_LEVEL),
		BBS(X_BB + 0x2000, 0) }, 10 * 4);
	fake_gwrite(&w.fx, X_BB + 0x1000, (const u32[]){
		MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, LO(X_DATA + 4), 0,
		22, BBE }, 5 * 4);
	fake_gwrite(&w.fx, X_BB + 0x2000, (const u32[]){
		MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, LO(X_DATA + 8), 0,
		33, BBE }, 5 * 4);
	tb_bbs(&w.t.ring, X_BB, 0);
	tb_sdi(&w.t.ring, X_DATA + 12, 44, true);

	/* the caller: copy the ring, scan, then the guest rewrites all */
	len = mvgpu_cmd_copy_ring(&w.s, X_RING, 4096, 0, w.t.ring.off, ring);
	ASSERT_EQ(28, len);
	ASSERT_EQ(0, mvgpu_cmd_scan_ring(&w.s, ring, len, &sres));
	EXPECT_EQ(3, sres.batches);
	for (i = 0; i < 3; i++)
		fake_gw32(&w.fx, X_BB + 0x1000 * i, MVGPU_MI_BATCH_BUFFER_END);

	/* run the shadow ring, as the caller would put it in its own ring */
	for (i = 0; i < (u32)len / 4; i++)
		fake_gw32(&w.fx, X_RING + 4 * i, ring[i]);
	n = len;
	w.t.ring.off = n;
	ASSERT_EQ(0, tctx_submit(&w.t));
	fake_run(&w.fx, &w.bcs, &w.t.ctx, &lim, &res);
	EXPECT_EQ(SGPU_EXEC_IDLE, res.status) {
		TH_LOG("err %u at %#llx", res.err.code,
		       (unsigned long long)res.err.cmd_addr);
	}
	EXPECT_EQ(7, fake_gr32(&w.fx, X_DATA));
	EXPECT_EQ(22, fake_gr32(&w.fx, X_DATA + 4));
	EXPECT_EQ(33, fake_gr32(&w.fx, X_DATA + 8));
	EXPECT_EQ(44, fake_gr32(&w.fx, X_DATA + 12));
	EXPECT_EQ(sres.cmds, res.cmds);

	for (i = 0; i < (u32)w.nbufs; i++)
		free(w.bufs[i].va);
	fake_fini(&w.fx);
}

/* ---- fuzzer-found regressions ------------------------------------------- */

TEST_HARNESS_MAIN
