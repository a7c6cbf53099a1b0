/* SPDX-License-Identifier: MIT */
/* Verdict: THREADS threads (5,000 or 10,000: -DTHREADS=N) wait on a
 * condition variable nobody signals; main joins the first.  All asleep,
 * beyond any fixed-size registry. */
#include "scen.h"

#ifndef THREADS
#define THREADS 5000
#endif

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;

static void *waiter(void *arg)
{
    CHECK(pthread_mutex_lock(&m));
    for (;;)
        CHECK(pthread_cond_wait(&c, &m));
    return arg;
}

int main(void)
{
    static pthread_t t[THREADS];
    pthread_attr_t a;
    CHECK(pthread_attr_init(&a));
    CHECK(pthread_attr_setstacksize(&a, 64 * 1024));
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], &a, waiter, NULL));
    CHECK(pthread_join(t[0], NULL));
    scen_die("joined a waiter");
}
