/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Client of the native path's debugfs files (/sys/kernel/debug/mvgpu/
 * mvgpu0/{native,mem,edid}, from mvgpu_native.ko): commands, graphics
 * memory, events, and builders of command streams.
 */
#ifndef _MVGPU_NATIVE_UTIL_H
#define _MVGPU_NATIVE_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>

#include <mvgpu/mvgpu_cmd.h>
#include <mvgpu/mvgpu_regs.h>

#define NAT_DIR		"/sys/kernel/debug/mvgpu/mvgpu0"
#define NAT_OUT		(64 * 1024)
#define NAT_MAX_EV	64

struct nat {
	int fd;
	int mem;
	char out[NAT_OUT];
};

struct nat_ev {
	unsigned int engine;
	__u32 status, ctx, code, errst;
	__u64 cmd;
	__u32 hdr;
	__u64 fault, ns;
};

struct nat_ctx {
	unsigned int id;
	__u64 lrca, ring;
};

static inline __u64 nat_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline int nat_open(struct nat *n)
{
	n->fd = open(NAT_DIR "/native", O_RDWR);
	n->mem = open(NAT_DIR "/mem", O_RDWR);
	if (n->fd < 0 || n->mem < 0)
		return -errno;
	return 0;
}

static inline void nat_close(struct nat *n)
{
	if (n->fd >= 0)
		close(n->fd);
	if (n->mem >= 0)
		close(n->mem);
	n->fd = n->mem = -1;
}

/* Run command lines; returns 0 or -errno.  Output in n->out. */
static inline int __attribute__((format(printf, 2, 3)))
nat_cmd(struct nat *n, const char *fmt, ...)
{
	static char line[NAT_OUT];
	va_list ap;
	ssize_t r;
	int err = 0;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (write(n->fd, line, strlen(line)) < 0)
		err = -errno;
	r = pread(n->fd, n->out, sizeof(n->out) - 1, 0);
	n->out[r > 0 ? r : 0] = 0;
	return err;
}

static inline __u64 nat_alloc(struct nat *n, __u64 size)
{
	if (nat_cmd(n, "alloc %llu", (unsigned long long)size))
		return 0;
	return strtoull(n->out, NULL, 0);
}

static inline int nat_ctx_new(struct nat *n, unsigned int ring, struct nat_ctx *c)
{
	unsigned long long l, r;
	int err = nat_cmd(n, "ctx %u", ring);

	if (err)
		return err;
	if (sscanf(n->out, "%u %llx %llx", &c->id, &l, &r) != 3)
		return -EIO;
	c->lrca = l;
	c->ring = r;
	return 0;
}

static inline int nat_emit(struct nat *n, unsigned int id, const __u32 *dw,
			   int count)
{
	static char line[NAT_OUT];
	int i, len;

	len = snprintf(line, sizeof(line), "emit %u", id);
	for (i = 0; i < count; i++)
		len += snprintf(line + len, sizeof(line) - len, " 0x%x", dw[i]);
	return nat_cmd(n, "%s", line);
}

static inline int nat_write(struct nat *n, __u64 ga, const void *buf, size_t len)
{
	return pwrite(n->mem, buf, len, ga) == (ssize_t)len ? 0 : -errno;
}

static inline int nat_read(struct nat *n, __u64 ga, void *buf, size_t len)
{
	return pread(n->mem, buf, len, ga) == (ssize_t)len ? 0 : -errno;
}

static inline __u32 nat_r32(struct nat *n, __u64 ga)
{
	__u32 v = 0xbadbad;

	nat_read(n, ga, &v, 4);
	return v;
}

static inline void nat_w32(struct nat *n, __u64 ga, __u32 v)
{
	nat_write(n, ga, &v, 4);
}

static inline int nat_parse_events(const char *out, struct nat_ev *ev)
{
	int count = 0;

	while (out && count < NAT_MAX_EV) {
		unsigned long long cmd, fault, ns;
		struct nat_ev *e = &ev[count];

		out = strstr(out, "event ");
		if (!out)
			break;
		if (sscanf(out, "event %u %x %u %u %x %llx %x %llx %llu",
			   &e->engine, &e->status, &e->ctx, &e->code, &e->errst,
			   &cmd, &e->hdr, &fault, &ns) == 9) {
			e->cmd = cmd;
			e->fault = fault;
			e->ns = ns;
			count++;
		}
		out++;
	}
	return count;
}

/* Wait for an event with a bit of @mask; all events up to it in @ev. */
static inline int nat_wait(struct nat *n, const char *engine, __u32 mask,
			   int timeout_ms, struct nat_ev *ev, int *count)
{
	int err = nat_cmd(n, "wait %s 0x%x %d", engine, mask, timeout_ms);

	*count = nat_parse_events(n->out, ev);
	return err;
}

static inline int nat_events(struct nat *n, const char *engine,
			     struct nat_ev *ev)
{
	nat_cmd(n, "events %s", engine);
	return nat_parse_events(n->out, ev);
}

static inline long long nat_num(struct nat *n, const char *fmt, const char *arg)
{
	if (nat_cmd(n, fmt, arg))
		return -1;
	return strtoll(n->out, NULL, 0);
}

/* ---- command streams ---- */

/*
 * 32 KiB: in a loop that submits, set .n = 0 rather than initialise it
 * (= { .n = 0 } clears all of it: scale_test spent a tenth of the test
 * VM's CPUs doing that, taken from the engines' threads).
 */
struct cs {
	__u32 dw[8192];
	int n;
};

#define CS(c, ...) do {							\
	const __u32 __d[] = { __VA_ARGS__ };				\
	memcpy(&(c)->dw[(c)->n], __d, sizeof(__d));			\
	(c)->n += sizeof(__d) / 4;					\
} while (0)

#define LO(a)	((__u32)(a))
#define HI(a)	((__u32)((__u64)(a) >> 32))

static inline void cs_sdi(struct cs *c, __u64 ga, __u32 v)
{
	CS(c, MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT, LO(ga), HI(ga), v);
}

static inline void cs_bbs(struct cs *c, __u64 ga)
{
	CS(c, MVGPU_MI_BATCH_BUFFER_START, LO(ga), HI(ga));
}

static inline void cs_sem(struct cs *c, __u64 ga, __u32 op, __u32 data)
{
	CS(c, MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_USE_GGTT |
	   MVGPU_MI_SEMAPHORE_POLL | op, data, LO(ga), HI(ga));
}

static inline void cs_fill(struct cs *c, __u32 depth, __u32 pitch, __u32 x1,
			   __u32 y1, __u32 x2, __u32 y2, __u64 ga, __u32 color)
{
	CS(c, MVGPU_XY_COLOR_BLT | MVGPU_XY_BLT_WRITE_ALPHA |
	   MVGPU_XY_BLT_WRITE_RGB, depth | MVGPU_BR13_ROP_PATCOPY | pitch,
	   MVGPU_BLT_XY(x1, y1), MVGPU_BLT_XY(x2, y2), LO(ga), HI(ga), color);
}

static inline void cs_copy(struct cs *c, __u32 depth, __u32 dpitch, __u32 dx1,
			   __u32 dy1, __u32 dx2, __u32 dy2, __u64 dst,
			   __u32 sx, __u32 sy, __u32 spitch, __u64 src)
{
	CS(c, MVGPU_XY_SRC_COPY_BLT | MVGPU_XY_BLT_WRITE_ALPHA |
	   MVGPU_XY_BLT_WRITE_RGB, depth | MVGPU_BR13_ROP_SRCCOPY | dpitch,
	   MVGPU_BLT_XY(dx1, dy1), MVGPU_BLT_XY(dx2, dy2), LO(dst), HI(dst),
	   MVGPU_BLT_XY(sx, sy), spitch, LO(src), HI(src));
}

static inline void cs_fast_copy(struct cs *c, __u32 depth, __u32 dpitch,
				__u32 dx1, __u32 dy1, __u32 dx2, __u32 dy2,
				__u64 dst, __u32 sx, __u32 sy, __u32 spitch,
				__u64 src)
{
	CS(c, MVGPU_XY_FAST_COPY_BLT, depth | dpitch, MVGPU_BLT_XY(dx1, dy1),
	   MVGPU_BLT_XY(dx2, dy2), LO(dst), HI(dst), MVGPU_BLT_XY(sx, sy),
	   spitch, LO(src), HI(src));
}

static inline void cs_blend(struct cs *c, __u32 op, __u32 alpha, __u32 w,
			    __u32 h, __u32 dpitch, __u64 dst, __u32 spitch,
			    __u64 src)
{
	CS(c, MVGPU_BLEND, op | alpha << MVGPU_BLEND_ALPHA_SHIFT, w | h << 16,
	   dpitch, LO(dst), HI(dst), spitch, LO(src), HI(src));
}

/* zlib's CRC-32, bit by bit: independent of the kernel's table. */
static inline __u32 nat_crc32(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	__u32 crc = ~0U;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0xedb88320U & -(crc & 1));
	}
	return ~crc;
}

#endif /* _MVGPU_NATIVE_UTIL_H */
