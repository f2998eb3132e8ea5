// SPDX-License-Identifier: GPL-2.0-only
/*
 * A fake physical GPU (see fake_backend.h), on the threaded shim.
 *
 * Each engine is a kernel thread, as sgpu/engine.c's: it takes the
 * submitted execlist pair, loads each context from its image through the
 * GGTT (sgpu_ctx_load(), the GPRs from MVGPU_CTX_GPR), runs it with
 * sgpu_exec_run() in slices and saves it when it completes, fails or is
 * preempted.  Events follow the CSB semantics of gpu-interface.rst:
 * IDLE_TO_ACTIVE when a pair starts on an idle engine, COMPLETE or ERROR
 * with ELEMENT_SWITCH or ACTIVE_TO_IDLE, PREEMPTED (with ACTIVE_TO_IDLE
 * for preempt(), LITE_RESTORE for the same context again).
 *
 * Memory: a page frame the executor maps is a live page of the shim
 * (alloc_page(), vmalloc(): the shadows gvt/ builds) or a pinned guest
 * page of the guest memory fake (fbe_set_guest_pages()); anything else is
 * a PAGE_FAULT, and a GGTT entry pointing at anything else is reported.
 *
 * Contract checks (fbe_errors()): set_client, reset_engine, reset and
 * destroy must not be called from a callback; GGTT entries must name
 * pages; ops other than the GGTT's need a valid engine.
 *
 * Locks: fbe.client_sem (read side across each callback) -> fbe.knob_lock
 * and fbe_engine.lock (spinlocks, never held across a call out).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/compiler.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include <mvgpu/mvgpu_pci.h>
#include <mvgpu/mvgpu_regs.h>

#include "cmd_exec.h"
#include "context.h"
#include "fake_backend.h"
#include "gtt_walk.h"
#include "regfile.h"

#define FBE_KNOBS	64
#define FBE_BURNS	64
#define FBE_BURN_STEP_NS	(100 * NSEC_PER_USEC)
#define FBE_SLICE_CMDS	4096

/**
 * struct fbe_elem - one element of an execlist pair
 * @desc: context descriptor; 0 for none
 * @cookie: the submitter's cookie
 */
struct fbe_elem {
	u64 desc;
	void *cookie;
};

/**
 * struct fbe_burn - engine time a submitted context has had, by cookie
 * @cookie: the submitter's cookie, NULL for a free slot
 * @ns: engine time burned of its &fbe_knob.run_us
 */
struct fbe_burn {
	void *cookie;
	u64 ns;
};

/**
 * struct fbe_engine - one engine
 * @fbe: its GPU
 * @id: MVGPU_ENGINE_*
 * @thread: runs it
 * @exec: the engine as the executor sees it
 * @lock: protects @next, @next_valid, @preempt_req, @reset_req,
 *        @hang_req, @preempt_inj, @hold_reset, @watchdog_ms, @stats and
 *        @running_id
 * @next: a pair not taken yet
 * @next_valid: @next holds one
 * @preempt_req: preempt() was called
 * @reset_req: reset_engine() waits
 * @hang_req: fbe_inject_hang(): the running context hangs now
 * @preempt_inj: fbe_inject_preempt(): it is preempted at its next
 *               arbitration point
 * @hold_reset: a reset waits until this is cleared
 * @resets: resets begun
 * @watchdog_ms: longest run in one submission, 0 = none
 * @stats: counters
 * @running_id: context ID of the running context, 0 if idle
 * @wq: the thread waits here
 * @reset_mutex: one reset_engine() at a time
 * @reset_done: the thread dropped everything
 *
 * The thread's alone:
 * @port: the pair being run
 * @cur: the element being run
 * @busy: @ctx holds @port[@cur]'s state
 * @ctx: the running context
 * @gpr: its general purpose registers
 * @start_ns: when it started in this submission
 * @span_from: when the running context's current span of engine time
 *             began, 0 outside one (@lock: get_stats() counts it in)
 * @stint_ns: engine time of the running context's spans closed since it
 *            started
 * @host_ns: time spent on the host's work (@host_us) since the last event
 * @event_ns: when the last event was reported
 * @ran_ns: engine time of the context that last left the engine, to be
 *          reported with the event of its leaving; 0 once reported
 * @user_irqs: user interrupts of the current slice
 * @alarm_ns: set_alarm()'s time, 0 for none (READ_ONCE/WRITE_ONCE; the
 *            thread clears it when it rings)
 * @burn: engine time had by the contexts with a @run_us knob
 */
struct fbe_engine {
	struct fbe *fbe;
	unsigned int id;
	struct task_struct *thread;
	struct sgpu_engine exec;

	spinlock_t lock; /* see @lock above */
	struct fbe_elem next[2];
	bool next_valid;
	bool preempt_req;
	bool reset_req;
	bool hang_req;
	bool preempt_inj;
	bool hold_reset;
	unsigned int resets;
	unsigned int watchdog_ms;
	struct mvgpu_backend_stats stats;
	u32 running_id;
	wait_queue_head_t wq;
	struct mutex reset_mutex; /* see @reset_mutex above */
	struct completion reset_done;

	struct fbe_elem port[2];
	unsigned int cur;
	bool busy;
	struct sgpu_ctx ctx;
	u32 gpr[MVGPU_RING_GPR_DWORDS];
	u64 start_ns;
	u64 span_from;
	u64 stint_ns;
	u64 host_ns;
	u64 event_ns;
	u64 ran_ns;
	unsigned int user_irqs;
	u64 alarm_ns;
	struct fbe_burn burn[FBE_BURNS];
};

/**
 * struct fbe_knob_slot - a knob and the statistics of its context ID
 * @ctx_id: the context ID, 0 for a free slot
 * @knob: how its contexts behave
 * @gate_open: the gate was opened
 * @st: what happened to them
 */
struct fbe_knob_slot {
	u32 ctx_id;
	struct fbe_knob knob;
	bool gate_open;
	struct fbe_ctx_stats st;
};

/**
 * struct fbe - the fake GPU
 * @be: what the core gets; first
 * @ggtt: %MVGPU_GGTT_ENTRIES entries, each written and read once
 * @mem: memory and GGTT as the executor sees them
 * @guest_page: finds a pinned guest page by frame number
 * @client_sem: protects @client and @has_client; read side held across
 *              each callback
 * @client: who hears the events
 * @has_client: @client is set
 * @knob_lock: protects @knobs
 * @knobs: knobs and statistics by context ID
 * @err_lock: protects @nerr and @err
 * @nerr: contract violations seen
 * @err: the first
 * @eng: the engines
 * @edid: what edid() returns
 */
struct fbe {
	struct mvgpu_backend be;
	u64 *ggtt;
	struct sgpu_mem mem;
	void *(*guest_page)(u64 pfn);
	struct rw_semaphore client_sem; /* see @client_sem above */
	struct mvgpu_backend_client client;
	bool has_client;
	spinlock_t knob_lock; /* see @knob_lock above */
	struct fbe_knob_slot knobs[FBE_KNOBS];
	spinlock_t err_lock; /* see @err_lock above */
	int nerr;
	char err[256];
	struct fbe_engine eng[MVGPU_NUM_ENGINES];
	u8 edid[MVGPU_EDID_SIZE];
};

/* The calling thread runs one of our callbacks. */
static __thread bool fbe_in_callback;

__attribute__((format(printf, 2, 3)))
static void fbe_violation(struct fbe *f, const char *fmt, ...)
{
	va_list ap;

	spin_lock(&f->err_lock);
	if (!f->nerr++) {
		va_start(ap, fmt);
		vsnprintf(f->err, sizeof(f->err), fmt, ap);
		va_end(ap);
		fprintf(stderr, "fake backend: %s\n", f->err);
	}
	spin_unlock(&f->err_lock);
}

/**
 * fbe_errors() - contract violations the backend saw
 * @f: the backend
 * @buf: gets the first one's description
 * @len: size of @buf
 *
 * Return: how many.
 */
int fbe_errors(struct fbe *f, char *buf, size_t len)
{
	int n;

	spin_lock(&f->err_lock);
	n = f->nerr;
	snprintf(buf, len, "%s", f->err);
	spin_unlock(&f->err_lock);
	return n;
}

/**
 * fbe_in_callback_now() - is the calling thread in a callback of a fake GPU?
 *
 * Return: true from inside a context event, user interrupt or alarm
 * callback to the backend's client.
 */
bool fbe_in_callback_now(void)
{
	return fbe_in_callback;
}

static void no_callback(struct fbe *f, const char *op)
{
	if (fbe_in_callback)
		fbe_violation(f, "%s called from a callback", op);
}

/* ---- memory ---- */

static void *fbe_map_page(void *priv, u64 pfn)
{
	struct fbe *f = priv;
	struct page *page = shim_pfn_to_page(pfn);

	if (page)
		return page_address(page);
	return f->guest_page ? f->guest_page(pfn) : NULL;
}

static void fbe_unmap_page(void *priv, u64 pfn, void *va)
{
}

static const struct sgpu_mem_ops fbe_mem_ops = {
	.map_page = fbe_map_page,
	.unmap_page = fbe_unmap_page,
};

/**
 * fbe_set_guest_pages() - where the executor finds guest pages
 * @f: the backend, before any engine reaches a guest page
 * @lookup: returns the page of frame @pfn if it is a pinned guest page
 */
void fbe_set_guest_pages(struct fbe *f, void *(*lookup)(u64 pfn))
{
	f->guest_page = lookup;
}

/* ---- knobs ---- */

/* The slot of @ctx_id, made if @make; knob lock held. */
static struct fbe_knob_slot *knob_slot(struct fbe *f, u32 ctx_id, bool make)
{
	struct fbe_knob_slot *free = NULL;
	unsigned int i;

	for (i = 0; i < FBE_KNOBS; i++) {
		if (f->knobs[i].ctx_id == ctx_id)
			return &f->knobs[i];
		if (!f->knobs[i].ctx_id && !free)
			free = &f->knobs[i];
	}
	if (!make || !free)
		return NULL;
	memset(free, 0, sizeof(*free));
	free->ctx_id = ctx_id;
	return free;
}

/**
 * fbe_set_knob() - how contexts of @ctx_id behave from now on
 * @f: the backend
 * @ctx_id: the context ID (not 0); its statistics start at zero
 * @knob: the behaviour
 */
void fbe_set_knob(struct fbe *f, u32 ctx_id, const struct fbe_knob *knob)
{
	struct fbe_knob_slot *s;

	spin_lock(&f->knob_lock);
	s = knob_slot(f, ctx_id, true);
	if (s)
		s->knob = *knob;
	spin_unlock(&f->knob_lock);
	if (!s)
		fbe_violation(f, "too many knobs");
}

/**
 * fbe_open_gate() - let the contexts of @ctx_id go on
 * @f: the backend
 * @ctx_id: their context ID
 */
void fbe_open_gate(struct fbe *f, u32 ctx_id)
{
	struct fbe_knob_slot *s;
	unsigned int i;

	spin_lock(&f->knob_lock);
	s = knob_slot(f, ctx_id, false);
	if (s)
		s->gate_open = true;
	spin_unlock(&f->knob_lock);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		wake_up(&f->eng[i].wq);
}

/**
 * fbe_ctx_stats() - what happened to the contexts of @ctx_id
 * @f: the backend
 * @ctx_id: a context ID given a knob
 * @st: filled in
 *
 * Return: false if @ctx_id has no knob.
 */
bool fbe_ctx_stats(struct fbe *f, u32 ctx_id, struct fbe_ctx_stats *st)
{
	struct fbe_knob_slot *s;

	spin_lock(&f->knob_lock);
	s = knob_slot(f, ctx_id, false);
	if (s)
		*st = s->st;
	spin_unlock(&f->knob_lock);
	return s;
}

/* The running context's knob (a copy), and whether it has one. */
static bool ctx_knob(struct fbe_engine *e, struct fbe_knob *knob,
		     bool *gate_open)
{
	struct fbe_knob_slot *s;

	spin_lock(&e->fbe->knob_lock);
	s = knob_slot(e->fbe, e->ctx.ctx_id, false);
	if (s) {
		*knob = s->knob;
		*gate_open = s->gate_open;
	}
	spin_unlock(&e->fbe->knob_lock);
	return s;
}

enum fbe_count { FBE_STARTED, FBE_PREEMPTED, FBE_COMPLETED, FBE_ERRORS };

static void ctx_count(struct fbe_engine *e, u32 ctx_id, enum fbe_count what,
		      u64 ran_ns)
{
	struct fbe_knob_slot *s;

	spin_lock(&e->fbe->knob_lock);
	s = knob_slot(e->fbe, ctx_id, false);
	if (s) {
		s->st.ran_ns += ran_ns;
		if (what == FBE_STARTED)
			s->st.started++;
		else if (what == FBE_PREEMPTED)
			s->st.preempted++;
		else if (what == FBE_COMPLETED)
			s->st.completed++;
		else
			s->st.errors++;
	}
	spin_unlock(&e->fbe->knob_lock);
}

/* Engine time the running element has had of its knob's run_us. */
static struct fbe_burn *burn_of(struct fbe_engine *e, bool make)
{
	void *cookie = e->port[e->cur].cookie;
	struct fbe_burn *free = NULL;
	unsigned int i;

	for (i = 0; i < FBE_BURNS; i++) {
		if (e->burn[i].cookie == cookie && cookie)
			return &e->burn[i];
		if (!e->burn[i].cookie && !free)
			free = &e->burn[i];
	}
	if (make && free) {
		free->cookie = cookie;
		free->ns = 0;
	}
	return make ? free : NULL;
}

static void burn_forget(struct fbe_engine *e)
{
	struct fbe_burn *b = burn_of(e, false);

	if (b)
		b->cookie = NULL;
}

/* ---- events ---- */

/*
 * Call the client's @fn, when it has a client with one, as the backend
 * contract says: set_client() waits for the calls under way to return.
 */
#define fbe_call_client(f, fn, ...) do {				\
	down_read(&(f)->client_sem);					\
	fbe_in_callback = true;						\
	if ((f)->has_client && (f)->client.fn)				\
		(f)->client.fn((f)->client.priv, __VA_ARGS__);		\
	fbe_in_callback = false;					\
	up_read(&(f)->client_sem);					\
} while (0)

static void count(struct fbe_engine *e, u64 *counter, u64 n);

static void fbe_event(struct fbe_engine *e, u32 status,
		      const struct fbe_elem *elem,
		      const struct mvgpu_engine_error *err)
{
	struct fbe *f = e->fbe;
	struct mvgpu_ctx_event ev = {
		.status = status,
		.ctx_id = (u32)(elem->desc >> MVGPU_CTX_DESC_ID_SHIFT),
		.cookie = elem->cookie,
		.error = status & MVGPU_CSB_ERROR ? err : NULL,
	};
	u64 now = ktime_get_ns();

	/*
	 * A context left the engine: the time since the previous event that
	 * it did not run (this thread between the event and the context's
	 * start, or before this one) and did not spend on the host's work
	 * was a stall, as a software GPU reports its thread's waits for a
	 * CPU (pgpu statistics only: the scheduler charges busy_ns).
	 */
	if (e->ran_ns) {
		if (now - e->event_ns > e->ran_ns + e->host_ns)
			count(e, &e->stats.stalled_ns,
			      now - e->event_ns - e->ran_ns - e->host_ns);
		e->ran_ns = 0;
	}
	e->host_ns = 0;
	e->event_ns = now;
	fbe_call_client(f, ctx_event, e->id, &ev);
}

static void fbe_deliver_irqs(struct fbe_engine *e)
{
	struct fbe *f = e->fbe;
	void *cookie = e->port[e->cur].cookie;

	for (; e->user_irqs; e->user_irqs--)
		fbe_call_client(f, user_interrupt, e->id, cookie);
}

static void count(struct fbe_engine *e, u64 *counter, u64 n)
{
	spin_lock(&e->lock);
	*counter += n;
	spin_unlock(&e->lock);
}

static void set_running(struct fbe_engine *e, u32 ctx_id)
{
	spin_lock(&e->lock);
	e->running_id = ctx_id;
	spin_unlock(&e->lock);
}

/* ---- the executor's side ---- */

static bool attention(struct fbe_engine *e)
{
	return READ_ONCE(e->next_valid) || READ_ONCE(e->preempt_req) ||
	       READ_ONCE(e->reset_req) || READ_ONCE(e->hang_req) ||
	       READ_ONCE(e->preempt_inj) || kthread_should_stop();
}

/* Has the time of set_alarm() come? */
static bool alarm_due(struct fbe_engine *e)
{
	u64 at = READ_ONCE(e->alarm_ns);

	return at && ktime_get_ns() >= at;
}

/* At an arbitration point: call the client if its alarm is due, once. */
static void ring_alarm(struct fbe_engine *e)
{
	struct fbe *f = e->fbe;
	u64 at = READ_ONCE(e->alarm_ns);

	if (!at || ktime_get_ns() < at ||
	    !__atomic_compare_exchange_n(&e->alarm_ns, &at, 0, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return;
	fbe_call_client(f, alarm, e->id);
}

static bool fbe_should_yield(void *priv)
{
	return attention(priv) || alarm_due(priv);
}

static void fbe_notify(void *priv, enum sgpu_event ev, u64 addr)
{
	struct fbe_engine *e = priv;

	if (ev == SGPU_EVENT_USER_INTERRUPT)
		e->user_irqs++;
}

static int fbe_reg_read(void *priv, u32 reg, u32 *val)
{
	struct fbe_engine *e = priv;
	u32 base = e->id == MVGPU_ENGINE_RCS ? MVGPU_RCS_BASE : MVGPU_BCS_BASE;
	u32 off;

	if (sgpu_reg_offset(base, reg, &off) || !sgpu_reg_allowed(off, false))
		return -EPERM;
	if (sgpu_reg_is_gpr(off))
		*val = e->gpr[(off - MVGPU_RING_GPR(0)) / 4];
	else
		*val = (u32)(ktime_get_ns() / 80);
	return 0;
}

static int fbe_reg_write(void *priv, u32 reg, u32 val)
{
	struct fbe_engine *e = priv;
	u32 base = e->id == MVGPU_ENGINE_RCS ? MVGPU_RCS_BASE : MVGPU_BCS_BASE;
	u32 off;

	if (sgpu_reg_offset(base, reg, &off) || !sgpu_reg_allowed(off, true))
		return -EPERM;
	e->gpr[(off - MVGPU_RING_GPR(0)) / 4] = val;
	return 0;
}

static const struct sgpu_exec_ops fbe_exec_ops = {
	.reg_read = fbe_reg_read,
	.reg_write = fbe_reg_write,
	.notify = fbe_notify,
	.should_yield = fbe_should_yield,
};

/* ---- the engine ---- */

static void gpr_rw(struct fbe_engine *e, bool write)
{
	struct sgpu_vm vm = { .mem = &e->fbe->mem };
	struct sgpu_fault fault;
	u64 at = e->ctx.lrca + 4ULL * MVGPU_CTX_GPR(0);

	if (write)
		sgpu_vm_write(&vm, SGPU_GGTT, at, e->gpr, sizeof(e->gpr), &fault);
	else if (sgpu_vm_read(&vm, SGPU_GGTT, at, e->gpr, sizeof(e->gpr),
			      &fault))
		memset(e->gpr, 0, sizeof(e->gpr));
}

static void save(struct fbe_engine *e)
{
	if (sgpu_ctx_save(&e->ctx, &e->fbe->mem, NULL))
		fbe_violation(e->fbe, "context %u cannot be saved", e->ctx.ctx_id);
	gpr_rw(e, true);
}

static void start(struct fbe_engine *e);
static void switch_element(struct fbe_engine *e);

/* The running context's engine time goes on from now. */
static void span_open(struct fbe_engine *e)
{
	spin_lock(&e->lock);
	e->span_from = ktime_get_ns();
	spin_unlock(&e->lock);
}

/* ... and stops now: into busy_ns and the context's time. */
static void span_close(struct fbe_engine *e)
{
	u64 now = ktime_get_ns(), ns;

	spin_lock(&e->lock);
	ns = e->span_from ? now - e->span_from : 0;
	e->span_from = 0;
	e->stats.busy_ns += ns;
	spin_unlock(&e->lock);
	e->stint_ns += ns;
}

/* Off the engine: its engine time since it started is reported. */
static void ran(struct fbe_engine *e, enum fbe_count what)
{
	span_close(e);
	ctx_count(e, e->ctx.ctx_id, what, e->stint_ns);
	e->ran_ns = max(e->stint_ns, 1ULL);
	e->stint_ns = 0;
	set_running(e, 0);
}

/* The running context completed or failed: report it, go on. */
static void retire(struct fbe_engine *e, u32 status,
		   const struct mvgpu_engine_error *err)
{
	struct fbe_elem done = e->port[e->cur];
	bool next = e->cur == 0 && e->port[1].desc;

	save(e);
	burn_forget(e);
	ran(e, status & MVGPU_CSB_ERROR ? FBE_ERRORS : FBE_COMPLETED);
	e->busy = false;
	status |= next ? MVGPU_CSB_ELEMENT_SWITCH : MVGPU_CSB_ACTIVE_TO_IDLE;
	fbe_event(e, status, &done, err);
	if (next)
		switch_element(e);
}

static void fail(struct fbe_engine *e, const struct sgpu_error *se)
{
	struct mvgpu_engine_error err = {
		.status = sgpu_error_status(se),
		.ctx_id = se->ctx_id,
		.cmd_addr = se->cmd_addr,
		.cmd_header = se->cmd_header,
		.fault_addr = se->fault_addr,
	};

	count(e, &e->stats.errors, 1);
	if (se->code == MVGPU_ERR_HANG)
		count(e, &e->stats.hangs, 1);
	e->ctx.error = se->code;
	retire(e, MVGPU_CSB_ERROR, &err);
}

/* Load @port[@cur]; a context that cannot be loaded fails at once. */
static void start(struct fbe_engine *e)
{
	const struct fbe_elem *elem = &e->port[e->cur];
	struct mvgpu_engine_error err;
	struct sgpu_error se;
	bool next;

	if (!sgpu_ctx_load(&e->ctx, &e->fbe->mem, elem->desc, &se)) {
		gpr_rw(e, false);
		e->busy = true;
		e->start_ns = ktime_get_ns();
		set_running(e, e->ctx.ctx_id);
		span_open(e);
		ctx_count(e, e->ctx.ctx_id, FBE_STARTED, 0);
		return;
	}
	err = (struct mvgpu_engine_error){
		.status = sgpu_error_status(&se), .ctx_id = se.ctx_id,
		.fault_addr = se.fault_addr,
	};
	count(e, &e->stats.errors, 1);
	next = e->cur == 0 && e->port[1].desc;
	fbe_event(e, MVGPU_CSB_ERROR | (next ? MVGPU_CSB_ELEMENT_SWITCH :
					MVGPU_CSB_ACTIVE_TO_IDLE), elem, &err);
	if (next)
		switch_element(e);
}

static bool take(struct fbe_engine *e, struct fbe_elem *pair, bool *preempt)
{
	bool taken;

	spin_lock(&e->lock);
	taken = e->next_valid;
	*preempt = e->preempt_req || e->preempt_inj;
	if (taken) {
		pair[0] = e->next[0];
		pair[1] = e->next[1];
	}
	WRITE_ONCE(e->next_valid, false);
	WRITE_ONCE(e->preempt_req, false);
	WRITE_ONCE(e->preempt_inj, false);
	spin_unlock(&e->lock);
	return taken;
}

static void run_pair(struct fbe_engine *e, const struct fbe_elem *pair)
{
	e->port[0] = pair[0];
	e->port[1] = pair[1];
	e->cur = 0;
	start(e);
}

static bool start_next(struct fbe_engine *e)
{
	struct fbe_elem pair[2];
	bool preempt;

	if (!take(e, pair, &preempt))
		return false;
	fbe_event(e, MVGPU_CSB_IDLE_TO_ACTIVE, &pair[0], NULL);
	run_pair(e, pair);
	return true;
}

/* Same context again: it continues with the new tail, unsaved. */
static void lite_restore(struct fbe_engine *e, const struct fbe_elem *pair,
			 u32 extra)
{
	struct fbe_elem old = e->port[e->cur];
	struct sgpu_ctx fresh;

	fbe_event(e, MVGPU_CSB_PREEMPTED | MVGPU_CSB_LITE_RESTORE | extra,
		  &old, NULL);
	e->port[0] = pair[0];
	e->port[1] = pair[1];
	e->cur = 0;
	if (sgpu_ctx_load(&fresh, &e->fbe->mem, pair[0].desc, NULL) ||
	    fresh.ring_start != e->ctx.ring_start ||
	    fresh.ring_ctl != e->ctx.ring_ctl) {
		save(e);
		ran(e, FBE_PREEMPTED);
		start(e);
		return;
	}
	e->ctx.desc = fresh.desc;
	e->ctx.ctx_id = fresh.ctx_id;
	e->ctx.tail = fresh.tail;
}

/* Stopped at an arbitration point: switch, go idle, or carry on. */
static void arbitrate(struct fbe_engine *e, u32 extra)
{
	struct fbe_elem pair[2], old = e->port[e->cur];
	bool preempt;

	if (READ_ONCE(e->reset_req) || kthread_should_stop())
		return;
	if (take(e, pair, &preempt)) {
		if ((pair[0].desc & MVGPU_CTX_DESC_LRCA_MASK) == e->ctx.lrca) {
			lite_restore(e, pair, extra);
			return;
		}
		save(e);
		ran(e, FBE_PREEMPTED);
		e->busy = false;
		count(e, &e->stats.preemptions, 1);
		fbe_event(e, MVGPU_CSB_PREEMPTED | extra, &old, NULL);
		run_pair(e, pair);
	} else if (preempt) {
		save(e);
		ran(e, FBE_PREEMPTED);
		e->busy = false;
		count(e, &e->stats.preemptions, 1);
		fbe_event(e, MVGPU_CSB_PREEMPTED | MVGPU_CSB_ACTIVE_TO_IDLE |
			  extra, &old, NULL);
	}
}

/*
 * On to element 1, whose start is an arbitration point (before its first
 * command), as the software GPU's.
 */
static void switch_element(struct fbe_engine *e)
{
	e->cur = 1;
	start(e);
	if (e->busy && attention(e))
		arbitrate(e, 0);
}

/* The watchdog, or an injected HANG: the running context hangs. */
static bool hang(struct fbe_engine *e)
{
	unsigned int ms;
	bool inj;
	struct sgpu_error se = {
		.code = MVGPU_ERR_HANG, .ctx_id = e->ctx.ctx_id,
		.space = MVGPU_SPACE_RING, .cmd_addr = e->ctx.head,
	};

	spin_lock(&e->lock);
	ms = e->watchdog_ms;
	inj = e->hang_req;
	WRITE_ONCE(e->hang_req, false);
	spin_unlock(&e->lock);
	if (!inj && (!ms || ktime_get_ns() - e->start_ns <
			    (u64)ms * NSEC_PER_MSEC))
		return false;
	fail(e, &se);
	return true;
}

/* A context with a run_us knob burns engine time first; false when done. */
static bool burning(struct fbe_engine *e, const struct fbe_knob *knob)
{
	struct fbe_burn *b = burn_of(e, true);
	u64 want = knob->run_us == ~0U ? U64_MAX :
		   (u64)knob->run_us * NSEC_PER_USEC;
	u64 t0, dl, at;

	if (!b || b->ns >= want)
		return false;
	t0 = ktime_get_ns();
	/* a step, or up to the alarm: the engine looks at it on time */
	dl = shim_wait_deadline(nsecs_to_jiffies(min(want - b->ns,
						     (u64)FBE_BURN_STEP_NS)));
	at = READ_ONCE(e->alarm_ns);
	shim_wait_event_until(e->wq, attention(e) || alarm_due(e),
			      at && at < dl ? at : dl);
	b->ns += ktime_get_ns() - t0;
	return true;
}

/*
 * The thread works for the host for @us, or until a reset or a stop: the
 * context's time stops meanwhile.
 */
static void host_work(struct fbe_engine *e, unsigned int us)
{
	u64 t0;

	span_close(e);
	t0 = ktime_get_ns();
	shim_wait_event_until(e->wq, READ_ONCE(e->reset_req) ||
			      kthread_should_stop(),
			      t0 + (u64)us * NSEC_PER_USEC);
	e->host_ns += ktime_get_ns() - t0;
	span_open(e);
}

/* One step of the running context. */
static void step(struct fbe_engine *e)
{
	struct sgpu_exec_limits lim = { .max_cmds = FBE_SLICE_CMDS };
	struct sgpu_exec_result res;
	struct fbe_knob knob = { };
	bool gate_open = true;
	struct sgpu_error se;

	if (hang(e))
		return;
	if (ctx_knob(e, &knob, &gate_open) && knob.fail) {
		se = (struct sgpu_error){
			.code = knob.fail, .ctx_id = e->ctx.ctx_id,
			.space = MVGPU_SPACE_RING, .cmd_addr = e->ctx.head,
		};
		fail(e, &se);
		return;
	}
	if (knob.gate && !gate_open) {
		wait_event_timeout(e->wq, attention(e) ||
				   (ctx_knob(e, &knob, &gate_open) && gate_open),
				   1);
		if (attention(e))
			arbitrate(e, MVGPU_CSB_WAIT_ON_SEMAPHORE);
		return;
	}
	if (burning(e, &knob)) {
		if (knob.host_us)
			host_work(e, knob.host_us);
		ring_alarm(e);
		if (attention(e))
			arbitrate(e, 0);
		return;
	}
	sgpu_exec_run(&e->exec, &e->ctx, &lim, &res);
	fbe_deliver_irqs(e);
	switch (res.status) {
	case SGPU_EXEC_IDLE:
		count(e, &e->stats.contexts_completed, 1);
		retire(e, MVGPU_CSB_COMPLETE, NULL);
		break;
	case SGPU_EXEC_ERROR:
		fail(e, &res.err);
		break;
	case SGPU_EXEC_PREEMPTED:
		ring_alarm(e);
		arbitrate(e, 0);
		break;
	case SGPU_EXEC_WAITING:
		ring_alarm(e);
		if (attention(e))
			arbitrate(e, MVGPU_CSB_WAIT_ON_SEMAPHORE);
		else
			wait_event_timeout(e->wq, attention(e), 1);
		break;
	case SGPU_EXEC_BUDGET:
		break;
	}
}

static void do_reset(struct fbe_engine *e)
{
	if (e->busy)
		ran(e, FBE_ERRORS);
	e->busy = false;
	e->cur = 0;
	memset(e->port, 0, sizeof(e->port));
	memset(e->burn, 0, sizeof(e->burn));
	e->user_irqs = 0;
	memset(e->gpr, 0, sizeof(e->gpr));
	spin_lock(&e->lock);
	e->resets++;
	spin_unlock(&e->lock);
	wake_up(&e->wq);
	/* a slow reset: it ends when the test says so */
	wait_event(e->wq, !READ_ONCE(e->hold_reset) || kthread_should_stop());
	spin_lock(&e->lock);
	WRITE_ONCE(e->next_valid, false);
	WRITE_ONCE(e->preempt_req, false);
	WRITE_ONCE(e->preempt_inj, false);
	WRITE_ONCE(e->hang_req, false);
	WRITE_ONCE(e->reset_req, false);
	spin_unlock(&e->lock);
	complete(&e->reset_done);
}

static int engine_thread(void *arg)
{
	struct fbe_engine *e = arg;

	while (!kthread_should_stop()) {
		if (READ_ONCE(e->reset_req)) {
			do_reset(e);
		} else if (e->busy) {
			step(e);
		} else if (!start_next(e)) {
			spin_lock(&e->lock);
			WRITE_ONCE(e->preempt_req, false);
			WRITE_ONCE(e->preempt_inj, false);
			WRITE_ONCE(e->hang_req, false);
			spin_unlock(&e->lock);
			wait_event_idle(e->wq, attention(e));
		}
	}
	return 0;
}

/* ---- ops ---- */

static struct fbe_engine *engine(struct mvgpu_backend *be, unsigned int id,
				 const char *op)
{
	if (id < MVGPU_NUM_ENGINES)
		return &fbe_of(be)->eng[id];
	fbe_violation(fbe_of(be), "%s of engine %u", op, id);
	return NULL;
}

static void fbe_set_client(struct mvgpu_backend *be,
			   const struct mvgpu_backend_client *client)
{
	struct fbe *f = fbe_of(be);

	no_callback(f, "set_client");
	down_write(&f->client_sem);
	f->has_client = client;
	if (client)
		f->client = *client;
	else
		memset(&f->client, 0, sizeof(f->client));
	up_write(&f->client_sem);
}

static int fbe_submit(struct mvgpu_backend *be, unsigned int id,
		      const u64 desc[2], void *const cookie[2])
{
	struct fbe_engine *e = engine(be, id, "submit");
	u64 mode = (desc[0] & MVGPU_CTX_DESC_MODE_MASK) >>
		   MVGPU_CTX_DESC_MODE_SHIFT;

	if (!e || !(desc[0] & MVGPU_CTX_DESC_VALID) ||
	    (mode != MVGPU_CTX_MODE_LEGACY_32B &&
	     mode != MVGPU_CTX_MODE_LEGACY_64B))
		return -EINVAL;
	spin_lock(&e->lock);
	e->next[0].desc = desc[0];
	e->next[0].cookie = cookie[0];
	e->next[1].desc = desc[1] & MVGPU_CTX_DESC_VALID ? desc[1] : 0;
	e->next[1].cookie = e->next[1].desc ? cookie[1] : NULL;
	WRITE_ONCE(e->next_valid, true);
	WRITE_ONCE(e->preempt_req, false);
	e->stats.submissions++;
	spin_unlock(&e->lock);
	wake_up(&e->wq);
	return 0;
}

static void fbe_set_alarm(struct mvgpu_backend *be, unsigned int id, u64 ns)
{
	struct fbe_engine *e = engine(be, id, "set_alarm");

	if (!e)
		return;
	WRITE_ONCE(e->alarm_ns, ns);
	wake_up(&e->wq);	/* a burning engine waits up to its alarm */
}

static void fbe_preempt(struct mvgpu_backend *be, unsigned int id)
{
	struct fbe_engine *e = engine(be, id, "preempt");

	if (!e)
		return;
	spin_lock(&e->lock);
	WRITE_ONCE(e->next_valid, false);
	WRITE_ONCE(e->preempt_req, true);
	spin_unlock(&e->lock);
	wake_up(&e->wq);
}

static void fbe_set_watchdog(struct mvgpu_backend *be, unsigned int id,
			     unsigned int ms)
{
	struct fbe_engine *e = engine(be, id, "set_watchdog");

	if (!e)
		return;
	spin_lock(&e->lock);
	e->watchdog_ms = ms;
	spin_unlock(&e->lock);
}

static void fbe_reset_engine(struct mvgpu_backend *be, unsigned int id)
{
	struct fbe_engine *e = engine(be, id, "reset_engine");

	no_callback(fbe_of(be), "reset_engine");
	if (!e)
		return;
	mutex_lock(&e->reset_mutex);
	reinit_completion(&e->reset_done);
	spin_lock(&e->lock);
	WRITE_ONCE(e->reset_req, true);
	spin_unlock(&e->lock);
	wake_up(&e->wq);
	wait_for_completion(&e->reset_done);
	mutex_unlock(&e->reset_mutex);
}

static void fbe_reset(struct mvgpu_backend *be)
{
	unsigned int i;

	no_callback(fbe_of(be), "reset");
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		fbe_reset_engine(be, i);
}

static void fbe_ggtt_write(struct mvgpu_backend *be, u32 index, u64 pte)
{
	struct fbe *f = fbe_of(be);

	if (index >= MVGPU_GGTT_ENTRIES) {
		fbe_violation(f, "GGTT entry 0x%x written", index);
		return;
	}
	if ((pte & MVGPU_PTE_VALID) &&
	    !fbe_map_page(f, (pte & MVGPU_PTE_ADDR_MASK) >> PAGE_SHIFT))
		fbe_violation(f, "GGTT entry 0x%x = 0x%llx: not a page", index,
			      pte);
	WRITE_ONCE(f->ggtt[index], pte);
}

static u64 fbe_ggtt_read(struct mvgpu_backend *be, u32 index)
{
	return index < MVGPU_GGTT_ENTRIES ? READ_ONCE(fbe_of(be)->ggtt[index]) : 0;
}

static u32 fbe_ggtt_entries(struct mvgpu_backend *be)
{
	return MVGPU_GGTT_ENTRIES;
}

static void fbe_set_plane(struct mvgpu_backend *be,
			  const struct mvgpu_plane *plane)
{
	no_callback(fbe_of(be), "set_plane");
}

static const u8 *fbe_edid(struct mvgpu_backend *be)
{
	return fbe_of(be)->edid;
}

static void fbe_get_stats(struct mvgpu_backend *be, unsigned int id,
			  struct mvgpu_backend_stats *stats)
{
	struct fbe_engine *e = engine(be, id, "get_stats");

	if (!e)
		return;
	spin_lock(&e->lock);
	*stats = e->stats;
	/* like a GPU's busy counter, it counts the running span too */
	if (e->span_from)
		stats->busy_ns += ktime_get_ns() - e->span_from;
	spin_unlock(&e->lock);
}

static void fbe_destroy(struct mvgpu_backend *be)
{
	struct fbe *f = fbe_of(be);
	unsigned int i;

	no_callback(f, "destroy");
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		if (f->eng[i].thread)
			kthread_stop(f->eng[i].thread);
		mutex_destroy(&f->eng[i].reset_mutex);
	}
	vfree(f->ggtt);
	kfree(f);
}

static const struct mvgpu_backend_ops fbe_ops = {
	.set_client = fbe_set_client,
	.submit = fbe_submit,
	.set_alarm = fbe_set_alarm,
	.preempt = fbe_preempt,
	.set_watchdog = fbe_set_watchdog,
	.reset_engine = fbe_reset_engine,
	.reset = fbe_reset,
	.ggtt_write = fbe_ggtt_write,
	.ggtt_read = fbe_ggtt_read,
	.ggtt_entries = fbe_ggtt_entries,
	.set_plane = fbe_set_plane,
	.edid = fbe_edid,
	.get_stats = fbe_get_stats,
	.destroy = fbe_destroy,
};

/* ---- for the tests ---- */

/**
 * fbe_create() - a fake GPU with its engines running
 *
 * Return: the GPU; destroy it through its backend's destroy op.
 */
struct fbe *fbe_create(void)
{
	struct fbe *f = kzalloc(sizeof(*f), GFP_KERNEL);
	unsigned int i;

	if (!f)
		return NULL;
	f->be.ops = &fbe_ops;
	f->be.name = "fbe";
	f->ggtt = vzalloc(MVGPU_GGTT_ENTRIES * sizeof(u64));
	if (!f->ggtt) {
		kfree(f);
		return NULL;
	}
	f->mem.ops = &fbe_mem_ops;
	f->mem.priv = f;
	f->mem.ggtt = f->ggtt;
	f->mem.ggtt_entries = MVGPU_GGTT_ENTRIES;
	init_rwsem(&f->client_sem);
	spin_lock_init(&f->knob_lock);
	spin_lock_init(&f->err_lock);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		struct fbe_engine *e = &f->eng[i];

		e->fbe = f;
		e->id = i;
		e->exec.id = i;
		e->exec.mem = &f->mem;
		e->exec.ops = &fbe_exec_ops;
		e->exec.priv = e;
		spin_lock_init(&e->lock);
		init_waitqueue_head(&e->wq);
		mutex_init(&e->reset_mutex);
		init_completion(&e->reset_done);
	}
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		f->eng[i].thread = kthread_run(engine_thread, &f->eng[i],
					       "fbe-%s", i ? "bcs" : "rcs");
		if (IS_ERR(f->eng[i].thread)) {
			f->eng[i].thread = NULL;
			fbe_destroy(&f->be);
			return NULL;
		}
	}
	return f;
}

/**
 * fbe_backend() - the backend the core is given
 * @f: the fake GPU
 *
 * Return: its struct mvgpu_backend.
 */
struct mvgpu_backend *fbe_backend(struct fbe *f)
{
	return &f->be;
}

/**
 * fbe_of() - the fake GPU of a backend
 * @be: a backend fbe_create() made
 *
 * Return: the fake GPU.
 */
struct fbe *fbe_of(struct mvgpu_backend *be)
{
	return container_of(be, struct fbe, be);
}

/**
 * fbe_running() - what an engine runs now
 * @f: the fake GPU
 * @engine: the engine
 *
 * Return: the context ID of the running context, 0 if none.
 */
u32 fbe_running(struct fbe *f, unsigned int engine)
{
	u32 id;

	spin_lock(&f->eng[engine].lock);
	id = f->eng[engine].running_id;
	spin_unlock(&f->eng[engine].lock);
	return id;
}

/**
 * fbe_inject_hang() - the running context hangs now, as if the watchdog
 *                     stopped it
 * @f: the fake GPU
 * @engine: the engine
 */
void fbe_inject_hang(struct fbe *f, unsigned int engine)
{
	struct fbe_engine *e = &f->eng[engine];

	spin_lock(&e->lock);
	WRITE_ONCE(e->hang_req, true);
	spin_unlock(&e->lock);
	wake_up(&e->wq);
}

/**
 * fbe_inject_preempt() - the running context is preempted at its next
 *                        arbitration point, unasked
 * @f: the fake GPU
 * @engine: the engine
 */
void fbe_inject_preempt(struct fbe *f, unsigned int engine)
{
	struct fbe_engine *e = &f->eng[engine];

	spin_lock(&e->lock);
	WRITE_ONCE(e->preempt_inj, true);
	spin_unlock(&e->lock);
	wake_up(&e->wq);
}

/**
 * fbe_hold_reset() - make resets of an engine slow
 * @f: the fake GPU
 * @engine: the engine
 * @hold: a reset (one in progress too) does not end until this is false
 */
void fbe_hold_reset(struct fbe *f, unsigned int engine, bool hold)
{
	struct fbe_engine *e = &f->eng[engine];

	spin_lock(&e->lock);
	WRITE_ONCE(e->hold_reset, hold);
	spin_unlock(&e->lock);
	wake_up(&e->wq);
}

/**
 * fbe_resets() - resets of an engine begun
 * @f: the fake GPU
 * @engine: the engine
 *
 * Return: how many.
 */
unsigned int fbe_resets(struct fbe *f, unsigned int engine)
{
	unsigned int n;

	spin_lock(&f->eng[engine].lock);
	n = f->eng[engine].resets;
	spin_unlock(&f->eng[engine].lock);
	return n;
}
