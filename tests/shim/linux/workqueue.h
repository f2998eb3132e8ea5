/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Work items as types only: the userspace tests run no workqueue, the
 * fakes stand for whatever would queue work.
 */
#ifndef _MVGPU_SHIM_WORKQUEUE_H
#define _MVGPU_SHIM_WORKQUEUE_H

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	work_func_t func;
};

struct workqueue_struct;

#define INIT_WORK(w, f)	((w)->func = (f))
#endif
