/* SPDX-License-Identifier: MIT */
/* Verdict: a 3-party barrier that only 2 threads ever reach; main joins the
 * first of them. */
#include "scen.h"

static pthread_barrier_t bar;

static void *party(void *arg)
{
    scen_name(arg);
    pthread_barrier_wait(&bar);
    scen_die("barrier opened");
    return arg;
}

int main(void)
{
    pthread_t x, y;
    CHECK(pthread_barrier_init(&bar, NULL, 3));
    CHECK(pthread_create(&x, NULL, party, "party1"));
    CHECK(pthread_create(&y, NULL, party, "party2"));
    CHECK(pthread_join(x, NULL));
    scen_die("joined a barrier party");
}
