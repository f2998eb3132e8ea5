/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: log lines without a device, counted and printed as
 * dev_warn() and friends are (linux/device.h).
 */
#ifndef _SHIM_LINUX_PRINTK_H
#define _SHIM_LINUX_PRINTK_H

#include <linux/device.h>

#define pr_err(...)	shim_dev_printk("err", NULL, __VA_ARGS__)
#define pr_warn(...)	shim_dev_printk("warn", NULL, __VA_ARGS__)
#define pr_info(...)	shim_dev_printk("info", NULL, __VA_ARGS__)

#endif /* _SHIM_LINUX_PRINTK_H */
