/* SPDX-License-Identifier: GPL-2.0-only */
/* Static keys as a counter read on every test: no code patching. */
#ifndef _MVGPU_SHIM_JUMP_LABEL_H
#define _MVGPU_SHIM_JUMP_LABEL_H
#include <linux/atomic.h>

struct static_key_false {
	atomic_t enabled;
};

#define DEFINE_STATIC_KEY_FALSE(name)	struct static_key_false name = { }
#define DECLARE_STATIC_KEY_FALSE(name)	extern struct static_key_false name
#define static_branch_unlikely(k)	(atomic_read(&(k)->enabled) > 0)
#define static_branch_inc(k)		atomic_inc(&(k)->enabled)
#define static_branch_dec(k)		atomic_dec(&(k)->enabled)
#endif
