/* SPDX-License-Identifier: MIT */
/* Two threads hand a token back and forth through a mutex and two condition
 * variables; one op is a full round trip (ping and pong). */
#include <pthread.h>
#include "bench.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t to_pong = PTHREAD_COND_INITIALIZER;
static pthread_cond_t to_ping = PTHREAD_COND_INITIALIZER;
static int ball;   /* 0: the pinger holds it, 1: the ponger */
static long rounds;
static pthread_barrier_t start;

static void *ponger(void *arg)
{
    (void)arg;
    pthread_barrier_wait(&start);
    pthread_mutex_lock(&m);
    for (long i = 0; i < rounds; i++) {
        while (ball != 1)
            pthread_cond_wait(&to_pong, &m);
        ball = 0;
        pthread_cond_signal(&to_ping);
    }
    pthread_mutex_unlock(&m);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t t;

    rounds = bench_iters(argc, argv, 20000);
    bench_check(pthread_barrier_init(&start, NULL, 2), "pthread_barrier_init");
    bench_check(pthread_create(&t, NULL, ponger, NULL), "pthread_create");
    pthread_barrier_wait(&start);
    long long t0 = bench_now_ns();
    pthread_mutex_lock(&m);
    for (long i = 0; i < rounds; i++) {
        ball = 1;
        pthread_cond_signal(&to_pong);
        while (ball != 0)
            pthread_cond_wait(&to_ping, &m);
    }
    pthread_mutex_unlock(&m);
    long long t1 = bench_now_ns();
    bench_check(pthread_join(t, NULL), "pthread_join");
    bench_report("cond-pingpong", t1 - t0, rounds);
    return 0;
}
