/* SPDX-License-Identifier: MIT */
/* The human report on stderr, in the spirit of Go's "all goroutines are
 * asleep": the verdict first, then each finding, then every thread. */
#define _GNU_SOURCE
#include "asl_duration.h"
#include "asl_finding.h"
#include "asl_options.h"
#include "asl_owners.h"
#include "asl_what.h"
#include "asl_wrapper.h"
#include "asl_proc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The report is rendered into memory, then written whole under the report
 * lock (asl_publish.c): no allocation happens while a shim lock is held. */
struct out {
	char *buf;
	size_t n, cap;
	int oom;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (len < 0 || o->oom)
		return;
	if ((size_t)len >= sizeof line)
		len = sizeof line - 1;
	if (o->n + (size_t)len + 1 > o->cap) {
		size_t cap = o->cap ? 2 * o->cap : 8192;
		while (cap < o->n + (size_t)len + 1)
			cap *= 2;
		char *b = realloc(o->buf, cap);
		if (!b) {
			o->oom = 1;
			return;
		}
		o->buf = b;
		o->cap = cap;
	}
	memcpy(o->buf + o->n, line, (size_t)len);
	o->n += (size_t)len;
	o->buf[o->n] = '\0';
}

static void human_ms(uint64_t ns, char *buf, size_t len)
{
	asl_duration_format((long long)(ns / 1000000u), buf, len);
}

static void put_frame(struct out *o, const struct asl_modules *m, int i, uintptr_t a)
{
	char fn[256];
	int mi = asl_module_index(m, a);
	asl_symbolize(m, a, fn, sizeof fn);
	if (mi >= 0) {
		const char *base = strrchr(m->m[mi].path, '/');
		base = base ? base + 1 : m->m[mi].path;
		put(o, "        #%d 0x%lx %s (%s+0x%lx)\n", i, (unsigned long)a, fn[0] ? fn : "?", base,
		    (unsigned long)(a - m->m[mi].base));
	} else {
		put(o, "        #%d 0x%lx %s\n", i, (unsigned long)a, fn[0] ? fn : "?");
	}
}

static void put_stack(struct out *o, const struct asl_modules *m, const uintptr_t *st, int n)
{
	for (int i = 0; i < n; i++)
		put_frame(o, m, i, st[i]);
}

static const char *tname(const struct asl_tsnap *t, char *buf, size_t len)
{
	asl_tsnap_name(t, buf, len);
	return buf;
}

static void put_wait(struct out *o, const struct asl_report_ctx *r, int i)
{
	const struct asl_snapshot *s = r->s;
	const struct asl_tsnap *t = &s->t[i];
	const struct asl_wait *w = &t->wait;
	char dur[32];
	int owners[16];
	pid_t unknown;
	human_ms(s->now_ns > w->since_ns ? s->now_ns - w->since_ns : 0, dur, sizeof dur);
	int k = asl_snap_owners(s, i, owners, 16, &unknown);
	if (w->kind == ASL_W_JOIN) {
		put(o, "blocked %s in join of thread %d%s\n", dur, k ? s->t[owners[0]].tid : 0,
		    w->timed ? " (timed)" : "");
		return;
	}
	if (w->kind == ASL_W_COND_DESTROY) {
		put(o, "blocked %s destroying a condition variable (0x%lx) that %d thread%s still wait on:", dur,
		    (unsigned long)w->obj, k, k == 1 ? "" : "s");
		for (int j = 0; j < k; j++)
			put(o, "%s thread %d", j ? "," : "", s->t[owners[j]].tid);
		put(o, "%s\n", w->shared ? " (process-shared)" : "");
		return;
	}
	if (w->kind == ASL_W_SLEEP)
		put(o, "sleeping %s", dur);
	else if (asl_wait_on_fds(w->kind))
		put(o, "blocked %s on %s fd %d", dur, asl_wait_kind_name(w->kind), (int)w->obj);
	else
		put(o, "blocked %s on %s 0x%lx", dur, asl_wait_kind_name(w->kind), (unsigned long)w->obj);
	if (asl_wait_on_fds(w->kind) && w->peer >= 0)
		put(o, " (other end fd %d)", w->peer);
	if (w->kind == ASL_W_POLL && w->nfds > 1)
		put(o, " and %d more fds", w->nfds - 1);
	if (w->kind == ASL_W_COND)
		put(o, " (mutex 0x%lx)", (unsigned long)w->aux);
	const char *what = asl_wait_what(r->mods, w);
	if (what)
		put(o, " (%s)", what);
	for (int j = 0; j < k; j++)
		put(o, "%s thread %d", j ? "," : " held by", s->t[owners[j]].tid);
	if (unknown)
		put(o, " held by thread %d, which no longer exists", (int)unknown);
	put(o, "%s%s\n", w->timed && w->kind != ASL_W_SLEEP ? " (timed)" : "",
	    w->shared ? (asl_wait_on_fds(w->kind) ? " (another process may serve it)" : " (process-shared)") : "");
}

static void put_thread(struct out *o, const struct asl_report_ctx *r, int i)
{
	const struct asl_tsnap *t = &r->s->t[i];
	char name[64];
	put(o, "\nthread %d \"%s\"%s: ", t->tid, tname(t, name, sizeof name), t->is_main ? " (main)" : "");
	if (t->blocked)
		put_wait(o, r, i);
	else
		put(o, "%s\n", t->life == ASL_STARTING ? "starting" : t->life == ASL_EXITING ? "exiting" : "running");
	for (int h = 0; h < t->nheld; h++) {
		char fn[256];
		asl_symbolize(r->mods, t->held[h].site, fn, sizeof fn);
		put(o, "    holds %s 0x%lx, taken at %s\n", asl_lock_kind_name(asl_held_kind(&t->held[h])),
		    (unsigned long)t->held[h].obj, fn[0] ? fn : "?");
	}
	if (t->blocked)
		put_stack(o, r->mods, t->wait.stack, t->wait.depth);
	if (!t->is_main) {
		put(o, "    created by thread %d at\n", t->parent_tid);
		put_stack(o, r->mods, t->create_stack, t->create_depth);
	}
}

/* ", in CALLER through WRAPPER" when a stack starts in locking wrappers
 * (asl_wrapper.h): the code that wanted the lock, not the wrapper. */
static void put_past_wrappers(struct out *o, const struct asl_modules *m, const uintptr_t *st, int n)
{
	char buf[4][256];
	const char *names[4];
	int k = n < 4 ? n : 4;
	for (int i = 0; i < k; i++)
		names[i] = asl_symbolize(m, st[i], buf[i], sizeof buf[i]) == 0 && buf[i][0] ? buf[i] : NULL;
	int first = asl_first_past_wrappers(names, k);
	if (first > 0 && first < k && names[first]) {
		char *plus = strstr(buf[first], "+0x");
		if (plus)
			*plus = '\0';
		put(o, ", in %s through %s", names[first], names[0]);
	}
}

/* Lockdep's way: each edge with the thread that took the two locks in that
 * order, where it took the first and where it asked for the second. */
static void put_lock_order(struct out *o, const struct asl_report_ctx *r, const struct asl_lo_cycle *c)
{
	for (int k = 0; k < c->n; k++) {
		const struct asl_lo_step *st = &c->step[k];
		char held[32], acquired[32];
		snprintf(held, sizeof held, "0x%lx", (unsigned long)st->held);
		snprintf(acquired, sizeof acquired, "0x%lx", (unsigned long)st->acquired);
		put(o, "  thread %d \"%s\" " ASL_ORDER_EDGE_FMT "\n", st->tid, st->name,
		    asl_lock_kind_name(st->held_kind), held, asl_lock_kind_name(st->acquired_kind), acquired);
		put(o, "    %s " ASL_ORDER_HELD_AT " %s", held,
		    st->held_inferred ? "(through the same call as the request, by the same caller)"
		                      : "(first seen there)");
		put_past_wrappers(o, r->mods, st->held_stack, st->held_depth);
		put(o, ":\n");
		put_stack(o, r->mods, st->held_stack, st->held_depth);
		put(o, "    %s " ASL_ORDER_ACQUIRED_AT, acquired);
		put_past_wrappers(o, r->mods, st->acquired_stack, st->acquired_depth);
		put(o, ":\n");
		put_stack(o, r->mods, st->acquired_stack, st->acquired_depth);
		for (int g = 0; g < st->ngates; g++)
			put(o, "    also holding 0x%lx (not held in every order of this cycle)\n",
			    (unsigned long)st->gates[g]);
	}
	if (c->count > 1) {
		put(o, "  the same call sites made %lu such cycles; lock pairs (held -> acquired):", c->count);
		for (int k = 0; k < c->npairs; k++)
			put(o, "%s 0x%lx -> 0x%lx", k ? "," : "", (unsigned long)c->pairs[k][0],
			    (unsigned long)c->pairs[k][1]);
		put(o, "%s\n", c->npairs == ASL_LO_PAIRS ? ", ..." : "");
	}
}

/* The frame a finding is best known by: where its (first) thread waits, or
 * where the lock of an inversion was requested, or was taken (abandoned),
 * or where a running thread was made.  0 when none is known. */
static uintptr_t finding_top(const struct asl_report_ctx *r, const struct asl_finding *f)
{
	if (f->lo && f->lo->n > 0)
		return f->lo->step[0].acquired_depth ? f->lo->step[0].acquired_stack[0] : f->lo->step[0].acquired;
	if (f->kind == ASL_F_ABANDONED_LOCK)
		return f->site;
	int n = f->all_threads ? r->s->n : f->ntids;
	for (int k = 0; k < n; k++) {
		int i = f->all_threads ? k : asl_snap_find_tid(r->s, f->tids[k]);
		const struct asl_tsnap *t = i >= 0 ? &r->s->t[i] : NULL;
		if (t && t->blocked && t->wait.depth > 0)
			return t->wait.stack[0];
	}
	for (int k = 0; k < n; k++) {
		int i = f->all_threads ? k : asl_snap_find_tid(r->s, f->tids[k]);
		if (i >= 0 && r->s->t[i].create_depth > 0)
			return r->s->t[i].create_stack[0];
	}
	return 0;
}

/* "name" (offset dropped), or "module+0x.." when there is no name. */
static void frame_name(const struct asl_modules *m, uintptr_t a, char *buf, size_t len)
{
	buf[0] = '\0';
	if (a && asl_symbolize(m, a, buf, len) == 0 && buf[0]) {
		char *plus = strstr(buf, "+0x");
		if (plus)
			*plus = '\0';
		return;
	}
	int mi = a ? asl_module_index(m, a) : -1;
	if (mi >= 0) {
		const char *base = strrchr(m->m[mi].path, '/');
		snprintf(buf, len, "%.200s+0x%lx", base ? base + 1 : m->m[mi].path, (unsigned long)(a - m->m[mi].base));
	}
}

/* gen_suppressions=1: the rule that would silence this finding, Valgrind's
 * --gen-suppressions way (suppression syntax: README, "Suppressions"). */
static void put_suppression(struct out *o, const struct asl_report_ctx *r, const struct asl_finding *f)
{
	char fn[256];
	uintptr_t a = finding_top(r, f);
	frame_name(r->mods, a, fn, sizeof fn);
	if (!fn[0])
		return;
	int mi = asl_module_index(r->mods, a);
	if (strstr(fn, "+0x") && mi >= 0) { /* no name: the module */
		const char *base = strrchr(r->mods->m[mi].path, '/');
		put(o, "    suppression: %s:module:%s\n", asl_finding_kind_name(f->kind),
		    base ? base + 1 : r->mods->m[mi].path);
	} else {
		put(o, "    suppression: %s:top:%s\n", asl_finding_kind_name(f->kind), fn);
	}
}

void asl_report_summary(const struct asl_report_ctx *r, char *buf, size_t len)
{
	const struct asl_finding *head = r->nf ? &r->f[0] : NULL;
	for (int i = 0; i < r->nf; i++)
		if (r->f[i].kind == ASL_F_ALL_ASLEEP)
			head = &r->f[i];
	buf[0] = '\0';
	if (!head)
		return;
	char fn[256], where[300] = "";
	uintptr_t a = finding_top(r, head);
	frame_name(r->mods, a, fn, sizeof fn);
	int mi = a ? asl_module_index(r->mods, a) : -1;
	if (mi >= 0 && !strstr(fn, "+0x")) {
		const char *base = strrchr(r->mods->m[mi].path, '/');
		snprintf(where, sizeof where, " (%.200s+0x%lx)", base ? base + 1 : r->mods->m[mi].path,
		         (unsigned long)(a - r->mods->m[mi].base));
	}
	snprintf(buf, len, "SUMMARY: asleep: %s %s%s\n", asl_finding_kind_name(head->kind), fn[0] ? fn : "?", where);
}

static void put_finding(struct out *o, const struct asl_report_ctx *r, const struct asl_finding *f)
{
	put(o, "\n%s: %s\n", asl_finding_kind_name(f->kind), f->message);
	for (int k = 0; k < f->ncycle; k++) {
		const struct asl_cycle_step *c = &f->cycle[k];
		if (c->kind == ASL_W_JOIN)
			put(o, "    thread %d waits for thread %d to exit\n", c->tid, c->owner);
		else
			put(o, "    thread %d waits for %s 0x%lx held by thread %d\n", c->tid,
			    asl_wait_kind_name(c->kind), (unsigned long)c->obj, c->owner);
	}
	if (f->lo)
		put_lock_order(o, r, f->lo);
	if (f->kind == ASL_F_ABANDONED_LOCK && f->site) {
		put(o, "    taken at:\n");
		put_frame(o, r->mods, 0, f->site);
	}
	if (asl_opts.gen_suppressions)
		put_suppression(o, r, f);
}

char *asl_report_render(const struct asl_report_ctx *r)
{
	struct out o = { NULL, 0, 0, 0 };
	/* The verdict first: all-asleep when there is one, else the first finding. */
	const struct asl_finding *head = r->nf ? &r->f[0] : NULL;
	for (int i = 0; i < r->nf; i++)
		if (r->f[i].kind == ASL_F_ALL_ASLEEP)
			head = &r->f[i];
	if (!head)
		put(&o, "asleep: %s (pid %d)\n", r->reason, (int)getpid());
	else if (head->kind == ASL_F_ALL_ASLEEP)
		put(&o, "asleep: %s (pid %d, %d thread%s)\n", head->message, (int)getpid(), r->s->n,
		    r->s->n == 1 ? "" : "s");
	else if (r->nf == 1)
		put(&o, "asleep: %s: %s (pid %d)\n", asl_finding_kind_name(head->kind), head->message, (int)getpid());
	else
		put(&o, "asleep: %s: %d findings (pid %d)\n", asl_finding_kind_name(head->kind), r->nf, (int)getpid());
	for (int i = 0; i < r->nf; i++)
		if (&r->f[i] != head || head->ncycle || head->lo || (r->nf > 1 && head->kind != ASL_F_ALL_ASLEEP))
			put_finding(&o, r, &r->f[i]);
		else if (asl_opts.gen_suppressions)
			put_suppression(&o, r, &r->f[i]);
	/* A potential deadlock is about past orders: today's threads add nothing. */
	int threads = r->nf == 0;
	for (int i = 0; i < r->nf; i++)
		threads |= r->f[i].kind != ASL_F_LOCK_ORDER_INVERSION;
	for (int i = 0; threads && i < r->s->n; i++)
		put_thread(&o, r, i);
	if (o.oom) {
		free(o.buf);
		return NULL;
	}
	return o.buf;
}
