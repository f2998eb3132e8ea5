/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Command scanner: checks a guest's ring and batch buffers against the
 * command table (cmd_table.h) before they reach an engine.  It works only
 * on host-owned shadow copies and reaches guest memory, and the memory
 * for the shadows, through the caller's struct mvgpu_cmd_ops, so it runs
 * unchanged in the kernel and in userspace tests and fuzzers.  See
 * Documentation/cmd-scanning.rst.
 */
#ifndef _MVGPU_CMD_PARSER_H
#define _MVGPU_CMD_PARSER_H

#include <linux/types.h>

#include <mvgpu/mvgpu_regs.h>

#include "cmd_table.h"

#define MVGPU_CMD_DEFAULT_MAX_BYTES	(4U << 20)
#define MVGPU_CMD_DEFAULT_MAX_BATCHES	256U
#define MVGPU_CMD_MAX_DEPTH		2	/* batch levels, as Gen8 */
#define MVGPU_CMD_CHUNK			4096U	/* batch copy-in granule */
#define MVGPU_CMD_ADDR_BITS		48

/* Why a workload was rejected. */
enum mvgpu_cmd_reason {
	MVGPU_CMD_OK = 0,
	MVGPU_CMD_R_UNKNOWN,	/* unknown client or opcode */
	MVGPU_CMD_R_LENGTH,	/* length field not allowed for the command */
	MVGPU_CMD_R_TRUNCATED,	/* command runs past the end of the ring */
	MVGPU_CMD_R_ENGINE,	/* command not accepted by this engine */
	MVGPU_CMD_R_PARAM,	/* field the scanner cannot size (tiling, depth) */
	MVGPU_CMD_R_ADDRESS,	/* GGTT operand outside the vGPU's memory */
	MVGPU_CMD_R_NO_PPGTT,	/* PPGTT operand in a context without one */
	MVGPU_CMD_R_REGISTER,	/* register not on the allow-list */
	MVGPU_CMD_R_BB_END_IN_RING,	/* MI_BATCH_BUFFER_END in the ring */
	MVGPU_CMD_R_DEPTH,	/* batch nesting deeper than 2 */
	MVGPU_CMD_R_CHAIN,	/* batches longer than the byte limit */
	MVGPU_CMD_R_BATCHES,	/* more batch buffers than the limit */
	MVGPU_CMD_R_COPY,	/* guest memory could not be read (copy_in) */
	MVGPU_CMD_R_SHADOW,	/* no shadow memory (alloc, grow, place) */
	MVGPU_CMD_R_COUNT
};

/**
 * struct mvgpu_shadow_buf - a host-owned copy of one guest batch buffer
 * @va: CPU address of @size bytes; set by the caller's ops
 * @size: bytes at @va; set by the caller's ops
 * @gma: GGTT address it runs from; set by @shadow_place
 * @len: bytes of commands, up to and including the one that ends the
 *	batch (more may have been copied)
 * @guest_space: %MVGPU_SPACE_GGTT or %MVGPU_SPACE_PPGTT
 * @guest_addr: the guest address it was copied from
 * @level: 1 for a first-level batch, 2 for a second-level one
 * @index: 1 for the first batch of the workload, 2 for the next, ...
 * @copied: scanner private: bytes copied in
 * @pos: scanner private: next command to scan
 * @chained: scanner private: it ended in a chaining batch start
 * @parent: scanner private: the buffer holding the batch start that
 *	jumped here
 * @parent_off: scanner private: offset of that batch start in @parent
 *
 * The caller allocates it (possibly embedded in its own tracking struct)
 * and owns it: the scanner never frees one.
 */
struct mvgpu_shadow_buf {
	void *va;
	u32 size;
	u64 gma;
	u32 len;
	enum mvgpu_cmd_space guest_space;
	u64 guest_addr;
	u32 level;
	u32 index;
	u32 copied;
	u32 pos;
	bool chained;
	struct mvgpu_shadow_buf *parent;
	u32 parent_off;
};

/**
 * struct mvgpu_cmd_verdict - what a scan found in one accepted batch
 * @len: bytes of commands, up to and including its MI_BATCH_BUFFER_END
 * @cmds: commands in them
 * @ppgtt_operands: PPGTT memory operands among them
 */
struct mvgpu_cmd_verdict {
	u32 len;
	u32 cmds;
	u32 ppgtt_operands;
};

/**
 * struct mvgpu_cmd_ops - what the scanner needs from its caller
 * @copy_in: copy @len bytes of guest graphics memory at @addr in @space
 *	(%MVGPU_SPACE_GGTT or %MVGPU_SPACE_PPGTT) to @dst; @len never
 *	crosses a 4 KiB page and, for the GGTT, lies within the vGPU's
 *	graphics memory.  Returns 0 or a negative errno.
 * @shadow_alloc: allocate a shadow buffer with at least @bytes at
 *	@va.  Returns 0 or a negative errno.
 * @shadow_grow: make @buf at least @bytes long, keeping its contents (@va
 *	may move).  Returns 0 or a negative errno.
 * @shadow_place: map the finished @buf into host-owned GGTT space so that
 *	an engine can run it, and return its GGTT address (dword aligned,
 *	below 2^48) in @gma.  Its contents no longer change.  Returns 0 or a
 *	negative errno.
 *
 * @batch_known: optional: the bytes of a first-level batch at
 *	@buf->guest_space and @buf->guest_addr that an earlier scan accepted
 *	(@batch_scanned), with what it found in them in @v, or NULL.  The
 *	scanner copies the batch into @buf as always and, when the copy
 *	equals these bytes, reuses @v instead of scanning.  The bytes must
 *	stay valid until the next op is called.
 * @batch_scanned: optional: the scan accepted the first-level batch
 *	@buf, which starts no other batch; @v says what it found in its
 *	first @v->len bytes at @buf->va.
 *
 * Buffers obtained through @shadow_alloc stay the caller's, whatever the
 * scan returns: it releases them once the workload has run or was
 * rejected.  None of the ops may call back into the scanner.
 */
struct mvgpu_cmd_ops {
	int (*copy_in)(void *priv, enum mvgpu_cmd_space space, u64 addr,
		       void *dst, u32 len);
	int (*shadow_alloc)(void *priv, u32 bytes,
			    struct mvgpu_shadow_buf **buf);
	int (*shadow_grow)(void *priv, struct mvgpu_shadow_buf *buf,
			   u32 bytes);
	int (*shadow_place)(void *priv, struct mvgpu_shadow_buf *buf,
			    u64 *gma);
	const void *(*batch_known)(void *priv,
				   const struct mvgpu_shadow_buf *buf,
				   struct mvgpu_cmd_verdict *v);
	void (*batch_scanned)(void *priv, const struct mvgpu_shadow_buf *buf,
			      const struct mvgpu_cmd_verdict *v);
};

/**
 * struct mvgpu_cmd_range - graphics memory a vGPU owns
 * @base: first GGTT address
 * @size: bytes
 */
struct mvgpu_cmd_range {
	u64 base;
	u64 size;
};

/**
 * struct mvgpu_cmd_scan - one workload's scan parameters
 * @engine: MVGPU_ENGINE_* the workload runs on
 * @ppgtt: the context has a PPGTT (%MVGPU_CTX_MODE_LEGACY_64B)
 * @gm: the vGPU's aperture and hidden ranges (a size of 0 is no range)
 * @max_bytes: limit on the bytes of all batch buffers of the workload
 * @max_batches: limit on the number of batch buffers (each batch start
 *	followed counts one)
 * @ops: the caller's ops
 * @priv: their first argument
 */
struct mvgpu_cmd_scan {
	unsigned int engine;
	bool ppgtt;
	struct mvgpu_cmd_range gm[2];
	u32 max_bytes;
	u32 max_batches;
	const struct mvgpu_cmd_ops *ops;
	void *priv;
};

/**
 * struct mvgpu_cmd_result - what a scan found
 * @reason: %MVGPU_CMD_OK, or why it rejected the workload
 * @err: 0 or the negative errno the scan returned
 * @index: buffer of the rejected command: 0 the ring, else the batch's
 *	&mvgpu_shadow_buf.index
 * @level: its batch level (0 the ring)
 * @offset: byte offset of the command in that buffer (the ring shadow
 *	or the batch's shadow)
 * @space: where the guest has it: %MVGPU_SPACE_RING (offset from the
 *	start of the ring shadow), GGTT or PPGTT
 * @cmd_addr: its guest address (for the ring, = @offset)
 * @header: its header dword (0 if none could be read)
 * @value: the offending address or register, for those reasons
 * @cmds: commands scanned
 * @batches: batch buffers shadowed
 * @batch_bytes: bytes of batch commands scanned
 * @ppgtt_operands: PPGTT memory operands seen (not range-checked here)
 * @known: batches whose bytes equalled an accepted batch's
 *	(&mvgpu_cmd_ops.batch_known): compared, not scanned again
 */
struct mvgpu_cmd_result {
	enum mvgpu_cmd_reason reason;
	int err;
	u32 index;
	u32 level;
	u32 offset;
	enum mvgpu_cmd_space space;
	u64 cmd_addr;
	u32 header;
	u64 value;
	u32 cmds;
	u32 batches;
	u32 batch_bytes;
	u32 ppgtt_operands;
	u32 known;
};

void mvgpu_cmd_scan_init(struct mvgpu_cmd_scan *s, unsigned int engine,
			 bool ppgtt, const struct mvgpu_cmd_ops *ops,
			 void *priv);
const struct mvgpu_cmd_desc *mvgpu_cmd_find(u32 header);
u32 mvgpu_cmd_length(const struct mvgpu_cmd_desc *d, u32 header);
bool mvgpu_cmd_gm_ok(const struct mvgpu_cmd_scan *s, u64 addr, u64 size);
bool mvgpu_cmd_reg_ok(unsigned int engine, u32 reg, u32 access);
const char *mvgpu_cmd_reason_str(enum mvgpu_cmd_reason reason);
int mvgpu_cmd_copy_ring(const struct mvgpu_cmd_scan *s, u64 ring_start,
			u32 ring_size, u32 head, u32 tail, void *dst);
int mvgpu_cmd_scan_ring(const struct mvgpu_cmd_scan *s, void *ring, u32 len,
			struct mvgpu_cmd_result *res);

#endif /* _MVGPU_CMD_PARSER_H */
