/* SPDX-License-Identifier: MIT */
/* Barriers and spin locks. */
#define _GNU_SOURCE
#include "hook.h"
#include "asl_glibc.h"
#include "asl_lockorder.h"
#include "asl_real.h"
#include "asl_thread.h"
#include "asl_wait.h"

#include <errno.h>

#define CALLER __builtin_return_address(0)

ASL_EXPORT int pthread_barrier_wait(pthread_barrier_t *b)
{
	ASL_HOOK_ME(me, pthread_barrier_wait, b);
	struct asl_wait_req w = { .kind = ASL_W_BARRIER, .obj = b, .shared = asl_barrier_shared(b) };
	asl_wait_begin(me, &w);
	int r = REAL(pthread_barrier_wait)(b);
	asl_wait_end(me);
	return r;
}

ASL_EXPORT int pthread_spin_lock(pthread_spinlock_t *l)
{
	ASL_HOOK_ME(me, pthread_spin_lock, l);
	uint64_t ctx = me->nheld > 0 ? asl_lo_before_lock(me, (const void *)l, ASL_L_SPIN, CALLER) : 0;
	int r = REAL(pthread_spin_trylock)(l);
	if (r == EBUSY) {
		/* A spinlock has no owner field and no process-shared mark we can
		 * read: holders come from the held lists. */
		struct asl_wait_req w = { .kind = ASL_W_SPIN, .obj = (const void *)l };
		asl_wait_begin(me, &w);
		r = REAL(pthread_spin_lock)(l);
		asl_wait_end(me);
	}
	if (r == 0)
		asl_lo_took_ctx(me, (const void *)l, ASL_L_SPIN, CALLER, ctx);
	return r;
}

ASL_EXPORT int pthread_spin_trylock(pthread_spinlock_t *l)
{
	struct asl_thread *me = asl_hook_self();
	int r = REAL(pthread_spin_trylock)(l);
	if (me && r == 0)
		asl_lo_took(me, (const void *)l, ASL_L_SPIN, CALLER);
	return r;
}

ASL_EXPORT int pthread_spin_unlock(pthread_spinlock_t *l)
{
	struct asl_thread *me = asl_hook_self();
	if (me)
		asl_held_pop(me, (const void *)l);
	return REAL(pthread_spin_unlock)(l);
}

/* A spinlock made anew (or gone) at this address: a fresh node in the
 * lock-order graph, as for mutexes. */
ASL_EXPORT int pthread_spin_init(pthread_spinlock_t *l, int pshared)
{
	asl_lo_forget_spin((void *)l);
	return REAL(pthread_spin_init)(l, pshared);
}

ASL_EXPORT int pthread_spin_destroy(pthread_spinlock_t *l)
{
	asl_lo_forget_spin((void *)l);
	return REAL(pthread_spin_destroy)(l);
}
