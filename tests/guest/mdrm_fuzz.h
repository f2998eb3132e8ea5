/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest suite's ioctl fuzzer (mdrm_fuzz.c), run by mdrm_suite's
 * ioctl_fuzz test in processes of its own.
 */
#ifndef _MVGPU_MDRM_FUZZ_H
#define _MVGPU_MDRM_FUZZ_H

#include <linux/types.h>

/*
 * @iters random ioctls on a render node of its own from @seed; returns 0,
 * or 1 if the device could not be opened or set up.
 */
int fuzz_run(__u64 seed, long iters);

#endif /* _MVGPU_MDRM_FUZZ_H */
