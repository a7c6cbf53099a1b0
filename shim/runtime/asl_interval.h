/* SPDX-License-Identifier: MIT */
/* Periodic snapshots (interval_ms): a dump with reason "interval" every
 * interval, so that a process killed by SIGKILL leaves its last state
 * behind.  Only with dump_dir; silent (no stderr, even on failure); at most
 * interval_keep of them per process on disk, the oldest deleted first
 * (dumps with findings are never deleted).  Runs in the monitor. */
#ifndef ASL_INTERVAL_H
#define ASL_INTERVAL_H

#include <stdint.h>

void asl_interval_tick(uint64_t now_ns);
void asl_interval_reset_after_fork(void);

#endif
