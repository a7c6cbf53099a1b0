/* SPDX-License-Identifier: MIT */
/* Both orders, A -> B (t1) and B -> A (t2), are only ever taken while
 * holding G: G serializes them, so they can never deadlock: not reported. */
#include "lo_common.h"

static pthread_mutex_t G = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t A = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t B = PTHREAD_MUTEX_INITIALIZER;

/* takes x then y, under G */
static void gated_pair(pthread_mutex_t *x, pthread_mutex_t *y)
{
    CHECK(pthread_mutex_lock(&G));
    CHECK(pthread_mutex_lock(x));
    CHECK(pthread_mutex_lock(y));
    CHECK(pthread_mutex_unlock(y));
    CHECK(pthread_mutex_unlock(x));
    CHECK(pthread_mutex_unlock(&G));
}

static void a_then_b(void *arg)
{
    (void)arg;
    gated_pair(&A, &B);
}

static void b_then_a(void *arg)
{
    (void)arg;
    gated_pair(&B, &A);
}

int main(void)
{
    lo_note_lock("G", &G);
    lo_note_lock("A", &A);
    lo_note_lock("B", &B);
    lo_run("t1", a_then_b, NULL);
    lo_run("t2", b_then_a, NULL);
    lo_run("t3", a_then_b, NULL);
    return 0;
}
