// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the restore side of migration
 * (gvt/migration_stream.c, with gvt/vreg*.c and gvt/cfg_space.c): what a
 * hostile or broken source can put in a device-state stream.
 *
 * The first input byte picks the mode:
 *
 * - bit 0 clear: the rest of the input is the stream, as written to the
 *   destination's data file;
 * - bit 0 set: a valid image is built from the next bytes (register
 *   values, GGTT entries, execlist state), checked to parse back to what
 *   was built, then mutated by the rest of the input (3-byte ops: 16-bit
 *   offset, XOR byte); with bit 1 set the CRC is recomputed afterwards,
 *   so the checks behind it are reached; with bit 2 set a second, FINAL
 *   image follows the first (an early image and the final one).
 *
 * Besides the sanitizers it checks that a refused stream gets one of the
 * documented errnos, that an accepted one points only inside its buffer
 * with valid indices, and that decoding its registers or config space
 * either succeeds or gives -EBADMSG.  Any violation aborts.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_space.h"
#include "mig_build.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static bool errno_ok(int ret)
{
	return ret == -ENODATA || ret == -EBADMSG || ret == -EPROTONOSUPPORT ||
	       ret == -EMEDIUMTYPE || ret == -EADDRNOTAVAIL || ret == -EFBIG;
}

/* On a copy of exactly @len bytes, so ASan sees any read past them. */
static void check_stream(const u8 *stream, size_t len,
			 const struct mvgpu_mig_expect *exp)
{
	unsigned int n = mvgpu_vreg_count();
	struct mvgpu_mig_image img;
	struct mvgpu_cfg_space cfg;
	const struct mvgpu_mig_ggtt_entry *g;
	unsigned long *seen;
	u8 *buf = malloc(len ? len : 1);	/* malloc aligns to 16 */
	u32 *vals, i;
	int ret;

	CHECK(buf);
	memcpy(buf, stream, len);
	ret = mvgpu_mig_parse_stream(buf, len, exp, &img);
	if (ret) {
		CHECK(errno_ok(ret));
		free(buf);
		return;
	}
	CHECK(img.flags & MVGPU_MIG_FINAL);
	CHECK(img.size <= len);
	CHECK(img.cfg >= buf && img.cfg + MVGPU_CFG_SIZE <= buf + len);
	CHECK(!img.nr_vregs ||
	      (img.vregs >= buf && img.vregs + 8ULL * img.nr_vregs <= buf + len));
	CHECK(!img.nr_ggtt ||
	      (img.ggtt >= buf && img.ggtt + 16ULL * img.nr_ggtt <= buf + len));
	g = (const void *)img.ggtt;
	for (i = 0; i < img.nr_ggtt; i++)
		CHECK(g[i].index < exp->ggtt_entries && g[i].pte &&
		      (!i || g[i].index > g[i - 1].index));
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		CHECK(img.execlist[i].elsp_count < 4);
	vals = calloc(n, sizeof(*vals));
	seen = calloc(BITS_TO_LONGS(n), sizeof(long));
	CHECK(vals && seen);
	mvgpu_vreg_reset_values(vals);
	ret = mvgpu_mig_decode_vregs(&img, vals, seen);
	CHECK(!ret || ret == -EBADMSG);
	mvgpu_cfg_init(&cfg, 0x42);
	ret = mvgpu_cfg_restore(&cfg, img.cfg);
	CHECK(!ret || ret == -EBADMSG);
	free(vals);
	free(seen);
	free(buf);
}

static size_t take(const u8 **data, size_t *size, void *dst, size_t len)
{
	size_t n = len < *size ? len : *size;

	memset(dst, 0, len);
	memcpy(dst, *data, n);
	*data += n;
	*size -= n;
	return n;
}

/* A valid state from the input; zeros where it ran out. */
static void state_from(struct mig_state *st, const u8 **data, size_t *size)
{
	struct mvgpu_cfg_space cfg;
	unsigned int i, n = mvgpu_vreg_count();
	u8 nr = 0;
	u16 step;

	mvgpu_cfg_init(&cfg, 0x42);
	memcpy(st->cfg, cfg.reset, sizeof(st->cfg));
	take(data, size, &st->cfg[4], 2);
	st->cfg[4] &= cfg.wmask[4];
	st->cfg[5] &= cfg.wmask[5];
	for (i = 0; i < n && *size >= 4; i++)
		take(data, size, &st->vals[i], 4);
	st->nr_vregs = n;
	take(data, size, st->execlist, sizeof(st->execlist));
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		st->execlist[i].elsp_count &= 3;
		st->execlist[i].active &= 1;
		memset(st->execlist[i].pad, 0, sizeof(st->execlist[i].pad));
	}
	take(data, size, &nr, 1);
	st->nr_ggtt = nr % 64;
	for (i = 0; i < st->nr_ggtt; i++) {
		take(data, size, &step, 2);
		st->ggtt_index[i] = (i ? st->ggtt_index[i - 1] + 1 : 0) + step % 512;
		st->ggtt_pte[i] = (u64)(i + 1) << 12 | 1;
	}
	while (st->nr_ggtt && st->ggtt_index[st->nr_ggtt - 1] >= MIG_TEST_GGTT)
		st->nr_ggtt--;
	take(data, size, &st->failsafe, 1);
	st->failsafe &= 1;
	take(data, size, &st->rejects, 1);
	if (!st->failsafe)
		st->rejects %= 16;	/* failsafe mode begins at 16 */
}

static void fix_crc(u8 *img, size_t size)
{
	put_unaligned_le32(mvgpu_mig_crc32(~0U, img, size - 8), img + size - 8);
}

static void structured(u8 mode, const u8 *data, size_t size,
		       const struct mvgpu_mig_expect *exp, u8 *buf, size_t cap)
{
	unsigned int n = mvgpu_vreg_count();
	struct mig_state st = { 0 };
	struct mvgpu_mig_image img;
	int first = 0, len;
	u16 off;
	u8 x;

	st.vals = calloc(n, sizeof(u32));
	CHECK(st.vals);
	state_from(&st, &data, &size);
	if (mode & 4) {
		first = mig_build(buf, cap, 0, &st, 0);
		CHECK(first > 0);
	}
	len = mig_build(buf, cap, first, &st, MVGPU_MIG_FINAL);
	CHECK(len > 0);
	CHECK(!mvgpu_mig_parse_stream(buf, first + len, exp, &img));
	while (size >= 3) {
		take(&data, &size, &off, 2);
		take(&data, &size, &x, 1);
		buf[off % (first + len)] ^= x;
	}
	if (mode & 2) {
		if (first)
			fix_crc(buf, first);
		fix_crc(buf + first, len);
	}
	check_stream(buf, first + len, exp);
	free(st.vals);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct mvgpu_mig_expect exp;
	size_t cap;
	u8 *buf;

	if (!size)
		return 0;
	mig_test_expect(&exp);
	cap = 2 * exp.max_image;
	buf = aligned_alloc(8, cap);
	CHECK(buf);
	if (data[0] & 1)
		structured(data[0], data + 1, size - 1, &exp, buf, cap);
	else
		check_stream(data + 1, size - 1, &exp);
	free(buf);
	return 0;
}
