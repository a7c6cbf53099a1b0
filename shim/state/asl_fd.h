/* SPDX-License-Identifier: MIT */
/* The channels the program made inside this process: pipe, eventfd and
 * socketpair ends, plus epoll sets.  A wait on such a channel can only be
 * ended by a thread of this process, unless the channel was exposed to
 * another process (fork, spawn, exec from a vfork child, SCM_RIGHTS): that
 * mark is permanent.
 *
 * A per-fd record in a static array; the fast path of read/write loads one
 * byte of it.  Updates are single stores (close may run in a signal handler
 * or between fork and exec). */
#ifndef ASL_FD_H
#define ASL_FD_H

#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

#define ASL_FD_MAX 65536

enum asl_fd_kind { ASL_FD_NONE, ASL_FD_PIPE_R, ASL_FD_PIPE_W, ASL_FD_EVENTFD, ASL_FD_SOCKET, ASL_FD_EPOLL };

struct asl_fd {
	_Atomic unsigned char kind;     /* enum asl_fd_kind */
	_Atomic unsigned char exposed;  /* another process may hold it */
	_Atomic unsigned char external; /* epoll: has a member we cannot vouch for */
	_Atomic unsigned char written;  /* a write through this fd was seen (asl_confirm's idle rule) */
	/* fcntl once found it blocking: a hint, never an answer (hook_io.c).
	 * Another process or an inline fcntl may change the flag unseen, so
	 * the hint only ever skips a question whose wrong answer costs nothing:
	 * it sends the call to the real read or write, which answers EAGAIN
	 * itself on a non-blocking fd (and then clears the hint). */
	_Atomic unsigned char blocking;
	int peer; /* the other end's fd, or -1 */
	/* A pipe's read end: bytes the hooks saw written into the pipe minus
	 * those they saw read through this fd (hook_io.c's fill count). */
	_Atomic long queued;
	/* A pipe's read end: the one thread seen reading through this fd (its
	 * record), ASL_FD_MANY_READERS once another one did, one read in a
	 * signal handler, or reads through it may go unseen (a dup), 0 before
	 * the first read (hook_io.c's sole reader).  It only moves forward,
	 * 0 -> a thread -> MANY, until the fd is tracked anew. */
	_Atomic uintptr_t reader;
	ino_t ino; /* identity, checked before a wait counts */
};

#define ASL_FD_MANY_READERS ((uintptr_t)1)

extern struct asl_fd asl_fds[ASL_FD_MAX];

static inline int asl_fd_kind(int fd)
{
	if ((unsigned)fd >= ASL_FD_MAX)
		return ASL_FD_NONE;
	return atomic_load_explicit(&asl_fds[fd].kind, memory_order_relaxed);
}

void asl_fd_track(int fd, int kind, int peer);
void asl_fd_forget(int fd);
/* fds [first, last] were closed (close_range, closefrom).  Signal-safe. */
void asl_fd_forget_range(unsigned first, unsigned last);
void asl_fd_dup(int from, int to);
/* Marks fd's channel (both ends) as possibly held by another process. */
void asl_fd_expose(int fd);
/* Marks every tracked fd (optionally only those without FD_CLOEXEC). */
void asl_fd_expose_all(int only_inheritable);
/* A tracked fd whose channel no other process may hold, as far as the
 * table knows (no system call). */
static inline int asl_fd_unshared(int fd)
{
	return asl_fd_kind(fd) != ASL_FD_NONE && !atomic_load(&asl_fds[fd].exposed) &&
	       !atomic_load(&asl_fds[fd].external);
}
/* The same, and the fd still is the channel recorded (fstat; an entry found
 * stale is forgotten).  What a verdict on a wait must ask. */
int asl_fd_private(int fd);
void asl_fd_epoll_add(int epfd, int fd);
/* Before a clone-family system call with these flags (hook_fdlife.c). */
void asl_fd_before_clone(unsigned long flags);

#endif
