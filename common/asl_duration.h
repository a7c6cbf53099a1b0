/* SPDX-License-Identifier: MIT */
/* Human-readable durations, one way for the shim and the analyzer alike:
 * 590ms, 2.1s, 3m05s, 4h05m, 2d03h. */
#ifndef ASL_DURATION_H
#define ASL_DURATION_H

#include <stddef.h>

/* Enough for any long long. */
#define ASL_DURATION_MAX 32

/* Formats ms into buf, truncating (never rounding up, so a wait shown
 * as "59.9s" is really under a minute).  Negative values print as "-". */
const char *asl_duration_format(long long ms, char *buf, size_t len);

#endif
