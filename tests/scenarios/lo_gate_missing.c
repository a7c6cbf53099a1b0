/* SPDX-License-Identifier: MIT */
/* Mirror of lo_gate: t1 takes A -> B under G, but t2 takes B -> A without
 * G, so G does not serialize the two orders: reported (A and B only; G
 * takes no part in the cycle). */
#include "lo_common.h"

static pthread_mutex_t G = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t A = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t B = PTHREAD_MUTEX_INITIALIZER;

static void a_then_b_gated(void *arg)
{
    (void)arg;
    CHECK(pthread_mutex_lock(&G));
    CHECK(pthread_mutex_lock(&A));
    CHECK(pthread_mutex_lock(&B));
    CHECK(pthread_mutex_unlock(&B));
    CHECK(pthread_mutex_unlock(&A));
    CHECK(pthread_mutex_unlock(&G));
}

static void b_then_a(void *arg)
{
    (void)arg;
    CHECK(pthread_mutex_lock(&B));
    CHECK(pthread_mutex_lock(&A));
    CHECK(pthread_mutex_unlock(&A));
    CHECK(pthread_mutex_unlock(&B));
}

int main(void)
{
    lo_note_lock("G", &G);
    lo_note_lock("A", &A);
    lo_note_lock("B", &B);
    lo_run("t1", a_then_b_gated, NULL);
    lo_run("t2", b_then_a, NULL);
    return 0;
}
