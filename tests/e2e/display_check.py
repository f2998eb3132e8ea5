#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Inside the L1 VM, beside an L2 guest with a vGPU display (display_kms.sh):
# serves the guest's sync serial port (a QEMU chardev socket) and its QMP
# socket.  For each guest line "SHOT <name> <w> <h> <seed>" it takes a QMP
# screendump into DIR/<name>.ppm, checks it pixel for pixel against the
# pattern of tests/guest/kms_test.c, and answers the guest.  For
# "FB <name> <w> <h> <pitch> <md5>" (the guest's md5sum of /dev/fb0, fbcon
# showing text) it checks the screendump shows that framebuffer pixel for
# pixel and is not blank.  Prints one TAP-ish line per check:
#   CHECK ok|fail <name> <detail>
# usage: display_check.py QMP_SOCK SYNC_SOCK DIR
import hashlib
import json
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', '..', 'scripts'))
from ppm2png import read_ppm  # noqa: E402


def connect(path, timeout=600):
    end = time.time() + timeout
    while True:
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.time() > end:
                raise
            time.sleep(0.2)


class Qmp:
    def __init__(self, path, timeout=600):
        self.sock = connect(path, timeout)
        self.f = self.sock.makefile('rw')
        json.loads(self.f.readline())          # greeting
        self.cmd('qmp_capabilities')

    def cmd(self, name, **args):
        self.f.write(json.dumps({'execute': name, 'arguments': args}) + '\n')
        self.f.flush()
        while True:
            line = self.f.readline()
            if not line:
                raise OSError('QMP connection closed')
            r = json.loads(line)
            if 'return' in r or 'error' in r:
                return r


def pattern_row(w, y, seed):
    """Row y of kms_test.c's pattern, as PPM RGB bytes."""
    row = bytearray(3 * w)
    row[0::3] = bytes((x + 64 * seed) & 255 for x in range(w))
    row[1::3] = bytes([(y + 32 * seed) & 255]) * w
    row[2::3] = bytes(255 if ((x >> 5) ^ (y >> 5) ^ seed) & 1 else 0
                      for x in range(w))
    return bytes(row)


def check_pattern(path, w, h, seed):
    pw, ph, pix = read_ppm(path)
    if (pw, ph) != (w, h):
        return False, 'screendump is %dx%d, not %dx%d' % (pw, ph, w, h)
    bad = 0
    first = None
    for y in range(h):
        row = pix[3 * w * y:3 * w * (y + 1)]
        if row != pattern_row(w, y, seed):
            bad += 1
            if first is None:
                first = y
    if bad:
        return False, '%d of %d rows differ, first %d' % (bad, h, first)
    return True, '%dx%d seed %d: every pixel matches' % (w, h, seed)


def check_fb(path, w, h, pitch, md5):
    pw, ph, pix = read_ppm(path)
    if (pw, ph) != (w, h):
        return False, 'screendump is %dx%d, not %dx%d' % (pw, ph, w, h)
    # the screen's pixels as XRGB8888 bytes (B, G, R, X) at the fb's pitch
    pad = b'\0' * (pitch - 4 * w)
    sums = {}
    for x in (0, 255):
        m = hashlib.md5()
        for y in range(h):
            row = bytearray(4 * w)
            src = pix[3 * w * y:3 * w * (y + 1)]
            row[0::4], row[1::4], row[2::4] = src[2::3], src[1::3], src[0::3]
            row[3::4] = bytes([x]) * w
            m.update(row + pad)
        sums[x] = m.hexdigest()
    lit = sum(1 for i in range(0, min(len(pix), 3 * w * 64), 3)
              if pix[i:i + 3] != pix[0:3])
    if md5 not in sums.values():
        return False, 'screen differs from /dev/fb0 (%s, not %s)' % (
            sums[0], md5)
    if lit < 100:
        return False, 'no text on the screen (%d lit pixels)' % lit
    return True, 'screen is /dev/fb0 pixel for pixel, %d text pixels in the first 64 rows' % lit


def main():
    qmp_path, sync_path, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    sync = connect(sync_path)
    qmp = Qmp(qmp_path)
    buf = b''
    while True:
        data = sync.recv(4096)
        if not data:
            break
        buf += data
        while b'\n' in buf:
            line, buf = buf.split(b'\n', 1)
            words = line.decode(errors='replace').split()
            if len(words) < 2 or words[0] not in ('SHOT', 'FB'):
                continue
            name = words[1]
            path = os.path.join(out, name + '.ppm')
            # give the display a vblank or two to latch what the guest did
            time.sleep(0.5)
            r = qmp.cmd('screendump', filename=path)
            if 'error' in r:
                ok, why = False, 'screendump: %s' % r['error'].get('desc')
            else:
                try:
                    if words[0] == 'SHOT':
                        ok, why = check_pattern(path, *map(int, words[2:5]))
                    else:
                        ok, why = check_fb(path, *map(int, words[2:5]),
                                           words[5])
                except (ValueError, IndexError, OSError) as e:
                    ok, why = False, str(e)
            print('CHECK %s %s %s' % ('ok' if ok else 'fail', name, why),
                  flush=True)
            sync.sendall(b'OK\n')


if __name__ == '__main__':
    main()
