#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Seeds for migration_fuzz.c: structured inputs (a valid image built
from the bytes, then mutated) in each mode, and raw streams that start
like an image.  Deterministic: the same files every run."""
import os
import random
import struct
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "corpus/migration"
os.makedirs(out, exist_ok=True)
rnd = random.Random(19)


def body(n):
    return bytes(rnd.randrange(256) for _ in range(n))


def seed(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


# mode bit 0: structured; bit 1: CRC recomputed; bit 2: early + final image
for mode in (1, 3, 5, 7):
    seed("structured_%d_plain" % mode, bytes([mode]) + bytes(600))
    seed("structured_%d_random" % mode, bytes([mode]) + body(700))
    # a few flips after the state bytes: offset, xor
    flips = b"".join(struct.pack("<HB", rnd.randrange(4096), 1 << rnd.randrange(8))
                     for _ in range(4))
    seed("structured_%d_flips" % mode, bytes([mode]) + body(500) + flips)

hdr = b"mvgpuMIG" + struct.pack("<HHIII", 1, 0, 72, 1, 88)
hdr += b"mvgpu-V1_4".ljust(16, b"\0")
hdr += struct.pack("<QQQQ", 0, 4 << 20, 64 << 20, 8 << 20)
seed("raw_header_only", b"\0" + hdr)
seed("raw_header_end", b"\0" + hdr + struct.pack("<HHI", 0xffff, 0, 4) + bytes(8))
seed("raw_garbage", b"\0" + body(200))
