/* SPDX-License-Identifier: MIT */
/* Verdict: a thread writes 1 MiB into a pipe the program made and never
 * shares; main keeps the read end open but never reads, and joins the writer.
 * Once the pipe is full the writer sleeps for good. All asleep (wait kind
 * pipe-write on the write end). */
#include "scen.h"

#define SIZE (1 << 20)

static int fds[2];

static void *writer(void *arg)
{
    scen_name("writer");
    static char data[SIZE];
    ssize_t n = write(fds[1], data, sizeof data);
    scen_die("write returned %zd", n);
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK_ERRNO(pipe(fds));
    scen_note("read", fds[0]);
    scen_note("write", fds[1]);
    CHECK(pthread_create(&t, NULL, writer, NULL));
    CHECK(pthread_join(t, NULL));
    scen_die("joined writer");
}
