// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device-state stream of a migrating vGPU.
 *
 * A stream is one or more images.  An image is a header (struct
 * mvgpu_mig_header) and sections, each a type, flags and a length, its
 * payload padded to 8 bytes, the last one END with a CRC-32 of the
 * image.  A vGPU in PRE_COPY sends an early image, then a FINAL one
 * once it is stopped; the destination takes the last one.
 *
 * The parser trusts nothing: every length, index, count and flag is
 * checked before anything is read through it, and an image is only
 * handed out once every section of it was checked.  It allocates
 * nothing; the caller applies the image afterwards, so a refused stream
 * leaves the destination as it was.  Errors:
 *
 * - -ENODATA: the stream ends inside an image, or has no FINAL image;
 * - -EBADMSG: bad magic, CRC, lengths, padding, values or sections;
 * - -EPROTONOSUPPORT: another major version, or a section this version
 *   does not know that is not optional;
 * - -EMEDIUMTYPE: another vGPU type;
 * - -EADDRNOTAVAIL: another graphics memory placement;
 * - -EFBIG: an image larger than the destination could have sent.
 */
#include <linux/bitops.h>
#include <linux/crc32.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "migration_stream.h"
#include "vreg.h"

#define SEC_HDR		sizeof(struct mvgpu_mig_section)
#define HDR		sizeof(struct mvgpu_mig_header)
#define CRC_LEN		4

static size_t mig_pad(size_t len)
{
	return ALIGN(len, MVGPU_MIG_ALIGN);
}

/**
 * mvgpu_mig_crc32() - the stream's checksum
 * @crc: previous value, ~0 to start
 * @p: bytes
 * @len: how many
 *
 * Return: CRC-32 (IEEE 802.3, as crc32_le()).
 */
u32 mvgpu_mig_crc32(u32 crc, const void *p, size_t len)
{
	return crc32_le(crc, p, len);
}

/**
 * mvgpu_mig_max_image() - most bytes an image of a vGPU can take
 * @nr_vregs: registers in its file
 * @ggtt_entries: entries of its GGTT
 *
 * Return: the size of an image with every register and every GGTT entry.
 */
size_t mvgpu_mig_max_image(u32 nr_vregs, u32 ggtt_entries)
{
	return HDR +
	       SEC_HDR + mig_pad(MVGPU_CFG_SIZE) +
	       SEC_HDR + (size_t)nr_vregs * 8 +
	       SEC_HDR + mig_pad(MVGPU_NUM_ENGINES *
				 sizeof(struct mvgpu_mig_execlist)) +
	       SEC_HDR + (size_t)ggtt_entries *
			 sizeof(struct mvgpu_mig_ggtt_entry) +
	       SEC_HDR + mig_pad(sizeof(struct mvgpu_mig_vgpu)) +
	       SEC_HDR + mig_pad(CRC_LEN);
}

static void *mig_room(struct mvgpu_mig_writer *w, size_t len)
{
	void *p;

	if (w->err || len > w->cap - w->len) {
		w->err = -ENOSPC;
		return NULL;
	}
	p = w->buf + w->len;
	w->len += len;
	return p;
}

/**
 * mvgpu_mig_put() - append payload bytes to the open section
 * @w: writer
 * @p: bytes
 * @len: how many
 */
void mvgpu_mig_put(struct mvgpu_mig_writer *w, const void *p, size_t len)
{
	void *dst = mig_room(w, len);

	if (dst)
		memcpy(dst, p, len);
}

/**
 * mvgpu_mig_put_le32() - append a little-endian 32-bit value
 * @w: writer
 * @v: the value
 */
void mvgpu_mig_put_le32(struct mvgpu_mig_writer *w, u32 v)
{
	void *dst = mig_room(w, 4);

	if (dst)
		put_unaligned_le32(v, dst);
}

/**
 * mvgpu_mig_put_le64() - append a little-endian 64-bit value
 * @w: writer
 * @v: the value
 */
void mvgpu_mig_put_le64(struct mvgpu_mig_writer *w, u64 v)
{
	void *dst = mig_room(w, 8);

	if (dst)
		put_unaligned_le64(v, dst);
}

/**
 * mvgpu_mig_write_begin() - start an image with its header
 * @w: writer
 * @buf: buffer the stream is built in
 * @cap: its bytes
 * @start: where the image starts in @buf (after earlier images), a
 *         multiple of 8
 * @self: the saving vGPU's type and placement
 * @flags: %MVGPU_MIG_FINAL or 0
 */
void mvgpu_mig_write_begin(struct mvgpu_mig_writer *w, u8 *buf, size_t cap,
			   size_t start, const struct mvgpu_mig_expect *self,
			   u32 flags)
{
	struct mvgpu_mig_header *h;

	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->cap = cap;
	w->start = start;
	w->len = start;
	if (start > cap) {
		w->err = -ENOSPC;
		return;
	}
	h = mig_room(w, HDR);
	if (!h)
		return;
	memset(h, 0, HDR);
	memcpy(h->magic, MVGPU_MIG_MAGIC, sizeof(h->magic));
	put_unaligned_le16(MVGPU_MIG_VERSION_MAJOR, &h->version_major);
	put_unaligned_le16(MVGPU_MIG_VERSION_MINOR, &h->version_minor);
	put_unaligned_le32(HDR, &h->header_size);
	put_unaligned_le32(flags, &h->flags);
	memcpy(h->type, self->type,
	       min(strlen(self->type), sizeof(h->type) - 1));
	put_unaligned_le64(self->aperture_base, &h->aperture_base);
	put_unaligned_le64(self->aperture_size, &h->aperture_size);
	put_unaligned_le64(self->hidden_base, &h->hidden_base);
	put_unaligned_le64(self->hidden_size, &h->hidden_size);
}

/**
 * mvgpu_mig_section_begin() - open a section
 * @w: writer, with no section open
 * @type: &enum mvgpu_mig_section_type
 */
void mvgpu_mig_section_begin(struct mvgpu_mig_writer *w, u16 type)
{
	size_t at = w->len;
	struct mvgpu_mig_section *s = mig_room(w, SEC_HDR);

	if (!s)
		return;
	put_unaligned_le16(type, &s->type);
	put_unaligned_le16(0, &s->flags);
	put_unaligned_le32(0, &s->len);
	w->sec = at;
}

/**
 * mvgpu_mig_section_end() - close the open section, padding it
 * @w: writer
 */
void mvgpu_mig_section_end(struct mvgpu_mig_writer *w)
{
	size_t len = w->len - w->sec - SEC_HDR;
	size_t pad = mig_pad(len) - len;
	void *p;

	if (w->err)
		return;
	put_unaligned_le32(len, &((struct mvgpu_mig_section *)
				  (w->buf + w->sec))->len);
	p = mig_room(w, pad);
	if (p)
		memset(p, 0, pad);
	w->sec = 0;
}

/**
 * mvgpu_mig_write_end() - close the image with END and its CRC
 * @w: writer, with no section open
 *
 * Return: the image's size, or -ENOSPC when the buffer was too small.
 */
int mvgpu_mig_write_end(struct mvgpu_mig_writer *w)
{
	struct mvgpu_mig_header *h;
	size_t size;
	u32 crc;

	struct mvgpu_mig_section *s = mig_room(w, SEC_HDR);
	u8 *p;

	if (!s)
		return w->err;
	/* the CRC covers the END header, its length included */
	put_unaligned_le16(MVGPU_MIG_SEC_END, &s->type);
	put_unaligned_le16(0, &s->flags);
	put_unaligned_le32(CRC_LEN, &s->len);
	size = w->len - w->start + mig_pad(CRC_LEN);
	h = (struct mvgpu_mig_header *)(w->buf + w->start);
	put_unaligned_le32(size, &h->image_size);
	crc = mvgpu_mig_crc32(~0U, w->buf + w->start, w->len - w->start);
	p = mig_room(w, mig_pad(CRC_LEN));
	if (!p)
		return w->err;
	memset(p, 0, mig_pad(CRC_LEN));
	put_unaligned_le32(crc, p);
	return size;
}

static bool mig_type_ok(const char *type, const char *want)
{
	size_t n = strnlen(type, MVGPU_MIG_TYPE_LEN);

	return n < MVGPU_MIG_TYPE_LEN && n == strlen(want) &&
	       !memcmp(type, want, n);
}

/**
 * mvgpu_mig_check_header() - is this the start of an image we can take?
 * @buf: the stream's first bytes
 * @len: how many; a header needs sizeof(struct mvgpu_mig_header)
 * @exp: the destination
 *
 * Lets the destination refuse an incompatible stream at its first write.
 *
 * Return: 0, -ENODATA when @len is too short to tell, or the errors of
 * the file's comment.
 */
int mvgpu_mig_check_header(const void *buf, size_t len,
			   const struct mvgpu_mig_expect *exp)
{
	const struct mvgpu_mig_header *h = buf;
	u32 hsize, isize;

	if (len < HDR)
		return -ENODATA;
	if (memcmp(h->magic, MVGPU_MIG_MAGIC, sizeof(h->magic)))
		return -EBADMSG;
	if (get_unaligned_le16(&h->version_major) != MVGPU_MIG_VERSION_MAJOR)
		return -EPROTONOSUPPORT;
	hsize = get_unaligned_le32(&h->header_size);
	isize = get_unaligned_le32(&h->image_size);
	if (hsize < HDR || hsize % MVGPU_MIG_ALIGN || isize % MVGPU_MIG_ALIGN ||
	    isize < hsize + SEC_HDR + mig_pad(CRC_LEN) ||
	    get_unaligned_le32(&h->flags) & ~MVGPU_MIG_FINAL)
		return -EBADMSG;
	if (isize > exp->max_image)
		return -EFBIG;
	if (!mig_type_ok(h->type, exp->type))
		return -EMEDIUMTYPE;
	if (get_unaligned_le64(&h->aperture_base) != exp->aperture_base ||
	    get_unaligned_le64(&h->aperture_size) != exp->aperture_size ||
	    get_unaligned_le64(&h->hidden_base) != exp->hidden_base ||
	    get_unaligned_le64(&h->hidden_size) != exp->hidden_size)
		return -EADDRNOTAVAIL;
	return 0;
}

static bool mig_zero(const u8 *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

static int mig_parse_execlist(const u8 *p, u32 len, struct mvgpu_mig_image *img)
{
	unsigned int e;

	if (len != sizeof(img->execlist))
		return -EBADMSG;
	memcpy(img->execlist, p, len);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		const struct mvgpu_mig_execlist *x = &img->execlist[e];

		if (x->elsp_count > 3 || x->active > 1 ||
		    !mig_zero(x->pad, sizeof(x->pad)))
			return -EBADMSG;
	}
	return 0;
}

static int mig_parse_ggtt(const u8 *p, u32 len, const struct mvgpu_mig_expect *exp,
			  struct mvgpu_mig_image *img)
{
	const struct mvgpu_mig_ggtt_entry *g = (const void *)p;
	u32 i, n = len / sizeof(*g);
	s64 prev = -1;

	if (len % sizeof(*g) || n > exp->ggtt_entries)
		return -EBADMSG;
	for (i = 0; i < n; i++) {
		u32 index = get_unaligned_le32(&g[i].index);

		if (index >= exp->ggtt_entries || (s64)index <= prev ||
		    get_unaligned_le32(&g[i].pad) ||
		    !get_unaligned_le64(&g[i].pte))
			return -EBADMSG;
		prev = index;
	}
	img->ggtt = p;
	img->nr_ggtt = n;
	return 0;
}

static int mig_parse_vgpu(const u8 *p, u32 len,
			  const struct mvgpu_mig_expect *exp,
			  struct mvgpu_mig_image *img)
{
	u32 failsafe;

	/* a later minor version may append fields */
	if (len < sizeof(img->vgpu))
		return -EBADMSG;
	memcpy(&img->vgpu, p, sizeof(img->vgpu));
	failsafe = get_unaligned_le32(&img->vgpu.failsafe);
	if (failsafe > 1)
		return -EBADMSG;
	/* a state no vGPU is in: it would go on to failsafe late, or never */
	if (!failsafe &&
	    get_unaligned_le32(&img->vgpu.rejects) >= exp->failsafe_rejects)
		return -EBADMSG;
	return 0;
}

static int mig_parse_section(u16 type, const u8 *p, u32 len,
			     const struct mvgpu_mig_expect *exp,
			     struct mvgpu_mig_image *img)
{
	switch (type) {
	case MVGPU_MIG_SEC_CFG:
		if (len != MVGPU_CFG_SIZE)
			return -EBADMSG;
		img->cfg = p;
		return 0;
	case MVGPU_MIG_SEC_VREGS:
		if (len % 8)
			return -EBADMSG;
		img->vregs = p;
		img->nr_vregs = len / 8;
		return 0;
	case MVGPU_MIG_SEC_EXECLIST:
		return mig_parse_execlist(p, len, img);
	case MVGPU_MIG_SEC_GGTT:
		return mig_parse_ggtt(p, len, exp, img);
	case MVGPU_MIG_SEC_VGPU:
		return mig_parse_vgpu(p, len, exp, img);
	}
	return -EPROTONOSUPPORT;
}

#define MIG_REQUIRED	(BIT(MVGPU_MIG_SEC_CFG) | BIT(MVGPU_MIG_SEC_VREGS) | \
			 BIT(MVGPU_MIG_SEC_EXECLIST) | BIT(MVGPU_MIG_SEC_GGTT) | \
			 BIT(MVGPU_MIG_SEC_VGPU))

/* Walks the sections of an image whose header was checked. */
static int mig_parse_sections(const u8 *base, size_t size,
			      const struct mvgpu_mig_expect *exp,
			      struct mvgpu_mig_image *img)
{
	size_t off = get_unaligned_le32(&((const struct mvgpu_mig_header *)
					 base)->header_size);
	unsigned long seen = 0;
	int ret;

	while (off <= size - SEC_HDR) {
		const struct mvgpu_mig_section *s = (const void *)(base + off);
		u16 type = get_unaligned_le16(&s->type);
		u16 flags = get_unaligned_le16(&s->flags);
		u32 len = get_unaligned_le32(&s->len);
		const u8 *p = base + off + SEC_HDR;

		if (flags & ~MVGPU_MIG_SEC_OPTIONAL ||
		    len > size - off - SEC_HDR ||
		    mig_pad(len) > size - off - SEC_HDR ||
		    !mig_zero(p + len, mig_pad(len) - len))
			return -EBADMSG;
		if (type == MVGPU_MIG_SEC_END) {
			if (len != CRC_LEN || off + SEC_HDR + mig_pad(len) != size)
				return -EBADMSG;
			if (mvgpu_mig_crc32(~0U, base, off + SEC_HDR) !=
			    get_unaligned_le32(p))
				return -EBADMSG;
			return (seen & MIG_REQUIRED) == MIG_REQUIRED ? 0 : -EBADMSG;
		}
		if (type < BITS_PER_LONG && (seen & BIT(type)))
			return -EBADMSG;
		ret = mig_parse_section(type, p, len, exp, img);
		if (ret == -EPROTONOSUPPORT && (flags & MVGPU_MIG_SEC_OPTIONAL))
			ret = 0;
		if (ret)
			return ret;
		if (type < BITS_PER_LONG)
			seen |= BIT(type);
		off += SEC_HDR + mig_pad(len);
	}
	return -EBADMSG;
}

/**
 * mvgpu_mig_parse_image() - check one image and find its sections
 * @buf: the image's first byte, 8-byte aligned
 * @len: bytes from there to the end of the stream
 * @exp: the destination
 * @img: filled in on success, pointing into @buf
 *
 * Return: 0, or the errors of the file's comment.
 */
int mvgpu_mig_parse_image(const void *buf, size_t len,
			  const struct mvgpu_mig_expect *exp,
			  struct mvgpu_mig_image *img)
{
	const struct mvgpu_mig_header *h = buf;
	size_t size;
	int ret;

	memset(img, 0, sizeof(*img));
	ret = mvgpu_mig_check_header(buf, len, exp);
	if (ret)
		return ret;
	size = get_unaligned_le32(&h->image_size);
	if (size > len)
		return -ENODATA;
	ret = mig_parse_sections(buf, size, exp, img);
	if (ret) {
		memset(img, 0, sizeof(*img));
		return ret;
	}
	img->size = size;
	img->flags = get_unaligned_le32(&h->flags);
	return 0;
}

/**
 * mvgpu_mig_parse_stream() - check a whole stream, find its last image
 * @buf: the stream, 8-byte aligned
 * @len: its bytes
 * @exp: the destination
 * @img: its FINAL image on success
 *
 * Every image must be valid; the FINAL one must be the last.
 *
 * Return: 0, or the errors of the file's comment.
 */
int mvgpu_mig_parse_stream(const void *buf, size_t len,
			   const struct mvgpu_mig_expect *exp,
			   struct mvgpu_mig_image *img)
{
	size_t off = 0;
	int ret;

	memset(img, 0, sizeof(*img));
	if (!len)
		return -ENODATA;
	while (off < len) {
		ret = mvgpu_mig_parse_image((const u8 *)buf + off, len - off,
					    exp, img);
		if (ret)
			return ret;
		off += img->size;
		if (img->flags & MVGPU_MIG_FINAL)
			return off == len ? 0 : -EBADMSG;
	}
	memset(img, 0, sizeof(*img));
	return -ENODATA;
}

/**
 * mvgpu_mig_decode_vregs() - the image's registers into a register file
 * @img: a parsed image
 * @vals: mvgpu_vreg_count() values, holding reset values; registers the
 *        image has are overwritten
 * @seen: a zeroed bitmap of mvgpu_vreg_count() bits, scratch
 *
 * Each register must be one of the interface, named by the offset of
 * its first dword, and appear once.
 *
 * Return: 0, or -EBADMSG (@vals is then partly written).
 */
int mvgpu_mig_decode_vregs(const struct mvgpu_mig_image *img, u32 *vals,
			   unsigned long *seen)
{
	u32 i;

	for (i = 0; i < img->nr_vregs; i++) {
		u32 off = get_unaligned_le32(img->vregs + 8 * i);
		unsigned int slot;

		if (off % 4 || !mvgpu_vreg_find(off, &slot) ||
		    mvgpu_vreg_slot_offset(slot) != off ||
		    test_and_set_bit(slot, seen))
			return -EBADMSG;
		vals[slot] = get_unaligned_le32(img->vregs + 8 * i + 4);
	}
	return 0;
}
