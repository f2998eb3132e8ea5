/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KVM glue of a vGPU: write protection of the guest's page-table pages.
 */
#ifndef _MVGPU_KVM_H
#define _MVGPU_KVM_H

#include <linux/types.h>
#include <asm/kvm_page_track.h>

struct device;
struct kvm;
struct mvgpu_vgpu;

/**
 * struct mvgpu_kvm - a vGPU's link to the KVM guest that opened it
 * @node: our page-track notifier
 * @kvm: the guest, NULL when the user is not a KVM guest
 * @vgpu: the vGPU
 */
struct mvgpu_kvm {
	struct kvm_page_track_notifier_node node;
	struct kvm *kvm;
	struct mvgpu_vgpu *vgpu;
};

void mvgpu_kvm_attach(struct mvgpu_kvm *k, struct mvgpu_vgpu *vgpu,
		      struct device *dev, struct kvm *kvm);
void mvgpu_kvm_detach(struct mvgpu_kvm *k);

#endif /* _MVGPU_KVM_H */
