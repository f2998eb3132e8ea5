/* SPDX-License-Identifier: GPL-2.0-only */
/* ID allocation: a bitmap of 256 IDs under a spinlock. */
#ifndef _MVGPU_SHIM_IDR_H
#define _MVGPU_SHIM_IDR_H
#include <linux/types.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/spinlock.h>

#define SHIM_IDA_MAX	256

struct ida {
	spinlock_t lock;
	unsigned long used[BITS_TO_LONGS(SHIM_IDA_MAX)];
};

#define ida_init(ida) do {						\
	memset((ida)->used, 0, sizeof((ida)->used));			\
	spin_lock_init(&(ida)->lock);					\
} while (0)

static inline void ida_destroy(struct ida *ida)
{
	memset(ida->used, 0, sizeof(ida->used));
}

static inline int ida_alloc_range(struct ida *ida, unsigned int min,
				  unsigned int max, gfp_t gfp)
{
	unsigned int id;
	int ret = -ENOSPC;

	if (shim_alloc_fails())
		return -ENOMEM;
	spin_lock(&ida->lock);
	for (id = min; id <= max && id < SHIM_IDA_MAX; id++) {
		if (!test_bit(id, ida->used)) {
			__set_bit(id, ida->used);
			ret = id;
			break;
		}
	}
	spin_unlock(&ida->lock);
	return ret;
}

static inline void ida_free(struct ida *ida, unsigned int id)
{
	spin_lock(&ida->lock);
	if (id >= SHIM_IDA_MAX || !test_bit(id, ida->used))
		shim_die("ida_free(%u): not allocated\n", id);
	__clear_bit(id, ida->used);
	spin_unlock(&ida->lock);
}
#endif
