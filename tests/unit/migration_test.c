// SPDX-License-Identifier: GPL-2.0-only
/*
 * The migration stream (gvt/migration_stream.c): a saved image parses
 * back to what was saved, and every kind of bad stream is refused with
 * its own errno: truncated, corrupt, another version, another type,
 * another placement, too large, hostile contents.  Config space
 * restore keeps the type's read-only bits (gvt/cfg_space.c).
 */
#include <errno.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "cfg_space.h"
#include "mig_build.h"
#include <mvgpu/mvgpu_pci.h>

FIXTURE(mig) {
	struct mig_state st;
	struct mvgpu_mig_expect exp;
	struct mvgpu_mig_image img;
	struct mvgpu_cfg_space cfg;
	u8 *buf;
	size_t cap;
	u32 *out;
	unsigned long *seen;
};

FIXTURE_SETUP(mig)
{
	unsigned int i, n = mvgpu_vreg_count();

	mig_test_expect(&self->exp);
	mvgpu_cfg_init(&self->cfg, 0x42);
	memcpy(self->st.cfg, self->cfg.reset, MVGPU_CFG_SIZE);
	self->st.cfg[4] = 0x06;		/* memory and bus master enabled */
	self->st.vals = calloc(n, sizeof(u32));
	self->out = calloc(n, sizeof(u32));
	self->seen = calloc(BITS_TO_LONGS(n), sizeof(long));
	ASSERT_NE(NULL, self->st.vals);
	for (i = 0; i < n; i++)
		self->st.vals[i] = 0x1000 + i;
	self->st.nr_vregs = n;
	self->st.execlist[1].elsp_count = 2;
	self->st.execlist[1].elsp[0] = 0xabcd;
	self->st.execlist[0].active = 1;
	self->st.nr_ggtt = 3;
	self->st.ggtt_index[0] = 0;
	self->st.ggtt_index[1] = 7;
	self->st.ggtt_index[2] = MIG_TEST_GGTT - 1;
	for (i = 0; i < 3; i++)
		self->st.ggtt_pte[i] = 0x100000 * (i + 1) | 1;
	self->st.failsafe = 1;
	self->st.counters[MVGPU_MIG_CNT_COMPLETED] = 12345;
	self->cap = 2 * self->exp.max_image;
	self->buf = aligned_alloc(8, self->cap);
	ASSERT_NE(NULL, self->buf);
}

FIXTURE_TEARDOWN(mig)
{
	free(self->st.vals);
	free(self->out);
	free(self->seen);
	free(self->buf);
}

static int parse(struct _test_data_mig *self, size_t len)
{
	return mvgpu_mig_parse_stream(self->buf, len, &self->exp, &self->img);
}

static int build(struct _test_data_mig *self)
{
	return mig_build(self->buf, self->cap, 0, &self->st, MVGPU_MIG_FINAL);
}

TEST_F(mig, saved_image_parses_back_to_what_was_saved)
{
	const struct mvgpu_mig_ggtt_entry *g;
	int size = build(self);
	unsigned int i;

	ASSERT_LT(0, size);
	ASSERT_EQ(0, parse(self, size));
	EXPECT_EQ(size, self->img.size);
	EXPECT_EQ(0, memcmp(self->st.cfg, self->img.cfg, MVGPU_CFG_SIZE));
	EXPECT_EQ(0, mvgpu_mig_decode_vregs(&self->img, self->out, self->seen));
	EXPECT_EQ(0, memcmp(self->st.vals, self->out,
			    mvgpu_vreg_count() * sizeof(u32)));
	EXPECT_EQ(2, self->img.execlist[1].elsp_count);
	EXPECT_EQ(0xabcd, self->img.execlist[1].elsp[0]);
	EXPECT_EQ(1, self->img.execlist[0].active);
	ASSERT_EQ(3, self->img.nr_ggtt);
	g = (const void *)self->img.ggtt;
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(self->st.ggtt_index[i], g[i].index);
		EXPECT_EQ(self->st.ggtt_pte[i], g[i].pte);
	}
	EXPECT_EQ(1, self->img.vgpu.failsafe);
	EXPECT_EQ(12345, self->img.vgpu.counters[MVGPU_MIG_CNT_COMPLETED]);
	EXPECT_EQ(0, mvgpu_cfg_restore(&self->cfg, self->img.cfg));
	EXPECT_EQ(0x06, self->cfg.data[4]);
}

TEST_F(mig, early_image_then_final_one_gives_the_final_one)
{
	int first, second;

	self->st.failsafe = 0;
	first = mig_build(self->buf, self->cap, 0, &self->st, 0);
	ASSERT_LT(0, first);
	self->st.failsafe = 1;
	second = mig_build(self->buf, self->cap, first, &self->st,
			   MVGPU_MIG_FINAL);
	ASSERT_LT(0, second);
	ASSERT_EQ(0, parse(self, first + second));
	EXPECT_EQ(1, self->img.vgpu.failsafe);
	/* the early image alone is not a stream the destination can run */
	EXPECT_EQ(-ENODATA, parse(self, first));
}

TEST_F(mig, stream_cut_anywhere_is_truncated)
{
	int size = build(self);
	size_t len;

	ASSERT_LT(0, size);
	for (len = 0; len < (size_t)size; len++)
		ASSERT_EQ(-ENODATA, parse(self, len)) {
			TH_LOG("cut at %zu of %d", len, size);
		}
}

TEST_F(mig, any_flipped_byte_is_refused)
{
	int size = build(self), ret;
	size_t i;

	ASSERT_LT(0, size);
	for (i = 0; i < (size_t)size; i++) {
		self->buf[i] ^= 0x20;
		ret = parse(self, size);
		self->buf[i] ^= 0x20;
		ASSERT_NE(0, ret) {
			TH_LOG("flip at %zu accepted", i);
		}
	}
}

TEST_F(mig, bytes_after_the_final_image_are_refused)
{
	int size = build(self);

	ASSERT_LT(0, size);
	memset(self->buf + size, 0, 8);
	EXPECT_EQ(-EBADMSG, parse(self, size + 8));
}

TEST_F(mig, bad_magic_is_a_bad_message)
{
	int size = build(self);

	self->buf[0] = 'X';
	EXPECT_EQ(-EBADMSG, parse(self, size));
}

TEST_F(mig, other_major_version_is_not_supported)
{
	int size = build(self);

	put_unaligned_le16(MVGPU_MIG_VERSION_MAJOR + 1, self->buf + 8);
	EXPECT_EQ(-EPROTONOSUPPORT, parse(self, size));
}

TEST_F(mig, other_type_is_refused)
{
	int size = build(self);

	self->exp.type = "mvgpu-V1_2";
	EXPECT_EQ(-EMEDIUMTYPE, parse(self, size));
}

TEST_F(mig, other_graphics_memory_placement_is_refused)
{
	int size = build(self);

	self->exp.hidden_base += 4096;
	EXPECT_EQ(-EADDRNOTAVAIL, parse(self, size));
}

TEST_F(mig, image_larger_than_the_type_allows_is_too_big)
{
	int size = build(self);

	self->exp.max_image = size - 8;
	EXPECT_EQ(-EFBIG, parse(self, size));
}

TEST_F(mig, missing_section_is_refused)
{
	self->st.skip = MVGPU_MIG_SEC_GGTT;
	EXPECT_EQ(-EBADMSG, parse(self, build(self)));
}

TEST_F(mig, duplicate_section_is_refused)
{
	self->st.extra = MVGPU_MIG_SEC_CFG;
	EXPECT_EQ(-EBADMSG, parse(self, build(self)));
}

TEST_F(mig, unknown_section_is_unsupported_unless_optional)
{
	self->st.extra = 77;
	EXPECT_EQ(-EPROTONOSUPPORT, parse(self, build(self)));
	self->st.extra_flags = MVGPU_MIG_SEC_OPTIONAL;
	EXPECT_EQ(0, parse(self, build(self)));
}

TEST_F(mig, ggtt_index_past_the_end_is_refused)
{
	self->st.ggtt_index[2] = MIG_TEST_GGTT;
	EXPECT_EQ(-EBADMSG, parse(self, build(self)));
}

TEST_F(mig, ggtt_indices_out_of_order_or_repeated_are_refused)
{
	self->st.ggtt_index[1] = 0;
	EXPECT_EQ(-EBADMSG, parse(self, build(self)));
}

TEST_F(mig, zero_ggtt_entry_is_refused)
{
	self->st.ggtt_pte[1] = 0;
	EXPECT_EQ(-EBADMSG, parse(self, build(self)));
}

TEST_F(mig, partial_elsp_of_four_dwords_is_refused)
{
	self->st.execlist[0].elsp_count = 4;
	EXPECT_EQ(-EBADMSG, parse(self, build(self)));
}

TEST_F(mig, failsafe_other_than_zero_or_one_is_refused)
{
	self->st.failsafe = 2;
	EXPECT_EQ(-EBADMSG, parse(self, build(self)));
}

/*
 * A vGPU not in failsafe mode has had fewer rejections than it takes to
 * enter it: more would have it enter late (or, wrapping, never).
 */
TEST_F(mig, rejections_at_the_failsafe_threshold_need_failsafe_mode)
{
	self->st.failsafe = 0;
	self->st.rejects = 15;
	EXPECT_EQ(0, parse(self, build(self)));
	self->st.rejects = 16;
	EXPECT_EQ(-EBADMSG, parse(self, build(self)));
	self->st.rejects = 0xffffffff;
	EXPECT_EQ(-EBADMSG, parse(self, build(self)));
	self->st.failsafe = 1;
	EXPECT_EQ(0, parse(self, build(self)));
}

TEST_F(mig, register_given_twice_is_refused)
{
	self->st.dup_vreg = true;
	ASSERT_EQ(0, parse(self, build(self)));
	EXPECT_EQ(-EBADMSG, mvgpu_mig_decode_vregs(&self->img, self->out,
						   self->seen));
}

TEST_F(mig, register_offset_with_no_register_is_refused)
{
	int size = build(self);
	u8 *vregs;

	ASSERT_EQ(0, parse(self, size));
	/* rewrite the first offset, then the CRC, as a hostile source would */
	vregs = (u8 *)self->img.vregs;
	put_unaligned_le32(MVGPU_MMIO_SIZE + 4, vregs);
	put_unaligned_le32(mvgpu_mig_crc32(~0U, self->buf, size - 8),
			   self->buf + size - 8);
	ASSERT_EQ(0, parse(self, size));
	EXPECT_EQ(-EBADMSG, mvgpu_mig_decode_vregs(&self->img, self->out,
						   self->seen));
}

TEST_F(mig, registers_missing_from_the_image_keep_their_reset_value)
{
	unsigned int n = mvgpu_vreg_count();

	self->st.nr_vregs = 1;
	ASSERT_EQ(0, parse(self, build(self)));
	mvgpu_vreg_reset_values(self->out);
	ASSERT_EQ(0, mvgpu_mig_decode_vregs(&self->img, self->out, self->seen));
	EXPECT_EQ(self->st.vals[0], self->out[0]);
	EXPECT_EQ(mvgpu_vreg_table[1].reset, self->out[1]);
	EXPECT_EQ(mvgpu_vreg_engine_table[0].reset,
		  self->out[n - mvgpu_vreg_engine_table_size]);
}

TEST_F(mig, config_space_with_another_identity_is_refused)
{
	struct mvgpu_cfg_space before = self->cfg;

	self->st.cfg[0] ^= 1;		/* vendor ID */
	ASSERT_EQ(0, parse(self, build(self)));
	EXPECT_EQ(-EBADMSG, mvgpu_cfg_restore(&self->cfg, self->img.cfg));
	EXPECT_EQ(0, memcmp(before.data, self->cfg.data, MVGPU_CFG_SIZE));
}

TEST_F(mig, slot_offsets_invert_the_register_lookup)
{
	unsigned int slot, found;

	for (slot = 0; slot < mvgpu_vreg_count(); slot++) {
		ASSERT_NE(NULL, mvgpu_vreg_find(mvgpu_vreg_slot_offset(slot),
						&found));
		ASSERT_EQ(slot, found);
	}
}

TEST_F(mig, buffer_too_small_gives_no_space)
{
	EXPECT_EQ(-ENOSPC, mig_build(self->buf, 100, 0, &self->st,
				     MVGPU_MIG_FINAL));
}

TEST_HARNESS_MAIN
