/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * mvgpu PCI identity, BAR layout and PV info page.
 *
 * This is part of the contract between the physical GPU (software or
 * hardware), the vGPU and the native driver; see
 * Documentation/gpu-interface.rst.
 */
#ifndef _UAPI_MVGPU_PCI_H
#define _UAPI_MVGPU_PCI_H

#include <linux/types.h>

#define MVGPU_PCI_VENDOR_ID		0x1e4d
#define MVGPU_PCI_DEVICE_ID		0x0800
#define MVGPU_PCI_SUBSYS_VENDOR_ID	0x1e4d
#define MVGPU_PCI_REVISION		0x01
/* PCI_CLASS_DISPLAY_OTHER: no legacy VGA ranges to arbitrate. */
#define MVGPU_PCI_CLASS			0x038000

/* BAR0: registers, the PV info page and a window onto the GGTT. */
#define MVGPU_BAR0_SIZE			0x01000000ULL
#define MVGPU_MMIO_SIZE			0x00200000U
#define MVGPU_PVINFO_OFFSET		0x00078000U
#define MVGPU_PVINFO_SIZE		0x00001000U
#define MVGPU_GGTT_OFFSET		0x00800000U
#define MVGPU_GGTT_WINDOW_SIZE		0x00800000U

/* BAR2: the aperture, the CPU's view of graphics memory. */
#define MVGPU_BAR2_SIZE			0x40000000ULL

/* Graphics memory: 4 GiB of GGTT-mapped address space, 4 KiB pages. */
#define MVGPU_GTT_PAGE_SHIFT		12
#define MVGPU_GTT_PAGE_SIZE		(1U << MVGPU_GTT_PAGE_SHIFT)
#define MVGPU_GGTT_ENTRIES		(MVGPU_GGTT_WINDOW_SIZE / 8)
#define MVGPU_GM_SIZE			((__u64)MVGPU_GGTT_ENTRIES << MVGPU_GTT_PAGE_SHIFT)
#define MVGPU_APERTURE_SIZE		MVGPU_BAR2_SIZE

/* GGTT page table entry (Gen8 gen8_pte_t). */
#define MVGPU_PTE_VALID			(1ULL << 0)
#define MVGPU_PTE_ADDR_MASK		0x0000fffffffff000ULL

/*
 * PV info page, at MVGPU_PVINFO_OFFSET in BAR0 (GVT-g's vgt_if).  On a
 * whole GPU the magic reads 0; on a vGPU it tells the native driver which
 * parts of graphics memory it may use.
 */
#define MVGPU_PVINFO_MAGIC		0x4776544776544776ULL /* "vGTvGTvG" */
#define MVGPU_PVINFO_VERSION_MAJOR	1
#define MVGPU_PVINFO_VERSION_MINOR	1

#define MVGPU_PVINFO_MAGIC_REG		0x000	/* u64 */
#define MVGPU_PVINFO_VERSION_REG	0x008	/* u16 major, u16 minor */
#define MVGPU_PVINFO_VGPU_ID_REG	0x00c	/* u32 */
#define MVGPU_PVINFO_CAPS_REG		0x010	/* u32, MVGPU_PVINFO_CAP_* */
/* EXECLIST_CONTROL loads the submit queue in the status page */
#define MVGPU_PVINFO_CAP_SUBMIT_QUEUE	(1U << 0)
#define MVGPU_PVINFO_APERTURE_BASE_REG	0x040	/* u32, bytes */
#define MVGPU_PVINFO_APERTURE_SIZE_REG	0x044	/* u32, bytes */
#define MVGPU_PVINFO_HIDDEN_BASE_REG	0x048	/* u32, bytes */
#define MVGPU_PVINFO_HIDDEN_SIZE_REG	0x04c	/* u32, bytes */
#define MVGPU_PVINFO_DISPLAY_READY_REG	0x050	/* u32, written by driver */
#define MVGPU_PVINFO_MAX_WIDTH_REG	0x054	/* u32, pixels */
#define MVGPU_PVINFO_MAX_HEIGHT_REG	0x058	/* u32, pixels */
/* 1.1: u32, read-only, 1 while the vGPU is in failsafe mode, else 0 */
#define MVGPU_PVINFO_FAILSAFE_REG	0x05c

/*
 * VFIO: the display region (Documentation/display.rst), a device-specific
 * region of type VFIO_REGION_TYPE_PCI_VENDOR_TYPE | MVGPU_PCI_VENDOR_ID,
 * at the first index after the vfio-pci ones.
 */
#define MVGPU_VFIO_REGION_SUBTYPE_DISPLAY	1
#define MVGPU_VFIO_DISPLAY_REGION_INDEX		9	/* VFIO_PCI_NUM_REGIONS */

#endif /* _UAPI_MVGPU_PCI_H */
