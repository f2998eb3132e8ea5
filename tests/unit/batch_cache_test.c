// SPDX-License-Identifier: GPL-2.0-only
/*
 * gvt/batch_cache.c with the scanner it serves (gvt/cmd_parser.c), on the
 * fake guest memory of tests/fuzz/cmd_parser_fake.h: an unchanged batch
 * is compared, not scanned; a batch changed in any byte is scanned again
 * (and a forbidden command in it rejected); what runs is the bytes
 * compared, whatever the guest writes after the copy; the bounds (16 KiB,
 * no nested batch start, 8 contexts, engine and PPGTT mode); forgetting a
 * context, an engine, everything; and the workload limits still hold for
 * a known batch.
 */
#include "kselftest_harness.h"

#include "batch_cache.h"
#include "../fuzz/cmd_parser_fake.h"
#include "shim_state.h"

#define NDW(...) (sizeof((const u32[]){ __VA_ARGS__ }) / 4)
#define LO(a)	((u32)(a))
#define HI(a)	((u32)((u64)(a) >> 32))

#define D	(CSF_APER + 0x2000)
#define BB_A	(CSF_APER + 0x10000)
#define BB_B	(CSF_APER + 0x20000)

#define SDI_G(a, v)	MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, LO(a), HI(a), (v)
#define BBS(a, fl)	MVGPU_MI_BATCH_BUFFER_START | (fl), LO(a), HI(a)
#define BBE		MVGPU_MI_BATCH_BUFFER_END
#define NOOP		MVGPU_MI_NOOP
#define LRI_GDRST	MVGPU_MI_LOAD_REGISTER_IMM(1), MVGPU_GDRST, MVGPU_GDRST_RENDER

/* The fake scanner caller (first, so that its ops find it) and a cache. */
struct bct {
	struct csf f;
	struct mvgpu_batch_cache bc;
	struct mvgpu_bc_key key;
	u32 ring[64];
	u32 n;
	int stored;
};

static const void *bct_known(void *priv, const struct mvgpu_shadow_buf *buf,
			     struct mvgpu_cmd_verdict *v)
{
	struct bct *t = priv;

	return mvgpu_batch_cache_find(&t->bc, &t->key, buf->guest_space,
				      buf->guest_addr, v);
}

static void bct_scanned(void *priv, const struct mvgpu_shadow_buf *buf,
			const struct mvgpu_cmd_verdict *v)
{
	struct bct *t = priv;

	t->stored++;
	mvgpu_batch_cache_store(&t->bc, &t->key, buf->guest_space,
				buf->guest_addr, buf->va, v);
}

static const struct mvgpu_cmd_ops bct_ops = {
	.copy_in = csf_copy_in,
	.shadow_alloc = csf_alloc,
	.shadow_grow = csf_grow,
	.shadow_place = csf_place,
	.batch_known = bct_known,
	.batch_scanned = bct_scanned,
};

FIXTURE(bc) {
	struct bct t;
};

FIXTURE_SETUP(bc)
{
	csf_init(&self->t.f, MVGPU_ENGINE_BCS, false);
	self->t.f.s.ops = &bct_ops;
	mvgpu_batch_cache_init(&self->t.bc);
	self->t.key.lrca = 0x1000;
	self->t.key.engine = MVGPU_ENGINE_BCS;
	self->t.key.ppgtt = false;
	self->t.ring[0] = MVGPU_MI_BATCH_BUFFER_START;
	self->t.ring[1] = LO(BB_A);
	self->t.ring[2] = HI(BB_A);
	self->t.ring[3] = NOOP;
	self->t.n = 4;
}

FIXTURE_TEARDOWN(bc)
{
	EXPECT_EQ(0, self->t.f.contract_errors);
	mvgpu_batch_cache_clear(&self->t.bc);
	EXPECT_EQ(0, atomic64_read(&self->t.bc.bytes));
	csf_fini(&self->t.f);
}

/* Scan the ring (a fresh copy: the scan patches it) with fresh shadows. */
static int scan(struct bct *t)
{
	u32 ring[64];

	memcpy(ring, t->ring, 4 * t->n);
	csf_release_bufs(&t->f);
	return mvgpu_cmd_scan_ring(&t->f.s, ring, 4 * t->n, &t->f.res);
}

#define PUT(t, ga, ...) \
	csf_gput(&(t)->f, ga, (const u32[]){ __VA_ARGS__ }, NDW(__VA_ARGS__))

/* Accept, with the shadows the guest's bytes; @known: compared. */
#define ACCEPT(known_) do {						\
	ASSERT_EQ(0, scan(&self->t)) {					\
		TH_LOG("rejected: %s",					\
		       mvgpu_cmd_reason_str(self->t.f.res.reason));	\
	}								\
	EXPECT_EQ(known_, self->t.f.res.known);				\
	EXPECT_EQ(1, self->t.f.res.batches);				\
	EXPECT_EQ(1, self->t.f.nbufs);					\
	EXPECT_TRUE(self->t.f.bufs[0]->placed);				\
	EXPECT_TRUE(csf_same_as_guest(&self->t.f, self->t.f.bufs[0]));	\
} while (0)

TEST_F(bc, unchanged_batch_is_compared_not_scanned)
{
	u32 cmds;

	PUT(&self->t, BB_A, SDI_G(D, 1), SDI_G(D + 8, 2), NOOP, BBE);
	ACCEPT(0);
	EXPECT_EQ(1, self->t.stored);
	cmds = self->t.f.res.cmds;
	EXPECT_EQ(6, cmds);	/* ring: start, NOOP; batch: 4 */
	EXPECT_EQ(40, atomic64_read(&self->t.bc.bytes));
	ACCEPT(1);
	EXPECT_EQ(1, self->t.stored);	/* not scanned, so not stored */
	EXPECT_EQ(cmds, self->t.f.res.cmds);
	EXPECT_EQ(40, self->t.f.res.batch_bytes);
	EXPECT_EQ(40, self->t.f.bufs[0]->b.len);
	ACCEPT(1);
}

TEST_F(bc, batch_rewritten_with_a_forbidden_command_is_rejected)
{
	PUT(&self->t, BB_A, SDI_G(D, 1), BBE);
	ACCEPT(0);
	ACCEPT(1);
	/* the same length: a cache that looked at lengths would pass it */
	PUT(&self->t, BB_A, LRI_GDRST, NOOP, BBE);
	ASSERT_GT(0, scan(&self->t));
	EXPECT_EQ(MVGPU_CMD_R_REGISTER, self->t.f.res.reason);
	EXPECT_EQ(0, self->t.f.res.known);
	/* and the context's entry is gone once its work is refused */
	mvgpu_batch_cache_forget_ctx(&self->t.bc, self->t.key.lrca);
	EXPECT_EQ(0, atomic64_read(&self->t.bc.bytes));
}

TEST_F(bc, one_changed_byte_is_scanned_again)
{
	PUT(&self->t, BB_A, SDI_G(D, 1), SDI_G(D + 4, 2), BBE);
	ACCEPT(0);
	/* a store outside the vGPU's memory, in the last store's address */
	PUT(&self->t, BB_A + 20, LO(CSF_APER + CSF_APER_SIZE));
	ASSERT_GT(0, scan(&self->t));
	EXPECT_EQ(MVGPU_CMD_R_ADDRESS, self->t.f.res.reason);
	EXPECT_EQ(0, self->t.f.res.known);
	/* a good change: scanned, kept, then compared */
	PUT(&self->t, BB_A + 20, LO(D + 12));
	ACCEPT(0);
	EXPECT_EQ(2, self->t.stored);
	ACCEPT(1);
}

/* The guest rewrites each page once it was copied in. */
static void evil_rewrite(struct csf *f, enum mvgpu_cmd_space space, u64 addr,
			 u32 len)
{
	const u32 bad[] = { LRI_GDRST, NOOP };
	u32 i;

	for (i = 0; i + sizeof(bad) <= len; i += sizeof(bad))
		memcpy(f->gmem + addr + i, bad, sizeof(bad));
}

TEST_F(bc, what_runs_is_what_was_compared)
{
	const u32 good[] = { SDI_G(D, 1), NOOP, NOOP, NOOP, BBE };
	struct csf_buf *cb;

	PUT(&self->t, BB_A, SDI_G(D, 1), NOOP, NOOP, NOOP, BBE);
	ACCEPT(0);
	self->t.f.after_copy = evil_rewrite;
	ASSERT_EQ(0, scan(&self->t));
	EXPECT_EQ(1, self->t.f.res.known);
	EXPECT_EQ(MVGPU_MI_LOAD_REGISTER_IMM(1),
		  *(u32 *)csf_gptr(&self->t.f, BB_A));
	cb = self->t.f.bufs[0];
	ASSERT_TRUE(cb->placed);
	EXPECT_EQ(sizeof(good), cb->snap_len);
	EXPECT_EQ(0, memcmp(cb->snap, good, sizeof(good)));
	/* next time the guest's new bytes are compared, found different */
	self->t.f.after_copy = NULL;
	ASSERT_GT(0, scan(&self->t));
	EXPECT_EQ(MVGPU_CMD_R_REGISTER, self->t.f.res.reason);
}

/* A batch of @bytes: NOOPs, then the end. */
static void put_noops(struct bct *t, u64 ga, u32 bytes)
{
	u32 i, nop = NOOP, end = BBE;

	for (i = 0; i + 4 < bytes; i += 4)
		csf_gput(&t->f, ga + i, &nop, 1);
	csf_gput(&t->f, ga + i, &end, 1);
}

TEST_F(bc, batches_up_to_16k_are_kept)
{
	put_noops(&self->t, BB_A, MVGPU_BC_MAX_BYTES);
	ACCEPT(0);
	ACCEPT(1);
	EXPECT_EQ(MVGPU_BC_MAX_BYTES / 4 + 2, self->t.f.res.cmds);
	put_noops(&self->t, BB_A, MVGPU_BC_MAX_BYTES + 4);
	ACCEPT(0);
	ACCEPT(0);
	EXPECT_EQ(0, atomic64_read(&self->t.bc.bytes));
}

TEST_F(bc, batch_starting_another_is_not_kept)
{
	PUT(&self->t, BB_B, NOOP, BBE);
	PUT(&self->t, BB_A, NOOP, BBS(BB_B, MVGPU_MI_BB_SECOND_LEVEL), BBE);
	ASSERT_EQ(0, scan(&self->t));
	ASSERT_EQ(0, scan(&self->t));
	EXPECT_EQ(0, self->t.f.res.known);
	EXPECT_EQ(0, self->t.stored);
	PUT(&self->t, BB_A, NOOP, BBS(BB_B, 0));	/* chained */
	ASSERT_EQ(0, scan(&self->t));
	ASSERT_EQ(0, scan(&self->t));
	EXPECT_EQ(0, self->t.f.res.known);
	EXPECT_EQ(0, self->t.stored);
	EXPECT_EQ(0, atomic64_read(&self->t.bc.bytes));
}

TEST_F(bc, another_engine_or_ppgtt_mode_scans_again)
{
	PUT(&self->t, BB_A, SDI_G(D, 1), BBE);
	ACCEPT(0);
	self->t.key.ppgtt = true;
	self->t.f.s.ppgtt = true;
	ACCEPT(0);
	ACCEPT(1);
	self->t.key.engine = MVGPU_ENGINE_RCS;
	self->t.f.s.engine = MVGPU_ENGINE_RCS;
	ACCEPT(0);
	ACCEPT(1);
}

TEST_F(bc, eight_contexts_the_least_recently_used_goes)
{
	unsigned int i;

	PUT(&self->t, BB_A, SDI_G(D, 1), BBE);
	for (i = 0; i < MVGPU_BC_CTXS; i++) {
		self->t.key.lrca = 0x10000 + 0x1000 * i;
		ACCEPT(0);
	}
	for (i = 1; i < MVGPU_BC_CTXS; i++) {
		self->t.key.lrca = 0x10000 + 0x1000 * i;
		ACCEPT(1);
	}
	self->t.key.lrca = 0x90000;	/* a ninth: context 0 goes */
	ACCEPT(0);
	ACCEPT(1);
	self->t.key.lrca = 0x10000;
	ACCEPT(0);
	self->t.key.lrca = 0x11000;	/* went for the one just above */
	ACCEPT(0);
	EXPECT_EQ(MVGPU_BC_CTXS * 20, atomic64_read(&self->t.bc.bytes));
}

/*
 * A batch too long to keep costs no other context its place: the eight
 * contexts the cache holds all still find theirs.
 */
TEST_F(bc, a_batch_too_long_to_keep_evicts_nothing)
{
	unsigned int i;

	PUT(&self->t, BB_A, SDI_G(D, 1), BBE);
	for (i = 0; i < MVGPU_BC_CTXS; i++) {
		self->t.key.lrca = 0x10000 + 0x1000 * i;
		ACCEPT(0);
	}
	put_noops(&self->t, BB_B, MVGPU_BC_MAX_BYTES + 4);
	self->t.ring[1] = LO(BB_B);
	self->t.ring[2] = HI(BB_B);
	self->t.key.lrca = 0x90000;
	ACCEPT(0);
	ACCEPT(0);
	self->t.ring[1] = LO(BB_A);
	self->t.ring[2] = HI(BB_A);
	for (i = 0; i < MVGPU_BC_CTXS; i++) {
		self->t.key.lrca = 0x10000 + 0x1000 * i;
		ACCEPT(1);
	}
}

TEST_F(bc, batches_of_a_context_each_kept)
{
	unsigned int i;

	for (i = 0; i < MVGPU_BC_BATCHES + 1; i++)
		PUT(&self->t, BB_A + 0x1000 * i, SDI_G(D, i), BBE);
	for (i = 0; i < MVGPU_BC_BATCHES; i++) {
		self->t.ring[1] = LO(BB_A + 0x1000 * i);
		ACCEPT(0);
	}
	for (i = 0; i < MVGPU_BC_BATCHES; i++) {
		self->t.ring[1] = LO(BB_A + 0x1000 * i);
		ACCEPT(1);
	}
	self->t.ring[1] = LO(BB_A + 0x1000 * MVGPU_BC_BATCHES);
	ACCEPT(0);
	ACCEPT(1);
	self->t.ring[1] = LO(BB_A);	/* replaced by the one above */
	ACCEPT(0);
}

TEST_F(bc, forgetting_a_context_an_engine_or_all)
{
	PUT(&self->t, BB_A, SDI_G(D, 1), BBE);
	ACCEPT(0);
	mvgpu_batch_cache_forget_ctx(&self->t.bc, self->t.key.lrca + 0x1000);
	ACCEPT(1);
	mvgpu_batch_cache_forget_ctx(&self->t.bc, self->t.key.lrca);
	ACCEPT(0);
	mvgpu_batch_cache_forget_engine(&self->t.bc, MVGPU_ENGINE_RCS);
	ACCEPT(1);
	mvgpu_batch_cache_forget_engine(&self->t.bc, MVGPU_ENGINE_BCS);
	EXPECT_EQ(0, atomic64_read(&self->t.bc.bytes));
	ACCEPT(0);
	mvgpu_batch_cache_clear(&self->t.bc);
	EXPECT_EQ(0, atomic64_read(&self->t.bc.bytes));
	ACCEPT(0);
}

TEST_F(bc, a_known_batch_still_counts_against_the_byte_limit)
{
	PUT(&self->t, BB_A, SDI_G(D, 1), SDI_G(D, 2), BBE);
	ACCEPT(0);
	self->t.f.s.max_bytes = 32;
	ASSERT_GT(0, scan(&self->t));
	EXPECT_EQ(MVGPU_CMD_R_CHAIN, self->t.f.res.reason);
	EXPECT_EQ(0, self->t.f.res.known);
	self->t.f.s.max_bytes = 36;
	ACCEPT(1);
}

TEST_F(bc, unreadable_known_batch_is_rejected_as_a_scan_would)
{
	PUT(&self->t, BB_A, SDI_G(D, 1), BBE);
	ACCEPT(0);
	self->t.f.hole[BB_A / CSF_PAGE] = 1;
	ASSERT_GT(0, scan(&self->t));
	EXPECT_EQ(MVGPU_CMD_R_COPY, self->t.f.res.reason);
	EXPECT_EQ(BB_A, self->t.f.res.value);
	EXPECT_EQ(0, self->t.f.res.known);
}

TEST_F(bc, no_memory_for_a_copy_only_costs_a_scan)
{
	PUT(&self->t, BB_A, SDI_G(D, 1), BBE);
	shim_state.fail_countdown = 1;
	ACCEPT(0);
	EXPECT_EQ(1, self->t.stored);
	EXPECT_EQ(0, atomic64_read(&self->t.bc.bytes));
	ACCEPT(0);
	ACCEPT(1);
}

TEST_HARNESS_MAIN
