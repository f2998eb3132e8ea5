/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fake host side of the GGTT and PPGTT shadows (gvt/ggtt.c, gvt/ppgtt.c)
 * and of the vGPU around them (gvt/vgpu.c, mmio.c, aperture.c): guest
 * memory that VFIO maps, pins and reads, KVM write tracking, the
 * backend's physical GGTT, CPU mappings of the aperture, and the
 * scheduler's part of submitting and completing work.  gtf_check() checks
 * everything the shadows promise; the gtf_*() operations check their own
 * results, returning NULL or what was wrong.  Used by
 * tests/fuzz/gtt_fuzz.c and tests/unit/ppgtt_test.c; the code, and how
 * guest and host memory are laid out, is in gtt_fake.c, which is the
 * one compilation unit of a test that holds gvt/ppgtt.c and
 * gvt/retire.c (it includes them to check their private state).
 */
#ifndef _GTT_FAKE_H
#define _GTT_FAKE_H

#include <linux/device.h>
#include <linux/types.h>

#include <mvgpu/mvgpu_pci.h>
#include <mvgpu/mvgpu_regs.h>
#include <mvgpu/vgpu_type.h>

#include "gtt_walk.h"
#include "ppgtt.h"
#include "vgpu.h"
#include "vgpu_types.h"

#define GTF_PAGES	2048		/* guest RAM: 8 MiB at gpa 0 */
#define GTF_HPA_BASE	(1ULL << 44)
#define GTF_HPA(gfn)	(GTF_HPA_BASE + ((u64)(gfn) << 12))
#define GTF_AP_ENTRIES	64		/* the vGPU's aperture: 256 KiB */
#define GTF_HID_ENTRIES	192		/* its hidden memory: 768 KiB */
#define GTF_ENTRIES	(GTF_AP_ENTRIES + GTF_HID_ENTRIES)
#define GTF_MAX_FLY	MVGPU_SCHED_MAX_QUEUED
#define GTF_IDX_BITS	14
#define GTF_IDX		(1U << GTF_IDX_BITS)	/* > 2 * MAX_SPTS */
#define GTF_TABLE_POOL	(GTF_PAGES / 2)	/* gtf_build() takes tables here */
#define GTF_ADDR_MASK	MVGPU_PPGTT_ADDR_MASK
#define GTF_P		MVGPU_PPGTT_PRESENT


/**
 * struct gtf - the fake world of one vGPU
 * @page: guest memory, one allocation per page
 * @dirty: pages written since gtf_begin(), to be zeroed by the next one
 * @mapped: the user has the page DMA-mapped: pin and rw succeed
 * @pins: pins held per guest page
 * @total_pins: their sum
 * @peak_pins: the most held at once
 * @pin_failed: a pin of the page failed: an entry may stay unshadowed
 * @track: KVM write tracking requests per page
 * @untrackable: the page's memory slot is gone: tracking it fails
 * @stale_ok: the page was written behind KVM's back (device-side writes)
 *            or unmapped: a shadow's copy of it may differ
 * @pggtt: the backend's GGTT
 * @cpu_map: aperture page i is mapped to the CPU at this pfn, 0: not
 * @model_ggtt: the guest's GGTT as the harness understands the writes
 * @type: the vGPU's type: small slices, so checks are cheap
 * @be: the backend: only its GGTT
 * @pgpu: the pGPU; @pgpu.nr_vgpus holds the vGPU's number
 * @dev: the device log lines name
 * @vgpu: the vGPU under test
 * @live: @vgpu exists
 * @open: a user has it open
 * @kvm: its guest runs on KVM: table pages are write-tracked
 * @base_allocs: shim allocations before the vGPU, for leak checks
 * @base_pages: shim pages before the vGPU
 * @fly: per engine, roots of submissions in flight (0: no PPGTT)
 * @fly_seq: their sequence numbers (retire.c)
 * @nfly: how many
 * @idx_pfn, @idx_va: shadow pages by pfn, for GPU walks
 * @idx_bits: that hash table's size in use, log2
 * @depth, @max_depth, @lifo_errors, @stack: sgpu mapping discipline
 * @host_mem: memory as the GPU reaches it: pinned guest pages and shadow
 *            tables by host address, the physical GGTT
 * @guest_mem: guest physical memory, to walk the guest's own tables
 * @pin_fail_countdown: > 0: the pin that brings it to 0 fails
 * @pin_injected: such a failure happened
 * @far_gfn: if not 0, a guest page whose pin gives a host address beyond
 *           48 bits (a host with memory above 256 TiB)
 * @limit_reached: the vGPU's pins reached its pin limit, so it may have
 *                 refused some (vgpu.c), which it never asks us for
 * @shadow_calls: mvgpu_ppgtt_shadow() calls
 * @shadow_fails: and how many failed
 * @next_table: next page gtf_build() takes for a table
 * @nerr: contract violations seen by the fakes; @err the first
 * @msg: the last failure gtf_fail() formatted
 * @exp_pins, @exp_track, @spt_v, @spt_ref, @seen, @todo: scratch of the
 *            checks
 * @seen_bits: size of @seen in use, log2
 */
struct gtf {
	u8 *page[GTF_PAGES];
	bool dirty[GTF_PAGES];
	bool mapped[GTF_PAGES];
	u32 pins[GTF_PAGES];
	long total_pins;
	long peak_pins;
	bool pin_failed[GTF_PAGES];
	u32 track[GTF_PAGES];
	bool untrackable[GTF_PAGES];
	bool stale_ok[GTF_PAGES];
	u64 *pggtt;
	u64 cpu_map[GTF_AP_ENTRIES];
	u64 model_ggtt[GTF_ENTRIES];

	struct mvgpu_type_desc type;
	struct mvgpu_backend be;
	struct mvgpu_pgpu pgpu;
	struct device dev;
	struct mvgpu_vgpu vgpu;
	bool live, open, kvm;
	long base_allocs, base_pages;

	u64 fly[MVGPU_NUM_ENGINES][GTF_MAX_FLY];
	u64 fly_seq[MVGPU_NUM_ENGINES][GTF_MAX_FLY];
	unsigned int nfly[MVGPU_NUM_ENGINES];

	u64 idx_pfn[GTF_IDX];
	u64 *idx_va[GTF_IDX];
	unsigned int idx_bits;
	int depth, max_depth, lifo_errors;
	u64 stack[8];
	struct sgpu_mem host_mem, guest_mem;

	long pin_fail_countdown;
	bool pin_injected;
	u64 far_gfn;
	bool limit_reached;
	unsigned long shadow_calls, shadow_fails;
	u64 next_table;

	int nerr;
	char err[256];
	char msg[256];

	u32 exp_pins[GTF_PAGES];
	u32 exp_track[GTF_PAGES];
	struct mvgpu_spt *spt_v[MVGPU_PPGTT_MAX_SPTS];
	unsigned int spt_ref[MVGPU_PPGTT_MAX_SPTS];
	struct mvgpu_spt *seen[GTF_IDX];
	struct mvgpu_spt *todo[GTF_IDX];
	unsigned int seen_bits;
};

struct gtf *gtf_create(void);
void gtf_destroy(struct gtf *f);
int gtf_begin(struct gtf *f, unsigned int id, bool kvm,
	      bool open, long fail_alloc);
void gtf_open(struct gtf *f);
void gtf_close(struct gtf *f);
const char *gtf_end(struct gtf *f);
const char *gtf_check(struct gtf *f);
void gtf_set_pin_limit(struct gtf *f, bool set, u64 pages);
void gtf_cpu_write(struct gtf *f, u64 gpa, const void *buf,
		   u32 len);
void gtf_cpu_write64(struct gtf *f, u64 gpa, u64 v);
void gtf_fill(struct gtf *f, u64 gfn, unsigned int n, u64 base,
	      u64 pstride, u64 stride, u64 modulus, u64 flags);
void gtf_build(struct gtf *f, u64 root, u64 va, u64 data);
void gtf_index_shadows(struct gtf *f);
const char *gtf_ggtt_mmio(struct gtf *f, u64 off,
			  unsigned int len, u64 *val, bool write);
const char *gtf_submit(struct gtf *f, unsigned int engine,
		       unsigned int n, const u64 root[2],
		       const bool ppgtt[2]);
void gtf_complete(struct gtf *f, unsigned int engine);
const char *gtf_reset(struct gtf *f);
const char *gtf_gdrst(struct gtf *f, u32 bits);
const char *gtf_dma_unmap(struct gtf *f, u64 gfn, u64 n);
void gtf_dma_map(struct gtf *f, u64 gfn, u64 n);
void gtf_slot_removed(struct gtf *f, u64 gfn, u64 n);
void gtf_slot_added(struct gtf *f, u64 gfn, u64 n);
const char *gtf_aperture_rw(struct gtf *f, u64 off,
			    unsigned int len, u64 val,
			    bool write);
const char *gtf_aperture_map(struct gtf *f, u64 off);
const char *gtf_ggtt_guest_rw(struct gtf *f, u64 gm, u32 len,
			      u8 fill, bool write);
const char *gtf_ppgtt_guest_rw(struct gtf *f, u64 root, u64 va,
			       u32 len, bool write, u64 val);
const char *gtf_gpu_walk(struct gtf *f, u64 root_hpa, u64 gm,
			 u64 va, u64 stride, unsigned int n,
			 bool write);
u64 gtf_mm_hpa(const struct mvgpu_ppgtt_mm *mm);

#endif /* _GTT_FAKE_H */
