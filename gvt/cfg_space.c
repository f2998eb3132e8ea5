// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulated PCI configuration space of a vGPU.
 *
 * Type 0 header with two 64-bit memory BARs (BAR0 registers and GGTT,
 * BAR2 prefetchable aperture), INTA and a single-vector 64-bit MSI
 * capability.  QEMU's vfio-pci layers its own emulation on top (it
 * virtualises BAR addresses and MSI); the guest and VFIO clients see these
 * semantics directly.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include <mvgpu/mvgpu_pci.h>

#include "cfg_space.h"

#define CFG_VENDOR_ID		0x00
#define CFG_DEVICE_ID		0x02
#define CFG_COMMAND		0x04
#define CFG_STATUS		0x06
#define CFG_REVISION		0x08
#define CFG_CLASS_PROG		0x09
#define CFG_CACHE_LINE_SIZE	0x0c
#define CFG_LATENCY_TIMER	0x0d
#define CFG_BAR0		0x10
#define CFG_SUBSYS_VENDOR_ID	0x2c
#define CFG_SUBSYS_ID		0x2e
#define CFG_CAP_PTR		0x34
#define CFG_INTERRUPT_LINE	0x3c
#define CFG_INTERRUPT_PIN	0x3d

#define CMD_MEMORY		0x0002
#define CMD_MASTER		0x0004
#define CMD_PARITY		0x0040
#define CMD_SERR		0x0100
#define CMD_INTX_DISABLE	0x0400
#define CMD_WRITABLE		(CMD_MEMORY | CMD_MASTER | CMD_PARITY | \
				 CMD_SERR | CMD_INTX_DISABLE)
#define STATUS_CAP_LIST		0x0010
#define STATUS_ERRORS		0xf900

#define BAR_MEM_64		0x04
#define BAR_PREFETCH		0x08

#define MSI_CAP_ID		0x05
#define MSI_FLAGS		(MVGPU_CFG_MSI_CAP + 2)
#define MSI_ADDR_LO		(MVGPU_CFG_MSI_CAP + 4)
#define MSI_ADDR_HI		(MVGPU_CFG_MSI_CAP + 8)
#define MSI_DATA		(MVGPU_CFG_MSI_CAP + 12)
#define MSI_FLAGS_ENABLE	0x0001
#define MSI_FLAGS_64BIT		0x0080

static void cfg_set16(u8 *p, u64 off, u16 v)
{
	put_unaligned_le16(v, p + off);
}

static void cfg_set32(u8 *p, u64 off, u32 v)
{
	put_unaligned_le32(v, p + off);
}

static void cfg_init_bar64(struct mvgpu_cfg_space *cfg, unsigned int bar,
			   u64 size, u32 flags)
{
	u64 off = CFG_BAR0 + bar * 4;
	u64 mask = ~(size - 1);

	cfg_set32(cfg->reset, off, flags);
	cfg_set32(cfg->wmask, off, lower_32_bits(mask) & ~0xfU);
	cfg_set32(cfg->wmask, off + 4, upper_32_bits(mask));
}

static void cfg_init_msi(struct mvgpu_cfg_space *cfg)
{
	cfg->reset[MVGPU_CFG_MSI_CAP] = MSI_CAP_ID;
	cfg->reset[MVGPU_CFG_MSI_CAP + 1] = 0;
	cfg_set16(cfg->reset, MSI_FLAGS, MSI_FLAGS_64BIT);
	cfg_set16(cfg->wmask, MSI_FLAGS, MSI_FLAGS_ENABLE);
	cfg_set32(cfg->wmask, MSI_ADDR_LO, 0xfffffffc);
	cfg_set32(cfg->wmask, MSI_ADDR_HI, 0xffffffff);
	cfg_set16(cfg->wmask, MSI_DATA, 0xffff);
}

/**
 * mvgpu_cfg_init() - build the config space of a new vGPU
 * @cfg: config space to fill
 * @subsys_device: subsystem device ID, which tells the vGPU type
 *
 * Leaves @cfg in its reset state.
 */
void mvgpu_cfg_init(struct mvgpu_cfg_space *cfg, u16 subsys_device)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg_set16(cfg->reset, CFG_VENDOR_ID, MVGPU_PCI_VENDOR_ID);
	cfg_set16(cfg->reset, CFG_DEVICE_ID, MVGPU_PCI_DEVICE_ID);
	cfg_set16(cfg->reset, CFG_STATUS, STATUS_CAP_LIST);
	cfg->reset[CFG_REVISION] = MVGPU_PCI_REVISION;
	cfg->reset[CFG_CLASS_PROG] = MVGPU_PCI_CLASS & 0xff;
	cfg_set16(cfg->reset, CFG_CLASS_PROG + 1, MVGPU_PCI_CLASS >> 8);
	cfg_set16(cfg->reset, CFG_SUBSYS_VENDOR_ID, MVGPU_PCI_SUBSYS_VENDOR_ID);
	cfg_set16(cfg->reset, CFG_SUBSYS_ID, subsys_device);
	cfg->reset[CFG_CAP_PTR] = MVGPU_CFG_MSI_CAP;
	cfg->reset[CFG_INTERRUPT_PIN] = 1;

	cfg_set16(cfg->wmask, CFG_COMMAND, CMD_WRITABLE);
	cfg_set16(cfg->w1cmask, CFG_STATUS, STATUS_ERRORS);
	cfg->wmask[CFG_CACHE_LINE_SIZE] = 0xff;
	cfg->wmask[CFG_LATENCY_TIMER] = 0xff;
	cfg->wmask[CFG_INTERRUPT_LINE] = 0xff;
	cfg_init_bar64(cfg, 0, MVGPU_BAR0_SIZE, BAR_MEM_64);
	cfg_init_bar64(cfg, 2, MVGPU_BAR2_SIZE, BAR_MEM_64 | BAR_PREFETCH);
	cfg_init_msi(cfg);
	mvgpu_cfg_reset(cfg);
}

/**
 * mvgpu_cfg_reset() - return the config space to its power-on contents
 * @cfg: config space
 */
void mvgpu_cfg_reset(struct mvgpu_cfg_space *cfg)
{
	memcpy(cfg->data, cfg->reset, sizeof(cfg->data));
}

static bool cfg_range_ok(u64 off, u64 len)
{
	return len && off < MVGPU_CFG_SIZE && len <= MVGPU_CFG_SIZE - off;
}

/**
 * mvgpu_cfg_read() - read config space bytes
 * @cfg: config space
 * @off: first byte
 * @buf: destination
 * @len: bytes to read; any length that stays inside the 256-byte space
 *
 * Return: 0, or -EINVAL for a range outside the config space.
 */
int mvgpu_cfg_read(const struct mvgpu_cfg_space *cfg, u64 off, void *buf,
		   u64 len)
{
	if (!cfg_range_ok(off, len))
		return -EINVAL;
	memcpy(buf, cfg->data + off, len);
	return 0;
}

/**
 * mvgpu_cfg_write() - write config space bytes with PCI semantics
 * @cfg: config space
 * @off: first byte
 * @buf: source
 * @len: bytes to write, inside the 256-byte space
 *
 * Read-only bits keep their value, write-1-to-clear bits clear, BAR
 * address bits below the BAR size stay zero (so writing all ones sizes a
 * BAR).
 *
 * Return: 0, or -EINVAL for a range outside the config space.
 */
int mvgpu_cfg_write(struct mvgpu_cfg_space *cfg, u64 off, const void *buf,
		    u64 len)
{
	const u8 *src = buf;
	u64 i;

	if (!cfg_range_ok(off, len))
		return -EINVAL;
	for (i = off; i < off + len; i++) {
		u8 val = src[i - off];

		cfg->data[i] = (cfg->data[i] & ~cfg->wmask[i]) |
			       (val & cfg->wmask[i]);
		cfg->data[i] &= ~(val & cfg->w1cmask[i]);
	}
	return 0;
}

/**
 * mvgpu_cfg_restore() - take config space contents saved elsewhere
 * @cfg: config space of the same type
 * @data: MVGPU_CFG_SIZE bytes, as mvgpu_cfg_read() gave them on the
 *        source of a migration
 *
 * Only bits a write may change (or a write of 1 may clear) may differ
 * from the reset contents: identity, BAR sizes and capabilities must be
 * this type's.  Nothing changes on failure.
 *
 * Return: 0, or -EBADMSG when a read-only bit differs.
 */
int mvgpu_cfg_restore(struct mvgpu_cfg_space *cfg, const u8 *data)
{
	int ret = mvgpu_cfg_check_restore(cfg, data);

	if (!ret)
		memcpy(cfg->data, data, sizeof(cfg->data));
	return ret;
}

/**
 * mvgpu_cfg_check_restore() - could mvgpu_cfg_restore() take @data?
 * @cfg: config space
 * @data: MVGPU_CFG_SIZE bytes
 *
 * Return: 0, or -EBADMSG when a read-only bit differs from reset.
 */
int mvgpu_cfg_check_restore(const struct mvgpu_cfg_space *cfg, const u8 *data)
{
	unsigned int i;

	for (i = 0; i < MVGPU_CFG_SIZE; i++)
		if ((data[i] ^ cfg->reset[i]) &
		    ~(cfg->wmask[i] | cfg->w1cmask[i]))
			return -EBADMSG;
	return 0;
}

/**
 * mvgpu_cfg_bar_base() - address the guest programmed into a 64-bit BAR
 * @cfg: config space
 * @bar: 0 or 2
 *
 * Return: the BAR's base address without its flag bits.
 */
u64 mvgpu_cfg_bar_base(const struct mvgpu_cfg_space *cfg, unsigned int bar)
{
	u64 off = CFG_BAR0 + bar * 4;

	return get_unaligned_le64(cfg->data + off) & ~0xfULL;
}

/**
 * mvgpu_cfg_msi_enabled() - whether the guest enabled MSI
 * @cfg: config space
 *
 * Return: true when interrupts are to be sent as MSI.
 */
bool mvgpu_cfg_msi_enabled(const struct mvgpu_cfg_space *cfg)
{
	return get_unaligned_le16(cfg->data + MSI_FLAGS) & MSI_FLAGS_ENABLE;
}

/**
 * mvgpu_cfg_intx_disabled() - whether the command register masks INTx
 * @cfg: config space
 *
 * Return: true when the guest set Interrupt Disable.
 */
bool mvgpu_cfg_intx_disabled(const struct mvgpu_cfg_space *cfg)
{
	return get_unaligned_le16(cfg->data + CFG_COMMAND) & CMD_INTX_DISABLE;
}
