/* SPDX-License-Identifier: MIT */
/* Fatal signals the program leaves at SIG_DFL (SEGV, BUS, FPE, ILL, ABRT,
 * TERM, INT, QUIT): the shim's handler writes a dump of every thread, then
 * lets the signal do what it would have done, so the exit status (and core)
 * is the same as without the shim.
 *
 * Slots: our handler sits only where the disposition is SIG_DFL.  The
 * program's own sigaction always wins (the slot is freed) and it is shown
 * SIG_DFL wherever our handler is, exactly what it would see without us.
 * Setting SIG_DFL again takes the slot back. */
#define _GNU_SOURCE
#include "asl_options.h"
#include "asl_postmortem.h"
#include "asl_real.h"
#include "asl_thread.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NSIG_MAX 65

static const int fatal_sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTERM, SIGINT, SIGQUIT };

static _Atomic int ours[NSIG_MAX]; /* our handler holds the slot */
static _Atomic int disarmed;
static _Atomic pid_t dumper; /* the thread writing the dump; 0: none yet */
static _Atomic int dump_done;

static int is_fatal(int sig)
{
	for (size_t i = 0; i < sizeof fatal_sigs / sizeof fatal_sigs[0]; i++)
		if (fatal_sigs[i] == sig)
			return 1;
	return 0;
}

void asl_fatal_disarm(void)
{
	atomic_store(&disarmed, 1);
}

void asl_fatal_release(void)
{
	atomic_store(&disarmed, 1);
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	for (int s = 1; s < NSIG_MAX; s++)
		if (atomic_exchange(&ours[s], 0))
			REAL(sigaction)(s, &dfl, NULL);
}

unsigned long long asl_fatal_caught_mask(void)
{
	unsigned long long m = 0;
	for (int s = 1; s < NSIG_MAX; s++)
		if (atomic_load(&ours[s]))
			m |= 1ull << (s - 1);
	return m;
}

/* A hardware fault re-executes the faulting instruction on return. */
static int refaults(int sig, const siginfo_t *si)
{
	return si && si->si_code > 0 && (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL);
}

static void die_as_without_us(int sig, const siginfo_t *si)
{
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	REAL(sigaction)(sig, &dfl, NULL);
	atomic_store(&ours[sig], 0);
	if (refaults(sig, si))
		return; /* the instruction faults again, now with SIG_DFL: same core, same status */
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	raise(sig);
}

static void fatal_handler(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;
	pid_t me = gettid(), none = 0;
	if (atomic_compare_exchange_strong(&dumper, &none, me)) {
		/* Our own hooks (write, close) pass straight through meanwhile. */
		int was = asl_inside_enter();
		if (!atomic_load(&disarmed) && asl_opts.fatal_dumps)
			asl_crashdump_write(sig, si, uc);
		asl_inside_leave(was);
		atomic_store(&dump_done, 1);
	} else if (none != me) {
		/* Another thread is dumping: let it finish (bounded), then die. */
		struct timespec ts = { 0, 10 * 1000000L };
		for (int i = 0; i < 300 && !atomic_load(&dump_done); i++)
			nanosleep(&ts, NULL);
	}
	/* none == me: we faulted inside our own dump; SA_RESETHAND already
	 * made the signal fatal, so just die. */
	die_as_without_us(sig, si);
	errno = saved;
}

static void our_action(struct sigaction *a)
{
	memset(a, 0, sizeof *a);
	a->sa_sigaction = fatal_handler;
	/* RESETHAND: a second one while we dump kills at once, as SIG_DFL would. */
	a->sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND | SA_RESTART;
	sigfillset(&a->sa_mask);
	/* Faults are never blocked (a blocked one kills anyway). */
	sigdelset(&a->sa_mask, SIGSEGV);
	sigdelset(&a->sa_mask, SIGBUS);
	sigdelset(&a->sa_mask, SIGFPE);
	sigdelset(&a->sa_mask, SIGILL);
}

void asl_fatal_before_sigaction(int sig, const struct sigaction *act, const struct sigaction **use,
                                struct sigaction *mine)
{
	if (!act || sig <= 0 || sig >= NSIG_MAX || !is_fatal(sig))
		return;
	if (act->sa_handler == SIG_DFL && !(act->sa_flags & SA_SIGINFO) && asl_opts.fatal_dumps &&
	    !atomic_load(&disarmed) && !atomic_load(&dump_done)) {
		our_action(mine);
		*use = mine;
		atomic_store(&ours[sig], 1);
	} else {
		atomic_store(&ours[sig], 0);
	}
}

void asl_fatal_fix_old(int sig, struct sigaction *old)
{
	if (!old || old->sa_sigaction != fatal_handler)
		return;
	(void)sig;
	memset(old, 0, sizeof *old);
	old->sa_handler = SIG_DFL;
	sigemptyset(&old->sa_mask);
}

/* The main thread's alternate stack, so a stack overflow can still be
 * reported.  Only when the program has none (it may set its own later:
 * then that one is used).  Other threads have none: a stack overflow there
 * dies as without the shim, with no dump. */
static void main_altstack(void)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	stack_t cur, ss;
	if (sigaltstack(NULL, &cur) != 0 || !(cur.ss_flags & SS_DISABLE))
		return;
	ss.ss_sp = stack;
	ss.ss_size = sizeof stack;
	ss.ss_flags = 0;
	sigaltstack(&ss, NULL);
}

void asl_fatal_init(void)
{
	asl_crash_modules_refresh();
	if (!asl_opts.fatal_dumps)
		return;
	main_altstack();
	for (size_t i = 0; i < sizeof fatal_sigs / sizeof fatal_sigs[0]; i++) {
		int sig = fatal_sigs[i];
		struct sigaction old, mine;
		if (REAL(sigaction)(sig, NULL, &old) != 0 || old.sa_handler != SIG_DFL || (old.sa_flags & SA_SIGINFO))
			continue; /* ignored (SIG_IGN is inherited), or someone's handler */
		our_action(&mine);
		atomic_store(&ours[sig], 1);
		if (REAL(sigaction)(sig, &mine, NULL) != 0)
			atomic_store(&ours[sig], 0);
	}
}
