#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Watch the test VM's QEMU through its HMP monitor socket (vm.sh).

vm.sh runs QEMU with "-action reboot=shutdown,shutdown=pause": when the
guest powers off, and when it resets (a triple fault: L1 dies without a
panic message), QEMU pauses instead of exiting.  This waits for that
pause.  If QEMU's reset log (-d cpu_reset) says "Triple fault", it first
writes the state QEMU still holds of every CPU (registers, the top of
its stack, and the symbols these point at, from the text symbols L1's
init.sh saved from /proc/kallsyms) to OUT/triple-fault.txt, with the
page-table walk of the addresses a triple fault is about (the faulting
address in CR2, the TSS the double fault's stack comes from, the stack)
and the kernel half of each CPU's top-level table, so that a corrupted
table shows.  Then it quits QEMU.

Usage: qemu_watch.py SOCKET RESET_LOG OUT_FILE [KALLSYMS]
"""
import bisect
import re
import socket
import sys
import time

PROMPT = b"(qemu) "


class Monitor:
    """One HMP connection: send a command, read its output."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buf = b""
        self._until_prompt()

    def _until_prompt(self):
        while not self.buf.endswith(PROMPT):
            data = self.sock.recv(65536)
            if not data:
                raise EOFError
            self.buf += data
        out, self.buf = self.buf[: -len(PROMPT)], b""
        return out.decode(errors="replace").replace("\r", "")

    def quit(self):
        """Quit QEMU; returns once it closed the monitor (or 10 s)."""
        self.sock.sendall(b"quit\n")
        self.sock.settimeout(10)
        while self.sock.recv(4096):
            pass

    def cmd(self, line):
        self.sock.sendall(line.encode() + b"\n")
        out = self._until_prompt()
        # HMP echoes the command line first.
        return out.split("\n", 1)[1] if "\n" in out else ""


def symbols(path):
    """Sorted (address, name) of the kernel's text symbols."""
    syms = []
    try:
        with open(path) as f:
            for line in f:
                addr, kind, name = line.split()[:3]
                if int(addr, 16) == 0:
                    continue
                if kind in "tTwW":
                    syms.append((int(addr, 16), name))
    except OSError:
        return []
    syms.sort()
    return syms


def symbolize(syms, addr):
    i = bisect.bisect_right(syms, (addr, "\xff")) - 1
    if i < 0 or addr - syms[i][0] > 0x100000:
        return "?"
    return f"{syms[i][1]}+{addr - syms[i][0]:#x}"


def reg(regs, name):
    m = re.search(name + r"=([0-9a-f]+)", regs)
    return int(m.group(1), 16) if m else None


def read_phys(mon, addr):
    """One 8-byte word of guest physical memory, or None."""
    m = re.search(r":\s*0x([0-9a-f]+)", mon.cmd(f"xp/1gx {addr:#x}"))
    return int(m.group(1), 16) if m else None


ADDR_MASK = 0x000FFFFFFFFFF000


def table_entries(mon, table, first, count):
    """The non-zero entries first.. of the page table at table."""
    out = mon.cmd(f"xp/{count}gx {table + 8 * first:#x}")
    words = re.findall(r"0x([0-9a-f]{16})", out)
    return [f"    [{i:3d}] 0x{w}" for i, w in enumerate(words, first)
            if int(w, 16)]


def walk(mon, cr3, la57, va):
    """The entries met translating va from cr3, one line per level."""
    lines = []
    table = cr3 & ADDR_MASK
    levels = 5 if la57 else 4
    for level in range(levels, 0, -1):
        index = (va >> (12 + 9 * (level - 1))) & 0x1FF
        entry = read_phys(mon, table + 8 * index)
        lines.append(f"    L{level}[{index:3d}] @ {table + 8 * index:#x} = "
                     f"{'?' if entry is None else f'{entry:#018x}'}")
        if entry is None or not entry & 1:
            lines.append("    not present; the table's other entries:")
            lines += table_entries(mon, table, 0, 512)
            break
        if level in (2, 3) and entry & 0x80:
            break  # a large page
        table = entry & ADDR_MASK
    return lines


def tss_descriptor(mon, gdt, selector, tr_base):
    """The TSS base the GDT gives TR's selector, against TR's own.

    TR's base is loaded from the GDT by ltr; on SVM a #VMEXIT does not
    restore it, the host's VMLOAD does.  A base that differs from the
    GDT's is CPU state gone wrong, not a page table.
    """
    words = re.findall(r"0x([0-9a-f]{16})",
                       mon.cmd(f"x/2gx {gdt + (selector & ~7):#x}"))
    if len(words) < 2:
        return "TSS descriptor: unreadable\n"
    lo, hi = int(words[0], 16), int(words[1], 16)
    base = (((lo >> 16) & 0xFFFFFF) | (((lo >> 56) & 0xFF) << 24) |
            ((hi & 0xFFFFFFFF) << 32))
    same = "same" if base == tr_base else "DIFFERENT"
    return (f"TSS descriptor in the GDT: base {base:#x}, TR's base "
            f"{tr_base:#x}: {same}\n")


def dump_tables(mon, f, regs):
    """Walks of CR2, the TSS and the stack, and the top table's kernel half."""
    cr3, cr4 = reg(regs, "CR3"), reg(regs, "CR4")
    if cr3 is None or cr4 is None:
        return
    la57 = bool(cr4 & (1 << 12))
    tr = re.search(r"TR =[0-9a-f]+ ([0-9a-f]+)", regs)
    for name, va in (("CR2", reg(regs, "CR2")),
                     ("TSS", int(tr.group(1), 16) if tr else None),
                     ("RSP", reg(regs, "RSP"))):
        if va is not None:
            f.write(f"walk of {name} {va:#x} from CR3 {cr3:#x}:\n")
            f.write("\n".join(walk(mon, cr3, la57, va)) + "\n")
    gdt = re.search(r"GDT= +([0-9a-f]+)", regs)
    sel = re.search(r"TR =([0-9a-f]+)", regs)
    if gdt and sel and tr:
        f.write(tss_descriptor(mon, int(gdt.group(1), 16),
                               int(sel.group(1), 16), int(tr.group(1), 16)))
    f.write("top-level table, kernel half (non-zero entries):\n")
    f.write("\n".join(table_entries(mon, cr3 & ADDR_MASK, 256, 256)) + "\n")


def dump(mon, out, syms):
    with open(out, "w") as f:
        for cpu in range(64):
            if "invalid" in mon.cmd(f"cpu {cpu}").lower():
                break
            regs = mon.cmd("info registers")
            f.write(f"=== CPU {cpu}\n{regs}")
            rip = re.search(r"RIP=([0-9a-f]+)", regs)
            rsp = re.search(r"RSP=([0-9a-f]+)", regs)
            if rip:
                f.write(f"RIP is {symbolize(syms, int(rip.group(1), 16))}\n")
            dump_tables(mon, f, regs)
            if rsp:
                stack = mon.cmd(f"x/32gx 0x{rsp.group(1)}")
                f.write(f"stack:\n{stack}")
                for word in re.findall(r"0x(ffffffff[0-9a-f]{8})", stack):
                    name = symbolize(syms, int(word, 16))
                    if name != "?":
                        f.write(f"  0x{word} {name}\n")


def main():
    path, reset_log, out = sys.argv[1:4]
    mon = None
    for _ in range(600):
        try:
            mon = Monitor(path)
            break
        except (OSError, EOFError):
            time.sleep(0.1)  # QEMU has not bound or listened yet
    if not mon:
        return
    try:
        while "paused (shutdown)" not in mon.cmd("info status"):
            time.sleep(0.5)
        try:
            with open(reset_log, errors="replace") as f:
                if "Triple fault" in f.read():
                    kallsyms = sys.argv[4] if len(sys.argv) > 4 else ""
                    dump(mon, out, symbols(kallsyms))
        finally:
            mon.quit()
    except (OSError, EOFError):
        pass  # QEMU is gone (timed out, or killed)


if __name__ == "__main__":
    main()
