/* SPDX-License-Identifier: MIT */
/* Verdict: the pipe's only reader takes one byte through its read end and
 * the last one through a dup of it, then reads the read end again; nothing
 * writes again; main joins the reader.  All asleep (wait kind pipe-read),
 * the reader recorded: the shim's fill count on the read end still says a
 * byte is there (the dup's read is counted on the dup), so a dup must end
 * the read end's plain reads (hook_io.c sole_reader). */
#include "scen.h"

static int fds[2];

static void read_one(int fd, const char *what)
{
    char ch;
    ssize_t n = read(fd, &ch, 1);
    if (n != 1)
        scen_die("%s: read returned %zd", what, n);
}

static void *reader(void *arg)
{
    scen_name("reader");
    read_one(fds[0], "the first byte");
    int copy = dup(fds[0]);
    if (copy < 0)
        scen_die("dup: %s", strerror(errno));
    read_one(copy, "the last byte, through the dup");
    char ch;
    ssize_t n = read(fds[0], &ch, 1);
    scen_die("read of the empty pipe returned %zd", n);
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK_ERRNO(pipe(fds));
    if (write(fds[1], "ab", 2) != 2)
        scen_die("write: %s", strerror(errno));
    CHECK(pthread_create(&t, NULL, reader, NULL));
    CHECK(pthread_join(t, NULL));
    scen_die("joined reader");
}
