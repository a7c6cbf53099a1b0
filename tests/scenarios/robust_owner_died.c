/* SPDX-License-Identifier: MIT */
/* A thread exits holding a robust mutex; main's lock then returns EOWNERDEAD,
 * main makes the mutex consistent and goes on: status 0, never all-asleep. */
#include "scen.h"

static pthread_mutex_t m;

static void *quitter(void *arg)
{
    scen_name("quitter");
    CHECK(pthread_mutex_lock(&m));
    return arg;   /* exits holding m */
}

int main(void)
{
    pthread_mutexattr_t at;
    pthread_t t;
    CHECK(pthread_mutexattr_init(&at));
    CHECK(pthread_mutexattr_setrobust(&at, PTHREAD_MUTEX_ROBUST));
    CHECK(pthread_mutex_init(&m, &at));
    CHECK(pthread_create(&t, NULL, quitter, NULL));
    CHECK(pthread_join(t, NULL));
    EXPECT_RC(pthread_mutex_lock(&m), EOWNERDEAD);
    CHECK(pthread_mutex_consistent(&m));
    CHECK(pthread_mutex_unlock(&m));
    CHECK(pthread_mutex_lock(&m));
    CHECK(pthread_mutex_unlock(&m));
    return 0;
}
