/* SPDX-License-Identifier: MIT */
/* Verdict: a thread writes into a pipe the program made and never shares,
 * 1 MiB at a time (or CHUNK bytes, as pipe_small_writes_full builds it);
 * main keeps the read end open but never reads, and joins the writer.
 * Once the pipe is full the writer sleeps for good. All asleep (wait kind
 * pipe-write on the write end). */
#include "scen.h"

#ifndef CHUNK
#define CHUNK (1 << 20)
#endif

static int fds[2];

static void *writer(void *arg)
{
    scen_name("writer");
    static char data[CHUNK];
    for (;;) {
        ssize_t n = write(fds[1], data, sizeof data);
        if (n != (ssize_t)sizeof data)
            scen_die("write returned %zd", n);
    }
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
