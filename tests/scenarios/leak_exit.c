/* SPDX-License-Identifier: MIT */
/* Verdict: a thread is blocked forever in sem_wait when main calls exit(7).
 * Expect exit status 7 and a leaked-thread finding naming "stuck". */
#include "scen.h"
#include <semaphore.h>

static sem_t never;
static atomic_int ready, tid;

static void *leaker(void *arg)
{
    scen_name("stuck");
    atomic_store(&tid, scen_gettid());
    atomic_store(&ready, 1);
    while (sem_wait(&never) == -1 && errno == EINTR)
        ;
    scen_die("stuck thread got the semaphore");
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK_ERRNO(sem_init(&never, 0, 0));
    CHECK(pthread_create(&t, NULL, leaker, NULL));
    scen_wait_blocked(&ready, &tid);
    exit(7);
}
