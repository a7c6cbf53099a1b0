/* SPDX-License-Identifier: MIT */
/* A recursive mutex R: t1 takes R, then A, then R again while holding A (a
 * relock of a mutex it owns: it never waits), and unlocks all; t2 takes R
 * then A.  The only real order is R -> A: not reported. */
#include "lo_common.h"

static pthread_mutex_t R, A = PTHREAD_MUTEX_INITIALIZER;

static void r_a_relock_r(void *arg)
{
    (void)arg;
    CHECK(pthread_mutex_lock(&R));
    CHECK(pthread_mutex_lock(&A));
    CHECK(pthread_mutex_lock(&R)); /* relock: count 2 */
    CHECK(pthread_mutex_unlock(&R));
    CHECK(pthread_mutex_unlock(&A));
    CHECK(pthread_mutex_unlock(&R));
}

static void r_then_a(void *arg)
{
    (void)arg;
    CHECK(pthread_mutex_lock(&R));
    CHECK(pthread_mutex_lock(&A));
    CHECK(pthread_mutex_unlock(&A));
    CHECK(pthread_mutex_unlock(&R));
}

int main(void)
{
    pthread_mutexattr_t at;
    CHECK(pthread_mutexattr_init(&at));
    CHECK(pthread_mutexattr_settype(&at, PTHREAD_MUTEX_RECURSIVE));
    CHECK(pthread_mutex_init(&R, &at));
    CHECK(pthread_mutexattr_destroy(&at));
    lo_note_lock("R", &R);
    lo_note_lock("A", &A);
    lo_run("t1", r_a_relock_r, NULL);
    lo_run("t2", r_then_a, NULL);
    return 0;
}
