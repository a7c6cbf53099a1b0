/* SPDX-License-Identifier: MIT */
/* t1 read-locks R1 then R2; t2 read-locks R2 and then WRITE-locks R1.  t2
 * can wait for t1 (at R1), but t1 never waits for t2: it only reads R2, which
 * t2 only reads.  No deadlock is possible: not reported.  (This is the
 * "t2 takes R1 for write" variant; lo_rwlock_writer is the reported one.) */
#include "lo_common.h"

static pthread_rwlock_t R1 = PTHREAD_RWLOCK_INITIALIZER;
static pthread_rwlock_t R2 = PTHREAD_RWLOCK_INITIALIZER;

static void read_r1_read_r2(void *arg)
{
    (void)arg;
    CHECK(pthread_rwlock_rdlock(&R1));
    CHECK(pthread_rwlock_rdlock(&R2));
    CHECK(pthread_rwlock_unlock(&R2));
    CHECK(pthread_rwlock_unlock(&R1));
}

static void read_r2_write_r1(void *arg)
{
    (void)arg;
    CHECK(pthread_rwlock_rdlock(&R2));
    CHECK(pthread_rwlock_wrlock(&R1));
    CHECK(pthread_rwlock_unlock(&R1));
    CHECK(pthread_rwlock_unlock(&R2));
}

int main(void)
{
    lo_note_lock("R1", &R1);
    lo_note_lock("R2", &R2);
    lo_run("t1", read_r1_read_r2, NULL);
    lo_run("t2", read_r2_write_r1, NULL);
    return 0;
}
