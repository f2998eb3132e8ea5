// SPDX-License-Identifier: GPL-2.0-only
/*
 * BAR0 of a vGPU: registers, PV info page and GGTT window.
 *
 * Accesses are 1, 2, 4 or 8 bytes, naturally aligned (GGTT: 4 or 8);
 * anything else is refused with -EINVAL before any state is touched.
 * Guest mistakes that a real GPU would absorb (writes to read-only PV info
 * fields, GGTT entries outside the vGPU's graphics memory) are dropped,
 * counted and logged, rate-limited.
 */
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include <mvgpu/mvgpu_pci.h>

#include "mmio.h"
#include "vgpu.h"

#define PVINFO(reg)	(MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_##reg##_REG)

static bool access_ok_size(u64 off, unsigned int len, u64 limit)
{
	if (len != 1 && len != 2 && len != 4 && len != 8)
		return false;
	return !(off & (len - 1)) && off < limit && len <= limit - off;
}

/**
 * mvgpu_mmio_reset() - registers back to their defaults
 * @vgpu: the vGPU, its lock held
 *
 * Also fills the PV info page, which tells the guest's driver which
 * graphics memory is its own.
 */
void mvgpu_mmio_reset(struct mvgpu_vgpu *vgpu)
{
	u8 *r = vgpu->vreg;

	memset(r, 0, MVGPU_MMIO_SIZE);
	put_unaligned_le64(MVGPU_PVINFO_MAGIC, r + PVINFO(MAGIC));
	put_unaligned_le16(MVGPU_PVINFO_VERSION_MAJOR, r + PVINFO(VERSION));
	put_unaligned_le16(MVGPU_PVINFO_VERSION_MINOR, r + PVINFO(VERSION) + 2);
	put_unaligned_le32(vgpu->res.id, r + PVINFO(VGPU_ID));
	put_unaligned_le32(vgpu->res.aperture.base, r + PVINFO(APERTURE_BASE));
	put_unaligned_le32(vgpu->res.aperture.size, r + PVINFO(APERTURE_SIZE));
	put_unaligned_le32(vgpu->res.hidden.base, r + PVINFO(HIDDEN_BASE));
	put_unaligned_le32(vgpu->res.hidden.size, r + PVINFO(HIDDEN_SIZE));
	put_unaligned_le32(vgpu->type->max_width, r + PVINFO(MAX_WIDTH));
	put_unaligned_le32(vgpu->type->max_height, r + PVINFO(MAX_HEIGHT));
}

static bool pvinfo_writable(u64 off, unsigned int len)
{
	return off >= PVINFO(DISPLAY_READY) &&
	       off + len <= PVINFO(DISPLAY_READY) + 4;
}

static void reg_write(struct mvgpu_vgpu *vgpu, u64 off, const void *buf,
		      unsigned int len)
{
	if (off >= MVGPU_PVINFO_OFFSET &&
	    off < MVGPU_PVINFO_OFFSET + MVGPU_PVINFO_SIZE &&
	    !pvinfo_writable(off, len)) {
		atomic64_inc(&vgpu->stats.bad_mmio);
		mvgpu_vgpu_warn(vgpu, "write to read-only PV info 0x%llx dropped\n",
				off);
		return;
	}
	memcpy(vgpu->vreg + off, buf, len);
}

static u64 *ggtt_entry(struct mvgpu_vgpu *vgpu, u64 off, bool write)
{
	u64 gm_addr = (off - MVGPU_GGTT_OFFSET) / 8 << MVGPU_GTT_PAGE_SHIFT;
	int index = mvgpu_vgpu_ggtt_index(vgpu, gm_addr);

	if (index >= 0)
		return &vgpu->ggtt[index];
	atomic64_inc(&vgpu->stats.bad_ggtt);
	mvgpu_vgpu_warn(vgpu, "GGTT %s of 0x%llx outside the vGPU's graphics memory\n",
			write ? "write" : "read", gm_addr);
	return NULL;
}

static int ggtt_rw(struct mvgpu_vgpu *vgpu, u64 off, void *buf,
		   unsigned int len, bool write)
{
	u64 *entry;

	if (len != 4 && len != 8)
		return -EINVAL;
	entry = ggtt_entry(vgpu, off, write);
	if (!entry) {
		if (!write)
			memset(buf, 0, len);
		return 0;
	}
	if (write)
		memcpy((u8 *)entry + (off & 7), buf, len);
	else
		memcpy(buf, (u8 *)entry + (off & 7), len);
	return 0;
}

static void hole_access(struct mvgpu_vgpu *vgpu, u64 off, void *buf,
			unsigned int len, bool write)
{
	atomic64_inc(&vgpu->stats.bad_mmio);
	mvgpu_vgpu_warn(vgpu, "%s of unassigned BAR0 offset 0x%llx\n",
			write ? "write" : "read", off);
	if (!write)
		memset(buf, 0, len);
}

/**
 * mvgpu_mmio_read() - guest read of BAR0
 * @vgpu: the vGPU
 * @off: offset in BAR0
 * @buf: destination, @len bytes
 * @len: access size
 *
 * Return: 0, or -EINVAL for a bad size, alignment or offset.
 */
int mvgpu_mmio_read(struct mvgpu_vgpu *vgpu, u64 off, void *buf,
		    unsigned int len)
{
	int ret = 0;

	if (!access_ok_size(off, len, MVGPU_BAR0_SIZE))
		return -EINVAL;
	mutex_lock(&vgpu->lock);
	if (off < MVGPU_MMIO_SIZE)
		memcpy(buf, vgpu->vreg + off, len);
	else if (off >= MVGPU_GGTT_OFFSET)
		ret = ggtt_rw(vgpu, off, buf, len, false);
	else
		hole_access(vgpu, off, buf, len, false);
	mutex_unlock(&vgpu->lock);
	return ret;
}

/**
 * mvgpu_mmio_write() - guest write of BAR0
 * @vgpu: the vGPU
 * @off: offset in BAR0
 * @buf: source, @len bytes
 * @len: access size
 *
 * Return: 0, or -EINVAL for a bad size, alignment or offset.
 */
int mvgpu_mmio_write(struct mvgpu_vgpu *vgpu, u64 off, const void *buf,
		     unsigned int len)
{
	int ret = 0;

	if (!access_ok_size(off, len, MVGPU_BAR0_SIZE))
		return -EINVAL;
	mutex_lock(&vgpu->lock);
	if (off < MVGPU_MMIO_SIZE)
		reg_write(vgpu, off, buf, len);
	else if (off >= MVGPU_GGTT_OFFSET)
		ret = ggtt_rw(vgpu, off, (void *)buf, len, true);
	else
		hole_access(vgpu, off, (void *)buf, len, true);
	mutex_unlock(&vgpu->lock);
	return ret;
}
