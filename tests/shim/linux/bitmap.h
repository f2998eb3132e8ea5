/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MVGPU_SHIM_BITMAP_H
#define _MVGPU_SHIM_BITMAP_H
#include <string.h>
#include <linux/bitops.h>
#include <linux/slab.h>

#define DECLARE_BITMAP(name, bits)	unsigned long name[BITS_TO_LONGS(bits)]

static inline void bitmap_zero(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

static inline unsigned int bitmap_weight(const unsigned long *src,
					 unsigned int nbits)
{
	unsigned int i, w = 0;

	for (i = 0; i < nbits; i++)
		w += test_bit(i, src);
	return w;
}

static inline bool bitmap_empty(const unsigned long *src, unsigned int nbits)
{
	return find_first_bit(src, nbits) >= nbits;
}

static inline void bitmap_set(unsigned long *map, unsigned int start,
			      unsigned int nr)
{
	while (nr--)
		__set_bit(start++, map);
}

static inline void bitmap_clear(unsigned long *map, unsigned int start,
				unsigned int nr)
{
	while (nr--)
		__clear_bit(start++, map);
}

static inline unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t gfp)
{
	return kcalloc(BITS_TO_LONGS(nbits), sizeof(unsigned long), gfp);
}

static inline void bitmap_free(const unsigned long *bitmap)
{
	kfree(bitmap);
}

/* The first @nr clear bits in a row from @start, aligned; @size if none. */
static inline unsigned long
bitmap_find_next_zero_area(unsigned long *map, unsigned long size,
			   unsigned long start, unsigned int nr,
			   unsigned long align_mask)
{
	unsigned long index, end, i;

again:
	index = find_next_zero_bit(map, size, start);
	index = (index + align_mask) & ~align_mask;
	end = index + nr;
	if (end > size)
		return end;
	i = find_next_bit(map, end, index);
	if (i < end) {
		start = i + 1;
		goto again;
	}
	return index;
}
#endif
