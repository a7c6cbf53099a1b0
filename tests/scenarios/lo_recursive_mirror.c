/* SPDX-License-Identifier: MIT */
/* Mirror of lo_recursive_relock: t1 as there (R, A, relock R); t2 takes A
 * and then R, which it does not own, so it can really wait for it while
 * holding A: A -> R against t1's R -> A, reported (threads t1 and t2). */
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

static void a_then_r(void *arg)
{
    (void)arg;
    CHECK(pthread_mutex_lock(&A));
    CHECK(pthread_mutex_lock(&R));
    CHECK(pthread_mutex_unlock(&R));
    CHECK(pthread_mutex_unlock(&A));
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
    lo_run("t2", a_then_r, NULL);
    return 0;
}
