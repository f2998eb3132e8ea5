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
 * @ring: GGTT address of its ring
 * @ring_size: bytes
 * @tail: where the next emitted dword goes
 */
struct mvgpu_native_ctx {
	u64 lrca;
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
};

void mvgpu_native_clear_locked(struct mvgpu_native *n);
void mvgpu_native_claim_locked(struct mvgpu_native *n);
void mvgpu_native_unmap_locked(struct mvgpu_native *n,
			       struct mvgpu_native_buf *buf);
struct page *mvgpu_native_page_locked(struct mvgpu_native *n, u64 gaddr);
int mvgpu_native_map_locked(struct mvgpu_native *n, u64 size, bool hidden,
			    struct mvgpu_native_buf **bufp);
int mvgpu_native_ctx_create_locked(struct mvgpu_native *n, u32 ring_size,
				   struct mvgpu_native_ctx_info *info);
int mvgpu_native_emit_locked(struct mvgpu_native *n, unsigned int ctx,
			     const u32 *dw, unsigned int count);
int mvgpu_native_submit_locked(struct mvgpu_native *n, unsigned int engine,
			       const unsigned int ctx[2]);

#endif /* _MVGPU_NATIVE_PRIV_H */
