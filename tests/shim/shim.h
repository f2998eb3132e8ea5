/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The threaded shim's runtime (tests/shim/shim.c): locks that know their
 * owner and their order, threads, time, and what the tests may ask of
 * it.  The linux/ headers of the shim build on this.
 *
 * Locks are pthread mutexes that abort on what the kernel would hang or
 * lockdep would report: a lock taken twice by one thread, released by a
 * thread that does not hold it, destroyed while held, held when its
 * thread ends; a lockdep_assert_held() in a thread that does not hold
 * it; sleeping (a mutex, a wait, a flush, a GFP_KERNEL allocation) with
 * a spinlock held; and two classes of locks taken in both orders, or any
 * cycle in the order they were taken in (a class is where the lock was
 * initialised, as for lockdep).  Work items count as locks held while
 * they run and taken by flush_work(), so a flush under a lock the work
 * takes is reported too.
 */
#ifndef _MVGPU_SHIM_H
#define _MVGPU_SHIM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

/**
 * struct shim_lock_class - locks initialised at one place
 * @name: what the initialiser was given
 * @id: its number in the order graph, from 1; 0 until first taken
 */
struct shim_lock_class {
	const char *name;
	int id;
};

/**
 * struct shim_lock - a mutex, spinlock or the write side of an rwsem
 * @m: the lock
 * @owner: shim_self() of the thread holding it, 0 if none
 * @cls: its class, NULL if it was never initialised (no order checks)
 */
struct shim_lock {
	pthread_mutex_t m;
	unsigned long owner;
	struct shim_lock_class *cls;
};

__attribute__((noreturn, format(printf, 1, 2)))
void shim_die(const char *fmt, ...);
unsigned long shim_self(void);

void shim_lock_init(struct shim_lock *l, struct shim_lock_class *cls);
void shim_lock_destroy(struct shim_lock *l, const char *what);
void shim_lock_take(struct shim_lock *l, bool spin, const char *what,
		    const char *file, int line);
bool shim_lock_try(struct shim_lock *l, bool spin, const char *what,
		   const char *file, int line);
void shim_lock_give(struct shim_lock *l, bool spin, const char *what,
		    const char *file, int line);
bool shim_lock_held(const struct shim_lock *l);
void shim_assert_held(const struct shim_lock *l, const char *file, int line);

/* Order checks of things that are not locks (work items, rwsem readers). */
void shim_dep_acquire(struct shim_lock_class *cls, const void *inst,
		      bool spin, const char *file, int line);
void shim_dep_release(const void *inst);
/* A sleep here would be a bug with a spinlock held. */
void shim_might_sleep(const char *file, int line);
/* Locks the calling thread holds. */
int shim_locks_held(void);

/* Time: CLOCK_MONOTONIC; jiffies at HZ (250, as Debian's kernels). */
uint64_t shim_now_ns(void);
unsigned long shim_jiffies(void);
void shim_sleep_ns(uint64_t ns);

/*
 * The fake clock, for tests that check what the code does with time
 * (slices, shares, hang limits) rather than how fast the machine is.
 * shim_clock_fake(), before any kernel thread, workqueue or hrtimer is
 * started, stops time: ktime_get*(), jiffies, hrtimers and the timeouts
 * of wait_event*() then follow a clock that only shim_clock_advance()
 * moves.  It lets the time pass in order: at each instant it waits until
 * every kernel thread and worker sleeps, fires the hrtimers due (in the
 * caller's thread) and ends the sleeps due, then moves to the next
 * deadline.  msleep() and usleep_range() advance it when the test's own
 * threads call them, and sleep in fake time in kernel threads.  A thread
 * of the test must not wait on fake time otherwise (a timeout of its own
 * would never come).  shim_clock_real(), once every thread is gone,
 * brings back CLOCK_MONOTONIC.
 */
void shim_clock_fake(void);
void shim_clock_real(void);
bool shim_clock_is_fake(void);
void shim_clock_advance(uint64_t ns);

/*
 * Module parameters (module_param()) by name, as root would write them
 * in /sys/module/mvgpu/parameters.  Set them while no thread reads them.
 */
void shim_param_register(const char *name, void *addr, unsigned int size);
void shim_param_set(const char *name, unsigned long val);
unsigned long shim_param_get(const char *name);

#endif
