/* SPDX-License-Identifier: MIT */
/* No verdict: pthread_once's routine computes for a second and a half while
 * three other threads call pthread_once on the same control and wait. */
#include "scen.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static unsigned long value;

static void init(void)
{
    unsigned long v = 1;
    double start = scen_now(CLOCK_THREAD_CPUTIME_ID);
    do {
        for (int i = 0; i < 100000; i++)
            v = v * 2862933555777941757UL + 3037000493UL;
    } while (scen_now(CLOCK_THREAD_CPUTIME_ID) - start < 1.5);
    value = v | 1;
}

static void *user(void *arg)
{
    scen_name("user");
    CHECK(pthread_once(&once, init));
    if (value == 0)
        scen_die("pthread_once returned before its routine ended");
    return arg;
}

int main(void)
{
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        CHECK(pthread_create(&t[i], NULL, user, NULL));
    CHECK(pthread_once(&once, init));
    for (int i = 0; i < 3; i++)
        CHECK(pthread_join(t[i], NULL));
    return value ? 0 : 1;
}
