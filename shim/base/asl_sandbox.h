/* SPDX-License-Identifier: MIT */
/* The program put itself under a seccomp filter (hooks/hook_seccomp.c saw it
 * call prctl(PR_SET_SECCOMP) or seccomp()).  A filter may kill the process
 * on any system call it does not list, and the program listed only its own:
 * from then on the shim makes no system call of its own in the program's
 * threads, and stops.
 *
 * Invariants, once asl_sandboxed() is true (it never turns false again, and a
 * forked child inherits it with the filter):
 *  - the monitor thread is gone and never restarted (asl_monitor_stop);
 *  - no other thread with a record is inside a call of the shim's: the
 *    hook waited for them (state/asl_syscalls.h, bounded);
 *  - hooks record nothing that needs a system call: no try with RWF_NOWAIT,
 *    no zero-timeout poll, no fcntl, no clock, no stack, no check at the
 *    attempt, no lock-order work, no new thread record, no report, no dump;
 *  - the fast paths (held-lock push and pop) run as before: they never make
 *    a system call.
 * The shim's verdicts end with it: a thread that then blocks is not
 * recorded, so it never counts as asleep (no verdict rather than a false
 * one). */
#ifndef ASL_SANDBOX_H
#define ASL_SANDBOX_H

#include <stdatomic.h>

extern _Atomic int asl_sandbox_flag __attribute__((visibility("hidden")));

static inline int asl_sandboxed(void)
{
	return atomic_load_explicit(&asl_sandbox_flag, memory_order_relaxed);
}

/* Before the filter goes in (the hook's, before the real call).  Returns 1
 * for the one caller that turned it on. */
static inline int asl_sandbox_enter(void)
{
	return atomic_exchange(&asl_sandbox_flag, 1) == 0;
}

#endif
