/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MVGPU_SHIM_IO_H
#define _MVGPU_SHIM_IO_H
#include <linux/mm.h>
#endif
