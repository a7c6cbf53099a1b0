/* SPDX-License-Identifier: MIT */
/* No verdict: one thread in epoll_wait, without a timeout, on a set the
 * shim never saw filled: the pipe's read end was added through io_uring
 * (IORING_OP_EPOLL_CTL, as libuv 1.52 does), and io_uring itself writes to
 * the pipe after 0.8 s (a TIMEOUT linked to a WRITE).  The process looks
 * all asleep to the shim's own bookkeeping; only the kernel can say it is
 * not.  Notes "uring 1" when io_uring was used (0: the kernel refused it;
 * the program then ends at once). */
#include "scen.h"

#include <linux/io_uring.h>
#include <sys/epoll.h>
#include <sys/mman.h>

struct ring {
    int fd;
    unsigned *sq_tail, *sq_mask, *sq_array;
    struct io_uring_sqe *sqes;
};

static int ring_setup(struct ring *r)
{
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    r->fd = (int)syscall(SYS_io_uring_setup, 4, &p);
    if (r->fd < 0)
        return -1;
    size_t sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    char *sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
    r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
    if (sq == MAP_FAILED || r->sqes == MAP_FAILED)
        scen_die("mmap of the io_uring rings failed");
    r->sq_tail = (unsigned *)(sq + p.sq_off.tail);
    r->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
    r->sq_array = (unsigned *)(sq + p.sq_off.array);
    return 0;
}

static struct io_uring_sqe *ring_sqe(struct ring *r)
{
    unsigned tail = *r->sq_tail, i = tail & *r->sq_mask;
    struct io_uring_sqe *e = &r->sqes[i];
    memset(e, 0, sizeof *e);
    r->sq_array[i] = i;
    __atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
    return e;
}

static void ring_submit(struct ring *r, unsigned n)
{
    if (syscall(SYS_io_uring_enter, r->fd, n, 0, 0, NULL, 0) != (long)n)
        scen_die("io_uring_enter: %s", strerror(errno));
}

int main(void)
{
    int fds[2], ep;
    struct ring r;
    static struct epoll_event ev = {.events = EPOLLIN};
    static struct __kernel_timespec delay = {0, 800 * 1000 * 1000};
    static const char byte = 'x';
    CHECK_ERRNO(pipe(fds));
    CHECK_ERRNO(ep = epoll_create1(EPOLL_CLOEXEC));
    if (ring_setup(&r) != 0) {
        scen_note("uring", 0);
        return 0;
    }
    scen_note("uring", 1);
    ev.data.fd = fds[0];
    struct io_uring_sqe *e = ring_sqe(&r);
    e->opcode = IORING_OP_EPOLL_CTL;
    e->fd = ep;
    e->addr = (unsigned long)&ev; /* the event, the fd to add, the operation */
    e->off = (unsigned long)fds[0];
    e->len = EPOLL_CTL_ADD;
    e = ring_sqe(&r);
    e->opcode = IORING_OP_TIMEOUT;
    e->addr = (unsigned long)&delay;
    e->len = 1;
    e->flags = IOSQE_IO_HARDLINK; /* the timeout "fails" with -ETIME: the write still runs */
    e = ring_sqe(&r);
    e->opcode = IORING_OP_WRITE;
    e->fd = fds[1];
    e->addr = (unsigned long)&byte;
    e->len = 1;
    ring_submit(&r, 3);
    struct epoll_event got;
    int n;
    /* io_uring's completion work interrupts the wait (EINTR), as in libuv */
    while ((n = epoll_wait(ep, &got, 1, -1)) < 0 && errno == EINTR)
        ;
    if (n != 1 || got.data.fd != fds[0])
        scen_die("epoll_wait returned %d (%s)", n, strerror(errno));
    return 0;
}
