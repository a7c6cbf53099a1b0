/* SPDX-License-Identifier: MIT */
/* metrics_file: Prometheus text-format metrics of the program's threads
 * (asl_metrics.c). */
#ifndef ASL_METRICS_H
#define ASL_METRICS_H

#include <stdint.h>

/* The monitor's: rewrites the file when metrics_interval_ms has passed. */
void asl_metrics_tick(uint64_t now_ns);
/* Now (the exit check's last word). */
void asl_metrics_write(void);
void asl_metrics_reset_after_fork(void);

#endif
