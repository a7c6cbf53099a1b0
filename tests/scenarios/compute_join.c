/* SPDX-License-Identifier: MIT */
/* No verdict: main joins a child that computes for ~1 s of CPU time. */
#include "scen.h"

static unsigned long result;

static void *cruncher(void *arg)
{
    scen_name("cruncher");
    unsigned long v = 1;
    double start = scen_now(CLOCK_THREAD_CPUTIME_ID);
    do {
        for (int i = 0; i < 100000; i++)
            v = v * 2862933555777941757UL + 3037000493UL;
    } while (scen_now(CLOCK_THREAD_CPUTIME_ID) - start < 1.0);
    result = v | 1;
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK(pthread_create(&t, NULL, cruncher, NULL));
    CHECK(pthread_join(t, NULL));
    if (result == 0)
        scen_die("no result");
    return 0;
}
