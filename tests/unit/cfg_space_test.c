// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI config space semantics of a vGPU: identity, read-only fields, BAR
 * sizing, write-1-to-clear status bits, MSI capability, bounds.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "cfg_space.h"
#include <mvgpu/mvgpu_pci.h>

static u32 rd(struct mvgpu_cfg_space *cfg, u64 off, u64 len)
{
	u32 v = 0;

	if (mvgpu_cfg_read(cfg, off, &v, len))
		return 0xdeadbeef;
	return v;
}

static void wr(struct mvgpu_cfg_space *cfg, u64 off, u32 v, u64 len)
{
	mvgpu_cfg_write(cfg, off, &v, len);
}

FIXTURE(cfg) {
	struct mvgpu_cfg_space cfg;
};

FIXTURE_SETUP(cfg)
{
	mvgpu_cfg_init(&self->cfg, 0x42);
}

FIXTURE_TEARDOWN(cfg)
{
}

TEST_F(cfg, identity_matches_interface)
{
	EXPECT_EQ(MVGPU_PCI_VENDOR_ID, rd(&self->cfg, 0, 2));
	EXPECT_EQ(MVGPU_PCI_DEVICE_ID, rd(&self->cfg, 2, 2));
	EXPECT_EQ(MVGPU_PCI_CLASS, rd(&self->cfg, 9, 3));
	EXPECT_EQ(MVGPU_PCI_SUBSYS_VENDOR_ID, rd(&self->cfg, 0x2c, 2));
	EXPECT_EQ(0x42, rd(&self->cfg, 0x2e, 2));
	EXPECT_EQ(1, rd(&self->cfg, 0x3d, 1));
	EXPECT_EQ(0x10, rd(&self->cfg, 6, 2) & 0x10);
}

TEST_F(cfg, read_only_fields_ignore_writes)
{
	struct mvgpu_cfg_space before = self->cfg;
	u8 ones[MVGPU_CFG_SIZE];
	unsigned int off;

	memset(ones, 0xff, sizeof(ones));
	ASSERT_EQ(0, mvgpu_cfg_write(&self->cfg, 0, ones, sizeof(ones)));
	EXPECT_EQ(0, memcmp(before.data, self->cfg.data, 4));
	EXPECT_EQ(0, memcmp(before.data + 8, self->cfg.data + 8, 4));
	EXPECT_EQ(0, memcmp(before.data + 0x2c, self->cfg.data + 0x2c, 4));
	EXPECT_EQ(0x90, rd(&self->cfg, 0x34, 1));
	EXPECT_EQ(1, rd(&self->cfg, 0x3d, 1));
	for (off = 0xa0; off < MVGPU_CFG_SIZE; off++)
		EXPECT_EQ(0, self->cfg.data[off]);
}

TEST_F(cfg, bar0_sizing_reports_16m_64bit)
{
	wr(&self->cfg, 0x10, 0xffffffff, 4);
	wr(&self->cfg, 0x14, 0xffffffff, 4);
	EXPECT_EQ(0xff000004, rd(&self->cfg, 0x10, 4));
	EXPECT_EQ(0xffffffff, rd(&self->cfg, 0x14, 4));
	wr(&self->cfg, 0x10, 0xfe000000, 4);
	wr(&self->cfg, 0x14, 0x1, 4);
	EXPECT_EQ(0x1fe000000ULL, mvgpu_cfg_bar_base(&self->cfg, 0));
}

TEST_F(cfg, bar2_sizing_reports_aperture_prefetchable)
{
	wr(&self->cfg, 0x18, 0xffffffff, 4);
	EXPECT_EQ((u32)~(MVGPU_BAR2_SIZE - 1) | 0xc, rd(&self->cfg, 0x18, 4));
}

TEST_F(cfg, unimplemented_bars_and_rom_read_zero)
{
	wr(&self->cfg, 0x20, 0xffffffff, 4);
	wr(&self->cfg, 0x24, 0xffffffff, 4);
	wr(&self->cfg, 0x30, 0xffffffff, 4);
	EXPECT_EQ(0, rd(&self->cfg, 0x20, 4));
	EXPECT_EQ(0, rd(&self->cfg, 0x24, 4));
	EXPECT_EQ(0, rd(&self->cfg, 0x30, 4));
}

TEST_F(cfg, command_register_writable_bits_only)
{
	wr(&self->cfg, 4, 0xffff, 2);
	EXPECT_EQ(0x0546, rd(&self->cfg, 4, 2));
	EXPECT_TRUE(mvgpu_cfg_intx_disabled(&self->cfg));
}

TEST_F(cfg, status_error_bits_are_write_one_to_clear)
{
	self->cfg.data[7] = 0xf9;
	wr(&self->cfg, 6, 0x0100, 2);
	EXPECT_EQ(0xf810, rd(&self->cfg, 6, 2));
	wr(&self->cfg, 6, 0xffff, 2);
	EXPECT_EQ(0x0010, rd(&self->cfg, 6, 2));
}

TEST_F(cfg, msi_capability_enable_and_address)
{
	EXPECT_EQ(0x05, rd(&self->cfg, 0x90, 1));
	EXPECT_EQ(0, rd(&self->cfg, 0x91, 1));
	EXPECT_FALSE(mvgpu_cfg_msi_enabled(&self->cfg));
	wr(&self->cfg, 0x92, 0xffff, 2);
	EXPECT_EQ(0x0081, rd(&self->cfg, 0x92, 2));
	EXPECT_TRUE(mvgpu_cfg_msi_enabled(&self->cfg));
	wr(&self->cfg, 0x94, 0xfee00003, 4);
	EXPECT_EQ(0xfee00000, rd(&self->cfg, 0x94, 4));
	wr(&self->cfg, 0x9c, 0x12345678, 4);
	EXPECT_EQ(0x5678, rd(&self->cfg, 0x9c, 4));
}

TEST_F(cfg, out_of_range_accesses_fail)
{
	u8 buf[8];

	EXPECT_EQ(-EINVAL, mvgpu_cfg_read(&self->cfg, 256, buf, 1));
	EXPECT_EQ(-EINVAL, mvgpu_cfg_read(&self->cfg, 253, buf, 4));
	EXPECT_EQ(-EINVAL, mvgpu_cfg_read(&self->cfg, 0, buf, 0));
	EXPECT_EQ(-EINVAL, mvgpu_cfg_read(&self->cfg, ~0ULL, buf, 2));
	EXPECT_EQ(-EINVAL, mvgpu_cfg_write(&self->cfg, 255, buf, 2));
	EXPECT_EQ(-EINVAL, mvgpu_cfg_write(&self->cfg, 1ULL << 40, buf, 1));
	EXPECT_EQ(0, mvgpu_cfg_read(&self->cfg, 255, buf, 1));
}

TEST_F(cfg, reset_restores_defaults)
{
	wr(&self->cfg, 4, 0x6, 2);
	wr(&self->cfg, 0x10, 0xfe000000, 4);
	wr(&self->cfg, 0x92, 1, 2);
	mvgpu_cfg_reset(&self->cfg);
	EXPECT_EQ(0, rd(&self->cfg, 4, 2));
	EXPECT_EQ(4, rd(&self->cfg, 0x10, 4));
	EXPECT_FALSE(mvgpu_cfg_msi_enabled(&self->cfg));
}

TEST_HARNESS_MAIN
