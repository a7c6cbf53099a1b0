/* SPDX-License-Identifier: MIT */
/* The held set after an out-of-order unlock: t1 takes A, gets B with a
 * try-lock (no order), releases A while still holding B, and takes C: its
 * only order is B -> C.  t2 takes C then A (C -> A).  B -> C and C -> A
 * make no cycle: not reported.  A shim that still counted A as held by t1
 * would record A -> C and see a false A -> C -> A cycle. */
#include "lo_common.h"

static pthread_mutex_t A = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t B = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t C = PTHREAD_MUTEX_INITIALIZER;

static void release_first_then_c(void *arg)
{
    (void)arg;
    CHECK(pthread_mutex_lock(&A));
    EXPECT_RC(pthread_mutex_trylock(&B), 0);
    CHECK(pthread_mutex_unlock(&A));
    CHECK(pthread_mutex_lock(&C));
    CHECK(pthread_mutex_unlock(&C));
    CHECK(pthread_mutex_unlock(&B));
}

static void c_then_a(void *arg)
{
    (void)arg;
    CHECK(pthread_mutex_lock(&C));
    CHECK(pthread_mutex_lock(&A));
    CHECK(pthread_mutex_unlock(&A));
    CHECK(pthread_mutex_unlock(&C));
}

int main(void)
{
    lo_note_lock("A", &A);
    lo_note_lock("B", &B);
    lo_note_lock("C", &C);
    lo_run("t1", release_first_then_c, NULL);
    lo_run("t2", c_then_a, NULL);
    return 0;
}
