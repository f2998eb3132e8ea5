/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI functions the administrator binds to mvgpu, as pGPU parents.
 */
#ifndef _MVGPU_PCI_H
#define _MVGPU_PCI_H

int mvgpu_pci_register(void);
void mvgpu_pci_unregister(void);

#endif /* _MVGPU_PCI_H */
