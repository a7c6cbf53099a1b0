/* SPDX-License-Identifier: MIT */
/* A gate context is not a sum of ids: t1 takes A -> B under gates {G1, G4}
 * and again under {G2, G3}, whose lock ids (consecutive: k+2, k+5 and k+3,
 * k+4) add up alike; t2 takes B -> A under G1 alone.  G1 does not
 * serialize t1's second A -> B with t2's B -> A: reported.  (The thread's
 * edge cache once keyed gate contexts by the sum of the ids, took the
 * second A -> B for the first, and kept G1 as a gate of the edge.) */
#include "lo_common.h"

static pthread_mutex_t P = PTHREAD_MUTEX_INITIALIZER, D = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t G1 = PTHREAD_MUTEX_INITIALIZER, G2 = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t G3 = PTHREAD_MUTEX_INITIALIZER, G4 = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t A = PTHREAD_MUTEX_INITIALIZER, B = PTHREAD_MUTEX_INITIALIZER;

static void lock2(pthread_mutex_t *x, pthread_mutex_t *y)
{
    CHECK(pthread_mutex_lock(x));
    CHECK(pthread_mutex_lock(y));
}

static void unlock2(pthread_mutex_t *x, pthread_mutex_t *y)
{
    CHECK(pthread_mutex_unlock(y));
    CHECK(pthread_mutex_unlock(x));
}

static void a_then_b_under_two_gate_pairs(void *arg)
{
    (void)arg;
    /* Ids are handed out at a lock's first nested acquisition: D, then P
     * (held), then G1..G4 in a row. */
    pthread_mutex_t *in_order[] = {&D, &G1, &G2, &G3, &G4};
    CHECK(pthread_mutex_lock(&P));
    for (int i = 0; i < 5; i++) {
        CHECK(pthread_mutex_lock(in_order[i]));
        CHECK(pthread_mutex_unlock(in_order[i]));
    }
    CHECK(pthread_mutex_unlock(&P));

    lock2(&G1, &G4);
    lock2(&A, &B);
    unlock2(&A, &B);
    unlock2(&G1, &G4);

    lock2(&G2, &G3);
    lock2(&A, &B);
    unlock2(&A, &B);
    unlock2(&G2, &G3);
}

static void b_then_a_under_g1(void *arg)
{
    (void)arg;
    CHECK(pthread_mutex_lock(&G1));
    lock2(&B, &A);
    unlock2(&B, &A);
    CHECK(pthread_mutex_unlock(&G1));
}

int main(void)
{
    lo_note_lock("G1", &G1);
    lo_note_lock("A", &A);
    lo_note_lock("B", &B);
    lo_run("t1", a_then_b_under_two_gate_pairs, NULL);
    lo_run("t2", b_then_a_under_g1, NULL);
    return 0;
}
