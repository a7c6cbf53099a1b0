/* SPDX-License-Identifier: MIT */
/* Semaphores.  sem_post may run in a signal handler: its hook does nothing
 * but call through. */
#define _GNU_SOURCE
#include "hook.h"
#include "asl_glibc.h"
#include "asl_real.h"
#include "asl_thread.h"
#include "asl_wait.h"

#include <errno.h>

/* 1 when sem_trywait took a unit; errno is left as the caller had it. */
static int try_take(sem_t *s)
{
	int saved = errno;
	int r = REAL(sem_trywait)(s);
	errno = saved;
	return r == 0;
}

static void sem_begin(struct asl_thread *me, sem_t *s, int timed)
{
	struct asl_wait_req w = { .kind = ASL_W_SEM, .obj = s, .timed = timed, .shared = asl_sem_shared(s) };
	asl_wait_begin(me, &w);
}

ASL_EXPORT int sem_wait(sem_t *s)
{
	ASL_HOOK_ME(me, sem_wait, s);
	if (try_take(s))
		return 0;
	sem_begin(me, s, 0);
	return ASL_WAIT_CALL(me, REAL(sem_wait)(s));
}

ASL_EXPORT int sem_timedwait(sem_t *s, const struct timespec *abstime)
{
	ASL_HOOK_ME(me, sem_timedwait, s, abstime);
	if (try_take(s))
		return 0;
	sem_begin(me, s, 1);
	return ASL_WAIT_CALL(me, REAL(sem_timedwait)(s, abstime));
}

ASL_EXPORT int sem_clockwait(sem_t *s, clockid_t clk, const struct timespec *abstime)
{
	ASL_HOOK_ME(me, sem_clockwait, s, clk, abstime);
	if (try_take(s))
		return 0;
	sem_begin(me, s, 1);
	return ASL_WAIT_CALL(me, REAL(sem_clockwait)(s, clk, abstime));
}

ASL_EXPORT int sem_trywait(sem_t *s)
{
	return REAL(sem_trywait)(s);
}

ASL_EXPORT int sem_post(sem_t *s)
{
	return REAL(sem_post)(s);
}
