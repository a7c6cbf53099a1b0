/* SPDX-License-Identifier: MIT */
/* No verdict: a joinable thread finishes but is never joined; by the time
 * main returns it is gone (the kernel has reaped it), so it is not leaked. */
#include "scen.h"

static atomic_int ready, tid;

static void *quick(void *arg)
{
    scen_name("quick");
    atomic_store(&tid, scen_gettid());
    atomic_store(&ready, 1);
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK(pthread_create(&t, NULL, quick, NULL));
    double limit = scen_now(CLOCK_MONOTONIC) + 10.0;
    while (!atomic_load(&ready)) {
        if (scen_now(CLOCK_MONOTONIC) > limit)
            scen_die("thread never started");
        sched_yield();
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d", atomic_load(&tid));
    while (access(path, F_OK) == 0) {
        if (scen_now(CLOCK_MONOTONIC) > limit)
            scen_die("thread never went away");
        sched_yield();
    }
    return 0;
}
