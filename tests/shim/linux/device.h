/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A struct device with a name, and dev_*() log lines on stderr (counted
 * in shim_state.log_lines; silent with shim_state.quiet).  "%pV" is
 * understood when it is the whole format, as mvgpu_vgpu_warn() uses it.
 */
#ifndef _MVGPU_SHIM_DEVICE_H
#define _MVGPU_SHIM_DEVICE_H
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <linux/types.h>
#include <linux/bug.h>
#include "../shim_state.h"

#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif

struct device {
	const char *name;
};

struct va_format {
	const char *fmt;
	va_list *va;
};

static inline const char *dev_name(const struct device *dev)
{
	return dev && dev->name ? dev->name : "(no device)";
}

static inline void shim_dev_vprintk(const char *level,
				    const struct device *dev,
				    const char *fmt, va_list ap)
{
	shim_add(log_lines, 1);
	if (shim_state.quiet)
		return;
	fprintf(stderr, "%s %s: ", level, dev_name(dev));
	if (!strcmp(fmt, "%pV")) {
		struct va_format *vaf = va_arg(ap, struct va_format *);
		va_list inner;

		va_copy(inner, *vaf->va);
		vfprintf(stderr, vaf->fmt, inner);
		va_end(inner);
		return;
	}
	vfprintf(stderr, fmt, ap);
}

static inline void shim_dev_printk(const char *level, const struct device *dev,
				   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	shim_dev_vprintk(level, dev, fmt, ap);
	va_end(ap);
}

#define dev_err(dev, ...)		shim_dev_printk("err", dev, __VA_ARGS__)
#define dev_warn(dev, ...)		shim_dev_printk("warn", dev, __VA_ARGS__)
#define dev_info(dev, ...)		shim_dev_printk("info", dev, __VA_ARGS__)
#define dev_dbg(dev, ...)		do { } while (0)
#define dev_err_ratelimited(dev, ...)	dev_err(dev, __VA_ARGS__)
#define dev_warn_ratelimited(dev, ...)	dev_warn(dev, __VA_ARGS__)
#endif
