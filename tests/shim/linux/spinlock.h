/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MVGPU_SHIM_SPINLOCK_H
#define _MVGPU_SHIM_SPINLOCK_H
#include <linux/types.h>

typedef struct {
	int held;
} spinlock_t;

static inline void spin_lock_init(spinlock_t *l) { l->held = 0; }
static inline void spin_lock(spinlock_t *l) { l->held = 1; }
static inline void spin_unlock(spinlock_t *l) { l->held = 0; }
#define spin_lock_irqsave(l, flags) do { (flags) = 0; spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) do { (void)(flags); spin_unlock(l); } while (0)
#endif
