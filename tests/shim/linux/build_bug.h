/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MVGPU_SHIM_BUILD_BUG_H
#define _MVGPU_SHIM_BUILD_BUG_H
#include <linux/bug.h>

/* the kernel's static_assert(): the message is optional */
#undef static_assert
#define static_assert(expr, ...) __shim_static_assert(expr, ##__VA_ARGS__, #expr)
#define __shim_static_assert(expr, msg, ...) _Static_assert(expr, msg)
#endif
