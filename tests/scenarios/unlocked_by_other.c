/* SPDX-License-Identifier: MIT */
/* No verdict: a thread locks a mutex and exits; main, not the locker,
 * unlocks it (the hand-off pattern some programs use; glibc allows it for
 * default mutexes).  The exiting thread holds nothing by then as glibc sees
 * it, so there is no abandoned-lock.  Exits 0. */
#include "scen.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t handed, unlocked;

static void *locker(void *arg)
{
    scen_name("locker");
    CHECK(pthread_mutex_lock(&m));
    pthread_barrier_wait(&handed);
    pthread_barrier_wait(&unlocked); /* main unlocked it for us */
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK(pthread_barrier_init(&handed, NULL, 2));
    CHECK(pthread_barrier_init(&unlocked, NULL, 2));
    CHECK(pthread_create(&t, NULL, locker, NULL));
    pthread_barrier_wait(&handed);
    CHECK(pthread_mutex_unlock(&m));
    pthread_barrier_wait(&unlocked);
    CHECK(pthread_join(t, NULL));
    CHECK(pthread_mutex_lock(&m));
    CHECK(pthread_mutex_unlock(&m));
    return 0;
}
