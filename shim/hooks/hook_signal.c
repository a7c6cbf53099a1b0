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

/* glibc's signal() (and bsd_signal, sysv_signal, sigset) install through an
 * internal sigaction our hook never sees: the program would get our dump
 * handler back as the old action of a signal left at SIG_DFL, and its
 * handler would run without the trampoline.  These give glibc's semantics
 * through the hook above. */
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

ASL_EXPORT __sighandler_t bsd_signal(int sig, __sighandler_t h)
{
	return signal(sig, h);
}

/* System V: reset to SIG_DFL once delivered, not blocked in its handler,
 * system calls not restarted. */
ASL_EXPORT __sighandler_t sysv_signal(int sig, __sighandler_t h)
{
	if (sig <= 0 || sig >= ASL_NSIG)
		return REAL(sysv_signal)(sig, h);
	if (h == SIG_ERR) {
		errno = EINVAL;
		return SIG_ERR;
	}
	struct sigaction act = { 0 }, old;
	act.sa_handler = h;
	act.sa_flags = SA_RESETHAND | SA_NODEFER | SA_INTERRUPT;
	sigemptyset(&act.sa_mask);
	if (sigaction(sig, &act, &old) != 0)
		return SIG_ERR;
	return old.sa_handler;
}

/* SIG_HOLD blocks the signal and leaves its action; any other disposition
 * is installed (no flags, empty mask) and unblocks it.  Either way the
 * answer is SIG_HOLD when it was blocked, else the action it had. */
ASL_EXPORT __sighandler_t sigset(int sig, __sighandler_t h)
{
	if (sig <= 0 || sig >= ASL_NSIG)
		return REAL(sigset)(sig, h);
	sigset_t one, before;
	struct sigaction act = { 0 }, old;
	sigemptyset(&one);
	sigaddset(&one, sig);
	if (h == SIG_HOLD) {
		if (sigprocmask(SIG_BLOCK, &one, &before) != 0)
			return SIG_ERR;
		if (sigismember(&before, sig))
			return SIG_HOLD;
		return sigaction(sig, NULL, &old) != 0 ? SIG_ERR : old.sa_handler;
	}
	act.sa_handler = h;
	sigemptyset(&act.sa_mask);
	if (sigaction(sig, &act, &old) != 0 || sigprocmask(SIG_UNBLOCK, &one, &before) != 0)
		return SIG_ERR;
	return sigismember(&before, sig) ? SIG_HOLD : old.sa_handler;
}
