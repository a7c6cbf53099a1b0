/* SPDX-License-Identifier: MIT */
/* t1 takes A then B; t2 holds B and only TRIES A, backing off on EBUSY.  A
 * try-lock never blocks, so B -> A is no deadlock order: not reported.  t2
 * tries twice: once while main holds A (EBUSY, it backs off) and once when A
 * is free (it gets it, then releases both). */
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

/* B, then try A; *want is the result the try must have */
static void take_b_try_a(void *arg)
{
    int want = *(int *)arg;
    CHECK(pthread_mutex_lock(&B));
    EXPECT_RC(pthread_mutex_trylock(&A), want);
    if (want == 0)
        CHECK(pthread_mutex_unlock(&A));
    CHECK(pthread_mutex_unlock(&B));
}

int main(void)
{
    lo_note_lock("A", &A);
    lo_note_lock("B", &B);
    lo_run("t1", take_a_then_b, NULL);
    int busy = EBUSY, free_ = 0;
    CHECK(pthread_mutex_lock(&A));
    lo_run("t2", take_b_try_a, &busy);
    CHECK(pthread_mutex_unlock(&A));
    lo_run("t3", take_b_try_a, &free_);
    return 0;
}
