/* SPDX-License-Identifier: MIT */
/* Verdict: main holds L and joins child; child needs L. 2-step cycle
 * (join + mutex). */
#include "scen.h"

static pthread_mutex_t l = PTHREAD_MUTEX_INITIALIZER;

static void *child(void *arg)
{
    scen_name("child");
    CHECK(pthread_mutex_lock(&l));
    scen_die("child got L");
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK(pthread_mutex_lock(&l));
    CHECK(pthread_create(&t, NULL, child, NULL));
    CHECK(pthread_join(t, NULL));
    scen_die("joined child");
}
