#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Plots and tables of the CSV files that build/vm-tests/vgpu_bench writes.

    bench_report.py <csv dir> <out dir> [<scale csv>]

<csv dir> holds surf.csv (vgpu_bench surf), rate.csv and stages.csv
(vgpu_bench rate) and meta.txt (date and machine of the run, written by
"make bench").  <scale csv> is the scale_shares.csv of "make scale"
(tests/vm/scale_test.c).  Into <out dir> go copies of them, perf-surf.svg
(throughput against size, vGPU beside native, GGTT, PPGTT and a KVM
guest's PPGTT),
perf-stages.svg (p50 and p99 of each stage of a vGPU workload),
perf-scale-shares.svg (each vGPU's share of the delivered work per
second over its weight's share, 64 vGPUs busy) and tables.rst (the
figures, for Documentation/performance.rst to include).  Standard library
only.  A missing CSV is skipped with a note.
"""
import csv
import math
import os
import shutil
import sys

OPS = ("copy", "fill", "blend")
SPACES = ("ggtt", "ppgtt", "ppgtt-kvm")
# Panel titles: the PPGTT of a VMM without KVM has its tables read again
# at every submission, a KVM guest's has them write-protected.
SPACE_TITLES = {"ggtt": "through the GGTT",
                "ppgtt": "through a PPGTT, VMM without KVM",
                "ppgtt-kvm": "through a PPGTT, KVM guest"}
COLORS = {"copy": "#1f77b4", "fill": "#2ca02c", "blend": "#d62728"}
FILES = ("surf.csv", "rate.csv", "stages.csv", "meta.txt")
SCALE_CSV = "scale_shares.csv"
WEIGHT_COLORS = ("#1f77b4", "#2ca02c", "#ff7f0e", "#d62728", "#9467bd",
                 "#8c564b")
# Deliveries of the scale test: CSV column, panel title.
SCALE_MEASURES = (("bcs_bytes_share", "BCS: bytes its fills wrote"),
                  ("rcs_cmds_share", "RCS: stores it completed"))


def read_csv(path):
    if not os.path.exists(path):
        return None
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Svg:
    def __init__(self, w, h):
        self.w, self.h, self.items = w, h, []

    def add(self, s):
        self.items.append(s)

    def text(self, x, y, s, size=12, anchor="start", rot=None, weight=None):
        tr = f' transform="rotate({rot} {x:.1f} {y:.1f})"' if rot else ""
        wt = f' font-weight="{weight}"' if weight else ""
        self.add(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" '
                 f'text-anchor="{anchor}"{tr}{wt}>{esc(s)}</text>')

    def line(self, x1, y1, x2, y2, color="#000", width=1, dash=None):
        d = f' stroke-dasharray="{dash}"' if dash else ""
        self.add(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" '
                 f'y2="{y2:.1f}" stroke="{color}" stroke-width="{width}"{d}/>')

    def rect(self, x, y, w, h, color, opacity=1.0):
        self.add(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" '
                 f'height="{max(h, 0):.1f}" fill="{color}" '
                 f'fill-opacity="{opacity}"/>')

    def poly(self, pts, color, dash=None):
        d = f' stroke-dasharray="{dash}"' if dash else ""
        p = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        self.add(f'<polyline points="{p}" fill="none" stroke="{color}" '
                 f'stroke-width="2"{d}/>')
        for x, y in pts:
            self.add(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" '
                     f'fill="{color}"/>')

    def path(self, pts, color, width=1, opacity=1.0):
        """A polyline without markers."""
        p = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        self.add(f'<polyline points="{p}" fill="none" stroke="{color}" '
                 f'stroke-width="{width}" stroke-opacity="{opacity}"/>')

    def save(self, path):
        with open(path, "w") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n')
            f.write(f'<svg xmlns="http://www.w3.org/2000/svg" '
                    f'width="{self.w}" height="{self.h}" '
                    f'viewBox="0 0 {self.w} {self.h}" '
                    f'font-family="sans-serif">\n')
            f.write(f'<rect width="{self.w}" height="{self.h}" '
                    f'fill="#fff"/>\n')
            f.write("\n".join(self.items))
            f.write("\n</svg>\n")


def subtitle(svg, meta, y):
    """@meta under the title, a line per "; " part; returns the next y."""
    for part in (meta.split("; ") if meta else []):
        svg.text(svg.w / 2, y, part, 11, "middle")
        y += 14
    return y


def nice_max(v):
    if v <= 0:
        return 1
    e = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if m * e >= v:
            return m * e
    return 10 * e


def plot_surf(rows, meta, path):
    """A panel per space: MB/s (medians) against MiB, log2 x."""
    lines = len(meta.split("; ")) if meta else 0
    spaces = [sp for sp in SPACES if any(r["space"] == sp for r in rows)]
    width = 60 + 420 * len(spaces)
    svg = Svg(width, 416 + 14 * lines)
    svg.text(width / 2, 22, "Copy, fill and blend throughput: vGPU (solid) and "
             "native (dashed), medians of interleaved pairs", 14, "middle",
             weight="bold")
    top_y = subtitle(svg, meta, 40) + 16
    sizes = sorted({int(r["mib"]) for r in rows})
    top = nice_max(max(max(float(r["vgpu_mbps"]), float(r["native_mbps"]))
                       for r in rows))
    for i, sp in enumerate(spaces):
        x0, y0, w, h = 80 + i * 420, top_y, 340, 280
        svg.text(x0 + w / 2, y0 - 8, SPACE_TITLES[sp], 13, "middle")
        svg.line(x0, y0 + h, x0 + w, y0 + h)
        svg.line(x0, y0, x0, y0 + h)
        for k in range(6):
            v = top * k / 5
            y = y0 + h - h * k / 5
            svg.line(x0, y, x0 + w, y, "#ddd")
            svg.text(x0 - 6, y + 4, f"{v:.0f}", 11, "end")
        svg.text(x0 - 50, y0 + h / 2, "MB/s", 12, "middle", rot=-90)

        def xpos(mib):
            lo, hi = math.log2(sizes[0]), math.log2(sizes[-1])
            return x0 + 20 + (w - 40) * (math.log2(mib) - lo) / \
                max(hi - lo, 1)
        for s in sizes:
            svg.text(xpos(s), y0 + h + 16, f"{s} MiB", 11, "middle")
        for op in OPS:
            pts = {}
            for r in rows:
                if r["space"] == sp and r["op"] == op:
                    pts[int(r["mib"])] = r
            if not pts:
                continue
            for side, dash in (("vgpu", None), ("native", "6,4")):
                svg.poly([(xpos(m), y0 + h - h * float(pts[m][side + "_mbps"])
                           / top) for m in sorted(pts)], COLORS[op], dash)
    for j, op in enumerate(OPS):
        x = width / 2 - 150 + j * 110
        svg.line(x, top_y + 325, x + 30, top_y + 325, COLORS[op], 3)
        svg.text(x + 36, top_y + 329, op, 12)
    svg.text(width / 2, top_y + 350, "solid: vGPU (guest through the VFIO "
             "client), dashed: native (mvgpu_native)", 11, "middle")
    svg.save(path)


def plot_stages(rows, meta, path):
    """Horizontal bars: p50 (solid) and p99 (light) of each vGPU stage."""
    vg = [r for r in rows if r["side"] == "vgpu" and r["stage"] != "total"]
    engines = sorted({r["engine"] for r in vg}, key=lambda e: e != "RCS")
    stages = []
    for r in vg:
        if r["stage"] not in stages:
            stages.append(r["stage"])
    bar, gap = 12, 10
    lines = len(meta.split("; ")) if meta else 0
    h = 76 + 14 * lines + len(stages) * (len(engines) * bar + gap) + 40
    svg = Svg(900, h)
    svg.text(450, 22, "Stages of a vGPU workload (tiny batches), p50 and p99, "
             "us (log scale)", 14, "middle", weight="bold")
    y = subtitle(svg, meta, 40) + 16
    x0, w = 120, 620
    vals = [float(r["p99_ns"]) / 1e3 for r in vg if float(r["p99_ns"]) > 0]
    lo = 10 ** math.floor(math.log10(max(min(vals), 0.01)))
    hi = 10 ** math.ceil(math.log10(max(vals)))

    def xpos(us):
        us = max(us, lo)
        return x0 + w * (math.log10(us) - math.log10(lo)) / \
            (math.log10(hi) - math.log10(lo))
    e = lo
    while e <= hi * 1.0001:
        svg.line(xpos(e), y - 5, xpos(e), h - 40, "#ddd")
        svg.text(xpos(e), h - 26, f"{e:g}", 11, "middle")
        e *= 10
    colors = {"RCS": "#1f77b4", "BCS": "#ff7f0e"}
    for st in stages:
        svg.text(x0 - 8, y + len(engines) * bar / 2 + 4, st, 12, "end")
        for eng in engines:
            r = next((r for r in vg if r["stage"] == st and
                      r["engine"] == eng), None)
            if r:
                p50 = float(r["p50_ns"]) / 1e3
                p99 = float(r["p99_ns"]) / 1e3
                svg.rect(x0, y, xpos(p99) - x0, bar - 2, colors.get(eng,
                         "#888"), 0.3)
                svg.rect(x0, y, xpos(p50) - x0, bar - 2, colors.get(eng,
                         "#888"))
                svg.text(xpos(p99) + 4, y + bar - 3,
                         f"{p50:.1f} / {p99:.1f}", 10)
            y += bar
        y += gap
    for j, eng in enumerate(engines):
        svg.rect(300 + j * 160, h - 16, 14, 10, colors.get(eng, "#888"))
        svg.text(318 + j * 160, h - 7, f"{eng}: p50 solid, p99 light", 11)
    svg.save(path)


def plot_scale_shares(rows, path):
    """Per panel (BCS bytes, RCS stores): each vGPU's share of the work
    delivered in each second of the "fair" phase over its weight's share
    (1 = exactly its weight; log scale, a second in which nothing was
    delivered at the bottom), a thin line per vGPU coloured by weight, a
    thick one for the mean of each weight, and the +-5% band."""
    fair = [r for r in rows if r["phase"] == "fair" and
            float(r["weight_share"]) > 0]
    vgpus = sorted({int(r["vgpu"]) for r in fair})
    secs = sorted({int(r["second"]) for r in fair})
    weights = sorted({int(r["weight"]) for r in fair})
    wof = {int(r["vgpu"]): int(r["weight"]) for r in fair}
    wcol = {wt: WEIGHT_COLORS[i % len(WEIGHT_COLORS)]
            for i, wt in enumerate(weights)}
    ratio = {}
    for r in fair:
        for col, _ in SCALE_MEASURES:
            ratio[(col, int(r["vgpu"]), int(r["second"]))] = \
                float(r[col]) / float(r["weight_share"])
    pos = [v for v in ratio.values() if v > 0] or [1]
    lo = max(min(math.floor(math.log2(min(pos))), -1), -6)
    hi = min(max(math.ceil(math.log2(max(pos))), 1), 8)
    svg = Svg(900, 120 + 300 * len(SCALE_MEASURES) + 30)
    svg.text(450, 22, f"Share of the delivered work per second over the "
             f"weight's share: {len(vgpus)} vGPUs on one pGPU "
             f"(make scale, {len(secs)} s)", 14, "middle", weight="bold")
    svg.text(450, 40, "1 = exactly its weight (band: +-5%), log scale; "
             "thin: each vGPU, thick: mean of the vGPUs of a weight",
             11, "middle")
    x0, w, h = 80, 760, 240

    def xpos(sec):
        return x0 + w * (sec - secs[0]) / max(secs[-1] - secs[0], 1)
    for p, (col, title) in enumerate(SCALE_MEASURES):
        y0 = 70 + p * 300

        def ypos(v):
            e = math.log2(v) if v > 0 else lo
            return y0 + h - h * (min(max(e, lo), hi) - lo) / (hi - lo)
        svg.text(x0 + w / 2, y0 - 8, title, 13, "middle")
        svg.rect(x0, ypos(1.05), w, ypos(0.95) - ypos(1.05), "#999", 0.4)
        for e in range(lo, hi + 1):
            svg.line(x0, ypos(2 ** e), x0 + w, ypos(2 ** e), "#ddd")
            svg.text(x0 - 6, ypos(2 ** e) + 4,
                     f"{2 ** e:g}" if e >= 0 else f"1/{2 ** -e}", 11, "end")
        svg.line(x0, ypos(1), x0 + w, ypos(1), "#000", 1, "4,3")
        svg.line(x0, y0 + h, x0 + w, y0 + h)
        svg.line(x0, y0, x0, y0 + h)
        for sec in secs[::max(len(secs) // 10, 1)]:
            svg.text(xpos(sec), y0 + h + 16, str(sec), 11, "middle")
        svg.text(x0 + w / 2, y0 + h + 32, "second", 11, "middle")
        svg.text(x0 - 50, y0 + h / 2, "share / weight's share", 12,
                 "middle", rot=-90)
        for v in vgpus:
            pts = [(xpos(sec), ypos(ratio[(col, v, sec)])) for sec in secs
                   if (col, v, sec) in ratio]
            svg.path(pts, wcol[wof[v]], 1, 0.35)
        for wt in weights:
            mine = [v for v in vgpus if wof[v] == wt]
            pts = []
            for sec in secs:
                vals = [ratio[(col, v, sec)] for v in mine
                        if (col, v, sec) in ratio]
                if vals:
                    pts.append((xpos(sec), ypos(sum(vals) / len(vals))))
            svg.path(pts, wcol[wt], 3, 1.0)
    y = 120 + 300 * len(SCALE_MEASURES) - 25
    for i, wt in enumerate(weights):
        x = 450 - 60 * len(weights) + 120 * i
        svg.line(x, y, x + 30, y, wcol[wt], 3)
        svg.text(x + 36, y + 4, f"weight {wt}", 12)
    svg.save(path)


def table(header, rows):
    """An RST simple table."""
    cols = [[h] + [r[i] for r in rows] for i, h in enumerate(header)]
    wid = [max(len(c) for c in col) for col in cols]
    sep = "  ".join("=" * n for n in wid)
    out = [sep, "  ".join(h.ljust(wid[i]) for i, h in enumerate(header)),
           sep]
    for r in rows:
        out.append("  ".join(c.ljust(wid[i]) for i, c in enumerate(r)))
    out.append(sep)
    return "\n".join(x.rstrip() for x in out)


def tables(surf, rate, stages, meta):
    out = [".. SPDX-License-Identifier: GPL-2.0-only", "",
           ".. Generated by tests/bench/bench_report.py (make bench-report) "
           "from the CSV files beside it; do not edit.", ""]
    if meta:
        out += [f"Run: {meta}.", ""]
    if surf:
        out += ["Surface benchmark (``vgpu_bench surf``): medians of the "
                "pairs' times, the vGPU workload's time on the engine "
                "(p50, debugfs ``mvgpu_stages``), and the vGPU / native "
                "throughput ratio as the median of the pairs' ratios "
                "(their range) and as the ratio of the best times.", ""]
        rows = []
        for r in surf:
            eng = float(r.get("vgpu_engine_p50_ns") or -1)
            rows.append([r["op"], r["space"].upper(), r["mib"],
                         f"{float(r['vgpu_med_ns']) / 1e6:.2f}",
                         f"{eng / 1e6:.2f}" if eng > 0 else "-",
                         f"{float(r['native_med_ns']) / 1e6:.2f}",
                         f"{float(r['vgpu_mbps']):.0f}",
                         f"{float(r['native_mbps']):.0f}",
                         f"{float(r['ratio_med']):.2f} "
                         f"({float(r['ratio_min']):.2f}-"
                         f"{float(r['ratio_max']):.2f})",
                         f"{float(r['ratio_best']):.2f}"])
        out += [table(["Op", "Space", "MiB", "vGPU ms", "Engine ms",
                       "Native ms",
                       "vGPU MB/s", "Native MB/s", "Ratio (pairs)",
                       "Ratio best"], rows), ""]
    if rate:
        out += ["Tiny-batch rate (``vgpu_bench rate``): submissions per "
                "second, medians (best) of the blocks of each side, "
                "vGPU / native ratio as the median of the blocks' ratios "
                "(range) and of the best blocks, trapped accesses per "
                "submission, and the CPU time each submission cost the "
                "benchmark's thread and the engine's, vGPU / native "
                "(medians of the blocks).", ""]
        rows = [[r["engine"], r["blocks"] + " x " + r["block"],
                 f"{float(r['vgpu_med_per_s']):.0f} "
                 f"({float(r['vgpu_best_per_s']):.0f})",
                 f"{float(r['native_med_per_s']):.0f} "
                 f"({float(r['native_best_per_s']):.0f})",
                 f"{float(r['ratio_med']):.2f} ({float(r['ratio_min']):.2f}"
                 f"-{float(r['ratio_max']):.2f})",
                 f"{float(r['ratio_best']):.2f}", r["traps_per_sub"],
                 f"{float(r['vgpu_cpu_us']):.1f} / "
                 f"{float(r['native_cpu_us']):.1f}"
                 if r.get("vgpu_cpu_us") else "-"]
                for r in rate]
        out += [table(["Engine", "Blocks", "vGPU /s", "Native /s",
                       "Ratio (blocks)", "Ratio best", "Traps/sub",
                       "CPU us/sub"], rows),
                ""]
    if stages:
        vg = [r for r in stages if r["side"] == "vgpu"]
        if vg:
            out += ["Stages of a vGPU workload in the kernel "
                    "(debugfs ``mvgpu_stages``), one block of tiny batches "
                    "per engine, us: p50 / p99 (samples).", ""]
            names = []
            for r in vg:
                if r["stage"] not in names:
                    names.append(r["stage"])
            engines = sorted({r["engine"] for r in vg},
                             key=lambda e: e != "RCS")
            rows = []
            for st in names:
                row = [st]
                for e in engines:
                    r = next((r for r in vg if r["stage"] == st and
                              r["engine"] == e), None)
                    row.append(f"{float(r['p50_ns']) / 1e3:.1f} / "
                               f"{float(r['p99_ns']) / 1e3:.1f} "
                               f"({r['samples']})" if r else "-")
                rows.append(row)
            out += [table(["Stage"] + engines, rows), ""]
        nat = [r for r in stages if r["side"] in ("native", "guest")]
        if nat:
            out += ["The same blocks as the submitter sees a pair: the guest "
                    "of the vGPU, and natively (medians over blocks of each "
                    "block's p50 / p99, us).", ""]
            rows = [[r["side"], r["engine"], r["stage"],
                     f"{float(r['p50_ns']) / 1e3:.1f} / "
                     f"{float(r['p99_ns']) / 1e3:.1f}"] for r in nat]
            out += [table(["Side", "Engine", "Stage of a pair", "p50 / p99"],
                          rows), ""]
    return "\n".join(out)


def copy_in(p, dst, name):
    """Copy @p to @dst/@name unless it is missing or that file already."""
    if os.path.exists(p) and os.path.abspath(p) != \
            os.path.abspath(os.path.join(dst, name)):
        shutil.copy(p, os.path.join(dst, name))


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    src, dst = sys.argv[1], sys.argv[2]
    os.makedirs(dst, exist_ok=True)
    for name in FILES:
        copy_in(os.path.join(src, name), dst, name)
    if len(sys.argv) == 4:
        copy_in(sys.argv[3], dst, SCALE_CSV)
    meta = ""
    mp = os.path.join(dst, "meta.txt")
    if os.path.exists(mp):
        with open(mp) as f:
            meta = " ".join(f.read().split())
    surf = read_csv(os.path.join(dst, "surf.csv"))
    rate = read_csv(os.path.join(dst, "rate.csv"))
    stages = read_csv(os.path.join(dst, "stages.csv"))
    if surf:
        plot_surf(surf, meta, os.path.join(dst, "perf-surf.svg"))
    else:
        print("bench_report: no surf.csv, no throughput plot")
    if stages and any(r["side"] == "vgpu" for r in stages):
        plot_stages(stages, meta, os.path.join(dst, "perf-stages.svg"))
    else:
        print("bench_report: no vGPU stages in stages.csv, no stage plot")
    scale = read_csv(os.path.join(dst, SCALE_CSV))
    if scale and any(r["phase"] == "fair" for r in scale):
        plot_scale_shares(scale, os.path.join(dst, "perf-scale-shares.svg"))
    else:
        print("bench_report: no scale_shares.csv of make scale, no "
              "share-over-time plot")
    with open(os.path.join(dst, "tables.rst"), "w") as f:
        f.write(tables(surf, rate, stages, meta) + "\n")
    print(f"bench_report: wrote {dst}")


if __name__ == "__main__":
    main()
