/* SPDX-License-Identifier: MIT */
/* No verdict: error-checking mutex relock returns EDEADLK and the program
 * handles it; wrong-thread unlock returns EPERM; a rwlock write relock returns
 * EDEADLK as glibc documents; joining oneself returns EDEADLK. */
#include "scen.h"

static pthread_mutex_t m;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;

static void *stranger(void *arg)
{
    scen_name("stranger");
    EXPECT_RC(pthread_mutex_unlock(&m), EPERM);
    EXPECT_RC(pthread_mutex_trylock(&m), EBUSY);
    return arg;
}

int main(void)
{
    pthread_mutexattr_t at;
    pthread_t t;
    CHECK(pthread_mutexattr_init(&at));
    CHECK(pthread_mutexattr_settype(&at, PTHREAD_MUTEX_ERRORCHECK));
    CHECK(pthread_mutex_init(&m, &at));

    CHECK(pthread_mutex_lock(&m));
    for (int i = 0; i < 3; i++)
        EXPECT_RC(pthread_mutex_lock(&m), EDEADLK);
    CHECK(pthread_create(&t, NULL, stranger, NULL));
    CHECK(pthread_join(t, NULL));
    CHECK(pthread_mutex_unlock(&m));
    EXPECT_RC(pthread_mutex_unlock(&m), EPERM);
    CHECK(pthread_mutex_lock(&m));
    CHECK(pthread_mutex_unlock(&m));

    EXPECT_RC(pthread_join(pthread_self(), NULL), EDEADLK);   /* join of oneself */

    CHECK(pthread_rwlock_wrlock(&rw));
    EXPECT_RC(pthread_rwlock_wrlock(&rw), EDEADLK);
    EXPECT_RC(pthread_rwlock_rdlock(&rw), EDEADLK);
    CHECK(pthread_rwlock_unlock(&rw));
    CHECK(pthread_rwlock_rdlock(&rw));
    CHECK(pthread_rwlock_unlock(&rw));
    CHECK(pthread_mutex_destroy(&m));
    return 0;
}
