/* SPDX-License-Identifier: MIT */
/* Human-readable durations: 590ms, 2.1s, 3m05s, 4h05m, 2d03h. */
#ifndef ASLEEP_DURATION_H
#define ASLEEP_DURATION_H

#include <stddef.h>

/* Enough for any long long. */
#define DURATION_MAX 32

/* Formats ms into buf, truncating (never rounding up, so a wait shown
 * as "59.9s" is really under a minute).  Negative values print as "-". */
const char *duration_format(long long ms, char *buf, size_t len);

#endif
