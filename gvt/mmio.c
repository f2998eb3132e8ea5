// SPDX-License-Identifier: GPL-2.0-only
/*
 * BAR0 of a vGPU: registers, PV info page and GGTT window.
 *
 * Accesses are 1, 2, 4 or 8 bytes, naturally aligned (GGTT: 4 or 8);
 * anything else is refused with -EINVAL before any state is touched.
 * Registers, including the PV info page, are the register file's
 * (vreg.c).  Guest mistakes that a real GPU would absorb (writes to
 * read-only registers, GGTT entries outside the vGPU's graphics memory)
 * are dropped, counted and logged, rate-limited.
 */
#include <linux/errno.h>
#include <linux/string.h>

#include <mvgpu/mvgpu_pci.h>

#include "ggtt.h"
#include "pgpu_types.h"
#include "sched.h"
#include "stages.h"
#include "trace.h"
#include "vgpu.h"
#include "vgpu_types.h"

static bool mmio_access_ok_size(u64 off, unsigned int len, u64 limit)
{
	if (len != 1 && len != 2 && len != 4 && len != 8)
		return false;
	return !(off & (len - 1)) && off < limit && len <= limit - off;
}

static int mmio_ggtt_index(struct mvgpu_vgpu *vgpu, u64 off, bool write)
{
	u64 gm_addr = (off - MVGPU_GGTT_OFFSET) / 8 << MVGPU_GTT_PAGE_SHIFT;
	int index = mvgpu_vgpu_ggtt_index(vgpu, gm_addr);

	if (index >= 0)
		return index;
	atomic64_inc(&vgpu->stats.bad_ggtt);
	mvgpu_vgpu_warn(vgpu, "GGTT %s of 0x%llx outside the vGPU's graphics memory\n",
			write ? "write" : "read", gm_addr);
	return index;
}

static int mmio_ggtt_rw(struct mvgpu_vgpu *vgpu, u64 off, void *buf,
			unsigned int len, bool write)
{
	int index;
	u64 pte;

	if (len != 4 && len != 8)
		return -EINVAL;
	index = mmio_ggtt_index(vgpu, off, write);
	if (index < 0) {
		if (!write)
			memset(buf, 0, len);
		return 0;
	}
	pte = mvgpu_ggtt_get(vgpu, index);
	if (!write) {
		memcpy(buf, (u8 *)&pte + (off & 7), len);
		return 0;
	}
	memcpy((u8 *)&pte + (off & 7), buf, len);
	mvgpu_ggtt_set(vgpu, index, pte);
	return 0;
}

static void mmio_hole_access(struct mvgpu_vgpu *vgpu, u64 off, void *buf,
			     unsigned int len, bool write)
{
	atomic64_inc(&vgpu->stats.bad_mmio);
	mvgpu_vgpu_warn(vgpu, "%s of unassigned BAR0 offset 0x%llx\n",
			write ? "write" : "read", off);
	if (!write)
		memset(buf, 0, len);
}

static int mmio_access(struct mvgpu_vgpu *vgpu, u64 off, void *buf,
		       unsigned int len, bool write)
{
	int ret = 0;

	if (!mmio_access_ok_size(off, len, MVGPU_BAR0_SIZE))
		return -EINVAL;
	atomic64_inc(&vgpu->stats.trapped);
	mvgpu_stage_trap(vgpu);
	mutex_lock(&vgpu->lock);
	if (off >= MVGPU_GGTT_OFFSET)
		ret = mmio_ggtt_rw(vgpu, off, buf, len, write);
	else if (off >= MVGPU_MMIO_SIZE)
		mmio_hole_access(vgpu, off, buf, len, write);
	else if (write)
		ret = mvgpu_vreg_write(&vgpu->vregs, off, buf, len);
	else
		ret = mvgpu_vreg_read(&vgpu->vregs, off, buf, len);
	mutex_unlock(&vgpu->lock);
	/* an ELSP write's submission: wake the engine, no lock held */
	if (write)
		mvgpu_sched_kick_backend(&vgpu->pgpu->sched);
	trace_mvgpu_trap(vgpu, off, buf, len, write, ret);
	return ret;
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
	return mmio_access(vgpu, off, buf, len, false);
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
	return mmio_access(vgpu, off, (void *)buf, len, true);
}
