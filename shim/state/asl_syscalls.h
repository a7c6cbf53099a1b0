/* SPDX-License-Identifier: MIT */
/* The shim's own system calls in the program's threads, and the wait for
 * them to end before a seccomp filter goes in (asl_sandbox.h).
 *
 * A filter with TSYNC covers every thread of the process at once: a thread
 * that found asl_sandboxed() false and is about to make a system call of
 * the shim's would be killed by it.  So each stretch of shim code that
 * makes system calls in a program thread is bracketed by begin and end,
 * which mark the thread's record (sys_depth), and the seccomp hook, once it
 * has set the flag, waits until no record is marked (asl_syscalls_drain).
 *
 * Invariants:
 *  - begin stores the mark, then loads the flag; the hook stores the flag,
 *    then loads the marks; all four sequentially consistent.  So either the
 *    thread sees the flag (begin answers 0: it makes no call) or the hook
 *    sees the mark (and waits for end).
 *  - A stretch never blocks: the program's own blocking call comes after
 *    end.  The hook's wait is bounded anyway (a thread cancelled inside a
 *    stretch keeps its mark until it exits).
 *  - Only the owning thread writes its mark.
 * A thread the shim has no record for is not covered (README, limits). */
#ifndef ASL_SYSCALLS_H
#define ASL_SYSCALLS_H

#include "asl_sandbox.h"
#include "asl_thread.h"

/* 1: the thread may make system calls of the shim's until asl_syscalls_end.
 * 0: the shim is stopped (sandboxed): none. */
static inline int asl_syscalls_begin(struct asl_thread *t)
{
	if (!t)
		return !asl_sandboxed();
	int d = atomic_load_explicit(&t->sys_depth, memory_order_relaxed);
	atomic_store_explicit(&t->sys_depth, d + 1, memory_order_seq_cst);
	if (__builtin_expect(atomic_load_explicit(&asl_sandbox_flag, memory_order_seq_cst), 0)) {
		atomic_store_explicit(&t->sys_depth, d, memory_order_release);
		return 0;
	}
	return 1;
}

/* After a begin that answered 1. */
static inline void asl_syscalls_end(struct asl_thread *t)
{
	if (t)
		atomic_store_explicit(&t->sys_depth, atomic_load_explicit(&t->sys_depth, memory_order_relaxed) - 1,
		                      memory_order_release);
}

/* The seccomp hook's, after asl_sandbox_enter: waits (at most `ns`) until
 * no other thread is inside a stretch. */
void asl_syscalls_drain(uint64_t ns);

#endif
