/* SPDX-License-Identifier: MIT */
/* t1 read-locks R1 then R2, t2 read-locks R2 then R1.  Readers never wait
 * for readers (glibc's default rwlock prefers readers), so the opposite
 * orders cannot deadlock: not reported. */
#include "lo_common.h"

static pthread_rwlock_t R1 = PTHREAD_RWLOCK_INITIALIZER;
static pthread_rwlock_t R2 = PTHREAD_RWLOCK_INITIALIZER;

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
    lo_note_lock("R1", &R1);
    lo_note_lock("R2", &R2);
    lo_run("t1", r1_then_r2, NULL);
    lo_run("t2", r2_then_r1, NULL);
    return 0;
}
