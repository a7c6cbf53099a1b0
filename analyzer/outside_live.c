/* SPDX-License-Identifier: MIT */
/* attach PID: every thread stopped with PTRACE_SEIZE + PTRACE_INTERRUPT (no
 * signal is sent, so none can be lost or reordered), read, and let go with
 * PTRACE_DETACH: a system call the stop interrupted is restarted by the
 * kernel, as after any ptrace stop.  What the threads were doing is read
 * before they are stopped (their state in /proc says 't' after). */
#define _GNU_SOURCE
#include "outside.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

struct live {
	int mem; /* /proc/PID/mem */
	pid_t *stopped;
	size_t nstopped;
};

static int live_read(const struct ext_proc *p, uintptr_t addr, void *buf, size_t len)
{
	const struct live *l = p->impl;
	return pread(l->mem, buf, len, (off_t)addr) == (ssize_t)len ? 0 : -1;
}

/* The tids of pid, main first. */
static pid_t *task_list(pid_t pid, size_t *n)
{
	char dir[64];
	snprintf(dir, sizeof dir, "/proc/%d/task", (int)pid);
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 64;
	pid_t *t = malloc(cap * sizeof *t);
	*n = 0;
	if (!d || !t) {
		if (d)
			closedir(d);
		free(t);
		return NULL;
	}
	t[(*n)++] = pid;
	while ((e = readdir(d))) {
		pid_t tid = (pid_t)atoi(e->d_name);
		if (tid <= 0 || tid == pid)
			continue;
		if (*n == cap) {
			pid_t *m = realloc(t, (cap *= 2) * sizeof *t);
			if (!m)
				break;
			t = m;
		}
		t[(*n)++] = tid;
	}
	closedir(d);
	return t;
}

/* Before the stop: the state letter and name of a thread.  (Its system
 * call comes from its registers at the stop.) */
static void read_proc(pid_t pid, struct ext_thread *t)
{
	char path[96], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)pid, (int)t->tid);
	FILE *f = fopen(path, "re");
	t->state = '?';
	if (f && fgets(buf, sizeof buf, f)) {
		char *open = strchr(buf, '('), *close = strrchr(buf, ')');
		if (open && close && close > open) {
			snprintf(t->name, sizeof t->name, "%.*s", (int)(close - open - 1), open + 1);
			t->state = close[2];
		}
	}
	if (f)
		fclose(f);
}

static int stop_one(pid_t tid)
{
	int st;
	if (ptrace(PTRACE_SEIZE, tid, 0, 0) != 0)
		return errno == ESRCH ? 1 : -1; /* gone: fine */
	if (ptrace(PTRACE_INTERRUPT, tid, 0, 0) != 0)
		return -1;
	for (;;) {
		pid_t r = waitpid(tid, &st, __WALL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (WIFEXITED(st) || WIFSIGNALED(st))
			return 1;
		if (WIFSTOPPED(st) && (st >> 16) == PTRACE_EVENT_STOP)
			return 0;
		/* a signal arrived first: leave it pending for the thread, and
		 * take the interrupt stop that follows */
		if (WIFSTOPPED(st) && ptrace(PTRACE_CONT, tid, 0, WSTOPSIG(st)) != 0)
			return -1;
	}
}

static void let_go(struct live *l)
{
	for (size_t i = 0; i < l->nstopped; i++)
		ptrace(PTRACE_DETACH, l->stopped[i], 0, 0);
	l->nstopped = 0;
}

static void resume(void *arg)
{
	let_go(arg);
}

static const Dwfl_Callbacks proc_callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
};

static bool handlers_of(pid_t pid, bool *known)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	bool any = true;
	*known = false;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "SigCgt:", 7)) {
			unsigned long long mask = strtoull(line + 7, NULL, 16);
			mask &= ~((1ull << 31) | (1ull << 32)); /* glibc's SIGCANCEL and SIGSETXID */
			any = mask != 0;
			*known = true;
		}
	if (f)
		fclose(f);
	return any;
}

int outside_attach(pid_t pid, const char *dump_dir, bool symbolize, FILE *out)
{
	struct ext_proc p = { .pid = pid, .live = true, .source = "attach", .read = live_read };
	struct live l = { -1, NULL, 0 };
	char path[64];
	int rc = 3;
	size_t n;
	pid_t *tids = task_list(pid, &n);
	if (!tids) {
		fprintf(stderr, "asleep-analyze: attach %d: no such process\n", (int)pid);
		return 3;
	}
	snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
	ssize_t len = readlink(path, p.exe, sizeof p.exe - 1);
	p.exe[len > 0 ? len : 0] = '\0';
	p.handlers = handlers_of(pid, &p.handlers_known);
	p.t = calloc(n, sizeof *p.t);
	l.stopped = calloc(n, sizeof *l.stopped);
	if (!p.t || !l.stopped) {
		fprintf(stderr, "asleep-analyze: out of memory\n");
		goto out;
	}
	/* what each thread does, then the stop */
	for (size_t i = 0; i < n; i++) {
		p.t[i].tid = tids[i];
		read_proc(pid, &p.t[i]);
	}
	for (size_t i = 0; i < n; i++) {
		int r = stop_one(tids[i]);
		if (r < 0) {
			fprintf(stderr,
			        "asleep-analyze: attach %d: cannot stop thread %d: %s (ptrace needs the same user, or "
			        "root; see /proc/sys/kernel/yama/ptrace_scope)\n",
			        (int)pid, (int)tids[i], strerror(errno));
			goto out;
		}
		if (r == 0)
			l.stopped[l.nstopped++] = tids[i];
	}
	p.n = n;
	snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
	l.mem = open(path, O_RDONLY | O_CLOEXEC);
	p.impl = &l;
	for (size_t i = 0; i < n; i++) {
		struct user_regs_struct regs;
		struct ext_thread *t = &p.t[i];
		if (ptrace(PTRACE_GETREGS, t->tid, 0, &regs) != 0)
			continue;
		t->fs_base = regs.fs_base;
		t->in_syscall = outside_syscall_regs((long)regs.orig_rax, (long)regs.rax);
		t->nr = (long)regs.orig_rax;
		unsigned long args[6] = { regs.rdi, regs.rsi, regs.rdx, regs.r10, regs.r8, regs.r9 };
		memcpy(t->args, args, sizeof args);
	}
	p.dwfl = dwfl_begin(&proc_callbacks);
	if (!p.dwfl || dwfl_linux_proc_report(p.dwfl, pid) != 0 || dwfl_report_end(p.dwfl, NULL, NULL) != 0 ||
	    dwfl_linux_proc_attach(p.dwfl, pid, true) != 0) {
		fprintf(stderr, "asleep-analyze: attach %d: cannot read its modules: %s\n", (int)pid, dwfl_errmsg(-1));
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		dwfl_getthread_frames(p.dwfl, p.t[i].tid, outside_frame_cb, &p.t[i]);
	/* decoded while stopped; the process goes on before the report */
	rc = outside_judge(&p, dump_dir, symbolize, out, resume, &l);
out:
	let_go(&l);
	if (p.dwfl)
		dwfl_end(p.dwfl);
	if (l.mem >= 0)
		close(l.mem);
	free(l.stopped);
	free(p.t);
	free(tids);
	return rc;
}
