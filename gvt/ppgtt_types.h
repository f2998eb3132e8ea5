/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shadow PPGTTs of a vGPU: their state (ppgtt.h: the functions).
 */
#ifndef _MVGPU_PPGTT_TYPES_H
#define _MVGPU_PPGTT_TYPES_H

#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/types.h>

struct mvgpu_ppgtt_track_ops;
struct mvgpu_spt;

#define MVGPU_PPGTT_MAX_MMS	16	/* cached shadow roots per vGPU, but those in use */
#define MVGPU_PPGTT_MAX_SPTS	4096	/* shadow tables per vGPU, waiting ones too */
#define MVGPU_PPGTT_MAX_PINS	262144	/* pages mapped by last-level entries */

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
 * @untrack_gen: the same for the walks that lift protection below a
 *               written table (mvgpu_ppgtt_guest_write())
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
	u32 untrack_gen;
	unsigned int pins;
	u64 *scratch;
	const struct mvgpu_ppgtt_track_ops *track;
	void *track_priv;
};

#endif /* _MVGPU_PPGTT_TYPES_H */
