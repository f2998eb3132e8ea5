// SPDX-License-Identifier: GPL-2.0-only
/*
 * sgpu/cmd_exec.c: every MI command, batch buffers (first level, chained,
 * second level, PPGTT), every error path, budget and runaway limits,
 * semaphores, preemption and resume.
 */
#include "kselftest_harness.h"
#include "sgpu_fake.h"

#define LRCA	0x1000
#define LRCA2	0x2000
#define RING	0x10000
#define RING2	0x14000
#define RING_SZ	0x4000
#define BB_A	0x20000
#define BB_B	0x30000
#define BB_C	0x38000
#define DATA	0x80000
#define PPGGTT	0x100000		/* GGTT range the PPGTT aliases */
#define PPVA	0x00007f0000000000ULL
#define PPSIZE	0x40000

struct world {
	struct fake fx;
	struct sgpu_engine rcs, bcs;
	struct tctx t;		/* LEGACY_32B */
	struct tctx p;		/* LEGACY_64B */
	u64 pml4;
};

static void world_init(struct world *w)
{
	fake_init(&w->fx, 1024, 64, false);
	fake_engine(&w->fx, &w->rcs, MVGPU_ENGINE_RCS);
	fake_engine(&w->fx, &w->bcs, MVGPU_ENGINE_BCS);
	w->pml4 = fake_pt_alloc(&w->fx) << 12;
	fake_ppgtt_alias(&w->fx, w->pml4, PPVA, PPGGTT, PPSIZE);
	tctx_init(&w->t, &w->fx, LRCA, RING, RING_SZ,
		  MVGPU_CTX_MODE_LEGACY_32B, 1, 0);
	tctx_init(&w->p, &w->fx, LRCA2, RING2, RING_SZ,
		  MVGPU_CTX_MODE_LEGACY_64B, 2, w->pml4);
}

FIXTURE(exec) {
	struct world w;
	struct fake *fx;
	struct sgpu_exec_limits lim;
	struct sgpu_exec_result res;
	struct tbuf a, b, c;
};

FIXTURE_SETUP(exec)
{
	world_init(&self->w);
	self->fx = &self->w.fx;
	self->lim.max_cmds = 100000;
	tb_init(&self->a, self->fx, MVGPU_SPACE_GGTT, BB_A, 0, 0);
	tb_init(&self->b, self->fx, MVGPU_SPACE_GGTT, BB_B, 0, 0);
	tb_init(&self->c, self->fx, MVGPU_SPACE_GGTT, BB_C, 0, 0);
}

FIXTURE_TEARDOWN(exec)
{
	EXPECT_EQ(0, self->fx->depth);
	EXPECT_EQ(0, self->fx->lifo_errors);
	EXPECT_GE(3, self->fx->max_depth);
	fake_fini(self->fx);
}

/* Submit (load the image), run, save the image back. */
static enum sgpu_exec_status go(FIXTURE_DATA(exec) *self,
				struct sgpu_engine *e, struct tctx *t)
{
	if (tctx_submit(t))
		return (enum sgpu_exec_status)-1;
	fake_run(t->fx, e, &t->ctx, &self->lim, &self->res);
	sgpu_ctx_save(&t->ctx, &t->fx->mem, NULL);
	return self->res.status;
}

#define RCS_GPR(n)	(MVGPU_RCS_BASE + MVGPU_RING_GPR(n))
#define BCS_GPR(n)	(MVGPU_BCS_BASE + MVGPU_RING_GPR(n))

#define RCS	(&self->w.rcs)
#define BCS	(&self->w.bcs)
#define T	(&self->w.t)
#define P	(&self->w.p)
#define RB	(&self->w.t.ring)
#define PRB	(&self->w.p.ring)
#define G32(a)	fake_gr32(self->fx, a)

#define EXPECT_ERR(code_, space_, addr_) do {				\
	ASSERT_EQ(SGPU_EXEC_ERROR, self->res.status);			\
	EXPECT_EQ(code_, self->res.err.code);				\
	EXPECT_EQ(space_, self->res.err.space);				\
	EXPECT_EQ((u64)(addr_), self->res.err.cmd_addr);		\
} while (0)

TEST_F(exec, empty_ring_is_idle)
{
	self->lim.max_cmds = 0;
	ASSERT_EQ(0, tctx_submit(T));
	self->fx->maps = 0;
	ASSERT_EQ(SGPU_EXEC_IDLE, fake_run(self->fx, RCS, &T->ctx,
					   &self->lim, &self->res));
	EXPECT_EQ(0, self->res.cmds);
	EXPECT_EQ(0, self->fx->maps);
}

TEST_F(exec, noop_user_interrupt_arb_check)
{
	TB(RB, MVGPU_MI_NOOP, MVGPU_MI_NOOP | 0x3fffff, MVGPU_MI_USER_INTERRUPT,
	   MVGPU_MI_ARB_CHECK, MVGPU_MI_USER_INTERRUPT, MVGPU_MI_NOOP);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, T));
	EXPECT_EQ(6, self->res.cmds);
	EXPECT_EQ(2, self->fx->user_irqs);
	EXPECT_EQ(1, self->fx->arb_points);
	EXPECT_EQ(RB->off, T->ctx.head);
	EXPECT_EQ(RB->off, G32(LRCA + 4 * MVGPU_CTX_RING_HEAD));
}

TEST_F(exec, store_data_imm)
{
	TB(RB, MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, DATA, 0, 0x11);
	TB(RB, MVGPU_MI_STORE_DATA_IMM_QW | MVGPU_MI_USE_GGTT, DATA + 4088, 0,
	   0x22, 0x33);	/* qword crossing nothing, at a page end */
	/* no GGTT bit in a LEGACY_32B context: the GGTT as well */
	TB(RB, MVGPU_MI_STORE_DATA_IMM, DATA + 8, 0, 0x44);
	TB(RB, MVGPU_MI_NOOP, MVGPU_MI_NOOP);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, RCS, T));
	EXPECT_EQ(0x11, G32(DATA));
	EXPECT_EQ(0x3300000022ULL, fake_gr64(self->fx, DATA + 4088));
	EXPECT_EQ(0x44, G32(DATA + 8));
}

TEST_F(exec, store_data_imm_ppgtt_default)
{
	/* LEGACY_64B: without the GGTT bit the address is a PPGTT address */
	TB(PRB, MVGPU_MI_STORE_DATA_IMM, LO(PPVA + 0x100), HI(PPVA + 0x100),
	   0x55);
	TB(PRB, MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, DATA, 0, 0x66);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, P));
	EXPECT_EQ(0x55, G32(PPGGTT + 0x100));
	EXPECT_EQ(0x66, G32(DATA));
}

TEST_F(exec, store_data_imm_errors)
{
	TB(RB, MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, DATA + 2, 0, 1);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_ADDR_ALIGN, MVGPU_SPACE_RING, 0);
	EXPECT_EQ(MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT,
		  self->res.err.cmd_header);
	EXPECT_EQ(1, self->res.err.ctx_id);
	EXPECT_EQ(MVGPU_ERR_ADDR_ALIGN, G32(LRCA + 4 * MVGPU_CTX_ERROR));
	/* not resumable: the same error again */
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_ADDR_ALIGN, MVGPU_SPACE_RING, 0);
}

TEST_F(exec, store_data_imm_qword_misaligned)
{
	TB(RB, MVGPU_MI_STORE_DATA_IMM_QW | MVGPU_MI_USE_GGTT, DATA + 4, 0, 1,
	   2);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_ADDR_ALIGN, MVGPU_SPACE_RING, 0);
	EXPECT_EQ(0, G32(DATA + 4));
}

TEST_F(exec, store_data_imm_bad_length)
{
	TB(RB, MVGPU_MI_INSTR(0x20, 4), 0, 0, 0, 0, 0);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_CMD_LENGTH, MVGPU_SPACE_RING, 0);
}

TEST_F(exec, store_data_imm_faults)
{
	TB(RB, MVGPU_MI_NOOP, MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT,
	   0x7ffff000, 0, 1);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_GGTT_FAULT, MVGPU_SPACE_RING, 4);
	EXPECT_EQ(0x7ffff000, self->res.err.fault_addr);
	EXPECT_EQ(0, self->res.err.level);
	EXPECT_EQ(1, self->res.cmds);
	EXPECT_EQ(4, T->ctx.head);

	/* a PPGTT address no PML4 entry covers */
	TB(PRB, MVGPU_MI_STORE_DATA_IMM, 0, 0x10, 1);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, P));
	EXPECT_ERR(MVGPU_ERR_PPGTT_FAULT, MVGPU_SPACE_RING, 0);
	EXPECT_EQ(4, self->res.err.level);
	EXPECT_EQ(0x1000000000ULL, self->res.err.fault_addr);
}

TEST_F(exec, load_register_imm)
{
	TB(RB, MVGPU_MI_LOAD_REGISTER_IMM(3), 0x2100, 1, 0x22104, 2,
	   0x1fffff, 3);	/* low bits of the offset are ignored */
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, RCS, T));
	EXPECT_EQ(1, self->fx->regs[0x2100 / 4]);
	EXPECT_EQ(2, self->fx->regs[0x22104 / 4]);
	EXPECT_EQ(3, self->fx->regs[0x1ffffc / 4]);
}

TEST_F(exec, load_register_imm_128_pairs)
{
	int i;

	TB(RB, MVGPU_MI_LOAD_REGISTER_IMM(128));
	for (i = 0; i < 128; i++)
		TB(RB, 0x4000 + 4 * i, 1000 + i);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, RCS, T));
	for (i = 0; i < 128; i++)
		ASSERT_EQ(1000 + i, self->fx->regs[0x1000 + i]);
	EXPECT_EQ(1, self->res.cmds);
}

TEST_F(exec, load_register_imm_errors)
{
	TB(RB, MVGPU_MI_INSTR(0x22, 2), 0x2100, 1, 0);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_CMD_LENGTH, MVGPU_SPACE_RING, 0);
}

TEST_F(exec, load_register_imm_fetch_fault_past_the_fixed_dwords)
{
	/*
	 * LRI(8) is 17 dwords; the first 10 end a batch page, the rest are
	 * on a page with no GGTT entry.  Dwords beyond
	 * MVGPU_CMD_MAX_FIXED_DWORDS are fetched while the command runs.
	 */
	u64 cmd = BB_A + 4096 - 4 * MVGPU_CMD_MAX_FIXED_DWORDS;
	int i;

	ASSERT_EQ(10, MVGPU_CMD_MAX_FIXED_DWORDS);
	self->a.off = cmd - BB_A;
	TB(&self->a, MVGPU_MI_LOAD_REGISTER_IMM(8));
	for (i = 0; i < 4; i++)		/* dwords 1-8 */
		TB(&self->a, 0x4000 + 4 * i, 100 + i);
	TB(&self->a, 0x4010);		/* dword 9: pair 5's register */
	self->fx->ggtt[(BB_A + 4096) >> 12] = 0;
	tb_bbs(RB, cmd, 0);
	tb_sdi(RB, DATA, 1, true);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_GGTT_FAULT, MVGPU_SPACE_GGTT, cmd);
	EXPECT_EQ(1, self->res.err.level);
	EXPECT_EQ(BB_A + 4096, self->res.err.fault_addr);
	EXPECT_EQ(MVGPU_MI_LOAD_REGISTER_IMM(8), self->res.err.cmd_header);
	EXPECT_EQ(1, self->res.cmds);
	/* the pairs before the fault are written, nothing after */
	for (i = 0; i < 4; i++)
		EXPECT_EQ(100 + i, self->fx->regs[0x1000 + i]);
	for (i = 4; i < 8; i++)
		EXPECT_EQ(0, self->fx->regs[0x1000 + i]);
	EXPECT_EQ(0, G32(DATA));
	EXPECT_EQ(1, sgpu_ctx_level(&T->ctx));
	EXPECT_EQ(cmd, T->ctx.bb[0].addr);
}

TEST_F(exec, register_refused)
{
	self->fx->deny_reg = 0x2104;
	TB(RB, MVGPU_MI_LOAD_REGISTER_IMM(2), 0x2100, 1, 0x2104, 2);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_REG_ACCESS, MVGPU_SPACE_RING, 0);
	EXPECT_EQ(1, self->fx->regs[0x2100 / 4]);
}

TEST_F(exec, register_refused_lrm_srm)
{
	self->fx->deny_reg = 0x2104;
	TB(RB, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT, 0x2104, DATA,
	   0);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_REG_ACCESS, MVGPU_SPACE_RING, 0);
	T->ring.off = 0;
	TB(RB, MVGPU_MI_LOAD_REGISTER_MEM | MVGPU_MI_USE_GGTT, 0x2104, DATA,
	   0);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_REG_ACCESS, MVGPU_SPACE_RING, 0);
}

TEST_F(exec, load_store_register_mem)
{
	fake_gw32(self->fx, DATA, 0xcafe);
	self->fx->regs[0x2200 / 4] = 0xbeef;
	TB(RB, MVGPU_MI_LOAD_REGISTER_MEM | MVGPU_MI_USE_GGTT, 0x2204, DATA, 0);
	TB(RB, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT, 0x2200,
	   DATA + 4, 0);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, T));
	EXPECT_EQ(0xcafe, self->fx->regs[0x2204 / 4]);
	EXPECT_EQ(0xbeef, G32(DATA + 4));
}

/* ---- general purpose registers: context state ------------------------ */

TEST_F(exec, gprs_are_loaded_from_the_image)
{
	fake_gw32(self->fx, LRCA + 4 * MVGPU_CTX_GPR(0), 0x1000);
	fake_gw32(self->fx, LRCA + 4 * MVGPU_CTX_GPR(31), 0x1031);
	TB(RB, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT, RCS_GPR(0),
	   DATA, 0);
	TB(RB, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT,
	   MVGPU_RING_GPR(31), DATA + 4, 0);	/* relative to the base */
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, RCS, T));
	EXPECT_EQ(0x1000, G32(DATA));
	EXPECT_EQ(0x1031, G32(DATA + 4));
	EXPECT_EQ(0x1000, T->ctx.gpr[0]);
}

TEST_F(exec, gprs_are_saved_on_completion_and_not_seen_by_the_next_context)
{
	int i;

	TB(RB, MVGPU_MI_LOAD_REGISTER_IMM(MVGPU_RING_GPR_DWORDS));
	for (i = 0; i < MVGPU_RING_GPR_DWORDS; i++)
		TB(RB, BCS_GPR(i), 0xa000 + i);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, T));
	for (i = 0; i < MVGPU_RING_GPR_DWORDS; i++)
		ASSERT_EQ(0xa000 + i, G32(LRCA + 4 * MVGPU_CTX_GPR(i)));
	/* the registers left nothing in the engine's register file */
	for (i = 0; i < FAKE_NREGS; i++)
		ASSERT_EQ(0, self->fx->regs[i]);

	/* another context on the same engine reads its own: zero */
	for (i = 0; i < MVGPU_RING_GPR_DWORDS; i++)
		TB(PRB, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT,
		   BCS_GPR(i), DATA + 4 * i, 0);
	memset(fake_gptr(self->fx, DATA), 0xff, 4 * MVGPU_RING_GPR_DWORDS);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, P));
	for (i = 0; i < MVGPU_RING_GPR_DWORDS; i++)
		EXPECT_EQ(0, G32(DATA + 4 * i));

	/* and the first gets its own back */
	for (i = 0; i < MVGPU_RING_GPR_DWORDS; i++)
		TB(RB, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT,
		   BCS_GPR(i), DATA + 4 * i, 0);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, T));
	for (i = 0; i < MVGPU_RING_GPR_DWORDS; i++)
		EXPECT_EQ(0xa000 + i, G32(DATA + 4 * i));
}

TEST_F(exec, gprs_are_saved_on_preemption)
{
	self->fx->yield = FAKE_YIELD_ALWAYS;
	TB(RB, MVGPU_MI_LOAD_REGISTER_IMM(1), RCS_GPR(3), 0x33);
	TB(RB, MVGPU_MI_ARB_CHECK);
	TB(RB, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT, RCS_GPR(3),
	   DATA, 0);
	ASSERT_EQ(SGPU_EXEC_PREEMPTED, go(self, RCS, T));
	EXPECT_EQ(0x33, G32(LRCA + 4 * MVGPU_CTX_GPR(3)));
	/* what runs in between does not change them */
	tb_sdi(PRB, DATA + 4, 1, true);
	TB(PRB, MVGPU_MI_LOAD_REGISTER_IMM(1), RCS_GPR(3), 0x66);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, RCS, P));
	memset(&T->ctx, 0, sizeof(T->ctx));
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, RCS, T));	/* reloaded */
	EXPECT_EQ(0x33, G32(DATA));
	EXPECT_EQ(0x66, G32(LRCA2 + 4 * MVGPU_CTX_GPR(3)));
}

TEST_F(exec, gprs_are_saved_on_error)
{
	TB(RB, MVGPU_MI_LOAD_REGISTER_IMM(1), RCS_GPR(9), 0x99);
	TB(RB, MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, DATA + 2, 0, 1);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_ADDR_ALIGN, MVGPU_SPACE_RING, 12);
	EXPECT_EQ(0x99, G32(LRCA + 4 * MVGPU_CTX_GPR(9)));
}

TEST_F(exec, load_store_register_mem_errors)
{
	TB(RB, MVGPU_MI_LOAD_REGISTER_MEM | MVGPU_MI_USE_GGTT, 0x2204,
	   DATA + 1, 0);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, T));
	EXPECT_ERR(MVGPU_ERR_ADDR_ALIGN, MVGPU_SPACE_RING, 0);
	T->ring.off = 0;
	self->fx->ggtt[DATA >> 12] = 0;
	TB(RB, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT, 0x2204, DATA,
	   0);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, T));
	EXPECT_ERR(MVGPU_ERR_GGTT_FAULT, MVGPU_SPACE_RING, 0);
	EXPECT_EQ(1, self->res.err.level);
	T->ring.off = 0;
	TB(RB, MVGPU_MI_LOAD_REGISTER_MEM | MVGPU_MI_USE_GGTT, 0x2204, DATA,
	   0);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, T));
	EXPECT_ERR(MVGPU_ERR_GGTT_FAULT, MVGPU_SPACE_RING, 0);
	T->ring.off = 0;
	TB(RB, MVGPU_MI_INSTR(0x24, 3), 0x2204, DATA, 0, 0);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, T));
	EXPECT_ERR(MVGPU_ERR_CMD_LENGTH, MVGPU_SPACE_RING, 0);
}

TEST_F(exec, flush_dw_post_sync)
{
	TB(RB, MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_STOREDW,
	   DATA | MVGPU_MI_FLUSH_DW_USE_GTT, 0, 0x77);
	TB(RB, MVGPU_MI_FLUSH_DW_QW | MVGPU_MI_FLUSH_DW_OP_STOREDW |
	   MVGPU_MI_FLUSH_DW_NOTIFY, (DATA + 8) | MVGPU_MI_FLUSH_DW_USE_GTT, 0,
	   0x88, 0x99);
	TB(RB, MVGPU_MI_FLUSH_DW, 0, 0, 0);	/* plain flush */
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, T));
	EXPECT_EQ(0x77, G32(DATA));
	EXPECT_EQ(0x9900000088ULL, fake_gr64(self->fx, DATA + 8));
	EXPECT_EQ(1, self->fx->user_irqs);
	EXPECT_EQ(2, self->fx->post_syncs);
	EXPECT_EQ(DATA + 8, self->fx->last_post_sync);
}

TEST_F(exec, flush_dw_ppgtt_and_errors)
{
	TB(PRB, MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_STOREDW,
	   LO(PPVA + 0x200), HI(PPVA + 0x200), 0x12);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, P));
	EXPECT_EQ(0x12, G32(PPGGTT + 0x200));

	TB(RB, MVGPU_MI_FLUSH_DW | (3U << 14), DATA, 0, 0);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, T));
	EXPECT_ERR(MVGPU_ERR_CMD_PARAM, MVGPU_SPACE_RING, 0);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_CMD_ENGINE, MVGPU_SPACE_RING, 0);
}

TEST_F(exec, flush_dw_post_sync_fault_stops_before_notify)
{
	tb_sdi(RB, DATA, 1, true);
	TB(RB, MVGPU_MI_FLUSH_DW_QW | MVGPU_MI_FLUSH_DW_OP_STOREDW |
	   MVGPU_MI_FLUSH_DW_NOTIFY, (DATA + 0x1000) | MVGPU_MI_FLUSH_DW_USE_GTT,
	   0, 0x88, 0x99);
	tb_sdi(RB, DATA + 4, 2, true);
	self->fx->ggtt[(DATA + 0x1000) >> 12] = 0;
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, T));
	EXPECT_ERR(MVGPU_ERR_GGTT_FAULT, MVGPU_SPACE_RING, 16);
	EXPECT_EQ(1, self->res.err.level);
	EXPECT_EQ(DATA + 0x1000, self->res.err.fault_addr);
	EXPECT_EQ(MVGPU_MI_FLUSH_DW_QW | MVGPU_MI_FLUSH_DW_OP_STOREDW |
		  MVGPU_MI_FLUSH_DW_NOTIFY, self->res.err.cmd_header);
	EXPECT_EQ(1, self->res.cmds);
	EXPECT_EQ(16, T->ctx.head);
	EXPECT_EQ(0, self->fx->post_syncs);
	EXPECT_EQ(0, self->fx->user_irqs);
	EXPECT_EQ(1, G32(DATA));
	EXPECT_EQ(0, G32(DATA + 4));	/* nothing after it ran */

	/* PPGTT default space, address no PML4 entry covers */
	TB(PRB, MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_STOREDW, 0, 0x10,
	   0x12);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, P));
	EXPECT_ERR(MVGPU_ERR_PPGTT_FAULT, MVGPU_SPACE_RING, 0);
	EXPECT_EQ(4, self->res.err.level);
	EXPECT_EQ(0x1000000000ULL, self->res.err.fault_addr);
	EXPECT_EQ(0, self->fx->post_syncs);
}

TEST_F(exec, pipe_control)
{
	TB(RB, MVGPU_PIPE_CONTROL, MVGPU_PIPE_CONTROL_WRITE_IMM |
	   MVGPU_PIPE_CONTROL_GLOBAL_GTT | MVGPU_PIPE_CONTROL_CS_STALL |
	   MVGPU_PIPE_CONTROL_NOTIFY, DATA, 0, 0xaa, 0xbb);
	TB(RB, MVGPU_PIPE_CONTROL_DW, MVGPU_PIPE_CONTROL_WRITE_IMM |
	   MVGPU_PIPE_CONTROL_GLOBAL_GTT, DATA + 12, 0, 0xcc);
	TB(RB, MVGPU_PIPE_CONTROL, MVGPU_PIPE_CONTROL_CS_STALL, 0, 0, 0, 0);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, RCS, T));
	EXPECT_EQ(0xbb000000aaULL, fake_gr64(self->fx, DATA));
	EXPECT_EQ(0xcc, G32(DATA + 12));
	EXPECT_EQ(1, self->fx->user_irqs);
	EXPECT_EQ(2, self->fx->post_syncs);
}

TEST_F(exec, pipe_control_errors)
{
	TB(RB, MVGPU_PIPE_CONTROL, MVGPU_PIPE_CONTROL_WRITE_IMM |
	   MVGPU_PIPE_CONTROL_GLOBAL_GTT, DATA + 4, 0, 1, 2);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_ADDR_ALIGN, MVGPU_SPACE_RING, 0);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, T));
	EXPECT_ERR(MVGPU_ERR_CMD_ENGINE, MVGPU_SPACE_RING, 0);
	T->ring.off = 0;
	TB(RB, MVGPU_PIPE_CONTROL, 3U << 14, DATA, 0, 1, 2);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_CMD_PARAM, MVGPU_SPACE_RING, 0);
	T->ring.off = 0;
	TB(RB, MVGPU_GFXPIPE(3, 2, 0) | 5, 0, 0, 0, 0, 0, 0);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_CMD_LENGTH, MVGPU_SPACE_RING, 0);
}

TEST_F(exec, semaphore_compare_ops)
{
	static const struct { u32 op, sad, sdd; bool ok; } c[] = {
		{ MVGPU_MI_SEMAPHORE_SAD_GT_SDD, 5, 4, true },
		{ MVGPU_MI_SEMAPHORE_SAD_GT_SDD, 4, 4, false },
		{ MVGPU_MI_SEMAPHORE_SAD_GTE_SDD, 4, 4, true },
		{ MVGPU_MI_SEMAPHORE_SAD_GTE_SDD, 3, 4, false },
		{ MVGPU_MI_SEMAPHORE_SAD_LT_SDD, 3, 4, true },
		{ MVGPU_MI_SEMAPHORE_SAD_LT_SDD, 4, 4, false },
		{ MVGPU_MI_SEMAPHORE_SAD_LTE_SDD, 4, 4, true },
		{ MVGPU_MI_SEMAPHORE_SAD_LTE_SDD, 5, 4, false },
		{ MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 4, 4, true },
		{ MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 0xffffffff, 4, false },
		{ MVGPU_MI_SEMAPHORE_SAD_NEQ_SDD, 0xffffffff, 4, true },
		{ MVGPU_MI_SEMAPHORE_SAD_NEQ_SDD, 4, 4, false },
		{ MVGPU_MI_SEMAPHORE_SAD_GT_SDD, 0x80000000, 1, true },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		u32 head = RB->off;

		fake_gw32(self->fx, DATA, c[i].sad);
		TB(RB, MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_SEMAPHORE_POLL |
		   MVGPU_MI_USE_GGTT | c[i].op, c[i].sdd, DATA, 0);
		go(self, BCS, T);
		EXPECT_EQ(c[i].ok ? SGPU_EXEC_IDLE : SGPU_EXEC_WAITING,
			  self->res.status) {
			TH_LOG("case %u", i);
		}
		if (!c[i].ok) {
			EXPECT_EQ(head, T->ctx.head);
			EXPECT_EQ(0, self->res.cmds);
			/* satisfy it and resume */
			fake_gw32(self->fx, DATA, c[i].sdd);
			if (c[i].op == MVGPU_MI_SEMAPHORE_SAD_GT_SDD)
				fake_gw32(self->fx, DATA, c[i].sdd + 1);
			if (c[i].op == MVGPU_MI_SEMAPHORE_SAD_LT_SDD)
				fake_gw32(self->fx, DATA, c[i].sdd - 1);
			if (c[i].op == MVGPU_MI_SEMAPHORE_SAD_NEQ_SDD)
				fake_gw32(self->fx, DATA, c[i].sdd + 1);
			ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, T));
		}
	}
}

TEST_F(exec, semaphore_never_satisfied_and_errors)
{
	int i;

	TB(RB, MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_USE_GGTT |
	   MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 1, DATA, 0);
	for (i = 0; i < 5; i++)
		ASSERT_EQ(SGPU_EXEC_WAITING, go(self, RCS, T));
	EXPECT_EQ(0, T->ctx.head);

	T->ring.off = 0;
	TB(RB, MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_USE_GGTT | (6U << 12), 1,
	   DATA, 0);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_CMD_PARAM, MVGPU_SPACE_RING, 0);
	T->ring.off = 0;
	TB(RB, MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_USE_GGTT, 1, DATA + 2, 0);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_ADDR_ALIGN, MVGPU_SPACE_RING, 0);
}

TEST_F(exec, batch_first_level)
{
	tb_sdi(&self->a, DATA, 1, true);
	tb_end(&self->a);
	tb_bbs(RB, BB_A, 0);
	tb_sdi(RB, DATA + 4, 2, true);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, RCS, T));
	EXPECT_EQ(1, G32(DATA));
	EXPECT_EQ(2, G32(DATA + 4));
	EXPECT_EQ(4, self->res.cmds);
	EXPECT_EQ(0, sgpu_ctx_level(&T->ctx));
	EXPECT_EQ(5, T->ctx.bb_dwords);	/* SDI 4 + END 1 */
}

TEST_F(exec, batch_second_level_bit_ignored_in_ring)
{
	tb_sdi(&self->a, DATA, 1, true);
	tb_end(&self->a);
	tb_bbs(RB, BB_A, MVGPU_MI_BB_SECOND_LEVEL);
	tb_sdi(RB, DATA + 4, 2, true);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, RCS, T));
	EXPECT_EQ(1, G32(DATA));
	EXPECT_EQ(2, G32(DATA + 4));
}

TEST_F(exec, batch_chained_and_second_level)
{
	/* A: call B (2nd level), then chain to C; B chains to B+0x800 */
	tb_sdi(&self->a, DATA, 1, true);
	tb_bbs(&self->a, BB_B, MVGPU_MI_BB_SECOND_LEVEL);
	tb_sdi(&self->a, DATA + 4, 3, true);
	tb_bbs(&self->a, BB_C, 0);
	tb_sdi(&self->a, DATA + 8, 0xbad, true);	/* never reached */
	tb_sdi(&self->b, DATA + 12, 2, true);
	tb_bbs(&self->b, BB_B + 0x800, 0);
	self->b.off = 0x800;
	tb_sdi(&self->b, DATA + 16, 22, true);
	tb_end(&self->b);
	tb_sdi(&self->c, DATA + 20, 4, true);
	tb_end(&self->c);
	tb_bbs(RB, BB_A, 0);
	tb_sdi(RB, DATA + 24, 5, true);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, RCS, T));
	EXPECT_EQ(1, G32(DATA));
	EXPECT_EQ(3, G32(DATA + 4));
	EXPECT_EQ(0, G32(DATA + 8));
	EXPECT_EQ(2, G32(DATA + 12));
	EXPECT_EQ(22, G32(DATA + 16));
	EXPECT_EQ(4, G32(DATA + 20));
	EXPECT_EQ(5, G32(DATA + 24));
}

TEST_F(exec, batch_nesting_too_deep)
{
	tb_bbs(&self->a, BB_B, MVGPU_MI_BB_SECOND_LEVEL);
	tb_end(&self->a);
	tb_sdi(&self->b, DATA, 1, true);
	tb_bbs(&self->b, BB_C, MVGPU_MI_BB_SECOND_LEVEL);
	tb_end(&self->c);
	tb_bbs(RB, BB_A, 0);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_BB_NESTING, MVGPU_SPACE_GGTT, BB_B + 16);
	EXPECT_EQ(1, G32(DATA));
	EXPECT_EQ(2, sgpu_ctx_level(&T->ctx));
}

TEST_F(exec, batch_ppgtt)
{
	struct tbuf pb;

	tb_init(&pb, self->fx, MVGPU_SPACE_PPGTT, PPVA + 0x1000, self->w.pml4,
		0);
	tb_sdi(&pb, PPVA + 0x300, 9, false);
	tb_bbs(&pb, PPVA + 0x2000, MVGPU_MI_BB_PPGTT | MVGPU_MI_BB_SECOND_LEVEL);
	tb_end(&pb);
	pb.off = 0x1000;
	tb_sdi(&pb, DATA, 10, true);
	tb_end(&pb);
	tb_bbs(PRB, PPVA + 0x1000, MVGPU_MI_BB_PPGTT);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, P));
	EXPECT_EQ(9, G32(PPGGTT + 0x300));
	EXPECT_EQ(10, G32(DATA));
}

TEST_F(exec, batch_ppgtt_in_legacy_32b)
{
	tb_bbs(RB, PPVA, MVGPU_MI_BB_PPGTT);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_NO_PPGTT, MVGPU_SPACE_RING, 0);
	EXPECT_EQ(PPVA, self->res.err.fault_addr);
}

TEST_F(exec, batch_fetch_faults)
{
	tb_bbs(RB, 0x7fff0000, 0);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_GGTT_FAULT, MVGPU_SPACE_GGTT, 0x7fff0000);
	EXPECT_EQ(0, self->res.err.cmd_header);
	EXPECT_EQ(0x7fff0000, self->res.err.fault_addr);
	EXPECT_EQ(1, self->res.cmds);

	/* PPGTT batch whose PDE is not present */
	tb_bbs(PRB, PPVA + 0x1000, MVGPU_MI_BB_PPGTT);
	*fake_ppgtt_entry(self->fx, self->w.pml4, PPVA, 2) = 0;
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, P));
	EXPECT_ERR(MVGPU_ERR_PPGTT_FAULT, MVGPU_SPACE_PPGTT, PPVA + 0x1000);
	EXPECT_EQ(2, self->res.err.level);
}

TEST_F(exec, batch_fetch_hole_mid_command)
{
	/* a command whose second page is not accessible */
	self->a.off = 4096 - 8;
	TB(&self->a, MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, DATA, 0, 1);
	self->fx->hole[fake_ggtt_pfn(self->fx, BB_A + 4096)] = 1;
	tb_bbs(RB, BB_A + 4096 - 8, 0);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_PAGE_FAULT, MVGPU_SPACE_GGTT, BB_A + 4096 - 8);
	EXPECT_EQ(BB_A + 4096, self->res.err.fault_addr);
	EXPECT_EQ(MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT,
		  self->res.err.cmd_header);
}

TEST_F(exec, bb_end_in_ring)
{
	TB(RB, MVGPU_MI_NOOP, MVGPU_MI_BATCH_BUFFER_END);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_BB_END_IN_RING, MVGPU_SPACE_RING, 4);
}

TEST_F(exec, invalid_commands)
{
	static const u32 bad[] = {
		0xe0000000,				/* client 7 */
		0x20000000,				/* client 1 */
		MVGPU_MI_INSTR(0x3f, 0),		/* unknown MI */
		MVGPU_BLT_INSTR(0x7f, 8),		/* unknown 2D */
		MVGPU_GFXPIPE(3, 0, 0) | 2,		/* unknown GFXPIPE */
		MVGPU_GFXPIPE(2, 1, 0x0e) | 7,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		T->ring.off = 0;
		TB(RB, bad[i], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
		ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
		EXPECT_ERR(MVGPU_ERR_INVALID_CMD, MVGPU_SPACE_RING, 0);
		EXPECT_EQ(bad[i], self->res.err.cmd_header);
	}
}

TEST_F(exec, bad_lengths)
{
	static const u32 bad[] = {
		MVGPU_MI_INSTR(0x1c, 3), MVGPU_MI_INSTR(0x29, 1),
		MVGPU_MI_INSTR(0x26, 4), MVGPU_MI_INSTR(0x31, 2),
		MVGPU_BLT_INSTR(0x50, 6), MVGPU_BLT_INSTR(0x53, 7),
		MVGPU_BLT_INSTR(0x42, 9), MVGPU_BLEND + 1,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct sgpu_engine *e = (bad[i] >> 29) == 2 ? BCS : RCS;

		T->ring.off = 0;
		TB(RB, bad[i], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
		ASSERT_EQ(SGPU_EXEC_ERROR, go(self, e, T));
		EXPECT_ERR(MVGPU_ERR_CMD_LENGTH, MVGPU_SPACE_RING, 0);
	}
}

TEST_F(exec, wrong_engine)
{
	tb_color_blt(RB, MVGPU_BR13_DEPTH_32, 64, 0, 0, 1, 1, DATA, 0);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_CMD_ENGINE, MVGPU_SPACE_RING, 0);
	T->ring.off = 0;
	tb_blend(RB, 0, 0, 1, 1, 4, DATA, 4, DATA);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, T));
	EXPECT_ERR(MVGPU_ERR_CMD_ENGINE, MVGPU_SPACE_RING, 0);
}

TEST_F(exec, truncated_by_tail)
{
	TB(RB, MVGPU_MI_NOOP, MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT,
	   DATA);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_CMD_TRUNCATED, MVGPU_SPACE_RING, 4);
	EXPECT_EQ(0, G32(DATA));
}

TEST_F(exec, ring_wraps)
{
	u32 img_head = RING_SZ - 8;

	/* start near the end so the SDI wraps around */
	fake_gw32(self->fx, LRCA + 4 * MVGPU_CTX_RING_HEAD, img_head);
	T->ring.off = img_head;
	tb_sdi(RB, DATA, 0x1234, true);
	tb_sdi(RB, DATA + 4, 0x5678, true);
	ASSERT_EQ(24, RB->off);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, RCS, T));
	EXPECT_EQ(0x1234, G32(DATA));
	EXPECT_EQ(0x5678, G32(DATA + 4));
	EXPECT_EQ(24, T->ctx.head);
}

TEST_F(exec, ring_fetch_fault)
{
	TB(RB, MVGPU_MI_NOOP);
	self->fx->ggtt[RING >> 12] = 0;
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_GGTT_FAULT, MVGPU_SPACE_RING, 0);
	EXPECT_EQ(RING, self->res.err.fault_addr);
}

TEST_F(exec, budget_infinite_batch_loop)
{
	int i;

	TB(&self->a, MVGPU_MI_NOOP);
	tb_bbs(&self->a, BB_A, 0);		/* chains to itself forever */
	tb_bbs(RB, BB_A, 0);
	self->lim.max_cmds = 1000;
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(SGPU_EXEC_BUDGET, go(self, RCS, T));
		EXPECT_EQ(1000, self->res.cmds);
	}
	EXPECT_EQ(1, sgpu_ctx_level(&T->ctx));
}

TEST_F(exec, runaway_batch_chain)
{
	tb_bbs(&self->a, BB_A, 0);
	tb_bbs(RB, BB_A, 0);
	self->lim.max_cmds = 0;
	self->lim.max_batch_dwords = 3000;
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_BB_RUNAWAY, MVGPU_SPACE_GGTT, BB_A);
	EXPECT_EQ(1001, self->res.cmds);
	EXPECT_EQ(3000, T->ctx.bb_dwords);
}

TEST_F(exec, runaway_counter_survives_preemption)
{
	tb_bbs(&self->a, BB_A, 0);
	tb_bbs(RB, BB_A, 0);
	self->lim.max_cmds = 100;
	self->lim.max_batch_dwords = 3000;
	while (go(self, RCS, T) == SGPU_EXEC_BUDGET)
		;
	EXPECT_ERR(MVGPU_ERR_BB_RUNAWAY, MVGPU_SPACE_GGTT, BB_A);
}

/*
 * The byte limit between commands, and within one: a fill of twice the
 * limit is split after the limit's worth of rows, its progress kept.
 */
TEST_F(exec, budget_bytes)
{
	tb_color_blt(RB, MVGPU_BR13_DEPTH_32, 256, 0, 0, 64, 4, DATA, 1);
	tb_color_blt(RB, MVGPU_BR13_DEPTH_32, 256, 0, 4, 64, 12, DATA, 2);
	self->lim.max_bytes = 1024;
	ASSERT_EQ(SGPU_EXEC_BUDGET, go(self, BCS, T));
	EXPECT_EQ(1, self->res.cmds);
	EXPECT_EQ(1024, self->res.bytes);
	EXPECT_EQ(0, T->ctx.blt_rows);
	ASSERT_EQ(SGPU_EXEC_BUDGET, go(self, BCS, T));
	EXPECT_EQ(0, self->res.cmds);
	EXPECT_EQ(1024, self->res.bytes);
	EXPECT_EQ(4, T->ctx.blt_rows);
	EXPECT_EQ(7 * 4, T->ctx.head);		/* still at the fill */
	EXPECT_EQ(2, G32(DATA + 7 * 256));
	EXPECT_EQ(0, G32(DATA + 8 * 256));
	/* the last part completes the ring: idle wins over budget */
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, T));
	EXPECT_EQ(1, self->res.cmds);
	EXPECT_EQ(1024, self->res.bytes);
	EXPECT_EQ(0, T->ctx.blt_rows);
	EXPECT_EQ(2, G32(DATA + 11 * 256));
}

/* A fresh ring at head 0 whose image holds @rows of progress at @at. */
static void fresh_ring(FIXTURE_DATA(exec) *self, u32 rows, u32 at)
{
	RB->off = 0;
	fake_gw32(self->fx, LRCA + 4 * MVGPU_CTX_RING_HEAD, 0);
	fake_gw32(self->fx, LRCA + 4 * MVGPU_CTX_BLT_ROWS, rows);
	fake_gw32(self->fx, LRCA + 4 * MVGPU_CTX_BLT_ADDR, at);
}

/*
 * Progress in an image is checked against the command it resumes: at or
 * beyond its height, or on a command that is never split, the context
 * fails cleanly before touching memory, and the value is not saved back.
 * Where it was not saved (another head), it is ignored.
 */
TEST_F(exec, forged_blit_progress_is_rejected)
{
	static const u32 bad[] = { 8, 9, 0x10000, 0xffffffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		fresh_ring(self, bad[i], 0);
		tb_color_blt(RB, MVGPU_BR13_DEPTH_32, 256, 0, 0, 64, 8, DATA,
			     0x11);
		ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, T));
		EXPECT_ERR(MVGPU_ERR_BAD_CONTEXT, MVGPU_SPACE_RING, 0);
		EXPECT_EQ(0, G32(DATA));
		EXPECT_EQ(0, G32(DATA + 7 * 256 + 252));
		EXPECT_EQ(0, G32(LRCA + 4 * MVGPU_CTX_BLT_ROWS));
		EXPECT_EQ(0, self->res.bytes);
	}
	/* a blend too, and an empty fill, and a command never split */
	fresh_ring(self, 4, 0);
	tb_blend(RB, MVGPU_BLEND_OP_OVER, 0, 16, 4, 64, DATA, 64,
		 DATA + 4096);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, RCS, T));
	EXPECT_ERR(MVGPU_ERR_BAD_CONTEXT, MVGPU_SPACE_RING, 0);
	fresh_ring(self, 1, 0);
	tb_color_blt(RB, MVGPU_BR13_DEPTH_32, 256, 5, 5, 5, 9, DATA, 0x11);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, T));
	EXPECT_ERR(MVGPU_ERR_BAD_CONTEXT, MVGPU_SPACE_RING, 0);
	fresh_ring(self, 1, 0);
	TB(RB, MVGPU_MI_NOOP);
	tb_color_blt(RB, MVGPU_BR13_DEPTH_32, 256, 0, 0, 64, 8, DATA, 0x11);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, BCS, T));
	EXPECT_ERR(MVGPU_ERR_BAD_CONTEXT, MVGPU_SPACE_RING, 0);
	EXPECT_EQ(0, G32(DATA));

	/* saved at another command: stale, the fill runs whole */
	fresh_ring(self, 5, 0x40);
	tb_color_blt(RB, MVGPU_BR13_DEPTH_32, 256, 0, 0, 64, 8, DATA, 0x22);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, T));
	EXPECT_EQ(8 * 256, self->res.bytes);
	EXPECT_EQ(0x22, G32(DATA));
	EXPECT_EQ(0x22, G32(DATA + 7 * 256 + 252));

	/* saved here: the fill goes on from row 5 */
	fresh_ring(self, 5, 0);
	tb_color_blt(RB, MVGPU_BR13_DEPTH_32, 256, 0, 0, 64, 8, DATA, 0x33);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, T));
	EXPECT_EQ(3 * 256, self->res.bytes);
	EXPECT_EQ(0x22, G32(DATA + 4 * 256 + 252));
	EXPECT_EQ(0x33, G32(DATA + 5 * 256));
	EXPECT_EQ(0x33, G32(DATA + 7 * 256 + 252));
	EXPECT_EQ(0, G32(LRCA + 4 * MVGPU_CTX_BLT_ROWS));
}

/*
 * In a second-level batch, with a preemption pending: the split stops
 * the context as PREEMPTED, at the command, whose batch address keys the
 * progress; rows and maps limits split too, after a slice's worth.
 */
TEST_F(exec, split_in_a_batch_is_a_preemption_point)
{
	int parts = 0, i;

	tb_color_blt(&self->b, MVGPU_BR13_DEPTH_8, 0, 0, 0, 1, 2048, DATA, 7);
	tb_end(&self->b);
	tb_bbs(&self->a, BB_B, MVGPU_MI_BB_SECOND_LEVEL);
	tb_end(&self->a);
	tb_bbs(RB, BB_A, 0);
	self->lim.max_cmds = 0;
	self->lim.max_rows = 500;
	self->fx->yield = FAKE_YIELD_ALWAYS;
	while (go(self, BCS, T) == SGPU_EXEC_PREEMPTED && parts < 10) {
		if (!self->res.rows)
			continue;	/* the batch starts */
		parts++;
		EXPECT_EQ(7, fake_gptr(self->fx, DATA)[0]);
		if (!G32(LRCA + 4 * MVGPU_CTX_BLT_ROWS)) {
			/* the last part, then the batch end yields */
			EXPECT_EQ(48, self->res.rows);
			EXPECT_EQ(2, self->res.cmds);
			continue;
		}
		ASSERT_EQ(500, self->res.rows);
		EXPECT_EQ(0, self->res.cmds);
		EXPECT_EQ(2, sgpu_ctx_level(&T->ctx));
		EXPECT_EQ(500 * parts, G32(LRCA + 4 * MVGPU_CTX_BLT_ROWS));
		EXPECT_EQ(BB_B, G32(LRCA + 4 * MVGPU_CTX_BLT_ADDR));
	}
	ASSERT_EQ(SGPU_EXEC_IDLE, self->res.status);
	EXPECT_EQ(5, parts);
	EXPECT_EQ(0, G32(LRCA + 4 * MVGPU_CTX_BLT_ROWS));
	self->fx->yield = FAKE_YIELD_NEVER;

	/* maps: a 1-pixel copy of 2048 rows maps 2 pages a row */
	self->lim.max_rows = 0;
	self->lim.max_maps = 1000;
	RB->off = 0;
	fake_gw32(self->fx, LRCA + 4 * MVGPU_CTX_RING_HEAD, 0);
	for (i = 0; i < 2048; i++)
		fake_gptr(self->fx, DATA + 8192)[2 * i] = (u8)(i * 3 + 1);
	tb_src_copy(RB, MVGPU_BR13_DEPTH_8, 2, 0, 0, 1, 2048, DATA, 0, 0, 2,
		    DATA + 8192);
	parts = 0;
	while (go(self, BCS, T) == SGPU_EXEC_BUDGET && parts < 10) {
		parts++;
		ASSERT_EQ(1000, self->res.maps);
		EXPECT_EQ(500 * parts, G32(LRCA + 4 * MVGPU_CTX_BLT_ROWS));
	}
	ASSERT_EQ(SGPU_EXEC_IDLE, self->res.status);
	EXPECT_EQ(4, parts);
	for (i = 0; i < 2048; i++)
		ASSERT_EQ((u8)(i * 3 + 1), fake_gptr(self->fx, DATA)[2 * i]);
}

TEST_F(exec, budget_rows_maps_and_dwords)
{
	int i;

	/* 2048 rows and maps each: the limit is checked between commands */
	for (i = 0; i < 3; i++)
		tb_color_blt(RB, MVGPU_BR13_DEPTH_8, 0, 0, 0, 1, 2048, DATA, i);
	self->lim.max_rows = 3000;
	ASSERT_EQ(SGPU_EXEC_BUDGET, go(self, BCS, T));
	EXPECT_EQ(2, self->res.cmds);
	EXPECT_EQ(4096, self->res.rows);
	EXPECT_EQ(4096, self->res.maps);
	EXPECT_EQ(4096, self->res.bytes);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, T));
	EXPECT_EQ(1, self->res.cmds);

	self->lim.max_rows = 0;
	self->lim.max_maps = 4097;
	for (i = 0; i < 3; i++)
		tb_src_copy(RB, MVGPU_BR13_DEPTH_8, 0, 0, 0, 1, 2048, DATA, 0,
			    0, 0, DATA + 4096);
	ASSERT_EQ(SGPU_EXEC_BUDGET, go(self, BCS, T));
	EXPECT_EQ(2, self->res.cmds);
	EXPECT_EQ(8192, self->res.maps);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, T));

	self->lim.max_maps = 0;
	self->lim.max_dwords = 300;
	for (i = 0; i < 3; i++) {
		int k;

		TB(RB, MVGPU_MI_LOAD_REGISTER_IMM(128));
		for (k = 0; k < 128; k++)
			TB(RB, 0x4000 + 4 * k, k);
	}
	ASSERT_EQ(SGPU_EXEC_BUDGET, go(self, BCS, T));
	EXPECT_EQ(2, self->res.cmds);
	EXPECT_EQ(2 * 257, self->res.dwords);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, BCS, T));
	EXPECT_EQ(257, self->res.dwords);
}

TEST_F(exec, budget_blended_bytes_are_weighted)
{
	tb_blend(RB, MVGPU_BLEND_OP_OVER, 0, 16, 16, 64, DATA, 64,
		 DATA + 4096);
	tb_blend(RB, MVGPU_BLEND_OP_OVER, 0, 16, 16, 64, DATA, 64,
		 DATA + 4096);
	self->lim.max_bytes = 16 * 16 * 4 * SGPU_BLEND_WEIGHT;
	ASSERT_EQ(SGPU_EXEC_BUDGET, go(self, RCS, T));
	EXPECT_EQ(1, self->res.cmds);
	EXPECT_EQ(16 * 16 * 4 * SGPU_BLEND_WEIGHT, self->res.bytes);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, RCS, T));
}

/*
 * The engine's slice on blits that write little but walk many rows:
 * 4096 copies of 1 x 2048 at 8 bpp, pitch 0 (8M rows, 16M page maps),
 * which one slice of 4096 commands or 8 MiB used to run whole.  Each
 * slice now stops within one command of the map limit, and the slices
 * together do exactly what one run does.
 */
TEST_F(exec, engine_slice_bounds_rows_and_maps_of_cheap_blits)
{
	const struct sgpu_exec_limits slice = {
		.max_cmds = SGPU_SLICE_CMDS, .max_dwords = SGPU_SLICE_DWORDS,
		.max_bytes = SGPU_SLICE_BYTES, .max_rows = SGPU_SLICE_ROWS,
		.max_maps = SGPU_SLICE_MAPS,
	};
	struct tbuf big;
	int i, slices = 0;

	tb_init(&big, self->fx, MVGPU_SPACE_GGTT, PPGGTT, 0, 0);
	for (i = 0; i < 4096; i++)
		tb_src_copy(&big, MVGPU_BR13_DEPTH_8, 0, 0, 0, 1, 2048,
			    DATA + i % 2048, 0, 0, 0, DATA + 4096 + i % 4096);
	tb_end(&big);
	ASSERT_GE(PPSIZE, big.off);
	for (i = 0; i < 4096; i++)
		fake_gptr(self->fx, DATA + 4096)[i] = (u8)(i * 7 + 1);
	tb_bbs(RB, PPGGTT, 0);
	self->lim = slice;
	while (go(self, BCS, T) == SGPU_EXEC_BUDGET) {
		slices++;
		ASSERT_GE(SGPU_SLICE_MAPS + 2 * 2048, self->res.maps);
		ASSERT_GE(SGPU_SLICE_ROWS + 2048, self->res.rows);
	}
	ASSERT_EQ(SGPU_EXEC_IDLE, self->res.status);
	EXPECT_LE(4096 * 2 * 2048 / (SGPU_SLICE_MAPS + 2 * 2048), slices);
	/* byte i of DATA holds the last copy to it: of source byte 2048 + i */
	for (i = 0; i < 2048; i++)
		ASSERT_EQ((u8)((2048 + i) * 7 + 1),
			  fake_gptr(self->fx, DATA)[i]);
}

TEST_F(exec, preempt_at_arb_check)
{
	self->fx->yield = FAKE_YIELD_ALWAYS;
	TB(RB, MVGPU_MI_ARB_CHECK);
	tb_sdi(RB, DATA, 1, true);
	ASSERT_EQ(SGPU_EXEC_PREEMPTED, go(self, RCS, T));
	EXPECT_EQ(0, G32(DATA));
	EXPECT_EQ(4, T->ctx.head);
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, RCS, T));
	EXPECT_EQ(1, G32(DATA));
}

TEST_F(exec, preempt_at_batch_boundaries)
{
	self->fx->yield = FAKE_YIELD_ALWAYS;
	tb_sdi(&self->a, DATA, 1, true);
	tb_end(&self->a);
	tb_bbs(RB, BB_A, 0);
	tb_sdi(RB, DATA + 4, 2, true);
	ASSERT_EQ(SGPU_EXEC_PREEMPTED, go(self, RCS, T));
	EXPECT_EQ(1, sgpu_ctx_level(&T->ctx));
	EXPECT_EQ(BB_A, G32(LRCA + 4 * MVGPU_CTX_BB_ADDR_LO));
	EXPECT_EQ(MVGPU_BB_STATE_ACTIVE, G32(LRCA + 4 * MVGPU_CTX_BB_STATE));
	ASSERT_EQ(SGPU_EXEC_PREEMPTED, go(self, RCS, T));	/* at END */
	EXPECT_EQ(1, G32(DATA));
	EXPECT_EQ(0, sgpu_ctx_level(&T->ctx));
	EXPECT_EQ(0, G32(DATA + 4));
	ASSERT_EQ(SGPU_EXEC_IDLE, go(self, RCS, T));
	EXPECT_EQ(2, G32(DATA + 4));
}

TEST_F(exec, no_ops_callbacks)
{
	static const struct sgpu_exec_ops none = { 0 };
	struct sgpu_engine e = *RCS;

	e.ops = &none;
	TB(RB, MVGPU_MI_USER_INTERRUPT, MVGPU_MI_ARB_CHECK);
	tb_sdi(RB, DATA, 1, true);
	TB(RB, MVGPU_MI_LOAD_REGISTER_IMM(1), 0x2100, 1);
	ASSERT_EQ(SGPU_EXEC_ERROR, go(self, &e, T));
	EXPECT_ERR(MVGPU_ERR_REG_ACCESS, MVGPU_SPACE_RING, 24);
	EXPECT_EQ(1, G32(DATA));
}

/* ---- preemption / budget slicing gives the same result ---------------- */

#define SURF_S	(PPVA + 0x10000)	/* 64x64 32 bpp, pitch 256 */
#define SURF_D	(PPVA + 0x20000)

static void build_workload(struct world *w)
{
	struct tbuf a, a2, b, b2, c;
	u32 i;

	for (i = 0; i < 0x10000; i += 4)
		fake_gw32(&w->fx, PPGGTT + 0x10000 + i, i * 2654435761U);
	tb_init(&a, &w->fx, MVGPU_SPACE_PPGTT, PPVA + 0x1000, w->pml4, 0);
	tb_init(&a2, &w->fx, MVGPU_SPACE_PPGTT, PPVA + 0x2000, w->pml4, 0);
	tb_init(&b, &w->fx, MVGPU_SPACE_GGTT, BB_B, 0, 0);
	tb_init(&b2, &w->fx, MVGPU_SPACE_GGTT, BB_B + 0x1000, 0, 0);
	tb_init(&c, &w->fx, MVGPU_SPACE_GGTT, BB_C, 0, 0);

	/* BCS, LEGACY_64B */
	tb_sdi(&w->p.ring, DATA, 1, true);
	TB(&w->p.ring, MVGPU_MI_ARB_CHECK);
	tb_bbs(&w->p.ring, PPVA + 0x1000, MVGPU_MI_BB_PPGTT);
	tb_sdi(&w->p.ring, DATA + 4, 2, true);
	tb_bbs(&w->p.ring, BB_C, 0);
	TB(&w->p.ring, MVGPU_MI_USER_INTERRUPT, MVGPU_MI_ARB_CHECK);

	tb_color_blt(&a, MVGPU_BR13_DEPTH_32, 256, 3, 5, 60, 50, SURF_D,
		     0x11223344);
	TB(&a, MVGPU_MI_ARB_CHECK);
	tb_bbs(&a, BB_B, MVGPU_MI_BB_SECOND_LEVEL);
	tb_sdi(&a, PPVA + 0x8000, 3, false);
	TB(&a, MVGPU_MI_ARB_CHECK);
	tb_bbs(&a, PPVA + 0x2000, MVGPU_MI_BB_PPGTT);
	tb_src_copy(&a2, MVGPU_BR13_DEPTH_32, 256, 10, 10, 40, 60, SURF_D, 1,
		    2, 256, SURF_S);
	TB(&a2, MVGPU_MI_ARB_CHECK);
	tb_src_copy(&a2, MVGPU_BR13_DEPTH_32, 256, 0, 1, 64, 64, SURF_D, 0,
		    0, 256, SURF_D);		/* overlapping scroll */
	TB(&a2, MVGPU_MI_FLUSH_DW_QW | MVGPU_MI_FLUSH_DW_OP_STOREDW,
	   LO(PPVA + 0x8008), HI(PPVA + 0x8008), 7, 8);
	tb_end(&a2);

	tb_sdi(&b, DATA + 8, 4, true);
	TB(&b, MVGPU_MI_ARB_CHECK);
	tb_fast_copy(&b, MVGPU_FAST_COPY_DEPTH_16, 256, 2, 2, 30, 30, SURF_S,
		     33, 1, 256, SURF_D);
	tb_bbs(&b, BB_B + 0x1000, 0);	/* chained */
	/* a GPR across a preemption point: saved and restored with it */
	TB(&b2, MVGPU_MI_LOAD_REGISTER_IMM(1), BCS_GPR(3), 5);
	TB(&b2, MVGPU_MI_ARB_CHECK);
	TB(&b2, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT, BCS_GPR(3),
	   DATA + 12, 0);
	TB(&b2, MVGPU_MI_ARB_CHECK);
	tb_end(&b2);

	TB(&c, MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_USE_GGTT |
	   MVGPU_MI_SEMAPHORE_SAD_EQ_SDD, 1, DATA, 0);
	tb_sdi(&c, DATA + 16, 6, true);
	tb_end(&c);

	/* RCS, LEGACY_32B: blend the result into GGTT memory */
	tb_init(&c, &w->fx, MVGPU_SPACE_GGTT, BB_C + 0x1000, 0, 0);
	tb_bbs(&w->t.ring, BB_C + 0x1000, 0);
	TB(&w->t.ring, MVGPU_PIPE_CONTROL, MVGPU_PIPE_CONTROL_WRITE_IMM |
	   MVGPU_PIPE_CONTROL_GLOBAL_GTT, DATA + 32, 0, 9, 10);
	tb_blend(&c, MVGPU_BLEND_OP_OVER, 0, 64, 64, 256, PPGGTT + 0x30000,
		 256, PPGGTT + 0x20000);
	TB(&c, MVGPU_MI_ARB_CHECK);
	tb_blend(&c, MVGPU_BLEND_OP_CONST_ALPHA, 77, 64, 32, 256,
		 PPGGTT + 0x30000, 512, PPGGTT + 0x10000);
	TB(&c, MVGPU_MI_ARB_CHECK);
	TB(&c, MVGPU_MI_LOAD_REGISTER_MEM | MVGPU_MI_USE_GGTT, 0x2200,
	   DATA + 16, 0);
	TB(&c, MVGPU_MI_LOAD_REGISTER_MEM | MVGPU_MI_USE_GGTT,
	   MVGPU_RING_GPR(7), DATA + 16, 0);
	tb_end(&c);
}

/* Run both contexts to idle, saving and reloading at every stop. */
static int run_workload(struct world *w, struct sgpu_exec_limits *lim,
			int *stops)
{
	struct tctx *ctxs[2] = { &w->p, &w->t };
	struct sgpu_engine *engs[2] = { &w->bcs, &w->rcs };
	struct sgpu_exec_result res;
	int i;

	*stops = 0;
	for (i = 0; i < 2; i++) {
		if (tctx_submit(ctxs[i]))
			return -1;
		for (;;) {
			fake_run(&w->fx, engs[i], &ctxs[i]->ctx, lim, &res);
			if (sgpu_ctx_save(&ctxs[i]->ctx, &w->fx.mem, NULL))
				return -1;
			if (res.status == SGPU_EXEC_IDLE)
				break;
			if (res.status != SGPU_EXEC_PREEMPTED &&
			    res.status != SGPU_EXEC_BUDGET)
				return -1;
			(*stops)++;
			if (sgpu_ctx_load(&ctxs[i]->ctx, &w->fx.mem,
					  ctxs[i]->desc, NULL))
				return -1;
		}
	}
	return 0;
}

TEST(preemption_resumes_exactly)
{
	static const struct { enum fake_yield y; int every; u32 max_cmds; }
	modes[] = {
		{ FAKE_YIELD_ALWAYS, 0, 0 },
		{ FAKE_YIELD_EVERY, 2, 0 },
		{ FAKE_YIELD_EVERY, 3, 0 },
		{ FAKE_YIELD_NEVER, 0, 1 },
		{ FAKE_YIELD_NEVER, 0, 2 },
		{ FAKE_YIELD_EVERY, 2, 3 },
	};
	struct sgpu_exec_limits lim = { 0 };
	struct world ref, w;
	unsigned int m;
	int stops;

	world_init(&ref);
	build_workload(&ref);
	ASSERT_EQ(0, run_workload(&ref, &lim, &stops));
	ASSERT_EQ(0, stops);
	EXPECT_EQ(1, ref.fx.user_irqs);
	EXPECT_EQ(6, fake_gr32(&ref.fx, DATA + 16));
	EXPECT_EQ(5, fake_gr32(&ref.fx, DATA + 12));
	EXPECT_EQ(6, ref.fx.regs[0x2200 / 4]);
	EXPECT_EQ(6, fake_gr32(&ref.fx, LRCA + 4 * MVGPU_CTX_GPR(7)));
	EXPECT_EQ(5, fake_gr32(&ref.fx, LRCA2 + 4 * MVGPU_CTX_GPR(3)));

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		world_init(&w);
		build_workload(&w);
		w.fx.yield = modes[m].y;
		w.fx.yield_every = modes[m].every;
		lim.max_cmds = modes[m].max_cmds;
		ASSERT_EQ(0, run_workload(&w, &lim, &stops));
		EXPECT_LT(5, stops);
		EXPECT_EQ(0, memcmp(ref.fx.phys, w.fx.phys,
				    ref.fx.npages * FAKE_PAGE)) {
			TH_LOG("mode %u differs", m);
		}
		EXPECT_EQ(0, memcmp(ref.fx.regs, w.fx.regs,
				    FAKE_NREGS * sizeof(u32)));
		EXPECT_EQ(ref.fx.user_irqs, w.fx.user_irqs);
		EXPECT_EQ(0, w.fx.lifo_errors);
		EXPECT_EQ(0, w.fx.depth);
		fake_fini(&w.fx);
	}
	fake_fini(&ref.fx);
}

TEST_HARNESS_MAIN
