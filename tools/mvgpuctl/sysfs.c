// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpuctl's reading of mvgpu's sysfs ABI (sysfs.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysfs.h"

const char *const ctl_counter_names[CTL_NR_COUNTERS] = {
	[CTL_SUBMISSIONS] = "submissions",
	[CTL_COMPLETED] = "completed",
	[CTL_REJECTED] = "rejected",
	[CTL_ERRORS] = "errors",
	[CTL_HANGS] = "hangs",
	[CTL_HOST_RESETS] = "host_resets",
	[CTL_TRAPPED] = "trapped",
	[CTL_CMDS_SCANNED] = "cmds_scanned",
	[CTL_BAD_MMIO] = "bad_mmio",
	[CTL_BAD_GGTT] = "bad_ggtt",
	[CTL_BAD_APERTURE] = "bad_aperture",
	[CTL_BAD_PPGTT] = "bad_ppgtt",
	[CTL_SHADOW_PAGES] = "shadow_pages",
	[CTL_SHADOW_BYTES] = "shadow_bytes",
	[CTL_PPGTT_WRITES] = "ppgtt_writes",
};

const char *const ctl_engine_names[CTL_ENGINES] = { "rcs", "bcs" };

/* @src, cut to fit @len bytes with its NUL. */
static void ctl_copy(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = 0;
}

/* The first line of a sysfs file, without its newline. */
static int ctl_read_str(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/* A number (decimal or 0x hex) in @dir/@name; -1 if it cannot be read. */
static long long ctl_read_num(const char *dir, const char *name)
{
	char path[PATH_MAX], buf[64], *end;
	long long v;

	if (ctl_path(path, "%s/%s", dir, name) ||
	    ctl_read_str(path, buf, sizeof(buf)))
		return -1;
	errno = 0;
	v = strtoll(buf, &end, 0);
	return errno || end == buf ? -1 : v;
}

int ctl_write(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

/* "key: value" lines of a type's description. */
static void ctl_parse_description(const char *path, struct ctl_type *t)
{
	char line[128];
	FILE *f = fopen(path, "r");

	t->aperture_mb = -1;
	t->hidden_mb = -1;
	t->weight = -1;
	snprintf(t->resolution, sizeof(t->resolution), "-");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "aperture_mb: ", 13))
			t->aperture_mb = strtol(line + 13, NULL, 10);
		else if (!strncmp(line, "hidden_mb: ", 11))
			t->hidden_mb = strtol(line + 11, NULL, 10);
		else if (!strncmp(line, "weight: ", 8))
			t->weight = strtol(line + 8, NULL, 10);
		else if (!strncmp(line, "resolution: ", 12))
			ctl_copy(t->resolution, sizeof(t->resolution),
				 line + 12);
	}
	fclose(f);
}

static int ctl_name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

int ctl_types_dir(char *buf, const char *name)
{
	static const char *const where[] = {
		CTL_CLASS_DIR "/%s/mdev_supported_types",
		CTL_CLASS_DIR "/%s/device/mdev_supported_types",
	};
	unsigned int i;
	int n;

	for (i = 0; i < ARRAY_SIZE(where); i++) {
		n = snprintf(buf, PATH_MAX, where[i], name);
		if (ctl_fits(n, PATH_MAX))
			return -ENAMETOOLONG;
		if (!access(buf, F_OK))
			return 0;
	}
	return -ENOENT;
}

static void ctl_read_types(const char *name, struct ctl_pgpu *p)
{
	char dir[PATH_MAX], tdir[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	p->nr_types = 0;
	if (ctl_types_dir(dir, name))
		return;
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d)) && p->nr_types < CTL_MAX_TYPES) {
		struct ctl_type *t = &p->types[p->nr_types];

		if (de->d_name[0] == '.' ||
		    ctl_path(tdir, "%s/%s", dir, de->d_name))
			continue;
		if (strlen(de->d_name) >= sizeof(t->id))
			continue;
		ctl_copy(t->id, sizeof(t->id), de->d_name);
		if (ctl_path(path, "%s/name", tdir) ||
		    ctl_read_str(path, t->name, sizeof(t->name)))
			snprintf(t->name, sizeof(t->name), "-");
		t->available = ctl_read_num(tdir, "available_instances");
		if (!ctl_path(path, "%s/description", tdir))
			ctl_parse_description(path, t);
		p->nr_types++;
	}
	closedir(d);
	qsort(p->types, p->nr_types, sizeof(p->types[0]), ctl_name_cmp);
}

static void ctl_read_pgpu(const char *name, struct ctl_pgpu *p)
{
	char dir[PATH_MAX], path[PATH_MAX];

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	if (ctl_path(dir, CTL_CLASS_DIR "/%s", name))
		return;
	p->vgpus = ctl_read_num(dir, "vgpus");
	p->aperture_free = ctl_read_num(dir, "aperture_free");
	p->hidden_free = ctl_read_num(dir, "hidden_free");
	p->sched_slice_us = ctl_read_num(dir, "sched_slice_us");
	if (ctl_path(path, "%s/sched_policy", dir) ||
	    ctl_read_str(path, p->sched_policy, sizeof(p->sched_policy)))
		snprintf(p->sched_policy, sizeof(p->sched_policy), "-");
	ctl_read_types(name, p);
}

/*
 * The names in @dir that @keep accepts, sorted, in a malloc()ed array of
 * 64-byte names; returns their number or a negative errno.
 */
static int ctl_list_dir(const char *dir, bool (*keep)(const char *),
			char (**names)[64])
{
	char (*v)[64] = NULL, (*nv)[64];
	struct dirent *de;
	int n = 0, cap = 0;
	DIR *d = opendir(dir);

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof(v[0]) ||
		    !keep(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				closedir(d);
				return -ENOMEM;
			}
			v = nv;
		}
		ctl_copy(v[n++], sizeof(v[0]), de->d_name);
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(v[0]), ctl_name_cmp);
	*names = v;
	return n;
}

static bool ctl_any(const char *name)
{
	(void)name;
	return true;
}

int ctl_read_pgpus(struct ctl_pgpu **out, int *n)
{
	char (*names)[64] = NULL;
	struct ctl_pgpu *p;
	int i, nr = ctl_list_dir(CTL_CLASS_DIR, ctl_any, &names);

	if (nr < 0)
		return nr;
	p = calloc(nr ? nr : 1, sizeof(*p));
	if (!p) {
		free(names);
		return -ENOMEM;
	}
	for (i = 0; i < nr; i++)
		ctl_read_pgpu(names[i], &p[i]);
	free(names);
	*out = p;
	*n = nr;
	return 0;
}

/* An mdev driven by mvgpu: it has the mvgpu attribute group. */
bool ctl_is_vgpu(const char *uuid)
{
	char path[PATH_MAX];

	return strlen(uuid) < 40 &&
	       !ctl_path(path, CTL_MDEV_DIR "/%s/mvgpu/vgpu_id", uuid) &&
	       !access(path, F_OK);
}

/* The last component of the link @dir/@name, or "-". */
static void ctl_link_name(const char *dir, const char *name, char *buf,
			  size_t len)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	snprintf(buf, len, "-");
	if (ctl_path(path, "%s/%s", dir, name))
		return;
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return;
	target[n] = 0;
	snprintf(buf, len, "%s", basename(target));
}

/* The device an mdev sits on: the directory above its own. */
static void ctl_parent_name(const char *dir, char *buf, size_t len)
{
	char real[PATH_MAX];

	snprintf(buf, len, "-");
	if (!realpath(dir, real))
		return;
	snprintf(buf, len, "%s", basename(dirname(real)));
}

int ctl_read_vgpu(const char *uuid, struct ctl_vgpu *v)
{
	char dir[PATH_MAX], adir[PATH_MAX], path[PATH_MAX];
	int i;

	memset(v, 0, sizeof(*v));
	if (!ctl_is_vgpu(uuid))
		return -ENOENT;
	snprintf(v->uuid, sizeof(v->uuid), "%s", uuid);
	if (ctl_path(dir, CTL_MDEV_DIR "/%s", uuid) ||
	    ctl_path(adir, "%s/mvgpu", dir))
		return -ENAMETOOLONG;
	ctl_parent_name(dir, v->pgpu, sizeof(v->pgpu));
	ctl_link_name(dir, "mdev_type", v->type, sizeof(v->type));
	if (ctl_path(path, "%s/type_name", adir) ||
	    ctl_read_str(path, v->type_name, sizeof(v->type_name)))
		snprintf(v->type_name, sizeof(v->type_name), "-");
	v->id = ctl_read_num(adir, "vgpu_id");
	v->owner_pid = ctl_read_num(adir, "owner_pid");
	v->aperture_size = ctl_read_num(adir, "aperture_size");
	v->hidden_size = ctl_read_num(adir, "hidden_size");
	v->weight = ctl_read_num(adir, "weight");
	v->sched_cap = ctl_read_num(adir, "sched_cap");
	v->pinned_pages = ctl_read_num(adir, "pinned_pages");
	v->pin_limit = ctl_read_num(adir, "pin_limit");
	v->failsafe = ctl_read_num(adir, "failsafe") > 0;
	for (i = 0; i < CTL_NR_COUNTERS; i++)
		v->counters[i] = ctl_read_num(adir, ctl_counter_names[i]);
	for (i = 0; i < CTL_ENGINES; i++) {
		char name[32];

		snprintf(name, sizeof(name), "busy_ns_%s", ctl_engine_names[i]);
		v->busy_ns[i] = ctl_read_num(adir, name);
		v->util[i] = -1;
	}
	return 0;
}

int ctl_read_vgpus(struct ctl_vgpu **out, int *n)
{
	char (*names)[64] = NULL;
	struct ctl_vgpu *v;
	int i, k = 0, nr;

	nr = ctl_list_dir(CTL_MDEV_DIR, ctl_is_vgpu, &names);
	if (nr == -ENOENT)
		nr = 0;		/* no mdev at all yet */
	if (nr < 0)
		return nr;
	v = calloc(nr ? nr : 1, sizeof(*v));
	if (!v) {
		free(names);
		return -ENOMEM;
	}
	/* one removed while we read is left out */
	for (i = 0; i < nr; i++)
		if (!ctl_read_vgpu(names[i], &v[k]))
			k++;
	free(names);
	*out = v;
	*n = k;
	return 0;
}

void ctl_utilisation(struct ctl_vgpu *now, int n, const struct ctl_vgpu *before,
		     int nb, unsigned long long ns)
{
	int i, j, e;

	for (i = 0; i < n; i++)
		for (j = 0; j < nb; j++) {
			if (strcmp(now[i].uuid, before[j].uuid) || !ns)
				continue;
			for (e = 0; e < CTL_ENGINES; e++) {
				unsigned long long a = before[j].busy_ns[e];
				unsigned long long b = now[i].busy_ns[e];

				now[i].util[e] = b >= a ? 100.0 * (b - a) / ns : 0;
				if (now[i].util[e] > 100)
					now[i].util[e] = 100;
			}
		}
}

const struct ctl_pgpu *ctl_find_room(const struct ctl_pgpu *p, int n,
				     const char *type, const char *pgpu)
{
	const struct ctl_pgpu *found = NULL;
	int i, t;

	for (i = 0; i < n; i++) {
		if (pgpu && strcmp(p[i].name, pgpu))
			continue;
		for (t = 0; t < p[i].nr_types; t++) {
			if (strcmp(p[i].types[t].id, type))
				continue;
			if (p[i].types[t].available > 0)
				return &p[i];
			if (!found)
				found = &p[i];
		}
	}
	return found;
}
