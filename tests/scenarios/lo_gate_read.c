/* SPDX-License-Identifier: MIT */
/* Like lo_gate, but the "gate" G is an rwlock held for READING by both
 * threads: readers do not exclude each other, so G serializes nothing and
 * the A -> B / B -> A orders can deadlock: reported.  (Held for writing, G
 * is a real gate: lo_gate_write.) */
#include "lo_common.h"

static pthread_rwlock_t G = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t A = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t B = PTHREAD_MUTEX_INITIALIZER;

static void pair_under_read_gate(pthread_mutex_t *x, pthread_mutex_t *y)
{
    CHECK(pthread_rwlock_rdlock(&G));
    CHECK(pthread_mutex_lock(x));
    CHECK(pthread_mutex_lock(y));
    CHECK(pthread_mutex_unlock(y));
    CHECK(pthread_mutex_unlock(x));
    CHECK(pthread_rwlock_unlock(&G));
}

static void a_then_b(void *arg)
{
    (void)arg;
    pair_under_read_gate(&A, &B);
}

static void b_then_a(void *arg)
{
    (void)arg;
    pair_under_read_gate(&B, &A);
}

int main(void)
{
    lo_note_lock("G", &G);
    lo_note_lock("A", &A);
    lo_note_lock("B", &B);
    lo_run("t1", a_then_b, NULL);
    lo_run("t2", b_then_a, NULL);
    return 0;
}
