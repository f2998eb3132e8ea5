/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What mvgpuctl reads of mvgpu's sysfs ABI (Documentation/ABI/testing/
 * sysfs-class-mvgpu, sysfs-bus-mdev-devices-mvgpu): physical GPUs, their
 * vGPU types and the vGPUs, and the few files it writes.
 */
#ifndef _MVGPUCTL_SYSFS_H
#define _MVGPUCTL_SYSFS_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CTL_CLASS_DIR	"/sys/class/mvgpu"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define CTL_MDEV_DIR	"/sys/bus/mdev/devices"
#define CTL_MAX_TYPES	16
#define CTL_ENGINES	2

struct ctl_type {
	char id[64];		/* mdev_supported_types/<id> */
	char name[64];
	long available;
	long aperture_mb, hidden_mb, weight;
	char resolution[32];
};

struct ctl_pgpu {
	char name[64];
	long vgpus;
	long long aperture_free, hidden_free;	/* bytes */
	char sched_policy[32];
	long sched_slice_us;
	int nr_types;
	struct ctl_type types[CTL_MAX_TYPES];
};

/* The vGPU counters, in the order of ctl_counter_names[]. */
enum ctl_counter {
	CTL_SUBMISSIONS, CTL_COMPLETED, CTL_REJECTED, CTL_ERRORS, CTL_HANGS,
	CTL_HOST_RESETS, CTL_TRAPPED, CTL_CMDS_SCANNED, CTL_BAD_MMIO,
	CTL_BAD_GGTT, CTL_BAD_APERTURE, CTL_BAD_PPGTT, CTL_SHADOW_PAGES,
	CTL_SHADOW_BYTES, CTL_PPGTT_WRITES,
	CTL_NR_COUNTERS
};

extern const char *const ctl_counter_names[CTL_NR_COUNTERS];
extern const char *const ctl_engine_names[CTL_ENGINES];

struct ctl_vgpu {
	char uuid[40];
	char pgpu[64];
	char type[64];		/* the mdev type's id */
	char type_name[64];
	long id;
	long owner_pid;		/* 0: not open */
	long long aperture_size, hidden_size;	/* bytes */
	long weight, sched_cap;
	long long pinned_pages, pin_limit;
	long long counters[CTL_NR_COUNTERS];
	bool failsafe;
	unsigned long long busy_ns[CTL_ENGINES];
	double util[CTL_ENGINES];	/* percent over the last interval, or -1 */
};

/* Return: 0, or a negative errno (-ENOENT: mvgpu is not loaded). */
int ctl_read_pgpus(struct ctl_pgpu **out, int *n);
int ctl_read_vgpus(struct ctl_vgpu **out, int *n);
int ctl_read_vgpu(const char *uuid, struct ctl_vgpu *v);
/* Fill in ->util of @now from @before, @ns apart (matched by UUID). */
void ctl_utilisation(struct ctl_vgpu *now, int n, const struct ctl_vgpu *before,
		     int nb, unsigned long long ns);
bool ctl_is_vgpu(const char *uuid);
/* The pGPU offering type @type with room for one more; NULL if none. */
const struct ctl_pgpu *ctl_find_room(const struct ctl_pgpu *p, int n,
				     const char *type, const char *pgpu);

/* Write @val to @path; return 0 or a negative errno. */
int ctl_write(const char *path, const char *val);

/*
 * The mdev types of pGPU @name into @buf (PATH_MAX): its class device's
 * mdev_supported_types, or for a pGPU behind a PCI function (the mdev
 * parent), the function's.  0, -ENOENT when neither exists, or
 * -ENAMETOOLONG.
 */
int ctl_types_dir(char *buf, const char *name);

/* snprintf()'s result: 0, or -ENAMETOOLONG when it did not fit @len. */
static inline int ctl_fits(int n, size_t len)
{
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* A path made with a printf format in array @buf: 0, or -ENAMETOOLONG. */
#define ctl_path(buf, ...)	\
	ctl_fits(snprintf(buf, sizeof(buf), __VA_ARGS__), sizeof(buf))

#endif /* _MVGPUCTL_SYSFS_H */
