/* SPDX-License-Identifier: MIT */
/* Create a thread that does nothing and join it, over and over. */
#include <pthread.h>
#include "bench.h"

static void *noop(void *arg)
{
    return arg;
}

int main(int argc, char **argv)
{
    long n = bench_iters(argc, argv, 5000);
    pthread_t t;

    long long t0 = bench_now_ns();
    for (long i = 0; i < n; i++) {
        bench_check(pthread_create(&t, NULL, noop, NULL), "pthread_create");
        bench_check(pthread_join(t, NULL), "pthread_join");
    }
    long long t1 = bench_now_ns();
    bench_report("thread-create-join", t1 - t0, n);
    return 0;
}
