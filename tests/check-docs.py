#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The documentation builds without a warning.

  1. scripts/kernel-doc -none -Wall (the kernel's, build/kernel-doc/ from
     scripts/linux-source.sh) on every source file and header of the
     modules: every kernel-doc comment is well formed.
  2. Every Documentation/*.rst parses with docutils (python3-docutils)
     without a warning.  A ``.. kernel-doc::`` directive is expanded with
     the reST that kernel-doc makes of the file it names, as the kernel's
     Sphinx extension does, so that output is checked too; the Sphinx-only
     directives and roles that output and the .rst files use (toctree,
     code-block, the C domain) are taken as they come.
  3. Documentation/index.rst lists every other Documentation/*.rst.

Usage: tests/check-docs.py [TOP]; prints each problem, exits 1 if any.
"""
import glob
import os
import re
import subprocess
import sys

import docutils.core
import docutils.utils
from docutils import nodes
from docutils.parsers.rst import Directive, directives, roles
from docutils.parsers.rst.directives.body import CodeBlock
from docutils.statemachine import StringList

TOP = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                      os.path.join(os.path.dirname(__file__), ".."))
KERNEL_DOC = os.path.join(TOP, "build", "kernel-doc", "kernel-doc")
SOURCES = ("gvt", "mdev", "sgpu", "native", "drm", "include")
problems = []


def kernel_doc(args):
    """Run kernel-doc; its stdout, and its warnings as problems."""
    r = subprocess.run([KERNEL_DOC, "-sphinx-version", "7.2"] + args,
                       cwd=TOP, capture_output=True, text=True)
    for line in r.stderr.splitlines():
        problems.append("kernel-doc: " + line)
    if r.returncode:
        problems.append("kernel-doc %s: exit %d" % (" ".join(args), r.returncode))
    return r.stdout


def sources():
    files = subprocess.run(["git", "ls-files"] + [d + "/*.[ch]" for d in SOURCES],
                           cwd=TOP, capture_output=True, text=True).stdout.split()
    return [f for f in files if os.path.exists(os.path.join(TOP, f))]


class KernelDoc(Directive):
    """.. kernel-doc:: FILE, with the kernel's :doc:, :functions:,
    :identifiers:, :export: and :internal: options."""
    required_arguments = 1
    option_spec = {"doc": directives.unchanged_required,
                   "functions": directives.unchanged,
                   "identifiers": directives.unchanged,
                   "export": directives.unchanged,
                   "internal": directives.unchanged}

    def run(self):
        path = self.arguments[0]
        if not os.path.exists(os.path.join(TOP, path)):
            raise self.error("kernel-doc: no file %s" % path)
        args = ["-rst", "-enable-lineno"]
        if "doc" in self.options:
            args += ["-function", self.options["doc"]]
        for key in ("functions", "identifiers"):
            for name in (self.options.get(key) or "").split():
                args += ["-function", name]
        if "export" in self.options:
            args += ["-export"]
        if "internal" in self.options:
            args += ["-internal"]
        out = kernel_doc(args + [path])
        lines = StringList()
        for i, line in enumerate(out.splitlines()):
            if not re.match(r"^\.\. LINENO \d+$", line):
                lines.append(line, "%s (kernel-doc)" % path, i)
        node = nodes.section()
        self.state.nested_parse(lines, 0, node, match_titles=True)
        return node.children


class Permissive(Directive):
    """A Sphinx directive: its content is parsed, its options accepted."""
    optional_arguments = 99
    final_argument_whitespace = True
    has_content = True

    class AnyOptions(dict):
        def __contains__(self, key):
            return True

        def __getitem__(self, key):
            return directives.unchanged

    option_spec = AnyOptions()

    def run(self):
        node = nodes.container()
        if self.content:
            self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def toctree_entries(path):
    with open(path) as f:
        text = f.read()
    m = re.search(r"^\.\. toctree::\n((?:[ \t]+.*\n|\n)*)", text, re.M)
    if not m:
        return []
    return [l.strip() for l in m.group(1).splitlines()
            if l.strip() and not l.strip().startswith(":")]


def any_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    return [nodes.literal(rawtext, text)], []


def check_rst():
    directives.register_directive("kernel-doc", KernelDoc)
    directives.register_directive("code-block", CodeBlock)
    for name in ("toctree", "c:function", "c:struct", "c:union", "c:enum",
                 "c:enumerator", "c:type", "c:macro", "c:member", "c:var",
                 "c:namespace-push", "c:namespace-pop"):
        directives.register_directive(name, Permissive)
    for name in ("c:func", "c:type", "c:macro", "c:member", "c:struct",
                 "c:union", "c:enum", "c:data", "c:expr", "ref", "doc"):
        roles.register_local_role(name, any_role)
    for path in sorted(glob.glob(os.path.join(TOP, "Documentation", "*.rst"))):
        rel = os.path.relpath(path, TOP)
        with open(path) as f:
            text = f.read()
        if not text.startswith(".. SPDX-License-Identifier: GPL-2.0-only\n"):
            problems.append("%s: no SPDX line" % rel)
        msgs = []

        class Collect:
            def write(self, s):
                msgs.append(s)

        docutils.core.publish_doctree(
            text, source_path=path,
            settings_overrides={"report_level": 2, "halt_level": 5,
                                "warning_stream": Collect(),
                                # performance.rst includes its generated
                                # tables (make bench-report)
                                "file_insertion_enabled": True,
                                "raw_enabled": False})
        problems.extend(m.rstrip() for m in msgs if m.strip())
    index = os.path.join(TOP, "Documentation", "index.rst")
    listed = toctree_entries(index) if os.path.exists(index) else []
    if not listed:
        problems.append("Documentation/index.rst: no toctree")
    for path in glob.glob(os.path.join(TOP, "Documentation", "*.rst")):
        name = os.path.basename(path)[:-4]
        if name != "index" and name not in listed:
            problems.append("Documentation/index.rst: %s.rst not in the toctree" % name)
    for name in listed:
        if not os.path.exists(os.path.join(TOP, "Documentation", name + ".rst")):
            problems.append("Documentation/index.rst: no %s.rst" % name)


def main():
    if not os.access(KERNEL_DOC, os.X_OK):
        print("check-docs: no %s (scripts/linux-source.sh)" % KERNEL_DOC)
        return 1
    files = sources()
    kernel_doc(["-none", "-Wall"] + files)
    check_rst()
    for p in problems:
        if "Sphinx version" not in p:
            print(p)
    bad = [p for p in problems if "Sphinx version" not in p]
    print("# check-docs: %d source files, %d .rst files, %d problems"
          % (len(files), len(glob.glob(os.path.join(TOP, "Documentation", "*.rst"))),
             len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
