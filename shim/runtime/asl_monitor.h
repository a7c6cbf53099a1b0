/* SPDX-License-Identifier: MIT */
/* The shim's own thread: samples the registry, confirms verdicts once the
 * state has held still for grace_ms, and acts on them. */
#ifndef ASL_MONITOR_H
#define ASL_MONITOR_H

#include "asl_finding.h"

/* Starts the monitor if it is not running (from pthread_create's hook). */
void asl_monitor_ensure(void);
int asl_monitor_running(void);
pid_t asl_monitor_tid(void);
/* Asks the monitor to look now rather than at its next tick (from a hook:
 * one atomic store and a futex wake). */
void asl_monitor_nudge(void);
void asl_monitor_reset_after_fork(void);
/* Ends the monitor for good before the program installs a seccomp filter
 * (asl_sandbox.h): a filter with TSYNC would cover the monitor too, and the
 * monitor's next system call could kill the process.  Returns when the
 * thread is gone, or after about 2 s. */
void asl_monitor_stop(void);

/* Publishes an all-asleep verdict and does what on_deadlock says. */
void asl_verdict_act(const struct asl_finding *f, int nf, const struct asl_snapshot *s);

#endif
