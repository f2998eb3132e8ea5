// SPDX-License-Identifier: GPL-2.0-only
/*
 * In an L2 guest with mvgpu_drm loaded: the benchmark the host's native
 * path runs too (native/bench.c, tests/bench/native_bench.sh), through
 * the guest driver.  On N MiB surfaces in a PPGTT context: a copy
 * (XY_FAST_COPY_BLT, BCS), a fill (XY_COLOR_BLT, BCS) and a blend
 * (MVGPU_BLEND SET_ALPHA, RCS, 64-row commands), each timed from execbuf
 * to the wait's return, best and mean of the runs, the result checked
 * pixel by pixel after; then empty batches (only MI_BATCH_BUFFER_END) on
 * the RCS, submitted and waited for one by one, between two lines
 * "MVGPU_BENCH empty begin|end" a second apart from the loop (the host
 * counts its VM exits in that window: tests/bench/guest_bench.sh; the
 * program then idles 3 s more, for the host to read them).
 *
 *   drm_bench [-m MiB] [-r runs] [-e empty runs] [-l]
 *
 * -l: then repeat checked copies, fills and blends until killed (a guest
 * that always has work in flight).  Prints "MVGPU_BENCH <name> key=value
 * ..." lines; exits 1 if a result is wrong or a call fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mdrm.h"

#define PITCH		16384U		/* bytes per row, as native/bench.c */
#define ROW_PIXELS	(PITCH / 4)
#define BLEND_ROWS	64U		/* 2^18 pixels, MVGPU_BLEND's most */
#define COLOR		0xff336699U
#define ALPHA		0x80U
#define WAIT_MS		60000

#define VA_DST		0x10000000ULL
#define VA_SRC		0x20000000ULL
#define VA_BATCH	0x30000000ULL

enum bench_op { COPY, FILL, BLEND, NR_OPS };

static const char *const op_name[NR_OPS] = { "copy", "fill", "blend" };

/* The file, its context and objects, mapped. */
struct bench {
	int fd;
	__u32 ctx;
	__u64 bytes;
	__u32 dst, src, batch;
	__u32 *dst_map, *src_map, *batch_map;
};

static int fail(const char *what, int err)
{
	printf("MVGPU_BENCH FAIL %s: %s\n", what, strerror(-err));
	fflush(stdout);
	return 1;
}

static int bo(struct bench *b, __u64 size, __u32 *handle, __u32 **map)
{
	int ret = mdrm_bo_create(b->fd, size, 0, handle, NULL);

	if (ret)
		return ret;
	*map = mdrm_bo_map(b->fd, *handle, size);
	return *map ? 0 : -ENOMEM;
}

/* Write @op's batch, whole surfaces, into the batch object. */
static void emit(struct bench *b, enum bench_op op)
{
	struct mdrm_batch bb = { .cs = b->batch_map, .max = 4096 / 4 };
	__u32 rows = b->bytes / PITCH, y, h;
	__u64 off;

	switch (op) {
	case COPY:
		MDRM_EMIT(&bb, MVGPU_XY_FAST_COPY_BLT,
			  MVGPU_FAST_COPY_DEPTH_32 | PITCH, MVGPU_BLT_XY(0, 0),
			  MVGPU_BLT_XY(ROW_PIXELS, rows), MDRM_LO(VA_DST),
			  MDRM_HI(VA_DST), MVGPU_BLT_XY(0, 0), PITCH,
			  MDRM_LO(VA_SRC), MDRM_HI(VA_SRC));
		break;
	case FILL:
		mdrm_fill(&bb, VA_DST, PITCH, 0, 0, ROW_PIXELS, rows, COLOR);
		break;
	default:
		for (y = 0; y < rows; y += h) {
			h = rows - y < BLEND_ROWS ? rows - y : BLEND_ROWS;
			off = (__u64)y * PITCH;
			MDRM_EMIT(&bb, MVGPU_BLEND,
				  MVGPU_BLEND_OP_SET_ALPHA |
				  ALPHA << MVGPU_BLEND_ALPHA_SHIFT,
				  ROW_PIXELS | h << 16, PITCH,
				  MDRM_LO(VA_DST + off), MDRM_HI(VA_DST + off),
				  PITCH, MDRM_LO(VA_SRC + off),
				  MDRM_HI(VA_SRC + off));
		}
		break;
	}
	mdrm_end(&bb);
}

/* One submission of the batch object, waited for; its time in *@ns. */
static int run(struct bench *b, __u32 engine, int nobjs, __s64 *ns)
{
	struct drm_mvgpu_exec_object o[] = {
		{ b->batch, 0, VA_BATCH },
		{ b->dst, DRM_MVGPU_EXEC_OBJECT_WRITE, VA_DST },
		{ b->src, 0, VA_SRC },
	};
	__s64 t0 = mdrm_now_ns();
	int err = 0, ret;

	ret = mdrm_exec(b->fd, b->ctx, engine, o, nobjs, 0, 0, NULL);
	if (!ret)
		ret = mdrm_bo_wait(b->fd, b->batch, WAIT_MS, &err);
	*ns = mdrm_now_ns() - t0;
	return ret ? ret : err;
}

/* Is every pixel of dst what @op makes of src's? */
static int check(struct bench *b, enum bench_op op)
{
	__u64 i, n = b->bytes / 4;
	__u32 want;

	if (op == COPY)
		return memcmp(b->dst_map, b->src_map, b->bytes) ? -EBADMSG : 0;
	for (i = 0; i < n; i++) {
		want = op == FILL ? COLOR : (b->src_map[i] & 0xffffff) | ALPHA << 24;
		if (b->dst_map[i] != want) {
			printf("# %s: pixel %llu is 0x%08x, not 0x%08x\n",
			       op_name[op], (unsigned long long)i,
			       b->dst_map[i], want);
			return -EBADMSG;
		}
	}
	return 0;
}

/* @runs timed runs of @op after an untimed one; prints its line. */
static int bench_op(struct bench *b, enum bench_op op, int runs, int quiet)
{
	__u32 engine = op == BLEND ? DRM_MVGPU_ENGINE_RCS : DRM_MVGPU_ENGINE_BCS;
	__s64 ns, best = INT64_MAX, sum = 0, mc = INT64_MAX, t0;
	int i, ret;

	emit(b, op);
	for (i = 0; i <= runs; i++) {
		/* memcpy() first, as native/bench.c: the engine's result stays */
		t0 = mdrm_now_ns();
		memcpy(b->dst_map, b->src_map, b->bytes);
		t0 = mdrm_now_ns() - t0;
		if (i && t0 < mc)
			mc = t0;
		ret = run(b, engine, 3, &ns);
		if (ret)
			return fail(op_name[op], ret);
		if (!i)
			continue;	/* binds the objects: not timed */
		best = ns < best ? ns : best;
		sum += ns;
	}
	ret = check(b, op);
	if (!quiet || ret)
		printf("MVGPU_BENCH %s bytes=%llu runs=%d best_ns=%lld avg_ns=%lld memcpy_ns=%lld mbps=%lld verified=%d\n",
		       op_name[op], (unsigned long long)b->bytes, runs,
		       (long long)best, (long long)(sum / runs), (long long)mc,
		       (long long)(b->bytes * 1000 / (best ? best : 1)), !ret);
	fflush(stdout);
	return ret ? 1 : 0;
}

static int bench_empty(struct bench *b, int runs)
{
	struct mdrm_batch bb = { .cs = b->batch_map, .max = 4096 / 4 };
	__s64 ns, best = INT64_MAX, sum = 0;
	int i, ret;

	mdrm_end(&bb);
	ret = run(b, DRM_MVGPU_ENGINE_RCS, 1, &ns);	/* binds the batch */
	if (ret)
		return fail("empty", ret);
	printf("MVGPU_BENCH empty begin runs=%d\n", runs);
	fflush(stdout);
	sleep(1);
	for (i = 0; i < runs; i++) {
		ret = run(b, DRM_MVGPU_ENGINE_RCS, 1, &ns);
		if (ret)
			return fail("empty", ret);
		best = ns < best ? ns : best;
		sum += ns;
	}
	sleep(1);
	printf("MVGPU_BENCH empty end\n");
	printf("MVGPU_BENCH empty runs=%d best_ns=%lld avg_ns=%lld\n", runs,
	       (long long)best, (long long)(sum / runs));
	fflush(stdout);
	sleep(3);	/* the host reads the VM's counters before it ends */
	return 0;
}

static int setup(struct bench *b, unsigned int mib)
{
	__u64 i;
	int ret;

	b->bytes = (__u64)mib << 20;
	b->fd = mdrm_open();
	if (b->fd < 0)
		return b->fd;
	ret = mdrm_ctx_create(b->fd, 0, &b->ctx);
	if (!ret)
		ret = bo(b, b->bytes, &b->dst, &b->dst_map);
	if (!ret)
		ret = bo(b, b->bytes, &b->src, &b->src_map);
	if (!ret)
		ret = bo(b, 4096, &b->batch, &b->batch_map);
	if (ret)
		return ret;
	/* the pattern of native/bench.c: each page a byte of its own */
	for (i = 0; i < b->bytes / 4096; i++)
		memset((char *)b->src_map + i * 4096, (int)(i * 7 + 1), 4096);
	return 0;
}

int main(int argc, char **argv)
{
	int opt, runs = 10, empty = 1000, loop = 0, ret = 0, round;
	unsigned int mib = 4;
	struct bench b = { 0 };
	enum bench_op op;

	while ((opt = getopt(argc, argv, "m:r:e:l")) != -1) {
		switch (opt) {
		case 'm':
			mib = atoi(optarg);
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		case 'e':
			empty = atoi(optarg);
			break;
		case 'l':
			loop = 1;
			break;
		default:
			fprintf(stderr, "usage: %s [-m MiB] [-r runs] [-e empty runs] [-l]\n",
				argv[0]);
			return 2;
		}
	}
	if (!mib || mib > 64 || runs < 1 || empty < 0) {
		fprintf(stderr, "drm_bench: 1 to 64 MiB, at least one run\n");
		return 2;
	}
	ret = setup(&b, mib);
	if (ret)
		return fail("setup", ret);
	for (op = COPY; op < NR_OPS && !ret; op++)
		ret = bench_op(&b, op, runs, 0);
	if (!ret && empty)
		ret = bench_empty(&b, empty);
	for (round = 1; loop && !ret; round++) {
		for (op = COPY; op < NR_OPS && !ret; op++)
			ret = bench_op(&b, op, 1, 1);
		if (!ret)
			printf("MVGPU_BENCH round %d verified\n", round);
		fflush(stdout);
	}
	close(b.fd);
	return ret;
}
