/* SPDX-License-Identifier: MIT */
/* Verdict: a thread waits on a private futex word nobody ever wakes (raw
 * syscall); main joins it. All asleep (wait kind futex). */
#include "scen.h"
#include <linux/futex.h>

static atomic_int word;

static void *waiter(void *arg)
{
    scen_name("waiter");
    for (;;) {
        long r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
        if (r == -1 && errno != EINTR && errno != EAGAIN)
            scen_die("futex: %s", strerror(errno));
        if (atomic_load(&word) != 0)
            scen_die("word changed");
    }
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK(pthread_create(&t, NULL, waiter, NULL));
    CHECK(pthread_join(t, NULL));
    scen_die("joined waiter");
}
