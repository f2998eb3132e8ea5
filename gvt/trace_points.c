// SPDX-License-Identifier: GPL-2.0-only
/*
 * The definitions of the tracepoints declared in trace.h.
 */
#define CREATE_TRACE_POINTS
#include "trace.h"
