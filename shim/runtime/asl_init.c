/* SPDX-License-Identifier: MIT */
/* Start-up: resolve the real functions, read ASLEEP_OPTIONS, register the
 * main thread, and keep the state right in a forked child. */
#define _GNU_SOURCE
#include "asl_sandbox.h"
#include "asl_abandon.h"
#include "asl_attempt.h"
#include "asl_diag.h"
#include "asl_exit.h"
#include "asl_proc.h"
#include "asl_fd.h"
#include "asl_forklock.h"
#include "asl_finding.h"
#include "asl_lockorder.h"
#include "asl_modules.h"
#include "asl_monitor.h"
#include "asl_options.h"
#include "asl_postmortem.h"
#include "asl_real.h"
#include "asl_stack.h"
#include "asl_suppress.h"
#include "asl_symtab.h"
#include "asl_sys.h"
#include "asl_thread.h"

#include <stdlib.h>
#include <sys/auxv.h>
#include <string.h>
#include <unistd.h>

struct asl_options asl_opts; /* the constructor; read-only after */

/* Option errors are kept until we know where to say them (log_path). */
static char early_msgs[2048]; /* the constructor's */

static void option_error(const char *msg, void *ctx)
{
	(void)ctx;
	asl_str_cat(early_msgs, sizeof early_msgs, msg);
	asl_str_cat(early_msgs, sizeof early_msgs, "\n");
}

static void help_line(const char *line, void *ctx)
{
	(void)ctx;
	asl_write_diag(line, strlen(line));
	asl_write_diag("\n", 1);
}

static void read_options(void)
{
	asl_options_default(&asl_opts);
	asl_opts.secure = getauxval(AT_SECURE) != 0;
	asl_options_parse(getenv("ASLEEP_OPTIONS"), &asl_opts, option_error, NULL);
	asl_diag_init(asl_opts.log_path);
	if (early_msgs[0])
		asl_write_diag(early_msgs, strlen(early_msgs));
	if (asl_opts.help) {
		asl_options_help(&asl_opts, help_line, NULL);
		asl_suppress_help(help_line, NULL);
	}
	asl_suppress_load(asl_opts.suppressions, asl_opts.default_suppressions);
}

/* The shim's own locks, each a leaf (asl_forklock.h), are taken so that
 * none is held by a vanished thread in the child. */
_Atomic int asl_forks_pending;

static void before_fork(void)
{
	atomic_fetch_add(&asl_forks_pending, 1); /* hooks now skip rather than wait */
	asl_lo_fork_prepare();
	asl_modules_fork_prepare();
	asl_symtab_fork_prepare();
	asl_crash_fork_prepare();
	asl_publish_fork_prepare();
}

static void release_fork_locks(void)
{
	asl_publish_fork_done();
	asl_crash_fork_done();
	asl_symtab_fork_done();
	asl_modules_fork_done();
	asl_lo_fork_done();
}

/* Only the forking thread exists in the child; nothing here allocates or
 * takes a lock. */
static void after_fork_child(void)
{
	if (!asl_sandboxed()) /* else no system call of ours (asl_sandbox.h) */
		asl_pid = getpid();
	release_fork_locks();
	atomic_store(&asl_forks_pending, 0); /* the other forkers are not here */
	asl_lo_reset_after_fork();
	asl_fd_expose_all(0); /* the parent holds every channel too */
	asl_thread_reset_after_fork();
	asl_monitor_reset_after_fork();
	asl_publish_reset_after_fork();
	asl_exit_reset_after_fork();
}

/* The child holds every channel now: none of them is private any more. */
static void after_fork_parent(void)
{
	release_fork_locks();
	atomic_fetch_sub(&asl_forks_pending, 1);
	asl_fd_expose_all(0);
}

/* verbosity=1: a line that says the shim is loaded and how it is set up. */
static void say_started(int monitor_now)
{
	char opts[1024], exe[256], line[1600];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	asl_options_in_effect(&asl_opts, opts, sizeof opts);
	int len =
	        snprintf(line, sizeof line, "asleep: libasleep %s loaded in pid %d (%s); options: %s; monitor: %s\n",
	                 ASL_VERSION, (int)getpid(), exe, opts, monitor_now ? "on" : "on at the first pthread_create");
	asl_write_diag(line, (size_t)(len < (int)sizeof line ? len : (int)sizeof line - 1));
}

__attribute__((constructor)) static void asl_init(void)
{
	asl_real_resolve();
	read_options();
	if (!asl_real.pthread_create || !asl_real.pthread_mutex_lock || !asl_real.pthread_mutex_unlock ||
	    !asl_real._exit)
		return; /* hooks stay pass-through: asl_me is never set (REAL_RESOLVED relies on it) */
	asl_start_ns = asl_now_ns();
	asl_pid = getpid();
	asl_stack_init();
	/* The lower layers call up only through these. */
	asl_wait_attempt_fn = asl_attempt_check;
	asl_thread_exit_holding_fn = asl_abandon_report;
	if (asl_thread_key_init() != 0)
		return;
	pthread_atfork(before_fork, after_fork_parent, after_fork_child);
	asl_thread_register_main();
	asl_fatal_init();
	/* Periodic dumps and long-wait reports were asked for: they need the
	 * monitor even in a program that never makes a thread.  (Otherwise it
	 * starts with the first pthread_create, so as not to add a thread.) */
	int monitor_now = asl_opts.interval_ms > 0 || asl_opts.long_wait_ms > 0 || asl_opts.metrics_file[0];
	if (monitor_now)
		asl_monitor_ensure();
	if (asl_opts.verbosity >= 1)
		say_started(monitor_now);
}
