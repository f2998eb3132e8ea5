// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the command scanner (gvt/cmd_parser.c).
 *
 * An input is a scan configuration, a ring and up to four guest batch
 * segments at fixed addresses (see struct fuzz_hdr and fuzz_seg_addr[]),
 * so that mutated batch starts find batches.  Besides the sanitizers it
 * checks, for every input:
 *
 * - the scanner keeps to the ops contract (copies within a page and the
 *   vGPU's memory, no growth after placement, ...);
 * - a rejection has a reason and an errno;
 * - an accepted workload's shadows hold only known, complete commands of
 *   this engine, every batch start jumps to a placed shadow in the GGTT,
 *   and each shadow equals the guest's batch except those patches;
 * - with the exec bit, the accepted workload runs on the software GPU's
 *   executor (sgpu/cmd_exec.c) in a GGTT where only the vGPU's ranges,
 *   the shadows and the context are mapped: a GGTT fault, or a register
 *   access outside the allow-list, means the scanner let something
 *   through;
 * - without fault injection or rewrites after the copy, the same
 *   workload scanned twice more with the batch verdict cache
 *   (gvt/batch_cache.c: the first scan fills it, the second finds its
 *   batches known) gets the same verdict, at the same place, with the
 *   same counts, and the same checks of its shadows.
 *
 * Any violation aborts.  Build and run: see tests/fuzz/Makefile.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch_cache.h"
#include "sgpu_fake.h"
#include "cmd_parser_fake.h"

/* cfg bits */
#define CFG_BCS		0x01	/* else RCS */
#define CFG_PPGTT	0x02	/* LEGACY_64B context */
#define CFG_TOCTOU	0x04	/* the guest rewrites what was copied */
#define CFG_FAULT_SHIFT	3	/* 0 none, 1 alloc, 2 grow, 3 place */
#define CFG_FAULT_MASK	0x18
#define CFG_TIGHT	0x20	/* small limits */
#define CFG_MIDPAGE	0x40	/* the aperture range ends mid-page */
#define CFG_EXEC	0x80	/* run accepted workloads on the executor */

struct fuzz_hdr {
	u8 cfg;
	u8 arg;			/* bits 2:0 which op call fails (1-based);
				 * bit 7: the ring goes through guest memory
				 * and mvgpu_cmd_copy_ring(), head at bits
				 * 6:4 * 2 KiB */
	u16 ring_dw;		/* ring dwords that follow (capped) */
} __attribute__((packed));

#define ARG_RING_COPY	0x80
#define G_RING		(CSF_APER + 0x40000)
#define G_RING_SIZE	0x4000

/* Segments: u16 dwords, u8 index (& 3), then the dwords. */
static const u64 fuzz_seg_addr[4] = {
	CSF_APER + 0x10000,			/* in the aperture */
	CSF_APER + 0x20000 - 0x40,		/* across a page end */
	CSF_HID + CSF_HID_SIZE - 0x100,		/* at the hidden range's end */
	CSF_PPVA + 0x1000,			/* PPGTT */
};

/* Where each segment's range ends: guest data stays in guest memory. */
static const u64 fuzz_seg_end[4] = {
	CSF_APER + CSF_APER_SIZE, CSF_APER + CSF_APER_SIZE,
	CSF_HID + CSF_HID_SIZE, CSF_PPVA + CSF_PP_SIZE,
};

#define FUZZ_RING_MAX	2048	/* dwords */
#define FUZZ_SEG_MAX	4096	/* dwords */

/* Executor world: identity GGTT over CSF_GM_SIZE, shadows above HID. */
#define X_LRCA		0x1000
#define X_RING		0x10000
#define X_RING_SIZE	0x4000
#define X_SHADOW	(CSF_HID + CSF_HID_SIZE)
#define X_SHADOW_END	CSF_GM_SIZE

#define X_MAX_PIXELS	(1U << 18)	/* skip the executor beyond this */

static struct csf f;
static struct fake fx;
static struct sgpu_engine eng[MVGPU_NUM_ENGINES];
static struct sgpu_exec_ops xops;
static struct sgpu_mem_ops xmem;

static struct mvgpu_batch_cache bc;
static const struct mvgpu_bc_key bc_key = { .lrca = 0x1000 };

static const void *fuzz_known(void *priv, const struct mvgpu_shadow_buf *buf,
			      struct mvgpu_cmd_verdict *v)
{
	struct mvgpu_bc_key key = bc_key;

	key.engine = f.s.engine;
	key.ppgtt = f.s.ppgtt;
	return mvgpu_batch_cache_find(&bc, &key, buf->guest_space,
				      buf->guest_addr, v);
}

static void fuzz_scanned(void *priv, const struct mvgpu_shadow_buf *buf,
			 const struct mvgpu_cmd_verdict *v)
{
	struct mvgpu_bc_key key = bc_key;

	key.engine = f.s.engine;
	key.ppgtt = f.s.ppgtt;
	mvgpu_batch_cache_store(&bc, &key, buf->guest_space, buf->guest_addr,
				buf->va, v);
}

static const struct mvgpu_cmd_ops cached_ops = {
	.copy_in = csf_copy_in,
	.shadow_alloc = csf_alloc,
	.shadow_grow = csf_grow,
	.shadow_place = csf_place,
	.batch_known = fuzz_known,
	.batch_scanned = fuzz_scanned,
};

static void fuzz_fail(const char *what)
{
	fprintf(stderr, "cmd_parser_fuzz: %s\n", what);
	abort();
}

/* Guest pages written during an input, to be zeroed after it. */
static u8 touched[CSF_GM_SIZE / CSF_PAGE];
static u32 touched_list[CSF_GM_SIZE / CSF_PAGE];
static u32 ntouched;

static void touch(u64 pfn)
{
	if (pfn < CSF_GM_SIZE / CSF_PAGE && !touched[pfn]) {
		touched[pfn] = 1;
		touched_list[ntouched++] = pfn;
	}
}

static bool in_run;

static void *x_map_page(void *priv, u64 pfn)
{
	/* the context image is the host's: loaded before, saved after */
	if (in_run && pfn == X_LRCA / CSF_PAGE)
		fuzz_fail("executor accessed the context image");
	touch(pfn);
	return fake_map_page(priv, pfn);
}

/* Registers the executor touches must be on the scanner's allow-list. */
static int x_reg_read(void *priv, u32 reg, u32 *val)
{
	if (!mvgpu_cmd_reg_ok((u32)(uintptr_t)priv, reg, MVGPU_CMD_REG_READ))
		fuzz_fail("executor read a register the scanner refuses");
	*val = 0;
	return 0;
}

static int x_reg_write(void *priv, u32 reg, u32 val)
{
	if (!mvgpu_cmd_reg_ok((u32)(uintptr_t)priv, reg, MVGPU_CMD_REG_WRITE))
		fuzz_fail("executor wrote a register the scanner refuses");
	return 0;
}

static void fuzz_init(void)
{
	u64 i;

	fake_init(&fx, CSF_GM_SIZE / CSF_PAGE, 16, true);
	/* only the context, the vGPU's ranges and the shadows are mapped */
	for (i = 0; i < fx.ggtt_entries; i++) {
		u64 ga = i * CSF_PAGE;

		if (ga >= X_LRCA + 0x1000 && ga < X_RING)
			fx.ggtt[i] = 0;
		if (ga >= X_RING + X_RING_SIZE && ga < CSF_APER)
			fx.ggtt[i] = 0;
		if (ga >= CSF_APER + CSF_APER_SIZE && ga < CSF_HID)
			fx.ggtt[i] = 0;
	}
	xmem.map_page = x_map_page;
	xmem.unmap_page = fake_unmap_page;
	fx.mem.ops = &xmem;
	xops.reg_read = x_reg_read;
	xops.reg_write = x_reg_write;
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		eng[i].id = i;
		eng[i].mem = &fx.mem;
		eng[i].ops = &xops;
		eng[i].priv = (void *)(uintptr_t)i;
	}

	csf_init(&f, MVGPU_ENGINE_RCS, false);
	free(f.gmem);
	f.gmem = fx.phys;	/* identity: GGTT address = offset */
	f.shadow_base = X_SHADOW;
}

/* The guest scribbles over each page right after it was copied. */
static void fuzz_scribble(struct csf *cf, enum mvgpu_cmd_space space,
			  u64 addr, u32 len)
{
	u8 *p;

	if (space == MVGPU_SPACE_GGTT) {
		p = cf->gmem + addr;
		touch(addr / CSF_PAGE);
	} else {
		p = cf->ppmem + (addr - CSF_PPVA);
	}
	memset(p, 0xff, len);
}

/* Pixels the 2D commands of a shadow touch. */
static u64 fuzz_pixels(const u8 *p, u32 len)
{
	u64 px = 0;
	u32 off = 0;

	while (off < len) {
		const struct mvgpu_cmd_desc *d;
		u32 hdr, n, a, b;

		memcpy(&hdr, p + off, 4);
		d = mvgpu_cmd_find(hdr);
		n = d ? mvgpu_cmd_length(d, hdr) : 0;
		if (!n)
			break;
		if (d->geom.rect_dw) {
			memcpy(&a, p + off + 4 * d->geom.rect_dw, 4);
			memcpy(&b, p + off + 4 * d->geom.rect_dw + 4, 4);
			if ((b & 0xffff) > (a & 0xffff) && b >> 16 > a >> 16)
				px += (u64)((b & 0xffff) - (a & 0xffff)) *
				      ((b >> 16) - (a >> 16));
		} else if (d->geom.wh_dw) {
			memcpy(&a, p + off + 4 * d->geom.wh_dw, 4);
			px += (u64)(a & 0xffff) * (a >> 16);
		}
		off += 4 * n;
	}
	return px;
}

static void fuzz_exec(const u32 *ring, u32 len)
{
	struct sgpu_exec_limits lim = {
		.max_cmds = 20000, .max_bytes = 1 << 22,
	};
	static u8 ctx_page[CSF_PAGE], ring_copy[X_RING_SIZE];
	struct sgpu_exec_result res;
	struct tctx t;
	int i;

	u64 px = fuzz_pixels((const u8 *)ring, len);

	for (i = 0; i < f.nbufs; i++) {
		struct csf_buf *cb = f.bufs[i];

		if (cb->b.gma + cb->snap_len > X_SHADOW_END)
			return;		/* does not fit the world */
		px += fuzz_pixels(cb->snap, cb->snap_len);
	}
	if (px > X_MAX_PIXELS)
		return;			/* too slow, not wrong */
	for (i = 0; i < f.nbufs; i++)
		memcpy(fx.phys + f.bufs[i]->b.gma, f.bufs[i]->snap,
		       f.bufs[i]->snap_len);
	tctx_init(&t, &fx, X_LRCA, X_RING, X_RING_SIZE,
		  MVGPU_CTX_MODE_LEGACY_32B, 1, 0);
	memcpy(fx.phys + X_RING, ring, len);
	t.ring.off = len;
	if (tctx_submit(&t))
		fuzz_fail("context");
	memcpy(ctx_page, fx.phys + X_LRCA, sizeof(ctx_page));
	memcpy(ring_copy, fx.phys + X_RING, sizeof(ring_copy));
	in_run = true;
	sgpu_exec_run(&eng[f.s.engine], &t.ctx, &lim, &res);
	in_run = false;
	/* the host's memory is mapped but must not be touched */
	if (memcmp(ctx_page, fx.phys + X_LRCA, sizeof(ctx_page)) ||
	    memcmp(ring_copy, fx.phys + X_RING, sizeof(ring_copy)))
		fuzz_fail("executor wrote the context or the ring");
	for (i = 0; i < f.nbufs; i++) {
		struct csf_buf *cb = f.bufs[i];

		if (memcmp(fx.phys + cb->b.gma, cb->snap, cb->snap_len))
			fuzz_fail("executor wrote a shadow batch");
	}
	if (res.status == SGPU_EXEC_ERROR &&
	    (res.err.code == MVGPU_ERR_GGTT_FAULT ||
	     res.err.code == MVGPU_ERR_PAGE_FAULT ||
	     res.err.code == MVGPU_ERR_INVALID_CMD ||
	     res.err.code == MVGPU_ERR_CMD_LENGTH ||
	     res.err.code == MVGPU_ERR_CMD_ENGINE ||
	     res.err.code == MVGPU_ERR_CMD_TRUNCATED ||
	     res.err.code == MVGPU_ERR_BB_NESTING ||
	     res.err.code == MVGPU_ERR_BB_END_IN_RING ||
	     res.err.code == MVGPU_ERR_NO_PPGTT)) {
		fprintf(stderr, "executor error %u at %#llx hdr %#x fault %#llx\n",
			res.err.code, (unsigned long long)res.err.cmd_addr,
			res.err.cmd_header,
			(unsigned long long)res.err.fault_addr);
		fuzz_fail("accepted workload failed on the executor");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static u32 ring[FUZZ_RING_MAX], orig[FUZZ_RING_MAX];
	struct { u64 addr; u32 bytes; } dirty[16];
	struct mvgpu_cmd_result plain;
	struct fuzz_hdr h;
	unsigned int ndirty = 0, i;
	u32 ring_dw, fault;
	const char *err;
	int ret;

	if (!fx.phys)
		fuzz_init();
	if (size < sizeof(h))
		return 0;
	memcpy(&h, data, sizeof(h));
	data += sizeof(h);
	size -= sizeof(h);

	ring_dw = h.ring_dw;
	if (ring_dw > FUZZ_RING_MAX)
		ring_dw = FUZZ_RING_MAX;
	if (ring_dw > size / 4)
		ring_dw = size / 4;
	memcpy(ring, data, 4 * ring_dw);
	data += 4 * ring_dw;
	size -= 4 * ring_dw;

	while (size >= 3 && ndirty < sizeof(dirty) / sizeof(dirty[0])) {
		u32 ndw = data[0] | data[1] << 8, seg = data[2] & 3;
		u64 a = fuzz_seg_addr[seg];
		u8 *dst;

		data += 3;
		size -= 3;
		if (ndw > size / 4)
			ndw = size / 4;
		if (ndw > FUZZ_SEG_MAX)
			ndw = FUZZ_SEG_MAX;
		if (ndw > (fuzz_seg_end[seg] - a) / 4)
			ndw = (fuzz_seg_end[seg] - a) / 4;
		if (seg == 3)
			dst = f.ppmem + (a - CSF_PPVA);
		else
			dst = f.gmem + a;
		memcpy(dst, data, 4 * ndw);
		dirty[ndirty].addr = a;
		dirty[ndirty++].bytes = 4 * ndw;
		data += 4 * ndw;
		size -= 4 * ndw;
	}

	mvgpu_cmd_scan_init(&f.s, h.cfg & CFG_BCS ? MVGPU_ENGINE_BCS :
			    MVGPU_ENGINE_RCS, h.cfg & CFG_PPGTT, &csf_ops, &f);
	f.s.gm[0].base = CSF_APER;
	f.s.gm[0].size = CSF_APER_SIZE - (h.cfg & CFG_MIDPAGE ? 0x800 : 0);
	f.s.gm[1].base = CSF_HID;
	f.s.gm[1].size = CSF_HID_SIZE;
	f.s.max_bytes = h.cfg & CFG_TIGHT ? 256 : 64 * 1024;
	f.s.max_batches = h.cfg & CFG_TIGHT ? 4 : 32;
	f.after_copy = h.cfg & CFG_TOCTOU ? fuzz_scribble : NULL;
	f.fail_alloc = f.fail_grow = f.fail_place = 0;
	f.n_alloc = f.n_grow = f.n_place = f.n_copy = 0;
	f.contract_errors = 0;
	fault = (h.cfg & CFG_FAULT_MASK) >> CFG_FAULT_SHIFT;
	if (fault == 1)
		f.fail_alloc = (h.arg & 7) + 1;
	else if (fault == 2)
		f.fail_grow = (h.arg & 7) + 1;
	else if (fault == 3)
		f.fail_place = (h.arg & 7) + 1;

	if (h.arg & ARG_RING_COPY) {
		static u32 copy[FUZZ_RING_MAX];
		u32 head = ((h.arg >> 4) & 7) * 0x800, i, len = 4 * ring_dw;

		if (len >= G_RING_SIZE)
			len = G_RING_SIZE - 4;
		for (i = 0; i < len; i += 4) {
			u32 off = (head + i) % G_RING_SIZE;

			memcpy(f.gmem + G_RING + off, (u8 *)ring + i, 4);
			touch((G_RING + off) / CSF_PAGE);
		}
		ret = mvgpu_cmd_copy_ring(&f.s, G_RING, G_RING_SIZE, head,
					  (head + len) % G_RING_SIZE, copy);
		if (ret != (int)len || memcmp(copy, ring, len))
			fuzz_fail("ring copy");
		ring_dw = len / 4;
	}
	memcpy(orig, ring, 4 * ring_dw);
	ret = mvgpu_cmd_scan_ring(&f.s, ring, 4 * ring_dw, &f.res);

	if (getenv("CMD_FUZZ_VERBOSE"))
		fprintf(stderr, "cfg %#x: %d %s buf %u off %u hdr %#x val %#llx, %u cmds %u batches %u bytes\n",
			h.cfg, ret, mvgpu_cmd_reason_str(f.res.reason),
			f.res.index, f.res.offset, f.res.header,
			(unsigned long long)f.res.value, f.res.cmds,
			f.res.batches, f.res.batch_bytes);
	if (f.contract_errors)
		fuzz_fail("ops contract violated");
	if (ret) {
		if (ret != f.res.err || ret >= 0 ||
		    f.res.reason <= MVGPU_CMD_OK ||
		    f.res.reason >= MVGPU_CMD_R_COUNT)
			fuzz_fail("bad rejection report");
		if (f.res.batches > f.s.max_batches ||
		    f.res.batch_bytes > f.s.max_bytes)
			fuzz_fail("limit exceeded");
	} else {
		if (f.res.reason != MVGPU_CMD_OK || f.res.err)
			fuzz_fail("accepted with a reason");
		err = csf_check_workload(&f, ring, 4 * ring_dw,
					 !(h.cfg & CFG_TOCTOU));
		if (err)
			fuzz_fail(err);
	}

	plain = f.res;
	for (i = 0; !fault && !(h.cfg & CFG_TOCTOU) && i < 2; i++) {
		int again;

		csf_release_bufs(&f);
		f.s.ops = &cached_ops;
		memcpy(ring, orig, 4 * ring_dw);
		again = mvgpu_cmd_scan_ring(&f.s, ring, 4 * ring_dw, &f.res);
		f.s.ops = &csf_ops;
		if (again != ret || f.res.reason != plain.reason ||
		    f.res.index != plain.index || f.res.offset != plain.offset ||
		    f.res.cmd_addr != plain.cmd_addr ||
		    f.res.value != plain.value || f.res.cmds != plain.cmds ||
		    f.res.batches != plain.batches ||
		    f.res.batch_bytes != plain.batch_bytes ||
		    f.res.ppgtt_operands != plain.ppgtt_operands)
			fuzz_fail("the verdict cache changed the verdict");
		if (!again) {
			err = csf_check_workload(&f, ring, 4 * ring_dw, true);
			if (err)
				fuzz_fail(err);
		}
		if (f.contract_errors)
			fuzz_fail("ops contract violated (cached)");
	}
	/*
	 * Last: what the workload writes (its own batch, say) is guest
	 * memory the scans above read, and must read as the first did.
	 */
	if (!ret && (h.cfg & CFG_EXEC) && !(h.cfg & CFG_PPGTT))
		fuzz_exec(ring, 4 * ring_dw);
	mvgpu_batch_cache_clear(&bc);
	csf_release_bufs(&f);
	/* guest memory back to zero for the next input */
	for (i = 0; i < ntouched; i++) {
		u64 ga = (u64)touched_list[i] * CSF_PAGE;

		touched[touched_list[i]] = 0;
		if ((ga >= CSF_APER && ga < CSF_APER + CSF_APER_SIZE) ||
		    (ga >= CSF_HID && ga < CSF_HID + CSF_HID_SIZE))
			memset(f.gmem + ga, 0, CSF_PAGE);
	}
	ntouched = 0;
	if (h.cfg & CFG_TOCTOU)
		memset(f.ppmem, 0, CSF_PP_SIZE);
	for (i = 0; i < ndirty; i++) {
		if (dirty[i].addr >= CSF_PPVA)
			memset(f.ppmem + (dirty[i].addr - CSF_PPVA), 0,
			       dirty[i].bytes);
		else
			memset(f.gmem + dirty[i].addr, 0, dirty[i].bytes);
	}
	return 0;
}
