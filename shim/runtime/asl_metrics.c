/* SPDX-License-Identifier: MIT */
/* metrics_file: the program's threads as Prometheus metrics, the way Go
 * services export go_goroutines.  Written in the text exposition format to
 * PATH (a temporary file, then rename(2): the node_exporter textfile
 * collector's convention, so a scrape never sees half a file), by the
 * monitor every metrics_interval_ms and once more at exit.  Every series
 * carries the program's name and pid, so that several processes can write
 * files into one collector directory. */
#define _GNU_SOURCE
#include "asl_metrics.h"

#include "asl_exit.h"
#include "asl_finding.h"
#include "asl_lockorder.h"
#include "asl_options.h"
#include "asl_proc.h"
#include "asl_snapshot.h"
#include "asl_sys.h"
#include "asl_thread.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t next_due; /* the monitor's */

struct text {
	char *buf;
	size_t len, cap;
	int oom;
};

__attribute__((format(printf, 2, 3))) static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int n = vsnprintf(t->buf ? t->buf + t->len : NULL, t->buf ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0 || t->oom)
			return;
		if (t->buf && t->len + (size_t)n < t->cap) {
			t->len += (size_t)n;
			return;
		}
		size_t cap = t->cap ? t->cap * 2 : 16384;
		while (cap < t->len + (size_t)n + 1)
			cap *= 2;
		char *b = realloc(t->buf, cap);
		if (!b) {
			t->oom = 1;
			return;
		}
		t->buf = b;
		t->cap = cap;
	}
}

/* A label value, escaped as the format wants (backslash, quote, newline). */
static void escape(const char *in, char *out, size_t len)
{
	size_t n = 0;
	for (; *in && n + 3 < len; in++) {
		if (*in == '\\' || *in == '"')
			out[n++] = '\\', out[n++] = *in;
		else if (*in == '\n')
			out[n++] = '\\', out[n++] = 'n';
		else
			out[n++] = *in;
	}
	out[n] = '\0';
}

static void header(struct text *t, const char *name, const char *type, const char *help)
{
	put(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Where a thread was made: the first frame of its creation stack outside
 * the runtime libraries (std::thread's own frames, glibc's), by name. */
static void creation_site(const struct asl_modules *m, const struct asl_tsnap *t, char *buf, size_t len)
{
	snprintf(buf, len, "%s", t->is_main ? "main thread" : "unknown");
	for (int i = 0; !t->is_main && i < t->create_depth; i++) {
		int mi = asl_module_index(m, t->create_stack[i]);
		const char *base = mi >= 0 ? strrchr(m->m[mi].path, '/') : NULL;
		base = base ? base + 1 : mi >= 0 ? m->m[mi].path : "";
		if (!strncmp(base, "libstdc++", 9) || !strncmp(base, "libc.so", 7) || !strncmp(base, "libpthread", 10))
			continue;
		char fn[256];
		if (asl_symbolize(m, t->create_stack[i], fn, sizeof fn) == 0 && fn[0]) {
			char *plus = strstr(fn, "+0x");
			if (plus)
				*plus = '\0';
			snprintf(buf, len, "%s", fn);
		} else if (mi >= 0) {
			snprintf(buf, len, "%.200s+0x%lx", base, (unsigned long)(t->create_stack[i] - m->m[mi].base));
		}
		return;
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct site_count {
	const char *name;
	int count;
};

static int by_count(const void *a, const void *b)
{
	const struct site_count *x = a, *y = b;
	return x->count != y->count ? y->count - x->count : strcmp(x->name, y->name);
}

static void sites(struct text *t, const struct asl_snapshot *s, const struct asl_modules *m, const char *labels)
{
	char **names = calloc((size_t)s->n + 1, sizeof *names);
	struct site_count *c = calloc((size_t)s->n + 1, sizeof *c);
	int nc = 0, other = 0;
	header(t, "asleep_threads_by_site", "gauge",
	       "Live threads by where they were created (the largest metrics_sites sites; the rest as \"other\").");
	for (int i = 0; names && c && i < s->n; i++) {
		char buf[256];
		creation_site(m, &s->t[i], buf, sizeof buf);
		names[i] = strdup(buf);
		if (!names[i])
			goto out;
	}
	if (!names || !c)
		goto out;
	qsort(names, (size_t)s->n, sizeof *names, by_name);
	for (int i = 0; i < s->n; i++) {
		if (nc && !strcmp(c[nc - 1].name, names[i]))
			c[nc - 1].count++;
		else
			c[nc++] = (struct site_count){ names[i], 1 };
	}
	qsort(c, (size_t)nc, sizeof *c, by_count);
	for (int i = 0; i < nc; i++) {
		char esc[600];
		if (i >= asl_opts.metrics_sites) {
			other += c[i].count;
			continue;
		}
		escape(c[i].name, esc, sizeof esc);
		put(t, "asleep_threads_by_site{%s,site=\"%s\"} %d\n", labels, esc, c[i].count);
	}
	if (other)
		put(t, "asleep_threads_by_site{%s,site=\"other\"} %d\n", labels, other);
out:
	for (int i = 0; names && i < s->n; i++)
		free(names[i]);
	free(names);
	free(c);
}

static size_t shim_bytes(const struct asl_lo_stats *lo)
{
	size_t n = lo->bytes;
	for (int c = 0; c < ASL_MAX_THREADS / ASL_THREAD_CHUNK; c++)
		if (atomic_load(&asl_thread_chunks[c]))
			n += ASL_THREAD_CHUNK * sizeof(struct asl_thread);
	return n;
}

static char *render(void)
{
	struct asl_snapshot s;
	struct asl_modules m;
	struct text t = { NULL, 0, 0, 0 };
	char exe[256], prog[300], labels[400];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	const char *base = strrchr(exe, '/');
	escape(base ? base + 1 : exe, prog, sizeof prog);
	snprintf(labels, sizeof labels, "program=\"%s\",pid=\"%d\"", prog, (int)getpid());
	if (asl_snapshot_take(&s) != 0)
		return NULL;
	asl_modules_collect(&m);

	header(&t, "asleep_threads", "gauge", "Threads the program has now (the shim's monitor not counted).");
	put(&t, "asleep_threads{%s} %d\n", labels, atomic_load(&asl_live_threads));
	header(&t, "asleep_threads_peak", "gauge", "The most threads the program had alive at once.");
	put(&t, "asleep_threads_peak{%s} %d\n", labels, atomic_load(&asl_peak_threads));

	int blocked[ASL_W__COUNT] = { 0 };
	for (int i = 0; i < s.n; i++)
		if (s.t[i].blocked && s.t[i].wait.kind >= 0 && s.t[i].wait.kind < ASL_W__COUNT)
			blocked[s.t[i].wait.kind]++;
	header(&t, "asleep_threads_blocked", "gauge", "Threads blocked now, by what they wait in.");
	for (int k = ASL_W_NONE + 1; k < ASL_W__COUNT; k++)
		put(&t, "asleep_threads_blocked{%s,kind=\"%s\"} %d\n", labels, asl_wait_kind_name(k), blocked[k]);
	sites(&t, &s, &m, labels);

	header(&t, "asleep_findings_total", "counter",
	       "Findings reported since start, by kind (suppressed ones not counted).");
	for (int k = 0; k < ASL_F__COUNT; k++)
		put(&t, "asleep_findings_total{%s,kind=\"%s\"} %lu\n", labels, asl_finding_kind_name(k),
		    asl_published_count(k));
	header(&t, "asleep_dumps_written_total", "counter", "Dump files written since start.");
	put(&t, "asleep_dumps_written_total{%s} %lu\n", labels, asl_dumps_written());

	struct asl_lo_stats lo;
	asl_lo_stats(&lo);
	header(&t, "asleep_lock_order_locks", "gauge", "Locks in the lock-order graph now.");
	put(&t, "asleep_lock_order_locks{%s} %lu\n", labels, lo.locks);
	header(&t, "asleep_lock_order_edges", "gauge", "Lock-order edges (held X, then took Y) in the graph now.");
	put(&t, "asleep_lock_order_edges{%s} %lu\n", labels, lo.edges);
	header(&t, "asleep_lock_order_dropped_total", "counter",
	       "Lock-order edges dropped: the graph's cap was reached.");
	put(&t, "asleep_lock_order_dropped_total{%s} %lu\n", labels, lo.dropped);
	header(&t, "asleep_shim_memory_bytes", "gauge", "Memory the shim has mapped for its own records.");
	put(&t, "asleep_shim_memory_bytes{%s} %zu\n", labels, shim_bytes(&lo));

	asl_modules_free(&m);
	asl_snapshot_free(&s);
	if (t.oom) {
		free(t.buf);
		return NULL;
	}
	return t.buf;
}

/* metrics_file with "%p" made this process's pid.  Without %p, a forked
 * child leaves the file to the process that started with it. */
static int target(char *path, size_t len)
{
	const char *p = strstr(asl_opts.metrics_file, "%p");
	if (!p) {
		snprintf(path, len, "%s", asl_opts.metrics_file);
		return getpid() == asl_pid ? 0 : -1;
	}
	snprintf(path, len, "%.*s%d%s", (int)(p - asl_opts.metrics_file), asl_opts.metrics_file, (int)getpid(), p + 2);
	return 0;
}

void asl_metrics_write(void)
{
	char path[ASL_PATH_MAX + 32], tmp[ASL_PATH_MAX + 64];
	if (!asl_opts.metrics_file[0] || target(path, sizeof path) != 0)
		return;
	char *text = render();
	if (!text)
		return;
	snprintf(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd >= 0) {
		int ok = asl_sys_write_all(fd, text, strlen(text)) == 0;
		ok &= close(fd) == 0;
		if (!ok || rename(tmp, path) != 0)
			unlink(tmp);
	}
	free(text);
}

void asl_metrics_tick(uint64_t now_ns)
{
	if (!asl_opts.metrics_file[0] || now_ns < next_due || asl_exit_started())
		return;
	next_due = now_ns + (uint64_t)asl_opts.metrics_interval_ms * 1000000u;
	asl_metrics_write();
}

void asl_metrics_reset_after_fork(void)
{
	next_due = 0;
}
