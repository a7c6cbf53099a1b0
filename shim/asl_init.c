/* Start-up: resolve the real functions, read ASLEEP_OPTIONS, register the
 * main thread, and keep the state right in a forked child. */
#define _GNU_SOURCE
#include "asl_fd.h"
#include "asl_finding.h"
#include "asl_lockorder.h"
#include "asl_monitor.h"
#include "asl_options.h"
#include "asl_postmortem.h"
#include "asl_real.h"
#include "asl_stack.h"
#include "asl_suppress.h"
#include "asl_thread.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct asl_options asl_opts;
uint64_t asl_start_ns;
pid_t asl_pid;

void asl_exit_reset_after_fork(void);

static void option_error(const char *msg, void *ctx)
{
	(void)ctx;
	size_t n = strlen(msg);
	ssize_t r = write(2, msg, n);
	r = write(2, "\n", 1);
	(void)r;
}

/* Only the forking thread exists in the child; nothing here allocates or
 * takes a lock. */
static void after_fork_child(void)
{
	asl_pid = getpid();
	asl_stack_fork_done();
	asl_lo_fork_done();
	asl_lo_reset_after_fork();
	asl_fd_expose_all(0); /* the parent holds every channel too */
	asl_thread_reset_after_fork();
	asl_monitor_reset_after_fork();
	asl_publish_reset_after_fork();
	asl_exit_reset_after_fork();
}

/* The shim's own locks are taken (graph before unwinder, the order the
 * lock-order check nests them) so that none is held by a vanished thread
 * in the child. */
static void before_fork(void)
{
	asl_lo_fork_prepare();
	asl_stack_fork_prepare();
}

/* The child holds every channel now: none of them is private any more. */
static void after_fork_parent(void)
{
	asl_stack_fork_done();
	asl_lo_fork_done();
	asl_fd_expose_all(0);
}

__attribute__((constructor)) static void asl_init(void)
{
	asl_real_resolve();
	asl_options_default(&asl_opts);
	asl_options_parse(getenv("ASLEEP_OPTIONS"), &asl_opts, option_error, NULL);
	asl_suppress_load(asl_opts.suppressions);
	if (!asl_real.pthread_create || !asl_real.pthread_mutex_lock || !asl_real._exit)
		return; /* hooks stay pass-through: asl_me is never set */
	asl_start_ns = asl_now_ns();
	asl_pid = getpid();
	asl_stack_init();
	if (asl_thread_key_init() != 0)
		return;
	pthread_atfork(before_fork, after_fork_parent, after_fork_child);
	asl_thread_register_main();
	asl_fatal_init();
	/* Periodic dumps and long-wait reports were asked for: they need the
	 * monitor even in a program that never makes a thread.  (Otherwise it
	 * starts with the first pthread_create, so as not to add a thread.) */
	if (asl_opts.interval_ms > 0 || asl_opts.long_wait_ms > 0)
		asl_monitor_ensure();
}
