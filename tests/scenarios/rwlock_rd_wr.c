/* SPDX-License-Identifier: MIT */
/* Verdict: one thread read-locks then write-locks the same rwlock: it waits on
 * itself. Main joins it. */
#include "scen.h"

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;

static void *upgrader(void *arg)
{
    scen_name("upgrader");
    CHECK(pthread_rwlock_rdlock(&rw));
    CHECK(pthread_rwlock_wrlock(&rw));
    scen_die("upgraded a read lock");
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK(pthread_create(&t, NULL, upgrader, NULL));
    CHECK(pthread_join(t, NULL));
    scen_die("joined upgrader");
}
