/* SPDX-License-Identifier: MIT */
/* Waits glibc does out of the other hooks' sight: pthread_once (and C11's
 * call_once, which glibc runs on the same machinery, as does C++'s
 * std::call_once) waits inside glibc while another thread runs the routine,
 * and pthread_cond_destroy (glibc 2.25+) waits until the condition's waiters
 * have left.
 *
 * A once: the thread running the routine holds the control (a held entry of
 * kind once, so that a thread waiting for it has an owner and a cycle
 * through it is a deadlock); a thread that finds it in progress records a
 * wait of kind once.  The routine runs through a trampoline that pops the
 * held entry however it ends: return, cancellation, or a C++ exception
 * unwinding through it (this file is built with -fexceptions). */
#define _GNU_SOURCE
#include "hook.h"
#include "asl_glibc.h"
#include "asl_wait.h"
#include "hook_unwind.h"

#include <threads.h>

#define CALLER __builtin_return_address(0)

/* The cleanups below run when a routine's exception or a cancellation
 * unwinds through (C++ programs; see hook_unwind.h).  Where they cannot run,
 * the once control's state still tells that the once is over
 * (asl_abandon.c). */
HOOK_UNWIND_WEAK_REFS;

/* glibc's once states: 0 not run, odd in progress (with a fork generation),
 * 2 done. */
#define ONCE_DONE 2

/* The routine the trampoline runs, per thread (once routines may nest, each
 * on another control: callers save and restore). */
static __thread void (*once_routine)(void) __attribute__((tls_model("initial-exec")));
static __thread const void *once_control __attribute__((tls_model("initial-exec")));
static __thread void *once_site __attribute__((tls_model("initial-exec")));

static void once_done(const void **control)
{
	struct asl_thread *me = asl_me;
	if (me)
		asl_held_pop(me, *control);
}

static void once_trampoline(void)
{
	struct asl_thread *me = asl_me;
	void (*routine)(void) = once_routine;
	const void *control __attribute__((cleanup(once_done))) = once_control;
	if (me)
		asl_held_push(me, control, ASL_L_ONCE, once_site);
	routine();
}

/* What once_run restores however the call ends (an exception from the
 * routine unwinds through it). */
struct once_call {
	struct asl_thread *me;
	void (*saved_routine)(void);
	const void *saved_control;
	void *saved_site;
	int waiting;
};

static void once_call_end(struct once_call *c)
{
	if (c->waiting)
		asl_wait_end(c->me);
	once_routine = c->saved_routine;
	once_control = c->saved_control;
	once_site = c->saved_site;
}

/* One body for pthread_once and call_once (same layout and states). */
static int once_run(struct asl_thread *me, int *state, void (*routine)(void), int (*real)(void *, void (*)(void)),
                    void *site)
{
	int now = __atomic_load_n(state, __ATOMIC_ACQUIRE);
	if (now == ONCE_DONE)
		return real(state, routine);
	struct once_call c
	        __attribute__((cleanup(once_call_end))) = { me, once_routine, once_control, once_site, now & 1 };
	once_routine = routine;
	once_control = state;
	once_site = site;
	if (c.waiting) { /* in progress, by this thread or another */
		struct asl_wait_req w = { .kind = ASL_W_ONCE, .obj = state };
		asl_wait_begin(me, &w);
	}
	return real(state, once_trampoline);
}

static int real_pthread_once(void *state, void (*routine)(void))
{
	return REAL(pthread_once)(state, routine);
}

static int real_call_once(void *state, void (*routine)(void))
{
	REAL(call_once)(state, routine);
	return 0;
}

ASL_EXPORT int pthread_once(pthread_once_t *once, void (*routine)(void))
{
	ASL_HOOK_ME(me, pthread_once, once, routine);
	return once_run(me, once, routine, real_pthread_once, CALLER);
}

ASL_EXPORT void call_once(once_flag *flag, void (*routine)(void))
{
	struct asl_thread *me = asl_hook_self();
	if (!me) {
		REAL(call_once)(flag, routine);
		return;
	}
	once_run(me, &flag->__data, routine, real_call_once, CALLER);
}

/* Destroying a condition that threads still wait on waits for them to
 * leave: a wait that only those waiters can end (asl_owners.c). */
ASL_EXPORT int pthread_cond_destroy(pthread_cond_t *c)
{
	ASL_HOOK_ME(me, pthread_cond_destroy, c);
	if (asl_cond_waiters(c) == 0)
		return REAL(pthread_cond_destroy)(c);
	struct asl_wait_req w = { .kind = ASL_W_COND_DESTROY, .obj = c, .shared = asl_cond_shared(c) };
	asl_wait_begin(me, &w);
	int r = REAL(pthread_cond_destroy)(c);
	asl_wait_end(me);
	return r;
}
