/* SPDX-License-Identifier: MIT */
/* Verdict: a thread poll()s, without a timeout, on the read end of a pipe the
 * program made and never shares; nothing ever writes to it (the write end
 * stays open); main joins the poller. All asleep (wait kind poll). */
#include "scen.h"
#include <poll.h>

static int fds[2];

static void *poller(void *arg)
{
    scen_name("poller");
    struct pollfd p = {.fd = fds[0], .events = POLLIN};
    int n = poll(&p, 1, -1);
    scen_die("poll returned %d (revents %#x)", n, (unsigned)p.revents);
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK_ERRNO(pipe(fds));
    scen_note("read", fds[0]);
    CHECK(pthread_create(&t, NULL, poller, NULL));
    CHECK(pthread_join(t, NULL));
    scen_die("joined poller");
}
