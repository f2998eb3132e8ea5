/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Nothing to define in userspace: the tracepoints are no-ops
 * (linux/tracepoint.h).
 */
