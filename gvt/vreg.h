/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vGPU's virtual register file.
 */
#ifndef _MVGPU_VREG_H
#define _MVGPU_VREG_H

#include <linux/types.h>

#include <mvgpu/mvgpu_regs.h>

struct mvgpu_vregs;

/**
 * struct mvgpu_vreg_desc - a 32-bit register of the interface
 * @offset: offset in BAR0 or, in the engine table, from the engine's base
 * @count: number of consecutive registers described, 0 meaning 1; only
 *         for registers computed by @read, which share one value slot
 * @reset: value after reset
 * @wmask: bits a plain write may change
 * @arg: handler argument (interrupt bank, PV info field)
 * @read: computes the value read at @offset, or NULL to return the stored
 *        value
 * @write: carries out a write at @offset, or NULL for a read-only register
 *
 * The tables of these (vreg_table.c) are the single description of the
 * register interface: trapping and reset both take their behaviour from
 * them.  Offsets with no entry read 0 and ignore writes.
 */
struct mvgpu_vreg_desc {
	u32 offset;
	u16 count;
	u8 arg;
	u32 reset;
	u32 wmask;
	u32 (*read)(struct mvgpu_vregs *vr, const struct mvgpu_vreg_desc *d,
		    u32 offset);
	void (*write)(struct mvgpu_vregs *vr, const struct mvgpu_vreg_desc *d,
		      u32 offset, u32 val);
};

/**
 * struct mvgpu_vreg_ops - effects of register writes beyond the file
 * @elsp_submit: the guest wrote a pair of context descriptors to @engine's
 *               execlist submit port
 * @gdrst: the guest asked for a reset: MVGPU_GDRST_* bits
 * @irq_level: the interrupt output changed level
 * @plane_update: a display plane register changed
 * @bad_access: a refused access, for counting and rate-limited logging
 * @hws_write: copy @len bytes of @buf to graphics address @gm_addr, in
 *             @engine's status page; a refused write is the callee's to
 *             count and report
 * @hws_read: copy @len bytes at graphics address @gm_addr, in @engine's
 *            status page, to @buf; 0, or an error the callee counted and
 *            reported
 */
struct mvgpu_vreg_ops {
	void (*elsp_submit)(void *priv, unsigned int engine, const u64 desc[2]);
	void (*gdrst)(void *priv, u32 bits);
	void (*irq_level)(void *priv, bool asserted);
	void (*plane_update)(void *priv);
	void (*bad_access)(void *priv, u32 offset, bool write,
			   const char *why);
	void (*hws_write)(void *priv, unsigned int engine, u32 gm_addr,
			  const void *buf, unsigned int len);
	int (*hws_read)(void *priv, unsigned int engine, u32 gm_addr,
			void *buf, unsigned int len);
};

/**
 * struct mvgpu_vreg_info - per-vGPU constants the registers report
 * @vgpu_id: PV info vGPU number
 * @aperture_base: PV info mappable range
 * @aperture_size: its size
 * @hidden_base: PV info hidden range
 * @hidden_size: its size
 * @max_width: PV info display limit
 * @max_height: PV info display limit
 * @edid: 256-byte EDID of the virtual monitor
 */
struct mvgpu_vreg_info {
	u32 vgpu_id;
	u32 aperture_base;
	u32 aperture_size;
	u32 hidden_base;
	u32 hidden_size;
	u32 max_width;
	u32 max_height;
	const u8 *edid;
};

/**
 * struct mvgpu_vregs - register file state
 * @vals: one value per register slot, mvgpu_vreg_count() of them
 * @info: constants reported through the PV info page and EDID window
 * @ops: effects on the rest of the vGPU
 * @priv: argument of @ops
 * @elsp: descriptor dwords written so far, per engine
 * @elsp_count: how many of them, per engine
 * @irq_asserted: last level reported through @ops->irq_level
 * @unknown_accesses: accesses to offsets with no register
 * @refused_writes: writes to read-only registers or of a bad size
 *
 * Callers serialise access.
 */
struct mvgpu_vregs {
	u32 *vals;
	struct mvgpu_vreg_info info;
	const struct mvgpu_vreg_ops *ops;
	void *priv;
	u32 elsp[MVGPU_NUM_ENGINES][4];
	u8 elsp_count[MVGPU_NUM_ENGINES];
	bool irq_asserted;
	u64 unknown_accesses;
	u64 refused_writes;
};

/* Engine registers, at offsets from each engine's base (vreg_table.c). */
#define MVGPU_VREG_ENGINE_WINDOW	0x1000
extern const struct mvgpu_vreg_desc mvgpu_vreg_engine_table[];
extern const unsigned int mvgpu_vreg_engine_table_size;
/* All other registers, at BAR0 offsets. */
extern const struct mvgpu_vreg_desc mvgpu_vreg_table[];
extern const unsigned int mvgpu_vreg_table_size;

unsigned int mvgpu_vreg_count(void);
void mvgpu_vregs_init(struct mvgpu_vregs *vr, u32 *vals,
		      const struct mvgpu_vreg_info *info,
		      const struct mvgpu_vreg_ops *ops, void *priv);
void mvgpu_vregs_reset(struct mvgpu_vregs *vr);
void mvgpu_vreg_reset_values(u32 *vals);
u32 mvgpu_vreg_slot_offset(unsigned int slot);
void mvgpu_vregs_reset_engine(struct mvgpu_vregs *vr, unsigned int engine);
const struct mvgpu_vreg_desc *mvgpu_vreg_find(u32 offset, unsigned int *slot);
u32 *mvgpu_vreg_slot(struct mvgpu_vregs *vr, u32 offset);
unsigned int mvgpu_vreg_engine(u32 offset);
int mvgpu_vreg_read(struct mvgpu_vregs *vr, u32 offset, void *buf,
		    unsigned int len);
int mvgpu_vreg_write(struct mvgpu_vregs *vr, u32 offset, const void *buf,
		     unsigned int len);
void mvgpu_vreg_bad(struct mvgpu_vregs *vr, u32 offset, bool write,
		    const char *why);

#endif /* _MVGPU_VREG_H */
