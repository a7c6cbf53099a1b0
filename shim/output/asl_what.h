/* SPDX-License-Identifier: MIT */
/* What a futex wait is, in the program's own terms: libstdc++'s futures,
 * semaphores, latches, barriers, atomic waits and static initialization,
 * and GLib's mutexes and conditions all wait on bare futexes, through
 * syscall().  The wait's top frames say which. */
#ifndef ASL_WHAT_H
#define ASL_WHAT_H

#include "asl_modules.h"
#include "asl_thread.h"

/* From the function names of a wait's top frames (innermost first):
 * "future", "static init", "semaphore", "latch", "barrier", "atomic wait",
 * "GMutex", "GRecMutex", "GCond", "GAsyncQueue"; NULL when none says. */
const char *asl_what_from_names(const char *const *names, int n);

/* The same for a recorded futex wait (symbolizing its top frames); NULL for
 * other waits or when the frames say nothing. */
const char *asl_wait_what(const struct asl_modules *m, const struct asl_wait *w);

#endif
