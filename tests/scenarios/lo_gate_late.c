/* SPDX-License-Identifier: MIT */
/* A "gate" taken too late: t1 takes A, then G, then B; t2 takes B, then G,
 * then A.  G is held whenever the second lock is taken, but not across the
 * first: t1 holding A and G waits for B while t2 holding B waits for G, a
 * real deadlock.  G must not excuse it: at least one inversion is reported
 * (which cycles - {B,G}, {A,G}, {A,B,G} - is the shim's choice). */
#include "lo_common.h"

static pthread_mutex_t G = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t A = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t B = PTHREAD_MUTEX_INITIALIZER;

static void late_gate(pthread_mutex_t *x, pthread_mutex_t *y)
{
    CHECK(pthread_mutex_lock(x));
    CHECK(pthread_mutex_lock(&G));
    CHECK(pthread_mutex_lock(y));
    CHECK(pthread_mutex_unlock(y));
    CHECK(pthread_mutex_unlock(&G));
    CHECK(pthread_mutex_unlock(x));
}

static void a_g_b(void *arg)
{
    (void)arg;
    late_gate(&A, &B);
}

static void b_g_a(void *arg)
{
    (void)arg;
    late_gate(&B, &A);
}

int main(void)
{
    lo_note_lock("G", &G);
    lo_note_lock("A", &A);
    lo_note_lock("B", &B);
    lo_run("t1", a_g_b, NULL);
    lo_run("t2", b_g_a, NULL);
    return 0;
}
