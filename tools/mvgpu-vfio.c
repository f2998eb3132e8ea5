// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu-vfio - poke an mdev vGPU through VFIO from the command line.
 *
 *   mvgpu-vfio [--cdev] <uuid|sysfs path> info
 *   mvgpu-vfio [--cdev] <uuid|sysfs path> cfg
 *   mvgpu-vfio [--cdev] <uuid|sysfs path> read <region> <offset> [width]
 *   mvgpu-vfio [--cdev] <uuid|sysfs path> write <region> <offset> <value> [width]
 *   mvgpu-vfio [--cdev] <uuid|sysfs path> reset
 *   mvgpu-vfio [--cdev] <uuid|sysfs path> dma <iova> <bytes>
 *   mvgpu-vfio [--cdev] <uuid|sysfs path> hold <seconds>
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <linux/pci_regs.h>

#include "mvgpu_vfio.h"
#include <mvgpu/mvgpu_pci.h>

#define PROG		"mvgpu-vfio"
#define CFG_DUMP_SIZE	256
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define err_msg(fmt, ...)	fprintf(stderr, PROG ": " fmt "\n", ##__VA_ARGS__)
#define hint(fmt, ...)	fprintf(stderr, PROG ": hint: " fmt "\n", ##__VA_ARGS__)

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
};

static const char * const region_names[] = {
	[VFIO_PCI_BAR0_REGION_INDEX] = "bar0",
	[VFIO_PCI_BAR1_REGION_INDEX] = "bar1",
	[VFIO_PCI_BAR2_REGION_INDEX] = "bar2",
	[VFIO_PCI_BAR3_REGION_INDEX] = "bar3",
	[VFIO_PCI_BAR4_REGION_INDEX] = "bar4",
	[VFIO_PCI_BAR5_REGION_INDEX] = "bar5",
	[VFIO_PCI_ROM_REGION_INDEX] = "rom",
	[VFIO_PCI_CONFIG_REGION_INDEX] = "cfg",
	[VFIO_PCI_VGA_REGION_INDEX] = "vga",
};

static const char * const irq_names[] = {
	[VFIO_PCI_INTX_IRQ_INDEX] = "intx",
	[VFIO_PCI_MSI_IRQ_INDEX] = "msi",
	[VFIO_PCI_MSIX_IRQ_INDEX] = "msix",
	[VFIO_PCI_ERR_IRQ_INDEX] = "err",
	[VFIO_PCI_REQ_IRQ_INDEX] = "req",
};

struct flag_name {
	uint32_t flag;
	const char *name;
};

static const struct flag_name device_flags[] = {
	{ VFIO_DEVICE_FLAGS_RESET, "reset" },
	{ VFIO_DEVICE_FLAGS_PCI, "pci" },
	{ VFIO_DEVICE_FLAGS_PLATFORM, "platform" },
	{ VFIO_DEVICE_FLAGS_AMBA, "amba" },
	{ VFIO_DEVICE_FLAGS_CCW, "ccw" },
	{ VFIO_DEVICE_FLAGS_AP, "ap" },
	{ VFIO_DEVICE_FLAGS_FSL_MC, "fsl-mc" },
	{ VFIO_DEVICE_FLAGS_CAPS, "caps" },
	{ 0, NULL }
};

static const struct flag_name region_flags[] = {
	{ VFIO_REGION_INFO_FLAG_READ, "read" },
	{ VFIO_REGION_INFO_FLAG_WRITE, "write" },
	{ VFIO_REGION_INFO_FLAG_MMAP, "mmap" },
	{ VFIO_REGION_INFO_FLAG_CAPS, "caps" },
	{ 0, NULL }
};

static const struct flag_name irq_flags[] = {
	{ VFIO_IRQ_INFO_EVENTFD, "eventfd" },
	{ VFIO_IRQ_INFO_MASKABLE, "maskable" },
	{ VFIO_IRQ_INFO_AUTOMASKED, "automasked" },
	{ VFIO_IRQ_INFO_NORESIZE, "noresize" },
	{ 0, NULL }
};

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--cdev] <uuid|sysfs-path> <command> [args]\n"
		"\n"
		"commands:\n"
		"  info                                 device, region and irq info\n"
		"  cfg                                  dump and decode config space\n"
		"  read <region> <offset> [width]       read 1, 2, 4 or 8 bytes (default 4)\n"
		"  write <region> <offset> <value> [width]\n"
		"  reset                                VFIO_DEVICE_RESET\n"
		"  dma <iova> <bytes>                   map guest memory (VFIO_IOMMU_MAP_DMA),\n"
		"                                       map it at the aperture through the\n"
		"                                       GGTT and read it back through BAR2\n"
		"  hold <seconds>                       keep the device open that long (or\n"
		"                                       until a signal), as a VMM does\n"
		"\n"
		"<region> is bar0..bar5, rom, cfg, vga or a VFIO region index.\n"
		"--cdev opens /dev/vfio/devices/vfioX with iommufd instead of the\n"
		"VFIO group and container.\n");
}

static const char *name_of(const char * const *names, size_t n, unsigned int i)
{
	return i < n && names[i] ? names[i] : "-";
}

static void print_flags(uint32_t flags, const struct flag_name *names)
{
	const char *sep = "";

	printf("0x%x", flags);
	if (!flags)
		return;
	printf(" (");
	for (; names->name; names++) {
		if (!(flags & names->flag))
			continue;
		printf("%s%s", sep, names->name);
		sep = " ";
		flags &= ~names->flag;
	}
	if (flags)
		printf("%s0x%x", sep, flags);
	printf(")");
}

static bool parse_u64(const char *s, uint64_t *val)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*val = v;
	return true;
}

static bool parse_region(const char *s, unsigned int *index)
{
	uint64_t v;
	size_t i;

	if (!strcasecmp(s, "config")) {
		*index = VFIO_PCI_CONFIG_REGION_INDEX;
		return true;
	}
	for (i = 0; i < ARRAY_SIZE(region_names); i++) {
		if (!strcasecmp(s, region_names[i])) {
			*index = i;
			return true;
		}
	}
	if (!parse_u64(s, &v) || v > UINT32_MAX)
		return false;
	*index = v;
	return true;
}

static bool parse_width(const char *s, unsigned int *width)
{
	uint64_t v;

	if (!parse_u64(s, &v) || (v != 1 && v != 2 && v != 4 && v != 8))
		return false;
	*width = v;
	return true;
}

/* -EINVAL means "not implemented" (vfio-pci does so for VGA on non-VGA devices). */
static int info_error(int err)
{
	if (err == -EINVAL) {
		printf("not available\n");
		return EXIT_OK;
	}
	printf("error: %s\n", strerror(-err));
	return EXIT_FAIL;
}

static int cmd_info(struct mvgpu_vfio *v)
{
	struct vfio_device_info dev;
	struct vfio_region_info reg;
	struct vfio_irq_info irq;
	int ret, status = EXIT_OK;
	unsigned int i;

	ret = mvgpu_vfio_device_info(v, &dev);
	if (ret) {
		err_msg("VFIO_DEVICE_GET_INFO: %s", strerror(-ret));
		return EXIT_FAIL;
	}
	printf("device flags ");
	print_flags(dev.flags, device_flags);
	printf("\nregions %u irqs %u\n", dev.num_regions, dev.num_irqs);

	for (i = 0; i < dev.num_regions; i++) {
		printf("region %u %-4s ", i, name_of(region_names, ARRAY_SIZE(region_names), i));
		ret = mvgpu_vfio_region_info(v, i, &reg);
		if (ret) {
			status |= info_error(ret);
			continue;
		}
		printf("size 0x%llx offset 0x%llx flags ",
		       (unsigned long long)reg.size, (unsigned long long)reg.offset);
		print_flags(reg.flags, region_flags);
		printf("\n");
	}

	for (i = 0; i < dev.num_irqs; i++) {
		printf("irq %u %-4s ", i, name_of(irq_names, ARRAY_SIZE(irq_names), i));
		ret = mvgpu_vfio_irq_info(v, i, &irq);
		if (ret) {
			status |= info_error(ret);
			continue;
		}
		printf("count %u flags ", irq.count);
		print_flags(irq.flags, irq_flags);
		printf("\n");
	}
	return status;
}

static uint16_t get16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | (uint32_t)get16(p + 2) << 16;
}

static void hexdump(const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (!(i % 16))
			printf("%02zx:", i);
		printf(" %02x", buf[i]);
		if (i % 16 == 15 || i == len - 1)
			printf("\n");
	}
}

static void decode_header(const uint8_t *cfg)
{
	printf("vendor 0x%04x device 0x%04x revision 0x%02x class 0x%06x\n",
	       get16(cfg + PCI_VENDOR_ID), get16(cfg + PCI_DEVICE_ID),
	       cfg[PCI_REVISION_ID], get32(cfg + PCI_REVISION_ID) >> 8);
	printf("subsystem vendor 0x%04x device 0x%04x\n",
	       get16(cfg + PCI_SUBSYSTEM_VENDOR_ID), get16(cfg + PCI_SUBSYSTEM_ID));
	printf("command 0x%04x status 0x%04x header type 0x%02x\n",
	       get16(cfg + PCI_COMMAND), get16(cfg + PCI_STATUS), cfg[PCI_HEADER_TYPE]);
	printf("interrupt line %u pin %u\n",
	       cfg[PCI_INTERRUPT_LINE], cfg[PCI_INTERRUPT_PIN]);
}

static void decode_caps(const uint8_t *cfg, size_t len)
{
	unsigned int pos, n;

	if (!(get16(cfg + PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return;
	printf("capabilities:");
	pos = cfg[PCI_CAPABILITY_LIST] & ~3u;
	for (n = 0; pos >= PCI_STD_HEADER_SIZEOF && pos + 1 < len && n < 48; n++) {
		printf(" [0x%02x] id 0x%02x", pos, cfg[pos + PCI_CAP_LIST_ID]);
		pos = cfg[pos + PCI_CAP_LIST_NEXT] & ~3u;
	}
	printf("\n");
}

/* The size of a BAR from the value read back after writing all ones. */
static uint64_t bar_size(uint64_t sizing, uint64_t mask)
{
	sizing &= mask;
	return sizing & ~(sizing - 1);
}

/* Write all ones to the dword at @off, read the result, restore @orig. */
static int probe_dword(struct mvgpu_vfio *v, unsigned int off, uint32_t orig,
		       uint32_t ones, uint32_t *sizing)
{
	uint32_t back;
	int ret, err;

	ret = mvgpu_vfio_cfg_write32(v, off, ones);
	if (!ret)
		ret = mvgpu_vfio_cfg_read32(v, off, sizing);
	err = mvgpu_vfio_cfg_write32(v, off, orig);
	if (!err)
		err = mvgpu_vfio_cfg_read32(v, off, &back);
	if (!err && back != orig) {
		err_msg("config 0x%02x: 0x%08x not restored, reads 0x%08x",
			off, orig, back);
		err = -EIO;
	}
	return ret ? ret : err;
}

static void print_bar(unsigned int bar, uint32_t lo, uint64_t base, uint64_t size,
		      bool is64)
{
	const char *type;

	printf("BAR%u ", bar);
	if (!size) {
		printf("unimplemented\n");
		return;
	}
	if (lo & PCI_BASE_ADDRESS_SPACE_IO)
		type = "io";
	else if (lo & PCI_BASE_ADDRESS_MEM_PREFETCH)
		type = is64 ? "mem 64-bit prefetchable" : "mem 32-bit prefetchable";
	else
		type = is64 ? "mem 64-bit" : "mem 32-bit";
	printf("%s base 0x%llx size 0x%llx\n", type, (unsigned long long)base,
	       (unsigned long long)size);
}

/* Size BAR @bar; returns the number of BAR slots it uses or -errno. */
static int size_one_bar(struct mvgpu_vfio *v, const uint8_t *cfg, unsigned int bar,
			unsigned int nbars)
{
	unsigned int off = PCI_BASE_ADDRESS_0 + 4 * bar;
	uint32_t lo = get32(cfg + off), hi = 0, sz_lo, sz_hi = 0;
	bool io = lo & PCI_BASE_ADDRESS_SPACE_IO;
	bool is64 = !io && bar + 1 < nbars &&
		    (lo & PCI_BASE_ADDRESS_MEM_TYPE_MASK) == PCI_BASE_ADDRESS_MEM_TYPE_64;
	uint64_t base, size;
	int ret;

	ret = probe_dword(v, off, lo, ~0u, &sz_lo);
	if (!ret && is64) {
		hi = get32(cfg + off + 4);
		ret = probe_dword(v, off + 4, hi, ~0u, &sz_hi);
	}
	if (ret)
		return ret;

	if (io) {
		base = lo & PCI_BASE_ADDRESS_IO_MASK;
		size = bar_size(sz_lo, PCI_BASE_ADDRESS_IO_MASK);
	} else {
		base = (uint64_t)hi << 32 | (lo & PCI_BASE_ADDRESS_MEM_MASK);
		size = bar_size((uint64_t)sz_hi << 32 | sz_lo, PCI_BASE_ADDRESS_MEM_MASK);
	}
	print_bar(bar, lo, base, size, is64);
	return is64 ? 2 : 1;
}

static int size_rom(struct mvgpu_vfio *v, const uint8_t *cfg)
{
	uint32_t orig = get32(cfg + PCI_ROM_ADDRESS), sizing;
	uint64_t size;
	int ret;

	ret = probe_dword(v, PCI_ROM_ADDRESS, orig, PCI_ROM_ADDRESS_MASK, &sizing);
	if (ret)
		return ret;
	size = bar_size(sizing, PCI_ROM_ADDRESS_MASK);
	if (size)
		printf("ROM  base 0x%x size 0x%llx%s\n",
		       orig & PCI_ROM_ADDRESS_MASK, (unsigned long long)size,
		       orig & PCI_ROM_ADDRESS_ENABLE ? " enabled" : "");
	else
		printf("ROM  unimplemented\n");
	return 0;
}

static int size_all_bars(struct mvgpu_vfio *v, const uint8_t *cfg, unsigned int nbars)
{
	unsigned int bar;
	int n;

	for (bar = 0; bar < nbars; bar += n) {
		n = size_one_bar(v, cfg, bar, nbars);
		if (n < 0)
			return n;
	}
	/* A bridge's ROM BAR lives elsewhere; only size a normal device's. */
	return nbars == 6 ? size_rom(v, cfg) : 0;
}

/* Classic BAR sizing with I/O and memory decoding off, as Linux does. */
static int size_bars(struct mvgpu_vfio *v, const uint8_t *cfg)
{
	uint16_t decode = PCI_COMMAND_IO | PCI_COMMAND_MEMORY;
	uint16_t cmd = get16(cfg + PCI_COMMAND);
	unsigned int nbars;
	int ret, err;

	switch (cfg[PCI_HEADER_TYPE] & PCI_HEADER_TYPE_MASK) {
	case PCI_HEADER_TYPE_NORMAL:
		nbars = 6;
		break;
	case PCI_HEADER_TYPE_BRIDGE:
		nbars = 2;
		break;
	default:
		return 0;
	}

	if (!(cmd & decode))
		return size_all_bars(v, cfg, nbars);

	ret = mvgpu_vfio_cfg_write16(v, PCI_COMMAND, cmd & ~decode);
	if (ret)
		return ret;
	ret = size_all_bars(v, cfg, nbars);
	err = mvgpu_vfio_cfg_write16(v, PCI_COMMAND, cmd);
	return ret ? ret : err;
}

/* Dword by dword, the way config space is normally accessed. */
static int read_cfg(struct mvgpu_vfio *v, uint8_t *cfg, size_t len)
{
	uint32_t val;
	size_t off;
	int ret;

	for (off = 0; off + 4 <= len; off += 4) {
		ret = mvgpu_vfio_cfg_read32(v, off, &val);
		if (ret) {
			err_msg("config read at 0x%02zx: %s", off, strerror(-ret));
			return ret;
		}
		cfg[off] = val;
		cfg[off + 1] = val >> 8;
		cfg[off + 2] = val >> 16;
		cfg[off + 3] = val >> 24;
	}
	return 0;
}

static int cmd_cfg(struct mvgpu_vfio *v)
{
	uint8_t cfg[CFG_DUMP_SIZE] = { 0 };
	struct vfio_region_info reg;
	size_t len;
	int ret;

	ret = mvgpu_vfio_region_info(v, VFIO_PCI_CONFIG_REGION_INDEX, &reg);
	if (ret) {
		err_msg("config region info: %s", strerror(-ret));
		return EXIT_FAIL;
	}
	len = reg.size < sizeof(cfg) ? reg.size & ~3ull : sizeof(cfg);
	if (len < PCI_STD_HEADER_SIZEOF) {
		err_msg("config region is only %zu bytes", len);
		return EXIT_FAIL;
	}

	ret = read_cfg(v, cfg, len);
	if (ret)
		return EXIT_FAIL;

	hexdump(cfg, len);
	decode_header(cfg);
	decode_caps(cfg, len);
	ret = size_bars(v, cfg);
	if (ret) {
		err_msg("BAR sizing: %s", strerror(-ret));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int cmd_read(struct mvgpu_vfio *v, unsigned int index, uint64_t off,
		    unsigned int width)
{
	uint8_t buf[8];
	uint64_t val = 0;
	unsigned int i;
	int ret;

	ret = mvgpu_vfio_read(v, index, off, buf, width);
	if (ret) {
		err_msg("read %u bytes at region %u offset 0x%llx: %s",
			width, index, (unsigned long long)off, strerror(-ret));
		return EXIT_FAIL;
	}
	for (i = 0; i < width; i++)
		val |= (uint64_t)buf[i] << (8 * i);
	printf("0x%0*llx\n", (int)width * 2, (unsigned long long)val);
	return EXIT_OK;
}

static int cmd_write(struct mvgpu_vfio *v, unsigned int index, uint64_t off,
		     uint64_t val, unsigned int width)
{
	uint8_t buf[8];
	unsigned int i;
	int ret;

	for (i = 0; i < width; i++)
		buf[i] = val >> (8 * i);
	ret = mvgpu_vfio_write(v, index, off, buf, width);
	if (ret) {
		err_msg("write %u bytes at region %u offset 0x%llx: %s",
			width, index, (unsigned long long)off, strerror(-ret));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* Keep the device open, as a VMM would, for @secs or until a signal. */
static int cmd_hold(uint64_t secs)
{
	printf("holding the device open: pid %d, %llu s\n", (int)getpid(),
	       (unsigned long long)secs);
	fflush(stdout);
	sleep(secs > UINT_MAX ? UINT_MAX : (unsigned int)secs);
	return EXIT_OK;
}

static int cmd_reset(struct mvgpu_vfio *v)
{
	int ret = mvgpu_vfio_reset(v);

	if (ret) {
		err_msg("VFIO_DEVICE_RESET: %s", strerror(-ret));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

#define DMA_MAX_BYTES	(16U << 20)
#define GTT_PAGE	MVGPU_GTT_PAGE_SIZE

static uint64_t ggtt_off(uint64_t gm_addr)
{
	return MVGPU_GGTT_OFFSET + (gm_addr / GTT_PAGE) * 8;
}

/* Write @npages GGTT entries from @ga: @iova onwards, or 0 to clear. */
static int set_ggtt(struct mvgpu_vfio *v, uint64_t ga, uint64_t iova,
		    unsigned int npages)
{
	unsigned int i;
	int ret;

	for (i = 0; i < npages; i++) {
		uint64_t pte = iova ? (iova + (uint64_t)i * GTT_PAGE) |
				      MVGPU_PTE_VALID : 0;

		ret = mvgpu_vfio_bar_write64(v, VFIO_PCI_BAR0_REGION_INDEX,
					     ggtt_off(ga + (uint64_t)i * GTT_PAGE),
					     pte);
		if (ret)
			return ret;
	}
	return 0;
}

/* Compare guest memory with what BAR2 shows at @ga; count mismatches. */
static int check_aperture(struct mvgpu_vfio *v, uint64_t ga,
			  const uint32_t *mem, uint64_t bytes, uint64_t *bad)
{
	uint64_t i;
	uint32_t val;
	int ret;

	*bad = 0;
	for (i = 0; i < bytes / 4; i++) {
		ret = mvgpu_vfio_bar_read32(v, VFIO_PCI_BAR2_REGION_INDEX,
					    ga + 4 * i, &val);
		if (ret)
			return ret;
		*bad += val != mem[i];
	}
	return 0;
}

static int cmd_dma(struct mvgpu_vfio *v, uint64_t iova, uint64_t bytes)
{
	uint32_t ap_base, ap_size, *mem;
	unsigned int npages = bytes / GTT_PAGE;
	uint64_t i, bad = 0;
	void *vaddr;
	int ret;

	ret = mvgpu_vfio_bar_read32(v, VFIO_PCI_BAR0_REGION_INDEX,
				    MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_APERTURE_BASE_REG,
				    &ap_base);
	if (!ret)
		ret = mvgpu_vfio_bar_read32(v, VFIO_PCI_BAR0_REGION_INDEX,
					    MVGPU_PVINFO_OFFSET +
					    MVGPU_PVINFO_APERTURE_SIZE_REG, &ap_size);
	if (ret) {
		err_msg("reading the PV info page: %s", strerror(-ret));
		return EXIT_FAIL;
	}
	if (bytes > ap_size) {
		err_msg("%llu bytes do not fit the vGPU's %u-byte aperture",
			(unsigned long long)bytes, ap_size);
		return EXIT_FAIL;
	}
	ret = mvgpu_vfio_guest_mem_alloc(v, iova, bytes, &vaddr);
	if (ret) {
		err_msg("VFIO_IOMMU_MAP_DMA of %llu bytes at 0x%llx: %s",
			(unsigned long long)bytes, (unsigned long long)iova,
			strerror(-ret));
		return EXIT_FAIL;
	}
	mem = vaddr;
	for (i = 0; i < bytes / 4; i++)
		mem[i] = (uint32_t)(iova + 4 * i) ^ 0x6d766770;
	ret = set_ggtt(v, ap_base, iova, npages);
	if (!ret)
		ret = check_aperture(v, ap_base, mem, bytes, &bad);
	set_ggtt(v, ap_base, 0, npages);
	mvgpu_vfio_guest_mem_free(v, vaddr);
	if (ret) {
		err_msg("GGTT or aperture access: %s", strerror(-ret));
		return EXIT_FAIL;
	}
	printf("iova 0x%llx+0x%llx at GGTT 0x%x: BAR2 dwords wrong: %llu of %llu\n",
	       (unsigned long long)iova, (unsigned long long)bytes, ap_base,
	       (unsigned long long)bad, (unsigned long long)(bytes / 4));
	return bad ? EXIT_FAIL : EXIT_OK;
}

struct request {
	const char *cmd;
	unsigned int region;
	uint64_t offset;
	uint64_t value;
	unsigned int width;
};

static bool parse_access(int nargs, char **argv, bool write, struct request *req)
{
	int min = write ? 3 : 2;

	if (nargs < min || nargs > min + 1) {
		err_msg("%s takes %d or %d arguments", req->cmd, min, min + 1);
		return false;
	}
	if (!parse_region(argv[1], &req->region)) {
		err_msg("bad region '%s'", argv[1]);
		return false;
	}
	if (!parse_u64(argv[2], &req->offset)) {
		err_msg("bad offset '%s'", argv[2]);
		return false;
	}
	if (write && !parse_u64(argv[3], &req->value)) {
		err_msg("bad value '%s'", argv[3]);
		return false;
	}
	if (nargs > min && !parse_width(argv[nargs], &req->width)) {
		err_msg("bad width '%s' (1, 2, 4 or 8)", argv[nargs]);
		return false;
	}
	if (req->width < 8 && req->value >> (8 * req->width)) {
		err_msg("value 0x%llx does not fit in %u bytes",
			(unsigned long long)req->value, req->width);
		return false;
	}
	return true;
}

static bool parse_dma(int nargs, char **argv, struct request *req)
{
	if (nargs != 2 || !parse_u64(argv[1], &req->offset) ||
	    !parse_u64(argv[2], &req->value)) {
		err_msg("dma takes <iova> <bytes>");
		return false;
	}
	if ((req->offset | req->value) & (GTT_PAGE - 1) || !req->value ||
	    req->value > DMA_MAX_BYTES) {
		err_msg("dma: iova and bytes must be 4 KiB multiples, 4 KiB to 16 MiB");
		return false;
	}
	return true;
}

/* Check and parse the command and its arguments before opening anything. */
static bool parse_request(int argc, char **argv, struct request *req)
{
	const char *cmd = argv[0];

	req->cmd = cmd;
	req->width = 4;

	if (!strcmp(cmd, "read"))
		return parse_access(argc - 1, argv, false, req);
	if (!strcmp(cmd, "write"))
		return parse_access(argc - 1, argv, true, req);
	if (!strcmp(cmd, "dma"))
		return parse_dma(argc - 1, argv, req);
	if (!strcmp(cmd, "hold")) {
		if (argc != 2 || !parse_u64(argv[1], &req->value)) {
			err_msg("hold takes <seconds>");
			return false;
		}
		return true;
	}
	if (strcmp(cmd, "info") && strcmp(cmd, "cfg") && strcmp(cmd, "reset")) {
		err_msg("unknown command '%s'", cmd);
		return false;
	}
	if (argc > 1) {
		err_msg("%s takes no arguments", cmd);
		return false;
	}
	return true;
}

static int run_request(struct mvgpu_vfio *v, const struct request *req)
{
	if (!strcmp(req->cmd, "info"))
		return cmd_info(v);
	if (!strcmp(req->cmd, "cfg"))
		return cmd_cfg(v);
	if (!strcmp(req->cmd, "reset"))
		return cmd_reset(v);
	if (!strcmp(req->cmd, "read"))
		return cmd_read(v, req->region, req->offset, req->width);
	if (!strcmp(req->cmd, "dma"))
		return cmd_dma(v, req->offset, req->value);
	if (!strcmp(req->cmd, "hold"))
		return cmd_hold(req->value);
	return cmd_write(v, req->region, req->offset, req->value, req->width);
}

static bool mdev_exists(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s", name);
	return !access(path, F_OK);
}

static void open_hint(const char *dev, int mode, int err)
{
	switch (err) {
	case ENOENT:
		if (!strchr(dev, '/') && !mdev_exists(dev))
			hint("there is no /sys/bus/mdev/devices/%s", dev);
		else
			hint("a /dev/vfio or /dev/iommu node is missing; VFIO modules loaded?");
		break;
	case EOPNOTSUPP:
		if (mode == MVGPU_VFIO_CDEV)
			hint("no VFIO device cdev (CONFIG_VFIO_DEVICE_CDEV=y needed), or "
			     PROG " was built without iommufd uapi headers");
		else
			hint("the VFIO container offers no type1 IOMMU");
		break;
	case EPERM:
	case EACCES:
		hint("no permission on /dev/vfio, or the IOMMU group is not viable");
		break;
	case EBUSY:
		hint("the device is in use (by a VM or another process?)");
		break;
	case ENODEV:
		hint("the device has no IOMMU group; is it registered with VFIO?");
		break;
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cdev", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int mode = MVGPU_VFIO_GROUP;
	struct request req = { 0 };
	struct mvgpu_vfio *v;
	const char *dev;
	int c, ret;

	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			mode = MVGPU_VFIO_CDEV;
			break;
		case 'h':
			print_usage(stdout);
			return EXIT_OK;
		default:
			print_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind < 2) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	dev = argv[optind];
	if (!parse_request(argc - optind - 1, argv + optind + 1, &req))
		return EXIT_USAGE;

	ret = mvgpu_vfio_open(dev, mode, &v);
	if (ret) {
		err_msg("cannot open %s (%s mode): %s", dev,
			mode == MVGPU_VFIO_CDEV ? "cdev" : "group", strerror(-ret));
		open_hint(dev, mode, -ret);
		return EXIT_FAIL;
	}

	ret = run_request(v, &req);
	mvgpu_vfio_close(v);
	return ret;
}
