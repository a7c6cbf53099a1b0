/* SPDX-License-Identifier: MIT */
/* attach and core: from what the kernel and the memory say to a snapshot,
 * judged by the shim's rules (outside.h). */
#define _GNU_SOURCE
#include "outside.h"

#include "asl_kinds.h"
#include "asl_owners.h"
#include "asl_verdict.h"
#include "inputs.h"
#include "load.h"
#include "report_text.h"
#include "symbolize.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/futex.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* glibc 2.36, x86_64: where the words the futex waits are, and the owners
 * (pinned for the shim by tests/unit/test_glibc_layout.c). */
#define MUTEX_OWNER 8 /* pthread_mutex_t.__data.__owner */
#define MUTEX_KIND 16 /* __kind: PTHREAD_MUTEX_PSHARED_BIT 128 */
#define RWLOCK_CUR_WRITER 24
#define RWLOCK_SHARED 28
#define RWLOCK_FLAGS 48

/* ------------------------------------------------------------------ */
/* frames and names */

static const char *frame_name(const struct ext_proc *p, const struct ext_thread *t, int k)
{
	Dwarf_Addr pc = t->pc[k] - (k > 0); /* a return address: the call is before it */
	Dwfl_Module *m = dwfl_addrmodule(p->dwfl, pc);
	return m ? dwfl_module_addrname(m, pc) : NULL;
}

/* Does one of the first frames name a function containing `part`? */
static bool frames_have(const struct ext_proc *p, const struct ext_thread *t, const char *part)
{
	for (int k = 0; k < t->nframes && k < 10; k++) {
		const char *fn = frame_name(p, t, k);
		if (fn && strstr(fn, part))
			return true;
	}
	return false;
}

static int read_int(const struct ext_proc *p, uintptr_t a, int *v)
{
	return p->read(p, a, v, sizeof *v);
}

/* ------------------------------------------------------------------ */
/* live processes: fds and mappings, from /proc */

static int fd_link(pid_t pid, int fd, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)pid, fd);
	ssize_t n = readlink(path, buf, len - 1);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* Does some fd of another process than pid match(other, its fd, its link,
 * ctx)?  Every /proc/N/fd this user may read is looked at. */
static bool other_fd(pid_t pid, bool (*match)(pid_t other, int fd, const char *link, const void *ctx), const void *ctx)
{
	DIR *proc = opendir("/proc");
	struct dirent *e;
	bool found = false;
	while (proc && !found && (e = readdir(proc))) {
		long other = strtol(e->d_name, NULL, 10);
		char dir[64], buf[128];
		if (other <= 0 || other == pid)
			continue;
		snprintf(dir, sizeof dir, "/proc/%ld/fd", other);
		DIR *fds = opendir(dir);
		struct dirent *f;
		while (fds && !found && (f = readdir(fds))) {
			int fd = atoi(f->d_name);
			if (f->d_name[0] != '.' && fd_link((pid_t)other, fd, buf, sizeof buf) == 0)
				found = match((pid_t)other, fd, buf, ctx);
		}
		if (fds)
			closedir(fds);
	}
	if (proc)
		closedir(proc);
	return found;
}

static bool same_link(pid_t other, int fd, const char *link, const void *want)
{
	(void)other;
	(void)fd;
	return !strcmp(link, want);
}

/* Another process holds this link target (a "pipe:[ino]")? */
static bool held_elsewhere(pid_t pid, const char *link)
{
	return other_fd(pid, same_link, link);
}

struct eventfd_of {
	pid_t pid;
	int fd;
};

/* kcmp: the same open file (an eventfd's inode is shared by all of them) */
static bool same_eventfd(pid_t other, int fd, const char *link, const void *ctx)
{
	const struct eventfd_of *e = ctx;
	return !strcmp(link, "anon_inode:[eventfd]") &&
	       syscall(SYS_kcmp, e->pid, other, 0 /* KCMP_FILE */, e->fd, fd) == 0;
}

/* An eventfd of pid's shared with another process? */
static bool eventfd_elsewhere(pid_t pid, int fd)
{
	struct eventfd_of e = { pid, fd };
	return other_fd(pid, same_eventfd, &e);
}

/* What fd is: a wait kind for a channel this process alone holds (shared
 * set when another process may serve it), or ASL_W_NONE (not modeled). */
static int channel(const struct ext_proc *p, int fd, bool writing, int *shared)
{
	char link[128];
	*shared = 1;
	if (!p->live || fd_link(p->pid, fd, link, sizeof link) != 0)
		return ASL_W_NONE;
	if (!strncmp(link, "pipe:[", 6)) {
		*shared = held_elsewhere(p->pid, link);
		return writing ? ASL_W_PIPE_WRITE : ASL_W_PIPE_READ;
	}
	if (!strcmp(link, "anon_inode:[eventfd]")) {
		*shared = eventfd_elsewhere(p->pid, fd);
		return ASL_W_EVENTFD;
	}
	if (!strncmp(link, "socket:[", 8))
		return ASL_W_SOCKET; /* its peer may be anywhere: shared */
	return ASL_W_NONE;
}

/* The fds an epoll set watches (/proc/PID/fdinfo: "tfd: N"). */
static int epoll_members(pid_t pid, int epfd, int *out, int max)
{
	char path[64], buf[8192];
	snprintf(path, sizeof path, "/proc/%d/fdinfo/%d", (int)pid, epfd);
	int fd = open(path, O_RDONLY | O_CLOEXEC), n = 0;
	if (fd < 0)
		return -1;
	ssize_t len = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	for (char *s = buf; (s = strstr(s, "tfd:")) && n < max; s += 4)
		out[n++] = atoi(s + 4);
	return n;
}

/* A futex word in a shared mapping ("rw-s" in /proc/PID/maps) may be woken
 * by another process.  A core cannot say: shared. */
static int shared_memory(const struct ext_proc *p, uintptr_t a)
{
	char path[64], line[512];
	if (!p->live)
		return 1;
	snprintf(path, sizeof path, "/proc/%d/maps", (int)p->pid);
	FILE *f = fopen(path, "re");
	int shared = 1;
	while (f && fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && a >= lo && a < hi) {
			shared = perms[3] == 's';
			break;
		}
	}
	if (f)
		fclose(f);
	return shared;
}

/* ------------------------------------------------------------------ */
/* one thread's wait */

static bool futex_timed(const struct ext_thread *t)
{
	int cmd = (int)(t->args[1] & FUTEX_CMD_MASK);
	if (cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_LOCK_PI || cmd == FUTEX_WAIT_REQUEUE_PI)
		return t->args[3] != 0;
	return true; /* not a wait we know: never counts */
}

/* An rwlock's address from the futex word glibc waits on (__readers at 0,
 * __wrphase_futex at 8, __writers_futex at 12): the one whose other fields
 * look like an rwlock's. */
static uintptr_t rwlock_base(const struct ext_proc *p, uintptr_t word)
{
	static const int offsets[] = { 12, 8, 0 };
	for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
		uintptr_t b = word - (uintptr_t)offsets[i];
		int shared, flags;
		if (read_int(p, b + RWLOCK_SHARED, &shared) == 0 && read_int(p, b + RWLOCK_FLAGS, &flags) == 0 &&
		    (shared == 0 || shared == 1) && flags >= 0 && flags <= 2)
			return b;
	}
	return word;
}

static void decode_futex(const struct ext_proc *p, const struct ext_thread *t, struct asl_wait *w)
{
	uintptr_t word = t->args[0];
	int v;
	w->kind = ASL_W_FUTEX;
	w->obj = word;
	w->timed = futex_timed(t);
	w->shared = !(t->args[1] & FUTEX_PRIVATE_FLAG) && shared_memory(p, word);
	/* For glibc's objects, process-shared is the object's own attribute
	 * (their futexes may be "shared" for the kernel's sake: a join's is). */
	if (frames_have(p, t, "pthread_mutex_") || frames_have(p, t, "mtx_lock") ||
	    frames_have(p, t, "mtx_timedlock")) {
		w->kind = ASL_W_MUTEX;
		if (read_int(p, word + MUTEX_OWNER, &v) == 0)
			w->owner_hint = v & 0x3fffffff; /* FUTEX_OWNER_DIED and FUTEX_WAITERS off */
		w->shared = read_int(p, word + MUTEX_KIND, &v) != 0 || (v & 128);
	} else if (frames_have(p, t, "pthread_cond_") || frames_have(p, t, "cnd_wait") ||
	           frames_have(p, t, "cnd_timedwait")) {
		w->kind = ASL_W_COND; /* (the word is in the condvar; its pshared bit is not found from it) */
	} else if (frames_have(p, t, "join")) {
		w->kind = ASL_W_JOIN;
		w->obj = 0; /* the target's pthread_t: outside_judge finds it by tid */
		w->owner_hint = (pid_t)t->args[2];
		w->shared = 0; /* the kernel wakes it when the thread ends */
	} else if (frames_have(p, t, "pthread_rwlock_")) {
		w->kind = frames_have(p, t, "rdlock") ? ASL_W_RWLOCK_READ : ASL_W_RWLOCK_WRITE;
		w->obj = rwlock_base(p, word);
		if (read_int(p, w->obj + RWLOCK_CUR_WRITER, &v) == 0 && v > 0)
			w->owner_hint = v;
		w->shared = read_int(p, w->obj + RWLOCK_SHARED, &v) != 0 || v;
	} else if (frames_have(p, t, "sem_") && !frames_have(p, t, "semaphore")) {
		w->kind = ASL_W_SEM;
	} else if (frames_have(p, t, "pthread_barrier_wait")) {
		w->kind = ASL_W_BARRIER;
	} else if (frames_have(p, t, "pthread_once") || frames_have(p, t, "call_once")) {
		w->kind = ASL_W_ONCE;
	}
}

static void decode_poll(const struct ext_proc *p, const struct ext_thread *t, struct asl_wait *w)
{
	int fds[64], n = 0;
	w->kind = ASL_W_POLL;
	w->shared = 1;
	switch (t->nr) {
	case SYS_poll:
		w->timed = (int)t->args[2] >= 0;
		break;
	case SYS_ppoll:
	case SYS_epoll_pwait2:
		w->timed = t->args[2 + (t->nr == SYS_epoll_pwait2)] != 0;
		break;
	case SYS_select:
	case SYS_pselect6:
		w->timed = t->args[4] != 0;
		break;
	default: /* epoll_wait, epoll_pwait */
		w->timed = (int)t->args[3] >= 0;
	}
	if (t->nr == SYS_poll || t->nr == SYS_ppoll) {
		struct {
			int fd;
			short events, revents;
		} pfd;
		for (unsigned long k = 0; k < t->args[1] && n < 64; k++)
			if (p->read(p, t->args[0] + k * sizeof pfd, &pfd, sizeof pfd) == 0 && pfd.fd >= 0)
				fds[n++] = pfd.fd;
		w->obj = n ? (uintptr_t)fds[0] : 0;
	} else if (t->nr == SYS_epoll_wait || t->nr == SYS_epoll_pwait || t->nr == SYS_epoll_pwait2) {
		w->obj = t->args[0];
		n = p->live ? epoll_members(p->pid, (int)t->args[0], fds, 64) : -1;
		if (n <= 0)
			return; /* unknown members, or none ever added: shared */
	} else {
		return; /* select: fd sets not decoded */
	}
	w->shared = 0;
	for (int k = 0; k < n; k++) {
		int sh, kind = channel(p, fds[k], false, &sh);
		if (kind == ASL_W_NONE || sh)
			w->shared = 1;
	}
	w->nfds = n;
}

/* The wait of thread t, into s->t[i]; blocked only for a wait the shim's
 * rules can judge. */
static void decode(const struct ext_proc *p, const struct ext_thread *t, struct asl_tsnap *d)
{
	struct asl_wait *w = &d->wait;
	memset(w, 0, sizeof *w);
	/* asleep before the stop (live), and inside the system call at it */
	bool asleep = p->live ? (t->state == 'S' || t->state == 'D') : true;
	d->blocked = asleep && t->in_syscall;
	if (!d->blocked)
		return;
	int sh;
	switch (t->nr) {
	case SYS_futex:
		decode_futex(p, t, w);
		break;
	case SYS_read:
	case SYS_readv:
	case SYS_recvfrom:
	case SYS_recvmsg:
	case SYS_write:
	case SYS_writev:
	case SYS_sendto:
	case SYS_sendmsg: {
		bool wr = t->nr == SYS_write || t->nr == SYS_writev || t->nr == SYS_sendto || t->nr == SYS_sendmsg;
		w->obj = t->args[0];
		w->kind = channel(p, (int)t->args[0], wr, &sh);
		w->shared = sh;
		w->nfds = 1;
		w->fds[0] = (int)t->args[0];
		break;
	}
	case SYS_poll:
	case SYS_ppoll:
	case SYS_select:
	case SYS_pselect6:
	case SYS_epoll_wait:
	case SYS_epoll_pwait:
	case SYS_epoll_pwait2:
		decode_poll(p, t, w);
		break;
	case SYS_nanosleep:
	case SYS_clock_nanosleep:
		w->kind = ASL_W_SLEEP;
		w->timed = 1;
		break;
	default:
		w->kind = ASL_W_NONE; /* accept, wait4, sigwait...: not modeled, counts as running */
	}
	if (w->kind == ASL_W_NONE)
		d->blocked = 0;
}

/* ------------------------------------------------------------------ */
/* the dump */

static json_t *hex(uintptr_t a)
{
	char buf[32];
	snprintf(buf, sizeof buf, "0x%lx", (unsigned long)a);
	return json_string(buf);
}

struct modules {
	json_t *list;
	Dwfl_Module *mod[4096];
	size_t n;
};

static int module_cb(Dwfl_Module *m, void **userdata, const char *name, Dwarf_Addr start, void *arg)
{
	struct modules *ms = arg;
	Dwarf_Addr bias = 0;
	const unsigned char *id;
	GElf_Addr vaddr;
	(void)userdata;
	(void)start;
	if (ms->n == sizeof ms->mod / sizeof ms->mod[0])
		return DWARF_CB_ABORT;
	const char *file = NULL;
	dwfl_module_info(m, NULL, NULL, NULL, NULL, NULL, &file, NULL);
	if (!dwfl_module_getelf(m, &bias))
		bias = start;
	json_t *o = json_object();
	json_object_set_new(o, "path", json_string(file ? file : name));
	json_object_set_new(o, "base", hex((uintptr_t)bias));
	int len = dwfl_module_build_id(m, &id, &vaddr);
	char bid[2 * 64 + 1] = "";
	for (int k = 0; k < len && k < 64; k++)
		snprintf(bid + 2 * k, 3, "%02x", id[k]);
	json_object_set_new(o, "build_id", json_string(bid));
	json_array_append_new(ms->list, o);
	ms->mod[ms->n++] = m;
	return DWARF_CB_OK;
}

static json_t *stack_json(const struct ext_proc *p, const struct modules *ms, const struct ext_thread *t)
{
	json_t *a = json_array();
	for (int k = 0; k < t->nframes; k++) {
		json_t *f = json_object();
		Dwarf_Addr pc = t->pc[k] - (k > 0);
		Dwfl_Module *m = dwfl_addrmodule(p->dwfl, pc);
		json_object_set_new(f, "addr", hex(t->pc[k]));
		for (size_t i = 0; m && i < ms->n; i++)
			if (ms->mod[i] == m) {
				Dwarf_Addr bias = 0;
				if (!dwfl_module_getelf(m, &bias))
					dwfl_module_info(m, NULL, &bias, NULL, NULL, NULL, NULL, NULL);
				json_object_set_new(f, "module", json_integer((json_int_t)i));
				json_object_set_new(f, "offset", hex(t->pc[k] - bias));
			}
		GElf_Sym sym;
		GElf_Off off = 0;
		const char *fn = m ? dwfl_module_addrinfo(m, pc, &off, &sym, NULL, NULL, NULL) : NULL;
		if (fn) {
			char buf[512];
			snprintf(buf, sizeof buf, "%s+0x%lx", fn, (unsigned long)(off + (k > 0)));
			json_object_set_new(f, "function", json_string(buf));
		}
		json_array_append_new(a, f);
	}
	return a;
}

static json_t *wait_json(const struct asl_snapshot *s, int i)
{
	const struct asl_wait *w = &s->t[i].wait;
	json_t *o = json_object(), *owners = json_array();
	char obj[48];
	int own[16];
	pid_t unknown;
	json_object_set_new(o, "kind", json_string(asl_wait_kind_name(w->kind)));
	if (w->kind == ASL_W_JOIN)
		snprintf(obj, sizeof obj, "thread %d", (int)w->owner_hint);
	else if (w->kind == ASL_W_SLEEP)
		snprintf(obj, sizeof obj, "sleep");
	else if (asl_wait_on_fds(w->kind))
		snprintf(obj, sizeof obj, "fd %d", (int)w->obj);
	else
		snprintf(obj, sizeof obj, "0x%lx", (unsigned long)w->obj);
	json_object_set_new(o, "object", json_string(obj));
	int k = asl_snap_owners(s, i, own, 16, &unknown);
	for (int j = 0; j < k; j++)
		json_array_append_new(owners, json_integer(s->t[own[j]].tid));
	json_object_set_new(o, "owners", owners);
	json_object_set_new(o, "since_ms", json_integer(0));
	json_object_set_new(o, "timed", json_boolean(w->timed));
	json_object_set_new(o, "shared", json_boolean(w->shared));
	return o;
}

static json_t *tids_json(const pid_t *t, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_integer(t[i]));
	return a;
}

static json_t *deadlock_json(const struct asl_snapshot *s, const struct asl_deadlock *d)
{
	json_t *o = json_object(), *cy = json_array(), *objs = json_array();
	pid_t tids[ASL_CYCLE_MAX];
	char msg[256], obj[48];
	for (int k = 0; k < d->n; k++) {
		const struct asl_tsnap *t = &s->t[d->step[k].thread];
		json_t *e = json_object();
		tids[k] = t->tid;
		json_object_set_new(e, "tid", json_integer(t->tid));
		json_object_set_new(e, "kind", json_string(asl_wait_kind_name(t->wait.kind)));
		if (t->wait.kind == ASL_W_JOIN) {
			snprintf(obj, sizeof obj, "thread %d", s->t[d->step[k].owner].tid);
		} else {
			snprintf(obj, sizeof obj, "0x%lx", (unsigned long)t->wait.obj);
			json_array_append_new(objs, json_string(obj));
		}
		json_object_set_new(e, "object", json_string(obj));
		json_object_set_new(e, "owner", json_integer(s->t[d->step[k].owner].tid));
		json_array_append_new(cy, e);
	}
	if (d->n == 1)
		snprintf(msg, sizeof msg, "thread %d waits for %s 0x%lx, which it holds itself", tids[0],
		         asl_wait_kind_name(s->t[d->step[0].thread].wait.kind),
		         (unsigned long)s->t[d->step[0].thread].wait.obj);
	else
		snprintf(msg, sizeof msg, "%d threads wait for each other in a cycle (%d -> %d%s)", d->n, tids[0],
		         tids[1], d->n > 2 ? " -> ..." : "");
	json_object_set_new(o, "kind", json_string("deadlock"));
	json_object_set_new(o, "message", json_string(msg));
	json_object_set_new(o, "threads", tids_json(tids, d->n));
	json_object_set_new(o, "objects", objs);
	json_object_set_new(o, "cycle", cy);
	return o;
}

static char *dump_text(const struct ext_proc *p, const struct asl_snapshot *s, const struct asl_deadlock *d, int nd,
                       const char *veto)
{
	json_t *root = json_object(), *threads = json_array(), *findings = json_array();
	struct modules *ms = calloc(1, sizeof *ms);
	struct timespec now;
	if (!ms)
		return NULL;
	ms->list = json_array();
	dwfl_getmodules(p->dwfl, module_cb, ms, 0);
	clock_gettime(CLOCK_REALTIME, &now);
	json_object_set_new(root, "schema", json_string("asleep-dump/1"));
	json_object_set_new(root, "pid", json_integer(p->pid));
	json_object_set_new(root, "seq", json_integer(0));
	json_object_set_new(root, "reason", json_string(p->source));
	json_object_set_new(root, "exe", json_string(p->exe));
	json_object_set_new(root, "time_unix_ms", json_integer((json_int_t)now.tv_sec * 1000 + now.tv_nsec / 1000000));
	json_object_set_new(root, "live_threads", json_integer((json_int_t)p->n));
	json_object_set_new(root, "peak_threads", json_integer((json_int_t)p->n));
	for (int i = 0; i < s->n; i++) {
		const struct ext_thread *t = &p->t[i];
		json_t *o = json_object();
		json_object_set_new(o, "tid", json_integer(t->tid));
		json_object_set_new(o, "name", json_string(t->name));
		json_object_set_new(o, "state", json_string(s->t[i].blocked ? "blocked" : "running"));
		json_object_set_new(o, "main", json_boolean(t->tid == p->pid));
		if (s->t[i].blocked)
			json_object_set_new(o, "wait", wait_json(s, i));
		json_object_set_new(o, "stack", stack_json(p, ms, t));
		json_object_set_new(o, "held", json_array());
		json_array_append_new(threads, o);
	}
	for (int k = 0; k < nd; k++)
		json_array_append_new(findings, deadlock_json(s, &d[k]));
	if (!veto) {
		json_t *f = json_object();
		pid_t tids[4096];
		int n = 0;
		for (int i = 0; i < s->n && n < 4096; i++)
			tids[n++] = s->t[i].tid;
		json_object_set_new(f, "kind", json_string("all-asleep"));
		json_object_set_new(f, "message", json_string("all threads are asleep - deadlock!"));
		json_object_set_new(f, "threads", tids_json(tids, n));
		json_array_append_new(findings, f);
	}
	json_object_set_new(root, "threads", threads);
	json_object_set_new(root, "findings", findings);
	json_object_set_new(root, "modules", ms->list);
	free(ms);
	char *text = json_dumps(root, JSON_INDENT(1));
	json_decref(root);
	return text;
}

/* ------------------------------------------------------------------ */

static int trouble(const char *fmt, const char *arg)
{
	fprintf(stderr, "asleep-analyze: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 3;
}

static int write_dump(const char *dir, pid_t pid, const char *text, char *path, size_t len)
{
	if (dir) {
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			return -1;
		snprintf(path, len, "%s/asleep.%d.%s.json", dir, (int)pid, "0");
	} else {
		const char *tmp = getenv("TMPDIR");
		snprintf(path, len, "%s/asleep-outside.XXXXXX", tmp && *tmp ? tmp : "/tmp");
		int fd = mkstemp(path);
		if (fd < 0)
			return -1;
		close(fd);
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -1;
	size_t n = strlen(text);
	ssize_t w = write(fd, text, n);
	int ok = w == (ssize_t)n;
	ok &= close(fd) == 0;
	return ok ? 0 : -1;
}

int outside_frame_cb(Dwfl_Frame *state, void *arg)
{
	struct ext_thread *t = arg;
	Dwarf_Addr pc;
	bool activation;
	if (t->nframes == OUTSIDE_FRAMES || !dwfl_frame_pc(state, &pc, &activation))
		return DWARF_CB_ABORT;
	t->pc[t->nframes++] = (uintptr_t)pc;
	return DWARF_CB_OK;
}

bool outside_syscall_regs(long orig_rax, long rax)
{
	/* ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK */
	return orig_rax >= 0 && (rax == -512 || rax == -513 || rax == -514 || rax == -516);
}

int outside_judge(struct ext_proc *p, const char *dump_dir, bool symbolize, FILE *out, void (*resume)(void *),
                  void *arg)
{
	struct asl_snapshot s = { 0 };
	struct asl_deadlock d[16];
	struct asl_world w = { p->handlers_known ? p->handlers : 1, 0 };
	s.t = calloc(p->n + 1, sizeof *s.t);
	if (!s.t)
		return trouble("%s", "out of memory");
	s.n = (int)p->n;
	for (size_t i = 0; i < p->n; i++) {
		struct asl_tsnap *t = &s.t[i];
		t->slot = (int)i;
		t->gen = 1;
		t->seq = 1;
		t->life = ASL_ALIVE;
		t->tid = p->t[i].tid;
		t->self = (pthread_t)p->t[i].fs_base;
		t->is_main = p->t[i].tid == p->pid;
		decode(p, &p->t[i], t);
	}
	/* a join names its target by tid (the futex word is the target's tid
	 * field): the judge wants the target's pthread_t */
	for (int i = 0; i < s.n; i++) {
		struct asl_wait *jw = &s.t[i].wait;
		if (!s.t[i].blocked || jw->kind != ASL_W_JOIN)
			continue;
		int j = asl_snap_find_tid(&s, jw->owner_hint);
		jw->obj = j >= 0 ? (uintptr_t)s.t[j].self : 0;
		if (j < 0)
			s.t[i].blocked = 0; /* joining a thread that is gone: it returns */
	}
	if (resume)
		resume(arg); /* everything read: the process goes on */
	int nd = asl_find_deadlocks(&s, &w, d, 16);
	pid_t who = 0;
	const char *veto = asl_all_asleep_veto(&s, &w, &who);
	char *text = dump_text(p, &s, d, nd, veto);
	char path[PATH_MAX + 64];
	int rc = 0;
	if (!text) {
		rc = trouble("%s", "out of memory");
	} else if (write_dump(dump_dir, p->pid, text, path, sizeof path) != 0) {
		rc = trouble("cannot write the dump: %s", strerror(errno));
	} else {
		struct dump_set set;
		char err[512], *paths[1] = { path };
		struct report_opts opts = { 0 };
		if (symbolize)
			opts.sym = symbolizer_new();
		if (inputs_load(paths, 1, &set, err, sizeof err) < 0) {
			rc = trouble("%s", err);
		} else {
			report_text_run(out, set.dumps, set.n, &opts);
			if (dump_dir)
				fprintf(out, "dump written to %s\n", path);
			dump_set_free(&set);
			rc = !veto || nd > 0 ? 2 : 0;
		}
		symbolizer_free(opts.sym);
		if (!dump_dir)
			unlink(path);
	}
	free(text);
	free(s.t);
	return rc;
}
