// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the virtual register file (gvt/vreg*.c,
 * gvt/interrupt.c, gvt/execlist.c): what a hostile guest can do to its
 * registers, mixed with the events the GPU side delivers.
 *
 * An input is a sequence of 14-byte operations: kind, access size, BAR0
 * offset (32 bits) and value (64 bits).  Besides the sanitizers it checks:
 *
 * - an access fails with -EINVAL exactly when its size, alignment or
 *   offset is bad, and succeeds otherwise;
 * - the interrupt output is reported only on change, and while asserted
 *   the master enable reads set;
 * - submissions name an existing engine;
 * - after a reset every stored register reads its reset value.
 *
 * Any violation aborts.  Build and run: see tests/fuzz/Makefile.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "execlist.h"
#include "interrupt.h"
#include "vreg.h"
#include <mvgpu/mvgpu_pci.h>

#define CHECK(c) do { if (!(c)) abort(); } while (0)

struct op {
	u8 kind;
	u8 len;
	u32 offset;
	u64 value;
} __attribute__((packed));

static bool level;

static void cb_submit(void *p, unsigned int e, const u64 d[2])
{
	CHECK(e < MVGPU_NUM_ENGINES);
}

static void cb_level(void *p, bool l)
{
	CHECK(l != level);
	level = l;
}

static void cb_gdrst(void *p, u32 bits)
{
	struct mvgpu_vregs *vr = p;

	CHECK(bits && !(bits & ~(MVGPU_GDRST_FULL | MVGPU_GDRST_RENDER |
				 MVGPU_GDRST_BLT)));
	if (bits & MVGPU_GDRST_FULL)
		mvgpu_vregs_reset(vr);
	if (bits & MVGPU_GDRST_RENDER)
		mvgpu_vregs_reset_engine(vr, MVGPU_ENGINE_RCS);
	if (bits & MVGPU_GDRST_BLT)
		mvgpu_vregs_reset_engine(vr, MVGPU_ENGINE_BCS);
}

static const struct mvgpu_vreg_ops ops = {
	.elsp_submit = cb_submit, .irq_level = cb_level, .gdrst = cb_gdrst,
};

static bool valid_access(u32 off, unsigned int len)
{
	if (len != 1 && len != 2 && len != 4 && len != 8)
		return false;
	return !(off & (len - 1)) && off < MVGPU_MMIO_SIZE &&
	       len <= MVGPU_MMIO_SIZE - off;
}

static void check_reset(struct mvgpu_vregs *vr)
{
	unsigned int i;

	CHECK(!level);
	for (i = 0; i < mvgpu_vreg_table_size; i++) {
		const struct mvgpu_vreg_desc *d = &mvgpu_vreg_table[i];

		if (!d->read)
			CHECK(*mvgpu_vreg_slot(vr, d->offset) == d->reset);
	}
}

static void access(struct mvgpu_vregs *vr, const struct op *op, bool write)
{
	u32 off = op->offset % (MVGPU_MMIO_SIZE + 16);
	u64 v = op->value;
	int ret;

	if (write)
		ret = mvgpu_vreg_write(vr, off, &v, op->len);
	else
		ret = mvgpu_vreg_read(vr, off, &v, op->len);
	CHECK(ret == (valid_access(off, op->len) ? 0 : -EINVAL));
}

static void event(struct mvgpu_vregs *vr, const struct op *op)
{
	unsigned int e = op->len & 1;
	struct mvgpu_vengine_error err = {
		.status = (u32)op->value, .ctx_id = op->offset,
		.cmd_addr = op->value >> 8, .fault_addr = op->value << 3,
	};
	struct mvgpu_ring_state ring = {
		(u32)op->value, op->offset, (u32)(op->value >> 32), op->len,
	};

	switch (op->kind % 8) {
	case 2:
		mvgpu_execlist_csb_event(vr, e, (u32)op->value, op->offset);
		break;
	case 3:
		mvgpu_execlist_error(vr, e, &err);
		break;
	case 4:
		mvgpu_execlist_user_interrupt(vr, e);
		break;
	case 5:
		mvgpu_execlist_set_ring(vr, e, &ring);
		break;
	case 6:
		mvgpu_vintr_raise(vr, op->len & 2 ? MVGPU_IRQ_BANK_PIPE_A :
			MVGPU_IRQ_BANK_GT, (u32)op->value);
		break;
	default:
		mvgpu_vregs_reset(vr);
		check_reset(vr);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static u8 edid[256];
	struct mvgpu_vreg_info info = { .vgpu_id = 1, .edid = edid };
	struct mvgpu_vregs vr;
	u32 *vals = calloc(mvgpu_vreg_count(), sizeof(u32));
	struct op op;
	u32 master = 0;

	level = false;
	mvgpu_vregs_init(&vr, vals, &info, &ops, &vr);
	for (; size >= sizeof(op); data += sizeof(op), size -= sizeof(op)) {
		memcpy(&op, data, sizeof(op));
		if (op.kind % 8 < 2)
			access(&vr, &op, op.kind % 8);
		else
			event(&vr, &op);
		if (level) {
			mvgpu_vreg_read(&vr, MVGPU_MASTER_IRQ, &master, 4);
			CHECK(master & MVGPU_MASTER_IRQ_CONTROL);
		}
	}
	free(vals);
	return 0;
}
