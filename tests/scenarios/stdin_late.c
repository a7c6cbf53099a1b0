/* SPDX-License-Identifier: MIT */
/* No verdict: a thread reads stdin, whose only writer is another process (the
 * harness feeds "late\n" after 1.5 s, longer than the default grace_ms, then
 * closes it); main joins the reader. Inside the process everyone waits, but
 * stdin is not a channel the program made: the wake-up may come from outside. */
#include "scen.h"
#include <poll.h>

static void *reader(void *arg)
{
    scen_name("reader");
    /* the scenario is a read that blocks: nothing may be there yet */
    struct pollfd p = {.fd = 0, .events = POLLIN};
    int r = poll(&p, 1, 0);
    if (r != 0)
        scen_die("stdin ready at once (poll %d, revents %#x)", r, (unsigned)p.revents);
    char buf[64];
    size_t got = 0;
    ssize_t n;
    while (got < sizeof buf - 1) {
        n = read(0, buf + got, sizeof buf - 1 - got);
        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1)
            scen_die("read: %s", strerror(errno));
        if (n == 0)
            break;
        got += (size_t)n;
    }
    buf[got] = '\0';
    if (strcmp(buf, "late\n") != 0)
        scen_die("read \"%s\" from stdin, want \"late\\n\"", buf);
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK(pthread_create(&t, NULL, reader, NULL));
    CHECK(pthread_join(t, NULL));
    return 0;
}
