/* SPDX-License-Identifier: MIT */
/* poll, select and epoll.  A zero-timeout call first: when something is
 * ready it is the answer (the real call would return it at once too);
 * only a call that is going to wait is recorded.  It counts as asleep only
 * when untimed and every fd it watches is a private channel. */
#define _GNU_SOURCE
#include "asl_sandbox.h"
#include "asl_fd.h"
#include "asl_real.h"
#include "asl_thread.h"
#include "asl_wait.h"

#include <errno.h>
#include <string.h>

struct fdset_wait {
	int n, fds[ASL_WAIT_FDS];
	int all_private;
};

static void fdw_init(struct fdset_wait *f)
{
	f->n = 0;
	f->all_private = 1;
}

static void fdw_add(struct fdset_wait *f, int fd)
{
	if (f->n < ASL_WAIT_FDS)
		f->fds[f->n] = fd;
	f->n++;
	int k = asl_fd_kind(fd);
	if (k == ASL_FD_NONE || !asl_fd_private(fd))
		f->all_private = 0;
}

static void poll_begin(struct asl_thread *me, const struct fdset_wait *f, int timed)
{
	struct asl_wait_req w = { .kind = ASL_W_POLL,
		                  .obj = (const void *)(intptr_t)(f->n ? f->fds[0] : -1),
		                  .timed = timed,
		                  .shared = !f->all_private || f->n > ASL_WAIT_FDS,
		                  .peer = -1,
		                  .nfds = f->n < ASL_WAIT_FDS ? f->n : ASL_WAIT_FDS,
		                  .fds = f->fds };
	asl_wait_begin(me, &w);
}

/* The blocking call, recorded as a wait on the fds in f. */
#define POLL_WAIT(me, f, timed, call)     \
	({                                \
		poll_begin(me, f, timed); \
		ASL_WAIT_CALL(me, call);  \
	})

static struct asl_thread *self_for_wait(void)
{
	struct asl_thread *me = asl_hook_self();
	return me && !asl_sandboxed() && !asl_in_signal(me) ? me : NULL;
}

static void pollfds_collect(struct fdset_wait *f, const struct pollfd *fds, nfds_t n)
{
	asl_inside_enter();
	fdw_init(f);
	for (nfds_t i = 0; i < n; i++)
		if (fds[i].fd >= 0)
			fdw_add(f, fds[i].fd);
	asl_inside_leave(0);
}

ASL_EXPORT int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	struct asl_thread *me = self_for_wait();
	if (!me || timeout == 0)
		return REAL(poll)(fds, n, timeout);
	int r = REAL(poll)(fds, n, 0);
	if (r != 0)
		return r;
	struct fdset_wait f;
	pollfds_collect(&f, fds, n);
	return POLL_WAIT(me, &f, timeout > 0, REAL(poll)(fds, n, timeout));
}

ASL_EXPORT int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *ts, const sigset_t *mask)
{
	static const struct timespec zero = { 0, 0 };
	struct asl_thread *me = self_for_wait();
	if (!me || (ts && ts->tv_sec == 0 && ts->tv_nsec == 0))
		return REAL(ppoll)(fds, n, ts, mask);
	int r = REAL(ppoll)(fds, n, &zero, mask);
	if (r != 0)
		return r;
	struct fdset_wait f;
	pollfds_collect(&f, fds, n);
	return POLL_WAIT(me, &f, ts != NULL, REAL(ppoll)(fds, n, ts, mask));
}

static void fdsets_collect(struct fdset_wait *f, int n, fd_set *rd, fd_set *wr, fd_set *ex)
{
	asl_inside_enter();
	fdw_init(f);
	for (int fd = 0; fd < n && fd < FD_SETSIZE; fd++)
		if ((rd && FD_ISSET(fd, rd)) || (wr && FD_ISSET(fd, wr)) || (ex && FD_ISSET(fd, ex)))
			fdw_add(f, fd);
	asl_inside_leave(0);
}

/* select overwrites its sets, so the zero-timeout probe runs on copies. */
static int select_probe(int n, fd_set *rd, fd_set *wr, fd_set *ex)
{
	fd_set r2, w2, e2;
	struct timeval zero = { 0, 0 };
	if (rd)
		r2 = *rd;
	if (wr)
		w2 = *wr;
	if (ex)
		e2 = *ex;
	int r = REAL(select)(n, rd ? &r2 : NULL, wr ? &w2 : NULL, ex ? &e2 : NULL, &zero);
	if (r != 0) {
		if (rd)
			*rd = r2;
		if (wr)
			*wr = w2;
		if (ex)
			*ex = e2;
	}
	return r;
}

ASL_EXPORT int select(int n, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
	struct asl_thread *me = self_for_wait();
	if (!me || (tv && tv->tv_sec == 0 && tv->tv_usec == 0) || n > FD_SETSIZE)
		return REAL(select)(n, rd, wr, ex, tv);
	int r = select_probe(n, rd, wr, ex);
	if (r != 0)
		return r;
	struct fdset_wait f;
	fdsets_collect(&f, n, rd, wr, ex);
	return POLL_WAIT(me, &f, tv != NULL, REAL(select)(n, rd, wr, ex, tv));
}

ASL_EXPORT int pselect(int n, fd_set *rd, fd_set *wr, fd_set *ex, const struct timespec *ts, const sigset_t *mask)
{
	struct asl_thread *me = self_for_wait();
	if (!me || (ts && ts->tv_sec == 0 && ts->tv_nsec == 0) || n > FD_SETSIZE)
		return REAL(pselect)(n, rd, wr, ex, ts, mask);
	int r = select_probe(n, rd, wr, ex);
	if (r != 0)
		return r;
	struct fdset_wait f;
	fdsets_collect(&f, n, rd, wr, ex);
	return POLL_WAIT(me, &f, ts != NULL, REAL(pselect)(n, rd, wr, ex, ts, mask));
}

static void epoll_collect(struct fdset_wait *f, int epfd)
{
	asl_inside_enter();
	fdw_init(f);
	fdw_add(f, epfd);
	if (asl_fd_kind(epfd) != ASL_FD_EPOLL)
		f->all_private = 0;
	asl_inside_leave(0);
}

ASL_EXPORT int epoll_wait(int epfd, struct epoll_event *ev, int max, int timeout)
{
	struct asl_thread *me = self_for_wait();
	if (!me || timeout == 0)
		return REAL(epoll_wait)(epfd, ev, max, timeout);
	int r = REAL(epoll_wait)(epfd, ev, max, 0);
	if (r != 0)
		return r;
	struct fdset_wait f;
	epoll_collect(&f, epfd);
	return POLL_WAIT(me, &f, timeout > 0, REAL(epoll_wait)(epfd, ev, max, timeout));
}

ASL_EXPORT int epoll_pwait(int epfd, struct epoll_event *ev, int max, int timeout, const sigset_t *mask)
{
	struct asl_thread *me = self_for_wait();
	if (!me || timeout == 0)
		return REAL(epoll_pwait)(epfd, ev, max, timeout, mask);
	int r = REAL(epoll_pwait)(epfd, ev, max, 0, mask);
	if (r != 0)
		return r;
	struct fdset_wait f;
	epoll_collect(&f, epfd);
	return POLL_WAIT(me, &f, timeout > 0, REAL(epoll_pwait)(epfd, ev, max, timeout, mask));
}
