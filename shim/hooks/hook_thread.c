/* SPDX-License-Identifier: MIT */
/* Thread lifetime: creation (registry + creation stack), exit, join. */
#define _GNU_SOURCE
#include "asl_syscalls.h"
#include "hook.h"
#include "asl_monitor.h"
#include "asl_real.h"
#include "asl_stack.h"
#include "asl_thread.h"
#include "asl_wait.h"

#include <errno.h>
#include <threads.h>

static void *start_thread(void *p)
{
	struct asl_thread *t = p;
	asl_thread_attach(t);
	asl_stack_thread_started(t->stack_size, t->guard_size);
	void *r = t->start(t->arg);
	atomic_store(&t->life, ASL_EXITING);
	return r;
}

static int start_c11_thread(void *p)
{
	struct asl_thread *t = p;
	asl_thread_attach(t);
	asl_stack_thread_started(t->stack_size, t->guard_size);
	int r = t->c11_start(t->arg);
	atomic_store(&t->life, ASL_EXITING);
	return r;
}

/* The record for a thread about to be created, or NULL to create it
 * untracked (registry full, or a call from inside the shim). */
static struct asl_thread *prepare(struct asl_thread *me, const pthread_attr_t *attr)
{
	asl_inside_enter();
	asl_monitor_ensure();
	struct asl_thread *t = asl_thread_alloc();
	if (t) {
		t->parent_tid = me->tid;
		t->create_depth = asl_stack_capture(t->create_stack, ASL_STACK_MAX);
		int ds;
		if (attr && pthread_attr_getdetachstate(attr, &ds) == 0)
			t->detached = ds == PTHREAD_CREATE_DETACHED;
		/* The stack it will run on, for the stack-shape check (asl_stack.h). */
		if (!attr || pthread_attr_getstacksize(attr, &t->stack_size) != 0 ||
		    pthread_attr_getguardsize(attr, &t->guard_size) != 0)
			asl_stack_default_sizes(&t->stack_size, &t->guard_size);
	}
	asl_inside_leave(0);
	return t;
}

/* prepare, unless the shim is stopped (asl_syscalls.h: it may start the
 * monitor, map a chunk of records, read the attributes). */
static struct asl_thread *prepare_unless_stopped(struct asl_thread *me, const pthread_attr_t *attr)
{
	if (!me || !asl_syscalls_begin(me))
		return NULL;
	struct asl_thread *t = prepare(me, attr);
	asl_syscalls_end(me);
	return t;
}

ASL_EXPORT int pthread_create(pthread_t *th, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	struct asl_thread *me = asl_hook_self(), *t;
	if (!(t = prepare_unless_stopped(me, attr)))
		return REAL(pthread_create)(th, attr, fn, arg);
	t->start = fn;
	t->arg = arg;
	int r = REAL(pthread_create)(th, attr, start_thread, t);
	if (r != 0)
		asl_thread_free_unstarted(t);
	return r;
}

ASL_EXPORT int thrd_create(thrd_t *th, thrd_start_t fn, void *arg)
{
	struct asl_thread *me = asl_hook_self(), *t;
	if (!(t = prepare_unless_stopped(me, NULL)))
		return REAL(thrd_create)(th, fn, arg);
	t->c11_start = fn;
	t->arg = arg;
	int r = REAL(thrd_create)(th, start_c11_thread, t);
	if (r != thrd_success)
		asl_thread_free_unstarted(t);
	return r;
}

static void mark_exiting(void)
{
	struct asl_thread *me = asl_me;
	if (!me)
		return;
	if (me->is_main) {
		/* The main thread's record has no exit destructor: it is gone now
		 * (the process lives on while other threads run). */
		asl_thread_exit_cleanup(me);
		return;
	}
	atomic_store(&me->life, ASL_EXITING);
}

ASL_EXPORT void pthread_exit(void *r)
{
	mark_exiting();
	REAL(pthread_exit)(r);
	__builtin_unreachable();
}

ASL_EXPORT void thrd_exit(int r)
{
	mark_exiting();
	REAL(thrd_exit)(r);
	__builtin_unreachable();
}

static void join_begin(struct asl_thread *me, pthread_t th, int timed)
{
	struct asl_wait_req w = { .kind = ASL_W_JOIN, .obj = (const void *)th, .timed = timed };
	asl_wait_begin(me, &w);
}

/* A join (or detach) that succeeded frees the thread's FINISHED record,
 * whoever made it: an untracked thread's joins count too. */
static int joined(pthread_t th, int r)
{
	if (r == 0)
		asl_thread_joined(th);
	return r;
}

/* The joins: recorded waits (timed or not), then the record freed. */
#define JOIN_HOOK(name, params, args, th, timed)            \
	ASL_EXPORT int name params                          \
	{                                                   \
		struct asl_thread *me = asl_hook_self();    \
		if (!me)                                    \
			return joined(th, REAL(name) args); \
		join_begin(me, th, timed);                  \
		int r = ASL_WAIT_CALL(me, REAL(name) args); \
		return joined(th, r);                       \
	}

JOIN_HOOK(pthread_join, (pthread_t th, void **ret), (th, ret), th, 0)
JOIN_HOOK(thrd_join, (thrd_t th, int *ret), (th, ret), (pthread_t)th, 0)
JOIN_HOOK(pthread_timedjoin_np, (pthread_t th, void **ret, const struct timespec *abstime), (th, ret, abstime), th,
          abstime != NULL)
JOIN_HOOK(pthread_clockjoin_np, (pthread_t th, void **ret, clockid_t clk, const struct timespec *abstime),
          (th, ret, clk, abstime), th, abstime != NULL)

ASL_EXPORT int pthread_tryjoin_np(pthread_t th, void **ret)
{
	return joined(th, REAL(pthread_tryjoin_np)(th, ret)); /* never waits */
}

ASL_EXPORT int pthread_detach(pthread_t th)
{
	struct asl_thread *t = asl_hook_self() ? asl_thread_by_pthread(th) : NULL;
	int r = REAL(pthread_detach)(th);
	if (r == 0 && t)
		t->detached = 1;
	return joined(th, r);
}

ASL_EXPORT int thrd_detach(thrd_t th)
{
	struct asl_thread *t = asl_hook_self() ? asl_thread_by_pthread((pthread_t)th) : NULL;
	int r = REAL(thrd_detach)(th);
	if (r == thrd_success && t)
		t->detached = 1;
	return joined((pthread_t)th, r == thrd_success ? 0 : r);
}
