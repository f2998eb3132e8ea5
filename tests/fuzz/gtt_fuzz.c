// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the GGTT and PPGTT shadows (gvt/ggtt.c,
 * gvt/ppgtt.c, with gvt/vgpu.c, mmio.c and aperture.c around them) and
 * the software GPU's walks of what they build (sgpu/gtt_walk.c).  The
 * fake host side is tests/lib/gtt_fake.c.
 *
 * An input is a 4-byte header, then 16-byte operations.
 *
 *   header: u8 cfg (bit 0: the guest runs on KVM, its table pages are
 *           write-tracked; bit 1: start closed; bits 4:2: vGPU number - 1,
 *           where its slices are), u8 n (if > 0 the n-th allocation of
 *           the vGPU's creation fails), u16 unused
 *   op:     u8 kind, u8 a, u16 b, u32 c, u64 d; what a, b, c and d mean
 *           depends on the kind (see the op_*() functions):
 *           GGTT_WRITE/READ  guest BAR0 access: an entry of the vGPU's
 *                            aperture or hidden slice, any entry of the
 *                            window or any offset above the registers;
 *                            4 or 8 bytes at any sub-offset, or a bad size
 *           MEM_WRITE        the guest's CPU writes 1-8 bytes of its
 *                            memory (page-table entries, shaped or raw);
 *                            KVM reports it for tracked pages
 *           FILL             up to 64 pages of 512 entries in a pattern
 *                            (to reach the pin and table limits)
 *           BUILD            map a PPGTT address in a root's tables, as a
 *                            guest driver would
 *           SUBMIT           one or two contexts, with or without PPGTT,
 *                            on an engine: mvgpu_ppgtt_shadow()
 *           COMPLETE         the oldest workloads of an engine end
 *           RESET            device reset, or a GDRST write
 *           OPEN             the user closes or opens the device
 *           UNMAP/MAP        the user unmaps (VFIO) or maps guest memory
 *           SLOT             KVM drops or adds back a memory slot
 *           NOTIFY           a write notification of any range
 *           APERTURE_RW/MAP  BAR2 access; a CPU mapping of a BAR2 page
 *           GUEST_RW         mvgpu_ggtt_guest_rw()/mvgpu_ppgtt_guest_rw()
 *                            and sgpu's walk of the guest's own tables
 *           GPU_WALK         sgpu walks the physical GGTT and a shadow
 *                            root, reading or writing
 *           FAIL             the n-th next allocation or pin fails; or
 *                            the administrator sets (0 to 127 pages, 0
 *                            none) or clears the vGPU's pin limit
 *
 * After every operation gtf_check() checks (besides the sanitizers):
 *
 * - the physical GGTT holds, in the vGPU's slices only, the pinned host
 *   page of each shadowed guest entry, nothing elsewhere; reads return
 *   what the guest wrote; a valid entry of mapped memory is in effect;
 * - aperture CPU mappings show the entry's page or the scratch page;
 * - each shadow table entry points at the shadow of the table the guest
 *   entry names (one level down) or at the pinned page it names; a
 *   present entry is shadowed unless a pin failed, or a limit or an
 *   allocation failure got in the way; references count exactly the
 *   entries and roots pointing at a table;
 *   pins per guest page equal the GGTT and PPGTT entries mapping it
 *   and the tables held pinned (untracked ones, for their reads);
 *   write-tracking requests equal the tracked tables; the limits on
 *   roots, tables and pins hold; counters agree;
 * - right after a submission every table reachable from its root holds
 *   the guest's current entries (unless written behind KVM's back);
 * - a root in flight keeps its shadow; zombie tables map nothing and
 *   are gone once nothing is in flight;
 * - after a reset, a close, and at the end, no pin, table, tracking
 *   request, physical GGTT entry, allocation or page is left;
 * - the software GPU reaches only shadow tables and pinned guest pages,
 *   its walk through the TLB agrees with the walk without, its walk of
 *   the guest's tables agrees with a reference walk, and it keeps its
 *   mapping discipline;
 * - VFIO's and KVM's contracts: no unpin of what is not pinned, no
 *   untracking of what is not tracked, no pin left after a DMA unmap.
 *
 * Any violation aborts.  Build and run: see tests/fuzz/Makefile.
 * GTT_FUZZ_STATS=1 prints what each input built (roots, tables, pins);
 * GTT_FUZZ_VERBOSE=1 shows the vGPU's log lines.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtt_fake.h"

enum {
	OP_GGTT_WRITE, OP_GGTT_READ, OP_MEM_WRITE, OP_FILL, OP_BUILD,
	OP_SUBMIT, OP_COMPLETE, OP_RESET, OP_OPEN, OP_UNMAP, OP_MAP, OP_SLOT,
	OP_NOTIFY, OP_APERTURE_RW, OP_APERTURE_MAP, OP_GUEST_RW, OP_GPU_WALK,
	OP_FAIL, OP_COUNT
};

struct op {
	u8 kind;
	u8 a;
	u16 b;
	u32 c;
	u64 d;
} __attribute__((packed));

#define CFG_KVM		0x01
#define CFG_CLOSED	0x02
#define CFG_ID_SHIFT	2

static struct gtf *f;
static bool stats;	/* GTT_FUZZ_STATS set: a line per input */

static void fuzz_fail(const char *what, size_t op, const struct op *o)
{
	fprintf(stderr, "gtt_fuzz: op %zu (kind %u a 0x%x b 0x%x c 0x%x d 0x%llx): %s\n",
		op, o ? o->kind % OP_COUNT : 0, o ? o->a : 0, o ? o->b : 0,
		o ? o->c : 0, o ? (unsigned long long)o->d : 0ULL, what);
	abort();
}

static u64 gfn_of(u32 c)
{
	return c % GTF_PAGES;
}

/* A guest table entry or GGTT entry from @d, by @mode. */
static u64 shape_entry(unsigned int mode, u64 d)
{
	switch (mode & 3) {
	case 0:
		return d;
	case 1:	/* any page, some beyond guest memory */
		return (d % (GTF_PAGES + 16)) << 12 | GTF_P | (d >> 48 & 0x2);
	case 2:	/* a table of the pool */
		return (GTF_TABLE_POOL + d % (GTF_PAGES - GTF_TABLE_POOL)) << 12 |
		       GTF_P | 0x2;
	default:	/* a huge page, or nothing */
		return d & 1 ? (d % GTF_PAGES) << 12 | GTF_P | MVGPU_PPGTT_PS : 0;
	}
}

/* A PPGTT address: mostly low indices at each level, so tables meet. */
static u64 shape_va(bool raw, u64 d)
{
	if (raw)
		return d & ((1ULL << (MVGPU_PPGTT_VA_BITS + 1)) - 1);
	return (d & 3) << 39 | (d >> 2 & 3) << 30 | (d >> 4 & 3) << 21 |
	       (d >> 6 & 511) << 12 | (d >> 16 & 0xfff);
}

/* A graphics address in the vGPU's slices, or anywhere. */
static u64 shape_gm(bool raw, u32 c)
{
	const struct mvgpu_vgpu_res *r = &f->vgpu.res;
	u64 ap = r->aperture.size, all = ap + r->hidden.size;
	u64 o = c % all;

	if (raw)
		return c;
	return o < ap ? r->aperture.base + o : r->hidden.base + o - ap;
}

static u64 ggtt_offset(const struct op *o)
{
	u64 entry;

	switch (o->a & 3) {
	case 0:
		entry = (f->vgpu.res.aperture.base >> 12) +
			o->c % GTF_AP_ENTRIES;
		break;
	case 1:
		entry = (f->vgpu.res.hidden.base >> 12) +
			o->c % GTF_HID_ENTRIES;
		break;
	case 2:
		entry = o->c % MVGPU_GGTT_ENTRIES;
		break;
	default:
		return MVGPU_MMIO_SIZE +
		       o->c % (MVGPU_BAR0_SIZE - MVGPU_MMIO_SIZE + 64);
	}
	return MVGPU_GGTT_OFFSET + entry * 8 + (o->b & 7);
}

static const char *op_ggtt(const struct op *o, bool write)
{
	static const u8 lens[8] = { 8, 4, 8, 4, 1, 2, 3, 16 };
	u64 off = ggtt_offset(o), v;
	unsigned int len = lens[o->a >> 2 & 7];

	if (o->a & 0x20)
		v = o->d;
	else
		v = (o->d % (GTF_PAGES + 16)) << 12 | MVGPU_PTE_VALID |
		    (o->d >> 40 & 0xffe);
	/* a 4-byte write of the high half carries the address's high bits */
	if (write && len == 4 && (off & 4))
		v >>= 32;
	return gtf_ggtt_mmio(f, off, len, &v, write);
}

static void op_mem_write(const struct op *o)
{
	u64 gpa = gfn_of(o->c) << 12 | (o->b & 0xfff);
	u64 v = shape_entry(o->a >> 5, o->d);

	if (!(o->a & 0x10))
		gpa &= ~7ULL;
	gtf_cpu_write(f, gpa, &v, (o->a & 7) + 1);
}

static void op_fill(const struct op *o)
{
	u64 flags = o->b & 2 ? 0 : GTF_P | 2 | (o->b & 4 ? MVGPU_PPGTT_PS : 0);

	gtf_fill(f, gfn_of(o->c), o->a % 64 + 1, o->d & 0xffff,
		 o->d >> 16 & 0xfff, o->d >> 28 & 0x3ff,
		 o->b & 1 ? GTF_PAGES : GTF_PAGES + 64, flags);
}

static const char *op_submit(const struct op *o)
{
	u64 root[2] = { gfn_of(o->c) << 12, gfn_of(o->b) << 12 };
	bool ppgtt[2] = { !(o->a & 4), !(o->a & 8) };

	if (o->a & 0x10)
		root[0] = o->d;
	return gtf_submit(f, o->a & 1, (o->a >> 1 & 1) + 1, root, ppgtt);
}

static const char *op_guest_rw(const struct op *o)
{
	u64 root = o->a & 2 ? o->d >> 16 << 12 : gfn_of(o->c) << 12;

	if (o->a & 1)
		return gtf_ppgtt_guest_rw(f, root, shape_va(o->a & 8, o->d),
					  o->b, o->a & 4, o->d);
	return gtf_ggtt_guest_rw(f, shape_gm(o->a & 8, o->c), o->b, o->d,
				 o->a & 4);
}

/* A root the engines could be walking: a cached root or one in flight. */
static u64 pick_root(const struct op *o)
{
	struct mvgpu_ppgtt_mm *mm;
	unsigned int e = o->a >> 2 & 1, k = o->b;

	if ((o->a & 3) == 2 && f->nfly[e])
		return f->fly[e][k % f->nfly[e]];
	if (!(o->a & 3) || list_empty(&f->vgpu.ppgtt.mms))
		return 0;
	list_for_each_entry(mm, &f->vgpu.ppgtt.mms, link)
		if (!k--)
			break;
	if (&mm->link == &f->vgpu.ppgtt.mms)
		mm = list_first_entry(&f->vgpu.ppgtt.mms,
				      struct mvgpu_ppgtt_mm, link);
	return gtf_mm_hpa(mm);
}

static const char *op_gpu_walk(const struct op *o)
{
	u64 stride = o->b & 0x10 ? (o->b >> 5) * 8 : 4096ULL * ((o->b & 7) + 1);

	return gtf_gpu_walk(f, pick_root(o), shape_gm(o->a & 0x20, o->c),
			    shape_va(o->a & 0x40, o->d), stride,
			    (o->a >> 4 & 3) * 4 + 1, o->b & 8);
}

static const char *op_aperture(const struct op *o, bool map)
{
	static const u8 lens[8] = { 8, 4, 2, 1, 8, 4, 3, 16 };
	u64 off = o->a & 1 ? o->d % (MVGPU_BAR2_SIZE + 16) :
		  f->vgpu.res.aperture.base + o->c % (GTF_AP_ENTRIES * 4096);

	if (map)
		return gtf_aperture_map(f, off);
	return gtf_aperture_rw(f, off, lens[o->a >> 1 & 7], o->d, o->a & 0x10);
}

static const char *run_op(const struct op *o)
{
	u64 n = o->a % 16 + 1;

	switch (o->kind % OP_COUNT) {
	case OP_GGTT_WRITE:
		return op_ggtt(o, true);
	case OP_GGTT_READ:
		return op_ggtt(o, false);
	case OP_MEM_WRITE:
		op_mem_write(o);
		return NULL;
	case OP_FILL:
		op_fill(o);
		return NULL;
	case OP_BUILD:
		gtf_build(f, gfn_of(o->c), shape_va(o->a & 1, o->d),
			  o->b % (GTF_PAGES + 8));
		return NULL;
	case OP_SUBMIT:
		return op_submit(o);
	case OP_COMPLETE:
		for (n = (o->a >> 1 & 3) + 1; n--; )
			gtf_complete(f, o->a & 1);
		return NULL;
	case OP_RESET:
		if (o->a & 1)
			return gtf_gdrst(f, o->b);
		return gtf_reset(f);
	case OP_OPEN:
		if (f->open)
			gtf_close(f);
		else
			gtf_open(f);
		return NULL;
	case OP_UNMAP:
		if (o->a & 0x80)
			n = o->b;
		return gtf_dma_unmap(f, gfn_of(o->c), n);
	case OP_MAP:
		gtf_dma_map(f, gfn_of(o->c), o->a & 0x80 ? GTF_PAGES : n);
		return NULL;
	case OP_SLOT:
		if (o->a & 0x80)
			gtf_slot_removed(f, gfn_of(o->c), n);
		else
			gtf_slot_added(f, gfn_of(o->c), n);
		return NULL;
	case OP_NOTIFY:
		if (f->open && f->kvm)
			mvgpu_vgpu_guest_write(&f->vgpu, o->a & 1 ? o->d :
					       gfn_of(o->c) << 12 | (o->b & 0xfff),
					       o->b % 8200);
		return NULL;
	case OP_APERTURE_RW:
		return op_aperture(o, false);
	case OP_APERTURE_MAP:
		return op_aperture(o, true);
	case OP_GUEST_RW:
		return op_guest_rw(o);
	case OP_GPU_WALK:
		return op_gpu_walk(o);
	default:
		if (o->a & 2)
			gtf_set_pin_limit(f, !(o->a & 1), o->b % 128);
		else if (o->a & 1)
			shim_state.fail_countdown = o->b % 64 + 1;
		else
			f->pin_fail_countdown = o->b % 64 + 1;
		return NULL;
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	f = gtf_create();
	shim_state.quiet = !getenv("GTT_FUZZ_VERBOSE");
	stats = getenv("GTT_FUZZ_STATS");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *err;
	struct op o;
	size_t i;
	u8 cfg;

	if (size < 4)
		return 0;
	cfg = data[0];
	if (gtf_begin(f, (cfg >> CFG_ID_SHIFT & 7) + 1, cfg & CFG_KVM,
		      !(cfg & CFG_CLOSED), data[1])) {
		err = gtf_end(f);
		if (err)
			fuzz_fail(err, 0, NULL);
		return 0;
	}
	data += 4;
	size -= 4;
	for (i = 0; size >= sizeof(o); i++, data += sizeof(o),
	     size -= sizeof(o)) {
		memcpy(&o, data, sizeof(o));
		err = run_op(&o);
		/* big shadows are checked whole now and then */
		if (!err && (f->vgpu.ppgtt.nr_spts < 256 || !(i % 64)))
			err = gtf_check(f);
		if (err)
			fuzz_fail(err, i, &o);
	}
	err = gtf_check(f);
	if (stats)
		fprintf(stderr, "gtt_fuzz: %zu ops, %u roots, %u tables (peak %ld pages), %u PPGTT pins, %ld pins (peak %ld), %lu/%lu shadows failed\n",
			i, f->vgpu.ppgtt.nr_mms, f->vgpu.ppgtt.nr_spts,
			shim_state.pages_peak - f->base_pages,
			f->vgpu.ppgtt.pins, f->total_pins, f->peak_pins,
			f->shadow_fails, f->shadow_calls);
	if (!err)
		err = gtf_end(f);
	if (err)
		fuzz_fail(err, i, NULL);
	return 0;
}
