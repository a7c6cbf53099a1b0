/* SPDX-License-Identifier: MIT */
/* Verdict: AB/BA deadlock where t1 holds 48 mutexes (the most the shim
 * records per thread, as lockdep); the lock t2 waits for is the last one t1
 * took. */
#include "scen.h"

#define DEPTH 48

static pthread_mutex_t locks[DEPTH];
static pthread_mutex_t x = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t bar;

static void *t1(void *arg)
{
    scen_name("t1");
    for (int i = 0; i < DEPTH; i++)
        CHECK(pthread_mutex_lock(&locks[i]));
    pthread_barrier_wait(&bar);
    CHECK(pthread_mutex_lock(&x));
    scen_die("t1 got x");
    return arg;
}

static void *t2(void *arg)
{
    scen_name("t2");
    CHECK(pthread_mutex_lock(&x));
    pthread_barrier_wait(&bar);
    CHECK(pthread_mutex_lock(&locks[DEPTH - 1]));
    scen_die("t2 got the last lock");
    return arg;
}

int main(void)
{
    pthread_t p, q;
    for (int i = 0; i < DEPTH; i++)
        CHECK(pthread_mutex_init(&locks[i], NULL));
    CHECK(pthread_barrier_init(&bar, NULL, 2));
    CHECK(pthread_create(&p, NULL, t1, NULL));
    CHECK(pthread_create(&q, NULL, t2, NULL));
    CHECK(pthread_join(p, NULL));
    CHECK(pthread_join(q, NULL));
    scen_die("joined deadlocked threads");
}
