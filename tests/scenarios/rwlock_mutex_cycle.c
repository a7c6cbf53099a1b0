/* SPDX-License-Identifier: MIT */
/* Verdict: writer holds the rwlock for writing and waits for the mutex;
 * reader holds the mutex and waits to read-lock the rwlock. */
#include "scen.h"

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t bar;

static void *writer(void *arg)
{
    scen_name("writer");
    CHECK(pthread_rwlock_wrlock(&rw));
    pthread_barrier_wait(&bar);
    CHECK(pthread_mutex_lock(&m));
    scen_die("writer got the mutex");
    return arg;
}

static void *reader(void *arg)
{
    scen_name("reader");
    CHECK(pthread_mutex_lock(&m));
    pthread_barrier_wait(&bar);
    CHECK(pthread_rwlock_rdlock(&rw));
    scen_die("reader got the rwlock");
    return arg;
}

int main(void)
{
    pthread_t x, y;
    CHECK(pthread_barrier_init(&bar, NULL, 2));
    CHECK(pthread_create(&x, NULL, writer, NULL));
    CHECK(pthread_create(&y, NULL, reader, NULL));
    CHECK(pthread_join(x, NULL));
    CHECK(pthread_join(y, NULL));
    scen_die("joined deadlocked threads");
}
