/* SPDX-License-Identifier: MIT */
/* A held list closed up under a lock: t1 takes A -> B under G, then takes
 * G and A, releases G (below A) and takes B: A -> B without G this time.
 * t2 takes B -> A under G.  t1's second order and t2's can deadlock:
 * reported once.  Each held lock keeps the lock-order context of the list
 * up to it; A's said "G, then A" until G went.  A shim that kept it would
 * find t1's first A -> B (under G) in its cache and never see the gate go. */
#include "lo_common.h"

static pthread_mutex_t G = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t A = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t B = PTHREAD_MUTEX_INITIALIZER;

/* x, then y, then z; released in reverse */
static void nest(pthread_mutex_t *x, pthread_mutex_t *y, pthread_mutex_t *z)
{
    CHECK(pthread_mutex_lock(x));
    CHECK(pthread_mutex_lock(y));
    CHECK(pthread_mutex_lock(z));
    CHECK(pthread_mutex_unlock(z));
    CHECK(pthread_mutex_unlock(y));
    CHECK(pthread_mutex_unlock(x));
}

static void a_then_b_gated_then_not(void *arg)
{
    (void)arg;
    /* twice: the first time records the edges, the second finds them all
     * and caches the acquisition's context */
    nest(&G, &A, &B);
    nest(&G, &A, &B);

    CHECK(pthread_mutex_lock(&G));
    CHECK(pthread_mutex_lock(&A));
    CHECK(pthread_mutex_unlock(&G));
    CHECK(pthread_mutex_lock(&B));
    CHECK(pthread_mutex_unlock(&B));
    CHECK(pthread_mutex_unlock(&A));
}

static void b_then_a_gated(void *arg)
{
    (void)arg;
    nest(&G, &B, &A);
}

int main(void)
{
    lo_note_lock("G", &G);
    lo_note_lock("A", &A);
    lo_note_lock("B", &B);
    lo_run("t1", a_then_b_gated_then_not, NULL);
    lo_run("t2", b_then_a_gated, NULL);
    return 0;
}
