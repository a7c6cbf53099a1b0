/* SPDX-License-Identifier: MIT */
/* thread-growth: more live threads than max_threads.  Reported when the
 * count first passes max_threads, and again each time it passes twice the
 * last threshold (2x, 4x, ...), so a runaway is named without a report per
 * thread.  The finding names the largest group of threads by site
 * (asl_sites.h).  Runs in the monitor. */
#ifndef ASL_GROWTH_H
#define ASL_GROWTH_H

void asl_growth_check(void);
void asl_growth_reset_after_fork(void);

#endif
