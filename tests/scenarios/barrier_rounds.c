/* SPDX-License-Identifier: MIT */
/* No verdict: main and 3 threads meet at a barrier 20,000 times; at every
 * round all four are briefly asleep in the barrier. */
#include "scen.h"

#define PARTIES 4
#define ROUNDS 20000

static pthread_barrier_t bar;
static atomic_long sum;

static void *party(void *arg)
{
    scen_name("party");
    for (int i = 0; i < ROUNDS; i++) {
        atomic_fetch_add(&sum, 1);
        pthread_barrier_wait(&bar);
    }
    return arg;
}

int main(void)
{
    pthread_t t[PARTIES - 1];
    CHECK(pthread_barrier_init(&bar, NULL, PARTIES));
    for (int i = 0; i < PARTIES - 1; i++)
        CHECK(pthread_create(&t[i], NULL, party, NULL));
    party(NULL);
    for (int i = 0; i < PARTIES - 1; i++)
        CHECK(pthread_join(t[i], NULL));
    if (atomic_load(&sum) != (long)PARTIES * ROUNDS)
        scen_die("sum %ld", atomic_load(&sum));
    CHECK(pthread_barrier_destroy(&bar));
    return 0;
}
