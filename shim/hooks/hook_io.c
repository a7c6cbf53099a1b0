/* SPDX-License-Identifier: MIT */
/* read/write and friends on the channels the program made (asl_fd.h).
 * An fd we do not track costs one table load.  On a pipe or eventfd, the
 * call is first made with RWF_NOWAIT: when it would not block, that is the
 * call, and costs nothing more (a small write into a pipe the hooks saw
 * nearly empty skips even that: below).  Otherwise (and on sockets, where a
 * non-waiting read may return less than SO_RCVLOWAT asks for) a zero-timeout
 * poll tells whether the call would block; only then is the wait recorded
 * (stack and all).  These calls may run in signal handlers: inside one, or
 * without a thread record, everything passes straight through. */
#define _GNU_SOURCE
#include "asl_syscalls.h"
#include "asl_fd.h"
#include "asl_real.h"
#include "asl_thread.h"
#include "asl_wait.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

static int wait_kind(int fd_kind, int writing)
{
	switch (fd_kind) {
	case ASL_FD_PIPE_R:
	case ASL_FD_PIPE_W:
		return writing ? ASL_W_PIPE_WRITE : ASL_W_PIPE_READ;
	case ASL_FD_EVENTFD:
		return ASL_W_EVENTFD;
	default:
		return ASL_W_SOCKET;
	}
}

/* Would this call block?  Not when the fd is ready or non-blocking.  A write
 * larger than PIPE_BUF may block part-way even when there is room. */
static int would_block(int fd, int writing, size_t len)
{
	struct pollfd p = { fd, writing ? POLLOUT : POLLIN, 0 };
	if (writing && len > PIPE_BUF)
		p.events = 0; /* fall through to the O_NONBLOCK check */
	else if (REAL(poll)(&p, 1, 0) != 0)
		return 0;
	int fl = fcntl(fd, F_GETFL);
	return fl >= 0 && !(fl & O_NONBLOCK);
}

/* Someone wrote to this channel: it is not an unused wake-up fd. */
static inline void note_written(int fd)
{
	if ((unsigned)fd < ASL_FD_MAX && !atomic_load_explicit(&asl_fds[fd].written, memory_order_relaxed))
		atomic_store_explicit(&asl_fds[fd].written, 1, memory_order_relaxed);
}

/* Records the wait of a call that will block on fd.  Whether the fd still is
 * the channel recorded is left to whoever judges the wait (asl_fd_private,
 * a system call): most waits end before anyone looks. */
static void record_wait(struct asl_thread *me, int fd, int kind, int writing)
{
	struct asl_wait_req w = { .kind = wait_kind(kind, writing),
		                  .obj = (const void *)(intptr_t)fd,
		                  .shared = !asl_fd_unshared(fd),
		                  .peer = asl_fds[fd].peer,
		                  .nfds = 1,
		                  .fds = &fd };
	asl_wait_begin(me, &w);
}

/* The slow path: returns the thread when a wait was recorded. */
static struct asl_thread *chan_begin(int fd, int writing, size_t len)
{
	struct asl_thread *me = asl_hook_self();
	int kind = asl_fd_kind(fd);
	if (writing)
		note_written(fd);
	if (!me || asl_in_signal(me) || kind == ASL_FD_NONE || kind == ASL_FD_EPOLL)
		return NULL;
	/* A pipe's wrong end answers EBADF at once (poll would call it busy). */
	if ((kind == ASL_FD_PIPE_R && writing) || (kind == ASL_FD_PIPE_W && !writing))
		return NULL;
	if (!asl_syscalls_begin(me)) /* the shim is stopped (sandboxed) */
		return NULL;
	int saved = errno;
	/* poll is a cancellation point: no shim state is changed around it
	 * (a thread cancelled here keeps its sys_depth mark until it exits). */
	int block = would_block(fd, writing, len);
	errno = saved;
	asl_syscalls_end(me);
	if (!block)
		return NULL;
	record_wait(me, fd, kind, writing);
	return me;
}

/* The kernel refuses RWF_NOWAIT for this kind of file, has no preadv2, or
 * a seccomp filter answers for it: from then on, the poll path only. */
static _Atomic int nowait_refused[ASL_FD_EPOLL + 1];

/* May the call be tried with RWF_NOWAIT?  A pipe read or an eventfd read
 * returns what a blocking one would, or EAGAIN; a pipe write too when it
 * fits in PIPE_BUF (atomic: all or EAGAIN).  Bigger writes may stop
 * part-way, and eventfd writes do not take the flag. */
static inline int nowait_ok(int kind, int writing, size_t len)
{
	if (writing ? kind != ASL_FD_PIPE_W || len > PIPE_BUF : kind != ASL_FD_PIPE_R && kind != ASL_FD_EVENTFD)
		return 0;
	return !atomic_load_explicit(&nowait_refused[kind], memory_order_relaxed);
}

/* The try: >= 0, or -1 with errno, as the plain call would answer; else
 * (errno kept) TRY_BLOCKS: it would block, or TRY_UNSURE: the try told
 * nothing (refused, or an error the plain call may not give): ask poll. */
#define TRY_BLOCKS (-2)
#define TRY_UNSURE (-3)
static ssize_t nowait_try(int fd, int kind, int writing, const struct iovec *iov, int cnt)
{
	int saved = errno;
	ssize_t r = writing ? pwritev2(fd, iov, cnt, -1, RWF_NOWAIT) : preadv2(fd, iov, cnt, -1, RWF_NOWAIT);
	if (r >= 0)
		return r;
	int e = errno;
	errno = saved;
	if (e == EPIPE || e == EBADF || e == EFAULT || e == EINVAL) {
		errno = e; /* the plain call's answer too (EPIPE: its SIGPIPE is sent) */
		return -1;
	}
	if (e == EOPNOTSUPP || e == ENOSYS || e == EPERM || e == EACCES) {
		/* no RWF_NOWAIT here, or a seccomp filter refuses the call */
		atomic_store_explicit(&nowait_refused[kind], 1, memory_order_relaxed);
		return TRY_UNSURE;
	}
	if (e != EAGAIN)
		return TRY_UNSURE;
	/* Ask fcntl only until it has once said "blocking" (asl_fd.h). */
	if (atomic_load_explicit(&asl_fds[fd].blocking, memory_order_relaxed))
		return TRY_BLOCKS;
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0 && (fl & O_NONBLOCK)) {
		errno = EAGAIN; /* a non-blocking fd: EAGAIN is the answer */
		return -1;
	}
	if (fl >= 0)
		atomic_store_explicit(&asl_fds[fd].blocking, 1, memory_order_relaxed);
	return TRY_BLOCKS;
}

/* The real call after TRY_BLOCKS answered EAGAIN: the fd is non-blocking
 * now, and the hint wrong.  Keeps errno. */
static inline ssize_t after_blocking_call(int fd, ssize_t r)
{
	if (__builtin_expect(r < 0, 0) && errno == EAGAIN)
		atomic_store_explicit(&asl_fds[fd].blocking, 0, memory_order_relaxed);
	return r;
}

/* The blocking case after a try: the wait is recorded without asking poll. */
static struct asl_thread *chan_wait_begin(int fd, int kind, int writing)
{
	struct asl_thread *me = asl_hook_self();
	if (!me || asl_sandboxed() || asl_in_signal(me))
		return NULL;
	record_wait(me, fd, kind, writing);
	return me;
}

/* Pipes and eventfds: try without waiting.  Returns 1 when the try is the
 * answer (*out); else 0, with the wait recorded in *me (NULL: none). */
static int try_first(int fd, int kind, int writing, size_t len, const struct iovec *iov, int cnt, ssize_t *out,
                     struct asl_thread **me)
{
	struct asl_thread *t = asl_hook_self();
	*me = NULL;
	if (!t || asl_in_signal(t))
		return 0;
	if (writing)
		note_written(fd);
	/* preadv2/pwritev2 are cancellation points and enter no hook: the thread
	 * is not marked inside the shim around them, so a cancellation there
	 * unwinds a thread whose shim state is as before the call (but for its
	 * sys_depth mark, which lasts until it exits: asl_syscalls.h). */
	if (!asl_syscalls_begin(t)) /* the shim is stopped (sandboxed) */
		return 0;
	ssize_t n = nowait_try(fd, kind, writing, iov, cnt);
	asl_syscalls_end(t);
	if (n >= -1) {
		*out = n;
		return 1;
	}
	*me = n == TRY_BLOCKS ? chan_wait_begin(fd, kind, writing) : chan_begin(fd, writing, len);
	return 0;
}

/* The real call, as a recorded wait when `me` (the thread) is not NULL. */
#define WAIT_IN(me, call)                                     \
	do {                                                  \
		struct asl_thread *me_ = (me);                \
		return me_ ? ASL_WAIT_CALL(me_, call) : call; \
	} while (0)

/* Pipes and eventfds: try first, then wait (recorded) for real. */
#define NOWAIT_CALL(fd, kind, writing, len, iov, cnt, call)                \
	do {                                                               \
		ssize_t n_;                                                \
		struct asl_thread *t_;                                     \
		if (try_first(fd, kind, writing, len, iov, cnt, &n_, &t_)) \
			return n_;                                         \
		WAIT_IN(t_, after_blocking_call(fd, call));                \
	} while (0)

/* One body for every call: track only what we made, record only real waits. */
#define CHAN_CALL(fd, writing, len, call)                                \
	do {                                                             \
		if (__builtin_expect(asl_fd_kind(fd) == ASL_FD_NONE, 1)) \
			return call;                                     \
		WAIT_IN(chan_begin(fd, writing, len), call);             \
	} while (0)

static size_t iov_len(const struct iovec *iov, int n)
{
	size_t len = 0;
	for (int i = 0; i < n; i++)
		len += iov[i].iov_len;
	return len;
}

/* ---- A pipe's fill, as the hooks saw it ----
 * A write of n bytes into a private pipe that the hooks saw hold at most
 * SURE_ROOM - n bytes cannot block: it skips the RWF_NOWAIT try (whose
 * vectored system call costs more than the plain one) and is the plain
 * call (and a read by the pipe's sole reader that the count says finds
 * bytes: read_by_count).  The count lives on the read end's entry (asl_fd.h: queued): each
 * write through the hooks adds what it wrote, each read through that fd
 * subtracts what it read.  Writes the hooks do not see (stdio's own, to an
 * fdopen'd end; an inline system call; splice) and reads through a dup'd
 * read end make it wrong: a count below zero, an end whose peer is not the
 * same pipe, or a pipe another process may hold always tries.  A wrong count
 * can only make a write skip a try it needed; that write then blocks
 * unrecorded, which costs a verdict (the thread counts as running), never
 * an answer: the call is the program's own. */
#define SURE_ROOM 4096 /* of a pipe's 16 pages (64 KiB), at most two hold it */

static inline _Atomic long *pipe_fill(int wfd)
{
	int r = asl_fds[wfd].peer;
	if ((unsigned)r >= ASL_FD_MAX || asl_fd_kind(r) != ASL_FD_PIPE_R || asl_fds[r].ino != asl_fds[wfd].ino ||
	    atomic_load_explicit(&asl_fds[wfd].exposed, memory_order_relaxed))
		return NULL;
	return &asl_fds[r].queued;
}

static inline int room_sure(_Atomic long *fill, size_t n)
{
	long q = atomic_load_explicit(fill, memory_order_relaxed);
	return q >= 0 && n <= SURE_ROOM && (size_t)q <= SURE_ROOM - n;
}

static inline ssize_t pipe_wrote(_Atomic long *fill, ssize_t r)
{
	if (fill && r > 0)
		atomic_fetch_add_explicit(fill, r, memory_order_relaxed);
	return r;
}

/* ---- Reads the count decides ----
 * A read of a private, blocking pipe the hooks saw emptied will most likely
 * wait: the wait is recorded without the try, and the read is the plain
 * call.  A wrong guess (data the hooks did not see written) costs a record
 * that ends at once, never an answer; the lone thread's check at the
 * attempt, which may end the process, asks the kernel (FIONREAD) first.
 *
 * The sole reader: a read of a private pipe whose count says bytes are
 * there cannot block when no other thread reads it: it is the plain call,
 * without the try.  The count only ever runs behind the pipe (a write adds
 * after it returns, a read subtracts after it returns), so the bytes it
 * counts are there, and only the sole reader can take them.  The first
 * thread to read through the fd becomes its reader (asl_fd.h); a second
 * one, a read in a signal handler, or a dup makes it MANY for good, and
 * every read then tries.
 *
 * What it costs when the count is wrong, as on the write side: reads the
 * hooks do not see (an inline system call, splice, stdio's own on an
 * fdopen'd end, an fd made by fcntl(F_DUPFD)) leave the count too high, and
 * a second reader's first read can race the sole reader's plain read for
 * the last bytes; either way a plain read may block unrecorded.  That
 * thread counts as running until the call returns: it costs a verdict,
 * never an answer, and never a false one. */

/* Is fd still the only thread's to read?  Every read through a counted
 * read end asks, whatever the count says: a reader that only ever waits
 * takes bytes too. */
static inline int sole_reader(int fd)
{
	_Atomic uintptr_t *reader = &asl_fds[fd].reader;
	struct asl_thread *self = asl_hook_self();
	uintptr_t me = (uintptr_t)self, was = atomic_load_explicit(reader, memory_order_relaxed);
	if (__builtin_expect(was == me && me && !asl_in_signal(self), 1))
		return 1;
	if (was == ASL_FD_MANY_READERS)
		return 0;
	/* Claim an unread end; any other reader makes it MANY, and so does a
	 * read in a signal handler (it may run between the check and the system
	 * call of the plain read it interrupted). */
	if (!me || was != 0 || asl_in_signal(self) || !atomic_compare_exchange_strong(reader, &was, me)) {
		atomic_store(reader, ASL_FD_MANY_READERS);
		return 0;
	}
	return 1;
}

enum { READ_TRIES, READ_PLAIN, READ_WAITS };

static inline int read_by_count(int fd, int kind)
{
	if (kind != ASL_FD_PIPE_R || atomic_load_explicit(&asl_fds[fd].exposed, memory_order_relaxed))
		return READ_TRIES;
	/* Only the read end the writes count into (not a dup of it). */
	int w = asl_fds[fd].peer;
	if ((unsigned)w >= ASL_FD_MAX || asl_fds[w].peer != fd)
		return READ_TRIES;
	int sole = sole_reader(fd);
	if (atomic_load_explicit(&asl_fds[fd].queued, memory_order_relaxed) > 0)
		return sole ? READ_PLAIN : READ_TRIES;
	return atomic_load_explicit(&asl_fds[fd].blocking, memory_order_relaxed) ? READ_WAITS : READ_TRIES;
}

/* Pipes: a read that will most likely wait waits (recorded) at once.  (A
 * READ_PLAIN one the hook made itself, before the out-of-line body.) */
#define WAITS_CALL(by, fd, kind, call)                                                        \
	do {                                                                                  \
		if ((by) == READ_WAITS)                                                       \
			WAIT_IN(chan_wait_begin(fd, kind, 0), after_blocking_call(fd, call)); \
	} while (0)

static inline ssize_t pipe_read(int fd, int kind, ssize_t r)
{
	if (kind == ASL_FD_PIPE_R && r > 0)
		atomic_fetch_sub_explicit(&asl_fds[fd].queued, r, memory_order_relaxed);
	return r;
}

/* The bodies of read, __read_chk and readv on a tracked fd. */
static inline ssize_t read_chan(int fd, int kind, int by, void *buf, size_t n)
{
	WAITS_CALL(by, fd, kind, REAL(read)(fd, buf, n));
	if (nowait_ok(kind, 0, n)) {
		struct iovec v = { buf, n };
		NOWAIT_CALL(fd, kind, 0, n, &v, 1, REAL(read)(fd, buf, n));
	}
	CHAN_CALL(fd, 0, n, REAL(read)(fd, buf, n));
}

static inline ssize_t read_chk_chan(int fd, int kind, int by, void *buf, size_t n, size_t buflen)
{
	WAITS_CALL(by, fd, kind, REAL(__read_chk)(fd, buf, n, buflen));
	if (n <= buflen && nowait_ok(kind, 0, n)) { /* else the real one's abort */
		struct iovec v = { buf, n };
		NOWAIT_CALL(fd, kind, 0, n, &v, 1, REAL(__read_chk)(fd, buf, n, buflen));
	}
	CHAN_CALL(fd, 0, n, REAL(__read_chk)(fd, buf, n, buflen));
}

static inline ssize_t readv_chan(int fd, int kind, int by, const struct iovec *iov, int cnt)
{
	WAITS_CALL(by, fd, kind, REAL(readv)(fd, iov, cnt));
	if (nowait_ok(kind, 0, 0))
		NOWAIT_CALL(fd, kind, 0, 0, iov, cnt, REAL(readv)(fd, iov, cnt));
	CHAN_CALL(fd, 0, 0, REAL(readv)(fd, iov, cnt));
}

ASL_EXPORT ssize_t read(int fd, void *buf, size_t n)
{
	int kind = asl_fd_kind(fd);
	if (__builtin_expect(kind == ASL_FD_NONE, 1))
		return REAL(read)(fd, buf, n);
	int by = read_by_count(fd, kind);
	if (by == READ_PLAIN)
		return pipe_read(fd, kind, REAL(read)(fd, buf, n));
	return pipe_read(fd, kind, read_chan(fd, kind, by, buf, n));
}

ASL_EXPORT ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen)
{
	int kind = asl_fd_kind(fd);
	if (__builtin_expect(kind == ASL_FD_NONE, 1))
		return REAL(__read_chk)(fd, buf, n, buflen);
	int by = n <= buflen ? read_by_count(fd, kind) : READ_TRIES; /* else the real one's abort */
	if (by == READ_PLAIN)
		return pipe_read(fd, kind, REAL(__read_chk)(fd, buf, n, buflen));
	return pipe_read(fd, kind, read_chk_chan(fd, kind, by, buf, n, buflen));
}

ASL_EXPORT ssize_t readv(int fd, const struct iovec *iov, int cnt)
{
	int kind = asl_fd_kind(fd);
	if (__builtin_expect(kind == ASL_FD_NONE, 1))
		return REAL(readv)(fd, iov, cnt);
	int by = read_by_count(fd, kind);
	if (by == READ_PLAIN)
		return pipe_read(fd, kind, REAL(readv)(fd, iov, cnt));
	return pipe_read(fd, kind, readv_chan(fd, kind, by, iov, cnt));
}

/* The bodies of write and writev on a tracked fd that may block. */
static inline ssize_t write_chan(int fd, int kind, const void *buf, size_t n)
{
	if (nowait_ok(kind, 1, n)) {
		struct iovec v = { (void *)buf, n };
		NOWAIT_CALL(fd, kind, 1, n, &v, 1, REAL(write)(fd, buf, n));
	}
	CHAN_CALL(fd, 1, n, REAL(write)(fd, buf, n));
}

static inline ssize_t writev_chan(int fd, int kind, const struct iovec *iov, int cnt, size_t len)
{
	if (nowait_ok(kind, 1, len))
		NOWAIT_CALL(fd, kind, 1, len, iov, cnt, REAL(writev)(fd, iov, cnt));
	CHAN_CALL(fd, 1, len, REAL(writev)(fd, iov, cnt));
}

ASL_EXPORT ssize_t write(int fd, const void *buf, size_t n)
{
	int kind = asl_fd_kind(fd);
	if (__builtin_expect(kind == ASL_FD_NONE, 1))
		return REAL(write)(fd, buf, n);
	_Atomic long *fill = kind == ASL_FD_PIPE_W ? pipe_fill(fd) : NULL;
	if (fill && room_sure(fill, n)) {
		note_written(fd);
		return pipe_wrote(fill, REAL(write)(fd, buf, n));
	}
	return pipe_wrote(fill, write_chan(fd, kind, buf, n));
}

ASL_EXPORT ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	int kind = asl_fd_kind(fd);
	if (__builtin_expect(kind == ASL_FD_NONE, 1))
		return REAL(writev)(fd, iov, cnt);
	size_t len = iov_len(iov, cnt);
	_Atomic long *fill = kind == ASL_FD_PIPE_W ? pipe_fill(fd) : NULL;
	if (fill && room_sure(fill, len)) {
		note_written(fd);
		return pipe_wrote(fill, REAL(writev)(fd, iov, cnt));
	}
	return pipe_wrote(fill, writev_chan(fd, kind, iov, cnt, len));
}

ASL_EXPORT ssize_t recv(int fd, void *buf, size_t n, int flags)
{
	if (flags & MSG_DONTWAIT)
		return REAL(recv)(fd, buf, n, flags);
	CHAN_CALL(fd, 0, n, REAL(recv)(fd, buf, n, flags));
}

ASL_EXPORT ssize_t __recv_chk(int fd, void *buf, size_t n, size_t buflen, int flags)
{
	if (flags & MSG_DONTWAIT)
		return REAL(__recv_chk)(fd, buf, n, buflen, flags);
	CHAN_CALL(fd, 0, n, REAL(__recv_chk)(fd, buf, n, buflen, flags));
}

ASL_EXPORT ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *addr, socklen_t *alen)
{
	if (flags & MSG_DONTWAIT)
		return REAL(recvfrom)(fd, buf, n, flags, addr, alen);
	CHAN_CALL(fd, 0, n, REAL(recvfrom)(fd, buf, n, flags, addr, alen));
}

ASL_EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	if (flags & MSG_DONTWAIT)
		return REAL(recvmsg)(fd, msg, flags);
	CHAN_CALL(fd, 0, 0, REAL(recvmsg)(fd, msg, flags));
}

ASL_EXPORT ssize_t send(int fd, const void *buf, size_t n, int flags)
{
	if (flags & MSG_DONTWAIT)
		return REAL(send)(fd, buf, n, flags);
	CHAN_CALL(fd, 1, n, REAL(send)(fd, buf, n, flags));
}

ASL_EXPORT ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr, socklen_t alen)
{
	if (flags & MSG_DONTWAIT)
		return REAL(sendto)(fd, buf, n, flags, addr, alen);
	CHAN_CALL(fd, 1, n, REAL(sendto)(fd, buf, n, flags, addr, alen));
}

/* Descriptors sent over a socket may end up in another process. */
static void expose_passed_fds(const struct msghdr *msg)
{
	if (!msg || msg->msg_controllen == 0)
		return;
	for (struct cmsghdr *c = CMSG_FIRSTHDR((struct msghdr *)msg); c; c = CMSG_NXTHDR((struct msghdr *)msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		const int *fds = (const int *)CMSG_DATA(c);
		for (size_t i = 0; i < n; i++)
			asl_fd_expose(fds[i]);
	}
}

ASL_EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	expose_passed_fds(msg);
	if (flags & MSG_DONTWAIT)
		return REAL(sendmsg)(fd, msg, flags);
	CHAN_CALL(fd, 1, msg ? iov_len(msg->msg_iov, (int)msg->msg_iovlen) : 0, REAL(sendmsg)(fd, msg, flags));
}
