/* SPDX-License-Identifier: MIT */
/* One thread writes 4 KiB into a pipe and reads it back: never blocks, so
 * this is the cost of the hook's readiness check on a tracked channel. */
#include <unistd.h>
#include "bench.h"

int main(int argc, char **argv)
{
    long n = bench_iters(argc, argv, 200000);
    int p[2];
    char buf[4096];
    if (pipe(p) != 0)
        bench_check(errno, "pipe");
    memset(buf, 'x', sizeof buf);
    long long t0 = bench_now_ns();
    for (long i = 0; i < n; i++) {
        if (write(p[1], buf, sizeof buf) != (ssize_t)sizeof buf || read(p[0], buf, sizeof buf) != (ssize_t)sizeof buf)
            bench_check(errno ? errno : EIO, "pipe io");
    }
    long long t1 = bench_now_ns();
    bench_report("pipe-write-read-4k", t1 - t0, n);
    return 0;
}
