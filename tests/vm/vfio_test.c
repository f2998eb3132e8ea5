// SPDX-License-Identifier: GPL-2.0-only
/*
 * A vGPU through the VFIO API, driven by tools/lib/mvgpu_vfio: device,
 * region and interrupt info, config space, PV info, GGTT window, aperture
 * through the GGTT into guest memory, reset, and refusal of bad accesses
 * and malformed ioctls.
 */
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "vm_util.h"
#include "../../tools/lib/mvgpu_vfio.h"
#include <mvgpu/mvgpu_pci.h>
#include <mvgpu/mvgpu_regs.h>

#define BAR0	VFIO_PCI_BAR0_REGION_INDEX
#define BAR2	VFIO_PCI_BAR2_REGION_INDEX
#define CFG	VFIO_PCI_CONFIG_REGION_INDEX
#define GUEST_IOVA	0x100000ULL

FIXTURE(vgpu) {
	char uuid[40];
	struct mvgpu_vfio *v;
	uint64_t ap_base, ap_size, hi_base;
};

FIXTURE_SETUP(vgpu)
{
	make_uuid(self->uuid);
	ASSERT_EQ(0, vgpu_create("mvgpu-V1_8", self->uuid));
	ASSERT_EQ(0, mvgpu_vfio_open(self->uuid, MVGPU_VFIO_GROUP, &self->v));
	self->ap_base = vgpu_attr(self->uuid, "aperture_base");
	self->ap_size = vgpu_attr(self->uuid, "aperture_size");
	self->hi_base = vgpu_attr(self->uuid, "hidden_base");
}

FIXTURE_TEARDOWN(vgpu)
{
	mvgpu_vfio_close(self->v);
	EXPECT_EQ(0, vgpu_remove(self->uuid));
}

static uint64_t ggtt_off(uint64_t gm_addr)
{
	return MVGPU_GGTT_OFFSET + (gm_addr >> MVGPU_GTT_PAGE_SHIFT) * 8;
}

static int raw_pread(struct mvgpu_vfio *v, unsigned int index, uint64_t off,
		     size_t len)
{
	char buf[512];
	ssize_t n;

	n = pread(mvgpu_vfio_device_fd(v), buf, len, ((uint64_t)index << 40) + off);
	return n < 0 ? -errno : (int)n;
}

static int raw_pwrite(struct mvgpu_vfio *v, unsigned int index, uint64_t off,
		      size_t len)
{
	char buf[512] = { 0 };
	ssize_t n;

	n = pwrite(mvgpu_vfio_device_fd(v), buf, len, ((uint64_t)index << 40) + off);
	return n < 0 ? -errno : (int)n;
}

TEST_F(vgpu, device_info_advertises_pci_and_reset)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };

	ASSERT_EQ(0, mvgpu_vfio_device_info(self->v, &info));
	EXPECT_TRUE(info.flags & VFIO_DEVICE_FLAGS_PCI);
	EXPECT_TRUE(info.flags & VFIO_DEVICE_FLAGS_RESET);
	EXPECT_EQ(MVGPU_VFIO_DISPLAY_REGION_INDEX + 1, info.num_regions);
	EXPECT_EQ(VFIO_PCI_NUM_IRQS, info.num_irqs);
}

TEST_F(vgpu, region_info_gives_bar_and_config_sizes)
{
	static const struct { unsigned int index; uint64_t size; } want[] = {
		{ VFIO_PCI_BAR0_REGION_INDEX, MVGPU_BAR0_SIZE },
		{ VFIO_PCI_BAR1_REGION_INDEX, 0 },
		{ VFIO_PCI_BAR2_REGION_INDEX, MVGPU_BAR2_SIZE },
		{ VFIO_PCI_BAR3_REGION_INDEX, 0 },
		{ VFIO_PCI_BAR5_REGION_INDEX, 0 },
		{ VFIO_PCI_ROM_REGION_INDEX, 0 },
		{ VFIO_PCI_CONFIG_REGION_INDEX, 256 },
		{ VFIO_PCI_VGA_REGION_INDEX, 0 },
	};
	struct vfio_region_info info;
	unsigned int i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		memset(&info, 0, sizeof(info));
		info.argsz = sizeof(info);
		ASSERT_EQ(0, mvgpu_vfio_region_info(self->v, want[i].index, &info));
		EXPECT_EQ(want[i].size, info.size) TH_LOG("region %u", want[i].index);
		if (want[i].size)
			EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
				  (want[i].index == VFIO_PCI_BAR2_REGION_INDEX ?
				   VFIO_REGION_INFO_FLAG_MMAP : 0),
				  info.flags) TH_LOG("region %u", want[i].index);
	}
	info.argsz = sizeof(info);
	info.index = MVGPU_VFIO_DISPLAY_REGION_INDEX + 1;
	EXPECT_EQ(-1, ioctl(mvgpu_vfio_device_fd(self->v),
			    VFIO_DEVICE_GET_REGION_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
	info.argsz = 8;
	info.index = 0;
	EXPECT_EQ(-1, ioctl(mvgpu_vfio_device_fd(self->v),
			    VFIO_DEVICE_GET_REGION_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(vgpu, config_space_identity_and_bar_sizing)
{
	uint8_t cfg[256];
	uint32_t v32;

	ASSERT_EQ(0, mvgpu_vfio_read(self->v, CFG, 0, cfg, sizeof(cfg)));
	EXPECT_EQ(MVGPU_PCI_VENDOR_ID, cfg[0] | cfg[1] << 8);
	EXPECT_EQ(MVGPU_PCI_DEVICE_ID, cfg[2] | cfg[3] << 8);
	EXPECT_EQ(0x03, cfg[0xb]);
	EXPECT_EQ(0x0108, cfg[0x2e] | cfg[0x2f] << 8);
	EXPECT_EQ(0x05, cfg[cfg[0x34]]);
	ASSERT_EQ(0, mvgpu_vfio_cfg_write32(self->v, 0x10, 0xffffffff));
	ASSERT_EQ(0, mvgpu_vfio_cfg_read32(self->v, 0x10, &v32));
	EXPECT_EQ((uint32_t)~(MVGPU_BAR0_SIZE - 1) | 4, v32);
	ASSERT_EQ(0, mvgpu_vfio_cfg_write32(self->v, 0x18, 0xffffffff));
	ASSERT_EQ(0, mvgpu_vfio_cfg_read32(self->v, 0x18, &v32));
	EXPECT_EQ((uint32_t)~(MVGPU_BAR2_SIZE - 1) | 0xc, v32);
	ASSERT_EQ(0, mvgpu_vfio_cfg_write32(self->v, 0, 0x12345678));
	ASSERT_EQ(0, mvgpu_vfio_cfg_read32(self->v, 0, &v32));
	EXPECT_EQ((uint32_t)MVGPU_PCI_DEVICE_ID << 16 | MVGPU_PCI_VENDOR_ID, v32);
}

TEST_F(vgpu, pvinfo_describes_own_graphics_memory)
{
	uint64_t magic;
	uint32_t v;

	ASSERT_EQ(0, mvgpu_vfio_bar_read64(self->v, BAR0, MVGPU_PVINFO_OFFSET, &magic));
	EXPECT_EQ(MVGPU_PVINFO_MAGIC, magic);
	ASSERT_EQ(0, mvgpu_vfio_bar_read32(self->v, BAR0, MVGPU_PVINFO_OFFSET +
					   MVGPU_PVINFO_APERTURE_BASE_REG, &v));
	EXPECT_EQ(self->ap_base, v);
	ASSERT_EQ(0, mvgpu_vfio_bar_read32(self->v, BAR0, MVGPU_PVINFO_OFFSET +
					   MVGPU_PVINFO_APERTURE_SIZE_REG, &v));
	EXPECT_EQ(self->ap_size, v);
	ASSERT_EQ(0, mvgpu_vfio_bar_read32(self->v, BAR0, MVGPU_PVINFO_OFFSET +
					   MVGPU_PVINFO_HIDDEN_BASE_REG, &v));
	EXPECT_EQ(self->hi_base, v);
	ASSERT_EQ(0, mvgpu_vfio_bar_read32(self->v, BAR0, MVGPU_PVINFO_OFFSET +
					   MVGPU_PVINFO_VGPU_ID_REG, &v));
	EXPECT_EQ(vgpu_attr(self->uuid, "vgpu_id"), v);
}

/* The PV info of the smallest type: its 1/64 slices and display limit. */
TEST(pvinfo_of_a_v1_64_describes_its_slices)
{
	static const struct { uint32_t reg; const char *attr; long want; } f[] = {
		{ MVGPU_PVINFO_APERTURE_BASE_REG, "aperture_base", -1 },
		{ MVGPU_PVINFO_APERTURE_SIZE_REG, "aperture_size", 8 << 20 },
		{ MVGPU_PVINFO_HIDDEN_BASE_REG, "hidden_base", -1 },
		{ MVGPU_PVINFO_HIDDEN_SIZE_REG, "hidden_size", 32 << 20 },
		{ MVGPU_PVINFO_VGPU_ID_REG, "vgpu_id", -1 },
		{ MVGPU_PVINFO_MAX_WIDTH_REG, NULL, 1024 },
		{ MVGPU_PVINFO_MAX_HEIGHT_REG, NULL, 768 },
	};
	struct mvgpu_vfio *v;
	uint8_t cfg[256];
	unsigned int i;
	char uuid[40];
	uint32_t val;

	make_uuid(uuid);
	ASSERT_EQ(0, vgpu_create("mvgpu-V1_64", uuid));
	ASSERT_EQ(0, mvgpu_vfio_open(uuid, MVGPU_VFIO_GROUP, &v));
	ASSERT_EQ(0, mvgpu_vfio_read(v, CFG, 0, cfg, sizeof(cfg)));
	EXPECT_EQ(0x0140, cfg[0x2e] | cfg[0x2f] << 8);
	for (i = 0; i < ARRAY_SIZE(f); i++) {
		ASSERT_EQ(0, mvgpu_vfio_bar_read32(v, BAR0, MVGPU_PVINFO_OFFSET +
						   f[i].reg, &val));
		if (f[i].attr)
			EXPECT_EQ(vgpu_attr(uuid, f[i].attr), val) TH_LOG("%s", f[i].attr);
		if (f[i].want >= 0)
			EXPECT_EQ(f[i].want, val) TH_LOG("PV info 0x%x", f[i].reg);
	}
	mvgpu_vfio_close(v);
	EXPECT_EQ(0, vgpu_remove(uuid));
}

TEST_F(vgpu, pvinfo_is_read_only_but_display_ready)
{
	uint64_t off = MVGPU_PVINFO_OFFSET;
	uint32_t v;

	ASSERT_EQ(0, mvgpu_vfio_bar_write32(self->v, BAR0,
					    off + MVGPU_PVINFO_APERTURE_BASE_REG, 0));
	ASSERT_EQ(0, mvgpu_vfio_bar_read32(self->v, BAR0,
					   off + MVGPU_PVINFO_APERTURE_BASE_REG, &v));
	EXPECT_EQ(self->ap_base, v);
	EXPECT_LE(1, vgpu_attr(self->uuid, "bad_mmio"));
	ASSERT_EQ(0, mvgpu_vfio_bar_write32(self->v, BAR0,
					    off + MVGPU_PVINFO_DISPLAY_READY_REG, 1));
	ASSERT_EQ(0, mvgpu_vfio_bar_read32(self->v, BAR0,
					   off + MVGPU_PVINFO_DISPLAY_READY_REG, &v));
	EXPECT_EQ(1, v);
}

TEST_F(vgpu, ggtt_entries_of_own_memory_read_back)
{
	uint64_t e;

	ASSERT_EQ(0, mvgpu_vfio_bar_write64(self->v, BAR0, ggtt_off(self->ap_base),
					    0x123456001ULL));
	ASSERT_EQ(0, mvgpu_vfio_bar_read64(self->v, BAR0, ggtt_off(self->ap_base), &e));
	EXPECT_EQ(0x123456001ULL, e);
	ASSERT_EQ(0, mvgpu_vfio_bar_write32(self->v, BAR0, ggtt_off(self->hi_base) + 4, 7));
	ASSERT_EQ(0, mvgpu_vfio_bar_read64(self->v, BAR0, ggtt_off(self->hi_base), &e));
	EXPECT_EQ(7ULL << 32, e);
}

/* "trapped" counts each BAR0 access the vGPU emulated, good or bad. */
TEST_F(vgpu, trapped_counts_every_emulated_bar0_access)
{
	long t0 = vgpu_attr(self->uuid, "trapped");
	uint64_t e;
	uint32_t v;

	EXPECT_LE(0, t0);
	ASSERT_EQ(0, mvgpu_vfio_bar_read32(self->v, BAR0, MVGPU_PVINFO_OFFSET, &v));
	ASSERT_EQ(0, mvgpu_vfio_bar_write32(self->v, BAR0, MVGPU_PVINFO_OFFSET +
					    MVGPU_PVINFO_DISPLAY_READY_REG, 1));
	ASSERT_EQ(0, mvgpu_vfio_bar_read64(self->v, BAR0, ggtt_off(self->ap_base), &e));
	/* an unassigned offset: emulated (reads 0), counted as bad too */
	ASSERT_EQ(0, mvgpu_vfio_bar_read32(self->v, BAR0, MVGPU_MMIO_SIZE, &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(t0 + 4, vgpu_attr(self->uuid, "trapped"));
	/* past the BAR: refused before the vGPU sees it */
	EXPECT_NE(0, mvgpu_vfio_bar_read32(self->v, BAR0, MVGPU_BAR0_SIZE, &v));
	EXPECT_EQ(t0 + 4, vgpu_attr(self->uuid, "trapped"));
}

TEST_F(vgpu, ggtt_entries_outside_own_memory_are_dropped)
{
	uint64_t other = self->ap_base == (512ULL << 20) ? (576ULL << 20) : (512ULL << 20);
	long before = vgpu_attr(self->uuid, "bad_ggtt");
	uint64_t e = 1;

	ASSERT_EQ(0, mvgpu_vfio_bar_write64(self->v, BAR0, ggtt_off(other), 0x5001));
	ASSERT_EQ(0, mvgpu_vfio_bar_read64(self->v, BAR0, ggtt_off(other), &e));
	EXPECT_EQ(0, e);
	ASSERT_EQ(0, mvgpu_vfio_bar_write64(self->v, BAR0, ggtt_off(0), 0x5001));
	ASSERT_EQ(0, mvgpu_vfio_bar_write64(self->v, BAR0,
					    MVGPU_BAR0_SIZE - 8, 0x5001));
	EXPECT_EQ(before + 4, vgpu_attr(self->uuid, "bad_ggtt"));
}

TEST_F(vgpu, aperture_reaches_guest_memory_through_ggtt)
{
	uint32_t *mem, v;
	int i;

	ASSERT_EQ(0, mvgpu_vfio_guest_mem_alloc(self->v, GUEST_IOVA, 2 * 4096,
						(void **)&mem));
	for (i = 0; i < 2048; i++)
		mem[i] = 0xa5000000 | i;
	/* Map the slice's second page to guest page 1, first to page 0. */
	ASSERT_EQ(0, mvgpu_vfio_bar_write64(self->v, BAR0, ggtt_off(self->ap_base),
					    (GUEST_IOVA + 4096) | MVGPU_PTE_VALID));
	ASSERT_EQ(0, mvgpu_vfio_bar_write64(self->v, BAR0,
					    ggtt_off(self->ap_base + 4096),
					    GUEST_IOVA | MVGPU_PTE_VALID));
	ASSERT_EQ(0, mvgpu_vfio_bar_read32(self->v, BAR2, self->ap_base + 8, &v));
	EXPECT_EQ(0xa5000000 | 1026, v);
	ASSERT_EQ(0, mvgpu_vfio_bar_read32(self->v, BAR2, self->ap_base + 4096, &v));
	EXPECT_EQ(0xa5000000, v);
	ASSERT_EQ(0, mvgpu_vfio_bar_write32(self->v, BAR2, self->ap_base + 4100,
					    0xcafef00d));
	EXPECT_EQ(0xcafef00d, mem[1]);
	EXPECT_EQ(0, vgpu_attr(self->uuid, "bad_aperture"));
}

TEST_F(vgpu, mmapped_aperture_follows_ggtt_entries)
{
	volatile uint32_t *ap;
	uint32_t *mem;
	int i;

	ASSERT_EQ(0, mvgpu_vfio_guest_mem_alloc(self->v, GUEST_IOVA, 2 * 4096,
						(void **)&mem));
	for (i = 0; i < 2048; i++)
		mem[i] = 0x5a000000 | i;
	ASSERT_EQ(0, mvgpu_vfio_mmap_region(self->v, BAR2, self->ap_base,
					    2 * 4096, PROT_READ | PROT_WRITE,
					    (void **)&ap));
	ASSERT_EQ(0, mvgpu_vfio_bar_write64(self->v, BAR0, ggtt_off(self->ap_base),
					    GUEST_IOVA | MVGPU_PTE_VALID));
	EXPECT_EQ(0x5a000000 | 3, ap[3]);
	ap[4] = 0xfeedf00d;
	EXPECT_EQ(0xfeedf00d, mem[4]);
	/* The entry now points at guest page 1: the mapping follows. */
	ASSERT_EQ(0, mvgpu_vfio_bar_write64(self->v, BAR0, ggtt_off(self->ap_base),
					    (GUEST_IOVA + 4096) | MVGPU_PTE_VALID));
	EXPECT_EQ(0x5a000000 | 1027, ap[3]);
	/* Invalid entry: the scratch page, never guest page 1 or 0. */
	ASSERT_EQ(0, mvgpu_vfio_bar_write64(self->v, BAR0, ggtt_off(self->ap_base), 0));
	ap[5] = 0x0badf00d;
	EXPECT_EQ(0x5a000000 | 5, mem[5]);
	EXPECT_EQ(0x5a000000 | 1029, mem[1029]);
	/* Second page: no entry, scratch too. */
	ap[1024] = 1;
	EXPECT_EQ(0x5a000000 | 1024, mem[1024]);
	EXPECT_EQ(0, munmap((void *)ap, 2 * 4096));
	EXPECT_EQ(0, vgpu_attr(self->uuid, "pinned_pages"));
}

TEST_F(vgpu, mmapped_aperture_lets_go_of_unmapped_guest_memory)
{
	volatile uint32_t *ap;
	uint32_t *mem;

	ASSERT_EQ(0, mvgpu_vfio_guest_mem_alloc(self->v, GUEST_IOVA, 4096,
						(void **)&mem));
	mem[0] = 0x600d600d;
	ASSERT_EQ(0, mvgpu_vfio_mmap_region(self->v, BAR2, self->ap_base, 4096,
					    PROT_READ | PROT_WRITE, (void **)&ap));
	ASSERT_EQ(0, mvgpu_vfio_bar_write64(self->v, BAR0, ggtt_off(self->ap_base),
					    GUEST_IOVA | MVGPU_PTE_VALID));
	EXPECT_EQ(0x600d600d, ap[0]);
	EXPECT_EQ(1, vgpu_attr(self->uuid, "pinned_pages"));
	/* The user takes the memory back: the aperture no longer shows it. */
	ASSERT_EQ(0, mvgpu_vfio_unmap_dma(self->v, GUEST_IOVA, 4096));
	EXPECT_EQ(0, vgpu_attr(self->uuid, "pinned_pages"));
	mem[0] = 0x0dead0de;
	EXPECT_NE(0x0dead0de, ap[0]);
	EXPECT_EQ(0, munmap((void *)ap, 4096));
}

TEST_F(vgpu, mmap_outside_bar2_or_private_is_refused)
{
	int fd = mvgpu_vfio_device_fd(self->v);
	void *p;

	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd,
		 ((uint64_t)BAR0 << 40));
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd,
		 ((uint64_t)BAR2 << 40) + MVGPU_BAR2_SIZE - 4096);
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, (uint64_t)BAR2 << 40);
	EXPECT_EQ(MAP_FAILED, p);
}

TEST_F(vgpu, aperture_never_reaches_unmapped_or_foreign_memory)
{
	uint32_t v = 1;

	/* Invalid entry, entry to an IOVA the user never mapped, other slice. */
	ASSERT_EQ(0, mvgpu_vfio_bar_read32(self->v, BAR2, self->ap_base, &v));
	EXPECT_EQ(0, v);
	ASSERT_EQ(0, mvgpu_vfio_bar_write64(self->v, BAR0, ggtt_off(self->ap_base),
					    0x7ff000000ULL | MVGPU_PTE_VALID));
	v = 1;
	ASSERT_EQ(0, mvgpu_vfio_bar_read32(self->v, BAR2, self->ap_base, &v));
	EXPECT_EQ(0, v);
	ASSERT_EQ(0, mvgpu_vfio_bar_write32(self->v, BAR2, self->ap_base, 5));
	v = 1;
	ASSERT_EQ(0, mvgpu_vfio_bar_read32(self->v, BAR2,
					   self->ap_base + self->ap_size, &v));
	EXPECT_EQ(0, v);
	ASSERT_EQ(0, mvgpu_vfio_bar_read32(self->v, BAR2, 0, &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(5, vgpu_attr(self->uuid, "bad_aperture"));
}

TEST_F(vgpu, ggtt_entries_pin_guest_pages_until_changed_or_unmapped)
{
	void *mem, *mem2;
	uint64_t e;

	/* Two mappings: type1 unmaps whole mappings only. */
	ASSERT_EQ(0, mvgpu_vfio_guest_mem_alloc(self->v, GUEST_IOVA, 4096, &mem));
	ASSERT_EQ(0, mvgpu_vfio_guest_mem_alloc(self->v, GUEST_IOVA + 4096, 4096, &mem2));
	EXPECT_EQ(0, vgpu_attr(self->uuid, "pinned_pages"));
	ASSERT_EQ(0, mvgpu_vfio_bar_write64(self->v, BAR0, ggtt_off(self->ap_base),
					    GUEST_IOVA | MVGPU_PTE_VALID));
	ASSERT_EQ(0, mvgpu_vfio_bar_write64(self->v, BAR0, ggtt_off(self->hi_base),
					    (GUEST_IOVA + 4096) | MVGPU_PTE_VALID));
	EXPECT_EQ(2, vgpu_attr(self->uuid, "pinned_pages"));
	/* Rewriting the same entry takes no second pin. */
	ASSERT_EQ(0, mvgpu_vfio_bar_write64(self->v, BAR0, ggtt_off(self->ap_base),
					    GUEST_IOVA | MVGPU_PTE_VALID));
	EXPECT_EQ(2, vgpu_attr(self->uuid, "pinned_pages"));
	ASSERT_EQ(0, mvgpu_vfio_bar_write32(self->v, BAR0, ggtt_off(self->ap_base), 0));
	EXPECT_EQ(1, vgpu_attr(self->uuid, "pinned_pages"));
	ASSERT_EQ(0, mvgpu_vfio_unmap_dma(self->v, GUEST_IOVA + 4096, 4096));
	EXPECT_EQ(0, vgpu_attr(self->uuid, "pinned_pages"));
	ASSERT_EQ(0, mvgpu_vfio_bar_read64(self->v, BAR0, ggtt_off(self->hi_base), &e));
	EXPECT_EQ((GUEST_IOVA + 4096) | MVGPU_PTE_VALID, e);
}

TEST_F(vgpu, ggtt_entries_to_memory_not_mapped_are_not_shadowed)
{
	long before = vgpu_attr(self->uuid, "bad_ggtt");

	ASSERT_EQ(0, mvgpu_vfio_bar_write64(self->v, BAR0, ggtt_off(self->ap_base),
					    0x7ff000000ULL | MVGPU_PTE_VALID));
	EXPECT_EQ(0, vgpu_attr(self->uuid, "pinned_pages"));
	EXPECT_EQ(before + 1, vgpu_attr(self->uuid, "bad_ggtt"));
}

TEST_F(vgpu, reset_and_close_release_every_pin)
{
	void *mem;
	int i;

	ASSERT_EQ(0, mvgpu_vfio_guest_mem_alloc(self->v, GUEST_IOVA, 8 * 4096, &mem));
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, mvgpu_vfio_bar_write64(self->v, BAR0,
						    ggtt_off(self->ap_base + i * 4096),
						    (GUEST_IOVA + i * 4096) | MVGPU_PTE_VALID));
	EXPECT_EQ(8, vgpu_attr(self->uuid, "pinned_pages"));
	ASSERT_EQ(0, mvgpu_vfio_reset(self->v));
	EXPECT_EQ(0, vgpu_attr(self->uuid, "pinned_pages"));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, mvgpu_vfio_bar_write64(self->v, BAR0,
						    ggtt_off(self->hi_base + i * 4096),
						    (GUEST_IOVA + i * 4096) | MVGPU_PTE_VALID));
	EXPECT_EQ(4, vgpu_attr(self->uuid, "pinned_pages"));
	mvgpu_vfio_close(self->v);
	EXPECT_EQ(0, vgpu_attr(self->uuid, "pinned_pages"));
	ASSERT_EQ(0, mvgpu_vfio_open(self->uuid, MVGPU_VFIO_GROUP, &self->v));
}

TEST_F(vgpu, bad_region_accesses_fail_with_einval)
{
	static const struct { unsigned int index; uint64_t off; size_t len; } bad[] = {
		{ BAR0, 0, 3 }, { BAR0, 2, 4 }, { BAR0, 4, 8 }, { BAR0, 0, 16 },
		{ BAR0, MVGPU_BAR0_SIZE, 4 }, { BAR0, MVGPU_BAR0_SIZE - 4, 8 },
		{ BAR0, (1ULL << 40) - 4, 4 }, { BAR0, MVGPU_GGTT_OFFSET, 2 },
		{ BAR0, MVGPU_GGTT_OFFSET + 1, 1 },
		{ BAR2, 1, 2 }, { BAR2, 0, 5 }, { BAR2, MVGPU_BAR2_SIZE, 1 },
		{ BAR2, MVGPU_BAR2_SIZE - 4, 8 },
		{ CFG, 256, 1 }, { CFG, 255, 2 }, { CFG, 0, 257 }, { CFG, 0, 512 },
		{ VFIO_PCI_BAR1_REGION_INDEX, 0, 4 },
		{ VFIO_PCI_BAR5_REGION_INDEX, 0, 4 },
		{ VFIO_PCI_ROM_REGION_INDEX, 0, 4 },
		{ VFIO_PCI_VGA_REGION_INDEX, 0, 4 },
		{ MVGPU_VFIO_DISPLAY_REGION_INDEX + 1, 0, 4 }, { 0xffffff, 0, 4 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, raw_pread(self->v, bad[i].index, bad[i].off,
					     bad[i].len)) TH_LOG("read case %u", i);
		EXPECT_EQ(-EINVAL, raw_pwrite(self->v, bad[i].index, bad[i].off,
					      bad[i].len)) TH_LOG("write case %u", i);
	}
	EXPECT_EQ(-EINVAL, raw_pread(self->v, BAR0, 0, 0));
	EXPECT_EQ(4, raw_pread(self->v, BAR0, 0, 4));
	EXPECT_EQ(256, raw_pread(self->v, CFG, 0, 256));
}

TEST_F(vgpu, reset_restores_defaults)
{
	uint64_t e;
	uint32_t v;
	uint16_t cmd;

	ASSERT_EQ(0, mvgpu_vfio_cfg_write16(self->v, 4, 0x6));
	ASSERT_EQ(0, mvgpu_vfio_bar_write32(self->v, BAR0, MVGPU_DSPSTRIDE, 0x1240));
	ASSERT_EQ(0, mvgpu_vfio_bar_read32(self->v, BAR0, MVGPU_DSPSTRIDE, &v));
	ASSERT_EQ(0x1240, v);
	ASSERT_EQ(0, mvgpu_vfio_bar_write64(self->v, BAR0, ggtt_off(self->ap_base), 0x1001));
	ASSERT_EQ(0, mvgpu_vfio_reset(self->v));
	ASSERT_EQ(0, mvgpu_vfio_cfg_read16(self->v, 4, &cmd));
	EXPECT_EQ(0, cmd);
	ASSERT_EQ(0, mvgpu_vfio_bar_read32(self->v, BAR0, MVGPU_DSPSTRIDE, &v));
	EXPECT_EQ(0, v);
	ASSERT_EQ(0, mvgpu_vfio_bar_read64(self->v, BAR0, ggtt_off(self->ap_base), &e));
	EXPECT_EQ(0, e);
	ASSERT_EQ(0, mvgpu_vfio_bar_read64(self->v, BAR0, MVGPU_PVINFO_OFFSET, &e));
	EXPECT_EQ(MVGPU_PVINFO_MAGIC, e);
}

TEST_F(vgpu, irq_info_lists_intx_msi_err_and_request)
{
	static const struct { unsigned int index, count; } want[] = {
		{ VFIO_PCI_INTX_IRQ_INDEX, 1 }, { VFIO_PCI_MSI_IRQ_INDEX, 1 },
		{ VFIO_PCI_MSIX_IRQ_INDEX, 0 }, { VFIO_PCI_ERR_IRQ_INDEX, 1 },
		{ VFIO_PCI_REQ_IRQ_INDEX, 1 },
	};
	struct vfio_irq_info info;
	unsigned int i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ASSERT_EQ(0, mvgpu_vfio_irq_info(self->v, want[i].index, &info));
		EXPECT_EQ(want[i].count, info.count) TH_LOG("index %u", want[i].index);
	}
	ASSERT_EQ(0, mvgpu_vfio_irq_info(self->v, VFIO_PCI_INTX_IRQ_INDEX, &info));
	EXPECT_TRUE(info.flags & VFIO_IRQ_INFO_MASKABLE);
	EXPECT_NE(0, mvgpu_vfio_irq_info(self->v, VFIO_PCI_NUM_IRQS, &info));
}

static int fire_loopback(struct mvgpu_vfio *v, unsigned int index)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = index, .start = 0, .count = 1,
	};

	return ioctl(mvgpu_vfio_device_fd(v), VFIO_DEVICE_SET_IRQS, &set) ? -errno : 0;
}

static int eventfd_fired(int efd)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t n;

	if (poll(&p, 1, 1000) != 1)
		return 0;
	return read(efd, &n, sizeof(n)) == sizeof(n) ? (int)n : 0;
}

TEST_F(vgpu, irq_eventfds_fire_for_intx_and_msi)
{
	int efd = eventfd(0, EFD_NONBLOCK);
	unsigned int index;

	ASSERT_LE(0, efd);
	for (index = VFIO_PCI_INTX_IRQ_INDEX; index <= VFIO_PCI_MSI_IRQ_INDEX; index++) {
		ASSERT_EQ(0, mvgpu_vfio_irq_set_eventfd(self->v, index, efd));
		ASSERT_EQ(0, fire_loopback(self->v, index));
		EXPECT_EQ(1, eventfd_fired(efd)) TH_LOG("index %u", index);
		ASSERT_EQ(0, mvgpu_vfio_irq_set_eventfd(self->v, index, -1));
		ASSERT_EQ(0, fire_loopback(self->v, index));
		EXPECT_EQ(0, eventfd_fired(efd));
	}
	EXPECT_EQ(0, mvgpu_vfio_irq_mask(self->v, VFIO_PCI_INTX_IRQ_INDEX));
	EXPECT_EQ(0, mvgpu_vfio_irq_unmask(self->v, VFIO_PCI_INTX_IRQ_INDEX));
	close(efd);
}

static int set_irqs(struct mvgpu_vfio *v, uint32_t argsz, uint32_t flags,
		    uint32_t index, uint32_t start, uint32_t count, int32_t fd)
{
	struct { struct vfio_irq_set set; int32_t fd[2]; } s = {
		.set = { .argsz = argsz, .flags = flags, .index = index,
			 .start = start, .count = count },
		.fd = { fd, fd },
	};

	return ioctl(mvgpu_vfio_device_fd(v), VFIO_DEVICE_SET_IRQS, &s) ? -errno : 0;
}

TEST_F(vgpu, set_irqs_refuses_malformed_requests)
{
	const uint32_t trig = VFIO_IRQ_SET_ACTION_TRIGGER;
	const uint32_t efd_flag = VFIO_IRQ_SET_DATA_EVENTFD;
	const uint32_t full = sizeof(struct vfio_irq_set) + 4;
	int efd = eventfd(0, 0), nullfd = open("/dev/null", O_RDWR);

	EXPECT_EQ(-EINVAL, set_irqs(self->v, 8, trig | efd_flag, 1, 0, 1, efd));
	EXPECT_EQ(-EINVAL, set_irqs(self->v, full - 4, trig | efd_flag, 1, 0, 1, efd));
	EXPECT_EQ(-EINVAL, set_irqs(self->v, full, trig | efd_flag |
				    VFIO_IRQ_SET_DATA_BOOL, 1, 0, 1, efd));
	EXPECT_EQ(-EINVAL, set_irqs(self->v, full, efd_flag, 1, 0, 1, efd));
	EXPECT_EQ(-EINVAL, set_irqs(self->v, full, trig | VFIO_IRQ_SET_ACTION_MASK |
				    efd_flag, 0, 0, 1, efd));
	EXPECT_EQ(-EINVAL, set_irqs(self->v, full + 4, trig | efd_flag, 1, 0, 2, efd));
	EXPECT_EQ(-EINVAL, set_irqs(self->v, full, trig | efd_flag, 1, 1, 1, efd));
	EXPECT_EQ(-EINVAL, set_irqs(self->v, full, trig | efd_flag, 1, 0xffffffff, 1, efd));
	EXPECT_EQ(-EINVAL, set_irqs(self->v, full, trig | efd_flag, 2, 0, 1, efd));
	EXPECT_EQ(-EINVAL, set_irqs(self->v, full, trig | efd_flag, 9, 0, 1, efd));
	EXPECT_EQ(-EINVAL, set_irqs(self->v, full, trig | efd_flag, 1, 0, 1, -2));
	EXPECT_EQ(-EBADF, set_irqs(self->v, full, trig | efd_flag, 1, 0, 1, 9999));
	EXPECT_EQ(-EINVAL, set_irqs(self->v, full, trig | efd_flag, 1, 0, 1, nullfd));
	EXPECT_EQ(-EINVAL, set_irqs(self->v, full, VFIO_IRQ_SET_ACTION_MASK | efd_flag,
				    0, 0, 1, efd));
	EXPECT_EQ(-EINVAL, set_irqs(self->v, full, VFIO_IRQ_SET_ACTION_UNMASK |
				    VFIO_IRQ_SET_DATA_NONE, 1, 0, 1, efd));
	EXPECT_EQ(-EINVAL, set_irqs(self->v, full, 0x80000000 | trig | efd_flag, 1, 0, 1, efd));
	EXPECT_EQ(0, set_irqs(self->v, full, trig | efd_flag, 1, 0, 1, efd));
	EXPECT_EQ(0, set_irqs(self->v, full, trig | VFIO_IRQ_SET_DATA_NONE, 1, 0, 0, 0));
	close(nullfd);
	close(efd);
}

TEST_F(vgpu, unknown_and_truncated_ioctls_fail_cleanly)
{
	int fd = mvgpu_vfio_device_fd(self->v);
	struct vfio_device_info info = { .argsz = 4 };

	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_GET_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_GET_INFO, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(fd, _IO(VFIO_TYPE, VFIO_BASE + 99), 0));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_QUERY_GFX_PLANE, 0));
}

struct remover {
	const char *uuid;
	int ret;
};

static void *remove_thread(void *arg)
{
	struct remover *r = arg;

	r->ret = vgpu_remove(r->uuid);
	return NULL;
}

TEST(remove_while_open_asks_the_user_and_waits)
{
	struct remover r = { .ret = 1 };
	struct mvgpu_vfio *v;
	char uuid[40];
	pthread_t t;
	int efd = eventfd(0, EFD_NONBLOCK);

	make_uuid(uuid);
	r.uuid = uuid;
	ASSERT_EQ(0, vgpu_create("mvgpu-V1_8", uuid));
	ASSERT_EQ(0, mvgpu_vfio_open(uuid, MVGPU_VFIO_GROUP, &v));
	ASSERT_EQ(0, mvgpu_vfio_irq_set_eventfd(v, VFIO_PCI_REQ_IRQ_INDEX, efd));
	ASSERT_EQ(0, pthread_create(&t, NULL, remove_thread, &r));
	EXPECT_LT(0, eventfd_fired(efd));
	usleep(200000);
	EXPECT_EQ(1, r.ret);
	mvgpu_vfio_close(v);
	pthread_join(t, NULL);
	EXPECT_EQ(0, r.ret);
	EXPECT_EQ(8, type_available("mvgpu-V1_8"));
	close(efd);
}

TEST(cdev_interface_opens_the_vgpu)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct mvgpu_vfio *v;
	char uuid[40];
	uint16_t vendor;
	struct stat st;
	int ret;

	make_uuid(uuid);
	ASSERT_EQ(0, vgpu_create("mvgpu-V1_8", uuid));
	/*
	 * devtmpfs makes /dev/vfio/devices/ with the first device cdev, so
	 * look once the vGPU exists.  (Its vfio-dev/ directory in sysfs is
	 * there without cdevs too.)
	 */
	if (stat("/dev/vfio/devices", &st)) {
		EXPECT_EQ(0, vgpu_remove(uuid));
		SKIP(return, "kernel without VFIO device cdev");
	}
	ret = mvgpu_vfio_open(uuid, MVGPU_VFIO_CDEV, &v);
	EXPECT_EQ(0, ret);
	if (!ret) {
		EXPECT_EQ(0, mvgpu_vfio_device_info(v, &info));
		EXPECT_EQ(0, mvgpu_vfio_cfg_read16(v, 0, &vendor));
		EXPECT_EQ(MVGPU_PCI_VENDOR_ID, vendor);
		mvgpu_vfio_close(v);
	}
	EXPECT_EQ(0, vgpu_remove(uuid));
}

TEST(several_vgpus_open_at_once_are_independent)
{
	struct mvgpu_vfio *v[4];
	char uuid[4][40];
	uint32_t id;
	int i;

	for (i = 0; i < 4; i++) {
		make_uuid(uuid[i]);
		ASSERT_EQ(0, vgpu_create("mvgpu-V1_8", uuid[i]));
		ASSERT_EQ(0, mvgpu_vfio_open(uuid[i], MVGPU_VFIO_GROUP, &v[i]));
		ASSERT_EQ(0, mvgpu_vfio_bar_write32(v[i], BAR0, MVGPU_GT_IER(0), 0x100 + i));
	}
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, mvgpu_vfio_bar_read32(v[i], BAR0, MVGPU_GT_IER(0), &id));
		EXPECT_EQ(0x100 + i, id);
		mvgpu_vfio_close(v[i]);
		EXPECT_EQ(0, vgpu_remove(uuid[i]));
	}
}

TEST_HARNESS_MAIN
