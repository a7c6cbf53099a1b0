/* SPDX-License-Identifier: MIT */
/* Readers only, as lo_rwlock_readers (t1 reads R1 then R2, t2 R2 then R1),
 * but the rwlocks prefer writers (PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP):
 * a reader then waits behind a waiting writer, so with writers around the
 * two read orders can deadlock: reported. */
#include "lo_common.h"

static pthread_rwlock_t R1, R2;

static void read_both(pthread_rwlock_t *x, pthread_rwlock_t *y)
{
    CHECK(pthread_rwlock_rdlock(x));
    CHECK(pthread_rwlock_rdlock(y));
    CHECK(pthread_rwlock_unlock(y));
    CHECK(pthread_rwlock_unlock(x));
}

static void r1_then_r2(void *arg)
{
    (void)arg;
    read_both(&R1, &R2);
}

static void r2_then_r1(void *arg)
{
    (void)arg;
    read_both(&R2, &R1);
}

int main(void)
{
    pthread_rwlockattr_t at;
    CHECK(pthread_rwlockattr_init(&at));
    CHECK(pthread_rwlockattr_setkind_np(&at, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP));
    CHECK(pthread_rwlock_init(&R1, &at));
    CHECK(pthread_rwlock_init(&R2, &at));
    CHECK(pthread_rwlockattr_destroy(&at));
    lo_note_lock("R1", &R1);
    lo_note_lock("R2", &R2);
    lo_run("t1", r1_then_r2, NULL);
    lo_run("t2", r2_then_r1, NULL);
    return 0;
}
