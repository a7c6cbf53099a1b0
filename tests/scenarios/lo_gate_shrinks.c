/* SPDX-License-Identifier: MIT */
/* The gate is there at first and then missing: t1 takes A -> B under G,
 * t2 B -> A under G (nothing to report yet), then t3 takes A -> B WITHOUT G.
 * From then on t3's order and t2's can deadlock: reported once, after t3.
 * (The edge A -> B is not new when t3 takes it: only its gates shrink.) */
#include "lo_common.h"

static pthread_mutex_t G = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t A = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t B = PTHREAD_MUTEX_INITIALIZER;

static void pair(pthread_mutex_t *x, pthread_mutex_t *y)
{
    CHECK(pthread_mutex_lock(x));
    CHECK(pthread_mutex_lock(y));
    CHECK(pthread_mutex_unlock(y));
    CHECK(pthread_mutex_unlock(x));
}

static void a_then_b_gated(void *arg)
{
    (void)arg;
    CHECK(pthread_mutex_lock(&G));
    pair(&A, &B);
    CHECK(pthread_mutex_unlock(&G));
}

static void b_then_a_gated(void *arg)
{
    (void)arg;
    CHECK(pthread_mutex_lock(&G));
    pair(&B, &A);
    CHECK(pthread_mutex_unlock(&G));
}

static void a_then_b(void *arg)
{
    (void)arg;
    pair(&A, &B);
}

int main(void)
{
    lo_note_lock("G", &G);
    lo_note_lock("A", &A);
    lo_note_lock("B", &B);
    lo_run("t1", a_then_b_gated, NULL);
    lo_run("t2", b_then_a_gated, NULL);
    lo_run("t3", a_then_b, NULL);
    return 0;
}
