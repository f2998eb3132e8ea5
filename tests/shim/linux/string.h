/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MVGPU_SHIM_STRING_H
#define _MVGPU_SHIM_STRING_H
#include <string.h>
#endif
