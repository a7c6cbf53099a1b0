/* SPDX-License-Identifier: MIT */
/* The mirror of shutdown_stall: SIGTERM's handler writes to a self-pipe,
 * the "server" thread blocked reading it wakes and returns, main joins it
 * and exits 0.  No shutdown-stall, no finding at all. */
#include "scen.h"
#include <signal.h>

static int self_pipe[2];

static void on_term(int sig)
{
    (void)sig;
    char b = 't';
    ssize_t r = write(self_pipe[1], &b, 1);
    (void)r;
}

static void *server(void *arg)
{
    char b;
    scen_name("server");
    ssize_t r;
    do
        r = read(self_pipe[0], &b, 1);
    while (r < 0 && errno == EINTR);
    if (r != 1 || b != 't')
        scen_die("read %zd", r);
    return arg;
}

int main(void)
{
    pthread_t t;
    struct sigaction sa;
    CHECK_ERRNO(pipe2(self_pipe, O_CLOEXEC));
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigemptyset(&sa.sa_mask);
    CHECK_ERRNO(sigaction(SIGTERM, &sa, NULL));
    CHECK(pthread_create(&t, NULL, server, NULL));
    CHECK(raise(SIGTERM));
    CHECK(pthread_join(t, NULL));
    return 0;
}
