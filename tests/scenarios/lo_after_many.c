/* SPDX-License-Identifier: MIT */
/* No ceiling: t0 first takes 20,000 locks in 10,000 nested pairs (one
 * consistent order), then t1 takes A then B and t2 B then A.  The inversion
 * is reported as if the 20,000 were not there. */
#include "lo_common.h"

#define PAIRS 10000

static pthread_mutex_t A = PTHREAD_MUTEX_INITIALIZER, B = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t many[2 * PAIRS];

static void pairs(void *arg)
{
    (void)arg;
    for (int i = 0; i < 2 * PAIRS; i++)
        CHECK(pthread_mutex_init(&many[i], NULL));
    for (int i = 0; i < PAIRS; i++) {
        CHECK(pthread_mutex_lock(&many[2 * i]));
        CHECK(pthread_mutex_lock(&many[2 * i + 1]));
        CHECK(pthread_mutex_unlock(&many[2 * i + 1]));
        CHECK(pthread_mutex_unlock(&many[2 * i]));
    }
}

static void take(void *arg)
{
    pthread_mutex_t **two = arg;
    CHECK(pthread_mutex_lock(two[0]));
    CHECK(pthread_mutex_lock(two[1]));
    CHECK(pthread_mutex_unlock(two[1]));
    CHECK(pthread_mutex_unlock(two[0]));
}

int main(void)
{
    pthread_mutex_t *ab[2] = {&A, &B}, *ba[2] = {&B, &A};
    lo_note_lock("A", &A);
    lo_note_lock("B", &B);
    lo_run("t0", pairs, NULL);
    lo_run("t1", take, ab);
    lo_run("t2", take, ba);
    return 0;
}
