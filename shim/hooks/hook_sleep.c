/* SPDX-License-Identifier: MIT */
/* Sleeps end by themselves: recorded as timed waits (shown in dumps, never
 * part of a verdict). */
#define _GNU_SOURCE
#include "asl_real.h"
#include "asl_thread.h"
#include "asl_wait.h"

#include <unistd.h>

static struct asl_thread *sleep_begin(void)
{
	struct asl_thread *me = asl_hook_self();
	if (!me || asl_in_signal(me))
		return NULL;
	struct asl_wait_req w = { .kind = ASL_W_SLEEP, .timed = 1, .peer = -1 };
	asl_wait_begin(me, &w);
	return me;
}

#define SLEEP_CALL(call)                                      \
	do {                                                  \
		struct asl_thread *me_ = sleep_begin();       \
		return me_ ? ASL_WAIT_CALL(me_, call) : call; \
	} while (0)

ASL_EXPORT int nanosleep(const struct timespec *req, struct timespec *rem)
{
	SLEEP_CALL(REAL(nanosleep)(req, rem));
}

ASL_EXPORT int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req, struct timespec *rem)
{
	SLEEP_CALL(REAL(clock_nanosleep)(clk, flags, req, rem));
}

ASL_EXPORT unsigned sleep(unsigned s)
{
	SLEEP_CALL(REAL(sleep)(s));
}

ASL_EXPORT int usleep(useconds_t us)
{
	SLEEP_CALL(REAL(usleep)(us));
}
