/* SPDX-License-Identifier: MIT */
/* Verdict: main returns; its atexit handler locks a mutex held by a thread
 * that waits forever on a semaphore. The process hangs inside exit(). */
#include "scen.h"
#include <semaphore.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t bar;
static sem_t never;

static void *holder(void *arg)
{
    scen_name("holder");
    CHECK(pthread_mutex_lock(&m));
    pthread_barrier_wait(&bar);
    while (sem_wait(&never) == -1 && errno == EINTR)
        ;
    scen_die("holder got the semaphore");
    return arg;
}

static void at_exit_handler(void)
{
    CHECK(pthread_mutex_lock(&m));
    scen_die("atexit handler got the mutex");
}

int main(void)
{
    pthread_t t;
    CHECK_ERRNO(sem_init(&never, 0, 0));
    CHECK(pthread_barrier_init(&bar, NULL, 2));
    if (atexit(at_exit_handler) != 0)
        scen_die("atexit");
    CHECK(pthread_create(&t, NULL, holder, NULL));
    pthread_barrier_wait(&bar);
    return 0;
}
