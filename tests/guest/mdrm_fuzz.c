// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ioctl fuzzer of the guest suite: every mvgpu_drm ioctl, the DRM
 * core's GEM, PRIME and syncobj ioctls, and raw ioctl numbers of the
 * driver's range with random directions and sizes, each with random
 * values, flags, handles, sizes and pointers (NULL, unmapped, kernel
 * addresses, buffers ending at a PROT_NONE page, arrays of plausible
 * entries).  Batches are sometimes valid, sometimes random dwords.  The
 * kernel may write only into the fuzzer's arena: no pointer it is given
 * leads anywhere else.  Every 500 calls the file is closed with its work
 * in flight and opened again; fds the calls made are closed.  Meanwhile a
 * second thread on the same file closes handles, destroys and creates
 * contexts and syncobjs and polls objects at random, to race the calls
 * of the first.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <ucontext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mdrm.h"
#include "mdrm_fuzz.h"

#define POOL		16
#define ARENA_RW	(2 * 4096)
/*
 * Objects the fuzzer keeps and binds: small, because binding writes
 * every PPGTT entry, which the vGPU tracks (each write a trap to the host)
 */
#define BO_MAX		(256 << 10)
#define REOPEN_EVERY	500

struct fz {
	__u64 rng;
	int fd, fd_base, sync_fd;
	unsigned char *arena;		/* ARENA_RW bytes, then PROT_NONE */
	struct mdrm_bo bo[POOL];
	__u32 ctx[8], syncobj[8];
	long stat_ok, stat_err;
};

static __u64 fz_rnd(struct fz *f)
{
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return f->rng * 0x2545f4914f6cdd1dULL;
}

static __u32 fz_below(struct fz *f, __u32 n)
{
	return n ? fz_rnd(f) % n : 0;
}

static __u32 fz_handle(struct fz *f)
{
	switch (fz_below(f, 8)) {
	case 0:
		return fz_rnd(f);
	case 1:
		return fz_below(f, 64);
	default:
		return f->bo[fz_below(f, POOL)].handle;
	}
}

static __u32 fz_ctx(struct fz *f)
{
	return fz_below(f, 6) ? f->ctx[fz_below(f, 8)] : fz_below(f, 100);
}

static __u32 fz_syncobj(struct fz *f)
{
	return fz_below(f, 6) ? f->syncobj[fz_below(f, 8)] : fz_rnd(f);
}

/* a value of the kinds that find edges: 0, ~0, one bit, small, random */
static __u64 fz_val(struct fz *f)
{
	switch (fz_below(f, 7)) {
	case 0:
		return 0;
	case 1:
		return ~0ULL >> (fz_below(f, 2) * 32);
	case 2:
		return 1ULL << fz_below(f, 64);
	case 3:
		return fz_below(f, 16);
	case 4:
		return (1ULL << fz_below(f, 64)) - 1;
	default:
		return fz_rnd(f);
	}
}

/* a pointer the kernel may read or write: arena, or nowhere valid */
static __u64 fz_ptr(struct fz *f, size_t len)
{
	switch (fz_below(f, 8)) {
	case 0:
		return 0;
	case 1:
		return fz_below(f, 4096);
	case 2:
		return 0xffff888000000000ULL + fz_below(f, 1 << 20) * 8;
	case 3:		/* ending in the guard page */
		return (__u64)(uintptr_t)f->arena + ARENA_RW -
		       fz_below(f, len + 1);
	case 4:
		return (__u64)(uintptr_t)f->arena + ARENA_RW;
	case 5:
		return 0x7ffffffff000ULL + fz_below(f, 4096);
	default:
		return (__u64)(uintptr_t)f->arena + fz_below(f, ARENA_RW / 2);
	}
}

/*
 * A count for the DRM core's syncobj array ioctls.  Debian's 6.12
 * drm_syncobj_array_find() kmallocs count_handles entries without
 * __GFP_NOWARN, so a count of more than a few million WARNs in
 * __alloc_pages() (seen: SYNCOBJ_RESET with count 0xe8c6ff78) before
 * failing with ENOMEM: a DRM core problem of that kernel, not of
 * mvgpu_drm, kept out of the run so that the log check stays useful.
 */
static __u32 fz_syncobj_count(struct fz *f)
{
	return fz_val(f) & 0xffff;
}

static void fz_call(struct fz *f, unsigned long req, void *arg)
{
	if (ioctl(f->fd, req, arg))
		f->stat_err++;
	else
		f->stat_ok++;
}

/* keep one sync_file to use as an in-fence; close the one it replaces */
static void fz_keep_fd(struct fz *f, int fd)
{
	if (fd <= 2 || fd == f->fd)
		return;
	if (f->sync_fd >= 0)
		close(f->sync_fd);
	f->sync_fd = fd;
}

/* A batch for a pool object: valid (stores, then END) or random dwords. */
static void fz_write_batch(struct fz *f, struct mdrm_bo *bo, __u64 off)
{
	struct mdrm_batch b;
	unsigned int i, n;

	if (!bo->map || off > bo->size || bo->size - off < 64)
		return;
	b.cs = bo->map + off / 4;
	b.n = 0;
	b.max = 16;
	switch (fz_below(f, 4)) {
	case 0:
		for (i = 0; i < 16; i++)
			b.cs[i] = fz_below(f, 2) ? fz_rnd(f) :
				  (__u32)fz_rnd(f) & 0xff800000;
		break;
	case 1:
		n = fz_below(f, 3);
		for (i = 0; i < n; i++)
			mdrm_store(&b, fz_below(f, 4) ? 0x100000 + fz_below(f, 1024) * 4 :
				   fz_rnd(f) & 0xfffffffffffcULL, fz_rnd(f));
		mdrm_end(&b);
		break;
	default:
		mdrm_end(&b);
		break;
	}
}

static void fz_execbuf(struct fz *f)
{
	struct drm_mvgpu_exec_object *o = (void *)f->arena;
	struct drm_mvgpu_exec_sync *s = (void *)(f->arena + 2048);
	struct drm_mvgpu_execbuf x;
	__u32 i, n = 1 + fz_below(f, 6), ns = fz_below(f, 4);
	int pick;

	for (i = 0; i < n; i++) {
		pick = fz_below(f, POOL);
		o[i].handle = fz_below(f, 10) ? f->bo[pick].handle : fz_handle(f);
		o[i].flags = fz_below(f, 8) ? fz_below(f, 2) : (__u32)fz_val(f);
		switch (fz_below(f, 6)) {
		case 0:
			o[i].offset = fz_val(f);
			break;
		case 1:
			o[i].offset = (fz_rnd(f) & 0xfffffffff000ULL);
			break;
		default:	/* pool object i at its own slot, mostly */
			o[i].offset = 0x100000ULL * (1 + pick);
			break;
		}
		if (fz_below(f, 3) == 0 && f->bo[pick].ggtt)
			o[i].offset = f->bo[pick].ggtt;
	}
	for (i = 0; i < ns; i++) {
		s[i].handle = fz_syncobj(f);
		s[i].flags = fz_below(f, 6) ? 1 + fz_below(f, 2) : (__u32)fz_val(f);
		s[i].point = fz_below(f, 3) ? 0 : fz_val(f);
	}
	memset(&x, 0, sizeof(x));
	x.objects = fz_below(f, 8) ? (__u64)(uintptr_t)o : fz_ptr(f, n * sizeof(*o));
	x.object_count = fz_below(f, 10) ? n : (__u32)fz_val(f);
	x.syncs = fz_below(f, 6) ? (__u64)(uintptr_t)s : fz_ptr(f, ns * sizeof(*s));
	x.sync_count = fz_below(f, 10) ? ns : (__u32)fz_val(f);
	x.batch_index = fz_below(f, 10) ? fz_below(f, n) : (__u32)fz_val(f);
	x.batch_offset = fz_below(f, 4) ? 0 : fz_below(f, 8) ? fz_below(f, 64) * 4 :
			 fz_val(f);
	x.ctx_id = fz_ctx(f);
	x.engine = fz_below(f, 10) ? fz_below(f, 2) : (__u32)fz_val(f);
	x.flags = fz_below(f, 4) ? fz_below(f, 8) : (__u32)fz_val(f);
	if (x.flags & DRM_MVGPU_EXEC_FENCE_IN || !fz_below(f, 10)) {
		switch (fz_below(f, 4)) {
		case 0:
			x.in_fence_fd = f->sync_fd;
			break;
		case 1:
			x.in_fence_fd = f->fd;
			break;
		default:
			x.in_fence_fd = (int)fz_val(f);
			break;
		}
	}
	x.out_fence_fd = (int)fz_val(f);
	if (x.batch_index < n) {
		for (i = 0; i < POOL; i++)
			if (f->bo[i].handle == o[x.batch_index].handle)
				fz_write_batch(f, &f->bo[i], x.batch_offset);
	}
	if (ioctl(f->fd, DRM_IOCTL_MVGPU_EXECBUF, &x)) {
		f->stat_err++;
		return;
	}
	f->stat_ok++;
	if (x.flags & DRM_MVGPU_EXEC_FENCE_OUT)
		fz_keep_fd(f, x.out_fence_fd);
}

/* Replace pool object @i by a new one of a random size and kind. */
static void fz_new_bo(struct fz *f, int i)
{
	static const __u32 kinds[] = {
		0, 0, DRM_MVGPU_GEM_CREATE_GGTT, DRM_MVGPU_GEM_CREATE_MAPPABLE,
	};
	__u64 size = 4096ULL << fz_below(f, 5);

	mdrm_bo_free(f->fd, &f->bo[i]);
	if (mdrm_bo_new(f->fd, &f->bo[i], size, kinds[fz_below(f, 4)]))
		memset(&f->bo[i], 0, sizeof(f->bo[i]));
}

static void fz_gem_create(struct fz *f)
{
	struct drm_mvgpu_gem_create c;
	struct drm_gem_close cl;

	c.size = fz_below(f, 2) ? fz_below(f, BO_MAX) : fz_val(f);
	c.flags = fz_below(f, 4) ? fz_below(f, 4) : (__u32)fz_val(f);
	c.handle = fz_rnd(f);
	c.ggtt_addr = fz_rnd(f);
	/* a GGTT object pins its pages: only small ones */
	if (c.flags & 3 && c.size > BO_MAX)
		c.size = BO_MAX;
	if (ioctl(f->fd, DRM_IOCTL_MVGPU_GEM_CREATE, &c)) {
		f->stat_err++;
		return;
	}
	f->stat_ok++;
	if (c.size <= BO_MAX && fz_below(f, 2)) {
		int i = fz_below(f, POOL);

		mdrm_bo_free(f->fd, &f->bo[i]);
		f->bo[i].handle = c.handle;
		f->bo[i].size = c.size;
		f->bo[i].ggtt = c.ggtt_addr;
		f->bo[i].map = mdrm_bo_map(f->fd, c.handle, c.size);
		return;
	}
	/* big objects are never bound: pinning them would exhaust memory */
	cl.handle = c.handle;
	cl.pad = 0;
	ioctl(f->fd, DRM_IOCTL_GEM_CLOSE, &cl);
}

static void fz_mmap(struct fz *f)
{
	struct drm_mvgpu_gem_mmap_offset m = {
		.handle = fz_handle(f), .pad = fz_below(f, 8) ? 0 : fz_val(f),
	};
	size_t len = 4096ULL << fz_below(f, 7);
	void *p;

	if (ioctl(f->fd, DRM_IOCTL_MVGPU_GEM_MMAP_OFFSET, &m)) {
		f->stat_err++;
		return;
	}
	f->stat_ok++;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd,
		 m.offset + (fz_below(f, 4) ? 0 : fz_below(f, 8) * 4096));
	if (p != MAP_FAILED) {
		((volatile __u32 *)p)[0];
		munmap(p, len);
	}
}

static void fz_small(struct fz *f, unsigned int op)
{
	union {
		struct drm_mvgpu_getparam gp;
		struct drm_mvgpu_gem_wait w;
		struct drm_mvgpu_gem_busy b;
		struct drm_mvgpu_ctx_create cc;
		struct drm_mvgpu_ctx_destroy cd;
		struct drm_mvgpu_ctx_getparam cg;
		struct drm_gem_close gc;
		struct drm_prime_handle ph;
		struct drm_syncobj_create sc;
		struct drm_syncobj_destroy sd;
		struct drm_syncobj_wait sw;
		struct drm_syncobj_array sa;
		struct drm_syncobj_handle sh;
	} a;
	__u32 *h = (void *)(f->arena + 1024);
	int i;

	memset(&a, 0, sizeof(a));
	switch (op) {
	case 0:
		a.gp.param = fz_below(f, 2) ? fz_below(f, 30) : fz_val(f);
		a.gp.pad = fz_below(f, 8) ? 0 : fz_val(f);
		fz_call(f, DRM_IOCTL_MVGPU_GETPARAM, &a.gp);
		break;
	case 1:
		a.w.handle = fz_handle(f);
		a.w.flags = fz_below(f, 8) ? 0 : fz_val(f);
		a.w.timeout_ns = fz_below(f, 4) ? mdrm_now_ns() + fz_below(f, 5000000) :
				 (__s64)fz_val(f) >> fz_below(f, 2);
		if (a.w.timeout_ns > mdrm_now_ns() + 50000000)
			a.w.timeout_ns = mdrm_now_ns() + 50000000;
		a.w.pad = fz_below(f, 8) ? 0 : fz_val(f);
		fz_call(f, DRM_IOCTL_MVGPU_GEM_WAIT, &a.w);
		break;
	case 2:
		a.b.handle = fz_handle(f);
		a.b.busy = fz_val(f);
		fz_call(f, DRM_IOCTL_MVGPU_GEM_BUSY, &a.b);
		break;
	case 3:
		a.cc.flags = fz_below(f, 3) ? fz_below(f, 2) : fz_val(f);
		fz_call(f, DRM_IOCTL_MVGPU_CTX_CREATE, &a.cc);
		i = fz_below(f, 8);
		if (a.cc.ctx_id && !ioctl(f->fd, DRM_IOCTL_MVGPU_CTX_DESTROY,
					  &(struct drm_mvgpu_ctx_destroy){
						.ctx_id = f->ctx[i] }))
			f->ctx[i] = a.cc.ctx_id;
		break;
	case 4:
		a.cd.ctx_id = fz_ctx(f);
		a.cd.pad = fz_below(f, 8) ? 0 : fz_val(f);
		fz_call(f, DRM_IOCTL_MVGPU_CTX_DESTROY, &a.cd);
		break;
	case 5:
		a.cg.ctx_id = fz_ctx(f);
		a.cg.param = fz_below(f, 2) ? fz_below(f, 12) : fz_val(f);
		fz_call(f, DRM_IOCTL_MVGPU_CTX_GETPARAM, &a.cg);
		break;
	case 6:
		a.gc.handle = fz_below(f, 4) ? fz_rnd(f) : fz_handle(f);
		a.gc.pad = fz_below(f, 8) ? 0 : fz_val(f);
		fz_call(f, DRM_IOCTL_GEM_CLOSE, &a.gc);
		break;
	case 7:
		a.ph.handle = fz_handle(f);
		a.ph.flags = fz_below(f, 2) ? DRM_CLOEXEC | (fz_below(f, 2) ? DRM_RDWR : 0) :
			     fz_val(f);
		a.ph.fd = -1;
		if (!ioctl(f->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &a.ph)) {
			f->stat_ok++;
			/* and back, as a handle of this file */
			a.ph.flags = 0;
			ioctl(f->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &a.ph);
			close(a.ph.fd);
		} else {
			f->stat_err++;
		}
		break;
	case 8:
		a.ph.fd = fz_below(f, 2) ? f->sync_fd : (int)fz_val(f);
		a.ph.flags = fz_val(f);
		fz_call(f, DRM_IOCTL_PRIME_FD_TO_HANDLE, &a.ph);
		break;
	case 9:
		a.sc.flags = fz_below(f, 2) ? fz_below(f, 2) : fz_val(f);
		fz_call(f, DRM_IOCTL_SYNCOBJ_CREATE, &a.sc);
		i = fz_below(f, 8);
		if (a.sc.handle && !ioctl(f->fd, DRM_IOCTL_SYNCOBJ_DESTROY,
					  &(struct drm_syncobj_destroy){
						.handle = f->syncobj[i] }))
			f->syncobj[i] = a.sc.handle;
		break;
	case 10:
		for (i = 0; i < 4; i++)
			h[i] = fz_syncobj(f);
		a.sw.handles = fz_below(f, 4) ? (__u64)(uintptr_t)h : fz_ptr(f, 16);
		a.sw.count_handles = fz_below(f, 4) ? 1 + fz_below(f, 4) :
				     fz_syncobj_count(f);
		a.sw.timeout_nsec = mdrm_now_ns() + fz_below(f, 5000000);
		a.sw.flags = fz_below(f, 2) ? fz_below(f, 8) : fz_val(f);
		fz_call(f, DRM_IOCTL_SYNCOBJ_WAIT, &a.sw);
		break;
	case 11:
		for (i = 0; i < 4; i++)
			h[i] = fz_syncobj(f);
		a.sa.handles = fz_below(f, 4) ? (__u64)(uintptr_t)h : fz_ptr(f, 16);
		a.sa.count_handles = fz_below(f, 4) ? 1 + fz_below(f, 4) :
				     fz_syncobj_count(f);
		fz_call(f, fz_below(f, 2) ? DRM_IOCTL_SYNCOBJ_RESET :
			DRM_IOCTL_SYNCOBJ_SIGNAL, &a.sa);
		break;
	default:
		a.sh.handle = fz_syncobj(f);
		a.sh.flags = fz_below(f, 2) ?
			     DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE : fz_val(f);
		a.sh.fd = -1;
		if (!ioctl(f->fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &a.sh)) {
			f->stat_ok++;
			fz_keep_fd(f, a.sh.fd);
		} else {
			f->stat_err++;
		}
		break;
	}
}

/* A raw ioctl of the driver's range: random number, direction, size. */
static void fz_raw(struct fz *f)
{
	static const unsigned int dirs[] = {
		_IOC_NONE, _IOC_READ, _IOC_WRITE, _IOC_READ | _IOC_WRITE,
	};
	unsigned int size = fz_below(f, 3) ? fz_below(f, 80) : fz_below(f, 1 << 14);
	unsigned long req;
	__u64 arg;
	unsigned int i;

	if (size > ARENA_RW)
		size = ARENA_RW;
	req = _IOC(dirs[fz_below(f, 4)], DRM_IOCTL_BASE,
		   DRM_COMMAND_BASE + fz_below(f, 0x20), size);
	for (i = 0; i < 256; i++)
		f->arena[i] = fz_below(f, 4) ? 0 : fz_rnd(f);
	arg = fz_below(f, 3) ? (__u64)(uintptr_t)f->arena : fz_ptr(f, size);
	if (ioctl(f->fd, req, (void *)(uintptr_t)arg))
		f->stat_err++;
	else
		f->stat_ok++;
}

static int fz_open(struct fz *f)
{
	int i;

	f->fd = mdrm_open();
	if (f->fd < 0)
		return -1;
	memset(f->bo, 0, sizeof(f->bo));
	for (i = 0; i < POOL; i++)
		fz_new_bo(f, i);
	for (i = 0; i < 8; i++) {
		f->ctx[i] = 0;
		f->syncobj[i] = 0;
		mdrm_ctx_create(f->fd, i & 1 ? DRM_MVGPU_CTX_CREATE_LEGACY_32B : 0,
				&f->ctx[i]);
		mdrm_syncobj_create(f->fd, i & 1 ? DRM_SYNCOBJ_CREATE_SIGNALED : 0,
				    &f->syncobj[i]);
	}
	return 0;
}

/* Close the file with whatever is in flight, and every fd made since. */
static void fz_close(struct fz *f)
{
	int i;

	for (i = 0; i < POOL; i++)
		if (f->bo[i].map)
			munmap(f->bo[i].map, f->bo[i].size);
	close(f->fd);
	f->sync_fd = -1;
	for (i = f->fd_base; i < 1024; i++)
		close(i);
}

/* The racing thread: its own generator, the fuzzer's current file. */
struct fz_racer {
	__u64 rng;
	volatile int *fd;
	volatile int stop;
	long calls;
};

static void *fz_race(void *arg)
{
	struct fz_racer *r = arg;
	struct fz f = { .rng = r->rng };

	while (!r->stop) {
		int fd = *r->fd;
		union {
			struct drm_gem_close gc;
			struct drm_mvgpu_ctx_destroy cd;
			struct drm_mvgpu_ctx_create cc;
			struct drm_syncobj_destroy sd;
			struct drm_mvgpu_gem_busy b;
		} a;

		memset(&a, 0, sizeof(a));
		switch (fz_below(&f, 6)) {
		case 0:
			a.gc.handle = 1 + fz_below(&f, 48);
			ioctl(fd, DRM_IOCTL_GEM_CLOSE, &a.gc);
			break;
		case 1:
			a.cd.ctx_id = 1 + fz_below(&f, 64);
			ioctl(fd, DRM_IOCTL_MVGPU_CTX_DESTROY, &a.cd);
			break;
		case 2:
			a.cc.flags = fz_below(&f, 2);
			ioctl(fd, DRM_IOCTL_MVGPU_CTX_CREATE, &a.cc);
			break;
		case 3:
			a.sd.handle = 1 + fz_below(&f, 32);
			ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &a.sd);
			break;
		default:
			a.b.handle = 1 + fz_below(&f, 48);
			ioctl(fd, DRM_IOCTL_MVGPU_GEM_BUSY, &a.b);
			break;
		}
		r->calls++;
		/* now and then, let the other thread's calls through */
		if (!fz_below(&f, 8))
			usleep(fz_below(&f, 2000));
	}
	return NULL;
}

/* where the fuzzer was, for a fatal signal's report */
static volatile long fz_iter;
static volatile int fz_op;

static void fz_fatal(int sig, siginfo_t *si, void *uc)
{
	char msg[160];
	int len;

	len = snprintf(msg, sizeof(msg),
		       "fuzzer %d: signal %d at %p, ip 0x%llx, iteration %ld op %d\n",
		       getpid(), sig, si->si_addr,
		       (unsigned long long)((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP],
		       fz_iter, fz_op);
	if (len > 0)
		write(2, msg, len);
	_exit(128 + sig);
}

/* Why a fuzzer could not run: said on stderr; its exit status 1. */
static int fz_fail(const char *what, int err)
{
	fprintf(stderr, "fuzzer %d (uid %d): %s: %s\n", getpid(), getuid(),
		what, strerror(err));
	return 1;
}

int fuzz_run(__u64 seed, long iters)
{
	struct sigaction sa = { .sa_sigaction = fz_fatal, .sa_flags = SA_SIGINFO };
	struct fz_racer racer = { .rng = ~seed | 1 };
	pthread_t thread;
	struct fz f = {
		.rng = ((seed ^ 0x9e3779b97f4a7c15ULL) * 0xbf58476d1ce4e5b9ULL) | 1,
		.sync_fd = -1,
	};
	long n;

	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	f.arena = mmap(NULL, ARENA_RW + 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (f.arena == MAP_FAILED ||
	    mprotect(f.arena + ARENA_RW, 4096, PROT_NONE))
		return fz_fail("arena", errno);
	/*
	 * The first free fd: those from here on are the fuzzer's to close.
	 * (Not open("/dev/null"): the guest's /dev/null is root's alone.)
	 */
	f.fd_base = fcntl(2, F_DUPFD, 0);
	if (f.fd_base < 0)
		return fz_fail("no free fd", errno);
	close(f.fd_base);
	if (fz_open(&f))
		return fz_fail("no mvgpu render node it may open", -f.fd);
	racer.fd = &f.fd;
	if (pthread_create(&thread, NULL, fz_race, &racer))
		return fz_fail("racing thread", errno);
	for (n = 0; n < iters; n++) {
		unsigned int op = fz_below(&f, 24);

		fz_iter = n;
		fz_op = op;

		if (n && n % REOPEN_EVERY == 0) {
			fz_close(&f);
			if (fz_open(&f))
				break;
		}
		if (op < 6)
			fz_execbuf(&f);
		else if (op < 8)
			fz_gem_create(&f);
		else if (op < 9)
			fz_mmap(&f);
		else if (op < 11)
			fz_raw(&f);
		else if (op < 12)
			fz_new_bo(&f, fz_below(&f, POOL));
		else
			fz_small(&f, op - 12);
	}
	racer.stop = 1;
	pthread_join(thread, NULL);
	if (n < iters)
		return fz_fail("render node opened again", -f.fd);
	fz_close(&f);
	fprintf(stderr, "fuzzer %d: %ld calls, %ld succeeded, %ld failed; %ld racing calls\n",
		getpid(), iters, f.stat_ok, f.stat_err, racer.calls);
	return 0;
}
