/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lockdep_assert_held() is in linux/mutex.h: a shim lock knows which
 * thread holds it.  Lock order checks are tests/shim/shim.c's.
 */
#ifndef _MVGPU_SHIM_LOCKDEP_H
#define _MVGPU_SHIM_LOCKDEP_H
#include <linux/mutex.h>
#endif
