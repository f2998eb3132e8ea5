/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Emulated PCI configuration space of a vGPU.
 */
#ifndef _MVGPU_CFG_SPACE_H
#define _MVGPU_CFG_SPACE_H

#include <linux/types.h>

#include <mvgpu/vgpu.h>		/* MVGPU_CFG_SIZE */

#define MVGPU_CFG_MSI_CAP	0x90

/**
 * struct mvgpu_cfg_space - config space contents and write semantics
 * @data: what reads return
 * @wmask: bits a write may change
 * @w1cmask: bits a write of 1 clears (status error bits)
 * @reset: contents after reset
 *
 * Like QEMU's PCIDevice, the semantics of every byte are data: BAR sizing,
 * read-only fields and write-1-to-clear bits all follow from the masks.
 * Callers serialise access.
 */
struct mvgpu_cfg_space {
	u8 data[MVGPU_CFG_SIZE];
	u8 wmask[MVGPU_CFG_SIZE];
	u8 w1cmask[MVGPU_CFG_SIZE];
	u8 reset[MVGPU_CFG_SIZE];
};

void mvgpu_cfg_init(struct mvgpu_cfg_space *cfg, u16 subsys_device);
void mvgpu_cfg_reset(struct mvgpu_cfg_space *cfg);
int mvgpu_cfg_read(const struct mvgpu_cfg_space *cfg, u64 off, void *buf,
		   u64 len);
int mvgpu_cfg_write(struct mvgpu_cfg_space *cfg, u64 off, const void *buf,
		    u64 len);
int mvgpu_cfg_restore(struct mvgpu_cfg_space *cfg, const u8 *data);
int mvgpu_cfg_check_restore(const struct mvgpu_cfg_space *cfg, const u8 *data);
u64 mvgpu_cfg_bar_base(const struct mvgpu_cfg_space *cfg, unsigned int bar);
bool mvgpu_cfg_msi_enabled(const struct mvgpu_cfg_space *cfg);
bool mvgpu_cfg_intx_disabled(const struct mvgpu_cfg_space *cfg);

#endif /* _MVGPU_CFG_SPACE_H */
