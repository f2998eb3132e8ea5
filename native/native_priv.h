/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The native path's state, shared by native.c (session, memory, events),
 * engine.c (contexts, submission) and bench.c (benchmarks).
 *
 * Lock order: mvgpu_native.lock -> the backend's locks ->
 * mvgpu_native_engine.lock.  The backend's callbacks take only the
 * latter, so the session may call the backend (reset_engine, set_client)
 * with its mutex held.
 */
#ifndef _MVGPU_NATIVE_PRIV_H
#define _MVGPU_NATIVE_PRIV_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "native.h"

struct page;
struct mvgpu_bench_surf_state;

/**
 * struct mvgpu_native_buf - host pages mapped at a graphics address
 * @link: in mvgpu_native.bufs
 * @gaddr: first graphics address
 * @npages: pages mapped
 * @bad: the PTEs point at a page that is not RAM; @pages is empty
 * @pages: the pages, in graphics address order
 */
struct mvgpu_native_buf {
	struct list_head link;
	u64 gaddr;
	unsigned int npages;
	bool bad;
	struct page *pages[] __counted_by(npages);
};

/**
 * struct mvgpu_native_ctx - a context the host built
 * @lrca: GGTT address of its image (a one-page buffer)
 * @pml4: physical address of its PPGTT's PML4 (LEGACY_64B); 0: none
 *        (LEGACY_32B, GGTT only)
 * @ring: GGTT address of its ring
 * @ring_size: bytes
 * @tail: where the next emitted dword goes
 */
struct mvgpu_native_ctx {
	u64 lrca;
	u64 pml4;
	u64 ring;
	u32 ring_size;
	u32 tail;
};

/**
 * struct mvgpu_native_engine - events of one engine
 * @lock: protects @ev, @head, @count and @irqs; taken in the backend's
 *        callbacks, which run in its threads
 * @ev: ring of recorded events, oldest at @head; when full the oldest
 *      is dropped
 * @head: index of the oldest event
 * @count: events recorded
 * @irqs: user interrupts seen
 * @wq: waiters for events
 */
struct mvgpu_native_engine {
	spinlock_t lock; /* see @lock above */
	struct mvgpu_native_event ev[MVGPU_NATIVE_EVENTS];
	unsigned int head;
	unsigned int count;
	u64 irqs;
	wait_queue_head_t wq;
};

/**
 * struct mvgpu_native - the host's session on one pGPU
 * @pgpu: the pGPU
 * @be: its backend
 * @lock: protects @bufs, @bytes, @next, @ctxs, @nr_ctxs, @client_set and
 *        @plane_on, and serialises commands
 * @bufs: buffers mapped
 * @bytes: bytes of host pages held
 * @next: next free graphics address in the host aperture [0] and hidden
 *        [1] ranges
 * @ctxs: contexts, numbered from 1
 * @nr_ctxs: contexts created
 * @client_set: the session is the backend's client
 * @plane_on: the plane is enabled
 * @vblanks: vblank callbacks seen
 * @eng: per-engine events
 * @surf: the surface benchmark's buffers, kept from run to run
 *        (bench_surf.c); NULL until its first run, freed by a clear
 */
struct mvgpu_native {
	struct mvgpu_pgpu *pgpu;
	struct mvgpu_backend *be;
	struct mutex lock; /* see @lock above */
	struct list_head bufs;
	u64 bytes;
	u64 next[2];
	struct mvgpu_native_ctx ctxs[MVGPU_NATIVE_MAX_CTXS];
	unsigned int nr_ctxs;
	bool client_set;
	bool plane_on;
	atomic_t vblanks;
	struct mvgpu_native_engine eng[MVGPU_NUM_ENGINES];
	struct mvgpu_bench_surf_state *surf;
};

#define MVGPU_BENCH_MAX_MIB	16
#define MVGPU_BENCH_PITCH	16384U	/* bytes per row of a surface */
#define MVGPU_BENCH_TIMEOUT_MS	10000

void mvgpu_native_clear_locked(struct mvgpu_native *n);
void mvgpu_native_claim_locked(struct mvgpu_native *n);
void mvgpu_native_unmap_locked(struct mvgpu_native *n,
			       struct mvgpu_native_buf *buf);
struct page *mvgpu_native_page_locked(struct mvgpu_native *n, u64 gaddr);
int mvgpu_native_map_locked(struct mvgpu_native *n, u64 size, bool hidden,
			    struct mvgpu_native_buf **bufp);
void mvgpu_native_buf_swap_page_locked(struct mvgpu_native *n,
				       struct mvgpu_native_buf *buf,
				       unsigned int i, struct page *page);
int mvgpu_native_ctx_create_locked(struct mvgpu_native *n, u32 ring_size,
				   struct mvgpu_native_ctx_info *info);
int mvgpu_native_emit_locked(struct mvgpu_native *n, unsigned int ctx,
			     const u32 *dw, unsigned int count);
int mvgpu_native_submit_locked(struct mvgpu_native *n, unsigned int engine,
			       const unsigned int ctx[2]);
int mvgpu_native_ctx_set_ppgtt_locked(struct mvgpu_native *n, unsigned int id,
				      u64 pml4);
void mvgpu_native_unclaim_locked(struct mvgpu_native *n);

/* bench.c, for bench_surf.c */
void mvgpu_bench_fill(struct mvgpu_native_buf *buf);
void mvgpu_bench_poison_pages(struct page **pages, unsigned int npages);
u32 mvgpu_bench_crc_pages(struct page **pages, unsigned int npages);
u32 mvgpu_bench_want_pages(struct page **src, unsigned int npages,
			   enum mvgpu_bench_op op, u32 *scratch);
int mvgpu_bench_emit_op_locked(struct mvgpu_native *n, enum mvgpu_bench_op op,
			       unsigned int id, u64 dst, u64 src, u32 rows);
unsigned int mvgpu_bench_op_engine(enum mvgpu_bench_op op);

/* bench_surf.c */
void mvgpu_bench_surf_free_locked(struct mvgpu_native *n);

#endif /* _MVGPU_NATIVE_PRIV_H */
