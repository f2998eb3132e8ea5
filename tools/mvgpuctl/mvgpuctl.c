// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpuctl - list and manage mvgpu's physical GPUs and vGPUs, in the
 * spirit of nvidia-smi vgpu.  Reads and writes only the sysfs ABI
 * documented in Documentation/ABI/testing/ (see tools/mvgpuctl.8).
 *
 *   mvgpuctl [--json] [-i MS] [list]     pGPUs, types, vGPUs
 *   mvgpuctl [--json] types               types and their availability
 *   mvgpuctl [--json] [-i MS] show UUID   one vGPU in full
 *   mvgpuctl [-i MS] [-c N] watch         the vGPUs, refreshed in place
 *   mvgpuctl [--json] create TYPE [--pgpu NAME] [--uuid UUID]
 *   mvgpuctl remove [--force] UUID
 *   mvgpuctl reset UUID
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "sysfs.h"

#define PROG	"mvgpuctl"
#define MIB	(1024.0 * 1024.0)

/* Exit codes, documented in mvgpuctl.8. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* the kernel refused, or something unexpected */
	EXIT_USAGE = 2,
	EXIT_NOT_FOUND = 3,	/* no such vGPU, type or pGPU */
	EXIT_NOT_LOADED = 4,	/* mvgpu is not loaded */
	EXIT_BUSY = 5,		/* the vGPU is open */
	EXIT_NO_ROOM = 6,	/* no room for another vGPU of the type */
	EXIT_PERM = 7,		/* not allowed: run as root */
};

#define err_msg(fmt, ...)	fprintf(stderr, PROG ": " fmt "\n", ##__VA_ARGS__)

struct opts {
	bool json;
	bool force;
	long interval_ms;	/* utilisation sample; watch period */
	long count;		/* watch: refreshes, 0 = until interrupted */
	const char *pgpu;
	const char *uuid;
};

/* Set by SIGINT and SIGTERM: watch ends. */
static atomic_int stop;

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&stop, 1);
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR && !atomic_load(&stop))
		;
}

/* An errno from sysfs as an exit code. */
static int exit_of(int err)
{
	switch (err) {
	case -ENOENT:
	case -ENODEV:
		return EXIT_NOT_FOUND;
	case -EACCES:
	case -EPERM:
		return EXIT_PERM;
	case -EBUSY:
		return EXIT_BUSY;
	case -ENOSPC:
	case -EDQUOT:
	case -EUSERS:
		return EXIT_NO_ROOM;
	default:
		return EXIT_FAIL;
	}
}

static int not_loaded(int err)
{
	if (err == -ENOENT) {
		err_msg("mvgpu is not loaded (no %s): modprobe mvgpu", CTL_CLASS_DIR);
		return EXIT_NOT_LOADED;
	}
	err_msg("cannot read %s: %s", CTL_CLASS_DIR, strerror(-err));
	return exit_of(err);
}

/* The vGPUs, with their utilisation over @ms (none when @ms is 0). */
static int sample_vgpus(long ms, struct ctl_vgpu **out, int *n)
{
	struct ctl_vgpu *before;
	unsigned long long t0;
	int nb, ret;

	ret = ctl_read_vgpus(&before, &nb);
	if (ret || !ms || !nb) {
		if (!ret) {
			*out = before;
			*n = nb;
		}
		return ret;
	}
	t0 = now_ns();
	sleep_ms(ms);
	ret = ctl_read_vgpus(out, n);
	if (!ret)
		ctl_utilisation(*out, *n, before, nb, now_ns() - t0);
	free(before);
	return ret;
}

static void fmt_util(char *buf, size_t len, double u)
{
	if (u < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f%%", u);
}

static void print_pgpus(const struct ctl_pgpu *p, int n)
{
	int i;

	printf("%-10s %5s %14s %14s %-12s %9s\n", "pGPU", "vGPUs",
	       "aperture free", "hidden free", "policy", "slice us");
	for (i = 0; i < n; i++)
		printf("%-10s %5ld %10.0f MiB %10.0f MiB %-12s %9ld\n",
		       p[i].name, p[i].vgpus, p[i].aperture_free / MIB,
		       p[i].hidden_free / MIB, p[i].sched_policy,
		       p[i].sched_slice_us);
}

static void print_types(const struct ctl_pgpu *p, int n)
{
	int i, t;

	printf("%-10s %-14s %-12s %5s %9s %9s %6s %-10s\n", "pGPU", "type",
	       "name", "avail", "aper MiB", "hidden MiB", "weight", "resolution");
	for (i = 0; i < n; i++)
		for (t = 0; t < p[i].nr_types; t++) {
			const struct ctl_type *ty = &p[i].types[t];

			printf("%-10s %-14s %-12s %5ld %9ld %9ld %6ld %-10s\n",
			       p[i].name, ty->id, ty->name, ty->available,
			       ty->aperture_mb, ty->hidden_mb, ty->weight,
			       ty->resolution);
		}
}

static void print_vgpus(const struct ctl_vgpu *v, int n)
{
	char rcs[16], bcs[16], pins[48];
	int i;

	printf("%-36s %-8s %-12s %3s %7s %4s %4s %8s %15s %8s %8s %5s %5s %4s %-8s\n",
	       "UUID", "pGPU", "type", "id", "owner", "rcs", "bcs", "mem MiB",
	       "pins/limit", "submit", "done", "rej", "err", "hang", "failsafe");
	for (i = 0; i < n; i++) {
		fmt_util(rcs, sizeof(rcs), v[i].util[0]);
		fmt_util(bcs, sizeof(bcs), v[i].util[1]);
		if (v[i].pin_limit > 0)
			snprintf(pins, sizeof(pins), "%lld/%lld", v[i].pinned_pages,
				 v[i].pin_limit);
		else
			snprintf(pins, sizeof(pins), "%lld/-", v[i].pinned_pages);
		printf("%-36s %-8s %-12s %3ld %7ld %4s %4s %8.0f %15s ",
		       v[i].uuid, v[i].pgpu, v[i].type_name, v[i].id,
		       v[i].owner_pid, rcs, bcs,
		       (v[i].aperture_size + v[i].hidden_size) / MIB, pins);
		printf("%8lld %8lld %5lld %5lld %4lld %-8s\n",
		       v[i].counters[CTL_SUBMISSIONS], v[i].counters[CTL_COMPLETED],
		       v[i].counters[CTL_REJECTED], v[i].counters[CTL_ERRORS],
		       v[i].counters[CTL_HANGS], v[i].failsafe ? "yes" : "no");
	}
	if (!n)
		printf("(no vGPUs)\n");
}

static void json_types(struct json *j, const struct ctl_pgpu *p)
{
	int t;

	json_begin_array(j, "types");
	for (t = 0; t < p->nr_types; t++) {
		const struct ctl_type *ty = &p->types[t];

		json_begin_object(j, NULL);
		json_string(j, "type", ty->id);
		json_string(j, "name", ty->name);
		json_int(j, "available", ty->available);
		json_int(j, "aperture_mb", ty->aperture_mb);
		json_int(j, "hidden_mb", ty->hidden_mb);
		json_int(j, "weight", ty->weight);
		json_string(j, "resolution", ty->resolution);
		json_end_object(j);
	}
	json_end_array(j);
}

static void json_pgpus(struct json *j, const struct ctl_pgpu *p, int n)
{
	int i;

	json_begin_array(j, "pgpus");
	for (i = 0; i < n; i++) {
		json_begin_object(j, NULL);
		json_string(j, "name", p[i].name);
		json_int(j, "vgpus", p[i].vgpus);
		json_int(j, "aperture_free", p[i].aperture_free);
		json_int(j, "hidden_free", p[i].hidden_free);
		json_string(j, "sched_policy", p[i].sched_policy);
		json_int(j, "sched_slice_us", p[i].sched_slice_us);
		json_types(j, &p[i]);
		json_end_object(j);
	}
	json_end_array(j);
}

static void json_vgpu(struct json *j, const struct ctl_vgpu *v, long ms)
{
	int i;

	json_begin_object(j, NULL);
	json_string(j, "uuid", v->uuid);
	json_string(j, "pgpu", v->pgpu);
	json_string(j, "type", v->type);
	json_string(j, "type_name", v->type_name);
	json_int(j, "vgpu_id", v->id);
	json_int(j, "owner_pid", v->owner_pid);
	json_begin_object(j, "utilisation");
	json_int(j, "interval_ms", ms);
	for (i = 0; i < CTL_ENGINES; i++)
		if (v->util[i] >= 0)
			json_double(j, ctl_engine_names[i], v->util[i]);
	json_end_object(j);
	json_begin_object(j, "busy_ns");
	for (i = 0; i < CTL_ENGINES; i++)
		json_int(j, ctl_engine_names[i], v->busy_ns[i]);
	json_end_object(j);
	json_begin_object(j, "memory");
	json_int(j, "aperture_size", v->aperture_size);
	json_int(j, "hidden_size", v->hidden_size);
	json_int(j, "pinned_pages", v->pinned_pages);
	json_int(j, "pin_limit", v->pin_limit);
	json_end_object(j);
	json_begin_object(j, "sched");
	json_int(j, "weight", v->weight);
	json_int(j, "cap", v->sched_cap);
	json_end_object(j);
	json_begin_object(j, "counters");
	for (i = 0; i < CTL_NR_COUNTERS; i++)
		json_int(j, ctl_counter_names[i], v->counters[i]);
	json_end_object(j);
	json_bool(j, "failsafe", v->failsafe);
	json_end_object(j);
}

static void json_vgpus(struct json *j, const struct ctl_vgpu *v, int n,
		       long ms)
{
	int i;

	json_begin_array(j, "vgpus");
	for (i = 0; i < n; i++)
		json_vgpu(j, &v[i], ms);
	json_end_array(j);
}

static int cmd_list(const struct opts *o, bool vgpus)
{
	struct ctl_pgpu *p;
	struct ctl_vgpu *v = NULL;
	struct json j;
	int np, nv = 0, ret;

	ret = ctl_read_pgpus(&p, &np);
	if (ret)
		return not_loaded(ret);
	if (vgpus) {
		ret = sample_vgpus(o->interval_ms, &v, &nv);
		if (ret) {
			free(p);
			err_msg("cannot read %s: %s", CTL_MDEV_DIR, strerror(-ret));
			return exit_of(ret);
		}
	}
	if (o->json) {
		json_init(&j, stdout);
		json_begin_object(&j, NULL);
		json_pgpus(&j, p, np);
		if (vgpus)
			json_vgpus(&j, v, nv, o->interval_ms);
		json_end_object(&j);
	} else {
		if (vgpus) {
			print_pgpus(p, np);
			putchar('\n');
		}
		print_types(p, np);
		if (vgpus) {
			putchar('\n');
			print_vgpus(v, nv);
		}
	}
	free(v);
	free(p);
	return EXIT_OK;
}

static int no_vgpu(const char *uuid)
{
	if (access(CTL_CLASS_DIR, F_OK))
		return not_loaded(-ENOENT);
	err_msg("no vGPU %s (mvgpuctl list shows them)", uuid);
	return EXIT_NOT_FOUND;
}

static void print_vgpu_full(const struct ctl_vgpu *v, long ms)
{
	char u[16];
	int i;

	printf("uuid:          %s\n", v->uuid);
	printf("pgpu:          %s\n", v->pgpu);
	printf("type:          %s (%s)\n", v->type, v->type_name);
	printf("vgpu_id:       %ld\n", v->id);
	printf("owner_pid:     %ld%s\n", v->owner_pid,
	       v->owner_pid ? "" : " (not open)");
	for (i = 0; i < CTL_ENGINES; i++) {
		fmt_util(u, sizeof(u), v->util[i]);
		printf("util_%s:      %s over %ld ms (busy %llu ns in all)\n",
		       ctl_engine_names[i], u, ms, v->busy_ns[i]);
	}
	printf("aperture_size: %.0f MiB\n", v->aperture_size / MIB);
	printf("hidden_size:   %.0f MiB\n", v->hidden_size / MIB);
	printf("pinned_pages:  %lld\n", v->pinned_pages);
	printf("pin_limit:     %lld%s\n", v->pin_limit,
	       v->pin_limit ? "" : " (none)");
	printf("weight:        %ld\n", v->weight);
	printf("sched_cap:     %ld%%%s\n", v->sched_cap,
	       v->sched_cap ? "" : " (none)");
	for (i = 0; i < CTL_NR_COUNTERS; i++)
		printf("%-14s %lld\n", ctl_counter_names[i], v->counters[i]);
	printf("failsafe:      %s\n", v->failsafe ? "yes" : "no");
}

static int cmd_show(const struct opts *o, const char *uuid)
{
	struct ctl_vgpu before, v;
	unsigned long long t0;
	struct json j;

	if (ctl_read_vgpu(uuid, &before))
		return no_vgpu(uuid);
	t0 = now_ns();
	if (o->interval_ms)
		sleep_ms(o->interval_ms);
	if (ctl_read_vgpu(uuid, &v))
		return no_vgpu(uuid);
	if (o->interval_ms)
		ctl_utilisation(&v, 1, &before, 1, now_ns() - t0);
	if (o->json) {
		json_init(&j, stdout);
		json_vgpu(&j, &v, o->interval_ms);
		fputc('\n', stdout);
	} else {
		print_vgpu_full(&v, o->interval_ms);
	}
	return EXIT_OK;
}

static int cmd_watch(const struct opts *o)
{
	bool tty = isatty(STDOUT_FILENO);
	struct ctl_vgpu *v;
	long round = 0;
	time_t t;
	int n, ret;

	if (o->json) {
		err_msg("watch has no --json: use list --json in a loop");
		return EXIT_USAGE;
	}
	if (access(CTL_CLASS_DIR, F_OK))
		return not_loaded(-ENOENT);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!atomic_load(&stop) && (!o->count || round < o->count)) {
		ret = sample_vgpus(o->interval_ms, &v, &n);
		if (ret) {
			err_msg("cannot read %s: %s", CTL_MDEV_DIR, strerror(-ret));
			return exit_of(ret);
		}
		if (atomic_load(&stop)) {
			free(v);
			break;
		}
		t = time(NULL);
		/* home and clear: the table is redrawn in place */
		if (tty)
			fputs("\033[H\033[J", stdout);
		printf("mvgpuctl watch, every %ld ms, %s", o->interval_ms, ctime(&t));
		print_vgpus(v, n);
		if (!tty)
			putchar('\n');
		fflush(stdout);
		free(v);
		round++;
	}
	return EXIT_OK;
}

static int new_uuid(char *buf, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/random/uuid", "r");
	int ok = f && fgets(buf, len, f);

	if (f)
		fclose(f);
	if (!ok)
		return -EIO;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static int create_failed(const char *type, const char *pgpu, const char *uuid,
			 int err)
{
	switch (err) {
	case -EEXIST:
		err_msg("create %s on %s: a device with UUID %s exists", type, pgpu, uuid);
		break;
	case -EINVAL:
		err_msg("create %s on %s: '%s' is not a UUID", type, pgpu, uuid);
		return EXIT_USAGE;
	case -ENOSPC:
	case -EDQUOT:
		err_msg("create %s on %s: no room left (graphics memory or vGPU ids in use)",
			type, pgpu);
		break;
	case -EACCES:
	case -EPERM:
		err_msg("create %s on %s: %s (run as root)", type, pgpu, strerror(-err));
		break;
	default:
		err_msg("create %s on %s: %s", type, pgpu, strerror(-err));
	}
	return exit_of(err);
}

static bool type_has_room(const struct ctl_pgpu *p, const char *type)
{
	int t;

	for (t = 0; t < p->nr_types; t++)
		if (!strcmp(p->types[t].id, type))
			return p->types[t].available > 0;
	return false;
}

static int cmd_create(const struct opts *o, const char *type)
{
	char uuid[64], dir[PATH_MAX], path[PATH_MAX], name[64];
	const struct ctl_pgpu *pg;
	struct ctl_pgpu *p;
	struct json j;
	int np, ret;

	ret = ctl_read_pgpus(&p, &np);
	if (ret)
		return not_loaded(ret);
	pg = ctl_find_room(p, np, type, o->pgpu);
	if (!pg) {
		if (o->pgpu && !ctl_find_room(p, np, type, NULL))
			err_msg("no type %s (mvgpuctl types lists them)", type);
		else if (o->pgpu)
			err_msg("no pGPU %s with type %s (mvgpuctl list shows them)",
				o->pgpu, type);
		else
			err_msg("no type %s (mvgpuctl types lists them)", type);
		free(p);
		return EXIT_NOT_FOUND;
	}
	snprintf(name, sizeof(name), "%s", pg->name);
	if (!type_has_room(pg, type)) {
		err_msg("create %s: no room for another on %s%s (available_instances 0)",
			type, name, o->pgpu ? "" : " or any pGPU");
		free(p);
		return EXIT_NO_ROOM;
	}
	free(p);
	if (o->uuid)
		snprintf(uuid, sizeof(uuid), "%s", o->uuid);
	else if (new_uuid(uuid, sizeof(uuid)))
		return err_msg("cannot make a UUID"), EXIT_FAIL;
	ret = ctl_types_dir(dir, name);
	ret = ret ?: ctl_path(path, "%s/%s/create", dir, type);
	ret = ret ?: ctl_write(path, uuid);
	if (ret)
		return create_failed(type, name, uuid, ret);
	if (o->json) {
		json_init(&j, stdout);
		json_begin_object(&j, NULL);
		json_string(&j, "uuid", uuid);
		json_string(&j, "pgpu", name);
		json_string(&j, "type", type);
		json_end_object(&j);
	} else {
		printf("%s\n", uuid);
	}
	return EXIT_OK;
}

static int cmd_remove(const struct opts *o, const char *uuid)
{
	char path[PATH_MAX];
	struct ctl_vgpu v;
	int ret;

	if (ctl_read_vgpu(uuid, &v))
		return no_vgpu(uuid);
	/* the mdev core would wait until the VMM lets go */
	if (v.owner_pid > 0 && !o->force) {
		err_msg("vGPU %s is open by process %ld: %s", uuid, v.owner_pid,
			"stop its VM first, or --force to wait for it to close");
		return EXIT_BUSY;
	}
	ret = ctl_path(path, CTL_MDEV_DIR "/%s/remove", uuid);
	ret = ret ?: ctl_write(path, "1");
	if (ret) {
		err_msg("remove %s: %s%s", uuid, strerror(-ret),
			ret == -EACCES || ret == -EPERM ? " (run as root)" : "");
		return exit_of(ret);
	}
	return EXIT_OK;
}

static int cmd_reset(const char *uuid)
{
	char path[PATH_MAX];
	int ret;

	if (!ctl_is_vgpu(uuid))
		return no_vgpu(uuid);
	ret = ctl_path(path, CTL_MDEV_DIR "/%s/mvgpu/reset", uuid);
	ret = ret ?: ctl_write(path, "1");
	if (ret) {
		err_msg("reset %s: %s%s", uuid, strerror(-ret),
			ret == -EACCES || ret == -EPERM ? " (run as root)" : "");
		return exit_of(ret);
	}
	return EXIT_OK;
}

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [options] [command]\n"
		"\n"
		"commands:\n"
		"  list                  pGPUs, vGPU types and vGPUs (default)\n"
		"  types                 vGPU types of each pGPU and how many more fit\n"
		"  show UUID             one vGPU: owner, utilisation, memory, counters\n"
		"  watch                 the vGPUs, refreshed in place until Ctrl-C\n"
		"  create TYPE           create a vGPU of TYPE, print its UUID\n"
		"  remove UUID           remove a vGPU\n"
		"  reset UUID            reset a vGPU, its VM running\n"
		"\n"
		"options:\n"
		"  -j, --json            JSON output (list, types, show, create)\n"
		"  -i, --interval MS     utilisation sample, watch period (default 1000;\n"
		"                        0: no utilisation)\n"
		"  -c, --count N         watch: stop after N refreshes\n"
		"  -p, --pgpu NAME       create: on this pGPU (default: the first with room)\n"
		"  -u, --uuid UUID       create: with this UUID (default: a random one)\n"
		"  -f, --force           remove: even if open (waits until closed)\n"
		"  -h, --help            this text\n"
		"\n"
		"exit codes: 0 ok, 1 failed, 2 usage, 3 not found, 4 mvgpu not loaded,\n"
		"5 vGPU in use, 6 no room for the type, 7 permission denied\n");
}

static bool parse_long(const char *s, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return !errno && end != s && !*end && *v >= 0;
}

/*
 * Options before the command stop at it (@in_order); those after it may
 * come before or after its argument.
 */
static int parse_opts(int argc, char **argv, struct opts *o, bool in_order)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		{ "pgpu", required_argument, NULL, 'p' },
		{ "uuid", required_argument, NULL, 'u' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	const char *optstring = in_order ? "+ji:c:p:u:fh" : "ji:c:p:u:fh";

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'i':
			if (!parse_long(optarg, &o->interval_ms) || o->interval_ms > 3600000)
				return err_msg("--interval: milliseconds, 0 to 3600000"), -1;
			break;
		case 'c':
			if (!parse_long(optarg, &o->count))
				return err_msg("--count: a number"), -1;
			break;
		case 'p':
			o->pgpu = optarg;
			break;
		case 'u':
			o->uuid = optarg;
			break;
		case 'f':
			o->force = true;
			break;
		case 'h':
			print_usage(stdout);
			exit(EXIT_OK);
		default:
			return -1;
		}
	}
	return 0;
}

/* Options may also follow the command: parse them there too. */
static int run(struct opts *o, int argc, char **argv)
{
	const char *cmd = argc > 0 ? argv[0] : "list";
	const char *arg;

	optind = 0;	/* GNU getopt: start again, permuting this time */
	if (argc > 0 && parse_opts(argc, argv, o, false))
		return EXIT_USAGE;
	arg = optind < argc ? argv[optind++] : NULL;
	if (optind < argc) {
		err_msg("%s: unexpected '%s'", cmd, argv[optind]);
		return EXIT_USAGE;
	}
	if (!strcmp(cmd, "list") || !strcmp(cmd, "types") || !strcmp(cmd, "watch")) {
		if (arg) {
			err_msg("%s takes no argument", cmd);
			return EXIT_USAGE;
		}
		if (!strcmp(cmd, "watch"))
			return cmd_watch(o);
		return cmd_list(o, !strcmp(cmd, "list"));
	}
	if (strcmp(cmd, "show") && strcmp(cmd, "create") && strcmp(cmd, "remove") &&
	    strcmp(cmd, "reset")) {
		err_msg("unknown command '%s' (" PROG " --help lists them)", cmd);
		return EXIT_USAGE;
	}
	if (!arg) {
		err_msg("%s needs %s", cmd, strcmp(cmd, "create") ? "a vGPU's UUID" : "a type");
		return EXIT_USAGE;
	}
	if (!strcmp(cmd, "show"))
		return cmd_show(o, arg);
	if (!strcmp(cmd, "create"))
		return cmd_create(o, arg);
	if (!strcmp(cmd, "remove"))
		return cmd_remove(o, arg);
	return cmd_reset(arg);
}

int main(int argc, char **argv)
{
	struct opts o = { .interval_ms = 1000 };

	if (parse_opts(argc, argv, &o, true)) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	return run(&o, argc - optind, argv + optind);
}
