#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Inside the test VM with mvgpu and mvgpu_native loaded: the stages of
# the tiny-batch rate benchmark inside the kernel, from ftrace's
# function_graph tracer on the functions that begin or end each stage
# (no timestamps added to the module).  Runs "vgpu_bench rate 1" with
# the tracer on, then tests/bench/rate_stages.py prints p50 and p99 of
# each stage of a pair.  Tracing slows every traced call, so the stages
# are for comparing with one another, not with the untraced rate.  The
# trace stays in $MVGPU_OUT/rate_stages.trace.
#
#   tests/vm/vm.sh --insmod mvgpu.ko --insmod mvgpu_native.ko \
#       -- tests/bench/rate_stages.sh
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
T=/sys/kernel/tracing
FUNCS="mvgpu_vfio_write mvgpu_workload_submit mvgpu_cmd_scan_ring
mvgpu_workload_start mvgpu_workload_complete mvgpu_execlist_csb_event
mvgpu_irq_set_level mvgpu_irq_request"
out=${MVGPU_OUT:-/tmp}/rate_stages.trace

trace_off() {
	echo 0 > "$T/tracing_on"
	echo nop > "$T/current_tracer"
	echo > "$T/set_ftrace_filter"
}

[ -w "$T/current_tracer" ] || { echo "Bail out! no tracefs at $T"; exit 1; }
trace_off
for f in $FUNCS; do
	# a function the compiler inlined cannot be traced: left out
	echo "$f" >> "$T/set_ftrace_filter" 2>/dev/null ||
		echo "# $f cannot be traced"
done
echo function_graph > "$T/current_tracer"
for o in funcgraph-abstime funcgraph-tail nofuncgraph-irqs; do
	echo "$o" > "$T/trace_options"
done
echo 16384 > "$T/buffer_size_kb"
echo > "$T/trace"
echo 1 > "$T/tracing_on"
# traced: its CSV files would replace those of the untraced run
MVGPU_OUT= "$TOP/build/vm-tests/vgpu_bench" rate 1 | grep -v "^# rate"
rc=$?
echo 0 > "$T/tracing_on"
cat "$T/trace" > "$out"
trace_off
python3 "$TOP/tests/bench/rate_stages.py" "$out" || rc=1
exit $rc
