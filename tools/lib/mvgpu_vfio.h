/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvgpu_vfio - open an mdev vGPU through the Linux VFIO userspace API.
 *
 * A small library for tests and benchmarks that drives a vGPU the way a
 * VMM does: through a VFIO group and container (type1 IOMMU), or through
 * the VFIO device cdev bound to an iommufd.  Every function returns 0 or
 * a negative errno and never exits the process.
 *
 * A handle may be used by one thread at a time.  Several handles may be
 * open in one process; each one has its own container or iommufd, unless
 * opened into another's with mvgpu_vfio_open_in().
 */
#ifndef MVGPU_VFIO_H
#define MVGPU_VFIO_H

#include <stddef.h>
#include <stdint.h>
#include <linux/vfio.h>

struct mvgpu_vfio;

enum {
	MVGPU_VFIO_GROUP = 0,	/* /dev/vfio/N + /dev/vfio/vfio, type1 IOMMU */
	MVGPU_VFIO_CDEV = 1,	/* /dev/vfio/devices/vfioX + /dev/iommu */
	MVGPU_VFIO_KVM = 2,	/* group mode, the device given a KVM VM */
};

/**
 * mvgpu_vfio_open() - open a VFIO device and its IOMMU context
 * @uuid_or_path: mdev UUID (looked up in /sys/bus/mdev/devices) or a sysfs
 *	path of the device; the device name is the last path component
 * @mode: %MVGPU_VFIO_GROUP or %MVGPU_VFIO_CDEV
 * @out: set to the new handle on success
 *
 * In group mode the device's IOMMU group is attached to a new container
 * using the type1v2 IOMMU (type1 when v2 is missing).  In cdev mode the
 * device cdev is bound to a new iommufd and attached to a new IOAS.
 *
 * %MVGPU_VFIO_KVM is group mode as QEMU opens a device for a KVM guest:
 * the handle makes a KVM VM (no vCPUs) and adds the group to the VM's
 * VFIO pseudo-device before it opens the device, so the vGPU is given
 * the VM, and each region of mvgpu_vfio_guest_mem_alloc() becomes one of
 * the VM's memory slots at its IOVA.  mvgpu then write-protects the
 * guest's PPGTT tables through KVM instead of reading them again at
 * every submission.  Only a vCPU's writes are reported, and the handle
 * has none: a table the process writes after the vGPU has read it stays
 * as the vGPU read it.  Write tables before their first submission.
 *
 * Return: 0 on success; -ENOENT when the device does not exist,
 * -EOPNOTSUPP when the requested mode is not available for the device,
 * -ENODEV for %MVGPU_VFIO_KVM without /dev/kvm, -EPERM when the group is
 * not viable, or another negative errno.
 */
int mvgpu_vfio_open(const char *uuid_or_path, int mode, struct mvgpu_vfio **out);

/**
 * mvgpu_vfio_open_in() - open a VFIO device into another's IOMMU context
 * @uuid_or_path: as for mvgpu_vfio_open()
 * @first: an open handle; the new one uses its mode
 * @out: set to the new handle on success
 *
 * In group mode the device's IOMMU group joins @first's container, whose
 * IOMMU is set already; in cdev mode the device is bound to @first's
 * iommufd and attached to its IOAS.  Both devices then see the same DMA
 * mappings, made through either handle; each handle removes its own at
 * close.  The new handle holds its own copy of the container or iommufd
 * file descriptor.
 *
 * Return: as mvgpu_vfio_open(), -EINVAL for a NULL argument, or
 * -EOPNOTSUPP when @first has a KVM VM.
 */
int mvgpu_vfio_open_in(const char *uuid_or_path, const struct mvgpu_vfio *first,
		       struct mvgpu_vfio **out);

/**
 * mvgpu_vfio_close() - release a handle
 * @v: handle from mvgpu_vfio_open(), may be NULL
 *
 * Closes the device, removes every DMA mapping made through @v, frees the
 * guest memory allocated through @v and closes all file descriptors.
 * Regions mapped with mvgpu_vfio_mmap_region() must be unmapped by the
 * caller first.
 */
void mvgpu_vfio_close(struct mvgpu_vfio *v);

/**
 * mvgpu_vfio_device_fd() - raw VFIO device file descriptor
 * @v: handle
 *
 * For tests that issue their own (possibly malformed) ioctls.  The fd
 * stays owned by @v.
 *
 * Return: the device fd.
 */
int mvgpu_vfio_device_fd(const struct mvgpu_vfio *v);

/**
 * mvgpu_vfio_container_fd() - raw IOMMU context file descriptor
 * @v: handle
 *
 * Return: the container fd in group mode, the iommufd in cdev mode.
 */
int mvgpu_vfio_container_fd(const struct mvgpu_vfio *v);

/**
 * mvgpu_vfio_group_fd() - raw VFIO group file descriptor
 * @v: handle
 *
 * Return: the group fd in group mode, -1 in cdev mode.
 */
int mvgpu_vfio_group_fd(const struct mvgpu_vfio *v);

/**
 * mvgpu_vfio_device_info() - VFIO_DEVICE_GET_INFO
 * @v: handle
 * @info: filled with argsz, flags, num_regions, num_irqs and cap_offset
 *
 * Return: 0 or a negative errno.
 */
int mvgpu_vfio_device_info(struct mvgpu_vfio *v, struct vfio_device_info *info);

/**
 * mvgpu_vfio_region_info() - VFIO_DEVICE_GET_REGION_INFO, cached
 * @v: handle
 * @index: region index, e.g. %VFIO_PCI_BAR0_REGION_INDEX
 * @info: filled with the region's flags, size and offset
 *
 * The first successful query of a region is cached and used by the
 * read, write and mmap helpers.
 *
 * Return: 0, -EINVAL when @index is not below the device's num_regions,
 * or the ioctl's negative errno.
 */
int mvgpu_vfio_region_info(struct mvgpu_vfio *v, unsigned int index,
			   struct vfio_region_info *info);

/**
 * mvgpu_vfio_irq_info() - VFIO_DEVICE_GET_IRQ_INFO
 * @v: handle
 * @index: IRQ index, e.g. %VFIO_PCI_MSI_IRQ_INDEX
 * @info: filled with the index's flags and count
 *
 * Return: 0 or a negative errno.
 */
int mvgpu_vfio_irq_info(struct mvgpu_vfio *v, unsigned int index,
			struct vfio_irq_info *info);

/**
 * mvgpu_vfio_read() - read from a device region with a single pread()
 * @v: handle
 * @index: region index
 * @off: offset within the region
 * @buf: destination
 * @len: number of bytes
 *
 * The access must lie within the region's reported size; use the raw
 * device fd to test accesses outside of it.
 *
 * Return: 0, -EINVAL for an access outside the region, -EIO on a short
 * read, or the negative errno of pread().
 */
int mvgpu_vfio_read(struct mvgpu_vfio *v, unsigned int index, uint64_t off,
		    void *buf, size_t len);

/**
 * mvgpu_vfio_write() - write to a device region with a single pwrite()
 * @v: handle
 * @index: region index
 * @off: offset within the region
 * @buf: source
 * @len: number of bytes
 *
 * Return: 0, -EINVAL for an access outside the region, -EIO on a short
 * write, or the negative errno of pwrite().
 */
int mvgpu_vfio_write(struct mvgpu_vfio *v, unsigned int index, uint64_t off,
		     const void *buf, size_t len);

/**
 * DOC: config space and BAR accessors
 *
 * mvgpu_vfio_cfg_read{8,16,32}() and mvgpu_vfio_cfg_write{8,16,32}() access
 * the PCI config region with a single access of the given width.
 * mvgpu_vfio_bar_read{32,64}() and mvgpu_vfio_bar_write{32,64}() access
 * BAR @bar (0..5).  Values are converted from/to little endian.  All
 * return 0 or a negative errno as mvgpu_vfio_read() does.
 */
int mvgpu_vfio_cfg_read8(struct mvgpu_vfio *v, uint64_t off, uint8_t *val);
int mvgpu_vfio_cfg_read16(struct mvgpu_vfio *v, uint64_t off, uint16_t *val);
int mvgpu_vfio_cfg_read32(struct mvgpu_vfio *v, uint64_t off, uint32_t *val);
int mvgpu_vfio_cfg_write8(struct mvgpu_vfio *v, uint64_t off, uint8_t val);
int mvgpu_vfio_cfg_write16(struct mvgpu_vfio *v, uint64_t off, uint16_t val);
int mvgpu_vfio_cfg_write32(struct mvgpu_vfio *v, uint64_t off, uint32_t val);
int mvgpu_vfio_bar_read32(struct mvgpu_vfio *v, unsigned int bar, uint64_t off,
			  uint32_t *val);
int mvgpu_vfio_bar_read64(struct mvgpu_vfio *v, unsigned int bar, uint64_t off,
			  uint64_t *val);
int mvgpu_vfio_bar_write32(struct mvgpu_vfio *v, unsigned int bar, uint64_t off,
			   uint32_t val);
int mvgpu_vfio_bar_write64(struct mvgpu_vfio *v, unsigned int bar, uint64_t off,
			   uint64_t val);

/**
 * mvgpu_vfio_map_dma() - map process memory for device DMA
 * @v: handle
 * @vaddr: start of the process memory
 * @iova: IO virtual (guest physical) address to map it at
 * @size: length in bytes
 *
 * Readable and writable by the device.  VFIO_IOMMU_MAP_DMA in group mode,
 * IOMMU_IOAS_MAP with a fixed IOVA in cdev mode.  Arguments are passed to
 * the kernel unchecked.  Successful mappings are remembered and removed
 * by mvgpu_vfio_close().
 *
 * Return: 0 or the ioctl's negative errno.
 */
int mvgpu_vfio_map_dma(struct mvgpu_vfio *v, void *vaddr, uint64_t iova,
		       uint64_t size);

/**
 * mvgpu_vfio_unmap_dma() - remove DMA mappings
 * @v: handle
 * @iova: start of the IOVA range
 * @size: length of the IOVA range
 *
 * Removes every mapping that lies entirely within the range.
 *
 * Return: 0, -ENOENT when nothing was mapped in the range, or the ioctl's
 * negative errno.
 */
int mvgpu_vfio_unmap_dma(struct mvgpu_vfio *v, uint64_t iova, uint64_t size);

/**
 * mvgpu_vfio_guest_mem_alloc() - allocate and map zeroed guest memory
 * @v: handle
 * @iova: page-aligned IOVA to map the memory at
 * @size: length in bytes, rounded up to the page size
 * @vaddr: set to the process address of the memory
 *
 * Return: 0, -EINVAL for a zero @size or a misaligned @iova, -ENOMEM,
 * or the negative errno of the mapping.
 */
int mvgpu_vfio_guest_mem_alloc(struct mvgpu_vfio *v, uint64_t iova,
			       uint64_t size, void **vaddr);

/**
 * mvgpu_vfio_guest_mem_free() - unmap and free guest memory
 * @v: handle
 * @vaddr: address returned by mvgpu_vfio_guest_mem_alloc()
 *
 * The memory is freed even when removing the DMA mapping fails.
 *
 * Return: 0, -ENOENT when @vaddr was not allocated through @v, or the
 * negative errno of the DMA unmap.
 */
int mvgpu_vfio_guest_mem_free(struct mvgpu_vfio *v, void *vaddr);

/**
 * mvgpu_vfio_irq_set_eventfd() - route an IRQ index to an eventfd
 * @v: handle
 * @index: IRQ index, e.g. %VFIO_PCI_INTX_IRQ_INDEX
 * @efd: eventfd to signal, or -1 to disable the index
 *
 * Sets vector 0 with DATA_EVENTFD | ACTION_TRIGGER.  With @efd -1 the
 * whole index is disabled with DATA_NONE | ACTION_TRIGGER and count 0.
 *
 * Return: 0 or the ioctl's negative errno.
 */
int mvgpu_vfio_irq_set_eventfd(struct mvgpu_vfio *v, unsigned int index, int efd);

/**
 * mvgpu_vfio_irq_unmask() - unmask vector 0 of an IRQ index
 * @v: handle
 * @index: IRQ index
 *
 * Return: 0 or the ioctl's negative errno.
 */
int mvgpu_vfio_irq_unmask(struct mvgpu_vfio *v, unsigned int index);

/**
 * mvgpu_vfio_irq_mask() - mask vector 0 of an IRQ index
 * @v: handle
 * @index: IRQ index
 *
 * Return: 0 or the ioctl's negative errno.
 */
int mvgpu_vfio_irq_mask(struct mvgpu_vfio *v, unsigned int index);

/**
 * mvgpu_vfio_reset() - VFIO_DEVICE_RESET
 * @v: handle
 *
 * Return: 0 or the ioctl's negative errno.
 */
int mvgpu_vfio_reset(struct mvgpu_vfio *v);

/**
 * mvgpu_vfio_mmap_region() - mmap part of a device region
 * @v: handle
 * @index: region index
 * @off: page-aligned offset within the region
 * @len: length in bytes, within the region
 * @prot: PROT_READ and/or PROT_WRITE
 * @addr: set to the mapping; release it with munmap()
 *
 * Return: 0, -ENOTSUP when the region cannot be mmapped, -EINVAL for a
 * range outside the region or a misaligned @off, or the negative errno
 * of mmap().
 */
int mvgpu_vfio_mmap_region(struct mvgpu_vfio *v, unsigned int index,
			   uint64_t off, size_t len, int prot, void **addr);

/**
 * mvgpu_vfio_query_plane() - VFIO_DEVICE_QUERY_GFX_PLANE
 * @v: handle
 * @flags: VFIO_GFX_PLANE_TYPE_* (REGION or DMABUF, maybe with PROBE)
 * @plane_type: DRM_PLANE_TYPE_PRIMARY (1) or _CURSOR (2)
 * @info: filled in; drm_format 0 means no plane is shown
 *
 * Return: 0 or the ioctl's negative errno.
 */
int mvgpu_vfio_query_plane(struct mvgpu_vfio *v, uint32_t flags,
			   uint32_t plane_type,
			   struct vfio_device_gfx_plane_info *info);

/**
 * mvgpu_vfio_get_dmabuf() - VFIO_DEVICE_GET_GFX_DMABUF
 * @v: handle
 * @dmabuf_id: from mvgpu_vfio_query_plane() of type DMABUF
 *
 * Return: a dma-buf fd, or the ioctl's negative errno.
 */
int mvgpu_vfio_get_dmabuf(struct mvgpu_vfio *v, uint32_t dmabuf_id);

/**
 * DOC: migration (VFIO migration uAPI v2)
 *
 * mvgpu_vfio_mig_flags() reads VFIO_DEVICE_FEATURE_MIGRATION's flags
 * (VFIO_MIGRATION_STOP_COPY, _P2P, _PRE_COPY).
 * mvgpu_vfio_mig_set_state() moves the device to a
 * &enum vfio_device_mig_state through VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE;
 * when the arc opens a data file its fd goes to @data_fd (else -1; with
 * a NULL @data_fd it is closed).  mvgpu_vfio_mig_get_state() reads the
 * state, mvgpu_vfio_mig_data_size() the STOP_COPY size estimate, and
 * mvgpu_vfio_mig_precopy_info() VFIO_MIG_GET_PRECOPY_INFO of a PRE_COPY
 * data file.  All return 0 or the ioctl's negative errno.
 */
int mvgpu_vfio_mig_flags(struct mvgpu_vfio *v, uint64_t *flags);
int mvgpu_vfio_mig_set_state(struct mvgpu_vfio *v, uint32_t state,
			     int *data_fd);
int mvgpu_vfio_mig_get_state(struct mvgpu_vfio *v, uint32_t *state);
int mvgpu_vfio_mig_data_size(struct mvgpu_vfio *v, uint64_t *bytes);
int mvgpu_vfio_mig_precopy_info(int data_fd, uint64_t *initial,
				uint64_t *dirty);

#endif /* MVGPU_VFIO_H */
