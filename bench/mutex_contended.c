/* SPDX-License-Identifier: MIT */
/* Four threads share one mutex around a short critical section. */
#include <pthread.h>
#include "bench.h"

#define NTHREADS 4

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t start;
static long per_thread, counter;

static void *worker(void *arg)
{
    (void)arg;
    pthread_barrier_wait(&start);
    for (long i = 0; i < per_thread; i++) {
        pthread_mutex_lock(&m);
        counter++;
        pthread_mutex_unlock(&m);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    long n = bench_iters(argc, argv, 10000000);
    pthread_t t[NTHREADS];

    per_thread = n / NTHREADS > 0 ? n / NTHREADS : 1;
    bench_check(pthread_barrier_init(&start, NULL, NTHREADS + 1), "pthread_barrier_init");
    for (int i = 0; i < NTHREADS; i++)
        bench_check(pthread_create(&t[i], NULL, worker, NULL), "pthread_create");
    /* The clock starts before main reaches the barrier: no worker can start
     * before that, and a main thread descheduled after the barrier would
     * otherwise miss the workers' whole run. */
    long long t0 = bench_now_ns();
    pthread_barrier_wait(&start);
    for (int i = 0; i < NTHREADS; i++)
        bench_check(pthread_join(t[i], NULL), "pthread_join");
    long long t1 = bench_now_ns();
    if (counter != per_thread * NTHREADS) {
        fprintf(stderr, "counter %ld, want %ld\n", counter, per_thread * NTHREADS);
        return 1;
    }
    bench_report("mutex-contended", t1 - t0, per_thread * NTHREADS);
    return 0;
}
