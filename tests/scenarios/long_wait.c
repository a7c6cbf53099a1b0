/* SPDX-License-Identifier: MIT */
/* long-wait while the program runs on: "waiter" blocks on a mutex main
 * holds, and main, still running, waits until the shim has reported it and
 * then written three periodic dumps (the same wait seen again, not reported
 * again); then the waiter blocks on a condition variable nobody signals
 * until that second wait is reported too.  Exits 0.  Run with
 * long_wait_ms=300:interval_ms=100.  Without the shim it just runs through. */
#include "dumpwatch.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t cm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int go;

static void *waiter(void *arg)
{
    scen_name("waiter");
    CHECK(pthread_mutex_lock(&m));   /* 1: held by main */
    CHECK(pthread_mutex_unlock(&m));
    CHECK(pthread_mutex_lock(&cm));
    while (!go)
        CHECK(pthread_cond_wait(&c, &cm)); /* 2: until main signals */
    CHECK(pthread_mutex_unlock(&cm));
    return arg;
}

int main(void)
{
    struct dumpwatch w;
    pthread_t t;
    dumpwatch_open(&w);
    CHECK(pthread_mutex_lock(&m));
    CHECK(pthread_create(&t, NULL, waiter, NULL));
    dumpwatch_wait(&w, DUMP_REASON("long-wait"), 1);
    dumpwatch_wait(&w, DUMP_REASON("interval"), 3);
    CHECK(pthread_mutex_unlock(&m));
    dumpwatch_wait(&w, DUMP_REASON("long-wait"), 1);
    CHECK(pthread_mutex_lock(&cm));
    go = 1;
    CHECK(pthread_cond_signal(&c));
    CHECK(pthread_mutex_unlock(&cm));
    CHECK(pthread_join(t, NULL));
    return 0;
}
