/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The device-state stream of a migrating vGPU: its format, a writer and
 * a validating parser.  Pure logic, also built in userspace (tests/unit,
 * tests/fuzz).  Documentation/migration.rst describes the format.
 */
#ifndef _MVGPU_MIGRATION_STREAM_H
#define _MVGPU_MIGRATION_STREAM_H

#include <linux/types.h>

#include <mvgpu/mvgpu_regs.h>
#include <mvgpu/vgpu.h>		/* MVGPU_CFG_SIZE */

#define MVGPU_MIG_MAGIC		"mvgpuMIG"
#define MVGPU_MIG_VERSION_MAJOR	1
#define MVGPU_MIG_VERSION_MINOR	0
#define MVGPU_MIG_TYPE_LEN	16
#define MVGPU_MIG_ALIGN		8

/* Header flags */
#define MVGPU_MIG_FINAL		0x1	/* taken with the vGPU stopped */

/* Section flags */
#define MVGPU_MIG_SEC_OPTIONAL	0x1	/* a reader that does not know it skips it */

/**
 * enum mvgpu_mig_section_type - what a section holds
 * @MVGPU_MIG_SEC_CFG: PCI config space, %MVGPU_CFG_SIZE bytes
 * @MVGPU_MIG_SEC_VREGS: registers, pairs of __le32 BAR0 offset and value
 * @MVGPU_MIG_SEC_EXECLIST: per engine, struct mvgpu_mig_execlist
 * @MVGPU_MIG_SEC_GGTT: the guest's GGTT entries that are not zero, as
 *                      struct mvgpu_mig_ggtt_entry, ascending index
 * @MVGPU_MIG_SEC_VGPU: failsafe mode and counters, struct mvgpu_mig_vgpu
 * @MVGPU_MIG_SEC_END: last; __le32 CRC-32 of the image up to here
 */
enum mvgpu_mig_section_type {
	MVGPU_MIG_SEC_CFG = 1,
	MVGPU_MIG_SEC_VREGS = 2,
	MVGPU_MIG_SEC_EXECLIST = 3,
	MVGPU_MIG_SEC_GGTT = 4,
	MVGPU_MIG_SEC_VGPU = 5,
	MVGPU_MIG_SEC_END = 0xffff,
};

/**
 * struct mvgpu_mig_header - start of an image
 * @magic: %MVGPU_MIG_MAGIC
 * @version_major: %MVGPU_MIG_VERSION_MAJOR; another is refused
 * @version_minor: may only add optional sections or fields at the end
 *                 of a section
 * @header_size: bytes of the header; sections start there
 * @flags: %MVGPU_MIG_FINAL or 0 (an early, pre-copy image)
 * @image_size: bytes from the header's start to the END section's end
 * @type: vGPU type (its sysfs name), NUL padded
 * @aperture_base: graphics memory the guest was given (PV info)
 * @aperture_size: bytes
 * @hidden_base: hidden graphics memory
 * @hidden_size: bytes
 *
 * All fields little endian.  Sections follow, each a
 * struct mvgpu_mig_section and its payload padded to 8 bytes.
 */
struct mvgpu_mig_header {
	u8 magic[8];
	__le16 version_major;
	__le16 version_minor;
	__le32 header_size;
	__le32 flags;
	__le32 image_size;
	char type[MVGPU_MIG_TYPE_LEN];
	__le64 aperture_base;
	__le64 aperture_size;
	__le64 hidden_base;
	__le64 hidden_size;
};

/**
 * struct mvgpu_mig_section - a section's header
 * @type: &enum mvgpu_mig_section_type
 * @flags: %MVGPU_MIG_SEC_OPTIONAL or 0
 * @len: payload bytes, not counting this header or the padding
 */
struct mvgpu_mig_section {
	__le16 type;
	__le16 flags;
	__le32 len;
};

/**
 * struct mvgpu_mig_execlist - one engine's submit port and status
 * @elsp: descriptor dwords written so far
 * @elsp_count: how many, below 4
 * @active: the guest was told the engine is active
 * @pad: zero
 */
struct mvgpu_mig_execlist {
	__le32 elsp[4];
	u8 elsp_count;
	u8 active;
	u8 pad[2];
};

/**
 * struct mvgpu_mig_ggtt_entry - one GGTT entry
 * @index: in the vGPU's GGTT (aperture slice then hidden)
 * @pad: zero
 * @pte: what the guest wrote, not zero
 */
struct mvgpu_mig_ggtt_entry {
	__le32 index;
	__le32 pad;
	__le64 pte;
};

/* Counters carried, in this order, in struct mvgpu_mig_vgpu. */
enum mvgpu_mig_counter {
	MVGPU_MIG_CNT_SUBMISSIONS,
	MVGPU_MIG_CNT_COMPLETED,
	MVGPU_MIG_CNT_REJECTED,
	MVGPU_MIG_CNT_ERRORS,
	MVGPU_MIG_CNT_HANGS,
	MVGPU_MIG_CNT_CMDS_SCANNED,
	MVGPU_MIG_CNT_BAD_MMIO,
	MVGPU_MIG_CNT_BAD_GGTT,
	MVGPU_MIG_CNT_BAD_APERTURE,
	MVGPU_MIG_CNT_BAD_PPGTT,
	MVGPU_MIG_CNT_TRAPPED,
	MVGPU_MIG_CNT_HOST_RESETS,
	MVGPU_MIG_NR_COUNTERS,
};

/**
 * struct mvgpu_mig_vgpu - state of the vGPU outside its registers
 * @failsafe: 1 in failsafe mode, else 0
 * @rejects: workloads rejected since the last reset
 * @counters: &enum mvgpu_mig_counter
 */
struct mvgpu_mig_vgpu {
	__le32 failsafe;
	__le32 rejects;
	__le64 counters[MVGPU_MIG_NR_COUNTERS];
};

/**
 * struct mvgpu_mig_expect - what the destination vGPU accepts
 * @type: its type's sysfs name
 * @aperture_base: its graphics memory, which must be the source's
 * @aperture_size: bytes
 * @hidden_base: hidden graphics memory
 * @hidden_size: bytes
 * @ggtt_entries: entries of its GGTT
 * @max_image: largest image it takes, mvgpu_mig_max_image()
 * @failsafe_rejects: rejections at which it enters failsafe mode: a vGPU
 *                    not in failsafe mode has had fewer
 */
struct mvgpu_mig_expect {
	const char *type;
	u64 aperture_base;
	u64 aperture_size;
	u64 hidden_base;
	u64 hidden_size;
	u32 ggtt_entries;
	size_t max_image;
	u32 failsafe_rejects;
};

/**
 * struct mvgpu_mig_image - an image, validated, pointing into its buffer
 * @size: bytes of the image
 * @flags: header flags
 * @cfg: %MVGPU_CFG_SIZE bytes of config space
 * @vregs: @nr_vregs pairs of __le32 offset and value
 * @nr_vregs: how many
 * @execlist: per engine
 * @ggtt: @nr_ggtt entries, ascending index, each below the GGTT's size
 * @nr_ggtt: how many
 * @vgpu: failsafe and counters
 */
struct mvgpu_mig_image {
	size_t size;
	u32 flags;
	const u8 *cfg;
	const u8 *vregs;
	u32 nr_vregs;
	struct mvgpu_mig_execlist execlist[MVGPU_NUM_ENGINES];
	const u8 *ggtt;
	u32 nr_ggtt;
	struct mvgpu_mig_vgpu vgpu;
};

/**
 * struct mvgpu_mig_writer - builds an image in a buffer
 * @buf: the buffer
 * @cap: its bytes
 * @start: where the image being built starts in @buf
 * @len: bytes of @buf in use
 * @sec: where the open section's header is, or 0 for none
 * @err: -ENOSPC once something did not fit; the image is then unusable
 */
struct mvgpu_mig_writer {
	u8 *buf;
	size_t cap;
	size_t start;
	size_t len;
	size_t sec;
	int err;
};

size_t mvgpu_mig_max_image(u32 nr_vregs, u32 ggtt_entries);
void mvgpu_mig_write_begin(struct mvgpu_mig_writer *w, u8 *buf, size_t cap,
			   size_t start, const struct mvgpu_mig_expect *self,
			   u32 flags);
void mvgpu_mig_section_begin(struct mvgpu_mig_writer *w, u16 type);
void mvgpu_mig_put(struct mvgpu_mig_writer *w, const void *p, size_t len);
void mvgpu_mig_put_le32(struct mvgpu_mig_writer *w, u32 v);
void mvgpu_mig_put_le64(struct mvgpu_mig_writer *w, u64 v);
void mvgpu_mig_section_end(struct mvgpu_mig_writer *w);
int mvgpu_mig_write_end(struct mvgpu_mig_writer *w);

int mvgpu_mig_check_header(const void *buf, size_t len,
			   const struct mvgpu_mig_expect *exp);
int mvgpu_mig_parse_image(const void *buf, size_t len,
			  const struct mvgpu_mig_expect *exp,
			  struct mvgpu_mig_image *img);
int mvgpu_mig_parse_stream(const void *buf, size_t len,
			   const struct mvgpu_mig_expect *exp,
			   struct mvgpu_mig_image *img);
int mvgpu_mig_decode_vregs(const struct mvgpu_mig_image *img, u32 *vals,
			   unsigned long *seen);
u32 mvgpu_mig_crc32(u32 crc, const void *p, size_t len);

#endif /* _MVGPU_MIGRATION_STREAM_H */
