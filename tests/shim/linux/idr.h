/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MVGPU_SHIM_IDR_H
#define _MVGPU_SHIM_IDR_H
#include <linux/types.h>

/* Only the type: ID allocation is not shimmed. */
struct ida {
	unsigned long used;
};
#endif
