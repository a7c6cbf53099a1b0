/* SPDX-License-Identifier: MIT */
/* One thread locks and unlocks one mutex: the cost of the fast path. */
#include <pthread.h>
#include "bench.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

int main(int argc, char **argv)
{
    long n = bench_iters(argc, argv, 30000000);

    for (long i = 0; i < n / 10; i++) {   /* warm-up */
        pthread_mutex_lock(&m);
        pthread_mutex_unlock(&m);
    }
    long long t0 = bench_now_ns();
    for (long i = 0; i < n; i++) {
        pthread_mutex_lock(&m);
        pthread_mutex_unlock(&m);
    }
    long long t1 = bench_now_ns();
    bench_report("mutex-uncontended", t1 - t0, n);
    return 0;
}
