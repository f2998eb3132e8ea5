/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fake caller of the command scanner (gvt/cmd_parser.c): guest GGTT and
 * PPGTT memory with holes, shadow buffers placed in host-owned GGTT space,
 * fault injection, and checks that the scanner keeps to the ops contract.
 * Used by tests/unit/cmd_parser_test.c and tests/fuzz/cmd_parser_fuzz.c.
 */
#ifndef _CMD_PARSER_FAKE_H
#define _CMD_PARSER_FAKE_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include <mvgpu/mvgpu_cmd.h>
#include <mvgpu/mvgpu_regs.h>

#include "cmd_parser.h"

/* Guest graphics memory: the vGPU owns APER and HID; GM_SIZE is backed. */
#define CSF_PAGE	4096ULL
#define CSF_APER	0x00100000ULL
#define CSF_APER_SIZE	0x00100000ULL
#define CSF_HID		0x00400000ULL
#define CSF_HID_SIZE	0x00200000ULL
#define CSF_GM_SIZE	0x00800000ULL
/* PPGTT: a window of PP_SIZE bytes at PPVA is backed. */
#define CSF_PPVA	0x00007f0000000000ULL
#define CSF_PP_SIZE	0x00100000ULL
/* Host-owned GGTT space where shadows are placed. */
#define CSF_SHADOW_GMA	0x80000000ULL
#define CSF_MAX_BUFS	4096

#define CSF_LO(a)	((u32)(a))
#define CSF_HI(a)	((u32)((u64)(a) >> 32))

struct csf_buf {
	struct mvgpu_shadow_buf b;
	bool placed;
	u8 *snap;		/* contents at placement */
	u32 snap_len;
};

struct csf {
	u8 *gmem;
	u8 *ppmem;
	u8 hole[CSF_GM_SIZE / CSF_PAGE];	/* unreadable GGTT pages */
	struct mvgpu_cmd_scan s;
	struct mvgpu_cmd_result res;

	struct csf_buf *bufs[CSF_MAX_BUFS];
	int nbufs;
	u64 shadow_base;	/* where shadows are placed */
	u64 next_gma;

	/* fault injection: fail the n-th call (1-based), 0: never */
	int fail_alloc, fail_grow, fail_place, fail_copy;
	int n_alloc, n_grow, n_place, n_copy;
	int place_misalign;		/* return a bad GMA from place */

	/* called after each copy_in, e.g. to rewrite guest memory */
	void (*after_copy)(struct csf *f, enum mvgpu_cmd_space space, u64 addr,
			   u32 len);
	void *after_priv;

	/* contract violations seen by the ops */
	int contract_errors;
	u64 copied_bytes;
};

static inline u8 *csf_gptr(struct csf *f, u64 ga)
{
	return ga < CSF_GM_SIZE ? f->gmem + ga : NULL;
}

static inline int csf_copy_in(void *priv, enum mvgpu_cmd_space space,
			      u64 addr, void *dst, u32 len)
{
	struct csf *f = priv;
	const u8 *src;

	f->n_copy++;
	if (!len || (addr & (CSF_PAGE - 1)) + len > CSF_PAGE)
		f->contract_errors++;
	if (space == MVGPU_SPACE_GGTT && !mvgpu_cmd_gm_ok(&f->s, addr, len))
		f->contract_errors++;
	if (f->fail_copy && f->n_copy == f->fail_copy)
		return -EIO;
	if (space == MVGPU_SPACE_GGTT) {
		if (addr >= CSF_GM_SIZE || len > CSF_GM_SIZE - addr ||
		    f->hole[addr / CSF_PAGE])
			return -EFAULT;
		src = f->gmem + addr;
	} else if (space == MVGPU_SPACE_PPGTT) {
		if (addr < CSF_PPVA || addr - CSF_PPVA >= CSF_PP_SIZE ||
		    len > CSF_PP_SIZE - (addr - CSF_PPVA))
			return -EFAULT;
		src = f->ppmem + (addr - CSF_PPVA);
	} else {
		f->contract_errors++;
		return -EINVAL;
	}
	memcpy(dst, src, len);
	f->copied_bytes += len;
	if (f->after_copy)
		f->after_copy(f, space, addr, len);
	return 0;
}

static inline int csf_alloc(void *priv, u32 bytes,
			    struct mvgpu_shadow_buf **buf)
{
	struct csf *f = priv;
	struct csf_buf *cb;

	f->n_alloc++;
	if (f->fail_alloc && f->n_alloc == f->fail_alloc)
		return -ENOMEM;
	if (f->nbufs == CSF_MAX_BUFS)
		return -ENOSPC;
	cb = calloc(1, sizeof(*cb));
	if (!cb)
		return -ENOMEM;
	cb->b.va = malloc(bytes);
	if (!cb->b.va) {
		free(cb);
		return -ENOMEM;
	}
	/* poison, so that reading bytes never copied shows up */
	memset(cb->b.va, 0xa5, bytes);
	cb->b.size = bytes;
	f->bufs[f->nbufs++] = cb;
	*buf = &cb->b;
	return 0;
}

static inline struct csf_buf *csf_of(struct mvgpu_shadow_buf *b)
{
	return (struct csf_buf *)((char *)b - offsetof(struct csf_buf, b));
}

static inline int csf_grow(void *priv, struct mvgpu_shadow_buf *buf, u32 bytes)
{
	struct csf *f = priv;
	void *va;

	f->n_grow++;
	if (csf_of(buf)->placed || bytes <= buf->size)
		f->contract_errors++;
	if (f->fail_grow && f->n_grow == f->fail_grow)
		return -ENOMEM;
	va = realloc(buf->va, bytes);
	if (!va)
		return -ENOMEM;
	memset((u8 *)va + buf->size, 0xa5, bytes - buf->size);
	buf->va = va;
	buf->size = bytes;
	return 0;
}

static inline int csf_place(void *priv, struct mvgpu_shadow_buf *buf, u64 *gma)
{
	struct csf *f = priv;
	struct csf_buf *cb = csf_of(buf);

	f->n_place++;
	if (cb->placed || !buf->len || buf->len > buf->size ||
	    buf->len > buf->copied)
		f->contract_errors++;
	if (f->fail_place && f->n_place == f->fail_place)
		return -ENOSPC;
	cb->placed = true;
	cb->snap_len = buf->len;
	cb->snap = malloc(buf->len ? buf->len : 1);
	if (cb->snap)
		memcpy(cb->snap, buf->va, buf->len);
	*gma = f->next_gma + (f->place_misalign ? 2 : 0);
	f->next_gma += (buf->len + CSF_PAGE - 1) & ~(CSF_PAGE - 1);
	f->next_gma += CSF_PAGE;
	return 0;
}

static const struct mvgpu_cmd_ops csf_ops = {
	.copy_in = csf_copy_in,
	.shadow_alloc = csf_alloc,
	.shadow_grow = csf_grow,
	.shadow_place = csf_place,
};

static inline void csf_init(struct csf *f, unsigned int engine, bool ppgtt)
{
	memset(f, 0, sizeof(*f));
	f->gmem = calloc(1, CSF_GM_SIZE);
	f->ppmem = calloc(1, CSF_PP_SIZE);
	mvgpu_cmd_scan_init(&f->s, engine, ppgtt, &csf_ops, f);
	f->s.gm[0].base = CSF_APER;
	f->s.gm[0].size = CSF_APER_SIZE;
	f->s.gm[1].base = CSF_HID;
	f->s.gm[1].size = CSF_HID_SIZE;
	f->shadow_base = CSF_SHADOW_GMA;
	f->next_gma = CSF_SHADOW_GMA;
}

static inline void csf_release_bufs(struct csf *f)
{
	int i;

	for (i = 0; i < f->nbufs; i++) {
		free(f->bufs[i]->b.va);
		free(f->bufs[i]->snap);
		free(f->bufs[i]);
	}
	f->nbufs = 0;
	f->next_gma = f->shadow_base;
}

static inline void csf_fini(struct csf *f)
{
	csf_release_bufs(f);
	free(f->gmem);
	free(f->ppmem);
}

/* The placed shadow at @gma, or NULL. */
static inline struct csf_buf *csf_find(struct csf *f, u64 gma)
{
	int i;

	for (i = 0; i < f->nbufs; i++)
		if (f->bufs[i]->placed && f->bufs[i]->b.gma == gma)
			return f->bufs[i];
	return NULL;
}

static inline void csf_gput(struct csf *f, u64 ga, const u32 *dw, u32 n)
{
	memcpy(csf_gptr(f, ga), dw, 4 * n);
}

static inline void csf_ppput(struct csf *f, u64 va, const u32 *dw, u32 n)
{
	memcpy(f->ppmem + (va - CSF_PPVA), dw, 4 * n);
}

/*
 * Does the shadow hold the guest's commands, except for the patched
 * batch starts (PPGTT bit and address)?
 */
static inline bool csf_same_as_guest(struct csf *f, struct csf_buf *cb)
{
	const u8 *g;
	u32 off = 0;

	if (cb->b.guest_space == MVGPU_SPACE_GGTT) {
		if (cb->b.guest_addr + cb->snap_len > CSF_GM_SIZE)
			return false;
		g = f->gmem + cb->b.guest_addr;
	} else {
		if (cb->b.guest_addr < CSF_PPVA ||
		    cb->b.guest_addr - CSF_PPVA + cb->snap_len > CSF_PP_SIZE)
			return false;
		g = f->ppmem + (cb->b.guest_addr - CSF_PPVA);
	}
	while (off < cb->snap_len) {
		const struct mvgpu_cmd_desc *d;
		u32 hdr, len, i;

		memcpy(&hdr, g + off, 4);
		d = mvgpu_cmd_find(hdr);
		if (!d)
			return false;
		len = mvgpu_cmd_length(d, hdr);
		if (!len || off + 4 * len > cb->snap_len)
			return false;
		for (i = 0; i < len; i++) {
			u32 gv, sv;

			memcpy(&gv, g + off + 4 * i, 4);
			memcpy(&sv, cb->snap + off + 4 * i, 4);
			if (d->flags & MVGPU_CMD_F_BB_START) {
				if (i == 0 && (gv & ~MVGPU_MI_BB_PPGTT) != sv)
					return false;
				continue;
			}
			if (gv != sv)
				return false;
		}
		off += 4 * len;
	}
	return off == cb->snap_len;
}

/*
 * Walk an accepted shadow: every command is known, of an allowed length,
 * fits, and every batch start jumps to a placed shadow in the GGTT.  The
 * last command of a batch must end it.  Returns NULL or what is wrong.
 */
static inline const char *csf_check_shadow(struct csf *f, const u8 *p,
					   u32 len, u32 level)
{
	const struct mvgpu_cmd_desc *d = NULL;
	u32 off = 0, hdr = 0, n;

	while (off < len) {
		memcpy(&hdr, p + off, 4);
		d = mvgpu_cmd_find(hdr);
		if (!d)
			return "unknown command in shadow";
		n = mvgpu_cmd_length(d, hdr);
		if (!n || 4 * n > len - off)
			return "bad length in shadow";
		if (!(d->engines & BIT(f->s.engine)))
			return "wrong engine in shadow";
		if (d->flags & MVGPU_CMD_F_BB_START) {
			u32 lo, hi;
			struct csf_buf *t;

			memcpy(&lo, p + off + 4, 4);
			memcpy(&hi, p + off + 8, 4);
			if (hdr & MVGPU_MI_BB_PPGTT)
				return "batch start still PPGTT";
			t = csf_find(f, lo | (u64)hi << 32);
			if (!t)
				return "batch start not to a shadow";
			if (t->b.level < 1 || t->b.level > MVGPU_CMD_MAX_DEPTH)
				return "bad level";
		}
		if (!level && (d->flags & MVGPU_CMD_F_BB_END))
			return "batch end in ring";
		off += 4 * n;
	}
	if (level && (!d || !(d->flags & (MVGPU_CMD_F_BB_END |
					   MVGPU_CMD_F_BB_START))))
		return "batch does not end";
	return NULL;
}

static inline const char *csf_check_workload(struct csf *f, const void *ring,
					     u32 len, bool vs_guest)
{
	const char *err = csf_check_shadow(f, ring, len, 0);
	int i, placed = 0;

	for (i = 0; !err && i < f->nbufs; i++) {
		struct csf_buf *cb = f->bufs[i];

		if (!cb->placed)
			return "shadow not placed";
		placed++;
		if (!cb->snap)
			return "out of memory";
		err = csf_check_shadow(f, cb->snap, cb->snap_len,
				       cb->b.level);
		if (!err && memcmp(cb->snap, cb->b.va, cb->snap_len))
			err = "shadow changed after placement";
		if (!err && vs_guest && !csf_same_as_guest(f, cb))
			err = "shadow differs from the guest's";
	}
	if (!err && (u32)placed != f->res.batches)
		err = "batch count";
	return err;
}

#endif /* _CMD_PARSER_FAKE_H */
