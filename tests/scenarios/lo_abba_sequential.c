/* SPDX-License-Identifier: MIT */
/* Lock-order inversion between threads that never overlap in time: t1 takes
 * A then B and ends (joined), then t2 takes B then A.  Nothing hangs, but
 * the two orders together could deadlock: reported.  Also the mirror of
 * lo_timedlock (a plain lock instead of a timed one) and, with lock_order=0,
 * the check switched off. */
#include "lo_common.h"

static pthread_mutex_t A = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t B = PTHREAD_MUTEX_INITIALIZER;

/* not static and not inlined: the harness looks for these names in the
 * edges' stacks */
__attribute__((noinline)) void lo_take_a_then_b(void *arg)
{
    (void)arg;
    CHECK(pthread_mutex_lock(&A));
    CHECK(pthread_mutex_lock(&B));
    CHECK(pthread_mutex_unlock(&B));
    CHECK(pthread_mutex_unlock(&A));
}

__attribute__((noinline)) void lo_take_b_then_a(void *arg)
{
    (void)arg;
    CHECK(pthread_mutex_lock(&B));
    CHECK(pthread_mutex_lock(&A));
    CHECK(pthread_mutex_unlock(&A));
    CHECK(pthread_mutex_unlock(&B));
}

int main(void)
{
    lo_note_lock("A", &A);
    lo_note_lock("B", &B);
    lo_run("t1", lo_take_a_then_b, NULL);
    lo_run("t2", lo_take_b_then_a, NULL);
    return 0;
}
