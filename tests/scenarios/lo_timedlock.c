/* SPDX-License-Identifier: MIT */
/* t1 takes A then B; t2 holds B and takes A with pthread_mutex_timedlock and
 * a finite timeout (1 s), t3 the same with pthread_mutex_clocklock: they can
 * wait, but never forever, so B -> A is no deadlock order: not reported.
 * (The mirror, a plain lock, is lo_abba_sequential.) */
#include "lo_common.h"

static pthread_mutex_t A = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t B = PTHREAD_MUTEX_INITIALIZER;

static void take_a_then_b(void *arg)
{
    (void)arg;
    CHECK(pthread_mutex_lock(&A));
    CHECK(pthread_mutex_lock(&B));
    CHECK(pthread_mutex_unlock(&B));
    CHECK(pthread_mutex_unlock(&A));
}

static void take_b_timed_a(void *arg)
{
    (void)arg;
    CHECK(pthread_mutex_lock(&B));
    struct timespec deadline = scen_deadline(CLOCK_REALTIME, 1.0);
    EXPECT_RC(pthread_mutex_timedlock(&A, &deadline), 0); /* A is free */
    CHECK(pthread_mutex_unlock(&A));
    CHECK(pthread_mutex_unlock(&B));
}

static void take_b_clocked_a(void *arg)
{
    (void)arg;
    CHECK(pthread_mutex_lock(&B));
    struct timespec deadline = scen_deadline(CLOCK_MONOTONIC, 1.0);
    EXPECT_RC(pthread_mutex_clocklock(&A, CLOCK_MONOTONIC, &deadline), 0); /* A is free */
    CHECK(pthread_mutex_unlock(&A));
    CHECK(pthread_mutex_unlock(&B));
}

int main(void)
{
    lo_note_lock("A", &A);
    lo_note_lock("B", &B);
    lo_run("t1", take_a_then_b, NULL);
    lo_run("t2", take_b_timed_a, NULL);
    lo_run("t3", take_b_clocked_a, NULL);
    return 0;
}
