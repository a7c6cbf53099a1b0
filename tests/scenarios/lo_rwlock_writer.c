/* SPDX-License-Identifier: MIT */
/* Mirror of lo_rwlock_readers: t1 read-locks R1 then R2, t2 WRITE-locks R2
 * then R1.  t1 (reading R1) can wait for t2's write hold of R2 while t2
 * waits to write R1, which t1 reads: a potential deadlock, reported. */
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

static void write_r2_write_r1(void *arg)
{
    (void)arg;
    CHECK(pthread_rwlock_wrlock(&R2));
    CHECK(pthread_rwlock_wrlock(&R1));
    CHECK(pthread_rwlock_unlock(&R1));
    CHECK(pthread_rwlock_unlock(&R2));
}

int main(void)
{
    lo_note_lock("R1", &R1);
    lo_note_lock("R2", &R2);
    lo_run("t1", read_r1_read_r2, NULL);
    lo_run("t2", write_r2_write_r1, NULL);
    return 0;
}
