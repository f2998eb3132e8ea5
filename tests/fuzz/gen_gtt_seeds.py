#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write the seed corpus of gtt_fuzz (see the input format there).

Usage: gen_gtt_seeds.py DIR.  Constants mirror tests/lib/gtt_fake.h and
gtt_fuzz.c; the seeds are committed, this only regenerates them.
"""
import os
import struct
import sys

PAGES, POOL = 2048, 1024
(GGTT_WRITE, GGTT_READ, MEM_WRITE, FILL, BUILD, SUBMIT, COMPLETE, RESET,
 OPEN, UNMAP, MAP, SLOT, NOTIFY, APERTURE_RW, APERTURE_MAP, GUEST_RW,
 GPU_WALK, FAIL) = range(18)
P, RW, PS = 1, 2, 0x80
GDRST_FULL, GDRST_RENDER, GDRST_BLT = 1, 2, 8
LEN8, LEN4, LEN1, LEN2, LEN3, LEN16 = 0, 1, 4, 5, 6, 7


def hdr(kvm=False, closed=False, vid=1, fail=0):
    cfg = (1 if kvm else 0) | (2 if closed else 0) | (vid - 1) << 2
    return struct.pack('<BBH', cfg, fail, 0)


def op(kind, a=0, b=0, c=0, d=0):
    return struct.pack('<BBHIQ', kind, a & 0xff, b & 0xffff, c & 0xffffffff,
                       d & 0xffffffffffffffff)


def ggtt(entry, gfn, sel=0, ln=LEN8, sub=0, raw=None, write=True):
    """Entry of the aperture (sel 0), hidden slice (1), window (2)."""
    a = sel | ln << 2 | (0x20 if raw is not None else 0)
    return op(GGTT_WRITE if write else GGTT_READ, a, sub, entry,
              raw if raw is not None else gfn)


def mem(gfn, off, value, ln=8, mode=0, unaligned=False):
    """mode 0: raw value; 1: present entry to page value."""
    return op(MEM_WRITE, (ln - 1) | mode << 5 | (0x10 if unaligned else 0),
              off, gfn, value)


def entry(gfn, off, target):
    return mem(gfn, off, target << 12 | P | RW)


def fill(gfn, n, base, stride=1, pstride=0, modulus_pages=True, flags=P):
    b = (1 if modulus_pages else 0) | (2 if not flags & P else 0) | \
        (4 if flags & PS else 0)
    return op(FILL, n - 1, b, gfn, base | pstride << 16 | stride << 28)


def va(i4=0, i3=0, i2=0, i1=0, off=0):
    return i4 | i3 << 2 | i2 << 4 | i1 << 6 | off << 16


def build(root, v, data):
    return op(BUILD, 0, data, root, v)


def submit(roots, engine=0, ppgtt=(True, True), raw=None):
    a = engine | (len(roots) - 1) << 1 | (0 if ppgtt[0] else 4) | \
        (0 if ppgtt[1] else 8) | (0x10 if raw is not None else 0)
    r1 = roots[1] if len(roots) > 1 else 0
    return op(SUBMIT, a, r1, roots[0], raw or 0)


def complete(engine=0, n=1):
    return op(COMPLETE, engine | (n - 1) << 1)


def reset():
    return op(RESET)


def gdrst(bits):
    return op(RESET, 1, bits)


def toggle_open():
    return op(OPEN)


def unmap(gfn, n=1):
    return op(UNMAP, n - 1, 0, gfn)


def dma_map(gfn, n=1):
    return op(MAP, n - 1, 0, gfn)


def slot(gfn, n, removed):
    return op(SLOT, (0x80 if removed else 0) | (n - 1), 0, gfn)


def notify(gfn, b):
    return op(NOTIFY, 0, b, gfn)


def aperture_rw(off, ln=LEN8, write=False, value=0):
    return op(APERTURE_RW, ln << 1 | (0x10 if write else 0), 0, off, value)


def aperture_map(page):
    return op(APERTURE_MAP, 0, 0, page * 4096)


def ggtt_guest_rw(gm_off, ln, write=False, fill_byte=0x5a):
    return op(GUEST_RW, 4 if write else 0, ln, gm_off, fill_byte)


def ppgtt_guest_rw(root, v, ln=8, write=False):
    return op(GUEST_RW, 1 | (4 if write else 0), ln - 1, root, v)


def gpu_walk(rootsel=1, engine=0, k=0, gm_off=0, v=0, n=4, write=False,
             stride_pages=1):
    """rootsel 0: GGTT only, 1: a cached root, 2: a root in flight."""
    a = rootsel | engine << 2 | ((n - 1) // 4) << 4
    b = (k if rootsel == 2 else 0) | (stride_pages - 1) | \
        (8 if write else 0)
    return op(GPU_WALK, a, b, gm_off, v)


def fail_alloc(n):
    return op(FAIL, 1, n - 1)


def fail_pin(n):
    return op(FAIL, 0, n - 1)


def pin_limit(pages):
    """The administrator's pin limit (0 to 127 pages); None clears it."""
    return op(FAIL, 3) if pages is None else op(FAIL, 2, pages)


def seeds():
    s = {}
    s['ggtt_basic'] = hdr() + b''.join(
        [ggtt(i, 1 + i) for i in range(8)] +
        [ggtt(i, 0, write=False) for i in range(8)] +
        [aperture_map(i) for i in range(4)] +
        [aperture_rw(0x10, LEN8, True, 0x1122334455667788),
         aperture_rw(0x10, LEN4), aperture_rw(0x3001, LEN1),
         aperture_rw(0x3003, LEN2), gpu_walk(0, n=8, write=True),
         ggtt(0, 40), ggtt(1, 0, raw=0), aperture_map(0), aperture_map(1),
         ggtt(2, 3), ggtt(2, 3), reset(), ggtt(3, 0, write=False)])
    s['ggtt_halves'] = hdr(vid=3) + b''.join(
        [ggtt(5, 0x1234567, ln=LEN4, sub=0), ggtt(5, 0, ln=LEN4, sub=4,
                                                  raw=0x1),
         ggtt(5, 0, ln=LEN4, sub=4, write=False),
         ggtt(6, 9, ln=LEN8, sub=4), ggtt(6, 9, ln=LEN4, sub=2),
         ggtt(7, 9, ln=LEN1), ggtt(7, 9, ln=LEN2), ggtt(7, 9, ln=LEN3),
         ggtt(7, 9, ln=LEN16), ggtt(3, 11, sel=1), ggtt(191, 12, sel=1),
         ggtt(191, 0, sel=1, write=False), ggtt(0x12345, 4, sel=2),
         ggtt(0x12345, 4, sel=2, write=False), ggtt(0x7ffff8, 1, sel=3),
         ggtt(0x7ffffc, 1, sel=3, ln=LEN4), ggtt(0x100, 1, sel=3, ln=LEN2),
         ggtt(5, 2100), gpu_walk(0, gm_off=5 * 4096, n=4)])
    s['ggtt_unmap'] = hdr() + b''.join(
        [ggtt(i, 10 + i) for i in range(12)] +
        [aperture_map(i) for i in range(12)] +
        [unmap(12, 4), aperture_rw(3 * 4096), ggtt(3, 13), dma_map(12, 4),
         ggtt(3, 13), ggtt(2, 12), aperture_map(3), toggle_open(),
         ggtt(4, 30), toggle_open(), ggtt(4, 0, write=False), ggtt(4, 30),
         gpu_walk(0, n=16)])
    tree = [build(1, va(0, 0, 0, i), 100 + i) for i in range(6)] + \
        [build(1, va(1, 2, 3, 4, 0x10), 200), build(1, va(3, 3, 3, 511),
                                                    201)]
    s['ppgtt_basic'] = hdr() + b''.join(
        tree + [submit([1]), gpu_walk(1, v=va(), n=8),
                gpu_walk(2, v=va(1, 2, 3, 4), n=1, write=True),
                ppgtt_guest_rw(1, va(0, 0, 0, 2, 0x20)),
                ppgtt_guest_rw(1, va(1, 2, 3, 4, 0xffc), ln=8),
                ppgtt_guest_rw(1, va(2), write=True), complete(),
                submit([1]), complete()])
    # two roots share the PDP of root 1: a new root must not see old copies
    s['ppgtt_shared_root'] = hdr() + b''.join(
        [build(1, va(0, 0, 0, 1), 100), submit([1]), complete(),
         entry(POOL + 2, 8, 300), entry(2, 0, POOL), submit([2]),
         gpu_walk(1, v=va(0, 0, 0, 1), n=1), complete()])
    s['ppgtt_kvm'] = hdr(kvm=True) + b''.join(
        tree + [submit([1]), entry(POOL + 2, 0, 150), entry(POOL, 8, POOL),
                submit([1]), slot(POOL, 4, True), entry(POOL + 2, 16, 151),
                submit([1]), slot(POOL, 4, False), submit([1]),
                notify(POOL + 2, 4100), complete(n=4), toggle_open(),
                toggle_open(), submit([1]), complete()])
    s['ppgtt_zombies'] = hdr(kvm=True) + b''.join(
        tree + [submit([1]), submit([1], engine=1),
                entry(1, 0, POOL + 100), gpu_walk(2, v=va(), n=4),
                mem(1, 8, 0), submit([1]), complete(n=2),
                complete(engine=1), submit([1]), complete()])
    s['ppgtt_roots_limit'] = hdr() + b''.join(
        [build(r, va(0, 0, 0, r), 50 + r) for r in range(1, 19)] +
        [submit([r]) for r in range(1, 17)] +
        [submit([17], engine=1), complete(n=4), complete(n=4),
         complete(n=4), complete(n=4), complete(engine=1), submit([18]),
         submit([17, 18], engine=1), complete(engine=1, n=2)])
    # 512 tables of 512 entries each: exactly the pin limit
    s['ppgtt_pins_limit'] = hdr() + b''.join(
        [fill(POOL + 64 * i, 64, POOL) for i in range(8)] +
        [fill(POOL + 512, 1, POOL), submit([POOL + 512]),
         gpu_walk(1, v=va(1, 1, 1, 1), n=4), complete(),
         entry(POOL + 512, 0, 7), submit([POOL + 512]), complete()])
    s['ppgtt_tables_limit'] = hdr() + b''.join(
        [fill(64 * i, 64, 0, stride=3, pstride=7) for i in range(32)] +
        [submit([5]), complete(), submit([9]), complete()])
    s['ppgtt_unmap_in_use'] = hdr() + b''.join(
        tree + [submit([1]), unmap(100, 3), submit([1]), dma_map(100, 3),
                submit([1]), unmap(POOL, 2), submit([1]), dma_map(POOL, 2),
                submit([1]), complete(n=4), complete()])
    # each allocation of mvgpu_vgpu_init() in turn
    for n in range(1, 7):
        s['alloc_fail_init_%d' % n] = hdr(fail=n)
    s['alloc_fail_shadow'] = hdr() + b''.join(
        tree + [fail_alloc(2), submit([1]), complete(), fail_alloc(5),
                entry(POOL + 2, 0, 40), entry(1, 16, POOL + 50),
                submit([1]), complete(), submit([1]), complete()])
    s['pin_fail'] = hdr() + b''.join(
        [fail_pin(3)] + [ggtt(i, 5 + i) for i in range(5)] + tree +
        [fail_pin(2), submit([1]), complete(), submit([1]), complete()])
    s['gdrst'] = hdr(kvm=True) + b''.join(
        tree + [submit([1]), submit([1], engine=1),
                entry(1, 0, POOL + 40), gdrst(GDRST_RENDER),
                complete(engine=1), submit([1]), gdrst(GDRST_FULL),
                submit([1], engine=1), gdrst(GDRST_BLT)])
    s['open_close'] = hdr(closed=True) + b''.join(
        [ggtt(0, 3), ggtt(1, 4, write=False), submit([1]), toggle_open(),
         ggtt(0, 3)] + tree +
        [submit([1]), aperture_map(0), toggle_open(), aperture_map(0),
         toggle_open(), submit([1]), complete(), reset()])
    s['guest_rw'] = hdr(vid=2) + b''.join(
        [ggtt(i, 20 + i) for i in range(4)] + [ggtt(70, 30, sel=1)] +
        [ggtt_guest_rw(0xff0, 0x30), ggtt_guest_rw(0x2ff8, 0x1010, True),
         ggtt_guest_rw(64 * 4096 + 6 * 4096 + 8, 100),
         ggtt_guest_rw(3 * 4096 + 4000, 200)] + tree +
        [ppgtt_guest_rw(1, va(0, 0, 0, 3, 0xff8), 8),
         ppgtt_guest_rw(1, va(0, 0, 0, 3, 0xffc), 8),
         ppgtt_guest_rw(1, va(0, 0, 1)), ppgtt_guest_rw(2, va()),
         unmap(103), ppgtt_guest_rw(1, va(0, 0, 0, 3)), unmap(POOL),
         ppgtt_guest_rw(1, va(0, 0, 0, 3))])
    s['ppgtt_odd_entries'] = hdr() + b''.join(
        [entry(1, 0, 1), entry(1, 8, 2), mem(2, 0, 3 << 12 | P | PS),
         mem(2, 8, 1 << 12 | P), entry(1, 16, 5000), mem(1, 24, 0x1234),
         mem(1, 32, 0xfff0000000000001), mem(4, 4, 0xdead, ln=4,
                                            unaligned=True),
         entry(1, 40, 4), entry(4, 0, 1), submit([1]),
         submit([1], raw=0x1001), submit([1], raw=0x7ffffffff000),
         gpu_walk(1, v=va(0, 1), n=16, stride_pages=8),
         ppgtt_guest_rw(1, va(0, 1)), ppgtt_guest_rw(1, va(5)),
         complete(n=3)])
    # at the limit a GGTT write is refused its pin, not shadowed; once
    # the limit is gone the guest's next write of the entry takes one
    s['ggtt_at_pin_limit'] = hdr() + b''.join(
        [pin_limit(4)] + [ggtt(i, 1 + i) for i in range(6)] +
        [ggtt(i, 0, write=False) for i in range(6)] +
        [aperture_map(i) for i in range(6)] +
        [pin_limit(None), ggtt(4, 5), ggtt(5, 6), aperture_map(5),
         pin_limit(5), ggtt(0, 7), ggtt(1, 8), reset()])
    # the same for the entries of a PPGTT's tables, at a submission
    s['ppgtt_at_pin_limit'] = hdr() + b''.join(
        [pin_limit(6)] + tree +
        [submit([1]), gpu_walk(1, v=va(), n=8), complete(),
         pin_limit(None), submit([1]), gpu_walk(1, v=va(), n=8),
         complete(), pin_limit(1), submit([1]), complete()])
    s['zap_on_rewrite'] = hdr(vid=8) + b''.join(
        [ggtt(i, 60 + i) for i in range(8)] +
        [aperture_map(i) for i in range(10)] +
        [ggtt(i, 61 + i) for i in range(0, 8, 2)] +
        [ggtt(1, 0, raw=0), unmap(63, 1), aperture_map(3), dma_map(63, 1),
         ggtt(3, 63), aperture_map(3), reset(), aperture_map(1)])
    return s


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(seeds().items()):
        with open(os.path.join(out, name), 'wb') as fp:
            fp.write(data)


if __name__ == '__main__':
    main()
