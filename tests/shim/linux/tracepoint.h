/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints in userspace are what the kernel makes of them without
 * CONFIG_TRACEPOINTS: trace_<event>() does nothing, but its arguments
 * are still type-checked against the event's prototype.
 */
#ifndef _MVGPU_SHIM_TRACEPOINT_H
#define _MVGPU_SHIM_TRACEPOINT_H

#define PARAMS(args...)	args
#define TP_PROTO(args...)	args
#define TP_ARGS(args...)	args
#define TRACE_DEFINE_ENUM(x)

#define DECLARE_EVENT_CLASS(name, proto, args, tstruct, assign, print)
#define DEFINE_EVENT(template, name, proto, args)		\
	static inline void trace_##name(proto) { }
#define TRACE_EVENT(name, proto, args, tstruct, assign, print)	\
	static inline void trace_##name(proto) { }

#endif /* _MVGPU_SHIM_TRACEPOINT_H */
