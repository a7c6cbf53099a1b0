/* SPDX-License-Identifier: MIT */
/* leaked-thread (finished, not joined): three joinable threads end.  "quick"
 * is never joined nor detached, so its stack is never reclaimed: TSan's
 * "thread leak".  "detached" is detached after it ended and "joined" is
 * joined: neither is a leak. */
#include "scen.h"

static atomic_int tids[3];

static void *body(void *arg)
{
    static const char *const names[] = {"quick", "detached", "joined"};
    int i = (int)(intptr_t)arg;
    scen_name(names[i]);
    atomic_store(&tids[i], scen_gettid());
    return arg;
}

/* Waits until thread i has started and the kernel has reaped it. */
static void wait_gone(int i)
{
    double limit = scen_now(CLOCK_MONOTONIC) + 10.0;
    while (!atomic_load(&tids[i])) {
        if (scen_now(CLOCK_MONOTONIC) > limit)
            scen_die("thread never started");
        sched_yield();
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d", atomic_load(&tids[i]));
    while (access(path, F_OK) == 0) {
        if (scen_now(CLOCK_MONOTONIC) > limit)
            scen_die("thread never went away");
        sched_yield();
    }
}

int main(void)
{
    pthread_t t[3];
    for (int i = 0; i < 3; i++) {
        CHECK(pthread_create(&t[i], NULL, body, (void *)(intptr_t)i));
        wait_gone(i);
    }
    CHECK(pthread_detach(t[1]));
    CHECK(pthread_join(t[2], NULL));
    return 0;
}
