// SPDX-License-Identifier: GPL-2.0-only
/*
 * A vGPU's virtual register file: finds each access's register in the
 * table and applies its handler.
 *
 * Registers are 32 bits.  Reads may be 1, 2, 4 or 8 bytes (8 reads two
 * registers); writes 4 or 8 bytes, as the hardware requires.  Accesses to
 * offsets with no register read 0 and are dropped, and like refused
 * writes they are counted and reported through ops->bad_access.
 */
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include <mvgpu/mvgpu_pci.h>

#include "interrupt.h"
#include "vreg.h"

/**
 * mvgpu_vreg_count() - number of registers in the interface
 *
 * Return: how many values a register file holds.
 */
unsigned int mvgpu_vreg_count(void)
{
	return mvgpu_vreg_table_size +
	       MVGPU_NUM_ENGINES * mvgpu_vreg_engine_table_size;
}

static u32 vreg_engine_base(unsigned int engine)
{
	return engine == MVGPU_ENGINE_RCS ? MVGPU_RCS_BASE : MVGPU_BCS_BASE;
}

/**
 * mvgpu_vreg_engine() - engine whose register window holds @offset
 * @offset: BAR0 offset
 *
 * Return: the engine, or %MVGPU_NUM_ENGINES for offsets outside them.
 */
unsigned int mvgpu_vreg_engine(u32 offset)
{
	unsigned int e;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		if (offset - vreg_engine_base(e) < MVGPU_VREG_ENGINE_WINDOW)
			return e;
	return MVGPU_NUM_ENGINES;
}

static const struct mvgpu_vreg_desc *
search(const struct mvgpu_vreg_desc *table, unsigned int n, u32 offset)
{
	unsigned int lo = 0, hi = n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct mvgpu_vreg_desc *d = &table[mid];
		u32 span = 4 * (d->count ? d->count : 1);

		if (offset - d->offset < span)
			return d;
		if (d->offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * The engine registers by dword of the engine window: the index of each
 * one's entry in mvgpu_vreg_engine_table plus one, 0 for none.  Built
 * once, when the first register file is set up (vreg_index_build()); the
 * execlist and interrupt logic look engine registers up dozens of times
 * per workload, which a binary search made a measurable part of a tiny
 * submission's cost.
 */
static u8 vreg_engine_index[MVGPU_VREG_ENGINE_WINDOW / 4];
/* 0: not built, 1: being built, 2: built (read with acquire) */
static atomic_t vreg_index_state = ATOMIC_INIT(0);

static void vreg_index_build(void)
{
	unsigned int i, k;

	if (atomic_read(&vreg_index_state) ||
	    atomic_cmpxchg(&vreg_index_state, 0, 1))
		return;
	for (i = 0; i < mvgpu_vreg_engine_table_size &&
	     !WARN_ON(i >= U8_MAX); i++) {
		const struct mvgpu_vreg_desc *d = &mvgpu_vreg_engine_table[i];

		for (k = 0; k < (d->count ? d->count : 1); k++)
			if (!WARN_ON(d->offset / 4 + k >=
				     ARRAY_SIZE(vreg_engine_index)))
				vreg_engine_index[d->offset / 4 + k] = i + 1;
	}
	atomic_set_release(&vreg_index_state, 2);
}

static const struct mvgpu_vreg_desc *vreg_engine_find(u32 rel)
{
	unsigned int i;

	if (atomic_read_acquire(&vreg_index_state) != 2)
		return search(mvgpu_vreg_engine_table,
			      mvgpu_vreg_engine_table_size, rel);
	i = rel / 4 < ARRAY_SIZE(vreg_engine_index) ?
	    vreg_engine_index[rel / 4] : 0;
	return i ? &mvgpu_vreg_engine_table[i - 1] : NULL;
}

/**
 * mvgpu_vreg_find() - the register at @offset
 * @offset: BAR0 offset, dword aligned
 * @slot: if not NULL, set to the index of its value in a register file
 *
 * Return: its descriptor, or NULL when the interface has none there.
 */
const struct mvgpu_vreg_desc *mvgpu_vreg_find(u32 offset, unsigned int *slot)
{
	unsigned int e = mvgpu_vreg_engine(offset);
	const struct mvgpu_vreg_desc *d;

	if (e < MVGPU_NUM_ENGINES) {
		d = vreg_engine_find(offset - vreg_engine_base(e));
		if (d && slot)
			*slot = mvgpu_vreg_table_size +
				e * mvgpu_vreg_engine_table_size +
				(d - mvgpu_vreg_engine_table);
		return d;
	}
	d = search(mvgpu_vreg_table, mvgpu_vreg_table_size, offset);
	if (d && slot)
		*slot = d - mvgpu_vreg_table;
	return d;
}

/**
 * mvgpu_vreg_slot() - storage of the register at @offset
 * @vr: register file
 * @offset: BAR0 offset of a register in the table
 *
 * For handlers that update other registers (status, capture, CSB).
 *
 * Return: pointer to its value, or NULL when there is no such register.
 */
u32 *mvgpu_vreg_slot(struct mvgpu_vregs *vr, u32 offset)
{
	unsigned int slot;

	return mvgpu_vreg_find(offset, &slot) ? &vr->vals[slot] : NULL;
}

/**
 * mvgpu_vregs_init() - set up a register file in its reset state
 * @vr: register file
 * @vals: storage for mvgpu_vreg_count() values
 * @info: per-vGPU constants, copied
 * @ops: effects of writes
 * @priv: argument of @ops
 */
void mvgpu_vregs_init(struct mvgpu_vregs *vr, u32 *vals,
		      const struct mvgpu_vreg_info *info,
		      const struct mvgpu_vreg_ops *ops, void *priv)
{
	vreg_index_build();
	memset(vr, 0, sizeof(*vr));
	vr->vals = vals;
	vr->info = *info;
	vr->ops = ops;
	vr->priv = priv;
	mvgpu_vregs_reset(vr);
}

/**
 * mvgpu_vreg_reset_values() - every register's reset value
 * @vals: mvgpu_vreg_count() values, filled in slot order
 */
void mvgpu_vreg_reset_values(u32 *vals)
{
	unsigned int i, e, n = mvgpu_vreg_table_size;

	for (i = 0; i < n; i++)
		vals[i] = mvgpu_vreg_table[i].reset;
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		for (i = 0; i < mvgpu_vreg_engine_table_size; i++)
			vals[n + e * mvgpu_vreg_engine_table_size + i] =
				mvgpu_vreg_engine_table[i].reset;
}

/**
 * mvgpu_vreg_slot_offset() - BAR0 offset of a register file slot
 * @slot: below mvgpu_vreg_count()
 *
 * The inverse of mvgpu_vreg_find(): a migration stream names registers
 * by offset, so it does not depend on the order of the tables.
 *
 * Return: the offset of the register (the first of a run) at @slot.
 */
u32 mvgpu_vreg_slot_offset(unsigned int slot)
{
	unsigned int n = mvgpu_vreg_table_size;
	unsigned int en = mvgpu_vreg_engine_table_size;

	if (slot < n)
		return mvgpu_vreg_table[slot].offset;
	slot -= n;
	return vreg_engine_base(slot / en) +
	       mvgpu_vreg_engine_table[slot % en].offset;
}

/**
 * mvgpu_vregs_reset() - every register back to its reset value
 * @vr: register file
 *
 * Partial execlist writes are forgotten; the interrupt output drops.
 * Counters are kept.
 */
void mvgpu_vregs_reset(struct mvgpu_vregs *vr)
{
	mvgpu_vreg_reset_values(vr->vals);
	/* the next user finds no descriptor of the last one (migration) */
	memset(vr->elsp, 0, sizeof(vr->elsp));
	memset(vr->elsp_count, 0, sizeof(vr->elsp_count));
	if (vr->irq_asserted && vr->ops->irq_level)
		vr->ops->irq_level(vr->priv, false);
	vr->irq_asserted = false;
}

/**
 * mvgpu_vregs_reset_engine() - an engine's registers back to reset values
 * @vr: register file
 * @engine: the engine
 *
 * What an engine reset does to the registers: ring state, execlist status,
 * context status buffer and error capture return to reset values, the
 * engine's pending interrupts are dropped; the run list stays enabled and
 * the status page address is kept, as the interface specifies.
 */
void mvgpu_vregs_reset_engine(struct mvgpu_vregs *vr, unsigned int engine)
{
	unsigned int i, n = mvgpu_vreg_engine_table_size;
	u32 *vals = vr->vals + mvgpu_vreg_table_size + engine * n;
	u32 mode_off = vreg_engine_base(engine) + MVGPU_RING_MODE;
	u32 hws_off = vreg_engine_base(engine) + MVGPU_RING_HWS_PGA;
	u32 mode = *mvgpu_vreg_slot(vr, mode_off);
	u32 hws = *mvgpu_vreg_slot(vr, hws_off);

	for (i = 0; i < n; i++)
		vals[i] = mvgpu_vreg_engine_table[i].reset;
	*mvgpu_vreg_slot(vr, mode_off) = mode;
	*mvgpu_vreg_slot(vr, hws_off) = hws;
	memset(vr->elsp[engine], 0, sizeof(vr->elsp[engine]));
	vr->elsp_count[engine] = 0;
	mvgpu_vintr_clear(vr, MVGPU_IRQ_BANK_GT, 0xffffU <<
			  (engine == MVGPU_ENGINE_RCS ? MVGPU_RCS_IRQ_SHIFT :
						       MVGPU_BCS_IRQ_SHIFT));
}

/**
 * mvgpu_vreg_bad() - count and report a refused access
 * @vr: register file
 * @offset: BAR0 offset
 * @write: direction
 * @why: short reason for the log line
 */
void mvgpu_vreg_bad(struct mvgpu_vregs *vr, u32 offset, bool write,
		    const char *why)
{
	vr->refused_writes += write;
	if (vr->ops->bad_access)
		vr->ops->bad_access(vr->priv, offset, write, why);
}

static u32 vreg_read_dword(struct mvgpu_vregs *vr, u32 offset)
{
	const struct mvgpu_vreg_desc *d;
	unsigned int slot;

	d = mvgpu_vreg_find(offset, &slot);
	if (!d) {
		vr->unknown_accesses++;
		mvgpu_vreg_bad(vr, offset, false, "no register");
		return 0;
	}
	if (d->read)
		return d->read(vr, d, offset);
	return vr->vals[slot];
}

static void vreg_write_dword(struct mvgpu_vregs *vr, u32 offset, u32 val)
{
	const struct mvgpu_vreg_desc *d = mvgpu_vreg_find(offset, NULL);

	if (!d) {
		vr->unknown_accesses++;
		mvgpu_vreg_bad(vr, offset, true, "no register");
		return;
	}
	if (!d->write) {
		mvgpu_vreg_bad(vr, offset, true, "read-only register");
		return;
	}
	d->write(vr, d, offset, val);
}

static bool vreg_access_ok(u32 offset, unsigned int len)
{
	if (len != 1 && len != 2 && len != 4 && len != 8)
		return false;
	return !(offset & (len - 1)) && offset < MVGPU_MMIO_SIZE &&
	       len <= MVGPU_MMIO_SIZE - offset;
}

/**
 * mvgpu_vreg_read() - guest read of the register space
 * @vr: register file
 * @offset: BAR0 offset below %MVGPU_MMIO_SIZE
 * @buf: destination
 * @len: 1, 2, 4 or 8, naturally aligned
 *
 * Return: 0, or -EINVAL for a bad size, alignment or offset.
 */
int mvgpu_vreg_read(struct mvgpu_vregs *vr, u32 offset, void *buf,
		    unsigned int len)
{
	u32 base = offset & ~3U;
	u32 val;

	if (!vreg_access_ok(offset, len))
		return -EINVAL;
	if (len == 8) {
		put_unaligned_le32(vreg_read_dword(vr, offset), buf);
		put_unaligned_le32(vreg_read_dword(vr, offset + 4), (u8 *)buf + 4);
		return 0;
	}
	val = vreg_read_dword(vr, base) >> ((offset - base) * 8);
	if (len == 4)
		put_unaligned_le32(val, buf);
	else if (len == 2)
		put_unaligned_le16(val, buf);
	else
		*(u8 *)buf = val;
	return 0;
}

/**
 * mvgpu_vreg_write() - guest write of the register space
 * @vr: register file
 * @offset: BAR0 offset below %MVGPU_MMIO_SIZE
 * @buf: source
 * @len: 1, 2, 4 or 8, naturally aligned; 1 and 2 are refused
 *
 * Return: 0, or -EINVAL for a bad size, alignment or offset.
 */
int mvgpu_vreg_write(struct mvgpu_vregs *vr, u32 offset, const void *buf,
		     unsigned int len)
{
	if (!vreg_access_ok(offset, len))
		return -EINVAL;
	if (len < 4) {
		mvgpu_vreg_bad(vr, offset, true, "sub-dword write");
		return 0;
	}
	vreg_write_dword(vr, offset, get_unaligned_le32(buf));
	if (len == 8)
		vreg_write_dword(vr, offset + 4, get_unaligned_le32((u8 *)buf + 4));
	return 0;
}
