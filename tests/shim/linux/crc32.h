/* SPDX-License-Identifier: GPL-2.0-only */
/* crc32_le() as lib/crc32.c computes it (reflected, polynomial 0xedb88320). */
#ifndef _MVGPU_SHIM_CRC32_H
#define _MVGPU_SHIM_CRC32_H
#include <linux/types.h>

static inline u32 crc32_le(u32 crc, const unsigned char *p, size_t len)
{
	static u32 table[256];
	unsigned int i, k;

	if (!table[1]) {
		for (i = 0; i < 256; i++) {
			u32 c = i;

			for (k = 0; k < 8; k++)
				c = c & 1 ? (c >> 1) ^ 0xedb88320U : c >> 1;
			table[i] = c;
		}
	}
	while (len--)
		crc = (crc >> 8) ^ table[(crc ^ *p++) & 0xff];
	return crc;
}
#endif
