/* SPDX-License-Identifier: MIT */
/* No verdict: a lone thread whose read of its own pipe once blocked (woken
 * by its signal handler's write), then made the pipe non-blocking, reads it
 * empty: EAGAIN, as without the shim.  The shim remembers that fcntl once
 * found the pipe blocking and no longer asks before it records the wait;
 * the lone thread's check at the attempt, which may end the process, must
 * ask the kernel itself. */
#include "scen.h"

#include <signal.h>
#include <sys/time.h>

static int p[2];

static void on_alarm(int sig)
{
    (void)sig;
    char c = 'x';
    if (write(p[1], &c, 1) != 1)
        _exit(98);
}

int main(void)
{
    char c;
    CHECK_ERRNO(pipe(p));
    /* A byte through it first: a pipe never written is an idle wake-up
     * channel, and a wait on it no verdict anyway. */
    if (write(p[1], "y", 1) != 1 || read(p[0], &c, 1) != 1)
        scen_die("first byte: %s", strerror(errno));
    struct sigaction sa = { .sa_handler = on_alarm };
    CHECK_ERRNO(sigaction(SIGALRM, &sa, NULL));
    struct itimerval it = { .it_value = { 0, 20000 } };
    CHECK_ERRNO(setitimer(ITIMER_REAL, &it, NULL));
    ssize_t n;
    while ((n = read(p[0], &c, 1)) == -1 && errno == EINTR)
        ;
    if (n != 1)
        scen_die("the read the handler ends: %zd (%s)", n, n < 0 ? strerror(errno) : "-");
    sa.sa_handler = SIG_DFL;
    CHECK_ERRNO(sigaction(SIGALRM, &sa, NULL));
    CHECK_ERRNO(fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK));
    n = read(p[0], &c, 1);
    if (n != -1 || errno != EAGAIN)
        scen_die("read of the empty non-blocking pipe: %zd (%s), want EAGAIN", n, n < 0 ? strerror(errno) : "-");
    return 0;
}
