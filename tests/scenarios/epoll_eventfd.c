/* SPDX-License-Identifier: MIT */
/* No verdict: a thread waits in epoll_wait (no timeout) on an eventfd that
 * another thread writes after sleeping 0.5 s; main joins both. */
#include "scen.h"
#include <sys/epoll.h>
#include <sys/eventfd.h>

static int efd, ep;

static void *waiter(void *arg)
{
    scen_name("waiter");
    struct epoll_event ev;
    int n;
    while ((n = epoll_wait(ep, &ev, 1, -1)) == -1 && errno == EINTR)
        ;
    if (n != 1)
        scen_die("epoll_wait returned %d", n);
    uint64_t v;
    if (read(efd, &v, sizeof v) != sizeof v || v != 5)
        scen_die("eventfd read");
    return arg;
}

static void *poster(void *arg)
{
    scen_name("poster");
    struct timespec d = {0, 500 * 1000 * 1000};
    while (nanosleep(&d, &d) == -1 && errno == EINTR)
        ;
    uint64_t v = 5;
    if (write(efd, &v, sizeof v) != sizeof v)
        scen_die("eventfd write");
    return arg;
}

int main(void)
{
    pthread_t a, b;
    efd = eventfd(0, EFD_CLOEXEC);
    ep = epoll_create1(EPOLL_CLOEXEC);
    if (efd < 0 || ep < 0)
        scen_die("eventfd/epoll: %s", strerror(errno));
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = efd};
    CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev));
    CHECK(pthread_create(&a, NULL, waiter, NULL));
    CHECK(pthread_create(&b, NULL, poster, NULL));
    CHECK(pthread_join(a, NULL));
    CHECK(pthread_join(b, NULL));
    return 0;
}
