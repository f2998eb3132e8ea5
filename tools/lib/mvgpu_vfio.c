// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu_vfio - open an mdev vGPU through the Linux VFIO userspace API.
 *
 * Group mode follows Documentation/driver-api/vfio.rst: container from
 * /dev/vfio/vfio, group /dev/vfio/N, VFIO_GROUP_GET_DEVICE_FD by device
 * name.  Cdev mode binds /dev/vfio/devices/vfioX to an iommufd and
 * attaches it to a fresh IOAS.  mdev devices are "emulated IOMMU" devices:
 * the vendor driver pins guest pages on demand through the mappings made
 * here.
 */
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "kvm_vm.h"
#include "mvgpu_vfio.h"

/* The VFIO device cdev uapi (Linux 6.6) comes with iommufd's (Linux 6.2). */
#ifdef VFIO_DEVICE_BIND_IOMMUFD
#include <linux/iommufd.h>
#define MVGPU_VFIO_HAVE_CDEV 1
#else
#define MVGPU_VFIO_HAVE_CDEV 0
#endif

#define SYSFS_MDEV_DEVICES	"/sys/bus/mdev/devices"
#define VFIO_CONTAINER_PATH	"/dev/vfio/vfio"
#define VFIO_CDEV_DIR		"/dev/vfio/devices"
#define IOMMUFD_PATH		"/dev/iommu"

/* Sanity bound on num_regions reported by the device. */
#define MVGPU_VFIO_MAX_REGIONS	4096

struct mvgpu_vfio_region {
	bool valid;
	struct vfio_region_info info;
};

/* One IOVA range mapped through the handle, possibly backed by our memory. */
struct mvgpu_vfio_dma {
	struct mvgpu_vfio_dma *next;
	uint64_t iova;
	uint64_t size;
	void *mem;		/* guest memory owned by the handle, or NULL */
	int slot;		/* its KVM memory slot, or -1 */
	bool mapped;
};

struct mvgpu_vfio {
	int mode;
	int device_fd;
	int group_fd;		/* -1 in cdev mode */
	int container_fd;	/* container, or iommufd in cdev mode */
	uint32_t ioas_id;	/* cdev mode only */
	uint64_t page_size;
	unsigned int num_regions;
	struct mvgpu_vfio_region *regions;
	struct mvgpu_vfio_dma *dmas;
	struct kvm_vm kvm;	/* MVGPU_VFIO_KVM's VM; vm_fd -1 otherwise */
	char name[NAME_MAX + 1];
};

static int neg_errno(void)
{
	return errno ? -errno : -EIO;
}

/* "@dir/@name" into a PATH_MAX buffer; -ENAMETOOLONG instead of truncating. */
static int path_join(char *buf, const char *dir, const char *name)
{
	int n = snprintf(buf, PATH_MAX, "%s/%s", dir, name);

	if (n < 0)
		return -EINVAL;
	return n < PATH_MAX ? 0 : -ENAMETOOLONG;
}

static int sysfs_dir_exists(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return neg_errno();
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

/*
 * Turn a bare device name or a sysfs path into the device name (the last
 * path component, which VFIO_GROUP_GET_DEVICE_FD expects) and its sysfs
 * directory.
 */
static int resolve_device(const char *arg, char *name, char *sysdir)
{
	char real[PATH_MAX];
	const char *base;
	size_t len;
	int ret;

	if (!arg || !*arg)
		return -EINVAL;

	if (strchr(arg, '/')) {
		if (!realpath(arg, real))
			return neg_errno();
		base = strrchr(real, '/') + 1;
		len = strlen(base);
		if (!len)
			return -EINVAL;
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(name, base, len + 1);
		memcpy(sysdir, real, strlen(real) + 1);
		return sysfs_dir_exists(sysdir);
	}

	len = strlen(arg);
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	if (!strcmp(arg, ".") || !strcmp(arg, ".."))
		return -EINVAL;
	memcpy(name, arg, len + 1);
	ret = path_join(sysdir, SYSFS_MDEV_DEVICES, arg);
	if (ret)
		return ret;
	return sysfs_dir_exists(sysdir);
}

static int open_rdwr(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	return fd < 0 ? neg_errno() : fd;
}

/* /sys/.../<dev>/iommu_group -> .../iommu_groups/N gives /dev/vfio/N. */
static int group_dev_path(const char *sysdir, char *path)
{
	char link[PATH_MAX], target[PATH_MAX];
	const char *num;
	ssize_t n;
	int ret;

	ret = path_join(link, sysdir, "iommu_group");
	if (ret)
		return ret;
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return errno == ENOENT ? -ENODEV : neg_errno();
	target[n] = '\0';

	num = strrchr(target, '/');
	num = num ? num + 1 : target;
	if (!*num || strspn(num, "0123456789") != strlen(num))
		return -ENODEV;
	return path_join(path, "/dev/vfio", num);
}

static int open_container(void)
{
	int fd, ret;

	fd = open_rdwr(VFIO_CONTAINER_PATH);
	if (fd < 0)
		return fd;

	if (ioctl(fd, VFIO_GET_API_VERSION) != VFIO_API_VERSION) {
		ret = -EPROTO;
		goto err_close;
	}
	return fd;

err_close:
	close(fd);
	return ret;
}

static int pick_iommu_type(int container_fd)
{
	if (ioctl(container_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0)
		return VFIO_TYPE1v2_IOMMU;
	if (ioctl(container_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) > 0)
		return VFIO_TYPE1_IOMMU;
	return -EOPNOTSUPP;
}

/* Open the device's group, which must be viable. */
static int open_group(struct mvgpu_vfio *v, const char *sysdir)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[PATH_MAX];
	int ret;

	ret = group_dev_path(sysdir, path);
	if (ret)
		return ret;

	v->group_fd = open_rdwr(path);
	if (v->group_fd < 0)
		return v->group_fd;

	if (ioctl(v->group_fd, VFIO_GROUP_GET_STATUS, &status)) {
		ret = neg_errno();
		goto err_group;
	}
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		ret = -EPERM;
		goto err_group;
	}
	return 0;

err_group:
	close(v->group_fd);
	v->group_fd = -1;
	return ret;
}

/*
 * Put the open group into container @v->container_fd, set its IOMMU to
 * @type unless it is 0 (the container has one already), and get the
 * device.
 */
static int group_attach(struct mvgpu_vfio *v, int type)
{
	if (ioctl(v->group_fd, VFIO_GROUP_SET_CONTAINER, &v->container_fd) ||
	    (type && ioctl(v->container_fd, VFIO_SET_IOMMU, type)))
		return neg_errno();
	v->device_fd = ioctl(v->group_fd, VFIO_GROUP_GET_DEVICE_FD, v->name);
	return v->device_fd < 0 ? neg_errno() : 0;
}

static int open_group_mode(struct mvgpu_vfio *v, const char *sysdir,
			   const struct mvgpu_vfio *first)
{
	int type = 0, ret;

	ret = open_group(v, sysdir);
	if (ret)
		return ret;
	/* as QEMU does for a KVM guest: the VM first, then the device */
	if (v->kvm.vm_fd >= 0) {
		ret = kvm_vm_add_vfio_file(&v->kvm, v->group_fd);
		if (ret)
			goto err_group;
	}

	if (first)
		v->container_fd = fcntl(first->container_fd, F_DUPFD_CLOEXEC, 0);
	else
		v->container_fd = open_container();
	if (v->container_fd < 0) {
		ret = first ? neg_errno() : v->container_fd;
		goto err_group;
	}
	if (!first) {
		type = pick_iommu_type(v->container_fd);
		if (type < 0) {
			ret = type;
			goto err_container;
		}
	}
	ret = group_attach(v, type);
	if (ret)
		goto err_container;
	return 0;

err_container:
	close(v->container_fd);
	v->container_fd = -1;
err_group:
	close(v->group_fd);
	v->group_fd = -1;
	return ret;
}

static int type1_map(struct mvgpu_vfio *v, void *vaddr, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)vaddr,
		.iova = iova,
		.size = size,
	};

	return ioctl(v->container_fd, VFIO_IOMMU_MAP_DMA, &map) ? neg_errno() : 0;
}

static int type1_unmap(struct mvgpu_vfio *v, uint64_t iova, uint64_t size,
		       uint64_t *unmapped)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.iova = iova,
		.size = size,
	};

	if (ioctl(v->container_fd, VFIO_IOMMU_UNMAP_DMA, &unmap))
		return neg_errno();
	*unmapped = unmap.size;
	return 0;
}

#if MVGPU_VFIO_HAVE_CDEV
/* /sys/.../<dev>/vfio-dev/vfioX gives /dev/vfio/devices/vfioX. */
static int cdev_dev_path(const char *sysdir, char *path)
{
	char dir[PATH_MAX];
	struct dirent *de;
	const char *num;
	int ret;
	DIR *d;

	ret = path_join(dir, sysdir, "vfio-dev");
	if (ret)
		return ret;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? -EOPNOTSUPP : neg_errno();

	ret = -EOPNOTSUPP;
	while ((de = readdir(d))) {
		num = de->d_name + 4;
		if (strncmp(de->d_name, "vfio", 4) || !*num ||
		    strspn(num, "0123456789") != strlen(num))
			continue;
		ret = path_join(path, VFIO_CDEV_DIR, de->d_name);
		break;
	}
	closedir(d);
	return ret;
}

/* Bind to the iommufd and attach to IOAS @ioas_id, or a new one if 0. */
static int iommufd_setup(struct mvgpu_vfio *v, uint32_t ioas_id)
{
	struct vfio_device_bind_iommufd bind = {
		.argsz = sizeof(bind),
		.iommufd = v->container_fd,
	};
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach) };

	if (ioctl(v->device_fd, VFIO_DEVICE_BIND_IOMMUFD, &bind))
		return neg_errno();
	if (!ioas_id) {
		if (ioctl(v->container_fd, IOMMU_IOAS_ALLOC, &alloc))
			return neg_errno();
		ioas_id = alloc.out_ioas_id;
	}

	attach.pt_id = ioas_id;
	if (ioctl(v->device_fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach))
		return neg_errno();
	v->ioas_id = ioas_id;
	return 0;
}

static int open_cdev_mode(struct mvgpu_vfio *v, const char *sysdir,
			  const struct mvgpu_vfio *first)
{
	char path[PATH_MAX];
	int ret;

	ret = cdev_dev_path(sysdir, path);
	if (ret)
		return ret;

	if (first)
		v->container_fd = fcntl(first->container_fd, F_DUPFD_CLOEXEC, 0);
	else
		v->container_fd = open_rdwr(IOMMUFD_PATH);
	if (v->container_fd < 0)
		return first ? neg_errno() : v->container_fd;

	v->device_fd = open_rdwr(path);
	if (v->device_fd < 0) {
		ret = v->device_fd;
		goto err_iommufd;
	}

	ret = iommufd_setup(v, first ? first->ioas_id : 0);
	if (ret)
		goto err_device;
	return 0;

err_device:
	close(v->device_fd);
	v->device_fd = -1;
err_iommufd:
	close(v->container_fd);
	v->container_fd = -1;
	return ret;
}

static int ioas_map(struct mvgpu_vfio *v, void *vaddr, uint64_t iova, uint64_t size)
{
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = v->ioas_id,
		.user_va = (uintptr_t)vaddr,
		.length = size,
		.iova = iova,
	};

	return ioctl(v->container_fd, IOMMU_IOAS_MAP, &map) ? neg_errno() : 0;
}

static int ioas_unmap(struct mvgpu_vfio *v, uint64_t iova, uint64_t size,
		      uint64_t *unmapped)
{
	struct iommu_ioas_unmap unmap = {
		.size = sizeof(unmap),
		.ioas_id = v->ioas_id,
		.iova = iova,
		.length = size,
	};

	if (ioctl(v->container_fd, IOMMU_IOAS_UNMAP, &unmap))
		return neg_errno();
	*unmapped = unmap.length;
	return 0;
}
#else
/* Built against pre-6.6 uapi headers: no VFIO device cdev support. */
static int open_cdev_mode(struct mvgpu_vfio *v, const char *sysdir,
			  const struct mvgpu_vfio *first)
{
	(void)v;
	(void)sysdir;
	(void)first;
	return -EOPNOTSUPP;
}

static int ioas_map(struct mvgpu_vfio *v, void *vaddr, uint64_t iova, uint64_t size)
{
	(void)v;
	(void)vaddr;
	(void)iova;
	(void)size;
	return -EOPNOTSUPP;
}

static int ioas_unmap(struct mvgpu_vfio *v, uint64_t iova, uint64_t size,
		      uint64_t *unmapped)
{
	(void)v;
	(void)iova;
	(void)size;
	(void)unmapped;
	return -EOPNOTSUPP;
}
#endif /* MVGPU_VFIO_HAVE_CDEV */

static int dma_map_raw(struct mvgpu_vfio *v, void *vaddr, uint64_t iova, uint64_t size)
{
	if (v->mode == MVGPU_VFIO_CDEV)
		return ioas_map(v, vaddr, iova, size);
	return type1_map(v, vaddr, iova, size);
}

static int dma_unmap_raw(struct mvgpu_vfio *v, uint64_t iova, uint64_t size,
			 uint64_t *unmapped)
{
	if (v->mode == MVGPU_VFIO_CDEV)
		return ioas_unmap(v, iova, size, unmapped);
	return type1_unmap(v, iova, size, unmapped);
}

static int device_info_raw(struct mvgpu_vfio *v, struct vfio_device_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	return ioctl(v->device_fd, VFIO_DEVICE_GET_INFO, info) ? neg_errno() : 0;
}

static int init_regions(struct mvgpu_vfio *v)
{
	struct vfio_device_info info;
	int ret;

	ret = device_info_raw(v, &info);
	if (ret)
		return ret;
	if (info.num_regions > MVGPU_VFIO_MAX_REGIONS)
		return -EPROTO;

	v->num_regions = info.num_regions;
	v->regions = calloc(v->num_regions ? v->num_regions : 1, sizeof(*v->regions));
	return v->regions ? 0 : -ENOMEM;
}

/* Open a device, in a new IOMMU context or in @first's (NULL: new). */
static int open_device(const char *uuid_or_path, int mode,
		       const struct mvgpu_vfio *first, struct mvgpu_vfio **out)
{
	char sysdir[PATH_MAX];
	struct mvgpu_vfio *v;
	long page_size;
	int ret;

	page_size = sysconf(_SC_PAGESIZE);
	if (page_size <= 0)
		return -EINVAL;

	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->mode = mode;
	v->device_fd = -1;
	v->group_fd = -1;
	v->container_fd = -1;
	v->kvm.vm_fd = -1;
	v->kvm.vfio_fd = -1;
	v->page_size = page_size;

	ret = resolve_device(uuid_or_path, v->name, sysdir);
	if (ret)
		goto err_free;
	if (mode == MVGPU_VFIO_KVM) {
		v->mode = MVGPU_VFIO_GROUP;
		ret = kvm_vm_create(&v->kvm);
		if (ret)
			goto err_free;
	}

	if (mode == MVGPU_VFIO_CDEV)
		ret = open_cdev_mode(v, sysdir, first);
	else
		ret = open_group_mode(v, sysdir, first);
	if (ret)
		goto err_free;

	ret = init_regions(v);
	if (ret)
		goto err_close;

	*out = v;
	return 0;

err_close:
	mvgpu_vfio_close(v);
	return ret;
err_free:
	kvm_vm_destroy(&v->kvm);
	free(v);
	return ret;
}

int mvgpu_vfio_open(const char *uuid_or_path, int mode, struct mvgpu_vfio **out)
{
	if (!out || (mode != MVGPU_VFIO_GROUP && mode != MVGPU_VFIO_CDEV &&
		     mode != MVGPU_VFIO_KVM))
		return -EINVAL;
	return open_device(uuid_or_path, mode, NULL, out);
}

int mvgpu_vfio_open_in(const char *uuid_or_path, const struct mvgpu_vfio *first,
		       struct mvgpu_vfio **out)
{
	if (!out || !first)
		return -EINVAL;
	if (first->kvm.vm_fd >= 0)
		return -EOPNOTSUPP;
	return open_device(uuid_or_path, first->mode, first, out);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void mvgpu_vfio_close(struct mvgpu_vfio *v)
{
	struct mvgpu_vfio_dma *d, *next;
	uint64_t unmapped;

	if (!v)
		return;

	/* Quiesce the device first so it drops its pins before the unmaps. */
	close_fd(&v->device_fd);

	for (d = v->dmas; d; d = next) {
		next = d->next;
		if (d->mapped)
			dma_unmap_raw(v, d->iova, d->size, &unmapped);
		kvm_vm_remove_memory(&v->kvm, d->slot);
		if (d->mem)
			munmap(d->mem, d->size);
		free(d);
	}
	v->dmas = NULL;

	close_fd(&v->group_fd);
	close_fd(&v->container_fd);
	kvm_vm_destroy(&v->kvm);
	free(v->regions);
	free(v);
}

int mvgpu_vfio_device_fd(const struct mvgpu_vfio *v)
{
	return v->device_fd;
}

int mvgpu_vfio_container_fd(const struct mvgpu_vfio *v)
{
	return v->container_fd;
}

int mvgpu_vfio_group_fd(const struct mvgpu_vfio *v)
{
	return v->group_fd;
}

int mvgpu_vfio_device_info(struct mvgpu_vfio *v, struct vfio_device_info *info)
{
	struct vfio_device_info tmp;
	int ret;

	ret = device_info_raw(v, &tmp);
	if (ret)
		return ret;

	/*
	 * Copy field by field: callers built against pre-6.2 headers have
	 * a struct without the trailing pad.
	 */
	info->argsz = tmp.argsz;
	info->flags = tmp.flags;
	info->num_regions = tmp.num_regions;
	info->num_irqs = tmp.num_irqs;
	info->cap_offset = tmp.cap_offset;
	return 0;
}

static int region_get(struct mvgpu_vfio *v, unsigned int index,
		      const struct vfio_region_info **info)
{
	struct mvgpu_vfio_region *r;

	if (index >= v->num_regions)
		return -EINVAL;

	r = &v->regions[index];
	if (!r->valid) {
		memset(&r->info, 0, sizeof(r->info));
		r->info.argsz = sizeof(r->info);
		r->info.index = index;
		if (ioctl(v->device_fd, VFIO_DEVICE_GET_REGION_INFO, &r->info))
			return neg_errno();
		r->valid = true;
	}
	*info = &r->info;
	return 0;
}

int mvgpu_vfio_region_info(struct mvgpu_vfio *v, unsigned int index,
			   struct vfio_region_info *info)
{
	const struct vfio_region_info *r;
	int ret;

	ret = region_get(v, index, &r);
	if (ret)
		return ret;
	*info = *r;
	return 0;
}

int mvgpu_vfio_irq_info(struct mvgpu_vfio *v, unsigned int index,
			struct vfio_irq_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(v->device_fd, VFIO_DEVICE_GET_IRQ_INFO, info) ? neg_errno() : 0;
}

/* Look up region @index and turn [@off, @off + @len) into a device fd offset. */
static int region_access(struct mvgpu_vfio *v, unsigned int index, uint64_t off,
			 uint64_t len, off_t *pos)
{
	const struct vfio_region_info *r;
	int ret;

	ret = region_get(v, index, &r);
	if (ret)
		return ret;
	if (len > r->size || off > r->size - len)
		return -EINVAL;
	if (r->offset > INT64_MAX || off > INT64_MAX - r->offset)
		return -EINVAL;
	*pos = r->offset + off;
	return 0;
}

int mvgpu_vfio_read(struct mvgpu_vfio *v, unsigned int index, uint64_t off,
		    void *buf, size_t len)
{
	ssize_t n;
	off_t pos;
	int ret;

	ret = region_access(v, index, off, len, &pos);
	if (ret)
		return ret;

	n = pread(v->device_fd, buf, len, pos);
	if (n < 0)
		return neg_errno();
	return (size_t)n == len ? 0 : -EIO;
}

int mvgpu_vfio_write(struct mvgpu_vfio *v, unsigned int index, uint64_t off,
		     const void *buf, size_t len)
{
	ssize_t n;
	off_t pos;
	int ret;

	ret = region_access(v, index, off, len, &pos);
	if (ret)
		return ret;

	n = pwrite(v->device_fd, buf, len, pos);
	if (n < 0)
		return neg_errno();
	return (size_t)n == len ? 0 : -EIO;
}

int mvgpu_vfio_cfg_read8(struct mvgpu_vfio *v, uint64_t off, uint8_t *val)
{
	return mvgpu_vfio_read(v, VFIO_PCI_CONFIG_REGION_INDEX, off, val, sizeof(*val));
}

int mvgpu_vfio_cfg_read16(struct mvgpu_vfio *v, uint64_t off, uint16_t *val)
{
	uint16_t le;
	int ret;

	ret = mvgpu_vfio_read(v, VFIO_PCI_CONFIG_REGION_INDEX, off, &le, sizeof(le));
	if (!ret)
		*val = le16toh(le);
	return ret;
}

int mvgpu_vfio_cfg_read32(struct mvgpu_vfio *v, uint64_t off, uint32_t *val)
{
	uint32_t le;
	int ret;

	ret = mvgpu_vfio_read(v, VFIO_PCI_CONFIG_REGION_INDEX, off, &le, sizeof(le));
	if (!ret)
		*val = le32toh(le);
	return ret;
}

int mvgpu_vfio_cfg_write8(struct mvgpu_vfio *v, uint64_t off, uint8_t val)
{
	return mvgpu_vfio_write(v, VFIO_PCI_CONFIG_REGION_INDEX, off, &val, sizeof(val));
}

int mvgpu_vfio_cfg_write16(struct mvgpu_vfio *v, uint64_t off, uint16_t val)
{
	uint16_t le = htole16(val);

	return mvgpu_vfio_write(v, VFIO_PCI_CONFIG_REGION_INDEX, off, &le, sizeof(le));
}

int mvgpu_vfio_cfg_write32(struct mvgpu_vfio *v, uint64_t off, uint32_t val)
{
	uint32_t le = htole32(val);

	return mvgpu_vfio_write(v, VFIO_PCI_CONFIG_REGION_INDEX, off, &le, sizeof(le));
}

static int bar_region(unsigned int bar, unsigned int *index)
{
	if (bar > VFIO_PCI_BAR5_REGION_INDEX - VFIO_PCI_BAR0_REGION_INDEX)
		return -EINVAL;
	*index = VFIO_PCI_BAR0_REGION_INDEX + bar;
	return 0;
}

int mvgpu_vfio_bar_read32(struct mvgpu_vfio *v, unsigned int bar, uint64_t off,
			  uint32_t *val)
{
	unsigned int index;
	uint32_t le;
	int ret;

	ret = bar_region(bar, &index);
	if (ret)
		return ret;
	ret = mvgpu_vfio_read(v, index, off, &le, sizeof(le));
	if (!ret)
		*val = le32toh(le);
	return ret;
}

int mvgpu_vfio_bar_read64(struct mvgpu_vfio *v, unsigned int bar, uint64_t off,
			  uint64_t *val)
{
	unsigned int index;
	uint64_t le;
	int ret;

	ret = bar_region(bar, &index);
	if (ret)
		return ret;
	ret = mvgpu_vfio_read(v, index, off, &le, sizeof(le));
	if (!ret)
		*val = le64toh(le);
	return ret;
}

int mvgpu_vfio_bar_write32(struct mvgpu_vfio *v, unsigned int bar, uint64_t off,
			   uint32_t val)
{
	uint32_t le = htole32(val);
	unsigned int index;
	int ret;

	ret = bar_region(bar, &index);
	if (ret)
		return ret;
	return mvgpu_vfio_write(v, index, off, &le, sizeof(le));
}

int mvgpu_vfio_bar_write64(struct mvgpu_vfio *v, unsigned int bar, uint64_t off,
			   uint64_t val)
{
	uint64_t le = htole64(val);
	unsigned int index;
	int ret;

	ret = bar_region(bar, &index);
	if (ret)
		return ret;
	return mvgpu_vfio_write(v, index, off, &le, sizeof(le));
}

static struct mvgpu_vfio_dma *dma_track(struct mvgpu_vfio *v, uint64_t iova,
					uint64_t size, void *mem)
{
	struct mvgpu_vfio_dma *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->iova = iova;
	d->size = size;
	d->mem = mem;
	d->slot = -1;
	d->mapped = true;
	d->next = v->dmas;
	v->dmas = d;
	return d;
}

static void dma_untrack(struct mvgpu_vfio *v, struct mvgpu_vfio_dma *victim)
{
	struct mvgpu_vfio_dma **p;

	for (p = &v->dmas; *p; p = &(*p)->next) {
		if (*p == victim) {
			*p = victim->next;
			free(victim);
			return;
		}
	}
}

int mvgpu_vfio_map_dma(struct mvgpu_vfio *v, void *vaddr, uint64_t iova,
		       uint64_t size)
{
	struct mvgpu_vfio_dma *d;
	int ret;

	d = dma_track(v, iova, size, NULL);
	if (!d)
		return -ENOMEM;

	ret = dma_map_raw(v, vaddr, iova, size);
	if (ret)
		dma_untrack(v, d);
	return ret;
}

/* Forget the mappings that lie entirely within [@iova, @iova + @size). */
static void dma_forget_range(struct mvgpu_vfio *v, uint64_t iova, uint64_t size)
{
	struct mvgpu_vfio_dma **p = &v->dmas;
	uint64_t last = iova + size - 1;
	struct mvgpu_vfio_dma *d;

	while ((d = *p)) {
		if (!d->mapped || !d->size || d->iova < iova ||
		    d->iova + d->size - 1 > last) {
			p = &d->next;
			continue;
		}
		if (d->mem) {
			/* Guest memory stays until mvgpu_vfio_guest_mem_free(). */
			d->mapped = false;
			p = &d->next;
			continue;
		}
		*p = d->next;
		free(d);
	}
}

int mvgpu_vfio_unmap_dma(struct mvgpu_vfio *v, uint64_t iova, uint64_t size)
{
	uint64_t unmapped = 0;
	int ret;

	ret = dma_unmap_raw(v, iova, size, &unmapped);
	if (ret)
		return ret;
	if (!unmapped)
		return -ENOENT;
	if (size)
		dma_forget_range(v, iova, size);
	return 0;
}

int mvgpu_vfio_guest_mem_alloc(struct mvgpu_vfio *v, uint64_t iova,
			       uint64_t size, void **vaddr)
{
	uint64_t mask = v->page_size - 1, unmapped;
	struct mvgpu_vfio_dma *d;
	void *mem;
	int ret;

	if (!size || size > SIZE_MAX - mask || (iova & mask))
		return -EINVAL;
	size = (size + mask) & ~mask;

	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return neg_errno();

	d = dma_track(v, iova, size, mem);
	if (!d) {
		ret = -ENOMEM;
		goto err_munmap;
	}

	ret = dma_map_raw(v, mem, iova, size);
	if (ret)
		goto err_untrack;
	if (v->kvm.vm_fd >= 0) {
		d->slot = kvm_vm_add_memory(&v->kvm, iova, size, mem);
		if (d->slot < 0) {
			ret = d->slot;
			goto err_unmap;
		}
	}

	*vaddr = mem;
	return 0;

err_unmap:
	dma_unmap_raw(v, iova, size, &unmapped);
err_untrack:
	dma_untrack(v, d);
err_munmap:
	munmap(mem, size);
	return ret;
}

int mvgpu_vfio_guest_mem_free(struct mvgpu_vfio *v, void *vaddr)
{
	struct mvgpu_vfio_dma *d;
	uint64_t unmapped;
	int ret = 0;

	for (d = v->dmas; d; d = d->next)
		if (vaddr && d->mem == vaddr)
			break;
	if (!d)
		return -ENOENT;

	if (d->mapped)
		ret = dma_unmap_raw(v, d->iova, d->size, &unmapped);
	kvm_vm_remove_memory(&v->kvm, d->slot);
	munmap(d->mem, d->size);
	dma_untrack(v, d);
	return ret;
}

static int irq_set(struct mvgpu_vfio *v, unsigned int index, uint32_t flags,
		   uint32_t count, const int32_t *efd)
{
	union {
		struct vfio_irq_set set;
		uint8_t buf[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
	} u;

	memset(&u, 0, sizeof(u));
	u.set.argsz = sizeof(u.set);
	u.set.flags = flags;
	u.set.index = index;
	u.set.start = 0;
	u.set.count = count;
	if (efd) {
		memcpy(u.set.data, efd, sizeof(*efd));
		u.set.argsz += sizeof(*efd);
	}
	return ioctl(v->device_fd, VFIO_DEVICE_SET_IRQS, &u.set) ? neg_errno() : 0;
}

int mvgpu_vfio_irq_set_eventfd(struct mvgpu_vfio *v, unsigned int index, int efd)
{
	int32_t fd = efd;

	if (efd < 0)
		return irq_set(v, index, VFIO_IRQ_SET_DATA_NONE |
			       VFIO_IRQ_SET_ACTION_TRIGGER, 0, NULL);
	return irq_set(v, index, VFIO_IRQ_SET_DATA_EVENTFD |
		       VFIO_IRQ_SET_ACTION_TRIGGER, 1, &fd);
}

int mvgpu_vfio_irq_unmask(struct mvgpu_vfio *v, unsigned int index)
{
	return irq_set(v, index, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
		       1, NULL);
}

int mvgpu_vfio_irq_mask(struct mvgpu_vfio *v, unsigned int index)
{
	return irq_set(v, index, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK,
		       1, NULL);
}

int mvgpu_vfio_reset(struct mvgpu_vfio *v)
{
	return ioctl(v->device_fd, VFIO_DEVICE_RESET) ? neg_errno() : 0;
}

/* VFIO_DEVICE_FEATURE with a payload of @len bytes, GET or SET. */
static int vfio_feature(struct mvgpu_vfio *v, uint32_t feature, uint32_t dir,
			void *data, size_t len)
{
	uint64_t buf[(sizeof(struct vfio_device_feature) + 64) / 8];
	struct vfio_device_feature *f = (void *)buf;

	if (len > 64)
		return -EINVAL;
	memset(buf, 0, sizeof(buf));
	f->argsz = sizeof(*f) + len;
	f->flags = dir | feature;
	memcpy(f->data, data, len);
	if (ioctl(v->device_fd, VFIO_DEVICE_FEATURE, f))
		return neg_errno();
	memcpy(data, f->data, len);
	return 0;
}

int mvgpu_vfio_mig_flags(struct mvgpu_vfio *v, uint64_t *flags)
{
	struct vfio_device_feature_migration m = { 0 };
	int ret;

	ret = vfio_feature(v, VFIO_DEVICE_FEATURE_MIGRATION,
			   VFIO_DEVICE_FEATURE_GET, &m, sizeof(m));
	*flags = ret ? 0 : m.flags;
	return ret;
}

int mvgpu_vfio_mig_set_state(struct mvgpu_vfio *v, uint32_t state,
			     int *data_fd)
{
	struct vfio_device_feature_mig_state m = { .device_state = state,
						   .data_fd = -1 };
	int ret;

	ret = vfio_feature(v, VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
			   VFIO_DEVICE_FEATURE_SET, &m, sizeof(m));
	if (data_fd)
		*data_fd = ret ? -1 : m.data_fd;
	else if (!ret && m.data_fd >= 0)
		close(m.data_fd);
	return ret;
}

int mvgpu_vfio_mig_get_state(struct mvgpu_vfio *v, uint32_t *state)
{
	struct vfio_device_feature_mig_state m = { 0 };
	int ret;

	ret = vfio_feature(v, VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
			   VFIO_DEVICE_FEATURE_GET, &m, sizeof(m));
	*state = ret ? VFIO_DEVICE_STATE_ERROR : m.device_state;
	return ret;
}

int mvgpu_vfio_mig_data_size(struct mvgpu_vfio *v, uint64_t *bytes)
{
	struct vfio_device_feature_mig_data_size m = { 0 };
	int ret;

	ret = vfio_feature(v, VFIO_DEVICE_FEATURE_MIG_DATA_SIZE,
			   VFIO_DEVICE_FEATURE_GET, &m, sizeof(m));
	*bytes = ret ? 0 : m.stop_copy_length;
	return ret;
}

int mvgpu_vfio_mig_precopy_info(int data_fd, uint64_t *initial,
				uint64_t *dirty)
{
	struct vfio_precopy_info info = { .argsz = sizeof(info) };

	if (ioctl(data_fd, VFIO_MIG_GET_PRECOPY_INFO, &info))
		return neg_errno();
	*initial = info.initial_bytes;
	*dirty = info.dirty_bytes;
	return 0;
}

int mvgpu_vfio_query_plane(struct mvgpu_vfio *v, uint32_t flags,
			   uint32_t plane_type,
			   struct vfio_device_gfx_plane_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->flags = flags;
	info->drm_plane_type = plane_type;
	return ioctl(v->device_fd, VFIO_DEVICE_QUERY_GFX_PLANE, info) ?
	       neg_errno() : 0;
}

int mvgpu_vfio_get_dmabuf(struct mvgpu_vfio *v, uint32_t dmabuf_id)
{
	int fd = ioctl(v->device_fd, VFIO_DEVICE_GET_GFX_DMABUF, &dmabuf_id);

	return fd < 0 ? neg_errno() : fd;
}

int mvgpu_vfio_mmap_region(struct mvgpu_vfio *v, unsigned int index,
			   uint64_t off, size_t len, int prot, void **addr)
{
	const struct vfio_region_info *r;
	void *p;
	off_t pos;
	int ret;

	ret = region_get(v, index, &r);
	if (ret)
		return ret;
	if (!(r->flags & VFIO_REGION_INFO_FLAG_MMAP))
		return -ENOTSUP;
	if (!len || (off & (v->page_size - 1)))
		return -EINVAL;

	ret = region_access(v, index, off, len, &pos);
	if (ret)
		return ret;

	p = mmap(NULL, len, prot, MAP_SHARED, v->device_fd, pos);
	if (p == MAP_FAILED)
		return neg_errno();
	*addr = p;
	return 0;
}
