// SPDX-License-Identifier: GPL-2.0-only
/*
 * gvt/ppgtt.c and gvt/ggtt.c through the fake host of tests/lib/
 * gtt_fake.c: what the GPU reaches through the shadows, pins released on
 * a DMA unmap, and regressions found by tests/fuzz/gtt_fuzz.c.
 */
/* first: the shim's ARRAY_SIZE() is not guarded, the harness's is */
#include "gtt_fake.h"

#include "kselftest_harness.h"

#define PDP	GTF_TABLE_POOL		/* gtf_build()'s first tables */
#define PD	(GTF_TABLE_POOL + 1)
#define PT	(GTF_TABLE_POOL + 2)
#define VA1	0x1000ULL		/* PML4[0] PDP[0] PD[0] PT[1] */

/* One vGPU, open; @kvm: its guest runs on KVM (table pages tracked). */
static void host_begin(struct __test_metadata *_metadata, struct gtf **f,
		       bool kvm)
{
	shim_state.quiet = true;
	*f = gtf_create();
	ASSERT_EQ(0, gtf_begin(*f, 1, kvm, true, 0));
}

static void host_end(struct __test_metadata *_metadata, struct gtf *f)
{
	EXPECT_NULL(gtf_end(f));
	gtf_destroy(f);
}

FIXTURE(pp) {
	struct gtf *f;
};

FIXTURE_SETUP(pp)
{
	host_begin(_metadata, &self->f, false);
}

FIXTURE_TEARDOWN(pp)
{
	host_end(_metadata, self->f);
}

/* Submit one PPGTT context with root page @root on @engine; its shadow root. */
static u64 submit_root_on(struct gtf *f, unsigned int engine, u64 root,
			  const char **err)
{
	const u64 roots[2] = { root << 12, 0 };
	const bool ppgtt[2] = { true, false };

	*err = gtf_submit(f, engine, 1, roots, ppgtt);
	return f->fly[engine][f->nfly[engine] - 1];
}

static u64 submit_root(struct gtf *f, u64 root, const char **err)
{
	return submit_root_on(f, 0, root, err);
}

/* The guest page the GPU reaches at @va through shadow root @hpa. */
static u64 gpu_gfn(struct gtf *f, u64 hpa, u64 va)
{
	struct sgpu_fault fault;
	u64 pfn;

	gtf_index_shadows(f);
	if (!hpa || sgpu_ppgtt_translate(&f->host_mem, hpa, va, &pfn, &fault))
		return ~0ULL;
	return pfn - (GTF_HPA_BASE >> 12);
}

/* gtf_*() results: NULL, or what is wrong, logged. */
#define ASSERT_OK(x) do {						\
	const char *__err = (x);					\
									\
	if (__err)							\
		TH_LOG("%s", __err);					\
	ASSERT_NULL(__err);						\
} while (0)

static void entry(struct gtf *f, u64 table, unsigned int i, u64 gfn)
{
	gtf_cpu_write64(f, table << 12 | 8 * i, gfn << 12 | GTF_P | 2);
}

TEST_F(pp, shadow_maps_pinned_guest_pages)
{
	struct gtf *f = self->f;
	const char *err;
	u64 hpa;

	gtf_build(f, 1, VA1, 100);
	gtf_build(f, 1, 0x0000123456789000ULL, 101);
	hpa = submit_root(f, 1, &err);
	ASSERT_OK(err);
	ASSERT_OK(gtf_check(f));
	EXPECT_EQ(100, gpu_gfn(f, hpa, VA1));
	EXPECT_EQ(101, gpu_gfn(f, hpa, 0x0000123456789000ULL));
	EXPECT_EQ(~0ULL, gpu_gfn(f, hpa, 0x2000));
	EXPECT_EQ(1, f->pins[100]);
	gtf_complete(f, 0);
	ASSERT_OK(gtf_check(f));
}

TEST_F(pp, dma_unmap_releases_every_pin)
{
	struct gtf *f = self->f;
	u64 pte = 100ULL << 12 | MVGPU_PTE_VALID;
	const char *err;

	ASSERT_OK(gtf_ggtt_mmio(f, MVGPU_GGTT_OFFSET +
				  (f->vgpu.res.aperture.base >> 12) * 8, 8,
				  &pte, true));
	gtf_build(f, 1, VA1, 100);
	submit_root(f, 1, &err);
	ASSERT_OK(err);
	EXPECT_EQ(2, f->pins[100]);
	ASSERT_OK(gtf_dma_unmap(f, 100, 1));
	EXPECT_EQ(0, f->total_pins);
	EXPECT_EQ(0, f->nfly[0]);	/* the work using it was stopped */
	ASSERT_OK(gtf_check(f));
}

/*
 * The workload path's kmap lookup (mvgpu_ppgtt_pinned_hpa()) finds the
 * page the shadow holds pinned, the new one once a rewritten entry was
 * shadowed again, and nothing where the shadow pins nothing; reads and
 * writes through mvgpu_vgpu_pinned_rw() reach the guest's page either
 * way (here through the fallback: the fake's host pages cannot be
 * mapped).
 */
TEST_F(pp, pinned_lookup_follows_the_shadow)
{
	struct gtf *f = self->f;
	struct mvgpu_vgpu *v = &f->vgpu;
	u32 val = 0x5eed1234, got = 0;
	const char *err;

	gtf_build(f, 1, VA1, 100);
	mutex_lock(&v->lock);
	EXPECT_EQ(0, mvgpu_ppgtt_pinned_hpa(v, 1 << 12, VA1));	/* no shadow */
	mutex_unlock(&v->lock);
	submit_root(f, 1, &err);
	ASSERT_OK(err);
	mutex_lock(&v->lock);
	EXPECT_EQ(GTF_HPA(100), mvgpu_ppgtt_pinned_hpa(v, 1 << 12, VA1 + 8));
	EXPECT_EQ(0, mvgpu_ppgtt_pinned_hpa(v, 1 << 12, 0x2000));
	EXPECT_EQ(0, mvgpu_ppgtt_pinned_hpa(v, 2 << 12, VA1));
	EXPECT_FALSE(mvgpu_ppgtt_pinned_rw(v, 1 << 12, VA1 + 4088, &got, 16,
					   false));	/* crosses a page */
	EXPECT_EQ(0, mvgpu_vgpu_pinned_rw(v, true, 1 << 12, VA1 + 16, &val,
					  sizeof(val), true));
	EXPECT_EQ(0, mvgpu_vgpu_pinned_rw(v, true, 1 << 12, VA1 + 16, &got,
					  sizeof(got), false));
	EXPECT_EQ(-EFAULT, mvgpu_vgpu_pinned_rw(v, true, 1 << 12, 0x2000,
						&got, sizeof(got), false));
	mutex_unlock(&v->lock);
	EXPECT_EQ(val, got);
	EXPECT_EQ(0, memcmp(f->page[100] + 16, &val, sizeof(val)));

	/* rewritten: the old page until the shadow reads it again */
	entry(f, PT, 1, 101);
	mutex_lock(&v->lock);
	EXPECT_EQ(GTF_HPA(100), mvgpu_ppgtt_pinned_hpa(v, 1 << 12, VA1));
	EXPECT_LT(0, f->pins[100]);
	mutex_unlock(&v->lock);
	gtf_complete(f, 0);
	submit_root(f, 1, &err);
	ASSERT_OK(err);
	mutex_lock(&v->lock);
	EXPECT_EQ(GTF_HPA(101), mvgpu_ppgtt_pinned_hpa(v, 1 << 12, VA1));
	EXPECT_EQ(0, mvgpu_vgpu_pinned_rw(v, true, 1 << 12, VA1 + 16, &got,
					  sizeof(got), false));
	mutex_unlock(&v->lock);
	EXPECT_EQ(0, memcmp(f->page[101] + 16, &got, sizeof(got)));
	gtf_complete(f, 0);
	ASSERT_OK(gtf_check(f));
	EXPECT_EQ(0, f->pins[100]);
}

/*
 * Found by gtt_fuzz (seed ppgtt_shared_root): a new root reusing a table
 * another root had shadowed got the table as last read, not as the guest
 * has it now, so the GPU wrote to the page the guest had unmapped.
 */
TEST_F(pp, new_root_sees_edits_of_shared_tables)
{
	struct gtf *f = self->f;
	const char *err;
	u64 hpa;

	gtf_build(f, 1, VA1, 100);
	submit_root(f, 1, &err);
	ASSERT_OK(err);
	gtf_complete(f, 0);
	entry(f, PT, 1, 300);		/* no KVM: seen at the next submit */
	entry(f, 2, 0, PDP);		/* root 2 shares root 1's PDP */
	hpa = submit_root(f, 2, &err);
	ASSERT_OK(err);
	EXPECT_EQ(300, gpu_gfn(f, hpa, VA1));
	ASSERT_OK(gtf_check(f));
	gtf_complete(f, 0);
}

/*
 * The same through a known root: its new PDP points at a PD it shares
 * with another root; the tables below that PD must be brought up to
 * date too, not skipped because the new PDP was just read.
 */
TEST_F(pp, known_root_sees_tables_below_a_new_table)
{
	struct gtf *f = self->f;
	const char *err;
	u64 hpa;

	gtf_build(f, 1, VA1, 100);
	gtf_build(f, 2, 0x0000008000000000ULL, 101);	/* PML4[1] */
	submit_root(f, 1, &err);
	ASSERT_OK(err);
	submit_root(f, 2, &err);
	ASSERT_OK(err);
	gtf_complete(f, 0);
	gtf_complete(f, 0);
	entry(f, PT, 1, 300);
	entry(f, 50, 0, PD);		/* a new PDP above root 1's PD */
	entry(f, 2, 0, 50);
	hpa = submit_root(f, 2, &err);
	ASSERT_OK(err);
	EXPECT_EQ(300, gpu_gfn(f, hpa, VA1));
	EXPECT_EQ(101, gpu_gfn(f, hpa, 0x0000008000000000ULL));
	ASSERT_OK(gtf_check(f));
	gtf_complete(f, 0);
}

/*
 * More roots than the vGPU caches: the one dropped to make room is the
 * least recently used of those no work in flight uses.  A root whose
 * work still waits on engine 0 keeps every translation (dropping it
 * would empty its tables under that work, which would fault), while
 * engine 1 goes through more roots than the cache holds.
 */
TEST_F(pp, a_root_with_work_in_flight_is_not_dropped_for_room)
{
	struct gtf *f = self->f;
	const char *err;
	u64 hpa, r;

	gtf_build(f, 1, VA1, 100);
	hpa = submit_root(f, 1, &err);
	ASSERT_OK(err);
	for (r = 2; r < 2 + 2 * MVGPU_PPGTT_MAX_MMS; r++) {
		gtf_build(f, r, VA1, 100 + r);
		EXPECT_EQ(100 + r, gpu_gfn(f, submit_root_on(f, 1, r, &err), VA1));
		ASSERT_OK(err);
		gtf_complete(f, 1);
		EXPECT_EQ(100, gpu_gfn(f, hpa, VA1));
	}
	EXPECT_EQ(MVGPU_PPGTT_MAX_MMS, f->vgpu.ppgtt.nr_mms);
	ASSERT_OK(gtf_check(f));
	gtf_complete(f, 0);
	ASSERT_OK(gtf_check(f));
}

/*
 * When every cached root has work in flight, a new root is shadowed
 * beside them (both engines' queues hold more than the cache): none of
 * them loses its translations.  Once their work is done, the next new
 * root brings the cache back to its size.
 */
TEST_F(pp, roots_all_in_flight_all_keep_their_shadows)
{
	struct gtf *f = self->f;
	u64 hpa[MVGPU_PPGTT_MAX_MMS + 4], r, n = MVGPU_PPGTT_MAX_MMS + 4;
	const char *err;

	for (r = 0; r < n; r++) {
		gtf_build(f, r + 1, VA1, 100 + r);
		hpa[r] = submit_root_on(f, r % 2, r + 1, &err);
		ASSERT_OK(err);
	}
	for (r = 0; r < n; r++)
		EXPECT_EQ(100 + r, gpu_gfn(f, hpa[r], VA1));
	EXPECT_EQ(n, f->vgpu.ppgtt.nr_mms);
	ASSERT_OK(gtf_check(f));
	for (r = 0; r < n; r++)
		gtf_complete(f, r % 2);
	gtf_build(f, n + 1, VA1, 100 + n);
	EXPECT_EQ(100 + n, gpu_gfn(f, submit_root(f, n + 1, &err), VA1));
	ASSERT_OK(err);
	EXPECT_EQ(MVGPU_PPGTT_MAX_MMS, f->vgpu.ppgtt.nr_mms);
	ASSERT_OK(gtf_check(f));
	gtf_complete(f, 0);
}

/*
 * Without KVM every submission reads every table again: each table page
 * is held pinned while shadowed (read with a kmap in the kernel), one pin
 * per table however many roots share it; the pins go with the shadows,
 * and at once when the VMM unmaps a table page, which then reads empty.
 */
TEST_F(pp, untracked_tables_are_held_pinned_while_shadowed)
{
	struct gtf *f = self->f;
	const char *err;
	u64 hpa;

	gtf_build(f, 1, VA1, 100);
	entry(f, 2, 0, PDP);		/* root 2 shares root 1's PDP */
	submit_root(f, 1, &err);
	ASSERT_OK(err);
	hpa = submit_root(f, 2, &err);
	ASSERT_OK(err);
	EXPECT_EQ(100, gpu_gfn(f, hpa, VA1));
	EXPECT_EQ(1, f->pins[1]);
	EXPECT_EQ(1, f->pins[2]);
	EXPECT_EQ(1, f->pins[PDP]);
	EXPECT_EQ(1, f->pins[PD]);
	EXPECT_EQ(1, f->pins[PT]);
	EXPECT_EQ(1, f->pins[100]);
	ASSERT_OK(gtf_check(f));
	gtf_complete(f, 0);
	gtf_complete(f, 0);

	ASSERT_OK(gtf_dma_unmap(f, PT, 1));
	EXPECT_EQ(1, f->pins[PD]);
	hpa = submit_root(f, 1, &err);
	ASSERT_OK(err);
	EXPECT_EQ(~0ULL, gpu_gfn(f, hpa, VA1));
	EXPECT_EQ(0, f->pins[100]);
	ASSERT_OK(gtf_check(f));
	gtf_complete(f, 0);

	gtf_dma_map(f, PT, 1);
	hpa = submit_root(f, 1, &err);
	ASSERT_OK(err);
	EXPECT_EQ(100, gpu_gfn(f, hpa, VA1));
	EXPECT_EQ(1, f->pins[PT]);
	ASSERT_OK(gtf_check(f));
	gtf_complete(f, 0);
	gtf_close(f);
	EXPECT_EQ(0, f->total_pins);
}

/*
 * A table pin only saves copies: under a pin limit the tables are read
 * through the VMM, and the pages the engines need get the pins.
 */
TEST_F(pp, table_pins_leave_the_pin_limit_to_the_engines_pages)
{
	struct gtf *f = self->f;
	const char *err;
	u64 hpa;

	mvgpu_vgpu_set_pin_limit(&f->vgpu, 1);
	gtf_build(f, 1, VA1, 100);
	hpa = submit_root(f, 1, &err);
	ASSERT_OK(err);
	EXPECT_EQ(100, gpu_gfn(f, hpa, VA1));
	EXPECT_EQ(0, f->pins[1]);
	EXPECT_EQ(0, f->pins[PDP]);
	EXPECT_EQ(0, f->pins[PD]);
	EXPECT_EQ(0, f->pins[PT]);
	EXPECT_EQ(1, f->pins[100]);
	EXPECT_EQ(0, atomic64_read(&f->vgpu.stats.bad_ppgtt));
	ASSERT_OK(gtf_check(f));
	gtf_complete(f, 0);
}

/*
 * Entries refused for want of room are tried again only when there is
 * room: a guest that maps far more pages than it may pin must not make
 * each submission walk every refused entry again (up to millions, under
 * the vGPU's lock).  Once the limit is raised, they are all shadowed.
 */
TEST_F(pp, refused_entries_wait_for_room_without_a_retry_each)
{
	struct gtf *f = self->f;
	const char *err;
	long bad;
	u64 hpa;
	unsigned int i;

	mvgpu_vgpu_set_pin_limit(&f->vgpu, 2);
	for (i = 0; i < 64; i++)
		gtf_build(f, 1, VA1 + i * 0x1000ULL, 100 + i);
	hpa = submit_root(f, 1, &err);
	ASSERT_OK(err);
	EXPECT_EQ(100, gpu_gfn(f, hpa, VA1));
	EXPECT_EQ(~0ULL, gpu_gfn(f, hpa, VA1 + 2 * 0x1000ULL));
	bad = atomic64_read(&f->vgpu.stats.bad_ppgtt);
	EXPECT_EQ(62, bad);
	gtf_complete(f, 0);
	for (i = 0; i < 4; i++) {
		submit_root(f, 1, &err);
		ASSERT_OK(err);
		gtf_complete(f, 0);
	}
	EXPECT_EQ(bad, atomic64_read(&f->vgpu.stats.bad_ppgtt));
	mvgpu_vgpu_set_pin_limit(&f->vgpu, 0);
	hpa = submit_root(f, 1, &err);
	ASSERT_OK(err);
	for (i = 0; i < 64; i++)
		EXPECT_EQ(100 + i, gpu_gfn(f, hpa, VA1 + i * 0x1000ULL));
	EXPECT_EQ(bad, atomic64_read(&f->vgpu.stats.bad_ppgtt));
	ASSERT_OK(gtf_check(f));
	gtf_complete(f, 0);
}

/*
 * A walk may read thousands of tables under the vGPU's lock: it offers
 * the CPU at each table it shadows or visits, the first time and at each
 * submission after.  Before, none did, and a guest with 4096 tables held
 * its CPU for the whole walk.
 */
TEST_F(pp, a_walk_offers_the_cpu_at_each_table)
{
	struct gtf *f = self->f;
	const unsigned int pts = 64, tables = 3 + pts;
	const char *err;
	long before;
	unsigned int i;
	u64 hpa;

	for (i = 0; i < pts; i++)
		gtf_build(f, 1, (u64)i << 21, 100 + i);
	before = shim_read(resched);
	hpa = submit_root(f, 1, &err);
	ASSERT_OK(err);
	EXPECT_LE(before + tables, shim_read(resched));
	EXPECT_EQ(100 + pts - 1, gpu_gfn(f, hpa, (u64)(pts - 1) << 21));
	gtf_complete(f, 0);
	before = shim_read(resched);
	submit_root(f, 1, &err);
	ASSERT_OK(err);
	EXPECT_LE(before + tables, shim_read(resched));
	ASSERT_OK(gtf_check(f));
	gtf_complete(f, 0);
}

/*
 * A guest page the VMM's pin puts beyond the 48 bits of host address the
 * GTTs hold is refused, in the GGTT and in a PPGTT, and its pin released.
 * Cut to 48 bits, its address would be another page's: here the next
 * guest page's, on a host with memory above 256 TiB anyone's.
 */
TEST_F(pp, a_page_beyond_48_bits_is_refused_not_cut)
{
	struct gtf *f = self->f;
	u64 index = f->vgpu.res.aperture.base >> 12;
	u64 pte = 100ULL << 12 | MVGPU_PTE_VALID, hpa;
	const char *err;
	s64 bad;

	f->far_gfn = 100;
	bad = atomic64_read(&f->vgpu.stats.bad_ggtt);
	ASSERT_OK(gtf_ggtt_mmio(f, MVGPU_GGTT_OFFSET + index * 8, 8, &pte,
				true));
	EXPECT_EQ(bad + 1, atomic64_read(&f->vgpu.stats.bad_ggtt));
	EXPECT_EQ(0, f->pggtt[index]);
	EXPECT_EQ(0, f->pins[100]);

	gtf_build(f, 1, VA1, 100);
	bad = atomic64_read(&f->vgpu.stats.bad_ppgtt);
	hpa = submit_root(f, 1, &err);
	ASSERT_OK(err);
	EXPECT_EQ(~0ULL, gpu_gfn(f, hpa, VA1));
	EXPECT_EQ(bad + 1, atomic64_read(&f->vgpu.stats.bad_ppgtt));
	EXPECT_EQ(0, f->pins[100]);
	ASSERT_OK(gtf_check(f));
	gtf_complete(f, 0);
}

/* The same host, for a guest on KVM: its table pages are write-tracked. */
FIXTURE(kvm) {
	struct gtf *f;
};

FIXTURE_SETUP(kvm)
{
	host_begin(_metadata, &self->f, true);
}

FIXTURE_TEARDOWN(kvm)
{
	host_end(_metadata, self->f);
}

/*
 * A guest that rewrites a table pays one exit for it: the first write
 * lifts the protection, the next submission reads the table again and
 * protects it again.
 */
TEST_F(kvm, an_edited_table_is_read_again_and_protected_again)
{
	struct gtf *f = self->f;
	const char *err;
	u64 hpa;

	gtf_build(f, 1, VA1, 100);
	submit_root(f, 1, &err);
	ASSERT_OK(err);
	gtf_complete(f, 0);
	EXPECT_EQ(1, f->track[PT]);
	EXPECT_EQ(0, f->pins[PT]);	/* tracked tables are not re-read */
	entry(f, PT, 1, 300);
	EXPECT_EQ(0, f->track[PT]);
	entry(f, PT, 2, 301);		/* not reported: no exit */
	hpa = submit_root(f, 1, &err);
	ASSERT_OK(err);
	EXPECT_EQ(300, gpu_gfn(f, hpa, VA1));
	EXPECT_EQ(301, gpu_gfn(f, hpa, VA1 + 0x1000));
	EXPECT_EQ(1, f->track[PT]);
	ASSERT_OK(gtf_check(f));
	gtf_complete(f, 0);
}

/*
 * The root of a context the guest destroyed stays cached; the guest
 * reuses its page for anything.  What it writes there must not be taken
 * for entries: each "entry" would write-protect and pin a guest page at
 * random, and those pages' contents more (an L2 guest whose kernel
 * stacks and page tables became write-protected this way reset itself).
 */
TEST_F(kvm, a_reused_root_page_is_not_taken_for_entries)
{
	struct gtf *f = self->f;
	long pins;
	const char *err;
	unsigned int i;

	gtf_build(f, 1, VA1, 100);
	submit_root(f, 1, &err);
	ASSERT_OK(err);
	gtf_complete(f, 0);
	pins = f->total_pins;
	for (i = 0; i < 16; i++)	/* "PML4 entries" pointing at 200.. */
		entry(f, 1, 64 + i, 200 + i);
	EXPECT_EQ(0, f->track[1]);
	for (i = 0; i < 16; i++)
		EXPECT_EQ(0, f->track[200 + i]);
	EXPECT_EQ(pins, f->total_pins);
	ASSERT_OK(gtf_check(f));
}

/*
 * An entry refused for want of room is tried again from the vGPU's copy
 * of its table only while that copy is current.  The guest rewrote the
 * table since (one reported write lifts the protection): its old entry
 * must not be pinned by a submission that does not read that table, and
 * the entry the guest wrote is shadowed by the next one that does.
 */
TEST_F(kvm, a_refused_entry_of_a_rewritten_table_waits_for_a_read)
{
	struct gtf *f = self->f;
	const char *err;
	u64 hpa;

	mvgpu_vgpu_set_pin_limit(&f->vgpu, 1);
	gtf_build(f, 1, VA1, 100);
	gtf_build(f, 1, VA1 + 0x1000, 101);	/* refused: the limit */
	gtf_build(f, 2, 0x0000008000000000ULL, 102);	/* another tree */
	submit_root(f, 1, &err);
	ASSERT_OK(err);
	gtf_complete(f, 0);
	EXPECT_EQ(0, f->pins[101]);
	entry(f, PT, 2, 300);		/* the guest rewrites that table */
	EXPECT_EQ(0, f->track[PT]);
	mvgpu_vgpu_set_pin_limit(&f->vgpu, 0);
	hpa = submit_root(f, 2, &err);
	ASSERT_OK(err);
	EXPECT_EQ(102, gpu_gfn(f, hpa, 0x0000008000000000ULL));
	EXPECT_EQ(0, f->pins[101]);
	EXPECT_EQ(0, f->track[PT]);
	ASSERT_OK(gtf_check(f));
	gtf_complete(f, 0);
	hpa = submit_root(f, 1, &err);
	ASSERT_OK(err);
	EXPECT_EQ(300, gpu_gfn(f, hpa, VA1 + 0x1000));
	EXPECT_EQ(0, f->pins[101]);
	EXPECT_EQ(1, f->track[PT]);
	ASSERT_OK(gtf_check(f));
	gtf_complete(f, 0);
}

/*
 * The guest unlinks its tables before it frees them, but reports only
 * the first write to a page: when it clears a PML4 entry, the tables
 * below (which it then frees and reuses for anything, kernel page tables
 * and stacks included) must not stay write-protected, which mvgpu_drm
 * relies on (drm/ppgtt.c, vm_release()).  They did: the shadows below a
 * written table kept their tracking until the next walk of that root.
 * The next walk protects what is still linked again.
 */
TEST_F(kvm, tables_below_a_written_table_are_no_longer_protected)
{
	struct gtf *f = self->f;
	const char *err;
	u64 hpa;

	gtf_build(f, 1, VA1, 100);
	submit_root(f, 1, &err);
	ASSERT_OK(err);
	gtf_complete(f, 0);
	EXPECT_EQ(1, f->track[PDP]);
	EXPECT_EQ(1, f->track[PD]);
	EXPECT_EQ(1, f->track[PT]);
	gtf_cpu_write64(f, 1ULL << 12, 0);	/* PML4[0]: the PDP unlinked */
	EXPECT_EQ(0, f->track[1]);
	EXPECT_EQ(0, f->track[PDP]);
	EXPECT_EQ(0, f->track[PD]);
	EXPECT_EQ(0, f->track[PT]);
	ASSERT_OK(gtf_check(f));
	/* linked again: the next walk reads and protects the tree again */
	entry(f, 1, 0, PDP);
	hpa = submit_root(f, 1, &err);
	ASSERT_OK(err);
	EXPECT_EQ(100, gpu_gfn(f, hpa, VA1));
	EXPECT_EQ(1, f->track[1]);
	EXPECT_EQ(1, f->track[PDP]);
	EXPECT_EQ(1, f->track[PD]);
	EXPECT_EQ(1, f->track[PT]);
	ASSERT_OK(gtf_check(f));
	gtf_complete(f, 0);
}

/*
 * A middle table written: the tables below it, and only those, lose
 * their protection, each once however many entries lead to it.
 */
TEST_F(kvm, a_written_middle_table_unprotects_only_its_own_subtree)
{
	struct gtf *f = self->f;
	const char *err;
	unsigned int i;

	gtf_build(f, 1, VA1, 100);
	for (i = 1; i < 8; i++)		/* PD[1..7]: the same PT again */
		entry(f, PD, i, PT);
	submit_root(f, 1, &err);
	ASSERT_OK(err);
	gtf_complete(f, 0);
	EXPECT_EQ(1, f->track[PT]);
	gtf_cpu_write64(f, PD << 12 | 8 * 3, 0);
	EXPECT_EQ(1, f->track[1]);
	EXPECT_EQ(1, f->track[PDP]);
	EXPECT_EQ(0, f->track[PD]);
	EXPECT_EQ(0, f->track[PT]);
	ASSERT_OK(gtf_check(f));
}

TEST_HARNESS_MAIN
