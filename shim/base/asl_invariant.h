/* SPDX-License-Identifier: MIT */
/* Invariants written next to the code that keeps them become checks in the
 * checked build (libasleep-checked.so, -DASL_CHECKED), which the allocator
 * runs of the scenario suite use; in the shipped shim they cost nothing. */
#ifndef ASL_INVARIANT_H
#define ASL_INVARIANT_H

#ifdef ASL_CHECKED
/* The checked build: a broken invariant aborts with one line naming it. */
__attribute__((noreturn)) void asl_check_failed(const char *what);
#define ASL_INVARIANT(cond, what)                 \
	do {                                      \
		if (__builtin_expect(!(cond), 0)) \
			asl_check_failed(what);   \
	} while (0)
#else
#define ASL_INVARIANT(cond, what) ((void)0)
#endif

#endif
