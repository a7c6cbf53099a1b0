/* SPDX-License-Identifier: MIT */
/* 4 KiB pread-free reads of a regular file (lseek back each time): the cost
 * the read() hook adds to an fd it does not track. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include "bench.h"

int main(int argc, char **argv)
{
    long n = bench_iters(argc, argv, 500000);
    char path[] = "/tmp/asleep-bench-XXXXXX", buf[4096];
    int fd = mkstemp(path);
    if (fd < 0)
        bench_check(errno, "mkstemp");
    unlink(path);
    memset(buf, 'x', sizeof buf);
    if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
        bench_check(errno, "write");
    long long t0 = bench_now_ns();
    for (long i = 0; i < n; i++) {
        if (lseek(fd, 0, SEEK_SET) != 0 || read(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
            bench_check(errno ? errno : EIO, "read");
    }
    long long t1 = bench_now_ns();
    bench_report("read-file-4k", t1 - t0, n);
    return 0;
}
