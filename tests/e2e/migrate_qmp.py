#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# QMP for tests/e2e/guest_migrate.sh (in the L1 VM, beside QEMU 10):
#   migrate_qmp.py migrate SRC_QMP DST_QMP URI
#       migrate the source into the destination (started with -incoming
#       URI) and print one line of JSON: query-migrate's status, downtime,
#       total-time, vfio and error-desc, and whether the destination runs
#   migrate_qmp.py shot QMP FILE        QMP screendump of the guest's screen
#   migrate_qmp.py fb FILE W H STRIDE MD5
#       the screendump shows the guest's /dev/fb0 (its md5), with text
#   migrate_qmp.py same FILE FILE       two screendumps, pixel for pixel
#   migrate_qmp.py quit QMP             stop a QEMU (1: no QMP connection)
# Exits 0 when what was asked for was done or is so, 1 otherwise, with
# the reason on stderr.
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from display_check import check_fb  # noqa: E402
from display_check import Qmp  # noqa: E402
from display_check import read_ppm  # noqa: E402


def migrate(src_path, dst_path, uri):
    src, dst = Qmp(src_path, 60), Qmp(dst_path, 60)
    r = src.cmd('migrate', uri=uri)
    if 'error' in r:
        print(json.dumps({'status': 'refused', 'error-desc': r['error']}))
        return 1
    end = time.time() + 600
    while time.time() < end:
        r = src.cmd('query-migrate')['return']
        if r.get('status') in ('completed', 'failed', 'cancelled'):
            break
        time.sleep(0.2)
    out = {k: r.get(k) for k in ('status', 'downtime', 'total-time',
                                 'setup-time', 'vfio', 'error-desc')}
    out['ram-transferred'] = r.get('ram', {}).get('transferred')
    # the destination runs once it has loaded the state
    running = False
    for _ in range(100):
        running = dst.cmd('query-status')['return'].get('running')
        if running or r.get('status') != 'completed':
            break
        time.sleep(0.1)
    out['running'] = running
    print(json.dumps(out))
    return 0 if r.get('status') == 'completed' and running else 1


def shot(path, out):
    r = Qmp(path, 60).cmd('screendump', filename=out)
    if 'error' in r:
        print('screendump: %s' % r['error'].get('desc'), file=sys.stderr)
        return 1
    return 0


def fb(path, w, h, stride, md5):
    ok, why = check_fb(path, int(w), int(h), int(stride), md5)
    print(why, file=sys.stderr)
    return 0 if ok else 1


def same(a, b):
    wa, ha, pa = read_ppm(a)
    wb, hb, pb = read_ppm(b)
    if (wa, ha) != (wb, hb):
        print('%dx%d, then %dx%d' % (wa, ha, wb, hb), file=sys.stderr)
        return 1
    bad = sum(1 for i in range(0, len(pa), 3) if pa[i:i + 3] != pb[i:i + 3]) \
        if pa != pb else 0
    print('%dx%d, %d pixels differ' % (wa, ha, bad), file=sys.stderr)
    return 0 if bad == 0 else 1


def quit_qemu(path):
    try:
        q = Qmp(path, 60)
    except (OSError, ValueError) as e:
        print('quit: %s' % e, file=sys.stderr)
        return 1
    try:
        q.cmd('quit')
    except (OSError, ValueError):
        pass            # QEMU may close the socket before it answers
    return 0


def main():
    cmds = {'migrate': (migrate, 3), 'shot': (shot, 2), 'fb': (fb, 5),
            'same': (same, 2), 'quit': (quit_qemu, 1)}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds or \
            len(sys.argv) != 2 + cmds[sys.argv[1]][1]:
        print(__doc__ or 'see the header of %s' % sys.argv[0], file=sys.stderr)
        return 2
    try:
        return cmds[sys.argv[1]][0](*sys.argv[2:])
    except (OSError, ValueError) as e:
        print('%s: %s' % (sys.argv[1], e), file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main())
