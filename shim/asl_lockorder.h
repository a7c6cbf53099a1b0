/* Potential deadlocks: the lock-order check.  Each blocking acquisition made
 * while other locks are held records "held X, then acquired Y" edges in the
 * lock-order graph (asl_lograph.h); a new edge that closes a cycle able to
 * deadlock is reported once as lock-order-inversion.
 *
 * Cost: an acquisition with nothing held costs one compare (has this thread
 * seen this call site?).  With k locks held, k more compares against the
 * thread's cache of recorded edges.  Only a miss takes the global lock, and
 * only a new edge or call site unwinds.
 *
 * Lock identity: a lock is not its address.  Each mutex/rwlock gets a fresh
 * id at first sight, kept in a field glibc leaves unused for that lock type
 * (see asl_lock_id); pthread_*_init, PTHREAD_*_INITIALIZER, calloc and any
 * re-initialization zero that field, so a heap object or stack frame reused
 * at the same address is a new lock and inherits no edges. */
#ifndef ASL_LOCKORDER_H
#define ASL_LOCKORDER_H

#include "asl_thread.h"
#include "asl_verdict.h"

/* Before a blocking (untimed) acquisition of obj; the caller has checked
 * me->nheld > 0. */
void asl_lo_before_lock(struct asl_thread *me, const void *obj, int kind);

/* Remembers where the lock at the top of me's held list was taken. */
void asl_lo_site_slow(struct asl_thread *me, uintptr_t site);

static inline int asl_lo_site_known(const struct asl_thread *me, void *site)
{
	uintptr_t s = (uintptr_t)site;
	return me->lo_sites[(s >> 2) % ASL_LO_SITES] == s;
}

static inline void asl_lo_site(struct asl_thread *me, void *site)
{
	if (__builtin_expect(!asl_lo_site_known(me, site), 0))
		asl_lo_site_slow(me, (uintptr_t)site);
}

/* A lock is held now: pushed on the thread's list, its call site known to
 * the lock-order check.  The uncontended path of every lock hook. */
static inline void asl_lo_took(struct asl_thread *me, const void *obj, int kind, void *site)
{
	asl_held_push(me, obj, kind, site);
	asl_lo_site(me, site);
}

/* init/destroy: the lock at obj (if it had an id) is gone.  Called from
 * the hooks as they are (they guard reentrancy themselves). */
void asl_lo_forget_mutex(void *m);
void asl_lo_forget_rwlock(void *rw);

/* Reports the cycles found so far, except those whose locks take part in
 * one of the nd deadlocks found in s (s NULL: none), and, unless `now`,
 * those found too recently for a real deadlock to show. */
void asl_lo_flush(const struct asl_snapshot *s, const struct asl_deadlock *d, int nd, int now);
void asl_lo_reset_after_fork(void);

/* fork: nobody may be inside the graph's lock when the child is made. */
void asl_lo_fork_prepare(void);
void asl_lo_fork_done(void);

#endif
