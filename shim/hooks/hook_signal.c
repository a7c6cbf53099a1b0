/* SPDX-License-Identifier: MIT */
/* Signal handlers run through a trampoline that marks the thread as "in a
 * signal handler" for as long as the handler runs.  A thread interrupted in
 * a modelled wait may be doing anything in its handler (a blocking read, say):
 * it must not count as asleep meanwhile.  Async-signal-safe: thread-local
 * atomics and a table read, nothing else. */
#define _GNU_SOURCE
#include "asl_postmortem.h"
#include "asl_real.h"
#include "asl_thread.h"

#include <errno.h>
#include <signal.h>

#define ASL_NSIG 65

/* The program's own handler per signal, and whether it wants siginfo. */
static _Atomic(void *) user_handler[ASL_NSIG];
static _Atomic int user_siginfo[ASL_NSIG];

static void trampoline(int sig, siginfo_t *info, void *uc)
{
	struct asl_thread *t = asl_me;
	void *h = atomic_load(&user_handler[sig]);
	if (sig == SIGTERM)
		asl_shutdown_note_sigterm(); /* the monitor checks that shutdown completes */
	if (t) {
		if (!asl_in_signal(t))
			t->signal_sp = (uintptr_t)__builtin_frame_address(0);
		atomic_fetch_add(&t->in_signal, 1);
		atomic_fetch_add_explicit(&t->wait_seq, 2, memory_order_release);
	}
	if (atomic_load(&user_siginfo[sig]))
		((void (*)(int, siginfo_t *, void *))h)(sig, info, uc);
	else if (h)
		((void (*)(int))h)(sig);
	if (t) {
		atomic_fetch_add_explicit(&t->wait_seq, 2, memory_order_release);
		atomic_fetch_sub(&t->in_signal, 1);
	}
}

static int is_handler(const struct sigaction *a)
{
	return a->sa_handler != SIG_DFL && a->sa_handler != SIG_IGN;
}

ASL_EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	struct sigaction mine;
	const struct sigaction *use = act;
	if (sig <= 0 || sig >= ASL_NSIG || !asl_me) {
		asl_fatal_before_sigaction(sig, act, &use, &mine);
		int r = REAL(sigaction)(sig, use, old);
		if (r == 0)
			asl_fatal_fix_old(sig, old);
		return r;
	}
	void *prev_h = atomic_load(&user_handler[sig]);
	int prev_si = atomic_load(&user_siginfo[sig]);
	/* SIG_DFL on a fatal signal: our dump handler stands in for it. */
	asl_fatal_before_sigaction(sig, act, &use, &mine);
	if (act && is_handler(act)) {
		/* Publish the handler before the kernel can call the trampoline. */
		atomic_store(&user_siginfo[sig], (act->sa_flags & SA_SIGINFO) != 0);
		atomic_store(&user_handler[sig],
		             (act->sa_flags & SA_SIGINFO) ? (void *)act->sa_sigaction : (void *)act->sa_handler);
		mine = *act;
		mine.sa_sigaction = trampoline;
		mine.sa_flags |= SA_SIGINFO;
		use = &mine;
	}
	int r = REAL(sigaction)(sig, use, old);
	if (r != 0 && act && is_handler(act)) {
		atomic_store(&user_handler[sig], prev_h);
		atomic_store(&user_siginfo[sig], prev_si);
	}
	/* Show the program what it installed, never the trampoline nor our
	 * dump handler (that one stands for SIG_DFL). */
	if (r == 0)
		asl_fatal_fix_old(sig, old);
	if (r == 0 && old && old->sa_sigaction == trampoline) {
		if (prev_si) {
			old->sa_sigaction = (void (*)(int, siginfo_t *, void *))prev_h;
		} else {
			old->sa_handler = (__sighandler_t)prev_h;
			old->sa_flags &= ~SA_SIGINFO;
		}
	}
	return r;
}

/* glibc's signal() installs through an internal sigaction our hook never
 * sees; this gives the same BSD semantics through the hook above. */
ASL_EXPORT __sighandler_t signal(int sig, __sighandler_t h)
{
	if (sig <= 0 || sig >= ASL_NSIG)
		return REAL(signal)(sig, h);
	struct sigaction act = { 0 }, old;
	act.sa_handler = h;
	act.sa_flags = SA_RESTART;
	sigemptyset(&act.sa_mask);
	sigaddset(&act.sa_mask, sig);
	if (sigaction(sig, &act, &old) != 0)
		return SIG_ERR;
	return old.sa_handler;
}
