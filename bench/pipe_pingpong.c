/* SPDX-License-Identifier: MIT */
/* Two threads hand a byte back and forth through two pipes; each read finds
 * its pipe empty and blocks: the cost of a recorded channel wait.  One op
 * is a full round trip. */
#include <pthread.h>
#include <unistd.h>
#include "bench.h"

static int to_pong[2], to_ping[2];
static long rounds;

static void pass(int from, int to)
{
    char c;
    if (read(from, &c, 1) != 1 || write(to, &c, 1) != 1)
        bench_check(errno ? errno : EIO, "pipe io");
}

static void *ponger(void *arg)
{
    (void)arg;
    for (long i = 0; i < rounds; i++)
        pass(to_pong[0], to_ping[1]);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t t;
    char c = 'x';

    rounds = bench_iters(argc, argv, 20000);
    if (pipe(to_pong) != 0 || pipe(to_ping) != 0)
        bench_check(errno, "pipe");
    bench_check(pthread_create(&t, NULL, ponger, NULL), "pthread_create");
    long long t0 = bench_now_ns();
    for (long i = 0; i < rounds; i++) {
        if (write(to_pong[1], &c, 1) != 1 || read(to_ping[0], &c, 1) != 1)
            bench_check(errno ? errno : EIO, "pipe io");
    }
    long long t1 = bench_now_ns();
    bench_check(pthread_join(t, NULL), "pthread_join");
    bench_report("pipe-pingpong", t1 - t0, rounds);
    return 0;
}
