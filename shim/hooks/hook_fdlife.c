/* SPDX-License-Identifier: MIT */
/* Where channels come from and where they go: creation, duplication, close,
 * and everything that may hand them to another process. */
#define _GNU_SOURCE
#include "asl_syscalls.h"
#include "asl_fd.h"
#include "asl_proc.h"
#include "asl_real.h"
#include "asl_thread.h"

#include <linux/close_range.h>
#include <sched.h>
#include <stdio.h>
#include <stdarg.h>
#include <sys/eventfd.h>
#include <unistd.h>

static void track_pair(const int *fds, int k0, int k1)
{
	asl_fd_track(fds[0], k0, fds[1]);
	asl_fd_track(fds[1], k1, fds[0]);
}

ASL_EXPORT int pipe(int fds[2])
{
	int r = REAL(pipe)(fds);
	if (r == 0)
		track_pair(fds, ASL_FD_PIPE_R, ASL_FD_PIPE_W);
	return r;
}

ASL_EXPORT int pipe2(int fds[2], int flags)
{
	int r = REAL(pipe2)(fds, flags);
	if (r == 0)
		track_pair(fds, ASL_FD_PIPE_R, ASL_FD_PIPE_W);
	return r;
}

ASL_EXPORT int eventfd(unsigned initval, int flags)
{
	int fd = REAL(eventfd)(initval, flags);
	if (fd >= 0)
		asl_fd_track(fd, ASL_FD_EVENTFD, -1);
	return fd;
}

ASL_EXPORT int socketpair(int domain, int type, int proto, int fds[2])
{
	int r = REAL(socketpair)(domain, type, proto, fds);
	if (r == 0)
		track_pair(fds, ASL_FD_SOCKET, ASL_FD_SOCKET);
	return r;
}

ASL_EXPORT int epoll_create(int size)
{
	int fd = REAL(epoll_create)(size);
	if (fd >= 0)
		asl_fd_track(fd, ASL_FD_EPOLL, -1);
	return fd;
}

ASL_EXPORT int epoll_create1(int flags)
{
	int fd = REAL(epoll_create1)(flags);
	if (fd >= 0)
		asl_fd_track(fd, ASL_FD_EPOLL, -1);
	return fd;
}

ASL_EXPORT int epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	int r = REAL(epoll_ctl)(epfd, op, fd, ev);
	if (r == 0 && op != EPOLL_CTL_DEL)
		asl_fd_epoll_add(epfd, fd);
	return r;
}

/* May run in a signal handler or between fork and exec: one store. */
ASL_EXPORT int close(int fd)
{
	asl_fd_forget(fd);
	return REAL(close)(fd);
}

/* Closes the table must hear of: a number it still lists as a pipe that
 * open() then reuses for a regular file would get the pipe's non-blocking
 * try, and RWF_NOWAIT reads of a file return only what is cached (a short
 * read where the program's read would be whole). */
ASL_EXPORT int close_range(unsigned first, unsigned last, int flags)
{
	if (!(flags & CLOSE_RANGE_CLOEXEC))
		asl_fd_forget_range(first, last);
	return REAL(close_range)(first, last, flags);
}

ASL_EXPORT void closefrom(int lowfd)
{
	asl_fd_forget_range(lowfd < 0 ? 0 : (unsigned)lowfd, ~0u);
	REAL(closefrom)(lowfd);
}

/* A stream's fd (fdopen of a pipe end) is closed inside glibc. */
ASL_EXPORT int fclose(FILE *f)
{
	if (f)
		asl_fd_forget(fileno_unlocked(f));
	return REAL(fclose)(f);
}

/* freopen closes the stream's fd, and keeps its number for the new file.
 * The headers (_FILE_OFFSET_BITS=64) call freopen64 "freopen": the plain
 * one is defined by its symbol name. */
ASL_EXPORT FILE *hook_freopen(const char *path, const char *mode, FILE *f) __asm__("freopen");
ASL_EXPORT FILE *hook_freopen(const char *path, const char *mode, FILE *f)
{
	if (f)
		asl_fd_forget(fileno_unlocked(f));
	return REAL(freopen)(path, mode, f);
}

ASL_EXPORT FILE *freopen64(const char *path, const char *mode, FILE *f)
{
	if (f)
		asl_fd_forget(fileno_unlocked(f));
	return REAL(freopen64)(path, mode, f);
}

ASL_EXPORT int dup(int fd)
{
	int r = REAL(dup)(fd);
	if (r >= 0)
		asl_fd_dup(fd, r);
	return r;
}

ASL_EXPORT int dup2(int fd, int to)
{
	int r = REAL(dup2)(fd, to);
	if (r >= 0)
		asl_fd_dup(fd, r);
	return r;
}

ASL_EXPORT int dup3(int fd, int to, int flags)
{
	int r = REAL(dup3)(fd, to, flags);
	if (r >= 0)
		asl_fd_dup(fd, r);
	return r;
}

/* A spawned program may inherit any fd (file actions can dup even a
 * close-on-exec one into it). */
ASL_EXPORT int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
                           const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	asl_fd_expose_all(0);
	return REAL(posix_spawn)(pid, path, fa, attr, argv, envp);
}

ASL_EXPORT int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
                            const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	asl_fd_expose_all(0);
	return REAL(posix_spawnp)(pid, file, fa, attr, argv, envp);
}

/* A child made without fork() runs no fork handler: clone() and raw fork
 * system calls (hook_futex.c) expose every channel themselves.  A new
 * thread of this process (CLONE_THREAD) is no other process. */
void asl_fd_before_clone(unsigned long flags)
{
	if (!(flags & CLONE_THREAD))
		asl_fd_expose_all(0);
}

ASL_EXPORT int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	pid_t *ptid = va_arg(ap, pid_t *);
	void *tls = va_arg(ap, void *);
	pid_t *ctid = va_arg(ap, pid_t *);
	va_end(ap);
	asl_fd_before_clone((unsigned long)(unsigned)flags);
	return REAL(clone)(fn, stack, flags, arg, ptid, tls, ctid);
}

ASL_EXPORT int system(const char *cmd)
{
	asl_fd_expose_all(1);
	return REAL(system)(cmd);
}

ASL_EXPORT FILE *popen(const char *cmd, const char *mode)
{
	asl_fd_expose_all(1);
	return REAL(popen)(cmd, mode);
}

/* exec from a vfork child (another pid sharing our memory): the new program
 * keeps every inheritable fd.  In the process itself, exec ends the shim. */
static void before_exec(void)
{
	struct asl_thread *me = asl_me;
	if (asl_pid == 0 || !asl_syscalls_begin(me))
		return;
	if (getpid() != asl_pid)
		asl_fd_expose_all(1);
	asl_syscalls_end(me);
}

ASL_EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
	before_exec();
	return REAL(execve)(path, argv, envp);
}

ASL_EXPORT int execv(const char *path, char *const argv[])
{
	before_exec();
	return REAL(execv)(path, argv);
}

ASL_EXPORT int execvp(const char *file, char *const argv[])
{
	before_exec();
	return REAL(execvp)(file, argv);
}

ASL_EXPORT int execvpe(const char *file, char *const argv[], char *const envp[])
{
	before_exec();
	return REAL(execvpe)(file, argv, envp);
}
