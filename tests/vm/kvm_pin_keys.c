// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hold L1's KVM static keys still while L2 guests come and go.
 *
 *   kvm_pin_keys &   (until killed)
 *
 * tests/vm/vm.sh builds it (static) into L1's initramfs, and init.sh
 * starts it once KVM is loaded, for the whole life of the VM.
 *
 * KVM switches code paths on and off with static keys, and each switch
 * rewrites kernel text (int3, then the new bytes, text_poke_bp()).  Two
 * of them flip whenever an L2 guest starts or stops:
 *   - apic_sw_disabled counts the vCPUs whose local APIC the guest has
 *     not yet enabled in its SPIV register: each new vCPU adds one, the
 *     guest's kernel enabling its APIC takes it away a second later
 *     (deferred), a vCPU freed still disabled too;
 *   - preempt_notifier_key counts KVM VMs.
 * A key that goes from 0 to 1 or back patches its sites, 11 in kvm.ko
 * for apic_sw_disabled, inside vcpu_enter_guest() among them, which every
 * running L2 vCPU thread executes at each entry.  QEMU 7.2's TCG, which
 * runs L1 here, now and then lets a vCPU run stale code across such a
 * patch: seen as L1's int3 oops in kvm_arch_vcpu_ioctl_run, at the
 * apic_sw_disabled site (testing.rst, "The test VM").
 *
 * This program keeps a VM with two vCPUs that never run: vCPU 0's APIC
 * stays software-disabled and vCPU 1's is hardware-disabled (APIC base
 * MSR without its enable bit, which pins apic_hw_disabled as well).  The
 * counts then never fall to 0 while it lives, so L2 guests starting and
 * stopping patch nothing.  It changes no guest's behaviour: the keys only
 * choose between a check of a flag and skipping it.
 *
 * Prints "kvm_pin_keys: holding" once set up; exits 0 on SIGTERM or
 * SIGINT, 1 when it cannot set up (no /dev/kvm, say), saying why.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define MSR_IA32_APICBASE	0x1b
#define APIC_DEFAULT_BASE	0xfee00000ull	/* enable bit (11) clear */

static int fail(const char *what)
{
	fprintf(stderr, "kvm_pin_keys: %s: %s\n", what, strerror(errno));
	return 1;
}

/* vCPU 1's APIC disabled in its base MSR, as a host write may set it. */
static int hw_disable_apic(int vcpu)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m = {
		.hdr.nmsrs = 1,
		.e = { .index = MSR_IA32_APICBASE, .data = APIC_DEFAULT_BASE },
	};

	return ioctl(vcpu, KVM_SET_MSRS, &m) == 1 ? 0 : -1;
}

int main(void)
{
	int kvm, vm, vcpu0, vcpu1, sig;
	sigset_t set;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return fail("/dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		return fail("KVM_CREATE_VM");
	/* an in-kernel APIC, as QEMU's guests have (else kvm_has_noapic_vcpu) */
	if (ioctl(vm, KVM_CREATE_IRQCHIP, 0))
		return fail("KVM_CREATE_IRQCHIP");
	vcpu0 = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu0 < 0)
		return fail("KVM_CREATE_VCPU 0");
	vcpu1 = ioctl(vm, KVM_CREATE_VCPU, 1);
	if (vcpu1 < 0)
		return fail("KVM_CREATE_VCPU 1");
	if (hw_disable_apic(vcpu1))
		return fail("KVM_SET_MSRS APIC base");

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("kvm_pin_keys: holding\n");
	fflush(stdout);
	sigwait(&set, &sig);
	return 0;
}
