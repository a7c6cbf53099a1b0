/* SPDX-License-Identifier: MIT */
/* The kernel's view of this process's threads, from /proc. */
#ifndef ASL_PROC_H
#define ASL_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* What the kernel says about the process's threads (/proc/self/task). */
struct asl_task {
	pid_t tid;
	char state; /* R, S, D, T, t, Z, ... */
};

struct asl_tasks {
	int n;
	struct asl_task *t;
};

/* Allocates k->t; returns -1 when /proc cannot be read. */
int asl_proc_tasks(struct asl_tasks *k);
void asl_proc_tasks_free(struct asl_tasks *k);

/* Number of threads in the process, or -1.  No allocation. */
int asl_proc_thread_count(void);

/* Does the program have a signal handler of its own (SigCgt in
 * /proc/self/status, less glibc's own and `ours`, a mask of the shim's)?
 * 1 when unknown. */
int asl_proc_signal_handlers(unsigned long long ours);

/* This process (set at start-up and in a fork child) and when it started
 * (CLOCK_MONOTONIC ns). */
extern pid_t asl_pid __attribute__((visibility("hidden")));
extern uint64_t asl_start_ns __attribute__((visibility("hidden")));

/* The thread's name (comm), or "?". */
void asl_proc_thread_name(pid_t tid, char *buf, size_t len);

/* How many times the kernel switched thread tid out (voluntary and not), or
 * -1 when /proc cannot say.  Unchanged between two reads: it did not run. */
long long asl_proc_thread_switches(pid_t tid);

#endif
