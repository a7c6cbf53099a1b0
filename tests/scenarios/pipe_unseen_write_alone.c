/* SPDX-License-Identifier: MIT */
/* No verdict: a lone thread reads its own pipe after a write the shim never
 * saw (stdio's, through an fdopen'd end).  The shim's count says the pipe
 * is empty, so it records the read's wait without trying it first; the lone
 * thread's check at the attempt, which may end the process, must ask the
 * kernel whether anything is there (it is: the read returns at once).  The
 * pipe has blocked once before (woken by the thread's signal handler), so
 * the shim knows it for a blocking one. */
#include "scen.h"

#include <signal.h>
#include <sys/time.h>

static int p[2];

static void on_alarm(int sig)
{
    (void)sig;
    if (write(p[1], "x", 1) != 1)
        _exit(98);
}

static void read_one(const char *what, char want)
{
    char c;
    ssize_t n;
    while ((n = read(p[0], &c, 1)) == -1 && errno == EINTR)
        ;
    if (n != 1 || c != want)
        scen_die("%s: %zd (%s)", what, n, n < 0 ? strerror(errno) : "-");
}

int main(void)
{
    CHECK_ERRNO(pipe(p));
    /* A byte through it first: a pipe never written is an idle wake-up
     * channel, and a wait on it no verdict anyway. */
    if (write(p[1], "y", 1) != 1)
        scen_die("first write: %s", strerror(errno));
    read_one("first read", 'y');
    struct sigaction sa = { .sa_handler = on_alarm };
    CHECK_ERRNO(sigaction(SIGALRM, &sa, NULL));
    struct itimerval it = { .it_value = { 0, 20000 } };
    CHECK_ERRNO(setitimer(ITIMER_REAL, &it, NULL));
    read_one("the read the handler ends", 'x');
    sa.sa_handler = SIG_DFL;
    CHECK_ERRNO(sigaction(SIGALRM, &sa, NULL));
    FILE *w = fdopen(dup(p[1]), "w");
    if (!w || fputc('z', w) != 'z' || fflush(w) != 0)
        scen_die("stdio write: %s", strerror(errno));
    read_one("the read after stdio's write", 'z');
    return 0;
}
