/* SPDX-License-Identifier: MIT */
/* Verdict: a thread waits on a semaphore nobody posts; main joins it. */
#include "scen.h"
#include <semaphore.h>

static sem_t s;

static void *waiter(void *arg)
{
    scen_name("waiter");
    while (sem_wait(&s) == -1) {
        if (errno != EINTR)
            scen_die("sem_wait: %s", strerror(errno));
    }
    scen_die("waiter got the semaphore");
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK_ERRNO(sem_init(&s, 0, 0));
    CHECK(pthread_create(&t, NULL, waiter, NULL));
    CHECK(pthread_join(t, NULL));
    scen_die("joined waiter");
}
