/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MVGPU_SHIM_KTIME_H
#define _MVGPU_SHIM_KTIME_H
#include <linux/timekeeping.h>
#endif
