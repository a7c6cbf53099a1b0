/* SPDX-License-Identifier: MIT */
/* Spinlocks in the lock-order graph: t1 takes spinlock A then B and ends,
 * then t2 takes B then A.  Reported like the mutex form.  With -DREINIT
 * (lo_spin_reinit, the mirror), B is destroyed and initialized anew between
 * the two: a new lock at the same address, so no cycle. */
#include "lo_common.h"

static pthread_spinlock_t A, B;

static void a_then_b(void *arg)
{
    (void)arg;
    CHECK(pthread_spin_lock(&A));
    CHECK(pthread_spin_lock(&B));
    CHECK(pthread_spin_unlock(&B));
    CHECK(pthread_spin_unlock(&A));
}

static void b_then_a(void *arg)
{
    (void)arg;
    CHECK(pthread_spin_lock(&B));
    CHECK(pthread_spin_lock(&A));
    CHECK(pthread_spin_unlock(&A));
    CHECK(pthread_spin_unlock(&B));
}

int main(void)
{
    CHECK(pthread_spin_init(&A, PTHREAD_PROCESS_PRIVATE));
    CHECK(pthread_spin_init(&B, PTHREAD_PROCESS_PRIVATE));
    lo_note_lock("A", (const void *)&A);
    lo_note_lock("B", (const void *)&B);
    lo_run("t1", a_then_b, NULL);
#ifdef REINIT
    CHECK(pthread_spin_destroy(&B));
    CHECK(pthread_spin_init(&B, PTHREAD_PROCESS_PRIVATE));
#endif
    lo_run("t2", b_then_a, NULL);
    return 0;
}
