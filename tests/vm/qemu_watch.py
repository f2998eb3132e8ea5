#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Watch the test VM's QEMU through its HMP monitor socket (vm.sh).

vm.sh runs QEMU with "-action reboot=shutdown,shutdown=pause": when the
guest powers off, and when it resets (a triple fault: L1 dies without a
panic message), QEMU pauses instead of exiting.  This waits for that
pause.  If QEMU's reset log (-d cpu_reset) says "Triple fault", it first
writes the state QEMU still holds of every CPU (registers, the top of
its stack, and the symbols these point at, from the text symbols L1's
init.sh saved from /proc/kallsyms) to OUT/triple-fault.txt.  Then it
quits QEMU.

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
