/* SPDX-License-Identifier: MIT */
/* Verdict (uring_epoll's mirror): a thread in epoll_wait, without a
 * timeout, on a set holding the read end of a private pipe nobody writes
 * (added with epoll_ctl); main joins it.  All asleep (wait kind poll). */
#include "scen.h"

#include <sys/epoll.h>

static int fds[2], ep;

static void *poller(void *arg)
{
    scen_name("poller");
    struct epoll_event got;
    int n = epoll_wait(ep, &got, 1, -1);
    scen_die("epoll_wait returned %d", n);
    return arg;
}

int main(void)
{
    pthread_t t;
    struct epoll_event ev = {.events = EPOLLIN};
    CHECK_ERRNO(pipe(fds));
    CHECK_ERRNO(ep = epoll_create1(EPOLL_CLOEXEC));
    ev.data.fd = fds[0];
    CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev));
    CHECK(pthread_create(&t, NULL, poller, NULL));
    CHECK(pthread_join(t, NULL));
    scen_die("joined poller");
}
