/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Building migration images in userspace (tests/unit/migration_test.c,
 * tests/fuzz/migration_fuzz.c) with gvt/migration_stream.c's writer,
 * from a plain description of a vGPU's state.
 */
#ifndef _MVGPU_MIG_BUILD_H
#define _MVGPU_MIG_BUILD_H

#include <string.h>

#include <linux/bitops.h>
#include <linux/unaligned.h>

#include "migration_stream.h"
#include "vreg.h"

#define MIG_TEST_TYPE		"mvgpu-V1_4"
#define MIG_TEST_AP_BASE	0x00000000ULL
#define MIG_TEST_AP_SIZE	(4ULL << 20)
#define MIG_TEST_HI_BASE	(64ULL << 20)
#define MIG_TEST_HI_SIZE	(8ULL << 20)
#define MIG_TEST_GGTT		((MIG_TEST_AP_SIZE + MIG_TEST_HI_SIZE) >> 12)

/**
 * struct mig_state - what a test image holds
 * @cfg: config space
 * @vals: mvgpu_vreg_count() register values
 * @nr_vregs: how many of them to write (the first ones)
 * @dup_vreg: write the first register twice
 * @execlist: per engine
 * @ggtt_index: GGTT entries, ascending
 * @ggtt_pte: their values
 * @nr_ggtt: how many
 * @failsafe: failsafe mode
 * @rejects: rejections since the last reset
 * @counters: the counters
 * @skip: a section type left out, 0 for none
 * @extra: a section of this type added before END, 0 for none
 * @extra_flags: its flags
 */
struct mig_state {
	u8 cfg[MVGPU_CFG_SIZE];
	u32 *vals;
	unsigned int nr_vregs;
	bool dup_vreg;
	struct mvgpu_mig_execlist execlist[MVGPU_NUM_ENGINES];
	u32 ggtt_index[64];
	u64 ggtt_pte[64];
	unsigned int nr_ggtt;
	u32 failsafe;
	u32 rejects;
	u64 counters[MVGPU_MIG_NR_COUNTERS];
	u16 skip;
	u16 extra;
	u16 extra_flags;
};

static inline void mig_test_expect(struct mvgpu_mig_expect *exp)
{
	exp->type = MIG_TEST_TYPE;
	exp->aperture_base = MIG_TEST_AP_BASE;
	exp->aperture_size = MIG_TEST_AP_SIZE;
	exp->hidden_base = MIG_TEST_HI_BASE;
	exp->hidden_size = MIG_TEST_HI_SIZE;
	exp->ggtt_entries = MIG_TEST_GGTT;
	exp->max_image = mvgpu_mig_max_image(mvgpu_vreg_count(), MIG_TEST_GGTT);
	exp->failsafe_rejects = 16;
}

static inline void mig_build_section(struct mvgpu_mig_writer *w,
				     const struct mig_state *st, u16 type)
{
	unsigned int i;

	if (st->skip == type)
		return;
	mvgpu_mig_section_begin(w, type);
	switch (type) {
	case MVGPU_MIG_SEC_CFG:
		mvgpu_mig_put(w, st->cfg, sizeof(st->cfg));
		break;
	case MVGPU_MIG_SEC_VREGS:
		for (i = 0; i < st->nr_vregs + st->dup_vreg; i++) {
			unsigned int slot = i < st->nr_vregs ? i : 0;

			mvgpu_mig_put_le32(w, mvgpu_vreg_slot_offset(slot));
			mvgpu_mig_put_le32(w, st->vals[slot]);
		}
		break;
	case MVGPU_MIG_SEC_EXECLIST:
		mvgpu_mig_put(w, st->execlist, sizeof(st->execlist));
		break;
	case MVGPU_MIG_SEC_GGTT:
		for (i = 0; i < st->nr_ggtt; i++) {
			mvgpu_mig_put_le32(w, st->ggtt_index[i]);
			mvgpu_mig_put_le32(w, 0);
			mvgpu_mig_put_le64(w, st->ggtt_pte[i]);
		}
		break;
	case MVGPU_MIG_SEC_VGPU:
		mvgpu_mig_put_le32(w, st->failsafe);
		mvgpu_mig_put_le32(w, st->rejects);
		for (i = 0; i < MVGPU_MIG_NR_COUNTERS; i++)
			mvgpu_mig_put_le64(w, st->counters[i]);
		break;
	default:
		mvgpu_mig_put_le64(w, 0x1122334455667788ULL);
		break;
	}
	mvgpu_mig_section_end(w);
}

/* Appends an image at @start of @buf; returns its size or an errno. */
static inline int mig_build(u8 *buf, size_t cap, size_t start,
			    const struct mig_state *st, u32 flags)
{
	static const u16 types[] = {
		MVGPU_MIG_SEC_CFG, MVGPU_MIG_SEC_VREGS, MVGPU_MIG_SEC_EXECLIST,
		MVGPU_MIG_SEC_GGTT, MVGPU_MIG_SEC_VGPU,
	};
	struct mvgpu_mig_expect self;
	struct mvgpu_mig_writer w;
	unsigned int i;

	mig_test_expect(&self);
	mvgpu_mig_write_begin(&w, buf, cap, start, &self, flags);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		mig_build_section(&w, st, types[i]);
	if (st->extra) {
		size_t at = w.len;

		mig_build_section(&w, st, st->extra);
		if (!w.err)
			put_unaligned_le16(st->extra_flags, buf + at + 2);
	}
	return mvgpu_mig_write_end(&w);
}

#endif /* _MVGPU_MIG_BUILD_H */
