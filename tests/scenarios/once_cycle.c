/* SPDX-License-Identifier: MIT */
/* Verdict: pthread_once's routine starts a thread that calls pthread_once
 * on the same control, and joins it.  Deadlock. */
#include "scen.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init(void);

static void *second(void *arg)
{
    scen_name("second");
    pthread_once(&once, init);
    scen_die("pthread_once returned");
    return arg;
}

static void init(void)
{
    pthread_t t;
    CHECK(pthread_create(&t, NULL, second, NULL));
    CHECK(pthread_join(t, NULL));
}

int main(void)
{
    pthread_once(&once, init);
    scen_die("initialized");
}
