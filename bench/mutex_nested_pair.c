/* SPDX-License-Identifier: MIT */
/* The nested-locking cost per lock+unlock pair, without the scheduler's
 * noise: one worker takes three mutexes nested and releases them, while
 * main waits in join (so glibc runs its multi-threaded lock path, as in
 * mutex-nested, but nothing competes for the cores).  One op is one
 * lock+unlock pair. */
#include <pthread.h>
#include "bench.h"

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER,
		       c = PTHREAD_MUTEX_INITIALIZER;
static long iters;
static long long elapsed;

static void *worker(void *arg)
{
    long long t0 = bench_now_ns();
    for (long i = 0; i < iters; i++) {
        pthread_mutex_lock(&a);
        pthread_mutex_lock(&b);
        pthread_mutex_lock(&c);
        pthread_mutex_unlock(&c);
        pthread_mutex_unlock(&b);
        pthread_mutex_unlock(&a);
    }
    elapsed = bench_now_ns() - t0;
    return arg;
}

int main(int argc, char **argv)
{
    pthread_t t;
    iters = bench_iters(argc, argv, 30000000);
    bench_check(pthread_create(&t, NULL, worker, NULL), "pthread_create");
    bench_check(pthread_join(t, NULL), "pthread_join");
    bench_report("mutex-nested-pair", elapsed, iters * 3);
    return 0;
}
