/* SPDX-License-Identifier: MIT */
/* Two threads hand a token back and forth through two semaphores; each
 * sem_wait blocks: the cost of a recorded semaphore wait.  One op is a full
 * round trip. */
#include <pthread.h>
#include <semaphore.h>
#include "bench.h"

static sem_t to_pong, to_ping;
static long rounds;

static void *ponger(void *arg)
{
    (void)arg;
    for (long i = 0; i < rounds; i++) {
        while (sem_wait(&to_pong) != 0)
            ;
        sem_post(&to_ping);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t t;

    rounds = bench_iters(argc, argv, 20000);
    bench_check(sem_init(&to_pong, 0, 0) ? errno : 0, "sem_init");
    bench_check(sem_init(&to_ping, 0, 0) ? errno : 0, "sem_init");
    bench_check(pthread_create(&t, NULL, ponger, NULL), "pthread_create");
    long long t0 = bench_now_ns();
    for (long i = 0; i < rounds; i++) {
        sem_post(&to_pong);
        while (sem_wait(&to_ping) != 0)
            ;
    }
    long long t1 = bench_now_ns();
    bench_check(pthread_join(t, NULL), "pthread_join");
    bench_report("sem-pingpong", t1 - t0, rounds);
    return 0;
}
