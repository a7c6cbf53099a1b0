/* SPDX-License-Identifier: MIT */
/* The verdicts, decided over a snapshot.  Pure functions of their inputs so
 * that every rule is unit-tested with made-up snapshots.
 *
 * A verdict must be certain.  A wait counts as "asleep for good" only when
 * nothing but another thread of this process could end it: untimed, not on a
 * process-shared object, and not a wait a signal handler may legally end
 * (sem_post is async-signal-safe) while the program has handlers installed. */
#ifndef ASL_VERDICT_H
#define ASL_VERDICT_H

#include "asl_proc.h"
#include "asl_snapshot.h"

struct asl_world {
	int signal_handlers; /* the program installed at least one signal handler */
	pid_t monitor_tid;   /* the shim's own thread, not the program's */
};

/* Why this thread's state does not count as asleep for good, or NULL. */
const char *asl_thread_veto(const struct asl_tsnap *t, const struct asl_world *w);

/* NULL when every live thread is asleep for good; else why not, naming the
 * thread in *who. */
const char *asl_all_asleep_veto(const struct asl_snapshot *s, const struct asl_world *w, pid_t *who);

#define ASL_CYCLE_MAX 64

struct asl_step {
	int thread; /* snapshot index */
	int owner;  /* snapshot index of the thread it waits for */
};

struct asl_deadlock {
	int n;
	struct asl_step step[ASL_CYCLE_MAX];
};

/* Cycles of untimed lock and join waits.  Returns how many were written. */
int asl_find_deadlocks(const struct asl_snapshot *s, const struct asl_world *w, struct asl_deadlock *out, int max);

/* Identity of a set of waits: equal keys mean the same threads in the same
 * wait episodes. */
unsigned long long asl_wait_key(const struct asl_tsnap *t);
unsigned long long asl_snapshot_key(const struct asl_snapshot *s);
unsigned long long asl_deadlock_key(const struct asl_snapshot *s, const struct asl_deadlock *d);

/* NULL when the kernel agrees: the tasks are exactly the snapshot's threads
 * (plus the monitor) and each blocked thread sleeps ('S'; a spinning waiter
 * may run).  threads: snapshot indices to check, or NULL for all (then the
 * task sets must match too). */
const char *asl_kernel_veto(const struct asl_snapshot *s, const struct asl_tasks *k, const struct asl_world *w,
                            const int *threads, int nthreads, pid_t *who);

/* 1 when the monitor is the only task not yet dead. */
int asl_only_monitor_left(const struct asl_tasks *k, pid_t monitor_tid);

#endif
