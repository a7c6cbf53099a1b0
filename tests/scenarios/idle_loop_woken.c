/* SPDX-License-Identifier: MIT */
/* Verdict (idle_loop's mirror): the same loop runs in a thread; main wakes
 * it once (its work source went away, as a GLib context is woken when its
 * last source is removed) and then joins it, but the loop never quits.
 * All asleep: the eventfd has been written, so it is not an unused
 * wake-up channel, and main waits in join. */
#include "scen.h"

#include <poll.h>
#include <sys/eventfd.h>

static int efd;
static atomic_int woken;

static void *loop(void *arg)
{
    scen_name("loop");
    for (;;) {
        struct pollfd p = {.fd = efd, .events = POLLIN};
        if (poll(&p, 1, -1) < 0 && errno != EINTR)
            scen_die("poll: %s", strerror(errno));
        uint64_t v;
        if (read(efd, &v, sizeof v) == sizeof v)
            atomic_store(&woken, 1);
    }
    return arg;
}

int main(void)
{
    pthread_t t;
    uint64_t one = 1;
    CHECK_ERRNO(efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    CHECK(pthread_create(&t, NULL, loop, NULL));
    if (write(efd, &one, sizeof one) != sizeof one)
        scen_die("write: %s", strerror(errno));
    CHECK(pthread_join(t, NULL));
    scen_die("joined the loop");
}
