// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_vm - the KVM side of a VMM, for mvgpu_vfio_open()'s MVGPU_VFIO_KVM.
 *
 * QEMU gives a vfio-pci device its KVM VM by adding the device's group
 * to the VM's VFIO pseudo-device (KVM_DEV_VFIO_GROUP_ADD, the value that
 * Linux 6.5 calls KVM_DEV_VFIO_FILE_ADD) before it opens the device;
 * VFIO then hands the VM to the device's driver at open, and mvgpu
 * write-protects the guest's page tables through it instead of reading
 * them again at every submission.  Guest memory is a memory slot of the
 * VM at its guest physical address, which here is its IOVA.  No vCPU is
 * ever created: the process writes guest memory directly, and such
 * writes are not reported to the vGPU (mvgpu_vfio.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvm_vm.h"

static int neg_errno(void)
{
	return errno ? -errno : -EIO;
}

/**
 * kvm_vm_create() - a VM and its VFIO pseudo-device
 * @k: filled in; all -1 and empty on failure
 *
 * Return: 0, -ENODEV without /dev/kvm, or another negative errno.
 */
int kvm_vm_create(struct kvm_vm *k)
{
	struct kvm_create_device dev = { .type = KVM_DEV_TYPE_VFIO };
	int kvm, ret;

	k->vm_fd = -1;
	k->vfio_fd = -1;
	k->slots = 0;
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return errno == ENOENT ? -ENODEV : neg_errno();
	k->vm_fd = ioctl(kvm, KVM_CREATE_VM, 0);
	ret = k->vm_fd < 0 ? neg_errno() : 0;
	close(kvm);
	if (ret)
		return ret;
	if (ioctl(k->vm_fd, KVM_CREATE_DEVICE, &dev)) {
		ret = neg_errno();
		kvm_vm_destroy(k);
		return ret;
	}
	k->vfio_fd = dev.fd;
	return 0;
}

/**
 * kvm_vm_add_vfio_file() - give the VM a VFIO group
 * @k: from kvm_vm_create()
 * @fd: the open group; before its devices are opened
 *
 * Return: 0 or a negative errno.
 */
int kvm_vm_add_vfio_file(struct kvm_vm *k, int fd)
{
	int32_t file = fd;
	struct kvm_device_attr attr = {
		.group = KVM_DEV_VFIO_GROUP,
		.attr = KVM_DEV_VFIO_GROUP_ADD,
		.addr = (uintptr_t)&file,
	};

	return ioctl(k->vfio_fd, KVM_SET_DEVICE_ATTR, &attr) ? neg_errno() : 0;
}

static int set_slot(struct kvm_vm *k, int slot, uint64_t gpa, uint64_t size,
		    void *mem)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)mem,
	};

	return ioctl(k->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) ? neg_errno() : 0;
}

/**
 * kvm_vm_add_memory() - guest memory as a memory slot of the VM
 * @k: from kvm_vm_create()
 * @gpa: guest physical address (page aligned)
 * @size: bytes (page aligned)
 * @mem: the process's memory behind it
 *
 * Return: the slot (for kvm_vm_remove_memory()), -ENOSPC when all 64 are
 * in use, or another negative errno.
 */
int kvm_vm_add_memory(struct kvm_vm *k, uint64_t gpa, uint64_t size,
		      void *mem)
{
	int slot, ret;

	for (slot = 0; slot < 64; slot++)
		if (!(k->slots & 1ull << slot))
			break;
	if (slot == 64)
		return -ENOSPC;
	ret = set_slot(k, slot, gpa, size, mem);
	if (ret)
		return ret;
	k->slots |= 1ull << slot;
	return slot;
}

/**
 * kvm_vm_remove_memory() - drop a slot of kvm_vm_add_memory()
 * @k: the VM
 * @slot: its slot; a negative one is ignored
 */
void kvm_vm_remove_memory(struct kvm_vm *k, int slot)
{
	if (slot < 0 || !(k->slots & 1ull << slot))
		return;
	set_slot(k, slot, 0, 0, NULL);
	k->slots &= ~(1ull << slot);
}

/**
 * kvm_vm_destroy() - close the VM (its slots go with it)
 * @k: the VM; may be one that kvm_vm_create() failed to make
 */
void kvm_vm_destroy(struct kvm_vm *k)
{
	if (k->vfio_fd >= 0)
		close(k->vfio_fd);
	if (k->vm_fd >= 0)
		close(k->vm_fd);
	k->vfio_fd = -1;
	k->vm_fd = -1;
	k->slots = 0;
}
