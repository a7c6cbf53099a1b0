/* SPDX-License-Identifier: MIT */
/* No verdict: the only thread reads a private pipe that only a SIGALRM
 * handler writes to (alarm(1)); write() is async-signal-safe. */
#include "scen.h"
#include <signal.h>

static int fds[2];

static void on_alarm(int sig)
{
    (void)sig;
    if (write(fds[1], "a", 1) != 1)
        _exit(98);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    CHECK_ERRNO(pipe(fds));
    CHECK_ERRNO(sigaction(SIGALRM, &sa, NULL));
    alarm(1);
    char ch;
    ssize_t n;
    while ((n = read(fds[0], &ch, 1)) == -1 && errno == EINTR)
        ;
    if (n != 1 || ch != 'a')
        scen_die("read returned %zd", n);
    return 0;
}
