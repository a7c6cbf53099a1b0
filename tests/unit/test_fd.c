/* SPDX-License-Identifier: MIT */
/* The channel table: what is tracked, what exposure spreads to, and that a
 * reused fd number is never taken for the channel it once was. */
#define _GNU_SOURCE
#include "asl_fd.h"
#include "asl_thread.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

/* asl_thread.c is not linked: no thread record (asl_syscalls.h then asks
 * the sandbox flag alone). */
__thread struct asl_thread *asl_me __attribute__((tls_model("initial-exec")));

static void track_pipe(int p[2], int flags)
{
	cr_assert_eq(pipe2(p, flags), 0);
	asl_fd_track(p[0], ASL_FD_PIPE_R, p[1]);
	asl_fd_track(p[1], ASL_FD_PIPE_W, p[0]);
}

static void untrack(int p[2])
{
	asl_fd_forget(p[0]);
	asl_fd_forget(p[1]);
	close(p[0]);
	close(p[1]);
}

Test(fd, new_pipe_is_private_until_exposed)
{
	int p[2];
	track_pipe(p, 0);
	cr_assert(asl_fd_private(p[0]));
	cr_assert(asl_fd_private(p[1]));
	asl_fd_expose(p[1]);
	cr_assert_not(asl_fd_private(p[0]), "exposing one end exposes the channel");
	cr_assert_not(asl_fd_private(p[1]));
	untrack(p);
}

Test(fd, untracked_fds_are_never_private)
{
	int fd = open("/dev/null", O_RDONLY);
	cr_assert_geq(fd, 0);
	cr_assert_eq(asl_fd_kind(fd), ASL_FD_NONE);
	cr_assert_not(asl_fd_private(fd));
	cr_assert_not(asl_fd_private(-1));
	cr_assert_not(asl_fd_private(ASL_FD_MAX + 5));
	close(fd);
}

Test(fd, reused_number_is_caught_by_identity)
{
	int p[2], q[2];
	track_pipe(p, 0);
	int rd = p[0];
	close(p[0]); /* behind the table's back, as fclose or close_range would */
	cr_assert_eq(pipe(q), 0);
	if (q[0] != rd && q[1] != rd) {
		/* the number went elsewhere; force it */
		cr_assert_eq(dup2(q[0], rd), rd);
	}
	cr_assert_not(asl_fd_private(rd), "another pipe now sits at fd %d", rd);
	cr_assert_eq(asl_fd_kind(rd), ASL_FD_NONE, "and the stale record is dropped");
	close(q[0]);
	close(q[1]);
	if (rd != q[0] && rd != q[1])
		close(rd);
	asl_fd_forget(p[1]);
	close(p[1]);
}

Test(fd, dup_carries_kind_and_exposure)
{
	int p[2];
	track_pipe(p, 0);
	int d = dup(p[1]);
	asl_fd_dup(p[1], d);
	cr_assert_eq(asl_fd_kind(d), ASL_FD_PIPE_W);
	cr_assert(asl_fd_private(d));
	asl_fd_expose(p[0]);
	cr_assert_not(asl_fd_private(d), "a dup shares the pipe's inode, so it is exposed too");
	asl_fd_forget(d);
	close(d);
	untrack(p);
}

Test(fd, dup_of_a_read_end_ends_its_sole_reader)
{
	int p[2];
	track_pipe(p, 0);
	cr_assert_eq(asl_fds[p[0]].reader, 0, "a new pipe has no reader yet");
	asl_fds[p[0]].reader = (uintptr_t)&p; /* a thread read it */
	int w = dup(p[1]);
	asl_fd_dup(p[1], w);
	cr_assert_eq(asl_fds[p[0]].reader, (uintptr_t)&p, "a dup of the write end leaves the reader");
	int r = dup(p[0]);
	asl_fd_dup(p[0], r);
	cr_assert_eq(asl_fds[p[0]].reader, ASL_FD_MANY_READERS, "reads through the dup go uncounted here");
	cr_assert_eq(asl_fds[r].reader, ASL_FD_MANY_READERS);
	asl_fd_track(p[0], ASL_FD_PIPE_R, p[1]); /* the number made a pipe again */
	cr_assert_eq(asl_fds[p[0]].reader, 0, "a re-tracked fd starts without a reader");
	asl_fd_forget(w);
	asl_fd_forget(r);
	close(w);
	close(r);
	untrack(p);
}

Test(fd, expose_all_inheritable_skips_cloexec)
{
	int keep[2], inh[2];
	track_pipe(keep, O_CLOEXEC);
	track_pipe(inh, 0);
	asl_fd_expose_all(1);
	cr_assert(asl_fd_private(keep[0]), "close-on-exec channel stays private");
	cr_assert_not(asl_fd_private(inh[0]));
	asl_fd_expose_all(0);
	cr_assert_not(asl_fd_private(keep[0]), "fork exposes everything");
	untrack(keep);
	untrack(inh);
}

Test(fd, epoll_with_foreign_member_is_external)
{
	int p[2], ep = epoll_create1(0), other = open("/dev/null", O_RDONLY);
	track_pipe(p, 0);
	asl_fd_track(ep, ASL_FD_EPOLL, -1);
	asl_fd_epoll_add(ep, p[0]);
	cr_assert(asl_fd_private(ep));
	asl_fd_epoll_add(ep, other);
	cr_assert_not(asl_fd_private(ep), "an fd we cannot vouch for taints the set");
	asl_fd_forget(ep);
	close(ep);
	close(other);
	untrack(p);
}

Test(fd, forget_range_drops_exactly_the_range)
{
	int p[2], q[2];
	track_pipe(p, 0);
	track_pipe(q, 0);
	int lo = p[0] < p[1] ? p[0] : p[1];
	int hi = p[0] < p[1] ? p[1] : p[0];
	asl_fd_forget_range((unsigned)lo, (unsigned)hi);
	cr_assert_eq(asl_fd_kind(p[0]), ASL_FD_NONE);
	cr_assert_eq(asl_fd_kind(p[1]), ASL_FD_NONE);
	cr_assert_neq(asl_fd_kind(q[0]), ASL_FD_NONE, "fd %d is outside [%d, %d]", q[0], lo, hi);
	asl_fd_forget_range((unsigned)q[0], ~0u); /* closefrom's: up to the table's end */
	cr_assert_eq(asl_fd_kind(q[0]), ASL_FD_NONE);
	cr_assert_eq(asl_fd_kind(q[1]), ASL_FD_NONE);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}
