#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Keep Documentation/robustness.rst true.

The table there lists every robustness case, the test that shows it and
the expected outcome.  Each "Test" cell names where the result is found:

  <suite>/<name>   a TAP line "ok N <name>", not "# SKIP" (a trailing * matches every
                   name that starts so) in <dir>/<suite>.tap, where
                   <dir> is the VM suite's output (build/vm-out/suite) or
                   the unit tests' logs (build/test-logs, as unit-<suite>)
  run:<text>       a line of tests/run.sh's results containing <text>
                   (build/test-logs/results.txt)
  soak, debug-check, guest-suite  the last `make soak` / `make
                   debug-check` / `make guest-suite` run

  tests/robustness.py [check]   every case of the default run passed in
                                the last tests/run.sh, and every case
                                names a test that exists; exit 1 if not

Either way the result of every case, with the date, is written to
build/test-logs/robustness.txt (MVGPU_ROBUSTNESS_OUT), not to the doc.
"""
import datetime
import glob
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(TOP, "Documentation", "robustness.rst")
SUITE = os.environ.get("MVGPU_SUITE_OUT",
                       os.path.join(TOP, "build", "vm-out", "suite"))
LOGS = os.path.join(TOP, "build", "test-logs")
OUT = os.environ.get("MVGPU_ROBUSTNESS_OUT",
                     os.path.join(LOGS, "robustness.txt"))
OTHER = {
    "soak": os.path.join(TOP, "build", "vm-out", "soak", "soak.tap"),
    "guest-suite": os.path.join(TOP, "build", "vm-out", "guest-suite",
                                "guest_suite.tap"),
    "debug-check": os.path.join(LOGS, "debug", "results.txt"),
}


def parse(lines):
    """Rows of the list-table: (first line index, last line index, cells)."""
    rows, cur = [], None
    for i, line in enumerate(lines):
        if line.startswith("   * - "):
            if cur:
                rows.append(cur)
            cur = [i, i, [line[7:].strip()]]
        elif cur and line.startswith("     - "):
            cur[1] = i
            cur[2].append(line[7:].strip())
        elif cur and line.startswith("       ") and line.strip():
            cur[1] = i
            cur[2][-1] += " " + line.strip()
        elif cur and not line.strip():
            continue
        elif cur:
            rows.append(cur)
            cur = None
    if cur:
        rows.append(cur)
    return [r for r in rows if r[2][0] != "Case"]


def tap_results(path):
    """name -> 'pass', 'fail' or 'skip' (ok ... # SKIP) of one TAP file."""
    res = {}
    try:
        with open(path, errors="replace") as f:
            for line in f:
                m = re.match(r"^(not )?ok \d+ (.*?)\s*(#.*)?$", line.rstrip("\n"))
                if not m:
                    continue
                if m.group(1):
                    res[m.group(2)] = "fail"
                elif re.match(r"#\s*SKIP", m.group(3) or "", re.I):
                    res[m.group(2)] = "skip"
                else:
                    res[m.group(2)] = "pass"
    except OSError:
        pass
    return res


def result_of(test):
    """'pass', 'fail' or None (no output of that run here)."""
    test = test.strip("`")
    if test.startswith("run:"):
        path = os.path.join(LOGS, "results.txt")
        if not os.path.exists(path):
            return None
        with open(path) as f:
            hits = [l for l in f if test[4:] in l]
        if not hits:
            return "fail"
        return "pass" if all(l.startswith("PASS ") for l in hits) else "fail"
    if test in OTHER:
        path = OTHER[test]
        if not os.path.exists(path):
            return None
        with open(path, errors="replace") as f:
            text = f.read()
        if re.search(r"^not ok ", text, re.M) or re.search(r"[1-9]\d* failed", text):
            return "fail"
        return "pass" if re.search(r"^(ok \d|\d+ passed)", text, re.M) else "fail"
    suite, _, name = test.partition("/")
    for path in (os.path.join(SUITE, suite + ".tap"),
                 os.path.join(LOGS, "unit-" + suite + ".tap")):
        if os.path.exists(path):
            res = tap_results(path)
            if name.endswith("*"):
                got = [v for k, v in res.items() if k.startswith(name[:-1])]
            else:
                got = [res[name]] if name in res else []
            if not got:
                return "missing"
            if "fail" in got:
                return "fail"
            # a skipped case was not shown: it does not count as passed
            return "skip" if "skip" in got else "pass"
    return None


def in_default_run(test):
    return test.strip("`") not in OTHER


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "check"
    if mode != "check":
        print("usage: tests/robustness.py [check]")
        return 2
    with open(DOC) as f:
        lines = f.read().split("\n")
    rows = parse(lines)
    bad = 0
    today = datetime.datetime.now().isoformat(timespec="seconds")
    report = []
    for first, _, cells in rows:
        if len(cells) != 3:
            print("robustness.rst line %d: %d cells, not 3" % (first + 1, len(cells)))
            bad += 1
            continue
        case, test, _ = cells
        r = result_of(test)
        report.append("%-8s %s  [%s]" % (r or "not run", case, test.strip("`")))
        if in_default_run(test) and r != "pass":
            print("robustness case '%s': %s is %s" % (case, test, r or "not run"))
            bad += 1
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        f.write("# Documentation/robustness.rst, %s: %d cases, %d not as the table says\n"
                % (today, len(rows), bad))
        f.write("\n".join(report) + "\n")
    print("# robustness.rst: %d cases, %d not as the table says (%s)"
          % (len(rows), bad, os.path.relpath(OUT, TOP)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
