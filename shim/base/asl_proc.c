/* SPDX-License-Identifier: MIT */
/* The kernel's view of this process, from /proc. */
#define _GNU_SOURCE
#include "asl_proc.h"

#include "asl_sys.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The field after the command name in a stat line: "pid (comm) S ...". */
static const char *after_comm(const char *stat)
{
	const char *p = strrchr(stat, ')');
	return p && p[1] == ' ' ? p + 2 : NULL;
}

static char task_state(pid_t tid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
	if (asl_sys_read_file(path, buf, sizeof buf) <= 0)
		return '?';
	const char *p = after_comm(buf);
	return p ? *p : '?';
}

int asl_proc_tasks(struct asl_tasks *k)
{
	k->n = 0;
	k->t = NULL;
	DIR *d = opendir("/proc/self/task");
	if (!d)
		return -1;
	int cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		if (k->n == cap) {
			cap = cap ? 2 * cap : 16;
			struct asl_task *t = realloc(k->t, (size_t)cap * sizeof *t);
			if (!t) {
				closedir(d);
				return -1;
			}
			k->t = t;
		}
		k->t[k->n].tid = (pid_t)atoi(e->d_name);
		k->t[k->n].state = task_state(k->t[k->n].tid);
		k->n++;
	}
	closedir(d);
	return 0;
}

void asl_proc_tasks_free(struct asl_tasks *k)
{
	free(k->t);
	k->t = NULL;
	k->n = 0;
}

int asl_proc_thread_count(void)
{
	char buf[1024];
	if (asl_sys_read_file("/proc/self/stat", buf, sizeof buf) <= 0)
		return -1;
	const char *p = after_comm(buf);
	/* num_threads is field 20; p starts at field 3 (state). */
	for (int field = 3; p && field < 20; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return p ? atoi(p) : -1;
}

void asl_proc_thread_name(pid_t tid, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/task/%d/comm", (int)tid);
	if (asl_sys_read_file(path, buf, len) <= 0) {
		snprintf(buf, len, "?");
		return;
	}
	buf[strcspn(buf, "\n")] = '\0';
}

long long asl_proc_thread_switches(pid_t tid)
{
	char path[64], buf[2048];
	snprintf(path, sizeof path, "/proc/self/task/%d/status", (int)tid);
	if (asl_sys_read_file(path, buf, sizeof buf) <= 0)
		return -1;
	static const char vol[] = "\nvoluntary_ctxt_switches:", nonvol[] = "\nnonvoluntary_ctxt_switches:";
	const char *v = strstr(buf, vol), *n = strstr(buf, nonvol);
	if (!v || !n)
		return -1;
	return strtoll(v + sizeof vol - 1, NULL, 10) + strtoll(n + sizeof nonvol - 1, NULL, 10);
}

int asl_proc_signal_handlers(unsigned long long ours)
{
	char buf[4096];
	if (asl_sys_read_file("/proc/self/status", buf, sizeof buf) <= 0)
		return 1; /* unknown: assume a handler may exist */
	const char *p = strstr(buf, "SigCgt:");
	if (!p)
		return 1;
	unsigned long long mask = strtoull(p + 7, NULL, 16);
	/* glibc's own: SIGCANCEL (32) and SIGSETXID (33), bits 31 and 32. */
	mask &= ~((1ull << 31) | (1ull << 32));
	mask &= ~ours; /* the shim's dump handlers wake nobody */
	return mask != 0;
}

pid_t asl_pid;         /* the constructor, and the fork child handler (only its thread runs) */
uint64_t asl_start_ns; /* the constructor */
