/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: 64-bit division helpers (defined in kernel.h).
 */
#ifndef _SHIM_LINUX_MATH64_H
#define _SHIM_LINUX_MATH64_H

#include <linux/kernel.h>

#endif /* _SHIM_LINUX_MATH64_H */
