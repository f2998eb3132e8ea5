// SPDX-License-Identifier: GPL-2.0-only
/*
 * sgpu/gtt_walk.c: GGTT and 4-level PPGTT translation, faults at every
 * level, page-crossing reads and writes, mapping discipline.
 */
#include "kselftest_harness.h"
#include "sgpu_fake.h"

#define VA	0x0000123456789000ULL	/* uses all four levels */

FIXTURE(gtt) {
	struct fake fx;
	u64 pml4;
	struct sgpu_vm vm;
};

FIXTURE_SETUP(gtt)
{
	fake_init(&self->fx, 256, 64, false);
	self->pml4 = fake_pt_alloc(&self->fx) << 12;
	self->vm.mem = &self->fx.mem;
	self->vm.pml4 = self->pml4;
	self->vm.ppgtt = true;
}

FIXTURE_TEARDOWN(gtt)
{
	EXPECT_EQ(0, self->fx.depth);
	EXPECT_EQ(0, self->fx.lifo_errors);
	fake_fini(&self->fx);
}

TEST_F(gtt, ggtt_valid)
{
	struct sgpu_fault f;
	u64 pfn, ga;

	for (ga = 0; ga < 256 * FAKE_PAGE; ga += 4096 + 12) {
		ASSERT_EQ(0, sgpu_ggtt_translate(&self->fx.mem, ga, &pfn, &f));
		ASSERT_EQ(fake_ggtt_pfn(&self->fx, ga), pfn);
	}
}

TEST_F(gtt, ggtt_invalid_pte)
{
	struct sgpu_fault f;
	u64 pfn = 0xdead;

	self->fx.ggtt[5] &= ~MVGPU_PTE_VALID;
	ASSERT_EQ(-EFAULT, sgpu_ggtt_translate(&self->fx.mem, 5 * 4096 + 8,
					       &pfn, &f));
	EXPECT_EQ(MVGPU_ERR_GGTT_FAULT, f.code);
	EXPECT_EQ(1, f.level);
	EXPECT_EQ(5 * 4096 + 8, f.addr);
	EXPECT_EQ(0xdead, pfn);
}

TEST_F(gtt, ggtt_beyond_end)
{
	struct sgpu_fault f;
	u64 pfn;

	ASSERT_EQ(-EFAULT, sgpu_ggtt_translate(&self->fx.mem, 256 * 4096,
					       &pfn, &f));
	EXPECT_EQ(MVGPU_ERR_GGTT_FAULT, f.code);
	EXPECT_EQ(0, f.level);
	ASSERT_EQ(-EFAULT, sgpu_ggtt_translate(&self->fx.mem, ~0ULL, &pfn, &f));
	EXPECT_EQ(MVGPU_ERR_GGTT_FAULT, f.code);
}

TEST_F(gtt, ggtt_address_bits_above_47_ignored_in_pte)
{
	struct sgpu_fault f;
	u64 pfn;

	self->fx.ggtt[3] = 0xfff0000000000000ULL | (7ULL << 12) | 0xffe |
			   MVGPU_PTE_VALID;
	ASSERT_EQ(0, sgpu_ggtt_translate(&self->fx.mem, 3 * 4096, &pfn, &f));
	EXPECT_EQ(7, pfn);
}

TEST_F(gtt, ppgtt_valid_four_levels)
{
	struct sgpu_fault f;
	u64 pfn;

	fake_ppgtt_map(&self->fx, self->pml4, VA, 42);
	fake_ppgtt_map(&self->fx, self->pml4, 0, 43);
	fake_ppgtt_map(&self->fx, self->pml4, (1ULL << 48) - 4096, 44);
	ASSERT_EQ(0, sgpu_ppgtt_translate(&self->fx.mem, self->pml4, VA + 99,
					  &pfn, &f));
	EXPECT_EQ(42, pfn);
	ASSERT_EQ(0, sgpu_ppgtt_translate(&self->fx.mem, self->pml4, 0, &pfn,
					  &f));
	EXPECT_EQ(43, pfn);
	ASSERT_EQ(0, sgpu_vm_translate(&self->vm, SGPU_PPGTT,
				       (1ULL << 48) - 1, &pfn, &f));
	EXPECT_EQ(44, pfn);
	EXPECT_EQ(1, self->fx.max_depth);
}

TEST_F(gtt, ppgtt_not_present_each_level)
{
	int level;

	for (level = 4; level >= 1; level--) {
		struct sgpu_fault f = { 0 };
		u64 *e, saved, pfn;

		fake_ppgtt_map(&self->fx, self->pml4, VA, 42);
		e = fake_ppgtt_entry(&self->fx, self->pml4, VA, level);
		saved = *e;
		*e &= ~MVGPU_PPGTT_PRESENT;
		ASSERT_EQ(-EFAULT, sgpu_ppgtt_translate(&self->fx.mem,
							self->pml4, VA + 4,
							&pfn, &f));
		EXPECT_EQ(MVGPU_ERR_PPGTT_FAULT, f.code);
		EXPECT_EQ(level, f.level);
		EXPECT_EQ(VA + 4, f.addr);
		*e = saved;
	}
}

TEST_F(gtt, ppgtt_huge_page_bit_faults)
{
	int level;

	fake_ppgtt_map(&self->fx, self->pml4, VA, 42);
	for (level = 3; level >= 2; level--) {
		struct sgpu_fault f = { 0 };
		u64 *e = fake_ppgtt_entry(&self->fx, self->pml4, VA, level);
		u64 pfn;

		*e |= MVGPU_PPGTT_PS;
		ASSERT_EQ(-EFAULT, sgpu_ppgtt_translate(&self->fx.mem,
							self->pml4, VA, &pfn,
							&f));
		EXPECT_EQ(MVGPU_ERR_PPGTT_FAULT, f.code);
		EXPECT_EQ(level, f.level);
		*e &= ~MVGPU_PPGTT_PS;
	}
	/* bit 7 of a PTE is PAT, not PS */
	*fake_ppgtt_entry(&self->fx, self->pml4, VA, 1) |= MVGPU_PPGTT_PS;
	{
		struct sgpu_fault f;
		u64 pfn;

		ASSERT_EQ(0, sgpu_ppgtt_translate(&self->fx.mem, self->pml4,
						  VA, &pfn, &f));
		EXPECT_EQ(42, pfn);
	}
}

TEST_F(gtt, ppgtt_above_48_bits)
{
	struct sgpu_fault f;
	u64 pfn;

	ASSERT_EQ(-EFAULT, sgpu_ppgtt_translate(&self->fx.mem, self->pml4,
						1ULL << 48, &pfn, &f));
	EXPECT_EQ(MVGPU_ERR_PPGTT_FAULT, f.code);
	EXPECT_EQ(0, f.level);
}

TEST_F(gtt, ppgtt_table_page_hole_each_level)
{
	int level;

	fake_ppgtt_map(&self->fx, self->pml4, VA, 42);
	for (level = 4; level >= 1; level--) {
		struct sgpu_fault f = { 0 };
		u64 table, pfn;

		/* the table of @level is the one the level above points at */
		if (level == 4)
			table = self->pml4 >> 12;
		else
			table = (*fake_ppgtt_entry(&self->fx, self->pml4, VA,
						   level + 1) &
				 MVGPU_PPGTT_ADDR_MASK) >> 12;
		self->fx.hole[table] = 1;
		ASSERT_EQ(-EFAULT, sgpu_ppgtt_translate(&self->fx.mem,
							self->pml4, VA, &pfn,
							&f));
		EXPECT_EQ(MVGPU_ERR_PAGE_FAULT, f.code);
		EXPECT_EQ(level, f.level);
		self->fx.hole[table] = 0;
	}
}

TEST_F(gtt, ppgtt_table_outside_memory)
{
	struct sgpu_fault f;
	u64 pfn;

	/* the PDE points past the end of physical memory */
	fake_ppgtt_map(&self->fx, self->pml4, VA, 42);
	*fake_ppgtt_entry(&self->fx, self->pml4, VA, 2) =
		(1ULL << 40) | MVGPU_PPGTT_PRESENT;
	ASSERT_EQ(-EFAULT, sgpu_ppgtt_translate(&self->fx.mem, self->pml4, VA,
						&pfn, &f));
	EXPECT_EQ(MVGPU_ERR_PAGE_FAULT, f.code);
	EXPECT_EQ(1, f.level);
}

TEST_F(gtt, data_page_hole)
{
	struct sgpu_fault f;
	u64 pfn;
	u32 v;

	fake_ppgtt_map(&self->fx, self->pml4, VA, 42);
	self->fx.hole[42] = 1;
	EXPECT_EQ(NULL, sgpu_vm_map(&self->vm, SGPU_PPGTT, VA, &pfn, &f));
	EXPECT_EQ(MVGPU_ERR_PAGE_FAULT, f.code);
	EXPECT_EQ(0, f.level);
	self->fx.hole[fake_ggtt_pfn(&self->fx, 8192)] = 1;
	EXPECT_EQ(-EFAULT, sgpu_vm_read(&self->vm, SGPU_GGTT, 8192, &v, 4, &f));
	EXPECT_EQ(MVGPU_ERR_PAGE_FAULT, f.code);
}

TEST_F(gtt, no_ppgtt)
{
	struct sgpu_fault f;
	u64 pfn;

	self->vm.ppgtt = false;
	ASSERT_EQ(-EFAULT, sgpu_vm_translate(&self->vm, SGPU_PPGTT, 0, &pfn,
					     &f));
	EXPECT_EQ(MVGPU_ERR_NO_PPGTT, f.code);
	ASSERT_EQ(0, sgpu_vm_translate(&self->vm, SGPU_GGTT, 0, &pfn, &f));
}

TEST_F(gtt, read_write_cross_pages)
{
	u8 in[10000], out[10000];
	struct sgpu_fault f;
	int i;

	for (i = 0; i < (int)sizeof(in); i++)
		in[i] = i * 7 + 3;
	ASSERT_EQ(0, sgpu_vm_write(&self->vm, SGPU_GGTT, 4096 - 5, in,
				   sizeof(in), &f));
	fake_gread(&self->fx, 4096 - 5, out, sizeof(out));
	ASSERT_EQ(0, memcmp(in, out, sizeof(in)));
	memset(out, 0, sizeof(out));
	ASSERT_EQ(0, sgpu_vm_read(&self->vm, SGPU_GGTT, 4096 - 5, out,
				  sizeof(out), &f));
	ASSERT_EQ(0, memcmp(in, out, sizeof(in)));

	/* the same through PPGTT aliases of those pages */
	fake_ppgtt_alias(&self->fx, self->pml4, VA, 0, 5 * 4096);
	memset(out, 0, sizeof(out));
	ASSERT_EQ(0, sgpu_vm_read(&self->vm, SGPU_PPGTT, VA + 4096 - 5, out,
				  sizeof(out), &f));
	ASSERT_EQ(0, memcmp(in, out, sizeof(in)));
}

TEST_F(gtt, write_faults_midway)
{
	u8 in[8192] = { 1 };
	struct sgpu_fault f;

	self->fx.ggtt[2] = 0;
	ASSERT_EQ(-EFAULT, sgpu_vm_write(&self->vm, SGPU_GGTT, 4096 + 100, in,
					 sizeof(in), &f));
	EXPECT_EQ(MVGPU_ERR_GGTT_FAULT, f.code);
	EXPECT_EQ(2 * 4096, f.addr);
	EXPECT_EQ(1, *fake_gptr(&self->fx, 4096 + 100));
}

TEST_F(gtt, walk_cache)
{
	u64 base = 0x0000200000000000ULL - 4096;	/* last page of a 2 MiB */
	struct sgpu_tlb tlb = { 0 };
	struct sgpu_fault f;
	u64 pfn, *pte;
	void *va;

	fake_ppgtt_map(&self->fx, self->pml4, base, 50);
	pte = fake_ppgtt_map(&self->fx, self->pml4, base + 4096, 51);
	va = sgpu_vm_map_tlb(&self->vm, SGPU_PPGTT, base, &pfn, &tlb, &f);
	ASSERT_NE(NULL, va);
	EXPECT_EQ(50, pfn);
	sgpu_vm_unmap(&self->vm, pfn, va);
	/* crosses into the next 2 MiB: a new table */
	va = sgpu_vm_map_tlb(&self->vm, SGPU_PPGTT, base + 4096, &pfn, &tlb,
			     &f);
	ASSERT_NE(NULL, va);
	EXPECT_EQ(51, pfn);
	sgpu_vm_unmap(&self->vm, pfn, va);
	/* a PTE change is seen at once through the cached table */
	*pte = 52ULL << 12 | MVGPU_PPGTT_PRESENT;
	va = sgpu_vm_map_tlb(&self->vm, SGPU_PPGTT, base + 4096, &pfn, &tlb,
			     &f);
	ASSERT_NE(NULL, va);
	EXPECT_EQ(52, pfn);
	sgpu_vm_unmap(&self->vm, pfn, va);
	*pte = 0;
	EXPECT_EQ(NULL, sgpu_vm_map_tlb(&self->vm, SGPU_PPGTT, base + 4096,
					&pfn, &tlb, &f));
	EXPECT_EQ(MVGPU_ERR_PPGTT_FAULT, f.code);
	EXPECT_EQ(1, f.level);
	/* the GGTT, no PPGTT, and addresses above 48 bits bypass the cache */
	va = sgpu_vm_map_tlb(&self->vm, SGPU_GGTT, 0, &pfn, &tlb, &f);
	ASSERT_NE(NULL, va);
	sgpu_vm_unmap(&self->vm, pfn, va);
	EXPECT_EQ(NULL, sgpu_vm_map_tlb(&self->vm, SGPU_PPGTT, 1ULL << 48,
					&pfn, &tlb, &f));
	EXPECT_EQ(0, f.level);
	self->vm.ppgtt = false;
	EXPECT_EQ(NULL, sgpu_vm_map_tlb(&self->vm, SGPU_PPGTT, base, &pfn,
					&tlb, &f));
	EXPECT_EQ(MVGPU_ERR_NO_PPGTT, f.code);
}

TEST_HARNESS_MAIN
