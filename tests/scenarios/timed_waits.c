/* SPDX-License-Identifier: MIT */
/* No verdict: the process idles ~2.7 s in timed waits that all time out
 * (cond_timedwait, sem_timedwait, mutex_timedlock, rwlock_timedwrlock,
 * pthread_timedjoin_np) while the only other thread waits untimed. Everyone is
 * asleep, but a timed wait always ends. */
#include "scen.h"
#include <semaphore.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t cm = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_cond_t c;
static pthread_barrier_t held, release;
static sem_t s;

static void *holder(void *arg)
{
    scen_name("holder");
    CHECK(pthread_mutex_lock(&m));
    CHECK(pthread_rwlock_rdlock(&rw));
    pthread_barrier_wait(&held);
    pthread_barrier_wait(&release);   /* untimed: waits for main */
    CHECK(pthread_rwlock_unlock(&rw));
    CHECK(pthread_mutex_unlock(&m));
    return arg;
}

static void expect_about(double t0, double want, const char *what)
{
    double took = scen_now(CLOCK_MONOTONIC) - t0;
    if (took < want - 0.05)
        scen_die("%s returned after %.3f s, expected about %.1f s", what, took, want);
}

int main(void)
{
    pthread_condattr_t ca;
    pthread_t t;
    struct timespec dl;
    double t0;

    CHECK(pthread_condattr_init(&ca));
    CHECK(pthread_condattr_setclock(&ca, CLOCK_MONOTONIC));
    CHECK(pthread_cond_init(&c, &ca));
    CHECK_ERRNO(sem_init(&s, 0, 0));
    CHECK(pthread_barrier_init(&held, NULL, 2));
    CHECK(pthread_barrier_init(&release, NULL, 2));
    CHECK(pthread_create(&t, NULL, holder, NULL));
    pthread_barrier_wait(&held);

    /* 1. condition wait nobody signals. */
    CHECK(pthread_mutex_lock(&cm));
    t0 = scen_now(CLOCK_MONOTONIC);
    dl = scen_deadline(CLOCK_MONOTONIC, 0.7);
    int rc;
    do
        rc = pthread_cond_timedwait(&c, &cm, &dl);
    while (rc == 0);   /* spurious wakeups */
    if (rc != ETIMEDOUT)
        scen_die("pthread_cond_timedwait: %s", strerror(rc));
    expect_about(t0, 0.7, "pthread_cond_timedwait");
    CHECK(pthread_mutex_unlock(&cm));

    /* 2. semaphore nobody posts. */
    t0 = scen_now(CLOCK_MONOTONIC);
    dl = scen_deadline(CLOCK_REALTIME, 0.7);
    while ((rc = sem_timedwait(&s, &dl)) == -1 && errno == EINTR)
        ;
    if (rc != -1 || errno != ETIMEDOUT)
        scen_die("sem_timedwait returned %d (%s)", rc, strerror(errno));
    expect_about(t0, 0.7, "sem_timedwait");

    /* 3. mutex held by the (asleep) holder. */
    t0 = scen_now(CLOCK_MONOTONIC);
    dl = scen_deadline(CLOCK_REALTIME, 0.7);
    EXPECT_RC(pthread_mutex_timedlock(&m, &dl), ETIMEDOUT);
    expect_about(t0, 0.7, "pthread_mutex_timedlock");

    /* 4. rwlock read-held by the holder. */
    t0 = scen_now(CLOCK_MONOTONIC);
    dl = scen_deadline(CLOCK_REALTIME, 0.3);
    EXPECT_RC(pthread_rwlock_timedwrlock(&rw, &dl), ETIMEDOUT);
    expect_about(t0, 0.3, "pthread_rwlock_timedwrlock");

    /* 5. join of a thread that is asleep until main releases it. */
    t0 = scen_now(CLOCK_MONOTONIC);
    dl = scen_deadline(CLOCK_REALTIME, 0.3);
    EXPECT_RC(pthread_timedjoin_np(t, NULL, &dl), ETIMEDOUT);
    expect_about(t0, 0.3, "pthread_timedjoin_np");

    pthread_barrier_wait(&release);
    CHECK(pthread_join(t, NULL));
    EXPECT_RC(pthread_mutex_trylock(&m), 0);
    CHECK(pthread_mutex_unlock(&m));
    return 0;
}
