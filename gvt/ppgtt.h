/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shadow PPGTTs of a vGPU: the guest's 4-level page tables, validated and
 * translated into host tables that point only at pinned guest pages.
 */
#ifndef _MVGPU_PPGTT_H
#define _MVGPU_PPGTT_H

#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/types.h>

struct mvgpu_vgpu;
struct mvgpu_spt;

#define MVGPU_PPGTT_MAX_MMS	16	/* cached shadow roots per vGPU */
#define MVGPU_PPGTT_MAX_SPTS	4096	/* shadow tables per vGPU, waiting ones too */
#define MVGPU_PPGTT_MAX_PINS	262144	/* pages mapped by last-level entries */

/**
 * struct mvgpu_ppgtt_track_ops - write protection of guest table pages
 * @add: the guest's writes to page @gfn are to be reported through
 *       mvgpu_ppgtt_guest_write(); returns 0 or a negative errno
 * @remove: stop reporting writes to @gfn
 *
 * Provided where the guest runs on KVM (mdev/kvm.c); without them every
 * submission checks the guest's tables again instead.
 */
struct mvgpu_ppgtt_track_ops {
	int (*add)(void *priv, u64 gfn);
	void (*remove)(void *priv, u64 gfn);
};

/**
 * struct mvgpu_ppgtt_mm - one shadowed guest PPGTT
 * @link: in &mvgpu_ppgtt.mms, most recently used first
 * @root_gpa: guest physical address of the guest's PML4
 * @root: its shadow
 */
struct mvgpu_ppgtt_mm {
	struct list_head link;
	u64 root_gpa;
	struct mvgpu_spt *root;
};

/**
 * struct mvgpu_ppgtt - a vGPU's shadow page tables, under the vGPU's lock
 * @mms: shadowed roots
 * @nr_mms: how many
 * @spts: shadow table pages by guest frame number
 * @nr_spts: how many
 * @zombies: shadow tables no longer referenced that an engine may still
 *           be reading, oldest first; freed once the work that may read
 *           them has left the engines (retire.c)
 * @nr_zombies: how many; they count against %MVGPU_PPGTT_MAX_SPTS
 * @retry: shadow tables with entries refused for want of room, tried
 *         again at the next submission
 * @sync_gen: number of the current walk over the tables, so that a walk
 *            visits a shared table once
 * @pins: guest pages pinned by last-level entries, and pins they dropped
 *        that wait for the engines (retire.c)
 * @scratch: one page to read a guest table into
 * @track: write protection, NULL without KVM
 * @track_priv: argument of @track
 *
 * A shadow table an engine may be walking is freed only once the work
 * that may walk it has left the engines: tables dropped meanwhile wait
 * in @zombies.
 */
struct mvgpu_ppgtt {
	struct list_head mms;
	unsigned int nr_mms;
	DECLARE_HASHTABLE(spts, 8);
	unsigned int nr_spts;
	struct list_head zombies;
	unsigned int nr_zombies;
	struct list_head retry;
	u32 sync_gen;
	unsigned int pins;
	u64 *scratch;
	const struct mvgpu_ppgtt_track_ops *track;
	void *track_priv;
};

int mvgpu_ppgtt_init(struct mvgpu_ppgtt *pp);
void mvgpu_ppgtt_fini(struct mvgpu_ppgtt *pp);
int mvgpu_ppgtt_shadow(struct mvgpu_vgpu *vgpu, u64 root_gpa, u64 *root_hpa);
int mvgpu_ppgtt_guest_rw(struct mvgpu_vgpu *vgpu, u64 root_gpa, u64 addr,
			 void *buf, u32 len, bool write);
void mvgpu_ppgtt_guest_write(struct mvgpu_vgpu *vgpu, u64 gpa, u32 bytes);
void mvgpu_ppgtt_untrack(struct mvgpu_vgpu *vgpu, u64 gfn, u64 nr_pages);
bool mvgpu_ppgtt_pins_range(struct mvgpu_vgpu *vgpu, u64 iova, u64 len);
void mvgpu_ppgtt_reap(struct mvgpu_vgpu *vgpu);
void mvgpu_ppgtt_destroy_all(struct mvgpu_vgpu *vgpu);

#endif /* _MVGPU_PPGTT_H */
