/* SPDX-License-Identifier: MIT */
/* The exit-time check: every thread the program created that is still alive
 * when the process exits is a leaked-thread finding.  Every exit path leads
 * here: return from main and exit() (the destructor), _exit, _Exit and
 * quick_exit (their hooks).  The exit status is never changed. */
#define _GNU_SOURCE
#include "asl_syscalls.h"
#include "asl_diag.h"
#include "asl_finding.h"
#include "asl_lockorder_report.h"
#include "asl_exit.h"
#include "asl_metrics.h"
#include "asl_monitor.h"
#include "asl_wait.h"
#include "asl_options.h"
#include "asl_postmortem.h"
#include "asl_proc.h"
#include "asl_real.h"
#include "asl_snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static _Atomic int exit_checked;

/* The exit check has begun: the process is going away. */
int asl_exit_started(void)
{
	return atomic_load(&exit_checked);
}

void asl_exit_reset_after_fork(void)
{
	atomic_store(&exit_checked, 0);
}

/* Still running or blocked at exit; or (unjoined_leaks) ended without the
 * join a joinable thread is owed: its stack and result were never reclaimed. */
static int leaked(const struct asl_tsnap *t, pid_t self)
{
	if (t->life == ASL_FINISHED)
		return asl_opts.unjoined_leaks && !t->is_main;
	return !t->is_main && t->tid != self && (t->life == ASL_ALIVE || t->life == ASL_STARTING);
}

/* Leaked threads that are running may be on their way out: give them a
 * few short chances (bounded) before calling them leaked. */
static int take_settled(struct asl_snapshot *s, pid_t self)
{
	for (int tries = 0;; tries++) {
		if (asl_snapshot_take_at_exit(s) != 0)
			return -1;
		int moving = 0;
		for (int i = 0; i < s->n; i++)
			moving += leaked(&s->t[i], self) && !s->t[i].blocked && s->t[i].life != ASL_FINISHED;
		if (!moving || tries == 5)
			return 0;
		asl_snapshot_free(s);
		struct timespec ts = { 0, 10 * 1000000L };
		nanosleep(&ts, NULL);
	}
}

static void describe(struct asl_finding *f, const struct asl_tsnap *t)
{
	char name[64];
	asl_tsnap_name(t, name, sizeof name);
	f->kind = ASL_F_LEAKED_THREAD;
	f->ntids = 1;
	f->tids[0] = t->tid;
	if (t->life == ASL_FINISHED)
		snprintf(f->message, sizeof f->message,
		         "thread %d \"%s\" (created by thread %d) finished but was never joined (nor detached)", t->tid,
		         name, t->parent_tid);
	else if (t->blocked)
		snprintf(f->message, sizeof f->message,
		         "thread %d \"%s\" (created by thread %d) still blocked on %s 0x%lx at exit", t->tid, name,
		         t->parent_tid, asl_wait_kind_name(t->wait.kind), (unsigned long)t->wait.obj);
	else
		snprintf(f->message, sizeof f->message, "thread %d \"%s\" (created by thread %d) still running at exit",
		         t->tid, name, t->parent_tid);
}

/* Potential deadlocks found since the monitor's last tick, except those a
 * real deadlock among the threads still here already explains. */
static void flush_lock_order(const struct asl_snapshot *s)
{
	struct asl_deadlock *d = malloc(8 * sizeof *d);
	struct asl_world w = { asl_proc_signal_handlers(asl_fatal_caught_mask()), asl_monitor_tid() };
	int nd = d ? asl_find_deadlocks(s, &w, d, 8) : 0;
	asl_lo_flush(s, d, nd, 1);
	free(d);
}

/* _exit and exit may be called from a signal handler that interrupted the
 * program anywhere, inside malloc included: then the check, which allocates,
 * could hang the exit.  It is skipped there (no leak report). */
static int in_signal_handler(struct asl_thread *me)
{
	return me && asl_in_signal(me);
}

/* verbosity=1: the last line, what was found. */
static void say_exiting(void)
{
	char line[512];
	int n = snprintf(
	        line, sizeof line, "asleep: pid %d exits: %lu finding%s that fail%s the gate, %lu dump%s written\n",
	        (int)getpid(), asl_published_gating(), asl_published_gating() == 1 ? "" : "s",
	        asl_published_gating() == 1 ? "s" : "", asl_dumps_written(), asl_dumps_written() == 1 ? "" : "s");
	asl_write_diag(line, (size_t)n);
}

/* error_exitcode: the findings fail the process.  The program's own atexit
 * handlers and destructors have run; its buffered output is flushed first,
 * taking no lock another thread may hold forever (with other threads still
 * alive, only stdout and stderr, and only if free). */
static void exit_with_error_code(void)
{
	if (asl_proc_thread_count() <= 1 + (asl_monitor_tid() != 0)) {
		fflush(NULL);
	} else {
		FILE *std[2] = { stdout, stderr };
		for (int i = 0; i < 2; i++)
			if (ftrylockfile(std[i]) == 0) {
				fflush_unlocked(std[i]);
				funlockfile(std[i]);
			}
	}
	REAL(_exit)(asl_opts.error_exitcode);
}

void asl_exit_check(void)
{
	struct asl_thread *me = asl_me;
	struct asl_snapshot s;
	/* A vfork child shares our memory but is another process: hands off.
	 * Sandboxed: no system call of ours (asl_syscalls.h). */
	if (asl_pid == 0 || in_signal_handler(me) || !asl_syscalls_begin(me))
		return;
	if (getpid() != asl_pid || atomic_exchange(&exit_checked, 1)) {
		asl_syscalls_end(me);
		return;
	}
	asl_inside_enter();
	/* A report another thread is writing (the monitor's, say) is not cut
	 * off by the exit: wait for it, a bounded while. */
	for (int i = 0; i < 200 && asl_publish_in_flight() > 0; i++) {
		struct timespec ts = { 0, 10 * 1000000L };
		nanosleep(&ts, NULL);
	}
	pid_t self = asl_gettid();
	if (take_settled(&s, self) == 0) {
		flush_lock_order(&s);
		struct asl_finding *f = calloc((size_t)s.n + 1, sizeof *f);
		int nf = 0;
		for (int i = 0; f && asl_opts.leaks && i < s.n; i++)
			if (leaked(&s.t[i], self))
				describe(&f[nf++], &s.t[i]);
		if (f && (nf > 0 || asl_opts.dump_dir[0]))
			asl_publish("exit", f, nf, &s,
			            !nf                       ? NULL
			            : asl_opts.error_exitcode ? "the exit status is error_exitcode's"
			                                      : "the exit status is unchanged");
		free(f);
		asl_snapshot_free(&s);
	}
	asl_metrics_write(); /* the last word, for a file-based collector */
	if (asl_opts.verbosity >= 1)
		say_exiting();
	asl_inside_leave(0);
	asl_syscalls_end(me);
	if (asl_opts.error_exitcode && asl_published_gating() > 0)
		exit_with_error_code();
}

__attribute__((destructor)) static void asl_exit_destructor(void)
{
	asl_exit_check();
}
