/* SPDX-License-Identifier: MIT */
/* A long chain: one thread walks 10000 mutexes hand over hand (L_i, then
 * L_i+1), always in the same direction, so there is no cycle: no finding,
 * nothing on stderr, exit 0.  With lock_order_max_edges=1024 the graph's
 * cap is reached: said once on stderr and in the dump, and still exit 0. */
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
