/* SPDX-License-Identifier: MIT */
/* A worker calls exit(3) while main is blocked joining it. The status must
 * be 3 and nothing may hang or be judged a deadlock. */
#include "scen.h"

static void *worker(void *arg)
{
    scen_name("worker");
    exit(3);
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK(pthread_create(&t, NULL, worker, NULL));
    CHECK(pthread_join(t, NULL));
    scen_die("join returned");
}
