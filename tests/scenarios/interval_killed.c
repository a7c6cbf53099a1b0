/* SPDX-License-Identifier: MIT */
/* Periodic dumps survive SIGKILL: three "worker" threads wait on a condition
 * variable while main waits for six periodic dumps, then the process is
 * killed with SIGKILL (no exit path runs, the shim gets no last word).  Run
 * with interval_ms=100:interval_keep=3: the dump dir must hold the last few
 * periodic dumps, valid, at most 3.  Without the shim: exits 0. */
#include "dumpwatch.h"
#include <signal.h>

#define WORKERS 3

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int go;

static void *worker(void *arg)
{
    scen_name("worker");
    CHECK(pthread_mutex_lock(&m));
    while (!go)
        CHECK(pthread_cond_wait(&c, &m));
    CHECK(pthread_mutex_unlock(&m));
    return arg;
}

int main(void)
{
    struct dumpwatch w;
    pthread_t t[WORKERS];
    dumpwatch_open(&w);
    for (int i = 0; i < WORKERS; i++)
        CHECK(pthread_create(&t[i], NULL, worker, NULL));
    dumpwatch_wait(&w, DUMP_REASON("interval"), 6);
    if (w.fd >= 0)
        kill(getpid(), SIGKILL);
    CHECK(pthread_mutex_lock(&m));
    go = 1;
    CHECK(pthread_cond_broadcast(&c));
    CHECK(pthread_mutex_unlock(&m));
    for (int i = 0; i < WORKERS; i++)
        CHECK(pthread_join(t[i], NULL));
    return 0;
}
