/* SPDX-License-Identifier: GPL-2.0-only */
/* Fixed-size hash tables of hlists, as the kernel's linux/hashtable.h. */
#ifndef _MVGPU_SHIM_HASHTABLE_H
#define _MVGPU_SHIM_HASHTABLE_H
#include <linux/list.h>

#define GOLDEN_RATIO_32	0x61C88647U
#define GOLDEN_RATIO_64	0x61C8864680B583EBULL

static inline u32 hash_32(u32 val, unsigned int bits)
{
	return (val * GOLDEN_RATIO_32) >> (32 - bits);
}

static inline u32 hash_64(u64 val, unsigned int bits)
{
	return (u32)((val * GOLDEN_RATIO_64) >> (64 - bits));
}

#define DECLARE_HASHTABLE(name, bits)	struct hlist_head name[1 << (bits)]
#define HASH_SIZE(name)			(ARRAY_SIZE(name))
#define HASH_BITS(name)			(__builtin_ctz(HASH_SIZE(name)))
#define hash_min(val, bits) \
	(sizeof(val) <= 4 ? hash_32(val, bits) : hash_64(val, bits))

static inline void __hash_init(struct hlist_head *ht, unsigned int sz)
{
	unsigned int i;

	for (i = 0; i < sz; i++)
		INIT_HLIST_HEAD(&ht[i]);
}

#define hash_init(table)	__hash_init(table, HASH_SIZE(table))
#define hash_add(table, node, key) \
	hlist_add_head(node, &table[hash_min(key, HASH_BITS(table))])

static inline void hash_del(struct hlist_node *node)
{
	hlist_del_init(node);
}

#define hash_for_each(name, bkt, obj, member)				\
	for ((bkt) = 0, obj = NULL; obj == NULL && (bkt) < HASH_SIZE(name);\
	     (bkt)++)							\
		hlist_for_each_entry(obj, &name[bkt], member)

#define hash_for_each_safe(name, bkt, tmp, obj, member)			\
	for ((bkt) = 0, obj = NULL; obj == NULL && (bkt) < HASH_SIZE(name);\
	     (bkt)++)							\
		hlist_for_each_entry_safe(obj, tmp, &name[bkt], member)

#define hash_for_each_possible(name, obj, member, key)			\
	hlist_for_each_entry(obj,					\
			     &name[hash_min(key, HASH_BITS(name))], member)
#endif
