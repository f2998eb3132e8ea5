#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Hold KVM's run-time static keys in one state while L2 guests come and go.

In the L1 test VM, under QEMU's multi-threaded TCG, KVM patching its own
code while another vCPU runs it has crashed L1: an "int3" oops, a
corrupted stack, a triple fault.  KVM flips static keys whenever the
first VM is created or the last one goes (preempt notifiers), when a
vCPU's local APIC is created, software-enabled or reset
(apic_sw_disabled, apic_hw_disabled), all of which an L2 guest's boot,
reset and exit do, while the other guest's vCPU runs KVM's code.

This process creates one VM that never runs: its vCPU's APIC stays
software-disabled and is made hardware-disabled, so the three keys stay
on (each counts users) and KVM does not patch them again.  It then waits
until it is killed.  tests/vm/l2.sh starts it once per L1 boot.

Usage: kvm_keys_hold.py PIDFILE
"""
import fcntl
import os
import signal
import struct
import sys

KVM_CREATE_VM = 0xAE01
KVM_CREATE_IRQCHIP = 0xAE60
KVM_CREATE_VCPU = 0xAE41
KVM_SET_MSRS = 0x4008AE89  # _IOW(KVMIO, 0x89, struct kvm_msrs)
MSR_IA32_APICBASE = 0x1B
APIC_BASE_BSP = 0x100
APIC_DEFAULT_BASE = 0xFEE00000


def hold():
    kvm = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    vm = fcntl.ioctl(kvm, KVM_CREATE_VM, 0)
    fcntl.ioctl(vm, KVM_CREATE_IRQCHIP, 0)
    vcpu = fcntl.ioctl(vm, KVM_CREATE_VCPU, 0)
    # struct kvm_msrs { u32 nmsrs, pad; struct kvm_msr_entry { u32 index,
    # reserved; u64 data; } entries[1]; }: the APIC without its enable bit.
    msrs = bytearray(struct.pack("=IIIIQ", 1, 0, MSR_IA32_APICBASE, 0,
                                 APIC_DEFAULT_BASE | APIC_BASE_BSP))
    if fcntl.ioctl(vcpu, KVM_SET_MSRS, msrs) != 1:
        raise OSError("KVM_SET_MSRS refused the APIC base")
    return kvm, vm, vcpu


def main():
    pidfile = sys.argv[1]
    fds = hold()
    with open(pidfile, "w") as f:
        f.write(f"{os.getpid()}\n")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while fds:
        signal.pause()


if __name__ == "__main__":
    main()
