// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM page tracking for a vGPU opened by a KVM guest.
 *
 * The shadow PPGTT (gvt/ppgtt.c) asks for each guest table page to be
 * write-protected; KVM then emulates the guest's writes to it and calls
 * our notifier afterwards, which updates the shadow at once.  A guest
 * without KVM (TCG, a userspace VFIO client) gets no tracking: its tables
 * are read again at every submission instead.
 */
#include <linux/kvm_host.h>

#include <mvgpu/params.h>
#include <mvgpu/vgpu.h>

#include "kvm.h"

static int mvgpu_kvm_track_add(void *priv, u64 gfn)
{
	struct mvgpu_kvm *k = priv;

	return kvm_write_track_add_gfn(k->kvm, gfn);
}

static void mvgpu_kvm_track_remove(void *priv, u64 gfn)
{
	struct mvgpu_kvm *k = priv;

	kvm_write_track_remove_gfn(k->kvm, gfn);
}

static const struct mvgpu_ppgtt_track_ops track_ops = {
	.add = mvgpu_kvm_track_add,
	.remove = mvgpu_kvm_track_remove,
};

static void mvgpu_kvm_track_write(gpa_t gpa, const u8 *val, int len,
				  struct kvm_page_track_notifier_node *node)
{
	struct mvgpu_kvm *k = container_of(node, struct mvgpu_kvm, node);

	mvgpu_vgpu_guest_write(k->vgpu, gpa, len);
}

static void mvgpu_kvm_track_remove_region(gfn_t gfn, unsigned long nr_pages,
					  struct kvm_page_track_notifier_node *node)
{
	struct mvgpu_kvm *k = container_of(node, struct mvgpu_kvm, node);

	mvgpu_vgpu_guest_untracked(k->vgpu, gfn, nr_pages);
}

/*
 * The first notifier of a VM turns on KVM's write tracking, which walks
 * the memslots holding only kvm->slots_arch_lock; lockdep wants the
 * memslots read under kvm->srcu or slots_lock ("suspicious RCU usage").
 * Reading them under kvm->srcu is what KVM's own callers do, and taking
 * slots_arch_lock inside it is allowed (kvm_swap_active_memslots()
 * drops it before synchronize_srcu() for that reason).
 */
static int mvgpu_kvm_register_notifier(struct kvm *kvm,
				       struct kvm_page_track_notifier_node *node)
{
	int idx, ret;

	idx = srcu_read_lock(&kvm->srcu);
	ret = kvm_page_track_register_notifier(kvm, node);
	srcu_read_unlock(&kvm->srcu, idx);
	return ret;
}

/**
 * mvgpu_kvm_attach() - use KVM page tracking for a vGPU, if it can
 * @k: the link, unused
 * @vgpu: the vGPU, just opened
 * @dev: the device, for a log line
 * @kvm: the KVM guest that opened it, or NULL
 *
 * Without a guest, with the kvm_write_track parameter off, or if the
 * notifier cannot be registered, the vGPU falls back to reading page
 * tables at every submission.
 */
void mvgpu_kvm_attach(struct mvgpu_kvm *k, struct mvgpu_vgpu *vgpu,
		      struct device *dev, struct kvm *kvm)
{
	k->vgpu = vgpu;
	k->kvm = NULL;
	if (!kvm || !mvgpu_kvm_write_track)
		return;
	k->node.track_write = mvgpu_kvm_track_write;
	k->node.track_remove_region = mvgpu_kvm_track_remove_region;
	if (mvgpu_kvm_register_notifier(kvm, &k->node)) {
		dev_info(dev, "no KVM page tracking: page tables are read at every submission\n");
		return;
	}
	k->kvm = kvm;
	mvgpu_vgpu_set_track(vgpu, &track_ops, k);
}

/**
 * mvgpu_kvm_detach() - stop page tracking
 * @k: the link; its vGPU has no shadow page tables left
 *
 * Not to be called with the vGPU's lock held: unregistering waits for
 * running notifiers, which take it.
 */
void mvgpu_kvm_detach(struct mvgpu_kvm *k)
{
	might_sleep();
	if (!k->kvm)
		return;
	mvgpu_vgpu_set_track(k->vgpu, NULL, NULL);
	kvm_page_track_unregister_notifier(k->kvm, &k->node);
	k->kvm = NULL;
}
