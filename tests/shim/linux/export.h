/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MVGPU_SHIM_EXPORT_H
#define _MVGPU_SHIM_EXPORT_H
/* One program, no modules: nothing to export. */
#define EXPORT_SYMBOL_NS_GPL(sym, ns)
#endif
