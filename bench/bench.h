/* SPDX-License-Identifier: MIT */
/* Shared helpers for the asleep benchmarks: iteration count, clock, result line.
 * Each benchmark prints one line "<ns per op> ns/op <name> <ops>" on stdout. */
#ifndef ASLEEP_BENCH_H
#define ASLEEP_BENCH_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline long bench_iters(int argc, char **argv, long dflt)
{
    if (argc < 2)
        return dflt;
    char *end;
    errno = 0;
    long n = strtol(argv[1], &end, 10);
    if (errno || *end || n <= 0) {
        fprintf(stderr, "usage: %s [ITERATIONS]\n", argv[0]);
        exit(2);
    }
    return n;
}

static inline long long bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline void bench_check(int err, const char *what)
{
    if (err) {
        fprintf(stderr, "%s: %s\n", what, strerror(err));
        exit(1);
    }
}

/* The process's peak resident set (VmHWM), in kB; -1 when unknown. */
static inline long bench_peak_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmHWM:", 6))
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return kb;
}

static inline void bench_report(const char *name, long long ns, long ops)
{
    printf("%.2f ns/op %s %ld\n", (double)ns / (double)ops, name, ops);
}

#endif
