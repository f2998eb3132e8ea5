/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Module parameters register themselves by name at start-up; tests set
 * them with shim_param_set() (tests/shim/shim.h).
 */
#ifndef _MVGPU_SHIM_MODULEPARAM_H
#define _MVGPU_SHIM_MODULEPARAM_H
#include "../shim.h"

#define module_param_named(name, var, type, perm)			\
	static void __attribute__((constructor))			\
	__shim_param_##name(void)					\
	{								\
		shim_param_register(#name, &(var), sizeof(var));	\
	}								\
	extern int __shim_param_decl_##name
#define module_param(name, type, perm)	module_param_named(name, name, type, perm)
#define MODULE_PARM_DESC(name, desc)	extern int __shim_param_desc_##name
#endif
