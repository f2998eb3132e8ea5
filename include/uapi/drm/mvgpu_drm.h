/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * mvgpu DRM driver uAPI: the ioctls of the guest's native driver
 * (drm/, module mvgpu_drm) for the GPU of
 * Documentation/gpu-interface.rst.  Described in Documentation/drm-uapi.rst.
 *
 * Conventions: every struct is a multiple of 8 bytes with 64-bit fields
 * naturally aligned; a field named pad, and every flag bit not defined
 * here, must be zero (EINVAL otherwise); "out" fields are written by the
 * kernel and their input value is ignored.  User pointers are passed as
 * __u64.  The interface is versioned: DRM_MVGPU_PARAM_UAPI_VERSION reads
 * DRM_MVGPU_UAPI_VERSION of the running driver; new ioctls, params and
 * flags raise it, nothing defined here changes meaning.
 */
#ifndef _UAPI_MVGPU_DRM_H
#define _UAPI_MVGPU_DRM_H

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define DRM_MVGPU_UAPI_VERSION		1

/* ---- ioctl numbers ----------------------------------------------------- */

#define DRM_MVGPU_GETPARAM		0x00
#define DRM_MVGPU_GEM_CREATE		0x01
#define DRM_MVGPU_GEM_MMAP_OFFSET	0x02
#define DRM_MVGPU_GEM_WAIT		0x03
#define DRM_MVGPU_GEM_BUSY		0x04
#define DRM_MVGPU_CTX_CREATE		0x05
#define DRM_MVGPU_CTX_DESTROY		0x06
#define DRM_MVGPU_CTX_GETPARAM		0x07
#define DRM_MVGPU_EXECBUF		0x08

#define DRM_IOCTL_MVGPU_GETPARAM					\
	DRM_IOWR(DRM_COMMAND_BASE + DRM_MVGPU_GETPARAM,			\
		 struct drm_mvgpu_getparam)
#define DRM_IOCTL_MVGPU_GEM_CREATE					\
	DRM_IOWR(DRM_COMMAND_BASE + DRM_MVGPU_GEM_CREATE,		\
		 struct drm_mvgpu_gem_create)
#define DRM_IOCTL_MVGPU_GEM_MMAP_OFFSET					\
	DRM_IOWR(DRM_COMMAND_BASE + DRM_MVGPU_GEM_MMAP_OFFSET,		\
		 struct drm_mvgpu_gem_mmap_offset)
#define DRM_IOCTL_MVGPU_GEM_WAIT					\
	DRM_IOWR(DRM_COMMAND_BASE + DRM_MVGPU_GEM_WAIT,			\
		 struct drm_mvgpu_gem_wait)
#define DRM_IOCTL_MVGPU_GEM_BUSY					\
	DRM_IOWR(DRM_COMMAND_BASE + DRM_MVGPU_GEM_BUSY,			\
		 struct drm_mvgpu_gem_busy)
#define DRM_IOCTL_MVGPU_CTX_CREATE					\
	DRM_IOWR(DRM_COMMAND_BASE + DRM_MVGPU_CTX_CREATE,		\
		 struct drm_mvgpu_ctx_create)
#define DRM_IOCTL_MVGPU_CTX_DESTROY					\
	DRM_IOW(DRM_COMMAND_BASE + DRM_MVGPU_CTX_DESTROY,		\
		struct drm_mvgpu_ctx_destroy)
#define DRM_IOCTL_MVGPU_CTX_GETPARAM					\
	DRM_IOWR(DRM_COMMAND_BASE + DRM_MVGPU_CTX_GETPARAM,		\
		 struct drm_mvgpu_ctx_getparam)
#define DRM_IOCTL_MVGPU_EXECBUF						\
	DRM_IOWR(DRM_COMMAND_BASE + DRM_MVGPU_EXECBUF,			\
		 struct drm_mvgpu_execbuf)

/* ---- Engines ----------------------------------------------------------- */

#define DRM_MVGPU_ENGINE_RCS		0	/* render */
#define DRM_MVGPU_ENGINE_BCS		1	/* blitter */
#define DRM_MVGPU_NUM_ENGINES		2

/* ---- GETPARAM ---------------------------------------------------------- */

/*
 * Device parameters.  Constants of the device unless marked "live"
 * (read at the moment of the call) or "count" (monotonic counters since
 * the driver was loaded).
 */
enum drm_mvgpu_param {
	/* DRM_MVGPU_UAPI_VERSION of the running driver */
	DRM_MVGPU_PARAM_UAPI_VERSION = 1,
	/* 1 on a vGPU (PV info magic present), 0 on a whole GPU */
	DRM_MVGPU_PARAM_IS_VGPU = 2,
	/* the vGPU's ID from the PV info page; 0 on a whole GPU */
	DRM_MVGPU_PARAM_VGPU_ID = 3,
	/* PV info version, major << 16 | minor; 0 on a whole GPU */
	DRM_MVGPU_PARAM_PVINFO_VERSION = 4,
	/* graphics memory the driver uses: the mappable (aperture) range */
	DRM_MVGPU_PARAM_GM_MAPPABLE_BASE = 5,
	DRM_MVGPU_PARAM_GM_MAPPABLE_SIZE = 6,
	/* ... and the hidden range, above the aperture */
	DRM_MVGPU_PARAM_GM_HIDDEN_BASE = 7,
	DRM_MVGPU_PARAM_GM_HIDDEN_SIZE = 8,
	/* bitmask of 1 << DRM_MVGPU_ENGINE_* */
	DRM_MVGPU_PARAM_ENGINES = 9,
	/* virtual address bits of a LEGACY_64B context's PPGTT (48) */
	DRM_MVGPU_PARAM_PPGTT_VA_BITS = 10,
	/*
	 * live: 1 while the vGPU is in failsafe mode (it ignores work until
	 * reset) or the driver is recovering from it, else 0.  Always 0 when
	 * DRM_MVGPU_PARAM_HAS_FAILSAFE reads 0.
	 */
	DRM_MVGPU_PARAM_FAILSAFE = 11,
	/* 1 if the vGPU reports failsafe mode (PV info 1.1 and later) */
	DRM_MVGPU_PARAM_HAS_FAILSAFE = 12,
	/* count: failsafe episodes the driver recovered from */
	DRM_MVGPU_PARAM_FAILSAFE_COUNT = 13,
	/* count: engine resets (GDRST render or blitter) */
	DRM_MVGPU_PARAM_ENGINE_RESETS = 14,
	/* count: full device resets (GDRST full) */
	DRM_MVGPU_PARAM_FULL_RESETS = 15,
	/* count: contexts banned for an engine error (hangs included) */
	DRM_MVGPU_PARAM_CONTEXT_ERRORS = 16,
	/* count: contexts banned for a hang (watchdog or driver timeout) */
	DRM_MVGPU_PARAM_HANGS = 17,
	/* live: 1 if the driver gave up on the device: every execbuf fails */
	DRM_MVGPU_PARAM_WEDGED = 18,
	/* most entries of drm_mvgpu_execbuf.objects */
	DRM_MVGPU_PARAM_EXEC_MAX_OBJECTS = 19,
	/* most entries of drm_mvgpu_execbuf.syncs */
	DRM_MVGPU_PARAM_EXEC_MAX_SYNCS = 20,
	/* largest object DRM_IOCTL_MVGPU_GEM_CREATE accepts, bytes */
	DRM_MVGPU_PARAM_GEM_MAX_SIZE = 21,
	/* most contexts one open file may have */
	DRM_MVGPU_PARAM_MAX_CONTEXTS = 22,
};

/**
 * struct drm_mvgpu_getparam - DRM_IOCTL_MVGPU_GETPARAM
 * @param: in: enum drm_mvgpu_param; unknown: EINVAL
 * @pad: must be 0
 * @value: out: the value
 */
struct drm_mvgpu_getparam {
	__u32 param;
	__u32 pad;
	__u64 value;
};

/* ---- GEM objects ------------------------------------------------------- */

/*
 * Bind the object into the GGTT's hidden range at creation, for the
 * lifetime of the object; its GGTT address is returned.  For use by
 * LEGACY_32B contexts, whose commands use GGTT addresses only.
 */
#define DRM_MVGPU_GEM_CREATE_GGTT	(1U << 0)
/*
 * Bind it into the GGTT's mappable range (the part the CPU sees through
 * the aperture, BAR2) at creation: a GGTT object that can also be
 * scanned out.  Excludes DRM_MVGPU_GEM_CREATE_GGTT.
 */
#define DRM_MVGPU_GEM_CREATE_MAPPABLE	(1U << 1)

/**
 * struct drm_mvgpu_gem_create - DRM_IOCTL_MVGPU_GEM_CREATE
 * @size: in: bytes, 1 to DRM_MVGPU_PARAM_GEM_MAX_SIZE; out: rounded up to
 *        whole pages
 * @flags: in: DRM_MVGPU_GEM_CREATE_*
 * @handle: out: GEM handle
 * @ggtt_addr: out: GGTT address of the object if created GGTT-bound,
 *             else 0
 *
 * Objects are backed by shmem pages, zeroed, and CPU-coherent with the
 * GPU.  Errors: EINVAL (size, flags), ENOSPC (no room in the GGTT range
 * asked for), ENOMEM.
 */
struct drm_mvgpu_gem_create {
	__u64 size;
	__u32 flags;
	__u32 handle;
	__u64 ggtt_addr;
};

/**
 * struct drm_mvgpu_gem_mmap_offset - DRM_IOCTL_MVGPU_GEM_MMAP_OFFSET
 * @handle: in: the object; unknown: ENOENT
 * @pad: must be 0
 * @offset: out: pass to mmap() on the same DRM file to map the object
 *          (write-back cached, coherent with the GPU)
 */
struct drm_mvgpu_gem_mmap_offset {
	__u32 handle;
	__u32 pad;
	__u64 offset;
};

/**
 * struct drm_mvgpu_gem_wait - DRM_IOCTL_MVGPU_GEM_WAIT
 * @handle: in: the object; unknown: ENOENT
 * @flags: must be 0
 * @timeout_ns: in: absolute CLOCK_MONOTONIC time to wait until; a time
 *              in the past (0) only polls
 * @error: out: 0 if every request the object waited on succeeded, else
 *         the negative errno of one that failed (e.g. -EIO: its context
 *         was banned)
 * @pad: must be 0
 *
 * Waits until every request that uses the object has finished (GPU
 * idle for it).  Returns 0 when idle, ETIME if @timeout_ns passed first,
 * EINTR/ERESTARTSYS on a signal (restartable: the timeout is absolute).
 */
struct drm_mvgpu_gem_wait {
	__u32 handle;
	__u32 flags;
	__s64 timeout_ns;
	__s32 error;
	__u32 pad;
};

/* drm_mvgpu_gem_busy.busy: work that is not this driver's */
#define DRM_MVGPU_BUSY_FOREIGN		(1U << 31)

/**
 * struct drm_mvgpu_gem_busy - DRM_IOCTL_MVGPU_GEM_BUSY
 * @handle: in: the object; unknown: ENOENT
 * @busy: out: 0 if idle, else a bitmask of 1 << DRM_MVGPU_ENGINE_* of the
 *        engines with unfinished requests using it, plus
 *        DRM_MVGPU_BUSY_FOREIGN for unfinished fences of other drivers
 */
struct drm_mvgpu_gem_busy {
	__u32 handle;
	__u32 busy;
};

/* ---- Contexts ---------------------------------------------------------- */

/*
 * A context without a PPGTT: every address of its commands is a GGTT
 * address (objects created with DRM_MVGPU_GEM_CREATE_GGTT or _MAPPABLE).
 * Its batches reach the whole GGTT, the kernel's own context images,
 * rings and status pages included, so only CAP_SYS_ADMIN may create one
 * (EPERM).  Without the flag, a context is LEGACY_64B on the file's PPGTT.
 */
#define DRM_MVGPU_CTX_CREATE_LEGACY_32B	(1U << 0)

/**
 * struct drm_mvgpu_ctx_create - DRM_IOCTL_MVGPU_CTX_CREATE
 * @flags: in: DRM_MVGPU_CTX_CREATE_*
 * @ctx_id: out: the context's ID in this file, never 0
 *
 * Every LEGACY_64B context of one open file shares that file's PPGTT
 * (its 48-bit GPU virtual address space).  Errors: EINVAL, EPERM
 * (LEGACY_32B without CAP_SYS_ADMIN), ENOSPC (the file has
 * DRM_MVGPU_PARAM_MAX_CONTEXTS already), ENOMEM.
 */
struct drm_mvgpu_ctx_create {
	__u32 flags;
	__u32 ctx_id;
};

/**
 * struct drm_mvgpu_ctx_destroy - DRM_IOCTL_MVGPU_CTX_DESTROY
 * @ctx_id: in: unknown: ENOENT
 * @pad: must be 0
 *
 * Requests already submitted still run and signal their fences.
 */
struct drm_mvgpu_ctx_destroy {
	__u32 ctx_id;
	__u32 pad;
};

/* Context parameters, all read-only. */
enum drm_mvgpu_ctx_param {
	/* 0 LEGACY_64B, 1 LEGACY_32B */
	DRM_MVGPU_CTX_PARAM_LEGACY_32B = 1,
	/* 1 once the context is banned: execbuf on it fails with EIO */
	DRM_MVGPU_CTX_PARAM_BANNED = 2,
	/* requests of this context that stopped on an error or a hang */
	DRM_MVGPU_CTX_PARAM_GUILTY = 3,
	/* requests run again after a reset or hang this context did not cause */
	DRM_MVGPU_CTX_PARAM_INNOCENT = 4,
	/* the first error: enum mvgpu_err code (mvgpu_regs.h), 0 if none */
	DRM_MVGPU_CTX_PARAM_ERROR = 5,
	/* ... the engine it happened on (DRM_MVGPU_ENGINE_*) */
	DRM_MVGPU_CTX_PARAM_ERROR_ENGINE = 6,
	/* ... RING_ERR_STATUS as captured (code, address space, walk level) */
	DRM_MVGPU_CTX_PARAM_ERROR_STATUS = 7,
	/* ... address of the failing command (ring offset, GGTT or PPGTT) */
	DRM_MVGPU_CTX_PARAM_ERROR_CMD_ADDR = 8,
	/* ... its header dword */
	DRM_MVGPU_CTX_PARAM_ERROR_CMD_HEADER = 9,
	/* ... for faults, the graphics address that faulted */
	DRM_MVGPU_CTX_PARAM_ERROR_FAULT_ADDR = 10,
};

/**
 * struct drm_mvgpu_ctx_getparam - DRM_IOCTL_MVGPU_CTX_GETPARAM
 * @ctx_id: in: unknown: ENOENT
 * @param: in: enum drm_mvgpu_ctx_param; unknown: EINVAL
 * @value: out
 */
struct drm_mvgpu_ctx_getparam {
	__u32 ctx_id;
	__u32 param;
	__u64 value;
};

/* ---- Submission -------------------------------------------------------- */

/* The request writes the object (implicit sync: later readers wait). */
#define DRM_MVGPU_EXEC_OBJECT_WRITE	(1U << 0)

/**
 * struct drm_mvgpu_exec_object - an object a request uses
 * @handle: GEM handle; unknown: ENOENT; twice in one list: EINVAL
 * @flags: DRM_MVGPU_EXEC_OBJECT_*
 * @offset: where the request finds it.  LEGACY_64B: its soft-pinned PPGTT
 *          address: page aligned, the object within the low
 *          DRM_MVGPU_PARAM_PPGTT_VA_BITS of address space (EINVAL), not
 *          overlapping another object's binding in the file's PPGTT
 *          (EADDRINUSE).  An object stays bound where it was last used
 *          until its handle is closed; moving it while a request still
 *          uses it is EBUSY.  LEGACY_32B: its GGTT address, which the
 *          object must have (EINVAL).
 */
struct drm_mvgpu_exec_object {
	__u32 handle;
	__u32 flags;
	__u64 offset;
};

/* drm_mvgpu_exec_sync.flags: exactly one of these */
#define DRM_MVGPU_EXEC_SYNC_WAIT	(1U << 0)	/* in-fence */
#define DRM_MVGPU_EXEC_SYNC_SIGNAL	(1U << 1)	/* out-fence */

/**
 * struct drm_mvgpu_exec_sync - a drm_syncobj to wait for or to signal
 * @handle: syncobj handle; unknown: ENOENT
 * @flags: DRM_MVGPU_EXEC_SYNC_WAIT or _SIGNAL
 * @point: timeline point, 0 for a binary syncobj.  WAIT: the fence at
 *         that point must exist (EINVAL otherwise).  SIGNAL: the
 *         request's fence replaces the binary syncobj's, or is added at
 *         @point of a timeline.
 */
struct drm_mvgpu_exec_sync {
	__u32 handle;
	__u32 flags;
	__u64 point;
};

/* in_fence_fd is a sync_file the request waits for */
#define DRM_MVGPU_EXEC_FENCE_IN		(1U << 0)
/* return a sync_file of the request's fence in out_fence_fd */
#define DRM_MVGPU_EXEC_FENCE_OUT	(1U << 1)
/* do not wait for the earlier work on the objects (no implicit sync) */
#define DRM_MVGPU_EXEC_NO_IMPLICIT_SYNC	(1U << 2)

/**
 * struct drm_mvgpu_execbuf - DRM_IOCTL_MVGPU_EXECBUF
 * @objects: in: user pointer to @object_count struct drm_mvgpu_exec_object,
 *           every object the request uses, the batch included
 * @syncs: in: user pointer to @sync_count struct drm_mvgpu_exec_sync, or 0
 * @batch_offset: in: byte offset of the first command in the batch
 *                object, dword aligned, inside the object
 * @object_count: in: 1 to DRM_MVGPU_PARAM_EXEC_MAX_OBJECTS
 * @sync_count: in: 0 to DRM_MVGPU_PARAM_EXEC_MAX_SYNCS
 * @batch_index: in: index in @objects of the batch buffer
 * @ctx_id: in: the context; unknown: ENOENT; banned: EIO
 * @engine: in: DRM_MVGPU_ENGINE_*
 * @flags: in: DRM_MVGPU_EXEC_*
 * @in_fence_fd: in: sync_file to wait for, with DRM_MVGPU_EXEC_FENCE_IN
 *               (not a sync_file: EINVAL); else must be 0
 * @out_fence_fd: out: with DRM_MVGPU_EXEC_FENCE_OUT, a new sync_file
 *                (O_CLOEXEC) of the request's fence; else -1
 *
 * Queues one request: the engine runs the batch (MI_BATCH_BUFFER_START
 * to @batch_offset in the batch object, in the PPGTT for LEGACY_64B,
 * the GGTT for LEGACY_32B; the batch ends with MI_BATCH_BUFFER_END)
 * after every in-fence has signalled and, unless NO_IMPLICIT_SYNC, after
 * earlier requests writing any of the objects (and, for objects it
 * writes, reading them).  Requests of one context on one engine run in
 * order.  The request's fence signals when the batch has completed, with
 * error EIO if the context was banned before or because of it.  Errors:
 * EINVAL, ENOENT, EADDRINUSE, EBUSY, EIO (banned context, wedged
 * device), ENOMEM, EINTR/ERESTARTSYS, and EFAULT for bad user pointers.
 * No argument leaves anything behind on failure.
 */
struct drm_mvgpu_execbuf {
	__u64 objects;
	__u64 syncs;
	__u64 batch_offset;
	__u32 object_count;
	__u32 sync_count;
	__u32 batch_index;
	__u32 ctx_id;
	__u32 engine;
	__u32 flags;
	__s32 in_fence_fd;
	__s32 out_fence_fd;
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_MVGPU_DRM_H */
