/* SPDX-License-Identifier: MIT */
/* Every exit path leads to the exit check: return from main and exit() (its
 * destructor, asl_exit.c), and the calls that skip atexit handlers. */
#define _GNU_SOURCE
#include "asl_exit.h"
#include "asl_real.h"

ASL_EXPORT void _exit(int status)
{
	asl_exit_check();
	REAL(_exit)(status);
	__builtin_unreachable();
}

ASL_EXPORT void _Exit(int status)
{
	asl_exit_check();
	REAL(_Exit)(status);
	__builtin_unreachable();
}

ASL_EXPORT void quick_exit(int status)
{
	asl_exit_check();
	REAL(quick_exit)(status);
	__builtin_unreachable();
}
