/* SPDX-License-Identifier: MIT */
/* No verdict, and the same answers as without the shim: every read and
 * write on a pipe or eventfd that does not wait (the shim tries these
 * without waiting first) returns what the kernel would return to the
 * plain call: EAGAIN on empty or full non-blocking channels, short reads,
 * all-or-nothing small writes, EPIPE, EINVAL, a partial big write; and a
 * pipe made non-blocking after a read on it blocked answers EAGAIN, and
 * waits again once made blocking again. */
#include "scen.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <limits.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/uio.h>

static void expect_fail(ssize_t r, int err, const char *what)
{
    if (r != -1 || errno != err)
        scen_die("%s: got %zd (%s), want -1 (%s)", what, r, strerror(errno), strerror(err));
}

static void expect_n(ssize_t r, ssize_t n, const char *what)
{
    if (r != n)
        scen_die("%s: got %zd (%s), want %zd", what, r, r < 0 ? strerror(errno) : "-", n);
}

static void pipes(void)
{
    int p[2];
    char buf[8192], big[3 * PIPE_BUF];
    CHECK_ERRNO(pipe2(p, O_NONBLOCK));
    expect_fail(read(p[0], buf, sizeof buf), EAGAIN, "read of an empty non-blocking pipe");
    expect_n(write(p[1], "0123456789", 10), 10, "small write");
    expect_n(read(p[0], buf, sizeof buf), 10, "read asks 8192, 10 are there");
    struct iovec v[2] = { { "abc", 3 }, { "defg", 4 } };
    expect_n(writev(p[1], v, 2), 7, "writev");
    char a[2], b[8];
    struct iovec r[2] = { { a, 2 }, { b, sizeof b } };
    expect_n(readv(p[0], r, 2), 7, "readv");
    if (memcmp(a, "ab", 2) || memcmp(b, "cdefg", 5))
        scen_die("readv scattered the bytes wrongly");
    volatile int bad = IOV_MAX + 1; /* volatile: the compiler knows it is wrong */
    expect_fail(readv(p[0], r, bad), EINVAL, "readv with too many buffers");
    /* fill it: small writes go in whole or not at all */
    memset(big, 'x', sizeof big);
    ssize_t w;
    while ((w = write(p[1], big, 100)) > 0)
        if (w != 100)
            scen_die("a 100-byte write went in part-way (%zd)", w);
    expect_fail(w, EAGAIN, "small write to a full non-blocking pipe");
    while (read(p[0], buf, sizeof buf) > 0)
        ;
    /* a big write to a non-blocking pipe with room for part of it */
    expect_n(write(p[1], big, 1000), 1000, "write before the big one");
    w = write(p[1], big, sizeof big);
    if (w <= 0 || w > (ssize_t)sizeof big)
        scen_die("big non-blocking write: %zd", w);
    while (read(p[0], buf, sizeof buf) > 0)
        ;
    /* blocking pipe with data: the read returns at once, short */
    int q[2];
    CHECK_ERRNO(pipe(q));
    expect_n(write(q[1], "hello", 5), 5, "write to a blocking pipe");
    expect_n(read(q[0], buf, sizeof buf), 5, "short read of a blocking pipe");
    expect_n(read(q[0], buf, 0), 0, "zero-byte read");
    /* no reader: EPIPE (SIGPIPE ignored) */
    signal(SIGPIPE, SIG_IGN);
    close(q[0]);
    expect_fail(write(q[1], "x", 1), EPIPE, "write with no reader");
    close(q[1]);
    /* EOF */
    close(p[1]);
    expect_n(read(p[0], buf, sizeof buf), 0, "read at end of file");
    close(p[0]);
    /* reading the write end, writing the read end */
    CHECK_ERRNO(pipe(q));
    expect_fail(read(q[1], buf, 1), EBADF, "read of a write end");
    expect_fail(write(q[0], "x", 1), EBADF, "write to a read end");
    close(q[0]);
    close(q[1]);
}

static void eventfds(void)
{
    uint64_t v = 0;
    int e = eventfd(0, EFD_NONBLOCK);
    CHECK_ERRNO(e);
    expect_fail(read(e, &v, sizeof v), EAGAIN, "read of a zero non-blocking eventfd");
    expect_fail(read(e, &v, 4), EINVAL, "eventfd read shorter than 8 bytes");
    v = 3;
    expect_n(write(e, &v, sizeof v), 8, "eventfd write");
    v = 0;
    expect_n(read(e, &v, sizeof v), 8, "eventfd read");
    if (v != 3)
        scen_die("eventfd read %llu, want 3", (unsigned long long)v);
    close(e);
    e = eventfd(2, EFD_SEMAPHORE);
    CHECK_ERRNO(e);
    expect_n(read(e, &v, sizeof v), 8, "semaphore eventfd read");
    if (v != 1)
        scen_die("semaphore eventfd read %llu, want 1", (unsigned long long)v);
    close(e);
}

static int late[2];
static atomic_int late_ready, late_tid;

static void *blocked_reader(void *arg)
{
    (void)arg;
    char c;
    atomic_store(&late_tid, (int)scen_gettid());
    atomic_store(&late_ready, 1);
    expect_n(read(late[0], &c, 1), 1, "blocking read, woken by a write");
    return NULL;
}

/* A reader that blocks on late[0] until main writes. */
static void read_blocked_then_woken(void)
{
    pthread_t t;
    atomic_store(&late_ready, 0);
    CHECK(pthread_create(&t, NULL, blocked_reader, NULL));
    scen_wait_blocked(&late_ready, &late_tid);
    expect_n(write(late[1], "x", 1), 1, "the write that wakes the reader");
    CHECK(pthread_join(t, NULL));
}

static void made_non_blocking_later(void)
{
    char c;
    CHECK_ERRNO(pipe(late));
    read_blocked_then_woken();
    CHECK_ERRNO(fcntl(late[0], F_SETFL, fcntl(late[0], F_GETFL) | O_NONBLOCK));
    expect_fail(read(late[0], &c, 1), EAGAIN, "read of an empty pipe made non-blocking after a blocked read");
    CHECK_ERRNO(fcntl(late[0], F_SETFL, fcntl(late[0], F_GETFL) & ~O_NONBLOCK));
    read_blocked_then_woken();
    close(late[0]);
    close(late[1]);
}

int main(void)
{
    pipes();
    eventfds();
    made_non_blocking_later();
    return 0;
}
