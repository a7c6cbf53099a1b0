/* SPDX-License-Identifier: MIT */
/* The rwlock forms of try and timed locks: t1 write-locks R1 then R2; t2
 * write-locks R2 and then only TRIES to lock R1 (trywrlock, tryrdlock); t3
 * write-locks R2 and then locks R1 with a finite timeout (timedwrlock,
 * timedrdlock).  None of these can wait forever: not reported. */
#include "lo_common.h"

static pthread_rwlock_t R1 = PTHREAD_RWLOCK_INITIALIZER;
static pthread_rwlock_t R2 = PTHREAD_RWLOCK_INITIALIZER;

static void w1_then_w2(void *arg)
{
    (void)arg;
    CHECK(pthread_rwlock_wrlock(&R1));
    CHECK(pthread_rwlock_wrlock(&R2));
    CHECK(pthread_rwlock_unlock(&R2));
    CHECK(pthread_rwlock_unlock(&R1));
}

static void w2_then_try_w1(void *arg)
{
    (void)arg;
    CHECK(pthread_rwlock_wrlock(&R2));
    EXPECT_RC(pthread_rwlock_trywrlock(&R1), 0);
    CHECK(pthread_rwlock_unlock(&R1));
    EXPECT_RC(pthread_rwlock_tryrdlock(&R1), 0);
    CHECK(pthread_rwlock_unlock(&R1));
    CHECK(pthread_rwlock_unlock(&R2));
}

static void w2_then_timed_w1(void *arg)
{
    (void)arg;
    CHECK(pthread_rwlock_wrlock(&R2));
    struct timespec d = scen_deadline(CLOCK_REALTIME, 1.0);
    EXPECT_RC(pthread_rwlock_timedwrlock(&R1, &d), 0);
    CHECK(pthread_rwlock_unlock(&R1));
    d = scen_deadline(CLOCK_REALTIME, 1.0);
    EXPECT_RC(pthread_rwlock_timedrdlock(&R1, &d), 0);
    CHECK(pthread_rwlock_unlock(&R1));
    CHECK(pthread_rwlock_unlock(&R2));
}

int main(void)
{
    lo_note_lock("R1", &R1);
    lo_note_lock("R2", &R2);
    lo_run("t1", w1_then_w2, NULL);
    lo_run("t2", w2_then_try_w1, NULL);
    lo_run("t3", w2_then_timed_w1, NULL);
    return 0;
}
