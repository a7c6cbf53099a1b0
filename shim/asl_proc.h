/* The kernel's view of this process's threads, from /proc. */
#ifndef ASL_PROC_H
#define ASL_PROC_H

#include "asl_verdict.h"

#include <stddef.h>

/* Allocates k->t; returns -1 when /proc cannot be read. */
int asl_proc_tasks(struct asl_tasks *k);
void asl_proc_tasks_free(struct asl_tasks *k);

/* Number of threads in the process, or -1.  No allocation. */
int asl_proc_thread_count(void);

/* The thread's name (comm), or "?". */
void asl_proc_thread_name(pid_t tid, char *buf, size_t len);

#endif
