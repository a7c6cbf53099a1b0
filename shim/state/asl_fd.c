/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "asl_syscalls.h"
#include "asl_fd.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

struct asl_fd asl_fds[ASL_FD_MAX];
static _Atomic int fd_hwm; /* fds [0, hwm) may be tracked */

void asl_fd_track(int fd, int kind, int peer)
{
	struct stat st;
	if ((unsigned)fd >= ASL_FD_MAX)
		return;
	struct asl_fd *f = &asl_fds[fd];
	f->peer = peer;
	f->ino = 0; /* stopped (asl_syscalls.h): both ends alike, and no verdict checks it */
	if (asl_syscalls_begin(asl_me)) {
		if (fstat(fd, &st) == 0)
			f->ino = st.st_ino;
		asl_syscalls_end(asl_me);
	}
	atomic_store(&f->exposed, 0);
	atomic_store(&f->external, 0);
	atomic_store(&f->written, 0);
	atomic_store(&f->blocking, 0);
	atomic_store(&f->queued, 0);
	atomic_store(&f->reader, 0);
	atomic_store(&f->kind, (unsigned char)kind);
	int hwm = atomic_load(&fd_hwm);
	while (hwm < fd + 1 && !atomic_compare_exchange_weak(&fd_hwm, &hwm, fd + 1))
		;
}

void asl_fd_forget(int fd)
{
	if ((unsigned)fd < ASL_FD_MAX && atomic_load_explicit(&asl_fds[fd].kind, memory_order_relaxed))
		atomic_store(&asl_fds[fd].kind, ASL_FD_NONE);
}

void asl_fd_forget_range(unsigned first, unsigned last)
{
	for (unsigned fd = first; fd <= last && fd < ASL_FD_MAX; fd++)
		asl_fd_forget((int)fd);
}

void asl_fd_dup(int from, int to)
{
	if (from == to || (unsigned)to >= ASL_FD_MAX)
		return;
	int kind = asl_fd_kind(from);
	if (kind == ASL_FD_NONE) {
		asl_fd_forget(to);
		return;
	}
	asl_fd_track(to, kind, asl_fds[from].peer);
	if (kind == ASL_FD_PIPE_R) {
		/* Reads through one copy do not count in the other's fill. */
		atomic_store(&asl_fds[from].reader, ASL_FD_MANY_READERS);
		atomic_store(&asl_fds[to].reader, ASL_FD_MANY_READERS);
	}
	if (atomic_load(&asl_fds[from].exposed))
		atomic_store(&asl_fds[to].exposed, 1);
	if (atomic_load(&asl_fds[from].external))
		atomic_store(&asl_fds[to].external, 1);
	if (atomic_load(&asl_fds[from].written))
		atomic_store(&asl_fds[to].written, 1);
}

/* Both ends of a channel share an inode (pipes) or name each other (peer). */
void asl_fd_expose(int fd)
{
	int kind = asl_fd_kind(fd);
	if (kind == ASL_FD_NONE)
		return;
	ino_t ino = asl_fds[fd].ino;
	int peer = asl_fds[fd].peer, hwm = atomic_load(&fd_hwm);
	for (int i = 0; i < hwm; i++) {
		if (asl_fd_kind(i) == ASL_FD_NONE)
			continue;
		if (i == fd || i == peer || asl_fds[i].ino == ino ||
		    asl_fds[i].ino == asl_fds[peer >= 0 ? peer : fd].ino)
			atomic_store(&asl_fds[i].exposed, 1);
	}
}

static void mark_exposed(int fd)
{
	if ((unsigned)fd < ASL_FD_MAX && asl_fd_kind(fd) != ASL_FD_NONE)
		atomic_store(&asl_fds[fd].exposed, 1);
}

/* Linear, no allocation, no lock: it runs in fork's child handler. */
void asl_fd_expose_all(int only_inheritable)
{
	int hwm = atomic_load(&fd_hwm);
	for (int i = 0; i < hwm; i++) {
		if (asl_fd_kind(i) == ASL_FD_NONE)
			continue;
		if (only_inheritable && !asl_sandboxed()) { /* else each one counts */
			int fl = fcntl(i, F_GETFD);
			if (fl >= 0 && (fl & FD_CLOEXEC))
				continue;
		}
		/* An inherited end exposes its channel: the other end too. */
		mark_exposed(i);
		mark_exposed(asl_fds[i].peer);
	}
}

int asl_fd_private(int fd)
{
	struct stat st;
	if (!asl_fd_unshared(fd))
		return 0;
	int saved = errno;
	int gone = fstat(fd, &st) != 0;
	errno = saved;
	if (gone || st.st_ino != asl_fds[fd].ino) {
		/* Closed and reopened behind our back (fclose, close_range, ...). */
		asl_fd_forget(fd);
		return 0;
	}
	return 1;
}

void asl_fd_epoll_add(int epfd, int fd)
{
	if (asl_fd_kind(epfd) != ASL_FD_EPOLL)
		return;
	int k = asl_fd_kind(fd);
	if (k == ASL_FD_NONE || k == ASL_FD_EPOLL || !asl_fd_private(fd))
		atomic_store(&asl_fds[epfd].external, 1);
}
