/* SPDX-License-Identifier: MIT */
/* Thread growth: main makes 12 "worker" threads at one site and 2 "other"
 * threads at another, each blocked on a condition variable, waits until all
 * 14 wait and the shim has written two periodic dumps since (noting the
 * second one's seq), then releases
 * and joins them all.  Exits 0.  Run with interval_ms=100 and max_threads
 * below 15 (a thread-growth finding) or above it (none).  Without the shim
 * it just runs through. */
#include "dumpwatch.h"

#define WORKERS 12
#define OTHERS 2

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go_cond = PTHREAD_COND_INITIALIZER, ready_cond = PTHREAD_COND_INITIALIZER;
static int go, ready;

static void wait_for_go(void)
{
    CHECK(pthread_mutex_lock(&m));
    ready++;
    CHECK(pthread_cond_signal(&ready_cond));
    while (!go)
        CHECK(pthread_cond_wait(&go_cond, &m));
    CHECK(pthread_mutex_unlock(&m));
}

static void *worker(void *arg)
{
    scen_name("worker");
    wait_for_go();
    return arg;
}

static void *other(void *arg)
{
    scen_name("other");
    CHECK(pthread_mutex_lock(&m));
    ready++;
    CHECK(pthread_cond_signal(&ready_cond));
    while (!go)
        CHECK(pthread_cond_wait(&go_cond, &m)); /* a wait site of its own */
    CHECK(pthread_mutex_unlock(&m));
    return arg;
}

/* One creation site per kind of thread: a loop the compiler cannot unroll
 * into several call sites. */
static volatile int nworkers = WORKERS, nothers = OTHERS;

__attribute__((noinline)) static void spawn(pthread_t *t, int n, void *(*fn)(void *))
{
    for (int i = 0; i < n; i++)
        CHECK(pthread_create(&t[i], NULL, fn, NULL));
}

int main(void)
{
    struct dumpwatch w;
    pthread_t t[WORKERS + OTHERS];
    spawn(t, nworkers, worker);
    spawn(t + WORKERS, nothers, other);
    CHECK(pthread_mutex_lock(&m));
    while (ready < WORKERS + OTHERS)
        CHECK(pthread_cond_wait(&ready_cond, &m));
    CHECK(pthread_mutex_unlock(&m));
    /* watching from now on, the second periodic dump seen was begun after
     * every thread was waiting: the harness checks that one */
    dumpwatch_open(&w);
    dumpwatch_wait(&w, DUMP_REASON("interval"), 2);
    if (w.fd >= 0)
        scen_note("all_waiting_seq", w.last_seq);
    CHECK(pthread_mutex_lock(&m));
    go = 1;
    CHECK(pthread_cond_broadcast(&go_cond));
    CHECK(pthread_mutex_unlock(&m));
    for (int i = 0; i < WORKERS + OTHERS; i++)
        CHECK(pthread_join(t[i], NULL));
    return 0;
}
