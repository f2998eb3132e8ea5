/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake physical GPU for userspace tests of the virtualization core: a
 * struct mvgpu_backend whose engines are threads that run contexts with
 * the software GPU's executor (sgpu/cmd_exec.c), so that what they did
 * can be checked, and that a test can make slow, hang, fail or wait, and
 * interrupt with a preemption or the watchdog's HANG.  It keeps the
 * contract of include/mvgpu/backend.h and reports where its client
 * breaks it (fbe_errors()).  See fake_backend.c.
 */
#ifndef _FAKE_BACKEND_H
#define _FAKE_BACKEND_H

#include <linux/types.h>

#include <mvgpu/backend.h>

struct fbe;

/**
 * struct fbe_knob - how the contexts with one context ID behave
 * @run_us: engine time each needs before its commands run (it is
 *          "busy": arbitration points every 100 us); ~0U: it never
 *          finishes (a hang)
 * @gate: it waits at its first arbitration point until the gate opens
 *        (fbe_open_gate()); waiting counts as running for the watchdog,
 *        and a preemption or reset still stops it
 * @fail: enum mvgpu_err it fails with when it starts, 0 for none
 * @host_us: at each arbitration point of its run_us, the engine's thread
 *           spends this long on the host's work (as a software engine's
 *           thread in a callback to its client): neither engine time nor
 *           a stall
 */
struct fbe_knob {
	unsigned int run_us;
	bool gate;
	u32 fail;
	unsigned int host_us;
};

/**
 * struct fbe_ctx_stats - what happened to the contexts of one ID
 * @started: times one was loaded or resumed on an engine
 * @preempted: times one was preempted
 * @completed: ran to completion
 * @errors: stopped on an error (hangs included)
 * @ran_ns: engine time they had
 */
struct fbe_ctx_stats {
	u64 started;
	u64 preempted;
	u64 completed;
	u64 errors;
	u64 ran_ns;
};

struct fbe *fbe_create(void);
struct mvgpu_backend *fbe_backend(struct fbe *f);
struct fbe *fbe_of(struct mvgpu_backend *be);

void fbe_set_knob(struct fbe *f, u32 ctx_id, const struct fbe_knob *knob);
void fbe_open_gate(struct fbe *f, u32 ctx_id);
bool fbe_in_callback_now(void);
bool fbe_ctx_stats(struct fbe *f, u32 ctx_id, struct fbe_ctx_stats *st);
u32 fbe_running(struct fbe *f, unsigned int engine);

void fbe_inject_hang(struct fbe *f, unsigned int engine);
void fbe_inject_preempt(struct fbe *f, unsigned int engine);
void fbe_hold_reset(struct fbe *f, unsigned int engine, bool hold);
unsigned int fbe_resets(struct fbe *f, unsigned int engine);

void fbe_set_guest_pages(struct fbe *f, void *(*lookup)(u64 pfn));
int fbe_errors(struct fbe *f, char *buf, size_t len);

#endif /* _FAKE_BACKEND_H */
