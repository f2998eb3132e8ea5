// SPDX-License-Identifier: GPL-2.0-only
/*
 * The connector: the GPU's virtual monitor.  EDID_STATUS says whether it
 * is connected; its modes are those of its EDID (EDID_BASE), within the
 * PV info's MAX_WIDTH and MAX_HEIGHT, or the standard ones up to those
 * if the EDID is unusable.
 */
#include <linux/unaligned.h>

#include <drm/drm_atomic_state_helper.h>
#include <drm/drm_drv.h>
#include <drm/drm_edid.h>
#include <drm/drm_modeset_helper_vtables.h>
#include <drm/drm_probe_helper.h>

#include "display.h"
#include "drv.h"
#include "fb.h"
#include "regs.h"

/* drm_edid_read_custom()'s reader: block @block of the EDID window. */
static int read_edid_block(void *data, u8 *buf, unsigned int block,
			   size_t len)
{
	struct mvgpu_drm *m = data;
	size_t off = (size_t)block * EDID_LENGTH, i;
	int idx;

	if (off + len > MVGPU_EDID_SIZE || len % 4)
		return -EINVAL;
	if (!drm_dev_enter(&m->drm, &idx))
		return -ENODEV;
	for (i = 0; i < len; i += 4)
		put_unaligned_le32(mvgpu_rd(m, MVGPU_EDID_BASE + off + i),
				   buf + i);
	drm_dev_exit(idx);
	return 0;
}

static int connector_get_modes(struct drm_connector *connector)
{
	struct mvgpu_drm *m = to_mvgpu(connector->dev);
	const struct drm_edid *edid;
	int count;

	edid = drm_edid_read_custom(connector, read_edid_block, m);
	drm_edid_connector_update(connector, edid);
	count = drm_edid_connector_add_modes(connector);
	drm_edid_free(edid);
	if (count)
		return count;
	count = drm_add_modes_noedid(connector, m->display.max_width,
				     m->display.max_height);
	drm_set_preferred_mode(connector, 1024, 768);
	return count;
}

static enum drm_mode_status connector_mode_valid(struct drm_connector *connector,
						 struct drm_display_mode *mode)
{
	return mvgpu_fb_mode_valid(to_mvgpu(connector->dev), mode);
}

static const struct drm_connector_helper_funcs connector_helper_funcs = {
	.get_modes = connector_get_modes,
	.mode_valid = connector_mode_valid,
};

static enum drm_connector_status connector_detect(struct drm_connector *connector,
						  bool force)
{
	struct mvgpu_drm *m = to_mvgpu(connector->dev);
	enum drm_connector_status status = connector_status_disconnected;
	int idx;

	if (!drm_dev_enter(&m->drm, &idx))
		return status;
	if (mvgpu_rd(m, MVGPU_EDID_STATUS) & MVGPU_EDID_STATUS_CONNECTED)
		status = connector_status_connected;
	drm_dev_exit(idx);
	return status;
}

static const struct drm_connector_funcs connector_funcs = {
	.detect = connector_detect,
	.fill_modes = drm_helper_probe_single_connector_modes,
	.destroy = drm_connector_cleanup,
	.reset = drm_atomic_helper_connector_reset,
	.atomic_duplicate_state = drm_atomic_helper_connector_duplicate_state,
	.atomic_destroy_state = drm_atomic_helper_connector_destroy_state,
};

/**
 * mvgpu_connector_init() - the virtual monitor's connector
 * @m: the device
 *
 * Return: 0, or a negative errno.
 */
int mvgpu_connector_init(struct mvgpu_drm *m)
{
	struct drm_connector *c = &m->display.connector;
	int ret;

	ret = drm_connector_init(&m->drm, c, &connector_funcs,
				 DRM_MODE_CONNECTOR_VIRTUAL);
	if (ret)
		return ret;
	drm_connector_helper_add(c, &connector_helper_funcs);
	return 0;
}
