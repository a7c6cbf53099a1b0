/* SPDX-License-Identifier: MIT */
/* A thread is cancelled in sem_wait while holding a mutex (no cleanup
 * handler): abandoned-lock. Nobody needs the mutex afterwards; main exits 0.
 * No all-asleep, no deadlock, no leak. */
#include "scen.h"
#include <semaphore.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static sem_t never;
static atomic_int ready, tid;

static void *victim(void *arg)
{
    scen_name("victim");
    CHECK(pthread_mutex_lock(&m));
    atomic_store(&tid, scen_gettid());
    atomic_store(&ready, 1);
    while (sem_wait(&never) == -1 && errno == EINTR)
        ;
    scen_die("victim got the semaphore");
    return arg;
}

int main(void)
{
    pthread_t t;
    void *ret;
    CHECK_ERRNO(sem_init(&never, 0, 0));
    CHECK(pthread_create(&t, NULL, victim, NULL));
    scen_wait_blocked(&ready, &tid);
    CHECK(pthread_cancel(t));
    CHECK(pthread_join(t, &ret));
    if (ret != PTHREAD_CANCELED)
        scen_die("victim not cancelled");
    return 0;
}
