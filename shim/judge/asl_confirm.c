/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "asl_confirm.h"
#include "asl_owners.h"

#include "asl_fd.h"
#include "asl_proc.h"
#include "asl_real.h"
#include "asl_sys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <semaphore.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_CHANNELS 64
#define EPOLL_DEPTH 3

/* The channels a verdict depends on, as the kernel names them. */
struct channels {
	int n;
	int fd[MAX_CHANNELS];
	unsigned long ino[MAX_CHANNELS]; /* pipe or socket inode; 0 for an eventfd */
	int neventfd;                    /* eventfds: compared by kcmp */
};

static int veto(struct asl_veto *v, const char *check, pid_t tid, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static int veto(struct asl_veto *v, const char *check, pid_t tid, const char *fmt, ...)
{
	va_list ap;
	snprintf(v->check, sizeof v->check, "%s", check);
	v->tid = tid;
	va_start(ap, fmt);
	vsnprintf(v->reason, sizeof v->reason, fmt, ap);
	va_end(ap);
	return 1;
}

/* ---- 1. threads: the kernel's list, states and system calls */

/* "NR a0 a1 a2 a3 a4 a5 sp pc" (hex), "running", or "-1 sp pc". */
static int task_syscall(pid_t tid, long *nr, unsigned long *arg0)
{
	char path[64], buf[256];
	snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
	if (asl_sys_read_file(path, buf, sizeof buf) <= 0)
		return -1;
	if (buf[0] < '0' || buf[0] > '9')
		return -1; /* "running", or "-1 ...": in no system call */
	char *end;
	*nr = strtol(buf, &end, 10);
	*arg0 = strtoul(end, NULL, 16);
	return 0;
}

static int in_list(long nr, const long *list, int n)
{
	for (int i = 0; i < n; i++)
		if (list[i] == nr)
			return 1;
	return 0;
}

/* The system calls a wait of this kind sleeps in, and whether their first
 * argument is the waited-on fd.  0: no system call to check (spinning). */
static int expected_calls(const struct asl_wait *w, long *out, int *fd_arg)
{
	static const long futexes[] = { SYS_futex, SYS_futex_waitv };
	static const long reads[] = { SYS_read, SYS_readv, SYS_recvfrom, SYS_recvmsg };
	static const long writes[] = { SYS_write, SYS_writev, SYS_sendto, SYS_sendmsg };
	static const long socks[] = { SYS_read,  SYS_readv,  SYS_recvfrom, SYS_recvmsg,
		                      SYS_write, SYS_writev, SYS_sendto,   SYS_sendmsg };
	static const long epolls[] = { SYS_epoll_wait, SYS_epoll_pwait, SYS_epoll_pwait2 };
	static const long polls[] = { SYS_poll,       SYS_ppoll,       SYS_select,      SYS_pselect6,
		                      SYS_epoll_wait, SYS_epoll_pwait, SYS_epoll_pwait2 };
	const long *l = NULL;
	int n = 0;
	*fd_arg = 1;
	switch (w->kind) {
	case ASL_W_PIPE_READ:
	case ASL_W_EVENTFD:
		l = reads, n = 4;
		break;
	case ASL_W_PIPE_WRITE:
		l = writes, n = 4;
		break;
	case ASL_W_SOCKET:
		l = socks, n = 8;
		break;
	case ASL_W_POLL:
		if (asl_fd_kind((int)w->obj) == ASL_FD_EPOLL)
			l = epolls, n = 3;
		else
			l = polls, n = 7, *fd_arg = 0;
		break;
	case ASL_W_SPIN:
		return 0;
	default:
		l = futexes, n = 2, *fd_arg = 0;
	}
	memcpy(out, l, (size_t)n * sizeof *l);
	return n;
}

/* Is a futex at addr part of what w waits on?  (glibc waits on a word inside
 * the object: a mutex's lock, a condition's sequence, a thread's tid for a
 * join; a condition waiter woken but taking its mutex back waits on that.) */
static int futex_in_wait(const struct asl_wait *w, unsigned long addr)
{
	unsigned long obj = (unsigned long)w->obj;
	size_t len;
	switch (w->kind) {
	case ASL_W_MUTEX:
		len = sizeof(pthread_mutex_t);
		break;
	case ASL_W_RWLOCK_READ:
	case ASL_W_RWLOCK_WRITE:
		len = sizeof(pthread_rwlock_t);
		break;
	case ASL_W_COND:
	case ASL_W_COND_DESTROY:
		if (w->aux && addr - (unsigned long)w->aux < sizeof(pthread_mutex_t))
			return 1;
		len = sizeof(pthread_cond_t);
		break;
	case ASL_W_SEM:
		len = sizeof(sem_t);
		break;
	case ASL_W_BARRIER:
		len = sizeof(pthread_barrier_t);
		break;
	case ASL_W_JOIN:
		len = 4096; /* the tid word inside the joined thread's descriptor */
		break;
	case ASL_W_ONCE:
	case ASL_W_FUTEX:
		len = sizeof(int);
		break;
	default:
		return 1;
	}
	return addr - obj < len;
}

static int check_thread(const struct asl_tsnap *t, const struct asl_tasks *k, struct asl_veto *v)
{
	char state = '?';
	for (int i = 0; i < k->n; i++)
		if (k->t[i].tid == t->tid)
			state = k->t[i].state;
	if (state == '?')
		return veto(v, "threads", t->tid, "thread %d is not in /proc", t->tid);
	if (t->wait.kind == ASL_W_SPIN)
		return state == 'R' || state == 'S'
		               ? 0
		               : veto(v, "threads", t->tid, "thread %d is in state %c", t->tid, state);
	if (state != 'S')
		return veto(v, "threads", t->tid, "thread %d is not asleep in the kernel (state %c)", t->tid, state);
	long want[8], nr;
	unsigned long arg0;
	int fd_arg, n = expected_calls(&t->wait, want, &fd_arg);
	if (task_syscall(t->tid, &nr, &arg0) != 0)
		return veto(v, "threads", t->tid, "thread %d is asleep outside any system call", t->tid);
	if (!in_list(nr, want, n))
		return veto(v, "threads", t->tid, "thread %d sleeps in system call %ld, not in its %s wait", t->tid, nr,
		            asl_wait_kind_name(t->wait.kind));
	if (fd_arg && (long)arg0 != (long)t->wait.obj)
		return veto(v, "threads", t->tid, "thread %d sleeps on fd %ld, not on fd %ld", t->tid, (long)arg0,
		            (long)t->wait.obj);
	if (nr == SYS_futex && !futex_in_wait(&t->wait, arg0))
		return veto(v, "threads", t->tid, "thread %d sleeps on futex 0x%lx, not in its %s 0x%lx", t->tid, arg0,
		            asl_wait_kind_name(t->wait.kind), (unsigned long)t->wait.obj);
	return 0;
}

static int check_threads(const struct asl_snapshot *s, const struct asl_world *w, const int *threads, int n, int all,
                         struct asl_veto *v)
{
	struct asl_tasks k;
	if (asl_proc_tasks(&k) != 0)
		return veto(v, "threads", 0, "/proc/self/task cannot be read");
	int r = 0;
	for (int i = 0; all && !r && i < k.n; i++) {
		/* The monitor, and a main thread that called pthread_exit (a
		 * zombie until the whole process ends). */
		if (k.t[i].tid == w->monitor_tid || k.t[i].state == 'Z' || k.t[i].state == 'X')
			continue;
		if (asl_snap_find_tid(s, k.t[i].tid) < 0)
			r = veto(v, "threads", k.t[i].tid, "thread %d is not known to the shim", k.t[i].tid);
	}
	for (int i = 0; !r && i < n; i++)
		r = check_thread(&s->t[threads ? threads[i] : i], &k, v);
	asl_proc_tasks_free(&k);
	return r;
}

int asl_confirm_switches(const struct asl_snapshot *s, unsigned long long *sum)
{
	unsigned long long total = 0;
	for (int i = 0; i < s->n; i++) {
		long long n = asl_proc_thread_switches(s->t[i].tid);
		if (n < 0)
			return -1;
		total += (unsigned long long)n;
	}
	*sum = total;
	return 0;
}

/* ---- 2. channels: what each fd a waiter depends on really is */

static int fd_link(pid_t pid, int fd, char *buf, size_t len)
{
	char path[64];
	if (pid)
		snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)pid, fd);
	else
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	ssize_t r = readlink(path, buf, len - 1);
	if (r < 0)
		return -1;
	buf[r] = '\0';
	return 0;
}

static unsigned long link_inode(const char *link, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(link, prefix, n) == 0 ? strtoul(link + n, NULL, 10) : 0;
}

static int add_channel(struct channels *c, int fd, unsigned long ino, struct asl_veto *v)
{
	for (int i = 0; i < c->n; i++)
		if (c->fd[i] == fd)
			return 0;
	if (c->n == MAX_CHANNELS)
		return veto(v, "channels", 0, "more than %d channels to follow", MAX_CHANNELS);
	c->fd[c->n] = fd;
	c->ino[c->n++] = ino;
	c->neventfd += ino == 0;
	return 0;
}

static int add_fd(struct channels *c, int fd, int depth, struct asl_veto *v);

/* An epoll set's members, as the kernel lists them ("tfd: N ..."). */
static int add_epoll_members(struct channels *c, int epfd, int depth, struct asl_veto *v)
{
	char path[64], buf[16384];
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", epfd);
	ssize_t len = asl_sys_read_file(path, buf, sizeof buf);
	if (len < 0)
		return veto(v, "channels", 0, "the epoll set on fd %d cannot be read", epfd);
	if ((size_t)len >= sizeof buf - 1)
		return veto(v, "channels", 0, "the epoll set on fd %d is too large to follow", epfd);
	if (depth >= EPOLL_DEPTH)
		return veto(v, "channels", 0, "epoll sets nested too deep (fd %d)", epfd);
	for (const char *p = buf; (p = strstr(p, "tfd:")) != NULL; p += 4) {
		int r = add_fd(c, atoi(p + 4), depth + 1, v);
		if (r)
			return r;
	}
	return 0;
}

static int add_fd(struct channels *c, int fd, int depth, struct asl_veto *v)
{
	char link[128], peer_link[128];
	unsigned long ino;
	if (fd_link(0, fd, link, sizeof link) != 0)
		return veto(v, "channels", 0, "fd %d is closed", fd);
	if ((ino = link_inode(link, "pipe:[")) != 0)
		return add_channel(c, fd, ino, v);
	if (strcmp(link, "anon_inode:[eventfd]") == 0)
		return add_channel(c, fd, 0, v);
	if (strcmp(link, "anon_inode:[eventpoll]") == 0)
		return add_epoll_members(c, fd, depth, v);
	if ((ino = link_inode(link, "socket:[")) != 0) {
		/* Only a socketpair made here: its other end is ours too. */
		int peer = asl_fd_kind(fd) == ASL_FD_SOCKET ? asl_fds[fd].peer : -1;
		unsigned long pino = 0;
		if (peer >= 0 && fd_link(0, peer, peer_link, sizeof peer_link) == 0)
			pino = link_inode(peer_link, "socket:[");
		if (!pino)
			return veto(v, "channels", 0, "fd %d is a socket whose other end may be outside (%s)", fd,
			            link);
		int r = add_channel(c, fd, ino, v);
		return r ? r : add_channel(c, peer, pino, v);
	}
	return veto(v, "channels", 0, "fd %d is %s: it can be woken from outside", fd, link);
}

static int is_fd_wait(int kind)
{
	return asl_wait_on_fds(kind);
}

static int collect_channels(const struct asl_snapshot *s, const int *threads, int n, struct channels *c,
                            struct asl_veto *v)
{
	c->n = c->neventfd = 0;
	for (int i = 0; i < n; i++) {
		const struct asl_tsnap *t = &s->t[threads ? threads[i] : i];
		if (!is_fd_wait(t->wait.kind))
			continue;
		if (t->wait.nfds > ASL_WAIT_FDS)
			return veto(v, "channels", t->tid, "thread %d waits on %d fds, more than the shim follows",
			            t->tid, t->wait.nfds);
		for (int k = 0; k < t->wait.nfds; k++) {
			int r = add_fd(c, t->wait.fds[k], 0, v);
			if (r) {
				v->tid = t->tid;
				return r;
			}
		}
	}
	return 0;
}

/* ---- memory: a futex keyed by its mapping */

/* Is addr in a private mapping of ours?  /proc/self/maps says, line by line:
 * "start-end perms ...", perms[3] 'p' (private) or 's' (shared). */
static int private_mapping(uintptr_t addr)
{
	char buf[4096];
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC), found = -1;
	size_t have = 0;
	if (fd < 0)
		return 0;
	for (;;) {
		ssize_t n = asl_sys_read(fd, buf + have, sizeof buf - 1 - have);
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = '\0';
		char *line = buf, *nl;
		while ((nl = strchr(line, '\n')) != NULL) {
			unsigned long lo, hi;
			char perms[5];
			if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) == 3 && addr >= lo && addr < hi)
				found = perms[3] == 'p';
			line = nl + 1;
		}
		have = strlen(line); /* a line cut by the buffer: keep it for the next read */
		memmove(buf, line, have);
		if (found >= 0)
			break;
	}
	asl_sys_close(fd);
	return found == 1;
}

static int check_memory(const struct asl_snapshot *s, const int *threads, int n, struct asl_veto *v)
{
	for (int i = 0; i < n; i++) {
		const struct asl_tsnap *t = &s->t[threads ? threads[i] : i];
		if (t->wait.kind == ASL_W_FUTEX && t->wait.by_mapping && !private_mapping(t->wait.obj))
			return veto(v, "memory", t->tid,
			            "thread %d waits on a futex at 0x%lx in shared memory: another process may wake it",
			            t->tid, (unsigned long)t->wait.obj);
	}
	return 0;
}

/* ---- directory listing without malloc (opendir allocates) */

struct dirwalk {
	int fd;
	char buf[4096];
	long pos, len;
};

static int dir_open(struct dirwalk *d, const char *path)
{
	d->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d->pos = d->len = 0;
	return d->fd >= 0 ? 0 : -1;
}

/* The next entry whose name is a number, or -1 at the end. */
static long dir_next(struct dirwalk *d)
{
	for (;;) {
		if (d->pos >= d->len) {
			d->len = getdents64(d->fd, d->buf, sizeof d->buf);
			d->pos = 0;
			if (d->len <= 0)
				return -1;
		}
		struct dirent64 *e = (struct dirent64 *)(d->buf + d->pos);
		d->pos += e->d_reclen;
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
			return atol(e->d_name);
	}
}

static void dir_close(struct dirwalk *d)
{
	asl_sys_close(d->fd);
}

/* ---- 3. io_uring */

static int check_io_uring(struct asl_veto *v)
{
	struct dirwalk d;
	char link[128];
	long fd;
	int r = 0;
	if (dir_open(&d, "/proc/self/fd") != 0)
		return veto(v, "io_uring", 0, "/proc/self/fd cannot be read");
	while (!r && (fd = dir_next(&d)) >= 0)
		if (fd != d.fd && fd_link(0, (int)fd, link, sizeof link) == 0 &&
		    strcmp(link, "anon_inode:[io_uring]") == 0)
			r = veto(v, "io_uring", 0,
			         "the process has an io_uring instance (fd %ld): a completion the shim cannot see may "
			         "wake it",
			         fd);
	dir_close(&d);
	return r;
}

/* ---- 4. other processes */

/* Is pid a descendant of ours (its parent chain reaches us)? */
static int descendant(pid_t pid, pid_t self)
{
	for (int depth = 0; depth < 64 && pid > 1; depth++) {
		char path[64], buf[512];
		snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
		if (asl_sys_read_file(path, buf, sizeof buf) <= 0)
			return 0;
		const char *p = strrchr(buf, ')');
		int ppid;
		if (!p || sscanf(p + 2, "%*c %d", &ppid) != 1)
			return 0;
		if (ppid == self)
			return 1;
		pid = ppid;
	}
	return 0;
}

static int same_file(pid_t self, int fd, pid_t pid, int theirs)
{
	return (int)REAL(syscall)(SYS_kcmp, self, pid, KCMP_FILE, fd, theirs);
}

/* Does process pid hold one of c's channels? */
static int check_process(pid_t pid, pid_t self, const struct channels *c, struct asl_veto *v)
{
	char path[64], link[128];
	struct dirwalk d;
	long theirs;
	int r = 0;
	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	if (dir_open(&d, path) != 0) {
		if (errno == EACCES && descendant(pid, self))
			return veto(v, "others", 0, "process %d, a descendant, cannot be inspected", (int)pid);
		return 0; /* gone, or not ours to know about */
	}
	while (!r && (theirs = dir_next(&d)) >= 0) {
		if (fd_link(pid, (int)theirs, link, sizeof link) != 0)
			continue;
		unsigned long ino = link_inode(link, "pipe:[");
		if (!ino)
			ino = link_inode(link, "socket:[");
		for (int i = 0; !r && i < c->n; i++) {
			if (ino && c->ino[i] == ino)
				r = veto(v, "others", 0, "process %d holds %s (fd %d here)", (int)pid, link, c->fd[i]);
			else if (!c->ino[i] && strcmp(link, "anon_inode:[eventfd]") == 0) {
				int same = same_file(self, c->fd[i], pid, (int)theirs);
				if (same == 0)
					r = veto(v, "others", 0, "process %d holds the eventfd on fd %d here", (int)pid,
					         c->fd[i]);
				else if (same < 0)
					r = veto(v, "others", 0,
					         "process %d holds an eventfd the kernel will not compare", (int)pid);
			}
		}
	}
	dir_close(&d);
	return r;
}

static int check_others(const struct channels *c, struct asl_veto *v)
{
	struct dirwalk d;
	pid_t self = getpid();
	long pid;
	int r = 0;
	if (dir_open(&d, "/proc") != 0)
		return veto(v, "others", 0, "/proc cannot be read");
	while (!r && (pid = dir_next(&d)) >= 0)
		if (pid != self)
			r = check_process((pid_t)pid, self, c, v);
	dir_close(&d);
	return r;
}

/* ---- 5. idle: waiting for the outside, not hung */

static int never_written(int fd)
{
	int kind = asl_fd_kind(fd);
	if (kind != ASL_FD_EVENTFD && kind != ASL_FD_PIPE_R)
		return 0;
	int peer = asl_fds[fd].peer;
	return !atomic_load(&asl_fds[fd].written) && (peer < 0 || !atomic_load(&asl_fds[peer].written));
}

/* A wait on wake-up channels only, none of them ever written. */
static int idle_wait(const struct asl_tsnap *t)
{
	if (!is_fd_wait(t->wait.kind) || t->wait.nfds == 0 || t->wait.nfds > ASL_WAIT_FDS)
		return 0;
	for (int k = 0; k < t->wait.nfds; k++) {
		int fd = t->wait.fds[k];
		if (asl_fd_kind(fd) == ASL_FD_EPOLL) {
			char path[64], buf[4096];
			snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
			ssize_t len = asl_sys_read_file(path, buf, sizeof buf);
			if (len <= 0 || (size_t)len >= sizeof buf - 1)
				return 0;
			for (const char *p = buf; (p = strstr(p, "tfd:")) != NULL; p += 4)
				if (!never_written(atoi(p + 4)))
					return 0;
		} else if (!never_written(fd)) {
			return 0;
		}
	}
	return 1;
}

static int check_idle(const struct asl_snapshot *s, struct asl_veto *v)
{
	for (int i = 0; i < s->n; i++)
		if (!idle_wait(&s->t[i]))
			return 0;
	return veto(v, "idle", 0,
	            "every thread waits on a wake-up channel nobody ever wrote to: idle until a signal or an outside "
	            "event, not hung");
}

int asl_confirm(const struct asl_snapshot *s, const struct asl_world *w, const int *threads, int n, int flags,
                struct asl_veto *v)
{
	struct channels c;
	int all = (flags & ASL_CONFIRM_ALL) != 0;
	if (all && !threads)
		n = s->n;
	memset(v, 0, sizeof *v);
	if (!(flags & ASL_CONFIRM_SELF) && check_threads(s, w, threads, n, all, v))
		return 1;
	if (check_memory(s, threads, n, v) || collect_channels(s, threads, n, &c, v))
		return 1;
	if (c.n && (check_io_uring(v) || check_others(&c, v)))
		return 1;
	if (all && check_idle(s, v))
		return 1;
	return 0;
}

/* The monitor's last veto (monitor and lone thread only write it). */
static struct asl_veto last; /* written by the monitor or the lone thread; read by dumps while have_last */
static _Atomic int have_last;

void asl_confirm_note_veto(const struct asl_veto *v)
{
	atomic_store(&have_last, 0);
	last = *v;
	atomic_store(&have_last, 1);
}

void asl_confirm_clear_veto(void)
{
	atomic_store(&have_last, 0);
}

int asl_confirm_last_veto(struct asl_veto *out)
{
	if (!atomic_load(&have_last))
		return 0;
	*out = last;
	return atomic_load(&have_last);
}
