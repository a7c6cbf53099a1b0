/* SPDX-License-Identifier: MIT */
/* Verdict: a thread waits on a condition variable nobody will signal; main
 * joins it. All asleep, no lock cycle. */
#include "scen.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int ready;

static void *waiter(void *arg)
{
    scen_name("waiter");
    CHECK(pthread_mutex_lock(&m));
    while (!ready)
        CHECK(pthread_cond_wait(&c, &m));
    CHECK(pthread_mutex_unlock(&m));
    scen_die("waiter woke up");
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK(pthread_create(&t, NULL, waiter, NULL));
    CHECK(pthread_join(t, NULL));
    scen_die("joined waiter");
}
