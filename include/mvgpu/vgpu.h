/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vGPU as mdev/ (its VFIO, mdev and KVM glue) sees it: an opaque device
 * model that gvt/ allocates and mdev/ reaches only through the functions
 * below.  Each takes the vGPU's locks itself; the structure and its locks
 * are gvt/'s own (gvt/vgpu_types.h).  See "Layers" in
 * Documentation/architecture.rst.
 */
#ifndef _MVGPU_VGPU_API_H
#define _MVGPU_VGPU_API_H

#include <linux/compiler.h>
#include <linux/types.h>

#include <mvgpu/mvgpu_pci.h>
#include <mvgpu/mvgpu_regs.h>

/* Bytes of PCI config space: mvgpu_vgpu_cfg_read() and _write() */
#define MVGPU_CFG_SIZE		256

struct device;
struct mvgpu_pgpu;
struct mvgpu_type_desc;
struct mvgpu_vgpu;

/**
 * struct mvgpu_guest_mem_ops - how a vGPU reaches its guest's memory
 * @rw: copy @len bytes between @buf and guest physical address @gpa;
 *      returns 0 or a negative errno for memory the guest does not have
 * @pin: pin guest page @gfn and give its host physical address; returns 0
 *       or a negative errno for memory the guest does not have
 * @unpin: release one pin of @gfn
 * @pin_limit: most guest pages the user of the guest memory (the VMM)
 *             may have the vGPU pin, 0 for no limit; in force while the
 *             administrator set none (mvgpu_vgpu_set_pin_limit()); may
 *             be NULL
 *
 * All four are called with the vGPU's lock held.
 */
struct mvgpu_guest_mem_ops {
	int (*rw)(void *priv, u64 gpa, void *buf, size_t len, bool write);
	int (*pin)(void *priv, u64 gfn, u64 *hpa);
	void (*unpin)(void *priv, u64 gfn);
	u64 (*pin_limit)(void *priv);
};

/**
 * struct mvgpu_vgpu_irq_ops - how a vGPU raises its interrupt
 * @set_level: the interrupt output is now asserted or not
 * @set_intx_disabled: the Interrupt Disable bit of the command register,
 *                     after each config space write and each reset;
 *                     may be NULL
 *
 * Both are called with the vGPU's lock held and must not sleep.
 */
struct mvgpu_vgpu_irq_ops {
	void (*set_level)(void *priv, bool asserted);
	void (*set_intx_disabled)(void *priv, bool disabled);
};

/**
 * struct mvgpu_aperture_map_ops - CPU mappings of the aperture
 * @zap: mappings of BAR2 offsets [@off, @off + @len) must be dropped (the
 *       GGTT entries behind them changed); called with the vGPU's lock
 *       held, before the pages they pointed at are unpinned
 */
struct mvgpu_aperture_map_ops {
	void (*zap)(void *priv, u64 off, u64 len);
};

/**
 * struct mvgpu_ppgtt_track_ops - write protection of guest table pages
 * @add: the guest's writes to page @gfn are to be reported through
 *       mvgpu_vgpu_guest_write(); returns 0 or a negative errno
 * @remove: stop reporting writes to @gfn
 *
 * Provided where the guest runs on KVM (mdev/kvm.c); without them every
 * submission checks the guest's tables again instead.  Both are called
 * with the vGPU's lock held.
 */
struct mvgpu_ppgtt_track_ops {
	int (*add)(void *priv, u64 gfn);
	void (*remove)(void *priv, u64 gfn);
};

/**
 * struct mvgpu_vgpu_info - what a vGPU was given when it was created
 * @id: its number on its pGPU, from 1
 * @type: its type
 * @aperture_base: first graphics address of its slice of the aperture
 * @aperture_size: bytes
 * @hidden_base: first graphics address of its hidden graphics memory
 * @hidden_size: bytes
 */
struct mvgpu_vgpu_info {
	unsigned int id;
	const struct mvgpu_type_desc *type;
	u64 aperture_base;
	u64 aperture_size;
	u64 hidden_base;
	u64 hidden_size;
};

/**
 * struct mvgpu_vgpu_stats - a snapshot of a vGPU's counters
 * @bad_mmio: register accesses refused: no register there, read-only,
 *            wrong size
 * @bad_ggtt: GGTT accesses outside the vGPU's graphics memory
 * @bad_aperture: aperture accesses outside its slice or through invalid
 *                or unmapped GGTT entries
 * @pinned_pages: guest pages pinned now
 * @submissions: guest contexts submitted (ELSP elements)
 * @completed: workloads that ran to completion
 * @rejected: workloads refused before reaching an engine, and
 *            submissions ignored (failsafe, queue full)
 * @errors: workloads an engine stopped on an error or a hang
 * @hangs: of those, hangs (HANG: the watchdog or hang_ms)
 * @cmds_scanned: commands the scanner checked (those of batches it
 *                compared to an accepted batch included)
 * @batches_known: batches the scanner compared with the bytes it last
 *                 accepted for their context and found equal, instead of
 *                 scanning them again (batch_cache.c)
 * @bad_ppgtt: PPGTT entries naming memory that is not the guest's
 * @shadow_pages: shadow PPGTT table pages now
 * @ppgtt_writes: guest writes to its page tables that KVM reported and
 *                the shadow took at once
 * @shadow_bytes: host memory for the shadows of its work now
 * @busy_ns: engine time its work received, per MVGPU_ENGINE_*, as the
 *           scheduler charged it
 * @backend_ns: engine time its contexts ran, per MVGPU_ENGINE_*, as the
 *              backend measured it
 * @failsafe: too much bad work: submissions are ignored until reset
 * @trapped: guest accesses of BAR0 (registers and GGTT) it emulated, good
 *           or bad: each a VM exit of a guest under KVM
 * @host_resets: resets the host asked for (mvgpu_vgpu_host_reset())
 *
 * Each counter is read atomically; they are not read at one instant.
 */
struct mvgpu_vgpu_stats {
	s64 bad_mmio;
	s64 bad_ggtt;
	s64 bad_aperture;
	s64 pinned_pages;
	s64 submissions;
	s64 completed;
	s64 rejected;
	s64 errors;
	s64 hangs;
	s64 cmds_scanned;
	s64 batches_known;
	s64 bad_ppgtt;
	s64 shadow_pages;
	s64 ppgtt_writes;
	s64 shadow_bytes;
	u64 busy_ns[MVGPU_NUM_ENGINES];
	u64 backend_ns[MVGPU_NUM_ENGINES];
	bool failsafe;
	s64 trapped;
	s64 host_resets;
};

/**
 * struct mvgpu_vgpu_plane - the primary plane a vGPU scans out
 * @format: MVGPU_DSPCNTR_FORMAT_XRGB8888 or _ARGB8888, 4 bytes a pixel
 * @width: pixels, from 1 to the type's max_width
 * @height: rows, from 1 to the type's max_height
 * @stride: bytes from one row to the next in graphics memory
 * @gm_addr: graphics address of the first pixel (DSPSURFLIVE)
 * @size: bytes from @gm_addr to the end of the last pixel
 *
 * mvgpu_vgpu_get_plane() only gives a plane whose @size bytes lie in one
 * range of the vGPU's own graphics memory.
 */
struct mvgpu_vgpu_plane {
	u32 format;
	u32 width;
	u32 height;
	u32 stride;
	u64 gm_addr;
	u64 size;
};

/**
 * mvgpu_vgpu_plane_pages() - GGTT pages a plane's bytes touch
 * @p: a plane given by mvgpu_vgpu_get_plane()
 *
 * Return: the number of 4 KiB graphics pages from the one holding the
 * first pixel to the one holding the last.
 */
static inline unsigned int mvgpu_vgpu_plane_pages(const struct mvgpu_vgpu_plane *p)
{
	return ((p->gm_addr + p->size - 1) >> MVGPU_GTT_PAGE_SHIFT) -
	       (p->gm_addr >> MVGPU_GTT_PAGE_SHIFT) + 1;
}

/* Life cycle: gvt/vgpu.c */
struct mvgpu_vgpu *mvgpu_vgpu_create(struct mvgpu_pgpu *pgpu,
				     const struct mvgpu_type_desc *type,
				     struct device *dev,
				     const struct mvgpu_vgpu_irq_ops *irq_ops,
				     void *irq_priv);
void mvgpu_vgpu_destroy(struct mvgpu_vgpu *vgpu);
void mvgpu_stages_init(void);
void mvgpu_stages_add(struct mvgpu_vgpu *vgpu);
void mvgpu_stages_remove(struct mvgpu_vgpu *vgpu);
void mvgpu_stages_exit(void);
void mvgpu_vgpu_reset(struct mvgpu_vgpu *vgpu);
void mvgpu_vgpu_host_reset(struct mvgpu_vgpu *vgpu);
void mvgpu_vgpu_set_mem_ops(struct mvgpu_vgpu *vgpu,
			    const struct mvgpu_guest_mem_ops *ops, void *priv);
void mvgpu_vgpu_set_map_ops(struct mvgpu_vgpu *vgpu,
			    const struct mvgpu_aperture_map_ops *ops,
			    void *priv);
void mvgpu_vgpu_set_track(struct mvgpu_vgpu *vgpu,
			  const struct mvgpu_ppgtt_track_ops *ops, void *priv);

/* The guest's accesses: config space (gvt/vgpu.c), BAR0 (gvt/mmio.c), BAR2 */
int mvgpu_vgpu_cfg_read(struct mvgpu_vgpu *vgpu, u64 off, void *buf,
			u64 len);
int mvgpu_vgpu_cfg_write(struct mvgpu_vgpu *vgpu, u64 off, const void *buf,
			 u64 len);
int mvgpu_mmio_read(struct mvgpu_vgpu *vgpu, u64 off, void *buf,
		    unsigned int len);
int mvgpu_mmio_write(struct mvgpu_vgpu *vgpu, u64 off, const void *buf,
		     unsigned int len);
int mvgpu_aperture_rw(struct mvgpu_vgpu *vgpu, u64 off, void *buf,
		      unsigned int len, bool write);
void mvgpu_aperture_fault(struct mvgpu_vgpu *vgpu, u64 off,
			  void (*insert)(void *priv, unsigned long pfn),
			  void *priv);

/* What the VMM and KVM report: gvt/vgpu.c */
void mvgpu_vgpu_dma_unmap(struct mvgpu_vgpu *vgpu, u64 iova, u64 len);
void mvgpu_vgpu_guest_write(struct mvgpu_vgpu *vgpu, u64 gpa, u32 bytes);
void mvgpu_vgpu_guest_untracked(struct mvgpu_vgpu *vgpu, u64 gfn,
				u64 nr_pages);

/* The display as the VMM shows it: gvt/display.c */
int mvgpu_vgpu_get_plane(struct mvgpu_vgpu *vgpu,
			 struct mvgpu_vgpu_plane *plane);
int mvgpu_vgpu_read_plane(struct mvgpu_vgpu *vgpu,
			  const struct mvgpu_vgpu_plane *plane, void *dst);
int mvgpu_vgpu_plane_gfns(struct mvgpu_vgpu *vgpu,
			  const struct mvgpu_vgpu_plane *plane, u64 *gfns,
			  unsigned int nr);

/* Live migration: gvt/migration.c (Documentation/migration.rst) */
size_t mvgpu_vgpu_mig_max_image(const struct mvgpu_vgpu *vgpu);
size_t mvgpu_vgpu_mig_image_size(struct mvgpu_vgpu *vgpu);
int mvgpu_vgpu_mig_quiesce(struct mvgpu_vgpu *vgpu, unsigned int timeout_ms);
void mvgpu_vgpu_mig_resume(struct mvgpu_vgpu *vgpu);
int mvgpu_vgpu_mig_save(struct mvgpu_vgpu *vgpu, u8 *buf, size_t cap,
			size_t start, bool final);
int mvgpu_vgpu_mig_check(struct mvgpu_vgpu *vgpu, const void *buf, size_t len);
int mvgpu_vgpu_mig_restore(struct mvgpu_vgpu *vgpu, const void *buf,
			   size_t len);

/* What sysfs shows, and the log: gvt/vgpu.c */
void mvgpu_vgpu_get_info(const struct mvgpu_vgpu *vgpu,
			 struct mvgpu_vgpu_info *info);
int mvgpu_vgpu_set_sched_cap(struct mvgpu_vgpu *vgpu, u32 cap);
u32 mvgpu_vgpu_sched_cap(struct mvgpu_vgpu *vgpu);
int mvgpu_vgpu_set_sched_weight(struct mvgpu_vgpu *vgpu, u32 weight);
u32 mvgpu_vgpu_sched_weight(struct mvgpu_vgpu *vgpu);
void mvgpu_vgpu_get_stats(struct mvgpu_vgpu *vgpu,
			  struct mvgpu_vgpu_stats *stats);
void mvgpu_vgpu_set_pin_limit(struct mvgpu_vgpu *vgpu, u64 pages);
void mvgpu_vgpu_clear_pin_limit(struct mvgpu_vgpu *vgpu);
u64 mvgpu_vgpu_pin_limit(struct mvgpu_vgpu *vgpu);
__printf(2, 3)
void mvgpu_vgpu_warn(struct mvgpu_vgpu *vgpu, const char *fmt, ...);

#endif /* _MVGPU_VGPU_API_H */
