// SPDX-License-Identifier: GPL-2.0-only
/*
 * The interrupt.  One vector: MSI, or INTx (shared) when MSI is off.
 *
 * The hard handler acknowledges the GT bank (and the display pipe's,
 * whose vblank it counts at once: display.c) until MASTER_IRQ shows no
 * bank pending, and leaves the rest to the thread: each engine's context
 * status buffer and completed seqnos (execlist.c).  The device raises a
 * message when its output goes from idle to pending, so the handler must
 * not return with a bit pending; it checks that with one read of
 * MASTER_IRQ at the end instead of clearing and setting the master
 * enable around its work (Gen8's way, which costs two more accesses, each
 * a VM exit on a vGPU).  Most interrupts are the GT bank's alone: three
 * accesses, the IIR read and acknowledged, then MASTER_IRQ.
 */
#include <linux/interrupt.h>
#include <linux/moduleparam.h>

#include <drm/drm_print.h>

#include "drv.h"
#include "irq.h"
#include "regs.h"

static bool msi = true;
module_param(msi, bool, 0444);
MODULE_PARM_DESC(msi, "use MSI (default), else INTx");

/* What each engine enables: completion, errors, context switches. */
#define ENGINE_IRQS	(MVGPU_GT_USER_INTERRUPT | MVGPU_GT_CS_ERROR_INTERRUPT | \
			 MVGPU_GT_CONTEXT_SWITCH_INTERRUPT)

/* Acknowledge the GT bank; false when the device is gone. */
static bool irq_ack_gt(struct mvgpu_drm *m, u32 iir)
{
	if (iir == ~0U)
		return false;
	if (iir) {
		mvgpu_wr(m, MVGPU_GT_IIR(0), iir);
		atomic_or(iir, &m->irq_gt);
	}
	return true;
}

static void irq_ack_pipe(struct mvgpu_drm *m)
{
	u32 iir = mvgpu_rd(m, MVGPU_DE_PIPE_IIR(0));

	if (iir)
		mvgpu_wr(m, MVGPU_DE_PIPE_IIR(0), iir);
	if (iir & MVGPU_DE_PIPE_VBLANK)
		mvgpu_display_vblank_irq(m);
}

/*
 * Rounds of acknowledgements the hard handler makes before it stops, a
 * bank still pending, and clears and sets the master enable so that the
 * device sends a new message: events keep coming, or the device keeps
 * a bit pending, and the CPU is not held in the handler meanwhile.
 */
#define IRQ_ROUNDS	4

static irqreturn_t irq_handler(int irq, void *arg)
{
	struct mvgpu_drm *m = arg;
	u32 gt = mvgpu_rd(m, MVGPU_GT_IIR(0)), master;
	bool ours = gt;
	unsigned int i;

	if (!irq_ack_gt(m, gt))
		return IRQ_NONE;
	for (i = 0; i < IRQ_ROUNDS; i++) {
		master = mvgpu_rd(m, MVGPU_MASTER_IRQ);
		if (master == ~0U ||
		    !(master & (MVGPU_MASTER_GT0_IRQ | MVGPU_MASTER_DE_PIPE_A_IRQ)))
			return ours ? IRQ_WAKE_THREAD : IRQ_NONE;
		ours = true;
		if ((master & MVGPU_MASTER_GT0_IRQ) &&
		    !irq_ack_gt(m, mvgpu_rd(m, MVGPU_GT_IIR(0))))
			return IRQ_WAKE_THREAD;
		if (master & MVGPU_MASTER_DE_PIPE_A_IRQ)
			irq_ack_pipe(m);
	}
	mvgpu_wr(m, MVGPU_MASTER_IRQ, 0);
	mvgpu_wr(m, MVGPU_MASTER_IRQ, MVGPU_MASTER_IRQ_CONTROL);
	return IRQ_WAKE_THREAD;
}

static irqreturn_t irq_thread(int irq, void *arg)
{
	struct mvgpu_drm *m = arg;
	u32 iir = atomic_xchg(&m->irq_gt, 0), bits;
	unsigned int i;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		bits = (iir >> m->engine[i].irq_shift) & 0xffff;
		if (bits)
			mvgpu_engine_irq(&m->engine[i], bits);
	}
	return IRQ_HANDLED;
}

/**
 * mvgpu_irq_hw_init() - enable the engines' interrupts
 * @m: the device, after probe or a full reset
 *
 * The display pipe's stay masked until the vblank core enables them
 * (display.c).
 */
void mvgpu_irq_hw_init(struct mvgpu_drm *m)
{
	u32 ier = ENGINE_IRQS << MVGPU_RCS_IRQ_SHIFT |
		  ENGINE_IRQS << MVGPU_BCS_IRQ_SHIFT;

	mvgpu_wr(m, MVGPU_MASTER_IRQ, 0);
	mvgpu_wr(m, MVGPU_GT_IER(0), ier);
	mvgpu_wr(m, MVGPU_GT_IMR(0), ~ier);
	mvgpu_wr(m, MVGPU_GT_IIR(0), ~0U);
	mvgpu_wr(m, MVGPU_DE_PIPE_IER(0), 0);
	mvgpu_wr(m, MVGPU_DE_PIPE_IMR(0), ~0U);
	mvgpu_wr(m, MVGPU_DE_PIPE_IIR(0), ~0U);
	mvgpu_wr(m, MVGPU_MASTER_IRQ, MVGPU_MASTER_IRQ_CONTROL);
}

/**
 * mvgpu_irq_init() - get the vector and install the handlers
 * @m: the device
 *
 * Return: 0, or a negative errno.
 */
int mvgpu_irq_init(struct mvgpu_drm *m)
{
	struct pci_dev *pdev = m->pdev;
	unsigned int types = PCI_IRQ_INTX | (msi ? PCI_IRQ_MSI : 0);
	int ret;

	m->irq = -1;
	ret = pci_alloc_irq_vectors(pdev, 1, 1, types);
	if (ret < 0)
		return ret;
	ret = request_threaded_irq(pci_irq_vector(pdev, 0), irq_handler,
				   irq_thread, pdev->msi_enabled ? 0 : IRQF_SHARED,
				   MVGPU_DRM_NAME, m);
	if (ret) {
		pci_free_irq_vectors(pdev);
		return ret;
	}
	m->irq = pci_irq_vector(pdev, 0);
	drm_info(&m->drm, "interrupt: %s\n", pdev->msi_enabled ? "MSI" : "INTx");
	return 0;
}

/**
 * mvgpu_irq_fini() - silence the device and release the vector
 * @m: the device
 */
void mvgpu_irq_fini(struct mvgpu_drm *m)
{
	if (m->irq < 0)
		return;
	mvgpu_wr(m, MVGPU_MASTER_IRQ, 0);
	free_irq(m->irq, m);
	pci_free_irq_vectors(m->pdev);
	m->irq = -1;
}
