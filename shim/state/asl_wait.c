/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "asl_syscalls.h"
#include "asl_wait.h"

#include "asl_stack.h"
#include "asl_sys.h"

#include <errno.h>

void (*asl_wait_attempt_fn)(struct asl_thread *t, const struct asl_wait_req *w);

void asl_wait_begin(struct asl_thread *t, const struct asl_wait_req *w)
{
	int saved = errno;
	ASL_INVARIANT(!asl_is_blocked(atomic_load_explicit(&t->wait_seq, memory_order_relaxed)),
	              "a wait began inside another (wait_seq odd)");
	asl_inside_enter();
	t->wait.kind = w->kind;
	t->wait.obj = (uintptr_t)w->obj;
	t->wait.aux = (uintptr_t)w->aux;
	t->wait.timed = w->timed;
	t->wait.shared = w->shared;
	t->wait.by_mapping = w->by_mapping;
	t->wait.owner_hint = w->owner_hint;
	t->wait.peer = w->peer;
	t->wait.nfds = w->nfds;
	for (int i = 0; i < w->nfds && i < ASL_WAIT_FDS; i++)
		t->wait.fds[i] = w->fds[i];
	/* Sandboxed: no clock (it may be a system call) and no stack; the
	 * record only keeps wait_seq's parity for asl_wait_end. */
	int quiet = !asl_syscalls_begin(t);
	t->wait.since_ns = quiet ? 0 : asl_now_ns();
	t->wait.depth = quiet ? 0 : asl_stack_capture(t->wait.stack, ASL_STACK_MAX);
	atomic_fetch_add_explicit(&t->wait_seq, 1, memory_order_release); /* odd: blocked */
	if (!w->timed && asl_wait_attempt_fn && !quiet)
		asl_wait_attempt_fn(t, w); /* the runtime's check at the attempt */
	if (!quiet)
		asl_syscalls_end(t);
	asl_inside_leave(0);
	errno = saved;
}

void asl_wait_end(struct asl_thread *t)
{
	ASL_INVARIANT(asl_is_blocked(atomic_load_explicit(&t->wait_seq, memory_order_relaxed)),
	              "a wait ended that had not begun (wait_seq even)");
	atomic_fetch_add_explicit(&t->wait_seq, 1, memory_order_release); /* even: running */
	/* The record is rewritten freely from here on (the next wait, held
	 * locks): those stores must not become visible before the even
	 * sequence number, or a reader could take half of the next wait for
	 * this one.  x86 keeps stores in order anyway; AArch64 needs the
	 * barrier (a release fence: dmb ish). */
	atomic_thread_fence(memory_order_release);
}

void asl_wait_cancelled(void *thread)
{
	asl_wait_end(thread);
}
