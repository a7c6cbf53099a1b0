/* SPDX-License-Identifier: MIT */
/* seccomp: the program puts itself under a filter, through prctl() or
 * seccomp() by syscall() (libseccomp does either).  Before the filter goes
 * in, the shim stops making system calls of its own (asl_sandbox.h): its
 * monitor ends and its fatal-signal handlers go.  A filter set up by an
 * inline system call is not seen (README, limits). */
#define _GNU_SOURCE
#include "hook.h"
#include "asl_diag.h"
#include "asl_monitor.h"
#include "asl_options.h"
#include "asl_postmortem.h"
#include "asl_proc.h"
#include "asl_sandbox.h"
#include "asl_sys.h"
#include "asl_syscalls.h"

#include <linux/seccomp.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

/* Idempotent, and for every thread: a later filter changes nothing. */
static void before_filter(void)
{
	if (!asl_sandbox_enter())
		return;
	/* First the threads inside a call of ours (a filter with TSYNC covers
	 * them), one of which may be starting the monitor; then the monitor. */
	asl_syscalls_drain(2000000000ull);
	asl_monitor_stop();
	asl_fatal_release();
	if (asl_opts.verbosity >= 1) { /* the last word, while a write is sure to pass */
		char line[160] = "asleep: pid ";
		asl_str_cat_int(line, sizeof line, asl_pid);
		asl_str_cat(line, sizeof line,
		            ": a seccomp filter goes in; the shim stops (no verdict from here on)\n");
		asl_write_diag(line, strlen(line));
	}
}

/* Called even when the real call then fails (no PR_SET_NO_NEW_PRIVS, say):
 * the shim stays stopped, which costs verdicts, never the program. */
void asl_seccomp_syscall(long n, long op)
{
	if (n == SYS_seccomp && (op == SECCOMP_SET_MODE_STRICT || op == SECCOMP_SET_MODE_FILTER))
		before_filter();
}

/* prctl takes up to four more arguments, register-sized. */
ASL_EXPORT int prctl(int option, ...)
{
	unsigned long a[4];
	va_list ap;
	va_start(ap, option);
	for (int i = 0; i < 4; i++)
		a[i] = va_arg(ap, unsigned long);
	va_end(ap);
	if (option == PR_SET_SECCOMP)
		before_filter();
	return REAL(prctl)(option, a[0], a[1], a[2], a[3]);
}
