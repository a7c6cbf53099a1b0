/* SPDX-License-Identifier: MIT */
/* Mutexes, POSIX and C11.  The uncontended path of a default mutex is
 * glibc's own acquisition made in place (asl_mutex_take_default) plus a push
 * on the thread's own held list, with no call; other types and a busy mutex
 * take a trylock through glibc, and only contention takes the slow path
 * (wait record, stack, at-attempt checks). */
#define _GNU_SOURCE
#include "hook.h"
#include "asl_glibc.h"
#include "asl_lockorder.h"
#include "asl_real.h"
#include "asl_thread.h"
#include "asl_wait.h"

#include <errno.h>
#include <sys/single_threaded.h>
#include <threads.h>

#define CALLER __builtin_return_address(0)

/* Robust mutexes hand over a dead owner's lock with EOWNERDEAD. */
static inline int acquired(int r)
{
	return r == 0 || r == EOWNERDEAD;
}

static void mutex_wait_begin(struct asl_thread *me, pthread_mutex_t *m, int timed)
{
	struct asl_wait_req w = { .kind = ASL_W_MUTEX,
		                  .obj = m,
		                  .timed = timed,
		                  .shared = asl_mutex_shared(m),
		                  .owner_hint = asl_mutex_owner(m) };
	asl_wait_begin(me, &w);
}

/* An acquisition that may block forever: its lock-order edges count.
 * Returns the lock-order context for the held entry (0: none). */
static inline uint64_t before_blocking(struct asl_thread *me, const pthread_mutex_t *m, void *site)
{
	return me->nheld > 0 ? asl_lo_before_mutex(me, m, site) : 0;
}

/* Try first; wait (recorded) only when busy. */
static __attribute__((noinline)) int lock_tracked(struct asl_thread *me, pthread_mutex_t *m, void *site)
{
	uint64_t ctx = before_blocking(me, m, site);
	int r = REAL_RESOLVED(pthread_mutex_trylock)(m);
	if (r == EBUSY) {
		mutex_wait_begin(me, m, 0);
		r = REAL_RESOLVED(pthread_mutex_lock)(m);
		asl_wait_end(me);
	}
	if (acquired(r))
		asl_lo_took_ctx(me, m, ASL_L_MUTEX, site, ctx);
	return r;
}

/* The lock hook's other cases, out of line: the hot path then needs no
 * stack frame. */
static __attribute__((noinline)) int lock_other(struct asl_thread *me, pthread_mutex_t *m, void *site)
{
	if (!me)
		return REAL(pthread_mutex_lock)(m);
	return lock_tracked(me, m, site);
}

/* The hot path: a default mutex, free, asked for at a known call site,
 * with nothing held or an acquisition the lock-order check has vetted
 * before.  It takes the mutex in place, as glibc would, and pushes it: no
 * call, no stack frame.  Anything else (busy, another type, a new site or
 * order) is lock_tracked's: a trylock through glibc, then a recorded wait. */
static inline int lock_fast(struct asl_thread *me, pthread_mutex_t *m, void *site)
{
	uint64_t ctx = 0;
	if (!asl_lo_site_known(me, site) || (me->nheld > 0 && !asl_lo_mutex_vetted(me, m, &ctx)))
		return 0;
	if (!me->lock_tid || !asl_mutex_take_default(m, me->lock_tid, __libc_single_threaded))
		return 0;
	asl_held_push_ctx(me, m, ASL_L_MUTEX, site, ctx);
	return 1;
}

ASL_EXPORT int pthread_mutex_lock(pthread_mutex_t *m)
{
	struct asl_thread *me = asl_hook_self();
	if (__builtin_expect(me != NULL && lock_fast(me, m, CALLER), 1))
		return 0;
	return lock_other(me, m, CALLER);
}

ASL_EXPORT int pthread_mutex_trylock(pthread_mutex_t *m)
{
	struct asl_thread *me = asl_hook_self();
	int r = REAL(pthread_mutex_trylock)(m);
	if (me && acquired(r))
		asl_lo_took(me, m, ASL_L_MUTEX, CALLER);
	return r;
}

ASL_EXPORT int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime)
{
	ASL_HOOK_ME(me, pthread_mutex_timedlock, m, abstime);
	int r = REAL(pthread_mutex_trylock)(m);
	if (r == EBUSY) {
		mutex_wait_begin(me, m, 1);
		r = REAL(pthread_mutex_timedlock)(m, abstime);
		asl_wait_end(me);
	}
	if (acquired(r))
		asl_lo_took(me, m, ASL_L_MUTEX, CALLER);
	return r;
}

ASL_EXPORT int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clk, const struct timespec *abstime)
{
	ASL_HOOK_ME(me, pthread_mutex_clocklock, m, clk, abstime);
	int r = REAL(pthread_mutex_trylock)(m);
	if (r == EBUSY) {
		mutex_wait_begin(me, m, 1);
		r = REAL(pthread_mutex_clocklock)(m, clk, abstime);
		asl_wait_end(me);
	}
	if (acquired(r))
		asl_lo_took(me, m, ASL_L_MUTEX, CALLER);
	return r;
}

/* The unlock hook's other cases, out of line: the hot path then needs no
 * saved register. */
static __attribute__((noinline)) int unlock_other(struct asl_thread *me, pthread_mutex_t *m)
{
	if (me)
		asl_held_release_slow(me, m);
	return REAL(pthread_mutex_unlock)(m);
}

/* The hot path gives a default mutex back in place, as glibc would (only
 * where the lock hook may take it in place: lock_tid), and needs no call;
 * other types go to glibc, a tail call. */
ASL_EXPORT int pthread_mutex_unlock(pthread_mutex_t *m)
{
	struct asl_thread *me = asl_hook_self();
	if (__builtin_expect(me != NULL && asl_held_pop_top(me, m), 1)) {
		if (__builtin_expect(me->lock_tid != 0 && asl_mutex_give_default(m, __libc_single_threaded), 1))
			return 0;
		return REAL_RESOLVED(pthread_mutex_unlock)(m);
	}
	return unlock_other(me, m);
}

/* init and destroy end the lock that lived at m (lock identity). */
ASL_EXPORT int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
	asl_lo_forget_mutex(m);
	return REAL(pthread_mutex_init)(m, a);
}

ASL_EXPORT int pthread_mutex_destroy(pthread_mutex_t *m)
{
	asl_lo_forget_mutex(m);
	return REAL(pthread_mutex_destroy)(m);
}

/* C11: glibc's mtx_* call its internal pthread functions, which the hooks
 * above never see.  mtx_t has pthread_mutex_t's layout. */
ASL_EXPORT int mtx_lock(mtx_t *m)
{
	ASL_HOOK_ME(me, mtx_lock, m);
	uint64_t ctx = before_blocking(me, (const pthread_mutex_t *)m, CALLER);
	int r = REAL(mtx_trylock)(m);
	if (r == thrd_busy) {
		mutex_wait_begin(me, (pthread_mutex_t *)m, 0);
		r = REAL(mtx_lock)(m);
		asl_wait_end(me);
	}
	if (r == thrd_success)
		asl_lo_took_ctx(me, m, ASL_L_MUTEX, CALLER, ctx);
	return r;
}

ASL_EXPORT int mtx_trylock(mtx_t *m)
{
	struct asl_thread *me = asl_hook_self();
	int r = REAL(mtx_trylock)(m);
	if (me && r == thrd_success)
		asl_lo_took(me, m, ASL_L_MUTEX, CALLER);
	return r;
}

ASL_EXPORT int mtx_timedlock(mtx_t *__restrict m, const struct timespec *__restrict abstime)
{
	ASL_HOOK_ME(me, mtx_timedlock, m, abstime);
	int r = REAL(mtx_trylock)(m);
	if (r == thrd_busy) {
		mutex_wait_begin(me, (pthread_mutex_t *)m, 1);
		r = REAL(mtx_timedlock)(m, abstime);
		asl_wait_end(me);
	}
	if (r == thrd_success)
		asl_lo_took(me, m, ASL_L_MUTEX, CALLER);
	return r;
}

ASL_EXPORT int mtx_unlock(mtx_t *m)
{
	struct asl_thread *me = asl_hook_self();
	if (me)
		asl_held_pop(me, m);
	return REAL(mtx_unlock)(m);
}
