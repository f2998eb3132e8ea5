/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for in-VM tests: sysfs files and vGPU creation.
 */
#ifndef _MVGPU_VM_UTIL_H
#define _MVGPU_VM_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PGPU_DIR	"/sys/class/mdev_bus/mvgpu0"
#define TYPES_DIR	PGPU_DIR "/mdev_supported_types"
#define MDEV_DIR	"/sys/bus/mdev/devices"

static const char *const vgpu_types[] = {
	"mvgpu-V1_64", "mvgpu-V1_32", "mvgpu-V1_16", "mvgpu-V1_8",
	"mvgpu-V1_4", "mvgpu-V1_2", "mvgpu-V1_1",
};

/* Read a sysfs file into @buf; returns bytes read or -errno. */
static inline int sysfs_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = -errno;
	else
		buf[n] = 0;
	close(fd);
	return n;
}

/* Write @val to a sysfs file in one write(); returns 0 or -errno. */
static inline int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

/* Write the number @val to a sysfs file; returns 0 or -errno. */
static inline int sysfs_write_long(const char *path, long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", val);
	return sysfs_write(path, buf);
}

static inline long sysfs_read_long(const char *path)
{
	char buf[64];

	if (sysfs_read(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtol(buf, NULL, 0);
}

/* The pid of the kernel thread named @name, 0 if none. */
static inline pid_t kthread_pid(const char *name)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	char path[64], comm[32];
	pid_t pid = 0;

	if (!d)
		return 0;
	while (!pid && (de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		if (sysfs_read(path, comm, sizeof(comm)) > 0 &&
		    !strncmp(comm, name, strlen(name)) &&
		    comm[strlen(name)] == '\n')
			pid = atoi(de->d_name);
	}
	closedir(d);
	return pid;
}

static inline long type_available(const char *type)
{
	char path[256];

	snprintf(path, sizeof(path), TYPES_DIR "/%s/available_instances",
		 type);
	return sysfs_read_long(path);
}

/* A fresh random UUID string; @out holds at least 37 bytes. */
static inline void make_uuid(char *out)
{
	unsigned char b[16];
	int fd = open("/dev/urandom", O_RDONLY);

	if (fd < 0 || read(fd, b, sizeof(b)) != sizeof(b))
		memset(b, 0x5a, sizeof(b));
	if (fd >= 0)
		close(fd);
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	sprintf(out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		b[10], b[11], b[12], b[13], b[14], b[15]);
}

static inline int vgpu_create(const char *type, const char *uuid)
{
	char path[256];

	snprintf(path, sizeof(path), TYPES_DIR "/%s/create", type);
	return sysfs_write(path, uuid);
}

static inline int vgpu_remove(const char *uuid)
{
	char path[256];

	snprintf(path, sizeof(path), MDEV_DIR "/%s/remove", uuid);
	return sysfs_write(path, "1");
}

static inline long vgpu_attr(const char *uuid, const char *attr)
{
	char path[256];

	snprintf(path, sizeof(path), MDEV_DIR "/%s/mvgpu/%s", uuid, attr);
	return sysfs_read_long(path);
}

static inline int vgpu_attr_write(const char *uuid, const char *attr,
				  const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), MDEV_DIR "/%s/mvgpu/%s", uuid, attr);
	return sysfs_write(path, val);
}

#define STAGES_DIR "/sys/kernel/debug/mvgpu_stages"

/* Switch the kernel's stage stamps of vGPU @uuid "on" or "off" (stages.c). */
static inline int vgpu_stages_ctl(const char *uuid, const char *cmd)
{
	char path[256];

	snprintf(path, sizeof(path), STAGES_DIR "/%s", uuid);
	return sysfs_write(path, cmd);
}

/*
 * Stage @stage from @f, the stage figures as debugfs prints them (one
 * stage a line: name, samples, p50, p99, max): @v gets its samples and
 * p50, p99 and max in ns.  0, or -1 when it is missing or has none.
 */
static inline int vgpu_stage_parse(FILE *f, const char *stage,
				   unsigned long long v[4])
{
	unsigned long long x[4];
	char line[160], name[32];

	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%31s %llu %llu %llu %llu", name, &x[0], &x[1],
			   &x[2], &x[3]) == 5 && !strcmp(name, stage)) {
			if (!x[0])
				return -1;
			memcpy(v, x, sizeof(x));
			return 0;
		}
	return -1;
}

/* Stage @stage of vGPU @uuid (debugfs mvgpu_stages), as vgpu_stage_parse(). */
static inline int vgpu_stage(const char *uuid, const char *stage,
			     unsigned long long v[4])
{
	char path[256];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), STAGES_DIR "/%s", uuid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ret = vgpu_stage_parse(f, stage, v);
	fclose(f);
	return ret;
}

/* KiB of vmalloc areas allocated by mvgpu.ko. */
static inline long mvgpu_vmalloc_kib(void)
{
	FILE *f = fopen("/proc/vmallocinfo", "r");
	char line[512];
	long bytes = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *sp = strchr(line, ' ');

		if (sp && strstr(line, "[mvgpu]"))
			bytes += strtol(sp + 1, NULL, 10);
	}
	fclose(f);
	return bytes >> 10;
}

/*
 * Free pages on the per-CPU lists, KiB (/proc/zoneinfo).  MemFree, and so
 * MemAvailable, does not count them, and the lists grow as a burst of
 * frees fills them: tens of MiB in the test VM.
 */
static inline long pcp_free_kib(void)
{
	FILE *f = fopen("/proc/zoneinfo", "r");
	char line[128];
	long pages = 0, n;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " count: %ld", &n) == 1)
			pages += n;
	fclose(f);
	return pages * (sysconf(_SC_PAGESIZE) / 1024);
}

#endif /* _MVGPU_VM_UTIL_H */
