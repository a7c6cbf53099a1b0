/* SPDX-License-Identifier: MIT */
/* Condition variables, POSIX and C11, modelled as: give the mutex back,
 * wait on the condition, take the mutex again. */
#define _GNU_SOURCE
#include "hook.h"
#include "asl_glibc.h"
#include "asl_lockorder.h"
#include "asl_real.h"
#include "asl_thread.h"
#include "asl_wait.h"

#include <threads.h>

#define CALLER __builtin_return_address(0)

static void cond_begin(struct asl_thread *me, pthread_cond_t *c, pthread_mutex_t *m, int timed)
{
	asl_held_pop(me, m);
	struct asl_wait_req w = {
		.kind = ASL_W_COND, .obj = c, .aux = m, .timed = timed, .shared = asl_cond_shared(c)
	};
	asl_wait_begin(me, &w);
}

static void cond_end(struct asl_thread *me, pthread_mutex_t *m, void *site)
{
	asl_wait_end(me);
	/* glibc retakes the mutex on every return, errors and timeouts included,
	 * without a timeout: a blocking acquisition for the lock-order check. */
	uint64_t ctx = me->nheld > 0 ? asl_lo_before_mutex(me, m, site) : 0;
	asl_lo_took_ctx(me, m, ASL_L_MUTEX, site, ctx);
}

/* Cancellation unwinds out of the real wait (glibc has re-taken the mutex
 * by then); without this the thread would stay marked as blocked. */
struct cancel_ctx {
	struct asl_thread *me;
	pthread_mutex_t *m;
	void *site;
};

static void cond_cancelled(void *p)
{
	struct cancel_ctx *c = p;
	/* The thread is on its way out: the record only, no lock-order work
	 * (which may unwind) in the middle of the cancellation unwinding. */
	asl_wait_end(c->me);
	asl_held_push(c->me, c->m, ASL_L_MUTEX, c->site);
}

#define COND_CALL(me, m, call)                              \
	({                                                  \
		struct cancel_ctx cx_ = { me, m, CALLER };  \
		int r_;                                     \
		pthread_cleanup_push(cond_cancelled, &cx_); \
		r_ = call;                                  \
		pthread_cleanup_pop(0);                     \
		r_;                                         \
	})

ASL_EXPORT int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	ASL_HOOK_ME(me, pthread_cond_wait, c, m);
	cond_begin(me, c, m, 0);
	int r = COND_CALL(me, m, REAL(pthread_cond_wait)(c, m));
	cond_end(me, m, CALLER);
	return r;
}

ASL_EXPORT int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime)
{
	ASL_HOOK_ME(me, pthread_cond_timedwait, c, m, abstime);
	cond_begin(me, c, m, 1);
	int r = COND_CALL(me, m, REAL(pthread_cond_timedwait)(c, m, abstime));
	cond_end(me, m, CALLER);
	return r;
}

ASL_EXPORT int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clk,
                                      const struct timespec *abstime)
{
	ASL_HOOK_ME(me, pthread_cond_clockwait, c, m, clk, abstime);
	cond_begin(me, c, m, 1);
	int r = COND_CALL(me, m, REAL(pthread_cond_clockwait)(c, m, clk, abstime));
	cond_end(me, m, CALLER);
	return r;
}

ASL_EXPORT int pthread_cond_signal(pthread_cond_t *c)
{
	return REAL(pthread_cond_signal)(c);
}

ASL_EXPORT int pthread_cond_broadcast(pthread_cond_t *c)
{
	return REAL(pthread_cond_broadcast)(c);
}

ASL_EXPORT int cnd_wait(cnd_t *c, mtx_t *m)
{
	ASL_HOOK_ME(me, cnd_wait, c, m);
	cond_begin(me, (pthread_cond_t *)c, (pthread_mutex_t *)m, 0);
	int r = COND_CALL(me, (pthread_mutex_t *)m, REAL(cnd_wait)(c, m));
	cond_end(me, (pthread_mutex_t *)m, CALLER);
	return r;
}

ASL_EXPORT int cnd_timedwait(cnd_t *__restrict c, mtx_t *__restrict m, const struct timespec *__restrict abstime)
{
	ASL_HOOK_ME(me, cnd_timedwait, c, m, abstime);
	cond_begin(me, (pthread_cond_t *)c, (pthread_mutex_t *)m, 1);
	int r = COND_CALL(me, (pthread_mutex_t *)m, REAL(cnd_timedwait)(c, m, abstime));
	cond_end(me, (pthread_mutex_t *)m, CALLER);
	return r;
}
