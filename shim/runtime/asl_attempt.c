/* SPDX-License-Identifier: MIT */
/* The check at a wait's attempt, before the thread blocks: a wait on a lock
 * the thread holds itself is certain at once (the monitor is woken to report
 * it), and a lone thread in a process with no monitor, about to block in a
 * wait nothing else could end, gets the all-asleep verdict itself, once the
 * kernel agrees.  Registered with the state layer at start-up. */
#define _GNU_SOURCE
#include "asl_attempt.h"

#include "asl_confirm.h"
#include "asl_fd.h"
#include "asl_finding.h"
#include "asl_glibc.h"
#include "asl_monitor.h"
#include "asl_postmortem.h"
#include "asl_proc.h"
#include "asl_sys.h"

#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

/* Does the futex word still hold the expected value?  Read through the
 * kernel so that a bad address fails the call instead of crashing us. */
static int asl_futex_would_block(const void *uaddr, int expected)
{
	int now;
	struct iovec local = { &now, sizeof now }, remote = { (void *)uaddr, sizeof now };
	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)sizeof now && now == expected;
}

/* A lock the thread already holds, so that the wait can never end.  Certain:
 * checked against the thread's own records, which only it changes. */
static int waits_on_itself(const struct asl_thread *t, const struct asl_wait_req *w)
{
	int h = asl_held_find(t, (uintptr_t)w->obj);
	switch (w->kind) {
	case ASL_W_MUTEX:
		return !w->timed && w->owner_hint == t->tid && asl_mutex_relock_hangs((const pthread_mutex_t *)w->obj);
	case ASL_W_RWLOCK_WRITE:
		/* glibc answers EDEADLK when the caller is the writer, but a reader
		 * asking to write waits for itself forever. */
		return !w->timed && h >= 0 && asl_held_kind(&t->held[h]) == ASL_L_RWLOCK_READ;
	case ASL_W_SPIN:
		return h >= 0;
	default:
		return 0;
	}
}

/* The hooks may record a pipe read without trying it (hook_io.c). */
static int pipe_empty(int fd)
{
	int n;
	return ioctl(fd, FIONREAD, &n) == 0 && n == 0;
}

static int blocking_fd(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl >= 0 && !(fl & O_NONBLOCK);
}

/* In a process with one thread, will this wait block at all?  (glibc returns
 * at once for an error-checking relock, a writer's relock, a finished join.) */
static int would_block_alone(const struct asl_thread *t, const struct asl_wait_req *w)
{
	switch (w->kind) {
	case ASL_W_MUTEX: {
		const pthread_mutex_t *m = w->obj;
		if (asl_mutex_kind(m) & (ASL_MUTEX_ROBUST | ASL_MUTEX_PRIO_INHERIT | ASL_MUTEX_PRIO_PROTECT))
			return 0;
		return w->owner_hint != t->tid || asl_mutex_relock_hangs(m);
	}
	case ASL_W_RWLOCK_READ:
	case ASL_W_RWLOCK_WRITE:
		return asl_rwlock_writer(w->obj) != t->tid;
	case ASL_W_BARRIER:
		return asl_barrier_count(w->obj) > 1;
	case ASL_W_COND:
	case ASL_W_SEM:
	case ASL_W_SPIN:
		return 1;
	case ASL_W_PIPE_READ:
	case ASL_W_PIPE_WRITE:
	case ASL_W_EVENTFD:
	case ASL_W_SOCKET:
		/* The hooks record these only when nothing is ready, but may take
		 * a non-blocking fd for a blocking one (asl_fd.h's hint): ask. */
		return w->nfds == 1 && blocking_fd(w->fds[0]) && asl_fd_private(w->fds[0]) &&
		       (w->kind != ASL_W_PIPE_READ || pipe_empty(w->fds[0]));
	case ASL_W_POLL:
		return 1; /* the hooks record these only when nothing is ready */
	case ASL_W_FUTEX:
		return asl_futex_would_block(w->obj, w->expect);
	default:
		return 0;
	}
}

static void self_deadlock_finding(struct asl_finding *f, const struct asl_thread *t)
{
	memset(f, 0, sizeof *f);
	f->kind = ASL_F_DEADLOCK;
	f->ncycle = 1;
	f->cycle[0] = (struct asl_cycle_step){ t->tid, t->wait.kind, t->wait.obj, t->tid };
	f->ntids = 1;
	f->tids[0] = t->tid;
	f->nobjs = 1;
	f->objs[0] = t->wait.obj;
	snprintf(f->message, sizeof f->message, "thread %d waits for %s 0x%lx, which it holds itself", t->tid,
	         asl_wait_kind_name(t->wait.kind), (unsigned long)t->wait.obj);
}

/* The key the monitor will compute for the same one-thread cycle. */
static unsigned long long self_cycle_key(struct asl_thread *t)
{
	struct asl_tsnap me;
	memset(&me, 0, sizeof me);
	me.slot = t->slot;
	me.gen = atomic_load(&t->gen);
	me.seq = atomic_load(&t->wait_seq);
	struct asl_snapshot s = { .n = 1, .t = &me };
	struct asl_deadlock d = { 1, { { 0, 0 } } };
	return asl_deadlock_key(&s, &d);
}

/* The kernel's word on the lone thread's wait (its channels, other
 * processes, io_uring, the idle rule), before it is called the end. */
static int alone_confirmed(struct asl_thread *t)
{
	static struct asl_tsnap me; /* a lone thread: nobody else runs this */
	struct asl_veto v;
	memset(&me, 0, sizeof me);
	me.slot = t->slot;
	me.tid = t->tid;
	me.life = ASL_ALIVE;
	me.blocked = 1;
	me.is_main = t->is_main;
	me.wait = t->wait;
	struct asl_snapshot s = { .n = 1, .now_ns = asl_now_ns(), .t = &me };
	struct asl_world w = { 0, 0 };
	if (asl_confirm(&s, &w, NULL, 0, ASL_CONFIRM_ALL | ASL_CONFIRM_SELF, &v) == 0)
		return 1;
	asl_confirm_note_veto(&v);
	return 0;
}

/* Waits a signal handler may legally end: sem_post, write and futex wakes
 * are async-signal-safe. */
static int signal_wakeable(int kind)
{
	return kind == ASL_W_SEM || kind == ASL_W_FUTEX || asl_wait_on_fds(kind);
}

/* Hooks never publish while other threads run (publishing allocates, and
 * another thread may hold the allocator's lock and wait for us): a wait on
 * the thread itself is marked certain and the monitor is woken to report it
 * at once.  Alone in the process, with no monitor, nothing else can ever run:
 * a wait that blocks is the end, and this thread says so itself. */
void asl_attempt_check(struct asl_thread *t, const struct asl_wait_req *w)
{
	struct asl_finding f[2];
	int nf = 0;
	t->wait.certain = waits_on_itself(t, w);
	/* Cheapest tests first: with the monitor running (any thread ever
	 * made) this is all, and the /proc reads below (tens of microseconds)
	 * are for a lone thread's wait only. */
	if (!asl_monitor_running() && !w->timed && !w->shared && w->kind != ASL_W_SLEEP && would_block_alone(t, w) &&
	    (!signal_wakeable(w->kind) || !asl_proc_signal_handlers(asl_fatal_caught_mask())) &&
	    asl_proc_thread_count() == 1 && alone_confirmed(t)) {
		if (t->wait.certain) {
			self_deadlock_finding(&f[nf++], t);
			asl_already_reported(self_cycle_key(t));
		}
		memset(&f[nf], 0, sizeof f[nf]);
		f[nf].kind = ASL_F_ALL_ASLEEP;
		f[nf].all_threads = 1;
		snprintf(f[nf].message, sizeof f[nf].message, "all threads are asleep - deadlock!");
		nf++;
		asl_verdict_act(f, nf, NULL);
		return;
	}
	if (t->wait.certain)
		asl_monitor_nudge();
}
