/* A lock of the shim's own that fork takes in its prepare handler, so that
 * a thread which does not survive the fork never leaves it held in the
 * child.
 *
 * Rules, for every shim-internal lock (this is the only kind there is):
 *  - it is taken with the thread marked inside the shim (asl_me->in_hook),
 *    so that a hook reached meanwhile passes straight through;
 *  - it is never held across a call that can enter a hook or re-enter the
 *    shim: malloc and friends (the program's allocator takes its own locks),
 *    dl_iterate_phdr callbacks that allocate, the unwinder, jansson, stdio.
 *    Holders call raw system calls and the shim's own lock-free code only.
 *    The checked build (libasleep-checked.so) aborts when a hook is reached
 *    while its thread holds one (asl_hook_passthrough below).
 *
 *  - it is a leaf: no other shim lock is taken while it is held.
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

struct asl_forklock {
	pthread_mutex_t m;
};

struct asl_forklock_tls {
	int inside;
	int fork_took;
	int was_in_hook;
};

#define ASL_FORKLOCK_INIT { PTHREAD_MUTEX_INITIALIZER }

static inline void asl_forklock_enter(struct asl_forklock *l, struct asl_forklock_tls *tls)
{
	ASL_INVARIANT(asl_shim_locks_held == 0, "a shim lock was taken while another is held");
	struct asl_thread *me = asl_me;
	tls->was_in_hook = me ? me->in_hook : 0;
	if (me)
		me->in_hook = 1;
	asl_shim_locks_held++;
	tls->inside = 1;
	REAL(pthread_mutex_lock)(&l->m);
}

static inline void asl_forklock_leave(struct asl_forklock *l, struct asl_forklock_tls *tls)
{
	REAL(pthread_mutex_unlock)(&l->m);
	tls->inside = 0;
	asl_shim_locks_held--;
	struct asl_thread *me = asl_me;
	if (me)
		me->in_hook = tls->was_in_hook;
}

/* atfork prepare: the forking thread takes it, unless it is inside. */
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
