// SPDX-License-Identifier: GPL-2.0-only
/*
 * The commands of /sys/kernel/debug/mvgpu/mvgpuN/native, one per line;
 * see "Native path and debugfs" in Documentation/usage.rst.  Every
 * argument is checked here or by the native path; numbers are decimal or
 * 0x-prefixed hex, engines "rcs", "bcs", 0 or 1.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <mvgpu/mvgpu_regs.h>

#include "debugfs.h"

/**
 * struct mvgpu_dbg_cmd - one command being run
 * @n: the session
 * @argc: number of words
 * @argv: the words, @argv[0] the command
 * @out: output buffer
 * @size: its size
 * @len: bytes in it
 */
struct mvgpu_dbg_cmd {
	struct mvgpu_native *n;
	int argc;
	char **argv;
	char *out;
	size_t size;
	size_t *len;
};

static __printf(2, 3) void mvgpu_dbg_out(struct mvgpu_dbg_cmd *c,
					 const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	*c->len += vscnprintf(c->out + *c->len, c->size - *c->len, fmt, args);
	va_end(args);
}

static int mvgpu_dbg_u64(struct mvgpu_dbg_cmd *c, int i, u64 *v)
{
	if (i >= c->argc)
		return -EINVAL;
	return kstrtou64(c->argv[i], 0, v);
}

static int mvgpu_dbg_uint(struct mvgpu_dbg_cmd *c, int i, unsigned int *v)
{
	if (i >= c->argc)
		return -EINVAL;
	return kstrtouint(c->argv[i], 0, v);
}

static int mvgpu_dbg_engine(struct mvgpu_dbg_cmd *c, int i, unsigned int *e)
{
	if (i >= c->argc)
		return -EINVAL;
	if (!strcmp(c->argv[i], "rcs"))
		*e = MVGPU_ENGINE_RCS;
	else if (!strcmp(c->argv[i], "bcs"))
		*e = MVGPU_ENGINE_BCS;
	else if (kstrtouint(c->argv[i], 0, e) || *e >= MVGPU_NUM_ENGINES)
		return -EINVAL;
	return 0;
}

static int mvgpu_dbg_clear(struct mvgpu_dbg_cmd *c)
{
	mvgpu_native_clear(c->n);
	return 0;
}

/* alloc <bytes> [hidden] | badmap <bytes> -> graphics address */
static int mvgpu_dbg_alloc(struct mvgpu_dbg_cmd *c)
{
	bool hidden = c->argc > 2 && !strcmp(c->argv[2], "hidden");
	u64 size, gaddr;
	int ret;

	ret = mvgpu_dbg_u64(c, 1, &size);
	if (ret)
		return ret;
	if (!strcmp(c->argv[0], "badmap"))
		ret = mvgpu_native_badmap(c->n, size, &gaddr);
	else
		ret = mvgpu_native_alloc(c->n, size, hidden, &gaddr);
	if (!ret)
		mvgpu_dbg_out(c, "0x%llx\n", gaddr);
	return ret;
}

/* ctx <ring bytes> -> <id> <lrca> <ring> */
static int mvgpu_dbg_ctx(struct mvgpu_dbg_cmd *c)
{
	struct mvgpu_native_ctx_info info;
	unsigned int size;
	int ret;

	ret = mvgpu_dbg_uint(c, 1, &size);
	if (!ret)
		ret = mvgpu_native_ctx_create(c->n, size, &info);
	if (!ret)
		mvgpu_dbg_out(c, "%u 0x%llx 0x%llx\n", info.id, info.lrca,
			      info.ring);
	return ret;
}

/* emit <ctx> <dword>... */
static int mvgpu_dbg_emit(struct mvgpu_dbg_cmd *c)
{
	unsigned int id, count = c->argc - 2, i;
	u32 *dw;
	int ret;

	ret = mvgpu_dbg_uint(c, 1, &id);
	if (ret || c->argc < 3 || count > MVGPU_NATIVE_MAX_EMIT)
		return -EINVAL;
	dw = kmalloc_array(count, sizeof(*dw), GFP_KERNEL);
	if (!dw)
		return -ENOMEM;
	for (i = 0; i < count && !ret; i++)
		ret = kstrtou32(c->argv[i + 2], 0, &dw[i]);
	if (!ret)
		ret = mvgpu_native_emit(c->n, id, dw, count);
	kfree(dw);
	return ret;
}

/* submit <engine> <ctx0> [<ctx1>] */
static int mvgpu_dbg_submit(struct mvgpu_dbg_cmd *c)
{
	unsigned int engine, ids[2] = { };
	int ret;

	ret = mvgpu_dbg_engine(c, 1, &engine);
	if (!ret)
		ret = mvgpu_dbg_uint(c, 2, &ids[0]);
	if (!ret && c->argc > 3)
		ret = mvgpu_dbg_uint(c, 3, &ids[1]);
	if (!ret)
		ret = mvgpu_native_submit(c->n, engine, ids);
	return ret;
}

/* The command words of the engine operations. */
static const char *const mvgpu_dbg_ops[MVGPU_NATIVE_NR_OPS] = {
	[MVGPU_NATIVE_OP_PREEMPT] = "preempt",
	[MVGPU_NATIVE_OP_RESET] = "reset",
	[MVGPU_NATIVE_OP_WATCHDOG] = "watchdog",
};

/* preempt <engine> | reset <engine|all> | watchdog <engine> <ms> */
static int mvgpu_dbg_engine_op(struct mvgpu_dbg_cmd *c)
{
	int op = match_string(mvgpu_dbg_ops, MVGPU_NATIVE_NR_OPS, c->argv[0]);
	unsigned int engine, arg = 0;
	int ret;

	if (op < 0)
		return op;
	if (op == MVGPU_NATIVE_OP_RESET && c->argc > 1 &&
	    !strcmp(c->argv[1], "all")) {
		for (engine = 0; engine < MVGPU_NUM_ENGINES; engine++)
			mvgpu_native_engine_op(c->n, engine, op, 0);
		return 0;
	}
	ret = mvgpu_dbg_engine(c, 1, &engine);
	if (!ret && op == MVGPU_NATIVE_OP_WATCHDOG)
		ret = mvgpu_dbg_uint(c, 2, &arg);
	if (!ret)
		ret = mvgpu_native_engine_op(c->n, engine, op, arg);
	return ret;
}

static void mvgpu_dbg_event(struct mvgpu_dbg_cmd *c, unsigned int engine,
			    const struct mvgpu_native_event *ev)
{
	mvgpu_dbg_out(c, "event %u 0x%08x %u %u 0x%08x 0x%llx 0x%08x 0x%llx %llu\n",
		      engine, ev->status, ev->ctx_id,
		      ev->err.status & MVGPU_ERR_STATUS_CODE_MASK,
		      ev->err.status, ev->err.cmd_addr, ev->err.cmd_header,
		      ev->err.fault_addr, ev->ns);
}

/* wait <engine> <mask> <timeout ms> | events <engine> */
static int mvgpu_dbg_wait(struct mvgpu_dbg_cmd *c)
{
	unsigned int engine, timeout = 0, count, i;
	struct mvgpu_native_event *ev;
	u64 mask = 0;
	int ret;

	ret = mvgpu_dbg_engine(c, 1, &engine);
	if (!ret && !strcmp(c->argv[0], "wait")) {
		ret = mvgpu_dbg_u64(c, 2, &mask);
		if (!ret)
			ret = mvgpu_dbg_uint(c, 3, &timeout);
		if (!ret && (mask > U32_MAX || !timeout))
			ret = -EINVAL;
	}
	if (ret)
		return ret;
	ev = kmalloc_array(MVGPU_NATIVE_EVENTS, sizeof(*ev), GFP_KERNEL);
	if (!ev)
		return -ENOMEM;
	ret = mvgpu_native_wait(c->n, engine, mask, timeout, ev, &count);
	for (i = 0; i < count; i++)
		mvgpu_dbg_event(c, engine, &ev[i]);
	kfree(ev);
	return ret;
}

/* irqs <engine> | stats <engine> */
static int mvgpu_dbg_counters(struct mvgpu_dbg_cmd *c)
{
	struct mvgpu_backend_stats s;
	unsigned int engine;
	int ret;

	ret = mvgpu_dbg_engine(c, 1, &engine);
	if (ret)
		return ret;
	if (!strcmp(c->argv[0], "irqs")) {
		mvgpu_dbg_out(c, "%llu\n", mvgpu_native_irqs(c->n, engine));
		return 0;
	}
	ret = mvgpu_native_stats(c->n, engine, &s);
	if (ret)
		return ret;
	mvgpu_dbg_out(c, "submissions %llu completed %llu busy_ns %llu ",
		      s.submissions, s.contexts_completed, s.busy_ns);
	mvgpu_dbg_out(c, "errors %llu hangs %llu preemptions %llu\n",
		      s.errors, s.hangs, s.preemptions);
	return 0;
}

/* crc <gaddr> <bytes> */
static int mvgpu_dbg_crc(struct mvgpu_dbg_cmd *c)
{
	u64 gaddr, len;
	u32 crc;
	int ret;

	ret = mvgpu_dbg_u64(c, 1, &gaddr);
	if (!ret)
		ret = mvgpu_dbg_u64(c, 2, &len);
	if (!ret && len > MVGPU_NATIVE_MAX_BYTES)
		ret = -EINVAL;
	if (!ret)
		ret = mvgpu_native_crc(c->n, gaddr, len, &crc);
	if (!ret)
		mvgpu_dbg_out(c, "0x%08x\n", crc);
	return ret;
}

/* plane <0|1> | vblanks */
static int mvgpu_dbg_display(struct mvgpu_dbg_cmd *c)
{
	unsigned int on;
	int ret;

	if (!strcmp(c->argv[0], "vblanks")) {
		mvgpu_dbg_out(c, "%u\n", mvgpu_native_vblanks(c->n));
		return 0;
	}
	ret = mvgpu_dbg_uint(c, 1, &on);
	if (ret || on > 1)
		return -EINVAL;
	mvgpu_native_set_plane(c->n, on);
	return 0;
}

/* The surface benchmarks by name, as enum mvgpu_bench_op. */
static const char *const mvgpu_dbg_benches[] = {
	[MVGPU_BENCH_COPY] = "copy",
	[MVGPU_BENCH_FILL] = "fill",
	[MVGPU_BENCH_BLEND] = "blend",
};

/* bench rate <engine> <submissions> */
static int mvgpu_dbg_bench_rate(struct mvgpu_dbg_cmd *c)
{
	struct mvgpu_native_bench r;
	unsigned int engine, subs;
	int ret;

	if (c->argc != 4 || mvgpu_dbg_engine(c, 2, &engine) ||
	    mvgpu_dbg_uint(c, 3, &subs))
		return -EINVAL;
	ret = mvgpu_native_bench_rate(c->n, engine, subs, &r);
	if (ret)
		return ret;
	mvgpu_dbg_out(c, "rate engine=%u subs=%u ns=%llu ns_per_sub=%llu verified=%d ",
		      engine, r.runs, r.engine_ns, r.avg_ns, r.verified);
	mvgpu_dbg_out(c, "submit_ns=%llu/%llu run_ns=%llu/%llu wake_ns=%llu/%llu\n",
		      r.stage_p50[MVGPU_BENCH_SUBMIT],
		      r.stage_p99[MVGPU_BENCH_SUBMIT],
		      r.stage_p50[MVGPU_BENCH_RUN], r.stage_p99[MVGPU_BENCH_RUN],
		      r.stage_p50[MVGPU_BENCH_WAKE],
		      r.stage_p99[MVGPU_BENCH_WAKE]);
	return 0;
}

/* bench surf copy|fill|blend <MiB> ggtt|ppgtt: one run, buffers kept */
static int mvgpu_dbg_bench_surf(struct mvgpu_dbg_cmd *c)
{
	struct mvgpu_native_bench r;
	unsigned int mib;
	int op, ret;

	if (c->argc != 5 || mvgpu_dbg_uint(c, 3, &mib) ||
	    (strcmp(c->argv[4], "ggtt") && strcmp(c->argv[4], "ppgtt")))
		return -EINVAL;
	op = match_string(mvgpu_dbg_benches, ARRAY_SIZE(mvgpu_dbg_benches),
			  c->argv[2]);
	if (op < 0)
		return -EINVAL;
	ret = mvgpu_native_bench_surf(c->n, op, mib, c->argv[4][0] == 'p', &r);
	if (!ret)
		mvgpu_dbg_out(c, "surf %s bytes=%llu %s engine_ns=%llu verified=%d\n",
			      c->argv[2], r.bytes, c->argv[4], r.engine_ns,
			      r.verified);
	return ret;
}

/*
 * bench copy|fill|blend <MiB> [runs] | bench empty <runs> |
 * bench rate <engine> <submissions> |
 * bench surf copy|fill|blend <MiB> ggtt|ppgtt
 */
static int mvgpu_dbg_bench(struct mvgpu_dbg_cmd *c)
{
	struct mvgpu_native_bench r;
	unsigned int a, runs = 5;
	u64 ratio;
	int op, ret;

	if (c->argc > 1 && !strcmp(c->argv[1], "rate"))
		return mvgpu_dbg_bench_rate(c);
	if (c->argc > 1 && !strcmp(c->argv[1], "surf"))
		return mvgpu_dbg_bench_surf(c);
	ret = mvgpu_dbg_uint(c, 2, &a);
	if (ret || c->argc > 4)
		return -EINVAL;
	if (!strcmp(c->argv[1], "empty")) {
		ret = mvgpu_native_bench_empty(c->n, a, &r);
		if (!ret)
			mvgpu_dbg_out(c, "empty runs=%u best_ns=%llu avg_ns=%llu\n",
				      r.runs, r.engine_ns, r.avg_ns);
		return ret;
	}
	op = match_string(mvgpu_dbg_benches, ARRAY_SIZE(mvgpu_dbg_benches),
			  c->argv[1]);
	if (op < 0 || (c->argc > 3 && mvgpu_dbg_uint(c, 3, &runs)))
		return -EINVAL;
	ret = mvgpu_native_bench_copy(c->n, op, a, runs, &r);
	if (ret)
		return ret;
	ratio = div64_u64(r.memcpy_ns * 100, r.engine_ns ?: 1);
	mvgpu_dbg_out(c, "%s bytes=%llu runs=%u engine_ns=%llu avg_ns=%llu memcpy_ns=%llu ",
		      c->argv[1], r.bytes, r.runs, r.engine_ns, r.avg_ns,
		      r.memcpy_ns);
	mvgpu_dbg_out(c, "engine_mbps=%llu memcpy_mbps=%llu ",
		      div64_u64(r.bytes * 1000, r.engine_ns ?: 1),
		      div64_u64(r.bytes * 1000, r.memcpy_ns ?: 1));
	mvgpu_dbg_out(c, "ratio=%llu.%02llu verified=%d\n", ratio / 100,
		      ratio % 100, r.verified);
	return 0;
}

struct mvgpu_dbg_cmd_desc {
	const char *name;
	int (*fn)(struct mvgpu_dbg_cmd *c);
};

static const struct mvgpu_dbg_cmd_desc mvgpu_dbg_cmds[] = {
	{ "clear", mvgpu_dbg_clear },
	{ "alloc", mvgpu_dbg_alloc },
	{ "badmap", mvgpu_dbg_alloc },
	{ "ctx", mvgpu_dbg_ctx },
	{ "emit", mvgpu_dbg_emit },
	{ "submit", mvgpu_dbg_submit },
	{ "preempt", mvgpu_dbg_engine_op },
	{ "reset", mvgpu_dbg_engine_op },
	{ "watchdog", mvgpu_dbg_engine_op },
	{ "wait", mvgpu_dbg_wait },
	{ "events", mvgpu_dbg_wait },
	{ "irqs", mvgpu_dbg_counters },
	{ "stats", mvgpu_dbg_counters },
	{ "crc", mvgpu_dbg_crc },
	{ "plane", mvgpu_dbg_display },
	{ "vblanks", mvgpu_dbg_display },
	{ "bench", mvgpu_dbg_bench },
};

/* Split @line at blanks into @argv; returns the count or -E2BIG. */
static int mvgpu_dbg_split(char *line, char **argv)
{
	int argc = 0;
	char *w;

	while ((w = strsep(&line, " \t\r")) != NULL) {
		if (!*w)
			continue;
		if (argc == MVGPU_DEBUGFS_MAX_ARGS)
			return -E2BIG;
		argv[argc++] = w;
	}
	return argc;
}

/**
 * mvgpu_debugfs_exec() - run one command line
 * @n: the session
 * @line: the line, split in place; empty lines and "#" comments do nothing
 * @argv: room for %MVGPU_DEBUGFS_MAX_ARGS words
 * @out: output buffer
 * @size: its size
 * @len: bytes already in @out, updated
 *
 * Return: 0 or the command's negative errno (-EINVAL for an unknown
 * command or bad arguments).
 */
int mvgpu_debugfs_exec(struct mvgpu_native *n, char *line, char **argv,
		       char *out, size_t size, size_t *len)
{
	struct mvgpu_dbg_cmd c = {
		.n = n, .argv = argv, .out = out, .size = size, .len = len,
	};
	unsigned int i;

	c.argc = mvgpu_dbg_split(line, argv);
	if (c.argc <= 0 || argv[0][0] == '#')
		return c.argc < 0 ? c.argc : 0;
	for (i = 0; i < ARRAY_SIZE(mvgpu_dbg_cmds); i++)
		if (!strcmp(argv[0], mvgpu_dbg_cmds[i].name))
			return mvgpu_dbg_cmds[i].fn(&c);
	return -EINVAL;
}
