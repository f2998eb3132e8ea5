// SPDX-License-Identifier: GPL-2.0-only
/*
 * The native path: the session and its memory.  Buffers are host pages
 * (alloc_page) mapped through the backend's GGTT into the parts of
 * graphics memory the pGPU keeps for the host's clients (MVGPU_PGPU_HOST_*),
 * allocated upwards and released all at once by a clear.  At most
 * MVGPU_NATIVE_MAX_BYTES of pages are held.  Graphics address 0 is never
 * mapped (the aperture range starts one page up), so a zero address in a
 * command faults.
 */
#include <linux/crc32.h>
#include <linux/highmem.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include <mvgpu/host.h>
#include <mvgpu/mvgpu_pci.h>

#include "native_priv.h"

/* A physical page no machine has: a valid PTE that is not RAM. */
#define MVGPU_NATIVE_BAD_PHYS	0x00007ffffffff000ULL

/**
 * struct mvgpu_native_range - graphics memory the session's buffers take
 * @base: first graphics address
 * @size: bytes
 */
struct mvgpu_native_range {
	u64 base;
	u64 size;
};

static const struct mvgpu_native_range mvgpu_native_ranges[2] = {
	{ MVGPU_PGPU_HOST_APERTURE_BASE + PAGE_SIZE,
	  MVGPU_PGPU_HOST_APERTURE_SIZE - PAGE_SIZE },
	{ MVGPU_PGPU_HOST_HIDDEN_BASE, MVGPU_PGPU_HOST_HIDDEN_SIZE },
};

/**
 * mvgpu_native_unmap_locked() - unmap and free a buffer
 * @n: the session, locked; no engine may be using the buffer
 * @buf: the buffer
 *
 * Its graphics addresses are not reused before the next clear.
 */
void mvgpu_native_unmap_locked(struct mvgpu_native *n,
			       struct mvgpu_native_buf *buf)
{
	u32 first = buf->gaddr >> PAGE_SHIFT;
	unsigned int i;

	lockdep_assert_held(&n->lock);
	for (i = 0; i < buf->npages; i++) {
		n->be->ops->ggtt_write(n->be, first + i, 0);
		if (!buf->bad)
			__free_page(buf->pages[i]);
	}
	if (!buf->bad)
		n->bytes -= (u64)buf->npages << PAGE_SHIFT;
	list_del(&buf->link);
	kvfree(buf);
}

/* Allocate and map the pages of a new buffer; nothing is held on error. */
static int mvgpu_native_buf_fill(struct mvgpu_native *n,
				 struct mvgpu_native_buf *buf)
{
	u32 first = buf->gaddr >> PAGE_SHIFT;
	unsigned int i;

	for (i = 0; i < buf->npages; i++) {
		u64 pte = MVGPU_NATIVE_BAD_PHYS | MVGPU_PTE_VALID;

		if (!buf->bad) {
			buf->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
			if (!buf->pages[i])
				goto err;
			pte = PFN_PHYS(page_to_pfn(buf->pages[i])) |
			      MVGPU_PTE_VALID;
		}
		n->be->ops->ggtt_write(n->be, first + i, pte);
	}
	return 0;

err:
	while (i--) {
		n->be->ops->ggtt_write(n->be, first + i, 0);
		__free_page(buf->pages[i]);
	}
	return -ENOMEM;
}

/**
 * mvgpu_native_buf_swap_page_locked() - put another page under a buffer
 * @n: the session, locked
 * @buf: a buffer of RAM pages
 * @i: the page to replace, below @buf->npages
 * @page: the new page; the buffer owns it from now on
 *
 * The graphics address of page @i maps @page from now on, and the old
 * page is freed (@page is, if the call is wrong).  Nothing may be running
 * on the buffer.
 */
void mvgpu_native_buf_swap_page_locked(struct mvgpu_native *n,
				       struct mvgpu_native_buf *buf,
				       unsigned int i, struct page *page)
{
	lockdep_assert_held(&n->lock);
	if (WARN_ON(buf->bad || i >= buf->npages)) {
		__free_page(page);
		return;
	}
	n->be->ops->ggtt_write(n->be, (buf->gaddr >> PAGE_SHIFT) + i,
			       PFN_PHYS(page_to_pfn(page)) | MVGPU_PTE_VALID);
	__free_page(buf->pages[i]);
	buf->pages[i] = page;
}

static int mvgpu_native_map(struct mvgpu_native *n, u64 size, bool hidden,
			    bool bad, struct mvgpu_native_buf **bufp)
{
	const struct mvgpu_native_range *r = &mvgpu_native_ranges[hidden];
	struct mvgpu_native_buf *buf;
	unsigned int npages;

	if (!size || size > MVGPU_NATIVE_MAX_BYTES)
		return -EINVAL;
	size = PAGE_ALIGN(size);
	if (!bad && n->bytes + size > MVGPU_NATIVE_MAX_BYTES)
		return -ENOSPC;
	if (n->next[hidden] + size > r->base + r->size)
		return -ENOSPC;
	npages = size >> PAGE_SHIFT;
	buf = kvzalloc(struct_size(buf, pages, bad ? 0 : npages), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	buf->npages = npages;
	buf->gaddr = n->next[hidden];
	buf->bad = bad;
	if (mvgpu_native_buf_fill(n, buf)) {
		kvfree(buf);
		return -ENOMEM;
	}
	if (!bad)
		n->bytes += size;
	n->next[hidden] += size;
	list_add_tail(&buf->link, &n->bufs);
	if (bufp)
		*bufp = buf;
	return 0;
}

/**
 * mvgpu_native_map_locked() - map a new zeroed buffer
 * @n: the session, locked
 * @size: bytes, rounded up to pages
 * @hidden: in the hidden range, else in the aperture range
 * @bufp: if not NULL, set to the buffer
 *
 * Return: 0, -EINVAL for a bad size, -ENOSPC when over the limit or out
 * of graphics memory, -ENOMEM.
 */
int mvgpu_native_map_locked(struct mvgpu_native *n, u64 size, bool hidden,
			    struct mvgpu_native_buf **bufp)
{
	lockdep_assert_held(&n->lock);
	return mvgpu_native_map(n, size, hidden, false, bufp);
}

/**
 * mvgpu_native_alloc() - map a new zeroed buffer
 * @n: the session
 * @size: bytes, rounded up to pages
 * @hidden: in the hidden range, else in the aperture range
 * @gaddr: its graphics address
 *
 * Return: 0 or a negative errno, see mvgpu_native_map_locked().
 */
int mvgpu_native_alloc(struct mvgpu_native *n, u64 size, bool hidden,
		       u64 *gaddr)
{
	struct mvgpu_native_buf *buf;
	int ret;

	mutex_lock(&n->lock);
	ret = mvgpu_native_map(n, size, hidden, false, &buf);
	if (!ret)
		*gaddr = buf->gaddr;
	mutex_unlock(&n->lock);
	return ret;
}

/**
 * mvgpu_native_badmap() - map graphics memory to a page that is not RAM
 * @n: the session
 * @size: bytes, rounded up to pages
 * @gaddr: its graphics address, in the aperture range
 *
 * Any access to it through the GPU is a page fault.
 *
 * Return: 0 or a negative errno.
 */
int mvgpu_native_badmap(struct mvgpu_native *n, u64 size, u64 *gaddr)
{
	struct mvgpu_native_buf *buf;
	int ret;

	mutex_lock(&n->lock);
	ret = mvgpu_native_map(n, size, false, true, &buf);
	if (!ret)
		*gaddr = buf->gaddr;
	mutex_unlock(&n->lock);
	return ret;
}

/**
 * mvgpu_native_page_locked() - the page of a buffer at a graphics address
 * @n: the session, locked
 * @gaddr: the address
 *
 * Return: the page, or NULL if no RAM buffer maps @gaddr.
 */
struct page *mvgpu_native_page_locked(struct mvgpu_native *n, u64 gaddr)
{
	struct mvgpu_native_buf *buf;

	lockdep_assert_held(&n->lock);
	list_for_each_entry(buf, &n->bufs, link) {
		u64 off = gaddr - buf->gaddr;

		if (gaddr >= buf->gaddr &&
		    off < ((u64)buf->npages << PAGE_SHIFT))
			return buf->bad ? NULL : buf->pages[off >> PAGE_SHIFT];
	}
	return NULL;
}

typedef void (*mvgpu_native_page_fn)(void *va, size_t len, void *arg);

/* Call @fn on each piece of [@gaddr, @gaddr + @len), page by page. */
static int mvgpu_native_walk(struct mvgpu_native *n, u64 gaddr, u64 len,
			     mvgpu_native_page_fn fn, void *arg)
{
	while (len) {
		size_t off = offset_in_page(gaddr);
		size_t chunk = min_t(u64, len, PAGE_SIZE - off);
		struct page *page = mvgpu_native_page_locked(n, gaddr);
		u8 *va;

		if (!page)
			return -EFAULT;
		va = kmap_local_page(page);
		fn(va + off, chunk, arg);
		kunmap_local(va);
		gaddr += chunk;
		len -= chunk;
	}
	return 0;
}

struct mvgpu_native_copy {
	u8 *buf;
	bool write;
};

static void mvgpu_native_copy_fn(void *va, size_t len, void *arg)
{
	struct mvgpu_native_copy *c = arg;

	if (c->write)
		memcpy(va, c->buf, len);
	else
		memcpy(c->buf, va, len);
	c->buf += len;
}

/**
 * mvgpu_native_rw() - CPU access to the session's buffers
 * @n: the session
 * @gaddr: graphics address
 * @buf: kernel buffer
 * @len: bytes
 * @write: copy @buf to graphics memory, else from it
 *
 * Return: 0, or -EFAULT if part of the range is not a RAM buffer (the
 * part before it is copied).
 */
int mvgpu_native_rw(struct mvgpu_native *n, u64 gaddr, void *buf,
		    size_t len, bool write)
{
	struct mvgpu_native_copy c = { .buf = buf, .write = write };
	int ret;

	mutex_lock(&n->lock);
	ret = mvgpu_native_walk(n, gaddr, len, mvgpu_native_copy_fn, &c);
	mutex_unlock(&n->lock);
	return ret;
}

static void mvgpu_native_crc_fn(void *va, size_t len, void *arg)
{
	u32 *crc = arg;

	*crc = crc32_le(*crc, va, len);
}

/**
 * mvgpu_native_crc() - CRC-32 (as zlib's crc32()) of graphics memory
 * @n: the session
 * @gaddr: graphics address
 * @len: bytes
 * @crc: the result
 *
 * Return: 0, or -EFAULT if part of the range is not a RAM buffer.
 */
int mvgpu_native_crc(struct mvgpu_native *n, u64 gaddr, u64 len, u32 *crc)
{
	u32 c = ~0U;
	int ret;

	mutex_lock(&n->lock);
	ret = mvgpu_native_walk(n, gaddr, len, mvgpu_native_crc_fn, &c);
	mutex_unlock(&n->lock);
	*crc = ~c;
	return ret;
}

static void mvgpu_native_ctx_event(void *priv, unsigned int engine,
				   const struct mvgpu_ctx_event *ev)
{
	struct mvgpu_native *n = priv;
	struct mvgpu_native_engine *ne;
	struct mvgpu_native_event *slot;

	if (engine >= MVGPU_NUM_ENGINES)
		return;
	ne = &n->eng[engine];
	spin_lock(&ne->lock);
	if (ne->count == MVGPU_NATIVE_EVENTS) {
		ne->head = (ne->head + 1) % MVGPU_NATIVE_EVENTS;
		ne->count--;
	}
	slot = &ne->ev[(ne->head + ne->count++) % MVGPU_NATIVE_EVENTS];
	memset(slot, 0, sizeof(*slot));
	slot->status = ev->status;
	slot->ctx_id = ev->ctx_id;
	if (ev->error)
		slot->err = *ev->error;
	slot->ns = ktime_get_ns();
	spin_unlock(&ne->lock);
	wake_up(&ne->wq);
}

static void mvgpu_native_user_interrupt(void *priv, unsigned int engine,
					void *cookie)
{
	struct mvgpu_native *n = priv;

	if (engine >= MVGPU_NUM_ENGINES)
		return;
	spin_lock(&n->eng[engine].lock);
	n->eng[engine].irqs++;
	spin_unlock(&n->eng[engine].lock);
}

static void mvgpu_native_vblank(void *priv, u32 frame)
{
	struct mvgpu_native *n = priv;

	atomic_inc(&n->vblanks);
}

/**
 * mvgpu_native_claim_locked() - borrow the engines from the scheduler
 * @n: the session, locked
 *
 * vGPU work is held back until the session is cleared.
 */
void mvgpu_native_claim_locked(struct mvgpu_native *n)
{
	struct mvgpu_backend_client client = {
		.ctx_event = mvgpu_native_ctx_event,
		.user_interrupt = mvgpu_native_user_interrupt,
		.vblank = mvgpu_native_vblank,
		.priv = n,
	};

	lockdep_assert_held(&n->lock);
	if (n->client_set)
		return;
	mvgpu_pgpu_set_host(n->pgpu, &client);
	n->client_set = true;
}

/**
 * mvgpu_native_unclaim_locked() - give the engines back to the scheduler
 * @n: the session, locked
 *
 * Resets both engines first if the session had borrowed them (which
 * waits until they no longer touch memory); keeps the buffers and
 * contexts.  The next submission borrows the engines again.
 */
void mvgpu_native_unclaim_locked(struct mvgpu_native *n)
{
	unsigned int i;

	lockdep_assert_held(&n->lock);
	if (!n->client_set)
		return;
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		n->be->ops->reset_engine(n->be, i);
	mvgpu_pgpu_set_host(n->pgpu, NULL);
	n->client_set = false;
}

/**
 * mvgpu_native_clear_locked() - stop the engines and drop everything
 * @n: the session, locked
 *
 * Resets both engines if the session used them (which waits until they
 * no longer touch memory) and gives them back to the scheduler, then
 * unmaps and frees every buffer, forgets the contexts and events and
 * disables the plane.
 */
void mvgpu_native_clear_locked(struct mvgpu_native *n)
{
	struct mvgpu_native_buf *buf, *tmp;
	struct mvgpu_plane off = { };
	unsigned int i;

	lockdep_assert_held(&n->lock);
	if (n->plane_on)
		n->be->ops->set_plane(n->be, &off);
	n->plane_on = false;
	mvgpu_native_unclaim_locked(n);
	mvgpu_bench_surf_free_locked(n);
	list_for_each_entry_safe(buf, tmp, &n->bufs, link)
		mvgpu_native_unmap_locked(n, buf);
	n->next[0] = mvgpu_native_ranges[0].base;
	n->next[1] = mvgpu_native_ranges[1].base;
	n->nr_ctxs = 0;
	atomic_set(&n->vblanks, 0);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		spin_lock(&n->eng[i].lock);
		n->eng[i].head = 0;
		n->eng[i].count = 0;
		n->eng[i].irqs = 0;
		spin_unlock(&n->eng[i].lock);
	}
}

/**
 * mvgpu_native_clear() - stop the engines and drop everything
 * @n: the session
 */
void mvgpu_native_clear(struct mvgpu_native *n)
{
	mutex_lock(&n->lock);
	mvgpu_native_clear_locked(n);
	mutex_unlock(&n->lock);
}

/**
 * mvgpu_native_create() - an empty session on a pGPU
 * @pgpu: the pGPU; its backend must outlive the session
 *
 * Return: the session or NULL.
 */
struct mvgpu_native *mvgpu_native_create(struct mvgpu_pgpu *pgpu)
{
	struct mvgpu_native *n;
	unsigned int i;

	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return NULL;
	n->pgpu = pgpu;
	n->be = mvgpu_pgpu_backend(pgpu);
	mutex_init(&n->lock);
	INIT_LIST_HEAD(&n->bufs);
	n->next[0] = mvgpu_native_ranges[0].base;
	n->next[1] = mvgpu_native_ranges[1].base;
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		spin_lock_init(&n->eng[i].lock);
		init_waitqueue_head(&n->eng[i].wq);
	}
	return n;
}

/**
 * mvgpu_native_destroy() - clear and free a session
 * @n: the session, or NULL
 */
void mvgpu_native_destroy(struct mvgpu_native *n)
{
	if (!n)
		return;
	mvgpu_native_clear(n);
	mutex_destroy(&n->lock);
	kfree(n);
}
