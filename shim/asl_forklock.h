/* A lock of the shim's own that fork takes in its prepare handler, so that
 * a thread which does not survive the fork never leaves it held in the
 * child.  `held` is the caller's thread-local flag (initial-exec TLS), set
 * before locking: a signal handler that forks while this thread is inside
 * (or about to be) then does not wait for itself in the prepare handler. */
#ifndef ASL_FORKLOCK_H
#define ASL_FORKLOCK_H

#include "asl_real.h"

struct asl_forklock {
	pthread_mutex_t m;
	int fork_took; /* the prepare handler holds it */
};

#define ASL_FORKLOCK_INIT { PTHREAD_MUTEX_INITIALIZER, 0 }

static inline void asl_forklock_enter(struct asl_forklock *l, int *held)
{
	*held = 1;
	REAL(pthread_mutex_lock)(&l->m);
}

static inline void asl_forklock_leave(struct asl_forklock *l, int *held)
{
	REAL(pthread_mutex_unlock)(&l->m);
	*held = 0;
}

/* atfork prepare: the forking thread takes it, unless it is inside. */
static inline void asl_forklock_prepare(struct asl_forklock *l, int held)
{
	l->fork_took = !held;
	if (l->fork_took)
		REAL(pthread_mutex_lock)(&l->m);
}

/* atfork parent and child alike: the forking thread owns what it took. */
static inline void asl_forklock_done(struct asl_forklock *l)
{
	if (l->fork_took)
		REAL(pthread_mutex_unlock)(&l->m);
	l->fork_took = 0;
}

#endif
