/* SPDX-License-Identifier: MIT */
/* Reports the potential deadlocks the lock-order graph found. */
#ifndef ASL_LOCKORDER_REPORT_H
#define ASL_LOCKORDER_REPORT_H

#include "asl_lockorder.h"
#include "asl_verdict.h"

/* Reports the cycles found so far, except those whose locks take part in
 * one of the nd deadlocks found in s (s NULL: none), and, unless `now`,
 * those found too recently for a real deadlock to show. */
void asl_lo_flush(const struct asl_snapshot *s, const struct asl_deadlock *d, int nd, int now);

#endif
