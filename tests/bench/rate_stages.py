#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Stages of the tiny-batch rate benchmark's pairs, from a function_graph
trace (funcgraph-abstime, funcgraph-tail) of tests/bench/rate_stages.sh.

A pair is everything from one mvgpu_workload_submit() to the next: the
benchmark submits the next pair only once the guest saw the engine idle,
so the events of two pairs never mix.  Per pair:

  trap      the ELSP write's entry (mvgpu_vfio_write) to the submission
            (mvgpu_workload_submit)
  scan      mvgpu_cmd_scan_ring(), both contexts (batches included)
  submit    the rest of mvgpu_workload_submit(): descriptors, context
            and ring shadows, queueing, the first context handed to the
            engine (mvgpu_workload_start, called from it when the engine
            is free)
  engine    the first mvgpu_workload_start()'s entry to the last
            mvgpu_workload_complete()'s: both batches (the pair goes
            to the engine as one, both started then)
  delivery  the last completion's entry to the last CSB event written
            (mvgpu_execlist_csb_event), which the completion writes
            itself when it delivers from the backend's callback
  interrupt that CSB event to the interrupt it raises (mvgpu_irq_set_level
            or mvgpu_irq_request), in the pairs where it raised one (an
            interrupt still pending is not raised again)
  pair      the ELSP write's entry to the last CSB event

Prints p50 and p99 in us; exits 1 when no pair was found.
"""
import re
import sys

LINE = re.compile(r'^\s*(\d+\.\d+)\s*\|\s*(\d+)\)\s*(.*?)\|\s*(.*)$')
DUR = re.compile(r'([\d.]+) us')
STAGES = ('trap', 'scan', 'submit', 'engine', 'delivery', 'interrupt',
          'pair')


def events(path):
    """(time us, cpu, 'enter'|'exit'|'leaf', name, duration us)"""
    with open(path, errors='replace') as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            ts, cpu, dur, call = m.groups()
            ts = float(ts) * 1e6
            d = DUR.search(dur)
            d = float(d.group(1)) if d else 0.0
            call = call.strip()
            if call.startswith('}'):
                name = re.search(r'/\* (\w+)', call)
                if name:
                    yield ts, cpu, 'exit', name.group(1), d
            elif call.endswith('{'):
                yield ts, cpu, 'enter', call.split()[0].rstrip('()'), 0.0
            elif call.endswith(';'):
                yield ts, cpu, 'leaf', call.split()[0].rstrip('();'), d


def pairs(path):
    cur, last_write = None, {}
    for ts, cpu, kind, name, d in events(path):
        if name == 'mvgpu_vfio_write' and kind in ('enter', 'leaf'):
            last_write[cpu] = ts
        elif name == 'mvgpu_workload_submit' and kind == 'enter':
            if cur:
                yield cur
            cur = {'write': last_write.get(cpu), 'submit': ts, 'scan': 0.0,
                   'start': [], 'complete': [], 'csb': [], 'irq': []}
        elif cur is None:
            continue
        elif name == 'mvgpu_workload_submit' and kind == 'exit':
            cur['submitted'] = ts
        elif name == 'mvgpu_cmd_scan_ring':
            cur['scan'] += d
        elif name == 'mvgpu_workload_start' and kind != 'exit':
            cur['start'].append(ts)
        elif name == 'mvgpu_workload_complete' and kind != 'exit':
            cur['complete'].append(ts)
        elif name == 'mvgpu_execlist_csb_event':
            cur['csb'].append(ts)
        elif name in ('mvgpu_irq_set_level', 'mvgpu_irq_request'):
            cur['irq'].append(ts)
    if cur:
        yield cur


def stages(p):
    if (p['write'] is None or 'submitted' not in p or len(p['start']) < 2
            or len(p['complete']) < 2 or not p['csb']):
        return None
    end, csb = max(p['complete']), max(p['csb'])
    irq = [t - csb for t in p['irq'] if t >= csb]
    submit = p['submitted'] - p['submit']
    return (p['submit'] - p['write'], p['scan'], submit - p['scan'],
            end - min(p['start']), csb - end, irq[0] if irq else None,
            csb - p['write'])


def main():
    got = [s for s in map(stages, pairs(sys.argv[1])) if s]
    if not got:
        print('not ok - no complete pair in the trace')
        return 1
    print('# stages of a pair inside the kernel, %d pairs, p50/p99 us '
          '(traced):' % len(got))
    for i, name in enumerate(STAGES):
        v = sorted(s[i] for s in got if s[i] is not None)
        if v:
            print('#   %-9s %8.1f / %8.1f  (%d pairs)' %
                  (name, v[len(v) // 2], v[len(v) * 99 // 100], len(v)))
    print('ok - stages of %d pairs' % len(got))
    return 0


if __name__ == '__main__':
    sys.exit(main())
