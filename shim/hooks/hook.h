/* SPDX-License-Identifier: MIT */
/* What every interposer shares.  ASL_HOOK_ME opens a hook: it takes the
 * calling thread's record, or makes the real call at once when the hook
 * must pass straight through: the shim is not set up yet, the thread is
 * inside the shim already (its own locks and calls), or the thread is not
 * one the shim tracks (its monitor, a thread made before the constructor
 * or while the registry was full).  The checked build also asserts there
 * that the thread holds no shim lock (asl_hook_self). */
#ifndef ASL_HOOK_H
#define ASL_HOOK_H

#include "asl_real.h"
#include "asl_thread.h"

/* For argument lists kept in parentheses by other macros: (a, b) -> a, b. */
#define ASL_UNPAREN(...) __VA_ARGS__

#define ASL_HOOK_ME(me, name, ...)               \
	struct asl_thread *me = asl_hook_self(); \
	if (!me)                                 \
	return REAL(name)(__VA_ARGS__)

/* syscall(SYS_seccomp, op, ...) is about to run (hook_seccomp.c). */
void asl_seccomp_syscall(long n, long op);

#endif
