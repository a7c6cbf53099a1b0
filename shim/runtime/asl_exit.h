/* SPDX-License-Identifier: MIT */
/* The exit-time check (asl_exit.c). */
#ifndef ASL_EXIT_H
#define ASL_EXIT_H

/* Reports the threads still alive (leaked-thread) and writes the exit dump;
 * once per process, from every exit path. */
void asl_exit_check(void);

/* The exit check has begun: the process is going away (the monitor stands
 * down, periodic dumps stop). */
int asl_exit_started(void);

void asl_exit_reset_after_fork(void);

#endif
