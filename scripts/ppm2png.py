#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Convert a binary PPM (P6, 8 bits, as QEMU's screendump writes it) to a
# PNG, with nothing but the standard library.
#   scripts/ppm2png.py IN.ppm OUT.png
import struct
import sys
import zlib


def read_ppm(path):
    """(width, height, RGB bytes) of a P6 PPM; ValueError if it is not one."""
    with open(path, 'rb') as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        if pos >= len(data):
            raise ValueError('%s: a truncated PPM header' % path)
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b'#':
            pos = data.index(b'\n', pos)
            continue
        end = pos
        while end < len(data) and not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b'P6' or fields[3] != b'255':
        raise ValueError('%s: not an 8-bit binary PPM' % path)
    w, h = int(fields[1]), int(fields[2])
    return w, h, data[pos + 1:pos + 1 + 3 * w * h]


def chunk(kind, body):
    return (struct.pack('>I', len(body)) + kind + body +
            struct.pack('>I', zlib.crc32(kind + body) & 0xffffffff))


def main():
    try:
        w, h, pix = read_ppm(sys.argv[1])
    except ValueError as e:
        sys.exit(str(e))
    raw = b''.join(b'\0' + pix[3 * w * y:3 * w * (y + 1)] for y in range(h))
    png = (b'\x89PNG\r\n\x1a\n' +
           chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) +
           chunk(b'IDAT', zlib.compress(raw, 6)) + chunk(b'IEND', b''))
    with open(sys.argv[2], 'wb') as f:
        f.write(png)


if __name__ == '__main__':
    main()
