/* SPDX-License-Identifier: MIT */
/* Four threads, each with its own three mutexes, take all three nested
 * (a, b, c) and release them in reverse: uncontended nesting, the cost of
 * lock-order tracking. One op is one a-b-c acquire/release sequence. */
#include <pthread.h>
#include "bench.h"

#ifndef NTHREADS
#define NTHREADS 4
#define BENCH_NAME "mutex-nested"
#endif

struct locks {
    pthread_mutex_t a, b, c;
} __attribute__((aligned(64)));

static struct locks own[NTHREADS];
static pthread_barrier_t start;
static long per_thread;

static void *worker(void *arg)
{
    struct locks *l = arg;

    pthread_barrier_wait(&start);
    for (long i = 0; i < per_thread; i++) {
        pthread_mutex_lock(&l->a);
        pthread_mutex_lock(&l->b);
        pthread_mutex_lock(&l->c);
        pthread_mutex_unlock(&l->c);
        pthread_mutex_unlock(&l->b);
        pthread_mutex_unlock(&l->a);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    long n = bench_iters(argc, argv, 20000000);
    pthread_t t[NTHREADS];

    per_thread = n / NTHREADS > 0 ? n / NTHREADS : 1;
    bench_check(pthread_barrier_init(&start, NULL, NTHREADS + 1), "pthread_barrier_init");
    for (int i = 0; i < NTHREADS; i++) {
        pthread_mutex_init(&own[i].a, NULL);
        pthread_mutex_init(&own[i].b, NULL);
        pthread_mutex_init(&own[i].c, NULL);
        bench_check(pthread_create(&t[i], NULL, worker, &own[i]), "pthread_create");
    }
    /* The clock starts before main reaches the barrier: no worker can start
     * before that, and a main thread descheduled after the barrier would
     * otherwise miss the workers' whole run. */
    long long t0 = bench_now_ns();
    pthread_barrier_wait(&start);
    for (int i = 0; i < NTHREADS; i++)
        bench_check(pthread_join(t[i], NULL), "pthread_join");
    long long t1 = bench_now_ns();
    bench_report(BENCH_NAME, t1 - t0, per_thread * NTHREADS);
    return 0;
}
