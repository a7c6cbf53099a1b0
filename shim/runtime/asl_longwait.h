/* SPDX-License-Identifier: MIT */
/* long-wait: a thread blocked longer than long_wait_ms in a wait that does
 * not end by itself (untimed, not a sleep), reported once per wait while the
 * program runs on.  Runs in the monitor, over its tick's snapshot. */
#ifndef ASL_LONGWAIT_H
#define ASL_LONGWAIT_H

#include "asl_snapshot.h"
#include "asl_verdict.h"

/* Reports the waits of s that are old enough and not reported yet.  Threads
 * in one of the nd cycles of d are left to the deadlock report. */
void asl_longwait_check(const struct asl_snapshot *s, const struct asl_deadlock *d, int nd);

/* In a fork child: forget the parent's waits. */
void asl_longwait_reset_after_fork(void);

#endif
