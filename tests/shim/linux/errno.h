/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MVGPU_SHIM_ERRNO_H
#define _MVGPU_SHIM_ERRNO_H
#include_next <linux/errno.h>
#endif
