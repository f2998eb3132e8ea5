// SPDX-License-Identifier: GPL-2.0-only
/*
 * sgpu/context.c: context descriptor and image decode/encode, load and
 * save through the GGTT, every BAD_CONTEXT case, error status encoding.
 */
#include "kselftest_harness.h"
#include "sgpu_fake.h"

#define LRCA	0x3000

FIXTURE(ctx) {
	struct fake fx;
	u32 img[MVGPU_CTX_DWORDS];
	u64 desc;
};

FIXTURE_SETUP(ctx)
{
	fake_init(&self->fx, 64, 0, false);
	memset(self->img, 0, sizeof(self->img));
	self->img[MVGPU_CTX_RING_HEAD] = 0x40;
	self->img[MVGPU_CTX_RING_TAIL] = 0x1ff8;
	self->img[MVGPU_CTX_RING_START] = 0x8000;
	self->img[MVGPU_CTX_RING_CTL] = MVGPU_RING_CTL_SIZE(0x2000) |
					MVGPU_RING_CTL_VALID;
	self->img[MVGPU_CTX_PML4_LO] = 0x5000;
	self->img[MVGPU_CTX_PML4_HI] = 0x12;
	self->desc = MVGPU_CTX_DESC(LRCA, MVGPU_CTX_MODE_LEGACY_64B, 0xabcd);
}

FIXTURE_TEARDOWN(ctx)
{
	EXPECT_EQ(0, self->fx.depth);
	EXPECT_EQ(0, self->fx.lifo_errors);
	fake_fini(&self->fx);
}

static int decode(FIXTURE_DATA(ctx) *self, struct sgpu_ctx *c,
		  struct sgpu_error *err)
{
	return sgpu_ctx_decode(c, self->desc, self->img, err);
}

TEST_F(ctx, decode_valid)
{
	struct sgpu_ctx c;

	ASSERT_EQ(0, decode(self, &c, NULL));
	EXPECT_EQ(0xabcd, c.ctx_id);
	EXPECT_EQ(LRCA, c.lrca);
	EXPECT_TRUE(c.ppgtt);
	EXPECT_EQ(0x1200005000ULL, c.pml4);
	EXPECT_EQ(0x8000, c.ring_start);
	EXPECT_EQ(0x2000, c.ring_size);
	EXPECT_EQ(0x40, c.head);
	EXPECT_EQ(0x1ff8, c.tail);
	EXPECT_EQ(0, sgpu_ctx_level(&c));

	self->desc = MVGPU_CTX_DESC(LRCA, MVGPU_CTX_MODE_LEGACY_32B, 1) |
		     MVGPU_CTX_DESC_PRIVILEGE | MVGPU_CTX_DESC_FORCE_RESTORE;
	ASSERT_EQ(0, decode(self, &c, NULL));
	EXPECT_FALSE(c.ppgtt);
}

TEST_F(ctx, max_ring)
{
	struct sgpu_ctx c;

	self->img[MVGPU_CTX_RING_CTL] = MVGPU_RING_CTL_SIZE(MVGPU_RING_MAX_SIZE) |
					MVGPU_RING_CTL_VALID;
	self->img[MVGPU_CTX_RING_TAIL] = MVGPU_RING_MAX_SIZE - 4;
	ASSERT_EQ(0, decode(self, &c, NULL));
	EXPECT_EQ(MVGPU_RING_MAX_SIZE, c.ring_size);
}

TEST_F(ctx, batch_state)
{
	struct sgpu_ctx c;

	self->img[MVGPU_CTX_BB_ADDR_LO] = 0x1000;
	self->img[MVGPU_CTX_BB_ADDR_HI] = 0x7f;
	self->img[MVGPU_CTX_BB_STATE] = MVGPU_BB_STATE_ACTIVE |
					MVGPU_BB_STATE_PPGTT | 0x100;
	ASSERT_EQ(0, decode(self, &c, NULL));
	EXPECT_EQ(1, sgpu_ctx_level(&c));
	EXPECT_EQ(0x7f00001000ULL, c.bb[0].addr);
	EXPECT_EQ(MVGPU_BB_STATE_ACTIVE | MVGPU_BB_STATE_PPGTT, c.bb[0].state);
	self->img[MVGPU_CTX_SBB_STATE] = MVGPU_BB_STATE_ACTIVE;
	ASSERT_EQ(0, decode(self, &c, NULL));
	EXPECT_EQ(2, sgpu_ctx_level(&c));
	/* an inactive level's PPGTT bit is dropped */
	self->img[MVGPU_CTX_SBB_STATE] = MVGPU_BB_STATE_PPGTT;
	ASSERT_EQ(0, decode(self, &c, NULL));
	EXPECT_EQ(0, c.bb[1].state);
}

struct bad_case {
	const char *what;
	u32 dw;
	u32 val;
};

TEST_F(ctx, bad_images)
{
	static const struct bad_case cases[] = {
		{ "ring not valid", MVGPU_CTX_RING_CTL, 0 },
		{ "ring start misaligned", MVGPU_CTX_RING_START, 0x8004 },
		{ "ring past 4 GiB", MVGPU_CTX_RING_START, 0xfffff000 },
		{ "head misaligned", MVGPU_CTX_RING_HEAD, 0x42 },
		{ "head past ring", MVGPU_CTX_RING_HEAD, 0x2000 },
		{ "tail misaligned", MVGPU_CTX_RING_TAIL, 0x41 },
		{ "tail past ring", MVGPU_CTX_RING_TAIL, 0x2004 },
		{ "second level without first", MVGPU_CTX_SBB_STATE,
		  MVGPU_BB_STATE_ACTIVE },
		{ "batch misaligned", MVGPU_CTX_BB_ADDR_LO, 0x1002 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sgpu_error err;
		struct sgpu_ctx c;
		u32 saved = self->img[cases[i].dw];

		self->img[cases[i].dw] = cases[i].val;
		if (cases[i].dw == MVGPU_CTX_BB_ADDR_LO)
			self->img[MVGPU_CTX_BB_STATE] = MVGPU_BB_STATE_ACTIVE;
		EXPECT_EQ(-EINVAL, decode(self, &c, &err)) {
			TH_LOG("%s", cases[i].what);
		}
		EXPECT_EQ(MVGPU_ERR_BAD_CONTEXT, err.code);
		EXPECT_EQ(MVGPU_ERR_BAD_CONTEXT, c.error);
		EXPECT_EQ(0xabcd, err.ctx_id);
		self->img[cases[i].dw] = saved;
		self->img[MVGPU_CTX_BB_STATE] = 0;
	}
}

TEST_F(ctx, bad_descriptors)
{
	struct sgpu_error err;
	struct sgpu_ctx c;
	u64 mode;

	self->desc &= ~MVGPU_CTX_DESC_VALID;
	EXPECT_EQ(-EINVAL, decode(self, &c, &err));
	EXPECT_EQ(MVGPU_ERR_BAD_CONTEXT, err.code);
	for (mode = 0; mode < 4; mode += 2) {
		self->desc = MVGPU_CTX_DESC(LRCA, mode, 7);
		EXPECT_EQ(-EINVAL, decode(self, &c, &err));
		EXPECT_EQ(7, err.ctx_id);
	}
}

TEST_F(ctx, encode_round_trip)
{
	struct sgpu_ctx c, d;
	u32 img2[MVGPU_CTX_DWORDS];
	int i;

	ASSERT_EQ(0, decode(self, &c, NULL));
	c.head = 0x100;
	c.bb[0].addr = 0x123456789cULL;
	c.bb[0].state = MVGPU_BB_STATE_ACTIVE | MVGPU_BB_STATE_PPGTT;
	c.bb[1].addr = 0xabc0;
	c.bb[1].state = MVGPU_BB_STATE_ACTIVE;
	c.bb_dwords = 77;
	c.error = MVGPU_ERR_CMD_PARAM;
	for (i = 0; i < MVGPU_RING_GPR_DWORDS; i++)
		c.gpr[i] = 0x9e3779b9U * (i + 1);
	memcpy(img2, self->img, sizeof(img2));
	sgpu_ctx_encode(&c, img2);
	ASSERT_EQ(0, sgpu_ctx_decode(&d, self->desc, img2, NULL));
	EXPECT_EQ(0, memcmp(&c, &d, sizeof(c)));
	/* driver-owned fields are untouched */
	EXPECT_EQ(self->img[MVGPU_CTX_RING_TAIL], img2[MVGPU_CTX_RING_TAIL]);
	EXPECT_EQ(self->img[MVGPU_CTX_RING_START], img2[MVGPU_CTX_RING_START]);
	EXPECT_EQ(self->img[MVGPU_CTX_PML4_LO], img2[MVGPU_CTX_PML4_LO]);
}

TEST_F(ctx, gprs_are_in_the_image)
{
	u32 img2[MVGPU_CTX_DWORDS];
	struct sgpu_ctx c;
	int i;

	/* dwords 16..47, after the split blit's progress; one page holds it */
	ASSERT_EQ(48, MVGPU_CTX_DWORDS);
	ASSERT_EQ(16, MVGPU_CTX_GPR(0));
	ASSERT_EQ(MVGPU_CTX_DWORDS - 1, MVGPU_CTX_GPR(MVGPU_RING_GPR_DWORDS - 1));
	for (i = 0; i < MVGPU_RING_GPR_DWORDS; i++)
		self->img[MVGPU_CTX_GPR(i)] = 0x5000 + i;
	ASSERT_EQ(0, decode(self, &c, NULL));
	for (i = 0; i < MVGPU_RING_GPR_DWORDS; i++)
		EXPECT_EQ(0x5000 + i, c.gpr[i]);

	/* GPU-updated: encode stores them, and no progress in dwords 14..15 */
	for (i = 0; i < MVGPU_RING_GPR_DWORDS; i++)
		c.gpr[i] = ~(u32)i;
	memset(img2, 0xee, sizeof(img2));
	sgpu_ctx_encode(&c, img2);
	for (i = 0; i < MVGPU_RING_GPR_DWORDS; i++)
		EXPECT_EQ(~(u32)i, img2[MVGPU_CTX_GPR(i)]);
	ASSERT_EQ(14, MVGPU_CTX_BLT_ROWS);
	ASSERT_EQ(15, MVGPU_CTX_BLT_ADDR);
	EXPECT_EQ(0, img2[MVGPU_CTX_BLT_ROWS]);
	EXPECT_EQ(0, img2[MVGPU_CTX_BLT_ADDR]);
}

/*
 * A split command's progress is saved with the position of the command,
 * and loads only where it was saved: a driver that moved the head or the
 * batch state leaves it behind.
 */
TEST_F(ctx, blit_progress_holds_only_where_it_was_saved)
{
	u32 img2[MVGPU_CTX_DWORDS];
	struct sgpu_ctx c, d;

	ASSERT_EQ(0, decode(self, &c, NULL));
	EXPECT_EQ(0, c.blt_rows);
	c.head = 0x40;
	c.blt_rows = 123;
	memcpy(img2, self->img, sizeof(img2));
	sgpu_ctx_encode(&c, img2);
	EXPECT_EQ(123, img2[MVGPU_CTX_BLT_ROWS]);
	EXPECT_EQ(0x40, img2[MVGPU_CTX_BLT_ADDR]);
	ASSERT_EQ(0, sgpu_ctx_decode(&d, self->desc, img2, NULL));
	EXPECT_EQ(123, d.blt_rows);

	/* in a batch: the address of the deepest level's command */
	c.bb[0].addr = 0x123456789cULL;
	c.bb[0].state = MVGPU_BB_STATE_ACTIVE;
	sgpu_ctx_encode(&c, img2);
	EXPECT_EQ(0x3456789c, img2[MVGPU_CTX_BLT_ADDR]);
	ASSERT_EQ(0, sgpu_ctx_decode(&d, self->desc, img2, NULL));
	EXPECT_EQ(123, d.blt_rows);

	/* the driver moved the head, or left the batch: stale, dropped */
	img2[MVGPU_CTX_BB_STATE] = 0;
	ASSERT_EQ(0, sgpu_ctx_decode(&d, self->desc, img2, NULL));
	EXPECT_EQ(0, d.blt_rows);
	img2[MVGPU_CTX_BLT_ADDR] = 0x40;
	img2[MVGPU_CTX_RING_HEAD] = 0x80;
	ASSERT_EQ(0, sgpu_ctx_decode(&d, self->desc, img2, NULL));
	EXPECT_EQ(0, d.blt_rows);
	img2[MVGPU_CTX_RING_HEAD] = 0x40;
	ASSERT_EQ(0, sgpu_ctx_decode(&d, self->desc, img2, NULL));
	EXPECT_EQ(123, d.blt_rows);

	/* a command that completes saves no progress */
	c.blt_rows = 0;
	sgpu_ctx_encode(&c, img2);
	EXPECT_EQ(0, img2[MVGPU_CTX_BLT_ROWS]);
	EXPECT_EQ(0, img2[MVGPU_CTX_BLT_ADDR]);
}

TEST_F(ctx, save_writes_the_gprs_and_nothing_past_the_image)
{
	struct sgpu_ctx c;
	int i;

	fake_gwrite(&self->fx, LRCA, self->img, sizeof(self->img));
	fake_gw32(&self->fx, LRCA + 4 * MVGPU_CTX_DWORDS, 0x77777777);
	ASSERT_EQ(0, sgpu_ctx_load(&c, &self->fx.mem, self->desc, NULL));
	for (i = 0; i < MVGPU_RING_GPR_DWORDS; i++)
		EXPECT_EQ(0, c.gpr[i]);
	c.gpr[0] = 0x600d;
	c.gpr[31] = 0xf00d;
	ASSERT_EQ(0, sgpu_ctx_save(&c, &self->fx.mem, NULL));
	EXPECT_EQ(0x600d, fake_gr32(&self->fx, LRCA + 4 * MVGPU_CTX_GPR(0)));
	EXPECT_EQ(0xf00d, fake_gr32(&self->fx, LRCA + 4 * MVGPU_CTX_GPR(31)));
	EXPECT_EQ(0x77777777, fake_gr32(&self->fx, LRCA + 4 * MVGPU_CTX_DWORDS));
	ASSERT_EQ(0, sgpu_ctx_load(&c, &self->fx.mem, self->desc, NULL));
	EXPECT_EQ(0x600d, c.gpr[0]);
	EXPECT_EQ(0xf00d, c.gpr[31]);
}

TEST_F(ctx, load_save_through_ggtt)
{
	struct sgpu_ctx c;
	u32 back[MVGPU_CTX_DWORDS];

	fake_gwrite(&self->fx, LRCA, self->img, sizeof(self->img));
	ASSERT_EQ(0, sgpu_ctx_load(&c, &self->fx.mem, self->desc, NULL));
	EXPECT_EQ(0x40, c.head);
	c.head = 0x80;
	/* the driver moved the tail meanwhile: save must keep it */
	fake_gw32(&self->fx, LRCA + 4 * MVGPU_CTX_RING_TAIL, 0x400);
	ASSERT_EQ(0, sgpu_ctx_save(&c, &self->fx.mem, NULL));
	fake_gread(&self->fx, LRCA, back, sizeof(back));
	EXPECT_EQ(0x80, back[MVGPU_CTX_RING_HEAD]);
	EXPECT_EQ(0x400, back[MVGPU_CTX_RING_TAIL]);
}

/* A reset drops a context unsaved, and the progress an earlier save left. */
TEST_F(ctx, reset_drops_saved_blit_progress)
{
	u32 back[MVGPU_CTX_DWORDS];
	struct sgpu_ctx c;

	fake_gwrite(&self->fx, LRCA, self->img, sizeof(self->img));
	fake_gw32(&self->fx, LRCA + 4 * MVGPU_CTX_GPR(0), 0x1234);
	ASSERT_EQ(0, sgpu_ctx_load(&c, &self->fx.mem, self->desc, NULL));
	c.blt_rows = 77;
	ASSERT_EQ(0, sgpu_ctx_save(&c, &self->fx.mem, NULL));
	ASSERT_EQ(0, sgpu_ctx_load(&c, &self->fx.mem, self->desc, NULL));
	EXPECT_EQ(77, c.blt_rows);
	ASSERT_EQ(0, sgpu_ctx_drop_progress(&c, &self->fx.mem));
	fake_gread(&self->fx, LRCA, back, sizeof(back));
	EXPECT_EQ(0, back[MVGPU_CTX_BLT_ROWS]);
	EXPECT_EQ(0, back[MVGPU_CTX_BLT_ADDR]);
	/* nothing else */
	EXPECT_EQ(0x40, back[MVGPU_CTX_RING_HEAD]);
	EXPECT_EQ(0x1234, back[MVGPU_CTX_GPR(0)]);
	ASSERT_EQ(0, sgpu_ctx_load(&c, &self->fx.mem, self->desc, NULL));
	EXPECT_EQ(0, c.blt_rows);
	/* an image no longer mapped: an error, no write */
	self->fx.ggtt[LRCA >> 12] = 0;
	EXPECT_EQ(-EFAULT, sgpu_ctx_drop_progress(&c, &self->fx.mem));
}

TEST_F(ctx, load_faults)
{
	struct sgpu_error err;
	struct sgpu_ctx c;

	self->fx.ggtt[LRCA >> 12] = 0;
	EXPECT_EQ(-EFAULT, sgpu_ctx_load(&c, &self->fx.mem, self->desc, &err));
	EXPECT_EQ(MVGPU_ERR_GGTT_FAULT, err.code);
	EXPECT_EQ(LRCA, err.fault_addr);
	EXPECT_EQ(0xabcd, err.ctx_id);
	EXPECT_EQ(-EFAULT, sgpu_ctx_save(&c, &self->fx.mem, &err));

	self->desc = MVGPU_CTX_DESC(0xfffff000, MVGPU_CTX_MODE_LEGACY_32B, 1);
	EXPECT_EQ(-EFAULT, sgpu_ctx_load(&c, &self->fx.mem, self->desc, &err));
	EXPECT_EQ(MVGPU_ERR_GGTT_FAULT, err.code);
}

TEST_F(ctx, save_write_back_fault_leaves_memory_untouched)
{
	u64 size = self->fx.npages * FAKE_PAGE;
	u8 *before = malloc(size);
	struct sgpu_error err;
	struct sgpu_ctx c;

	ASSERT_NE(NULL, before);
	fake_gwrite(&self->fx, LRCA, self->img, sizeof(self->img));
	ASSERT_EQ(0, sgpu_ctx_load(&c, &self->fx.mem, self->desc, NULL));
	c.head = 0x80;
	c.error = MVGPU_ERR_CMD_PARAM;
	memcpy(before, self->fx.phys, size);
	/* the image reads, but its write-back cannot map the page */
	self->fx.maps = 0;
	self->fx.fail_after = 1;
	EXPECT_EQ(-EFAULT, sgpu_ctx_save(&c, &self->fx.mem, &err));
	self->fx.fail_after = 0;
	EXPECT_EQ(1, self->fx.maps);
	EXPECT_EQ(MVGPU_ERR_PAGE_FAULT, err.code);
	EXPECT_EQ(0, err.level);
	EXPECT_EQ(LRCA, err.fault_addr);
	EXPECT_EQ(0xabcd, err.ctx_id);
	EXPECT_EQ(0, memcmp(before, self->fx.phys, size));
	free(before);
}

TEST_F(ctx, error_status)
{
	struct sgpu_error e = {
		.code = MVGPU_ERR_PPGTT_FAULT,
		.space = MVGPU_SPACE_PPGTT,
		.level = 3,
	};

	EXPECT_EQ(MVGPU_ERR_STATUS_VALID | MVGPU_ERR_PPGTT_FAULT |
		  2 << MVGPU_ERR_STATUS_SPACE_SHIFT |
		  3 << MVGPU_ERR_STATUS_LEVEL_SHIFT, sgpu_error_status(&e));
	e.code = 0;
	EXPECT_EQ(0, sgpu_error_status(&e));
}

TEST_HARNESS_MAIN
