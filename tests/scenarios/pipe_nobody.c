/* SPDX-License-Identifier: MIT */
/* Verdict: a thread reads a pipe the program made and never shares; nothing
 * ever writes to it; main joins the reader. All asleep (wait kind pipe-read). */
#include "scen.h"

static int fds[2];

static void *reader(void *arg)
{
    scen_name("reader");
    char ch;
    ssize_t n = read(fds[0], &ch, 1);
    scen_die("read returned %zd", n);
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK_ERRNO(pipe(fds));
    CHECK(pthread_create(&t, NULL, reader, NULL));
    CHECK(pthread_join(t, NULL));
    scen_die("joined reader");
}
