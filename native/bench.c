// SPDX-License-Identifier: GPL-2.0-only
/*
 * The native path's benchmarks, each on a session it clears before and
 * after:
 *
 * - copy: XY_FAST_COPY_BLT of N MiB on the BCS, from submission to the
 *   completion event, against memcpy() of the same pages by the CPU,
 *   interleaved; best of the runs.
 * - fill: XY_COLOR_BLT of N MiB on the BCS.
 * - blend: MVGPU_BLEND SET_ALPHA of N MiB on the RCS, in commands of
 *   MVGPU_BENCH_BLEND_ROWS rows.
 * Every run of either side writes a poisoned destination, whose CRC-32 is
 * then compared with that of what the CPU computes from the source: a
 * side that leaves one byte wrong clears @verified.
 * The guest's tests/guest/drm_bench runs the same commands on the same
 * sizes (tests/bench/guest_bench.sh prints the ratios).
 * - empty: submission of a context with nothing to run, from submission
 *   to the completion event.
 * - rate: a block of tiny batches, two contexts in flight on one engine,
 *   each submission a one-page batch that stores its sequence number;
 *   from the first submission to the last completion, every number
 *   checked after.  tests/bench/vgpu_bench.c does the same through a vGPU.
 */
#include <linux/crc32.h>
#include <linux/highmem.h>
#include <linux/lockdep.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include <mvgpu/mvgpu_cmd.h>
#include <mvgpu/mvgpu_regs.h>

#include "native_priv.h"

#define MVGPU_BENCH_MAX_RUNS	10000
#define MVGPU_BENCH_ROW_PIXELS	(MVGPU_BENCH_PITCH / 4)
/* rows of one blend: MVGPU_BLEND takes at most 2^18 pixels */
#define MVGPU_BENCH_BLEND_ROWS	64U
#define MVGPU_BENCH_COLOR	0xff336699U
#define MVGPU_BENCH_ALPHA	0x80U
#define MVGPU_BENCH_POISON	0xdeadbeefU
/* submissions of a rate block: one u32 result each in one page */
#define MVGPU_BENCH_RATE_MAX	1000U
#define MVGPU_BENCH_RATE_SEQ	0x5e900000U	/* first sequence number */

/* Submit @id on @engine and wait for it to go idle; returns the time. */
static int mvgpu_bench_run(struct mvgpu_native *n, unsigned int engine,
			   unsigned int id, u64 *ns)
{
	const unsigned int ids[2] = { id, 0 };
	struct mvgpu_native_event *ev;
	unsigned int count;
	u64 t0;
	int ret;

	ev = kmalloc_array(MVGPU_NATIVE_EVENTS, sizeof(*ev), GFP_KERNEL);
	if (!ev)
		return -ENOMEM;
	t0 = ktime_get_ns();
	ret = mvgpu_native_submit_locked(n, engine, ids);
	if (!ret)
		ret = mvgpu_native_wait(n, engine, MVGPU_CSB_ACTIVE_TO_IDLE,
					MVGPU_BENCH_TIMEOUT_MS, ev, &count);
	*ns = ktime_get_ns() - t0;
	if (!ret && !(ev[count - 1].status & MVGPU_CSB_COMPLETE))
		ret = -EIO;
	kfree(ev);
	return ret;
}

/**
 * mvgpu_bench_fill() - fill a source buffer, each page with one byte
 * @buf: the buffer
 */
void mvgpu_bench_fill(struct mvgpu_native_buf *buf)
{
	unsigned int i;

	for (i = 0; i < buf->npages; i++) {
		u8 *va = kmap_local_page(buf->pages[i]);

		memset(va, (int)(i * 7 + 1), PAGE_SIZE);
		kunmap_local(va);
	}
}

/**
 * mvgpu_bench_poison_pages() - overwrite pages with a pattern no run leaves
 * @pages: the pages
 * @npages: how many
 *
 * The source's pages are each one repeated byte, and a fill or blend sets
 * alpha to 0xff or MVGPU_BENCH_ALPHA, so no run leaves the poison behind.
 */
void mvgpu_bench_poison_pages(struct page **pages, unsigned int npages)
{
	unsigned int i;

	for (i = 0; i < npages; i++) {
		u32 *va = kmap_local_page(pages[i]);

		memset32(va, MVGPU_BENCH_POISON, PAGE_SIZE / 4);
		kunmap_local(va);
	}
}

static void mvgpu_bench_poison(struct mvgpu_native_buf *buf)
{
	mvgpu_bench_poison_pages(buf->pages, buf->npages);
}

/**
 * mvgpu_bench_crc_pages() - CRC-32 of whole pages
 * @pages: the pages, in order
 * @npages: how many
 *
 * Return: the CRC-32 (as zlib's crc32()) of their bytes.
 */
u32 mvgpu_bench_crc_pages(struct page **pages, unsigned int npages)
{
	unsigned int i;
	u32 crc = ~0U;

	for (i = 0; i < npages; i++) {
		u8 *va = kmap_local_page(pages[i]);

		crc = crc32_le(crc, va, PAGE_SIZE);
		kunmap_local(va);
	}
	return ~crc;
}

static u32 mvgpu_bench_crc(struct mvgpu_native_buf *buf)
{
	return mvgpu_bench_crc_pages(buf->pages, buf->npages);
}

/* The pixel @op makes of source pixel @s. */
static u32 mvgpu_bench_pixel(enum mvgpu_bench_op op, u32 s)
{
	switch (op) {
	case MVGPU_BENCH_FILL:
		return MVGPU_BENCH_COLOR;
	case MVGPU_BENCH_BLEND:
		return (s & 0xffffff) | MVGPU_BENCH_ALPHA << 24;
	default:
		return s;
	}
}

/**
 * mvgpu_bench_want_pages() - CRC-32 of what an operation makes of pages
 * @src: the source pages
 * @npages: how many
 * @op: the operation
 * @scratch: one page, where the CPU computes each page of the result
 *
 * Return: the CRC-32 the destination must have after @op of @src.
 */
u32 mvgpu_bench_want_pages(struct page **src, unsigned int npages,
			   enum mvgpu_bench_op op, u32 *scratch)
{
	unsigned int i, j;
	u32 crc = ~0U;

	for (i = 0; i < npages; i++) {
		u32 *s = kmap_local_page(src[i]);

		for (j = 0; j < PAGE_SIZE / 4; j++)
			scratch[j] = mvgpu_bench_pixel(op, s[j]);
		kunmap_local(s);
		crc = crc32_le(crc, (u8 *)scratch, PAGE_SIZE);
	}
	return ~crc;
}

static u32 mvgpu_bench_want(struct mvgpu_native_buf *src,
			    enum mvgpu_bench_op op, u32 *scratch)
{
	return mvgpu_bench_want_pages(src->pages, src->npages, op, scratch);
}

static u64 mvgpu_bench_memcpy(struct mvgpu_native_buf *dst,
			      struct mvgpu_native_buf *src)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < src->npages; i++) {
		u8 *s = kmap_local_page(src->pages[i]);
		u8 *d = kmap_local_page(dst->pages[i]);

		memcpy(d, s, PAGE_SIZE);
		kunmap_local(d);
		kunmap_local(s);
	}
	return ktime_get_ns() - t0;
}

/* Emit one copy of @rows rows of the benchmark's pitch into @id. */
static int mvgpu_bench_emit_copy(struct mvgpu_native *n, unsigned int id,
				 u64 dst, u64 src, u32 rows)
{
	const u32 cmd[] = {
		MVGPU_XY_FAST_COPY_BLT,
		MVGPU_FAST_COPY_DEPTH_32 | MVGPU_BENCH_PITCH,
		MVGPU_BLT_XY(0, 0), MVGPU_BLT_XY(MVGPU_BENCH_PITCH / 4, rows),
		lower_32_bits(dst), upper_32_bits(dst),
		MVGPU_BLT_XY(0, 0), MVGPU_BENCH_PITCH,
		lower_32_bits(src), upper_32_bits(src),
	};

	return mvgpu_native_emit_locked(n, id, cmd, ARRAY_SIZE(cmd));
}

/* Emit one fill of @rows rows with MVGPU_BENCH_COLOR into @id. */
static int mvgpu_bench_emit_fill(struct mvgpu_native *n, unsigned int id,
				 u64 dst, u64 src, u32 rows)
{
	const u32 cmd[] = {
		MVGPU_XY_COLOR_BLT | MVGPU_XY_BLT_WRITE_ALPHA |
			MVGPU_XY_BLT_WRITE_RGB,
		MVGPU_BR13_DEPTH_32 | MVGPU_BR13_ROP_PATCOPY | MVGPU_BENCH_PITCH,
		MVGPU_BLT_XY(0, 0), MVGPU_BLT_XY(MVGPU_BENCH_ROW_PIXELS, rows),
		lower_32_bits(dst), upper_32_bits(dst), MVGPU_BENCH_COLOR,
	};

	return mvgpu_native_emit_locked(n, id, cmd, ARRAY_SIZE(cmd));
}

/* Emit the SET_ALPHA blends of @rows rows, src to dst, into @id. */
static int mvgpu_bench_emit_blend(struct mvgpu_native *n, unsigned int id,
				  u64 dst, u64 src, u32 rows)
{
	u64 off;
	u32 y;
	int ret = 0;

	for (y = 0; y < rows && !ret; y += MVGPU_BENCH_BLEND_ROWS) {
		u32 h = min(rows - y, MVGPU_BENCH_BLEND_ROWS);
		u32 cmd[9];

		off = (u64)y * MVGPU_BENCH_PITCH;
		cmd[0] = MVGPU_BLEND;
		cmd[1] = MVGPU_BLEND_OP_SET_ALPHA |
			 MVGPU_BENCH_ALPHA << MVGPU_BLEND_ALPHA_SHIFT;
		cmd[2] = MVGPU_BENCH_ROW_PIXELS | h << 16;
		cmd[3] = MVGPU_BENCH_PITCH;
		cmd[4] = lower_32_bits(dst + off);
		cmd[5] = upper_32_bits(dst + off);
		cmd[6] = MVGPU_BENCH_PITCH;
		cmd[7] = lower_32_bits(src + off);
		cmd[8] = upper_32_bits(src + off);
		ret = mvgpu_native_emit_locked(n, id, cmd, ARRAY_SIZE(cmd));
	}
	return ret;
}

/* How each benchmark of a surface is emitted, and on which engine. */
static const struct {
	int (*emit)(struct mvgpu_native *n, unsigned int id, u64 dst, u64 src,
		    u32 rows);
	unsigned int engine;
} mvgpu_bench_ops[] = {
	[MVGPU_BENCH_COPY] = { mvgpu_bench_emit_copy, MVGPU_ENGINE_BCS },
	[MVGPU_BENCH_FILL] = { mvgpu_bench_emit_fill, MVGPU_ENGINE_BCS },
	[MVGPU_BENCH_BLEND] = { mvgpu_bench_emit_blend, MVGPU_ENGINE_RCS },
};

/**
 * mvgpu_bench_emit_op_locked() - emit a surface benchmark's commands
 * @n: the session, locked
 * @op: MVGPU_BENCH_COPY, _FILL or _BLEND
 * @id: the context whose ring they go to
 * @dst: graphics address of the destination (in the context's space)
 * @src: graphics address of the source
 * @rows: rows of %MVGPU_BENCH_PITCH bytes
 *
 * Return: 0 or -EINVAL (see mvgpu_native_emit_locked()).
 */
int mvgpu_bench_emit_op_locked(struct mvgpu_native *n, enum mvgpu_bench_op op,
			       unsigned int id, u64 dst, u64 src, u32 rows)
{
	return mvgpu_bench_ops[op].emit(n, id, dst, src, rows);
}

/**
 * mvgpu_bench_op_engine() - the engine a surface benchmark runs on
 * @op: MVGPU_BENCH_COPY, _FILL or _BLEND
 *
 * Return: MVGPU_ENGINE_BCS or MVGPU_ENGINE_RCS.
 */
unsigned int mvgpu_bench_op_engine(enum mvgpu_bench_op op)
{
	return mvgpu_bench_ops[op].engine;
}

/* What one benchmark of a surface works on. */
struct mvgpu_bench_surf {
	struct mvgpu_native_buf *src, *dst;
	unsigned int id;		/* the context it is emitted into */
	enum mvgpu_bench_op op;
	u32 want_copy;			/* CRC of the source */
	u32 want_op;			/* CRC of what @op makes of it */
};

/*
 * One warm pair: memcpy() of the source to the destination, then the
 * engine's run of the same bytes into it, each on a poisoned destination
 * whose CRC is checked after.  Poisoning and checking are not timed.
 */
static int mvgpu_bench_pair(struct mvgpu_native *n,
			    const struct mvgpu_bench_surf *sf,
			    struct mvgpu_native_bench *res)
{
	u64 bytes = (u64)sf->src->npages << PAGE_SHIFT, ns;
	int ret;

	mvgpu_bench_poison(sf->dst);
	ns = mvgpu_bench_memcpy(sf->dst, sf->src);
	res->memcpy_ns = min(res->memcpy_ns, ns);
	if (mvgpu_bench_crc(sf->dst) != sf->want_copy)
		res->verified = false;

	mvgpu_bench_poison(sf->dst);
	ret = mvgpu_bench_ops[sf->op].emit(n, sf->id, sf->dst->gaddr,
					   sf->src->gaddr,
					   bytes / MVGPU_BENCH_PITCH);
	if (!ret)
		ret = mvgpu_bench_run(n, mvgpu_bench_ops[sf->op].engine,
				      sf->id, &ns);
	if (ret)
		return ret;
	if (mvgpu_bench_crc(sf->dst) != sf->want_op)
		res->verified = false;
	res->engine_ns = min(res->engine_ns, ns);
	res->avg_ns += ns;
	res->runs++;
	return 0;
}

static int mvgpu_bench_copy_locked(struct mvgpu_native *n,
				   enum mvgpu_bench_op op, unsigned int mib,
				   unsigned int runs,
				   struct mvgpu_native_bench *res)
{
	struct mvgpu_bench_surf sf = { .op = op };
	struct mvgpu_native_ctx_info info;
	u64 bytes = (u64)mib << 20;
	unsigned int i;
	u32 *scratch;
	int ret;

	lockdep_assert_held(&n->lock);
	ret = mvgpu_native_map_locked(n, bytes, true, &sf.src);
	if (!ret)
		ret = mvgpu_native_map_locked(n, bytes, true, &sf.dst);
	if (!ret)
		ret = mvgpu_native_ctx_create_locked(n, PAGE_SIZE, &info);
	if (ret)
		return ret;
	scratch = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!scratch)
		return -ENOMEM;
	mvgpu_bench_fill(sf.src);
	sf.id = info.id;
	sf.want_copy = mvgpu_bench_want(sf.src, MVGPU_BENCH_COPY, scratch);
	sf.want_op = mvgpu_bench_want(sf.src, op, scratch);
	kfree(scratch);
	res->bytes = bytes;
	res->engine_ns = U64_MAX;
	res->memcpy_ns = U64_MAX;
	res->verified = true;
	for (i = 0; i < runs && !ret; i++)
		ret = mvgpu_bench_pair(n, &sf, res);
	if (ret)
		return ret;
	res->avg_ns /= runs;
	return 0;
}

/**
 * mvgpu_native_bench_copy() - engine copy, fill or blend against memcpy()
 * @n: the session; cleared before and after
 * @op: MVGPU_BENCH_COPY, _FILL or _BLEND
 * @mib: MiB to copy, fill or blend, 1 to 16
 * @runs: repetitions, 1 to 10000
 * @res: the figures
 *
 * Return: 0, -EINVAL for bad arguments, or an error of the session.
 */
int mvgpu_native_bench_copy(struct mvgpu_native *n, enum mvgpu_bench_op op,
			    unsigned int mib, unsigned int runs,
			    struct mvgpu_native_bench *res)
{
	int ret;

	memset(res, 0, sizeof(*res));
	if (op >= ARRAY_SIZE(mvgpu_bench_ops) || !mib || mib > MVGPU_BENCH_MAX_MIB || !runs ||
	    runs > MVGPU_BENCH_MAX_RUNS)
		return -EINVAL;
	mutex_lock(&n->lock);
	mvgpu_native_clear_locked(n);
	ret = mvgpu_bench_copy_locked(n, op, mib, runs, res);
	mvgpu_native_clear_locked(n);
	mutex_unlock(&n->lock);
	return ret;
}

static int mvgpu_bench_empty_locked(struct mvgpu_native *n, unsigned int runs,
				    struct mvgpu_native_bench *res)
{
	struct mvgpu_native_ctx_info info;
	unsigned int i;
	u64 ns;
	int ret;

	lockdep_assert_held(&n->lock);
	ret = mvgpu_native_ctx_create_locked(n, PAGE_SIZE, &info);
	if (ret)
		return ret;
	res->engine_ns = U64_MAX;
	for (i = 0; i < runs; i++) {
		ret = mvgpu_bench_run(n, MVGPU_ENGINE_RCS, info.id, &ns);
		if (ret)
			return ret;
		res->engine_ns = min(res->engine_ns, ns);
		res->avg_ns += ns;
		res->runs++;
	}
	res->avg_ns /= runs;
	res->verified = true;
	return 0;
}

/**
 * mvgpu_native_bench_empty() - cost of a submission with nothing to run
 * @n: the session; cleared before and after
 * @runs: submissions, 1 to 10000
 * @res: the figures (@engine_ns best, @avg_ns mean)
 *
 * Return: 0, -EINVAL for bad arguments, or an error of the session.
 */
int mvgpu_native_bench_empty(struct mvgpu_native *n, unsigned int runs,
			     struct mvgpu_native_bench *res)
{
	int ret;

	memset(res, 0, sizeof(*res));
	if (!runs || runs > MVGPU_BENCH_MAX_RUNS)
		return -EINVAL;
	mutex_lock(&n->lock);
	mvgpu_native_clear_locked(n);
	ret = mvgpu_bench_empty_locked(n, runs, res);
	mvgpu_native_clear_locked(n);
	mutex_unlock(&n->lock);
	return ret;
}

/**
 * struct mvgpu_bench_rate - what a rate block works on
 * @engine: MVGPU_ENGINE_*
 * @id: the two contexts, submitted together as elements 0 and 1
 * @batch: each context's one-page batch
 * @res: one page of results, a u32 per submission
 * @st: each timed pair's stages, %MVGPU_BENCH_RATE_MAX / 2 per stage
 *      (enum mvgpu_bench_stage)
 * @pairs: timed pairs in @st
 */
struct mvgpu_bench_rate {
	unsigned int engine;
	unsigned int id[2];
	struct mvgpu_native_buf *batch[2];
	struct mvgpu_native_buf *res;
	u64 *st;
	unsigned int pairs;
};

#define MVGPU_BENCH_RATE_PAIRS	(MVGPU_BENCH_RATE_MAX / 2)

/*
 * Write @seq's batch for context @i of @r: store @seq in result slot
 * @slot, end; and emit its start (and a NOOP, so that ring commands
 * never wrap) into the context's ring.
 */
static int mvgpu_bench_rate_emit(struct mvgpu_native *n,
				 const struct mvgpu_bench_rate *r,
				 unsigned int i, unsigned int slot, u32 seq)
{
	u64 dst = r->res->gaddr + slot * sizeof(u32);
	u64 bb = r->batch[i]->gaddr;
	const u32 ring[] = {
		MVGPU_MI_BATCH_BUFFER_START, lower_32_bits(bb),
		upper_32_bits(bb), MVGPU_MI_NOOP,
	};
	__le32 *va = kmap_local_page(r->batch[i]->pages[0]);

	va[0] = cpu_to_le32(MVGPU_MI_STORE_DATA_IMM | MVGPU_MI_USE_GGTT);
	va[1] = cpu_to_le32(lower_32_bits(dst));
	va[2] = cpu_to_le32(upper_32_bits(dst));
	va[3] = cpu_to_le32(seq);
	va[4] = cpu_to_le32(MVGPU_MI_BATCH_BUFFER_END);
	kunmap_local(va);
	return mvgpu_native_emit_locked(n, r->id[i], ring, ARRAY_SIZE(ring));
}

/*
 * Submit the pair storing @seq and @seq + 1 in slots @slot and @slot + 1
 * and wait until the engine is idle; -EIO if either failed.  With
 * @timed, the pair's stages go to @r->st: the submission, from its
 * return to the idle event's record, and from there to the waiter's
 * wake-up.
 */
static int mvgpu_bench_rate_pair(struct mvgpu_native *n,
				 struct mvgpu_bench_rate *r,
				 unsigned int slot, u32 seq,
				 struct mvgpu_native_event *ev, bool timed)
{
	unsigned int i, count;
	u64 t[MVGPU_BENCH_NR_STAGES + 1];
	int ret = 0;

	for (i = 0; i < 2 && !ret; i++)
		ret = mvgpu_bench_rate_emit(n, r, i, slot + i, seq + i);
	t[0] = ktime_get_ns();
	ret = ret ?: mvgpu_native_submit_locked(n, r->engine, r->id);
	t[1] = ktime_get_ns();
	ret = ret ?: mvgpu_native_wait(n, r->engine, MVGPU_CSB_ACTIVE_TO_IDLE,
				       MVGPU_BENCH_TIMEOUT_MS, ev, &count);
	t[3] = ktime_get_ns();
	for (i = 0; !ret && i < count; i++)
		if (ev[i].status & MVGPU_CSB_ERROR)
			ret = -EIO;
	if (ret || !timed || r->pairs == MVGPU_BENCH_RATE_PAIRS)
		return ret;
	/* the idle event is the last taken; clamp what clocks may skew */
	t[2] = clamp(ev[count - 1].ns, t[1], t[3]);
	for (i = 0; i < MVGPU_BENCH_NR_STAGES; i++)
		r->st[i * MVGPU_BENCH_RATE_PAIRS + r->pairs] = t[i + 1] - t[i];
	r->pairs++;
	return 0;
}

static int mvgpu_bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* p50 and p99 of each stage of @r's timed pairs into @res. */
static void mvgpu_bench_rate_stages(struct mvgpu_bench_rate *r,
				    struct mvgpu_native_bench *res)
{
	unsigned int i;

	for (i = 0; i < MVGPU_BENCH_NR_STAGES && r->pairs; i++) {
		u64 *v = &r->st[i * MVGPU_BENCH_RATE_PAIRS];

		sort(v, r->pairs, sizeof(*v), mvgpu_bench_cmp_u64, NULL);
		res->stage_p50[i] = v[r->pairs / 2];
		res->stage_p99[i] = v[r->pairs * 99 / 100];
	}
}

/* Result slots of @r that do not hold their sequence number. */
static unsigned int mvgpu_bench_rate_wrong(const struct mvgpu_bench_rate *r,
					   unsigned int subs)
{
	__le32 *va = kmap_local_page(r->res->pages[0]);
	unsigned int i, wrong = 0;

	for (i = 0; i < subs; i++)
		wrong += le32_to_cpu(va[i]) != MVGPU_BENCH_RATE_SEQ + i;
	kunmap_local(va);
	return wrong;
}

static int mvgpu_bench_rate_setup(struct mvgpu_native *n,
				  struct mvgpu_bench_rate *r)
{
	struct mvgpu_native_ctx_info info;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < 2 && !ret; i++) {
		ret = mvgpu_native_ctx_create_locked(n, PAGE_SIZE, &info);
		if (ret)
			break;
		r->id[i] = info.id;
		ret = mvgpu_native_map_locked(n, PAGE_SIZE, true,
					      &r->batch[i]);
	}
	return ret ?: mvgpu_native_map_locked(n, PAGE_SIZE, true, &r->res);
}

static int mvgpu_bench_rate_locked(struct mvgpu_native *n,
				   unsigned int engine, unsigned int subs,
				   struct mvgpu_native_bench *res)
{
	struct mvgpu_bench_rate r = { .engine = engine };
	struct mvgpu_native_event *ev;
	unsigned int i;
	u64 t0;
	int ret;

	lockdep_assert_held(&n->lock);
	ret = mvgpu_bench_rate_setup(n, &r);
	if (ret)
		return ret;
	ev = kmalloc_array(MVGPU_NATIVE_EVENTS, sizeof(*ev), GFP_KERNEL);
	r.st = kmalloc_array(MVGPU_BENCH_NR_STAGES * MVGPU_BENCH_RATE_PAIRS,
			     sizeof(*r.st), GFP_KERNEL);
	if (!ev || !r.st) {
		ret = -ENOMEM;
		goto out;
	}
	/* warm: borrow the engines, touch every page; then poison */
	ret = mvgpu_bench_rate_pair(n, &r, 0, 0, ev, false);
	mvgpu_bench_poison(r.res);
	t0 = ktime_get_ns();
	for (i = 0; i < subs && !ret; i += 2)
		ret = mvgpu_bench_rate_pair(n, &r, i, MVGPU_BENCH_RATE_SEQ + i,
					    ev, true);
	res->engine_ns = ktime_get_ns() - t0;
	if (ret)
		goto out;
	res->runs = subs;
	res->avg_ns = div_u64(res->engine_ns, subs);
	res->verified = !mvgpu_bench_rate_wrong(&r, subs);
	mvgpu_bench_rate_stages(&r, res);
out:
	kfree(r.st);
	kfree(ev);
	return ret;
}

/**
 * mvgpu_native_bench_rate() - a block of tiny batches, two in flight
 * @n: the session; cleared before and after
 * @engine: MVGPU_ENGINE_*
 * @subs: submissions, an even number from 2 to %MVGPU_BENCH_RATE_MAX
 * @res: the figures: @engine_ns from the first submission to the last
 *       completion, @avg_ns per submission, @verified when every batch
 *       stored its sequence number, @stage_p50 and @stage_p99 of the
 *       pairs' stages
 *
 * Each submission is a one-page batch (MI_STORE_DATA_IMM of its sequence
 * number, MI_BATCH_BUFFER_END) started from its context's ring; two
 * contexts are submitted together and the next pair when the engine is
 * idle, as tests/bench/vgpu_bench.c does through a vGPU.
 *
 * Return: 0, -EINVAL for bad arguments, -EIO if a batch failed, or an
 * error of the session.
 */
int mvgpu_native_bench_rate(struct mvgpu_native *n, unsigned int engine,
			    unsigned int subs, struct mvgpu_native_bench *res)
{
	int ret;

	memset(res, 0, sizeof(*res));
	if (engine >= MVGPU_NUM_ENGINES || subs < 2 || subs % 2 ||
	    subs > MVGPU_BENCH_RATE_MAX)
		return -EINVAL;
	mutex_lock(&n->lock);
	mvgpu_native_clear_locked(n);
	ret = mvgpu_bench_rate_locked(n, engine, subs, res);
	mvgpu_native_clear_locked(n);
	mutex_unlock(&n->lock);
	return ret;
}
