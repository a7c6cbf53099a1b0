/* SPDX-License-Identifier: MIT */
/* Reader-writer locks: a read hold blocks writers, a write hold blocks all. */
#define _GNU_SOURCE
#include "hook.h"
#include "asl_glibc.h"
#include "asl_lockorder.h"
#include "asl_real.h"
#include "asl_thread.h"
#include "asl_wait.h"

#include <errno.h>

#define CALLER __builtin_return_address(0)

static void rw_wait_begin(struct asl_thread *me, pthread_rwlock_t *rw, int kind, int timed)
{
	struct asl_wait_req w = { .kind = kind,
		                  .obj = rw,
		                  .timed = timed,
		                  .shared = asl_rwlock_shared(rw),
		                  .owner_hint = asl_rwlock_writer(rw) };
	asl_wait_begin(me, &w);
}

/* One body for the six locking entry points: try first, wait only when busy.
 * Only the untimed ones can block forever: they alone add lock-order edges. */
#define RW_HOOK(name, params, args, tryfn, wkind, lkind, timed)          \
	ASL_EXPORT int name params                                       \
	{                                                                \
		ASL_HOOK_ME(me, name, ASL_UNPAREN args);                 \
		uint64_t ctx = 0;                                        \
		if (!(timed) && me->nheld > 0)                           \
			ctx = asl_lo_before_lock(me, rw, lkind, CALLER); \
		int r = REAL(tryfn)(rw);                                 \
		if (r == EBUSY) {                                        \
			rw_wait_begin(me, rw, wkind, timed);             \
			r = REAL(name) args;                             \
			asl_wait_end(me);                                \
		}                                                        \
		if (r == 0)                                              \
			asl_lo_took_ctx(me, rw, lkind, CALLER, ctx);     \
		return r;                                                \
	}

RW_HOOK(pthread_rwlock_rdlock, (pthread_rwlock_t * rw), (rw), pthread_rwlock_tryrdlock, ASL_W_RWLOCK_READ,
        ASL_L_RWLOCK_READ, 0)
RW_HOOK(pthread_rwlock_wrlock, (pthread_rwlock_t * rw), (rw), pthread_rwlock_trywrlock, ASL_W_RWLOCK_WRITE,
        ASL_L_RWLOCK_WRITE, 0)
RW_HOOK(pthread_rwlock_timedrdlock, (pthread_rwlock_t * rw, const struct timespec *t), (rw, t),
        pthread_rwlock_tryrdlock, ASL_W_RWLOCK_READ, ASL_L_RWLOCK_READ, 1)
RW_HOOK(pthread_rwlock_timedwrlock, (pthread_rwlock_t * rw, const struct timespec *t), (rw, t),
        pthread_rwlock_trywrlock, ASL_W_RWLOCK_WRITE, ASL_L_RWLOCK_WRITE, 1)
RW_HOOK(pthread_rwlock_clockrdlock, (pthread_rwlock_t * rw, clockid_t c, const struct timespec *t), (rw, c, t),
        pthread_rwlock_tryrdlock, ASL_W_RWLOCK_READ, ASL_L_RWLOCK_READ, 1)
RW_HOOK(pthread_rwlock_clockwrlock, (pthread_rwlock_t * rw, clockid_t c, const struct timespec *t), (rw, c, t),
        pthread_rwlock_trywrlock, ASL_W_RWLOCK_WRITE, ASL_L_RWLOCK_WRITE, 1)

ASL_EXPORT int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw)
{
	struct asl_thread *me = asl_hook_self();
	int r = REAL(pthread_rwlock_tryrdlock)(rw);
	if (me && r == 0)
		asl_lo_took(me, rw, ASL_L_RWLOCK_READ, CALLER);
	return r;
}

ASL_EXPORT int pthread_rwlock_trywrlock(pthread_rwlock_t *rw)
{
	struct asl_thread *me = asl_hook_self();
	int r = REAL(pthread_rwlock_trywrlock)(rw);
	if (me && r == 0)
		asl_lo_took(me, rw, ASL_L_RWLOCK_WRITE, CALLER);
	return r;
}

ASL_EXPORT int pthread_rwlock_unlock(pthread_rwlock_t *rw)
{
	struct asl_thread *me = asl_hook_self();
	if (me)
		asl_held_pop(me, rw);
	return REAL(pthread_rwlock_unlock)(rw);
}

/* init and destroy end the lock that lived at rw (lock identity). */
ASL_EXPORT int pthread_rwlock_init(pthread_rwlock_t *rw, const pthread_rwlockattr_t *a)
{
	asl_lo_forget_rwlock(rw);
	return REAL(pthread_rwlock_init)(rw, a);
}

ASL_EXPORT int pthread_rwlock_destroy(pthread_rwlock_t *rw)
{
	asl_lo_forget_rwlock(rw);
	return REAL(pthread_rwlock_destroy)(rw);
}
