/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kvm_vm - the KVM side of a VMM, as much of it as a vGPU sees (internal
 * to libmvgpu_vfio): a VM without vCPUs, its VFIO pseudo-device holding
 * the vGPU's group, and memory slots for the guest memory.
 */
#ifndef MVGPU_KVM_VM_H
#define MVGPU_KVM_VM_H

#include <stdint.h>

/**
 * struct kvm_vm - a KVM VM of a VMM handle
 * @vm_fd: from KVM_CREATE_VM, or -1
 * @vfio_fd: its KVM_DEV_TYPE_VFIO device, or -1
 * @slots: bitmap of the memory slots in use
 */
struct kvm_vm {
	int vm_fd;
	int vfio_fd;
	uint64_t slots;
};

int kvm_vm_create(struct kvm_vm *k);
int kvm_vm_add_vfio_file(struct kvm_vm *k, int fd);
int kvm_vm_add_memory(struct kvm_vm *k, uint64_t gpa, uint64_t size,
		      void *mem);
void kvm_vm_remove_memory(struct kvm_vm *k, int slot);
void kvm_vm_destroy(struct kvm_vm *k);

#endif /* MVGPU_KVM_VM_H */
