// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-stage latency of a vGPU's workloads, without a tracer.
 *
 * While a vGPU measures (write "on" to debugfs mvgpu_stages/<vGPU>),
 * each of its workloads stamps the points of enum mvgpu_stage_pt with
 * ktime_get_ns(), and when its completion is delivered the time between
 * each point and the next goes into a histogram of that stage; the time
 * from that delivery to the interrupt it raises is one more stage.
 * Reading the file prints each stage's samples, p50, p99 and maximum
 * (stages_debugfs.c).
 * While no vGPU measures, each hook costs the read of a global count; a
 * measuring vGPU pays for seven or eight clock reads per workload.  Not
 * a static branch: patching the code while engines run it is what QEMU
 * under TCG, our test VM, gets wrong now and then (an int3 oops in the
 * patched function, seen in make scale when the probe turned stages on).
 *
 * The histograms are log-linear: 16 buckets per power of two, so a
 * percentile is within 1/32 of the truth (the middle of its bucket).
 */
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/timekeeping.h>
#include <linux/slab.h>

#include <mvgpu/backend.h>

#include "pgpu_types.h"
#include "stages.h"
#include "vgpu_types.h"
#include "workload.h"

#define SUB_BITS	4
#define SUBS		BIT(SUB_BITS)
#define BUCKETS		((64 - SUB_BITS + 1) * SUBS)

const char *const mvgpu_stage_names[MVGPU_ST_NR] = {
	[MVGPU_ST_TRAP] = "trap", [MVGPU_ST_SCAN] = "scan",
	[MVGPU_ST_QUEUE] = "queue", [MVGPU_ST_START] = "start",
	[MVGPU_ST_ENGINE] = "engine", [MVGPU_ST_DELIVER] = "deliver",
	[MVGPU_ST_IRQ] = "interrupt", [MVGPU_ST_TOTAL] = "total",
	[MVGPU_ST_START_UNSTALLED] = "start_unstalled",
};

/**
 * struct mvgpu_stages_hist - histograms of the stages of one vGPU
 * @n: samples of each stage
 * @max: the longest of each, ns
 * @b: the buckets of each (bucket_of())
 */
struct mvgpu_stages_hist {
	u64 n[MVGPU_ST_NR];
	u64 max[MVGPU_ST_NR];
	u32 b[MVGPU_ST_NR][BUCKETS];
};

/* vGPUs measuring: stages_set() changes it under mvgpu_stages_mutex */
atomic_t mvgpu_stages_on = ATOMIC_INIT(0);

static unsigned int bucket_of(u64 v)
{
	unsigned int e;

	if (v < SUBS)
		return v;
	e = fls64(v) - 1;
	return (e - SUB_BITS + 1) * SUBS + ((v >> (e - SUB_BITS)) & (SUBS - 1));
}

/* The middle of bucket @b, in ns. */
static u64 bucket_mid(unsigned int b)
{
	unsigned int e = b / SUBS + SUB_BITS - 1;

	if (b < SUBS)
		return b;
	return ((u64)(SUBS + b % SUBS) << (e - SUB_BITS)) +
	       (1ULL << (e - SUB_BITS) >> 1);
}

static void hist_add(struct mvgpu_stages_hist *h, enum mvgpu_stage st, u64 v)
{
	h->b[st][bucket_of(v)]++;
	h->n[st]++;
	h->max[st] = max(h->max[st], v);
}

/* The @pct-th percentile of stage @st, or 0 without samples. */
static u64 hist_pct(const struct mvgpu_stages_hist *h, enum mvgpu_stage st,
		    unsigned int pct)
{
	u64 rank = div_u64(h->n[st] * pct + 99, 100), seen = 0;
	unsigned int b;

	for (b = 0; b < BUCKETS && h->n[st]; b++) {
		seen += h->b[st][b];
		if (seen >= max(rank, 1ULL))
			return bucket_mid(b);
	}
	return 0;
}

/**
 * mvgpu_stages_stamp_engine() - stamp a point of @w with the engine's stalls
 * @w: the workload
 * @pt: %MVGPU_PT_QUEUED or %MVGPU_PT_START
 *
 * The stall clock is read after the time at QUEUED and before it at
 * START, so that the stalls counted lie within the wait: an unstalled
 * wait may come out longer than it was, never shorter.
 */
void mvgpu_stages_stamp_engine(struct mvgpu_workload *w,
			       enum mvgpu_stage_pt pt)
{
	struct mvgpu_backend *be = w->vgpu->pgpu->backend;
	bool start = pt == MVGPU_PT_START;

	if (!start)
		w->stamp[pt] = ktime_get_ns();
	w->stalled[start] = be->ops->stall_clock ?
			    be->ops->stall_clock(be, w->engine) : 0;
	if (start)
		w->stamp[pt] = ktime_get_ns();
}

/* The wait to start, less what the engine stalled meanwhile. */
static u64 stage_start_unstalled(const struct mvgpu_workload *w)
{
	u64 wait = w->stamp[MVGPU_PT_START] - w->stamp[MVGPU_PT_QUEUED];
	u64 stalled = w->stalled[1] > w->stalled[0] ?
		      w->stalled[1] - w->stalled[0] : 0;

	return wait - min(stalled, wait);
}

/**
 * mvgpu_stages_delivered() - @w's completion is about to reach the CSB
 * @w: the workload, delivered under its vGPU's lock
 *
 * Adds its stages when each point was stamped in order (a workload that
 * was rejected, or started before measuring began, has gaps).
 */
void mvgpu_stages_delivered(struct mvgpu_workload *w)
{
	struct mvgpu_vgpu *vgpu = w->vgpu;
	struct mvgpu_stages_hist *h = vgpu->stages.hist;
	unsigned int i;

	lockdep_assert_held(&vgpu->lock);
	if (!mvgpu_stages_measuring() || !h)
		return;
	w->stamp[MVGPU_PT_DELIVERED] = ktime_get_ns();
	for (i = 0; i < MVGPU_PT_NR; i++)
		if (!w->stamp[i] || (i && w->stamp[i] < w->stamp[i - 1]))
			return;
	for (i = 0; i + 1 < MVGPU_PT_NR; i++)
		hist_add(h, i, w->stamp[i + 1] - w->stamp[i]);
	hist_add(h, MVGPU_ST_TOTAL, w->stamp[MVGPU_PT_DELIVERED] -
		 w->stamp[MVGPU_PT_TRAP]);
	hist_add(h, MVGPU_ST_START_UNSTALLED, stage_start_unstalled(w));
	vgpu->stages.delivered_ns = w->stamp[MVGPU_PT_DELIVERED];
}

/**
 * mvgpu_stages_irq() - @vgpu raised its interrupt line
 * @vgpu: the vGPU, its lock held
 *
 * Raised by the CSB event of a delivery, the time since the delivery
 * began is its interrupt stage; an interrupt still pending raises
 * nothing, so such deliveries are not counted.
 */
void mvgpu_stages_irq(struct mvgpu_vgpu *vgpu)
{
	struct mvgpu_vstages *s = &vgpu->stages;

	lockdep_assert_held(&vgpu->lock);
	if (!mvgpu_stages_measuring() || !s->hist ||
	    !s->delivered_ns)
		return;
	hist_add(s->hist, MVGPU_ST_IRQ, ktime_get_ns() - s->delivered_ns);
	s->delivered_ns = 0;
}

/**
 * mvgpu_stages_swap() - install new histograms, or none
 * @vgpu: the vGPU
 * @h: from mvgpu_stages_alloc(), or NULL to stop measuring
 *
 * Return: the histograms that were installed, for mvgpu_stages_free().
 */
struct mvgpu_stages_hist *mvgpu_stages_swap(struct mvgpu_vgpu *vgpu,
					    struct mvgpu_stages_hist *h)
{
	struct mvgpu_stages_hist *old;

	mutex_lock(&vgpu->lock);
	old = vgpu->stages.hist;
	vgpu->stages.hist = h;
	vgpu->stages.delivered_ns = 0;
	mutex_unlock(&vgpu->lock);
	return old;
}

/**
 * mvgpu_stages_alloc() - empty histograms
 *
 * Return: the histograms or NULL.
 */
struct mvgpu_stages_hist *mvgpu_stages_alloc(void)
{
	return kvcalloc(1, sizeof(struct mvgpu_stages_hist), GFP_KERNEL_ACCOUNT);
}

/**
 * mvgpu_stages_free() - free histograms
 * @h: from mvgpu_stages_alloc() or mvgpu_stages_swap(), or NULL
 */
void mvgpu_stages_free(struct mvgpu_stages_hist *h)
{
	kvfree(h);
}

/**
 * mvgpu_stages_read() - the figures of each stage
 * @vgpu: the vGPU
 * @figs: filled in, %MVGPU_ST_NR entries
 *
 * Return: true while measuring, false (and @figs untouched) otherwise.
 */
bool mvgpu_stages_read(struct mvgpu_vgpu *vgpu, struct mvgpu_stage_figs *figs)
{
	struct mvgpu_stages_hist *h;
	unsigned int i;

	mutex_lock(&vgpu->lock);
	h = vgpu->stages.hist;
	for (i = 0; h && i < MVGPU_ST_NR; i++) {
		figs[i].n = h->n[i];
		figs[i].p50 = hist_pct(h, i, 50);
		figs[i].p99 = hist_pct(h, i, 99);
		figs[i].max = h->max[i];
	}
	mutex_unlock(&vgpu->lock);
	return h;
}
