/* SPDX-License-Identifier: MIT */
/* Mirror of lo_trylock_backoff: t1 takes A then B; t2 gets B with a
 * successful try-lock and then BLOCKS on A while holding it.  How B was taken
 * does not matter, the blocking lock of A does: reported. */
#include "lo_common.h"

static pthread_mutex_t A = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t B = PTHREAD_MUTEX_INITIALIZER;

static void take_a_then_b(void *arg)
{
    (void)arg;
    CHECK(pthread_mutex_lock(&A));
    CHECK(pthread_mutex_lock(&B));
    CHECK(pthread_mutex_unlock(&B));
    CHECK(pthread_mutex_unlock(&A));
}

static void try_b_then_lock_a(void *arg)
{
    (void)arg;
    EXPECT_RC(pthread_mutex_trylock(&B), 0);
    CHECK(pthread_mutex_lock(&A));
    CHECK(pthread_mutex_unlock(&A));
    CHECK(pthread_mutex_unlock(&B));
}

int main(void)
{
    lo_note_lock("A", &A);
    lo_note_lock("B", &B);
    lo_run("t1", take_a_then_b, NULL);
    lo_run("t2", try_b_then_lock_a, NULL);
    return 0;
}
