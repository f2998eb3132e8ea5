// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PV info page (GVT-g's vgt_if): on a vGPU it names the graphics
 * memory the driver may use; on a whole GPU its magic reads 0 and all of
 * graphics memory is the driver's.
 */
#include <linux/sizes.h>

#include <drm/drm_drv.h>
#include <drm/drm_print.h>

#include "fb.h"
#include "pvinfo.h"
#include "regs.h"

/* The driver's contexts, rings and status pages live in the hidden range. */
#define MVGPU_MIN_HIDDEN	SZ_1M

static bool pvinfo_range_ok(u64 base, u64 size, u64 lo, u64 hi)
{
	return size && IS_ALIGNED(base, MVGPU_GTT_PAGE_SIZE) &&
	       IS_ALIGNED(size, MVGPU_GTT_PAGE_SIZE) && base >= lo &&
	       base < hi && size <= hi - base;
}

/* A display limit: what PIPESRC holds, unless the vGPU says less. */
static u32 pvinfo_display_limit(struct mvgpu_drm *m, const char *what, u32 val)
{
	if (val && val <= MVGPU_PIPESRC_MAX)
		return val;
	drm_warn(&m->drm, "PV info MAX_%s %u unusable: %u instead\n", what,
		 val, MVGPU_PIPESRC_MAX);
	return MVGPU_PIPESRC_MAX;
}

static int pvinfo_read_vgpu(struct mvgpu_drm *m, struct mvgpu_pvinfo *pv)
{
	u32 ver = mvgpu_pv_rd(m, MVGPU_PVINFO_VERSION_REG);
	u32 major = ver & 0xffff, minor = ver >> 16;

	if (major != MVGPU_PVINFO_VERSION_MAJOR) {
		drm_err(&m->drm, "PV info version %u.%u not supported\n",
			major, minor);
		return -ENODEV;
	}
	pv->vgpu = true;
	pv->version = major << 16 | minor;
	pv->has_failsafe = minor >= 1;
	pv->vgpu_id = mvgpu_pv_rd(m, MVGPU_PVINFO_VGPU_ID_REG);
	pv->caps = mvgpu_pv_rd(m, MVGPU_PVINFO_CAPS_REG);
	pv->mappable_base = mvgpu_pv_rd(m, MVGPU_PVINFO_APERTURE_BASE_REG);
	pv->mappable_size = mvgpu_pv_rd(m, MVGPU_PVINFO_APERTURE_SIZE_REG);
	pv->hidden_base = mvgpu_pv_rd(m, MVGPU_PVINFO_HIDDEN_BASE_REG);
	pv->hidden_size = mvgpu_pv_rd(m, MVGPU_PVINFO_HIDDEN_SIZE_REG);
	pv->max_width = pvinfo_display_limit(m, "width",
					     mvgpu_pv_rd(m, MVGPU_PVINFO_MAX_WIDTH_REG));
	pv->max_height = pvinfo_display_limit(m, "height",
					      mvgpu_pv_rd(m, MVGPU_PVINFO_MAX_HEIGHT_REG));
	if (!pvinfo_range_ok(pv->mappable_base, pv->mappable_size, 0,
			     MVGPU_APERTURE_SIZE) ||
	    !pvinfo_range_ok(pv->hidden_base, pv->hidden_size, MVGPU_APERTURE_SIZE,
			     MVGPU_GM_SIZE) || pv->hidden_size < MVGPU_MIN_HIDDEN) {
		drm_err(&m->drm, "PV info ranges unusable: mappable 0x%llx+0x%llx hidden 0x%llx+0x%llx\n",
			pv->mappable_base, pv->mappable_size, pv->hidden_base,
			pv->hidden_size);
		return -ENODEV;
	}
	return 0;
}

/**
 * mvgpu_pvinfo_read() - find out what the device is and what it may use
 * @m: the device, BAR0 mapped
 *
 * Fills @m->info: the two graphics memory ranges given on a vGPU, or all
 * of graphics memory (the aperture, and everything above it as the
 * hidden range) on a whole GPU.
 *
 * Return: 0, or -ENODEV for an unknown magic, an unsupported version or
 * ranges the driver cannot use.
 */
int mvgpu_pvinfo_read(struct mvgpu_drm *m)
{
	struct mvgpu_pvinfo *pv = &m->info;
	u64 magic = mvgpu_pv_rd(m, MVGPU_PVINFO_MAGIC_REG) |
		    (u64)mvgpu_pv_rd(m, MVGPU_PVINFO_MAGIC_REG + 4) << 32;

	memset(pv, 0, sizeof(*pv));
	if (magic == MVGPU_PVINFO_MAGIC)
		return pvinfo_read_vgpu(m, pv);
	if (magic) {
		drm_err(&m->drm, "unknown PV info magic 0x%llx\n", magic);
		return -ENODEV;
	}
	pv->mappable_base = 0;
	pv->mappable_size = MVGPU_APERTURE_SIZE;
	pv->hidden_base = MVGPU_APERTURE_SIZE;
	pv->hidden_size = MVGPU_GM_SIZE - MVGPU_APERTURE_SIZE;
	pv->max_width = MVGPU_PIPESRC_MAX;
	pv->max_height = MVGPU_PIPESRC_MAX;
	return 0;
}

/**
 * mvgpu_pvinfo_failsafe() - is the vGPU in failsafe mode now?
 * @m: the device
 *
 * Return: true if the vGPU says it ignores submissions until it is reset;
 * false on a whole GPU or a vGPU that does not report it.
 */
bool mvgpu_pvinfo_failsafe(struct mvgpu_drm *m)
{
	bool ret = false;
	int idx;

	if (!m->info.has_failsafe || !drm_dev_enter(&m->drm, &idx))
		return false;
	ret = mvgpu_pv_rd(m, MVGPU_PVINFO_FAILSAFE_REG) & 1;
	drm_dev_exit(idx);
	return ret;
}
