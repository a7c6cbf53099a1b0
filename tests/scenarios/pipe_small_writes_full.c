/* SPDX-License-Identifier: MIT */
/* Verdict: as pipe_write_full, but the writer fills the pipe 100 bytes at a
 * time.  Its first writes into the nearly empty pipe skip the shim's
 * non-waiting try (hook_io.c: a pipe's fill); the fill count must bring the
 * tries back before the pipe is full, so that the write that blocks is
 * recorded.  All asleep (wait kind pipe-write on the write end). */
#include "scen.h"

static int fds[2];

static void *writer(void *arg)
{
    scen_name("writer");
    static char data[100];
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
