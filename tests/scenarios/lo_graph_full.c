/* SPDX-License-Identifier: MIT */
/* More lock orders than the lock-order graph holds: one thread walks a
 * chain of 10000 mutexes hand over hand (L_i, then L_i+1), always in the
 * same direction, so there is no cycle.  The shim must drop what does not
 * fit silently: no finding, nothing on stderr, exit 0. */
#include "lo_common.h"

#define N 10000

static pthread_mutex_t L[N];

static void walk(void *arg)
{
    (void)arg;
    for (int i = 0; i + 1 < N; i++) {
        CHECK(pthread_mutex_lock(&L[i]));
        CHECK(pthread_mutex_lock(&L[i + 1]));
        CHECK(pthread_mutex_unlock(&L[i + 1]));
        CHECK(pthread_mutex_unlock(&L[i]));
    }
}

int main(void)
{
    for (int i = 0; i < N; i++)
        CHECK(pthread_mutex_init(&L[i], NULL));
    lo_run("walker", walk, NULL);
    lo_run("walker2", walk, NULL);
    for (int i = 0; i < N; i++)
        CHECK(pthread_mutex_destroy(&L[i]));
    return 0;
}
