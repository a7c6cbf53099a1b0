/* SPDX-License-Identifier: MIT */
/* Who must act for a wait to end: pure over a snapshot. */
#ifndef ASL_OWNERS_H
#define ASL_OWNERS_H

#include "asl_snapshot.h"

int asl_snap_find_tid(const struct asl_snapshot *s, pid_t tid);

/* Indices of the threads that must act for thread i's wait to end (lock
 * holders, the join target); i itself when it waits on itself.  Returns the
 * count (at most max).  *unknown_owner is set when a lock's holder is not a
 * live thread (exited, lost at fork, or never seen). */
int asl_snap_owners(const struct asl_snapshot *s, int i, int *out, int max, pid_t *unknown_owner);

#endif
