/* SPDX-License-Identifier: MIT */
/* Verdict: a thread exits holding a mutex (abandoned-lock); main joins it and
 * then locks that mutex, so the process is all asleep. */
#include "scen.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *quitter(void *arg)
{
    scen_name("quitter");
    CHECK(pthread_mutex_lock(&m));
    return arg;   /* exits holding m */
}

int main(void)
{
    pthread_t t;
    CHECK(pthread_create(&t, NULL, quitter, NULL));
    CHECK(pthread_join(t, NULL));
    CHECK(pthread_mutex_lock(&m));
    scen_die("locked an abandoned mutex");
}
