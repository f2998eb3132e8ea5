// SPDX-License-Identifier: GPL-2.0-only
/*
 * Scanout buffers.  The plane reads through the GGTT, so a framebuffer's
 * object must be bound there: dumb buffers are created bound, in the
 * mappable range if it has room, else in the hidden one, for their whole
 * life (gem.c); a framebuffer of an object that is not bound (a
 * DRM_IOCTL_MVGPU_GEM_CREATE object without a GGTT flag) is refused.
 * Pitches are multiples of 64 bytes (DSPSTRIDE).
 */
#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_mode_config.h>
#include <drm/drm_modeset_helper_vtables.h>
#include <drm/drm_print.h>

#include "drv.h"
#include "fb.h"
#include "gem.h"

/**
 * mvgpu_dumb_create() - &drm_driver.dumb_create: a GGTT-bound object
 * @file: the caller's file
 * @drm: the device
 * @args: width, height and bpp in; handle, pitch and size out
 *
 * Return: 0, -EINVAL, -ENOSPC, -ENOMEM.
 */
int mvgpu_dumb_create(struct drm_file *file, struct drm_device *drm,
		      struct drm_mode_create_dumb *args)
{
	struct mvgpu_drm *m = to_mvgpu(drm);
	struct mvgpu_bo *bo;
	u64 pitch, size;
	int ret;

	/* the core checked that width * cpp * height fits in 32 bits */
	pitch = ALIGN((u64)args->width * DIV_ROUND_UP(args->bpp, 8),
		      MVGPU_DSPSTRIDE_ALIGN);
	size = PAGE_ALIGN(pitch * args->height);
	if (!size || size > MVGPU_GEM_MAX_SIZE)
		return -EINVAL;
	bo = mvgpu_bo_create(m, size, true, MVGPU_GGTT_MAPPABLE);
	if (PTR_ERR_OR_ZERO(bo) == -ENOSPC)
		bo = mvgpu_bo_create(m, size, true, MVGPU_GGTT_HIDDEN);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	ret = drm_gem_handle_create(file, &bo->base.base, &args->handle);
	if (!ret) {
		args->pitch = pitch;
		args->size = bo->base.base.size;
	}
	/* the handle holds the object now, or nothing does */
	drm_gem_object_put(&bo->base.base);
	return ret;
}

/* Can the plane scan out of this object? */
static int check_scanout_object(struct drm_device *drm, struct drm_file *file,
				const struct drm_mode_fb_cmd2 *cmd)
{
	struct drm_gem_object *obj;
	int ret = 0;

	if (cmd->pitches[0] % MVGPU_DSPSTRIDE_ALIGN ||
	    cmd->pitches[0] > MVGPU_DSPSTRIDE_MAX) {
		drm_dbg_kms(drm, "pitch %u: not a multiple of %u up to %u\n",
			    cmd->pitches[0], MVGPU_DSPSTRIDE_ALIGN,
			    MVGPU_DSPSTRIDE_MAX);
		return -EINVAL;
	}
	obj = drm_gem_object_lookup(file, cmd->handles[0]);
	if (!obj)
		return -ENOENT;
	if (!mvgpu_is_bo(obj) ||
	    !drm_mm_node_allocated(&to_mvgpu_bo(obj)->ggtt)) {
		drm_dbg_kms(drm, "object %u is not bound in the GGTT\n",
			    cmd->handles[0]);
		ret = -EINVAL;
	}
	drm_gem_object_put(obj);
	return ret;
}

static struct drm_framebuffer *fb_create(struct drm_device *drm,
					 struct drm_file *file,
					 const struct drm_mode_fb_cmd2 *cmd)
{
	int ret;

	if (cmd->modifier[0] != DRM_FORMAT_MOD_LINEAR &&
	    (cmd->flags & DRM_MODE_FB_MODIFIERS))
		return ERR_PTR(-EINVAL);
	if (cmd->pixel_format != DRM_FORMAT_XRGB8888 &&
	    cmd->pixel_format != DRM_FORMAT_ARGB8888)
		return ERR_PTR(-EINVAL);
	ret = check_scanout_object(drm, file, cmd);
	if (ret)
		return ERR_PTR(ret);
	return drm_gem_fb_create(drm, file, cmd);
}

/**
 * mvgpu_fb_mode_valid() - can the pipe show this mode?
 * @m: the device
 * @mode: the mode
 *
 * Return: MODE_OK, or why not: larger than the PV info's limits, or a
 * framebuffer of it would not fit in either GGTT range.
 */
enum drm_mode_status mvgpu_fb_mode_valid(struct mvgpu_drm *m,
					 const struct drm_display_mode *mode)
{
	u64 size = (u64)ALIGN(mode->hdisplay * 4, MVGPU_DSPSTRIDE_ALIGN) *
		   mode->vdisplay;

	if (mode->hdisplay > m->display.max_width)
		return MODE_VIRTUAL_X;
	if (mode->vdisplay > m->display.max_height)
		return MODE_VIRTUAL_Y;
	if (size > max(m->info.mappable_size, m->info.hidden_size))
		return MODE_MEM;
	return MODE_OK;
}

/*
 * drm_atomic_helper_commit_tail(), but waiting for the flips' events
 * rather than for a vblank: the event goes out at the vblank at which the
 * GPU scans out the new surface (display.c), so the old framebuffers are
 * unused as well, and a vblank that comes late (a busy host) is not
 * taken for a dead pipe; flip_done allows ten seconds, a vblank wait
 * 100 ms with a WARN.
 */
static void mvgpu_fb_commit_tail(struct drm_atomic_state *state)
{
	struct drm_device *drm = state->dev;

	drm_atomic_helper_commit_modeset_disables(drm, state);
	drm_atomic_helper_commit_planes(drm, state, 0);
	drm_atomic_helper_commit_modeset_enables(drm, state);
	drm_atomic_helper_fake_vblank(state);
	drm_atomic_helper_commit_hw_done(state);
	drm_atomic_helper_wait_for_flip_done(drm, state);
	drm_atomic_helper_cleanup_planes(drm, state);
}

static const struct drm_mode_config_helper_funcs mode_config_helper_funcs = {
	.atomic_commit_tail = mvgpu_fb_commit_tail,
};

static const struct drm_mode_config_funcs mode_config_funcs = {
	.fb_create = fb_create,
	.atomic_check = drm_atomic_helper_check,
	.atomic_commit = drm_atomic_helper_commit,
};

/**
 * mvgpu_fb_mode_config_init() - the device's mode config
 * @m: the device
 *
 * Return: 0, or a negative errno.
 */
int mvgpu_fb_mode_config_init(struct mvgpu_drm *m)
{
	struct drm_device *drm = &m->drm;
	int ret;

	ret = drmm_mode_config_init(drm);
	if (ret)
		return ret;
	drm->mode_config.min_width = 1;
	drm->mode_config.min_height = 1;
	drm->mode_config.max_width = m->display.max_width;
	drm->mode_config.max_height = m->display.max_height;
	drm->mode_config.preferred_depth = 24;
	drm->mode_config.prefer_shadow = 0;
	drm->mode_config.funcs = &mode_config_funcs;
	drm->mode_config.helper_private = &mode_config_helper_funcs;
	return 0;
}
