/* SPDX-License-Identifier: MIT */
/* No verdict, and no end: an event loop with nothing to do, waiting to be
 * killed (GLib's gsubprocess-testprog sleep-forever): one thread poll()s
 * its own wake-up eventfd, which nobody ever writes.  The harness kills it
 * after its time limit. */
#include "scen.h"

#include <poll.h>
#include <sys/eventfd.h>

int main(void)
{
    int efd;
    CHECK_ERRNO(efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    scen_note("efd", efd);
    for (;;) {
        struct pollfd p = {.fd = efd, .events = POLLIN};
        if (poll(&p, 1, -1) < 0 && errno != EINTR)
            scen_die("poll: %s", strerror(errno));
        uint64_t v;
        if (read(efd, &v, sizeof v) < 0 && errno != EAGAIN)
            scen_die("read: %s", strerror(errno));
    }
}
