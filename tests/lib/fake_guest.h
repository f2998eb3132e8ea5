/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A guest and its VMM for userspace tests of a vGPU: guest memory that
 * the vGPU reaches through struct mvgpu_guest_mem_ops (pinned pages are
 * what the fake backend's engines may touch), and a guest driver that
 * maps graphics memory, builds contexts and rings, submits them through
 * the ELSP and reads the context status buffer.  See fake_guest.c.
 */
#ifndef _FAKE_GUEST_H
#define _FAKE_GUEST_H

#include <linux/device.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <mvgpu/mvgpu_cmd.h>
#include <mvgpu/mvgpu_regs.h>

#include "vgpu.h"
#include "vgpu_types.h"

#define FG_LOG		256	/* CSB entries kept per engine */

/**
 * struct fg_csb - one context status buffer entry the guest read
 * @status: MVGPU_CSB_* bits
 * @ctx_id: context ID
 */
struct fg_csb {
	u32 status;
	u32 ctx_id;
};

/**
 * struct fg - a guest with its vGPU
 * @vgpu: the vGPU
 * @dev: its device, for log lines
 * @name: the device's name
 * @ram: guest memory, @pages pages at guest physical 0
 * @pages: how many
 * @pins: pins held per page (atomic)
 * @next_page: the next graphics page fg_alloc() hands out
 * @block_rw: guest memory accesses block until cleared (atomic)
 * @rw_blocked: accesses blocked now (atomic)
 * @wq: blocked accesses wait here
 * @bad_unpins: unpins of pages not pinned (atomic)
 * @log: per engine, the CSB entries read, in order
 * @nlog: how many
 * @csb_lost: the CSB was overwritten before it was read
 */
struct fg {
	struct mvgpu_vgpu vgpu;
	struct device dev;
	char name[16];
	u8 *ram;
	unsigned int pages;
	u32 *pins;
	unsigned int next_page;
	bool block_rw;
	int rw_blocked;
	wait_queue_head_t wq;
	int bad_unpins;
	struct fg_csb log[MVGPU_NUM_ENGINES][FG_LOG];
	unsigned int nlog[MVGPU_NUM_ENGINES];
	bool csb_lost;
};

/**
 * struct fg_ctx - a guest context and its ring
 * @g: its guest
 * @engine: the engine it is for
 * @id: its context ID
 * @lrca: graphics address of its image
 * @ring: graphics address of its ring
 * @ring_size: bytes
 * @tail: where the next command goes
 */
struct fg_ctx {
	struct fg *g;
	unsigned int engine;
	u32 id;
	u32 lrca;
	u32 ring;
	u32 ring_size;
	u32 tail;
};

int fg_init(struct fg *g, struct mvgpu_pgpu *pgpu,
	    const struct mvgpu_type_desc *type, unsigned int pages,
	    const char *name);
void fg_fini(struct fg *g);
void fg_close(struct fg *g);
void *fg_page_lookup(u64 pfn);
long fg_pins(struct fg *g);

u32 fg_alloc(struct fg *g, unsigned int npages);
void *fg_va(struct fg *g, u32 gm);
u32 fg_read(struct fg *g, u32 gm);
void fg_write(struct fg *g, u32 gm, u32 val);
int fg_ggtt_set(struct fg *g, u32 gm, u64 pte);

void fg_ctx_init(struct fg *g, struct fg_ctx *c, unsigned int engine, u32 id);
u64 fg_desc(const struct fg_ctx *c);
void fg_emit(struct fg_ctx *c, const u32 *dw, unsigned int n);
#define FG_EMIT(c, ...) do {						\
	const u32 __dw[] = { __VA_ARGS__ };				\
									\
	fg_emit((c), __dw, sizeof(__dw) / sizeof(__dw[0]));		\
} while (0)
#define FG_SDI(c, gm, val)						\
	FG_EMIT(c, MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, (gm), 0, (val))
#define FG_LRI(c, reg, val)						\
	FG_EMIT(c, MVGPU_MI_LOAD_REGISTER_IMM(1), (reg), (val))
#define FG_SRM(c, reg, gm)						\
	FG_EMIT(c, MVGPU_MI_STORE_REGISTER_MEM | MVGPU_MI_USE_GGTT, (reg), \
		(gm), 0)
u32 fg_img(const struct fg_ctx *c, unsigned int dw);

int fg_submit(struct fg *g, const struct fg_ctx *c0, const struct fg_ctx *c1);
u32 fg_reg(struct fg *g, u32 off);
int fg_reg_write(struct fg *g, u32 off, u32 val);
unsigned int fg_poll(struct fg *g, unsigned int engine);
bool fg_wait_events(struct fg *g, unsigned int engine, unsigned int n,
		    unsigned int timeout_ms);
void fg_block_rw(struct fg *g, bool block);
int fg_rw_blocked(struct fg *g);

#endif /* _FAKE_GUEST_H */
