/* SPDX-License-Identifier: MIT */
/* The shim's own locks.  Every one is taken by fork's prepare handler, so
 * that a thread which does not survive the fork never leaves one held in the
 * child.
 *
 * Rules, for every shim-internal lock (this is the only kind there is):
 *  - it is a leaf: held across plain loads and stores, raw system calls and
 *    the shim's own lock-free code only; never across a call that can enter
 *    a hook or re-enter the shim (malloc and friends: the program's allocator
 *    takes its own locks; dl_iterate_phdr callbacks that allocate; the
 *    unwinder; jansson; stdio), and never while another shim lock is held;
 *  - it is taken with the thread marked inside the shim (asl_inside_enter),
 *    so that a hook reached meanwhile passes straight through;
 *  - from a hook (the thread may hold any lock of the program, its
 *    allocator's included) it is only ever tried: asl_forklock_try_enter
 *    gives up while a fork is under way, for the forking thread then runs
 *    the program's own prepare handlers (jemalloc's take every arena lock)
 *    while holding ours, and must never wait for a thread that waits for us.
 *    Whatever the hook wanted to record is skipped; nothing else is lost.
 * The checked build (libasleep-checked.so) aborts when a hook is reached
 * while its thread holds a shim lock (asl_hook_self) or when one is taken
 * while another is held.
 *
 * The thread's own flags (initial-exec TLS, one set per lock): `inside` is
 * set before locking, so that a signal handler that forks while this thread
 * is inside (or about to be) does not wait for itself in the prepare
 * handler; `fork_took` says that this thread's prepare handler took the lock,
 * which only this thread's parent/child handler may release (two threads may
 * fork at once: glibc runs prepare handlers unlocked). */
#ifndef ASL_FORKLOCK_H
#define ASL_FORKLOCK_H

#include "asl_real.h"
#include "asl_thread.h"

#include <sched.h>

struct asl_forklock {
	pthread_mutex_t m;
};

struct asl_forklock_tls {
	int inside;
	int fork_took;
	int was_in_hook;
};

#define ASL_FORKLOCK_INIT                 \
	{                                 \
		PTHREAD_MUTEX_INITIALIZER \
	}

/* Forks under way in this process (between prepare and parent/child). */
extern _Atomic int asl_forks_pending __attribute__((visibility("hidden")));

static inline void asl_forklock_held(struct asl_forklock_tls *tls)
{
	tls->was_in_hook = asl_inside_enter();
	asl_shim_locks_held++;
}

/* From contexts that hold no lock of the program (the monitor, publishing,
 * the exit check): waits for the lock. */
static inline void asl_forklock_enter(struct asl_forklock *l, struct asl_forklock_tls *tls)
{
	ASL_INVARIANT(asl_shim_locks_held == 0, "a shim lock was taken while another is held");
	tls->inside = 1;
	REAL(pthread_mutex_lock)(&l->m);
	asl_forklock_held(tls);
}

/* From hooks: 0 with the lock held, or -1 (not held) while a fork is under
 * way.  Spins while another thread holds it (a leaf: it lets go soon). */
static inline int asl_forklock_try_enter(struct asl_forklock *l, struct asl_forklock_tls *tls)
{
	ASL_INVARIANT(asl_shim_locks_held == 0, "a shim lock was taken while another is held");
	tls->inside = 1;
	for (;;) {
		if (atomic_load(&asl_forks_pending)) {
			tls->inside = 0;
			return -1;
		}
		if (REAL(pthread_mutex_trylock)(&l->m) == 0)
			break;
		sched_yield();
	}
	asl_forklock_held(tls);
	return 0;
}

static inline void asl_forklock_leave(struct asl_forklock *l, struct asl_forklock_tls *tls)
{
	REAL(pthread_mutex_unlock)(&l->m);
	tls->inside = 0;
	asl_shim_locks_held--;
	asl_inside_leave(tls->was_in_hook);
}

/* atfork prepare: the forking thread takes it (waiting for a holder, who is
 * in a leaf), unless it is inside itself.  asl_forks_pending is raised first
 * (asl_fork_begin), so that hooks run meanwhile give up instead of waiting. */
static inline void asl_forklock_prepare(struct asl_forklock *l, struct asl_forklock_tls *tls)
{
	tls->fork_took = !tls->inside;
	if (tls->fork_took)
		REAL(pthread_mutex_lock)(&l->m);
}

/* atfork parent and child alike: the forking thread releases what it took. */
static inline void asl_forklock_done(struct asl_forklock *l, struct asl_forklock_tls *tls)
{
	if (tls->fork_took)
		REAL(pthread_mutex_unlock)(&l->m);
	tls->fork_took = 0;
}

#endif
