/* SPDX-License-Identifier: MIT */
/* mutex-nested with 2 threads: on a 2-core machine, one per core (the
 * 4-thread version then measures the scheduler as much as the locks). */
#define NTHREADS 2
#define BENCH_NAME "mutex-nested-2"
#include "mutex_nested.c"
