// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runtime of the userspace shim: what the linux/ headers of
 * tests/shim cannot do inline.  Locks that know their owner and check
 * their order (as lockdep does), wait queues, kernel threads,
 * workqueues, hrtimers, the frame numbers of live pages, vmalloc(), time and
 * module parameters.  Compiled once into each unit test and fuzzer, as
 * tools/testing/vma's shared.c is.  See tests/shim/shim.h.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/hrtimer.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "shim.h"

/* Provided by the sanitizers; absent without them. */
extern void __sanitizer_print_stack_trace(void) __attribute__((weak));

void shim_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (__sanitizer_print_stack_trace)
		__sanitizer_print_stack_trace();
	abort();
}

/* ---- threads ---- */

#define SHIM_MAX_HELD	32

/**
 * struct shim_held - a lock (or work item, or rwsem) a thread holds
 * @inst: the lock
 * @cls: its class, NULL for none
 * @spin: a spinlock: the thread must not sleep
 * @file: where it was taken
 * @line: and the line
 */
struct shim_held {
	const void *inst;
	struct shim_lock_class *cls;
	bool spin;
	const char *file;
	int line;
};

/**
 * struct task_struct - a thread as the shim knows it
 * @id: its number, from 1 (shim_self())
 * @comm: its name
 * @thread: its pthread, for kernel threads
 * @fn: a kernel thread's function
 * @data: and its argument
 * @ret: what @fn returned
 * @kthread: made by kthread_run()
 * @should_stop: kthread_stop() was called
 * @waiting_on: the wait queue it sleeps on, NULL if none
 * @wait_lock: protects @waiting_on against kthread_stop()
 * @held: locks it holds, in the order taken
 * @nheld: how many
 * @nspin: of those, spinlocks
 * @in_cond: it evaluates a wait condition (not TASK_RUNNING)
 * @managed: a kernel thread or a worker: the fake clock lets time pass
 *           only while it sleeps (see "fake clock" below)
 * @clock_cond: it sleeps on this in fake time (clock_lock)
 * @clock_key: what it sleeps for, NULL while awake (clock_lock)
 * @clock_deadline: fake time its sleep ends at, 0 for never (clock_lock)
 * @clock_woken: a wake-up, not the deadline, ended it (clock_lock)
 * @clock_link: in clock_sleepers while asleep (clock_lock)
 */
struct task_struct {
	unsigned long id;
	char comm[TASK_COMM_LEN];
	pthread_t thread;
	int (*fn)(void *data);
	void *data;
	int ret;
	bool kthread;
	int should_stop;
	wait_queue_head_t *waiting_on;
	pthread_mutex_t wait_lock;
	struct shim_held held[SHIM_MAX_HELD];
	int nheld;
	int nspin;
	bool in_cond;
	bool managed;
	pthread_cond_t clock_cond;
	const void *clock_key;
	uint64_t clock_deadline;
	bool clock_woken;
	struct list_head clock_link;
};

static unsigned long shim_next_id;
static __thread struct task_struct shim_task_self;
static __thread struct task_struct *shim_task;

/* What every task_struct needs, whoever made it. */
static void task_init(struct task_struct *t)
{
	t->id = __atomic_add_fetch(&shim_next_id, 1, __ATOMIC_RELAXED);
	pthread_mutex_init(&t->wait_lock, NULL);
	pthread_cond_init(&t->clock_cond, NULL);
	INIT_LIST_HEAD(&t->clock_link);
}

struct task_struct *shim_current(void)
{
	struct task_struct *t = shim_task;

	if (!t) {
		t = &shim_task_self;
		task_init(t);
		snprintf(t->comm, sizeof(t->comm), "thread-%lu", t->id);
		shim_task = t;
	}
	return t;
}

unsigned long shim_self(void)
{
	return shim_current()->id;
}

const char *shim_task_comm(const struct task_struct *t)
{
	return t->comm;
}

void shim_yield(void)
{
	sched_yield();
}

int shim_locks_held(void)
{
	return shim_current()->nheld;
}

/* ---- lock order, as lockdep ---- */

#define SHIM_MAX_CLASSES	128

/**
 * struct shim_order - where two classes were first nested
 * @outer_file: the outer lock was taken here
 * @outer_line: and the line
 * @inner_file: the inner one here
 * @inner_line: and the line
 */
struct shim_order {
	const char *outer_file;
	int outer_line;
	const char *inner_file;
	int inner_line;
};

/* Protects everything below; edges are read without it first. */
static pthread_mutex_t shim_graph_lock = PTHREAD_MUTEX_INITIALIZER;
static struct shim_lock_class *shim_classes[SHIM_MAX_CLASSES];
static int shim_nr_classes;
static unsigned char shim_edge[SHIM_MAX_CLASSES][SHIM_MAX_CLASSES];
static struct shim_order shim_edge_site[SHIM_MAX_CLASSES][SHIM_MAX_CLASSES];

static int class_id(struct shim_lock_class *cls)
{
	int id = __atomic_load_n(&cls->id, __ATOMIC_ACQUIRE);

	if (id)
		return id;
	pthread_mutex_lock(&shim_graph_lock);
	id = cls->id;
	if (!id) {
		if (shim_nr_classes == SHIM_MAX_CLASSES - 1)
			shim_die("shim: more than %d lock classes\n",
				 SHIM_MAX_CLASSES - 1);
		id = ++shim_nr_classes;
		shim_classes[id] = cls;
		__atomic_store_n(&cls->id, id, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&shim_graph_lock);
	return id;
}

/* Is @to reachable from @from by edges?  Graph lock held. */
static bool reaches(int from, int to, unsigned char *seen)
{
	int i;

	if (from == to)
		return true;
	seen[from] = 1;
	for (i = 1; i <= shim_nr_classes; i++)
		if (shim_edge[from][i] && !seen[i] && reaches(i, to, seen))
			return true;
	return false;
}

static void report_inversion(int outer, int inner, const struct shim_held *h,
			     const char *file, int line)
{
	const struct shim_order *o = &shim_edge_site[inner][outer];

	fprintf(stderr, "shim: lock order inversion in %s:\n"
		"  %s taken at %s:%d\n"
		"  while holding %s (taken at %s:%d),\n",
		shim_current()->comm, shim_classes[inner]->name, file, line,
		shim_classes[outer]->name, h->file, h->line);
	if (o->outer_file)
		shim_die("  but %s was taken at %s:%d while holding %s (%s:%d)\n",
			 shim_classes[outer]->name, o->inner_file,
			 o->inner_line, shim_classes[inner]->name,
			 o->outer_file, o->outer_line);
	shim_die("  but %s is taken while %s is held, through other locks\n",
		 shim_classes[outer]->name, shim_classes[inner]->name);
}

/* @cls is about to be taken while @h is held: record or refuse. */
static void add_order(const struct shim_held *h, struct shim_lock_class *cls,
		      const char *file, int line)
{
	int outer = class_id(h->cls), inner = class_id(cls);
	unsigned char seen[SHIM_MAX_CLASSES];

	if (outer == inner)
		shim_die("shim: %s: recursive locking of class %s: %s:%d while holding one from %s:%d\n",
			 shim_current()->comm, cls->name, file, line, h->file,
			 h->line);
	if (__atomic_load_n(&shim_edge[outer][inner], __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&shim_graph_lock);
	memset(seen, 0, sizeof(seen));
	if (!shim_edge[outer][inner] && reaches(inner, outer, seen)) {
		pthread_mutex_unlock(&shim_graph_lock);
		report_inversion(outer, inner, h, file, line);
	}
	if (!shim_edge[outer][inner]) {
		shim_edge_site[outer][inner] = (struct shim_order){
			h->file, h->line, file, line,
		};
		__atomic_store_n(&shim_edge[outer][inner], 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&shim_graph_lock);
}

void shim_dep_acquire(struct shim_lock_class *cls, const void *inst,
		      bool spin, const char *file, int line)
{
	struct task_struct *t = shim_current();
	int i;

	for (i = 0; i < t->nheld; i++) {
		if (t->held[i].inst == inst)
			shim_die("shim: deadlock: %s %s (%p) taken again at %s:%d, held since %s:%d\n",
				 t->comm, cls ? cls->name : "lock", inst, file,
				 line, t->held[i].file, t->held[i].line);
		if (cls && t->held[i].cls)
			add_order(&t->held[i], cls, file, line);
	}
	if (t->nheld == SHIM_MAX_HELD)
		shim_die("shim: %s holds too many locks\n", t->comm);
	t->held[t->nheld++] = (struct shim_held){ inst, cls, spin, file, line };
	if (spin)
		t->nspin++;
}

void shim_dep_release(const void *inst)
{
	struct task_struct *t = shim_current();
	int i;

	for (i = t->nheld - 1; i >= 0; i--) {
		if (t->held[i].inst != inst)
			continue;
		if (t->held[i].spin)
			t->nspin--;
		memmove(&t->held[i], &t->held[i + 1],
			(t->nheld - i - 1) * sizeof(t->held[0]));
		t->nheld--;
		return;
	}
	shim_die("shim: %s releases %p, which it does not hold\n", t->comm,
		 inst);
}

void shim_might_sleep(const char *file, int line)
{
	struct task_struct *t = shim_current();
	int i;

	if (t->in_cond) {
		fprintf(stderr, "WARNING: %s:%d: %s: do not call blocking ops when !TASK_RUNNING (in a wait condition)\n",
			file, line, t->comm);
		shim_add(warns, 1);
		if (!shim_state.warn_nonfatal)
			shim_die("\n");
	}
	if (!t->nspin)
		return;
	for (i = t->nheld - 1; i >= 0 && !t->held[i].spin; i--)
		;
	shim_die("shim: %s: sleeping at %s:%d with spinlock %s held (taken at %s:%d)\n",
		 t->comm, file, line,
		 t->held[i].cls ? t->held[i].cls->name : "?",
		 t->held[i].file, t->held[i].line);
}

/* ---- locks ---- */

void shim_lock_init(struct shim_lock *l, struct shim_lock_class *cls)
{
	pthread_mutex_init(&l->m, NULL);
	l->owner = 0;
	l->cls = cls;
}

void shim_lock_destroy(struct shim_lock *l, const char *what)
{
	if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED)) {
		fprintf(stderr, "%s %p destroyed while held\n", what, (void *)l);
		abort();
	}
}

void shim_lock_take(struct shim_lock *l, bool spin, const char *what,
		    const char *file, int line)
{
	unsigned long self = shim_self();

	if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) == self) {
		fprintf(stderr, "deadlock: %s %p taken twice (%s:%d)\n", what,
			(void *)l, file, line);
		abort();
	}
	if (!spin)
		shim_might_sleep(file, line);
	shim_dep_acquire(l->cls, l, spin, file, line);
	pthread_mutex_lock(&l->m);
	__atomic_store_n(&l->owner, self, __ATOMIC_RELAXED);
}

bool shim_lock_try(struct shim_lock *l, bool spin, const char *what,
		   const char *file, int line)
{
	if (pthread_mutex_trylock(&l->m))
		return false;
	__atomic_store_n(&l->owner, shim_self(), __ATOMIC_RELAXED);
	/* a trylock never waits: it orders nothing */
	shim_dep_acquire(NULL, l, spin, file, line);
	return true;
}

void shim_lock_give(struct shim_lock *l, bool spin, const char *what,
		    const char *file, int line)
{
	void (*hook)(const void *lock, const char *file, int line);

	if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) != shim_self()) {
		fprintf(stderr, "%s %p released but not held (%s:%d)\n", what,
			(void *)l, file, line);
		abort();
	}
	__atomic_store_n(&l->owner, 0, __ATOMIC_RELAXED);
	shim_dep_release(l);
	pthread_mutex_unlock(&l->m);
	hook = __atomic_load_n(&shim_state.give_hook, __ATOMIC_ACQUIRE);
	if (hook)
		hook(l, file, line);
}

bool shim_lock_held(const struct shim_lock *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) == shim_self();
}

void shim_assert_held(const struct shim_lock *l, const char *file, int line)
{
	if (!shim_lock_held(l)) {
		fprintf(stderr, "%s:%d: lock not held\n", file, line);
		abort();
	}
}

/* ---- time ---- */

/*
 * The fake clock, opt-in (shim_clock_fake()): time stands still but for
 * shim_clock_advance(), which msleep() and usleep_range() call in a
 * thread of the test's own.  Kernel threads and workers ("managed"
 * threads) sleep on it in clock_sleep(): a wait_event*(), a worker
 * waiting for work, a sleep of their own.  The test's thread drives:
 * before it moves time it waits until every managed thread sleeps
 * (clock_busy is 0), so that all they do at one instant is done, then
 * it fires the hrtimers due itself, ends the sleeps whose deadline came
 * and moves on to the next deadline, as a discrete event simulation.
 * What the threads see of time then depends on nothing but the test,
 * however slow the machine.
 *
 * clock_lock protects everything below and the tasks' clock_* fields.
 * It nests inside the lock a sleeper hands to clock_sleep() (a wait
 * queue's, a workqueue's), which its wakers hold too.  clock_fake and
 * clock_now are also read without it.
 */
static pthread_mutex_t clock_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t clock_quiet = PTHREAD_COND_INITIALIZER;
static bool clock_fake;
static uint64_t clock_now;
static int clock_threads;	/* managed threads alive */
static int clock_busy;		/* of those, not in clock_sleep() */
static LIST_HEAD(clock_sleepers);

/* Fake time starts here: jiffies and deadlines are never 0. */
#define CLOCK_EPOCH_NS		(100 * NSEC_PER_SEC)
/* Longest a driver waits, in real time, for the threads to sleep. */
#define CLOCK_SETTLE_S		20

bool shim_clock_is_fake(void)
{
	return __atomic_load_n(&clock_fake, __ATOMIC_ACQUIRE);
}

uint64_t shim_now_ns(void)
{
	struct timespec ts;

	if (shim_clock_is_fake())
		return __atomic_load_n(&clock_now, __ATOMIC_ACQUIRE);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

unsigned long shim_jiffies(void)
{
	return shim_now_ns() / (NSEC_PER_SEC / HZ);
}

/* One managed thread fewer awake; clock_lock held. */
static void clock_busy_dec(void)
{
	if (!--clock_busy)
		pthread_cond_broadcast(&clock_quiet);
}

/* A managed thread is about to be created: it counts as awake. */
static void clock_thread_add(void)
{
	pthread_mutex_lock(&clock_lock);
	clock_threads++;
	clock_busy++;
	pthread_mutex_unlock(&clock_lock);
}

/* A managed thread ends (or was never created). */
static void clock_thread_del(void)
{
	pthread_mutex_lock(&clock_lock);
	clock_threads--;
	clock_busy_dec();
	pthread_mutex_unlock(&clock_lock);
}

/*
 * Sleep in fake time until clock_wake(@key) or until fake time reaches
 * @deadline (0: no deadline).  @lock, if not NULL, is held by the caller
 * and by its wakers while they change what it waits for; it is dropped
 * only once the sleep is registered, so no wake-up is lost, and taken
 * again before returning.  Return: true if woken, false at the deadline.
 */
static bool clock_sleep(pthread_mutex_t *lock, const void *key,
			uint64_t deadline)
{
	struct task_struct *t = shim_current();
	bool woken;

	pthread_mutex_lock(&clock_lock);
	t->clock_key = key;
	t->clock_deadline = deadline;
	list_add_tail(&t->clock_link, &clock_sleepers);
	if (t->managed)
		clock_busy_dec();
	if (lock)
		pthread_mutex_unlock(lock);
	while (t->clock_key)
		pthread_cond_wait(&t->clock_cond, &clock_lock);
	woken = t->clock_woken;
	pthread_mutex_unlock(&clock_lock);
	if (lock)
		pthread_mutex_lock(lock);
	return woken;
}

/* End @t's sleep, awake again from now on; clock_lock held. */
static void clock_rouse(struct task_struct *t, bool woken)
{
	list_del_init(&t->clock_link);
	t->clock_key = NULL;
	t->clock_woken = woken;
	if (t->managed)
		clock_busy++;
	pthread_cond_signal(&t->clock_cond);
}

/* Wake whoever sleeps on @key, with the lock they gave clock_sleep() held. */
static void clock_wake(const void *key)
{
	struct task_struct *t, *tmp;

	if (!shim_clock_is_fake())
		return;
	pthread_mutex_lock(&clock_lock);
	list_for_each_entry_safe(t, tmp, &clock_sleepers, clock_link)
		if (t->clock_key == key)
			clock_rouse(t, true);
	pthread_mutex_unlock(&clock_lock);
}

/* Wait until every managed thread sleeps; clock_lock held. */
static void clock_settle(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += CLOCK_SETTLE_S;
	while (clock_busy) {
		if (pthread_cond_timedwait(&clock_quiet, &clock_lock,
					   &ts) == ETIMEDOUT && clock_busy)
			shim_die("shim: fake clock: %d of %d threads still awake after %d s: one spins, or waits for another outside a wait queue\n",
				 clock_busy, clock_threads, CLOCK_SETTLE_S);
	}
}

/* End the sleeps whose deadline came; clock_lock held.  Any? */
static bool clock_expire(void)
{
	struct task_struct *t, *tmp;
	bool any = false;

	list_for_each_entry_safe(t, tmp, &clock_sleepers, clock_link) {
		if (t->clock_deadline && t->clock_deadline <= clock_now) {
			clock_rouse(t, false);
			any = true;
		}
	}
	return any;
}

/* The earliest deadline of a sleep, U64_MAX for none; clock_lock held. */
static uint64_t clock_next_deadline(void)
{
	uint64_t next = U64_MAX;
	struct task_struct *t;

	list_for_each_entry(t, &clock_sleepers, clock_link)
		if (t->clock_deadline && t->clock_deadline < next)
			next = t->clock_deadline;
	return next;
}

/* Sleep @ns of fake time: a managed thread waits, another drives. */
static void clock_pass(uint64_t ns)
{
	struct task_struct *t = shim_current();

	if (t->managed)
		clock_sleep(NULL, t, shim_now_ns() + ns);
	else
		shim_clock_advance(ns);
}

void shim_sleep_ns(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = ns / NSEC_PER_SEC, .tv_nsec = ns % NSEC_PER_SEC,
	};

	if (shim_clock_is_fake()) {
		clock_pass(ns);
		return;
	}
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

long schedule_timeout_uninterruptible(long timeout)
{
	shim_might_sleep(__FILE__, __LINE__);
	shim_sleep_ns((uint64_t)timeout * (NSEC_PER_SEC / HZ));
	return 0;
}

/* ---- hrtimers ---- */

/*
 * One thread fires the armed timers, earliest first.  timer_lock
 * protects every timer's @armed, @expires and @next, the list and
 * @timer_running; the callbacks run without it.
 */
static pthread_mutex_t timer_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t timer_cond;
static struct hrtimer *timer_list;
static struct hrtimer *timer_running;
static bool timer_thread_up;

static void timer_unlink(struct hrtimer *t)
{
	struct hrtimer **pp;

	for (pp = &timer_list; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->next = NULL;
	t->armed = false;
}

static void timer_link(struct hrtimer *t)
{
	if (t->armed)
		timer_unlink(t);
	t->next = timer_list;
	timer_list = t;
	t->armed = true;
	pthread_cond_broadcast(&timer_cond);
}

static struct hrtimer *timer_earliest(void)
{
	struct hrtimer *t, *best = NULL;

	for (t = timer_list; t; t = t->next)
		if (!best || t->expires < best->expires)
			best = t;
	return best;
}

static void timer_wait_until(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = ns / NSEC_PER_SEC, .tv_nsec = ns % NSEC_PER_SEC,
	};

	pthread_cond_timedwait(&timer_cond, &timer_lock, &ts);
}

/* Call @t, expired and unlinked; timer_lock held, dropped meanwhile. */
static void timer_run(struct hrtimer *t)
{
	enum hrtimer_restart ret;

	timer_unlink(t);
	timer_running = t;
	pthread_mutex_unlock(&timer_lock);
	ret = t->function(t);
	pthread_mutex_lock(&timer_lock);
	timer_running = NULL;
	if (ret == HRTIMER_RESTART && !t->armed)
		timer_link(t);
	pthread_cond_broadcast(&timer_cond);
}

/* On the fake clock, the driver fires them instead (clock_fire()). */
static void *timer_main(void *arg)
{
	struct hrtimer *t;

	pthread_mutex_lock(&timer_lock);
	for (;;) {
		t = timer_earliest();
		if (!t || shim_clock_is_fake()) {
			pthread_cond_wait(&timer_cond, &timer_lock);
			continue;
		}
		if (t->expires > shim_now_ns()) {
			timer_wait_until(t->expires);
			continue;
		}
		timer_run(t);
	}
	return NULL;
}

/* The firing thread, started with the first timer; timer_lock held. */
static void timer_thread_start(void)
{
	pthread_condattr_t attr;
	pthread_t thread;

	if (timer_thread_up)
		return;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&timer_cond, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&thread, NULL, timer_main, NULL))
		shim_die("shim: no hrtimer thread\n");
	pthread_detach(thread);
	timer_thread_up = true;
}

void hrtimer_start(struct hrtimer *t, ktime_t period, enum hrtimer_mode mode)
{
	pthread_mutex_lock(&timer_lock);
	timer_thread_start();
	/* a host slow to run what a timer wakes: see shim_state.h */
	t->expires = shim_now_ns() + (period > 0 ? period : 0) +
		     shim_read(hrtimer_late_ns);
	timer_link(t);
	pthread_mutex_unlock(&timer_lock);
}

int hrtimer_cancel(struct hrtimer *t)
{
	bool was;

	pthread_mutex_lock(&timer_lock);
	was = t->armed;
	if (t->armed)
		timer_unlink(t);
	while (timer_running == t)
		pthread_cond_wait(&timer_cond, &timer_lock);
	pthread_mutex_unlock(&timer_lock);
	return was;
}

/* As the kernel's: -1 while the callback runs, which it does not wait for. */
int hrtimer_try_to_cancel(struct hrtimer *t)
{
	int ret;

	pthread_mutex_lock(&timer_lock);
	ret = t->armed;
	if (t->armed)
		timer_unlink(t);
	else if (timer_running == t)
		ret = -1;
	pthread_mutex_unlock(&timer_lock);
	return ret;
}

/* Called from @t's callback only, which then returns HRTIMER_RESTART. */
unsigned long long hrtimer_forward_now(struct hrtimer *t, ktime_t period)
{
	pthread_mutex_lock(&timer_lock);
	t->expires = shim_now_ns() + period;
	pthread_mutex_unlock(&timer_lock);
	return 1;
}

/* ---- driving the fake clock ---- */

/* Fire the earliest timer if it is due on the fake clock.  Was it? */
static bool clock_fire(void)
{
	struct hrtimer *t;
	bool due;

	pthread_mutex_lock(&timer_lock);
	t = timer_earliest();
	due = t && t->expires <= shim_now_ns();
	if (due)
		timer_run(t);
	pthread_mutex_unlock(&timer_lock);
	return due;
}

static uint64_t timer_next_expiry(void)
{
	struct hrtimer *t;
	uint64_t next;

	pthread_mutex_lock(&timer_lock);
	t = timer_earliest();
	next = t ? t->expires : U64_MAX;
	pthread_mutex_unlock(&timer_lock);
	return next;
}

static bool timers_armed(void)
{
	bool armed;

	pthread_mutex_lock(&timer_lock);
	armed = timer_list;
	pthread_mutex_unlock(&timer_lock);
	return armed;
}

/*
 * One step towards fake time @target: once every managed thread sleeps,
 * fire a due timer, or end the sleeps due, or move to the next deadline.
 * Return: false once there is nothing left to do up to @target.
 */
static bool clock_step(uint64_t target)
{
	uint64_t next;
	bool more = true;

	pthread_mutex_lock(&clock_lock);
	clock_settle();
	pthread_mutex_unlock(&clock_lock);
	if (clock_fire())
		return true;
	next = timer_next_expiry();
	pthread_mutex_lock(&clock_lock);
	if (!clock_expire()) {
		next = min(next, clock_next_deadline());
		more = next <= target;
		/* deadlines are set ahead of the clock: @next is not behind */
		__atomic_store_n(&clock_now, more ? next : target,
				 __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&clock_lock);
	return more;
}

/* One thread at a time moves the fake clock. */
static pthread_mutex_t clock_drive_lock = PTHREAD_MUTEX_INITIALIZER;

void shim_clock_advance(uint64_t ns)
{
	uint64_t target;

	if (!shim_clock_is_fake())
		shim_die("shim: shim_clock_advance() on the real clock\n");
	if (shim_current()->managed || shim_locks_held())
		shim_die("shim: %s moves the fake clock while holding a lock or as a kernel thread\n",
			 shim_current()->comm);
	pthread_mutex_lock(&clock_drive_lock);
	target = shim_now_ns() + ns;
	while (clock_step(target))
		;
	pthread_mutex_unlock(&clock_drive_lock);
}

void shim_clock_fake(void)
{
	pthread_mutex_lock(&clock_lock);
	if (clock_threads || timers_armed())
		shim_die("shim: shim_clock_fake() with %d threads or timers running: start it before them\n",
			 clock_threads);
	__atomic_store_n(&clock_now, CLOCK_EPOCH_NS, __ATOMIC_RELEASE);
	__atomic_store_n(&clock_fake, true, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&clock_lock);
}

void shim_clock_real(void)
{
	pthread_mutex_lock(&clock_lock);
	if (clock_threads || !list_empty(&clock_sleepers) || timers_armed())
		shim_die("shim: shim_clock_real() with %d threads, a sleeper or timers left\n",
			 clock_threads);
	__atomic_store_n(&clock_fake, false, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&clock_lock);
}

/* ---- module parameters ---- */

#define SHIM_MAX_PARAMS	32

static struct {
	const char *name;
	void *addr;
	unsigned int size;
} shim_params[SHIM_MAX_PARAMS];
static int shim_nr_params;

void shim_param_register(const char *name, void *addr, unsigned int size)
{
	if (shim_nr_params == SHIM_MAX_PARAMS)
		shim_die("shim: too many module parameters\n");
	shim_params[shim_nr_params].name = name;
	shim_params[shim_nr_params].addr = addr;
	shim_params[shim_nr_params].size = size;
	shim_nr_params++;
}

static int param_find(const char *name)
{
	int i;

	for (i = 0; i < shim_nr_params; i++)
		if (!strcmp(shim_params[i].name, name))
			return i;
	shim_die("shim: no module parameter %s\n", name);
}

void shim_param_set(const char *name, unsigned long val)
{
	int i = param_find(name);

	switch (shim_params[i].size) {
	case 1:
		__atomic_store_n((u8 *)shim_params[i].addr, val, __ATOMIC_SEQ_CST);
		break;
	case 4:
		__atomic_store_n((u32 *)shim_params[i].addr, val, __ATOMIC_SEQ_CST);
		break;
	case 8:
		__atomic_store_n((u64 *)shim_params[i].addr, val, __ATOMIC_SEQ_CST);
		break;
	default:
		shim_die("shim: parameter %s of size %u\n", name,
			 shim_params[i].size);
	}
}

unsigned long shim_param_get(const char *name)
{
	int i = param_find(name);

	switch (shim_params[i].size) {
	case 1:
		return __atomic_load_n((u8 *)shim_params[i].addr, __ATOMIC_SEQ_CST);
	case 4:
		return __atomic_load_n((u32 *)shim_params[i].addr, __ATOMIC_SEQ_CST);
	default:
		return __atomic_load_n((u64 *)shim_params[i].addr, __ATOMIC_SEQ_CST);
	}
}

/* ---- live pages by frame number, vmalloc() ---- */

#define SHIM_PAGE_BUCKETS	4096

/**
 * struct shim_pfn - a live page in the frame number table
 * @next: next in its bucket
 * @page: the page
 */
struct shim_pfn {
	struct shim_pfn *next;
	struct page *page;
};

/* Protects shim_pfns. */
static pthread_mutex_t shim_pfn_lock = PTHREAD_MUTEX_INITIALIZER;
static struct shim_pfn *shim_pfns[SHIM_PAGE_BUCKETS];

static unsigned int pfn_bucket(unsigned long pfn)
{
	return (pfn * 0x9E3779B97F4A7C15ULL) >> 52;
}

void shim_page_add(struct page *page)
{
	unsigned long pfn = page_to_pfn(page);
	struct shim_pfn *e = malloc(sizeof(*e));

	if (!e)
		shim_die("shim: out of memory\n");
	e->page = page;
	pthread_mutex_lock(&shim_pfn_lock);
	e->next = shim_pfns[pfn_bucket(pfn)];
	shim_pfns[pfn_bucket(pfn)] = e;
	pthread_mutex_unlock(&shim_pfn_lock);
}

void shim_page_del(struct page *page)
{
	unsigned long pfn = page_to_pfn(page);
	struct shim_pfn **pp, *e;

	pthread_mutex_lock(&shim_pfn_lock);
	for (pp = &shim_pfns[pfn_bucket(pfn)]; (e = *pp); pp = &e->next) {
		if (e->page == page) {
			*pp = e->next;
			pthread_mutex_unlock(&shim_pfn_lock);
			free(e);
			return;
		}
	}
	pthread_mutex_unlock(&shim_pfn_lock);
	shim_die("shim: page %p freed, not allocated\n", (void *)page);
}

struct page *shim_pfn_to_page(unsigned long pfn)
{
	struct page *page = NULL;
	struct shim_pfn *e;

	pthread_mutex_lock(&shim_pfn_lock);
	for (e = shim_pfns[pfn_bucket(pfn)]; e; e = e->next) {
		if (page_to_pfn(e->page) == pfn) {
			page = e->page;
			break;
		}
	}
	pthread_mutex_unlock(&shim_pfn_lock);
	return page;
}

/**
 * struct shim_vm_area - one vmalloc() allocation
 * @base: its memory, page aligned
 * @nr: pages
 * @page: one struct page each; @page[i].virt = @base + i pages
 */
struct shim_vm_area {
	void *base;
	size_t nr;
	struct page page[];
};

void *shim_vmalloc(size_t size, gfp_t gfp)
{
	size_t nr = (size + PAGE_SIZE - 1) / PAGE_SIZE, i;
	struct shim_vm_area *a;

	shim_gfp_check(gfp);
	if (!size || shim_alloc_fails())
		return NULL;
	a = malloc(sizeof(*a) + nr * sizeof(a->page[0]));
	if (!a)
		return NULL;
	a->base = aligned_alloc(PAGE_SIZE, nr * PAGE_SIZE);
	if (!a->base) {
		free(a);
		return NULL;
	}
	a->nr = nr;
	memset(a->base, (gfp & __GFP_ZERO) ? 0 : 0x6b, nr * PAGE_SIZE);
	for (i = 0; i < nr; i++) {
		a->page[i].virt = (char *)a->base + i * PAGE_SIZE;
		shim_page_add(&a->page[i]);
	}
	shim_add(allocs, 1);
	return a->base;
}

void shim_vfree(const void *p)
{
	struct shim_vm_area *a;
	struct page *page;
	size_t i;

	if (!p)
		return;
	page = shim_pfn_to_page((uintptr_t)p >> PAGE_SHIFT);
	if (!page || page->virt != p)
		shim_die("shim: vfree(%p): not vmalloc() memory\n", p);
	a = container_of(page, struct shim_vm_area, page[0]);
	for (i = 0; i < a->nr; i++)
		shim_page_del(&a->page[i]);
	shim_add(allocs, -1);
	free(a->base);
	free(a);
}

struct page *vmalloc_to_page(const void *va)
{
	return shim_pfn_to_page((uintptr_t)va >> PAGE_SHIFT);
}

/* ---- wait queues ---- */

void init_waitqueue_head(wait_queue_head_t *wq)
{
	pthread_condattr_t attr;

	pthread_mutex_init(&wq->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&wq->cond, &attr);
	pthread_condattr_destroy(&attr);
	wq->wakeups = 0;
	wq->ready = true;
}

void wake_up(wait_queue_head_t *wq)
{
	if (!wq->ready)
		shim_die("shim: wake_up() of a wait queue never initialised\n");
	pthread_mutex_lock(&wq->lock);
	wq->wakeups++;
	pthread_cond_broadcast(&wq->cond);
	clock_wake(wq);
	pthread_mutex_unlock(&wq->lock);
}

uint64_t shim_wait_deadline(long timeout)
{
	if (timeout == MAX_SCHEDULE_TIMEOUT)
		return 0;
	if (timeout < 0)
		timeout = 0;
	return shim_now_ns() + (uint64_t)timeout * (NSEC_PER_SEC / HZ);
}

long shim_wait_left(uint64_t deadline_ns)
{
	uint64_t now = shim_now_ns();

	if (!deadline_ns)
		return MAX_SCHEDULE_TIMEOUT;
	if (now >= deadline_ns)
		return 1;
	return max(nsecs_to_jiffies(deadline_ns - now), 1UL);
}

unsigned long shim_wait_prepare(wait_queue_head_t *wq)
{
	struct task_struct *t = shim_current();
	unsigned long seen;

	if (!wq->ready)
		shim_die("shim: wait on a wait queue never initialised\n");
	pthread_mutex_lock(&t->wait_lock);
	t->waiting_on = wq;
	pthread_mutex_unlock(&t->wait_lock);
	pthread_mutex_lock(&wq->lock);
	seen = wq->wakeups;
	pthread_mutex_unlock(&wq->lock);
	t->in_cond = true;
	return seen;
}

void shim_wait_checked(void)
{
	shim_current()->in_cond = false;
}

bool shim_wait_sleep(wait_queue_head_t *wq, unsigned long seen,
		     uint64_t deadline_ns)
{
	struct timespec ts = {
		.tv_sec = deadline_ns / NSEC_PER_SEC,
		.tv_nsec = deadline_ns % NSEC_PER_SEC,
	};
	bool woken = true;

	pthread_mutex_lock(&wq->lock);
	while (wq->wakeups == seen) {
		if (shim_clock_is_fake()) {
			if (!clock_sleep(&wq->lock, wq, deadline_ns)) {
				woken = wq->wakeups != seen;
				break;
			}
		} else if (!deadline_ns) {
			pthread_cond_wait(&wq->cond, &wq->lock);
		} else if (pthread_cond_timedwait(&wq->cond, &wq->lock,
						  &ts) == ETIMEDOUT) {
			woken = wq->wakeups != seen;
			break;
		}
	}
	pthread_mutex_unlock(&wq->lock);
	return woken;
}

void shim_wait_finish(void)
{
	struct task_struct *t = shim_current();

	pthread_mutex_lock(&t->wait_lock);
	t->waiting_on = NULL;
	pthread_mutex_unlock(&t->wait_lock);
}

/* ---- kernel threads ---- */

static void *kthread_main(void *arg)
{
	struct task_struct *t = arg;

	shim_task = t;
	t->ret = t->fn(t->data);
	if (t->nheld)
		shim_die("shim: thread %s ended holding a lock taken at %s:%d\n",
			 t->comm, t->held[0].file, t->held[0].line);
	clock_thread_del();
	return NULL;
}

struct task_struct *kthread_run(int (*fn)(void *data), void *data,
				const char *namefmt, ...)
{
	struct task_struct *t = calloc(1, sizeof(*t));
	va_list ap;

	if (!t)
		return ERR_PTR(-ENOMEM);
	task_init(t);
	va_start(ap, namefmt);
	vsnprintf(t->comm, sizeof(t->comm), namefmt, ap);
	va_end(ap);
	t->fn = fn;
	t->data = data;
	t->kthread = true;
	t->managed = true;
	clock_thread_add();
	if (pthread_create(&t->thread, NULL, kthread_main, t)) {
		clock_thread_del();
		free(t);
		return ERR_PTR(-EAGAIN);
	}
	return t;
}

bool kthread_should_stop(void)
{
	struct task_struct *t = shim_current();

	return t->kthread && __atomic_load_n(&t->should_stop, __ATOMIC_SEQ_CST);
}

int kthread_stop(struct task_struct *t)
{
	int ret;

	shim_might_sleep(__FILE__, __LINE__);
	__atomic_store_n(&t->should_stop, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&t->wait_lock);
	if (t->waiting_on)
		wake_up(t->waiting_on);
	pthread_mutex_unlock(&t->wait_lock);
	pthread_join(t->thread, NULL);
	ret = t->ret;
	pthread_mutex_destroy(&t->wait_lock);
	pthread_cond_destroy(&t->clock_cond);
	free(t);
	return ret;
}

/* ---- workqueues ---- */

#define SHIM_WQ_DEFAULT_ACTIVE	64

/**
 * struct shim_worker - one worker thread
 * @link: in its workqueue's @workers
 * @thread: the thread
 * @wq: its workqueue
 * @cur: the work item it runs, NULL if none (the workqueue's lock)
 */
struct shim_worker {
	struct list_head link;
	pthread_t thread;
	struct workqueue_struct *wq;
	struct work_struct *cur;
};

/**
 * struct workqueue_struct - a workqueue
 * @name: its name
 * @lock: protects everything below, the workers. @cur and the work
 *        items' @pending and @entry
 * @cond: workers wait here for work, flushers for work to finish
 * @pending: work items queued, oldest first
 * @workers: its worker threads
 * @nr_workers: how many
 * @idle: of those, waiting for work
 * @max_active: most workers
 * @dying: destroy_workqueue() was called
 */
struct workqueue_struct {
	char name[32];
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct list_head pending;
	struct list_head workers;
	int nr_workers;
	int idle;
	int max_active;
	bool dying;
};

void shim_init_work(struct work_struct *work, work_func_t func,
		    struct shim_lock_class *cls)
{
	memset(work, 0, sizeof(*work));
	work->func = func;
	work->cls = cls;
	INIT_LIST_HEAD(&work->entry);
}

/* Does a worker run @w?  The workqueue's lock held. */
static bool work_running(struct workqueue_struct *wq, struct work_struct *w)
{
	struct shim_worker *wk;

	list_for_each_entry(wk, &wq->workers, link)
		if (wk->cur == w)
			return true;
	return false;
}

static bool wq_busy(struct workqueue_struct *wq)
{
	struct shim_worker *wk;

	list_for_each_entry(wk, &wq->workers, link)
		if (wk->cur)
			return true;
	return !list_empty(&wq->pending);
}

/* A pending item no worker runs now; @wq's lock held. */
static struct work_struct *next_work(struct workqueue_struct *wq)
{
	struct work_struct *w;

	list_for_each_entry(w, &wq->pending, entry)
		if (!work_running(wq, w))
			return w;
	return NULL;
}

/*
 * As the kernel's workers, this one never touches a work item after its
 * function returned: the function may have freed it.
 */
static void *worker_main(void *arg)
{
	struct shim_worker *wk = arg;
	struct workqueue_struct *wq = wk->wq;
	struct task_struct *t = shim_current();
	struct shim_lock_class *cls;
	struct work_struct *w;

	snprintf(t->comm, sizeof(t->comm), "kworker/%s", wq->name);
	t->managed = true;
	pthread_mutex_lock(&wq->lock);
	for (;;) {
		w = next_work(wq);
		if (!w) {
			if (wq->dying)
				break;
			wq->idle++;
			if (shim_clock_is_fake())
				clock_sleep(&wq->lock, wq, 0);
			else
				pthread_cond_wait(&wq->cond, &wq->lock);
			wq->idle--;
			continue;
		}
		list_del_init(&w->entry);
		w->pending = false;
		wk->cur = w;
		cls = w->cls;
		pthread_mutex_unlock(&wq->lock);
		shim_dep_acquire(cls, wk, false, "work item", 0);
		w->func(w);
		shim_dep_release(wk);
		if (t->nheld)
			shim_die("shim: work %s ended holding a lock taken at %s:%d\n",
				 cls ? cls->name : "?", t->held[0].file,
				 t->held[0].line);
		pthread_mutex_lock(&wq->lock);
		wk->cur = NULL;
		pthread_cond_broadcast(&wq->cond);
	}
	pthread_mutex_unlock(&wq->lock);
	clock_thread_del();
	return NULL;
}

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags,
					 int max_active, ...)
{
	struct workqueue_struct *wq = kzalloc(sizeof(*wq), GFP_KERNEL);
	va_list ap;

	if (!wq)
		return NULL;
	va_start(ap, max_active);
	vsnprintf(wq->name, sizeof(wq->name), fmt, ap);
	va_end(ap);
	pthread_mutex_init(&wq->lock, NULL);
	pthread_cond_init(&wq->cond, NULL);
	INIT_LIST_HEAD(&wq->pending);
	INIT_LIST_HEAD(&wq->workers);
	wq->max_active = max_active > 0 ? max_active : SHIM_WQ_DEFAULT_ACTIVE;
	return wq;
}

/* Enough workers for what is pending; @wq's lock held. */
static void add_worker(struct workqueue_struct *wq)
{
	struct shim_worker *wk;

	if (wq->idle || wq->nr_workers >= wq->max_active)
		return;
	wk = calloc(1, sizeof(*wk));
	if (wk)
		wk->wq = wq;
	clock_thread_add();
	if (!wk || pthread_create(&wk->thread, NULL, worker_main, wk))
		shim_die("shim: cannot start a worker of %s\n", wq->name);
	list_add_tail(&wk->link, &wq->workers);
	wq->nr_workers++;
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	struct workqueue_struct *old = __atomic_load_n(&work->wq,
						       __ATOMIC_ACQUIRE);
	bool queued = false;

	if (old && old != wq) {
		/* the kernel allows it once the item is idle; we do not */
		pthread_mutex_lock(&old->lock);
		if (work->pending || work_running(old, work))
			shim_die("shim: work %s moved between workqueues while busy\n",
				 work->cls ? work->cls->name : "?");
		pthread_mutex_unlock(&old->lock);
	}
	pthread_mutex_lock(&wq->lock);
	if (wq->dying)
		shim_die("shim: work queued on %s while it is destroyed\n",
			 wq->name);
	__atomic_store_n(&work->wq, wq, __ATOMIC_RELEASE);
	if (!work->pending) {
		work->pending = true;
		list_add_tail(&work->entry, &wq->pending);
		add_worker(wq);
		pthread_cond_broadcast(&wq->cond);
		clock_wake(wq);
		queued = true;
	}
	pthread_mutex_unlock(&wq->lock);
	return queued;
}

bool work_pending(struct work_struct *work)
{
	struct workqueue_struct *wq = __atomic_load_n(&work->wq,
						      __ATOMIC_ACQUIRE);
	bool ret;

	if (!wq)
		return false;
	pthread_mutex_lock(&wq->lock);
	ret = work->pending;
	pthread_mutex_unlock(&wq->lock);
	return ret;
}

bool flush_work(struct work_struct *work)
{
	struct workqueue_struct *wq = __atomic_load_n(&work->wq,
						      __ATOMIC_ACQUIRE);
	bool waited = false;

	shim_might_sleep("flush_work", 0);
	/* what the work takes must not be held while waiting for it */
	shim_dep_acquire(work->cls, work, false, "flush_work", 0);
	shim_dep_release(work);
	if (!wq)
		return false;
	pthread_mutex_lock(&wq->lock);
	while (work->pending || work_running(wq, work)) {
		waited = true;
		pthread_cond_wait(&wq->cond, &wq->lock);
	}
	pthread_mutex_unlock(&wq->lock);
	return waited;
}

bool cancel_work_sync(struct work_struct *work)
{
	struct workqueue_struct *wq = __atomic_load_n(&work->wq,
						      __ATOMIC_ACQUIRE);
	bool was_pending = false;

	shim_might_sleep("cancel_work_sync", 0);
	if (!wq)
		return false;
	pthread_mutex_lock(&wq->lock);
	if (work->pending) {
		list_del_init(&work->entry);
		work->pending = false;
		was_pending = true;
	}
	while (work_running(wq, work))
		pthread_cond_wait(&wq->cond, &wq->lock);
	pthread_mutex_unlock(&wq->lock);
	return was_pending;
}

void flush_workqueue(struct workqueue_struct *wq)
{
	shim_might_sleep("flush_workqueue", 0);
	pthread_mutex_lock(&wq->lock);
	while (wq_busy(wq))
		pthread_cond_wait(&wq->cond, &wq->lock);
	pthread_mutex_unlock(&wq->lock);
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	struct shim_worker *wk, *tmp;

	flush_workqueue(wq);
	pthread_mutex_lock(&wq->lock);
	wq->dying = true;
	pthread_cond_broadcast(&wq->cond);
	clock_wake(wq);
	pthread_mutex_unlock(&wq->lock);
	list_for_each_entry_safe(wk, tmp, &wq->workers, link) {
		pthread_join(wk->thread, NULL);
		list_del(&wk->link);
		free(wk);
	}
	pthread_mutex_destroy(&wq->lock);
	pthread_cond_destroy(&wq->cond);
	kfree(wq);
}
